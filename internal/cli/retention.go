package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"xinlu/internal/xinlu"
)

// The retention job (PIPL 第十九条, 第四十七条): members who left (离职) more
// than N years ago lose their phone and ID number; their rows, names,
// departments and dates stay, so counts and statistics do. N is
// --retention-years (env XINLU_RETENTION_YEARS), default 5; 0 switches the
// job off. `xinlu serve` runs it daily; `xinlu retention run` by hand.

// retentionYearsFlag adds --retention-years.
func retentionYearsFlag(fsAdd func(name string, value int, usage string) *int, env Env) (*int, error) {
	def := xinlu.DefaultRetentionYears
	if v := strings.TrimSpace(env.Getenv("XINLU_RETENTION_YEARS")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, usagef("XINLU_RETENTION_YEARS must be a whole number of years (0 switches the job off)")
		}
		def = n
	}
	return fsAdd("retention-years", def, "clear phone and ID number of members who left more than this many `years` ago; 0 switches the job off (env XINLU_RETENTION_YEARS)"), nil
}

func runRetention(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" {
		fmt.Fprintln(env.Stdout, "Usage: xinlu retention run [--retention-years N] [--dry-run] [--db DSN] [--key-file FILE]\n\n"+
			"Clears the phone and ID number of members who left (离职) more than N years ago (default 5,\n"+
			"env XINLU_RETENTION_YEARS; 0 switches the job off), keeping their rows, names and dates so that\n"+
			"counts and statistics stay. Each zone's run is audited. xinlu serve runs it daily.")
		return nil
	}
	if args[0] != "run" {
		return usagef("unknown subcommand %q (run)", args[0])
	}
	fs := newFlags(env, "retention run", "retention run [--retention-years N] [--dry-run] [--db DSN] [--key-file FILE]")
	db := dbFlag(fs, env)
	years, err := retentionYearsFlag(fs.Int, env)
	if err != nil {
		return err
	}
	dry := fs.Bool("dry-run", false, "list the members whose data would be cleared, and change nothing")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *years < 0 {
		return usagef("--retention-years must be 0 or more")
	}
	st, err := openDB(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	run, err := st.RunRetention(ctx, *years, *dry)
	if err != nil {
		return err
	}
	if run.Cutoff == "" {
		fmt.Fprintln(env.Stdout, "retention is switched off (--retention-years 0): nothing cleared")
		return nil
	}
	verb := "cleared"
	if run.DryRun {
		verb = "would clear"
	}
	for _, m := range run.Members {
		fmt.Fprintf(env.Stdout, "%s %s of member %d (zone %d, staff no %s, left %s)\n", verb,
			strings.Join(run.Fields, " and "), m.ID, m.ZoneID, m.StaffNo, m.LeftOn)
	}
	fmt.Fprintf(env.Stdout, "%d members left before %s (%d years): %s %s\n", len(run.Members), run.Cutoff, run.Years,
		verb, strings.Join(run.Fields, ", "))
	fmt.Fprintf(env.Stdout, "%d leads closed before %s: %s their contact\n", run.Leads, run.Cutoff, verb)
	return nil
}
