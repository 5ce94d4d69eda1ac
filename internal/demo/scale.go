package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// ScaleOptions tune SeedScale.
type ScaleOptions struct {
	Zone     string              // the code of the zone to add them to; "" is the demo zone
	Leads    int                 // how many leads to add
	Now      time.Time           // the end of the history; zero is now
	Batch    int                 // leads per transaction; 0 is 20,000
	Progress func(done, all int) // optional
}

// ScaleResult says what SeedScale wrote.
type ScaleResult struct {
	store.BulkCounts
	Batches int
}

// SeedScale adds a realistic pipeline at scale to the demo zone (seeded
// first if need be): leads reported over three years by the zone's members,
// most rejected or dormant, about one in ten accepted and its project
// spread over the stages with approval items, funds in place and a
// timeline. It writes through the store's bulk loader (store.BulkLoad):
// multi-row INSERTs in large transactions, contact phones sealed, one
// summary audit row per batch; there is no duplicate search or per-lead
// audit row, which would not fit in minutes. Batches are generated and
// sealed on another goroutine while the previous one is written.
func SeedScale(ctx context.Context, st *store.Store, opt ScaleOptions) (*ScaleResult, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.Batch <= 0 {
		opt.Batch = 20000
	}
	code := opt.Zone
	if code == "" {
		code = ZoneCode
	}
	z, err := st.ZoneByCode(ctx, code)
	if err != nil {
		return nil, fmt.Errorf("zone %s: %w (run xinlu demo first)", code, err)
	}
	members, _, err := st.ListMembers(ctx, store.MemberFilter{Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: z.ID},
		Page: xinlu.Page{Page: 1, PerPage: xinlu.MaxPerPage}})
	if err != nil {
		return nil, err
	}
	if len(members) == 0 {
		return nil, fmt.Errorf("zone %s has no members", code)
	}
	var agentID int64
	if u, err := st.UserByUsername(ctx, "agent"); err == nil && u.ZoneID == z.ID {
		agentID = u.MemberID
	}
	sponsors := []int64{}
	for _, name := range []string{"sponsor", "director"} {
		if u, err := st.UserByUsername(ctx, name); err == nil && u.MemberID != 0 && u.ZoneID == z.ID {
			sponsors = append(sponsors, u.MemberID)
		}
	}
	if len(sponsors) == 0 {
		sponsors = append(sponsors, members[0].ID)
	}
	cal, err := st.Calendar(ctx, z.ID)
	if err != nil {
		return nil, err
	}
	g := &scaleGen{rng: rand.New(rand.NewPCG(2026, uint64(opt.Leads))), now: opt.Now, members: members, sponsors: sponsors,
		agentID: agentID, cal: cal}
	type prepared struct {
		b   *store.BulkBatch
		err error
	}
	ch := make(chan prepared, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(ch)
		for done := 0; done < opt.Leads; done += opt.Batch {
			b := g.batch(min(opt.Batch, opt.Leads-done))
			err := st.PrepareBulk(ctx, z.ID, b)
			select {
			case ch <- prepared{b, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	res := &ScaleResult{}
	a := xinlu.SystemActor(z.ID)
	for p := range ch {
		if p.err != nil {
			return res, p.err
		}
		c, err := st.BulkLoad(ctx, a, z.ID, p.b)
		if err != nil {
			return res, err
		}
		g.loaded(p.b)
		res.Leads += c.Leads
		res.Projects += c.Projects
		res.Events += c.Events
		res.Approvals += c.Approvals
		res.Funds += c.Funds
		res.Batches++
		if opt.Progress != nil {
			opt.Progress(res.Leads, opt.Leads)
		}
	}
	return res, nil
}

// scaleGen makes batches of leads and projects.
type scaleGen struct {
	rng      *rand.Rand
	now      time.Time
	members  []*xinlu.Member
	sponsors []int64
	agentID  int64
	cal      *xinlu.Calendar
	earlier  []int64 // ids of loaded leads, for merges (a sample)
}

// loaded keeps a sample of a loaded batch's lead ids as merge targets.
func (g *scaleGen) loaded(b *store.BulkBatch) {
	for i, l := range b.Leads {
		if i%50 == 0 && l.Status != xinlu.LeadMerged && len(g.earlier) < 100000 {
			g.earlier = append(g.earlier, l.ID)
		}
	}
}

func (g *scaleGen) batch(n int) *store.BulkBatch {
	rng := g.rng
	b := &store.BulkBatch{Leads: make([]*xinlu.Lead, 0, n)}
	span := 3 * 365 * 24 * time.Hour
	for i := 0; i < n; i++ {
		ind := pickIndustry(rng)
		// A few members report much, most little.
		m := g.members[int(float64(len(g.members))*rng.Float64()*rng.Float64())]
		at := g.now.Add(-time.Duration(rng.Float64() * float64(span)))
		l := &xinlu.Lead{ReporterID: m.ID, Company: companyName(rng, ind, true), ProjectName: projectName(rng, ind), Industry: ind,
			InvestmentYuan: new(investment(rng)), Channel: xinlu.LeadChannels[rng.IntN(len(xinlu.LeadChannels))],
			ContactName:  string(surnames[rng.IntN(len(surnames))]) + contactTitles[rng.IntN(len(contactTitles))],
			ContactPhone: demoPhone(rng), ReportedAt: at, Version: 2}
		age := g.now.Sub(at)
		x := rng.IntN(1000)
		switch {
		case age < 14*24*time.Hour && x < 600:
			l.Status, l.Version = []xinlu.LeadStatus{xinlu.LeadReported, xinlu.LeadScreening, xinlu.LeadInfoRequested}[x%3], 1+x%3/2
			if l.Status == xinlu.LeadInfoRequested {
				l.Reason = infoReasons[x%len(infoReasons)]
			}
		case x < 100:
			l.Status, l.Version = xinlu.LeadAccepted, 3
		case x < 600:
			l.Status, l.Reason, l.Version = xinlu.LeadRejected, rejectReasons[x%len(rejectReasons)], 3
			if x%97 == 0 {
				l.VetoGround, l.VetoReason = xinlu.VetoGrounds[x%3], "一票否决：不符合园区准入要求"
			}
		case x < 880:
			l.Status, l.Reason, l.Version = xinlu.LeadDormant, shelveReasons[x%len(shelveReasons)], 3
		case x < 920 && len(g.earlier) > 0:
			l.Status, l.MergedInto = xinlu.LeadMerged, g.earlier[rng.IntN(len(g.earlier))]
		case x < 960:
			l.Status, l.Reason = xinlu.LeadInfoRequested, infoReasons[x%len(infoReasons)]
		default:
			l.Status = xinlu.LeadScreening
		}
		b.Leads = append(b.Leads, l)
		if l.Status == xinlu.LeadAccepted {
			b.Projects = append(b.Projects, g.project(len(b.Leads)-1, l))
		}
	}
	return b
}

// project makes the project of an accepted lead: the older, the further.
func (g *scaleGen) project(idx int, l *xinlu.Lead) *store.BulkProject {
	rng := g.rng
	acc := l.ReportedAt.Add(time.Duration(2+rng.IntN(5)) * 24 * time.Hour)
	if acc.After(g.now) {
		acc = g.now
	}
	days := int(g.now.Sub(acc).Hours() / 24)
	// The furthest stage the time allows, then a random one up to it.
	reach := 0
	for i, need := range []int{0, 20, 90, 170, 300, 400} {
		if days >= need {
			reach = i
		}
	}
	stage := rng.IntN(reach + 1)
	if reach >= 2 && rng.IntN(2) == 0 {
		stage = max(stage, reach-1)
	}
	p := &store.BulkProject{LeadIndex: idx}
	p.Name, p.Company, p.Industry, p.Stage, p.Status = l.ProjectName, l.Company, l.Industry, xinlu.Stages[stage], xinlu.ProjectActive
	p.CreatedAt = acc
	p.Plan.TotalYuan = l.InvestmentYuan
	inv := *l.InvestmentYuan
	date := func(t time.Time) string { return t.In(cst).Format(xinlu.DateLayout) }
	ev := func(t time.Time, kind string, d map[string]any) {
		p.Events = append(p.Events, store.BulkEvent{At: t, Kind: kind, Detail: d})
	}
	today := g.now
	dayOf := func(t time.Time) time.Time {
		y, m, d := t.In(cst).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	p.StageDue = g.cal.AddWorkdays(dayOf(acc), xinlu.PackagingWorkdays).Format(xinlu.DateLayout)
	if stage >= 1 {
		sub := acc.AddDate(0, 0, 10+rng.IntN(10))
		p.Plan.Content = "建设" + l.ProjectName + "，新建标准化厂房及配套设施，引进自动化生产线。"
		p.Plan.FixedAssetYuan = new(inv * 7 / 10)
		p.Plan.LandMu, p.Plan.Jobs = float64(30+rng.IntN(300)), 50+rng.IntN(800)
		p.Plan.OutputYuan, p.Plan.TaxYuan = new(inv*12/10), new(inv/15)
		p.SponsorID = g.sponsors[rng.IntN(len(g.sponsors))]
		ev(sub, string(xinlu.ProjectSubmitPlan), map[string]any{"from_stage": "packaging", "to_stage": "promotion", "total_yuan": p.Plan.TotalYuan})
		last := sub
		for t := sub.AddDate(0, 0, 15); t.Before(today) && (stage == 1 || t.Before(sub.AddDate(0, 0, 60))); t = t.AddDate(0, 0, 20+rng.IntN(20)) {
			ev(t, "negotiation", map[string]any{"date": date(t), "participants": "包联领导、招商部门、企业", "outcome": "就用地与要素保障继续商谈"})
			last = t
		}
		p.StageDue = g.cal.AddWorkdays(dayOf(last), xinlu.ProgressWorkdays).Format(xinlu.DateLayout)
		if stage >= 2 {
			signed := sub.AddDate(0, 0, 60+rng.IntN(20))
			start := signed.AddDate(0, 0, 60+rng.IntN(60))
			produce := start.AddDate(0, 0, 200+rng.IntN(100))
			p.Signing = xinlu.Signing{SignedOn: date(signed), ContractYuan: inv * 9 / 10, PromisedStart: date(start),
				PromisedProduce: date(produce), FundsSchedule: "签约后6个月内到位30%"}
			p.StageDue = p.Signing.PromisedStart
			ev(signed, string(xinlu.ProjectSign), map[string]any{"from_stage": "promotion", "to_stage": "agency", "signed_on": date(signed)})
			for i, t := range store.DefaultApprovalTemplate {
				it := store.ApprovalItem{Name: t.Name, AgentID: g.agentID, LimitDays: t.LimitDays, SortOrder: i + 1,
					StartedOn: date(signed), DueOn: g.cal.AddWorkdays(dayOf(signed), t.LimitDays).Format(xinlu.DateLayout)}
				closed := signed.AddDate(0, 0, 2+i+t.LimitDays*7/10)
				if stage >= 3 || closed.Before(today) && rng.IntN(5) > 0 {
					it.Status, it.ClosedOn = store.ApprovalApproved, date(closed)
				} else {
					it.Status = store.ApprovalSubmitted
				}
				p.Approvals = append(p.Approvals, it)
			}
			for k, ft := 0, signed.AddDate(0, 0, 40); k < 4 && ft.Before(today); k, ft = k+1, ft.AddDate(0, 0, 90) {
				p.Funds = append(p.Funds, store.Funds{OnDate: date(ft), Yuan: inv / 10, Note: "银行进账单"})
				ev(ft, "funds", map[string]any{"date": date(ft), "amount_yuan": inv / 10})
			}
			t := signed
			if stage >= 3 {
				t = signed.AddDate(0, 0, 60+rng.IntN(30))
				p.StartedOn, p.StageDue = date(t), p.Signing.PromisedProduce
				ev(t, string(xinlu.ProjectStartBuilding), map[string]any{"date": date(t)})
			}
			if stage >= 4 {
				t = t.AddDate(0, 0, 100+rng.IntN(40))
				p.ProducedOn, p.StageDue = date(t), ""
				ev(t, string(xinlu.ProjectStartProducing), map[string]any{"date": date(t)})
			}
			if stage >= 5 {
				t = t.AddDate(0, 0, 60+rng.IntN(40))
				p.FullOn = date(t)
				ev(t, string(xinlu.ProjectFullProduction), map[string]any{"date": date(t)})
			}
		}
	}
	switch x := rng.IntN(100); {
	case x < 4 && stage < 5:
		p.Status = xinlu.ProjectOnHold
	case x < 8 && stage < 5:
		p.Status, p.LostReason = xinlu.ProjectLost, xinlu.LostReasons[x%len(xinlu.LostReasons)]
	}
	return p
}
