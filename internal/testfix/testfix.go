// Package testfix is the fixture the tests of the store, the API and the
// pages share: a migrated store on each engine this machine has, a clock
// tests can move, and a zone with one user per role, those whose roles
// require it holding a TOTP the tests can answer.
package testfix

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/testdb"
	"xinlu/internal/xinlu"
)

// SQLite opens a migrated SQLite store in a temporary folder.
func SQLite(tb testing.TB) *store.Store {
	tb.Helper()
	st, _ := SQLiteFile(tb)
	return st
}

// SQLiteFile is SQLite, with the path of the database file.
func SQLiteFile(tb testing.TB) (*store.Store, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "xinlu.db")
	return open(tb, "sqlite:"+path), path
}

// Postgres opens a migrated store in a schema of its own of the database
// dsn names, dropped when tb ends.
func Postgres(tb testing.TB, dsn string) *store.Store {
	tb.Helper()
	st, _ := PostgresSchema(tb, dsn)
	return st
}

// PostgresSchema is Postgres, with a DSN that reaches into the schema.
func PostgresSchema(tb testing.TB, dsn string) (*store.Store, string) {
	tb.Helper()
	_, in := testdb.Schema(tb, dsn)
	return open(tb, in), in
}

func open(tb testing.TB, dsn string) *store.Store {
	tb.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return st
}

// Engines returns a fresh, migrated store for each engine this machine
// has: SQLite always, PostgreSQL when XINLU_TEST_POSTGRES holds a DSN.
func Engines(t *testing.T) map[string]*store.Store {
	t.Helper()
	out := map[string]*store.Store{"sqlite": SQLite(t)}
	if dsn := testdb.Postgres(); dsn != "" {
		out["postgres"] = Postgres(t, dsn)
	}
	return out
}

// EachEngine runs fn as a subtest on a fresh store of every engine, SQLite
// first; each store is opened inside its subtest.
func EachEngine(t *testing.T, fn func(t *testing.T, st *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	if dsn := testdb.Postgres(); dsn != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t, dsn)) })
	}
}

// Clock is a store's clock for tests: real time, or a time Set, plus an
// offset that only grows, so that tests let time pass (a TOTP code is good
// once per 30-second step, a password ages).
type Clock struct {
	offset atomic.Int64
	fixed  atomic.Pointer[time.Time]
}

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	if tm := c.fixed.Load(); tm != nil {
		return tm.Add(time.Duration(c.offset.Load()))
	}
	return time.Now().Add(time.Duration(c.offset.Load()))
}

// Set stops the clock at tm, for tests of what happens on a given day;
// Advance moves it on from there.
func (c *Clock) Set(tm time.Time) {
	c.offset.Store(0)
	c.fixed.Store(&tm)
}

// Advance lets d pass.
func (c *Clock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// Password is every fixture user's password.
const Password = "Test@2026x"

var (
	hashOnce sync.Once
	hash     string
)

// PasswordHash is the hash of Password, worked out once.
func PasswordHash() string {
	hashOnce.Do(func() {
		var err error
		if hash, err = xinlu.HashPassword(Password); err != nil {
			panic(err)
		}
	})
	return hash
}

// Zone is a zone with one department and one user per role (username =
// the role's name), users who are staff being members of the department;
// or, made by Bare, a zone a test seeds itself and adds accounts to.
type Zone struct {
	tb       testing.TB
	Store    *store.Store
	Zone     *xinlu.Zone
	Dept     *xinlu.Department
	Users    map[xinlu.Role]*xinlu.User
	Accounts map[string]*xinlu.User // every user added, by username
	Clock    *Clock

	mu   *sync.Mutex
	totp map[string]*authenticator // username → the authenticator the tests hold
}

// authenticator is one user's TOTP app: the secret and the last step used.
type authenticator struct {
	secret string
	last   int64
}

// NewZone sets the store's clock to a Clock and creates a demo zone (where
// the combined administrator may sign in) with its department and a user
// per role; those whose roles require a second factor are enrolled.
func NewZone(tb testing.TB, st *store.Store) *Zone {
	tb.Helper()
	ctx := context.Background()
	z := Bare(tb, st, DemoZone())
	z.Dept = &xinlu.Department{ZoneID: z.Zone.ID, Code: "INVEST", Name: "招商局"}
	if err := st.CreateDepartment(ctx, xinlu.SystemActor(z.Zone.ID), z.Dept); err != nil {
		tb.Fatal(err)
	}
	for i, r := range xinlu.Roles {
		u := &xinlu.User{Username: string(r), Roles: []xinlu.Role{r}}
		if !r.IsAdminRole() && r != xinlu.RoleViewer && r != xinlu.RoleAuditor {
			m := &xinlu.Member{ZoneID: z.Zone.ID, DepartmentID: z.Dept.ID, StaffNo: "S" + string(rune('A'+i)), Name: "测试" + string(r)}
			if err := st.CreateMember(ctx, xinlu.SystemActor(z.Zone.ID), m); err != nil {
				tb.Fatal(err)
			}
			u.MemberID = m.ID
		}
		z.Users[r] = z.AddUser(u)
		if xinlu.NeedsSecondFactor(u.Roles) {
			z.Enrol(u.Username)
		}
	}
	return z
}

// DemoZone is the zone NewZone creates: a demo zone, where the combined
// administrator may sign in.
func DemoZone() *xinlu.Zone { return &xinlu.Zone{Code: "T", Name: "测试开发区", Demo: true} }

// Bare sets the store's clock to a Clock and creates zone, with no
// department or users, for tests that seed their own staff and add their
// accounts with AddUser.
func Bare(tb testing.TB, st *store.Store, zone *xinlu.Zone) *Zone {
	tb.Helper()
	z := Attach(tb, st)
	z.Zone = zone
	if err := st.CreateZone(context.Background(), xinlu.SystemActor(0), z.Zone); err != nil {
		tb.Fatal(err)
	}
	return z
}

// AddUser creates u in the zone, known in Accounts by the username given;
// the name defaults to 测试 and the username, the password to Password. It
// enrols no second factor (Enrol does).
func (z *Zone) AddUser(u *xinlu.User) *xinlu.User {
	z.tb.Helper()
	u.ZoneID = z.Zone.ID
	username := u.Username
	if u.Name == "" {
		u.Name = "测试" + u.Username
	}
	if u.PasswordHash == "" {
		u.PasswordHash = PasswordHash()
	}
	if err := z.Store.CreateUser(context.Background(), xinlu.SystemActor(z.Zone.ID), u); err != nil {
		z.tb.Fatal(err)
	}
	z.Accounts[username] = u
	return u
}

// Sibling creates another zone in the same store, for tests of what
// one zone's users may not see or do in another. It shares the clock, the
// accounts and the authenticators of z, so that Token, Enrol and TOTPCode
// serve users of either zone.
func (z *Zone) Sibling(zone *xinlu.Zone) *Zone {
	z.tb.Helper()
	o := *z
	o.Zone = zone
	if err := z.Store.CreateZone(context.Background(), xinlu.SystemActor(0), o.Zone); err != nil {
		z.tb.Fatal(err)
	}
	o.Dept, o.Users = nil, map[xinlu.Role]*xinlu.User{}
	return &o
}

// Token issues username an API token through the store, good for ttl.
func (z *Zone) Token(username string, ttl time.Duration) string {
	z.tb.Helper()
	return z.session(username, "api", ttl)
}

// WebSession signs username in to the pages through the store, for ttl,
// and returns the session cookie's value.
func (z *Zone) WebSession(username string, ttl time.Duration) string {
	z.tb.Helper()
	return z.session(username, "web", ttl)
}

func (z *Zone) session(username, kind string, ttl time.Duration) string {
	z.tb.Helper()
	u := z.Accounts[username]
	if u == nil {
		z.tb.Fatalf("no account %q", username)
	}
	tok, _, err := z.Store.CreateSession(context.Background(), xinlu.ActorOf(u, "127.0.0.1"), u.ID, kind, "test", ttl)
	if err != nil {
		z.tb.Fatal(err)
	}
	return tok
}

// Attach sets the store's clock to a Clock and returns a Zone with no zone
// or users yet, for a test that creates its own (the demo zone) and enrols
// them.
func Attach(tb testing.TB, st *store.Store) *Zone {
	z := &Zone{tb: tb, Store: st, Users: map[xinlu.Role]*xinlu.User{}, Accounts: map[string]*xinlu.User{}, Clock: &Clock{},
		mu: &sync.Mutex{}, totp: map[string]*authenticator{}}
	st.SetClock(z.Clock.Now)
	return z
}

// Enrol gives username a TOTP through the store, as the enrolment page
// would, and keeps the secret for TOTPCode.
func (z *Zone) Enrol(username string) {
	z.tb.Helper()
	ctx := context.Background()
	u, err := z.Store.UserByUsername(ctx, username)
	if err != nil {
		z.tb.Fatal(err)
	}
	secret, err := z.Store.StartTOTPEnrolment(ctx, u.ID)
	if err != nil {
		z.tb.Fatal(err)
	}
	step := xinlu.TOTPStep(z.Store.Now())
	code, _ := xinlu.TOTPCodeAt(secret, step)
	if _, err := z.Store.ConfirmTOTP(ctx, xinlu.ActorOf(u, ""), u.ID, code); err != nil {
		z.tb.Fatal(err)
	}
	z.Remember(username, secret, step)
}

// Remember keeps a secret enrolled some other way (through the pages), at
// the step used.
func (z *Zone) Remember(username, secret string, step int64) {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.totp[username] = &authenticator{secret: secret, last: step}
}

// Secret is the TOTP secret username's authenticator holds, for tests that
// it is never shown or logged; "" for one not enrolled.
func (z *Zone) Secret(username string) string {
	z.mu.Lock()
	defer z.mu.Unlock()
	if a := z.totp[username]; a != nil {
		return a.secret
	}
	return ""
}

// TOTPCode is the code username's authenticator shows, for a step not used
// yet: each code is good once, so when the steps around now are spent the
// clock moves on.
func (z *Zone) TOTPCode(username string) string {
	z.tb.Helper()
	z.mu.Lock()
	defer z.mu.Unlock()
	a := z.totp[username]
	if a == nil {
		z.tb.Fatalf("no authenticator for %s", username)
	}
	now := xinlu.TOTPStep(z.Store.Now())
	step := max(a.last+1, now)
	if step > now+1 {
		z.Clock.Advance(time.Duration(step-now-1) * xinlu.TOTPPeriod * time.Second)
	}
	a.last = step
	code, err := xinlu.TOTPCodeAt(a.secret, step)
	if err != nil {
		z.tb.Fatal(err)
	}
	return code
}
