package xinlu

import "testing"

func TestEfficiencyEvaluation(t *testing.T) {
	es := map[int64]*Enterprise{1: {ID: 1, Name: "甲"}, 2: {ID: 2, Name: "乙"}, 3: {ID: 3, Name: "丙"}, 4: {ID: 4, Name: "丁"}, 5: {ID: 5, Name: "戊（无用地）"}}
	// 亩均税收 30, 10, 5, 15 万元 on 100 mu each: average 15.
	years := []EnterpriseYear{
		{EnterpriseID: 1, Year: 2025, TaxYuan: 30_000_000, OutputYuan: 400_000_000, LandMu: 100, EnergyTce: 10000, Employees: 400},
		{EnterpriseID: 2, Year: 2025, TaxYuan: 10_000_000, OutputYuan: 200_000_000, LandMu: 100, EnergyTce: 10000, Employees: 400},
		{EnterpriseID: 3, Year: 2025, TaxYuan: 5_000_000, OutputYuan: 100_000_000, LandMu: 100, EnergyTce: 10000, Employees: 400},
		{EnterpriseID: 4, Year: 2025, TaxYuan: 15_000_000, OutputYuan: 100_000_000, LandMu: 100, EnergyTce: 0, Employees: 0},
		{EnterpriseID: 5, Year: 2025, TaxYuan: 1_000_000, OutputYuan: 1_000_000, LandMu: 0},
	}
	s := DefaultEfficiencyScheme()
	rs := s.Evaluate(es, years)
	if len(rs) != 4 {
		t.Fatalf("an enterprise without land is not evaluated: %d", len(rs))
	}
	// 甲: tax 30/15×50 capped at 2×50 = 100; output/mu 400/200×20 = 40; output/energy 4/2.333×15 = 25.71; per head same 25.71.
	want := []struct {
		name  string
		score float64
		class string
	}{{"甲", 191.43, "A"}, {"乙", 79.05, "C"}, {"丁", 60, "C"}, {"丙", 39.52, "D"}}
	for i, w := range want {
		if rs[i].Enterprise.Name != w.name || rs[i].Score != w.score || rs[i].Class != w.class || rs[i].Rank != i+1 {
			t.Errorf("rank %d: %s %v %s, want %+v", i+1, rs[i].Enterprise.Name, rs[i].Score, rs[i].Class, w)
		}
	}
	for score, class := range map[float64]string{120: "A", 119.99: "B", 90: "B", 60: "C", 59.9: "D", 0: "D"} {
		if got := s.Class(score); got != class {
			t.Errorf("class of %v: %s, want %s", score, got, class)
		}
	}
	bad := DefaultEfficiencyScheme()
	bad.Weights[EffTaxPerMu] = 60
	if AsError(bad.Validate()).Key != "efficiency.weights_sum" {
		t.Fatal("weights must sum to 100")
	}
	bad = DefaultEfficiencyScheme()
	bad.B = 130
	if AsError(bad.Validate()).Key != "efficiency.thresholds_order" {
		t.Fatal("thresholds must fall")
	}
	e := Enterprise{Name: " 晋中精工 ", CreditCode: "91140700mA0abcd12x", Industry: "equipment"}
	if err := e.Validate(); err != nil || e.CreditCode != "91140700MA0ABCD12X" {
		t.Fatalf("%v %+v", err, e)
	}
}
