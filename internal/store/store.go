// Package store keeps every record of xinlu in SQLite or PostgreSQL. All SQL
// lives here, written by hand beside the method that uses it, with `?`
// placeholders that are rebound for PostgreSQL in one place.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"xinlu/internal/xinlu"
)

// Dialect names the database engine.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Store is the one way in and out of the database.
type Store struct {
	dialect    Dialect
	write      *sql.DB // SQLite: one connection, so writers queue instead of failing
	read       *sql.DB // SQLite: a pool of readers; PostgreSQL: the same pool as write
	path       string  // SQLite file path
	now        func() time.Time
	stmts      stmtCache  // SQLite reads: hot queries are parsed once
	wstmts     stmtCache  // SQLite writes, on the one writer connection
	batch      batcher    // group commit (inBatch)
	background background // work that uses the connections (prepareMissed); Close waits for it

	auditKey    []byte // HMAC key of the audit chain, from the key file
	auditKeyID  string
	auditAnchor string    // the anchor file of the audit chain's head (SetAuditAnchor)
	sealed      sealState // field encryption: sealer and keys
	totpForAll  bool      // a second factor for every account, not only privileged ones

	writes  atomic.Uint64 // committed write transactions, for the count cache
	counts  countCache
	land    landCache    // SQLite: what matching reads of a zone, until the next write
	minute  minuteCache  // figures read at most once a minute (cachedForAMinute)
	stamped stampedCache // figures built again when their zone writes (CachedByStamp)
	study   studyIndexes // copying-check indexes per campaign

	migrateBefore string // tests: Migrate leaves out the migrations from this name on
}

// readers is the size of the SQLite reader pool.
const readers = 8

// pgConns is the size of a server's PostgreSQL pool. Several servers on
// one database need max_connections above their sum (README, Scaling out).
const pgConns = 20

// Open connects to dsn ("sqlite:PATH" or "postgres://…") without migrating.
func Open(ctx context.Context, dsn string) (*Store, error) {
	return OpenWith(ctx, dsn, Options{})
}

// Options are the settings of a database connection beyond its DSN.
type Options struct {
	// Synchronous is SQLite's synchronous setting: "full" (the default)
	// syncs the write-ahead log at every commit, so that a power cut loses
	// no acknowledged write; "normal" syncs at checkpoints only, so that an
	// application crash loses nothing but a power cut may lose the last
	// commits.
	Synchronous string
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, dsn string, o Options) (*Store, error) {
	sync := "FULL"
	switch strings.ToLower(o.Synchronous) {
	case "", "full":
	case "normal":
		sync = "NORMAL"
	default:
		return nil, fmt.Errorf("synchronous %q: full or normal", o.Synchronous)
	}
	s := &Store{now: time.Now}
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		path = strings.TrimPrefix(path, "//")
		if path == "" {
			return nil, errors.New("sqlite DSN needs a file path, e.g. sqlite:data/xinlu.db")
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, fmt.Errorf("create database folder: %w", err)
		}
		s.dialect, s.path = SQLite, path
		// A new database file is readable by its owner only; SQLite gives
		// its -wal and -shm files the same mode.
		if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
			f.Close()
		}
		pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(" + sync + ")&_pragma=foreign_keys(ON)"
		w, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate")
		if err != nil {
			return nil, err
		}
		w.SetMaxOpenConns(1)
		w.SetConnMaxIdleTime(0)
		r, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)")
		if err != nil {
			w.Close()
			return nil, err
		}
		r.SetMaxOpenConns(readers)
		r.SetMaxIdleConns(readers)
		// Idle readers close after a minute, and their page caches with them,
		// so that a quiet server gives its memory back.
		r.SetConnMaxIdleTime(time.Minute)
		s.write, s.read = w, r
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, err
		}
		// As many idle as open: a connection closed on its return is a
		// server process to start again at the next request, with its
		// prepared plans, and under a burst that is most requests.
		db.SetMaxOpenConns(pgConns)
		db.SetMaxIdleConns(pgConns)
		db.SetConnMaxIdleTime(5 * time.Minute)
		s.dialect, s.write, s.read = Postgres, db, db
	default:
		return nil, fmt.Errorf("unknown database %q: use sqlite:PATH or postgres://USER:PASSWORD@HOST/DB", redactDSN(dsn))
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := s.write.PingContext(pingCtx); err != nil {
		s.Close()
		if s.dialect == Postgres {
			return nil, fmt.Errorf("cannot reach PostgreSQL at %s: %w (check host, port, user and password; openGauss needs md5 password authentication for standard drivers)", redactDSN(dsn), err)
		}
		return nil, fmt.Errorf("open %s: %w", s.path, err)
	}
	return s, nil
}

// redactDSN hides a password in a DSN for messages.
func redactDSN(dsn string) string {
	at := strings.LastIndex(dsn, "@")
	scheme := strings.Index(dsn, "://")
	if at < 0 || scheme < 0 {
		return dsn
	}
	userinfo := dsn[scheme+3 : at]
	if i := strings.Index(userinfo, ":"); i >= 0 {
		return dsn[:scheme+3] + userinfo[:i] + ":***" + dsn[at:]
	}
	return dsn
}

// Close releases every connection.
func (s *Store) Close() error {
	s.background.closeAndWait()
	s.stmts.close()
	s.wstmts.close()
	var err error
	if s.write != nil {
		err = s.write.Close()
	}
	if s.read != nil && s.read != s.write {
		if e := s.read.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Dialect returns the engine in use.
func (s *Store) Dialect() Dialect { return s.dialect }

// SetClock replaces the clock, for tests.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// Now returns the store's current time in UTC at microsecond precision, the
// precision both engines keep.
func (s *Store) Now() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Ping checks that the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// PoolStats reports connection pool figures for /metrics.
func (s *Store) PoolStats() map[string]sql.DBStats {
	if s.read == s.write {
		return map[string]sql.DBStats{"main": s.write.Stats()}
	}
	return map[string]sql.DBStats{"write": s.write.Stats(), "read": s.read.Stats()}
}

// rebind turns `?` placeholders into `$n` for PostgreSQL, leaving string
// literals alone.
func (s *Store) rebind(q string) string {
	if s.dialect != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n, inQuote := 0, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
			b.WriteByte(c)
		case c == '?' && !inQuote:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// query runs a read on the reader pool.
func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := s.prepared(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.read.QueryContext(ctx, s.rebind(q), args...)
}

// queryRow runs a single-row read on the reader pool.
func (s *Store) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := s.prepared(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.read.QueryRowContext(ctx, s.rebind(q), args...)
}

// maxPrepared bounds each statement cache; queries are built from fixed
// fragments, so their number is small, but a bound keeps it so. Texts
// longer than maxPreparedText (multi-row inserts, long IN lists) are not
// kept: they are rarely run twice, and their compiled form is large.
const (
	maxPrepared     = 512
	maxPreparedText = 4096
)

// stmtCache maps query texts to prepared statements.
type stmtCache struct {
	m sync.Map
	n atomic.Int64
}

// get returns the statement for q prepared on db, preparing it the first
// time, or nil when the cache is full or q does not prepare (the plain
// query then reports the error).
func (c *stmtCache) get(ctx context.Context, db *sql.DB, q string) *sql.Stmt {
	if st := c.load(q); st != nil {
		return st
	}
	if c.n.Load() >= maxPrepared || len(q) > maxPreparedText {
		return nil
	}
	st, err := db.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	if prev, loaded := c.m.LoadOrStore(q, st); loaded {
		st.Close()
		return prev.(*sql.Stmt)
	}
	c.n.Add(1)
	return st
}

// load returns the statement for q if it is prepared already.
func (c *stmtCache) load(q string) *sql.Stmt {
	if st, ok := c.m.Load(q); ok {
		return st.(*sql.Stmt)
	}
	return nil
}

func (c *stmtCache) close() {
	c.m.Range(func(k, v any) bool {
		v.(*sql.Stmt).Close()
		c.m.Delete(k)
		c.n.Add(-1)
		return true
	})
}

// prepared returns a cached prepared statement for a SQLite read, or nil
// (PostgreSQL: pgx caches prepared statements per connection itself).
func (s *Store) prepared(ctx context.Context, q string) *sql.Stmt {
	if s.dialect != SQLite {
		return nil
	}
	return s.stmts.get(ctx, s.read, q)
}

// Tx is one write transaction. Every workflow step runs in exactly one.
type Tx struct {
	tx     *sql.Tx
	s      *Store
	conn   *sql.Conn // the transaction's connection, when begun on one (inConnTx)
	missed []string  // SQLite: statements to prepare on the writer once it is free
	// leads are new leads queued to be inserted together (queueLead), and
	// pending the audit rows recorded and not yet written (audit); flush
	// writes both.
	leads   []queuedLead
	pending []xinlu.AuditEntry
	// heads are the audit chains this transaction appended to, locked
	// and with their newest rows, so that the next append to one asks
	// nothing. Forgotten when a savepoint is rolled back
	// (forgetAuditHeads), which undoes rows and locks.
	heads map[int64]txHead
	// land are the changes to what matching reads (Tx.landChanged),
	// noted when the transaction commits.
	land map[landRef]struct{}
}

type txHead struct {
	seq  int64
	hash string
}

// flush writes what the transaction queued: new leads, then audit rows.
func (tx *Tx) flush(ctx context.Context) error {
	if err := tx.flushLeads(ctx); err != nil {
		return err
	}
	return tx.flushAudit(ctx)
}

// forgetAuditHeads drops what the transaction knows of its audit chains,
// after a rollback to a savepoint.
func (tx *Tx) forgetAuditHeads() { tx.heads = nil }

// inTx runs fn in a write transaction, committing when it returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return xinlu.Internal(err)
	}
	return s.runTx(ctx, &Tx{tx: sqlTx, s: s}, fn)
}

// inConnTx is inTx on a connection of its own, which the transaction can
// also use through the driver (Tx.copyRows: COPY on PostgreSQL).
func (s *Store) inConnTx(ctx context.Context, fn func(tx *Tx) error) error {
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return xinlu.Internal(err)
	}
	defer conn.Close()
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return xinlu.Internal(err)
	}
	return s.runTx(ctx, &Tx{tx: sqlTx, s: s, conn: conn}, fn)
}

// runTx runs fn in tx, then writes what it queued and commits, or rolls
// back.
func (s *Store) runTx(ctx context.Context, tx *Tx, fn func(tx *Tx) error) error {
	sqlTx := tx.tx
	defer tx.prepareMissed()
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return err
	}
	// The land version first, then the audit rows and their chain: the
	// chain's lock is the last one taken, held only until the commit.
	if err := tx.flushLand(ctx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := tx.flush(ctx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return s.translate(err)
	}
	s.writes.Add(1)
	return nil
}

// background counts goroutines that use the connections, so that Close
// waits for them; none starts once Close has begun.
type background struct {
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

func (b *background) start() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return false
	}
	b.wg.Add(1)
	return true
}

func (b *background) closeAndWait() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.wg.Wait()
}

// prepareMissed prepares on the writer, once it is free, the statements
// the transaction ran unprepared, so that the next transactions parse them
// no more. (The writer is one connection: a statement cannot be prepared
// for later while a transaction holds it.) It does so in the background,
// so that the caller's answer does not wait for the writer again.
func (tx *Tx) prepareMissed() {
	if len(tx.missed) == 0 {
		return
	}
	if !tx.s.background.start() {
		return // closing
	}
	go func(s *Store, missed []string) {
		defer s.background.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		for _, q := range missed {
			s.wstmts.get(ctx, s.write, q)
		}
	}(tx.s, tx.missed)
}

// stmt returns q prepared on the SQLite writer for this transaction, or nil
// (PostgreSQL; or the cache is full). The writer is one connection, so the
// statement prepared once is the transaction's own.
func (tx *Tx) stmt(ctx context.Context, q string) *sql.Stmt {
	if tx.s.dialect != SQLite {
		return nil
	}
	st := tx.s.wstmts.load(q)
	if st == nil {
		if tx.s.wstmts.n.Load() < maxPrepared && len(q) <= maxPreparedText && len(tx.missed) < 64 {
			tx.missed = append(tx.missed, q)
		}
		return nil
	}
	return tx.tx.StmtContext(ctx, st)
}

func (tx *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := tx.stmt(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.tx.ExecContext(ctx, tx.s.rebind(q), args...)
}

func (tx *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := tx.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.tx.QueryContext(ctx, tx.s.rebind(q), args...)
}

func (tx *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := tx.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.tx.QueryRowContext(ctx, tx.s.rebind(q), args...)
}

// insert runs an INSERT … RETURNING id and returns the id.
func (tx *Tx) insert(ctx context.Context, q string, args ...any) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, q+" RETURNING id", args...).Scan(&id)
	return id, tx.s.translate(err)
}

// translate maps driver errors to domain errors: unique violations become
// conflicts, missing rows not-found; anything else is internal.
func (s *Store) translate(err error) error {
	if err == nil {
		return nil
	}
	var de *xinlu.Error
	if errors.As(err, &de) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return xinlu.NotFound("error.not_found")
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "UNIQUE constraint failed"), strings.Contains(msg, "SQLSTATE 23505"):
		return &xinlu.Error{Code: xinlu.ECONFLICT, Key: "error.duplicate", Err: err}
	case strings.Contains(msg, "FOREIGN KEY constraint failed"), strings.Contains(msg, "SQLSTATE 23503"):
		return &xinlu.Error{Code: xinlu.ECONFLICT, Key: "error.in_use", Err: err}
	}
	return xinlu.Internal(err)
}

// nullID stores 0 as NULL for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// likePattern escapes a search term for LIKE … ESCAPE '\'.
func likePattern(s string) string { return "%" + escapeLike(s) + "%" }

// likePrefix escapes a prefix for LIKE … ESCAPE '\'.
func likePrefix(s string) string { return escapeLike(s) + "%" }

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.TrimSpace(s))
}

// likeOp is LIKE on SQLite (case-insensitive for ASCII) and ILIKE on PostgreSQL.
func (s *Store) likeOp() string {
	if s.dialect == Postgres {
		return "ILIKE"
	}
	return "LIKE"
}

// Backup writes a consistent snapshot of a SQLite database to path while
// the server keeps running (VACUUM INTO reads one transaction's view).
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.dialect != SQLite {
		return errors.New("backup of PostgreSQL is done with pg_dump")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	// A connection of its own: the reader pool is query-only, and the
	// writer should not be held for the length of a backup.
	db, err := sql.Open("sqlite", "file:"+s.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, `VACUUM INTO ?`, path)
	return err
}

// Optimize refreshes the query planner's statistics (SQLite's PRAGMA
// optimize; PostgreSQL's autovacuum does this by itself). SQLite keeps the
// per-index averages (sqlite_stat1) and drops the sampled values
// (sqlite_stat4): with samples, a statement whose plan could depend on a
// parameter's value is compiled again whenever that value changes, which
// for the lead list and the duplicate search cost more than the query.
func (s *Store) Optimize(ctx context.Context) error {
	if s.dialect != SQLite {
		return nil
	}
	return s.withoutSamples(ctx, `PRAGMA optimize=0x10002`)
}

// withoutSamples runs stmt (which may analyse) and drops the statistics
// samples it left, in one transaction, then lets the connections load the
// statistics anew. SQLite only.
func (s *Store) withoutSamples(ctx context.Context, stmt string) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if stmt != "" {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	var samples int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema WHERE name = 'sqlite_stat4'`).Scan(&samples); err != nil {
		return err
	}
	if samples > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sqlite_stat4`); err != nil {
			return err
		}
		// This connection loaded the samples while analysing: load again.
		if _, err := tx.ExecContext(ctx, `ANALYZE sqlite_schema`); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.writes.Add(1)
	// Readers load statistics when they open: let the idle ones open anew.
	s.read.SetMaxIdleConns(0)
	s.read.SetMaxIdleConns(readers)
	return nil
}

// countCache keeps the totals of list queries ("共 N 条") on SQLite, where
// counting tens of thousands of index entries costs more than the page
// itself. An entry holds until this process writes anything, and at most
// countTTL, so that writes by another process (the CLI) show soon.
type countCache struct {
	mu      sync.Mutex
	entries map[string]countEntry
}

type countEntry struct {
	n      int
	writes uint64
	at     time.Time
}

const (
	countTTL        = 5 * time.Second
	countCacheLimit = 1024
)

// count runs a SELECT COUNT(*) query, cached on SQLite.
func (s *Store) count(ctx context.Context, q string, args ...any) (int, error) {
	if s.dialect != SQLite {
		var n int
		err := s.queryRow(ctx, q, args...).Scan(&n)
		return n, err
	}
	key := q + "\x00" + fmt.Sprint(args...)
	writes, now := s.writes.Load(), time.Now()
	c := &s.counts
	c.mu.Lock()
	if e, ok := c.entries[key]; ok && e.writes == writes && now.Sub(e.at) < countTTL {
		c.mu.Unlock()
		return e.n, nil
	}
	c.mu.Unlock()
	var n int
	if err := s.queryRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, err
	}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) >= countCacheLimit {
		c.entries = map[string]countEntry{}
	}
	c.entries[key] = countEntry{n: n, writes: writes, at: now}
	c.mu.Unlock()
	return n, nil
}

// scanner is a row to scan: *sql.Row or *sql.Rows.
type scanner = interface{ Scan(...any) error }

// collect reads every row of rows with scan, closes rows, and reports the
// first error (database errors translated).
func collect[T any](rows *sql.Rows, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, xinlu.Internal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, xinlu.Internal(err)
	}
	return out, nil
}

// pageSQL is the LIMIT and OFFSET of a list's page, pageArgs their
// arguments. On PostgreSQL both numbers are written into the statement
// (bounded by xinlu.MaxPerPage and xinlu.MaxPage): as parameters, it
// reckons each at a tenth of the rows, so that the plan it would keep for
// any parameters looks dearer than one made for each call's, and it plans
// every call again, which cost the lead list and the ledger more than
// running them. Written in, the first page (most calls) is one statement,
// planned a few times per connection; pgx keeps a connection's statements
// in a cache that forgets the least used. On SQLite they stay parameters:
// its cache of prepared statements keeps the first it meets, and a
// statement for every page would fill it.
func (s *Store) pageSQL(p xinlu.Page) string {
	if s.dialect == Postgres {
		return " LIMIT " + strconv.Itoa(p.PerPage) + " OFFSET " + strconv.Itoa(p.Offset())
	}
	return " LIMIT ? OFFSET ?"
}

func (s *Store) pageArgs(p xinlu.Page) []any {
	if s.dialect == Postgres {
		return nil
	}
	return []any{p.PerPage, p.Offset()}
}
