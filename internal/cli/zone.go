package cli

import (
	"context"
	"fmt"

	"xinlu/internal/xinlu"
)

func runZone(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" {
		fmt.Fprintln(env.Stdout, "Usage: xinlu zone add CODE --name NAME [--db DSN]\n       xinlu zone list [--db DSN]\n\nA new installation starts with xinlu init (the zone and its three administrators),\nor xinlu zone add, then xinlu user add ... --role sysadmin, secadmin and auditadmin.")
		return nil
	}
	switch args[0] {
	case "add":
		fs := newFlags(env, "zone add", "zone add CODE --name NAME [--db DSN]")
		db := dbFlag(fs, env)
		name := fs.String("name", "", "the zone's full `name`, e.g. 某某经济技术开发区")
		pos, err := parse(fs, args[1:])
		if err != nil {
			return err
		}
		if len(pos) != 1 {
			return usagef("need exactly one CODE")
		}
		if *name == "" {
			return usagef("--name is required")
		}
		st, err := openDB(ctx, *db)
		if err != nil {
			return err
		}
		defer st.Close()
		z := &xinlu.Zone{Code: pos[0], Name: *name}
		if err := st.CreateZone(ctx, xinlu.SystemActor(0), z); err != nil {
			if xinlu.ErrorCode(err) == xinlu.ECONFLICT {
				return fmt.Errorf("a zone with code %q exists", pos[0])
			}
			return err
		}
		fmt.Fprintf(env.Stdout, "created zone %s (%s)\n", z.Code, z.Name)
		return nil
	case "list":
		fs := newFlags(env, "zone list", "zone list [--db DSN]")
		db := dbFlag(fs, env)
		if _, err := parse(fs, args[1:]); err != nil {
			return err
		}
		st, err := openDB(ctx, *db)
		if err != nil {
			return err
		}
		defer st.Close()
		zones, err := st.Zones(ctx)
		if err != nil {
			return err
		}
		for _, z := range zones {
			fmt.Fprintf(env.Stdout, "%-12s %s\n", z.Code, z.Name)
		}
		return nil
	}
	return usagef("unknown subcommand %q (add or list)", args[0])
}
