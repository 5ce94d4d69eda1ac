package cli

import (
	"context"
	"fmt"
	"log/syslog"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func runAudit(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" {
		fmt.Fprintln(env.Stdout, "Usage: xinlu audit verify [--db DSN]\n       xinlu audit purge [--keep-days 365] [--db DSN]\n\nverify checks the hash chain of the audit log and compares its end with the anchor file beside\nthe key file (KEYFILE.anchor): exit 0 when it holds, and its head is anchored; 1 naming the first\nbad or missing row (and an alarm for the security administrator). purge removes whole months older than the\nretention (at least 180 days) after verifying the chain, keeping a checkpoint.")
		return nil
	}
	switch args[0] {
	case "verify":
	case "purge":
		return runAuditPurge(ctx, env, args[1:])
	default:
		return usagef("unknown subcommand %q (verify or purge)", args[0])
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
	n, anchor, brk, err := st.AnchorAudit(ctx, false)
	if err != nil {
		return err
	}
	if brk != nil {
		// Every chain's verdict: a break in one zone leaves the others'.
		chains, err := st.VerifyAuditChains(ctx)
		if err != nil {
			return err
		}
		held := 0
		for _, c := range chains {
			if c.Break == nil {
				held++
				continue
			}
			fmt.Fprintf(env.Stderr, "audit chain of %s broken at row %d: %s\n", c.Break.Chain(), c.Break.ID, c.Break.Reason)
			if err := st.RaiseAlarm(ctx, 0, store.AlarmChainBreak, fmt.Sprintf("%s, row %d", c.Break.Chain(), c.Break.ID), c.Break.Reason); err != nil {
				fmt.Fprintf(env.Stderr, "could not raise the alarm: %v\n", err)
			}
		}
		fmt.Fprintf(env.Stderr, "%d of %d chains hold (%d rows read)\n", held, len(chains), n)
		return exitCode(1)
	}
	fmt.Fprintf(env.Stdout, "audit chain holds: %d rows verified in every zone's chain\n", n)
	if path := st.AuditAnchorPath(); path != "" {
		fmt.Fprintf(env.Stdout, "each zone's head anchored in %s (newest row %d)\n", path, anchor.ID)
		systemLog(anchor)
	}
	return nil
}

func runAuditPurge(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "audit purge", "audit purge [--keep-days N] [--db DSN]")
	db := dbFlag(fs, env)
	keep := fs.Int("keep-days", 365, "keep at least this many `days` of audit rows (180 at least)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *keep < 180 {
		return usagef("--keep-days must be at least 180")
	}
	st, err := openDB(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := st.PurgeAudit(ctx, xinlu.SystemActor(0), time.Duration(*keep)*24*time.Hour)
	if err != nil {
		return fmt.Errorf("purge refused: %v", err)
	}
	fmt.Fprintf(env.Stdout, "purged %d audit rows up to row %d; the chain goes on from a checkpoint\n", res.Rows, res.UptoID)
	if _, anchor, brk, err := st.AnchorAudit(ctx, false); err != nil {
		return err
	} else if brk != nil {
		return fmt.Errorf("audit chain of %s broken at row %d after the purge: %s", brk.Chain(), brk.ID, brk.Reason)
	} else {
		systemLog(anchor)
	}
	return nil
}

// systemLog sends an anchor to the system log as well (where there is one),
// a second copy outside the database that the database's owner cannot reach.
func systemLog(a xinlu.AuditAnchor) {
	if a.KeyID == "" {
		return
	}
	w, err := syslog.New(syslog.LOG_INFO|syslog.LOG_AUTH, "xinlu")
	if err != nil {
		return
	}
	defer w.Close()
	w.Info(fmt.Sprintf("audit anchor: kind=%s row=%d hash=%s checkpoint=%d mac=%s", a.Kind, a.ID, a.Hash, a.Checkpoint, a.MAC))
}
