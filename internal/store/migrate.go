package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"slices"
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
	names, err := MigrationNames(s.dialect)
	if err != nil {
		return nil, err
	}
	if s.migrateBefore != "" {
		names = slices.DeleteFunc(names, func(n string) bool { return n >= s.migrateBefore })
	}
	// A database that is up to date is not touched: no DDL at all, so that
	// `serve` can run as a PostgreSQL role that may not create anything
	// (the owner runs `xinlu migrate`).
	if pending, err := s.pendingMigrations(ctx, names); err != nil {
		return nil, err
	} else if !pending {
		return nil, nil
	}
	if _, err := s.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version TEXT PRIMARY KEY,
		applied_at TEXT NOT NULL)`); err != nil {
		if s.dialect == Postgres {
			return nil, fmt.Errorf("create schema_migrations: %w (the database needs migrating: run `xinlu migrate` as the owner of the schema)", err)
		}
		return nil, fmt.Errorf("create schema_migrations: %w", err)
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
			if s.dialect == Postgres && strings.Contains(err.Error(), "SQLSTATE 42501") {
				return applied, fmt.Errorf("migration %s: %w (run `xinlu migrate` as the owner of the schema)", name, errorCause(err))
			}
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

// pendingMigrations reports whether any of names is not yet applied,
// reading only.
func (s *Store) pendingMigrations(ctx context.Context, names []string) (bool, error) {
	exists := `SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'`
	if s.dialect == Postgres {
		exists = `SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'`
	}
	var n int
	if err := s.write.QueryRowContext(ctx, exists).Scan(&n); err != nil {
		return false, fmt.Errorf("read schema_migrations: %w", err)
	}
	if n == 0 {
		return true, nil
	}
	rows, err := s.write.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return false, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	done := map[string]bool{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return false, err
		}
		done[v] = true
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	for _, name := range names {
		if !done[name] {
			return true, nil
		}
	}
	return false, nil
}

// GrantApp gives role what `xinlu serve` needs and nothing more: reading
// and writing the business tables of the current schema, appending to the
// audit log, and no DDL. The audit log and its purge checkpoints cannot be
// changed or deleted by it (the retention purge runs as the owner).
// PostgreSQL only; run by the owner after migrating, each time, so that new
// tables are granted too.
func (s *Store) GrantApp(ctx context.Context, role string) error {
	if s.dialect != Postgres {
		return fmt.Errorf("granting an application role is for PostgreSQL")
	}
	if !validRoleName(role) {
		return fmt.Errorf("role name %q: use lower-case letters, digits and _", role)
	}
	var schema string
	if err := s.write.QueryRowContext(ctx, `SELECT quote_ident(current_schema())`).Scan(&schema); err != nil {
		return err
	}
	stmts := []string{
		`GRANT USAGE ON SCHEMA ` + schema + ` TO ` + role,
		`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ` + schema + ` TO ` + role,
		`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ` + schema + ` TO ` + role,
		`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM ` + role,
		`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_checkpoints FROM ` + role,
		`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_chain_start FROM ` + role,
		`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM ` + role,
	}
	return s.inTx(ctx, func(tx *Tx) error {
		for _, q := range stmts {
			if _, err := tx.tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
		return nil
	})
}

func validRoleName(r string) bool {
	if r == "" || len(r) > 63 || !(r[0] >= 'a' && r[0] <= 'z' || r[0] == '_') {
		return false
	}
	for _, c := range r {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func errorCause(err error) error {
	if e, ok := err.(*xinlu.Error); ok && e.Err != nil {
		return e.Err
	}
	return err
}
