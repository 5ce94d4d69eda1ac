package store_test

import (
	"context"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func TestAssessmentSheet(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.SetClock(func() time.Time { return time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC) })
		z, a := seedZone(t, s, "AS1")
		z2, a2 := seedZone(t, s, "AS2")
		z3, a3 := seedZone(t, s, "AS3")
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		exec := func(q string, args ...any) {
			t.Helper()
			if err := s.ExecArgsForTest(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		project := func(id, zone int64, signed, started string, contract, fixed int64) {
			exec(`INSERT INTO projects (id, zone_id, name, company, company_key, industry, stage, status, signed_on, started_on, contract_yuan, fixed_asset_yuan, created_at, updated_at)
				VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, id, zone, "项目"+signed, "公司", "k", "other", "agency", "active", signed, started, contract, fixed, at, at)
		}
		project(9401, z.ID, "2026-03-01", "2026-05-01", 600_000_000, 400_000_000)
		project(9402, z.ID, "2026-08-01", "", 400_000_000, 0)
		project(9403, z.ID, "2025-12-31", "2026-01-10", 900_000_000, 100_000_000) // signed last year, started this year
		project(9404, z2.ID, "2026-02-01", "", 100_000_000, 0)
		exec(`INSERT INTO funds_in_place (zone_id, project_id, on_date, amount_yuan, created_at) VALUES (?,?,?,?,?)`, z.ID, 9401, "2026-06-01", 250_000_000, at)

		if err := s.SetZoneCategory(ctx, a, z.ID, "mining"); xinlu.ErrorCode(err) != xinlu.EINVALID {
			t.Fatalf("unknown category: %v", err)
		}
		for _, zc := range []struct {
			id  int64
			a   xinlu.Actor
			cat string
		}{{z.ID, a, "industrial"}, {z2.ID, a2, "industrial"}, {z3.ID, a3, "agriculture"}} {
			if err := s.SetZoneCategory(ctx, zc.a, zc.id, zc.cat); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := s.LoadDefaultAssessment(ctx, a, z.ID, 2026); err != nil || n != 15 {
			t.Fatalf("default: %d %v", n, err)
		}
		if _, err := s.LoadDefaultAssessment(ctx, a, z.ID, 2026); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("default twice: %v", err)
		}
		inds, err := s.AssessmentIndicators(ctx, z.ID, 2026)
		if err != nil || len(inds) != 15 {
			t.Fatalf("%d %v", len(inds), err)
		}
		// Targets: contracts 20 亿 (10 signed: half of 12 points), funds 2.5 亿 (met: 12),
		// fixed assets 4 亿 (5 亿 started: capped at 120% of 10).
		byName := map[string]*xinlu.AssessmentIndicator{}
		for _, ind := range inds {
			byName[ind.Name] = ind
		}
		set := func(name string, change func(*xinlu.AssessmentIndicator)) {
			t.Helper()
			ind := byName[name]
			change(ind)
			if err := s.SaveAssessmentIndicator(ctx, a, ind); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		set("签约合同额", func(i *xinlu.AssessmentIndicator) { i.Target = 20 })
		set("到位资金", func(i *xinlu.AssessmentIndicator) { i.Target = 2.5 })
		set("工业固定资产投资", func(i *xinlu.AssessmentIndicator) { i.Target = 4 })
		v, two := 6.0, 2.0
		set("规上工业增加值增速", func(i *xinlu.AssessmentIndicator) {
			i.Target, i.Value, i.Evidence, i.Links = 8, &v, "统计局月报", []string{"/projects/9401"}
		})
		set("环境保护与安全生产扣分", func(i *xinlu.AssessmentIndicator) { i.Value = &two })
		// Unchanged: nothing written, the version stays.
		ver := byName["签约合同额"].Version
		if err := s.SaveAssessmentIndicator(ctx, a, byName["签约合同额"]); err != nil || byName["签约合同额"].Version != ver {
			t.Fatalf("unchanged save: %v version %d", err, byName["签约合同额"].Version)
		}
		stale := *byName["到位资金"]
		stale.Version = 1
		stale.Target = 3
		if err := s.SaveAssessmentIndicator(ctx, a, &stale); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("stale save: %v", err)
		}

		sheet, err := s.Assessment(ctx, z.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		rows := map[string]store.AssessmentRow{}
		for _, r := range sheet.Rows {
			rows[r.Name] = r
		}
		check := func(name string, actual, score float64) {
			t.Helper()
			r := rows[name]
			if r.Actual == nil || *r.Actual != actual || r.Score.Score != score {
				t.Errorf("%s: actual %v score %+v, want %v and %v", name, r.Actual, r.Score, actual, score)
			}
		}
		check("签约合同额", 10, 6)
		check("到位资金", 2.5, 12)
		check("工业固定资产投资", 5, 12)
		check("新签约项目", 2, 0) // no target
		check("新开工项目", 2, 0)
		check("规上工业增加值增速", 6, 6)
		check("环境保护与安全生产扣分", 2, -2)
		if r := rows["签约合同额"]; len(r.Records) != 2 || r.Records[0].Path != "/projects/9401" || r.More != 0 || r.LedgerAt == "" {
			t.Fatalf("contract evidence %+v", r)
		}
		if r := rows["新开工项目"]; len(r.Records) != 2 || r.Records[0].Path != "/projects/9403" {
			t.Fatalf("started evidence %+v", r.Records)
		}
		if r := rows["规上工业增加值增速"]; len(r.Records) != 1 || r.Records[0].Path != "/projects/9401" || r.Evidence != "统计局月报" {
			t.Fatalf("entered evidence %+v", r)
		}
		if !rows["税收收入"].Score.NoGoal || rows["单位工业增加值能耗"].Actual != nil || !rows["单位工业增加值能耗"].Score.Missing {
			t.Fatalf("no target / no value: %+v %+v", rows["税收收入"].Score, rows["单位工业增加值能耗"])
		}
		if sheet.Total != 34 || sheet.Full != 100 || sheet.Grade != "fail" || sheet.Category != "industrial" {
			t.Fatalf("sheet %v/%v %s %s", sheet.Total, sheet.Full, sheet.Grade, sheet.Category)
		}

		// Zone 2 (industrial) scores 50 on one indicator; zone 3 stands alone in agriculture.
		half := 5.0
		if err := s.SaveAssessmentIndicator(ctx, a2, &xinlu.AssessmentIndicator{ZoneID: z2.ID, Year: 2026, Name: "综合", Weight: 100, Target: 10, Value: &half}); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveAssessmentIndicator(ctx, a3, &xinlu.AssessmentIndicator{ZoneID: z3.ID, Year: 2026, Name: "综合", Weight: 100, Target: 10, Value: &half}); err != nil {
			t.Fatal(err)
		}
		scores, err := s.AssessmentScores(ctx, 2026)
		if err != nil || len(scores) != 3 {
			t.Fatalf("scores %+v %v", scores, err)
		}
		want := map[int64][2]int{z.ID: {2, 2}, z2.ID: {1, 2}, z3.ID: {1, 1}}
		for _, zs := range scores {
			if w := want[zs.ZoneID]; zs.Rank != w[0] || zs.Of != w[1] {
				t.Errorf("zone %s: rank %d of %d, want %v", zs.ZoneName, zs.Rank, zs.Of, w)
			}
		}
		// Deleting needs the current version; another zone cannot.
		d := byName["新增招商线索"]
		if err := s.DeleteAssessmentIndicator(ctx, a2, z2.ID, d.ID, d.Version); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("another zone deletes: %v", err)
		}
		if err := s.DeleteAssessmentIndicator(ctx, a, z.ID, d.ID, d.Version); err != nil {
			t.Fatal(err)
		}
		if inds, _ := s.AssessmentIndicators(ctx, z.ID, 2026); len(inds) != 14 {
			t.Fatalf("after delete: %d", len(inds))
		}
	})
}
