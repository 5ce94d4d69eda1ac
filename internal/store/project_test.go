package store_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// projectEnv is a zone with a National Day holiday and a make-up Saturday
// in its calendar, a sponsor member, and users of the pipeline roles.
type projectEnv struct {
	s       *store.Store
	zone    *xinlu.Zone
	sys     xinlu.Actor
	sponsor *xinlu.Member
	users   map[xinlu.Role]*xinlu.User
}

// Monday 28 September 2026, just before National Day.
var projectToday = time.Date(2026, 9, 28, 4, 0, 0, 0, time.UTC)

func newProjectEnv(t *testing.T, s *store.Store) *projectEnv {
	t.Helper()
	ctx := context.Background()
	s.SetClock(func() time.Time { return projectToday })
	z, sys := seedZone(t, s, "XL")
	e := &projectEnv{s: s, zone: z, sys: sys, users: map[xinlu.Role]*xinlu.User{}}
	for _, d := range []string{"2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"} {
		if err := s.CreateCalendarDay(ctx, sys, &xinlu.CalendarDay{ZoneID: z.ID, Date: d, Kind: xinlu.DayHoliday, Name: "国庆节"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateCalendarDay(ctx, sys, &xinlu.CalendarDay{ZoneID: z.ID, Date: "2026-10-10", Kind: xinlu.DayWorkday, Name: "国庆调休"}); err != nil {
		t.Fatal(err)
	}
	e.sponsor = &xinlu.Member{ZoneID: z.ID, StaffNo: "L1", Name: "王主任"}
	if err := s.CreateMember(ctx, sys, e.sponsor); err != nil {
		t.Fatal(err)
	}
	for i, r := range []xinlu.Role{xinlu.RoleMember, xinlu.RolePlanner, xinlu.RoleSponsor, xinlu.RoleAgent, xinlu.RoleViewer} {
		e.users[r] = &xinlu.User{ID: int64(100 + i), ZoneID: z.ID, Username: string(r), Name: string(r), Roles: []xinlu.Role{r}}
	}
	return e
}

func (e *projectEnv) actor(r xinlu.Role) xinlu.Actor { return xinlu.ActorOf(e.users[r], "127.0.0.1") }

func (e *projectEnv) create(t *testing.T, name string, stage xinlu.Stage, industry string, total int64) *store.ProjectRecord {
	t.Helper()
	p := &store.ProjectRecord{}
	p.ZoneID, p.Name, p.Company, p.Industry, p.Stage = e.zone.ID, name, name+"有限公司", industry, stage
	p.Plan.TotalYuan = &total
	if err := e.s.CreateProject(context.Background(), e.sys, p); err != nil {
		t.Fatal(err)
	}
	return p
}

func (e *projectEnv) step(p *store.ProjectRecord, r xinlu.Role, action xinlu.ProjectAction, in store.StepInput) (*store.ProjectRecord, error) {
	return e.s.StepProject(context.Background(), e.actor(r), e.users[r], p.ID, p.Version, action, in)
}

func goodPlan() *xinlu.Plan {
	return &xinlu.Plan{Content: "年产 10 万吨高端铝材", TotalYuan: new(int64(1_200_000_000)), FixedAssetYuan: new(int64(900_000_000)), LandMu: 300,
		Jobs: 500, SixNew: []string{"new_materials"}, ChainPosition: "chain_leader"}
}

func goodSigning() *xinlu.Signing {
	return &xinlu.Signing{SignedOn: "2026-09-28", ContractYuan: 1_000_000_000, PromisedStart: "2026-12-01", PromisedProduce: "2027-12-01"}
}

func wantCode(t *testing.T, err error, code xinlu.Code) *xinlu.Error {
	t.Helper()
	var e *xinlu.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("got %v, want %s", err, code)
	}
	return e
}

func TestProjectStepsThroughEveryStage(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newProjectEnv(t, s)
		p := e.create(t, "铝材项目", xinlu.StagePackaging, "materials", 0)

		// A sponsor cannot plan; a planner cannot sign; sign in packaging names the stage.
		_, err := e.step(p, xinlu.RoleSponsor, xinlu.ProjectSubmitPlan, store.StepInput{Plan: goodPlan()})
		wantCode(t, err, xinlu.EFORBIDDEN)
		_, err = e.step(p, xinlu.RolePlanner, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()})
		wantCode(t, err, xinlu.EFORBIDDEN)
		_, err = e.step(p, xinlu.RoleMember, xinlu.ProjectHold, store.StepInput{})
		wantCode(t, err, xinlu.EFORBIDDEN)
		ce := wantCode(t, func() error {
			_, err := e.step(p, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()})
			return err
		}(), xinlu.ECONFLICT)
		if ce.Field != "stage" || len(ce.Args) != 1 || ce.Args[0] != xinlu.LabelKey("stage.packaging") {
			t.Fatalf("refusal does not name the stage: %+v", ce)
		}
		// An invalid plan cannot be submitted; a draft can be saved.
		_, err = e.step(p, xinlu.RolePlanner, xinlu.ProjectSubmitPlan, store.StepInput{Plan: &xinlu.Plan{Content: "x"}})
		if ve := wantCode(t, err, xinlu.EINVALID); ve.Field != "total_yuan" {
			t.Fatalf("field %s", ve.Field)
		}
		p, err = e.step(p, xinlu.RolePlanner, xinlu.ProjectSavePlan, store.StepInput{Plan: &xinlu.Plan{Content: "草稿"}})
		if err != nil || p.Version != 2 || p.Stage != xinlu.StagePackaging {
			t.Fatalf("save-plan: %v %+v", err, p)
		}
		p, err = e.step(p, xinlu.RolePlanner, xinlu.ProjectSubmitPlan, store.StepInput{Plan: goodPlan()})
		if err != nil || p.Stage != xinlu.StagePromotion || *p.Plan.TotalYuan != 1_200_000_000 {
			t.Fatalf("submit-plan: %v %+v", err, p)
		}
		// 20 working days from 28 Sep across National Day (5 holidays, a make-up Saturday).
		if p.StageDue != "2026-10-30" {
			t.Fatalf("progress due %s", p.StageDue)
		}
		// Stale version.
		stale := *p
		stale.Version = 1
		_, err = e.step(&stale, xinlu.RoleSponsor, xinlu.ProjectAssignSponsor, store.StepInput{SponsorID: e.sponsor.ID})
		wantCode(t, err, xinlu.ECONFLICT)
		p, err = e.step(p, xinlu.RoleSponsor, xinlu.ProjectAssignSponsor, store.StepInput{SponsorID: e.sponsor.ID})
		if err != nil || p.SponsorName != "王主任" {
			t.Fatalf("assign: %v %+v", err, p)
		}
		if err := s.AddNegotiation(ctx, e.actor(xinlu.RoleSponsor), e.users[xinlu.RoleSponsor], p.ID,
			store.Negotiation{Date: "2026-09-27", Participants: "王主任、投资方", Outcome: "意向达成"}); err != nil {
			t.Fatal(err)
		}
		err = s.AddNegotiation(ctx, e.actor(xinlu.RoleAgent), e.users[xinlu.RoleAgent], p.ID,
			store.Negotiation{Date: "2026-09-27", Participants: "x", Outcome: "y"})
		wantCode(t, err, xinlu.EFORBIDDEN)
		if err := s.AddSupervisionOrder(ctx, e.actor(xinlu.RoleSponsor), e.users[xinlu.RoleSponsor], p.ID,
			store.SupervisionOrder{Task: "协调用地指标", AssigneeID: e.sponsor.ID, Due: "2026-10-15"}); err != nil {
			t.Fatal(err)
		}
		// Funds before signing are refused.
		err = s.RecordFunds(ctx, e.actor(xinlu.RoleAgent), e.users[xinlu.RoleAgent], p.ID, store.Funds{OnDate: "2026-09-28", Yuan: 1})
		wantCode(t, err, xinlu.ECONFLICT)

		p, _ = s.ProjectByID(ctx, e.zone.ID, p.ID)
		_, err = e.step(p, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: &xinlu.Signing{SignedOn: "2026-09-29", ContractYuan: 1, PromisedStart: "2026-09-29", PromisedProduce: "2026-09-30"}})
		wantCode(t, err, xinlu.EINVALID) // signed tomorrow
		p, err = e.step(p, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()})
		if err != nil || p.Stage != xinlu.StageAgency || p.Code != "XL-2026-0001" || p.StageDue != "2026-12-01" {
			t.Fatalf("sign: %v %+v", err, p)
		}
		// The checklist, due by the calendar: 5 working days from Monday 28 Sep is the make-up Saturday 10 Oct.
		items, err := s.Approvals(ctx, e.zone.ID, p.ID)
		if err != nil || len(items) != len(store.DefaultApprovalTemplate) {
			t.Fatalf("checklist: %v %d", err, len(items))
		}
		if items[0].Name != "立项备案" || items[0].DueOn != "2026-10-10" || items[0].Status != store.ApprovalPreparing || items[0].Light != xinlu.LightGreen {
			t.Fatalf("first item %+v", items[0])
		}
		// A second signed project gets the next code.
		q := e.create(t, "第二项目", xinlu.StagePromotion, "equipment", 5)
		q, err = e.step(q, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()})
		if err != nil || q.Code != "XL-2026-0002" {
			t.Fatalf("second code: %v %+v", err, q)
		}

		// Approvals: submit → correction → submit → approve; commit; wrong steps refused.
		it := items[0]
		agent := e.users[xinlu.RoleAgent]
		_, err = s.StepApproval(ctx, e.actor(xinlu.RoleSponsor), e.users[xinlu.RoleSponsor], p.ID, it.ID, it.Version, "submit", store.ApprovalInput{})
		wantCode(t, err, xinlu.EFORBIDDEN)
		_, err = s.StepApproval(ctx, e.actor(xinlu.RoleAgent), agent, p.ID, it.ID, it.Version, "approve", store.ApprovalInput{})
		if ae := wantCode(t, err, xinlu.ECONFLICT); ae.Args[0] != xinlu.LabelKey("projects.approval.preparing") {
			t.Fatalf("approve from preparing: %+v", ae)
		}
		for _, act := range []string{"submit", "correct", "submit", "approve"} {
			if it, err = s.StepApproval(ctx, e.actor(xinlu.RoleAgent), agent, p.ID, it.ID, it.Version, act, store.ApprovalInput{Note: act}); err != nil {
				t.Fatalf("%s: %v", act, err)
			}
		}
		if it.Status != store.ApprovalApproved || it.ClosedOn != "2026-09-28" || it.Version != 5 {
			t.Fatalf("approved %+v", it)
		}
		_, err = s.StepApproval(ctx, e.actor(xinlu.RoleAgent), agent, p.ID, items[1].ID, 9, "commit", store.ApprovalInput{})
		wantCode(t, err, xinlu.ECONFLICT)
		if it, err = s.StepApproval(ctx, e.actor(xinlu.RoleAgent), agent, p.ID, items[1].ID, 1, "commit", store.ApprovalInput{}); err != nil || !it.Committed {
			t.Fatalf("commit: %v %+v", err, it)
		}
		add := &store.ApprovalItem{Name: "公司注册", LimitDays: 3, AgentID: e.sponsor.ID}
		if err := s.AddApproval(ctx, e.actor(xinlu.RoleAgent), agent, p.ID, add); err != nil || add.DueOn != "2026-10-08" {
			t.Fatalf("add item: %v %+v", err, add)
		}

		// Funds.
		for _, f := range []store.Funds{{OnDate: "2026-09-20", Yuan: 100_000_000}, {OnDate: "2026-09-28", Yuan: 50_000_000, Note: "二期"}} {
			if err := s.RecordFunds(ctx, e.actor(xinlu.RoleAgent), agent, p.ID, f); err != nil {
				t.Fatal(err)
			}
		}
		err = s.RecordFunds(ctx, e.actor(xinlu.RoleAgent), agent, p.ID, store.Funds{OnDate: "2026-09-28", Yuan: 0})
		wantCode(t, err, xinlu.EINVALID)
		funds, _ := s.ProjectFunds(ctx, p.ID)
		p, _ = s.ProjectByID(ctx, e.zone.ID, p.ID)
		if len(funds) != 2 || p.FundsYuan != 150_000_000 {
			t.Fatalf("funds %v %d", funds, p.FundsYuan)
		}

		// Milestones, in order; a planner cannot.
		_, err = e.step(p, xinlu.RolePlanner, xinlu.ProjectStartBuilding, store.StepInput{})
		wantCode(t, err, xinlu.EFORBIDDEN)
		_, err = e.step(p, xinlu.RoleAgent, xinlu.ProjectStartProducing, store.StepInput{})
		wantCode(t, err, xinlu.ECONFLICT)
		p, err = e.step(p, xinlu.RoleAgent, xinlu.ProjectStartBuilding, store.StepInput{Date: "2026-09-25"})
		if err != nil || p.Stage != xinlu.StageConstruction || p.StartedOn != "2026-09-25" || p.StageDue != "2027-12-01" {
			t.Fatalf("start: %v %+v", err, p)
		}
		p, err = e.step(p, xinlu.RoleAgent, xinlu.ProjectStartProducing, store.StepInput{})
		if err != nil || p.ProducedOn != "2026-09-28" {
			t.Fatalf("produce: %v %+v", err, p)
		}
		p, err = e.step(p, xinlu.RoleAgent, xinlu.ProjectFullProduction, store.StepInput{})
		if err != nil || p.Stage != xinlu.StageFullProduction {
			t.Fatalf("full: %v %+v", err, p)
		}
		_, err = e.step(p, xinlu.RoleSponsor, xinlu.ProjectHold, store.StepInput{})
		wantCode(t, err, xinlu.ECONFLICT)

		// Hold, resume, lose with a reason.
		p, err = e.step(q, xinlu.RoleSponsor, xinlu.ProjectHold, store.StepInput{})
		if err != nil || p.Status != xinlu.ProjectOnHold {
			t.Fatalf("hold: %v", err)
		}
		_, err = e.step(p, xinlu.RoleSponsor, xinlu.ProjectHold, store.StepInput{})
		if he := wantCode(t, err, xinlu.ECONFLICT); he.Field != "status" {
			t.Fatalf("hold twice: %+v", he)
		}
		_, err = e.step(p, xinlu.RoleSponsor, xinlu.ProjectLose, store.StepInput{Reason: "bored"})
		wantCode(t, err, xinlu.EINVALID)
		p, err = e.step(p, xinlu.RoleSponsor, xinlu.ProjectLose, store.StepInput{Reason: "policy_block"})
		if err != nil || p.Status != xinlu.ProjectLost || p.LostReason != "policy_block" {
			t.Fatalf("lose: %v %+v", err, p)
		}

		// The timeline has every event, and the audit log the steps.
		evs, err := s.ProjectEvents(ctx, items[0].ProjectID)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, ev := range evs {
			kinds = append(kinds, ev.Kind)
		}
		want := "[created save-plan submit-plan assign-sponsor negotiation supervision sign approval approval approval approval approval approval_added funds funds start-construction start-production reach-full-production]"
		if fmt.Sprint(kinds) != want {
			t.Fatalf("timeline %v", kinds)
		}
		entries, _, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: e.zone.ID, Action: "project.sign"})
		if err != nil || len(entries) != 2 {
			t.Fatalf("audit of sign: %v %d", err, len(entries))
		}
	})
}

func TestProjectConcurrentStepsOneWins(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		e := newProjectEnv(t, s)
		p := e.create(t, "并发项目", xinlu.StagePromotion, "equipment", 10)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, action := range []xinlu.ProjectAction{xinlu.ProjectHold, xinlu.ProjectLose} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = e.step(p, xinlu.RoleSponsor, action, store.StepInput{Reason: "investor_withdrew"})
			}()
		}
		wg.Wait()
		ok, conflict := 0, 0
		for _, err := range errs {
			switch xinlu.ErrorCode(err) {
			case "":
				ok++
			case xinlu.ECONFLICT:
				conflict++
			default:
				t.Fatalf("unexpected %v", err)
			}
		}
		if ok != 1 || conflict != 1 {
			t.Fatalf("ok %d conflict %d: %v", ok, conflict, errs)
		}
		got, _ := s.ProjectByID(context.Background(), e.zone.ID, p.ID)
		if got.Version != 2 {
			t.Fatalf("version %d", got.Version)
		}
		evs, _ := s.ProjectEvents(context.Background(), p.ID)
		if len(evs) != 2 {
			t.Fatalf("%d events, want created and one step", len(evs))
		}
	})
}

func TestKanbanAndLedgerFilters(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newProjectEnv(t, s)
		a := e.create(t, "装备一", xinlu.StagePackaging, "equipment", 100_000_000)
		e.create(t, "装备二", xinlu.StagePackaging, "equipment", 50_000_000)
		c := e.create(t, "医药一", xinlu.StagePromotion, "biomedicine", 30_000_000)
		lost := e.create(t, "流失", xinlu.StagePromotion, "materials", 999)
		if _, err := e.step(lost, xinlu.RoleSponsor, xinlu.ProjectLose, store.StepInput{Reason: "investor_withdrew"}); err != nil {
			t.Fatal(err)
		}
		// Lights: a is overdue, c is due tomorrow (yellow), the other packaging one green.
		z2(t, s)
		for id, due := range map[int64]string{a.ID: "2026-09-25", c.ID: "2026-09-29"} {
			setDue(t, s, id, due)
		}
		kb, err := s.Kanban(ctx, e.zone.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(kb) != 6 || kb[0].Stage != xinlu.StagePackaging || kb[0].Count != 2 || kb[0].Yuan != 150_000_000 ||
			kb[1].Count != 1 || kb[1].Yuan != 30_000_000 || kb[2].Count != 0 {
			t.Fatalf("kanban %+v", kb)
		}
		count := func(f store.ProjectFilter) int {
			t.Helper()
			f.ZoneID = e.zone.ID
			items, total, err := s.ListProjects(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != total && total <= 20 {
				t.Fatalf("page %d of total %d", len(items), total)
			}
			return total
		}
		for name, tc := range map[string]struct {
			f    store.ProjectFilter
			want int
		}{
			"all":      {store.ProjectFilter{}, 4},
			"stage":    {store.ProjectFilter{Stage: xinlu.StagePackaging}, 2},
			"status":   {store.ProjectFilter{Status: xinlu.ProjectLost}, 1},
			"industry": {store.ProjectFilter{Industry: "equipment", Stage: xinlu.StagePackaging}, 2},
			"query":    {store.ProjectFilter{Query: "医药"}, 1},
			"red":      {store.ProjectFilter{Light: xinlu.LightRed}, 1},
			"yellow":   {store.ProjectFilter{Light: xinlu.LightYellow}, 1},
			"sixnew":   {store.ProjectFilter{SixNew: "new_materials"}, 0},
			"sponsor":  {store.ProjectFilter{SponsorID: e.sponsor.ID}, 0},
		} {
			if got := count(tc.f); got != tc.want {
				t.Errorf("%s: %d, want %d", name, got, tc.want)
			}
		}
		items, _, _ := s.ListProjects(ctx, store.ProjectFilter{ZoneID: e.zone.ID, Stage: xinlu.StagePackaging})
		lights := map[string]xinlu.Light{}
		for _, p := range items {
			lights[p.Name] = p.Light
		}
		if lights["装备一"] != xinlu.LightRed {
			t.Fatalf("lights %v", lights)
		}
		// Other zones' projects stay out; zone 0 (the viewer) sees all.
		if _, err := s.ProjectByID(ctx, e.zone.ID+1000, a.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("other zone: %v", err)
		}
		_, all, _ := s.ListProjects(ctx, store.ProjectFilter{})
		if all != 5 {
			t.Fatalf("all zones: %d", all)
		}
		// Re-import of the same key creates nothing twice; dry run keeps nothing.
		mk := func(key string) *store.ProjectRecord {
			p := &store.ProjectRecord{ImportKey: key}
			p.Name, p.Company, p.Industry, p.Stage = "导入"+key, "导入公司"+key, "other", xinlu.StageConstruction
			p.Signing.SignedOn, p.StartedOn = "2025-03-01", "2025-06-01"
			return p
		}
		res, err := s.ImportProjects(ctx, e.sys, e.zone.ID, []*store.ProjectRecord{mk("k1"), mk("k2")}, true)
		if err != nil || res.Created != 2 || count(store.ProjectFilter{}) != 4 {
			t.Fatalf("dry run %v %+v", err, res)
		}
		res, err = s.ImportProjects(ctx, e.sys, e.zone.ID, []*store.ProjectRecord{mk("k1"), mk("k2")}, false)
		if err != nil || res.Created != 2 {
			t.Fatalf("import %v %+v", err, res)
		}
		bad := mk("k3")
		bad.Industry = "steel"
		res, err = s.ImportProjects(ctx, e.sys, e.zone.ID, []*store.ProjectRecord{mk("k1"), mk("k4"), bad}, false)
		if xinlu.ErrorCode(err) != xinlu.EINVALID || count(store.ProjectFilter{}) != 6 {
			t.Fatalf("bad row: %v %+v", err, res)
		}
		res, err = s.ImportProjects(ctx, e.sys, e.zone.ID, []*store.ProjectRecord{mk("k1"), mk("k2")}, false)
		if err != nil || res.Created != 0 || res.Skipped != 2 || count(store.ProjectFilter{}) != 6 {
			t.Fatalf("re-import %v %+v", err, res)
		}
		imported, _, _ := s.ListProjects(ctx, store.ProjectFilter{ZoneID: e.zone.ID, Query: "XL-2025"})
		if len(imported) != 2 {
			t.Fatalf("imported signed projects get 2025 codes: %d", len(imported))
		}
	})
}

// z2 creates a second zone with one project, to check zone scoping.
func z2(t *testing.T, s *store.Store) (*xinlu.Zone, *store.ProjectRecord) {
	t.Helper()
	z, sys := seedZone(t, s, "Z2")
	p := &store.ProjectRecord{}
	p.ZoneID, p.Name, p.Company, p.Industry, p.Stage = z.ID, "外区项目", "外区公司", "other", xinlu.StagePackaging
	if err := s.CreateProject(context.Background(), sys, p); err != nil {
		t.Fatal(err)
	}
	return z, p
}

func setDue(t *testing.T, s *store.Store, id int64, due string) {
	t.Helper()
	if err := s.SetProjectDue(context.Background(), id, due); err != nil {
		t.Fatal(err)
	}
}

func TestSupervisionOrdersAreClosedWithEvidence(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newProjectEnv(t, s)
		p := e.create(t, "督办测试项目", xinlu.StagePromotion, "equipment", 5e8)
		sponsor := e.users[xinlu.RoleSponsor]
		if err := s.AddSupervisionOrder(ctx, e.actor(xinlu.RoleSponsor), sponsor, p.ID, store.SupervisionOrder{Task: "落实用地规划条件", AssigneeID: e.sponsor.ID, Due: "2026-10-09"}); err != nil {
			t.Fatal(err)
		}
		if err := s.AddSupervisionOrder(ctx, e.actor(xinlu.RoleMember), e.users[xinlu.RoleMember], p.ID, store.SupervisionOrder{Task: "x", AssigneeID: e.sponsor.ID, Due: "2026-10-09"}); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("a member issued an order: %v", err)
		}
		os, err := s.SupervisionOrders(ctx, e.zone.ID, p.ID)
		if err != nil || len(os) != 1 || os[0].AssigneeName != "王主任" || os[0].ClosedOn != "" {
			t.Fatalf("%+v %v", os, err)
		}
		o := os[0]
		// Someone who is neither the assignee nor a leader cannot close it; evidence is required.
		if err := s.CloseSupervisionOrder(ctx, e.actor(xinlu.RoleMember), e.users[xinlu.RoleMember], p.ID, o.ID, "2026-09-25", "已办", o.Version); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("closed by a stranger: %v", err)
		}
		assignee := &xinlu.User{ID: 300, ZoneID: e.zone.ID, MemberID: e.sponsor.ID, Roles: []xinlu.Role{xinlu.RoleMember}}
		if err := s.CloseSupervisionOrder(ctx, xinlu.ActorOf(assignee, ""), assignee, p.ID, o.ID, "2026-09-25", " ", o.Version); xinlu.ErrorCode(err) != xinlu.EINVALID {
			t.Fatalf("closed without evidence: %v", err)
		}
		if err := s.CloseSupervisionOrder(ctx, xinlu.ActorOf(assignee, ""), assignee, p.ID, o.ID, "2026-09-25", "规划条件已报领导组审定", o.Version); err != nil {
			t.Fatal(err)
		}
		if err := s.CloseSupervisionOrder(ctx, xinlu.ActorOf(assignee, ""), assignee, p.ID, o.ID, "2026-09-25", "again", o.Version); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("closed twice: %v", err)
		}
		os, _ = s.SupervisionOrders(ctx, e.zone.ID, p.ID)
		if os[0].ClosedOn != "2026-09-25" || os[0].Evidence != "规划条件已报领导组审定" {
			t.Fatalf("%+v", os[0])
		}
		evs, err := s.ProjectEvents(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]bool{}
		for _, ev := range evs {
			kinds[ev.Kind] = true
		}
		if !kinds["supervision"] || !kinds["supervision_closed"] {
			t.Fatalf("timeline %v", kinds)
		}
	})
}

func TestSigningAndFundsProposeRewardsToTheReporter(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newProjectEnv(t, s)
		reporter := &xinlu.Member{ZoneID: e.zone.ID, StaffNo: "R1", Name: "李报告"}
		if err := s.CreateMember(ctx, e.sys, reporter); err != nil {
			t.Fatal(err)
		}
		l := &xinlu.Lead{ZoneID: e.zone.ID, ReporterID: reporter.ID, Company: "晋中重工装备有限公司", ProjectName: "盾构机总装项目",
			Industry: "equipment", InvestmentYuan: new(int64(8e8)), Channel: "personal"}
		if _, err := s.ReportLead(ctx, e.sys, l); err != nil {
			t.Fatal(err)
		}
		p := &store.ProjectRecord{}
		p.ZoneID, p.LeadID, p.Name, p.Company, p.Industry, p.Stage = e.zone.ID, l.ID, "盾构机总装项目", "晋中重工装备有限公司", "equipment", xinlu.StagePromotion
		p.Plan.TotalYuan = new(int64(8e8))
		if err := s.CreateProject(ctx, e.sys, p); err != nil {
			t.Fatal(err)
		}
		signed, err := e.step(p, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()})
		if err != nil {
			t.Fatal(err)
		}
		sponsor := e.users[xinlu.RoleSponsor]
		if err := s.RecordFunds(ctx, e.actor(xinlu.RoleSponsor), sponsor, signed.ID, store.Funds{OnDate: "2026-09-25", Yuan: 50_000_000}); err != nil {
			t.Fatal(err)
		}
		list, total, err := s.ListIncentives(ctx, store.IncentiveFilter{Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: e.zone.ID}, Page: xinlu.Page{PerPage: 50}})
		if err != nil || total != 2 {
			t.Fatalf("%d proposals: %v", total, err)
		}
		byAuto := map[string]*xinlu.Incentive{}
		for _, i := range list {
			byAuto[i.AutoKind()] = i
			if i.MemberID != reporter.ID || i.Status != xinlu.IncentiveProposed || i.EvidenceID != signed.ID {
				t.Errorf("proposal %+v", i)
			}
		}
		// Defaults: 2,000 yuan at signing; 1‰ of funds in place.
		if byAuto[xinlu.AutoSigning] == nil || byAuto[xinlu.AutoSigning].AmountYuan != 2000 || byAuto[xinlu.AutoFunds] == nil || byAuto[xinlu.AutoFunds].AmountYuan != 50_000 {
			t.Fatalf("proposals %+v", byAuto)
		}
	})
}

func TestMissedMilestonesProposeDeductionsOnce(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newProjectEnv(t, s)
		p := e.create(t, "逾期开工项目", xinlu.StagePromotion, "materials", 3e8)
		p, err := e.step(p, xinlu.RoleSponsor, xinlu.ProjectAssignSponsor, store.StepInput{SponsorID: e.sponsor.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.step(p, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()}); err != nil {
			t.Fatal(err)
		}
		later := time.Date(2028, 1, 10, 0, 0, 0, 0, time.UTC) // past the promised start, not started
		// The first run proposes the deduction; the next hour finds it proposed.
		for i, want := range []int{1, 0} {
			if n, err := s.ProposeMissedMilestones(ctx, later); err != nil || n != want {
				t.Fatalf("run %d: %d proposals (want %d), %v", i+1, n, want, err)
			}
		}
		list, total, err := s.ListIncentives(ctx, store.IncentiveFilter{Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: e.zone.ID}, Page: xinlu.Page{PerPage: 10}})
		if err != nil || total != 1 {
			t.Fatalf("%d proposals: %v", total, err)
		}
		if i := list[0]; i.MemberID != e.sponsor.ID || i.Kind != xinlu.IncentivePenalty || i.Points != -200 || i.AutoKind() != xinlu.AutoMissed {
			t.Fatalf("proposal %+v", i)
		}
		if n, err := s.ProposeMissedMilestones(ctx, projectToday); err != nil || n != 0 {
			t.Fatalf("before the promised start: %d %v", n, err)
		}
	})
}

func TestProjectCodesPastNineThousandNineHundredNinetyNine(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newProjectEnv(t, s)
		p := e.create(t, "编号测试项目", xinlu.StagePromotion, "equipment", 1e8)
		code := func(c string) {
			if err := s.ExecForTest(ctx, `UPDATE projects SET code = '`+c+`' WHERE id = `+strconv.FormatInt(p.ID, 10)); err != nil {
				t.Fatal(err)
			}
		}
		code("XL-2026-9999")
		q := e.create(t, "第一万个项目", xinlu.StagePromotion, "equipment", 1e8)
		q, err := e.step(q, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()})
		if err != nil || q.Code != "XL-2026-10000" {
			t.Fatalf("after 9999: %q %v", q.Code, err)
		}
		r := e.create(t, "第一万零一个项目", xinlu.StagePromotion, "equipment", 1e8)
		if r, err = e.step(r, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()}); err != nil || r.Code != "XL-2026-10001" {
			t.Fatalf("after 10000: %q %v", r.Code, err)
		}
	})
}

func TestKanbanFollowsWrites(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newProjectEnv(t, s)
		count := func() int {
			cols, err := s.Kanban(ctx, e.zone.ID)
			if err != nil {
				t.Fatal(err)
			}
			return cols[0].Count
		}
		before := count()
		if again := count(); again != before {
			t.Fatalf("kanban read twice: %d then %d", before, again)
		}
		e.create(t, "看板缓存测试项目", xinlu.StagePackaging, "equipment", 1e8)
		if after := count(); after != before+1 {
			t.Fatalf("a new project in packaging: %d → %d", before, after)
		}
	})
}

func TestCompanyRegistrationIsAMilestone(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newProjectEnv(t, s)
		p := e.create(t, "注册测试项目", xinlu.StagePromotion, "equipment", 1e8)
		if _, err := e.step(p, xinlu.RoleAgent, xinlu.ProjectRegisterCompany, store.StepInput{Date: "2026-09-25"}); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("registered before signing: %v", err)
		}
		p, err := e.step(p, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.step(p, xinlu.RolePlanner, xinlu.ProjectRegisterCompany, store.StepInput{Date: "2026-09-25"}); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("a planner registered: %v", err)
		}
		p, err = e.step(p, xinlu.RoleAgent, xinlu.ProjectRegisterCompany, store.StepInput{Date: "2026-09-28"})
		if err != nil || p.RegisteredOn != "2026-09-28" || p.Stage != xinlu.StageAgency {
			t.Fatalf("registered: %v %+v", err, p)
		}
		if _, err := e.step(p, xinlu.RoleAgent, xinlu.ProjectRegisterCompany, store.StepInput{Date: "2026-09-28"}); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("registered twice: %v", err)
		}
		evs, err := s.ProjectEvents(ctx, p.ID)
		if err != nil || evs[len(evs)-1].Kind != "register-company" {
			t.Fatalf("timeline %+v %v", evs, err)
		}
	})
}
