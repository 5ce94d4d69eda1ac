package store_test

import (
	"context"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// TestWorkbenchQueries runs every query of the home's workbench on each
// engine: the leads to screen are counted and listed by
// deadline, and empty to-dos count nothing.
func TestWorkbenchQueries(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seedLeads(t, s)
		zone := f.zone.ID
		f.report(t, "reporter", "甲材料有限公司", "铝材项目")
		f.report(t, "reporter", "乙装备有限公司", "装备项目")
		lt, err := s.ZoneLights(ctx, zone)
		if err != nil {
			t.Fatal(err)
		}
		leads, err := s.LeadsToScreen(ctx, lt, 1)
		if err != nil || leads.Count != 2 || len(leads.Items) != 1 || leads.Items[0].Due == "" || leads.Items[0].Light == xinlu.LightNone {
			t.Fatalf("leads to screen: %+v %v", leads, err)
		}
		screener, sponsor := f.users["screener"], f.users["sponsor"]
		for name, q := range map[string]func() (store.Todos, error){
			"plans":       func() (store.Todos, error) { return s.PlansDue(ctx, lt, 5) },
			"sponsored":   func() (store.Todos, error) { return s.SponsoredProjects(ctx, lt, sponsor.MemberID, 5) },
			"unsponsored": func() (store.Todos, error) { return s.UnsponsoredProjects(ctx, lt, 5) },
			"to push":     func() (store.Todos, error) { return s.OrdersToPush(ctx, lt, sponsor.MemberID, 5) },
			"assigned":    func() (store.Todos, error) { return s.OrdersAssigned(ctx, lt, sponsor.MemberID, 5) },
			"approvals":   func() (store.Todos, error) { return s.ApprovalsDue(ctx, lt, sponsor.MemberID, 5) },
			"red appr":    func() (store.Todos, error) { return s.RedApprovals(ctx, lt, 5) },
			"red proj":    func() (store.Todos, error) { return s.RedProjects(ctx, lt, 5) },
			"appeals":     func() (store.Todos, error) { return s.AppealsToAnswer(ctx, lt, 5) },
			"claims":      func() (store.Todos, error) { return s.ClaimsToDecide(ctx, lt, screener, 5) },
		} {
			if got, err := q(); err != nil || got.Count != 0 || got.Red != 0 || len(got.Items) != 0 {
				t.Errorf("%s: %+v %v", name, got, err)
			}
		}
		counts, total, err := s.ReportedLeadCounts(ctx, zone, f.users["reporter"].MemberID)
		if err != nil || total != 2 || len(counts) != 1 || counts[0].Status != xinlu.LeadReported {
			t.Fatalf("reported leads: %+v %d %v", counts, total, err)
		}
		if b, err := s.MemberLatestBand(ctx, zone, f.users["reporter"].MemberID); b != nil || err != nil {
			t.Fatalf("latest band: %+v %v", b, err)
		}
		head := f.users["head"]
		if sc, err := s.ScoresToEnter(ctx, head, head.Filter(xinlu.PermAppraisalScore)); err != nil || len(sc) != 0 {
			t.Fatalf("scores: %+v %v", sc, err)
		}
		if n, err := s.ProposedIncentives(ctx, zone); err != nil || n != 0 {
			t.Fatalf("incentives: %d %v", n, err)
		}
	})
}
