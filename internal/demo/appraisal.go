package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// demoSchemes are the demo zone's schemes, one per kind of position.
func demoSchemes(zoneID int64) []*xinlu.Scheme {
	return []*xinlu.Scheme{
		{ZoneID: zoneID, Name: "一般人员月度考核方案", PositionKind: xinlu.PositionStaff, Indicators: []xinlu.Indicator{
			{Name: "上报招商线索", Kind: xinlu.IndicatorComputed, Metric: "leads_reported", Target: 3, Weight: 25, KeyTask: true},
			{Name: "线索立项", Kind: xinlu.IndicatorComputed, Metric: "leads_accepted", Target: 1, Weight: 10},
			{Name: "代办事项按时办结", Kind: xinlu.IndicatorComputed, Metric: "approvals_on_time", Target: 2, Weight: 5},
			{Name: "部门负责人评价", Kind: xinlu.IndicatorAssessed, Weight: 40},
			{Name: "民主测评", Kind: xinlu.IndicatorPeer, Weight: 20},
			{Name: "奖惩加减分", Kind: xinlu.IndicatorPoints, Target: 1000},
		}},
		{ZoneID: zoneID, Name: "中层干部月度考核方案", PositionKind: xinlu.PositionHead, Indicators: []xinlu.Indicator{
			{Name: "部门签约项目", Kind: xinlu.IndicatorComputed, Metric: "projects_signed", Target: 1, Weight: 20, KeyTask: true},
			{Name: "督办事项按时办结", Kind: xinlu.IndicatorComputed, Metric: "supervision_on_time", Target: 1, Weight: 10},
			{Name: "分管领导评价", Kind: xinlu.IndicatorAssessed, Weight: 45},
			{Name: "民主测评", Kind: xinlu.IndicatorPeer, Weight: 25},
			{Name: "奖惩加减分", Kind: xinlu.IndicatorPoints, Target: 1000},
		}},
		{ZoneID: zoneID, Name: "领导班子月度考核方案", PositionKind: xinlu.PositionLeader, Indicators: []xinlu.Indicator{
			{Name: "包联项目签约额", Kind: xinlu.IndicatorComputed, Metric: "contract_amount", Target: 500_000_000, Weight: 30, KeyTask: true},
			{Name: "包联项目资金到位", Kind: xinlu.IndicatorComputed, Metric: "funds_in_place", Target: 100_000_000, Weight: 20},
			{Name: "主要领导评价", Kind: xinlu.IndicatorAssessed, Weight: 50},
			{Name: "奖惩加减分", Kind: xinlu.IndicatorPoints, Target: 1000},
		}},
	}
}

// seedAppraisal gives the demo zone its schemes, base pay, last month's
// period published with bands, pay and a pending appeal, and this month's
// period in scoring.
func seedAppraisal(ctx context.Context, st *store.Store, z *xinlu.Zone, o *org, now time.Time) error {
	a := xinlu.SystemActor(z.ID)
	users := map[string]*xinlu.User{}
	for _, name := range []string{"appraiser", "director", "finance", "member", "head", "sponsor", "discipline"} {
		u, err := st.UserByUsername(ctx, name)
		if err != nil {
			return fmt.Errorf("demo user %s: %w", name, err)
		}
		users[name] = u
	}
	for _, sc := range demoSchemes(z.ID) {
		if err := st.CreateScheme(ctx, a, sc); err != nil {
			return fmt.Errorf("scheme %s: %w", sc.Name, err)
		}
	}
	schemes, err := st.ListSchemes(ctx, z.ID)
	if err != nil {
		return err
	}
	byKind := map[xinlu.PositionKind]*xinlu.Scheme{}
	for _, sc := range schemes {
		byKind[sc.PositionKind] = sc
	}
	positions, _, err := st.ListPositions(ctx, store.PositionFilter{ZoneID: z.ID, Page: xinlu.Page{PerPage: xinlu.MaxPerPage}})
	if err != nil {
		return err
	}
	kindOf := map[int64]xinlu.PositionKind{}
	for _, p := range positions {
		kindOf[p.ID] = p.Kind
	}
	rng := rand.New(rand.NewPCG(2026, 4))
	pay := map[string]int64{}
	for _, m := range o.members {
		switch kindOf[m.PositionID] {
		case xinlu.PositionLeader:
			pay[m.StaffNo] = 5200
		case xinlu.PositionHead:
			pay[m.StaffNo] = 4200
		default:
			pay[m.StaffNo] = int64(2600 + 100*rng.IntN(8))
		}
	}
	if _, err := st.SetBasePay(ctx, a, users["finance"], pay); err != nil {
		return fmt.Errorf("base pay: %w", err)
	}

	thisMonth := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	last := &xinlu.Period{ZoneID: z.ID, Kind: xinlu.PeriodMonth, Label: thisMonth.AddDate(0, -1, 0).Format("2006-01"),
		Rule: xinlu.DefaultDistributionRule(), Coefficients: xinlu.DefaultCoefficients()}
	current := &xinlu.Period{ZoneID: z.ID, Kind: xinlu.PeriodMonth, Label: thisMonth.Format("2006-01"),
		Rule: xinlu.DefaultDistributionRule(), Coefficients: xinlu.DefaultCoefficients()}
	office := users["appraiser"]
	step := func(p *xinlu.Period, u *xinlu.User, action xinlu.PeriodAction, in store.PeriodInput) error {
		in.Version = p.Version
		next, err := st.StepPeriod(ctx, xinlu.ActorOf(u, ""), u, p.ID, action, in)
		if err != nil {
			return fmt.Errorf("period %s %s: %w", p.Label, action, err)
		}
		*p = *next
		return nil
	}
	for _, p := range []*xinlu.Period{last, current} {
		if err := st.CreatePeriod(ctx, a, p); err != nil {
			return err
		}
		if err := step(p, office, xinlu.PeriodOpen, store.PeriodInput{}); err != nil {
			return err
		}
	}
	// Scores: the director assesses everyone, colleagues rate each other.
	rate := func(p *xinlu.Period, share float64) error {
		var assessed []store.Rating
		director := users["director"]
		for _, m := range o.members {
			sc := byKind[kindOf[m.PositionID]]
			if sc == nil || m.ID == director.MemberID || rng.Float64() > share {
				continue
			}
			for _, ind := range sc.Indicators {
				if ind.Kind == xinlu.IndicatorAssessed {
					assessed = append(assessed, store.Rating{MemberID: m.ID, IndicatorID: ind.ID, Score: int64(7000 + rng.IntN(2800))})
				}
			}
		}
		if _, err := st.SaveRatings(ctx, a, director, p.ID, assessed); err != nil {
			return fmt.Errorf("assessed scores: %w", err)
		}
		byDept := map[int64][]*xinlu.Member{}
		for _, m := range o.members {
			byDept[m.DepartmentID] = append(byDept[m.DepartmentID], m)
		}
		for _, rater := range o.members {
			ru := &xinlu.User{ID: 0, ZoneID: z.ID, MemberID: rater.ID, DepartmentID: rater.DepartmentID, Roles: []xinlu.Role{xinlu.RoleMember}}
			var peer []store.Rating
			for _, m := range byDept[rater.DepartmentID] {
				sc := byKind[kindOf[m.PositionID]]
				if m.ID == rater.ID || sc == nil || rng.Float64() > share {
					continue
				}
				for _, ind := range sc.Indicators {
					if ind.Kind == xinlu.IndicatorPeer {
						peer = append(peer, store.Rating{MemberID: m.ID, IndicatorID: ind.ID, Score: int64(7500 + rng.IntN(2400))})
					}
				}
			}
			if len(peer) == 0 {
				continue
			}
			if _, err := st.SaveRatings(ctx, a, ru, p.ID, peer); err != nil {
				return fmt.Errorf("peer scores by %s: %w", rater.Name, err)
			}
		}
		return nil
	}
	if err := rate(last, 1); err != nil {
		return err
	}
	if err := rate(current, 0.4); err != nil {
		return err
	}
	// Incentives in last month: the reporters' rewards the pipeline proposed
	// at signing and when funds arrived, approved by the director; a penalty
	// with a deduction for the demo member, who claims fault tolerance.
	penalty, err := seedIncentives(ctx, st, z, users, thisMonth.AddDate(0, -1, 0))
	if err != nil {
		return err
	}
	// Last month: calculated, reviewed, pool set, published; one appeal pending.
	if err := step(last, office, xinlu.PeriodCalculate, store.PeriodInput{}); err != nil {
		return err
	}
	total, err := st.PayTotal(ctx, last.ID)
	if err != nil {
		return err
	}
	if err := step(last, users["finance"], xinlu.PeriodSetPool, store.PeriodInput{PoolYuan: (total/10000 + 1) * 10000}); err != nil {
		return err
	}
	if err := step(last, office, xinlu.PeriodReview, store.PeriodInput{}); err != nil {
		return err
	}
	if err := step(last, office, xinlu.PeriodPublish, store.PeriodInput{}); err != nil {
		return err
	}
	member := users["member"]
	if _, err := st.FileAppeal(ctx, xinlu.ActorOf(member, ""), member, last.ID,
		"本月上报并促成立项的线索较多，民主测评得分明显偏低，请求复核测评票数。"); err != nil {
		return fmt.Errorf("appeal: %w", err)
	}
	// The member's fault-tolerance claim against the penalty, accepted and
	// under investigation by the discipline office.
	claim := &xinlu.ToleranceClaim{ZoneID: z.ID, MemberID: member.MemberID, IncentiveID: penalty.ID, Distinction: "public_interest",
		Facts: "为抢抓项目落地窗口期，经部门集体研究，在企业资料未齐全时先行组织现场踏勘并上报项目信息，导致台账信息与最终签约内容不一致。" +
			"本人未谋取任何私利，发现问题后已当即更正台账并向领导组作出说明。"}
	if err := st.FileClaim(ctx, xinlu.ActorOf(member, ""), member, claim); err != nil {
		return fmt.Errorf("tolerance claim: %w", err)
	}
	discipline := users["discipline"]
	for _, action := range []xinlu.ClaimAction{xinlu.ClaimAccept, xinlu.ClaimInvestigate} {
		c, err := st.StepClaim(ctx, xinlu.ActorOf(discipline, ""), discipline, claim.ID, claim.Version, action, xinlu.ClaimInput{})
		if err != nil {
			return fmt.Errorf("tolerance claim %s: %w", action, err)
		}
		claim = c
	}
	return nil
}

// seedIncentives approves some of the rewards the pipeline proposed and
// records an approved penalty for the demo member in the month from first;
// it returns the penalty.
func seedIncentives(ctx context.Context, st *store.Store, z *xinlu.Zone, users map[string]*xinlu.User, first time.Time) (*xinlu.Incentive, error) {
	director, office := users["director"], users["appraiser"]
	proposals, _, err := st.ListIncentives(ctx, store.IncentiveFilter{Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: z.ID},
		Status: xinlu.IncentiveProposed, Page: xinlu.Page{PerPage: 12}})
	if err != nil {
		return nil, err
	}
	for i, p := range proposals {
		if i%3 == 2 {
			continue // a few wait for approval
		}
		if _, err := st.StepIncentive(ctx, xinlu.ActorOf(director, ""), director, p.ID, p.Version, xinlu.IncentiveApprove, "同意，按规定兑现"); err != nil {
			return nil, fmt.Errorf("approve %d: %w", p.ID, err)
		}
	}
	on := first.AddDate(0, 0, 11).Format(xinlu.DateLayout)
	manual := []*xinlu.Incentive{
		{MemberID: users["member"].MemberID, Kind: xinlu.IncentivePenalty, Points: -300, Reason: "项目台账信息与签约内容不一致，未及时更正",
			EvidenceType: xinlu.EvidenceEvent, EvidenceText: "月度招商台账核查通报", OccurredOn: on},
		{MemberID: users["head"].MemberID, Kind: xinlu.IncentiveReward, AmountYuan: 3000, Points: 200, Reason: "牵头完成重点项目用地报批",
			EvidenceType: xinlu.EvidenceEvent, EvidenceText: "管委会专题会议纪要", OccurredOn: on},
	}
	for _, i := range manual {
		if err := st.CreateIncentive(ctx, xinlu.ActorOf(office, ""), office, i); err != nil {
			return nil, fmt.Errorf("incentive: %w", err)
		}
		approved, err := st.StepIncentive(ctx, xinlu.ActorOf(director, ""), director, i.ID, i.Version, xinlu.IncentiveApprove, "同意")
		if err != nil {
			return nil, fmt.Errorf("approve incentive: %w", err)
		}
		*i = *approved
	}
	return manual[0], nil
}
