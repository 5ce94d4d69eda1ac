package store_test

import (
	"context"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Keys stored under earlier rules are made again once, so the duplicate
// search finds old records; a project's import key follows its company key
// unless that would collide with another project's.
func TestRekeyCompanies(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, a := seedZone(t, s, "R")
		mk := func(name, company, importKey string) *store.ProjectRecord {
			p := &store.ProjectRecord{ImportKey: importKey}
			p.ZoneID, p.Name, p.Company, p.Industry, p.Stage = z.ID, name, company, "equipment", xinlu.StagePackaging
			if err := s.CreateProject(ctx, a, p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		p1 := mk("重型装备项目", "太原重工股份有限公司", "")
		p2 := mk("导入项目", "大同重工有限公司", "old|导入项目")
		// The keys as earlier rules made them: region stripped.
		for _, q := range []string{
			`UPDATE projects SET company_key = '重工'`,
			`UPDATE projects SET import_key = '重工|导入项目' WHERE import_key <> ''`,
			`DELETE FROM store_meta`,
		} {
			if err := s.ExecForTest(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		n, err := s.RekeyCompanies(ctx)
		if err != nil || n != 2 {
			t.Fatalf("rekey: %d %v", n, err)
		}
		for _, p := range []*store.ProjectRecord{p1, p2} {
			var key string
			if err := s.QueryRowForTest(ctx, `SELECT company_key FROM projects WHERE id = ?`, p.ID).Scan(&key); err != nil {
				t.Fatal(err)
			}
			if want := xinlu.NormalizeCompany(p.Company); key != want {
				t.Errorf("%s: key %q, want %q", p.Company, key, want)
			}
		}
		var importKey string
		if err := s.QueryRowForTest(ctx, `SELECT import_key FROM projects WHERE id = ?`, p2.ID).Scan(&importKey); err != nil {
			t.Fatal(err)
		}
		if want := xinlu.NormalizeCompany("大同重工有限公司") + "|导入项目"; importKey != want {
			t.Errorf("import key %q, want %q", importKey, want)
		}
		// Once done, it is not done again.
		if n, err := s.RekeyCompanies(ctx); err != nil || n != 0 {
			t.Fatalf("second rekey: %d %v", n, err)
		}
	})
}

// A lead reported under earlier rules is found again by the duplicate
// search once its key is made again.
func TestRekeyLeads(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seedLeads(t, s)
		old, _ := f.report(t, "peer", "太原重工股份有限公司", "智能矿山装备")
		// Earlier rules stripped the region of an industry-word name.
		if err := s.ExecForTest(ctx, `UPDATE leads SET company_key = '重工'`); err != nil {
			t.Fatal(err)
		}
		if err := s.ExecForTest(ctx, `DELETE FROM store_meta`); err != nil {
			t.Fatal(err)
		}
		if n, err := s.RekeyCompanies(ctx); err != nil || n != 1 {
			t.Fatalf("rekey: %d %v", n, err)
		}
		_, dups := f.report(t, "peer", "太原重工有限公司", "智能矿山装备")
		found := false
		for _, d := range dups {
			found = found || d.ID == old.ID
		}
		if !found {
			t.Fatalf("the lead reported earlier is not found: %+v", dups)
		}
	})
}
