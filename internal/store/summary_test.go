package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// TestSummariesEqualARecount: after a random sequence of events — leads
// reported one by one and in bulk, screened, accepted (a project each),
// rejected, shelved and reopened, projects created, moved through their
// stages, held, lost, their total investment edited (known, unknown), funds
// put in place, sponsors assigned, approval items added and moved on,
// supervision orders issued and closed, leads and projects deleted — the summary
// rows (the cockpit's included) equal a full recount of the records, and
// list totals, ledger sums and the kanban answer what a count of the
// records answers.
func TestSummariesEqualARecount(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.SetClock(func() time.Time { return projectToday })
		f := seedLeads(t, s)
		other, otherSys := seedZone(t, s, "Q2")
		om := &xinlu.Member{ZoneID: other.ID, StaffNo: "Q1", Name: "外区成员"}
		if err := s.CreateMember(ctx, otherSys, om); err != nil {
			t.Fatal(err)
		}
		zones := []struct {
			id, reporter int64
			sys          xinlu.Actor
		}{{f.zone.ID, f.users["reporter"].MemberID, f.sys}, {other.ID, om.ID, otherSys}}
		roles := map[xinlu.Role]*xinlu.User{}
		for i, r := range []xinlu.Role{xinlu.RolePlanner, xinlu.RoleSponsor, xinlu.RoleAgent} {
			roles[r] = &xinlu.User{ID: int64(900 + i), ZoneID: f.zone.ID, Username: string(r), Name: string(r), Roles: []xinlu.Role{r}}
		}
		industries := []string{"materials", "equipment", "biomedicine"}
		seed := uint64(time.Now().UnixNano())
		t.Logf("seed %d", seed)
		rnd := rand.New(rand.NewPCG(seed, 7))
		amount := func() *int64 {
			if rnd.IntN(4) == 0 {
				return nil // unknown (待定)
			}
			v := int64(rnd.IntN(1000)+1) * 1_000_000
			return &v
		}
		var leads []int64
		var projects []int64
		n := 0
		report := func() {
			n++
			l := &xinlu.Lead{Company: fmt.Sprintf("随机%d号公司", n), ProjectName: fmt.Sprintf("项目%d", n), Industry: industries[rnd.IntN(3)],
				InvestmentYuan: amount(), Channel: "expo", ContactName: "王经理", ContactPhone: "13812345678"}
			if _, err := s.ReportLead(ctx, f.actor("reporter"), l); err != nil {
				t.Fatal(err)
			}
			leads = append(leads, l.ID)
		}
		bulk := func() {
			z := zones[rnd.IntN(2)]
			b := &store.BulkBatch{}
			for range rnd.IntN(30) + 1 {
				n++
				st := []xinlu.LeadStatus{xinlu.LeadReported, xinlu.LeadRejected, xinlu.LeadAccepted, xinlu.LeadDormant}[rnd.IntN(4)]
				b.Leads = append(b.Leads, &xinlu.Lead{Company: fmt.Sprintf("批量%d号公司", n), ProjectName: "批量项目", Industry: industries[rnd.IntN(3)],
					ReporterID: z.reporter, Channel: "expo", Status: st, ReportedAt: projectToday.AddDate(0, 0, -rnd.IntN(300)), Version: 1})
				if st == xinlu.LeadAccepted {
					p := &store.BulkProject{LeadIndex: len(b.Leads) - 1}
					p.Name, p.Company, p.Industry = "批量项目", b.Leads[len(b.Leads)-1].Company, b.Leads[len(b.Leads)-1].Industry
					p.Stage, p.Plan.TotalYuan = xinlu.Stages[rnd.IntN(len(xinlu.Stages))], amount()
					b.Projects = append(b.Projects, p)
				}
			}
			if _, err := s.BulkLoad(ctx, z.sys, z.id, b); err != nil {
				t.Fatal(err)
			}
			for _, l := range b.Leads {
				if l.ZoneID == f.zone.ID {
					leads = append(leads, l.ID)
				}
			}
			for _, p := range b.Projects {
				if p.ZoneID == f.zone.ID {
					projects = append(projects, p.ID)
				}
			}
		}
		stepLead := func() {
			if len(leads) == 0 {
				return
			}
			l, err := s.LeadByID(ctx, f.users["screener"].Filter(xinlu.PermLeadView), leads[rnd.IntN(len(leads))])
			if err != nil {
				return // deleted
			}
			step := []xinlu.LeadStep{
				{Action: xinlu.LeadStartScreening}, {Action: xinlu.LeadAccept}, {Action: xinlu.LeadReject, Reason: "不符合园区产业定位"},
				{Action: xinlu.LeadShelve, Reason: "投资方暂缓"}, {Action: xinlu.LeadReopen},
			}[rnd.IntN(5)]
			out, err := s.StepLead(ctx, f.actor("screener"), f.users["screener"], l.ID, l.Version, step)
			if err == nil && out.ProjectID != 0 && step.Action == xinlu.LeadAccept {
				projects = append(projects, out.ProjectID)
			}
		}
		createProject := func() {
			p := &store.ProjectRecord{}
			n++
			p.ZoneID, p.Name, p.Company, p.Industry = f.zone.ID, fmt.Sprintf("项目%d", n), fmt.Sprintf("建设%d号公司", n), industries[rnd.IntN(3)]
			p.Stage, p.Plan.TotalYuan = []xinlu.Stage{xinlu.StagePackaging, xinlu.StagePromotion}[rnd.IntN(2)], amount()
			if err := s.CreateProject(ctx, f.sys, p); err != nil {
				t.Fatal(err)
			}
			projects = append(projects, p.ID)
		}
		stepProject := func() {
			if len(projects) == 0 {
				return
			}
			p, err := s.ProjectByID(ctx, f.zone.ID, projects[rnd.IntN(len(projects))])
			if err != nil {
				return // deleted
			}
			plan := goodPlan()
			plan.TotalYuan = amount()
			steps := []struct {
				r  xinlu.Role
				a  xinlu.ProjectAction
				in store.StepInput
			}{
				{xinlu.RolePlanner, xinlu.ProjectSavePlan, store.StepInput{Plan: plan}},
				{xinlu.RolePlanner, xinlu.ProjectSubmitPlan, store.StepInput{Plan: plan}},
				{xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()}},
				{xinlu.RoleAgent, xinlu.ProjectStartBuilding, store.StepInput{Date: "2026-09-28"}},
				{xinlu.RoleAgent, xinlu.ProjectStartProducing, store.StepInput{Date: "2026-09-28"}},
				{xinlu.RoleSponsor, xinlu.ProjectHold, store.StepInput{Reason: "投资方调整计划"}},
				{xinlu.RoleSponsor, xinlu.ProjectResume, store.StepInput{}},
				{xinlu.RoleSponsor, xinlu.ProjectLose, store.StepInput{Reason: "investor_withdrew"}},
			}
			if rnd.IntN(4) == 0 {
				// Funds put in place, and a sponsor (包联领导) assigned.
				s.RecordFunds(ctx, xinlu.ActorOf(roles[xinlu.RoleAgent], "127.0.0.1"), roles[xinlu.RoleAgent], p.ID, //nolint:errcheck // refused on a project not signed
					store.Funds{OnDate: fmt.Sprintf("2026-0%d-15", rnd.IntN(9)+1), Yuan: int64(rnd.IntN(100)+1) * 100_000})
				s.StepProject(ctx, xinlu.ActorOf(roles[xinlu.RoleSponsor], "127.0.0.1"), roles[xinlu.RoleSponsor], p.ID, p.Version, //nolint:errcheck // refused before promotion
					xinlu.ProjectAssignSponsor, store.StepInput{SponsorID: f.users["sponsor"].MemberID})
				return
			}
			st := steps[rnd.IntN(len(steps))]
			s.StepProject(ctx, xinlu.ActorOf(roles[st.r], "127.0.0.1"), roles[st.r], p.ID, p.Version, st.a, st.in) //nolint:errcheck // refused steps change nothing
		}
		approvals := func() {
			// An approval item added to a signed project, or one moved on;
			// a supervision order issued, or one closed.
			if len(projects) == 0 {
				return
			}
			id := projects[rnd.IntN(len(projects))]
			agent, sponsor := xinlu.ActorOf(roles[xinlu.RoleAgent], "127.0.0.1"), xinlu.ActorOf(roles[xinlu.RoleSponsor], "127.0.0.1")
			switch rnd.IntN(4) {
			case 0:
				s.AddApproval(ctx, agent, roles[xinlu.RoleAgent], id, &store.ApprovalItem{Name: fmt.Sprintf("审批%d", rnd.IntN(100)), //nolint:errcheck // refused before signing
					LimitDays: rnd.IntN(30) + 1})
			case 1:
				items, err := s.Approvals(ctx, f.zone.ID, id)
				if err != nil || len(items) == 0 {
					return
				}
				it := items[rnd.IntN(len(items))]
				s.StepApproval(ctx, agent, roles[xinlu.RoleAgent], id, it.ID, it.Version, store.ApprovalActions[rnd.IntN(len(store.ApprovalActions))], //nolint:errcheck // refused steps change nothing
					store.ApprovalInput{})
			case 2:
				s.AddSupervisionOrder(ctx, sponsor, roles[xinlu.RoleSponsor], id, store.SupervisionOrder{Task: "推进审批", //nolint:errcheck // refused on some projects
					AssigneeID: f.users["sponsor"].MemberID, Due: projectToday.AddDate(0, 0, rnd.IntN(20)-10).Format(xinlu.DateLayout)})
			default:
				orders, err := s.SupervisionOrders(ctx, f.zone.ID, id)
				if err != nil || len(orders) == 0 {
					return
				}
				o := orders[rnd.IntN(len(orders))]
				s.CloseSupervisionOrder(ctx, sponsor, roles[xinlu.RoleSponsor], id, o.ID, projectToday.Format(xinlu.DateLayout), "已推进", o.Version) //nolint:errcheck // closed already
			}
		}
		del := func() {
			// Removing records outright (no page does; an operator or a
			// retention rule might): a lead without a project or merges,
			// or a project with its timeline and approval items.
			if rnd.IntN(2) == 0 && len(leads) > 0 {
				id := leads[rnd.IntN(len(leads))]
				s.ExecForTest(ctx, fmt.Sprintf(`DELETE FROM leads WHERE id = %d AND project_id IS NULL AND NOT EXISTS
					(SELECT 1 FROM lead_coreporters c WHERE c.lead_id = %[1]d OR c.merged_lead_id = %[1]d)`, id)) //nolint:errcheck // a lead others refer to stays
				return
			}
			if len(projects) > 0 {
				id := projects[rnd.IntN(len(projects))]
				for _, q := range []string{`UPDATE leads SET project_id = NULL WHERE project_id = %d`, `DELETE FROM project_events WHERE project_id = %d`,
					`DELETE FROM approval_items WHERE project_id = %d`, `DELETE FROM funds_in_place WHERE project_id = %d`, `DELETE FROM projects WHERE id = %d`} {
					if err := s.ExecForTest(ctx, fmt.Sprintf(q, id)); err != nil {
						return // a project others refer to stays
					}
				}
			}
		}
		events := []func(){report, report, bulk, stepLead, stepLead, stepLead, createProject, stepProject, stepProject, stepProject, approvals, approvals, del}
		for range 300 {
			events[rnd.IntN(len(events))]()
		}
		if bad, err := s.CheckSummaries(ctx); err != nil || len(bad) > 0 {
			t.Fatalf("summary rows differ from a recount (seed %d): %+v %v", seed, bad, err)
		}

		// What the pages read equals a count of the records.
		var want int
		for _, st := range []xinlu.LeadStatus{"", xinlu.LeadReported, xinlu.LeadScreening, xinlu.LeadAccepted, xinlu.LeadRejected} {
			for _, ind := range []string{"", "materials"} {
				_, total, err := s.ListLeads(ctx, store.LeadFilter{Scope: f.users["screener"].Filter(xinlu.PermLeadView), Status: st, Industry: ind})
				if err != nil {
					t.Fatal(err)
				}
				q := fmt.Sprintf(`SELECT COUNT(*) FROM leads WHERE zone_id = %d AND ('%s' = '' OR status = '%[2]s') AND ('%s' = '' OR industry = '%[3]s')`, f.zone.ID, st, ind)
				if err := s.QueryRowForTest(ctx, q).Scan(&want); err != nil {
					t.Fatal(err)
				}
				if total != want {
					t.Errorf("lead list %q %q: total %d, counted %d", st, ind, total, want)
				}
			}
		}
		kb, err := s.Kanban(ctx, f.zone.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range kb {
			var cnt, unknown int
			var yuan int64
			if err := s.QueryRowForTest(ctx, `SELECT COUNT(*), COALESCE(SUM(total_yuan), 0), COUNT(*) - COUNT(total_yuan) FROM projects
				WHERE zone_id = ? AND stage = ? AND status IN ('active', 'on_hold')`, f.zone.ID, string(c.Stage)).Scan(&cnt, &yuan, &unknown); err != nil {
				t.Fatal(err)
			}
			if c.Count != cnt || c.Yuan != yuan || c.Unknown != unknown {
				t.Errorf("kanban %s: %+v, counted %d %d %d", c.Stage, c, cnt, yuan, unknown)
			}
		}
		for _, st := range []xinlu.Stage{"", xinlu.StagePackaging, xinlu.StageAgency} {
			pf := store.ProjectFilter{ZoneID: f.zone.ID, Stage: st, Industry: "materials"}
			_, total, err := s.ListProjects(ctx, pf)
			if err != nil {
				t.Fatal(err)
			}
			yuan, unknown, err := s.ProjectTotals(ctx, pf)
			if err != nil {
				t.Fatal(err)
			}
			var cnt, unk int
			var sum int64
			if err := s.QueryRowForTest(ctx, `SELECT COUNT(*), COALESCE(SUM(total_yuan), 0), COUNT(*) - COUNT(total_yuan) FROM projects
				WHERE zone_id = ? AND (? = '' OR stage = ?) AND industry = 'materials'`, f.zone.ID, string(st), string(st)).Scan(&cnt, &sum, &unk); err != nil {
				t.Fatal(err)
			}
			if total != cnt || yuan != sum || unknown != unk {
				t.Errorf("ledger %q: %d %d %d, counted %d %d %d", st, total, yuan, unknown, cnt, sum, unk)
			}
		}
	})
}
