package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// A user's own password change checks the current password, the policy
// and the history, stores the new one and ends the other sessions; two
// changes from the same current password at once do not both land.
func TestChangeOwnPassword(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, a := seedZone(t, s, "CP")
		u := identityUser(t, s, a, z.ID, "zhou", xinlu.RoleMember)
		here, _, err := s.CreateSession(ctx, a, u.ID, "web", "", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		other, _, err := s.CreateSession(ctx, a, u.ID, "web", "", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			what, current, next, field, key string
		}{
			{"no current password", "", "Vb8#nQ4w-new", "current_password", "error.required"},
			{"a wrong current password", "Wrong!pass-99", "Vb8#nQ4w-new", "current_password", "auth.current_password_wrong"},
			{"a weak new password", identityPassword, "123", "new_password", ""},
			{"the same password", identityPassword, identityPassword, "new_password", ""},
		} {
			err := s.ChangeOwnPassword(ctx, xinlu.ActorOf(u, "10.1.1.1"), u, c.current, c.next, here)
			if e := xinlu.AsError(err); err == nil || e.Field != c.field || c.key != "" && e.Key != c.key {
				t.Errorf("%s: %v, want %s %s", c.what, err, c.field, c.key)
			}
		}
		// Two changes at once from the same current password: one lands,
		// the other finds the current password changed.
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, next := range []string{"Vb8#nQ4w-one", "Vb8#nQ4w-two"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = s.ChangeOwnPassword(ctx, xinlu.ActorOf(u, "10.1.1.1"), u, identityPassword, next, here)
			}()
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("two changes at once: %v and %v, want one to land", errs[0], errs[1])
		}
		for _, err := range errs {
			if err != nil && xinlu.AsError(err).Key != "auth.current_password_wrong" {
				t.Errorf("the change that lost: %v", err)
			}
		}
		if _, _, err := s.SessionUser(ctx, here, "web", nil); err != nil {
			t.Errorf("the session that changed the password ended: %v", err)
		}
		if _, _, err := s.SessionUser(ctx, other, "web", nil); xinlu.ErrorCode(err) == "" {
			t.Error("another session outlived the change")
		}
		// Back to an earlier password is refused by the history.
		next := "Vb8#nQ4w-one"
		if errs[0] != nil {
			next = "Vb8#nQ4w-two"
		}
		err = s.ChangeOwnPassword(ctx, xinlu.ActorOf(u, "10.1.1.1"), u, next, identityPassword, here)
		if e := xinlu.AsError(err); e.Field != "new_password" || e.Key != "identity.password_reused" {
			t.Errorf("an earlier password again: %v", err)
		}
		if n := len(auditActions(t, s, z.ID, "user.password")); n != 1 {
			t.Errorf("%d password changes audited, want 1", n)
		}
	})
}

// A period is found only by those who may see it in its state.
func TestPeriodFor(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, a := seedZone(t, s, "PF")
		p := &xinlu.Period{ZoneID: z.ID, Kind: xinlu.PeriodMonth, Label: "2026-10", Rule: xinlu.DefaultDistributionRule(),
			Coefficients: xinlu.DefaultCoefficients()}
		if err := s.CreatePeriod(ctx, a, p); err != nil {
			t.Fatal(err)
		}
		office := &xinlu.User{ID: 1, ZoneID: z.ID, Roles: []xinlu.Role{xinlu.RoleAppraiser}}
		member := &xinlu.User{ID: 2, ZoneID: z.ID, MemberID: 5, Roles: []xinlu.Role{xinlu.RoleMember}}
		if got, err := s.PeriodFor(ctx, office, p.ID); err != nil || got.ID != p.ID {
			t.Errorf("the office reads a draft: %v %v", got, err)
		}
		if _, err := s.PeriodFor(ctx, member, p.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Errorf("a member reads a draft: %v", err)
		}
		elsewhere := &xinlu.User{ID: 3, ZoneID: z.ID + 100, Roles: []xinlu.Role{xinlu.RoleAppraiser}}
		if _, err := s.PeriodFor(ctx, elsewhere, p.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Errorf("another zone's office reads the period: %v", err)
		}
	})
}
