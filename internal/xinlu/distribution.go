package xinlu

import (
	"math"
	"slices"
	"strconv"
)

// Band is where a member lands in the 2:6:2 forced distribution of an
// appraisal (强制分布).
type Band string

const (
	BandTop      Band = "top"      // 前 20%
	BandMiddle   Band = "middle"   // 中间 60%
	BandBottom   Band = "bottom"   // 后 20%
	BandExcluded Band = "excluded" // not ranked (试用期、年中入职、长期缺勤…)
)

// Bands lists the bands in display order.
var Bands = []Band{BandTop, BandMiddle, BandBottom, BandExcluded}

// Grouping is how members are split into ranking groups.
type Grouping string

const (
	GroupByDepartment   Grouping = "department"    // default
	GroupByPositionKind Grouping = "position_kind" // leader/head/staff
	GroupZoneWide       Grouping = "zone"
)

// Groupings lists the groupings in display order.
var Groupings = []Grouping{GroupByDepartment, GroupByPositionKind, GroupZoneWide}

// Group names a placement carries besides "department:<id>" and
// "position_kind:<kind>".
const (
	groupLeaders = "leaders"
	groupPooled  = "pooled"
	groupZone    = "zone"
)

// Rules a placement records: why the engine put a member in its band.
const (
	ruleTop             = "quota:top"
	ruleMiddle          = "quota:middle"
	ruleBottom          = "quota:bottom"
	ruleTieAtBoundary   = "tie_at_boundary"
	ruleOverridePenalty = "override:penalty"
	ruleExcludedPrefix  = "excluded:"
)

// DistributionRule is how a period's scores are forced into bands.
type DistributionRule struct {
	Grouping     Grouping
	TopRatio     float64 // default 0.2
	BottomRatio  float64 // default 0.2
	MinGroupSize int     // default 5: groups with fewer ranked members are pooled together
	// TieBreakers declare, in order, what decides between equal scores
	// (TieBreakerOptions); the engine reads them as the candidates'
	// TieKeys. Members still equal across a band boundary go to the middle.
	TieBreakers []string
}

// TieBreakerOptions are the declared tie-breakers: the key-task
// indicator's score (higher first), and fewer deduction points.
var TieBreakerOptions = []string{"key_task", "deductions"}

// DefaultDistributionRule is 2:6:2 by department, pooling groups under five.
func DefaultDistributionRule() DistributionRule {
	return DistributionRule{Grouping: GroupByDepartment, TopRatio: 0.2, BottomRatio: 0.2, MinGroupSize: 5, TieBreakers: []string{"key_task", "deductions"}}
}

// Validate checks a rule before a period uses it.
func (r DistributionRule) Validate() error {
	var errs FieldErrors
	switch {
	case r.Grouping == "":
		errs.Invalid("grouping", "error.required")
	case !slices.Contains(Groupings, r.Grouping):
		errs.Invalid("grouping", "error.invalid_choice")
	}
	topOK := r.TopRatio >= 0 && r.TopRatio <= 1 // also false for NaN
	bottomOK := r.BottomRatio >= 0 && r.BottomRatio <= 1
	if !topOK {
		errs.Invalid("top_ratio", "appraisal.ratio_range")
	}
	if !bottomOK {
		errs.Invalid("bottom_ratio", "appraisal.ratio_range")
	}
	if topOK && bottomOK && ratioBP(r.TopRatio)+ratioBP(r.BottomRatio) > 10000 {
		errs.Invalid("bottom_ratio", "appraisal.ratios_exceed_total")
	}
	if r.MinGroupSize < 1 || r.MinGroupSize > 100 {
		errs.Invalid("min_group_size", "error.out_of_range", 1, 100)
	}
	for i, t := range r.TieBreakers {
		if !slices.Contains(TieBreakerOptions, t) || slices.Index(r.TieBreakers, t) != i {
			errs.Invalid("tie_breakers", "error.invalid_choice")
			break
		}
	}
	return errs.Err()
}

// ratioBP is a ratio in basis points, clamped to [0, 10000].
func ratioBP(ratio float64) int64 {
	if !(ratio > 0) { // also NaN
		return 0
	}
	if ratio >= 1 {
		return 10000
	}
	return int64(math.Round(ratio * 10000))
}

// Quota is ratio*n rounded half up. The ratio is taken in basis points so
// that float error never tips a product such as 0.25*10 off its half.
func Quota(n int, ratio float64) int {
	if n <= 0 {
		return 0
	}
	return int((int64(n)*ratioBP(ratio) + 5000) / 10000)
}

// quotas are the top and bottom quotas of a group of n ranked members; when
// rounding makes them overlap, bottom gives way first, then top.
func quotas(n int, r DistributionRule) (top, bottom int) {
	top, bottom = Quota(n, r.TopRatio), Quota(n, r.BottomRatio)
	if top+bottom > n {
		bottom = max(0, n-top)
		top = min(top, n)
	}
	return top, bottom
}

// Candidate is one member going into the distribution.
type Candidate struct {
	MemberID     int64
	DepartmentID int64
	PositionKind PositionKind
	Leader       bool    // holds a leader term: ranked in their own zone-wide group "leaders", never pooled with staff
	Score        int64   // final score in hundredths (8750 = 87.50)
	TieKeys      []int64 // tie-breakers in declared order, higher is better
	Exclusion    string  // "" = ranked; otherwise the reason code, e.g. "probation", "late_join", "absent"
	Penalty      bool    // a confirmed disciplinary penalty in the period: bottom band, beyond quota if need be
}

// Placement is where the engine put one member, with the rule that did it.
type Placement struct {
	MemberID    int64
	Group       string // "department:12", "position_kind:staff", "zone", "leaders", "pooled"
	GroupSize   int    // ranked members in the group (excluded ones are not counted)
	Rank        int    // 1-based; fully tied members share a rank; 0 when excluded
	Band        Band
	Rule        string // "quota:top", "quota:middle", "quota:bottom", "tie_at_boundary", "override:penalty", "excluded:<reason>", "calibrated"
	TopQuota    int
	BottomQuota int
}

// compareMerit orders a before b when a scored better: score, then the tie
// keys in order (a missing key counts as 0). 0 means fully tied.
func compareMerit(a, b *Candidate) int {
	if a.Score != b.Score {
		if a.Score > b.Score {
			return -1
		}
		return 1
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
			if x > y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// naturalGroup is the group a candidate belongs to before small groups are
// pooled.
func naturalGroup(g Grouping, c *Candidate) string {
	switch {
	case c.Leader:
		return groupLeaders
	case g == GroupByPositionKind:
		k := c.PositionKind
		if k == "" {
			k = PositionStaff
		}
		return string(GroupByPositionKind) + ":" + string(k)
	case g == GroupZoneWide:
		return groupZone
	default: // department, also for an empty grouping
		return string(GroupByDepartment) + ":" + strconv.FormatInt(c.DepartmentID, 10)
	}
}

// Distribute ranks the candidates in their groups and forces them into
// bands. The result has one placement per candidate, in input order.
// Excluded members carry the group they would have been ranked in.
func Distribute(rule DistributionRule, cands []Candidate) []Placement {
	ps := make([]Placement, len(cands))
	groups := make([]string, len(cands))
	ranked := map[string]int{}
	for i := range cands {
		groups[i] = naturalGroup(rule.Grouping, &cands[i])
		if cands[i].Exclusion == "" {
			ranked[groups[i]]++
		}
	}
	members := map[string][]int{} // final group → indices of ranked candidates
	for i := range cands {
		if g := groups[i]; g != groupLeaders && ranked[g] < rule.MinGroupSize {
			groups[i] = groupPooled
		}
		if cands[i].Exclusion == "" {
			members[groups[i]] = append(members[groups[i]], i)
		}
	}
	for g, idx := range members {
		placeGroup(rule, g, cands, idx, ps)
	}
	for i := range cands {
		if reason := cands[i].Exclusion; reason != "" {
			n := len(members[groups[i]])
			top, bottom := quotas(n, rule)
			ps[i] = Placement{MemberID: cands[i].MemberID, Group: groups[i], GroupSize: n,
				Band: BandExcluded, Rule: ruleExcludedPrefix + reason, TopQuota: top, BottomQuota: bottom}
		}
	}
	return ps
}

// placeGroup ranks and bands the ranked candidates idx of one group.
func placeGroup(rule DistributionRule, group string, cands []Candidate, idx []int, ps []Placement) {
	n := len(idx)
	top, bottom := quotas(n, rule)
	order := slices.Clone(idx)
	slices.SortStableFunc(order, func(a, b int) int {
		ca, cb := &cands[a], &cands[b]
		if ca.Penalty != cb.Penalty {
			if cb.Penalty {
				return -1
			}
			return 1
		}
		if c := compareMerit(ca, cb); c != 0 {
			return c
		}
		switch {
		case ca.MemberID < cb.MemberID:
			return -1
		case ca.MemberID > cb.MemberID:
			return 1
		}
		return 0
	})
	tied := func(p, q int) bool {
		a, b := &cands[order[p]], &cands[order[q]]
		return a.Penalty == b.Penalty && compareMerit(a, b) == 0
	}
	penalties := 0
	for _, i := range idx {
		if cands[i].Penalty {
			penalties++
		}
	}
	m := n - penalties // non-penalty members come first in order

	// tieSpan is the fully tied run [s, e) around the boundary between
	// positions k-1 and k, or ok=false when the boundary cuts no tie.
	tieSpan := func(k int) (s, e int, ok bool) {
		if k <= 0 || k >= m || !tied(k-1, k) {
			return 0, 0, false
		}
		s, e = k-1, k+1
		for s > 0 && tied(s-1, s) {
			s--
		}
		for e < m && tied(e-1, e) {
			e++
		}
		return s, e, true
	}
	tie := make([]bool, m)
	topEnd := min(top, m)
	if s, e, ok := tieSpan(topEnd); ok {
		topEnd = s
		for j := s; j < e; j++ {
			tie[j] = true
		}
	}
	bottomStart := m
	if slots := min(max(0, bottom-penalties), m-topEnd); slots > 0 {
		bottomStart = m - slots
		if s, e, ok := tieSpan(bottomStart); ok {
			bottomStart = e
			for j := s; j < e; j++ {
				tie[j] = true
			}
		}
	}

	rank := 0
	for j, i := range order {
		if j == 0 || !tied(j-1, j) {
			rank = j + 1
		}
		p := Placement{MemberID: cands[i].MemberID, Group: group, GroupSize: n, Rank: rank,
			TopQuota: top, BottomQuota: bottom}
		switch {
		case j >= m:
			p.Band, p.Rule = BandBottom, ruleOverridePenalty
		case tie[j]:
			p.Band, p.Rule = BandMiddle, ruleTieAtBoundary
		case j < topEnd:
			p.Band, p.Rule = BandTop, ruleTop
		case j >= bottomStart:
			p.Band, p.Rule = BandBottom, ruleBottom
		default:
			p.Band, p.Rule = BandMiddle, ruleMiddle
		}
		ps[i] = p
	}
}

// CheckCalibration checks that the appraisal office may move one member to
// another band (人工校准): the member must be ranked and not placed by an
// override, and the destination band of the group must have room. ps may
// already hold earlier moves; bands are counted as they are.
func CheckCalibration(ps []Placement, memberID int64, to Band) error {
	i := slices.IndexFunc(ps, func(p Placement) bool { return p.MemberID == memberID })
	if i < 0 {
		e := NotFound("appraisal.member_not_in_results")
		e.Field = "band"
		return e
	}
	p := ps[i]
	switch {
	case p.Band == BandExcluded:
		return Invalid("band", "appraisal.calibrate_excluded")
	case p.Rule == ruleOverridePenalty:
		return Invalid("band", "appraisal.calibrate_override")
	case to != BandTop && to != BandMiddle && to != BandBottom:
		return Invalid("band", "error.invalid_choice")
	case to == p.Band:
		return Invalid("band", "appraisal.calibrate_same_band")
	}
	count, penalties := 0, 0
	for _, q := range ps {
		if q.Group != p.Group {
			continue
		}
		if q.Band == to {
			count++
		}
		if q.Rule == ruleOverridePenalty {
			penalties++
		}
	}
	count++ // the member moving in
	switch {
	case to == BandTop && count > p.TopQuota:
		return &Error{Code: ECONFLICT, Field: "band", Key: "appraisal.calibrate_top_full", Args: []any{p.TopQuota}}
	case to == BandBottom && count > max(p.BottomQuota, penalties):
		return &Error{Code: ECONFLICT, Field: "band", Key: "appraisal.calibrate_bottom_full", Args: []any{p.BottomQuota}}
	}
	return nil
}
