package store_test

import (
	"context"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Finance and the director see everyone's pay: like the administrators and
// those who may reveal personal data, they sign in with a second factor.
func TestPayReadersSignInWithASecondFactor(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		newClock(s)
		z, a := seedZone(t, s, "PAY")
		for _, tc := range []struct {
			role xinlu.Role
			want store.Factor
		}{
			{xinlu.RoleFinance, store.FactorEnrol}, {xinlu.RoleDirector, store.FactorEnrol}, {xinlu.RoleAppraiser, store.FactorEnrol},
			{xinlu.RoleAuditor, store.FactorNone}, {xinlu.RoleMember, store.FactorNone},
		} {
			identityUser(t, s, a, z.ID, "u-"+string(tc.role), tc.role)
			_, f, err := s.Login(ctx, xinlu.Actor{IP: "10.2.2.2"}, "u-"+string(tc.role), identityPassword, noThrottle)
			if err != nil || f != tc.want {
				t.Errorf("%s: factor %v, want %v (%v)", tc.role, f, tc.want, err)
			}
		}
	})
}
