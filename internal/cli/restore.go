package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"xinlu/internal/seal"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Restore puts a backup in place of a SQLite database after verifying it:
// it decrypts an encrypted backup (with the key file), opens the copy,
// brings its schema up to date, runs integrity_check, checks that the key
// file opens its data keys and that its audit chain holds, and only then
// moves the current database aside (DB.before-restore-TIME) and the copy
// in. The restore itself is audited in the restored database.
//
// The server must be stopped first: `xinlu serve` holds a lock file beside
// the database (DB.lock) for as long as it runs, and restore refuses while
// it is held. Stop cron jobs that use the database too; start the server
// again afterwards.

const restoreUsage = "restore FILE [--db DSN] [--key-file FILE]"

func runRestore(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "restore", restoreUsage)
	db := dbFlag(fs, env)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("need exactly one backup FILE")
	}
	src := pos[0]
	path, ok := sqlitePath(*db)
	if !ok {
		return usagef("restore is for SQLite databases; restore PostgreSQL with pg_restore --clean --dbname=... FILE after stopping xinlu serve")
	}
	release, err := lockDB(path, true)
	if err != nil {
		return err
	}
	defer release()
	rs := stateOf(ctx)
	keyPath := rs.keyFilePath(*db)
	keys, err := seal.LoadKeyFile(keyPath)
	if err != nil && !errors.Is(err, seal.ErrNoKeyFile) {
		return err
	}
	sum, encrypted, err := fileInfo(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	tmp := filepath.Join(filepath.Dir(path), fmt.Sprintf(".%s.restore-%d", filepath.Base(path), os.Getpid()))
	installed := false
	defer func() {
		if !installed {
			removeSQLite(tmp)
		}
	}()
	if encrypted && keys == nil {
		return fmt.Errorf("%s is encrypted: its key file %s does not exist (give it with --key-file)", src, keyPath)
	}
	if err := unpackBackup(keys, src, tmp, encrypted); err != nil {
		return err
	}
	rows, err := verifyBackupCopy(ctx, tmp, keys, keyPath)
	if err != nil {
		return fmt.Errorf("%s refused, the database is unchanged: %w", src, err)
	}
	// Install: the current database (with its WAL) moves aside, the copy in.
	previous := ""
	if _, err := os.Stat(path); err == nil {
		previous = path + ".before-restore-" + time.Now().UTC().Format("20060102T150405Z")
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if _, err := os.Stat(path + suffix); err == nil {
				if err := os.Rename(path+suffix, previous+suffix); err != nil {
					return fmt.Errorf("move the current database aside: %w", err)
				}
			}
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("put the backup in place: %w (the previous database is %s)", err, previous)
	}
	installed = true
	st, err := openDB(ctx, *db)
	if err != nil {
		return fmt.Errorf("restored, but cannot open it: %w", err)
	}
	defer st.Close()
	if err := st.Audit(ctx, xinlu.SystemActor(0), "backup.restore", "backup", 0, map[string]any{
		"file": filepath.Base(src), "sha256": sum, "encrypted": encrypted, "previous": filepath.Base(previous)}); err != nil {
		return fmt.Errorf("restored, but the audit row failed: %w", err)
	}
	// The restored log ends before the rows anchored since the backup.
	if _, err := st.ResetAuditAnchor(ctx, "restore of "+filepath.Base(src)); err != nil {
		return fmt.Errorf("restored, but the audit anchor failed: %w", err)
	}
	fmt.Fprintf(env.Stdout, "restored %s into %s: integrity ok, audit chain holds (%d rows)\n", src, path, rows)
	if previous != "" {
		fmt.Fprintf(env.Stdout, "the previous database is kept as %s\n", previous)
	}
	fmt.Fprintln(env.Stdout, "start xinlu serve again")
	return nil
}

// fileInfo returns a backup's SHA-256 and whether it is encrypted; any
// other file than a SQLite database or an encrypted backup is refused.
func fileInfo(src string) (string, bool, error) {
	f, err := os.Open(src)
	if err != nil {
		return "", false, err
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	encrypted := seal.IsEncryptedBackup(head)
	if !encrypted && !bytes.HasPrefix(head, []byte("SQLite format 3\x00")) {
		return "", false, fmt.Errorf("%s is neither a xinlu backup nor a SQLite database", src)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", false, err
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", false, err
	}
	return hex.EncodeToString(h.Sum(nil)), encrypted, nil
}

// unpackBackup writes the plain database of src to dst, a new file.
func unpackBackup(keys *seal.Keys, src, dst string, encrypted bool) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if encrypted {
		err = keys.DecryptStream(out, in)
	} else {
		_, err = io.Copy(out, in)
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s refused, the database is unchanged: %w", src, err)
	}
	return nil
}

// verifyBackupCopy opens the unpacked copy and checks it: schema brought
// up to date, integrity_check, data keys that the key file opens, and an
// audit chain that holds. It returns the number of audit rows verified.
func verifyBackupCopy(ctx context.Context, path string, keys *seal.Keys, keyPath string) (int, error) {
	st, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		return 0, err
	}
	defer func() {
		st.Close()
		checkpoint(path)
	}()
	if err := st.IntegrityCheck(ctx); err != nil {
		return 0, err
	}
	if _, err := st.Migrate(ctx); err != nil {
		return 0, err
	}
	has, err := st.HasDataKeys(ctx)
	if err != nil {
		return 0, err
	}
	if has && keys == nil {
		return 0, fmt.Errorf("its personal data is encrypted and the key file %s does not exist", keyPath)
	}
	if keys != nil {
		if err := st.CheckKeys(ctx, keys); err != nil {
			return 0, fmt.Errorf("key file %s: %w", keyPath, err)
		}
		st.SetAuditKey(keys.AuditKeyID(), keys.AuditKey()) // to verify rows signed with it
	}
	n, brk, err := st.VerifyAudit(ctx)
	if err != nil {
		return n, err
	}
	if brk != nil {
		return n, fmt.Errorf("its audit chain of %s is broken at row %d: %s", brk.Chain(), brk.ID, brk.Reason)
	}
	return n, nil
}

// checkpoint folds a closed database's WAL into the file, so that the file
// alone is the whole database.
func checkpoint(path string) {
	if _, err := os.Stat(path + "-wal"); err != nil {
		return
	}
	if db, err := sql.Open("sqlite", "file:"+path); err == nil {
		db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
		db.Close()
	}
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
}

func removeSQLite(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}

// lockDB takes the lock file beside a SQLite database (DB.lock): shared by
// each running server, exclusive by restore. Neither waits: a held lock is
// an error that says what to do.
func lockDB(path string, exclusive bool) (func(), error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, err
	}
	lockPath := path + ".lock"
	f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		f.Close()
		if exclusive {
			return nil, fmt.Errorf("xinlu serve is running on %s (it holds %s): stop it (and cron jobs using the database) first, then restore", path, lockPath)
		}
		return nil, fmt.Errorf("a restore of %s is in progress (it holds %s): start the server when it has finished", path, lockPath)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
