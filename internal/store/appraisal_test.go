package store_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// appraisalEnv is a zone with a department of six staff, two small
// departments of three and two (pooled together), a leader with a term,
// schemes for staff and leaders, and an October period.
type appraisalEnv struct {
	s        *store.Store
	zone     *xinlu.Zone
	sys      xinlu.Actor
	office   *xinlu.User // appraisal office
	director *xinlu.User
	finance  *xinlu.User
	big      []*xinlu.Member // department A, six staff
	small    []*xinlu.Member // departments B (3) and C (2)
	leader   *xinlu.Member
	staff    *xinlu.Scheme
	period   *xinlu.Period
}

var appraisalToday = time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC) // Monday 2 November

func newAppraisalEnv(t *testing.T, s *store.Store) *appraisalEnv {
	t.Helper()
	ctx := context.Background()
	s.SetClock(func() time.Time { return appraisalToday })
	z, sys := seedZone(t, s, "AP")
	e := &appraisalEnv{s: s, zone: z, sys: sys}
	dept := func(code string) int64 {
		d := &xinlu.Department{ZoneID: z.ID, Code: code, Name: "部门" + code}
		if err := s.CreateDepartment(ctx, sys, d); err != nil {
			t.Fatal(err)
		}
		return d.ID
	}
	pos := func(name string, kind xinlu.PositionKind) int64 {
		p := &xinlu.Position{ZoneID: z.ID, Name: name, Kind: kind}
		if err := s.CreatePosition(ctx, sys, p); err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	staffPos, leaderPos := pos("专员", xinlu.PositionStaff), pos("副主任", xinlu.PositionLeader)
	n := 0
	member := func(dept, position int64) *xinlu.Member {
		n++
		m := &xinlu.Member{ZoneID: z.ID, DepartmentID: dept, PositionID: position, StaffNo: fmt.Sprintf("A%03d", n), Name: fmt.Sprintf("人员%d", n),
			Status: xinlu.MemberActive, JoinedOn: "2020-01-01"}
		if err := s.CreateMember(ctx, sys, m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	a, b, c := dept("A"), dept("B"), dept("C")
	for range 6 {
		e.big = append(e.big, member(a, staffPos))
	}
	for range 3 {
		e.small = append(e.small, member(b, staffPos))
	}
	for range 2 {
		e.small = append(e.small, member(c, staffPos))
	}
	e.leader = member(a, leaderPos)
	if err := s.CreateTerm(ctx, sys, &xinlu.Term{ZoneID: z.ID, MemberID: e.leader.ID, Title: "副主任", StartDate: "2025-01-01", EndDate: "2027-12-31"}); err != nil {
		t.Fatal(err)
	}
	e.staff = &xinlu.Scheme{ZoneID: z.ID, Name: "工作人员考核方案", PositionKind: xinlu.PositionStaff, Indicators: []xinlu.Indicator{
		{Name: "上报线索", Kind: xinlu.IndicatorComputed, Metric: "leads_reported", Target: 4, Weight: 40, KeyTask: true},
		{Name: "领导评价", Kind: xinlu.IndicatorAssessed, Weight: 60},
		{Name: "加减分", Kind: xinlu.IndicatorPoints, Target: 1000},
	}}
	if err := s.CreateScheme(ctx, sys, e.staff); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateScheme(ctx, sys, &xinlu.Scheme{ZoneID: z.ID, Name: "班子成员考核方案", PositionKind: xinlu.PositionLeader,
		Indicators: []xinlu.Indicator{{Name: "综合评价", Kind: xinlu.IndicatorAssessed, Weight: 100}}}); err != nil {
		t.Fatal(err)
	}
	e.period = &xinlu.Period{ZoneID: z.ID, Kind: xinlu.PeriodMonth, Label: "2026-10", Rule: xinlu.DefaultDistributionRule(),
		Coefficients: xinlu.DefaultCoefficients()}
	if err := s.CreatePeriod(ctx, sys, e.period); err != nil {
		t.Fatal(err)
	}
	e.office = &xinlu.User{ID: 900, ZoneID: z.ID, Username: "office", Name: "考核办", Roles: []xinlu.Role{xinlu.RoleAppraiser}}
	e.director = &xinlu.User{ID: 901, ZoneID: z.ID, Username: "director", Name: "主任", Roles: []xinlu.Role{xinlu.RoleDirector}, MemberID: e.leader.ID}
	e.finance = &xinlu.User{ID: 902, ZoneID: z.ID, Username: "finance", Name: "财务", Roles: []xinlu.Role{xinlu.RoleFinance}}
	return e
}

func (e *appraisalEnv) step(t *testing.T, u *xinlu.User, action xinlu.PeriodAction, in store.PeriodInput) (*xinlu.Period, error) {
	t.Helper()
	p, err := e.s.PeriodByID(context.Background(), e.zone.ID, e.period.ID)
	if err != nil {
		t.Fatal(err)
	}
	if in.Version == 0 {
		in.Version = p.Version
	}
	return e.s.StepPeriod(context.Background(), xinlu.ActorOf(u, "127.0.0.1"), u, e.period.ID, action, in)
}

func (e *appraisalEnv) must(t *testing.T, u *xinlu.User, action xinlu.PeriodAction, in store.PeriodInput) *xinlu.Period {
	t.Helper()
	p, err := e.step(t, u, action, in)
	if err != nil {
		t.Fatalf("%s: %v", action, err)
	}
	return p
}

// rate enters the director's assessed score for each member.
func (e *appraisalEnv) rate(t *testing.T, scores map[int64]int64) {
	t.Helper()
	var rs []store.Rating
	for m, v := range scores {
		rs = append(rs, store.Rating{MemberID: m, IndicatorID: e.staff.Indicators[1].ID, Score: v})
	}
	if _, err := e.s.SaveRatings(context.Background(), xinlu.ActorOf(e.director, ""), e.director, e.period.ID, rs); err != nil {
		t.Fatal(err)
	}
}

func resultsByMember(t *testing.T, s *store.Store, zoneID, periodID int64) map[int64]*store.Result {
	t.Helper()
	rs, total, err := s.ListResults(context.Background(), store.ResultFilter{PeriodID: periodID,
		Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: zoneID}, Page: xinlu.Page{PerPage: 200}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]*store.Result{}
	for _, r := range rs {
		out[r.MemberID] = r
	}
	if len(out) != total {
		t.Fatalf("%d results, total %d", len(out), total)
	}
	return out
}

func TestAppraisalPeriodEndToEnd(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newAppraisalEnv(t, s)
		// Ratings only in scoring.
		if _, err := s.SaveRatings(ctx, xinlu.ActorOf(e.director, ""), e.director, e.period.ID,
			[]store.Rating{{MemberID: e.big[0].ID, IndicatorID: e.staff.Indicators[1].ID, Score: 9000}}); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("rating a draft period: %v", err)
		}
		if _, err := e.step(t, e.director, xinlu.PeriodOpen, store.PeriodInput{}); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("the director opened a period: %v", err)
		}
		e.must(t, e.office, xinlu.PeriodOpen, store.PeriodInput{})
		// Leads in October count for the computed indicator: big[0] reports 4 (100), big[1] 2 (50).
		reporter := func(m *xinlu.Member, k int) {
			for i := range k {
				l := &xinlu.Lead{ZoneID: e.zone.ID, ReporterID: m.ID, Company: fmt.Sprintf("%s测试公司%d", m.Name, i), ProjectName: "项目",
					Industry: "equipment", InvestmentYuan: new(int64(1e8)), Channel: "personal", ContactName: "张三", ContactPhone: "13800001111"}
				s.SetClock(func() time.Time { return time.Date(2026, 10, 20, 3, 0, 0, 0, time.UTC) })
				if _, err := s.ReportLead(ctx, e.sys, l); err != nil {
					t.Fatal(err)
				}
				s.SetClock(func() time.Time { return appraisalToday })
			}
		}
		reporter(e.big[0], 4)
		reporter(e.big[1], 2)
		// Nobody rates themself.
		if _, err := s.SaveRatings(ctx, xinlu.ActorOf(e.director, ""), e.director, e.period.ID,
			[]store.Rating{{MemberID: e.leader.ID, IndicatorID: e.staff.Indicators[1].ID, Score: 9000}}); xinlu.ErrorCode(err) != xinlu.EINVALID {
			t.Fatalf("self rating: %v", err)
		}
		scores := map[int64]int64{}
		for i, m := range e.big {
			scores[m.ID] = int64(9000 - 500*i) // 90, 85, 80, 75, 70, 65
		}
		for i, m := range e.small {
			scores[m.ID] = int64(8800 - 300*i)
		}
		e.rate(t, scores)
		// big[5] is on probation: not ranked.
		e.big[5].Status = xinlu.MemberProbation
		if err := s.UpdateMember(ctx, e.sys, e.big[5]); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetBasePay(ctx, e.sys, e.finance, map[string]int64{e.big[0].StaffNo: 3000, e.big[4].StaffNo: 3000, e.small[0].StaffNo: 2000}); err != nil {
			t.Fatal(err)
		}
		e.must(t, e.office, xinlu.PeriodCalculate, store.PeriodInput{})
		res := resultsByMember(t, s, e.zone.ID, e.period.ID)
		if len(res) != 12 {
			t.Fatalf("%d results, want 12", len(res))
		}
		top := res[e.big[0].ID]
		// 4 leads of 4 → 100 × 40% + 90 × 60% = 94.
		if top.Score != 9400 || top.Band != xinlu.BandTop || top.Rank != 1 || top.Group == "" || top.PayYuan != 3600 {
			t.Fatalf("top: %+v", top)
		}
		if r := res[e.big[1].ID]; r.Score != 2000+5100 {
			t.Fatalf("big[1] score %d, want 71.00", r.Score)
		}
		if r := res[e.big[5].ID]; r.Band != xinlu.BandExcluded || r.Exclusion != "probation" || r.Rank != 0 {
			t.Fatalf("probation: %+v", r)
		}
		// Department A has five ranked: one top, one bottom.
		if r := res[e.big[4].ID]; r.Band != xinlu.BandBottom || r.GroupSize != 5 || r.PayYuan != 2400 {
			t.Fatalf("bottom of A: %+v", r)
		}
		// B and C are pooled: 5 members.
		if r := res[e.small[0].ID]; r.Group != "pooled" || r.GroupSize != 5 || r.Band != xinlu.BandTop {
			t.Fatalf("pooled: %+v", r)
		}
		if r := res[e.leader.ID]; r.Group != "leaders" || r.Band != xinlu.BandMiddle || r.Missing != 1 {
			t.Fatalf("leader (nobody assessed): %+v", r)
		}
		if _, n, err := s.ListResults(ctx, store.ResultFilter{PeriodID: e.period.ID, Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: e.zone.ID},
			Missing: true, Page: xinlu.Page{PerPage: 10}}); err != nil || n != 1 {
			t.Fatalf("members with unscored indicators: %d %v", n, err)
		}
		one, err := s.ResultOf(ctx, xinlu.ScopeFilter{Scope: xinlu.ScopeOwn, ZoneID: e.zone.ID, MemberID: e.big[0].ID}, e.period.ID, e.big[0].ID)
		if err != nil || len(one.Breakdown.Lines) != 3 || one.Breakdown.Lines[0].Value != 4 || one.Breakdown.Lines[0].Score != 10000 {
			t.Fatalf("breakdown %+v %v", one, err)
		}
		if _, err := s.ResultOf(ctx, xinlu.ScopeFilter{Scope: xinlu.ScopeOwn, ZoneID: e.zone.ID, MemberID: e.big[1].ID}, e.period.ID, e.big[0].ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("someone else's result: %v", err)
		}

		// Calibration: the top of A is full; a reason is required; a move into an empty slot works.
		e.must(t, e.office, xinlu.PeriodReview, store.PeriodInput{})
		if _, err := e.step(t, e.office, xinlu.PeriodCalibrate, store.PeriodInput{MemberID: e.big[1].ID, Band: xinlu.BandTop, Reason: "重点项目突出"}); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("calibration over the top quota: %v", err)
		}
		if _, err := e.step(t, e.office, xinlu.PeriodCalibrate, store.PeriodInput{MemberID: e.big[0].ID, Band: xinlu.BandMiddle}); xinlu.ErrorCode(err) != xinlu.EINVALID {
			t.Fatalf("calibration without a reason: %v", err)
		}
		e.must(t, e.office, xinlu.PeriodCalibrate, store.PeriodInput{MemberID: e.big[0].ID, Band: xinlu.BandMiddle, Reason: "群众反映较多，经考核委员会研究"})
		e.must(t, e.office, xinlu.PeriodCalibrate, store.PeriodInput{MemberID: e.big[1].ID, Band: xinlu.BandTop, Reason: "重点项目突出"})
		res = resultsByMember(t, s, e.zone.ID, e.period.ID)
		if r := res[e.big[1].ID]; r.Band != xinlu.BandTop || r.Rule != "calibrated" || r.CalibratedFrom != "middle" {
			t.Fatalf("calibrated: %+v", r)
		}
		// Pool: finance sets one below the total; publishing is refused until the office decides.
		e.must(t, e.finance, xinlu.PeriodSetPool, store.PeriodInput{PoolYuan: 7000})
		if _, err := e.step(t, e.office, xinlu.PeriodPublish, store.PeriodInput{}); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("published over the pool: %v", err)
		}
		e.must(t, e.office, xinlu.PeriodPoolDecide, store.PeriodInput{Decision: "scale", Reason: "按总额核减"})
		res = resultsByMember(t, s, e.zone.ID, e.period.ID)
		var total int64
		for _, r := range res {
			total += r.PayYuan
		}
		if total != 7000 {
			t.Fatalf("scaled total %d, want the pool 7000", total)
		}
		p := e.must(t, e.office, xinlu.PeriodPublish, store.PeriodInput{})
		if p.State != xinlu.PeriodPublication || p.PublishedOn != "2026-11-02" || p.PublicationEnds != "2026-11-06" {
			t.Fatalf("published %+v", p)
		}
		// A member appeals; a second open appeal is refused; finalising waits.
		mu := &xinlu.User{ID: 77, ZoneID: e.zone.ID, MemberID: e.big[4].ID, Roles: []xinlu.Role{xinlu.RoleMember}}
		ap, err := s.FileAppeal(ctx, xinlu.ActorOf(mu, ""), mu, e.period.ID, "本月完成招商任务较多，评分偏低")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.FileAppeal(ctx, xinlu.ActorOf(mu, ""), mu, e.period.ID, "再次申诉一下"); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("second open appeal: %v", err)
		}
		s.SetClock(func() time.Time { return time.Date(2026, 11, 9, 2, 0, 0, 0, time.UTC) })
		if _, err := e.step(t, e.director, xinlu.PeriodFinalize, store.PeriodInput{}); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("finalised with an open appeal: %v", err)
		}
		if _, err := s.AnswerAppeal(ctx, xinlu.ActorOf(e.office, ""), e.office, ap.ID, false, "经复核维持原结果", ap.Version); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("answered outside recheck: %v", err)
		}
		e.must(t, e.office, xinlu.PeriodRecheckA, store.PeriodInput{})
		if _, err := s.AnswerAppeal(ctx, xinlu.ActorOf(e.office, ""), e.office, ap.ID, false, "经复核维持原结果", ap.Version); err != nil {
			t.Fatal(err)
		}
		p = e.must(t, e.office, xinlu.PeriodPublish, store.PeriodInput{})
		if p.PublicationEnds != "2026-11-13" {
			t.Fatalf("republished until %s", p.PublicationEnds)
		}
		if _, err := e.step(t, e.director, xinlu.PeriodFinalize, store.PeriodInput{}); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("finalised during publication: %v", err)
		}
		s.SetClock(func() time.Time { return time.Date(2026, 11, 16, 2, 0, 0, 0, time.UTC) })
		e.must(t, e.director, xinlu.PeriodFinalize, store.PeriodInput{})
		e.must(t, e.office, xinlu.PeriodApply, store.PeriodInput{})
		var proposals int
		if err := s.QueryRowForTest(ctx, `SELECT COUNT(*) FROM consequences WHERE period_id = ? AND action = 'reminder_talk'`, e.period.ID).Scan(&proposals); err != nil {
			t.Fatal(err)
		}
		// Bottom band: big[4] in A, and one in the pool.
		if proposals != 2 {
			t.Fatalf("%d reminder talks proposed, want 2", proposals)
		}
		hist, periods, err := s.MemberHistory(ctx, e.zone.ID, e.big[4].ID)
		if err != nil || len(hist) != 1 || periods[0].Label != "2026-10" {
			t.Fatalf("history %v %v", hist, err)
		}
	})
}

func TestSchemeRules(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newAppraisalEnv(t, s)
		dup := &xinlu.Scheme{ZoneID: e.zone.ID, Name: "另一个方案", PositionKind: xinlu.PositionStaff,
			Indicators: []xinlu.Indicator{{Name: "评价", Kind: xinlu.IndicatorAssessed, Weight: 100}}}
		if err := s.CreateScheme(ctx, e.sys, dup); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("second scheme for staff: %v", err)
		}
		bad := &xinlu.Scheme{ZoneID: e.zone.ID, Name: "中层方案", PositionKind: xinlu.PositionHead,
			Indicators: []xinlu.Indicator{{Name: "评价", Kind: xinlu.IndicatorAssessed, Weight: 90}}}
		if err := s.CreateScheme(ctx, e.sys, bad); xinlu.AsError(err).Key != "appraisal.weights_sum" {
			t.Fatalf("weights of 90: %v", err)
		}
		// Renaming keeps indicator ids by name; stale versions are refused.
		sc, err := s.SchemeByID(ctx, e.zone.ID, e.staff.ID)
		if err != nil {
			t.Fatal(err)
		}
		before := sc.Indicators[1].ID
		sc.Name = "工作人员月度考核方案"
		sc.Indicators[0].Weight, sc.Indicators[1].Weight = 50, 50
		if err := s.UpdateScheme(ctx, e.sys, sc); err != nil {
			t.Fatal(err)
		}
		again, _ := s.SchemeByID(ctx, e.zone.ID, e.staff.ID)
		if again.Indicators[1].ID != before || again.Indicators[0].Weight != 50 || again.Name != "工作人员月度考核方案" {
			t.Fatalf("updated scheme %+v", again)
		}
		sc.Version = 1
		if err := s.UpdateScheme(ctx, e.sys, sc); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("stale scheme update: %v", err)
		}
	})
}

func TestAbsentMembersAreNotRanked(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newAppraisalEnv(t, s)
		e.must(t, e.office, xinlu.PeriodOpen, store.PeriodInput{})
		if err := s.SetAbsence(ctx, e.sys, e.director, e.period.ID, e.big[2].ID, 12); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("the director recorded an absence: %v", err)
		}
		if err := s.SetAbsence(ctx, e.sys, e.office, e.period.ID, e.big[2].ID, -1); xinlu.ErrorCode(err) != xinlu.EINVALID {
			t.Fatalf("negative absence: %v", err)
		}
		// October 2026 has 22 working days without a holiday calendar: 12 absent leaves 10, under half.
		if err := s.SetAbsence(ctx, e.sys, e.office, e.period.ID, e.big[2].ID, 12); err != nil {
			t.Fatal(err)
		}
		if err := s.SetAbsence(ctx, e.sys, e.office, e.period.ID, e.big[3].ID, 11); err != nil {
			t.Fatal(err)
		}
		e.must(t, e.office, xinlu.PeriodCalculate, store.PeriodInput{})
		res := resultsByMember(t, s, e.zone.ID, e.period.ID)
		if r := res[e.big[2].ID]; r.Band != xinlu.BandExcluded || r.Exclusion != "absent" || r.Rule != "excluded:absent" {
			t.Fatalf("absent 12 of 22: %+v", r)
		}
		if r := res[e.big[3].ID]; r.Band == xinlu.BandExcluded {
			t.Fatalf("present exactly half was not ranked: %+v", r)
		}
		id, err := s.MemberIDByStaffNo(ctx, e.zone.ID, " "+e.big[2].StaffNo+" ")
		if err != nil || id != e.big[2].ID {
			t.Fatalf("by staff number: %d %v", id, err)
		}
		if _, err := s.MemberIDByStaffNo(ctx, e.zone.ID, "NOPE"); xinlu.ErrorCode(err) != xinlu.EINVALID {
			t.Fatalf("unknown staff number: %v", err)
		}
	})
}

func TestDeclaredTieBreakers(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newAppraisalEnv(t, s)
		e.must(t, e.office, xinlu.PeriodOpen, store.PeriodInput{})
		s.SetClock(func() time.Time { return time.Date(2026, 10, 20, 3, 0, 0, 0, time.UTC) })
		for i, n := range []int{4, 2} {
			for k := range n {
				l := &xinlu.Lead{ZoneID: e.zone.ID, ReporterID: e.big[i].ID, Company: fmt.Sprintf("并列测试%d公司%d", i, k), ProjectName: "项目",
					Industry: "equipment", Channel: "personal"}
				if _, err := s.ReportLead(ctx, e.sys, l); err != nil {
					t.Fatal(err)
				}
			}
		}
		s.SetClock(func() time.Time { return appraisalToday })
		// 100 × 40% + 50 × 60% = 70.00 and 50 × 40% + 83.33 × 60% = 70.00: equal scores, different key tasks.
		scores := map[int64]int64{e.big[0].ID: 5000, e.big[1].ID: 8333}
		for i, m := range e.big[2:] {
			scores[m.ID] = int64(4000 - 500*i)
		}
		e.rate(t, scores)
		e.must(t, e.office, xinlu.PeriodCalculate, store.PeriodInput{})
		res := resultsByMember(t, s, e.zone.ID, e.period.ID)
		a, b := res[e.big[0].ID], res[e.big[1].ID]
		if a.Score != b.Score || a.Band != xinlu.BandTop || a.Rank != 1 || b.Band != xinlu.BandMiddle || b.Rank != 2 {
			t.Fatalf("key task breaks the tie: %+v / %+v", a, b)
		}
		// Without tie-breakers the two share the top place, which straddles the boundary: both middle.
		p, err := s.PeriodByID(ctx, e.zone.ID, e.period.ID)
		if err != nil {
			t.Fatal(err)
		}
		p.Rule.TieBreakers = nil
		if err := s.UpdatePeriod(ctx, e.sys, p); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("settings changed after calculation: %v", err)
		}
		if err := s.ExecForTest(ctx, `UPDATE appraisal_periods SET tie_breakers = '' WHERE id = `+strconv.FormatInt(p.ID, 10)); err != nil {
			t.Fatal(err)
		}
		e.must(t, e.office, xinlu.PeriodCalculate, store.PeriodInput{})
		res = resultsByMember(t, s, e.zone.ID, e.period.ID)
		a, b = res[e.big[0].ID], res[e.big[1].ID]
		if a.Band != xinlu.BandMiddle || b.Band != xinlu.BandMiddle || a.Rank != 1 || b.Rank != 1 || a.Rule != "tie_at_boundary" {
			t.Fatalf("undeclared tie: %+v / %+v", a, b)
		}
		p.Rule.TieBreakers = []string{"luck"}
		if err := p.Rule.Validate(); xinlu.AsError(err).Field != "tie_breakers" {
			t.Fatalf("unknown tie-breaker: %v", err)
		}
	})
}

func TestApplyProposesTheZonesLadder(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newAppraisalEnv(t, s)
		st, err := s.AppraisalSettings(ctx, e.zone.ID)
		if err != nil {
			t.Fatal(err)
		}
		st.Ladder = xinlu.Ladder{Periodic: []xinlu.LadderStep{{Consecutive: 1, Action: xinlu.ConsequenceAdmonitionTalk}}}
		if err := s.SaveAppraisalSettings(ctx, e.sys, e.office, &st); err != nil {
			t.Fatal(err)
		}
		e.must(t, e.office, xinlu.PeriodOpen, store.PeriodInput{})
		scores := map[int64]int64{}
		for i, m := range append(append([]*xinlu.Member{}, e.big...), e.small...) {
			scores[m.ID] = int64(9000 - 200*i)
		}
		e.rate(t, scores)
		for _, a := range []xinlu.PeriodAction{xinlu.PeriodCalculate, xinlu.PeriodReview, xinlu.PeriodPublish} {
			e.must(t, e.office, a, store.PeriodInput{})
		}
		s.SetClock(func() time.Time { return time.Date(2026, 11, 16, 2, 0, 0, 0, time.UTC) })
		e.must(t, e.director, xinlu.PeriodFinalize, store.PeriodInput{})
		e.must(t, e.office, xinlu.PeriodApply, store.PeriodInput{})
		var admonitions, others int
		if err := s.QueryRowForTest(ctx, `SELECT SUM(CASE WHEN action = 'admonition_talk' THEN 1 ELSE 0 END), SUM(CASE WHEN action <> 'admonition_talk' THEN 1 ELSE 0 END)
			FROM consequences WHERE period_id = ?`, e.period.ID).Scan(&admonitions, &others); err != nil {
			t.Fatal(err)
		}
		if admonitions != 2 || others != 0 {
			t.Fatalf("%d admonitions, %d others: the zone's ladder says an admonition after one bottom placement", admonitions, others)
		}
	})
}
