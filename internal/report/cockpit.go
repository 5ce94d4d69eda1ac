package report

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Cockpit is every figure of a zone's cockpit (驾驶舱) for a year, as the
// API answers it and the pages draw it. Every figure that counts records
// carries Link: the page of the list or ledger of those records, filtered
// so that its total equals the figure ("" when no list shows them).
type Cockpit struct {
	ZoneID       int64              `json:"zone_id"`
	ZoneName     string             `json:"zone_name"`
	Year         int                `json:"year"`
	Today        string             `json:"today"`
	TimeProgress float64            `json:"time_progress"` // share of the year elapsed (时序进度)
	Targets      []CockpitTarget    `json:"targets"`
	Funnel       []FunnelStep       `json:"funnel"`
	Breakdowns   []CockpitBreakdown `json:"breakdowns"`
	Months       []CockpitMonth     `json:"months"`
	Alerts       []CockpitAlert     `json:"alerts"`
	Members      []CockpitPerson    `json:"members"`
	Departments  []CockpitPerson    `json:"departments"`
	Appraisal    *CockpitAppraisal  `json:"appraisal"`
	Factors      *CockpitFactors    `json:"factors"`
	// Indicators are the transformation targets of the year (四高 and
	// the industry structure): each one's latest actual against its target.
	Indicators []CockpitIndicator `json:"indicators"`
}

// CockpitIndicator is one transformation target of the year: the latest
// actual (entered, or computed from xinlu's records) against the target,
// as a share (a lower-is-better one: target/actual), capped at 2.
type CockpitIndicator struct {
	ID        int64    `json:"id"`
	Set       string   `json:"set"`
	Name      string   `json:"name"`
	Unit      string   `json:"unit"`
	Source    string   `json:"source"` // "" entered by hand
	Target    *float64 `json:"target"`
	Actual    *float64 `json:"actual"`
	Month     int      `json:"month"` // of the actual; 0 without one
	Share     *float64 `json:"share"`
	OnTrack   bool     `json:"on_track"`
	LowerGood bool     `json:"lower_good"`
	Link      string   `json:"link"` // the targets page of the year
}

// CockpitTarget is one measure of the year: its target (null: none set),
// the actual so far, last year's, and the actual's share of the target.
type CockpitTarget struct {
	Measure  xinlu.CockpitMeasure `json:"measure"`
	Amount   bool                 `json:"amount"` // in yuan
	Target   *int64               `json:"target"`
	Actual   int64                `json:"actual"`
	LastYear int64                `json:"last_year"`
	Share    *float64             `json:"share"`  // actual/target
	Behind   bool                 `json:"behind"` // share below the time elapsed
	Link     string               `json:"link"`
}

// FunnelStep is one step of the funnel: how many reached it this year and
// last, the conversion from the step before, and the median working days
// the transition into it took (null: no transition).
type FunnelStep struct {
	Step               string   `json:"step"` // lead, created, signed, started, produced
	Count              int64    `json:"count"`
	LastYear           int64    `json:"last_year"`
	Conversion         *float64 `json:"conversion"`
	ConversionLastYear *float64 `json:"conversion_last_year"`
	MedianDays         *float64 `json:"median_days"`
	MedianDaysLastYear *float64 `json:"median_days_last_year"`
	Link               string   `json:"link"`
}

// CockpitBreakdown is the year's projects signed (count and contracted
// amount) by one dimension: industry, park, sponsor or six_new.
type CockpitBreakdown struct {
	Dim  string         `json:"dim"`
	Rows []BreakdownRow `json:"rows"`
}

// BreakdownRow is one key of a breakdown. Key is the code (industry, 六新
// tag) or the id (park, sponsor; "0": none).
type BreakdownRow struct {
	Key          string `json:"key"`
	Name         string `json:"name"` // park or sponsor name
	Signed       int64  `json:"signed"`
	ContractYuan int64  `json:"contract_yuan"`
	Started      int64  `json:"started"`
	Produced     int64  `json:"produced"`
	Link         string `json:"link"` // the ledger of the signed ones
}

// CockpitMonth is one month of the trends.
type CockpitMonth struct {
	Month        string `json:"month"`
	Leads        int64  `json:"leads"`
	Created      int64  `json:"created"`
	Signed       int64  `json:"signed"`
	ContractYuan int64  `json:"contract_yuan"`
	FundsYuan    int64  `json:"funds_yuan"`
	Started      int64  `json:"started"`
	Produced     int64  `json:"produced"`
}

// CockpitAlert is one kind of red and yellow records.
type CockpitAlert struct {
	Kind   string             `json:"kind"` // lead, project, approval, supervision
	Red    int                `json:"red"`
	Yellow int                `json:"yellow"`
	Link   string             `json:"link"` // the list of the red ones, where one exists
	Items  []CockpitAlertItem `json:"items"`
}

// CockpitAlertItem is one red or yellow record; Link opens it.
type CockpitAlertItem struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Of       string `json:"of"`
	Who      string `json:"responsible"`
	Due      string `json:"due"`
	Light    string `json:"light"`
	DaysLate int    `json:"days_late"`
	Link     string `json:"link"`
	// ProjectID is the project a supervision order (督办) would be issued
	// on: the red project itself.
	ProjectID int64 `json:"project_id,omitempty"`
}

// CockpitPerson is a member's or department's figures of the year.
type CockpitPerson struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Leads        int64  `json:"leads"`
	Signed       int64  `json:"signed"`
	ContractYuan int64  `json:"contract_yuan"`
	FundsYuan    int64  `json:"funds_yuan"` // funds in place of the projects they sponsor
	Link         string `json:"link"`       // a member's leads of the year
	FundsLink    string `json:"funds_link"` // a member's funds in place of the year
}

// CockpitAppraisal is the latest published period's band distribution.
type CockpitAppraisal struct {
	PeriodID int64          `json:"period_id"`
	Label    string         `json:"label"`
	Bands    map[string]int `json:"bands"`
	Link     string         `json:"link"`
}

// CockpitFactors are the factor figures.
type CockpitFactors struct {
	Parks           []CockpitPark `json:"parks"`
	CastingActive   float64       `json:"casting_active_tonnes"`
	CastingRetired  float64       `json:"casting_retired_tonnes"`
	CastingVerified float64       `json:"casting_verified_tonnes"`
	CastingLink     string        `json:"casting_link"`
}

// CockpitPark is one park's land and utility headroom.
type CockpitPark struct {
	ID       int64              `json:"id"`
	Name     string             `json:"name"`
	OfferMu  float64            `json:"offer_mu"`
	TakenMu  float64            `json:"taken_mu"`
	Capacity map[string]float64 `json:"capacity"`
	Free     map[string]float64 `json:"free"`
	Link     string             `json:"link"`
}

// CockpitMembersShown bounds the members listed; alert items per kind.
const (
	CockpitMembersShown = 15
	CockpitAlertItems   = 10
)

// CockpitOf answers BuildCockpit's figures, built again only when the
// zone (or the system) has written something since the last build, on any
// server (store.ZoneStamp), or the day has turned. The answer is shared
// between callers: read it, do not change it.
func CockpitOf(ctx context.Context, st *store.Store, zoneID int64, year int) (*Cockpit, error) {
	stamp, err := st.ZoneStamp(ctx, zoneID)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("cockpit/%d/%d/%s", zoneID, year, st.Now().In(shanghai).Format(xinlu.DateLayout))
	v, err := st.CachedByStamp(key, stamp, func() (any, error) { return BuildCockpit(ctx, st, zoneID, year) })
	if err != nil {
		return nil, err
	}
	return v.(*Cockpit), nil
}

// BuildCockpit reads a zone's cockpit for year from the summary rows and a
// few small tables.
func BuildCockpit(ctx context.Context, st *store.Store, zoneID int64, year int) (*Cockpit, error) {
	sum, err := st.CockpitSummary(ctx, zoneID, year)
	if err != nil {
		return nil, err
	}
	today := st.Now().In(shanghai)
	c := &Cockpit{ZoneID: zoneID, ZoneName: zoneName(ctx, st, zoneID), Year: year, Today: today.Format(xinlu.DateLayout),
		TimeProgress: xinlu.TimeProgress(year, today)}
	ys := strconv.Itoa(year)
	ledger := func(v url.Values) string { return "/projects?" + v.Encode() }
	signedYear := func() url.Values {
		return url.Values{"signed_from": {ys + "-01-01"}, "signed_to": {ys + "-12-31"}}
	}
	reached := func(m string) url.Values { return url.Values{"reached": {m}, "reached_year": {ys}} }
	leadsLink := "/cockpit/leads?" + url.Values{"status": {""}, "reported_year": {ys}}.Encode()
	fundsLink := "/cockpit/records/funds?year=" + ys

	targets, err := st.YearTargets(ctx, zoneID, year)
	if err != nil {
		return nil, err
	}
	for _, m := range xinlu.CockpitMeasures {
		t := CockpitTarget{Measure: m, Amount: m.IsAmount()}
		pick := func(y map[string]store.CockpitCell) int64 {
			switch m {
			case xinlu.MeasureContractYuan:
				return y["signed"].Yuan
			case xinlu.MeasureFundsYuan:
				return y["funds"].Yuan
			case xinlu.MeasureFixedYuan:
				return y["signed"].Fixed
			case xinlu.MeasureSigned:
				return y["signed"].N
			case xinlu.MeasureStarted:
				return y["started"].N
			case xinlu.MeasureProduced:
				return y["produced"].N
			}
			return y["lead"].N
		}
		t.Actual, t.LastYear = pick(sum.ThisYear), pick(sum.LastYear)
		if v, ok := targets.Values[m]; ok {
			t.Target = &v
			if sh, ok := xinlu.Share(t.Actual, v); ok {
				t.Share = &sh
				t.Behind = sh < c.TimeProgress
			}
		}
		switch m {
		case xinlu.MeasureContractYuan, xinlu.MeasureFixedYuan, xinlu.MeasureSigned:
			t.Link = ledger(signedYear())
		case xinlu.MeasureStarted:
			t.Link = ledger(reached("started"))
		case xinlu.MeasureProduced:
			t.Link = ledger(reached("produced"))
		case xinlu.MeasureLeads:
			t.Link = leadsLink
		case xinlu.MeasureFundsYuan:
			t.Link = fundsLink
		}
		c.Targets = append(c.Targets, t)
	}

	measures := []string{"lead", "created", "signed", "started", "produced"}
	links := []string{leadsLink, ledger(reached("created")), ledger(signedYear()), ledger(reached("started")), ledger(reached("produced"))}
	for i, m := range measures {
		f := FunnelStep{Step: xinlu.FunnelSteps[i], Count: sum.ThisYear[m].N, LastYear: sum.LastYear[m].N, Link: links[i]}
		if i > 0 {
			if sh, ok := xinlu.Share(f.Count, sum.ThisYear[measures[i-1]].N); ok {
				f.Conversion = &sh
			}
			if sh, ok := xinlu.Share(f.LastYear, sum.LastYear[measures[i-1]].N); ok {
				f.ConversionLastYear = &sh
			}
			tr := xinlu.Transitions[i-1]
			if md, ok := xinlu.MedianOfCounts(sum.DaysThisYear[tr]); ok {
				f.MedianDays = &md
			}
			if md, ok := xinlu.MedianOfCounts(sum.DaysLastYear[tr]); ok {
				f.MedianDaysLastYear = &md
			}
		}
		c.Funnel = append(c.Funnel, f)
	}

	members, depts, names, err := st.CockpitPeople(ctx, zoneID, sum)
	if err != nil {
		return nil, err
	}
	factors, err := st.CockpitFactorsOf(ctx, zoneID)
	if err != nil {
		return nil, err
	}
	parkNames := map[string]string{}
	for _, p := range factors.Parks {
		parkNames[strconv.FormatInt(p.ID, 10)] = p.Name
	}
	for _, dim := range []string{"industry", "six_new", "park", "sponsor"} {
		b := CockpitBreakdown{Dim: dim}
		keys := map[string]bool{}
		for _, m := range []string{"signed", "started", "produced"} {
			for k := range sum.Breakdown[m][dim] {
				keys[k] = true
			}
		}
		for k := range keys {
			r := BreakdownRow{Key: k, Signed: sum.Breakdown["signed"][dim][k].N, ContractYuan: sum.Breakdown["signed"][dim][k].Yuan,
				Started: sum.Breakdown["started"][dim][k].N, Produced: sum.Breakdown["produced"][dim][k].N}
			v := signedYear()
			switch dim {
			case "industry":
				v.Set("industry", k)
			case "six_new":
				v.Set("six_new", k)
			case "park":
				r.Name = parkNames[k]
				v.Set("park_id", k)
			case "sponsor":
				id, _ := strconv.ParseInt(k, 10, 64)
				r.Name = names[id]
				v.Set("sponsor_id", k)
			}
			if k != "0" && k != "" {
				r.Link = ledger(v)
			}
			b.Rows = append(b.Rows, r)
		}
		slices.SortFunc(b.Rows, func(x, y BreakdownRow) int {
			if d := cmp.Compare(y.ContractYuan, x.ContractYuan); d != 0 {
				return d
			}
			if d := cmp.Compare(y.Signed+y.Started+y.Produced, x.Signed+x.Started+x.Produced); d != 0 {
				return d
			}
			return cmp.Compare(x.Key, y.Key)
		})
		c.Breakdowns = append(c.Breakdowns, b)
	}

	for _, m := range sum.Months {
		c.Months = append(c.Months, CockpitMonth{Month: m.Month, Leads: m.Measures["lead"].N, Created: m.Measures["created"].N,
			Signed: m.Measures["signed"].N, ContractYuan: m.Measures["signed"].Yuan, FundsYuan: m.Measures["funds"].Yuan,
			Started: m.Measures["started"].N, Produced: m.Measures["produced"].N})
	}

	lights, err := st.ZoneLights(ctx, zoneID)
	if err != nil {
		return nil, err
	}
	alerts, err := st.CockpitAlerts(ctx, lights, CockpitAlertItems)
	if err != nil {
		return nil, err
	}
	for _, a := range alerts {
		out := CockpitAlert{Kind: a.Kind, Red: a.Red, Yellow: a.Yellow, Items: []CockpitAlertItem{}}
		switch a.Kind {
		case "lead":
			out.Link = "/cockpit/leads?" + url.Values{"status": {""}, "light": {"red"}}.Encode()
		case "project":
			out.Link = ledger(url.Values{"light": {"red"}})
		case "approval", "supervision":
			out.Link = "/cockpit/records/" + a.Kind + "?light=red"
		}
		for _, it := range a.Items {
			item := CockpitAlertItem{ID: it.ID, Name: it.Name, Of: it.Of, Who: it.Who, Due: it.Due, Light: string(it.Light), DaysLate: it.DaysLate}
			switch a.Kind {
			case "lead":
				item.Link = "/leads/" + strconv.FormatInt(it.ID, 10)
			case "project":
				item.Link = "/projects/" + strconv.FormatInt(it.ID, 10)
				if it.Light == xinlu.LightRed {
					item.ProjectID = it.ID
				}
			case "approval":
				item.Link = "/projects/" + strconv.FormatInt(it.LinkID, 10) + "#approvals"
			case "supervision":
				item.Link = "/projects/" + strconv.FormatInt(it.LinkID, 10) + "#supervision-orders"
			}
			out.Items = append(out.Items, item)
		}
		c.Alerts = append(c.Alerts, out)
	}

	c.Members = []CockpitPerson{}
	for i, m := range members {
		if i == CockpitMembersShown {
			break
		}
		p := CockpitPerson{ID: m.ID, Name: m.Name, Leads: m.Leads, Signed: m.Signed, ContractYuan: m.ContractYuan, FundsYuan: m.FundsYuan,
			Link: "/cockpit/leads?" + url.Values{"status": {""}, "reported_year": {ys}, "reporter_id": {strconv.FormatInt(m.ID, 10)}}.Encode()}
		if m.FundsYuan != 0 {
			p.FundsLink = fundsLink + "&sponsor_id=" + strconv.FormatInt(m.ID, 10)
		}
		c.Members = append(c.Members, p)
	}
	c.Departments = []CockpitPerson{}
	for _, d := range depts {
		c.Departments = append(c.Departments, CockpitPerson{ID: d.ID, Name: d.Name, Leads: d.Leads, Signed: d.Signed, ContractYuan: d.ContractYuan,
			FundsYuan: d.FundsYuan})
	}

	bands, err := st.CockpitAppraisal(ctx, zoneID)
	if err != nil {
		return nil, err
	}
	if bands != nil {
		c.Appraisal = &CockpitAppraisal{PeriodID: bands.PeriodID, Label: bands.Label, Bands: map[string]int{},
			Link: "/appraisal/periods/" + strconv.FormatInt(bands.PeriodID, 10)}
		for b, n := range bands.Bands {
			c.Appraisal.Bands[string(b)] = n
		}
	}

	inds, err := st.CockpitIndicators(ctx, zoneID, year)
	if err != nil {
		return nil, err
	}
	c.Indicators = []CockpitIndicator{}
	for _, r := range inds {
		ci := CockpitIndicator{ID: r.ID, Set: r.Set, Name: r.Name, Unit: r.Unit, Source: r.Source, LowerGood: r.LowerGood,
			Link: "/targets?year=" + ys}
		if r.HasTarget {
			v := r.Target
			ci.Target = &v
		}
		if r.Latest != nil {
			v := r.Latest.Value
			ci.Actual, ci.Month = &v, r.Latest.Month
			if r.HasTarget && r.Target > 0 {
				sh := r.Share
				ci.Share, ci.OnTrack = &sh, r.OnTrack
			}
		}
		c.Indicators = append(c.Indicators, ci)
	}

	c.Factors = &CockpitFactors{CastingActive: factors.CastingActive, CastingRetired: factors.CastingRetired,
		CastingVerified: factors.CastingVerified, CastingLink: "/casting", Parks: []CockpitPark{}}
	for _, p := range factors.Parks {
		cp := CockpitPark{ID: p.ID, Name: p.Name, OfferMu: p.OfferMu, TakenMu: p.TakenMu, Capacity: map[string]float64{}, Free: map[string]float64{},
			Link: "/land/parks/" + strconv.FormatInt(p.ID, 10)}
		for k, v := range p.Capacity {
			cp.Capacity[string(k)] = v
		}
		for k, v := range p.Free {
			cp.Free[string(k)] = v
		}
		c.Factors.Parks = append(c.Factors.Parks, cp)
	}
	return c, nil
}

// RollupZone is one zone's headline figures of a year, side by side with
// the others' (the city's or province's roll-up).
type RollupZone struct {
	ZoneID       int64   `json:"zone_id"`
	Code         string  `json:"code"`
	Name         string  `json:"name"`
	Leads        int64   `json:"leads"`
	Created      int64   `json:"created"`
	Signed       int64   `json:"signed"`
	ContractYuan int64   `json:"contract_yuan"`
	FixedYuan    int64   `json:"fixed_asset_yuan"`
	FundsYuan    int64   `json:"funds_yuan"`
	Started      int64   `json:"started"`
	Produced     int64   `json:"produced"`
	RedProjects  int     `json:"red_projects"`
	MonthlyYuan  []int64 `json:"monthly_contract_yuan"` // January to December: the sparkline
	Link         string  `json:"link"`                  // the zone's cockpit, read-only
	// Assessment is the zone's provincial self-assessment of the year,
	// ranked among the install's zones of its category; nil when the zone
	// keeps no sheet for the year.
	Assessment *RollupAssessment `json:"assessment"`
}

// RollupAssessment is a zone's self-score of a year beside the others'.
type RollupAssessment struct {
	Category string  `json:"category"`
	Score    float64 `json:"score"`
	Full     float64 `json:"full"`
	Grade    string  `json:"grade"`
	Rank     int     `json:"rank"` // within the category, 1 the best
	Of       int     `json:"of"`   // zones of the category with a sheet
}

// RollupOf answers BuildRollup's rows, built again when a zone u's scope
// reaches has written something since the last build (the install's audit
// log, or u's zone's chain, has moved), the day has turned, or a minute has
// passed (the self-assessment scores are read at most once a minute). The
// rows are shared between callers: read them, do not change them.
func RollupOf(ctx context.Context, st *store.Store, u *xinlu.User, year int) ([]RollupZone, error) {
	var key, stamp string
	var err error
	day := st.Now().In(shanghai).Format(xinlu.DateLayout)
	switch u.Filter(xinlu.PermCockpitView).Scope {
	case xinlu.ScopeAllZones:
		key = fmt.Sprintf("rollup/all/%d/%s", year, day)
		stamp, err = st.InstallStamp(ctx)
	case xinlu.ScopeZone:
		key = fmt.Sprintf("rollup/%d/%d/%s", u.ZoneID, year, day)
		stamp, err = st.ZoneStamp(ctx, u.ZoneID)
	default:
		return nil, xinlu.Forbidden()
	}
	if err != nil {
		return nil, err
	}
	stamp += "/" + strconv.FormatInt(time.Now().Unix()/60, 10)
	v, err := st.CachedByStamp(key, stamp, func() (any, error) { return BuildRollup(ctx, st, u, year) })
	if err != nil {
		return nil, err
	}
	return v.([]RollupZone), nil
}

// BuildRollup lists the zones u's cockpit scope reaches (every zone for a
// viewer over all, their own otherwise) with their figures of year, by
// zone code.
func BuildRollup(ctx context.Context, st *store.Store, u *xinlu.User, year int) ([]RollupZone, error) {
	var zones []xinlu.Zone
	switch u.Filter(xinlu.PermCockpitView).Scope {
	case xinlu.ScopeAllZones:
		all, err := st.Zones(ctx)
		if err != nil {
			return nil, err
		}
		zones = all
	case xinlu.ScopeZone:
		z, err := st.ZoneByID(ctx, u.ZoneID)
		if err != nil {
			return nil, err
		}
		zones = []xinlu.Zone{*z}
	default:
		return nil, xinlu.Forbidden()
	}
	var ids []int64
	for _, z := range zones {
		ids = append(ids, z.ID)
	}
	figures, err := st.CockpitRollup(ctx, ids, year)
	if err != nil {
		return nil, err
	}
	scores, err := st.RollupAssessmentScores(ctx, year)
	if err != nil {
		return nil, err
	}
	assessed := map[int64]*RollupAssessment{}
	for _, sc := range scores {
		assessed[sc.ZoneID] = &RollupAssessment{Category: sc.Category, Score: sc.Score, Full: sc.Full, Grade: sc.Grade, Rank: sc.Rank, Of: sc.Of}
	}
	out := []RollupZone{}
	for _, z := range zones {
		r := RollupZone{ZoneID: z.ID, Code: z.Code, Name: z.Name, MonthlyYuan: make([]int64, 12),
			Link:       "/cockpit?" + url.Values{"zone_id": {strconv.FormatInt(z.ID, 10)}, "year": {strconv.Itoa(year)}}.Encode(),
			Assessment: assessed[z.ID]}
		if f := figures[z.ID]; f != nil {
			r.Leads, r.Created, r.Signed = f.Totals["lead"].N, f.Totals["created"].N, f.Totals["signed"].N
			r.ContractYuan, r.FixedYuan, r.FundsYuan = f.Totals["signed"].Yuan, f.Totals["signed"].Fixed, f.Totals["funds"].Yuan
			r.Started, r.Produced, r.RedProjects = f.Totals["started"].N, f.Totals["produced"].N, f.RedProjects
			for i, c := range f.Months["signed"] {
				r.MonthlyYuan[i] = c.Yuan
			}
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b RollupZone) int { return cmp.Compare(a.Code, b.Code) })
	return out, nil
}
