package demo_test

import (
	"context"
	"testing"

	"xinlu/internal/demo"
)

// The demo zone has this year's self-assessment, scored and ranked, and
// last month's briefing issued.
func TestDemoReports(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	res, err := demo.Seed(ctx, s, demo.Options{Password: "Trial@2026"})
	if err != nil {
		t.Fatal(err)
	}
	z := res.Zone
	sheet, err := s.Assessment(ctx, z.ID, s.Now().Year())
	if err != nil || len(sheet.Rows) != 15 || sheet.Category != "industrial" || sheet.Total <= 0 || sheet.Grade == "" {
		t.Fatalf("self-assessment %+v %v", sheet, err)
	}
	for _, r := range sheet.Rows {
		if r.Actual == nil || (!r.Deduction && r.Target <= 0) {
			t.Errorf("%s: actual %v target %v", r.Name, r.Actual, r.Target)
		}
	}
	scores, err := s.AssessmentScores(ctx, s.Now().Year())
	if err != nil || len(scores) != 1 || scores[0].Rank != 1 {
		t.Fatalf("scores %+v %v", scores, err)
	}
	bs, err := s.Briefings(ctx, z.ID)
	if err != nil || len(bs) != 1 || bs[0].Comment == "" || bs[0].Figures.LeadsTotal == 0 {
		t.Fatalf("briefings %+v %v", bs, err)
	}
}
