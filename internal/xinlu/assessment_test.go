package xinlu

import (
	"math"
	"testing"
)

func TestScoreIndicator(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for _, c := range []struct {
		name string
		ind  AssessmentIndicator
		v    *float64
		want IndicatorScore
	}{
		{"half the target earns half the weight", AssessmentIndicator{Weight: 12, Target: 20}, f(10), IndicatorScore{Share: 0.5, Score: 6}},
		{"target met", AssessmentIndicator{Weight: 8, Target: 5}, f(5), IndicatorScore{Share: 1, Score: 8}},
		{"beaten: capped at 120%", AssessmentIndicator{Weight: 10, Target: 4}, f(10), IndicatorScore{Share: 2.5, Score: 12}},
		{"two decimals", AssessmentIndicator{Weight: 7, Target: 3}, f(1), IndicatorScore{Share: 1.0 / 3, Score: 2.33}},
		{"negative value earns nothing", AssessmentIndicator{Weight: 8, Target: 10}, f(-3), IndicatorScore{Score: 0}},
		{"lower is better, above target", AssessmentIndicator{Weight: 4, Target: 0.5, LowerGood: true}, f(0.8), IndicatorScore{Share: 0.625, Score: 2.5}},
		{"lower is better, under target", AssessmentIndicator{Weight: 4, Target: 0.5, LowerGood: true}, f(0.25), IndicatorScore{Share: 2, Score: 4.8}},
		{"lower is better, zero", AssessmentIndicator{Weight: 4, Target: 0.5, LowerGood: true}, f(0), IndicatorScore{Share: 1.2, Score: 4.8}},
		{"no target", AssessmentIndicator{Weight: 8}, f(3), IndicatorScore{NoGoal: true}},
		{"no value", AssessmentIndicator{Weight: 8, Target: 3}, nil, IndicatorScore{Missing: true}},
		{"no value, no target", AssessmentIndicator{Weight: 8}, nil, IndicatorScore{Missing: true, NoGoal: true}},
		{"deduction per unit", AssessmentIndicator{Weight: 1.5, Deduction: true}, f(2), IndicatorScore{Score: -3}},
		{"deduction of none", AssessmentIndicator{Weight: 1.5, Deduction: true}, f(0), IndicatorScore{Score: 0}},
		{"deduction without value", AssessmentIndicator{Weight: 1.5, Deduction: true}, nil, IndicatorScore{Missing: true}},
	} {
		if got := ScoreIndicator(&c.ind, c.v); got != c.want || math.Signbit(got.Score) != math.Signbit(c.want.Score) {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestAssessmentTotalAndGrade(t *testing.T) {
	sheet := []*AssessmentIndicator{{Weight: 60}, {Weight: 40}, {Weight: 1, Deduction: true}}
	total, full := AssessmentTotal([]IndicatorScore{{Score: 60}, {Score: 33.335}, {Score: -2}}, sheet)
	if total != 91.34 || full != 100 {
		t.Fatalf("total %v of %v", total, full)
	}
	for _, c := range []struct {
		total, full float64
		want        string
	}{{91.34, 100, "excellent"}, {90, 100, "excellent"}, {89.99, 100, "good"}, {80, 100, "good"}, {60, 100, "pass"}, {59.99, 100, "fail"},
		{45, 50, "excellent"}, {10, 0, ""}} {
		if got := AssessmentGrade(c.total, c.full); got != c.want {
			t.Errorf("grade of %v/%v: %q, want %q", c.total, c.full, got, c.want)
		}
	}
}

func TestRankZones(t *testing.T) {
	zs := []ZoneScore{
		{ZoneName: "丙", Category: "industrial", Score: 80},
		{ZoneName: "甲", Category: "industrial", Score: 92},
		{ZoneName: "农", Category: "agriculture", Score: 70},
		{ZoneName: "乙", Category: "industrial", Score: 80},
		{ZoneName: "未", Category: "", Score: 99},
	}
	RankZones(zs)
	want := []struct {
		name     string
		rank, of int
	}{{"未", 1, 1}, {"农", 1, 1}, {"甲", 1, 3}, {"丙", 2, 3}, {"乙", 2, 3}}
	for i, w := range want {
		if zs[i].ZoneName != w.name || zs[i].Rank != w.rank || zs[i].Of != w.of {
			t.Fatalf("%d: %+v, want %+v", i, zs[i], w)
		}
	}
}

func TestAssessmentIndicatorValidate(t *testing.T) {
	v := 3.0
	a := AssessmentIndicator{Name: " 亩均税收 ", Year: 2026, Weight: 8, Target: 10, Value: &v, Evidence: "统计局数据",
		Links: []string{"/projects/12\n\n /enterprises/3 "}}
	if err := a.Validate(); err != nil || a.Name != "亩均税收" || len(a.Links) != 2 || a.Links[1] != "/enterprises/3" {
		t.Fatalf("%+v %v", a, err)
	}
	bad := AssessmentIndicator{Year: 1999, Weight: 0, Target: -1, Source: "gdp", Links: []string{"https://example.com/x"}}
	if n := len(ErrorsOf(bad.Validate())); n != 6 {
		t.Fatalf("bad indicator: %d errors %v", n, bad.Validate())
	}
	// A computed indicator keeps no entered value or evidence.
	c := AssessmentIndicator{Name: "签约合同额", Year: 2026, Weight: 12, Source: "contract_amount", Value: &v, Evidence: "x", Links: []string{"/projects/1"}}
	if err := c.Validate(); err != nil || c.Value != nil || c.Evidence != "" || c.Links != nil {
		t.Fatalf("computed %+v %v", c, err)
	}
	sum := 0.0
	for _, d := range DefaultAssessmentSheet(2026) {
		if err := d.Validate(); err != nil {
			t.Fatalf("default %s: %v", d.Name, err)
		}
		if !d.Deduction {
			sum += d.Weight
		}
	}
	if sum != 100 {
		t.Fatalf("default weights add up to %v", sum)
	}
}
