package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"xinlu/internal/xinlu"
)

// TestUnavailableNamesOutages: a database that is down or out of space is
// an outage (xinlu.EUNAVAILABLE, 503 at the edge); every other failure keeps
// its code.
func TestUnavailableNamesOutages(t *testing.T) {
	ctx := context.Background()
	outage := func(what string, err error) {
		t.Helper()
		if err == nil {
			t.Fatalf("%s: no error", what)
		}
		got := Unavailable(xinlu.Internal(err))
		if xinlu.ErrorCode(got) != xinlu.EUNAVAILABLE || !errors.Is(got, err) {
			t.Errorf("%s (%v): %v, want an outage keeping its cause", what, err, got)
		}
	}
	// A SQLite database whose disk is full, for real: SQLITE_FULL.
	s := benchSQLite(t)
	d := &xinlu.Department{ZoneID: 1, Code: "D0", Name: "部门"}
	zone := &xinlu.Zone{Code: "Z", Name: "区"}
	if err := s.CreateZone(ctx, xinlu.SystemActor(0), zone); err != nil {
		t.Fatal(err)
	}
	if _, err := s.write.ExecContext(ctx, `PRAGMA max_page_count = 1`); err != nil {
		t.Fatal(err)
	}
	var full error
	for i := range 200 {
		d = &xinlu.Department{ZoneID: zone.ID, Code: fmt.Sprintf("D%d", i), Name: "一个名字足够长的部门以便写满数据库的页面"}
		if full = s.CreateDepartment(ctx, xinlu.SystemActor(zone.ID), d); full != nil {
			break
		}
	}
	if full == nil || xinlu.ErrorCode(Unavailable(full)) != xinlu.EUNAVAILABLE {
		t.Errorf("a full SQLite database: %v", full)
	}
	// A closed database.
	s.Close()
	outage("closed database", s.Ping(ctx))
	// PostgreSQL that refuses connections, for real.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	db, err := sql.Open("pgx", "postgres://xinlu@"+addr+"/xinlu?sslmode=disable&connect_timeout=5")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	outage("PostgreSQL refusing connections", db.PingContext(ctx))
	// What the drivers report when the disk fills or the server goes away.
	outage("ENOSPC", &fs.PathError{Op: "write", Path: "/data/xinlu.db-wal", Err: syscall.ENOSPC})
	outage("PostgreSQL disk_full", fmt.Errorf("insert: %w", &pgconn.PgError{Code: "53100", Message: "could not extend file"}))
	outage("PostgreSQL shutting down", &pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"})
	outage("PostgreSQL connection lost", &pgconn.PgError{Code: "08006", Message: "connection failure"})
	outage("connection reset", &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)})

	// Not outages: they keep their code.
	for _, err := range []error{
		xinlu.Internal(errors.New("a bug")),
		xinlu.Internal(sql.ErrNoRows),
		xinlu.Internal(&pgconn.PgError{Code: "22021", Message: "invalid byte sequence"}),
		xinlu.Invalid("name", "error.required"),
		xinlu.Conflict("code", "error.taken"),
		xinlu.NotFound("error.not_found"),
		errors.New("plain"),
	} {
		if got := Unavailable(err); got != err {
			t.Errorf("%v became %v", err, got)
		}
	}
	if Unavailable(nil) != nil {
		t.Error("nil is not an outage")
	}
}

// TestDiskSpace: a SQLite store knows the free space of its filesystem.
func TestDiskSpace(t *testing.T) {
	s := benchSQLite(t)
	free, total, ok := s.DiskSpace()
	if !ok || total == 0 || free > total {
		t.Fatalf("disk space: free %d of %d, ok %v", free, total, ok)
	}
}
