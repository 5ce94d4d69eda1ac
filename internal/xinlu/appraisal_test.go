package xinlu_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"xinlu/internal/xinlu"
)

// apprErr asserts err is an *xinlu.Error with the code, field and key.
func apprErr(t *testing.T, what string, err error, code xinlu.Code, field, key string) *xinlu.Error {
	t.Helper()
	var e *xinlu.Error
	if !errors.As(err, &e) {
		t.Errorf("%s: error = %v, want %s %s: %s", what, err, code, field, key)
		return nil
	}
	if e.Code != code || e.Field != field || e.Key != key {
		t.Errorf("%s: error = %s/%q/%q, want %s/%q/%q", what, e.Code, e.Field, e.Key, code, field, key)
	}
	return e
}

// apprScheme is a valid scheme with one indicator of every kind; the
// assessed, peer and points ones carry stray metrics and targets that
// Validate must clear.
func apprScheme() xinlu.Scheme {
	return xinlu.Scheme{
		Name:         "  招商岗位考核  ",
		PositionKind: xinlu.PositionStaff,
		Indicators: []xinlu.Indicator{
			{ID: 1, Name: " 线索上报 ", Kind: xinlu.IndicatorComputed, Metric: "leads_reported", Target: 4, Weight: 40, KeyTask: true, Sort: 9},
			{ID: 2, Name: "工作质量", Kind: xinlu.IndicatorAssessed, Metric: "leads_accepted", Target: 99, Weight: 30, Sort: 9},
			{ID: 3, Name: "民主测评", Kind: xinlu.IndicatorPeer, Metric: "projects_signed", Target: 7, Weight: 30, Sort: 9},
			{ID: 4, Name: "加减分", Kind: xinlu.IndicatorPoints, Metric: "contract_amount", Target: 1000, Weight: 0, Sort: 9},
		},
	}
}

func TestSchemeValidateValid(t *testing.T) {
	s := apprScheme()
	if err := s.Validate(); err != nil {
		t.Fatalf("Validate() = %v, want nil", err)
	}
	if s.Name != "招商岗位考核" {
		t.Errorf("Name = %q, want it trimmed", s.Name)
	}
	want := []struct {
		name   string
		metric string
		target int64
	}{
		{"线索上报", "leads_reported", 4},
		{"工作质量", "", 0},
		{"民主测评", "", 0},
		{"加减分", "", 1000},
	}
	for i, w := range want {
		ind := s.Indicators[i]
		if ind.Name != w.name || ind.Metric != w.metric || ind.Target != w.target || ind.Sort != i {
			t.Errorf("indicator %d = {%q %q %d sort %d}, want {%q %q %d sort %d}",
				i, ind.Name, ind.Metric, ind.Target, ind.Sort, w.name, w.metric, w.target, i)
		}
	}
	if k, ok := s.KeyTask(); !ok || k.ID != 1 {
		t.Errorf("KeyTask() = %v, %v, want indicator 1", k.ID, ok)
	}
	s.Indicators[0].KeyTask = false
	if _, ok := s.KeyTask(); ok {
		t.Error("KeyTask() found one in a scheme without a key task")
	}

	// Every metric is accepted, and so are exactly 30 indicators and a
	// 100-rune name.
	for _, m := range xinlu.Metrics {
		s := apprScheme()
		s.Indicators[0].Metric = m
		if err := s.Validate(); err != nil {
			t.Errorf("metric %q: %v", m, err)
		}
	}
	s = apprScheme()
	s.Name = strings.Repeat("考", 100)
	s.Indicators = nil
	for i := range 30 {
		w := 3
		if i < 2 {
			w = 8
		}
		s.Indicators = append(s.Indicators, xinlu.Indicator{Name: fmt.Sprintf("指标%d", i), Kind: xinlu.IndicatorAssessed, Weight: w})
	}
	if err := s.Validate(); err != nil {
		t.Errorf("30 indicators, 100-rune name: %v", err)
	}
	for i, ind := range s.Indicators {
		if ind.Sort != i {
			t.Errorf("indicator %d: Sort = %d", i, ind.Sort)
		}
	}
	// One scored indicator of weight 100 and nothing else.
	s = xinlu.Scheme{Name: "x", PositionKind: xinlu.PositionLeader,
		Indicators: []xinlu.Indicator{{Name: "a", Kind: xinlu.IndicatorAssessed, Weight: 100}}}
	if err := s.Validate(); err != nil {
		t.Errorf("single weight-100 indicator: %v", err)
	}
}

func TestSchemeValidateErrors(t *testing.T) {
	many := func(n int) []xinlu.Indicator {
		var out []xinlu.Indicator
		for i := range n {
			out = append(out, xinlu.Indicator{Name: fmt.Sprintf("i%d", i), Kind: xinlu.IndicatorAssessed, Weight: 1})
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		mutate func(s *xinlu.Scheme)
		field  string
		key    string
		args   []any
	}{
		{"name empty", func(s *xinlu.Scheme) { s.Name = "   " }, "name", "error.required", nil},
		{"name too long", func(s *xinlu.Scheme) { s.Name = strings.Repeat("考", 101) }, "name", "error.too_long", []any{100}},
		{"position kind unknown", func(s *xinlu.Scheme) { s.PositionKind = "boss" }, "position_kind", "error.invalid_choice", nil},
		{"position kind empty", func(s *xinlu.Scheme) { s.PositionKind = "" }, "position_kind", "error.invalid_choice", nil},
		{"no indicators", func(s *xinlu.Scheme) { s.Indicators = nil }, "indicators", "appraisal.indicators_required", nil},
		{"31 indicators", func(s *xinlu.Scheme) { s.Indicators = many(31) }, "indicators", "appraisal.too_many_indicators", []any{30}},
		{"indicator name empty", func(s *xinlu.Scheme) { s.Indicators[1].Name = " " }, "indicators[1].name", "error.required", nil},
		{"indicator name too long", func(s *xinlu.Scheme) { s.Indicators[2].Name = strings.Repeat("指", 101) }, "indicators[2].name", "error.too_long", []any{100}},
		{"indicator name duplicate", func(s *xinlu.Scheme) { s.Indicators[2].Name = "工作质量" }, "indicators[2].name", "appraisal.indicator_duplicate", []any{"工作质量"}},
		{"indicator name duplicate after trim", func(s *xinlu.Scheme) { s.Indicators[3].Name = "  线索上报" }, "indicators[3].name", "appraisal.indicator_duplicate", []any{"线索上报"}},
		{"indicator kind unknown", func(s *xinlu.Scheme) { s.Indicators[1].Kind = "vote" }, "indicators[1].kind", "error.invalid_choice", nil},
		{"indicator kind empty", func(s *xinlu.Scheme) { s.Indicators[0].Kind = "" }, "indicators[0].kind", "error.invalid_choice", nil},
		{"computed metric unknown", func(s *xinlu.Scheme) { s.Indicators[0].Metric = "visits" }, "indicators[0].metric", "error.invalid_choice", nil},
		{"computed metric empty", func(s *xinlu.Scheme) { s.Indicators[0].Metric = "" }, "indicators[0].metric", "error.invalid_choice", nil},
		{"computed target zero", func(s *xinlu.Scheme) { s.Indicators[0].Target = 0 }, "indicators[0].target", "appraisal.target_positive", nil},
		{"computed target negative", func(s *xinlu.Scheme) { s.Indicators[0].Target = -5 }, "indicators[0].target", "appraisal.target_positive", nil},
		{"points with weight", func(s *xinlu.Scheme) { s.Indicators[3].Weight = 10; s.Indicators[0].Weight = 30 }, "indicators[3].weight", "appraisal.points_no_weight", nil},
		{"points target zero", func(s *xinlu.Scheme) { s.Indicators[3].Target = 0 }, "indicators[3].target", "appraisal.target_positive", nil},
		{"points target negative", func(s *xinlu.Scheme) { s.Indicators[3].Target = -1 }, "indicators[3].target", "appraisal.target_positive", nil},
		{"points as key task", func(s *xinlu.Scheme) { s.Indicators[0].KeyTask = false; s.Indicators[3].KeyTask = true }, "indicators[3].key_task", "appraisal.key_task_scored", nil},
		{"computed weight zero", func(s *xinlu.Scheme) { s.Indicators[0].Weight = 0 }, "indicators[0].weight", "appraisal.weight_range", nil},
		{"assessed weight zero", func(s *xinlu.Scheme) { s.Indicators[1].Weight = 0 }, "indicators[1].weight", "appraisal.weight_range", nil},
		{"peer weight negative", func(s *xinlu.Scheme) { s.Indicators[2].Weight = -30 }, "indicators[2].weight", "appraisal.weight_range", nil},
		{"assessed weight 101", func(s *xinlu.Scheme) { s.Indicators[1].Weight = 101 }, "indicators[1].weight", "appraisal.weight_range", nil},
		{"weights sum 90", func(s *xinlu.Scheme) { s.Indicators[1].Weight = 20 }, "indicators", "appraisal.weights_sum", []any{90}},
		{"weights sum 110", func(s *xinlu.Scheme) { s.Indicators[2].Weight = 40 }, "indicators", "appraisal.weights_sum", []any{110}},
		{"weights sum 3 of 30", func(s *xinlu.Scheme) { s.Indicators = many(3) }, "indicators", "appraisal.weights_sum", []any{3}},
		{"two key tasks", func(s *xinlu.Scheme) { s.Indicators[1].KeyTask = true }, "indicators", "appraisal.one_key_task", nil},
	} {
		s := apprScheme()
		tc.mutate(&s)
		e := apprErr(t, tc.name, s.Validate(), xinlu.EINVALID, tc.field, tc.key)
		if e != nil && !reflect.DeepEqual(e.Args, tc.args) {
			t.Errorf("%s: Args = %#v, want %#v", tc.name, e.Args, tc.args)
		}
	}
}

func TestPeriodRange(t *testing.T) {
	for _, tc := range []struct {
		kind        xinlu.PeriodKind
		label       string
		first, last string
	}{
		{xinlu.PeriodMonth, "2026-02", "2026-02-01", "2026-02-28"},
		{xinlu.PeriodMonth, "2024-02", "2024-02-01", "2024-02-29"},
		{xinlu.PeriodMonth, " 2026-10 ", "2026-10-01", "2026-10-31"},
		{xinlu.PeriodMonth, "2026-12", "2026-12-01", "2026-12-31"},
		{xinlu.PeriodQuarter, "2026Q4", "2026-10-01", "2026-12-31"},
		{xinlu.PeriodQuarter, "2026q1", "2026-01-01", "2026-03-31"},
		{xinlu.PeriodQuarter, "2026Q2", "2026-04-01", "2026-06-30"},
		{xinlu.PeriodQuarter, "2026Q3", "2026-07-01", "2026-09-30"},
		{xinlu.PeriodYear, "2026", "2026-01-01", "2026-12-31"},
		{xinlu.PeriodYear, "2024", "2024-01-01", "2024-12-31"},
	} {
		first, last, err := xinlu.PeriodRange(tc.kind, tc.label)
		if err != nil {
			t.Errorf("PeriodRange(%s, %q) = %v", tc.kind, tc.label, err)
			continue
		}
		if f, l := first.Format(xinlu.DateLayout), last.Format(xinlu.DateLayout); f != tc.first || l != tc.last {
			t.Errorf("PeriodRange(%s, %q) = %s..%s, want %s..%s", tc.kind, tc.label, f, l, tc.first, tc.last)
		}
		if first.Location() != time.UTC || last.Location() != time.UTC {
			t.Errorf("PeriodRange(%s, %q): not UTC", tc.kind, tc.label)
		}
	}
	for _, tc := range []struct {
		kind  xinlu.PeriodKind
		label string
	}{
		{xinlu.PeriodMonth, "2026-13"}, {xinlu.PeriodMonth, "2026-00"}, {xinlu.PeriodMonth, "2026-1"},
		{xinlu.PeriodMonth, "abc"}, {xinlu.PeriodMonth, "2026"}, {xinlu.PeriodMonth, ""},
		{xinlu.PeriodQuarter, "2026Q5"}, {xinlu.PeriodQuarter, "2026Q0"}, {xinlu.PeriodQuarter, "2026"},
		{xinlu.PeriodQuarter, "abc"}, {xinlu.PeriodQuarter, "Q1"}, {xinlu.PeriodQuarter, "1999Q4"},
		{xinlu.PeriodQuarter, "2101Q1"}, {xinlu.PeriodQuarter, "2026Q4x"},
		{xinlu.PeriodYear, "26"}, {xinlu.PeriodYear, "abc"}, {xinlu.PeriodYear, "1999"},
		{xinlu.PeriodYear, "2101"}, {xinlu.PeriodYear, "2026-10"}, {xinlu.PeriodYear, ""},
	} {
		_, _, err := xinlu.PeriodRange(tc.kind, tc.label)
		apprErr(t, fmt.Sprintf("PeriodRange(%s, %q)", tc.kind, tc.label), err, xinlu.EINVALID, "label", "appraisal.label_format")
	}
	for _, k := range []xinlu.PeriodKind{"", "week"} {
		_, _, err := xinlu.PeriodRange(k, "2026")
		apprErr(t, fmt.Sprintf("PeriodRange(%q)", k), err, xinlu.EINVALID, "kind", "error.invalid_choice")
	}
}

func TestPeriodValidate(t *testing.T) {
	ok := func() xinlu.Period {
		return xinlu.Period{Kind: xinlu.PeriodQuarter, Label: " 2026q4 ", Rule: xinlu.DefaultDistributionRule(), Coefficients: xinlu.DefaultCoefficients()}
	}
	p := ok()
	if err := p.Validate(); err != nil {
		t.Fatalf("Validate() = %v", err)
	}
	if p.Label != "2026Q4" || p.StartsOn != "2026-10-01" || p.EndsOn != "2026-12-31" || p.PublicationDays != 5 {
		t.Errorf("after Validate: label %q, %s..%s, publication %d days; want 2026Q4, 2026-10-01..2026-12-31, 5",
			p.Label, p.StartsOn, p.EndsOn, p.PublicationDays)
	}
	p = xinlu.Period{Kind: xinlu.PeriodMonth, Label: "2024-02", PublicationDays: 30, PoolYuan: 100000,
		Rule: xinlu.DefaultDistributionRule(), Coefficients: xinlu.Coefficients{Top: 300, Middle: 100, Bottom: 0}}
	if err := p.Validate(); err != nil {
		t.Fatalf("Validate() = %v", err)
	}
	if p.StartsOn != "2024-02-01" || p.EndsOn != "2024-02-29" || p.PublicationDays != 30 {
		t.Errorf("after Validate: %s..%s, %d days", p.StartsOn, p.EndsOn, p.PublicationDays)
	}

	for _, tc := range []struct {
		name   string
		mutate func(p *xinlu.Period)
		field  string
		key    string
	}{
		{"kind unknown", func(p *xinlu.Period) { p.Kind = "week" }, "kind", "error.invalid_choice"},
		{"kind empty", func(p *xinlu.Period) { p.Kind = "" }, "kind", "error.invalid_choice"},
		{"label bad", func(p *xinlu.Period) { p.Label = "2026Q5" }, "label", "appraisal.label_format"},
		{"label of another kind", func(p *xinlu.Period) { p.Label = "2026-10" }, "label", "appraisal.label_format"},
		{"publication 31 days", func(p *xinlu.Period) { p.PublicationDays = 31 }, "publication_days", "appraisal.publication_days_range"},
		{"publication negative", func(p *xinlu.Period) { p.PublicationDays = -1 }, "publication_days", "appraisal.publication_days_range"},
		{"rule zero", func(p *xinlu.Period) { p.Rule = xinlu.DistributionRule{} }, "grouping", "error.required"},
		{"rule ratio", func(p *xinlu.Period) { p.Rule.TopRatio = 1.5 }, "top_ratio", "appraisal.ratio_range"},
		{"pool negative", func(p *xinlu.Period) { p.PoolYuan = -1 }, "pool_yuan", "project.amount_negative"},
		{"coefficients zero ok but top<middle", func(p *xinlu.Period) { p.Coefficients = xinlu.Coefficients{Top: 90, Middle: 100, Bottom: 80} }, "coefficients", "appraisal.coefficients_order"},
		{"coefficients bottom negative", func(p *xinlu.Period) { p.Coefficients.Bottom = -1 }, "coefficients", "appraisal.coefficients_order"},
		{"coefficients top 301", func(p *xinlu.Period) { p.Coefficients.Top = 301 }, "coefficients", "appraisal.coefficients_order"},
	} {
		p := ok()
		tc.mutate(&p)
		apprErr(t, tc.name, p.Validate(), xinlu.EINVALID, tc.field, tc.key)
	}
}

func TestCoefficientsValidate(t *testing.T) {
	for _, tc := range []struct {
		c  xinlu.Coefficients
		ok bool
	}{
		{xinlu.DefaultCoefficients(), true},
		{xinlu.Coefficients{Top: 100, Middle: 100, Bottom: 100}, true},
		{xinlu.Coefficients{Top: 300, Middle: 100, Bottom: 0}, true},
		{xinlu.Coefficients{}, true},
		{xinlu.Coefficients{Top: 90, Middle: 100, Bottom: 80}, false},  // top < middle
		{xinlu.Coefficients{Top: 120, Middle: 70, Bottom: 80}, false},  // middle < bottom
		{xinlu.Coefficients{Top: 120, Middle: 100, Bottom: -1}, false}, // bottom < 0
		{xinlu.Coefficients{Top: 301, Middle: 100, Bottom: 80}, false}, // top > 300
	} {
		err := tc.c.Validate()
		if tc.ok {
			if err != nil {
				t.Errorf("%+v: %v", tc.c, err)
			}
			continue
		}
		apprErr(t, fmt.Sprintf("%+v", tc.c), err, xinlu.EINVALID, "coefficients", "appraisal.coefficients_order")
	}
	if d := xinlu.DefaultCoefficients(); d != (xinlu.Coefficients{Top: 120, Middle: 100, Bottom: 80}) {
		t.Errorf("DefaultCoefficients() = %+v", d)
	}
}

func TestCoefficientsOfAndStatutoryGrade(t *testing.T) {
	c := xinlu.Coefficients{Top: 130, Middle: 100, Bottom: 70}
	for _, tc := range []struct {
		band  xinlu.Band
		coef  int64
		grade string
	}{
		{xinlu.BandTop, 130, "excellent"},
		{xinlu.BandMiddle, 100, "competent"},
		{xinlu.BandBottom, 70, ""},
		{xinlu.BandExcluded, 100, ""},
		{"", 100, ""},
	} {
		if got := c.Of(tc.band); got != tc.coef {
			t.Errorf("Of(%q) = %d, want %d", tc.band, got, tc.coef)
		}
		if got := xinlu.StatutoryGrade(tc.band); got != tc.grade {
			t.Errorf("StatutoryGrade(%q) = %q, want %q", tc.band, got, tc.grade)
		}
	}
	for _, g := range []string{"excellent", "competent"} {
		if !slices.Contains(xinlu.StatutoryGrades, g) {
			t.Errorf("StatutoryGrades lacks %q", g)
		}
	}
}

// periodExpect is, for each action, the permission-holder who may take
// it, the states it starts from and the state it leads to ("" keeps it).
var periodExpect = map[xinlu.PeriodAction]struct {
	role xinlu.Role
	from []xinlu.PeriodState
	next xinlu.PeriodState
}{
	xinlu.PeriodOpen:       {xinlu.RoleAppraiser, []xinlu.PeriodState{xinlu.PeriodDraft}, xinlu.PeriodScoring},
	xinlu.PeriodCalculate:  {xinlu.RoleAppraiser, []xinlu.PeriodState{xinlu.PeriodScoring, xinlu.PeriodCalculated, xinlu.PeriodRecheck}, xinlu.PeriodCalculated},
	xinlu.PeriodReview:     {xinlu.RoleAppraiser, []xinlu.PeriodState{xinlu.PeriodCalculated}, xinlu.PeriodCalibration},
	xinlu.PeriodCalibrate:  {xinlu.RoleAppraiser, []xinlu.PeriodState{xinlu.PeriodCalibration, xinlu.PeriodRecheck}, ""},
	xinlu.PeriodPublish:    {xinlu.RoleAppraiser, []xinlu.PeriodState{xinlu.PeriodCalibration, xinlu.PeriodRecheck}, xinlu.PeriodPublication},
	xinlu.PeriodRecheckA:   {xinlu.RoleAppraiser, []xinlu.PeriodState{xinlu.PeriodPublication}, xinlu.PeriodRecheck},
	xinlu.PeriodFinalize:   {xinlu.RoleDirector, []xinlu.PeriodState{xinlu.PeriodPublication}, xinlu.PeriodFinal},
	xinlu.PeriodApply:      {xinlu.RoleAppraiser, []xinlu.PeriodState{xinlu.PeriodFinal}, xinlu.PeriodApplied},
	xinlu.PeriodArchive:    {xinlu.RoleAppraiser, []xinlu.PeriodState{xinlu.PeriodApplied}, xinlu.PeriodArchived},
	xinlu.PeriodSetPool:    {xinlu.RoleFinance, []xinlu.PeriodState{xinlu.PeriodDraft, xinlu.PeriodScoring, xinlu.PeriodCalculated, xinlu.PeriodCalibration, xinlu.PeriodPublication, xinlu.PeriodRecheck}, ""},
	xinlu.PeriodPoolDecide: {xinlu.RoleAppraiser, []xinlu.PeriodState{xinlu.PeriodCalculated, xinlu.PeriodCalibration, xinlu.PeriodRecheck}, ""},
	xinlu.PeriodCorrect:    {xinlu.RoleAppraiser, []xinlu.PeriodState{xinlu.PeriodFinal, xinlu.PeriodApplied}, ""},
}

func TestPeriodActions(t *testing.T) {
	got := xinlu.PeriodActions()
	if len(got) != len(periodExpect) {
		t.Errorf("PeriodActions() has %d actions, want %d: %v", len(got), len(periodExpect), got)
	}
	if !slices.IsSorted(got) {
		t.Errorf("PeriodActions() not sorted: %v", got)
	}
	for _, a := range got {
		if _, ok := periodExpect[a]; !ok {
			t.Errorf("PeriodActions() has untested action %q", a)
		}
	}
}

func TestCheckPeriodStepMatrix(t *testing.T) {
	users := []xinlu.Role{xinlu.RoleAppraiser, xinlu.RoleDirector, xinlu.RoleFinance, xinlu.RoleMember,
		xinlu.RoleHead, xinlu.RoleSponsor, xinlu.RoleDiscipline, xinlu.RoleAuditor, xinlu.RoleAdmin}
	// Today is long after any publication, no appeals, not over the pool.
	check := xinlu.PeriodCheck{Today: time.Date(2027, 1, 20, 9, 0, 0, 0, time.UTC)}
	for _, role := range users {
		u := &xinlu.User{ID: 1, MemberID: 7, Roles: []xinlu.Role{role}}
		for _, action := range xinlu.PeriodActions() {
			exp := periodExpect[action]
			for _, state := range xinlu.PeriodStates {
				p := &xinlu.Period{State: state, PublicationEnds: "2027-01-10"}
				got, err := xinlu.CheckPeriodStep(u, p, action, check)
				name := fmt.Sprintf("%s %s in %s", role, action, state)
				switch {
				case role != exp.role:
					apprErr(t, name, err, xinlu.EFORBIDDEN, "", "error.forbidden")
					if got != "" {
						t.Errorf("%s: state %q with an error", name, got)
					}
				case !slices.Contains(exp.from, state):
					e := apprErr(t, name, err, xinlu.ECONFLICT, "state", "appraisal.state_not_allowed")
					if e != nil && !reflect.DeepEqual(e.Args, []any{xinlu.LabelKey("appraisal.state." + string(state))}) {
						t.Errorf("%s: Args = %#v", name, e.Args)
					}
				default:
					want := exp.next
					if want == "" {
						want = state
					}
					if err != nil || got != want {
						t.Errorf("%s = %q, %v; want %q", name, got, err, want)
					}
				}
			}
		}
	}
	// A user with several roles can do what each allows.
	u := &xinlu.User{Roles: []xinlu.Role{xinlu.RoleMember, xinlu.RoleFinance}}
	if got, err := xinlu.CheckPeriodStep(u, &xinlu.Period{State: xinlu.PeriodScoring}, xinlu.PeriodSetPool, check); err != nil || got != xinlu.PeriodScoring {
		t.Errorf("member+finance pool = %q, %v", got, err)
	}
	// Nobody signed in: forbidden.
	_, err := xinlu.CheckPeriodStep(nil, &xinlu.Period{State: xinlu.PeriodDraft}, xinlu.PeriodOpen, check)
	apprErr(t, "nil user", err, xinlu.EFORBIDDEN, "", "error.forbidden")
}

func TestCheckPeriodStepConditions(t *testing.T) {
	appraiser := &xinlu.User{Roles: []xinlu.Role{xinlu.RoleAppraiser}}
	director := &xinlu.User{Roles: []xinlu.Role{xinlu.RoleDirector}}
	member := &xinlu.User{Roles: []xinlu.Role{xinlu.RoleMember}}

	// Unknown action: not found, before any permission or state check.
	for _, u := range []*xinlu.User{appraiser, member, nil} {
		_, err := xinlu.CheckPeriodStep(u, &xinlu.Period{State: xinlu.PeriodDraft}, "launch", xinlu.PeriodCheck{})
		apprErr(t, "unknown action", err, xinlu.ENOTFOUND, "", "appraisal.unknown_action")
	}
	// A member may do nothing, whatever the state.
	_, err := xinlu.CheckPeriodStep(member, &xinlu.Period{State: xinlu.PeriodPublication}, xinlu.PeriodFinalize, xinlu.PeriodCheck{})
	if xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
		t.Errorf("member finalize: %v", err)
	}

	pub := func() *xinlu.Period {
		return &xinlu.Period{State: xinlu.PeriodPublication, PublicationEnds: "2026-11-13"}
	}
	day := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 30, 0, 0, time.UTC) }

	for _, tc := range []struct {
		name   string
		u      *xinlu.User
		p      *xinlu.Period
		action xinlu.PeriodAction
		c      xinlu.PeriodCheck
		want   xinlu.PeriodState
		field  string // error expected when key != ""
		key    string
		args   []any
	}{
		{"publish over pool", appraiser, &xinlu.Period{State: xinlu.PeriodCalibration}, xinlu.PeriodPublish,
			xinlu.PeriodCheck{OverPool: true}, "", "pool_yuan", "appraisal.over_pool", nil},
		{"publish from recheck over pool", appraiser, &xinlu.Period{State: xinlu.PeriodRecheck}, xinlu.PeriodPublish,
			xinlu.PeriodCheck{OverPool: true}, "", "pool_yuan", "appraisal.over_pool", nil},
		{"publish within pool", appraiser, &xinlu.Period{State: xinlu.PeriodCalibration}, xinlu.PeriodPublish,
			xinlu.PeriodCheck{}, xinlu.PeriodPublication, "", "", nil},
		{"publish over pool in a wrong state: state first", appraiser, &xinlu.Period{State: xinlu.PeriodDraft}, xinlu.PeriodPublish,
			xinlu.PeriodCheck{OverPool: true}, "", "state", "appraisal.state_not_allowed", []any{xinlu.LabelKey("appraisal.state.draft")}},
		{"other actions ignore the pool", appraiser, &xinlu.Period{State: xinlu.PeriodCalculated}, xinlu.PeriodReview,
			xinlu.PeriodCheck{OverPool: true}, xinlu.PeriodCalibration, "", "", nil},
		{"finalize with open appeals", director, pub(), xinlu.PeriodFinalize,
			xinlu.PeriodCheck{Today: day(2026, 11, 20, 9), OpenAppeals: 2}, "", "appeals", "appraisal.appeals_open", []any{2}},
		{"finalize on the last publication day", director, pub(), xinlu.PeriodFinalize,
			xinlu.PeriodCheck{Today: day(2026, 11, 13, 23)}, "", "state", "appraisal.publication_running", []any{"2026-11-13"}},
		{"finalize before publication ends", director, pub(), xinlu.PeriodFinalize,
			xinlu.PeriodCheck{Today: day(2026, 11, 9, 0)}, "", "state", "appraisal.publication_running", []any{"2026-11-13"}},
		{"finalize the day after", director, pub(), xinlu.PeriodFinalize,
			xinlu.PeriodCheck{Today: day(2026, 11, 14, 0)}, xinlu.PeriodFinal, "", "", nil},
		{"finalize with no publication end recorded", director, &xinlu.Period{State: xinlu.PeriodPublication}, xinlu.PeriodFinalize,
			xinlu.PeriodCheck{}, xinlu.PeriodFinal, "", "", nil},
		{"finalize over pool", director, pub(), xinlu.PeriodFinalize,
			xinlu.PeriodCheck{Today: day(2026, 11, 14, 0), OverPool: true}, "", "pool_yuan", "appraisal.over_pool", nil},
		{"finalize: appeals checked before the date", director, pub(), xinlu.PeriodFinalize,
			xinlu.PeriodCheck{Today: day(2026, 11, 10, 0), OpenAppeals: 1, OverPool: true}, "", "appeals", "appraisal.appeals_open", []any{1}},
		{"appraiser may not finalize", appraiser, pub(), xinlu.PeriodFinalize,
			xinlu.PeriodCheck{Today: day(2026, 11, 14, 0)}, "", "", "error.forbidden", nil},
	} {
		got, err := xinlu.CheckPeriodStep(tc.u, tc.p, tc.action, tc.c)
		if tc.key == "" {
			if err != nil || got != tc.want {
				t.Errorf("%s = %q, %v; want %q", tc.name, got, err, tc.want)
			}
			continue
		}
		code := xinlu.ECONFLICT
		if tc.key == "error.forbidden" {
			code = xinlu.EFORBIDDEN
		}
		e := apprErr(t, tc.name, err, code, tc.field, tc.key)
		if e != nil && !reflect.DeepEqual(e.Args, tc.args) {
			t.Errorf("%s: Args = %#v, want %#v", tc.name, e.Args, tc.args)
		}
		if got != "" {
			t.Errorf("%s: state %q with an error", tc.name, got)
		}
	}
}

// october2026 is the 2026 National Day holiday as the State Council
// published it: off 1–7 October, with Sunday 20 September and Saturday
// 10 October worked in exchange. October 2026 then has 18 working days:
// 8, 9, 10 (Sat), 12–16, 19–23, 26–30.
func october2026() *xinlu.Calendar {
	var days []xinlu.CalendarDay
	for d := 1; d <= 7; d++ {
		days = append(days, xinlu.CalendarDay{Date: fmt.Sprintf("2026-10-%02d", d), Kind: xinlu.DayHoliday, Name: "国庆节"})
	}
	days = append(days,
		xinlu.CalendarDay{Date: "2026-09-20", Kind: xinlu.DayWorkday, Name: "国庆节调休"},
		xinlu.CalendarDay{Date: "2026-10-10", Kind: xinlu.DayWorkday, Name: "国庆节调休"})
	return xinlu.NewCalendar(days)
}

func apprDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := xinlu.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestExclusionsOctober(t *testing.T) {
	cal := october2026()
	first, last := apprDate(t, "2026-10-01"), apprDate(t, "2026-10-31")

	// The facts the cases below rest on, worked out by hand.
	if n := cal.WorkdaysBetween(first.AddDate(0, 0, -1), last); n != 18 {
		t.Fatalf("October 2026 has %d working days, want 18", n)
	}
	// First working day: Thursday 8 October. Ten working days on:
	// 9, 10 (Sat), 12, 13, 14, 15, 16, 19, 20, 21 → the cut is Wednesday
	// 21 October; joining on the 22nd is too late.
	if cut := cal.AddWorkdays(apprDate(t, "2026-10-08"), 10).Format(xinlu.DateLayout); cut != "2026-10-21" {
		t.Fatalf("cut = %s, want 2026-10-21", cut)
	}

	ex := xinlu.NewExclusions(first, last, cal)
	for _, tc := range []struct {
		name   string
		status xinlu.MemberStatus
		joined string
		absent int
		want   string
	}{
		{"probation", xinlu.MemberProbation, "2020-03-01", 0, "probation"},
		{"probation beats late join", xinlu.MemberProbation, "2026-10-28", 20, "probation"},
		{"leave", xinlu.MemberLeave, "2020-03-01", 0, "leave"},
		{"leave beats absence", xinlu.MemberLeave, "", 18, "leave"},
		{"joined 2020", xinlu.MemberActive, "2020-03-01", 0, ""},
		{"no join date", xinlu.MemberActive, "", 0, ""},
		{"unreadable join date is ignored", xinlu.MemberActive, "soon", 0, ""},
		{"joined on the first day", xinlu.MemberActive, "2026-10-01", 0, ""},
		{"joined during the holiday", xinlu.MemberActive, "2026-10-05", 0, ""},
		{"joined on the first working day", xinlu.MemberActive, "2026-10-08", 0, ""},
		// Joined 14 October: 5 working days missed (8, 9, 10, 12, 13), 13 of 18 present.
		{"joined mid-period within the cut", xinlu.MemberActive, "2026-10-14", 0, ""},
		// Joined 20 October: 9 missed, 9 of 18 present — exactly half.
		{"joined 20th: exactly half present", xinlu.MemberActive, "2026-10-20", 0, ""},
		{"joined 14th and absent 4: 9 of 18", xinlu.MemberActive, "2026-10-14", 4, ""},
		{"joined 14th and absent 5: 8 of 18", xinlu.MemberActive, "2026-10-14", 5, "absent"},
		// Joined on the cut itself: not late, but only 8 of 18 days
		// (21–23, 26–30) remain, so the half-presence rule excludes them.
		// The holiday shortens the month enough for the two rules to
		// overlap; in a month of 21 working days the same cut leaves 11.
		{"joined on the cut: not late, but under half", xinlu.MemberActive, "2026-10-21", 0, "absent"},
		{"joined the working day after the cut", xinlu.MemberActive, "2026-10-22", 0, "late_join"},
		{"joined the last day", xinlu.MemberActive, "2026-10-31", 0, "late_join"},
		{"absent 9: exactly half", xinlu.MemberActive, "2020-03-01", 9, ""},
		{"absent 10: just under half", xinlu.MemberActive, "2020-03-01", 10, "absent"},
		{"absent every day", xinlu.MemberActive, "", 18, "absent"},
	} {
		if got := ex.Of(tc.status, tc.joined, tc.absent); got != tc.want {
			t.Errorf("%s: Of(%s, %q, %d) = %q, want %q", tc.name, tc.status, tc.joined, tc.absent, got, tc.want)
		}
		if got := xinlu.Exclusion(tc.status, tc.joined, tc.absent, first, last, cal); got != tc.want {
			t.Errorf("%s: Exclusion(%s, %q, %d) = %q, want %q", tc.name, tc.status, tc.joined, tc.absent, got, tc.want)
		}
	}
}

func TestExclusionsNovember(t *testing.T) {
	// November 2026 has no holidays: 21 working days, the first Monday 2
	// November; ten working days on is Monday 16 November.
	cal := october2026()
	first, last := apprDate(t, "2026-11-01"), apprDate(t, "2026-11-30")
	if n := cal.WorkdaysBetween(first.AddDate(0, 0, -1), last); n != 21 {
		t.Fatalf("November 2026 has %d working days, want 21", n)
	}
	if cut := cal.AddWorkdays(apprDate(t, "2026-11-02"), 10).Format(xinlu.DateLayout); cut != "2026-11-16" {
		t.Fatalf("cut = %s, want 2026-11-16", cut)
	}
	for _, tc := range []struct {
		joined string
		absent int
		want   string
	}{
		{"2026-11-16", 0, ""},          // just inside the cut: 11 of 21 present
		{"2026-11-16", 1, "absent"},    // 10 of 21
		{"2026-11-17", 0, "late_join"}, // the next working day
		{"2020-01-01", 10, ""},         // 11 of 21
		{"2020-01-01", 11, "absent"},   // 10 of 21
	} {
		if got := xinlu.Exclusion(xinlu.MemberActive, tc.joined, tc.absent, first, last, cal); got != tc.want {
			t.Errorf("Exclusion(joined %s, absent %d) = %q, want %q", tc.joined, tc.absent, got, tc.want)
		}
	}
	// A period starting on a working day: the cut counts from that day.
	// Calendar nil: weekdays only. 2026-06-01 is a Monday; ten working
	// days on is Monday 15 June.
	first, last = apprDate(t, "2026-06-01"), apprDate(t, "2026-06-30")
	if got := xinlu.Exclusion(xinlu.MemberActive, "2026-06-15", 0, first, last, nil); got != "" {
		t.Errorf("June, joined on the cut: %q", got)
	}
	if got := xinlu.Exclusion(xinlu.MemberActive, "2026-06-16", 0, first, last, nil); got != "late_join" {
		t.Errorf("June, joined after the cut: %q", got)
	}
}

func TestComputedScore(t *testing.T) {
	for _, tc := range []struct{ value, target, want int64 }{
		{0, 4, 0}, {-3, 4, 0}, {2, 4, 5000}, {4, 4, 10000}, {9, 4, 10000},
		{3, 0, 0}, {3, -1, 0}, {1, 3, 3333}, {2, 3, 6667}, {1, 8, 1250}, {1, 20000, 1}, {1, 20001, 0},
	} {
		if got := xinlu.ComputedScore(tc.value, tc.target); got != tc.want {
			t.Errorf("ComputedScore(%d, %d) = %d, want %d", tc.value, tc.target, got, tc.want)
		}
	}
}

func TestPeerMean(t *testing.T) {
	for _, tc := range []struct {
		scores []int64
		mean   int64
		n      int
	}{
		{nil, 0, 0},
		{[]int64{}, 0, 0},
		{[]int64{7000}, 7000, 1},
		{[]int64{9000, 6000, 8000, 7000}, 7500, 4},              // four: plain mean
		{[]int64{10000, 0, 8000, 7000, 6000}, 7000, 3},          // five: 0 and 10000 dropped
		{[]int64{5000, 5000, 5000, 9000, 9000}, 6333, 3},        // one copy of each extreme dropped
		{[]int64{8000, 8001}, 8001, 2},                          // 8000.5 rounds up
		{[]int64{1, 2, 2, 3, 100, 0}, 2, 4},                     // six: 0 and 100 dropped, (1+2+2+3)/4
		{[]int64{10000, 10000, 10000, 10000, 10000}, 10000, 3},  // all equal
		{[]int64{6000, 7000, 8005, 9010, 10000}, 8005, 3},       // (7000+8005+9010)/3
		{[]int64{100, 200, 300, 400, 500, 600, 700}, 400, 5},    // seven: five counted
		{[]int64{3334, 3333, 3333, 0, 10000, 3333}, 3333, 4},    // 3333.25 rounds down
		{[]int64{1, 2}, 2, 2},                                   // 1.5 rounds up
		{[]int64{2, 2, 1, 1}, 2, 4},                             // 1.5 rounds up
		{[]int64{9000, 6000, 8000, 7000, 5000, 10000}, 7500, 4}, // 5000, 10000 dropped
		{[]int64{4000, 4000, 4000, 4000, 4000, 4000}, 4000, 4},  // six equal
	} {
		in := slices.Clone(tc.scores)
		m, n := xinlu.PeerMean(tc.scores)
		if m != tc.mean || n != tc.n {
			t.Errorf("PeerMean(%v) = %d, %d; want %d, %d", tc.scores, m, n, tc.mean, tc.n)
		}
		if !slices.Equal(in, tc.scores) {
			t.Errorf("PeerMean(%v) changed its argument to %v", in, tc.scores)
		}
	}
}

func TestScore(t *testing.T) {
	s := apprScheme()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	in := xinlu.ScoreInput{
		Computed: map[string]int64{"leads_reported": 3, "projects_signed": 99},
		Assessed: map[int64][]int64{2: {8000, 8101}},                    // 8050.5 → 8051
		Peer:     map[int64][]int64{3: {6000, 9010, 7000, 10000, 8005}}, // trimmed to 7000, 8005, 9010 → 8005
		Points:   1500,                                                  // capped at 1000
	}
	b := xinlu.Score(&s, in)
	want := []xinlu.ScoreLine{
		{IndicatorID: 1, Name: "线索上报", Kind: "computed", Metric: "leads_reported", Value: 3, Score: 7500, Weight: 40, Weighted: 300000},
		{IndicatorID: 2, Name: "工作质量", Kind: "assessed", Value: 8051, Raters: 2, Score: 8051, Weight: 30, Weighted: 241530},
		{IndicatorID: 3, Name: "民主测评", Kind: "peer", Value: 8005, Raters: 3, Score: 8005, Weight: 30, Weighted: 240150},
		{IndicatorID: 4, Name: "加减分", Kind: "points", Value: 1500, Score: 1000, Weight: 0, Weighted: 0},
	}
	if !reflect.DeepEqual(b.Lines, want) {
		t.Errorf("Lines =\n%+v\nwant\n%+v", b.Lines, want)
	}
	// (300000 + 241530 + 240150) / 100 = 7816.8 → 7817, plus 10.00 points.
	if b.Points != 1000 || b.Final != 7817+1000 || b.KeyTask != 7500 || len(b.Missing) != 0 {
		t.Errorf("Points %d, Final %d, KeyTask %d, Missing %v; want 1000, 8817, 7500, none", b.Points, b.Final, b.KeyTask, b.Missing)
	}

	for _, tc := range []struct {
		name    string
		in      xinlu.ScoreInput
		points  int64
		final   int64
		keyTask int64
		missing []string
	}{
		// (300000 + 240000 + 240150) / 100 = 7801.5 → 7802.
		{"half rounds up, deductions capped", xinlu.ScoreInput{
			Computed: map[string]int64{"leads_reported": 3},
			Assessed: map[int64][]int64{2: {8000, 8000}},
			Peer:     map[int64][]int64{3: {6000, 7000, 8005, 9010, 10000}},
			Points:   -2500,
		}, -1000, 7802 - 1000, 7500, nil},
		{"points within the cap", xinlu.ScoreInput{
			Computed: map[string]int64{"leads_reported": 8},
			Assessed: map[int64][]int64{2: {10000}},
			Peer:     map[int64][]int64{3: {10000, 10000, 10000, 10000}},
			Points:   -250,
		}, -250, 10000 - 250, 10000, nil},
		{"points exactly at the cap", xinlu.ScoreInput{
			Assessed: map[int64][]int64{2: {5000}},
			Peer:     map[int64][]int64{3: {5000}},
			Points:   1000,
		}, 1000, 3000 + 1000, 0, nil},
		{"nobody rated", xinlu.ScoreInput{Computed: map[string]int64{"leads_reported": 2}},
			0, 2000, 5000, []string{"工作质量", "民主测评"}},
		{"no peer ratings", xinlu.ScoreInput{Assessed: map[int64][]int64{2: {6000}}, Peer: map[int64][]int64{3: {}}},
			0, 1800, 0, []string{"民主测评"}},
		{"ratings for another indicator do not count", xinlu.ScoreInput{Assessed: map[int64][]int64{3: {6000}}, Peer: map[int64][]int64{2: {6000}}},
			0, 0, 0, []string{"工作质量", "民主测评"}},
		{"empty input", xinlu.ScoreInput{}, 0, 0, 0, []string{"工作质量", "民主测评"}},
	} {
		b := xinlu.Score(&s, tc.in)
		if b.Points != tc.points || b.Final != tc.final || b.KeyTask != tc.keyTask || !slices.Equal(b.Missing, tc.missing) {
			t.Errorf("%s: Points %d, Final %d, KeyTask %d, Missing %q; want %d, %d, %d, %q",
				tc.name, b.Points, b.Final, b.KeyTask, b.Missing, tc.points, tc.final, tc.keyTask, tc.missing)
		}
		if len(b.Lines) != 4 {
			t.Errorf("%s: %d lines", tc.name, len(b.Lines))
		}
	}

	// A key task that is assessed rather than computed.
	s2 := apprScheme()
	s2.Indicators[0].KeyTask, s2.Indicators[1].KeyTask = false, true
	if err := s2.Validate(); err != nil {
		t.Fatal(err)
	}
	if b := xinlu.Score(&s2, in); b.KeyTask != 8051 {
		t.Errorf("assessed key task: KeyTask = %d, want 8051", b.KeyTask)
	}
	// No key task: 0.
	s2.Indicators[1].KeyTask = false
	if b := xinlu.Score(&s2, in); b.KeyTask != 0 {
		t.Errorf("no key task: KeyTask = %d", b.KeyTask)
	}
}

func TestCheckRating(t *testing.T) {
	for _, tc := range []struct {
		rater, member, score int64
		field                string // "" when fine
		key                  string
	}{
		{5, 5, 8000, "member_id", "appraisal.self_rating"},
		{5, 5, -1, "member_id", "appraisal.self_rating"}, // self checked first
		{5, 6, -1, "score", "appraisal.score_range"},
		{5, 6, 10001, "score", "appraisal.score_range"},
		{5, 6, 0, "", ""},
		{5, 6, 10000, "", ""},
		{5, 6, 8550, "", ""},
		{0, 0, 8000, "", ""}, // no rater member: not self
		{0, 6, 8000, "", ""},
		{0, 0, 10001, "score", "appraisal.score_range"},
	} {
		err := xinlu.CheckRating(tc.rater, tc.member, tc.score)
		name := fmt.Sprintf("CheckRating(%d, %d, %d)", tc.rater, tc.member, tc.score)
		if tc.field == "" {
			if err != nil {
				t.Errorf("%s = %v", name, err)
			}
			continue
		}
		apprErr(t, name, err, xinlu.EINVALID, tc.field, tc.key)
	}
}

func TestPay(t *testing.T) {
	c := xinlu.Coefficients{Top: 150, Middle: 100, Bottom: 50}
	bases := map[int64]int64{9: 3, 3: 3, 5: 1, 1: 7777, 7: 0, 4: 1234}
	bands := map[int64]xinlu.Band{9: xinlu.BandTop, 3: xinlu.BandBottom, 5: xinlu.BandBottom, 1: xinlu.BandExcluded, 4: xinlu.BandTop, 42: xinlu.BandTop}
	got := xinlu.Pay(bases, bands, c)
	want := []xinlu.PayLine{
		{MemberID: 1, BaseYuan: 7777, Coefficient: 100, PayYuan: 7777}, // excluded: paid the base
		{MemberID: 3, BaseYuan: 3, Coefficient: 50, PayYuan: 2},        // 1.5 → 2
		{MemberID: 4, BaseYuan: 1234, Coefficient: 150, PayYuan: 1851}, // 1851.0
		{MemberID: 5, BaseYuan: 1, Coefficient: 50, PayYuan: 1},        // 0.5 → 1
		{MemberID: 7, BaseYuan: 0, Coefficient: 100, PayYuan: 0},       // no band: middle
		{MemberID: 9, BaseYuan: 3, Coefficient: 150, PayYuan: 5},       // 4.5 → 5
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Pay =\n%+v\nwant\n%+v", got, want)
	}
	if total := xinlu.PayTotal(got); total != 7777+2+1851+1+0+5 {
		t.Errorf("PayTotal = %d", total)
	}
	// Default coefficients, rounding down below the half.
	got = xinlu.Pay(map[int64]int64{2: 7777, 1: 1234}, map[int64]xinlu.Band{2: xinlu.BandBottom, 1: xinlu.BandTop}, xinlu.DefaultCoefficients())
	want = []xinlu.PayLine{
		{MemberID: 1, BaseYuan: 1234, Coefficient: 120, PayYuan: 1481}, // 1480.8
		{MemberID: 2, BaseYuan: 7777, Coefficient: 80, PayYuan: 6222},  // 6221.6
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Pay (default) =\n%+v\nwant\n%+v", got, want)
	}
	if got := xinlu.Pay(nil, nil, c); len(got) != 0 {
		t.Errorf("Pay(nil) = %v", got)
	}
	if total := xinlu.PayTotal(nil); total != 0 {
		t.Errorf("PayTotal(nil) = %d", total)
	}
}

func apprLines(pays ...int64) []xinlu.PayLine {
	out := make([]xinlu.PayLine, len(pays))
	for i, p := range pays {
		out[i] = xinlu.PayLine{MemberID: int64(i + 1), BaseYuan: p, Coefficient: 100, PayYuan: p}
	}
	return out
}

func apprPays(lines []xinlu.PayLine) []int64 {
	out := make([]int64, len(lines))
	for i, l := range lines {
		out[i] = l.PayYuan
	}
	return out
}

func TestScaleToPool(t *testing.T) {
	for _, tc := range []struct {
		name string
		pays []int64
		pool int64
		want []int64
	}{
		{"under the pool", []int64{1000, 2000, 3000}, 7000, []int64{1000, 2000, 3000}},
		{"exactly the pool", []int64{1000, 2000, 3000}, 6000, []int64{1000, 2000, 3000}},
		{"zero total", []int64{0, 0}, 0, []int64{0, 0}},
		{"no lines", nil, 0, []int64{}},
		// ×5/6: 833.33, 1666.67, 2500 → 833, 1666, 2500 = 4999; the
		// largest remainder (the 1666.67) gets the last yuan.
		{"five sixths", []int64{1000, 2000, 3000}, 5000, []int64{833, 1667, 2500}},
		// ×1/2: 0.5 each → 0, 0, 0; two yuan go to the first two lines
		// (equal remainders keep their order).
		{"ties keep order", []int64{1, 1, 1, 1}, 2, []int64{1, 1, 0, 0}},
		{"pool zero", []int64{100, 200}, 0, []int64{0, 0}},
		{"a zero line never grows", []int64{0, 5, 5}, 7, []int64{0, 4, 3}},
	} {
		lines := apprLines(tc.pays...)
		orig := slices.Clone(lines)
		got := xinlu.ScaleToPool(lines, tc.pool)
		if p := apprPays(got); !slices.Equal(p, tc.want) && !(len(p) == 0 && len(tc.want) == 0) {
			t.Errorf("%s: ScaleToPool(%v, %d) = %v, want %v", tc.name, tc.pays, tc.pool, p, tc.want)
		}
		if !reflect.DeepEqual(lines, orig) {
			t.Errorf("%s: ScaleToPool changed its argument", tc.name)
		}
		for i := range got {
			if got[i].MemberID != orig[i].MemberID || got[i].BaseYuan != orig[i].BaseYuan || got[i].Coefficient != orig[i].Coefficient {
				t.Errorf("%s: line %d changed other than PayYuan: %+v", tc.name, i, got[i])
			}
		}
	}

	// Property: over the pool, the scaled lines sum to the pool exactly,
	// none grows, and each is within a yuan of its exact share.
	r := rand.New(rand.NewPCG(2026, 10))
	for iter := range 2000 {
		n := 1 + r.IntN(40)
		pays := make([]int64, n)
		var total int64
		for i := range pays {
			switch r.IntN(5) {
			case 0:
				pays[i] = 0
			case 1:
				pays[i] = r.Int64N(10)
			default:
				pays[i] = r.Int64N(50000)
			}
			total += pays[i]
		}
		var pool int64
		if total > 0 {
			pool = r.Int64N(total + 1)
		}
		lines := apprLines(pays...)
		got := xinlu.ScaleToPool(lines, pool)
		if len(got) != n {
			t.Fatalf("iter %d: %d lines, want %d", iter, len(got), n)
		}
		sum := xinlu.PayTotal(got)
		if total <= pool {
			if sum != total || !slices.Equal(apprPays(got), pays) {
				t.Fatalf("iter %d: under the pool but changed: %v → %v", iter, pays, apprPays(got))
			}
			continue
		}
		if sum != pool {
			t.Fatalf("iter %d: ScaleToPool(%v, %d) sums to %d", iter, pays, pool, sum)
		}
		for i, l := range got {
			if l.PayYuan > pays[i] || l.PayYuan < 0 {
				t.Fatalf("iter %d: line %d went from %d to %d (pool %d of %d)", iter, i, pays[i], l.PayYuan, pool, total)
			}
			// exact share = pays[i]*pool/total; the line is its floor or floor+1.
			floor := pays[i] * pool / total
			if l.PayYuan != floor && l.PayYuan != floor+1 {
				t.Fatalf("iter %d: line %d = %d, exact share %d/%d", iter, i, l.PayYuan, pays[i]*pool, total)
			}
		}
	}
}
