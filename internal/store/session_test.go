package store_test

import (
	"context"
	"fmt"
	"strings"
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
		got, _, err := s.SessionUser(ctx, tok, "web", idle(30*time.Minute))
		if err != nil || got.Username != "wang" || len(got.Roles) != 2 || got.Roles[0] != xinlu.RoleMember || got.Roles[1] != xinlu.RoleHead {
			t.Fatalf("session user: %+v %v", got, err)
		}
		if _, _, err := s.SessionUser(ctx, tok, "api", nil); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatal("a web session worked as an API token")
		}
		// Activity within the idle limit keeps it; 31 idle minutes end it.
		now = now.Add(20 * time.Minute)
		if _, _, err := s.SessionUser(ctx, tok, "web", idle(30*time.Minute)); err != nil {
			t.Fatal(err)
		}
		now = now.Add(31 * time.Minute)
		if _, _, err := s.SessionUser(ctx, tok, "web", idle(30*time.Minute)); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("idle session still valid: %v", err)
		}
		// Absolute lifetime.
		tok2, _, _ := s.CreateSession(ctx, a, u.ID, "api", "script", time.Hour)
		now = now.Add(61 * time.Minute)
		if _, _, err := s.SessionUser(ctx, tok2, "api", nil); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("expired token still valid: %v", err)
		}
		// A password change ends the other sessions but the one that made it.
		keep, _, _ := s.CreateSession(ctx, a, u.ID, "web", "", time.Hour)
		other, _, _ := s.CreateSession(ctx, a, u.ID, "api", "x", time.Hour)
		if err := s.SetPassword(ctx, a, u.ID, "y", false, keep); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionUser(ctx, keep, "web", idle(time.Hour)); err != nil {
			t.Fatalf("own session ended: %v", err)
		}
		if _, _, err := s.SessionUser(ctx, other, "api", nil); err == nil {
			t.Fatal("other session survived the password change")
		}
		// Login throttling counts failures per name and address within the window.
		for i := 0; i < 3; i++ {
			if _, _, err := s.Login(ctx, xinlu.Actor{IP: "10.0.0.1"}, "wang", "bad", store.LoginPolicy{Limit: 3, Window: 15 * time.Minute}); xinlu.ErrorCode(err) != xinlu.EUNAUTHORIZED {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		if _, _, err := s.Login(ctx, xinlu.Actor{IP: "10.0.0.1"}, "wang", "bad", store.LoginPolicy{Limit: 3, Window: 15 * time.Minute}); xinlu.ErrorCode(err) != xinlu.ETOOMANYREQUESTS {
			t.Fatalf("4th attempt: %v", err)
		}
		if _, _, err := s.Login(ctx, xinlu.Actor{IP: "10.0.0.2"}, "wang", "bad", store.LoginPolicy{Limit: 3, Window: 15 * time.Minute}); xinlu.ErrorCode(err) != xinlu.EUNAUTHORIZED {
			t.Fatalf("other address: %v", err)
		}
		now = now.Add(16 * time.Minute)
		if _, _, err := s.Login(ctx, xinlu.Actor{IP: "10.0.0.1"}, "wang", "bad", store.LoginPolicy{Limit: 3, Window: 15 * time.Minute}); xinlu.ErrorCode(err) != xinlu.EUNAUTHORIZED {
			t.Fatalf("after the window: %v", err)
		}
	})
}

func idle(d time.Duration) func(*xinlu.User) (time.Duration, time.Duration) {
	return func(*xinlu.User) (time.Duration, time.Duration) { return d, 0 }
}

func TestAdminSessionsIdleSooner(t *testing.T) {
	p := store.DefaultSessionPolicy
	if got := p.IdleFor(&xinlu.User{Roles: []xinlu.Role{xinlu.RoleSecAdmin}}); got != 15*time.Minute {
		t.Errorf("secadmin idle %v", got)
	}
	if got := p.IdleFor(&xinlu.User{Roles: []xinlu.Role{xinlu.RoleMember, xinlu.RoleHead}}); got != 30*time.Minute {
		t.Errorf("member idle %v", got)
	}
}

func TestSessionAdministration(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, a := seedZone(t, s, "SA")
		other, oa := seedZone(t, s, "SB")
		today := "2026-11-27"
		mk := func(zone int64, name string, end string) *xinlu.User {
			m := &xinlu.Member{ZoneID: zone, StaffNo: name, Name: name}
			if err := s.CreateMember(ctx, xinlu.SystemActor(zone), m); err != nil {
				t.Fatal(err)
			}
			if end != "" {
				c := &xinlu.Contract{ZoneID: zone, MemberID: m.ID, StartDate: "2023-01-01", EndDate: end, Status: xinlu.ContractActive}
				if err := s.CreateContract(ctx, xinlu.SystemActor(zone), c); err != nil {
					t.Fatal(err)
				}
			}
			u := &xinlu.User{ZoneID: zone, Username: name, Name: name, MemberID: m.ID, Roles: []xinlu.Role{xinlu.RoleMember}, PasswordHash: "x"}
			if err := s.CreateUser(ctx, xinlu.SystemActor(zone), u); err != nil {
				t.Fatal(err)
			}
			return u
		}
		ended, current, nocontract := mk(z.ID, "ended", "2026-11-26"), mk(z.ID, "current", "2026-11-27"), mk(z.ID, "nocontract", "")
		outsider := mk(other.ID, "outsider", "2030-01-01")
		for _, u := range []*xinlu.User{ended, current, nocontract, outsider} {
			if _, _, err := s.CreateSession(ctx, xinlu.SystemActor(u.ZoneID), u.ID, "web", "", time.Hour); err != nil {
				t.Fatal(err)
			}
		}
		list, total, err := s.ListSessions(ctx, store.SessionFilter{ZoneID: z.ID})
		if err != nil || total != 3 {
			t.Fatalf("sessions of the zone: %d %v", total, err)
		}
		if err := s.EndSession(ctx, oa, list[0].ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("another zone ended a session: %v", err)
		}
		if err := s.EndSession(ctx, a, list[0].ID); err != nil {
			t.Fatal(err)
		}
		names, err := s.DisableEndedAccounts(ctx, today)
		if err != nil || len(names) != 1 || names[0] != "ended" {
			t.Fatalf("disabled %v %v", names, err)
		}
		if u, _ := s.UserByUsername(ctx, "ended"); !u.Disabled {
			t.Fatal("not disabled")
		}
		if _, n, _ := s.ListSessions(ctx, store.SessionFilter{ZoneID: z.ID, UserID: ended.ID}); n != 0 {
			t.Fatal("the disabled account kept its session")
		}
		if names, _ := s.DisableEndedAccounts(ctx, today); len(names) != 0 {
			t.Fatalf("second run disabled %v", names)
		}
		if n, err := s.EndUserSessions(ctx, a, current.ID); err != nil || n != 1 {
			t.Fatalf("end user sessions: %d %v", n, err)
		}
	})
}

// TestListTotalsFollowWrites: the cached "共 N 条" of a list changes with
// the next write.
func TestListTotalsFollowWrites(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, a := seedZone(t, s, "C")
		m := &xinlu.Member{ZoneID: z.ID, StaffNo: "C1", Name: "计数"}
		if err := s.CreateMember(ctx, a, m); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ {
			l := &xinlu.Lead{ZoneID: z.ID, ReporterID: m.ID, Company: fmt.Sprintf("计数公司%d", i), ProjectName: "项目", Industry: "other"}
			before := leadTotal(t, s, z.ID)
			if _, err := s.ReportLead(ctx, a, l); err != nil {
				t.Fatal(err)
			}
			if after := leadTotal(t, s, z.ID); after != before+1 {
				t.Fatalf("total %d after a report, was %d", after, before)
			}
		}
	})
}

func leadTotal(t *testing.T, s *store.Store, zoneID int64) int {
	t.Helper()
	_, n, err := s.ListLeads(context.Background(), store.LeadFilter{Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: zoneID}})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestApprovalActionsFollowStatus(t *testing.T) {
	for status, want := range map[string]string{
		store.ApprovalPreparing:  "submit commit",
		store.ApprovalSubmitted:  "correct approve reject commit",
		store.ApprovalCorrection: "submit",
		store.ApprovalApproved:   "",
		store.ApprovalRejected:   "",
		store.ApprovalCommitted:  "",
	} {
		got := strings.Join(store.ApprovalItem{Status: status}.Actions(), " ")
		if got != want {
			t.Errorf("%s: %q, want %q", status, got, want)
		}
	}
}
