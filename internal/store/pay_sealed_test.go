package store_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/seal"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Base pay set for the pay tests: amounts unlike any other figure of the
// appraisal, so that finding one in a raw value means it leaked.
func payFixture(e *appraisalEnv) map[string]int64 {
	return map[string]int64{e.big[0].StaffNo: 3187, e.big[4].StaffNo: 2943, e.small[0].StaffNo: 2071}
}

// calculatePay opens the period, rates, sets base pay and calculates.
func calculatePay(t *testing.T, e *appraisalEnv) {
	t.Helper()
	e.must(t, e.office, xinlu.PeriodOpen, store.PeriodInput{})
	scores := map[int64]int64{}
	for i, m := range e.big {
		scores[m.ID] = int64(9000 - 500*i)
	}
	for i, m := range e.small {
		scores[m.ID] = int64(8800 - 300*i)
	}
	e.rate(t, scores)
	if _, err := e.s.SetBasePay(context.Background(), e.sys, e.finance, payFixture(e)); err != nil {
		t.Fatal(err)
	}
	e.must(t, e.office, xinlu.PeriodCalculate, store.PeriodInput{})
}

// rawAmounts reads every stored pay amount of the database, bypassing the
// store: member_pay's base and each result's base and pay.
func rawAmounts(t *testing.T, k *keyed) []string {
	t.Helper()
	var out []string
	for _, q := range []string{`SELECT base_sealed FROM member_pay`, `SELECT base_sealed FROM appraisal_results`, `SELECT pay_sealed FROM appraisal_results`} {
		rows, err := k.raw.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// payPlain lists the pay figures of the fixture as decimal text: the base
// pays and every pay the bands can give them.
func payPlain(e *appraisalEnv, res map[int64]*store.Result) []string {
	var out []string
	for _, v := range payFixture(e) {
		out = append(out, strconv.FormatInt(v, 10))
	}
	for _, r := range res {
		if r.PayYuan != 0 {
			out = append(out, strconv.FormatInt(r.PayYuan, 10))
		}
	}
	return out
}

func checkSealedAmounts(t *testing.T, k *keyed, plain []string, keyID uint32) {
	t.Helper()
	vals := rawAmounts(t, k)
	if len(vals) != 3+12+12 {
		t.Fatalf("%d stored amounts, want 27", len(vals))
	}
	for _, v := range vals {
		id, ok := seal.KeyID(v)
		if !ok || (keyID != 0 && id != keyID) || slices.Contains(plain, v) {
			t.Fatalf("stored amount %q is not sealed (key %d)", v, keyID)
		}
		if _, err := strconv.ParseInt(strings.TrimPrefix(v, "s1:"), 10, 64); err == nil {
			t.Fatalf("stored amount %q is a plain number", v)
		}
	}
}

// The pay amounts as the store reads them: results, total and base pay.
type payView struct {
	base, pay map[int64]int64
	total     int64
	basePay   map[string]int64
}

func readPay(t *testing.T, e *appraisalEnv) payView {
	t.Helper()
	ctx := context.Background()
	v := payView{base: map[int64]int64{}, pay: map[int64]int64{}, basePay: map[string]int64{}}
	for id, r := range resultsByMember(t, e.s, e.zone.ID, e.period.ID) {
		v.base[id], v.pay[id] = r.BaseYuan, r.PayYuan
	}
	var err error
	if v.total, err = e.s.PayTotal(ctx, e.period.ID); err != nil {
		t.Fatal(err)
	}
	bs, _, err := e.s.ListBasePay(ctx, e.zone.ID, "", xinlu.Page{PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		if b.Set {
			v.basePay[b.StaffNo] = b.BaseYuan
		}
	}
	return v
}

func (v payView) String() string {
	return fmt.Sprintf("base %v pay %v total %d base pay %v", v.base, v.pay, v.total, v.basePay)
}

// TestPayEncryptedAtRest: after base pay is set and a period calculated,
// calibrated and scaled to its pool, the raw database holds no pay amount
// in plain text; xinlu reads them back, counts them in the key status and
// re-seals them when the keys rotate.
func TestPayEncryptedAtRest(t *testing.T) {
	eachKeyed(t, seal.AES, func(t *testing.T, k *keyed) {
		ctx := context.Background()
		e := newAppraisalEnv(t, k.s)
		e.must(t, e.office, xinlu.PeriodOpen, store.PeriodInput{})
		if _, err := k.s.SetBasePay(ctx, e.sys, e.finance, payFixture(e)); err != nil {
			t.Fatal(err)
		}
		for _, v := range rawAmounts(t, k) {
			if _, ok := seal.KeyID(v); !ok || v == "3187" || v == "2943" || v == "2071" {
				t.Fatalf("base pay stored as %q", v)
			}
		}
		scores := map[int64]int64{}
		for i, m := range e.big {
			scores[m.ID] = int64(9000 - 500*i)
		}
		e.rate(t, scores)
		e.must(t, e.office, xinlu.PeriodCalculate, store.PeriodInput{})
		res := resultsByMember(t, k.s, e.zone.ID, e.period.ID)
		// big[0] tops department A: 3187 × 1.2 = 3824.4 → 3824.
		if r := res[e.big[0].ID]; r.Band != xinlu.BandTop || r.BaseYuan != 3187 || r.PayYuan != 3824 {
			t.Fatalf("top: %+v", r)
		}
		if r := res[e.big[4].ID]; r.BaseYuan != 2943 || r.PayYuan != (2943*r.Coefficient+50)/100 {
			t.Fatalf("big[4]: %+v", r)
		}
		plain := payPlain(e, res)
		checkSealedAmounts(t, k, plain, 0)
		// Calibration and scaling rewrite pay lines: still sealed, and right.
		e.must(t, e.office, xinlu.PeriodReview, store.PeriodInput{})
		e.must(t, e.office, xinlu.PeriodCalibrate, store.PeriodInput{MemberID: e.big[0].ID, Band: xinlu.BandMiddle, Reason: "经考核委员会研究"})
		e.must(t, e.finance, xinlu.PeriodSetPool, store.PeriodInput{PoolYuan: 6000})
		e.must(t, e.office, xinlu.PeriodPoolDecide, store.PeriodInput{Decision: "scale", Reason: "按总额核减"})
		before := readPay(t, e)
		if before.total != 6000 || before.pay[e.big[0].ID]+before.pay[e.big[4].ID]+before.pay[e.small[0].ID] != 6000 ||
			before.basePay[e.big[0].StaffNo] != 3187 || before.base[e.small[0].ID] != 2071 {
			t.Fatalf("after scaling: %v", before)
		}
		checkSealedAmounts(t, k, append(plain, payPlain(e, resultsByMember(t, k.s, e.zone.ID, e.period.ID))...), 0)
		// The key status counts them; a rotation re-seals them.
		keys, plainCount, err := k.s.KeyStatus(ctx)
		if err != nil || plainCount != 0 || len(keys) != 1 || keys[0].Values < 27 {
			t.Fatalf("key status %+v, %d plain: %v", keys, plainCount, err)
		}
		rot, err := k.s.RotateKeys(ctx, e.sys, nil)
		if err != nil || rot.Values < 27 {
			t.Fatalf("rotation %+v: %v", rot, err)
		}
		checkSealedAmounts(t, k, plain, rot.KeyID)
		if after := readPay(t, e); after.String() != before.String() {
			t.Fatalf("after rotation %v, before %v", after, before)
		}
		// The plain integer columns are gone.
		cols, err := k.s.SchemaColumns(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []string{"member_pay.base_yuan", "appraisal_results.base_yuan", "appraisal_results.pay_yuan"} {
			if slices.Contains(cols, c) {
				t.Errorf("%s is still in the schema", c)
			}
		}
	})
}

// TestPlainPayIsSealedOnUpgrade: amounts of a database from before pay was
// encrypted (integer columns, migrated by 0025 into plain text) are sealed
// when the store starts with its key file, as plain phone numbers are, and
// read back the same.
func TestPlainPayIsSealedOnUpgrade(t *testing.T) {
	eachKeyed(t, "", func(t *testing.T, k *keyed) {
		ctx := context.Background()
		e := newAppraisalEnv(t, k.s)
		calculatePay(t, e)
		before := readPay(t, e)
		// Back to the schema before 0025: the amounts in integer columns.
		toInt := "INTEGER"
		if k.path == "" {
			toInt = "BIGINT"
		}
		for _, q := range []string{
			`ALTER TABLE member_pay ADD COLUMN base_yuan ` + toInt + ` NOT NULL DEFAULT 0`,
			`UPDATE member_pay SET base_yuan = CAST(base_sealed AS ` + toInt + `)`,
			`ALTER TABLE member_pay DROP COLUMN base_sealed`,
			`ALTER TABLE appraisal_results ADD COLUMN base_yuan ` + toInt + ` NOT NULL DEFAULT 0`,
			`ALTER TABLE appraisal_results ADD COLUMN pay_yuan ` + toInt + ` NOT NULL DEFAULT 0`,
			`UPDATE appraisal_results SET base_yuan = CAST(base_sealed AS ` + toInt + `), pay_yuan = CAST(pay_sealed AS ` + toInt + `)`,
			`ALTER TABLE appraisal_results DROP COLUMN base_sealed`,
			`ALTER TABLE appraisal_results DROP COLUMN pay_sealed`,
			`DELETE FROM schema_migrations WHERE version = '0025_pay_sealed.sql'`,
		} {
			if err := k.s.ExecForTest(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if applied, err := k.s.Migrate(ctx); err != nil || !slices.Equal(applied, []string{"0025_pay_sealed.sql"}) {
			t.Fatalf("migrated %v: %v", applied, err)
		}
		if got := readPay(t, e); got.String() != before.String() {
			t.Fatalf("after migrating %v, before %v", got, before)
		}
		keys, err := seal.NewKeys(seal.SM4)
		if err != nil {
			t.Fatal(err)
		}
		n, err := k.s.UseKeys(ctx, keys)
		if err != nil || n != 27 {
			t.Fatalf("sealed %d values: %v", n, err)
		}
		checkSealedAmounts(t, k, payPlain(e, resultsByMember(t, k.s, e.zone.ID, e.period.ID)), 0)
		if got := readPay(t, e); got.String() != before.String() {
			t.Fatalf("after sealing %v, before %v", got, before)
		}
		if _, plain, err := k.s.KeyStatus(ctx); err != nil || plain != 0 {
			t.Fatalf("%d values still plain: %v", plain, err)
		}
		// A store without the key file refuses to write pay in plain text now.
		k.s.SetSealer(nil)
		if _, err := k.s.SetBasePay(ctx, e.sys, e.finance, map[string]int64{e.big[1].StaffNo: 1000}); xinlu.ErrorCode(err) != xinlu.EINTERNAL {
			t.Fatalf("plain base pay in an encrypting database: %v", err)
		}
	})
}
