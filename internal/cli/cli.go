// Package cli is xinlu's command line: serve, migrate, demo, user, backup
// and audit. Run takes its streams as arguments so tests drive it end to end.
package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"xinlu/internal/store"
)

// Env is what a command may use from the world around it.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

// usageError is a bad invocation: exit 2 with a one-line reason.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env Env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "start the web server", runServe},
		{"migrate", "apply database migrations", runMigrate},
		{"demo", "fill the database with a demo zone (idempotent)", runDemo},
		{"zone", "add or list zones: zone add | zone list", runZone},
		{"user", "add a user or set a password: user add | user passwd", runUser},
		{"backup", "write a consistent snapshot of the database", runBackup},
		{"audit", "check the audit log: audit verify", runAudit},
		{"help", "show this help", nil},
	}
}

// Run executes one command line and returns the process exit code.
func Run(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if env.Stdin == nil {
		env.Stdin = strings.NewReader("")
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "--help" || args[0] == "-h" {
		if len(args) > 1 {
			return Run(ctx, []string{args[1], "--help"}, env)
		}
		printHelp(env.Stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] || c.run == nil {
			continue
		}
		err := c.run(ctx, env, args[1:])
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, new(usageError)):
			fmt.Fprintf(env.Stderr, "xinlu %s: %v\n", c.name, err)
			return 2
		default:
			var ec exitCode
			if errors.As(err, &ec) {
				return int(ec)
			}
			fmt.Fprintf(env.Stderr, "xinlu %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(env.Stderr, "xinlu: unknown command %q (run 'xinlu help')\n", args[0])
	return 2
}

// exitCode ends a command with a code after it printed its own message.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit %d", int(e)) }

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "xinlu (新路) — the operating system of a development zone")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: xinlu COMMAND [flags]")
	fmt.Fprintln(w)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Every command takes --help. Commands that touch data take --db DSN")
	fmt.Fprintln(w, "(sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DB), default $XINLU_DB or sqlite:data/xinlu.db.")
}

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(env Env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.Init(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(env.Stdout, "Usage: xinlu %s\n\nFlags:\n", usage)
		fs.SetOutput(env.Stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// parse parses flags that may come before or after positional arguments,
// and turns flag errors into one-line usage errors.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.Usage()
				return nil, flag.ErrHelp
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// dbFlag adds --db with its default from XINLU_DB.
func dbFlag(fs *flag.FlagSet, env Env) *string {
	def := env.Getenv("XINLU_DB")
	if def == "" {
		def = "sqlite:data/xinlu.db"
	}
	return fs.String("db", def, "database `DSN`: sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DB (env XINLU_DB)")
}

// openDB opens and migrates the database.
func openDB(ctx context.Context, dsn string) (*store.Store, error) {
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// readPassword reads one line from stdin.
func readPassword(env Env) (string, error) {
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func runMigrate(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "migrate", "migrate [--db DSN]")
	db := dbFlag(fs, env)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	applied, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(env.Stdout, "database is up to date")
	}
	for _, name := range applied {
		fmt.Fprintln(env.Stdout, "applied", name)
	}
	return nil
}
