package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"xinlu/internal/demo"
	"xinlu/internal/xinlu"
)

func runDemo(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "demo", "demo [--db DSN] [--key-file FILE] [--password P] [--leads N]")
	db := dbFlag(fs, env)
	password := fs.String("password", "", "give every demo user this `password` with no forced change (for trials and tests); without it each gets a random one to change at first login")
	leads := fs.Int("leads", 0, "then add `N` leads at scale to the demo zone (most rejected or dormant, about 10% projects over every stage), through the bulk loader: no duplicate search, one audit row per batch")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *leads < 0 {
		return usagef("--leads: a count of leads, 0 or more")
	}
	if *password != "" {
		if err := xinlu.ValidatePassword(*password, ""); err != nil {
			return usagef("--password: %s", passwordRule(err))
		}
	}
	st, err := openDBStrict(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	res, err := demo.Seed(ctx, st, demo.Options{Password: *password, Progress: progressBar(env.Stderr, "demo accounts")})
	if err != nil {
		return err
	}
	w := env.Stdout
	if res.Created {
		fmt.Fprintf(w, "created demo zone %q in %s\n\n", res.Zone.Name, time.Since(start).Round(time.Millisecond))
	} else {
		fmt.Fprintf(w, "demo zone %q already exists; nothing changed\n\n", res.Zone.Name)
	}
	fmt.Fprintf(w, "%-11s %-13s %s\n", "USERNAME", "PASSWORD", "ROLE")
	for _, l := range res.Logins {
		pw := l.Password
		if pw == "" {
			pw = "(unchanged)"
		}
		fmt.Fprintf(w, "%-11s %-13s %s (%s)\n", l.Username, pw, l.Role, l.Name)
	}
	if res.Created && *password == "" {
		fmt.Fprintln(w, "\nEach demo user must change this password at first login.")
	}
	if *leads > 0 {
		start := time.Now()
		sr, err := demo.SeedScale(ctx, st, demo.ScaleOptions{Leads: *leads, Progress: progressBar(env.Stderr, "leads")})
		if err != nil {
			return err
		}
		// A bulk load changes the tables' shape: refresh the planner's statistics.
		if err := st.Optimize(ctx); err != nil {
			return err
		}
		fmt.Fprintf(w, "\nadded %d leads, %d projects, %d approval items, %d funds entries and %d timeline events in %d batches in %s\n",
			sr.Leads, sr.Projects, sr.Approvals, sr.Funds, sr.Events, sr.Batches, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// progressBar draws counts and time left on a terminal and stays quiet
// otherwise.
func progressBar(w io.Writer, label string) func(done, all int) {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	start := time.Now()
	return func(done, all int) {
		width := 30
		filled := width * done / all
		left := time.Duration(0)
		if done > 0 {
			left = time.Since(start) / time.Duration(done) * time.Duration(all-done)
		}
		bar := ""
		for i := 0; i < width; i++ {
			if i < filled {
				bar += "█"
			} else {
				bar += "░"
			}
		}
		fmt.Fprintf(f, "\r%s %s %d/%d, %s left ", label, bar, done, all, left.Round(100*time.Millisecond))
		if done == all {
			fmt.Fprintln(f)
		}
	}
}
