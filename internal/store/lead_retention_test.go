package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// TestLeadContactRetention: the contact of a lead rejected, merged or
// shelved more than the retention years ago is cleared; open and accepted
// leads and recent ones keep theirs; a dry run only counts.
func TestLeadContactRetention(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, a := seedZone(t, s, "LR")
		m := &xinlu.Member{ZoneID: z.ID, StaffNo: "L1", Name: "报告人"}
		if err := s.CreateMember(ctx, a, m); err != nil {
			t.Fatal(err)
		}
		at := func(day string) {
			d, _ := time.Parse(xinlu.DateLayout, day)
			s.SetClock(func() time.Time { return d.Add(4 * time.Hour) })
		}
		lead := func(company, status string) *xinlu.Lead {
			t.Helper()
			l := &xinlu.Lead{ZoneID: z.ID, ReporterID: m.ID, Company: company, ProjectName: "项目", Industry: "materials",
				Channel: "personal", ContactName: "王经理", ContactPhone: "13800001111"}
			if _, err := s.ReportLead(ctx, a, l); err != nil {
				t.Fatal(err)
			}
			if status != "" {
				if err := s.ExecForTest(ctx, `UPDATE leads SET status = '`+status+`' WHERE id = `+strconv.FormatInt(l.ID, 10)); err != nil {
					t.Fatal(err)
				}
			}
			return l
		}
		at("2019-03-01")
		oldRejected := lead("甲材料公司", "rejected")
		oldDormant := lead("乙材料公司", "dormant")
		oldOpen := lead("丙材料公司", "")
		at("2025-06-01")
		recentRejected := lead("丁材料公司", "rejected")
		at("2026-11-27")
		dry, err := s.RunRetention(ctx, 5, true)
		if err != nil || dry.Leads != 2 {
			t.Fatalf("dry run %+v %v", dry, err)
		}
		run, err := s.RunRetention(ctx, 5, false)
		if err != nil || run.Leads != 2 {
			t.Fatalf("run %+v %v", run, err)
		}
		contact := func(l *xinlu.Lead) string {
			var name, phone string
			if err := s.QueryRowForTest(ctx, `SELECT contact_name, contact_phone FROM leads WHERE id = ?`, l.ID).Scan(&name, &phone); err != nil {
				t.Fatal(err)
			}
			return name + "|" + phone
		}
		for _, l := range []*xinlu.Lead{oldRejected, oldDormant} {
			if c := contact(l); c != "|" {
				t.Errorf("%s kept its contact %q", l.Company, c)
			}
		}
		for _, l := range []*xinlu.Lead{oldOpen, recentRejected} {
			if c := contact(l); c == "|" {
				t.Errorf("%s lost its contact", l.Company)
			}
		}
		if again, err := s.RunRetention(ctx, 5, false); err != nil || again.Leads != 0 {
			t.Fatalf("second run %+v %v", again, err)
		}
	})
}
