package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// The forms that edit a record follow one rule: the form is prefilled
// with every stored value, so that saving it unchanged changes nothing (no
// new version, no audit row); a submit with bad fields shows the form
// again with everything the user typed and every error at once, each
// marked on its field (aria-invalid and the message under it, err-<field>)
// and listed in the summary above the form with a link to the field.
//
// Each case opens one form of the UI. The forms that act on a record
// rather than edit it are tested beside their pages, where they keep what
// was typed and mark each error: the base pay form, the score sheet and the
// absence form (TestAppraisalBasePay, TestAppraisalPeriodJourney,
// TestAbsenceFormKeepsInput); a project's negotiation, signing,
// supervision, loss, milestone, funds, schedule revision and new approval
// item forms (TestProjectStepFormsKeepInput,
// TestFundsAndApprovalFormsKeepInput, TestReviseFundsScheduleOnTheProjectPage); a
// lead's decisions (TestLeadDecisionKeepsTypedReason). The appraisal
// scheme and an account's roles are checked for the unchanged save only:
// the scheme still reports the first bad indicator row, and the roles are
// ticks.
type formCase struct {
	name string
	role xinlu.Role
	// open makes the record and answers the form's page, the form's
	// action and a snapshot of the stored record (with its version).
	open func(t *testing.T, a *app) (page, action string, state func() string)
	// post is where the form is submitted when not its action (a
	// button's formaction).
	post func(action string) string
	// unchangedOnly: only the unchanged save is checked (see above).
	unchangedOnly bool
	// create: the form makes a new record, so there is no unchanged save
	// to check; state counts the records.
	create bool
	// typed are fields changed along with the bad ones: they must come
	// back as typed.
	typed map[string]string
	// bad are fields given bad values: each must be marked.
	bad map[string]string
	// typedFor adds typed fields that depend on the app (an id).
	typedFor func(a *app) map[string]string
}

var formCases = []formCase{
	{
		name: "member", role: xinlu.RoleSysAdmin,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			m := &xinlu.Member{ZoneID: a.zone.ID, DepartmentID: a.dept.ID, StaffNo: "F001", Name: "表单人员", Gender: "f",
				Phone: "13800138000", IDNumber: "11010519491231002X", Status: xinlu.MemberActive, JoinedOn: "2020-03-01"}
			if err := a.store.CreateMember(context.Background(), xinlu.SystemActor(a.zone.ID), m); err != nil {
				t.Fatal(err)
			}
			id := strconvFormat(m.ID)
			return "/members/" + id + "/edit", "/members/" + id, func() string {
				got, err := a.store.MemberByID(context.Background(), xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: a.zone.ID}, m.ID)
				if err != nil {
					t.Fatal(err)
				}
				return fmt.Sprintf("%+v", *got)
			}
		},
		typed: map[string]string{"name": "改过的姓名", "staff_no": "F002"},
		bad:   map[string]string{"phone": "1380013", "id_number": "110105", "joined_on": "2020-02-30"},
	},
	{
		name: "contract", role: xinlu.RoleSysAdmin,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			c := &xinlu.Contract{ZoneID: a.zone.ID, MemberID: a.users[xinlu.RolePlanner].MemberID, StartDate: "2024-01-01",
				EndDate: "2026-12-31", Status: xinlu.ContractActive, Note: "首签"}
			if err := a.store.CreateContract(context.Background(), xinlu.SystemActor(a.zone.ID), c); err != nil {
				t.Fatal(err)
			}
			id := strconvFormat(c.ID)
			return "/contracts/" + id + "/edit", "/contracts/" + id, func() string {
				got, err := a.store.ContractByID(context.Background(), xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: a.zone.ID}, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				return fmt.Sprintf("%+v", *got)
			}
		},
		typed: map[string]string{"note": "续签说明"},
		bad:   map[string]string{"start_date": "2024-02-30", "end_date": "明年"},
	},
	{
		name: "term", role: xinlu.RoleSysAdmin,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			tm := &xinlu.Term{ZoneID: a.zone.ID, MemberID: a.users[xinlu.RolePlanner].MemberID, Title: "招商局局长",
				StartDate: "2024-01-01", EndDate: "2026-12-31", Targets: "引进项目 10 个"}
			if err := a.store.CreateTerm(context.Background(), xinlu.SystemActor(a.zone.ID), tm); err != nil {
				t.Fatal(err)
			}
			id := strconvFormat(tm.ID)
			return "/terms/" + id + "/edit", "/terms/" + id, func() string {
				got, err := a.store.TermByID(context.Background(), xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: a.zone.ID}, tm.ID)
				if err != nil {
					t.Fatal(err)
				}
				return fmt.Sprintf("%+v", *got)
			}
		},
		typed: map[string]string{"targets": "引进项目 12 个"},
		bad:   map[string]string{"title": " ", "start_date": "2024-13-01"},
	},
	{
		name: "project plan (save)", role: xinlu.RolePlanner,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			p := a.project("表单项目", xinlu.StagePackaging, 1_234_567_800)
			ctx := context.Background()
			u, err := a.store.UserByUsername(ctx, "planner")
			if err != nil {
				t.Fatal(err)
			}
			plan := p.Plan
			plan.Content, plan.LandMu, plan.Jobs, plan.ChainPosition = "年产 500 台数控机床", 120.5, 300, xinlu.ChainPositions[0]
			plan.FixedAssetYuan, plan.TaxYuan, plan.SixNew = new(int64(987_654_321)), new(int64(12_345)), xinlu.SixNewTags[:1]
			plan.FloorAreaM2, plan.EnergyTce = 1_250_000.5, 3_456.25
			if _, err := a.store.StepProject(ctx, xinlu.ActorOf(u, "127.0.0.1"), u, p.ID, p.Version, xinlu.ProjectSavePlan, store.StepInput{Plan: &plan}); err != nil {
				t.Fatal(err)
			}
			id := strconvFormat(p.ID)
			return "/projects/" + id, "/projects/" + id + "/submit-plan", func() string {
				got, err := a.store.ProjectByID(ctx, a.zone.ID, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				events, err := a.store.ProjectEvents(ctx, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				pl := got.Plan
				return fmt.Sprintf("v%d %d events %q %s %s %s %s %v %v %v %q %q %d %v %v", got.Version, len(events), pl.Content, amount(pl.TotalYuan),
					amount(pl.FixedAssetYuan), amount(pl.OutputYuan), amount(pl.TaxYuan), pl.LandMu, pl.WaterTPD, pl.Jobs, pl.SixNew, pl.ChainPosition, pl.ProposedParkID,
					pl.FloorAreaM2, pl.EnergyTce)
			}
		},
		post:  func(action string) string { return strings.TrimSuffix(action, "submit-plan") + "save-plan" },
		typed: map[string]string{"content": "年产 800 台数控机床", "output_yuan": "3000.5", "floor_area_m2": "90000"},
		bad:   map[string]string{"total_yuan": "五千万", "tax_yuan": "-1", "land_mu": "一百", "energy_tce": "很多"},
	},
	{
		name: "project plan (revise after signing)", role: xinlu.RolePlanner,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			ctx := context.Background()
			p := &store.ProjectRecord{}
			p.ZoneID, p.Name, p.Company, p.Industry, p.Stage = a.zone.ID, "签约表单项目", "签约表单有限公司", "equipment", xinlu.StageAgency
			p.Plan = xinlu.Plan{Content: "年产 500 台数控机床", TotalYuan: new(int64(1_234_567_800)), OutputYuan: new(int64(300_000_000)),
				LandMu: 120.5, WaterTPD: 350.25, FloorAreaM2: 1_250_000.5, EnergyTce: 3_456.25, Jobs: 300, SixNew: xinlu.SixNewTags[:2],
				ChainPosition: xinlu.ChainPositions[0]}
			p.Signing = xinlu.Signing{SignedOn: "2026-03-01", ContractYuan: 1_000_000_000, PromisedStart: "2026-06-01", PromisedProduce: "2027-06-01"}
			if err := a.store.CreateProject(ctx, xinlu.SystemActor(a.zone.ID), p); err != nil {
				t.Fatal(err)
			}
			id := strconvFormat(p.ID)
			return "/projects/" + id, "/projects/" + id + "/revise-plan", func() string {
				got, err := a.store.ProjectByID(ctx, a.zone.ID, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				events, err := a.store.ProjectEvents(ctx, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				pl := got.Plan
				return fmt.Sprintf("v%d %d events %q %s %s %v %v %v %v %v %q %q", got.Version, len(events), pl.Content, amount(pl.TotalYuan),
					amount(pl.OutputYuan), pl.LandMu, pl.WaterTPD, pl.FloorAreaM2, pl.EnergyTce, pl.Jobs, pl.SixNew, pl.ChainPosition)
			}
		},
		typed: map[string]string{"content": "年产 800 台数控机床", "note": "补充协议：二期扩产"},
		bad:   map[string]string{"water_tpd": "八百", "floor_area_m2": "很大"},
	},
	{
		name: "department", role: xinlu.RoleSysAdmin,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			d := &xinlu.Department{ZoneID: a.zone.ID, Code: "FORM", Name: "表单部门", ParentID: a.dept.ID, SortOrder: 7}
			if err := a.store.CreateDepartment(context.Background(), xinlu.SystemActor(a.zone.ID), d); err != nil {
				t.Fatal(err)
			}
			return "/departments/" + strconvFormat(d.ID) + "/edit", "/departments/" + strconvFormat(d.ID),
				snapshot(t, func() (any, error) { return a.store.DepartmentByID(context.Background(), a.zone.ID, d.ID) })
		},
		typed: map[string]string{"name": "表单部门（更名）"},
		bad:   map[string]string{"code": "有 空格", "sort_order": "10000"},
	},
	{
		name: "position", role: xinlu.RoleSysAdmin,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			p := &xinlu.Position{ZoneID: a.zone.ID, DepartmentID: a.dept.ID, Name: "表单科长", Grade: "正科", Kind: xinlu.PositionHead, SortOrder: 3}
			if err := a.store.CreatePosition(context.Background(), xinlu.SystemActor(a.zone.ID), p); err != nil {
				t.Fatal(err)
			}
			return "/positions/" + strconvFormat(p.ID) + "/edit", "/positions/" + strconvFormat(p.ID),
				snapshot(t, func() (any, error) { return a.store.PositionByID(context.Background(), a.zone.ID, p.ID) })
		},
		typed: map[string]string{"grade": "副处"},
		bad:   map[string]string{"name": "", "sort_order": "-1"},
	},
	{
		name: "team", role: xinlu.RoleSysAdmin,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			tm := &xinlu.Team{ZoneID: a.zone.ID, Kind: xinlu.TeamTaskforce, Name: "表单专班", Description: "线索甄别"}
			if err := a.store.CreateTeam(context.Background(), xinlu.SystemActor(a.zone.ID), tm); err != nil {
				t.Fatal(err)
			}
			return "/teams/" + strconvFormat(tm.ID) + "/edit", "/teams/" + strconvFormat(tm.ID),
				snapshot(t, func() (any, error) { return a.store.TeamByID(context.Background(), a.zone.ID, tm.ID) })
		},
		typed: map[string]string{"description": "线索甄别与研判"},
		bad:   map[string]string{"name": "\u200b"},
	},
	{
		name: "park", role: xinlu.RoleSysAdmin,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			p := &xinlu.Park{ZoneID: a.zone.ID, Name: "表单园区", AreaMu: 1200, Industries: []string{"equipment", "materials"}, Description: "南区"}
			if err := a.store.CreatePark(context.Background(), xinlu.SystemActor(a.zone.ID), p); err != nil {
				t.Fatal(err)
			}
			return "/parks/" + strconvFormat(p.ID) + "/edit", "/parks/" + strconvFormat(p.ID),
				snapshot(t, func() (any, error) { return a.store.ParkByID(context.Background(), a.zone.ID, p.ID) })
		},
		typed: map[string]string{"description": "南区一期"},
		bad:   map[string]string{"name": "", "area_mu": "20000000"},
	},
	{
		name: "user", role: xinlu.RoleSysAdmin,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			u := a.users[xinlu.RoleDiscipline]
			return "/users/" + strconvFormat(u.ID) + "/edit", "/users/" + strconvFormat(u.ID),
				snapshot(t, func() (any, error) { return a.store.UserByID(context.Background(), a.zone.ID, u.ID) })
		},
		bad: map[string]string{"name": ""},
	},
	{
		name: "calendar day", role: xinlu.RoleSysAdmin,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			d := &xinlu.CalendarDay{ZoneID: a.zone.ID, Date: "2026-10-08", Kind: xinlu.DayHoliday, Name: "国庆节"}
			if err := a.store.CreateCalendarDay(context.Background(), xinlu.SystemActor(a.zone.ID), d); err != nil {
				t.Fatal(err)
			}
			return "/calendar/" + strconvFormat(d.ID) + "/edit", "/calendar/" + strconvFormat(d.ID),
				snapshot(t, func() (any, error) { return a.store.CalendarDayByID(context.Background(), a.zone.ID, d.ID) })
		},
		bad: map[string]string{"date": "2026-10-32", "name": ""},
	},
	{
		name: "pipeline settings", role: xinlu.RoleSysAdmin,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			return "/settings/pipeline", "/settings/pipeline",
				snapshot(t, func() (any, error) { return a.store.PipelineSettings(context.Background(), a.zone.ID) })
		},
		typed: map[string]string{"packaging_days": "12"},
		bad:   map[string]string{"screening_days": "0", "yellow_within_days": "很多", "director_after_days": "100000000000000000000"},
	},
	{
		name: "approval checklist item", role: xinlu.RoleSysAdmin,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			return "/settings/pipeline", "/settings/pipeline/approvals/2", snapshot(t, func() (any, error) {
				return a.store.ApprovalTemplates(context.Background(), a.zone.ID)
			})
		},
		bad: map[string]string{"name": "", "limit_days": "400"},
	},
	{
		name: "incentive settings", role: xinlu.RoleAppraiser,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			return "/incentives/settings", "/incentives/settings",
				snapshot(t, func() (any, error) { return a.store.AppraisalSettings(context.Background(), a.zone.ID) })
		},
		typed: map[string]string{"funds_permille": "2"},
		bad:   map[string]string{"sign_reward_yuan": "-5", "missed_points": "1e400"},
	},
	{
		name: "study settings", role: xinlu.RoleDiscipline,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			return "/study/settings", "/study/settings",
				snapshot(t, func() (any, error) { return a.store.StudySettings(context.Background(), a.zone.ID) })
		},
		typed: map[string]string{"excellent_points": "2.5"},
		bad:   map[string]string{"warn_percent": "0", "flag_percent": "百"},
	},
	{
		name: "discussion session", role: xinlu.RoleHead,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			ctx := context.Background()
			office, head := a.users[xinlu.RoleDiscipline], a.users[xinlu.RoleHead]
			act := xinlu.Actor{ZoneID: a.zone.ID, UserID: office.ID, Name: office.Name}
			c, err := a.store.SaveCampaign(ctx, act, office, &xinlu.Campaign{Title: "表单学习", Theme: "解放思想", Audience: xinlu.AudienceZone,
				OpensOn: "2026-01-05", ClosesOn: "2099-12-31"}, 0)
			if err == nil {
				c, err = a.store.CampaignAction(ctx, act, office, c.ID, c.Version, xinlu.CampaignOpenAction)
			}
			if err != nil {
				t.Fatal(err)
			}
			ss, err := a.store.SaveStudySession(ctx, act, office, c.ID, &xinlu.StudySession{DepartmentID: a.dept.ID, HeldOn: "2026-12-09",
				Place: "三楼会议室", ChairID: head.MemberID, Minutes: "纪要"}, 0)
			if err != nil {
				t.Fatal(err)
			}
			path := "/study/sessions/" + strconvFormat(ss.ID)
			return path, path, snapshot(t, func() (any, error) {
				got, _, err := a.store.StudySession(ctx, office, ss.ID)
				return got, err
			})
		},
		typed: map[string]string{"minutes": "新的纪要"},
		bad:   map[string]string{"place": "", "held_on": "十二月"},
	},
	{
		name: "appraisal scheme", role: xinlu.RoleAppraiser, unchangedOnly: true,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			sc := &xinlu.Scheme{ZoneID: a.zone.ID, Name: "表单考核方案", PositionKind: xinlu.PositionStaff, Indicators: []xinlu.Indicator{
				{Name: "上报线索", Kind: xinlu.IndicatorComputed, Metric: "leads_reported", Target: 2, Weight: 20},
				{Name: "领导评价", Kind: xinlu.IndicatorAssessed, Weight: 60, KeyTask: true},
				{Name: "民主测评", Kind: xinlu.IndicatorPeer, Weight: 20}}}
			if err := a.store.CreateScheme(context.Background(), xinlu.SystemActor(a.zone.ID), sc); err != nil {
				t.Fatal(err)
			}
			id := strconvFormat(sc.ID)
			return "/appraisal/schemes/" + id + "/edit", "/appraisal/schemes/" + id,
				snapshot(t, func() (any, error) { return a.store.SchemeByID(context.Background(), a.zone.ID, sc.ID) })
		},
	},
	{
		name: "incentive (new)", role: xinlu.RoleAppraiser, create: true,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			return "/incentives/new", "/incentives", func() string {
				_, n, err := a.store.ListIncentives(context.Background(), store.IncentiveFilter{
					Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: a.zone.ID}, Page: xinlu.Page{Page: 1, PerPage: 1}})
				if err != nil {
					t.Fatal(err)
				}
				return strconvFormat(int64(n))
			}
		},
		typed: map[string]string{"reason": "招商表彰", "evidence_type": xinlu.EvidenceEvent, "evidence_text": "年度招商大会", "points": "2.5"},
		typedFor: func(a *app) map[string]string {
			return map[string]string{"member_id": strconvFormat(a.users[xinlu.RolePlanner].MemberID)}
		},
		bad: map[string]string{"amount_yuan": "-5", "occurred_on": "2026-02-30"},
	},
	{
		name: "tolerance claim (new)", role: xinlu.RoleMember, create: true,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			member := a.users[xinlu.RoleMember]
			a.recordIncentive(&xinlu.Incentive{MemberID: member.MemberID, Kind: xinlu.IncentivePenalty, Points: -300,
				Reason: "开工手续不全", OccurredOn: "2026-03-10"}, true)
			return "/tolerance/mine", "/tolerance", func() string {
				_, n, err := a.store.ListClaims(context.Background(), member, store.ClaimFilter{Own: true, Page: xinlu.Page{Page: 1, PerPage: 1}})
				if err != nil {
					t.Fatal(err)
				}
				return strconvFormat(int64(n))
			}
		},
		typedFor: func(a *app) map[string]string {
			items, _, err := a.store.ListIncentives(context.Background(), store.IncentiveFilter{
				Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: a.zone.ID}, MemberID: a.users[xinlu.RoleMember].MemberID, Page: xinlu.Page{Page: 1, PerPage: 1}})
			if err != nil || len(items) == 0 {
				a.t.Fatalf("no penalty: %v", err)
			}
			return map[string]string{"incentive_id": strconvFormat(items[0].ID)}
		},
		bad: map[string]string{"distinction": "", "facts": "太短了"},
	},
	{
		name: "account roles", role: xinlu.RoleSecAdmin, unchangedOnly: true,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			u := a.users[xinlu.RolePlanner]
			return "/users/" + strconvFormat(u.ID) + "/roles", "/users/" + strconvFormat(u.ID) + "/roles",
				snapshot(t, func() (any, error) { return a.store.UserByID(context.Background(), a.zone.ID, u.ID) })
		},
	},
	{
		name: "appraisal period (new)", role: xinlu.RoleAppraiser, create: true,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			return "/appraisal/periods", "/appraisal/periods", func() string {
				_, n, err := a.store.ListPeriods(context.Background(), store.PeriodFilter{ZoneID: a.zone.ID, Page: xinlu.Page{Page: 1, PerPage: 1}})
				if err != nil {
					t.Fatal(err)
				}
				return strconvFormat(int64(n))
			}
		},
		typed: map[string]string{"label": "2031-07", "publication_days": "7", "coef_middle": "1.05", "bottom_ratio": "15"},
		bad:   map[string]string{"top_ratio": "150", "coef_top": "一点二", "min_group_size": "0"},
	},
	{
		name: "lead report (new)", role: xinlu.RoleMember, create: true,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			return "/leads/new", "/leads", func() string {
				_, n, err := a.store.ListLeads(context.Background(), store.LeadFilter{
					Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: a.zone.ID}, Page: xinlu.Page{Page: 1, PerPage: 1}})
				if err != nil {
					t.Fatal(err)
				}
				return strconvFormat(int64(n))
			}
		},
		typed: map[string]string{"company": "表单精密机械有限公司", "project_name": "数控机床项目", "industry": "equipment", "description": "客商来访"},
		bad:   map[string]string{"investment": "-5", "contact_phone": "12ab"},
	},
	{
		name: "self-assessment indicator", role: xinlu.RolePlanner,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			v := 6.5
			ind := &xinlu.AssessmentIndicator{ZoneID: a.zone.ID, Year: 2026, Name: "规上工业增加值增速", Unit: "%", Weight: 8, Target: 8,
				Value: &v, Evidence: "统计月报", Links: []string{"/enterprises"}}
			if err := a.store.SaveAssessmentIndicator(context.Background(), xinlu.SystemActor(a.zone.ID), ind); err != nil {
				t.Fatal(err)
			}
			id := strconvFormat(ind.ID)
			return "/assessment/indicators/" + id + "/edit", "/assessment/indicators/" + id,
				func() string {
					got, err := a.store.AssessmentIndicatorByID(context.Background(), a.zone.ID, ind.ID)
					if err != nil {
						t.Fatal(err)
					}
					value := *got.Value
					got.Value = nil
					return fmt.Sprintf("%+v value %v", *got, value)
				}
		},
		typed: map[string]string{"evidence": "统计公报", "unit": "百分点"},
		bad:   map[string]string{"weight": "0", "target": "很多", "links": "http://example.com/x"},
	},
}

// quantity tells a field holding a quantity (an amount, days, an area, an
// order) from one holding digits that are no quantity (a phone number).
func quantity(field string) bool {
	for _, suffix := range []string{"_yuan", "_days", "_mu", "_order", "_points", "_permille", "_tpd", "_kva", "_m3pd", "_tph", "jobs", "investment"} {
		if strings.HasSuffix(field, suffix) {
			return true
		}
	}
	return false
}

// snapshot shows a stored record, with its version, for comparing.
func snapshot(t *testing.T, get func() (any, error)) func() string {
	return func() string {
		t.Helper()
		v, err := get()
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%+v", v)
	}
}

// amount shows an amount that may be unknown.
func amount(yuan *int64) string {
	if yuan == nil {
		return "待定"
	}
	return strconvFormat(*yuan)
}

func TestFormsKeepInputAndShowEveryError(t *testing.T) {
	for _, tc := range formCases {
		t.Run(tc.name, func(t *testing.T) {
			a := newApp(t)
			c := a.as(tc.role)
			page, action, state := tc.open(t, a)
			res := c.get(page)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d", page, res.StatusCode)
			}
			form := formFields(t, res.body, action)
			if form == nil {
				t.Fatalf("no form posting to %s on %s", action, page)
			}

			to := action
			if tc.post != nil {
				to = tc.post(action)
			}

			// Saved unchanged: nothing changes.
			before, audits := state(), zoneAuditRows(t, a)
			if !tc.create {
				if res := c.postForm(to, form.values()); res.StatusCode != http.StatusSeeOther {
					t.Fatalf("unchanged save: %d %s", res.StatusCode, firstError(res.body))
				}
				if after := state(); after != before {
					t.Errorf("an unchanged save changed the record:\n%s\n%s", before, after)
				}
				if n := zoneAuditRows(t, a); n != audits {
					t.Errorf("an unchanged save wrote %d audit rows", n-audits)
				}
			}

			if tc.unchangedOnly {
				return
			}

			// Bad fields: everything typed survives, every error shows.
			res = c.get(page)
			sent := formFields(t, res.body, action).values()
			for k, v := range tc.typed {
				sent.Set(k, v)
			}
			if tc.typedFor != nil {
				for k, v := range tc.typedFor(a) {
					sent.Set(k, v)
				}
			}
			for k, v := range tc.bad {
				sent.Set(k, v)
			}
			before = state()
			res = c.postForm(to, sent)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("bad save: %d %s", res.StatusCode, firstError(res.body))
			}
			if after := state(); after != before {
				t.Errorf("a refused save changed the record")
			}
			again := formFields(t, res.body, action)
			if again == nil {
				t.Fatalf("the form is not shown again: %s", res.body)
			}
			for k := range sent {
				if k == "csrf" {
					continue
				}
				if got := again.values().Get(k); got != sent.Get(k) {
					t.Errorf("%s shown again as %q, typed %q", k, got, sent.Get(k))
				}
			}
			summary := between(res.body, `id="form-error"`, "</div>")
			for k := range tc.bad {
				if !again.invalid[k] {
					t.Errorf("%s is not marked aria-invalid", k)
				}
				if !strings.Contains(res.body, `id="err-`+k+`"`) {
					t.Errorf("no message under %s", k)
				}
				if !strings.Contains(summary, `href="#`+k+`"`) {
					t.Errorf("the summary does not link to %s: %s", k, summary)
				}
				// A quantity out of range says the range, never "须为数字".
				if _, err := strconv.ParseFloat(strings.TrimSpace(tc.bad[k]), 64); quantity(k) && (err == nil || errors.Is(err, strconv.ErrRange)) {
					if msg := between(res.body, `id="err-`+k+`"`, "</"); strings.Contains(msg, "须为数字") || !strings.Contains(msg, "之间") {
						t.Errorf("%s = %s: %s", k, tc.bad[k], msg)
					}
				}
			}
			for k := range again.invalid {
				if _, ok := tc.bad[k]; !ok {
					t.Errorf("%s is marked invalid though typed well", k)
				}
			}
		})
	}
}

// zoneAuditRows is the number of audit rows of the test zone.
func zoneAuditRows(t *testing.T, a *app) int {
	t.Helper()
	_, n, err := a.store.ListAudit(context.Background(), xinlu.AuditFilter{ZoneID: a.zone.ID, Page: xinlu.Page{Page: 1, PerPage: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// between is the text of s from the first start to the next end after it.
func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, end); j >= 0 {
		return s[:j]
	}
	return s
}

// postedForm is what a browser would send from one form of a page, and
// which of its fields are marked aria-invalid.
type postedForm struct {
	fields  [][2]string
	invalid map[string]bool
}

func (f *postedForm) values() url.Values {
	v := url.Values{}
	for _, kv := range f.fields {
		v.Add(kv[0], kv[1])
	}
	return v
}

// formFields reads the post form of body whose action is action, as a
// browser would submit it; nil without one.
func formFields(t *testing.T, body, action string) *postedForm {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var form *html.Node
	var find func(n *html.Node)
	find = func(n *html.Node) {
		if form != nil {
			return
		}
		if n.Type == html.ElementNode && n.Data == "form" && strings.EqualFold(attr(n, "method"), "post") && attr(n, "action") == action {
			form = n
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if form == nil {
		return nil
	}
	f := &postedForm{invalid: map[string]bool{}}
	formID := attr(form, "id")
	var walk func(n *html.Node, inside bool)
	walk = func(n *html.Node, inside bool) {
		if n == form {
			inside = true
		}
		// A control belongs to the form it is in, or to the one its form attribute names.
		owner, hasOwner := attrOK(n, "form")
		if n.Type == html.ElementNode && (inside && !hasOwner || hasOwner && formID != "" && owner == formID) {
			name := attr(n, "name")
			if name != "" && attr(n, "aria-invalid") == "true" {
				f.invalid[name] = true
			}
			_, disabled := attrOK(n, "disabled")
			switch {
			case name == "" || disabled:
			case n.Data == "input":
				switch strings.ToLower(attr(n, "type")) {
				case "submit", "button", "file", "reset", "image":
				case "checkbox", "radio":
					if _, on := attrOK(n, "checked"); on {
						v, ok := attrOK(n, "value")
						if !ok {
							v = "on"
						}
						f.fields = append(f.fields, [2]string{name, v})
					}
				default:
					f.fields = append(f.fields, [2]string{name, attr(n, "value")})
				}
			case n.Data == "textarea":
				text := ""
				if n.FirstChild != nil {
					text = n.FirstChild.Data
				}
				f.fields = append(f.fields, [2]string{name, text})
			case n.Data == "select":
				var first *html.Node
				picked := false
				var opts func(o *html.Node)
				opts = func(o *html.Node) {
					for c := o.FirstChild; c != nil; c = c.NextSibling {
						if c.Type == html.ElementNode && c.Data == "option" {
							if first == nil {
								first = c
							}
							if _, sel := attrOK(c, "selected"); sel {
								f.fields = append(f.fields, [2]string{name, optionValue(c)})
								picked = true
							}
						} else {
							opts(c)
						}
					}
				}
				opts(n)
				if _, multiple := attrOK(n, "multiple"); !picked && !multiple && first != nil {
					f.fields = append(f.fields, [2]string{name, optionValue(first)})
				}
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inside)
		}
	}
	walk(doc, false)
	return f
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func optionValue(o *html.Node) string {
	if v, ok := attrOK(o, "value"); ok {
		return v
	}
	if o.FirstChild != nil {
		return strings.TrimSpace(o.FirstChild.Data)
	}
	return ""
}
