package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"xinlu/internal/xinlu"
)

//go:embed migrations
var migrationFS embed.FS

// MigrationNames lists the migration files of a dialect in order.
func MigrationNames(d Dialect) ([]string, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations/"+string(d))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// Migrate applies every migration not yet applied, each in its own
// transaction, and returns the names it applied.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	if _, err := s.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version TEXT PRIMARY KEY,
		applied_at TEXT NOT NULL)`); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	names, err := MigrationNames(s.dialect)
	if err != nil {
		return nil, err
	}
	var applied []string
	for _, name := range names {
		var n int
		if err := s.write.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), name).Scan(&n); err != nil {
			return applied, err
		}
		if n > 0 {
			continue
		}
		body, err := migrationFS.ReadFile("migrations/" + string(s.dialect) + "/" + name)
		if err != nil {
			return applied, err
		}
		err = s.inTx(ctx, func(tx *Tx) error {
			if _, err := tx.tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.exec(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
				name, s.Now().Format("2006-01-02T15:04:05Z"))
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("migration %s: %w", name, errorCause(err))
		}
		applied = append(applied, name)
	}
	if len(applied) > 0 && s.dialect == SQLite {
		// A migration may analyse (for a new index): keep no samples (Optimize).
		if err := s.withoutSamples(ctx, ""); err != nil {
			return applied, fmt.Errorf("statistics after migrating: %w", err)
		}
	}
	return applied, nil
}

func errorCause(err error) error {
	if e, ok := err.(*xinlu.Error); ok && e.Err != nil {
		return e.Err
	}
	return err
}
