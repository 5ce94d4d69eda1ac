package xinlu

import (
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestParcelMoves(t *testing.T) {
	for _, c := range []struct {
		from, to ParcelStatus
		ok       bool
	}{
		{ParcelPlanned, ParcelServiced, true},
		{ParcelServiced, ParcelListed, true},
		{ParcelListed, ParcelSold, true},
		{ParcelSold, ParcelInUse, true},
		{ParcelSold, ParcelListed, true}, // sale cancelled
		{ParcelPlanned, ParcelSold, false},
		{ParcelInUse, ParcelSold, false},
		{ParcelListed, ParcelPlanned, false},
		{ParcelInUse, ParcelInUse, false},
	} {
		err := CheckParcelMove(c.from, c.to)
		if (err == nil) != c.ok {
			t.Errorf("%s → %s: %v", c.from, c.to, err)
		}
		if err != nil && (AsError(err).Key != "land.parcel_move_not_allowed" || len(AsError(err).Args) != 2) {
			t.Errorf("%s → %s: error does not name both statuses: %v", c.from, c.to, err)
		}
	}
}

func TestParcelValidate(t *testing.T) {
	good := func() Parcel {
		return Parcel{ParkID: 1, Code: " A-01 ", AreaMu: 120, LandUse: "industrial", FARMin: 0.8, FARMax: 2, Shape: "0,0 100,0 100,80"}
	}
	p := good()
	if err := p.Validate(); err != nil || p.Code != "A-01" || p.Status != ParcelPlanned {
		t.Fatalf("good parcel: %v %+v", err, p)
	}
	for name, c := range map[string]struct {
		mod   func(*Parcel)
		field string
	}{
		"no code":             {func(p *Parcel) { p.Code = "" }, "code"},
		"zero area":           {func(p *Parcel) { p.AreaMu = 0 }, "area_mu"},
		"unknown use":         {func(p *Parcel) { p.LandUse = "farm" }, "land_use"},
		"ratio reversed":      {func(p *Parcel) { p.FARMin, p.FARMax = 3, 1 }, "far_max"},
		"sold without buyer":  {func(p *Parcel) { p.Status, p.AgreedStart = ParcelSold, "2026-01-01" }, "project_id"},
		"sold without start":  {func(p *Parcel) { p.Status, p.ProjectID = ParcelSold, 9 }, "agreed_start"},
		"two corners":         {func(p *Parcel) { p.Shape = "0,0 10,10" }, "shape"},
		"corner off the plan": {func(p *Parcel) { p.Shape = "0,0 1001,0 5,5" }, "shape"},
		"bad date":            {func(p *Parcel) { p.AgreedStart = "2026-13-01" }, "agreed_start"},
	} {
		p := good()
		c.mod(&p)
		err := p.Validate()
		if !slices.ContainsFunc(ErrorsOf(err), func(e *Error) bool { return e.Field == c.field }) {
			t.Errorf("%s: want an error on %s, got %v", name, c.field, err)
		}
	}
}

func TestParcelIdle(t *testing.T) {
	today := time.Date(2026, 9, 28, 0, 0, 0, 0, time.UTC)
	sold := &Parcel{Status: ParcelSold, ProjectID: 1, AgreedStart: "2026-09-01"}
	if got := ParcelIdleSince(sold, false, today); got != "2026-09-01" {
		t.Fatalf("sold, start passed, not started: %q", got)
	}
	if got := ParcelIdleSince(sold, true, today); got != "" {
		t.Fatalf("started: %q", got)
	}
	if got := ParcelIdleSince(&Parcel{Status: ParcelSold, AgreedStart: "2026-09-28"}, false, today); got != "" {
		t.Fatalf("start is today, not passed: %q", got)
	}
	if got := ParcelIdleSince(&Parcel{Status: ParcelListed, AgreedStart: "2026-01-01"}, false, today); got != "" {
		t.Fatalf("not sold: %q", got)
	}
	sold.IdleSince = "2026-09-01"
	if d := sold.IdleDays(today); d != 27 {
		t.Fatalf("idle days %d, want 27", d)
	}
}

func water(base float64, bs ...Buildout) Utility {
	return Utility{ID: 1, Kind: UtilityWater, BaseCapacity: base, WarnRatio: DefaultWarnRatio, Buildouts: bs}
}

func TestCapacityOverTime(t *testing.T) {
	u := water(10000,
		Buildout{Name: "二水厂", Added: 5000, PlannedOn: "2027-06-30", Status: BuildoutConstruction},
		Buildout{Name: "一期扩建", Added: 2000, PlannedOn: "2026-01-01", ActualOn: "2026-03-15", Status: BuildoutCommissioned},
		Buildout{Name: "三水厂", Added: 8000, PlannedOn: "2026-12-01", Status: BuildoutDelayed},
		Buildout{Name: "中水回用", Added: 1000, PlannedOn: "2028-01-01", Status: BuildoutPlanned},
	)
	u.Committed, u.Reserved = 6000, 3000
	for _, c := range []struct {
		date      string
		capacity  float64
		free      float64
		warning   bool
		stepCount int
	}{
		{"2026-03-14", 10000, 1000, true, 0}, // commissioned counts from its actual date, not its planned one
		{"2026-03-15", 12000, 3000, true, 0}, // 3,000 free is under 30% of 12,000
		{"2027-06-29", 12000, 3000, true, 0},
		{"2027-06-30", 17000, 8000, false, 0}, // under construction counts from its planned date
		{"2030-01-01", 18000, 9000, false, 0}, // the delayed one never counts
	} {
		if got := u.CapacityAt(c.date); got != c.capacity {
			t.Errorf("capacity on %s = %v, want %v", c.date, got, c.capacity)
		}
		if got := u.FreeAt(c.date); got != c.free {
			t.Errorf("free on %s = %v, want %v", c.date, got, c.free)
		}
		if got := u.Warning(c.date); got != c.warning {
			t.Errorf("warning on %s = %v, want %v", c.date, got, c.warning)
		}
	}
	steps := u.Steps()
	want := []Step{{"", 10000, ""}, {"2026-03-15", 12000, "一期扩建"}, {"2027-06-30", 17000, "二水厂"}, {"2028-01-01", 18000, "中水回用"}}
	if !slices.Equal(steps, want) {
		t.Fatalf("steps %+v", steps)
	}
	if s := u.FixedBy(7000); s == nil || s.Buildout != "二水厂" || s.From != "2027-06-30" {
		t.Fatalf("7000 more is fixed by 二水厂: %+v", s)
	}
	if s := u.FixedBy(50000); s != nil {
		t.Fatalf("nothing fixes 50000: %+v", s)
	}
}

func TestBuildoutMovesAndValidate(t *testing.T) {
	if CheckBuildoutMove(BuildoutCommissioned, BuildoutDelayed) == nil {
		t.Fatal("a commissioned build-out cannot be delayed")
	}
	if err := CheckBuildoutMove(BuildoutDelayed, BuildoutConstruction); err != nil {
		t.Fatal(err)
	}
	b := Buildout{UtilityID: 1, Name: "110kV 变电站", Added: 50000, PlannedOn: "2027-05-01", Status: BuildoutCommissioned}
	if e := AsError(b.Validate()); e == nil || e.Field != "actual_on" {
		t.Fatalf("commissioned needs its date: %v", e)
	}
	b.Status, b.ActualOn = BuildoutPlanned, "2027-05-01"
	if e := AsError(b.Validate()); e == nil || e.Field != "actual_on" {
		t.Fatalf("only commissioned has an actual date: %v", e)
	}
}

func TestAllocate(t *testing.T) {
	gasA := Utility{ID: 10, Kind: UtilityGas, Supplier: "国新能源", BaseCapacity: 20000, Reserved: 18000}
	gasB := Utility{ID: 11, Kind: UtilityGas, Supplier: "华润燃气", BaseCapacity: 30000, Reserved: 10000}
	w := water(1000, Buildout{Name: "二水厂", Added: 5000, PlannedOn: "2027-06-30", Status: BuildoutPlanned})
	w.Reserved = 900
	us := []Utility{w, gasA, gasB}

	allocs, shorts := Allocate(us, Plan{WaterTPD: 100, GasM3PD: 15000}, "2027-01-01")
	if len(shorts) != 0 || len(allocs) != 2 || allocs[1].UtilityID != 11 || allocs[1].Amount != 15000 {
		t.Fatalf("gas goes to the pipeline with room: %+v %+v", allocs, shorts)
	}
	_, shorts = Allocate(us, Plan{WaterTPD: 300, HeatTPH: 5}, "2027-01-01")
	if len(shorts) != 2 {
		t.Fatalf("shorts %+v", shorts)
	}
	s := shorts[0]
	if s.Kind != UtilityWater || s.Short != 200 || s.FixedBy != "二水厂" || s.FixedOn != "2027-06-30" || !s.Recorded {
		t.Fatalf("water short: %+v", s)
	}
	if shorts[1].Kind != UtilityHeat || shorts[1].Recorded {
		t.Fatalf("heat is not recorded in this park: %+v", shorts[1])
	}
	e := AsError(RefuseShortfall(shorts))
	if e.Key != "land.signing_short" || e.Args[1] != "200" || e.Args[2] != "t/d" || e.Args[3] != "2027-01-01" {
		t.Fatalf("refusal names utility, shortfall and date: %+v", e)
	}
	if RefuseShortfall(shorts[1:]) != nil {
		t.Fatal("a utility the park does not record does not refuse a signing")
	}
	// On the build-out's date it fits.
	if _, shorts = Allocate(us, Plan{WaterTPD: 300}, "2027-06-30"); len(shorts) != 0 {
		t.Fatalf("after the build-out: %+v", shorts)
	}
}

func TestLedgerTotals(t *testing.T) {
	got := Totals([]LedgerEntry{
		{UtilityID: 1, Reserved: 100}, {UtilityID: 1, Reserved: -100, Committed: 100}, {UtilityID: 2, Reserved: 50}, {UtilityID: 2, Reserved: -50},
	})
	if got[1] != [2]float64{0, 100} || got[2] != [2]float64{0, 0} {
		t.Fatalf("%v", got)
	}
}

func TestFormatQuantity(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 12500: "12,500", 1234567.891: "1,234,567.89", 2.5: "2.5", -1000: "-1,000", 999: "999"} {
		if got := FormatQuantity(v); got != want {
			t.Errorf("%v → %q, want %q", v, got, want)
		}
	}
}

func TestMatchParksEveryReason(t *testing.T) {
	total, tax := int64(300_000_000), int64(6_000_000) // 3 亿, 600 万 on 100 mu: 300 万/亩, 6 万/亩
	project := MatchProject{ID: 7, Industry: "equipment", Date: "2027-01-01",
		Plan: Plan{LandMu: 100, TotalYuan: &total, TaxYuan: &tax, WaterTPD: 500, PowerKVA: 8000}}
	parcel := func(id int64, code string, mu float64, st ParcelStatus, use string, project int64) *Parcel {
		return &Parcel{ID: id, Code: code, AreaMu: mu, Status: st, LandUse: use, ProjectID: project}
	}
	power := Utility{ID: 2, Kind: UtilityPower, BaseCapacity: 100000}
	good := MatchPark{Park: &Park{ID: 1, Name: "甲园", Industries: []string{"equipment"}},
		Standard:  LandStandard{InvestPerMuYuan: 2_000_000, TaxPerMuYuan: 50_000},
		Utilities: []Utility{water(10000), power},
		Parcels: []*Parcel{
			parcel(1, "A-1", 150, ParcelListed, "industrial", 0),
			parcel(2, "A-2", 60, ParcelListed, "industrial", 0),           // too small
			parcel(3, "A-3", 300, ParcelServiced, "commercial", 0),        // wrong use
			parcel(4, "A-4", 120, ParcelPlanned, "industrial", 0),         // not serviced yet
			parcel(5, "A-5", 500, ParcelSold, "industrial", 3),            // sold: not offered
			parcel(6, "A-6", 200, ParcelListed, "industrial", 9),          // reserved for another project
			parcel(7, "A-7", 100, ParcelListed, "industrial", project.ID), // reserved for this one: offered
		}}
	shortWater := water(1000, Buildout{Name: "二水厂", Added: 5000, PlannedOn: "2027-06-30", Status: BuildoutPlanned})
	shortWater.Reserved = 800
	bad := MatchPark{Park: &Park{ID: 2, Name: "乙园", Industries: []string{"biomedicine"}},
		Standard:  LandStandard{InvestPerMuYuan: 5_000_000, TaxPerMuYuan: 100_000},
		Utilities: []Utility{shortWater},
		Parcels:   []*Parcel{parcel(8, "B-1", 40, ParcelListed, "industrial", 0)}}
	bigEnoughButNone := MatchPark{Park: &Park{ID: 3, Name: "丙园", Industries: []string{"equipment"}},
		Utilities: []Utility{water(10000), power},
		Parcels:   []*Parcel{parcel(9, "C-1", 200, ParcelPlanned, "industrial", 0)}}

	got := MatchParks(project, []MatchPark{bad, bigEnoughButNone, good})
	if len(got) != 3 || got[0].Park.ID != 1 || !got[0].Fit || got[2].Park.ID != 2 {
		t.Fatalf("ranking: %v %v %v", got[0].Park.Name, got[1].Park.Name, got[2].Park.Name)
	}
	var codes []string
	for _, pf := range got[0].Parcels {
		codes = append(codes, pf.Parcel.Code)
	}
	// Fitting parcels first (closest in size first), then the others; sold and other projects' parcels are not offered.
	if !slices.Equal(codes, []string{"A-7", "A-1", "A-4", "A-2", "A-3"}) {
		t.Fatalf("parcels %v", codes)
	}
	reasonKeys := func(rs []Reason) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Key)
		}
		return out
	}
	pk := map[string][]string{}
	for _, pf := range got[0].Parcels {
		pk[pf.Parcel.Code] = reasonKeys(pf.Reasons)
	}
	if !slices.Equal(pk["A-2"], []string{"match.parcel_small"}) || !slices.Equal(pk["A-3"], []string{"match.parcel_use"}) ||
		!slices.Equal(pk["A-4"], []string{"match.parcel_planned"}) {
		t.Fatalf("parcel reasons %v", pk)
	}
	if ks := reasonKeys(got[1].Reasons); !slices.Equal(ks, []string{"match.no_parcel"}) {
		t.Fatalf("丙园 %v", ks)
	}
	ks := reasonKeys(got[2].Reasons)
	want := []string{"match.industry", "match.invest_intensity", "match.tax_intensity", "match.utility_short_fixed", "match.utility_unrecorded", "match.land_short"}
	if !slices.Equal(ks, want) {
		t.Fatalf("乙园 reasons %v, want %v", ks, want)
	}
	r := got[2].Reasons
	if r[1].Args[0] != "300" || r[1].Args[1] != "500" || r[2].Args[0] != "6" || r[2].Args[1] != "10" {
		t.Fatalf("intensity figures in 万元/亩: %v %v", r[1].Args, r[2].Args)
	}
	if r[3].Args[1] != "300" || r[3].Args[3] != "2027-01-01" || r[3].Args[4] != "二水厂" || r[3].Args[5] != "2027-06-30" {
		t.Fatalf("water short by 300 on the date, fixed by 二水厂: %v", r[3].Args)
	}
	if r[5].Args[0] != "60" {
		t.Fatalf("land short by 60 mu: %v", r[5].Args)
	}
}

func TestMatchFloorAreaAndEnergy(t *testing.T) {
	output := int64(200_000_000) // 2 亿元 a year: 20,000 万元
	// 100 mu is 66,666.67 m²: 100,000 m² of floor area is a ratio of 1.5.
	plan := Plan{LandMu: 100, FloorAreaM2: 100_000, EnergyTce: 2_000, OutputYuan: &output} // 0.1 tce per 万元
	park := func(st LandStandard, parcels ...*Parcel) MatchPark {
		return MatchPark{Park: &Park{ID: 1, Name: "甲园", Industries: []string{"equipment"}}, Standard: st, Parcels: parcels}
	}
	listed := func(mu, farMin, farMax float64) *Parcel {
		return &Parcel{ID: 1, Code: "A-1", AreaMu: mu, Status: ParcelListed, LandUse: "industrial", FARMin: farMin, FARMax: farMax}
	}
	unknownOutput := plan
	unknownOutput.OutputYuan = nil
	noFloor := plan
	noFloor.FloorAreaM2 = 0
	for _, c := range []struct {
		name        string
		plan        Plan
		park        MatchPark
		parkReasons []Reason
		parcel      []Reason
	}{
		{"within every threshold", plan, park(LandStandard{FARMin: 1.2, FARMax: 2, EnergyPerOutput: 0.1}, listed(100, 1, 2)), nil, nil},
		{"ratio below the standard", plan, park(LandStandard{FARMin: 1.6}, listed(100, 0, 0)),
			[]Reason{{"match.far_low", []any{"1.5", "1.6"}}}, nil},
		{"ratio above the standard", plan, park(LandStandard{FARMax: 1.2}, listed(100, 0, 0)),
			[]Reason{{"match.far_high", []any{"1.5", "1.2"}}}, nil},
		{"energy per output above the threshold", plan, park(LandStandard{EnergyPerOutput: 0.08}, listed(100, 0, 0)),
			[]Reason{{"match.energy_intensity", []any{"0.1", "0.08"}}}, nil},
		// On a parcel of 150 mu the same floor area is a ratio of 1.
		{"ratio below the parcel's range", plan, park(LandStandard{}, listed(150, 1.2, 2.5)),
			[]Reason{{"match.no_parcel", nil}}, []Reason{{"match.parcel_far_low", []any{"1", "1.2"}}}},
		{"ratio above the parcel's range", plan, park(LandStandard{}, listed(100, 0.8, 1.4)),
			[]Reason{{"match.no_parcel", nil}}, []Reason{{"match.parcel_far_high", []any{"1.5", "1.4"}}}},
		{"unknown output: energy not checked", unknownOutput, park(LandStandard{EnergyPerOutput: 0.01}, listed(100, 0, 0)), nil, nil},
		{"no floor area: ratio not checked", noFloor, park(LandStandard{FARMin: 3}, listed(100, 3, 4)), nil, nil},
	} {
		got := MatchParks(MatchProject{ID: 7, Industry: "equipment", Plan: c.plan, Date: "2027-01-01"}, []MatchPark{c.park})[0]
		if !reflect.DeepEqual(got.Reasons, c.parkReasons) || got.Fit != (len(c.parkReasons) == 0) {
			t.Errorf("%s: park %v fit %v, want %v", c.name, got.Reasons, got.Fit, c.parkReasons)
		}
		if len(got.Parcels) != 1 || !reflect.DeepEqual(got.Parcels[0].Reasons, c.parcel) || got.Parcels[0].Fit != (len(c.parcel) == 0) {
			t.Errorf("%s: parcel %+v, want %v", c.name, got.Parcels, c.parcel)
		}
	}
}

func TestPlanFloorAreaAndEnergyChecks(t *testing.T) {
	total := int64(100)
	p := Plan{Content: "x", TotalYuan: &total, FloorAreaM2: -1, EnergyTce: 2e9}
	fields := map[string]bool{}
	for _, e := range ErrorsOf(p.Validate()) {
		fields[e.Field] = true
	}
	if !fields["floor_area_m2"] || !fields["energy_tce"] {
		t.Fatalf("negative floor area and huge energy: %v", fields)
	}
	if SamePlan(Plan{FloorAreaM2: 1}, Plan{FloorAreaM2: 2}) || SamePlan(Plan{EnergyTce: 1}, Plan{}) {
		t.Fatal("floor area and energy count in SamePlan")
	}
}

func TestAdjustHoldings(t *testing.T) {
	gasA := Utility{ID: 10, Kind: UtilityGas, Supplier: "国新能源", BaseCapacity: 20000, Reserved: 15000}
	gasB := Utility{ID: 11, Kind: UtilityGas, Supplier: "华润燃气", BaseCapacity: 30000, Reserved: 10000}
	w := water(1000, Buildout{Name: "二水厂", Added: 5000, PlannedOn: "2027-06-30", Status: BuildoutPlanned})
	w.Reserved = 900 // 500 of it this project's
	power := Utility{ID: 2, Kind: UtilityPower, BaseCapacity: 10000, Reserved: 3000}
	us := []Utility{w, power, gasA, gasB}
	held := map[int64]float64{1: 500, 10: 5000}
	type alloc = Allocation
	for _, c := range []struct {
		name   string
		plan   Plan
		allocs []Allocation
		shorts []UtilityKind
		short  float64 // of the first shortfall
	}{
		{"unchanged", Plan{WaterTPD: 500, GasM3PD: 5000}, nil, nil, 0},
		{"less water, no gas: the holdings go down", Plan{WaterTPD: 200},
			[]Allocation{alloc{1, UtilityWater, -300}, alloc{10, UtilityGas, -5000}}, nil, 0},
		{"more water that fits on the held utility", Plan{WaterTPD: 600, GasM3PD: 5000}, []Allocation{alloc{1, UtilityWater, 100}}, nil, 0},
		{"more water than is free: short by the increase less free", Plan{WaterTPD: 800, GasM3PD: 5000},
			[]Allocation{alloc{1, UtilityWater, 300}}, []UtilityKind{UtilityWater}, 200},
		{"power newly needed: placed as at signing", Plan{WaterTPD: 500, GasM3PD: 5000, PowerKVA: 2000},
			[]Allocation{alloc{2, UtilityPower, 2000}}, nil, 0},
		{"power beyond what is free", Plan{WaterTPD: 500, GasM3PD: 5000, PowerKVA: 9000},
			[]Allocation{alloc{2, UtilityPower, 9000}}, []UtilityKind{UtilityPower}, 2000},
		// Pipeline A has 5,000 free, B 20,000: 15,000 in all moves to B.
		{"more gas than its pipeline has: the whole demand moves to the other", Plan{WaterTPD: 500, GasM3PD: 15000},
			[]Allocation{alloc{10, UtilityGas, -5000}, alloc{11, UtilityGas, 15000}}, nil, 0},
		{"more gas than either pipeline carries", Plan{WaterTPD: 500, GasM3PD: 30000},
			[]Allocation{alloc{10, UtilityGas, 25000}}, []UtilityKind{UtilityGas}, 20000},
		{"heat, not recorded in the park", Plan{WaterTPD: 500, GasM3PD: 5000, HeatTPH: 4}, nil, []UtilityKind{UtilityHeat}, 0},
	} {
		allocs, shorts := AdjustHoldings(us, held, c.plan, "2027-01-01")
		var kinds []UtilityKind
		for _, s := range shorts {
			kinds = append(kinds, s.Kind)
		}
		if !reflect.DeepEqual(allocs, c.allocs) || !slices.Equal(kinds, c.shorts) {
			t.Errorf("%s: %+v %+v, want %+v %v", c.name, allocs, shorts, c.allocs, c.shorts)
			continue
		}
		if len(shorts) > 0 && shorts[0].Short != c.short {
			t.Errorf("%s: short %v, want %v", c.name, shorts[0].Short, c.short)
		}
	}
	// The water shortfall is fixed by the build-out, and refuses the revision in words.
	_, shorts := AdjustHoldings(us, held, Plan{WaterTPD: 800, GasM3PD: 5000}, "2027-01-01")
	if shorts[0].FixedBy != "二水厂" {
		t.Fatalf("fixed by %+v", shorts[0])
	}
	e := AsError(RefuseRevisionShortfall(shorts))
	if e.Key != "land.revision_short" || e.Args[1] != "200" || e.Args[3] != "2027-01-01" {
		t.Fatalf("refusal %+v", e)
	}
}

func TestRevisePlan(t *testing.T) {
	total := int64(1_000_000_000)
	old := Plan{Content: "年产 10 万吨", TotalYuan: &total, LandMu: 100, WaterTPD: 500, ProposedParkID: 3}
	same := old
	same.ProposedParkID = 0
	if p, changed, err := RevisePlan(old, same, ""); err != nil || changed || p.ProposedParkID != 3 {
		t.Fatalf("unchanged: %v %v %+v", changed, err, p)
	}
	more := old
	more.WaterTPD = 800
	if _, _, err := RevisePlan(old, more, " "); AsError(err).Key != "project.plan_reason_required" {
		t.Fatalf("no reason: %v", err)
	}
	if p, changed, err := RevisePlan(old, more, "补充协议：二期扩产"); err != nil || !changed || p.WaterTPD != 800 || p.ProposedParkID != 3 {
		t.Fatalf("revised: %v %v %+v", changed, err, p)
	}
	moved := more
	moved.ProposedParkID = 4
	if _, _, err := RevisePlan(old, moved, "换园区"); AsError(err).Key != "project.revise_park_kept" {
		t.Fatalf("another park: %v", err)
	}
	bad := more
	bad.Content, bad.WaterTPD = "", -1
	fields := map[string]bool{}
	_, _, err := RevisePlan(old, bad, string(make([]rune, 501)))
	for _, e := range ErrorsOf(err) {
		fields[e.Field] = true
	}
	if !fields["content"] || !fields["water_tpd"] || !fields["note"] {
		t.Fatalf("every error at once: %v", err)
	}
	if _, _, err = RevisePlan(old, bad, ""); len(ErrorsOf(err)) != 3 || ErrorsOf(err)[2].Key != "project.plan_reason_required" {
		t.Fatalf("a bad figure without a reason: %v", err)
	}
	// The planning group and the leadership group revise; the agency does not.
	signed := &Project{Stage: StageConstruction, Status: ProjectActive}
	for role, ok := range map[Role]bool{RolePlanner: true, RoleSponsor: true, RoleAgent: false} {
		u := &User{Roles: []Role{role}}
		if _, _, err := CheckProjectStep(u, signed, ProjectRevisePlan); (err == nil) != ok {
			t.Errorf("%s revises: %v", role, err)
		}
	}
	if _, _, err := CheckProjectStep(&User{Roles: []Role{RolePlanner}}, &Project{Stage: StagePromotion, Status: ProjectActive}, ProjectRevisePlan); err == nil {
		t.Error("a plan not signed yet is saved, not revised")
	}
}
