package demo

import (
	"context"
	"fmt"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// The demo's land and utilities: every park has water, power, two gas
// pipelines and heat with build-outs, and a dozen parcels drawn on its plan
// in every status. Projects propose the park of their industry, so that
// signing reserves and production commits there. After the pipeline the
// wear-resistant materials park's water is set near its limit, with the
// second water plant due next year.

// parkOf is the demo park a project of an industry proposes.
func (o *org) parkOf(industry string, id int64) int64 {
	switch industry {
	case "equipment", "biomedicine":
		return o.park["智慧装备制造产业园"]
	case "casting":
		return o.park["耐磨材料产业园"]
	case "materials":
		if id%2 == 0 {
			return o.park["耐磨材料产业园"]
		}
	}
	return o.park["信息新材料产业基地"]
}

// gasSuppliers are the zone's two natural-gas pipelines (双管网).
var gasSuppliers = []string{"国新能源", "华润燃气"}

// seedUtilities records the parks' utilities with room for the whole
// demo pipeline, their build-outs, and the standard-land thresholds.
func seedUtilities(ctx context.Context, st *store.Store, a xinlu.Actor, z *xinlu.Zone, o *org, today time.Time) error {
	year := today.Year()
	for _, pk := range parks {
		id := o.park[pk.Name]
		specs := []struct {
			kind     xinlu.UtilityKind
			supplier string
			base     float64
		}{{xinlu.UtilityWater, "园区集中供水", 60000}, {xinlu.UtilityPower, "增量配电网公司", 900000}, {xinlu.UtilityGas, gasSuppliers[0], 400000},
			{xinlu.UtilityGas, gasSuppliers[1], 300000}, {xinlu.UtilityHeat, "园区热源厂", 600}}
		for _, sp := range specs {
			u := &xinlu.Utility{ZoneID: z.ID, ParkID: id, Kind: sp.kind, Supplier: sp.supplier, BaseCapacity: sp.base}
			if err := st.CreateUtility(ctx, a, u); err != nil {
				return fmt.Errorf("utility %s %s: %w", pk.Name, sp.kind, err)
			}
			o.utility[pk.Name+"/"+string(sp.kind)+"/"+sp.supplier] = u.ID
			var bs []xinlu.Buildout
			switch sp.kind {
			case xinlu.UtilityWater:
				bs = []xinlu.Buildout{{Name: "一期水厂扩建", Added: 2000, PlannedOn: fmt.Sprintf("%d-03-31", year-1), ActualOn: fmt.Sprintf("%d-05-20", year-1), Status: xinlu.BuildoutCommissioned}}
				if pk.Name == "耐磨材料产业园" {
					bs = append(bs, xinlu.Buildout{Name: "二期水厂", Added: 20000, PlannedOn: fmt.Sprintf("%d-06-30", year+1), Status: xinlu.BuildoutConstruction})
				}
			case xinlu.UtilityPower:
				bs = []xinlu.Buildout{{Name: "110kV 变电站", Added: 200000, PlannedOn: fmt.Sprintf("%d-09-30", year+1), Status: xinlu.BuildoutPlanned}}
			case xinlu.UtilityHeat:
				bs = []xinlu.Buildout{{Name: "热电联产二期", Added: 150, PlannedOn: fmt.Sprintf("%d-10-31", year), Status: xinlu.BuildoutDelayed}}
			}
			for i := range bs {
				bs[i].ZoneID, bs[i].UtilityID = z.ID, u.ID
				if err := st.CreateBuildout(ctx, a, &bs[i]); err != nil {
					return fmt.Errorf("build-out %s: %w", bs[i].Name, err)
				}
			}
		}
	}
	if err := st.SetLandStandard(ctx, a, z.ID, 0, xinlu.LandStandard{InvestPerMuYuan: 2_000_000, TaxPerMuYuan: 100_000, FARMin: 1.0, FARMax: 2.5, EnergyPerOutput: 0.3}); err != nil {
		return err
	}
	return st.SetLandStandard(ctx, a, z.ID, o.park["智慧装备制造产业园"], xinlu.LandStandard{InvestPerMuYuan: 3_000_000, TaxPerMuYuan: 150_000, FARMin: 1.2, FARMax: 3, EnergyPerOutput: 0.2})
}

// seedParcels lays out twelve parcels per park on a 4 × 3 grid of its
// plan: some on offer (planned, serviced, listed); then, with the signed
// projects known, some sold to them and some in use by those building.
func seedParcels(ctx context.Context, st *store.Store, a xinlu.Actor, z *xinlu.Zone, o *org, today time.Time) error {
	codes := map[string]string{"智慧装备制造产业园": "ZB", "耐磨材料产业园": "NM", "信息新材料产业基地": "XC"}
	uses := []string{"industrial", "industrial", "industrial", "logistics", "industrial", "industrial", "commercial", "industrial", "industrial", "industrial", "public", "industrial"}
	signed, _, err := st.ListProjects(ctx, store.ProjectFilter{ZoneID: z.ID, Signed: "1", Status: xinlu.ProjectActive, Page: xinlu.Page{PerPage: xinlu.MaxPerPage}})
	if err != nil {
		return err
	}
	byPark := map[int64][]*store.ProjectRecord{}
	for _, p := range signed {
		byPark[p.Plan.ProposedParkID] = append(byPark[p.Plan.ProposedParkID], p)
	}
	for _, pk := range parks {
		parkID := o.park[pk.Name]
		projects := byPark[parkID]
		for i := range 12 {
			col, row := i%4, i/4
			x, y := 30+col*240, 40+row*310
			c := &xinlu.Parcel{ZoneID: z.ID, ParkID: parkID, Code: fmt.Sprintf("%s-%02d", codes[pk.Name], i+1), AreaMu: float64(60 + (i*37)%240),
				LandUse: uses[i], FARMin: 1.0, FARMax: 2.5, Status: xinlu.ParcelPlanned,
				Shape: fmt.Sprintf("%d,%d %d,%d %d,%d %d,%d", x, y, x+210, y, x+210, y+270, x, y+270)}
			// Parcels 1–2 planned, 3–4 serviced, 5–8 listed; 9–12 sold or in use where a signed project takes them.
			switch {
			case i >= 8 && len(projects) > 0:
				c.Status = xinlu.ParcelListed
			case i >= 4:
				c.Status = xinlu.ParcelListed
			case i >= 2:
				c.Status = xinlu.ParcelServiced
			}
			if err := st.CreateParcel(ctx, a, c); err != nil {
				return fmt.Errorf("parcel %s: %w", c.Code, err)
			}
			if i < 8 || len(projects) == 0 {
				continue
			}
			p := projects[0]
			projects = projects[1:]
			agreed := p.Signing.PromisedStart
			if p.StartedOn == "" && i == 11 {
				// Idle land: the agreed start has passed, nothing built.
				agreed = today.AddDate(0, -4, 0).Format(xinlu.DateLayout)
			}
			got, err := st.MoveParcel(ctx, a, z.ID, c.ID, c.Version, store.ParcelMove{To: xinlu.ParcelSold, ProjectID: p.ID, AgreedStart: agreed})
			if err != nil {
				return fmt.Errorf("sell parcel %s: %w", c.Code, err)
			}
			if p.StartedOn != "" {
				if _, err := st.MoveParcel(ctx, a, z.ID, c.ID, got.Version, store.ParcelMove{To: xinlu.ParcelInUse}); err != nil {
					return fmt.Errorf("use parcel %s: %w", c.Code, err)
				}
			}
		}
	}
	_, err = st.MarkIdleParcels(ctx, today)
	return err
}

// tightenWater sets the wear-resistant materials park's water in service
// so that a fifth of it is free on the day: near its limit, under the
// warning share, until the second water plant next year.
func tightenWater(ctx context.Context, st *store.Store, a xinlu.Actor, z *xinlu.Zone, o *org, today time.Time) error {
	id := o.utility["耐磨材料产业园/water/园区集中供水"]
	u, err := st.UtilityByID(ctx, z.ID, id)
	if err != nil {
		return err
	}
	used := u.Committed + u.Reserved
	if used <= 0 {
		used = 3000
	}
	added := u.CapacityAt(today.Format(xinlu.DateLayout)) - u.BaseCapacity
	u.BaseCapacity = max(0, float64(int64(used/0.8))-added)
	return st.UpdateUtility(ctx, a, u)
}

// seedCasting fills the casting capacity register: capacity still running
// and capacity retired, some of it verified; the zone requires 1.25:1.
func seedCasting(ctx context.Context, st *store.Store, a xinlu.Actor, z *xinlu.Zone) error {
	if err := st.SetCastingRatio(ctx, a, z.ID, 1.25); err != nil {
		return err
	}
	for _, c := range []xinlu.CastingCapacity{
		{Enterprise: "晋中市恒泰铸造有限责任公司", Process: "cupola", Tonnes: 30000, Status: xinlu.CastingActive},
		{Enterprise: "榆次区东阳铸件厂", Process: "cupola", Tonnes: 12000, Status: xinlu.CastingActive},
		{Enterprise: "太谷县精铸有限公司", Process: "induction", Tonnes: 20000, Status: xinlu.CastingActive},
		{Enterprise: "祁县永兴铸造厂", Process: "arc", Tonnes: 8000, Status: xinlu.CastingRetired, RetiredOn: "2024-11-30", Verified: true, VerifyNote: "市工信局拆除验收（晋中工信〔2024〕118号）"},
	} {
		c.ZoneID = z.ID
		if err := st.CreateCasting(ctx, a, &c); err != nil {
			return err
		}
	}
	return nil
}

// castingPlan retires old capacity for a casting project (an old plant's
// furnaces removed and verified) and makes its plan count it, through
// submission into publicity.
func castingPlan(ctx context.Context, st *store.Store, a xinlu.Actor, projectID int64, name string, tonnes float64) (*xinlu.ReplacementPlan, error) {
	zone := a.ZoneID
	plan := &xinlu.ReplacementPlan{ZoneID: zone, ProjectID: projectID, NewTonnes: tonnes, Note: name + "产能置换方案"}
	if err := st.CreateCastingPlan(ctx, a, plan); err != nil {
		return nil, err
	}
	old := &xinlu.CastingCapacity{ZoneID: zone, Enterprise: name + "（原址旧厂）", Process: "cupola", Tonnes: plan.RequiredTonnes(),
		Status: xinlu.CastingRetired, RetiredOn: st.Now().In(cst).Format(xinlu.DateLayout), Verified: true, VerifyNote: "区工信部门现场核查拆除"}
	if err := st.CreateCasting(ctx, a, old); err != nil {
		return nil, err
	}
	p, err := st.ClaimCapacity(ctx, a, zone, plan.ID, plan.Version, []int64{old.ID})
	if err != nil {
		return nil, err
	}
	for _, to := range []xinlu.PlanStatus{xinlu.PlanSubmitted, xinlu.PlanPublicity} {
		if p, err = st.MoveCastingPlan(ctx, a, zone, p.ID, p.Version, to, ""); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// seedEnterprises records forty enterprises already in the zone with three
// years of figures, spread so that the per-mu evaluation has every class.
func seedEnterprises(ctx context.Context, st *store.Store, a xinlu.Actor, z *xinlu.Zone, today time.Time) error {
	places := []string{"晋中", "榆次", "太谷", "祁县", "平遥", "介休", "寿阳", "昔阳"}
	trades := []struct{ word, industry, park string }{
		{"精密机械", "equipment", "智慧装备制造产业园"}, {"智能装备", "equipment", "智慧装备制造产业园"}, {"液压件", "equipment", "智慧装备制造产业园"},
		{"耐磨材料", "materials", "耐磨材料产业园"}, {"铸造", "casting", "耐磨材料产业园"}, {"合金铸件", "casting", "耐磨材料产业园"},
		{"电子材料", "materials", "信息新材料产业基地"}, {"食品", "light_industry", "信息新材料产业基地"}, {"制药", "biomedicine", "智慧装备制造产业园"},
		{"纺织", "light_industry", "信息新材料产业基地"},
	}
	var rows []store.EnterpriseImportRow
	n := 0
	for i := range 40 {
		tr := trades[i%len(trades)]
		name := fmt.Sprintf("%s%s%s有限公司", places[i%len(places)], []string{"恒", "晋", "华", "瑞", "鑫", "泰"}[i%6]+[]string{"达", "丰", "源", "盛", "通"}[i%5], tr.word)
		land := float64(30 + (i*17)%220)
		// Tax per mu from about 2 to 60 万元, output ten to twenty times the tax.
		taxPerMu := int64(20_000 + (i*i*7919)%580_000)
		for y := today.Year() - 3; y < today.Year(); y++ {
			grow := int64(100 + (y-today.Year()+3)*6)
			tax := taxPerMu * int64(land) * grow / 100
			n++
			rows = append(rows, store.EnterpriseImportRow{Row: n, Enterprise: xinlu.Enterprise{Name: name, Industry: tr.industry}, ParkName: tr.park,
				Year: xinlu.EnterpriseYear{Year: y, TaxYuan: tax, OutputYuan: tax * int64(10+i%11), LandMu: land,
					EnergyTce: float64(200 + (i*37)%4000), EmissionsT: float64(1 + i%30), Employees: 40 + (i*13)%600}})
		}
	}
	_, _, probs, err := st.ImportEnterprises(ctx, a, z.ID, rows, false)
	if err == nil && len(probs) > 0 {
		err = fmt.Errorf("row %d: %v", probs[0].Row, probs[0].Err)
	}
	return err
}

// seedTargets sets up the four highs and the industry structure with this
// year's targets, computed indicators and a few months entered by hand.
func seedTargets(ctx context.Context, st *store.Store, a xinlu.Actor, z *xinlu.Zone, today time.Time) error {
	year := today.Year()
	for _, t := range []struct {
		set, name, unit, source string
		lower, cumulative       bool
		target                  float64
		actuals                 []float64 // from January
	}{
		{"industry_structure", "主导产业签约额占比", "%", "leading_share", false, false, 75, nil},
		{"high_level_rise", "六新项目签约个数", "个", "six_new_projects", false, true, 20, nil},
		{"high_level_rise", "固定资产投资增速", "%", "", false, false, 12, []float64{8.5, 9.1, 10.2, 10.8, 11.5}},
		{"quality_development", "亩均税收", "万元/亩", "tax_per_mu", false, false, 15, nil},
		{"quality_development", "规上工业增加值增速", "%", "", false, false, 9, []float64{7.2, 7.9, 8.4, 9.3}},
		{"high_standard_protection", "淘汰铸造落后产能", "吨/年", "casting_retired", false, true, 100000, nil},
		{"high_standard_protection", "单位工业增加值能耗", "吨标煤/万元", "", true, false, 0.45, []float64{0.52, 0.5, 0.48, 0.47}},
		{"high_quality_life", "新增就业岗位", "个", "", false, true, 3000, []float64{180, 420, 760, 1050}},
		{"high_quality_life", "园区要素最小余量", "%", "utility_headroom", false, false, 30, nil},
	} {
		ind := &xinlu.TargetIndicator{ZoneID: z.ID, Set: t.set, Name: t.name, Unit: t.unit, Source: t.source, LowerGood: t.lower, Cumulative: t.cumulative}
		if err := st.CreateIndicator(ctx, a, ind); err != nil {
			return fmt.Errorf("indicator %s: %w", t.name, err)
		}
		if err := st.SetTarget(ctx, a, z.ID, ind.ID, year, t.target); err != nil {
			return err
		}
		for m, v := range t.actuals {
			if m+1 >= int(today.Month()) {
				break
			}
			if err := st.EnterActual(ctx, a, z.ID, ind.ID, year, m+1, v); err != nil {
				return err
			}
		}
	}
	return nil
}
