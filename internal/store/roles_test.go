package store_test

import (
	"context"
	"strings"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// openAlarms sums the open alarms of kind raised against subject.
func openAlarms(t *testing.T, s *store.Store, zoneID int64, kind, subject string) int {
	t.Helper()
	alarms, _, err := s.ListAlarms(context.Background(), store.AlarmFilter{ZoneID: zoneID, Open: true})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range alarms {
		if a.Kind == kind && a.Subject == subject {
			n += a.Count
		}
	}
	return n
}

// The combined administrator exists only in the demo zone: outside it no
// account is created with it, and the attempt is audited and alarmed.
func TestCombinedAdministratorOutsideTheDemoIsRefused(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, a := seedZone(t, s, "JZ")
		u := &xinlu.User{ZoneID: z.ID, Username: "root", Name: "管理员", Roles: []xinlu.Role{xinlu.RoleAdmin}, PasswordHash: "x"}
		err := s.CreateUser(ctx, a, u)
		if e := xinlu.AsError(err); e.Code != xinlu.EFORBIDDEN || e.Field != "roles" || e.Key != "user.admin_demo_only" {
			t.Fatalf("admin outside the demo: %v", err)
		}
		if _, err := s.UserByUsername(ctx, "root"); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("the account exists: %v", err)
		}
		rows := auditActions(t, s, z.ID, "user.roles_refused")
		if len(rows) != 1 || !strings.Contains(rows[0].After, "root") || !strings.Contains(rows[0].After, "admin") {
			t.Fatalf("refusal audit: %+v", rows)
		}
		if n := openAlarms(t, s, z.ID, "role_escalation", "system"); n != 1 {
			t.Fatalf("%d alarms", n)
		}
	})
}

// A zone's administrators give only roles that stay within the zone and
// never touch the administrators' roles; each refusal is audited in its own
// transaction and raises an alarm, and nothing else changes.
func TestZoneRoleChangesThatAreRefused(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		newClock(s)
		z, a := seedZone(t, s, "RZ")
		sec := identityUser(t, s, a, z.ID, "sec", xinlu.RoleSecAdmin)
		aud := identityUser(t, s, a, z.ID, "aud", xinlu.RoleAuditAdmin)
		m := identityUser(t, s, a, z.ID, "li", xinlu.RoleMember)
		act := xinlu.ActorOf(sec, "10.1.1.1")
		for _, tc := range []struct {
			user  *xinlu.User
			roles []xinlu.Role
			key   string
		}{
			{m, []xinlu.Role{xinlu.RoleViewer}, "user.role_beyond_zone_operator_only"},
			{m, []xinlu.Role{xinlu.RoleMember, xinlu.RoleViewer}, "user.role_beyond_zone_operator_only"},
			{m, []xinlu.Role{xinlu.RoleSysAdmin}, "user.admin_roles_operator_only"},
			{aud, []xinlu.Role{xinlu.RoleSecAdmin}, "user.admin_roles_operator_only"},
			{aud, []xinlu.Role{xinlu.RoleMember}, "user.admin_roles_operator_only"},
		} {
			err := s.SetUserRoles(ctx, act, z.ID, tc.user.ID, tc.roles, 1)
			if e := xinlu.AsError(err); e.Code != xinlu.EFORBIDDEN || e.Field != "roles" || e.Key != tc.key {
				t.Fatalf("%s → %v: %v", tc.user.Username, tc.roles, err)
			}
			got, _ := s.UserByID(ctx, z.ID, tc.user.ID)
			if got.Version != 1 || len(got.Roles) != 1 || got.Roles[0] != tc.user.Roles[0] {
				t.Fatalf("%s changed: %+v", tc.user.Username, got)
			}
		}
		if rows := auditActions(t, s, z.ID, "user.roles_refused"); len(rows) != 5 || rows[0].IP != "10.1.1.1" || rows[0].ActorID != sec.ID {
			t.Fatalf("refusals audited: %+v", rows)
		}
		if n := openAlarms(t, s, z.ID, "role_escalation", "sec"); n != 5 {
			t.Fatalf("%d alarms", n)
		}
		for _, row := range auditActions(t, s, z.ID, "user.roles") {
			if row.Action == "user.roles" {
				t.Fatalf("a refused change was recorded as made: %+v", row)
			}
		}
		// Zone-scoped business roles are still the security administrator's.
		if err := s.SetUserRoles(ctx, act, z.ID, m.ID, []xinlu.Role{xinlu.RoleMember, xinlu.RoleFinance}, 1); err != nil {
			t.Fatal(err)
		}
	})
}
