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
	_, in := testdb.Schema(tb, dsn)
	return open(tb, in)
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

// Clock is a store's clock for tests: real time plus an offset that only
// grows, so that tests let time pass (a TOTP code is good once per
// 30-second step, a password ages).
type Clock struct{ offset atomic.Int64 }

// Now is the clock's time.
func (c *Clock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

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
// the role's name); users who are staff are members of the department.
type Zone struct {
	tb    testing.TB
	Store *store.Store
	Zone  *xinlu.Zone
	Dept  *xinlu.Department
	Users map[xinlu.Role]*xinlu.User
	Clock *Clock

	mu   sync.Mutex
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
	z := Attach(tb, st)
	z.Zone = &xinlu.Zone{Code: "T", Name: "测试开发区", Demo: true}
	if err := st.CreateZone(ctx, xinlu.SystemActor(0), z.Zone); err != nil {
		tb.Fatal(err)
	}
	sys := xinlu.SystemActor(z.Zone.ID)
	z.Dept = &xinlu.Department{ZoneID: z.Zone.ID, Code: "INVEST", Name: "招商局"}
	if err := st.CreateDepartment(ctx, sys, z.Dept); err != nil {
		tb.Fatal(err)
	}
	for i, r := range xinlu.Roles {
		u := &xinlu.User{ZoneID: z.Zone.ID, Username: string(r), Name: "测试" + string(r), Roles: []xinlu.Role{r}, PasswordHash: PasswordHash()}
		if !r.IsAdminRole() && r != xinlu.RoleViewer && r != xinlu.RoleAuditor {
			m := &xinlu.Member{ZoneID: z.Zone.ID, DepartmentID: z.Dept.ID, StaffNo: "S" + string(rune('A'+i)), Name: u.Name}
			if err := st.CreateMember(ctx, sys, m); err != nil {
				tb.Fatal(err)
			}
			u.MemberID = m.ID
		}
		if err := st.CreateUser(ctx, sys, u); err != nil {
			tb.Fatal(err)
		}
		z.Users[r] = u
		if xinlu.NeedsSecondFactor(u.Roles) {
			z.Enrol(u.Username)
		}
	}
	return z
}

// Attach sets the store's clock to a Clock and returns a Zone with no zone
// or users yet, for a test that creates its own (the demo zone) and enrols
// them.
func Attach(tb testing.TB, st *store.Store) *Zone {
	z := &Zone{tb: tb, Store: st, Users: map[xinlu.Role]*xinlu.User{}, Clock: &Clock{}, totp: map[string]*authenticator{}}
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
