package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// The demo pipeline: about 300 leads reported over the past 18 months by
// the zone's members, screened by the screening task force, and about 40
// of them accepted and carried through packaging, promotion, signing,
// approvals, construction and production by the demo accounts. Everything
// goes through the store's workflow methods, on a store clock set to each
// step's moment, so that audit rows, timelines, deadlines and lights are
// what the real system would have written.

// cst is the zone's time.
var cst = time.FixedZone("CST", 8*3600)

// Names of companies and projects, by industry.
var (
	brands = []string{"华晋", "晋能", "太行", "汾河", "三晋", "龙城", "恒润", "鑫源", "泰和", "中晟", "宏达", "瑞丰", "金石", "天成", "博远",
		"德盛", "永固", "华德", "晋阳", "云冈", "五台", "晋韵", "鼎力", "远景", "长风", "北辰", "东方", "华宇", "国泰", "瑞能",
		"晋瑞", "安泰", "华信", "中恒", "汇通", "凯盛", "盛唐", "新晋", "明德", "正元", "晋钢", "方正", "昌盛", "宝丰", "蓝海"}
	brandChars     = []rune("华晋能太行汾河三龙城恒润鑫源泰和中晟宏达瑞丰金石天成博远德盛永固阳云冈五台韵鼎力远景长风北辰东方宇国安信汇通凯唐新明正元钢昌宝蓝海兴隆鸿运")
	companyRegions = []string{"", "", "", "山西", "山西", "太原", "晋中", "长治", "江苏", "浙江", "深圳", "北京", "山东", "天津"}
	industryWords  = map[string][]string{
		"equipment":      {"智能装备", "精密机械", "智能制造", "机器人", "数控机床", "液压装备", "矿山装备", "轨道交通装备"},
		"biomedicine":    {"生物医药", "制药", "生物科技", "医疗器械", "药业", "中药饮片", "生物工程"},
		"materials":      {"新材料", "碳纤维", "镁合金", "特种钢材", "复合材料", "石墨烯", "铝基新材料"},
		"light_industry": {"轻工", "食品", "包装", "家居", "纺织", "日化", "陶瓷"},
		"casting":        {"铸造", "精密铸造", "铸业", "锻压", "铸件", "铸锻"},
		"other":          {"物流", "能源科技", "数字科技"},
	}
	legalFormsDemo  = []string{"有限公司", "有限公司", "股份有限公司", "科技有限公司", "集团有限公司"}
	projectPatterns = map[string][]string{
		"equipment":      {"年产%d台套智能装备项目", "高端液压支架制造项目", "智能制造产业园项目", "数控机床生产线项目", "矿山智能装备研发制造基地"},
		"biomedicine":    {"原料药及制剂生产基地项目", "年产%d万支医用耗材项目", "生物医药产业化项目", "中药饮片加工项目", "医疗器械研发生产项目"},
		"materials":      {"年产%d万吨高性能镁合金项目", "碳纤维复合材料项目", "特种钢材深加工项目", "新型建材生产线项目", "铝基新材料项目"},
		"light_industry": {"年产%d万件家居用品项目", "食品精深加工项目", "绿色包装材料项目", "日化产品生产基地", "纺织服装产业园项目"},
		"casting":        {"铸造产能置换升级项目", "年产%d万吨精密铸件项目", "绿色智能铸造产业园", "高端铸锻件项目", "消失模铸造生产线项目"},
		"other":          {"智慧物流园项目", "分布式光伏储能项目", "数字经济产业园项目"},
	}
	industryWeights = []struct {
		code string
		w    int
	}{{"equipment", 30}, {"biomedicine", 20}, {"materials", 22}, {"light_industry", 12}, {"casting", 13}, {"other", 3}}
	rejectReasons = []string{"投资强度不足每亩300万元，不符合园区准入标准", "产业方向与园区定位不符", "企业主体资信存疑，无法核实投资能力",
		"高耗能项目，能耗指标无法保障", "企业已决定落户其他园区", "投资方无实际出资能力，项目为中介炒作", "环保准入不符合园区规划环评要求"}
	shelveReasons = []string{"企业投资计划推迟至明年", "等待集团董事会决策", "用地指标待落实后再议", "企业融资尚未到位，暂缓推进"}
	infoReasons   = []string{"请补充企业营业执照及近三年财务报表", "请补充项目用地、用水、用电和能耗需求", "请补充投资方股东背景及出资证明"}
	contactTitles = []string{"总", "经理", "董事长", "副总", "主任"}
)

// pickIndustry draws an industry by the zone's weights.
func pickIndustry(rng *rand.Rand) string {
	n := rng.IntN(100)
	for _, iw := range industryWeights {
		if n < iw.w {
			return iw.code
		}
		n -= iw.w
	}
	return "equipment"
}

// companyName makes a company name of the industry; wide gives brands of
// any two characters, for names enough for a million leads.
func companyName(rng *rand.Rand, industry string, wide bool) string {
	brand := brands[rng.IntN(len(brands))]
	if wide {
		brand = string(brandChars[rng.IntN(len(brandChars))]) + string(brandChars[rng.IntN(len(brandChars))])
	}
	words := industryWords[industry]
	return companyRegions[rng.IntN(len(companyRegions))] + brand + words[rng.IntN(len(words))] + legalFormsDemo[rng.IntN(len(legalFormsDemo))]
}

// nearDuplicate rewrites a company name the way a second reporter would:
// another legal form, a region added or a bracketed city.
func nearDuplicate(rng *rand.Rand, name string) string {
	key := xinlu.NormalizeCompany(name)
	switch rng.IntN(3) {
	case 0:
		return "山西" + key + "有限责任公司"
	case 1:
		return key + "（太原）有限公司"
	default:
		return key + "集团"
	}
}

func projectName(rng *rand.Rand, industry string) string {
	ps := projectPatterns[industry]
	p := ps[rng.IntN(len(ps))]
	if containsVerb(p) {
		return fmt.Sprintf(p, 5+rng.IntN(96))
	}
	return p
}

func containsVerb(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '%' && s[i+1] == 'd' {
			return true
		}
	}
	return false
}

// investment draws a planned investment between 30 million and 5 billion
// yuan, most of it small, rounded to a million.
func investment(rng *rand.Rand) int64 {
	yi := 0.3 * math.Pow(50/0.3*3, rng.Float64()) // 0.3 … 50 亿
	if yi > 50 {
		yi = 50
	}
	return int64(yi*100) * 1_000_000
}

// pipelineUsers are the demo accounts that take the pipeline's steps.
type pipelineUsers struct {
	screener, planner, sponsor, agent, director *xinlu.User
}

func loadPipelineUsers(ctx context.Context, st *store.Store) (*pipelineUsers, error) {
	var pu pipelineUsers
	for name, dst := range map[string]**xinlu.User{"screener": &pu.screener, "planner": &pu.planner, "sponsor": &pu.sponsor,
		"agent": &pu.agent, "director": &pu.director} {
		u, err := st.UserByUsername(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("demo user %s: %w", name, err)
		}
		*dst = u
	}
	return &pu, nil
}

// event is one step of the demo's history, run in time order.
type event struct {
	at  time.Time
	seq int
	run func() error
}

type timeline struct {
	events []event
	now    time.Time // the end of history
}

// at schedules fn at t; a step after now is dropped, and so is every step
// it would have scheduled.
func (tl *timeline) at(t time.Time, fn func() error) {
	if t.After(tl.now) {
		return
	}
	tl.events = append(tl.events, event{at: t, seq: len(tl.events), run: fn})
}

// demoLead is one lead of the demo as it is planned and as it stands.
type demoLead struct {
	lead     *xinlu.Lead
	version  int
	outcome  string // reported, screening, info, accept, reject, shelve, merge, veto-keep, veto-reject, veto-override
	dupOf    *demoLead
	project  *demoProject
	reported time.Time
}

// demoProject is one accepted lead's project as it is planned.
type demoProject struct {
	id       int64
	version  int
	target   xinlu.Stage
	status   xinlu.ProjectStatus // final: active, on_hold, lost
	redItem  bool                // leave one approval item overdue
	industry string
	total    int64
}

// seedPipeline reports the demo's leads and takes their projects through
// the stages, in time order, ending at now.
func seedPipeline(ctx context.Context, st *store.Store, z *xinlu.Zone, o *org, now time.Time) error {
	pu, err := loadPipelineUsers(ctx, st)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(2026, 300))
	restore := st.Clock()
	defer st.SetClock(restore)
	cur := now
	st.SetClock(func() time.Time { return cur })
	sys := xinlu.SystemActor(z.ID)
	act := func(u *xinlu.User) xinlu.Actor { return xinlu.ActorOf(u, "127.0.0.1") }

	// Reporters: a few members report many leads, most a few.
	reporters := append([]*xinlu.Member(nil), o.members...)
	rng.Shuffle(len(reporters), func(i, j int) { reporters[i], reporters[j] = reporters[j], reporters[i] })
	weights := make([]float64, len(reporters))
	sum := 0.0
	for i := range weights {
		weights[i] = 1 / math.Pow(float64(i+1), 1.1)
		sum += weights[i]
	}
	pickReporter := func() *xinlu.Member {
		x := rng.Float64() * sum
		for i, w := range weights {
			if x < w {
				return reporters[i]
			}
			x -= w
		}
		return reporters[0]
	}

	const nLeads = 300
	start := now.AddDate(0, -18, 0)
	span := now.Sub(start)
	var leads []*demoLead
	for i := 0; i < nLeads; i++ {
		t := start.Add(time.Duration(rng.Float64() * float64(span)))
		day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, cst)
		t = day.Add(8*time.Hour + 30*time.Minute + time.Duration(rng.IntN(9*3600))*time.Second)
		if t.After(now) {
			t = now.Add(-time.Duration(1+rng.IntN(120)) * time.Minute)
		}
		ind := pickIndustry(rng)
		rep := pickReporter()
		l := &xinlu.Lead{ZoneID: z.ID, ReporterID: rep.ID, Company: companyName(rng, ind, false), ProjectName: projectName(rng, ind),
			Industry: ind, InvestmentYuan: new(investment(rng)), Channel: xinlu.LeadChannels[rng.IntN(len(xinlu.LeadChannels))],
			ContactName:  string(surnames[rng.IntN(len(surnames))]) + contactTitles[rng.IntN(len(contactTitles))],
			ContactPhone: demoPhone(rng), ReportedAt: t.UTC()}
		l.Description = fmt.Sprintf("%s拟投资约%.1f亿元建设%s，通过%s渠道接洽。", l.Company, float64(*l.InvestmentYuan)/1e8, l.ProjectName,
			map[string]string{"personal": "个人关系", "association": "商会协会", "expo": "展会", "agency": "中介机构", "online": "网络",
				"referral": "企业推荐", "visit": "上门拜访", "other": "其他"}[l.Channel])
		leads = append(leads, &demoLead{lead: l, reported: t})
	}
	sort.Slice(leads, func(i, j int) bool { return leads[i].reported.Before(leads[j].reported) })

	// Near-duplicates: a later lead names an earlier company another way.
	for k := 0; k < 10; k++ {
		a := leads[20+k*25]
		b := leads[30+k*26]
		if b == a || b.reported.Before(a.reported) || a.dupOf != nil {
			continue
		}
		b.lead.Company = nearDuplicate(rng, a.lead.Company)
		b.lead.Industry, b.lead.ProjectName = a.lead.Industry, a.lead.ProjectName
		if b.lead.ReporterID == a.lead.ReporterID {
			b.lead.ReporterID = reporters[(k+1)%len(reporters)].ID
		}
		b.dupOf = a
	}

	// Outcomes: the last two weeks are still in screening; the older ones
	// were decided, about one in seven accepted.
	recent := now.AddDate(0, 0, -14)
	vetoes := []string{"veto-keep", "veto-reject", "veto-override"}
	for i, dl := range leads {
		switch {
		case dl.dupOf != nil && dl.dupOf.outcome != "merge":
			if dl.reported.After(recent) {
				dl.outcome = "reported" // the screener sees the duplicate
			} else {
				dl.outcome = "merge"
			}
		case dl.reported.After(recent):
			dl.outcome = []string{"reported", "reported", "screening", "screening", "info"}[rng.IntN(5)]
		case i%60 == 7 && len(vetoes) > 0:
			dl.outcome, vetoes = vetoes[0], vetoes[1:]
		default:
			x := rng.IntN(100)
			switch {
			case x < 15:
				dl.outcome = "accept"
			case x < 65:
				dl.outcome = "reject"
			case x < 88:
				dl.outcome = "shelve"
			case x < 94:
				dl.outcome = "info"
			default:
				dl.outcome = "screening"
			}
		}
	}

	// Projects: the older the acceptance, the further the project.
	var projects []*demoProject
	for _, dl := range leads {
		if dl.outcome != "accept" && dl.outcome != "veto-override" {
			continue
		}
		age := now.Sub(dl.reported).Hours() / 24
		target := xinlu.StagePackaging
		switch {
		case age > 420:
			target = xinlu.StageFullProduction
		case age > 300:
			target = xinlu.StageProduction
		case age > 190:
			target = xinlu.StageConstruction
		case age > 110:
			target = xinlu.StageAgency
		case age > 40:
			target = xinlu.StagePromotion
		}
		p := &demoProject{target: target, status: xinlu.ProjectActive, industry: dl.lead.Industry, total: *dl.lead.InvestmentYuan}
		dl.project = p
		projects = append(projects, p)
	}
	// A few on hold and lost, and a few overdue approvals.
	for i, p := range projects {
		switch {
		case i%11 == 3 && p.target != xinlu.StageFullProduction:
			p.status = xinlu.ProjectOnHold
		case i%13 == 5 && p.target != xinlu.StageFullProduction:
			p.status = xinlu.ProjectLost
		case p.target == xinlu.StageAgency && i%2 == 0:
			p.redItem = true
		}
	}

	tl := &timeline{now: now.Add(-time.Minute)}
	step := func(dl *demoLead, u *xinlu.User, s xinlu.LeadStep) error {
		next, err := st.StepLead(ctx, act(u), u, dl.lead.ID, dl.version, s)
		if err != nil {
			return fmt.Errorf("lead %d %s: %w", dl.lead.ID, s.Action, err)
		}
		dl.version = next.Version
		if next.ProjectID != 0 && dl.project != nil {
			dl.project.id, dl.project.version = next.ProjectID, 1
		}
		return nil
	}
	scr := pu.screener
	for _, dl := range leads {
		dl := dl
		tl.at(dl.reported, func() error {
			if _, err := st.ReportLead(ctx, sys, dl.lead); err != nil {
				return fmt.Errorf("report %s: %w", dl.lead.Company, err)
			}
			dl.version = dl.lead.Version
			return nil
		})
		d := func(days float64) time.Time {
			return dl.reported.Add(time.Duration(days*24) * time.Hour).Add(time.Duration(rng.IntN(3600)) * time.Second)
		}
		t1, t2 := d(1+float64(rng.IntN(2))), d(3+float64(rng.IntN(3)))
		switch dl.outcome {
		case "reported":
		case "screening":
			tl.at(t1, func() error { return step(dl, scr, xinlu.LeadStep{Action: xinlu.LeadStartScreening}) })
		case "info":
			tl.at(t1, func() error {
				return step(dl, scr, xinlu.LeadStep{Action: xinlu.LeadRequestInfo, Reason: infoReasons[int(dl.reported.Unix())%len(infoReasons)]})
			})
		case "reject":
			reason := rejectReasons[rng.IntN(len(rejectReasons))]
			tl.at(t1, func() error { return step(dl, scr, xinlu.LeadStep{Action: xinlu.LeadStartScreening}) })
			tl.at(t2, func() error { return step(dl, scr, xinlu.LeadStep{Action: xinlu.LeadReject, Reason: reason}) })
		case "shelve":
			reason := shelveReasons[rng.IntN(len(shelveReasons))]
			tl.at(t1, func() error { return step(dl, scr, xinlu.LeadStep{Action: xinlu.LeadStartScreening}) })
			tl.at(t2, func() error { return step(dl, scr, xinlu.LeadStep{Action: xinlu.LeadShelve, Reason: reason}) })
		case "merge":
			tl.at(t1, func() error {
				return step(dl, scr, xinlu.LeadStep{Action: xinlu.LeadMerge, MergeInto: dl.dupOf.lead.ID, Reason: "同一投资主体重复上报"})
			})
		case "veto-keep":
			tl.at(t1, func() error { return step(dl, scr, xinlu.LeadStep{Action: xinlu.LeadStartScreening}) })
			tl.at(t2, func() error {
				return step(dl, scr, xinlu.LeadStep{Action: xinlu.LeadVeto, VetoGround: "environment", Reason: "涉及电镀工序，园区无配套废水处理能力"})
			})
		case "veto-reject":
			tl.at(t1, func() error {
				return step(dl, scr, xinlu.LeadStep{Action: xinlu.LeadVeto, VetoGround: "energy", Reason: "单位产值能耗高于全省平均水平2倍"})
			})
			tl.at(t2, func() error {
				return step(dl, scr, xinlu.LeadStep{Action: xinlu.LeadReject, Reason: "能耗一票否决"})
			})
		case "veto-override", "accept":
			tl.at(t1, func() error { return step(dl, scr, xinlu.LeadStep{Action: xinlu.LeadStartScreening}) })
			if dl.outcome == "veto-override" {
				tl.at(t1.Add(2*time.Hour), func() error {
					return step(dl, scr, xinlu.LeadStep{Action: xinlu.LeadVeto, VetoGround: "safety", Reason: "涉及危险化学品储存，需安全评估"})
				})
				tl.at(t1.Add(26*time.Hour), func() error {
					return step(dl, pu.director, xinlu.LeadStep{Action: xinlu.LeadOverrideVeto, Reason: "企业已承诺采用本质安全工艺，经领导组研究同意推进"})
				})
				t2 = t2.Add(48 * time.Hour)
			}
			tl.at(t2, func() error { return step(dl, scr, xinlu.LeadStep{Action: xinlu.LeadAccept}) })
			scheduleProject(ctx, st, tl, rng, pu, o, dl, t2, act)
		}
	}

	sort.SliceStable(tl.events, func(i, j int) bool {
		if !tl.events[i].at.Equal(tl.events[j].at) {
			return tl.events[i].at.Before(tl.events[j].at)
		}
		return tl.events[i].seq < tl.events[j].seq
	})
	for _, e := range tl.events {
		cur = e.at
		if err := e.run(); err != nil {
			return err
		}
	}
	cur = now

	// Red deadlines the director should see: a plan that is late and a
	// sponsor who has not reported progress.
	reds := map[xinlu.Stage]int{}
	cal, err := st.Calendar(ctx, z.ID)
	if err != nil {
		return err
	}
	today := time.Date(now.In(cst).Year(), now.In(cst).Month(), now.In(cst).Day(), 0, 0, 0, 0, time.UTC)
	for _, p := range projects {
		if p.id == 0 || p.status != xinlu.ProjectActive {
			continue
		}
		rec, err := st.ProjectByID(ctx, z.ID, p.id)
		if err != nil {
			return err
		}
		if rec.Stage != xinlu.StagePackaging && rec.Stage != xinlu.StagePromotion {
			continue
		}
		due := cal.AddWorkdays(today, 3+int(p.id%12))
		if reds[rec.Stage] < 2 {
			reds[rec.Stage]++
			due = today.AddDate(0, 0, -2-int(p.id%5))
		}
		if err := st.SetProjectDue(ctx, p.id, due.Format(xinlu.DateLayout)); err != nil {
			return err
		}
	}
	return nil
}

// scheduleProject plans the life of an accepted lead's project from its
// acceptance at t0 to its target stage.
func scheduleProject(ctx context.Context, st *store.Store, tl *timeline, rng *rand.Rand, pu *pipelineUsers, o *org, dl *demoLead,
	t0 time.Time, act func(*xinlu.User) xinlu.Actor) {
	p := dl.project
	var maxT time.Time // the last step planned, before now
	at := func(t time.Time, fn func() error) {
		if !t.After(tl.now) && t.After(maxT) {
			maxT = t
		}
		tl.at(t, fn)
	}
	target := stageIndex(p.target)
	days := func(t time.Time, d int) time.Time {
		return t.AddDate(0, 0, d).Add(time.Duration(rng.IntN(5*3600)) * time.Second)
	}
	date := func(t time.Time) string { return t.In(cst).Format(xinlu.DateLayout) }
	do := func(u *xinlu.User, action xinlu.ProjectAction, in store.StepInput) error {
		rec, err := st.StepProject(ctx, act(u), u, p.id, p.version, action, in)
		if err != nil {
			return fmt.Errorf("project %d %s: %w", p.id, action, err)
		}
		p.version = rec.Version
		return nil
	}
	plan := &xinlu.Plan{
		Content:   fmt.Sprintf("建设%s，新建标准化厂房及配套设施，引进自动化生产线，达产后形成规模化产能。", dl.lead.ProjectName),
		TotalYuan: new(p.total), FixedAssetYuan: new(p.total * 7 / 10), LandMu: float64(30 + rng.IntN(300)),
		WaterTPD: float64(50 + rng.IntN(2000)), PowerKVA: float64(1000 + rng.IntN(30000)), GasM3PD: float64(rng.IntN(20000)),
		HeatTPH: float64(rng.IntN(20)), OutputYuan: new(p.total * int64(12+rng.IntN(10)) / 10), TaxYuan: new(p.total / int64(12+rng.IntN(10))),
		Jobs: 50 + rng.IntN(800), SixNew: []string{xinlu.SixNewTags[rng.IntN(len(xinlu.SixNewTags))]},
		ChainPosition:  xinlu.ChainPositions[rng.IntN(len(xinlu.ChainPositions))],
		ProposedParkID: o.parkOf(p.industry, p.id),
	}
	sponsor := pu.sponsor
	if rng.IntN(3) == 0 {
		sponsor = pu.director
	}
	// Packaging: a draft plan, then the plan submitted.
	t := days(t0, 3)
	at(t, func() error {
		return do(pu.planner, xinlu.ProjectSavePlan, store.StepInput{Plan: plan, Note: "初稿"})
	})
	last := t
	if target >= 1 {
		t = days(t0, 12+rng.IntN(8))
		at(t, func() error { return do(pu.planner, xinlu.ProjectSubmitPlan, store.StepInput{Plan: plan}) })
		t = days(t, 2)
		at(t, func() error {
			return do(sponsor, xinlu.ProjectAssignSponsor, store.StepInput{SponsorID: sponsor.MemberID, Note: "领导组会议确定包联领导"})
		})
		// Negotiations every few weeks while in promotion; a supervision order.
		promoEnd := tl.now
		if target >= 2 {
			promoEnd = days(t, 35+rng.IntN(40))
		}
		for n, nt := 0, days(t, 10+rng.IntN(6)); nt.Before(promoEnd); n, nt = n+1, days(nt, 12+rng.IntN(6)) {
			n, nt := n, nt
			at(nt, func() error {
				return st.AddNegotiation(ctx, act(sponsor), sponsor, p.id, store.Negotiation{Date: date(nt),
					Participants: sponsor.Name + "、招商一部、企业董事长", Outcome: []string{"企业对园区区位和要素保障表示认可，约定下轮商谈土地价格",
						"就用地规模、供电容量和入园时序达成一致", "讨论投资协议文本，企业提出税收奖补诉求", "双方就协议主要条款达成一致，待企业董事会批准"}[n%4]})
			})
			if n == 1 {
				assignee := o.members[int(p.total/1e6)%len(o.members)]
				at(nt.Add(time.Hour), func() error {
					return st.AddSupervisionOrder(ctx, act(sponsor), sponsor, p.id, store.SupervisionOrder{Task: "落实项目用地规划条件并报领导组",
						AssigneeID: assignee.ID, Due: date(nt.AddDate(0, 0, 14))})
				})
			}
			last = nt
		}
		t = promoEnd
	}
	var signedAt time.Time
	if target >= 2 {
		signed := t
		signedAt = signed
		start := days(signed, 60+rng.IntN(60))
		produce := days(start, 200+rng.IntN(120))
		sg := &xinlu.Signing{SignedOn: date(signed), ContractYuan: p.total * int64(8+rng.IntN(3)) / 10, PromisedStart: date(start),
			PromisedProduce: date(produce), FundsSchedule: "签约后6个月内到位30%，开工后12个月内到位70%"}
		at(signed, func() error {
			return do(sponsor, xinlu.ProjectSign, store.StepInput{Signing: sg, Note: "投资协议签约仪式"})
		})
		// Approvals: each item submitted and approved (or committed) within its limit.
		for i, tmpl := range store.DefaultApprovalTemplate {
			i, tmpl := i, tmpl
			sub := days(signed, 1+i)
			fin := days(signed, 2+i+tmpl.LimitDays*7/10)
			if p.redItem && i == 1 {
				fin = tl.now.Add(time.Hour) // never: overdue
			}
			var itemID int64
			var ver int
			load := func() error {
				items, err := st.Approvals(ctx, dl.lead.ZoneID, p.id)
				if err != nil {
					return err
				}
				for _, it := range items {
					if it.Name == tmpl.Name {
						itemID, ver = it.ID, it.Version
					}
				}
				return nil
			}
			commit := i == 5 && rng.IntN(2) == 0
			at(sub, func() error {
				if err := load(); err != nil {
					return err
				}
				action := "submit"
				if commit {
					action = "commit"
				}
				it, err := st.StepApproval(ctx, act(pu.agent), pu.agent, p.id, itemID, ver, action,
					store.ApprovalInput{AgentID: pu.agent.MemberID, Note: map[bool]string{true: "承诺制办理", false: "材料已报送"}[commit]})
				if err != nil {
					return fmt.Errorf("approval %s: %w", tmpl.Name, err)
				}
				ver = it.Version
				return nil
			})
			if !commit {
				at(fin, func() error {
					_, err := st.StepApproval(ctx, act(pu.agent), pu.agent, p.id, itemID, ver, "approve", store.ApprovalInput{Note: "已取得批复"})
					return err
				})
			}
		}
		last = signed
		if p.industry == "casting" {
			// The capacity replacement plan: into publicity, announced before construction.
			pt := days(signed, 15)
			var plan *xinlu.ReplacementPlan
			at(pt, func() error {
				var err error
				plan, err = castingPlan(ctx, st, act(pu.planner), p.id, dl.lead.ProjectName, float64(10000+rng.IntN(8)*5000))
				return err
			})
			if target >= 3 {
				at(days(signed, 40), func() error {
					_, err := st.MoveCastingPlan(ctx, act(pu.planner), plan.ZoneID, plan.ID, plan.Version, xinlu.PlanAnnounced, "公示期满无异议，予以公告")
					return err
				})
			}
		}
		if target >= 3 {
			bt := days(signed, 50+rng.IntN(30))
			at(bt, func() error { return do(pu.agent, xinlu.ProjectStartBuilding, store.StepInput{Date: date(bt)}) })
			last = bt
		}
		if target >= 4 {
			pt := days(last, 100+rng.IntN(40))
			at(pt, func() error { return do(pu.agent, xinlu.ProjectStartProducing, store.StepInput{Date: date(pt)}) })
			last = pt
		}
		if target >= 5 {
			ft := days(last, 60+rng.IntN(40))
			at(ft, func() error { return do(pu.agent, xinlu.ProjectFullProduction, store.StepInput{Date: date(ft)}) })
			last = ft
		}
	}
	endT := maxT.AddDate(0, 0, 5)
	if target >= 2 {
		fundsEnd := tl.now
		if p.status != xinlu.ProjectActive {
			fundsEnd = endT
		}
		signed := signedAt
		// Funds in place, quarterly after signing.
		for k, ft := 0, days(signed, 40); ft.Before(fundsEnd) && k < 6; k, ft = k+1, days(ft, 80+rng.IntN(30)) {
			ft := ft
			amount := p.total * int64(8+rng.IntN(10)) / 100
			tl.at(ft, func() error {
				return st.RecordFunds(ctx, act(pu.agent), pu.agent, p.id, store.Funds{OnDate: date(ft), Yuan: amount, Note: "银行进账单"})
			})
		}
	}
	switch p.status {
	case xinlu.ProjectOnHold:
		ht := endT
		at(ht, func() error {
			return do(sponsor, xinlu.ProjectHold, store.StepInput{Note: "企业资金链紧张，暂缓推进"})
		})
	case xinlu.ProjectLost:
		lt := endT.Add(time.Hour)
		at(lt, func() error {
			return do(sponsor, xinlu.ProjectLose, store.StepInput{Reason: "investor_withdrew", Note: "企业转投邻省园区"})
		})
	}
}

// stageIndex is the position of a stage in the stage order.
func stageIndex(s xinlu.Stage) int {
	for i, v := range xinlu.Stages {
		if v == s {
			return i
		}
	}
	return 0
}
