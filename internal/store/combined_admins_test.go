package store_test

import (
	"context"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Accounts that kept the combined administrator role outside a demo zone
// (from before it was kept to the demo) are found for the operator's
// warning; the demo zone's are not.
func TestCombinedAdminsOutsideTheDemo(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, a := seedZone(t, s, "OLD")
		u := &xinlu.User{ZoneID: z.ID, Username: "old-root", Name: "管理员", Roles: []xinlu.Role{xinlu.RoleSysAdmin}, PasswordHash: "x"}
		if err := s.CreateUser(ctx, a, u); err != nil {
			t.Fatal(err)
		}
		if got, err := s.CombinedAdmins(ctx); err != nil || len(got) != 0 {
			t.Fatalf("before: %v %v", got, err)
		}
		// As an older version left it.
		if err := s.ExecForTest(ctx, `UPDATE user_roles SET role = 'admin' WHERE role = 'sysadmin'`); err != nil {
			t.Fatal(err)
		}
		got, err := s.CombinedAdmins(ctx)
		if err != nil || len(got) != 1 || got[0] != [2]string{"OLD", "old-root"} {
			t.Fatalf("combined admins: %v %v", got, err)
		}
		if err := s.ExecForTest(ctx, `UPDATE zones SET demo = TRUE`); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.CombinedAdmins(ctx); len(got) != 0 {
			t.Fatalf("a demo zone's admin reported: %v", got)
		}
	})
}
