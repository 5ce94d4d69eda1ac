package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"xinlu/internal/seal"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Backups of SQLite databases are consistent snapshots (VACUUM INTO) taken
// while the server runs. With --encrypt the snapshot is encrypted (the
// key file's suite, AES-256-GCM or SM4-GCM, in authenticated chunks) under
// a backup key derived from the key file's master key: no passphrase to
// type or lose, and a scheduled backup needs no person. Such a backup is
// restored with the same key file, which the encrypted fields inside need
// anyway; so keep copies of the key file apart from the backups.
//
// The personal fields inside any backup are encrypted at field level
// whether or not --encrypt is given.

func runBackup(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "backup", "backup FILE [--encrypt] [--db DSN] [--key-file FILE]")
	db := dbFlag(fs, env)
	encrypt := fs.Bool("encrypt", false, "encrypt the snapshot with a key derived from the key file (restore needs the same key file)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("need exactly one FILE to write")
	}
	file := pos[0]
	if _, err := os.Stat(file); err == nil {
		return fmt.Errorf("%s exists; choose a new file name", file)
	}
	st, err := openDB(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if st.Dialect() == store.Postgres {
		fmt.Fprintln(env.Stdout, "PostgreSQL is backed up with its own tools, consistently while xinlu runs:\n  pg_dump --format=custom --file=xinlu.dump \"$XINLU_DB\"\nand restored with pg_restore --clean --dbname=... xinlu.dump. See README, \"Backup\".\nPersonal fields inside the dump are encrypted at field level; encrypt the dump file itself with\nyour backup tool, and keep the key file apart from it.")
		return nil
	}
	var keys *seal.Keys
	if *encrypt {
		if keys = st.Keys(); keys == nil {
			return errors.New("--encrypt needs the database's key file: give it with --key-file or XINLU_KEY_FILE")
		}
	}
	start := time.Now()
	// The audit row goes in first, so that the backup holds it too.
	if err := st.Audit(ctx, xinlu.SystemActor(0), "backup.create", "backup", 0,
		map[string]any{"file": filepath.Base(file), "encrypted": *encrypt}); err != nil {
		return fmt.Errorf("audit the backup: %w", err)
	}
	snapshot := file
	if *encrypt {
		snapshot = filepath.Join(filepath.Dir(file), fmt.Sprintf(".%s.%d.snapshot", filepath.Base(file), os.Getpid()))
		defer os.Remove(snapshot)
	}
	if err := st.Backup(ctx, snapshot); err != nil {
		return err
	}
	if err := os.Chmod(snapshot, 0o600); err != nil {
		return err
	}
	if *encrypt {
		if err := encryptFile(keys, snapshot, file); err != nil {
			os.Remove(file)
			return err
		}
	}
	info, err := os.Stat(file)
	if err != nil {
		return err
	}
	how := ""
	if *encrypt {
		how = fmt.Sprintf(", encrypted with %s from key file %s", keys.Suite(), keys.Path())
	}
	fmt.Fprintf(env.Stdout, "wrote %s (%d bytes%s) in %s\n", file, info.Size(), how, time.Since(start).Round(time.Millisecond))
	return nil
}

// encryptFile writes src encrypted under k's backup key to dst, a new file.
func encryptFile(k *seal.Keys, src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if err := k.EncryptStream(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
