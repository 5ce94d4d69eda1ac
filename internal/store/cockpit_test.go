package store_test

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// cockpitFixture is a small fixed pipeline whose cockpit figures are worked
// out by hand in TestCockpitFiguresByHand. Today is Monday 2026-09-28.
//
//	calendar: holidays 2026-01-01 (Thu), 2026-02-17 (Tue); make-up working day 2026-02-14 (Sat)
//	L1 2026-01-05 reporter, materials → P1 created 2026-01-12 (5 working days), signed 2026-03-02
//	   (35: 35 weekdays − 17 Feb + 14 Feb), 100,000,000 contracted, 80,000,000 fixed assets, park A,
//	   new_materials, sponsor; started 2026-04-01 (22); stage due 2026-09-21: red, 5 working days late
//	L2 2026-02-02 peer, equipment → P2 created 2026-02-09 (5), signed 2026-06-01 (80: 80 − 1 + 1),
//	   50,000,000, fixed assets unknown, no park, new_equipment and new_technology, sponsor;
//	   stage due 2026-09-29: yellow
//	L3 2025-05-05 reporter, rejected; L4 2026-03-10 reporter, rejected
//	P3 without a lead, light industry: created 2025-11-03, signed 2025-12-01 (20), 30,000,000;
//	   started 2026-02-02 (44: 45 − 1 Jan), producing 2026-08-03 (130: 130 − 17 Feb + 14 Feb)
//	funds: P1 20,000,000 on 2026-05-10; P3 10,000,000 on 2025-12-20 and 5,000,000 on 2026-03-01
//	approval items of P1: 环评 due 2026-09-22 (red, 4 working days late), 能评 due 2026-09-29
//	   (yellow), 规划许可 approved (closed, not counted)
//	supervision orders of P2 to the sponsor: due 2026-09-25 (red, 1 working day late), due
//	   2026-09-01 closed (not counted), due 2026-12-01 (green, not counted)
type cockpitFixture struct {
	*leadFixture
	park       *xinlu.Park
	p1, p2, p3 int64
}

func seedCockpit(t *testing.T, s *store.Store) *cockpitFixture {
	t.Helper()
	ctx := context.Background()
	s.SetClock(func() time.Time { return time.Date(2026, 9, 28, 2, 0, 0, 0, time.UTC) })
	f := &cockpitFixture{leadFixture: seedLeads(t, s)}
	for _, d := range []xinlu.CalendarDay{{Date: "2026-01-01", Kind: xinlu.DayHoliday, Name: "元旦"},
		{Date: "2026-02-17", Kind: xinlu.DayHoliday, Name: "春节"}, {Date: "2026-02-14", Kind: xinlu.DayWorkday, Name: "春节调休"}} {
		d.ZoneID = f.zone.ID
		if err := s.CreateCalendarDay(ctx, f.sys, &d); err != nil {
			t.Fatal(err)
		}
	}
	f.park = &xinlu.Park{ZoneID: f.zone.ID, Name: "新材料产业园", AreaMu: 3000, Industries: []string{"materials"}}
	if err := s.CreatePark(ctx, f.sys, f.park); err != nil {
		t.Fatal(err)
	}
	day := func(s string) time.Time {
		d, err := xinlu.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d.Add(3 * time.Hour)
	}
	reporter, peer, sponsor := f.users["reporter"].MemberID, f.users["peer"].MemberID, f.users["sponsor"].MemberID
	lead := func(who int64, reported, industry string, st xinlu.LeadStatus) *xinlu.Lead {
		return &xinlu.Lead{Company: "公司" + reported, ProjectName: "项目" + reported, Industry: industry, ReporterID: who, Channel: "expo",
			Status: st, ReportedAt: day(reported), Version: 1}
	}
	b := &store.BulkBatch{Leads: []*xinlu.Lead{
		lead(reporter, "2026-01-05", "materials", xinlu.LeadAccepted), lead(peer, "2026-02-02", "equipment", xinlu.LeadAccepted),
		lead(reporter, "2025-05-05", "materials", xinlu.LeadRejected), lead(reporter, "2026-03-10", "materials", xinlu.LeadRejected)}}
	fixed := int64(80_000_000)
	p1 := &store.BulkProject{LeadIndex: 0, Funds: []store.Funds{{OnDate: "2026-05-10", Yuan: 20_000_000}}}
	p1.Approvals = []store.ApprovalItem{{Name: "环评", AgentID: sponsor, LimitDays: 20, DueOn: "2026-09-22"},
		{Name: "能评", AgentID: sponsor, LimitDays: 20, Status: store.ApprovalSubmitted, DueOn: "2026-09-29"},
		{Name: "规划许可", LimitDays: 20, Status: store.ApprovalApproved, DueOn: "2026-08-01", ClosedOn: "2026-07-30"}}
	p1.Name, p1.Company, p1.Industry, p1.Stage, p1.Status = "碳纤维项目", "公司2026-01-05", "materials", xinlu.StageAgency, xinlu.ProjectActive
	p1.CreatedAt, p1.SponsorID, p1.Plan.ProposedParkID, p1.Plan.SixNew, p1.Plan.FixedAssetYuan = day("2026-01-12"), sponsor, f.park.ID, []string{"new_materials"}, &fixed
	p1.Signing.SignedOn, p1.Signing.ContractYuan, p1.StartedOn, p1.StageDue = "2026-03-02", 100_000_000, "2026-04-01", "2026-09-21"
	p2 := &store.BulkProject{LeadIndex: 1}
	p2.Name, p2.Company, p2.Industry, p2.Stage, p2.Status = "智能装备项目", "公司2026-02-02", "equipment", xinlu.StageAgency, xinlu.ProjectActive
	p2.CreatedAt, p2.SponsorID, p2.Plan.SixNew = day("2026-02-09"), sponsor, []string{"new_equipment", "new_technology"}
	p2.Signing.SignedOn, p2.Signing.ContractYuan, p2.StageDue = "2026-06-01", 50_000_000, "2026-09-29"
	p3 := &store.BulkProject{LeadIndex: -1, Funds: []store.Funds{{OnDate: "2025-12-20", Yuan: 10_000_000}, {OnDate: "2026-03-01", Yuan: 5_000_000}}}
	p3.Name, p3.Company, p3.Industry, p3.Stage, p3.Status = "轻工项目", "轻工公司", "light_industry", xinlu.StageAgency, xinlu.ProjectActive
	p3.CreatedAt, p3.Signing.SignedOn, p3.Signing.ContractYuan = day("2025-11-03"), "2025-12-01", 30_000_000
	p3.StartedOn, p3.ProducedOn = "2026-02-02", "2026-08-03"
	b.Projects = []*store.BulkProject{p1, p2, p3}
	if _, err := s.BulkLoad(ctx, f.sys, f.zone.ID, b); err != nil {
		t.Fatal(err)
	}
	f.p1, f.p2, f.p3 = p1.ID, p2.ID, p3.ID
	for _, o := range [][2]string{{"2026-09-25", ""}, {"2026-09-01", "2026-09-02"}, {"2026-12-01", ""}} {
		if err := s.ExecForTest(ctx, `INSERT INTO supervision_orders (zone_id, project_id, task, assignee_id, due_on, closed_on, created_at, updated_at)
			VALUES (`+strconv.FormatInt(f.zone.ID, 10)+`, `+strconv.FormatInt(p2.ID, 10)+`, '推进开工 `+o[0]+`', `+strconv.FormatInt(sponsor, 10)+`, '`+o[0]+`', '`+o[1]+`', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func TestCockpitFiguresByHand(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seedCockpit(t, s)
		sum, err := s.CockpitSummary(ctx, f.zone.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		this, last := sum.ThisYear, sum.LastYear
		for _, c := range []struct {
			name      string
			got, want store.CockpitCell
		}{
			{"leads", this["lead"], store.CockpitCell{N: 3}}, {"leads last year", last["lead"], store.CockpitCell{N: 1}},
			{"created", this["created"], store.CockpitCell{N: 2}}, {"created last year", last["created"], store.CockpitCell{N: 1}},
			{"signed", this["signed"], store.CockpitCell{N: 2, Yuan: 150_000_000, Fixed: 80_000_000}},
			{"signed last year", last["signed"], store.CockpitCell{N: 1, Yuan: 30_000_000}},
			{"started", this["started"], store.CockpitCell{N: 2}}, {"produced", this["produced"], store.CockpitCell{N: 1}},
			{"funds", this["funds"], store.CockpitCell{N: 2, Yuan: 25_000_000}}, {"funds last year", last["funds"], store.CockpitCell{N: 1, Yuan: 10_000_000}},
		} {
			if c.got != c.want {
				t.Errorf("%s: %+v, want %+v", c.name, c.got, c.want)
			}
		}
		for tr, want := range map[string]float64{"accept": 5, "sign": 57.5, "start": 33, "produce": 130} {
			if got, ok := xinlu.MedianOfCounts(sum.DaysThisYear[tr]); !ok || got != want {
				t.Errorf("median days %s: %v (%v), want %v", tr, got, sum.DaysThisYear[tr], want)
			}
		}
		if got, _ := xinlu.MedianOfCounts(sum.DaysLastYear["sign"]); got != 20 {
			t.Errorf("last year's signing median %v, want 20", got)
		}
		if len(sum.Months) != 24 || sum.Months[0].Month != "2024-10" || sum.Months[23].Month != "2026-09" {
			t.Errorf("24 months up to this one: %d %s…%s", len(sum.Months), sum.Months[0].Month, sum.Months[len(sum.Months)-1].Month)
		}
		for _, m := range sum.Months {
			if m.Month == "2026-03" && (m.Measures["signed"].Yuan != 100_000_000 || m.Measures["lead"].N != 1 || m.Measures["funds"].Yuan != 5_000_000) {
				t.Errorf("March 2026: %+v", m.Measures)
			}
		}
		bd := sum.Breakdown["signed"]
		park := strconv.FormatInt(f.park.ID, 10)
		sp := strconv.FormatInt(f.users["sponsor"].MemberID, 10)
		for _, c := range []struct {
			dim, key string
			want     store.CockpitCell
		}{
			{"industry", "materials", store.CockpitCell{N: 1, Yuan: 100_000_000, Fixed: 80_000_000}},
			{"industry", "equipment", store.CockpitCell{N: 1, Yuan: 50_000_000}},
			{"six_new", "new_technology", store.CockpitCell{N: 1, Yuan: 50_000_000}},
			{"six_new", "new_materials", store.CockpitCell{N: 1, Yuan: 100_000_000, Fixed: 80_000_000}},
			{"park", park, store.CockpitCell{N: 1, Yuan: 100_000_000, Fixed: 80_000_000}},
			{"park", "0", store.CockpitCell{N: 1, Yuan: 50_000_000}},
			{"sponsor", sp, store.CockpitCell{N: 2, Yuan: 150_000_000, Fixed: 80_000_000}},
		} {
			if got := bd[c.dim][c.key]; got != c.want {
				t.Errorf("signed by %s %s: %+v, want %+v", c.dim, c.key, got, c.want)
			}
		}
		if got := sum.Breakdown["started"]["industry"]["light_industry"].N; got != 1 {
			t.Errorf("started in light industry: %d", got)
		}

		members, depts, _, err := s.CockpitPeople(ctx, f.zone.ID, sum)
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]store.CockpitPerson{}
		for _, p := range append(members, depts...) {
			byName[p.Name] = p
		}
		// Funds in place are credited to the project's sponsor: P1's
		// 20,000,000; P3's 5,000,000 has no sponsor.
		for name, want := range map[string][4]int64{"成员reporter": {2, 0, 0, 0}, "成员peer": {1, 0, 0, 0}, "成员sponsor": {0, 2, 150_000_000, 20_000_000},
			"招商二科": {2, 0, 0, 0}, "财政局": {1, 0, 0, 0}, "招商局": {0, 2, 150_000_000, 20_000_000}} {
			p := byName[name]
			if [4]int64{p.Leads, p.Signed, p.ContractYuan, p.FundsYuan} != want {
				t.Errorf("%s: %+v, want %v", name, p, want)
			}
		}
		if len(members) == 0 || members[0].Name != "成员reporter" {
			t.Errorf("members by leads: %+v", members)
		}

		lt, err := s.ZoneLights(ctx, f.zone.ID)
		if err != nil {
			t.Fatal(err)
		}
		alerts, err := s.CockpitAlerts(ctx, lt, 10)
		if err != nil {
			t.Fatal(err)
		}
		red, yellow := map[string]int{}, map[string]int{}
		for _, a := range alerts {
			red[a.Kind], yellow[a.Kind] = a.Red, a.Yellow
			switch a.Kind {
			case "approval":
				if a.Red != 1 || a.Yellow != 1 || len(a.Items) != 2 || a.Items[0].Name != "环评" || a.Items[0].DaysLate != 4 || a.Items[0].Who != "成员sponsor" {
					t.Errorf("red and yellow approval items: %+v", a)
				}
			case "supervision":
				if a.Red != 1 || a.Yellow != 0 || len(a.Items) != 1 || a.Items[0].DaysLate != 1 || a.Items[0].Who != "成员sponsor" {
					t.Errorf("red supervision orders: %+v", a)
				}
			}
			if a.Kind != "project" {
				continue
			}
			if a.Red != 1 || a.Yellow != 1 || len(a.Items) != 2 || a.Items[0].ID != f.p1 || a.Items[0].DaysLate != 5 ||
				a.Items[0].Who != "成员sponsor" || a.Items[1].ID != f.p2 || a.Items[1].Light != xinlu.LightYellow {
				t.Errorf("red and yellow projects: %+v", a)
			}
		}

		// Every figure's list: its total equals the figure.
		for _, c := range []struct {
			f    store.ProjectFilter
			want int
		}{
			{store.ProjectFilter{SignedFrom: "2026-01-01", SignedTo: "2026-12-31"}, 2},
			{store.ProjectFilter{Reached: "created", ReachedYear: 2026}, int(this["created"].N)},
			{store.ProjectFilter{Reached: "started", ReachedYear: 2026}, int(this["started"].N)},
			{store.ProjectFilter{Reached: "produced", ReachedYear: 2026}, int(this["produced"].N)},
			{store.ProjectFilter{Reached: "created", ReachedYear: 2025}, int(last["created"].N)},
			{store.ProjectFilter{SignedFrom: "2026-01-01", SignedTo: "2026-12-31", Industry: "materials"}, int(bd["industry"]["materials"].N)},
			{store.ProjectFilter{SignedFrom: "2026-01-01", SignedTo: "2026-12-31", SixNew: "new_technology"}, int(bd["six_new"]["new_technology"].N)},
			{store.ProjectFilter{SignedFrom: "2026-01-01", SignedTo: "2026-12-31", ParkID: f.park.ID}, int(bd["park"][park].N)},
			{store.ProjectFilter{SignedFrom: "2026-01-01", SignedTo: "2026-12-31", SponsorID: f.users["sponsor"].MemberID}, int(bd["sponsor"][sp].N)},
			{store.ProjectFilter{Light: xinlu.LightRed}, 1},
		} {
			c.f.ZoneID = f.zone.ID
			_, total, err := s.ListProjects(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			if total != c.want {
				t.Errorf("ledger %s: %d, figure %d", c.f.Encode(), total, c.want)
			}
		}
		// The lists behind the funds, approval and supervision figures.
		for _, c := range []struct {
			f         store.CockpitRecordFilter
			want, sum int64
		}{
			{store.CockpitRecordFilter{Kind: "funds", Year: 2026}, this["funds"].N, this["funds"].Yuan},
			{store.CockpitRecordFilter{Kind: "funds", Year: 2025}, last["funds"].N, last["funds"].Yuan},
			{store.CockpitRecordFilter{Kind: "funds", Year: 2026, SponsorID: f.users["sponsor"].MemberID}, 1, byName["成员sponsor"].FundsYuan},
			{store.CockpitRecordFilter{Kind: "approval", Light: xinlu.LightRed}, int64(red["approval"]), 0},
			{store.CockpitRecordFilter{Kind: "approval"}, 2, 0},
			{store.CockpitRecordFilter{Kind: "approval", Light: xinlu.LightYellow}, 1, 0},
			{store.CockpitRecordFilter{Kind: "supervision", Light: xinlu.LightRed}, int64(red["supervision"]), 0},
			{store.CockpitRecordFilter{Kind: "supervision"}, 1, 0},
		} {
			items, total, sum, err := s.CockpitRecords(ctx, lt, c.f)
			if err != nil {
				t.Fatal(err)
			}
			if int64(total) != c.want || int64(len(items)) != c.want || sum != c.sum {
				t.Errorf("records %+v: %d (%d listed) summing %d, figure %d summing %d", c.f, total, len(items), sum, c.want, c.sum)
			}
		}
		if items, _, _, _ := s.CockpitRecords(ctx, lt, store.CockpitRecordFilter{Kind: "funds", Year: 2026}); len(items) == 2 &&
			(items[0].Date != "2026-03-01" || items[0].Project != "轻工项目" || items[1].Who != "成员sponsor" || items[1].Yuan != 20_000_000) {
			t.Errorf("funds of 2026: %+v", items)
		}
		// 四高 progress: an entered indicator, 2.4 of 3 in August (80%, a
		// level below its target: behind), and a computed one, the 六新
		// projects signed by September (P1 and P2: 2 of 2.5, 80%, at or
		// above the 9/12 of the year gone by: on track).
		rd := &xinlu.TargetIndicator{ZoneID: f.zone.ID, Set: "high_level_rise", Name: "研发投入强度", Unit: "%"}
		six := &xinlu.TargetIndicator{ZoneID: f.zone.ID, Set: "industry_structure", Name: "六新项目签约", Unit: "个", Source: "six_new_projects"}
		for _, ind := range []*xinlu.TargetIndicator{rd, six} {
			if err := s.CreateIndicator(ctx, f.sys, ind); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.SetTarget(ctx, f.sys, f.zone.ID, rd.ID, 2026, 3); err != nil {
			t.Fatal(err)
		}
		if err := s.SetTarget(ctx, f.sys, f.zone.ID, six.ID, 2026, 2.5); err != nil {
			t.Fatal(err)
		}
		if err := s.EnterActual(ctx, f.sys, f.zone.ID, rd.ID, 2026, 8, 2.4); err != nil {
			t.Fatal(err)
		}
		inds, err := s.CockpitIndicators(ctx, f.zone.ID, 2026)
		if err != nil || len(inds) != 2 {
			t.Fatalf("indicators: %+v %v", inds, err)
		}
		for i, want := range []struct {
			actual, share float64
			month         int
			onTrack       bool
		}{{2.4, 0.8, 8, false}, {2, 0.8, 9, true}} {
			r := inds[i]
			if r.Latest == nil || r.Latest.Value != want.actual || r.Latest.Month != want.month || math.Abs(r.Share-want.share) > 1e-9 || r.OnTrack != want.onTrack {
				t.Errorf("indicator %s: %+v latest %+v, want %+v", r.Name, r, r.Latest, want)
			}
		}
		scope := f.users["screener"].Filter(xinlu.PermLeadView)
		for _, c := range []struct {
			f    store.LeadFilter
			want int64
		}{
			{store.LeadFilter{Scope: scope, ReportedYear: 2026}, this["lead"].N},
			{store.LeadFilter{Scope: scope, ReportedYear: 2025}, last["lead"].N},
			{store.LeadFilter{Scope: scope, ReportedYear: 2026, ReporterID: f.users["reporter"].MemberID}, byName["成员reporter"].Leads},
			{store.LeadFilter{Scope: scope, Light: xinlu.LightRed}, int64(red["lead"])},
			{store.LeadFilter{Scope: scope, Light: xinlu.LightYellow}, int64(yellow["lead"])},
		} {
			_, total, err := s.ListLeads(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			if int64(total) != c.want {
				t.Errorf("leads %+v: %d, figure %d", c.f, total, c.want)
			}
		}
	})
}

func TestYearTargetsAudited(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seedLeads(t, s)
		a := f.actor("sponsor")
		set := xinlu.YearTargets{Year: 2026, Values: map[xinlu.CockpitMeasure]int64{xinlu.MeasureContractYuan: 300_000_000, xinlu.MeasureSigned: 4}}
		if err := s.SetYearTargets(ctx, a, f.zone.ID, set); err != nil {
			t.Fatal(err)
		}
		count := func() int {
			var n int
			if err := s.QueryRowForTest(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'cockpit.targets'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if count() != 1 {
			t.Fatal("setting targets is audited")
		}
		if err := s.SetYearTargets(ctx, a, f.zone.ID, set); err != nil || count() != 1 {
			t.Fatalf("saved unchanged: nothing written (%v, %d audit rows)", err, count())
		}
		got, err := s.YearTargets(ctx, f.zone.ID, 2026)
		if err != nil || len(got.Values) != 2 || got.Values[xinlu.MeasureSigned] != 4 {
			t.Fatalf("targets read back %+v %v", got, err)
		}
		if err := s.SetYearTargets(ctx, a, f.zone.ID, xinlu.YearTargets{Year: 2026, Values: map[xinlu.CockpitMeasure]int64{xinlu.MeasureSigned: 5}}); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.YearTargets(ctx, f.zone.ID, 2026); len(got.Values) != 1 || got.Values[xinlu.MeasureSigned] != 5 || count() != 2 {
			t.Fatalf("a target left out is removed: %+v", got)
		}
		if other, _ := s.YearTargets(ctx, f.zone.ID+1000, 2026); len(other.Values) != 0 {
			t.Fatal("targets are the zone's own")
		}
	})
}

// TestCockpitRowsFollowEdits: editing, moving and deleting the records the
// cockpit counts moves its summary rows with them (each trigger's update
// and delete path), on both engines.
func TestCockpitRowsFollowEdits(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seedCockpit(t, s)
		for _, q := range []string{
			`UPDATE projects SET park_id = NULL, six_new = 'new_products,new_materials', contract_yuan = contract_yuan + 7, sponsor_id = NULL WHERE id = ` + strconv.FormatInt(f.p1, 10),
			`UPDATE projects SET started_on = '2026-05-06', produced_on = '2026-09-01' WHERE id = ` + strconv.FormatInt(f.p2, 10),
			`UPDATE projects SET signed_on = '' WHERE id = ` + strconv.FormatInt(f.p3, 10),
			`UPDATE leads SET industry = 'equipment', reported_at = reported_at WHERE zone_id = ` + strconv.FormatInt(f.zone.ID, 10),
			`UPDATE funds_in_place SET amount_yuan = amount_yuan * 2, on_date = '2026-07-01'`,
			`DELETE FROM funds_in_place WHERE project_id = ` + strconv.FormatInt(f.p3, 10),
			`DELETE FROM project_events WHERE project_id = ` + strconv.FormatInt(f.p3, 10),
			`DELETE FROM projects WHERE id = ` + strconv.FormatInt(f.p3, 10),
		} {
			if err := s.ExecForTest(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if bad, err := s.CheckSummaries(ctx); err != nil || len(bad) > 0 {
			t.Fatalf("summary rows differ from a recount: %+v %v", bad, err)
		}
		sum, err := s.CockpitSummary(ctx, f.zone.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if got := sum.ThisYear["signed"]; got.N != 2 || got.Yuan != 150_000_007 {
			t.Errorf("signed after the edit: %+v", got)
		}
		if got := sum.ThisYear["funds"]; got.N != 1 || got.Yuan != 40_000_000 {
			t.Errorf("funds after the edit: %+v", got)
		}
		if got := sum.Breakdown["lead"]["industry"]["equipment"].N; got != 3 {
			t.Errorf("leads moved to equipment: %d", got)
		}
		if got := sum.Breakdown["signed"]["six_new"]["new_products"].N; got != 1 {
			t.Errorf("six_new edited: %d", got)
		}
		if got := sum.ThisYear["produced"].N; got != 1 {
			t.Errorf("producing after P3's deletion and P2's production: %d", got)
		}
		// P1's funds went with its sponsor: to none.
		if got := sum.Breakdown["funds"]["sponsor"]; got["0"].Yuan != 40_000_000 || got[strconv.FormatInt(f.users["sponsor"].MemberID, 10)].N != 0 {
			t.Errorf("funds by sponsor after P1 lost its sponsor: %+v", got)
		}

		// Red and yellow follow the records: P1 lost takes its two open
		// approval items (one red, one yellow) and itself out, brought
		// back puts them in again; a closed order is no longer red.
		approvals := func() (red, yellow int) {
			t.Helper()
			lt, err := s.ZoneLights(ctx, f.zone.ID)
			if err != nil {
				t.Fatal(err)
			}
			alerts, err := s.CockpitAlerts(ctx, lt, 5)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range alerts {
				if a.Kind == "approval" {
					return a.Red, a.Yellow
				}
			}
			return 0, 0
		}
		p1 := strconv.FormatInt(f.p1, 10)
		for _, c := range []struct {
			q         string
			red, yell int
		}{
			{`UPDATE projects SET status = 'lost' WHERE id = ` + p1, 0, 0},
			{`UPDATE projects SET status = 'active' WHERE id = ` + p1, 1, 1},
			{`UPDATE approval_items SET status = 'approved' WHERE name = '环评'`, 0, 1},
			{`UPDATE supervision_orders SET closed_on = '2026-09-25'`, 0, 1},
			{`UPDATE leads SET status = 'screening', screening_due = '2026-09-01' WHERE zone_id = ` + strconv.FormatInt(f.zone.ID, 10), 0, 1},
		} {
			if err := s.ExecForTest(ctx, c.q); err != nil {
				t.Fatalf("%s: %v", c.q, err)
			}
			if bad, err := s.CheckSummaries(ctx); err != nil || len(bad) > 0 {
				t.Fatalf("after %s: summary rows differ from a recount: %+v %v", c.q, bad, err)
			}
			if red, yellow := approvals(); red != c.red || yellow != c.yell {
				t.Errorf("after %s: approval items red %d yellow %d, want %d %d", c.q, red, yellow, c.red, c.yell)
			}
		}
	})
}

// TestCockpitLeadLightsList: the red and yellow leads the cockpit counts
// are the leads its link lists (a lead list by the light of the screening
// deadline), and leads screened leave both.
func TestCockpitLeadLightsList(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seedCockpit(t, s)
		reporter := f.users["reporter"].MemberID
		var ids []int64
		for d := 1; d <= 28; d += 3 {
			l := &xinlu.Lead{Company: fmt.Sprintf("九月%d日公司", d), ProjectName: "待筛项目", Industry: "materials", Channel: "expo",
				ReporterID: reporter, ReportedAt: time.Date(2026, 9, d, 3, 0, 0, 0, time.UTC)}
			if _, err := s.ReportLead(ctx, f.sys, l); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, l.ID)
		}
		scope := f.users["screener"].Filter(xinlu.PermLeadView)
		check := func(when string) (red, yellow int) {
			t.Helper()
			lt, err := s.ZoneLights(ctx, f.zone.ID)
			if err != nil {
				t.Fatal(err)
			}
			alerts, err := s.CockpitAlerts(ctx, lt, 5)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range alerts {
				if a.Kind == "lead" {
					red, yellow = a.Red, a.Yellow
				}
			}
			for light, want := range map[xinlu.Light]int{xinlu.LightRed: red, xinlu.LightYellow: yellow} {
				items, total, err := s.ListLeads(ctx, store.LeadFilter{Scope: scope, Light: light})
				if err != nil {
					t.Fatal(err)
				}
				if total != want || len(items) != want {
					t.Errorf("%s: %s leads listed %d (%d on the page), the cockpit counts %d", when, light, total, len(items), want)
				}
				for _, l := range items {
					if late := l.ScreeningDue < "2026-09-28"; late != (light == xinlu.LightRed) || l.Status == xinlu.LeadRejected {
						t.Errorf("%s: lead %s due %s listed as %s", when, l.Status, l.ScreeningDue, light)
					}
				}
			}
			return red, yellow
		}
		red, yellow := check("reported")
		if red == 0 || yellow == 0 {
			t.Fatalf("the fixture should have red and yellow leads: %d %d", red, yellow)
		}
		for _, id := range ids {
			l, err := s.LeadByID(ctx, scope, id)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.StepLead(ctx, f.actor("screener"), f.users["screener"], id, l.Version,
				xinlu.LeadStep{Action: xinlu.LeadReject, Reason: "不符合园区产业定位"}); err != nil {
				t.Fatal(err)
			}
		}
		if red, yellow := check("screened"); red != 0 || yellow != 0 {
			t.Errorf("after screening: %d red, %d yellow", red, yellow)
		}
		if _, _, err := s.ListLeads(ctx, store.LeadFilter{Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeAllZones}, Light: xinlu.LightRed}); xinlu.ErrorCode(err) != xinlu.EINVALID {
			t.Errorf("a light without a zone: %v", err)
		}
	})
}
