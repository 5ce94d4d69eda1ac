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
// skip and say so. When each job last started is kept in the database
// (job_runs), so that of several servers the jobs run once an hour in all,
// and the daily ones once a day: `xinlu serve` looks every anchorEvery
// (and at start) whether they are due, and runs them if so; `xinlu jobs
// run` runs them all now, for cron or by hand.

// jobsEvery is how often the hourly jobs run; jobsSlack is how much
// sooner a look may find them due, so that a server whose looks drift by
// milliseconds does not wait a whole interval more.
const (
	jobsEvery = time.Hour
	jobsSlack = time.Minute
)

// The jobs whose last start job_runs keeps.
const (
	jobHourly    = "hourly"
	jobRetention = "retention"
	jobAuditFull = "audit_full"
)

// hourlyDue reports whether the hourly jobs, last started at last (zero:
// never), are due at now.
func hourlyDue(last, now time.Time) bool {
	return last.IsZero() || now.Sub(last) >= jobsEvery-jobsSlack
}

// dailyDue reports whether a daily job, last started at last (zero:
// never), is due at now: the day has turned in the zone's time since.
func dailyDue(last, now time.Time) bool {
	return last.IsZero() || shanghaiDay(last) != shanghaiDay(now)
}

func shanghaiDay(t time.Time) string { return t.In(shanghai()).Format("2006-01-02") }

// anchorEvery is how often serve verifies the audit rows written since the
// last anchor and anchors the new head: rows cut off the end of the log
// within this time before an anchor is written go unnoticed.
const anchorEvery = 5 * time.Minute

// jobs is what a run of the scheduled jobs needs.
type jobs struct {
	st             *store.Store
	retentionYears int
	log            *slog.Logger
}

// runOnce runs the jobs that are due at now (all of them when all is set,
// as `xinlu jobs run` does), reports what each did, and whether they ran.
// It says so at Info when it skips because the jobs are not due, unless
// quiet.
func (j *jobs) runOnce(ctx context.Context, now time.Time, all, quiet bool) (ran bool, err error) {
	st, log, start := j.st, j.log, time.Now()
	if err := st.ReloadKeys(); err != nil {
		return false, fmt.Errorf("reload data keys: %w", err)
	}
	// Of several servers on one PostgreSQL database, one runs the jobs.
	release, ok, err := st.TryJobLock(ctx)
	if err != nil {
		return false, err
	}
	if !ok {
		log.Info("scheduled jobs skipped: another server is running them")
		return false, nil
	}
	defer release()
	last, err := st.JobRuns(ctx)
	if err != nil {
		return false, err
	}
	if !all && !hourlyDue(last[jobHourly], now) {
		if !quiet {
			log.Info("scheduled jobs skipped: they ran within the hour", "at", last[jobHourly].In(shanghai()).Format(time.DateTime))
		}
		return false, nil
	}
	if err := st.RecordJobRun(ctx, jobHourly, now); err != nil {
		return false, err
	}
	// The whole audit chain is verified once a day (and by `xinlu audit
	// verify`); the other hours verify the rows since the last anchor.
	fullAudit := all || dailyDue(last[jobAuditFull], now)
	if j.retentionYears > 0 && (all || dailyDue(last[jobRetention], now)) {
		if err := st.RecordJobRun(ctx, jobRetention, now); err != nil {
			return true, err
		}
		run, err := st.RunRetention(ctx, j.retentionYears, false)
		if err != nil {
			return true, fmt.Errorf("personal data retention: %w", err)
		}
		if len(run.Members) > 0 || run.Leads > 0 {
			log.Info("personal data retention: fields cleared", "members", len(run.Members), "leads", run.Leads, "cutoff", run.Cutoff, "fields", run.Fields)
		}
	}
	names, err := st.DisableEndedAccounts(ctx, shanghaiDay(now))
	if err != nil {
		return true, fmt.Errorf("disable accounts of ended contracts: %w", err)
	}
	if len(names) > 0 {
		log.Info("accounts disabled: contract ended", "users", names)
	}
	esc, err := st.EscalateOverdue(ctx, now.In(shanghai()))
	if err != nil {
		return true, fmt.Errorf("escalate overdue items: %w", err)
	}
	if esc.Notifications > 0 {
		log.Info("overdue items escalated", "items", esc.Items, "notifications", esc.Notifications, "digests", esc.Digests, "told", esc.Told)
	}
	// Rate-limit buckets idle for an hour are full again: forget them.
	if err := st.ExpireRateBuckets(ctx, now.Add(-time.Hour)); err != nil {
		return true, fmt.Errorf("expire rate limits: %w", err)
	}
	reminded, err := st.StudyReminders(ctx, now.In(shanghai()))
	if err != nil {
		return true, fmt.Errorf("remind study campaigns: %w", err)
	}
	if reminded > 0 {
		log.Info("study campaign reminders", "notifications", reminded)
	}
	missed, err := st.ProposeMissedMilestones(ctx, now.In(shanghai()))
	if err != nil {
		return true, fmt.Errorf("propose deductions for missed milestones: %w", err)
	}
	if missed > 0 {
		log.Info("deductions proposed for missed milestones", "proposals", missed)
	}
	idle, err := st.MarkIdleParcels(ctx, now)
	if err != nil {
		return true, fmt.Errorf("flag idle land: %w", err)
	}
	if idle > 0 {
		log.Info("parcels flagged as idle land", "parcels", idle)
	}
	if err := st.Optimize(ctx); err != nil {
		return true, fmt.Errorf("refresh query statistics: %w", err)
	}
	if fullAudit {
		if err := st.RecordJobRun(ctx, jobAuditFull, now); err != nil {
			return true, err
		}
	}
	if err := anchorAudit(ctx, st, log, !fullAudit); err != nil {
		return true, err
	}
	log.Info("scheduled jobs done", "full_audit", fullAudit, "took", time.Since(start).Round(time.Millisecond))
	return true, nil
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

// startJobs runs the jobs now if they are due, and then looks again every
// anchorEvery, anchoring the audit rows since the last anchor when the
// jobs (which anchor too) do not run, until ctx ends.
func startJobs(ctx context.Context, st *store.Store, retentionYears int, log *slog.Logger) {
	j := &jobs{st: st, retentionYears: retentionYears, log: log}
	go func() {
		t := time.NewTicker(anchorEvery)
		defer t.Stop()
		quiet := false // at start, say why the jobs do not run
		for {
			ran, err := j.runOnce(ctx, time.Now(), false, quiet)
			if err != nil && ctx.Err() == nil {
				log.Error("scheduled jobs", "err", err)
			}
			if ran {
				// The jobs read much and keep nothing: give the memory
				// back so that an idle server stays small.
				debug.FreeOSMemory()
			} else if err := anchorAudit(ctx, st, log, true); err != nil && ctx.Err() == nil {
				log.Error("audit anchor", "err", err)
			}
			quiet = true
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
	_, err = j.runOnce(ctx, time.Now(), true, false)
	return err
}

func shanghai() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}
