package store_test

import (
	"context"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func TestSessions(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, a := seedZone(t, s, "S")
		now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		u := &xinlu.User{ZoneID: z.ID, Username: "wang", Name: "王", Roles: []xinlu.Role{xinlu.RoleHead, xinlu.RoleMember}, PasswordHash: "x"}
		if err := s.CreateUser(ctx, a, u); err != nil {
			t.Fatal(err)
		}
		tok, sess, err := s.CreateSession(ctx, a, u.ID, "web", "", 12*time.Hour)
		if err != nil || sess.CSRFToken == "" {
			t.Fatal(err)
		}
		got, _, err := s.SessionUser(ctx, tok, "web", 30*time.Minute)
		if err != nil || got.Username != "wang" || len(got.Roles) != 2 || got.Roles[0] != xinlu.RoleMember || got.Roles[1] != xinlu.RoleHead {
			t.Fatalf("session user: %+v %v", got, err)
		}
		if _, _, err := s.SessionUser(ctx, tok, "api", 0); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatal("a web session worked as an API token")
		}
		// Activity within the idle limit keeps it; 31 idle minutes end it.
		now = now.Add(20 * time.Minute)
		if _, _, err := s.SessionUser(ctx, tok, "web", 30*time.Minute); err != nil {
			t.Fatal(err)
		}
		now = now.Add(31 * time.Minute)
		if _, _, err := s.SessionUser(ctx, tok, "web", 30*time.Minute); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("idle session still valid: %v", err)
		}
		// Absolute lifetime.
		tok2, _, _ := s.CreateSession(ctx, a, u.ID, "api", "script", time.Hour)
		now = now.Add(61 * time.Minute)
		if _, _, err := s.SessionUser(ctx, tok2, "api", 0); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("expired token still valid: %v", err)
		}
		// A password change ends the other sessions but the one that made it.
		keep, _, _ := s.CreateSession(ctx, a, u.ID, "web", "", time.Hour)
		other, _, _ := s.CreateSession(ctx, a, u.ID, "api", "x", time.Hour)
		if err := s.SetPassword(ctx, a, u.ID, "y", false, keep); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionUser(ctx, keep, "web", time.Hour); err != nil {
			t.Fatalf("own session ended: %v", err)
		}
		if _, _, err := s.SessionUser(ctx, other, "api", 0); err == nil {
			t.Fatal("other session survived the password change")
		}
		// Login throttling counts failures per name and address within the window.
		for i := 0; i < 3; i++ {
			if _, err := s.Login(ctx, xinlu.Actor{IP: "10.0.0.1"}, "wang", "bad", store.LoginPolicy{Limit: 3, Window: 15 * time.Minute}); xinlu.ErrorCode(err) != xinlu.EUNAUTHORIZED {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		if _, err := s.Login(ctx, xinlu.Actor{IP: "10.0.0.1"}, "wang", "bad", store.LoginPolicy{Limit: 3, Window: 15 * time.Minute}); xinlu.ErrorCode(err) != xinlu.ETOOMANYREQUESTS {
			t.Fatalf("4th attempt: %v", err)
		}
		if _, err := s.Login(ctx, xinlu.Actor{IP: "10.0.0.2"}, "wang", "bad", store.LoginPolicy{Limit: 3, Window: 15 * time.Minute}); xinlu.ErrorCode(err) != xinlu.EUNAUTHORIZED {
			t.Fatalf("other address: %v", err)
		}
		now = now.Add(16 * time.Minute)
		if _, err := s.Login(ctx, xinlu.Actor{IP: "10.0.0.1"}, "wang", "bad", store.LoginPolicy{Limit: 3, Window: 15 * time.Minute}); xinlu.ErrorCode(err) != xinlu.EUNAUTHORIZED {
			t.Fatalf("after the window: %v", err)
		}
	})
}
