package xlsx

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/text/width"
)

// Land (用地) is kept in 亩. A ledger's 用地 column states its unit in the
// header ("用地（亩）", "占地面积（平方米）") or in the cell ("50亩",
// "3.2公顷"); a column without one is in 亩.

// landUnits are how many 亩 one unit is.
var landUnits = map[string]float64{
	"亩": 1, "平方米": 0.0015, "平米": 0.0015, "㎡": 0.0015, "m2": 0.0015, "m²": 0.0015,
	"公顷": 15, "ha": 15, "万平方米": 15, "万㎡": 15,
}

var (
	reLandHeaderUnit = regexp.MustCompile(`[(（/／]\s*(?:单位\s*[:：]\s*)?(亩|万平方米|万㎡|平方米|平米|㎡|m2|m²|公顷|ha)\s*[)）]?\s*$`)
	reLandHeaderAny  = regexp.MustCompile(`[(（]\s*([^()（）]*)\s*[)）]\s*$`)
	reLandCell       = regexp.MustCompile(`^([0-9][0-9,]*(?:\.[0-9]+)?)(亩|万平方米|万㎡|平方米|平米|㎡|m2|m²|公顷|ha)?$`)
)

// landUnit is the unit a 用地 header states, in 亩 per unit: 1 when it
// states none, 0 when it states one that is not an area xinlu reads.
func landUnit(header string) float64 {
	h := strings.TrimSpace(width.Narrow.String(header))
	if m := reLandHeaderUnit.FindStringSubmatch(strings.ToLower(h)); m != nil {
		return landUnits[m[1]]
	}
	if reLandHeaderAny.MatchString(h) {
		return 0
	}
	return 1
}

// parseLandMu reads a 用地 cell into 亩, to two decimals; an empty cell or
// a placeholder is 0. msg, if not empty, is the problem, with one %s for
// the cell.
func parseLandMu(s string, unit float64) (float64, string) {
	s = strings.ToLower(width.Narrow.String(strings.Join(strings.Fields(s), "")))
	if isPlaceholder(s) {
		return 0, ""
	}
	m := reLandCell.FindStringSubmatch(s)
	if m == nil || (m[1] != "" && strings.Contains(m[1], ",") && !reGrouped.MatchString(strings.SplitN(m[1], ".", 2)[0])) {
		return 0, "用地面积无法识别「%s」，请填写亩数，如 50 或 50亩"
	}
	u := unit
	if m[2] != "" {
		u = landUnits[m[2]]
	}
	if u == 0 {
		return 0, "用地面积的单位无法识别「%s」，请在表头注明（亩）、（平方米）或（公顷）"
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64)
	if err != nil {
		return 0, "用地面积无法识别「%s」，请填写亩数，如 50 或 50亩"
	}
	mu := math.Round(v*u*100) / 100
	if mu > 1_000_000 {
		return 0, "用地面积过大「%s」"
	}
	return mu, ""
}
