package xinlu_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"xinlu/internal/xinlu"
)

func TestQuota(t *testing.T) {
	for _, tc := range []struct {
		n     int
		ratio float64
		want  int
	}{
		{0, 0.2, 0}, {-3, 0.2, 0},
		{1, 0.2, 0}, {2, 0.2, 0}, {3, 0.2, 1}, {4, 0.2, 1}, {5, 0.2, 1}, {6, 0.2, 1},
		{7, 0.2, 1}, {8, 0.2, 2}, {9, 0.2, 2}, {10, 0.2, 2}, {11, 0.2, 2}, {12, 0.2, 2},
		{23, 0.2, 5}, {100, 0.2, 20},
		{2, 0.25, 1}, {10, 0.25, 3}, {6, 0.25, 2}, {14, 0.25, 4}, // x.5 rounds up
		{5, 0.1, 1}, {15, 0.1, 2}, {25, 0.3, 8}, {7, 0.5, 4}, // float products just under the half
		{10, 0, 0}, {10, 1, 10}, {10, -0.5, 0}, {10, 1.5, 10},
	} {
		if got := xinlu.Quota(tc.n, tc.ratio); got != tc.want {
			t.Errorf("Quota(%d, %v) = %d, want %d", tc.n, tc.ratio, got, tc.want)
		}
	}
}

func TestDistributionRuleValidate(t *testing.T) {
	def := xinlu.DefaultDistributionRule()
	if def.Grouping != xinlu.GroupByDepartment || def.TopRatio != 0.2 || def.BottomRatio != 0.2 || def.MinGroupSize != 5 {
		t.Fatalf("default rule %+v", def)
	}
	with := func(f func(*xinlu.DistributionRule)) xinlu.DistributionRule {
		r := def
		f(&r)
		return r
	}
	for _, tc := range []struct {
		name       string
		r          xinlu.DistributionRule
		field, key string
	}{
		{"default", def, "", ""},
		{"zone 1:8:1", with(func(r *xinlu.DistributionRule) { r.Grouping, r.TopRatio, r.BottomRatio = xinlu.GroupZoneWide, 0.1, 0.1 }), "", ""},
		{"half and half", with(func(r *xinlu.DistributionRule) { r.TopRatio, r.BottomRatio = 0.5, 0.5 }), "", ""},
		{"no grouping", with(func(r *xinlu.DistributionRule) { r.Grouping = "" }), "grouping", "error.required"},
		{"unknown grouping", with(func(r *xinlu.DistributionRule) { r.Grouping = "team" }), "grouping", "error.invalid_choice"},
		{"negative top", with(func(r *xinlu.DistributionRule) { r.TopRatio = -0.1 }), "top_ratio", "appraisal.ratio_range"},
		{"top above one", with(func(r *xinlu.DistributionRule) { r.TopRatio = 1.1 }), "top_ratio", "appraisal.ratio_range"},
		{"bottom above one", with(func(r *xinlu.DistributionRule) { r.BottomRatio = 2 }), "bottom_ratio", "appraisal.ratio_range"},
		{"ratios above one", with(func(r *xinlu.DistributionRule) { r.TopRatio, r.BottomRatio = 0.6, 0.5 }), "bottom_ratio", "appraisal.ratios_exceed_total"},
		{"min group zero", with(func(r *xinlu.DistributionRule) { r.MinGroupSize = 0 }), "min_group_size", "error.out_of_range"},
		{"min group too big", with(func(r *xinlu.DistributionRule) { r.MinGroupSize = 101 }), "min_group_size", "error.out_of_range"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.r.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if e := xinlu.AsError(err); e.Code != xinlu.EINVALID || e.Field != tc.field || e.Key != tc.key {
				t.Fatalf("got %v, want %s %s", err, tc.field, tc.key)
			}
		})
	}
}

// dept is n ranked members of one department with distinct scores, the
// first the best, IDs from firstID.
func dept(deptID int64, n int, firstID int64) []xinlu.Candidate {
	cs := make([]xinlu.Candidate, n)
	for i := range cs {
		cs[i] = xinlu.Candidate{MemberID: firstID + int64(i), DepartmentID: deptID, PositionKind: xinlu.PositionStaff, Score: int64(9900 - 10*i)}
	}
	return cs
}

// scored is one ranked member of department 1 per score, IDs from 1.
func scored(scores ...int64) []xinlu.Candidate {
	cs := make([]xinlu.Candidate, len(scores))
	for i, s := range scores {
		cs[i] = xinlu.Candidate{MemberID: int64(i + 1), DepartmentID: 1, Score: s}
	}
	return cs
}

// bands writes the placements' bands as one letter each: t, m, b or x.
func bands(ps []xinlu.Placement) string {
	var sb strings.Builder
	for _, p := range ps {
		sb.WriteByte(map[xinlu.Band]byte{xinlu.BandTop: 't', xinlu.BandMiddle: 'm', xinlu.BandBottom: 'b', xinlu.BandExcluded: 'x'}[p.Band])
	}
	return sb.String()
}

func ranks(ps []xinlu.Placement) []int {
	r := make([]int, len(ps))
	for i, p := range ps {
		r[i] = p.Rank
	}
	return r
}

func rules(ps []xinlu.Placement) []string {
	r := make([]string, len(ps))
	for i, p := range ps {
		r[i] = p.Rule
	}
	return r
}

func TestDistributeBandCounts(t *testing.T) {
	for _, tc := range []struct{ n, top, bottom int }{
		{1, 0, 0}, {2, 0, 0}, {3, 1, 1}, {4, 1, 1}, {5, 1, 1}, {6, 1, 1}, {7, 1, 1}, {8, 2, 2},
		{9, 2, 2}, {10, 2, 2}, {11, 2, 2}, {12, 2, 2}, {23, 5, 5}, {100, 20, 20},
	} {
		t.Run(fmt.Sprint(tc.n), func(t *testing.T) {
			ps := xinlu.Distribute(xinlu.DefaultDistributionRule(), dept(7, tc.n, 100))
			want := strings.Repeat("t", tc.top) + strings.Repeat("m", tc.n-tc.top-tc.bottom) + strings.Repeat("b", tc.bottom)
			if got := bands(ps); got != want {
				t.Fatalf("bands %s, want %s", got, want)
			}
			group := "department:7"
			if tc.n < 5 {
				group = "pooled"
			}
			for i, p := range ps {
				if p.MemberID != int64(100+i) || p.Rank != i+1 || p.Group != group || p.GroupSize != tc.n ||
					p.TopQuota != tc.top || p.BottomQuota != tc.bottom || p.Rule != "quota:"+string(p.Band) {
					t.Fatalf("placement %d: %+v", i, p)
				}
			}
		})
	}
}

func TestDistributeQuotasOverlap(t *testing.T) {
	r := xinlu.DefaultDistributionRule()
	r.TopRatio, r.BottomRatio = 0.5, 0.5
	for _, tc := range []struct {
		n    int
		want string
	}{
		{1, "t"}, {2, "tb"}, {3, "ttb"}, {5, "tttbb"}, {6, "tttbbb"},
	} {
		if got := bands(xinlu.Distribute(r, dept(1, tc.n, 1))); got != tc.want {
			t.Errorf("n=%d: %s, want %s", tc.n, got, tc.want)
		}
	}
}

func TestDistributeTies(t *testing.T) {
	tb, mid, top, bot := "tie_at_boundary", "quota:middle", "quota:top", "quota:bottom"
	for _, tc := range []struct {
		name  string
		cands []xinlu.Candidate
		bands string
		ranks []int
		rules []string
	}{
		{
			"tie at the top boundary shrinks top",
			scored(100, 90, 90, 80, 70, 60, 50, 40, 30, 20),
			"tmmmmmmmbb",
			[]int{1, 2, 2, 4, 5, 6, 7, 8, 9, 10},
			[]string{top, tb, tb, mid, mid, mid, mid, mid, bot, bot},
		},
		{
			"tie inside top",
			scored(100, 100, 90, 80, 70, 60, 50, 40, 30, 20),
			"ttmmmmmmbb",
			[]int{1, 1, 3, 4, 5, 6, 7, 8, 9, 10},
			[]string{top, top, mid, mid, mid, mid, mid, mid, bot, bot},
		},
		{
			"three-way tie across the top boundary",
			scored(90, 90, 90, 80, 70, 60, 50, 40, 30, 20),
			"mmmmmmmmbb",
			[]int{1, 1, 1, 4, 5, 6, 7, 8, 9, 10},
			[]string{tb, tb, tb, mid, mid, mid, mid, mid, bot, bot},
		},
		{
			"tie at the bottom boundary shrinks bottom",
			scored(100, 90, 80, 70, 60, 50, 40, 20, 20, 10),
			"ttmmmmmmmb",
			[]int{1, 2, 3, 4, 5, 6, 7, 8, 8, 10},
			[]string{top, top, mid, mid, mid, mid, mid, tb, tb, bot},
		},
		{
			"tie inside bottom",
			scored(100, 90, 80, 70, 60, 50, 40, 30, 10, 10),
			"ttmmmmmmbb",
			[]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 9},
			[]string{top, top, mid, mid, mid, mid, mid, mid, bot, bot},
		},
		{
			"everyone equal is all middle",
			scored(80, 80, 80, 80, 80, 80, 80, 80, 80, 80),
			"mmmmmmmmmm",
			[]int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
			[]string{tb, tb, tb, tb, tb, tb, tb, tb, tb, tb},
		},
		{
			"a tie spanning both boundaries",
			scored(90, 80, 80, 80, 80, 80),
			"tmmmmm",
			[]int{1, 2, 2, 2, 2, 2},
			[]string{top, tb, tb, tb, tb, tb},
		},
		{
			"input order is kept",
			scored(20, 100, 60, 90, 80, 10, 70, 50, 40, 30),
			"btmtmbmmmm",
			[]int{9, 1, 5, 2, 3, 10, 4, 6, 7, 8},
			[]string{bot, top, mid, top, mid, bot, mid, mid, mid, mid},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := xinlu.Distribute(xinlu.DefaultDistributionRule(), tc.cands)
			if got := bands(ps); got != tc.bands {
				t.Errorf("bands %s, want %s", got, tc.bands)
			}
			if got := ranks(ps); fmt.Sprint(got) != fmt.Sprint(tc.ranks) {
				t.Errorf("ranks %v, want %v", got, tc.ranks)
			}
			if got := rules(ps); fmt.Sprint(got) != fmt.Sprint(tc.rules) {
				t.Errorf("rules %v, want %v", got, tc.rules)
			}
		})
	}
}

func TestDistributeTieKeys(t *testing.T) {
	cs := scored(100, 90, 90, 80, 70, 60, 50, 30, 30, 20)
	cs[1].TieKeys = []int64{3000, 0}  // key task 30.00
	cs[2].TieKeys = []int64{3500, -2} // better key task: wins the tie for top
	cs[7].TieKeys = []int64{0, -1}    // one deduction point: loses the tie for bottom
	cs[8].TieKeys = nil               // missing keys count as 0
	ps := xinlu.Distribute(xinlu.DefaultDistributionRule(), cs)
	if got, want := bands(ps), "tmtmmmmbmb"; got != want {
		t.Fatalf("bands %s, want %s", got, want)
	}
	if got, want := fmt.Sprint(ranks(ps)), "[1 3 2 4 5 6 7 9 8 10]"; got != want {
		t.Fatalf("ranks %s, want %s", got, want)
	}
	if got, want := fmt.Sprint(rules(ps)), "[quota:top quota:middle quota:top quota:middle quota:middle quota:middle quota:middle quota:bottom quota:middle quota:bottom]"; got != want {
		t.Fatalf("rules %s, want %s", got, want)
	}

	// Missing keys and explicit zeros are a full tie; MemberID decides nothing.
	cs = scored(100, 90, 80, 70, 60, 50, 40, 20, 20, 10)
	cs[7].TieKeys = []int64{0, 0}
	ps = xinlu.Distribute(xinlu.DefaultDistributionRule(), cs)
	if got, want := bands(ps), "ttmmmmmmmb"; got != want || ps[7].Rank != 8 || ps[8].Rank != 8 ||
		ps[7].Rule != "tie_at_boundary" || ps[8].Rule != "tie_at_boundary" {
		t.Fatalf("bands %s, want %s: %+v %+v", got, want, ps[7], ps[8])
	}
}

func TestDistributeGrouping(t *testing.T) {
	t.Run("small departments are pooled, leaders apart", func(t *testing.T) {
		var cs []xinlu.Candidate
		cs = append(cs, dept(1, 3, 10)...)
		cs = append(cs, dept(2, 2, 20)...)
		cs = append(cs, dept(3, 4, 30)...)
		cs = append(cs, dept(4, 6, 40)...)
		big := dept(5, 5, 50)
		big[4].Exclusion = "probation" // four ranked: pooled
		cs = append(cs, big...)
		cs = append(cs,
			xinlu.Candidate{MemberID: 90, DepartmentID: 4, PositionKind: xinlu.PositionLeader, Leader: true, Score: 9000},
			xinlu.Candidate{MemberID: 91, DepartmentID: 1, PositionKind: xinlu.PositionLeader, Leader: true, Score: 9500},
		)
		ps := xinlu.Distribute(xinlu.DefaultDistributionRule(), cs)
		want := map[string][3]int{ // size, top quota, bottom quota
			"pooled":       {13, 3, 3},
			"department:4": {6, 1, 1},
			"leaders":      {2, 0, 0},
		}
		for _, p := range ps {
			w, ok := want[p.Group]
			if !ok || p.GroupSize != w[0] || p.TopQuota != w[1] || p.BottomQuota != w[2] {
				t.Fatalf("member %d: %+v", p.MemberID, p)
			}
		}
		pooled := 0
		for _, p := range ps {
			if p.Group == "pooled" && p.Band != xinlu.BandExcluded {
				pooled++
			}
		}
		if pooled != 13 {
			t.Fatalf("%d ranked in pool", pooled)
		}
		// The pool ranks across departments: 9900 ties in depts 1, 2, 3, 5.
		for _, id := range []int64{10, 20, 30, 50} {
			if p := find(ps, id); p.Rank != 1 || p.Band != xinlu.BandMiddle || p.Rule != "tie_at_boundary" {
				t.Fatalf("member %d: %+v", id, p)
			}
		}
		if p := find(ps, 91); p.Rank != 1 || p.Band != xinlu.BandMiddle || p.Group != "leaders" {
			t.Fatalf("leader: %+v", p)
		}
	})

	t.Run("position kind", func(t *testing.T) {
		r := xinlu.DefaultDistributionRule()
		r.Grouping = xinlu.GroupByPositionKind
		var cs []xinlu.Candidate
		for i := range 11 {
			k := xinlu.PositionStaff
			if i%2 == 0 {
				k = xinlu.PositionHead
			}
			cs = append(cs, xinlu.Candidate{MemberID: int64(i + 1), DepartmentID: int64(i % 3), PositionKind: k, Score: int64(9000 - i*10)})
		}
		cs = append(cs, xinlu.Candidate{MemberID: 50, PositionKind: "", Score: 5000}, // empty kind counts as staff
			xinlu.Candidate{MemberID: 60, PositionKind: xinlu.PositionLeader, Leader: true, Score: 9999})
		ps := xinlu.Distribute(r, cs)
		size := map[string]int{}
		for _, p := range ps {
			size[p.Group]++
		}
		if size["position_kind:head"] != 6 || size["position_kind:staff"] != 6 || size["leaders"] != 1 || len(size) != 3 {
			t.Fatalf("groups %v", size)
		}
		if got, want := bands(ps[:11]), "ttmmmmmmmmb"; got != want {
			t.Fatalf("bands %s, want %s", got, want)
		}
		if p := find(ps, 50); p.Group != "position_kind:staff" || p.Band != xinlu.BandBottom {
			t.Fatalf("empty kind: %+v", p)
		}
	})

	t.Run("zone wide", func(t *testing.T) {
		r := xinlu.DefaultDistributionRule()
		r.Grouping = xinlu.GroupZoneWide
		var cs []xinlu.Candidate
		for d := range int64(4) {
			cs = append(cs, dept(d+1, 2, 10*(d+1))...)
		}
		ps := xinlu.Distribute(r, cs)
		for _, p := range ps {
			if p.Group != "zone" || p.GroupSize != 8 || p.TopQuota != 2 {
				t.Fatalf("%+v", p)
			}
		}
		// Four share 9900 across the top boundary, four 9890 across the bottom.
		if got, want := bands(ps), "mmmmmmmm"; got != want {
			t.Fatalf("bands %s, want %s", got, want)
		}
		if ps[1].Rule != "tie_at_boundary" {
			t.Fatalf("%+v", ps[1])
		}
	})

	t.Run("small zone is pooled", func(t *testing.T) {
		r := xinlu.DefaultDistributionRule()
		r.Grouping = xinlu.GroupZoneWide
		ps := xinlu.Distribute(r, dept(1, 4, 1))
		if ps[0].Group != "pooled" || bands(ps) != "tmmb" {
			t.Fatalf("%+v", ps)
		}
	})
}

func find(ps []xinlu.Placement, id int64) xinlu.Placement {
	for _, p := range ps {
		if p.MemberID == id {
			return p
		}
	}
	return xinlu.Placement{}
}

func TestDistributeExclusions(t *testing.T) {
	cs := dept(3, 7, 1)
	cs[0].Exclusion = "probation"
	cs[6].Exclusion = "absent"
	cs[3].Exclusion = "late_join"
	cs[3].Penalty = true // excluded wins: not ranked at all
	ps := xinlu.Distribute(xinlu.DefaultDistributionRule(), cs)
	if got, want := bands(ps), "xtmxmbx"; got != want {
		t.Fatalf("bands %s, want %s", got, want)
	}
	for i, reason := range map[int]string{0: "probation", 3: "late_join", 6: "absent"} {
		p := ps[i]
		if p.Rank != 0 || p.Rule != "excluded:"+reason || p.Group != "pooled" || p.GroupSize != 4 {
			t.Errorf("excluded %d: %+v", i, p)
		}
	}
	if got, want := fmt.Sprint(ranks(ps)), "[0 1 2 0 3 4 0]"; got != want {
		t.Fatalf("ranks %s, want %s", got, want)
	}

	// All excluded: nothing is ranked and nothing panics.
	cs = dept(1, 3, 1)
	for i := range cs {
		cs[i].Exclusion = "leave"
	}
	if got := bands(xinlu.Distribute(xinlu.DefaultDistributionRule(), cs)); got != "xxx" {
		t.Fatal(got)
	}
	if ps := xinlu.Distribute(xinlu.DefaultDistributionRule(), nil); len(ps) != 0 {
		t.Fatal(ps)
	}
}

func TestDistributePenalties(t *testing.T) {
	t.Run("within quota", func(t *testing.T) {
		cs := dept(1, 10, 1)
		cs[0].Penalty = true // the best score, penalised
		ps := xinlu.Distribute(xinlu.DefaultDistributionRule(), cs)
		if got, want := bands(ps), "bttmmmmmmb"; got != want {
			t.Fatalf("bands %s, want %s", got, want)
		}
		if ps[0].Rule != "override:penalty" || ps[0].Rank != 10 || ps[9].Rule != "quota:bottom" || ps[9].Rank != 9 || ps[1].Rank != 1 {
			t.Fatalf("%+v", ps)
		}
	})
	t.Run("fills the quota", func(t *testing.T) {
		cs := dept(1, 10, 1)
		cs[4].Penalty, cs[5].Penalty = true, true
		ps := xinlu.Distribute(xinlu.DefaultDistributionRule(), cs)
		if got, want := bands(ps), "ttmmbbmmmm"; got != want {
			t.Fatalf("bands %s, want %s", got, want)
		}
	})
	t.Run("beyond quota", func(t *testing.T) {
		cs := dept(1, 5, 1)
		cs[0].Penalty, cs[2].Penalty = true, true
		ps := xinlu.Distribute(xinlu.DefaultDistributionRule(), cs)
		if got, want := bands(ps), "btbmm"; got != want {
			t.Fatalf("bands %s, want %s", got, want)
		}
		if ps[0].BottomQuota != 1 || ps[0].GroupSize != 5 || ps[0].Rule != "override:penalty" || ps[2].Rule != "override:penalty" {
			t.Fatalf("%+v", ps)
		}
		if got, want := fmt.Sprint(ranks(ps)), "[4 1 5 2 3]"; got != want {
			t.Fatalf("ranks %s, want %s", got, want)
		}
	})
	t.Run("a penalty does not tie with a clean equal score", func(t *testing.T) {
		cs := scored(100, 90, 80, 70, 70)
		cs[4].Penalty = true
		ps := xinlu.Distribute(xinlu.DefaultDistributionRule(), cs)
		if got, want := bands(ps), "tmmmb"; got != want || ps[3].Rank != 4 || ps[4].Rank != 5 {
			t.Fatalf("bands %s, want %s: %+v", got, want, ps)
		}
	})
	t.Run("everyone penalised", func(t *testing.T) {
		cs := dept(1, 5, 1)
		for i := range cs {
			cs[i].Penalty = true
		}
		if got := bands(xinlu.Distribute(xinlu.DefaultDistributionRule(), cs)); got != "bbbbb" {
			t.Fatal(got)
		}
	})
}

// move applies a calibration the way the appraisal office would.
func move(ps []xinlu.Placement, id int64, to xinlu.Band) {
	for i := range ps {
		if ps[i].MemberID == id {
			ps[i].Band, ps[i].Rule = to, "calibrated"
		}
	}
}

func TestCheckCalibration(t *testing.T) {
	cs := dept(1, 10, 1) // top 1, 2; bottom 9, 10
	cs = append(cs, dept(2, 5, 21)...)
	cs[3].Exclusion = "probation"
	cs[4].Penalty = true // 9 ranked in department 1: 2/2, the penalty takes a bottom slot
	ps := xinlu.Distribute(xinlu.DefaultDistributionRule(), cs)
	if got, want := bands(ps[:10]), "ttmxbmmmmb"; got != want {
		t.Fatalf("bands %s, want %s", got, want)
	}
	code := func(err error) string {
		if err == nil {
			return ""
		}
		e := xinlu.AsError(err)
		return fmt.Sprintf("%s %s %s %v", e.Code, e.Field, e.Key, e.Args)
	}
	for _, tc := range []struct {
		name string
		id   int64
		to   xinlu.Band
		want string
	}{
		{"top to middle", 1, xinlu.BandMiddle, ""},
		{"bottom to middle", 10, xinlu.BandMiddle, ""},
		{"middle to top when full", 3, xinlu.BandTop, "conflict band appraisal.calibrate_top_full [2]"},
		{"middle to bottom when full", 6, xinlu.BandBottom, "conflict band appraisal.calibrate_bottom_full [2]"},
		{"other group: top to middle", 21, xinlu.BandMiddle, ""},
		{"other group is full too", 23, xinlu.BandTop, "conflict band appraisal.calibrate_top_full [1]"},
		{"excluded", 4, xinlu.BandTop, "invalid band appraisal.calibrate_excluded []"},
		{"penalty", 5, xinlu.BandMiddle, "invalid band appraisal.calibrate_override []"},
		{"same band", 2, xinlu.BandTop, "invalid band appraisal.calibrate_same_band []"},
		{"to excluded", 2, xinlu.BandExcluded, "invalid band error.invalid_choice []"},
		{"unknown band", 2, "star", "invalid band error.invalid_choice []"},
		{"not found", 99, xinlu.BandTop, "not_found band appraisal.member_not_in_results []"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := code(xinlu.CheckCalibration(ps, tc.id, tc.to)); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}

	t.Run("room made by an earlier move", func(t *testing.T) {
		ps := xinlu.Distribute(xinlu.DefaultDistributionRule(), cs)
		move(ps, 10, xinlu.BandMiddle)
		if err := xinlu.CheckCalibration(ps, 6, xinlu.BandBottom); err != nil {
			t.Fatal(err)
		}
		move(ps, 6, xinlu.BandBottom)
		if err := xinlu.CheckCalibration(ps, 7, xinlu.BandBottom); xinlu.AsError(err).Key != "appraisal.calibrate_bottom_full" {
			t.Fatalf("got %v", err)
		}
		move(ps, 1, xinlu.BandMiddle)
		if err := xinlu.CheckCalibration(ps, 8, xinlu.BandTop); err != nil {
			t.Fatal(err)
		}
		move(ps, 8, xinlu.BandTop)
		// A calibrated member may be moved again.
		if err := xinlu.CheckCalibration(ps, 8, xinlu.BandMiddle); err != nil {
			t.Fatal(err)
		}
		if err := xinlu.CheckCalibration(ps, 3, xinlu.BandTop); xinlu.AsError(err).Key != "appraisal.calibrate_top_full" {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("penalties beyond quota", func(t *testing.T) {
		cs := dept(1, 5, 1)
		cs[0].Penalty, cs[2].Penalty = true, true
		ps := xinlu.Distribute(xinlu.DefaultDistributionRule(), cs) // btbmm, bottom quota 1
		err := xinlu.CheckCalibration(ps, 5, xinlu.BandBottom)
		if e := xinlu.AsError(err); e.Code != xinlu.ECONFLICT || e.Key != "appraisal.calibrate_bottom_full" || fmt.Sprint(e.Args) != "[1]" {
			t.Fatalf("got %v", err)
		}
		if err := xinlu.CheckCalibration(ps, 2, xinlu.BandMiddle); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("zero quota", func(t *testing.T) {
		ps := xinlu.Distribute(xinlu.DefaultDistributionRule(), dept(1, 2, 1)) // mm, 0/0
		if err := xinlu.CheckCalibration(ps, 1, xinlu.BandTop); xinlu.AsError(err).Key != "appraisal.calibrate_top_full" {
			t.Fatalf("got %v", err)
		}
	})
}

// TestDistributeProperties checks the engine's invariants on random periods
// with many ties, exclusions and penalties.
func TestDistributeProperties(t *testing.T) {
	rnd := rand.New(rand.NewPCG(2026, 262))
	ratios := [][2]float64{{0.2, 0.2}, {0.1, 0.1}, {0.25, 0.25}, {0.3, 0.1}, {0.1, 0.3}, {0.5, 0.5}, {0, 0.2}, {0.2, 0}, {1, 0}, {0.15, 0.35}}
	for n := range 2000 {
		rule := xinlu.DistributionRule{
			Grouping:     xinlu.Groupings[rnd.IntN(len(xinlu.Groupings))],
			MinGroupSize: 1 + rnd.IntN(8),
		}
		rt := ratios[rnd.IntN(len(ratios))]
		rule.TopRatio, rule.BottomRatio = rt[0], rt[1]
		if err := rule.Validate(); err != nil {
			t.Fatal(err)
		}
		var cs []xinlu.Candidate
		spread := int64(1 + rnd.IntN(6)) // few distinct scores: many ties
		for d := range 1 + rnd.IntN(4) {
			for range 1 + rnd.IntN(40) {
				c := xinlu.Candidate{
					MemberID:     int64(len(cs)*7%1000 + 1000*n),
					DepartmentID: int64(d + 1),
					PositionKind: xinlu.PositionKinds[rnd.IntN(len(xinlu.PositionKinds))],
					Leader:       rnd.IntN(12) == 0,
					Score:        7000 + 100*rnd.Int64N(spread),
				}
				for range rnd.IntN(3) {
					c.TieKeys = append(c.TieKeys, rnd.Int64N(2)-1)
				}
				if rnd.IntN(10) == 0 {
					c.Exclusion = []string{"probation", "late_join", "absent"}[rnd.IntN(3)]
				}
				c.Penalty = rnd.IntN(15) == 0
				cs = append(cs, c)
			}
		}
		rnd.Shuffle(len(cs), func(i, j int) { cs[i], cs[j] = cs[j], cs[i] })
		ps := xinlu.Distribute(rule, cs)
		if err := checkInvariants(rule, cs, ps); err != nil {
			t.Fatalf("case %d, rule %+v: %v", n, rule, err)
		}
	}
}

// merit compares two candidates as the engine must: score then tie keys.
func merit(a, b xinlu.Candidate) int {
	if a.Score != b.Score {
		return map[bool]int{true: 1, false: -1}[a.Score > b.Score]
	}
	for i := range max(len(a.TieKeys), len(b.TieKeys)) {
		var x, y int64
		if i < len(a.TieKeys) {
			x = a.TieKeys[i]
		}
		if i < len(b.TieKeys) {
			y = b.TieKeys[i]
		}
		if x != y {
			return map[bool]int{true: 1, false: -1}[x > y]
		}
	}
	return 0
}

func checkInvariants(rule xinlu.DistributionRule, cs []xinlu.Candidate, ps []xinlu.Placement) error {
	if len(ps) != len(cs) {
		return fmt.Errorf("%d placements for %d candidates", len(ps), len(cs))
	}
	level := map[xinlu.Band]int{xinlu.BandTop: 0, xinlu.BandMiddle: 1, xinlu.BandBottom: 2}
	byGroup := map[string][]int{}
	natural := map[string]map[string]bool{} // final group → natural groups in it
	for i, p := range ps {
		c := cs[i]
		if p.MemberID != c.MemberID {
			return fmt.Errorf("placement %d is member %d, want %d", i, p.MemberID, c.MemberID)
		}
		if c.Exclusion != "" {
			if p.Band != xinlu.BandExcluded || p.Rank != 0 || p.Rule != "excluded:"+c.Exclusion {
				return fmt.Errorf("excluded %+v", p)
			}
			continue
		}
		if p.Band == xinlu.BandExcluded || p.Rank < 1 || p.Rank > p.GroupSize {
			return fmt.Errorf("ranked %+v", p)
		}
		want := map[xinlu.Band][]string{
			xinlu.BandTop:    {"quota:top"},
			xinlu.BandMiddle: {"quota:middle", "tie_at_boundary"},
			xinlu.BandBottom: {"quota:bottom"},
		}[p.Band]
		if c.Penalty {
			want = []string{"override:penalty"}
			if p.Band != xinlu.BandBottom {
				return fmt.Errorf("penalty not in bottom: %+v", p)
			}
		}
		if !strings.Contains(strings.Join(want, ","), p.Rule) {
			return fmt.Errorf("rule %q for band %s", p.Rule, p.Band)
		}
		byGroup[p.Group] = append(byGroup[p.Group], i)
		g := fmt.Sprint("department:", c.DepartmentID)
		switch {
		case c.Leader:
			g = "leaders"
		case rule.Grouping == xinlu.GroupByPositionKind:
			g = "position_kind:" + string(c.PositionKind)
		case rule.Grouping == xinlu.GroupZoneWide:
			g = "zone"
		}
		if natural[p.Group] == nil {
			natural[p.Group] = map[string]bool{}
		}
		natural[p.Group][g] = true
		if (g == "leaders" || p.Group == "leaders") && p.Group != g {
			return fmt.Errorf("leader mixed with staff: %+v", p)
		}
	}
	for g, idx := range byGroup {
		n := len(idx)
		if g != "pooled" && (len(natural[g]) != 1 || !natural[g][g]) {
			return fmt.Errorf("group %s holds %v", g, natural[g])
		}
		if g != "pooled" && g != "leaders" && n < rule.MinGroupSize {
			return fmt.Errorf("group %s of %d not pooled", g, n)
		}
		top, bottom := xinlu.Quota(n, rule.TopRatio), xinlu.Quota(n, rule.BottomRatio)
		if top+bottom > n {
			bottom = max(0, n-top)
			top = min(top, n)
		}
		counts := map[xinlu.Band]int{}
		penalties, clean, ties := 0, 0, 0
		for _, i := range idx {
			p := ps[i]
			if p.GroupSize != n || p.TopQuota != top || p.BottomQuota != bottom {
				return fmt.Errorf("group %s of %d (%d/%d): %+v", g, n, top, bottom, p)
			}
			counts[p.Band]++
			if cs[i].Penalty {
				penalties++
			} else {
				clean++
			}
			if p.Rule == "tie_at_boundary" {
				ties++
			}
		}
		if counts[xinlu.BandTop] > top {
			return fmt.Errorf("group %s: %d top, quota %d", g, counts[xinlu.BandTop], top)
		}
		if penalties > bottom {
			if counts[xinlu.BandBottom] != penalties {
				return fmt.Errorf("group %s: %d bottom for %d penalties", g, counts[xinlu.BandBottom], penalties)
			}
		} else if counts[xinlu.BandBottom] > bottom {
			return fmt.Errorf("group %s: %d bottom, quota %d", g, counts[xinlu.BandBottom], bottom)
		}
		// Bands shrink only for ties at their boundary.
		if ties == 0 && (counts[xinlu.BandTop] != min(top, clean) || counts[xinlu.BandBottom] != max(bottom, penalties)) {
			return fmt.Errorf("group %s: %v without ties, quotas %d/%d, %d penalties", g, counts, top, bottom, penalties)
		}
		for _, i := range idx {
			for _, j := range idx {
				a, b, pa, pb := cs[i], cs[j], ps[i], ps[j]
				switch {
				case a.Penalty && !b.Penalty:
					if pa.Rank <= pb.Rank {
						return fmt.Errorf("penalty ranked before: %+v %+v", pa, pb)
					}
				case a.Penalty || b.Penalty:
				case merit(a, b) > 0:
					if pa.Rank >= pb.Rank || level[pa.Band] > level[pb.Band] {
						return fmt.Errorf("better member placed lower: %+v %+v", pa, pb)
					}
				case merit(a, b) == 0:
					if pa.Rank != pb.Rank || pa.Band != pb.Band {
						return fmt.Errorf("tied members apart: %+v %+v", pa, pb)
					}
				}
			}
		}
	}
	return nil
}
