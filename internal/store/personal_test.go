package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"xinlu/internal/seal"
	"xinlu/internal/store"
	"xinlu/internal/testdb"
	"xinlu/internal/xinlu"
)

// keyed is a migrated store that encrypts with fresh keys, plus a raw
// connection to its database that bypasses the store.
type keyed struct {
	s    *store.Store
	raw  *sql.DB
	keys *seal.Keys
	path string // SQLite file, "" on PostgreSQL
	dsn  string
}

func openKeyed(t testing.TB, engine string, suite seal.Suite) *keyed {
	t.Helper()
	ctx := context.Background()
	k := &keyed{}
	switch engine {
	case "sqlite":
		k.path = filepath.Join(t.TempDir(), "xinlu.db")
		k.dsn = "sqlite:" + k.path
	case "postgres":
		_, k.dsn = testdb.Schema(t, testdb.Postgres())
	}
	s, err := store.Open(ctx, k.dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	k.s = s
	if suite != "" {
		if k.keys, err = seal.NewKeys(suite); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UseKeys(ctx, k.keys); err != nil {
			t.Fatal(err)
		}
	}
	if engine == "sqlite" {
		k.raw, err = sql.Open("sqlite", "file:"+k.path+"?_pragma=busy_timeout(10000)")
	} else {
		k.raw, err = sql.Open("pgx", k.dsn)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.raw.Close(); s.Close() })
	return k
}

// eachKeyed runs fn on every engine with a store that encrypts.
func eachKeyed(t *testing.T, suite seal.Suite, fn func(t *testing.T, k *keyed)) {
	t.Helper()
	engs := []string{"sqlite"}
	if os.Getenv("XINLU_TEST_POSTGRES") != "" {
		engs = append(engs, "postgres")
	}
	for _, e := range engs {
		t.Run(e, func(t *testing.T) { fn(t, openKeyed(t, e, suite)) })
	}
}

func (k *keyed) rawValue(t *testing.T, id int64, column string) string {
	t.Helper()
	var v string
	q := `SELECT ` + column + ` FROM members WHERE id = ?`
	if k.path == "" {
		q = strings.Replace(q, "?", "$1", 1)
	}
	if err := k.raw.QueryRow(q, id).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

const (
	piiPhone = "13912345678"
	piiID    = "11010519491231002X"
)

// personalColumn is what a column holding personal data is likely called.
var personalColumn = regexp.MustCompile(`(^|_)(phone|mobile|tel|telephone|id_number|id_card|idcard|identity|passport|bank|account_no|card_no|wechat|weixin|qq|email|e_mail|mail|address|birth|birthday|birthdate|salary|wage|pay|pay_amount|income|bonus|health|medical|contact|contact_name|ethnicity|religion|photo|avatar)($|_)`)

// TestInventoryNamesEveryPersonalColumn fails when the schema has a column
// that looks personal and the inventory (xinlu.PersonalFields) does not
// name it, or when the inventory names a column the schema lacks.
func TestInventoryNamesEveryPersonalColumn(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		cols, err := s.SchemaColumns(context.Background())
		if err != nil || len(cols) < 50 {
			t.Fatalf("%d columns: %v", len(cols), err)
		}
		named := map[string]bool{}
		for _, f := range xinlu.PersonalFields {
			named[f.Name()] = true
			if f.HashColumn != "" {
				named[f.Table+"."+f.HashColumn] = true
			}
		}
		for _, c := range cols {
			column := c[strings.IndexByte(c, '.')+1:]
			if personalColumn.MatchString(column) && !named[c] {
				t.Errorf("%s looks personal but the inventory (xinlu.PersonalFields) does not name it", c)
			}
		}
		for n := range named {
			if !slices.Contains(cols, n) {
				t.Errorf("the inventory names %s, which the schema lacks", n)
			}
		}
	})
}

func newMember(t *testing.T, s *store.Store, a xinlu.Actor, zone int64, no, phone, id string) *xinlu.Member {
	t.Helper()
	m := &xinlu.Member{ZoneID: zone, StaffNo: no, Name: "人员" + no, Phone: phone, IDNumber: id}
	if err := s.CreateMember(context.Background(), a, m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestEncryptedAtRest: the raw database holds no plaintext, xinlu reads it back.
func TestEncryptedAtRest(t *testing.T) {
	for _, suite := range []seal.Suite{seal.AES, seal.SM4} {
		t.Run(string(suite), func(t *testing.T) {
			eachKeyed(t, suite, func(t *testing.T, k *keyed) {
				ctx := context.Background()
				z, a := seedZone(t, k.s, "E1")
				m := newMember(t, k.s, a, z.ID, "E0001", piiPhone, strings.ToLower(piiID))
				for _, col := range []string{"phone", "id_number"} {
					v := k.rawValue(t, m.ID, col)
					if !seal.IsSealed(v) || strings.Contains(v, piiPhone) || strings.Contains(strings.ToUpper(v), piiID) {
						t.Fatalf("raw %s = %q", col, v)
					}
				}
				if h := k.rawValue(t, m.ID, "phone_hash"); len(h) != 64 || strings.Contains(h, piiPhone) {
					t.Fatalf("raw phone_hash = %q", h)
				}
				zone := xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: z.ID}
				got, err := k.s.MemberByID(ctx, zone, m.ID)
				if err != nil || got.Phone != piiPhone || got.IDNumber != piiID {
					t.Fatalf("read back %+v %v", got, err)
				}
				list, _, err := k.s.ListMembers(ctx, store.MemberFilter{Scope: zone})
				if err != nil || len(list) != 1 || list[0].Phone != piiPhone {
					t.Fatalf("list %v", err)
				}
				got.Phone = "13800001111"
				if err := k.s.UpdateMember(ctx, a, got); err != nil {
					t.Fatal(err)
				}
				if v := k.rawValue(t, m.ID, "phone"); !seal.IsSealed(v) || strings.Contains(v, "13800001111") {
					t.Fatalf("after update raw phone = %q", v)
				}
				// Audit rows hold masked values only.
				rows, _, _ := k.s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: z.ID, Entity: "member"})
				for _, r := range rows {
					if strings.Contains(r.Before+r.After, piiPhone) || strings.Contains(r.Before+r.After, "13800001111") || strings.Contains(r.Before+r.After, piiID) {
						t.Fatalf("audit row %d holds personal data", r.ID)
					}
				}
				if k.path != "" {
					// The file itself: close everything so the WAL is folded in, then scan the bytes.
					k.raw.Close()
					k.s.Close()
					for _, p := range []string{k.path, k.path + "-wal"} {
						b, err := os.ReadFile(p)
						if err != nil && !os.IsNotExist(err) {
							t.Fatal(err)
						}
						for _, plain := range []string{piiPhone, "13800001111", piiID, strings.ToLower(piiID)} {
							if bytes.Contains(b, []byte(plain)) {
								t.Fatalf("%s holds %s in plain text", filepath.Base(p), plain)
							}
						}
					}
				}
			})
		})
	}
}

func TestLookupByKeyedHash(t *testing.T) {
	eachKeyed(t, seal.AES, func(t *testing.T, k *keyed) {
		ctx := context.Background()
		z, a := seedZone(t, k.s, "L1")
		z2, a2 := seedZone(t, k.s, "L2")
		m := newMember(t, k.s, a, z.ID, "L0001", piiPhone, piiID)
		newMember(t, k.s, a, z.ID, "L0002", "13800001111", "")
		newMember(t, k.s, a2, z2.ID, "L0001", piiPhone, "")
		zone := xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: z.ID}
		for _, tc := range []struct{ column, value string }{{"phone", " " + piiPhone}, {"id_number", strings.ToLower(piiID)}} {
			got, err := k.s.MembersByPersonal(ctx, zone, tc.column, tc.value)
			if err != nil || len(got) != 1 || got[0].ID != m.ID || got[0].Phone != piiPhone {
				t.Fatalf("%s: %d found, %v", tc.column, len(got), err)
			}
		}
		if got, _ := k.s.MembersByPersonal(ctx, zone, "phone", "13900000000"); len(got) != 0 {
			t.Fatalf("a number nobody has: %d", len(got))
		}
		own := xinlu.ScopeFilter{Scope: xinlu.ScopeOwn, ZoneID: z.ID, MemberID: 99999}
		if got, _ := k.s.MembersByPersonal(ctx, own, "phone", piiPhone); len(got) != 0 {
			t.Fatal("lookup ignores the scope")
		}
		if _, err := k.s.MembersByPersonal(ctx, zone, "name", "x"); xinlu.ErrorCode(err) != xinlu.EINVALID {
			t.Fatalf("lookup by a column without a blind index: %v", err)
		}
	})
	// Without keys (plain mode, tests only) the lookup compares the column.
	s := OpenSQLite(t)
	z, a := seedZone(t, s, "L3")
	newMember(t, s, a, z.ID, "P1", piiPhone, "")
	if got, err := s.MembersByPersonal(context.Background(), xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: z.ID}, "phone", piiPhone); err != nil || len(got) != 1 {
		t.Fatalf("plain lookup: %d %v", len(got), err)
	}
}

// TestKeyRotation: a new data key, every value re-encrypted under it, every
// value still readable, searchable, and readable by a process that still
// holds the old ring.
func TestKeyRotation(t *testing.T) {
	eachKeyed(t, seal.SM4, func(t *testing.T, k *keyed) {
		ctx := context.Background()
		z, a := seedZone(t, k.s, "R1")
		var ms []*xinlu.Member
		for i := range 12 {
			ms = append(ms, newMember(t, k.s, a, z.ID, fmt.Sprintf("R%04d", i), fmt.Sprintf("1390000%04d", i), ""))
		}
		ms = append(ms, newMember(t, k.s, a, z.ID, "R0100", "", piiID))
		// A second process (a running server) opened with the same key file.
		other, err := store.Open(ctx, k.dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		if _, err := other.UseKeys(ctx, k.keys); err != nil {
			t.Fatal(err)
		}
		var calls, last, total int
		rot, err := k.s.RotateKeys(ctx, a, func(done, all int) { calls, last, total = calls+1, done, all })
		if err != nil {
			t.Fatal(err)
		}
		if rot.KeyID != 2 || rot.Previous != 1 || rot.Values != 13 || last != 13 || total != 13 || calls < 2 {
			t.Fatalf("rotation %+v, progress %d/%d in %d calls", rot, last, total, calls)
		}
		for _, m := range ms {
			col := "phone"
			if m.Phone == "" {
				col = "id_number"
			}
			if id, _ := seal.KeyID(k.rawValue(t, m.ID, col)); id != 2 {
				t.Fatalf("member %d still under key %d", m.ID, id)
			}
		}
		zone := xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: z.ID}
		check := func(s *store.Store, who string) {
			t.Helper()
			for _, m := range ms {
				got, err := s.MemberByID(ctx, zone, m.ID)
				if err != nil || got.Phone != m.Phone || got.IDNumber != m.IDNumber {
					t.Fatalf("%s reads member %d: %+v %v", who, m.ID, got, err)
				}
			}
			if got, err := s.MembersByPersonal(ctx, zone, "phone", ms[3].Phone); err != nil || len(got) != 1 {
				t.Fatalf("%s looks up by phone after rotation: %d %v", who, len(got), err)
			}
		}
		check(k.s, "the rotating process")
		check(other, "a process that still held the old key") // it reloads the stored keys
		// The other process now seals with the new key, and its writes stay readable.
		m := newMember(t, other, a, z.ID, "R0200", "13700000000", "")
		if id, _ := seal.KeyID(k.rawValue(t, m.ID, "phone")); id != 2 {
			t.Fatalf("after reload the other process seals with key %d", id)
		}
		infos, plain, err := k.s.KeyStatus(ctx)
		if err != nil || len(infos) != 2 || infos[0].Active || !infos[1].Active || infos[0].Values != 0 || infos[1].Values != 14 || plain != 0 || infos[0].RetiredAt.IsZero() {
			t.Fatalf("status %+v plain %d %v", infos, plain, err)
		}
		rows, _, _ := k.s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: z.ID, Action: "keys.rotate"})
		if len(rows) != 1 || !strings.Contains(rows[0].After, `"values":13`) {
			t.Fatalf("audit %+v", rows)
		}
		// A second rotation goes on from key 2.
		if rot, err := k.s.RotateKeys(ctx, a, nil); err != nil || rot.KeyID != 3 || rot.Values != 14 {
			t.Fatalf("second rotation %+v %v", rot, err)
		}
		check(k.s, "after two rotations")
	})
}

// TestPlainRowsAreSealedWhenKeysArrive: rows written before encryption are
// sealed when the key file is first used (the migration path).
func TestPlainRowsAreSealedWhenKeysArrive(t *testing.T) {
	eachKeyed(t, "", func(t *testing.T, k *keyed) {
		ctx := context.Background()
		z, a := seedZone(t, k.s, "P1")
		m := newMember(t, k.s, a, z.ID, "P0001", piiPhone, piiID)
		if v := k.rawValue(t, m.ID, "phone"); v != piiPhone {
			t.Fatalf("plain mode stored %q", v)
		}
		keys, _ := seal.NewKeys(seal.AES)
		n, err := k.s.UseKeys(ctx, keys)
		if err != nil || n != 2 {
			t.Fatalf("sealed %d: %v", n, err)
		}
		if v := k.rawValue(t, m.ID, "id_number"); !seal.IsSealed(v) || k.rawValue(t, m.ID, "id_number_hash") == "" {
			t.Fatalf("not sealed: %q", v)
		}
		if got, _ := k.s.MembersByPersonal(ctx, xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: z.ID}, "id_number", piiID); len(got) != 1 {
			t.Fatal("a sealed legacy row is not found by its hash")
		}
		if n, err := k.s.UseKeys(ctx, keys); err != nil || n != 0 {
			t.Fatalf("second use sealed %d: %v", n, err)
		}
	})
}

// TestNoPlainTextOnceEncrypted: a process without the key file may neither
// write personal data in plain text nor read sealed values as if they were
// text; a key file that is not the database's is refused.
func TestNoPlainTextOnceEncrypted(t *testing.T) {
	eachKeyed(t, seal.AES, func(t *testing.T, k *keyed) {
		ctx := context.Background()
		z, a := seedZone(t, k.s, "N1")
		m := newMember(t, k.s, a, z.ID, "N0001", piiPhone, "")
		bare, err := store.Open(ctx, k.dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer bare.Close()
		err = bare.CreateMember(ctx, a, &xinlu.Member{ZoneID: z.ID, StaffNo: "N0002", Name: "无钥", Phone: "13800001111"})
		if err == nil || !strings.Contains(xinlu.AsError(err).Err.Error(), "key file") {
			t.Fatalf("plain write accepted: %v", err)
		}
		if err := bare.CreateMember(ctx, a, &xinlu.Member{ZoneID: z.ID, StaffNo: "N0003", Name: "无个人信息"}); err != nil {
			t.Fatalf("a record without personal data: %v", err)
		}
		if _, err := bare.MemberByID(ctx, xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: z.ID}, m.ID); err == nil {
			t.Fatal("a sealed value was read without keys")
		}
		wrong, _ := seal.NewKeys(seal.AES)
		if _, err := bare.UseKeys(ctx, wrong); !errors.Is(err, seal.ErrWrongKeyFile) {
			t.Fatalf("wrong key file: %v", err)
		}
	})
}

func TestReveal(t *testing.T) {
	eachKeyed(t, seal.AES, func(t *testing.T, k *keyed) {
		ctx := context.Background()
		f := seedStaff(t, k.s)
		m := f.inChild
		m.IDNumber = piiID
		if err := k.s.UpdateMember(ctx, f.a, m); err != nil {
			t.Fatal(err)
		}
		head := xinlu.ScopeFilter{Scope: xinlu.ScopeDepartment, ZoneID: f.z.ID, DepartmentID: f.child.ID}
		actor := xinlu.Actor{UserID: 42, Name: "head", ZoneID: f.z.ID, IP: "10.0.0.1"}
		if _, err := k.s.RevealMember(ctx, actor, head, m.ID, "看"); xinlu.AsError(err).Key != "personal.reason_too_short" {
			t.Fatalf("short reason: %v", err)
		}
		if _, err := k.s.RevealMember(ctx, actor, head, f.inOther.ID, "核对社保信息"); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("out of scope: %v", err)
		}
		got, err := k.s.RevealMember(ctx, actor, head, m.ID, " 核对社保信息 ")
		if err != nil || got.Phone != m.Phone || got.IDNumber != piiID {
			t.Fatalf("reveal %+v %v", got, err)
		}
		rows, total, _ := k.s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: f.z.ID, Action: "personal.reveal"})
		if total != 1 || rows[0].ActorID != 42 || rows[0].EntityID != m.ID || rows[0].IP != "10.0.0.1" ||
			!strings.Contains(rows[0].After, `"fields":["phone","id_number"]`) || !strings.Contains(rows[0].After, `"reason":"核对社保信息"`) {
			t.Fatalf("audit %d %+v", total, rows)
		}
		if strings.Contains(rows[0].After, m.Phone) || strings.Contains(rows[0].After, piiID) || strings.Contains(rows[0].After, xinlu.MaskPhone(m.Phone)) {
			t.Fatalf("the reveal's audit row holds the values: %s", rows[0].After)
		}
	})
}

// TestRetention: only members who left more than N years ago lose their
// phone and ID number; rows, names and counts stay.
func TestRetention(t *testing.T) {
	eachKeyed(t, seal.AES, func(t *testing.T, k *keyed) {
		ctx := context.Background()
		z, a := seedZone(t, k.s, "T1")
		z2, a2 := seedZone(t, k.s, "T2")
		at := func(day string) {
			d, _ := time.Parse(xinlu.DateLayout, day)
			k.s.SetClock(func() time.Time { return d.Add(4 * time.Hour) }) // noon in Shanghai
		}
		leave := func(m *xinlu.Member, day string) {
			t.Helper()
			at(day)
			m.Status = xinlu.MemberLeft
			if err := k.s.UpdateMember(ctx, xinlu.SystemActor(m.ZoneID), m); err != nil {
				t.Fatal(err)
			}
		}
		at("2019-01-01")
		old := newMember(t, k.s, a, z.ID, "T0001", "13900000001", piiID)
		recent := newMember(t, k.s, a, z.ID, "T0002", "13900000002", "")
		active := newMember(t, k.s, a, z.ID, "T0003", "13900000003", "")
		far := newMember(t, k.s, a2, z2.ID, "T0001", "13900000004", "")
		back := newMember(t, k.s, a, z.ID, "T0005", "13900000005", "")
		leave(old, "2020-06-30")
		leave(far, "2020-01-15")
		leave(recent, "2022-03-01")
		leave(back, "2019-05-01")
		if v := k.rawValue(t, old.ID, "left_on"); v != "2020-06-30" {
			t.Fatalf("left_on %q", v)
		}
		back.Status = xinlu.MemberActive
		if err := k.s.UpdateMember(ctx, a, back); err != nil {
			t.Fatal(err)
		}
		if v := k.rawValue(t, back.ID, "left_on"); v != "" {
			t.Fatalf("came back, left_on %q", v)
		}
		count := func() [3]int {
			var all, left, named int
			k.raw.QueryRow(`SELECT COUNT(*), SUM(CASE WHEN status = 'left' THEN 1 ELSE 0 END), SUM(CASE WHEN name <> '' THEN 1 ELSE 0 END) FROM members`).Scan(&all, &left, &named)
			return [3]int{all, left, named}
		}
		before := count()
		at("2026-11-27")
		dry, err := k.s.RunRetention(ctx, 5, true)
		if err != nil || dry.Cutoff != "2021-11-27" || len(dry.Members) != 2 {
			t.Fatalf("dry run %+v %v", dry, err)
		}
		if v := k.rawValue(t, old.ID, "phone"); v == "" {
			t.Fatal("a dry run changed data")
		}
		run, err := k.s.RunRetention(ctx, 5, false)
		if err != nil || len(run.Members) != 2 || !slices.Equal(run.Fields, []string{"phone", "id_number"}) {
			t.Fatalf("run %+v %v", run, err)
		}
		scope := func(zone int64) xinlu.ScopeFilter { return xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: zone} }
		for _, m := range []*xinlu.Member{old, far} {
			got, _ := k.s.MemberByID(ctx, scope(m.ZoneID), m.ID)
			if got.Phone != "" || got.IDNumber != "" || got.Name != m.Name || got.Status != xinlu.MemberLeft {
				t.Fatalf("expired member %+v", got)
			}
			if k.rawValue(t, m.ID, "phone_hash") != "" || k.rawValue(t, m.ID, "personal_cleared_on") != "2026-11-27" {
				t.Fatal("hash or mark not cleared")
			}
		}
		for _, m := range []*xinlu.Member{recent, active, back} {
			if got, _ := k.s.MemberByID(ctx, scope(m.ZoneID), m.ID); got.Phone != m.Phone {
				t.Fatalf("member %s lost data: %+v", m.StaffNo, got)
			}
		}
		if after := count(); after != before {
			t.Fatalf("counts changed: %v → %v", before, after)
		}
		for _, zc := range []struct {
			zone int64
			id   int64
		}{{z.ID, old.ID}, {z2.ID, far.ID}} {
			rows, _, _ := k.s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: zc.zone, Action: "personal.retention"})
			if len(rows) != 1 || !strings.Contains(rows[0].After, fmt.Sprintf(`"members":[%d]`, zc.id)) {
				t.Fatalf("zone %d audit %+v", zc.zone, rows)
			}
		}
		if again, err := k.s.RunRetention(ctx, 5, false); err != nil || len(again.Members) != 0 {
			t.Fatalf("second run %+v %v", again, err)
		}
		// Three years: the one who left in 2022 is due as well.
		if run, _ := k.s.RunRetention(ctx, 3, false); len(run.Members) != 1 || run.Members[0].ID != recent.ID {
			t.Fatalf("three years %+v", run)
		}
		if run, _ := k.s.RunRetention(ctx, 0, false); len(run.Members) != 0 || run.Cutoff != "" {
			t.Fatalf("zero years must switch the job off: %+v", run)
		}
		if _, brk, err := k.s.VerifyAudit(ctx); brk != nil || err != nil {
			t.Fatalf("audit chain %v %v", brk, err)
		}
	})
}

// Benchmarks: the cost of encryption on the member list and on creating a
// member, without keys and with each suite.
var benchSuites = map[string]seal.Suite{"plain": "", "aes": seal.AES, "sm4": seal.SM4}

func BenchmarkMemberList(b *testing.B) {
	for _, name := range []string{"plain", "aes", "sm4"} {
		k := openKeyed(b, "sqlite", benchSuites[name])
		ctx := context.Background()
		z := &xinlu.Zone{Code: "B", Name: "b"}
		k.s.CreateZone(ctx, xinlu.SystemActor(0), z)
		for i := range 200 {
			m := &xinlu.Member{ZoneID: z.ID, StaffNo: fmt.Sprintf("B%04d", i), Name: "人员", Phone: fmt.Sprintf("1390000%04d", i), IDNumber: piiID}
			if err := k.s.CreateMember(ctx, xinlu.SystemActor(z.ID), m); err != nil {
				b.Fatal(err)
			}
		}
		f := store.MemberFilter{Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: z.ID}, Page: xinlu.Page{PerPage: 50}}
		b.Run(name+"/page_of_50", func(b *testing.B) {
			for b.Loop() {
				if _, _, err := k.s.ListMembers(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/roster_of_200", func(b *testing.B) {
			for b.Loop() {
				if _, err := k.s.RosterMembers(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkCreateMember(b *testing.B) {
	for _, name := range []string{"plain", "aes", "sm4"} {
		k := openKeyed(b, "sqlite", benchSuites[name])
		ctx := context.Background()
		z := &xinlu.Zone{Code: "B", Name: "b"}
		k.s.CreateZone(ctx, xinlu.SystemActor(0), z)
		i := 0 // staff numbers go on across runs of the same store
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				i++
				m := &xinlu.Member{ZoneID: z.ID, StaffNo: fmt.Sprintf("C%07d", i), Name: "人员", Phone: "13900001234", IDNumber: piiID}
				if err := k.s.CreateMember(ctx, xinlu.SystemActor(z.ID), m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
