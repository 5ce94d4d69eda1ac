package demo_test

import (
	"context"
	"testing"
	"time"

	"xinlu/internal/demo"
	"xinlu/internal/xinlu"
)

// The demo has a closed campaign with reflections in every state, a pair
// of near copies and one copied from the speech, and an open campaign due
// next week.
func TestDemoStudy(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	if _, err := demo.Seed(ctx, s, demo.Options{Password: "Trial@2026"}); err != nil {
		t.Fatal(err)
	}
	office, err := s.UserByUsername(ctx, "discipline")
	if err != nil {
		t.Fatal(err)
	}
	cs, err := s.Campaigns(ctx, office)
	if err != nil || len(cs) != 2 {
		t.Fatalf("%d campaigns, %v", len(cs), err)
	}
	open, closed := cs[0], cs[1]
	today := s.StudyToday()
	if open.Status != xinlu.CampaignOpen || open.ClosesOn <= today.AddDate(0, 0, 6).Format(xinlu.DateLayout) ||
		open.ClosesOn > today.AddDate(0, 0, 13).Format(xinlu.DateLayout) {
		t.Errorf("open campaign %s closes %s", open.Status, open.ClosesOn)
	}
	if closed.Status != xinlu.CampaignClosed {
		t.Fatalf("closed campaign is %s", closed.Status)
	}
	_, comp, err := s.StudyCompletion(ctx, office, closed.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The open campaign carries the plan as a Word document, its text read.
	if ms, err := s.CampaignMaterials(ctx, office, open.ID); err != nil || len(ms) != 1 || ms[0].TextLength < 200 {
		t.Errorf("materials of the open campaign: %d %v", len(ms), err)
	}
	// Three discussion sessions, with leaves and absences, in two departments.
	_, sessions, err := s.StudySessions(ctx, office, closed.ID)
	if err != nil || len(sessions) != 3 {
		t.Fatalf("%d sessions, %v", len(sessions), err)
	}
	depts := map[int64]bool{}
	for _, ss := range sessions {
		depts[ss.DepartmentID] = true
		if ss.Count(xinlu.AttendLeave) != 1 || ss.Count(xinlu.AttendPresent) < 2 || len(ss.SpeakerIDs) < 2 || ss.Minutes == "" {
			t.Errorf("session %s: %d present, %d on leave, %d speakers", ss.HeldOn, ss.Count(xinlu.AttendPresent), ss.Count(xinlu.AttendLeave), len(ss.SpeakerIDs))
		}
	}
	if len(depts) != 2 {
		t.Errorf("sessions in %d departments", len(depts))
	}
	if tot := comp.Total; tot.Asked < 55 || tot.Missing == 0 || tot.Late == 0 || tot.Returned == 0 || tot.Pending == 0 || tot.Accepted < 30 {
		t.Errorf("completion %+v", tot)
	}
	rs, err := s.CampaignReflections(ctx, office, closed.ID)
	if err != nil {
		t.Fatal(err)
	}
	states := map[xinlu.ReflectionStatus]int{}
	copies, fromSource := 0, 0
	start := time.Now()
	for _, r := range rs {
		states[r.Status]++
		rep, err := s.SimilarReflections(ctx, office, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range rep.Matches {
			if m.Kind == xinlu.SimilarReflection && m.Score >= 0.8 {
				copies++
			}
			if m.Kind == xinlu.SimilarSource && m.Score >= 0.5 {
				fromSource++
			}
			if m.Kind == xinlu.SimilarReflection && m.Score >= 0.5 && m.Score < 0.8 {
				t.Errorf("%s overlaps %s by %.0f%%", r.MemberName, m.Label, m.Score*100)
			}
		}
	}
	t.Logf("checked %d reflections in %s", len(rs), time.Since(start))
	for _, st := range []xinlu.ReflectionStatus{xinlu.ReflectionSubmitted, xinlu.ReflectionReturned, xinlu.ReflectionResubmitted, xinlu.ReflectionAccepted} {
		if states[st] == 0 {
			t.Errorf("no %s reflection: %v", st, states)
		}
	}
	if copies != 2 || fromSource != 1 {
		t.Errorf("%d near copies (want the pair, each way), %d copied from the speech", copies, fromSource)
	}
	member, _ := s.UserByUsername(ctx, "member")
	if r, err := s.MyReflection(ctx, member, open.ID); err != nil || r == nil || r.Status != xinlu.ReflectionDraft {
		t.Errorf("李小明's draft in the open campaign: %+v %v", r, err)
	}
}
