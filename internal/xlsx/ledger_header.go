package xlsx

import (
	"regexp"
	"strings"
)

// Finding the ledger's header: the row (or two rows) whose text names the
// required columns, with units, variants and the user's mapping.

// ledgerHeader is where the header is and what it maps.
type ledgerHeader struct {
	firstN, lastN int // Excel row numbers: one row, or two for a two-level header
	idx           map[string]int
}

// findLedgerHeader finds the first row naming the required columns, alone
// or with the row under it (a two-level header such as 投资额 over 总投资 |
// 其中：固定资产投资). It returns the most fields any row matched when none does.
func findLedgerHeader(rows []sheetRow, opts LedgerOptions) (*ledgerHeader, int, map[string]int) {
	best, bestIdx := -1, map[string]int(nil)
	for i, r := range rows {
		idx := matchLedgerColumns(r.text, ledgerMapping(r.text, opts))
		var two map[string]int
		// Only a header-like row has a second level under it; a title row
		// over the header does not.
		if len(idx) >= 2 && i+1 < len(rows) && rows[i+1].n == r.n+1 {
			both := combineHeader(r.text, rows[i+1].text)
			two = matchLedgerColumns(both, ledgerMapping(both, opts))
			if !widens(two, idx) {
				two = nil
			}
		}
		switch {
		case two != nil && hasAll(two, ledgerRequired):
			return &ledgerHeader{firstN: r.n, lastN: rows[i+1].n, idx: two}, len(two), two
		case hasAll(idx, ledgerRequired):
			return &ledgerHeader{firstN: r.n, lastN: r.n, idx: idx}, len(idx), idx
		}
		for _, m := range []map[string]int{idx, two} {
			if len(m) > best {
				best, bestIdx = len(m), m
			}
		}
	}
	return nil, best, bestIdx
}

// widens reports whether b matches more fields than a, keeping all of a's.
func widens(b, a map[string]int) bool {
	if len(b) <= len(a) {
		return false
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			return false
		}
	}
	return true
}

func hasAll(idx map[string]int, fields []string) bool {
	for _, f := range fields {
		if _, ok := idx[f]; !ok {
			return false
		}
	}
	return true
}

// combineHeader joins a two-level header: the lower cell where it has
// text, else the upper one; the lower inherits the upper's unit.
func combineHeader(upper, lower []string) []string {
	n := max(len(upper), len(lower))
	out := make([]string, n)
	for i := range out {
		u, l := strings.TrimSpace(cell(upper, i)), strings.TrimSpace(cell(lower, i))
		switch {
		case l == "":
			out[i] = u
		case headerUnit(l) == "" && headerUnit(u) != "":
			out[i] = l + "（" + headerUnit(u) + "）"
		default:
			out[i] = l
		}
	}
	return out
}

var (
	reHeaderUnit    = regexp.MustCompile(`[(（]\s*(?:单位\s*[:：]\s*)?(亿元|万元|元|亿|万)\s*[)）]`)
	reHeaderSlash   = regexp.MustCompile(`\s*[/／]\s*(亿元|万元|元)\s*$`)
	reHeaderUnitPre = regexp.MustCompile(`单位\s*[:：]\s*(亿元|万元|元)`)
	reSheetUnit     = regexp.MustCompile(`单位\s*[:：]\s*(亿元|万元|元)`)
)

// headerUnit is the unit a header states: "总投资（万元）" → 万元.
func headerUnit(h string) string {
	for _, re := range []*regexp.Regexp{reHeaderUnit, reHeaderSlash, reHeaderUnitPre} {
		if m := re.FindStringSubmatch(h); m != nil {
			switch m[1] {
			case "亿":
				return "亿元"
			case "万":
				return "万元"
			}
			return m[1]
		}
	}
	return ""
}

// ledgerVariants are ledgerColumns after NormalizeHeader: variant → field.
var ledgerVariants = map[string]string{}

func init() {
	for field, variants := range ledgerColumns {
		for _, v := range variants {
			ledgerVariants[NormalizeHeader(v)] = field
		}
	}
}

// matchLedgerColumns is MatchColumns(header, ledgerColumns) under a
// mapping (mapHeader), with each cell normalised once (NormalizeHeader
// builds a replacer on every call), and "总投资/万元" and "总投资 单位：万元"
// losing their unit like "总投资（万元）".
func matchLedgerColumns(header []string, m Mapping) map[string]int {
	return mapHeader(header, m, foldLedgerHeader, ledgerVariants)
}

func foldLedgerHeader(h string) string {
	return NormalizeHeader(reHeaderUnitPre.ReplaceAllString(reHeaderSlash.ReplaceAllString(h, ""), ""))
}

// ledgerMapping is the mapping a header row is read with: the user's own,
// else the one remembered for its layout, else none.
func ledgerMapping(header []string, opts LedgerOptions) Mapping {
	if opts.Mapping != nil {
		return opts.Mapping
	}
	if len(opts.Remembered) > 0 {
		return opts.Remembered[LayoutKey(header)]
	}
	return nil
}

// headerLabel is a header cell as messages name it: one line, no unit.
func headerLabel(h string) string {
	return strings.Join(strings.Fields(h), "")
}
