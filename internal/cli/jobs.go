package cli

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"xinlu/internal/store"
)

// Scheduled work: data keys rotated by another process are picked up; the
// personal-data retention runs once a day; accounts of members whose
// contracts have ended are disabled; overdue items are escalated as in-app
// notifications (store.EscalateOverdue); sold parcels whose agreed start
// passed without construction are flagged as idle land; the audit chain is verified and its
// head anchored outside the database (a break raises an alarm): the rows
// since the last anchor every hour, the whole chain once a day. On
// PostgreSQL one server at a time runs them (an advisory lock); the others
// skip and say so. `xinlu serve` runs the jobs at start and then every
// hour; `xinlu jobs run` runs them once, for cron or by hand.

// jobsEvery is how often serve runs the jobs.
const jobsEvery = time.Hour

// anchorEvery is how often serve verifies the audit rows written since the
// last anchor and anchors the new head: rows cut off the end of the log
// within this time before an anchor is written go unnoticed.
const anchorEvery = 5 * time.Minute

// jobs remembers what the hourly run needs between runs.
type jobs struct {
	st             *store.Store
	retentionYears int
	log            *slog.Logger
	retentionDay   string // the day the retention last ran
	auditDay       string // the day the whole audit chain was last verified
}

// runJobsOnce runs every job once and reports what each did.
func (j *jobs) runOnce(ctx context.Context, now time.Time) error {
	st, log := j.st, j.log
	if err := st.ReloadKeys(); err != nil {
		return fmt.Errorf("reload data keys: %w", err)
	}
	// Of several servers on one PostgreSQL database, one runs the jobs.
	release, ok, err := st.TryJobLock(ctx)
	if err != nil {
		return err
	}
	if !ok {
		log.Info("scheduled jobs skipped: another server is running them")
		return nil
	}
	defer release()
	today := now.In(shanghai()).Format("2006-01-02")
	// The whole audit chain is verified once a day (and by `xinlu audit
	// verify`); the other hours verify the rows since the last anchor.
	fullAudit := today != j.auditDay
	if j.retentionYears > 0 && today != j.retentionDay {
		run, err := st.RunRetention(ctx, j.retentionYears, false)
		if err != nil {
			return fmt.Errorf("personal data retention: %w", err)
		}
		j.retentionDay = today
		if len(run.Members) > 0 || run.Leads > 0 {
			log.Info("personal data retention: fields cleared", "members", len(run.Members), "leads", run.Leads, "cutoff", run.Cutoff, "fields", run.Fields)
		}
	}
	names, err := st.DisableEndedAccounts(ctx, today)
	if err != nil {
		return fmt.Errorf("disable accounts of ended contracts: %w", err)
	}
	if len(names) > 0 {
		log.Info("accounts disabled: contract ended", "users", names)
	}
	esc, err := st.EscalateOverdue(ctx, now.In(shanghai()))
	if err != nil {
		return fmt.Errorf("escalate overdue items: %w", err)
	}
	if esc.Notifications > 0 {
		log.Info("overdue items escalated", "items", esc.Items, "notifications", esc.Notifications, "digests", esc.Digests, "told", esc.Told)
	}
	// Rate-limit buckets idle for an hour are full again: forget them.
	if err := st.ExpireRateBuckets(ctx, now.Add(-time.Hour)); err != nil {
		return fmt.Errorf("expire rate limits: %w", err)
	}
	reminded, err := st.StudyReminders(ctx, now.In(shanghai()))
	if err != nil {
		return fmt.Errorf("remind study campaigns: %w", err)
	}
	if reminded > 0 {
		log.Info("study campaign reminders", "notifications", reminded)
	}
	missed, err := st.ProposeMissedMilestones(ctx, now.In(shanghai()))
	if err != nil {
		return fmt.Errorf("propose deductions for missed milestones: %w", err)
	}
	if missed > 0 {
		log.Info("deductions proposed for missed milestones", "proposals", missed)
	}
	idle, err := st.MarkIdleParcels(ctx, now)
	if err != nil {
		return fmt.Errorf("flag idle land: %w", err)
	}
	if idle > 0 {
		log.Info("parcels flagged as idle land", "parcels", idle)
	}
	if err := st.Optimize(ctx); err != nil {
		return fmt.Errorf("refresh query statistics: %w", err)
	}
	if err := anchorAudit(ctx, st, log, !fullAudit); err != nil {
		return err
	}
	if fullAudit {
		j.auditDay = today
	}
	return nil
}

// anchorAudit verifies the audit chain (the whole chain, or since the last
// anchor) and anchors its head outside the database: in the anchor file,
// the server's log and the system log. A break raises an alarm.
func anchorAudit(ctx context.Context, st *store.Store, log *slog.Logger, since bool) error {
	n, a, brk, err := st.AnchorAudit(ctx, since)
	if err != nil {
		return fmt.Errorf("verify audit chain: %w", err)
	}
	if brk != nil {
		log.Error("audit chain broken", "chain", brk.Chain(), "row", brk.ID, "reason", brk.Reason)
		return st.RaiseAlarm(ctx, 0, store.AlarmChainBreak, fmt.Sprintf("%s, row %d", brk.Chain(), brk.ID), brk.Reason)
	}
	if a.KeyID != "" {
		log.Info("audit anchor", "row", a.ID, "hash", a.Hash, "checkpoint", a.Checkpoint, "verified", n)
		systemLog(a)
	}
	return nil
}

// startJobs runs the jobs now and then every jobsEvery until ctx ends.
func startJobs(ctx context.Context, st *store.Store, retentionYears int, log *slog.Logger) {
	j := &jobs{st: st, retentionYears: retentionYears, log: log}
	go func() {
		t := time.NewTicker(jobsEvery)
		defer t.Stop()
		for {
			if err := j.runOnce(ctx, time.Now()); err != nil && ctx.Err() == nil {
				log.Error("scheduled jobs", "err", err)
			}
			// The jobs read much and keep nothing: give the memory back
			// so that an idle server stays small.
			debug.FreeOSMemory()
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	go func() {
		t := time.NewTicker(anchorEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if err := anchorAudit(ctx, st, log, true); err != nil && ctx.Err() == nil {
				log.Error("audit anchor", "err", err)
			}
		}
	}()
}

func runJobs(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "run" {
		if len(args) == 0 || args[0] == "--help" || args[0] == "-h" {
			fmt.Fprintln(env.Stdout, "Usage: xinlu jobs run [--db DSN]\n\nRuns the scheduled jobs once (xinlu serve runs them every hour): clears expired personal data\n(retention), disables the accounts of members whose contracts have all ended, escalates overdue\nitems as in-app notifications, and verifies the audit chain (a break raises an alarm).")
			return nil
		}
		return usagef("unknown subcommand %q (run)", args[0])
	}
	fs := newFlags(env, "jobs run", "jobs run [--db DSN] [--key-file FILE] [--retention-years N]")
	db := dbFlag(fs, env)
	years, err := retentionYearsFlag(fs.Int, env)
	if err != nil {
		return err
	}
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
	j := &jobs{st: st, retentionYears: *years, log: slog.New(slog.NewTextHandler(env.Stdout, nil))}
	return j.runOnce(ctx, time.Now())
}

func shanghai() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}
