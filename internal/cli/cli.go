// Package cli is xinlu's command line: serve, migrate, demo, user, backup,
// restore, keys, retention and audit. Run takes its streams as arguments so
// tests drive it end to end.
package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"xinlu/internal/seal"
	"xinlu/internal/store"
)

// Env is what a command may use from the world around it.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string

	run *runState // set by Run
}

// runState is what one Run shares between a command's flags and openDB.
type runState struct {
	env     Env
	keyFile *string // --key-file, registered by dbFlag
}

type runStateKey struct{}

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
		{"init", "prepare a new installation: zone, key file, the three administrators", runInit},
		{"migrate", "apply database migrations", runMigrate},
		{"demo", "fill the database with a demo zone (idempotent)", runDemo},
		{"zone", "add or list zones: zone add | zone list", runZone},
		{"user", "add a user or set a password: user add | user passwd", runUser},
		{"backup", "write a consistent snapshot of the database, optionally encrypted", runBackup},
		{"restore", "verify a backup and put it in place of the database", runRestore},
		{"keys", "encryption keys: keys init | keys rotate | keys status", runKeys},
		{"retention", "clear personal data past its retention: retention run", runRetention},
		{"audit", "check or purge the audit log: audit verify | audit purge", runAudit},
		{"jobs", "run the scheduled jobs once: jobs run", runJobs},
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
	if env.Stdout == nil {
		env.Stdout = io.Discard
	}
	if env.Stderr == nil {
		env.Stderr = io.Discard
	}
	rs := &runState{}
	env.run = rs
	rs.env = env
	ctx = context.WithValue(ctx, runStateKey{}, rs)
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
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Every command takes --help. Commands that touch data take --db DSN")
	fmt.Fprintln(w, "(sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DB), default $XINLU_DB or sqlite:data/xinlu.db,")
	fmt.Fprintln(w, "and --key-file FILE, default $XINLU_KEY_FILE or xinlu.key beside a SQLite database (data/xinlu.key")
	fmt.Fprintln(w, "for PostgreSQL). The key file is made on first use; keep it apart from the database and its backups.")
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
				return nil, flag.ErrHelp // the flag set has printed its usage
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

// dbFlag adds --db with its default from XINLU_DB, and --key-file with its
// default from XINLU_KEY_FILE: every command that touches data has both.
func dbFlag(fs *flag.FlagSet, env Env) *string {
	def := env.Getenv("XINLU_DB")
	if def == "" {
		def = "sqlite:data/xinlu.db"
	}
	db := fs.String("db", def, "database `DSN`: sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DB (env XINLU_DB)")
	kf := fs.String("key-file", env.Getenv("XINLU_KEY_FILE"), "key `file` for encrypted personal data and backups (env XINLU_KEY_FILE; default xinlu.key beside a SQLite database, data/xinlu.key for PostgreSQL)")
	if env.run != nil {
		env.run.keyFile = kf
	}
	return db
}

// stateOf returns the Run's shared state; a context without one (a
// command called directly) gets defaults.
func stateOf(ctx context.Context) *runState {
	if rs, ok := ctx.Value(runStateKey{}).(*runState); ok {
		return rs
	}
	return &runState{env: Env{Stdout: io.Discard, Stderr: io.Discard, Getenv: os.Getenv}}
}

// keyFilePath is the key file of dsn: --key-file or XINLU_KEY_FILE when
// given, else xinlu.key in the SQLite database's folder (data/xinlu.key
// for PostgreSQL).
func (rs *runState) keyFilePath(dsn string) string {
	if rs.keyFile != nil && *rs.keyFile != "" {
		return *rs.keyFile
	}
	if v := rs.env.Getenv("XINLU_KEY_FILE"); v != "" {
		return v
	}
	if path, ok := sqlitePath(dsn); ok {
		return filepath.Join(filepath.Dir(path), "xinlu.key")
	}
	return filepath.Join("data", "xinlu.key")
}

// firstMigration is the migration that creates a database's schema.
const firstMigration = "0001_init.sql"

// anchorFilePath is the audit anchor file of a key file: beside it, so that
// it is kept, backed up and protected like the key file, apart from the
// database.
func anchorFilePath(keyFile string) string { return keyFile + ".anchor" }

// sqlitePath returns the file of a sqlite: DSN.
func sqlitePath(dsn string) (string, bool) {
	if !strings.HasPrefix(dsn, "sqlite:") {
		return "", false
	}
	return strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "//"), true
}

// openDB opens and migrates the database and switches encryption of
// personal data on with the key file (made on first use). When the
// database already encrypts and its key file is missing, it goes on
// without keys after a warning, for commands that need none (audit verify
// of a backup copy, zone list): the store then refuses to write personal
// data in plain text and to read sealed values.
func openDB(ctx context.Context, dsn string) (*store.Store, error) {
	return openDBKeys(ctx, dsn, false)
}

// openDBStrict is openDB for commands that read or write personal data
// (serve, demo, migrate, keys, restore): a missing key file of a database
// that encrypts is an error.
func openDBStrict(ctx context.Context, dsn string) (*store.Store, error) {
	return openDBKeys(ctx, dsn, true)
}

func openDBKeys(ctx context.Context, dsn string, strict bool) (*store.Store, error) {
	st, err := store.OpenWith(ctx, dsn, store.Options{Synchronous: stateOf(ctx).env.Getenv("XINLU_SQLITE_SYNC")})
	if err != nil {
		return nil, err
	}
	applied, err := st.Migrate(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	if err := useKeyFile(ctx, st, dsn, strict); err != nil {
		st.Close()
		return nil, err
	}
	if slices.Contains(applied, firstMigration) {
		// A new database: the anchors of the audit chain start here, and
		// those of a database that was here before no longer apply.
		if _, err := st.ResetAuditAnchor(ctx, "new database"); err != nil {
			st.Close()
			return nil, err
		}
	}
	// Company keys made with earlier rules are made again, once.
	if n, err := st.RekeyCompanies(ctx); err != nil {
		st.Close()
		return nil, fmt.Errorf("company keys: %w", err)
	} else if n > 0 {
		fmt.Fprintf(stateOf(ctx).env.Stderr, "made %d company keys again with the current duplicate rules\n", n)
	}
	return st, nil
}

// useKeyFile loads the key file (or, for a database that encrypts nothing
// yet, makes it) and hands its keys to the store, which seals any personal
// value still stored in plain text.
//
// Encryption is always on: there is no setting that stores personal data
// in plain text. The key file is made on first use with permissions 0600;
// XINLU_KEY_SUITE=sm4 (or `xinlu keys init --suite sm4` beforehand) makes
// it for SM4-GCM and HMAC-SM3 instead of AES-256-GCM and HMAC-SHA256. A
// database that encrypts is never given a new key file: its own is needed.
func useKeyFile(ctx context.Context, st *store.Store, dsn string, strict bool) error {
	rs := stateOf(ctx)
	path := rs.keyFilePath(dsn)
	k, err := seal.LoadKeyFile(path)
	switch {
	case errors.Is(err, seal.ErrNoKeyFile):
		has, herr := st.HasDataKeys(ctx)
		if herr != nil {
			return herr
		}
		if has {
			msg := fmt.Errorf("the database encrypts personal data, but its key file %s does not exist: give the right one with --key-file or XINLU_KEY_FILE (without it the encrypted fields cannot be read)", path)
			if strict {
				return msg
			}
			fmt.Fprintf(rs.env.Stderr, "warning: %v; going on without it\n", msg)
			return nil
		}
		suite, serr := seal.ParseSuite(rs.env.Getenv("XINLU_KEY_SUITE"))
		if serr != nil {
			return usagef("XINLU_KEY_SUITE: %v", serr)
		}
		if k, err = seal.CreateKeyFile(path, suite); err != nil {
			return err
		}
		fmt.Fprintf(rs.env.Stderr, "created key file %s (%s): back it up apart from the database; without it the encrypted fields and encrypted backups cannot be read\n", path, suite)
	case err != nil:
		return err
	}
	n, err := st.UseKeys(ctx, k)
	if err != nil {
		if errors.Is(err, seal.ErrWrongKeyFile) {
			return fmt.Errorf("key file %s: %w", path, err)
		}
		return err
	}
	st.SetAuditAnchor(anchorFilePath(path))
	if n > 0 {
		fmt.Fprintf(rs.env.Stderr, "encrypted %d personal values that were stored in plain text\n", n)
	}
	return nil
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
	fs := newFlags(env, "migrate", "migrate [--db DSN] [--grant ROLE]")
	db := dbFlag(fs, env)
	grant := fs.String("grant", "", "PostgreSQL: after migrating, grant `ROLE` what xinlu serve needs (no DDL; the audit log append-only)")
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
	// Rows from before encryption are sealed here, on the upgrade path.
	if err := useKeyFile(ctx, st, *db, true); err != nil {
		return err
	}
	if slices.Contains(applied, firstMigration) {
		if _, err := st.ResetAuditAnchor(ctx, "new database"); err != nil {
			return err
		}
	}
	if *grant != "" {
		if err := st.GrantApp(ctx, *grant); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "granted %s what xinlu serve needs: no DDL, the audit log append-only\n", *grant)
	}
	return nil
}
