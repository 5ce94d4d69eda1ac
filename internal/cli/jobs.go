package cli

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"xinlu/internal/store"
)

// Scheduled work: accounts of members whose contracts have ended are
// disabled, and the audit chain is verified (a break raises an alarm).
// `xinlu serve` runs it at start and then every hour; `xinlu jobs run` runs
// it once, for cron or by hand.

// jobsEvery is how often serve runs the jobs.
const jobsEvery = time.Hour

// runJobsOnce runs every job once and reports what each did.
func runJobsOnce(ctx context.Context, st *store.Store, now time.Time, log *slog.Logger) error {
	today := now.In(shanghai()).Format("2006-01-02")
	names, err := st.DisableEndedAccounts(ctx, today)
	if err != nil {
		return fmt.Errorf("disable accounts of ended contracts: %w", err)
	}
	if len(names) > 0 {
		log.Info("accounts disabled: contract ended", "users", names)
	}
	n, brk, err := st.VerifyAudit(ctx)
	if err != nil {
		return fmt.Errorf("verify audit chain: %w", err)
	}
	if brk != nil {
		log.Error("audit chain broken", "row", brk.ID, "reason", brk.Reason)
		if err := st.RaiseAlarm(ctx, 0, store.AlarmChainBreak, fmt.Sprintf("row %d", brk.ID), brk.Reason); err != nil {
			return err
		}
	} else {
		log.Debug("audit chain holds", "rows", n)
	}
	return nil
}

// startJobs runs the jobs now and then every jobsEvery until ctx ends.
func startJobs(ctx context.Context, st *store.Store, log *slog.Logger) {
	go func() {
		t := time.NewTicker(jobsEvery)
		defer t.Stop()
		for {
			if err := runJobsOnce(ctx, st, time.Now(), log); err != nil && ctx.Err() == nil {
				log.Error("scheduled jobs", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

func runJobs(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "run" {
		if len(args) == 0 || args[0] == "--help" || args[0] == "-h" {
			fmt.Fprintln(env.Stdout, "Usage: xinlu jobs run [--db DSN]\n\nRuns the scheduled jobs once (xinlu serve runs them every hour): disables the accounts of\nmembers whose contracts have all ended, and verifies the audit chain (a break raises an alarm).")
			return nil
		}
		return usagef("unknown subcommand %q (run)", args[0])
	}
	fs := newFlags(env, "jobs run", "jobs run [--db DSN]")
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
	log := slog.New(slog.NewTextHandler(env.Stdout, nil))
	return runJobsOnce(ctx, st, time.Now(), log)
}

func shanghai() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}
