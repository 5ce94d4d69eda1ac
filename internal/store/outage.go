package store

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"xinlu/internal/xinlu"
)

// Unavailable returns err as an xinlu.EUNAVAILABLE error when it says that
// the database cannot serve for now, rather than that the request or the
// code is wrong: the database is closed or cannot be reached (connection
// refused or reset, the server shutting down or refusing connections), it
// stayed busy past the busy timeout, or its disk is full (SQLITE_FULL,
// ENOSPC, PostgreSQL's class 53 such as 53100 disk_full). The web and the
// API answer those with 503 and Retry-After instead of 500. Any other
// error is returned as it is.
func Unavailable(err error) error {
	if err == nil || xinlu.ErrorCode(err) != xinlu.EINTERNAL || !isOutage(err) {
		return err
	}
	return xinlu.Unavailable(err)
}

func isOutage(err error) bool {
	for _, errno := range []syscall.Errno{syscall.ENOSPC, syscall.EDQUOT, syscall.ECONNREFUSED, syscall.ECONNRESET,
		syscall.ECONNABORTED, syscall.EHOSTUNREACH, syscall.ENETUNREACH, syscall.EPIPE} {
		if errors.Is(err, errno) {
			return true
		}
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) {
		return true
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff { // the primary result code
		case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_BUSY:
			return true
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// 08: connection exception; 53: insufficient resources (53100
		// disk_full, 53300 too_many_connections); 57P01 to 57P03: the
		// server shutting down or not accepting connections yet.
		return strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "53") ||
			pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	// database/sql says so in words only.
	return strings.Contains(err.Error(), "sql: database is closed")
}

// DiskSpace reports the bytes free (to xinlu's user) and in all on the
// filesystem that holds a SQLite database. ok is false on PostgreSQL, whose
// disk is the database server's and out of xinlu's sight, and where the
// operating system cannot say.
func (s *Store) DiskSpace() (free, total uint64, ok bool) {
	if s.dialect != SQLite {
		return 0, 0, false
	}
	return diskSpace(filepath.Dir(s.path))
}
