// Package testdb gives each test a PostgreSQL schema of its own, created
// for it and dropped after it. Tests of every package use it, the store's
// own tests included, so it imports nothing of this module.
package testdb

import (
	"database/sql"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// EnvPostgres names the variable that holds the DSN of the PostgreSQL
// database tests may use; without it the PostgreSQL tests are skipped.
const EnvPostgres = "XINLU_TEST_POSTGRES"

// Postgres is the DSN of the PostgreSQL database tests may use, "" when
// there is none.
func Postgres() string { return os.Getenv(EnvPostgres) }

var (
	unsafe = regexp.MustCompile(`[^a-z0-9]+`)
	serial atomic.Int64
)

// Schema creates a schema of its own for tb in the database dsn names,
// drops it when tb ends, and returns the schema's name and dsn with its
// search_path set to it. The name tells the test and the process apart.
func Schema(tb testing.TB, dsn string) (name, dsnInSchema string) {
	tb.Helper()
	name = fmt.Sprintf("t_%s_%d_%d", unsafe.ReplaceAllString(strings.ToLower(tb.Name()), "_"), os.Getpid(), serial.Add(1))
	if len(name) > 60 {
		name = "t" + name[len(name)-59:]
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`DROP SCHEMA IF EXISTS ` + name + ` CASCADE; CREATE SCHEMA ` + name); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if db, err := sql.Open("pgx", dsn); err == nil {
			db.Exec(`DROP SCHEMA IF EXISTS ` + name + ` CASCADE`)
			db.Close()
		}
	})
	return name, InSchema(dsn, name)
}

// InSchema is dsn with its search_path set to schema.
func InSchema(dsn, schema string) string {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}
