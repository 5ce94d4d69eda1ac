package cli

import (
	"context"
	"fmt"
)

func runAudit(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" {
		fmt.Fprintln(env.Stdout, "Usage: xinlu audit verify [--db DSN]\n\nChecks the hash chain of the audit log: exit 0 when it holds, 1 naming the first bad row.")
		return nil
	}
	if args[0] != "verify" {
		return usagef("unknown subcommand %q (verify)", args[0])
	}
	fs := newFlags(env, "audit verify", "audit verify [--db DSN]")
	db := dbFlag(fs, env)
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	st, err := openDB(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	n, brk, err := st.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if brk != nil {
		fmt.Fprintf(env.Stderr, "audit chain broken at row %d: %s (%d rows read)\n", brk.ID, brk.Reason, n)
		return exitCode(1)
	}
	fmt.Fprintf(env.Stdout, "audit chain holds: %d rows verified\n", n)
	return nil
}
