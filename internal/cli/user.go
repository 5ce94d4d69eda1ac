package cli

import (
	"context"
	"fmt"

	"xinlu/internal/xinlu"
)

func runUser(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" {
		fmt.Fprintln(env.Stdout, "Usage: xinlu user add USERNAME --name NAME --role ROLE[,ROLE] [--department CODE] [--zone CODE]\n       xinlu user roles USERNAME --role ROLE[,ROLE]\n       xinlu user passwd USERNAME\n\n"+
			"The password is read from standard input. Roles: "+rolesList()+".\n"+
			"Only here are the administrators' roles (sysadmin, secadmin, auditadmin) and roles that read\n"+
			"other zones (viewer) given or changed; admin, the three in one, exists only in the demo zone.")
		return nil
	}
	switch args[0] {
	case "add":
		return runUserAdd(ctx, env, args[1:])
	case "roles":
		return runUserRoles(ctx, env, args[1:])
	case "passwd":
		return runUserPasswd(ctx, env, args[1:])
	}
	return usagef("unknown subcommand %q (add, roles or passwd)", args[0])
}

// roleRule explains a refused role set in one line.
func roleRule(err error) string {
	switch xinlu.AsError(err).Key {
	case "user.admin_demo_only":
		return "the combined administrator (admin) exists only in the demo zone made by xinlu demo; give this zone sysadmin, secadmin and auditadmin accounts (the refusal is audited)"
	case "user.admin_roles_exclusive":
		return "sysadmin, secadmin and auditadmin exclude one another: an account holds one at most"
	case "user.admin_role_alone":
		return "an administrator account holds no business role"
	}
	return englishKey(err)
}

// runUserRoles is the operator's change of an account's roles: the only
// way to give, change or take away the administrators' roles and roles
// that reach beyond one zone.
func runUserRoles(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "user roles", "user roles USERNAME --role ROLE[,ROLE] [--db DSN]")
	db := dbFlag(fs, env)
	roles := fs.String("role", "", "the account's new comma-separated `roles`, replacing its current ones: "+rolesList())
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("need exactly one USERNAME")
	}
	rs, err := xinlu.ParseRoles(*roles)
	if err != nil {
		return usagef("--role: give one or more of %s", rolesList())
	}
	st, err := openDB(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByUsername(ctx, pos[0])
	if err != nil {
		return fmt.Errorf("no user %q", pos[0])
	}
	if err := st.SetRolesByOperator(ctx, u.ID, rs); err != nil {
		if xinlu.ErrorCode(err) == xinlu.EINTERNAL {
			return err
		}
		return fmt.Errorf("roles of %s: %s", u.Username, roleRule(err))
	}
	fmt.Fprintf(env.Stdout, "roles of %s (%s) are now %s\n", u.Username, u.Name, *roles)
	return nil
}

func rolesList() string {
	s := ""
	for i, r := range xinlu.Roles {
		if i > 0 {
			s += ", "
		}
		s += string(r)
	}
	return s
}

func runUserAdd(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "user add", "user add USERNAME --name NAME --role ROLE[,ROLE] [--department CODE] [--zone CODE] [--db DSN] < password")
	db := dbFlag(fs, env)
	name := fs.String("name", "", "the person's `name`")
	roles := fs.String("role", "", "comma-separated `roles`: "+rolesList())
	dept := fs.String("department", "", "department `code`; creates a staff record in it for the user")
	zone := fs.String("zone", "", "zone `code` (default: the only zone)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("need exactly one USERNAME")
	}
	if *name == "" {
		return usagef("--name is required")
	}
	rs, err := xinlu.ParseRoles(*roles)
	if err != nil {
		return usagef("--role: give one or more of %s", rolesList())
	}
	password, err := readPassword(env)
	if err != nil {
		return err
	}
	if err := xinlu.ValidatePassword(password, pos[0]); err != nil {
		return fmt.Errorf("password on standard input: %s", passwordRule(err))
	}
	st, err := openDB(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	z, err := pickZone(ctx, st, *zone)
	if err != nil {
		return err
	}
	if err := st.PasswordPolicy(ctx, z.ID).Validate(password, pos[0], z.Code); err != nil {
		return fmt.Errorf("password on standard input: %s", passwordRule(err))
	}
	u := &xinlu.User{ZoneID: z.ID, Username: pos[0], Name: *name, Roles: rs, MustChangePassword: true}
	if err := u.Validate(); err != nil {
		if xinlu.AsError(err).Field == "roles" {
			return fmt.Errorf("--role: %s", roleRule(err))
		}
		return fmt.Errorf("%s: %s", xinlu.AsError(err).Field, englishKey(err))
	}
	if u.PasswordHash, err = xinlu.HashPassword(password); err != nil {
		return err
	}
	if *dept != "" {
		d, err := st.DepartmentByCode(ctx, z.ID, *dept)
		if err != nil {
			return fmt.Errorf("no department with code %q in zone %s", *dept, z.Code)
		}
		if u.MemberID, err = createMemberFor(ctx, st, z.ID, d.ID, u.Username, u.Name); err != nil {
			return err
		}
	}
	if err := st.CreateUser(ctx, xinlu.SystemActor(z.ID), u); err != nil {
		switch xinlu.ErrorCode(err) {
		case xinlu.ECONFLICT:
			return fmt.Errorf("username %q is taken", u.Username)
		case xinlu.EFORBIDDEN:
			return fmt.Errorf("--role: %s", roleRule(err))
		}
		return err
	}
	fmt.Fprintf(env.Stdout, "created user %s (%s) with roles %s; the password must be changed at first login\n", u.Username, u.Name, *roles)
	return nil
}

func runUserPasswd(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "user passwd", "user passwd USERNAME [--db DSN] < password")
	db := dbFlag(fs, env)
	temporary := fs.Bool("temporary", true, "the user must change this password at next login")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("need exactly one USERNAME")
	}
	password, err := readPassword(env)
	if err != nil {
		return err
	}
	if err := xinlu.ValidatePassword(password, pos[0]); err != nil {
		return fmt.Errorf("password on standard input: %s", passwordRule(err))
	}
	st, err := openDB(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByUsername(ctx, pos[0])
	if err != nil {
		return fmt.Errorf("no user %q", pos[0])
	}
	policy := st.PasswordPolicy(ctx, u.ZoneID)
	var words []string
	if z, err := st.ZoneByID(ctx, u.ZoneID); err == nil {
		words = append(words, z.Code)
	}
	if err := policy.Validate(password, u.Username, words...); err != nil {
		return fmt.Errorf("password on standard input: %s", passwordRule(err))
	}
	history, err := st.PasswordHistory(ctx, u.ID, policy.History)
	if err != nil {
		return err
	}
	if err := policy.CheckHistory(password, history); err != nil {
		return fmt.Errorf("password on standard input: %s", passwordRule(err))
	}
	hash, err := xinlu.HashPassword(password)
	if err != nil {
		return err
	}
	if err := st.SetPassword(ctx, xinlu.SystemActor(u.ZoneID), u.ID, hash, *temporary, ""); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "password of %s changed; their sessions were ended\n", u.Username)
	return nil
}

// passwordRule explains the password policy rule err broke in one line.
func passwordRule(err error) string {
	e := xinlu.AsError(err)
	arg := func() any {
		if len(e.Args) > 0 {
			return e.Args[0]
		}
		return ""
	}
	switch e.Key {
	case "password.too_short":
		return fmt.Sprintf("at least %v characters", arg())
	case "password.classes":
		return "needs three of: lower case, upper case, digits, symbols"
	case "password.contains_username":
		return "must not contain the username"
	case "identity.password_context":
		return fmt.Sprintf("must not contain the system's name or the zone code (%v)", arg())
	case "identity.password_weak":
		return "is a common weak password (or one with digits and symbols around it); choose another"
	case "identity.password_reused":
		return fmt.Sprintf("must differ from the last %v passwords", arg())
	case "error.too_long":
		return fmt.Sprintf("at most %v characters", arg())
	}
	return e.Key
}

func englishKey(err error) string { return xinlu.AsError(err).Key }
