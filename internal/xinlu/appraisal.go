package xinlu

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// IndicatorKind is how an indicator gets its score.
type IndicatorKind string

const (
	IndicatorComputed IndicatorKind = "computed" // from xinlu records in the period
	IndicatorAssessed IndicatorKind = "assessed" // scored 0–100 by a department head or leader
	IndicatorPeer     IndicatorKind = "peer"     // 民主测评: several colleagues' ratings
	IndicatorPoints   IndicatorKind = "points"   // bonus and deduction points from the incentive ledger
)

// IndicatorKinds lists the kinds in display order.
var IndicatorKinds = []IndicatorKind{IndicatorComputed, IndicatorAssessed, IndicatorPeer, IndicatorPoints}

// Metrics are what a computed indicator counts in the period, read from
// the pipeline's records.
var Metrics = []string{
	"leads_reported",      // leads the member reported (merged duplicates excluded)
	"leads_accepted",      // of those, accepted as projects
	"projects_signed",     // projects signed as reporter or sponsor
	"contract_amount",     // contracted yuan of those signings
	"funds_in_place",      // funds arrived on projects the member reported or sponsors
	"approvals_on_time",   // approval items the member ran as agent, closed within their limit
	"supervision_on_time", // supervision orders assigned to the member, closed by their due date
	"study_completion",    // study campaigns closing in the period whose reflection the member submitted on time and had accepted
}

// Indicator is one scored item of a scheme (考核指标).
type Indicator struct {
	ID       int64
	SchemeID int64
	Name     string
	Kind     IndicatorKind
	Metric   string // computed only
	Target   int64  // computed: the value that scores 100; points: the cap in hundredths of a point
	Weight   int    // percent; points indicators weigh 0
	KeyTask  bool   // the first tie-breaker
	Sort     int
}

// Scheme is a set of weighted indicators for one kind of position (考核方案).
type Scheme struct {
	ID           int64
	ZoneID       int64
	Name         string
	PositionKind PositionKind
	Indicators   []Indicator
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Validate checks a scheme: weights of the scored indicators sum to 100,
// computed ones name a metric and a target, at most one key task.
func (s *Scheme) Validate() error {
	if err := cleanNames(textField{"name", &s.Name}); err != nil {
		return err
	}
	switch {
	case s.Name == "":
		return Invalid("name", "error.required")
	case len([]rune(s.Name)) > 100:
		return Invalid("name", "error.too_long", 100)
	case !slices.Contains(PositionKinds, s.PositionKind):
		return Invalid("position_kind", "error.invalid_choice")
	case len(s.Indicators) == 0:
		return Invalid("indicators", "appraisal.indicators_required")
	case len(s.Indicators) > 30:
		return Invalid("indicators", "appraisal.too_many_indicators", 30)
	}
	sum, keys := 0, 0
	names := map[string]bool{}
	for i := range s.Indicators {
		ind := &s.Indicators[i]
		field := fmt.Sprintf("indicators[%d]", i)
		if err := cleanNames(textField{field + ".name", &ind.Name}); err != nil {
			return err
		}
		switch {
		case ind.Name == "":
			return Invalid(field+".name", "error.required")
		case len([]rune(ind.Name)) > 100:
			return Invalid(field+".name", "error.too_long", 100)
		case names[ind.Name]:
			return Invalid(field+".name", "appraisal.indicator_duplicate", ind.Name)
		case !slices.Contains(IndicatorKinds, ind.Kind):
			return Invalid(field+".kind", "error.invalid_choice")
		}
		names[ind.Name] = true
		switch ind.Kind {
		case IndicatorComputed:
			if !slices.Contains(Metrics, ind.Metric) {
				return Invalid(field+".metric", "error.invalid_choice")
			}
			if ind.Target <= 0 {
				return Invalid(field+".target", "appraisal.target_positive")
			}
		case IndicatorPoints:
			ind.Metric = ""
			if ind.Weight != 0 {
				return Invalid(field+".weight", "appraisal.points_no_weight")
			}
			if ind.Target <= 0 {
				return Invalid(field+".target", "appraisal.target_positive")
			}
			if ind.KeyTask {
				return Invalid(field+".key_task", "appraisal.key_task_scored")
			}
		default:
			ind.Metric, ind.Target = "", 0
		}
		if ind.Kind != IndicatorPoints && (ind.Weight <= 0 || ind.Weight > 100) {
			return Invalid(field+".weight", "appraisal.weight_range")
		}
		if ind.KeyTask {
			keys++
		}
		sum += ind.Weight
		ind.Sort = i
	}
	if sum != 100 {
		return Invalid("indicators", "appraisal.weights_sum", sum)
	}
	if keys > 1 {
		return Invalid("indicators", "appraisal.one_key_task")
	}
	return nil
}

// KeyTask returns the scheme's key-task indicator, if any.
func (s *Scheme) KeyTask() (Indicator, bool) {
	for _, ind := range s.Indicators {
		if ind.KeyTask {
			return ind, true
		}
	}
	return Indicator{}, false
}

// PeriodKind is how long a period runs.
type PeriodKind string

const (
	PeriodMonth   PeriodKind = "month"
	PeriodQuarter PeriodKind = "quarter"
	PeriodYear    PeriodKind = "year"
)

// PeriodKinds lists the kinds in display order.
var PeriodKinds = []PeriodKind{PeriodMonth, PeriodQuarter, PeriodYear}

// PeriodRange parses a period label — "2026-10", "2026Q4" or "2026" for
// the kind — and returns its first and last day.
func PeriodRange(kind PeriodKind, label string) (first, last time.Time, err error) {
	bad := Invalid("label", "appraisal.label_format")
	label = strings.TrimSpace(label)
	switch kind {
	case PeriodMonth:
		t, e := time.Parse("2006-01", label)
		if e != nil || t.Year() < 2000 || t.Year() > 2100 {
			return first, last, bad
		}
		return t, t.AddDate(0, 1, -1), nil
	case PeriodQuarter:
		y, q, ok := strings.Cut(strings.ToUpper(label), "Q")
		year, e1 := strconv.Atoi(y)
		n, e2 := strconv.Atoi(q)
		if !ok || e1 != nil || e2 != nil || n < 1 || n > 4 || year < 2000 || year > 2100 {
			return first, last, bad
		}
		first = time.Date(year, time.Month(3*n-2), 1, 0, 0, 0, 0, time.UTC)
		return first, first.AddDate(0, 3, -1), nil
	case PeriodYear:
		year, e := strconv.Atoi(label)
		if e != nil || year < 2000 || year > 2100 {
			return first, last, bad
		}
		first = time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
		return first, first.AddDate(1, 0, -1), nil
	}
	return first, last, Invalid("kind", "error.invalid_choice")
}

// PeriodState is where a period stands.
type PeriodState string

const (
	PeriodDraft       PeriodState = "draft"
	PeriodScoring     PeriodState = "scoring"     // assessors and peers enter scores
	PeriodCalculated  PeriodState = "calculated"  // scores, bands and pay computed
	PeriodCalibration PeriodState = "calibration" // the appraisal office reviews and moves bands
	PeriodPublication PeriodState = "publication" // 公示: members see results and may appeal
	PeriodRecheck     PeriodState = "recheck"     // appeals or an exemption being rechecked
	PeriodFinal       PeriodState = "final"       // finalised by the director
	PeriodApplied     PeriodState = "applied"     // pay and consequences applied
	PeriodArchived    PeriodState = "archived"
)

// PeriodStates lists the states in order.
var PeriodStates = []PeriodState{PeriodDraft, PeriodScoring, PeriodCalculated, PeriodCalibration, PeriodPublication, PeriodRecheck, PeriodFinal, PeriodApplied, PeriodArchived}

// Coefficients multiply base performance pay per band, in hundredths
// (120 = 1.2).
type Coefficients struct {
	Top, Middle, Bottom int64
}

// DefaultCoefficients are 1.2 / 1.0 / 0.8.
func DefaultCoefficients() Coefficients { return Coefficients{Top: 120, Middle: 100, Bottom: 80} }

// Of returns the coefficient of a band; excluded members get the middle one
// (they are paid their base).
func (c Coefficients) Of(b Band) int64 {
	switch b {
	case BandTop:
		return c.Top
	case BandBottom:
		return c.Bottom
	}
	return c.Middle
}

// Validate checks the coefficients are ordered and sensible.
func (c Coefficients) Validate() error {
	if c.Bottom < 0 || c.Middle < c.Bottom || c.Top < c.Middle || c.Top > 300 {
		return Invalid("coefficients", "appraisal.coefficients_order")
	}
	return nil
}

// Period is one appraisal round (考核周期).
type Period struct {
	ID              int64
	ZoneID          int64
	Kind            PeriodKind
	Label           string // 2026-10, 2026Q4, 2026
	StartsOn        string
	EndsOn          string
	State           PeriodState
	Rule            DistributionRule
	Coefficients    Coefficients
	PublicationDays int    // working days of publication, default 5
	PublishedOn     string // first day of the current publication
	PublicationEnds string // last day members may appeal
	PoolYuan        int64  // the performance pay pool set by finance; 0 = not set
	PoolDecision    string // "", "scale" or "raise" when the total exceeded the pool
	PoolNote        string
	Version         int
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Validate checks a new or edited period and fills its dates.
// Every field is checked, so that a form shows every error at once.
func (p *Period) Validate() error {
	var errs FieldErrors
	p.Label = strings.ToUpper(strings.TrimSpace(p.Label))
	if !slices.Contains(PeriodKinds, p.Kind) {
		errs.Invalid("kind", "error.invalid_choice")
	} else if first, last, err := PeriodRange(p.Kind, p.Label); err != nil {
		errs.Add(err)
	} else {
		p.StartsOn, p.EndsOn = first.Format(DateLayout), last.Format(DateLayout)
	}
	if p.PublicationDays == 0 {
		p.PublicationDays = 5
	}
	if p.PublicationDays < 1 || p.PublicationDays > 30 {
		errs.Invalid("publication_days", "appraisal.publication_days_range")
	}
	errs.Add(p.Rule.Validate())
	errs.Add(CheckPayYuan("pool_yuan", p.PoolYuan))
	errs.Add(p.Coefficients.Validate())
	return errs.Err()
}

// PeriodAction is a step of a period.
type PeriodAction string

const (
	PeriodOpen       PeriodAction = "open"          // draft → scoring
	PeriodCalculate  PeriodAction = "calculate"     // scoring | calculated | recheck → calculated
	PeriodReview     PeriodAction = "review"        // calculated → calibration
	PeriodCalibrate  PeriodAction = "calibrate"     // a band move, in calibration or recheck
	PeriodPublish    PeriodAction = "publish"       // calibration | recheck → publication
	PeriodRecheckA   PeriodAction = "recheck"       // publication → recheck
	PeriodFinalize   PeriodAction = "finalize"      // publication → final (director)
	PeriodApply      PeriodAction = "apply"         // final → applied
	PeriodArchive    PeriodAction = "archive"       // applied → archived
	PeriodSetPool    PeriodAction = "pool"          // finance sets the pool before final
	PeriodPoolDecide PeriodAction = "pool-decision" // over the pool: the office scales to it or raises it
	PeriodCorrect    PeriodAction = "correct"       // a recorded correction after final
)

type periodRule struct {
	from []PeriodState
	next PeriodState // "" keeps the state
	perm Permission
}

var periodRules = map[PeriodAction]periodRule{
	PeriodOpen:       {[]PeriodState{PeriodDraft}, PeriodScoring, PermAppraisalManage},
	PeriodCalculate:  {[]PeriodState{PeriodScoring, PeriodCalculated, PeriodRecheck}, PeriodCalculated, PermAppraisalManage},
	PeriodReview:     {[]PeriodState{PeriodCalculated}, PeriodCalibration, PermAppraisalManage},
	PeriodCalibrate:  {[]PeriodState{PeriodCalibration, PeriodRecheck}, "", PermAppraisalManage},
	PeriodPublish:    {[]PeriodState{PeriodCalibration, PeriodRecheck}, PeriodPublication, PermAppraisalManage},
	PeriodRecheckA:   {[]PeriodState{PeriodPublication}, PeriodRecheck, PermAppraisalManage},
	PeriodFinalize:   {[]PeriodState{PeriodPublication}, PeriodFinal, PermAppraisalFinalize},
	PeriodApply:      {[]PeriodState{PeriodFinal}, PeriodApplied, PermAppraisalManage},
	PeriodArchive:    {[]PeriodState{PeriodApplied}, PeriodArchived, PermAppraisalManage},
	PeriodSetPool:    {[]PeriodState{PeriodDraft, PeriodScoring, PeriodCalculated, PeriodCalibration, PeriodPublication, PeriodRecheck}, "", PermAppraisalPool},
	PeriodCorrect:    {[]PeriodState{PeriodFinal, PeriodApplied}, "", PermAppraisalManage},
	PeriodPoolDecide: {[]PeriodState{PeriodCalculated, PeriodCalibration, PeriodRecheck}, "", PermAppraisalManage},
}

// PeriodActions lists every action in a stable order.
func PeriodActions() []PeriodAction {
	out := make([]PeriodAction, 0, len(periodRules))
	for a := range periodRules {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// PeriodStepOffered reports whether action is u's to take on p in its
// state, whatever else may still hold it back (open appeals, the
// publication window, the pool), which CheckPeriodStep explains when the
// step is taken: the page shows the button.
func PeriodStepOffered(u *User, p *Period, action PeriodAction) bool {
	rule, ok := periodRules[action]
	return ok && u.Can(rule.perm) && slices.Contains(rule.from, p.State)
}

// PeriodCheck is what a period step depends on besides the state.
type PeriodCheck struct {
	Today       time.Time
	OpenAppeals int  // appeals filed and not yet answered
	OverPool    bool // total pay exceeds the pool with no decision recorded
}

// CheckPeriodStep decides whether u may take action on p now and returns
// the state it leads to.
func CheckPeriodStep(u *User, p *Period, action PeriodAction, c PeriodCheck) (PeriodState, error) {
	rule, ok := periodRules[action]
	if !ok {
		return "", NotFound("appraisal.unknown_action")
	}
	if !u.Can(rule.perm) {
		return "", Forbidden()
	}
	if !slices.Contains(rule.from, p.State) {
		return "", &Error{Code: ECONFLICT, Field: "state", Key: "appraisal.state_not_allowed", Args: []any{LabelKey("appraisal.state." + string(p.State))}}
	}
	switch action {
	case PeriodPublish:
		if c.OverPool {
			return "", &Error{Code: ECONFLICT, Field: "pool_yuan", Key: "appraisal.over_pool"}
		}
	case PeriodFinalize:
		if c.OpenAppeals > 0 {
			return "", &Error{Code: ECONFLICT, Field: "appeals", Key: "appraisal.appeals_open", Args: []any{c.OpenAppeals}}
		}
		if p.PublicationEnds != "" && truncateDay(c.Today).Format(DateLayout) <= p.PublicationEnds {
			return "", &Error{Code: ECONFLICT, Field: "state", Key: "appraisal.publication_running", Args: []any{p.PublicationEnds}}
		}
		if c.OverPool {
			return "", &Error{Code: ECONFLICT, Field: "pool_yuan", Key: "appraisal.over_pool"}
		}
	}
	if rule.next == "" {
		return p.State, nil
	}
	return rule.next, nil
}

// Exclusions decides who is not ranked in one period: those on
// probation or long leave, those who joined after the period's first
// working day plus 10 working days, and those present on fewer than half
// its working days. The period's working days are counted once.
type Exclusions struct {
	first, last time.Time
	cal         *Calendar
	lateCut     time.Time // joining after this day is too late
	workdays    int
}

// NewExclusions prepares the rules for the period from first to last.
func NewExclusions(first, last time.Time, cal *Calendar) *Exclusions {
	start := first
	if !cal.IsWorkday(start) {
		start = cal.AddWorkdays(start, 1)
	}
	return &Exclusions{first: first, last: last, cal: cal, lateCut: cal.AddWorkdays(start, 10),
		workdays: cal.WorkdaysBetween(first.AddDate(0, 0, -1), last)}
}

// Of says why a member is not ranked, "" when ranked.
func (e *Exclusions) Of(status MemberStatus, joinedOn string, absentDays int) string {
	switch status {
	case MemberProbation:
		return "probation"
	case MemberLeave:
		return "leave"
	}
	present := e.workdays - absentDays
	if joinedOn != "" {
		if joined, err := ParseDate(joinedOn); err == nil && joined.After(e.first) {
			if joined.After(e.lateCut) {
				return "late_join"
			}
			present -= e.cal.WorkdaysBetween(e.first.AddDate(0, 0, -1), joined.AddDate(0, 0, -1))
		}
	}
	if e.workdays > 0 && present*2 < e.workdays {
		return "absent"
	}
	return ""
}

// Exclusion is NewExclusions(first, last, cal).Of(…) for one member.
func Exclusion(status MemberStatus, joinedOn string, absentDays int, first, last time.Time, cal *Calendar) string {
	return NewExclusions(first, last, cal).Of(status, joinedOn, absentDays)
}

// ScoreInput is what one member's score is computed from.
type ScoreInput struct {
	Computed map[string]int64  // metric → value in the period
	Assessed map[int64][]int64 // indicator → assessors' scores, hundredths
	Peer     map[int64][]int64 // indicator → raters' scores, hundredths
	Points   int64             // effective bonus/deduction points, hundredths
}

// ScoreLine is one indicator's part of a member's score.
type ScoreLine struct {
	IndicatorID int64  `json:"indicator_id"`
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Metric      string `json:"metric,omitempty"`
	Value       int64  `json:"value"`            // the raw value: a count, yuan, or a mean score in hundredths
	Raters      int    `json:"raters,omitempty"` // assessed and peer: how many scores went in
	Score       int64  `json:"score"`            // 0–100, hundredths (points: the capped points)
	Weight      int    `json:"weight"`
	Weighted    int64  `json:"weighted"` // score × weight, hundredths of a point
}

// Breakdown is a member's score with every line that makes it.
type Breakdown struct {
	Lines   []ScoreLine `json:"lines"`
	Points  int64       `json:"points"`   // bonus and deductions applied, hundredths
	Final   int64       `json:"final"`    // hundredths
	KeyTask int64       `json:"key_task"` // the key-task indicator's score, the first tie-breaker
	Missing []string    `json:"missing,omitempty"`
}

// ComputedScore scores a computed value against its target:
// min(100, value ÷ target × 100), in hundredths.
func ComputedScore(value, target int64) int64 {
	if target <= 0 || value <= 0 {
		return 0
	}
	if value >= target {
		return 10000
	}
	return int64(math.Round(float64(value) * 10000 / float64(target)))
}

// PeerMean is the mean of peer ratings, dropping the highest and the lowest
// when there are at least five; it returns hundredths and how many counted.
func PeerMean(scores []int64) (int64, int) {
	if len(scores) == 0 {
		return 0, 0
	}
	s := slices.Clone(scores)
	if len(s) >= 5 {
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
		s = s[1 : len(s)-1]
	}
	return mean(s), len(s)
}

func mean(s []int64) int64 {
	if len(s) == 0 {
		return 0
	}
	var sum int64
	for _, v := range s {
		sum += v
	}
	return int64(math.Round(float64(sum) / float64(len(s))))
}

// Score computes a member's final score under a scheme: the weighted sum of
// the indicators' scores plus the capped bonus and deduction points.
func Score(s *Scheme, in ScoreInput) Breakdown {
	var b Breakdown
	var weighted int64
	for _, ind := range s.Indicators {
		l := ScoreLine{IndicatorID: ind.ID, Name: ind.Name, Kind: string(ind.Kind), Metric: ind.Metric, Weight: ind.Weight}
		switch ind.Kind {
		case IndicatorComputed:
			l.Value = in.Computed[ind.Metric]
			l.Score = ComputedScore(l.Value, ind.Target)
		case IndicatorAssessed:
			l.Value, l.Raters = mean(in.Assessed[ind.ID]), len(in.Assessed[ind.ID])
			l.Score = l.Value
		case IndicatorPeer:
			l.Value, l.Raters = PeerMean(in.Peer[ind.ID])
			l.Score = l.Value
		case IndicatorPoints:
			l.Value = in.Points
			l.Score = max(-ind.Target, min(ind.Target, in.Points))
			b.Points += l.Score
		}
		if (ind.Kind == IndicatorAssessed || ind.Kind == IndicatorPeer) && l.Raters == 0 {
			b.Missing = append(b.Missing, ind.Name)
		}
		if ind.Kind != IndicatorPoints {
			l.Weighted = l.Score * int64(ind.Weight)
			weighted += l.Weighted
		}
		if ind.KeyTask {
			b.KeyTask = l.Score
		}
		b.Lines = append(b.Lines, l)
	}
	b.Final = int64(math.Round(float64(weighted)/100)) + b.Points
	return b
}

// CheckRating validates an assessed or peer score: 0–100 with at most two
// decimals, never for oneself.
func CheckRating(raterMemberID, memberID, score int64) error {
	if raterMemberID != 0 && raterMemberID == memberID {
		return Invalid("member_id", "appraisal.self_rating")
	}
	if score < 0 || score > 10000 {
		return Invalid("score", "appraisal.score_range")
	}
	return nil
}

// PayLine is one member's performance pay for a period.
type PayLine struct {
	MemberID    int64
	BaseYuan    int64
	Coefficient int64 // hundredths
	PayYuan     int64
}

// Pay computes pay lines: base × band coefficient, rounded to the yuan.
func Pay(bases map[int64]int64, bands map[int64]Band, c Coefficients) []PayLine {
	ids := make([]int64, 0, len(bases))
	for id := range bases {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]PayLine, 0, len(ids))
	for _, id := range ids {
		coef := c.Of(bands[id])
		out = append(out, PayLine{MemberID: id, BaseYuan: bases[id], Coefficient: coef, PayYuan: (bases[id]*coef + 50) / 100})
	}
	return out
}

// PayTotal sums the pay lines.
func PayTotal(lines []PayLine) int64 {
	var t int64
	for _, l := range lines {
		t += l.PayYuan
	}
	return t
}

// ScaleToPool scales pay lines down proportionally so that they sum to at
// most the pool, distributing the rounding remainder by largest fractions so
// that the total is exactly the pool.
func ScaleToPool(lines []PayLine, pool int64) []PayLine {
	total := PayTotal(lines)
	if total <= pool || total == 0 {
		return lines
	}
	out := slices.Clone(lines)
	type frac struct {
		i   int
		rem int64
	}
	fr := make([]frac, len(out))
	var sum int64
	for i, l := range out {
		num := l.PayYuan * pool
		out[i].PayYuan = num / total
		fr[i] = frac{i, num % total}
		sum += out[i].PayYuan
	}
	sort.SliceStable(fr, func(a, b int) bool { return fr[a].rem > fr[b].rem })
	for k := 0; sum < pool && k < len(fr); k++ {
		out[fr[k].i].PayYuan++
		sum++
	}
	return out
}

// StatutoryGrade maps an annual band to the statutory grade: top → 优秀,
// middle → 称职; the bottom band needs the committee's decision between
// 基本称职 and 称职, so it maps to "" until one is recorded. 不称职 is never
// assigned by ranking.
func StatutoryGrade(b Band) string {
	switch b {
	case BandTop:
		return "excellent"
	case BandMiddle:
		return "competent"
	}
	return ""
}

// StatutoryGrades are the annual grades a committee may record for the
// bottom band.
var StatutoryGrades = []string{"excellent", "competent", "basically_competent", "incompetent"}
