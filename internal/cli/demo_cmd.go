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
	fs := newFlags(env, "demo", "demo [--db DSN] [--key-file FILE] [--password P]")
	db := dbFlag(fs, env)
	password := fs.String("password", "", "give every demo user this `password` with no forced change (for trials and tests); without it each gets a random one to change at first login")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
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
