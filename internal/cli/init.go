package cli

import (
	"context"
	"fmt"

	"xinlu/internal/xinlu"
)

// runInit prepares a new installation: the zone, the key file, and the
// three administrators, each with a one-time password to change at first
// sign-in. No account with a known password exists afterwards.
func runInit(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "init", "init --zone CODE --zone-name NAME [--db DSN] [--key-file FILE]")
	db := dbFlag(fs, env)
	code := fs.String("zone", "", "the zone's short `code`, e.g. jz")
	name := fs.String("zone-name", "", "the zone's full `name`, e.g. 晋中经济技术开发区")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *code == "" || *name == "" {
		return usagef("--zone and --zone-name are required")
	}
	st, err := openDB(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.CountUsers(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("this database already has %d accounts; init is for a new installation (use xinlu user add)", n)
	}
	z, err := st.ZoneByCode(ctx, *code)
	if xinlu.ErrorCode(err) == xinlu.ENOTFOUND {
		z = &xinlu.Zone{Code: *code, Name: *name}
		err = st.CreateZone(ctx, xinlu.SystemActor(0), z)
	}
	if err != nil {
		return err
	}
	admins := []struct {
		role xinlu.Role
		name string
	}{
		{xinlu.RoleSysAdmin, "系统管理员"}, {xinlu.RoleSecAdmin, "安全管理员"}, {xinlu.RoleAuditAdmin, "审计管理员"},
	}
	fmt.Fprintf(env.Stdout, "zone %s (%s) is ready. The three administrators, each with a one-time password\nthat must be changed, and a second factor set up, at first sign-in:\n\n", z.Code, z.Name)
	fmt.Fprintf(env.Stdout, "%-12s %-16s %s\n", "USERNAME", "ONE-TIME PASSWORD", "ROLE")
	for _, ad := range admins {
		pw := xinlu.RandomPassword()
		hash, err := xinlu.HashPassword(pw)
		if err != nil {
			return err
		}
		u := &xinlu.User{ZoneID: z.ID, Username: string(ad.role), Name: ad.name, Roles: []xinlu.Role{ad.role},
			PasswordHash: hash, MustChangePassword: true}
		if err := st.CreateUser(ctx, xinlu.SystemActor(z.ID), u); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%-12s %-16s %s\n", u.Username, pw, ad.role)
	}
	fmt.Fprintln(env.Stdout, "\nHand each password to its administrator in person. Then: xinlu serve")
	return nil
}
