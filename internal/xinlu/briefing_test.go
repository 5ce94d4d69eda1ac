package xinlu

import (
	"strings"
	"testing"
	"time"
)

func TestBriefingMonth(t *testing.T) {
	today := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		month, key  string
		first, last string
		asOf        string
	}{
		{"2026-11", "", "2026-11-01", "2026-11-30", "2026-11-30"},
		{"2026-12", "", "2026-12-01", "2026-12-31", "2026-12-07"},
		{"2024-02", "", "2024-02-01", "2024-02-29", "2024-02-29"},
		{" 2026-02 ", "", "2026-02-01", "2026-02-28", "2026-02-28"},
		{"2027-01", "briefing.month_future", "", "", ""},
		{"2026-13", "briefing.month_format", "", "", ""},
		{"11月", "briefing.month_format", "", "", ""},
		{"1999-12", "briefing.month_format", "", "", ""},
	} {
		err := CheckBriefingMonth(c.month, today)
		if AsError(err).Key != c.key && !(err == nil && c.key == "") {
			t.Errorf("%q: %v, want %q", c.month, err, c.key)
			continue
		}
		if c.key != "" {
			continue
		}
		first, last, _ := MonthRange(c.month)
		if f, l, a := first.Format(DateLayout), last.Format(DateLayout), BriefingAsOf(last, today).Format(DateLayout); f != c.first || l != c.last || a != c.asOf {
			t.Errorf("%q: %s..%s as of %s, want %s..%s as of %s", c.month, f, l, a, c.first, c.last, c.asOf)
		}
	}
}

func TestBriefingComment(t *testing.T) {
	if s, err := CleanBriefingComment("  加快推进。\n\u200b"); err != nil || s != "加快推进。" {
		t.Fatalf("%q %v", s, err)
	}
	for _, c := range []struct{ in, key string }{{" ", "error.required"}, {strings.Repeat("字", MaxBriefingComment+1), "error.too_long"},
		{"a\u202eb", "error.text_control"}} {
		if _, err := CleanBriefingComment(c.in); AsError(err).Key != c.key {
			t.Errorf("%.20q: %v, want %s", c.in, err, c.key)
		}
	}
	if _, err := CleanBriefingComment(strings.Repeat("字", MaxBriefingComment)); err != nil {
		t.Errorf("the longest comment: %v", err)
	}
}

func TestBriefingSummarise(t *testing.T) {
	f := &BriefingFigures{
		Leads:  []DepartmentCount{{"甲", 2}, {"乙", 3}},
		Signed: []BriefingProject{{Yuan: 100}, {Yuan: 250}},
		Red: []RedItem{{Kind: "project", Department: "乙"}, {Kind: "approval", Department: "甲"}, {Kind: "order", Department: "乙"},
			{Kind: "approval", Department: ""}, {Kind: "lead"}, {Kind: "lead"}},
		Incentives: []BriefingIncentive{{Kind: IncentiveReward, Yuan: 500}, {Kind: IncentivePenalty, Yuan: 100}, {Kind: IncentiveDisciplinary, Yuan: 50},
			{Kind: IncentiveReward, Yuan: 20}},
	}
	f.Summarise()
	if f.LeadsTotal != 5 || f.SignedYuan != 350 || f.RewardYuan != 520 || f.PenaltyYuan != 150 {
		t.Fatalf("totals %d %d %d %d", f.LeadsTotal, f.SignedYuan, f.RewardYuan, f.PenaltyYuan)
	}
	if f.RedByKind["approval"] != 2 || f.RedByKind["lead"] != 2 || f.RedByKind["order"] != 1 || len(f.RedByKind) != 4 {
		t.Fatalf("by kind %v", f.RedByKind)
	}
	// Most first; of equal counts by name, no department last; leads apart.
	want := []DepartmentCount{{"乙", 2}, {"甲", 1}, {"", 1}}
	if len(f.RedByOwner) != len(want) {
		t.Fatalf("by owner %v", f.RedByOwner)
	}
	for i := range want {
		if f.RedByOwner[i] != want[i] {
			t.Fatalf("by owner %v, want %v", f.RedByOwner, want)
		}
	}
	// Summarising again gives the same figures.
	f.Summarise()
	if f.LeadsTotal != 5 || len(f.RedByOwner) != 3 || f.RewardYuan != 520 {
		t.Fatalf("summarised twice: %+v", f)
	}
}
