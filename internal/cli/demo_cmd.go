package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"xinlu/internal/demo"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func runDemo(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "demo", "demo [--db DSN] [--key-file FILE] [--password P] [--leads N [--zones K]]")
	db := dbFlag(fs, env)
	password := fs.String("password", "", "give every demo user this `password` with no forced change (for trials and tests); without it each gets a random one to change at first login")
	leads := fs.Int("leads", 0, "then add `N` leads at scale to the demo zone (most rejected or dormant, about 10% projects over every stage), through the bulk loader: no duplicate search, one audit row per batch")
	zones := fs.Int("zones", 1, "spread the --leads over `K` zones: the demo zone and K-1 load-test zones (load02…, each with a screener screener02… who signs in with --password)")
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
	if *zones < 1 || *zones > 1000 {
		return usagef("--zones: 1 to 1000")
	}
	if *zones > 1 && *password == "" {
		return usagef("--zones needs --password for the load-test zones' screeners")
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
		codes := []string{demo.ZoneCode}
		for n := 2; n <= *zones; n++ {
			z, err := demo.SeedLoadZone(ctx, st, n, *password)
			if err != nil {
				return err
			}
			codes = append(codes, z.Code)
		}
		// The zones are seeded side by side on PostgreSQL, where each
		// zone's writes lock only that zone's rows (its audit chain, its
		// summary rows): two at a time keep both the generator and the
		// server busy. SQLite has one writer.
		workers := 1
		if st.Dialect() == store.Postgres && len(codes) > 1 {
			workers = 2
		}
		var (
			sr    demo.ScaleResult
			mu    sync.Mutex
			first error
			wg    sync.WaitGroup
			next  = make(chan int)
		)
		for range workers {
			wg.Go(func() {
				for i := range next {
					// The leads shared out: the first zones take the remainder.
					n := *leads / len(codes)
					if i < *leads%len(codes) {
						n++
					}
					if n == 0 {
						continue
					}
					progress := progressBar(env.Stderr, "leads "+codes[i])
					if workers > 1 {
						progress = nil // two bars would overwrite each other
					}
					r, err := demo.SeedScale(ctx, st, demo.ScaleOptions{Zone: codes[i], Leads: n, Progress: progress})
					mu.Lock()
					if err != nil && first == nil {
						first = err
					}
					if r != nil {
						sr.Leads, sr.Projects, sr.Approvals, sr.Funds, sr.Events, sr.Batches =
							sr.Leads+r.Leads, sr.Projects+r.Projects, sr.Approvals+r.Approvals, sr.Funds+r.Funds, sr.Events+r.Events, sr.Batches+r.Batches
					}
					mu.Unlock()
				}
			})
		}
		for i := range codes {
			mu.Lock()
			failed := first != nil
			mu.Unlock()
			if failed {
				break
			}
			next <- i
		}
		close(next)
		wg.Wait()
		if first != nil {
			return first
		}
		// A bulk load changes the tables' shape: refresh the planner's statistics.
		if err := st.Optimize(ctx); err != nil {
			return err
		}
		fmt.Fprintf(w, "\nadded %d leads, %d projects, %d approval items, %d funds entries and %d timeline events in %d batches over %d zones in %s\n",
			sr.Leads, sr.Projects, sr.Approvals, sr.Funds, sr.Events, sr.Batches, len(codes), time.Since(start).Round(time.Millisecond))
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
