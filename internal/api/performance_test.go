package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"xinlu/internal/api"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func TestPerformanceAPI(t *testing.T) {
	e := newTeamParkEnv(t)
	ctx := context.Background()
	sys := xinlu.SystemActor(e.zone.ID)
	mk := func(name, industry string, stage xinlu.Stage, status xinlu.ProjectStatus, sponsor int64, sg xinlu.Signing, started string) *store.ProjectRecord {
		t.Helper()
		p := &store.ProjectRecord{StartedOn: started}
		p.ZoneID, p.Name, p.Company, p.Industry, p.Stage, p.Status, p.SponsorID, p.Signing = e.zone.ID, name, name+"公司", industry, stage, status, sponsor, sg
		if status == xinlu.ProjectLost {
			p.LostReason = "policy_block"
		}
		if err := e.st.CreateProject(ctx, sys, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// Started on time, funds 120%: performing.
	a := mk("铝材", "materials", xinlu.StageConstruction, xinlu.ProjectActive, e.member.ID,
		xinlu.Signing{SignedOn: "2025-01-01", ContractYuan: 1_000_000, PromisedStart: "2025-03-01", PromisedProduce: "2099-01-01"}, "2025-02-20")
	e.user(e.zone.ID, "agent", xinlu.RoleAgent, 0)
	agent, err := e.st.UserByUsername(ctx, "agent")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.RecordFunds(ctx, xinlu.ActorOf(agent, "127.0.0.1"), agent, a.ID, store.Funds{OnDate: "2025-04-01", Yuan: 1_200_000}); err != nil {
		t.Fatal(err)
	}
	// Start overdue, no sponsor: not performing.
	mk("装备", "equipment", xinlu.StageAgency, xinlu.ProjectActive, 0,
		xinlu.Signing{SignedOn: "2025-01-01", ContractYuan: 1_000_000, PromisedStart: "2025-02-01", PromisedProduce: "2099-01-01"}, "")
	// Lost: left out.
	mk("流失", "materials", xinlu.StageAgency, xinlu.ProjectLost, 0,
		xinlu.Signing{SignedOn: "2025-01-01", ContractYuan: 5_000_000, PromisedStart: "2025-02-01", PromisedProduce: "2099-01-01"}, "")

	member := e.login("member")
	status, body := e.call(member, "GET", "/projects/performance", "")
	var got api.PerformanceJSON
	if status != 200 || json.Unmarshal([]byte(body), &got) != nil {
		t.Fatalf("performance: %d %s", status, body)
	}
	tot := got.Total
	if tot.Signed != 2 || tot.Performing != 1 || *tot.PerformRate != 0.5 || tot.ContractYuan != 2_000_000 || tot.FundsYuan != 1_200_000 ||
		*tot.FundsRate != 0.6 || *tot.StartRate != 0.5 || tot.StartOverdue != 1 || tot.ProduceRate != nil {
		t.Fatalf("total: %s", body)
	}
	if len(got.ByIndustry) != 2 || got.ByIndustry[0].Industry != "equipment" || got.ByIndustry[1].Industry != "materials" {
		t.Fatalf("industries: %s", body)
	}
	if m := got.ByIndustry[1]; *m.FundsRate != 1 || *m.FundsRateRaw != 1.2 || *m.PerformRate != 1 {
		t.Fatalf("materials capped and raw: %+v", m)
	}
	if len(got.BySponsor) != 2 || *got.BySponsor[0].SponsorID != e.member.ID || got.BySponsor[0].SponsorName != "李明" || *got.BySponsor[1].SponsorID != 0 {
		t.Fatalf("sponsors: %s", body)
	}
	if len(got.Projects) != 2 {
		t.Fatalf("projects: %s", body)
	}
	for _, p := range got.Projects {
		switch p.Name {
		case "铝材":
			if p.Start != "on_time" || p.Produce != "pending" || !p.Performing || p.FundsDue != 0.3 || !p.FundsOnTrack {
				t.Fatalf("铝材 %+v", p)
			}
		case "装备":
			if p.Start != "overdue" || p.Performing || p.FundsOnTrack {
				t.Fatalf("装备 %+v", p)
			}
		}
	}
	// As of a day before anything was signed: nothing, and rates are null.
	status, body = e.call(member, "GET", "/projects/performance?as_of=2024-12-31", "")
	if status != 200 || !strings.Contains(body, `"signed":0`) || !strings.Contains(body, `"perform_rate":null`) || !strings.Contains(body, `"projects":[]`) {
		t.Fatalf("as of 2024: %d %s", status, body)
	}
	if status, body := e.call(member, "GET", "/projects/performance?as_of=soon", ""); status != 422 || !strings.Contains(body, `"field":"as_of"`) {
		t.Fatalf("bad as_of: %d %s", status, body)
	}
	// A role without the right: 403.
	if status, body := e.call(e.login("admin"), "GET", "/projects/performance", ""); status != 403 {
		t.Fatalf("admin: %d %s", status, body)
	}
}

func TestPerformanceAPIScheduleRate(t *testing.T) {
	e := newTeamParkEnv(t)
	ctx := context.Background()
	e.user(e.zone.ID, "sponsor", xinlu.RoleSponsor, 0)
	e.user(e.zone.ID, "agent", xinlu.RoleAgent, 0)
	sponsor, err := e.st.UserByUsername(ctx, "sponsor")
	if err != nil {
		t.Fatal(err)
	}
	agent, err := e.st.UserByUsername(ctx, "agent")
	if err != nil {
		t.Fatal(err)
	}
	sign := func(name string, contract, funds int64, items ...xinlu.Instalment) *store.ProjectRecord {
		t.Helper()
		p := &store.ProjectRecord{}
		p.ZoneID, p.Name, p.Company, p.Industry, p.Stage = e.zone.ID, name, name+"公司", "materials", xinlu.StagePromotion
		if err := e.st.CreateProject(ctx, xinlu.SystemActor(e.zone.ID), p); err != nil {
			t.Fatal(err)
		}
		p, err := e.st.StepProject(ctx, xinlu.ActorOf(sponsor, "127.0.0.1"), sponsor, p.ID, p.Version, xinlu.ProjectSign, store.StepInput{
			Signing: &xinlu.Signing{SignedOn: cstDay(e.st, -100), ContractYuan: contract, PromisedStart: "2099-01-01", PromisedProduce: "2099-06-01", Instalments: items}})
		if err != nil {
			t.Fatal(err)
		}
		if funds > 0 {
			if err := e.st.RecordFunds(ctx, xinlu.ActorOf(agent, "127.0.0.1"), agent, p.ID, store.Funds{OnDate: cstDay(e.st, -1), Yuan: funds}); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	// Behind: 1,000,000 due, 250,000 in. Ahead: 500,000 due, 1,000,000 in. Nothing due yet. No schedule.
	sign("滞后", 2_000_000, 250_000, xinlu.Instalment{DueOn: cstDay(e.st, -50), Yuan: 1_000_000}, xinlu.Instalment{DueOn: cstDay(e.st, 50), Yuan: 1_000_000})
	sign("超额", 2_000_000, 1_000_000, xinlu.Instalment{DueOn: cstDay(e.st, -50), Yuan: 500_000})
	sign("未到期", 2_000_000, 0, xinlu.Instalment{DueOn: cstDay(e.st, 50), Yuan: 500_000})
	sign("无计划", 2_000_000, 0)

	member := e.login("member")
	status, body := e.call(member, "GET", "/projects/performance", "")
	var got api.PerformanceJSON
	if status != 200 || json.Unmarshal([]byte(body), &got) != nil {
		t.Fatalf("performance: %d %s", status, body)
	}
	tot := got.Total
	if tot.Scheduled != 3 || tot.ScheduleDueYuan != 1_500_000 || tot.ScheduleFundsYuan != 1_250_000 || tot.FundsLagging != 1 ||
		*tot.ScheduleRate != 1_250_000.0/1_500_000 || *tot.ScheduleRateRaw != *tot.ScheduleRate {
		t.Fatalf("total: %s", body)
	}
	if len(got.ByIndustry) != 1 || *got.ByIndustry[0].ScheduleRate != *tot.ScheduleRate || len(got.BySponsor) != 1 || got.BySponsor[0].FundsLagging != 1 {
		t.Fatalf("groups: %s", body)
	}
	for _, p := range got.Projects {
		switch p.Name {
		case "滞后":
			if !p.FundsLagging || p.LaggingSince != cstDay(e.st, -50) || p.ScheduleShortfallYuan != 750_000 || *p.ScheduleRate != 0.25 ||
				p.NextDueOn != cstDay(e.st, 50) || p.NextAmountYuan != 1_000_000 {
				t.Fatalf("滞后 %+v", p)
			}
		case "超额":
			if p.FundsLagging || *p.ScheduleRate != 1 || *p.ScheduleRateRaw != 2 {
				t.Fatalf("超额 %+v", p)
			}
		case "未到期", "无计划":
			if p.ScheduleRate != nil || p.ScheduleRateRaw != nil || p.FundsLagging || p.HasSchedule != (p.Name == "未到期") {
				t.Fatalf("%s %+v", p.Name, p)
			}
		}
	}
	if !strings.Contains(body, `"schedule_rate":null`) {
		t.Fatalf("no null rate: %s", body)
	}
	// ?funds_lag=1 lists the lagging project only; the summaries stay whole.
	status, body = e.call(member, "GET", "/projects/performance?funds_lag=1", "")
	got = api.PerformanceJSON{}
	if status != 200 || json.Unmarshal([]byte(body), &got) != nil || len(got.Projects) != 1 || got.Projects[0].Name != "滞后" || got.Total.Signed != 4 {
		t.Fatalf("funds_lag: %d %s", status, body)
	}
	if status, body := e.call(member, "GET", "/projects/performance?funds_lag=yes", ""); status != 422 || !strings.Contains(body, `"field":"funds_lag"`) {
		t.Fatalf("bad funds_lag: %d %s", status, body)
	}
}
