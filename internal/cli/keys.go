package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"xinlu/internal/seal"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Key management. The key file holds a master key, which wraps the data
// keys stored in the database, the blind-index key and the audit-chain key.
// A data key encrypts personal fields; `keys rotate` makes a new one and
// re-encrypts every field under it.

const keysUsage = `Usage: xinlu keys init [--suite aes|sm4] [--key-file FILE] [--db DSN]
       xinlu keys rotate [--db DSN] [--key-file FILE]
       xinlu keys status [--db DSN] [--key-file FILE]

init    makes the key file before first use (it is otherwise made on first use,
        for AES-256-GCM unless XINLU_KEY_SUITE=sm4); sm4 selects SM4-GCM and HMAC-SM3.
rotate  makes a new data key and re-encrypts every encrypted field under it in one
        transaction; values sealed with older keys stay readable until then. A running
        server picks the new key up by itself.
status  lists the data keys and how many values each one seals.

Keep the key file apart from the database and its backups (e.g. /etc/xinlu/xinlu.key,
readable by the service account only) and keep a copy of it offline: without it the
encrypted fields and encrypted backups cannot be read.`

func runKeys(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" {
		fmt.Fprintln(env.Stdout, keysUsage)
		return nil
	}
	switch args[0] {
	case "init":
		return runKeysInit(ctx, env, args[1:])
	case "rotate":
		return runKeysRotate(ctx, env, args[1:])
	case "status":
		return runKeysStatus(ctx, env, args[1:])
	}
	return usagef("unknown subcommand %q (init, rotate or status)", args[0])
}

func runKeysInit(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "keys init", "keys init [--suite aes|sm4] [--key-file FILE] [--db DSN]")
	db := dbFlag(fs, env)
	suiteName := fs.String("suite", env.Getenv("XINLU_KEY_SUITE"), "`algorithms`: aes (AES-256-GCM, HMAC-SHA256) or sm4 (SM4-GCM, HMAC-SM3) (env XINLU_KEY_SUITE)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	suite, err := seal.ParseSuite(*suiteName)
	if err != nil {
		return usagef("--suite: %v", err)
	}
	path := stateOf(ctx).keyFilePath(*db)
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s exists; a key file is never overwritten (its database could no longer be read)", path)
	}
	if _, err := seal.CreateKeyFile(path, suite); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "created key file %s for %s with %s\nBack it up apart from the database; without it the encrypted fields and encrypted backups cannot be read.\n", path, suite, suite.MAC())
	return nil
}

func runKeysRotate(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "keys rotate", "keys rotate [--db DSN] [--key-file FILE]")
	db := dbFlag(fs, env)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	st, err := openDBStrict(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	// One line, rewritten in place on a terminal; elsewhere only its end.
	tty := false
	if f, ok := env.Stderr.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	progress := func(done, total int) {
		switch {
		case tty:
			fmt.Fprintf(env.Stderr, "\rkeys rotate: re-encrypted %d of %d values", done, total)
			if done == total {
				fmt.Fprintln(env.Stderr)
			}
		case done == total:
			fmt.Fprintf(env.Stderr, "keys rotate: re-encrypted %d of %d values\n", done, total)
		}
	}
	rot, err := st.RotateKeys(ctx, xinlu.SystemActor(0), progress)
	if err != nil {
		return fmt.Errorf("rotation failed, nothing changed: %w", err)
	}
	fmt.Fprintf(env.Stdout, "data key %d (%s) is now active; %d values re-encrypted in %s; key %d is retired (kept, so that values a running server sealed with it meanwhile stay readable)\n",
		rot.KeyID, rot.Suite, rot.Values, time.Since(start).Round(time.Millisecond), rot.Previous)
	return nil
}

func runKeysStatus(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "keys status", "keys status [--db DSN] [--key-file FILE]")
	db := dbFlag(fs, env)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	st, err := openDBStrict(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	return printKeyStatus(ctx, env, st)
}

func printKeyStatus(ctx context.Context, env Env, st *store.Store) error {
	infos, plain, err := st.KeyStatus(ctx)
	if err != nil {
		return err
	}
	k := st.Keys()
	if k == nil {
		return errors.New("no key file in use")
	}
	fmt.Fprintf(env.Stdout, "key file %s: %s, blind index %s\n\n", k.Path(), k.Suite(), k.Suite().MAC())
	fmt.Fprintf(env.Stdout, "%-4s %-12s %-8s %-20s %-20s %s\n", "KEY", "SUITE", "STATE", "CREATED", "RETIRED", "VALUES")
	for _, ki := range infos {
		state, retired := "active", ""
		if !ki.Active {
			state, retired = "retired", ki.RetiredAt.UTC().Format("2006-01-02 15:04:05")
		}
		fmt.Fprintf(env.Stdout, "%-4d %-12s %-8s %-20s %-20s %d\n", ki.ID, ki.Suite, state,
			ki.CreatedAt.UTC().Format("2006-01-02 15:04:05"), retired, ki.Values)
	}
	fmt.Fprintf(env.Stdout, "\npersonal values in plain text: %d\n", plain)
	return nil
}
