package demo_test

import (
	"context"
	"testing"
	"time"

	"xinlu/internal/demo"
	"xinlu/internal/store"
	"xinlu/internal/testfix"
	"xinlu/internal/xinlu"
)

func openStore(t *testing.T) *store.Store { return testfix.SQLite(t) }

// The demo pipeline has every lead status and every project stage, red
// items for the director, and real timelines.
func TestDemoPipeline(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	start := time.Now()
	res, err := demo.Seed(ctx, s, demo.Options{Password: "Trial@2026"})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("demo seeded in %s", time.Since(start))
	z := res.Zone
	scope := xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: z.ID}
	_, total, err := s.ListLeads(ctx, store.LeadFilter{Scope: scope})
	if err != nil || total < 250 {
		t.Fatalf("%d leads, %v", total, err)
	}
	for _, st := range xinlu.LeadStatuses {
		_, n, err := s.ListLeads(ctx, store.LeadFilter{Scope: scope, Status: st})
		if err != nil || n == 0 {
			t.Errorf("no %s leads (%v)", st, err)
		}
	}
	ps, n, err := s.ListProjects(ctx, store.ProjectFilter{ZoneID: z.ID, Page: xinlu.Page{Page: 1, PerPage: 200}})
	if err != nil || n < 30 {
		t.Fatalf("%d projects, %v", n, err)
	}
	stages, statuses := map[xinlu.Stage]int{}, map[xinlu.ProjectStatus]int{}
	red, funded := 0, 0
	for _, p := range ps {
		stages[p.Stage]++
		statuses[p.Status]++
		if p.Light == xinlu.LightRed {
			red++
		}
		if p.FundsYuan > 0 {
			funded++
		}
		ev, err := s.ProjectEvents(ctx, p.ID)
		if err != nil || len(ev) < 2 {
			t.Errorf("project %d has a timeline of %d events (%v)", p.ID, len(ev), err)
		}
	}
	for _, st := range xinlu.Stages {
		if stages[st] == 0 {
			t.Errorf("no project in %s: %v", st, stages)
		}
	}
	for _, st := range []xinlu.ProjectStatus{xinlu.ProjectActive, xinlu.ProjectOnHold, xinlu.ProjectLost} {
		if statuses[st] == 0 {
			t.Errorf("no %s project: %v", st, statuses)
		}
	}
	if red == 0 || funded == 0 {
		t.Errorf("%d red projects, %d with funds", red, funded)
	}
	redItems, openItems, closedItems := 0, 0, 0
	for _, p := range ps {
		if p.Stage != xinlu.StageAgency {
			continue
		}
		items, err := s.Approvals(ctx, z.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			switch {
			case !store.ApprovalOpen(it.Status):
				closedItems++
			case it.Light == xinlu.LightRed:
				redItems++
			default:
				openItems++
			}
		}
	}
	if redItems == 0 || closedItems == 0 {
		t.Errorf("agency approvals: %d red, %d open, %d closed", redItems, openItems, closedItems)
	}
	if n, brk, err := s.VerifyAudit(ctx); err != nil || brk != nil {
		t.Fatalf("audit chain after %d rows: %+v %v", n, brk, err)
	}
	t.Logf("stages %v statuses %v, %d red projects, approvals %d red %d open %d closed", stages, statuses, red, redItems, openItems, closedItems)
}

func TestSeedScale(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	if _, err := demo.Seed(ctx, s, demo.Options{Password: "Trial@2026"}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res, err := demo.SeedScale(ctx, s, demo.ScaleOptions{Leads: 5000, Batch: 2000})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v in %s", res, time.Since(start))
	if res.Leads != 5000 || res.Batches != 3 || res.Projects < 300 || res.Projects > 700 || res.Approvals == 0 || res.Funds == 0 {
		t.Fatalf("scale: %+v", res)
	}
	z, _ := s.ZoneByCode(ctx, demo.ZoneCode)
	cols, err := s.Kanban(ctx, z.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		if c.Count == 0 {
			t.Errorf("no project in %s: %+v", c.Stage, cols)
		}
	}
	if n, brk, err := s.VerifyAudit(ctx); err != nil || brk != nil {
		t.Fatalf("audit chain after %d rows: %+v %v", n, brk, err)
	}
}

// A load-test zone has a screener who signs in and sees the zone's leads
// only; SeedScale fills the zone it is given.
func TestSeedLoadZone(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	if _, err := demo.Seed(ctx, s, demo.Options{Password: "Trial@2026"}); err != nil {
		t.Fatal(err)
	}
	z, err := demo.SeedLoadZone(ctx, s, 2, "Trial@2026")
	if err != nil {
		t.Fatal(err)
	}
	if again, err := demo.SeedLoadZone(ctx, s, 2, "Trial@2026"); err != nil || again.ID != z.ID {
		t.Fatalf("second call: %+v %v", again, err)
	}
	if _, err := demo.SeedScale(ctx, s, demo.ScaleOptions{Zone: z.Code, Leads: 1500, Batch: 1000}); err != nil {
		t.Fatal(err)
	}
	u, _, err := s.Login(ctx, xinlu.Actor{IP: "127.0.0.1"}, demo.LoadZoneScreener(2), "Trial@2026", store.LoginPolicy{Limit: 5, Window: time.Minute})
	if err != nil || u.ZoneID != z.ID {
		t.Fatalf("the load zone's screener signs in: %+v %v", u, err)
	}
	_, total, err := s.ListLeads(ctx, store.LeadFilter{Scope: u.Filter(xinlu.PermLeadView)})
	if err != nil || total != 1500 {
		t.Fatalf("the screener sees %d leads (%v), want the zone's 1500", total, err)
	}
	if n, brk, err := s.VerifyAudit(ctx); err != nil || brk != nil {
		t.Fatalf("audit chains after %d rows: %+v %v", n, brk, err)
	}
}
