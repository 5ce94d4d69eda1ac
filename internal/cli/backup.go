package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"xinlu/internal/store"
)

func runBackup(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "backup", "backup FILE [--db DSN]")
	db := dbFlag(fs, env)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("need exactly one FILE to write")
	}
	if _, err := os.Stat(pos[0]); err == nil {
		return fmt.Errorf("%s exists; choose a new file name", pos[0])
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if st.Dialect() == store.Postgres {
		fmt.Fprintln(env.Stdout, "PostgreSQL is backed up with its own tools, consistently while xinlu runs:\n  pg_dump --format=custom --file=xinlu.dump \"$XINLU_DB\"\nand restored with pg_restore --clean --dbname=... xinlu.dump. See README, \"Backup\".")
		return nil
	}
	start := time.Now()
	if err := st.Backup(ctx, pos[0]); err != nil {
		return err
	}
	info, err := os.Stat(pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %s (%d bytes) in %s\n", pos[0], info.Size(), time.Since(start).Round(time.Millisecond))
	return nil
}
