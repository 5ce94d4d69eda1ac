package xlsx

import (
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"xinlu/internal/xinlu"
)

// Parsing one cell of the ledger: text, amounts with their units and
// dates as people type them.

func isStageBreak(r rune) bool {
	return strings.ContainsRune(",，;；。、(（:：/", r)
}

// foldText is width-folded, lower-case text without spaces, punctuation or
// symbols.
func foldText(s string) string {
	return xinlu.NormalizeText(s)
}

func foldStage(s string) string {
	s = foldText(s)
	for changed := true; changed; {
		changed = false
		for _, suf := range []string{"阶段", "中", "状态", "项目"} {
			if len(s) > len(suf) && strings.HasSuffix(s, suf) {
				s, changed = strings.TrimSuffix(s, suf), true
			}
		}
		if len(s) > len("项目") && strings.HasPrefix(s, "项目") {
			s, changed = strings.TrimPrefix(s, "项目"), true
		}
	}
	return s
}

func foldIndustry(s string) string {
	_, s = headingLevel(s)
	s = foldText(s)
	for changed := true; changed; {
		changed = false
		for _, suf := range []string{"产业集群", "产业链", "产业", "行业", "项目", "领域", "板块", "类"} {
			if len(s) > len(suf) && strings.HasSuffix(s, suf) {
				s, changed = strings.TrimSuffix(s, suf), true
			}
		}
	}
	return s
}

var reNumeric = regexp.MustCompile(`^[-+]?[0-9][0-9,]*(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?%?$`)

func isNumeric(s string) bool {
	return reNumeric.MatchString(strings.TrimSpace(width.Narrow.String(s)))
}

// cleanCell tidies a text cell: control characters go, runs of spaces and
// line breaks become one space (line breaks stay in notes), and the quote
// SafeText puts before formula-like text on export is taken off again.
func cleanCell(s string, keepLines bool) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' && keepLines:
			return r
		case r == '\n' || r == '\r' || r == '\t' || r == '\u3000' || r == '\u00a0':
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	s = strings.TrimSpace(strings.Join(lines, "\n"))
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@", rune(s[1])) {
		s = s[1:]
	}
	return s
}

// short cuts a cell quoted in a message.
func short(s string) string {
	s = cleanCell(s, false)
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

func rawOr(r sheetRow, i int) string {
	if v := strings.TrimSpace(cell(r.raw, i)); v != "" {
		return v
	}
	return cell(r.text, i)
}

// placeholders stand for an empty cell in dates and amounts.
var placeholders = map[string]bool{"/": true, "-": true, "—": true, "——": true, "--": true, "\\": true, "无": true,
	"暂无": true, "待定": true, "未定": true, "空": true, "n/a": true, "na": true}

// readAmount reads an amount cell that may be unknown (xinlu.ParseAmountText):
// empty or a placeholder (待定, 面议, /) is nil; a number as parseAmount
// reads it; an approximation (约 5000, 5000左右, 5000+) or a range (3000-5000,
// its lower bound) gives its figure with a note saying so, which does not
// stop the import. msg, if not empty, is the problem; note and msg have one
// %s for the cell.
func readAmount(s string, unit int64) (yuan *int64, note, msg string) {
	at, err := xinlu.ParseAmountText(width.Narrow.String(s))
	switch {
	case err == nil && at.Unknown:
		return nil, "", ""
	case err != nil || !at.Approx && !at.Range:
		v, msg := parseAmount(s, unit) // its own messages, and numbers such as 1.2E+07
		if msg != "" {
			return nil, "", msg
		}
		return &v, "", ""
	}
	v, msg := parseAmount(at.Number, unit)
	if msg != "" {
		return nil, "", msg
	}
	figure := strings.ReplaceAll(at.Number, "%", "")
	if at.Range {
		return &v, "「%s」是范围，按下限 " + figure + " 导入", ""
	}
	return &v, "「%s」是约数，按 " + figure + " 导入", ""
}

// parseAmount reads an amount in the column's unit (yuan per unit) into
// whole yuan: numbers, "96,000", full-width digits, "1.2亿", "3000万",
// "1亿2000万", "500元". Decimals are exact; a fraction of a yuan is rounded
// half away from zero. An empty cell is 0. msg, if not empty, is the
// problem, with one %s for the cell.
func parseAmount(s string, unit int64) (int64, string) {
	s = width.Narrow.String(strings.TrimSpace(s))
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	if isPlaceholder(s) {
		return 0, ""
	}
	if len(s) > 64 {
		return 0, "金额无法识别「%s」"
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "¥"), "￥")
	negative := false
	switch {
	case strings.HasPrefix(s, "-"):
		negative, s = true, s[1:]
	case strings.HasPrefix(s, "−"):
		negative, s = true, strings.TrimPrefix(s, "−")
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	total := new(big.Rat)
	last := int64(0) // the unit of the previous part, for "1亿2000万"
	parts := 0
	for s != "" {
		m := reAmountPart.FindStringSubmatch(s)
		if m == nil {
			return 0, "金额无法识别「%s」"
		}
		intPart, frac, exp, suffix := m[1], m[2], m[3], m[4]
		if strings.Contains(intPart, ",") && !reGrouped.MatchString(intPart) {
			return 0, "金额无法识别「%s」"
		}
		if exp != "" {
			e, err := strconv.Atoi(exp[1:])
			if err != nil || e > 20 || e < -20 || suffix != "" || parts > 0 || len(m[0]) != len(s) {
				return 0, "金额无法识别「%s」"
			}
		}
		u := unit
		switch suffix {
		case "亿元", "亿":
			u = 100000000
		case "万元", "万":
			u = 10000
		case "元":
			u = 1
		case "":
			if parts > 0 || len(m[0]) != len(s) {
				return 0, "金额无法识别「%s」"
			}
		}
		if last != 0 && u >= last {
			return 0, "金额无法识别「%s」"
		}
		last = u
		v, ok := new(big.Rat).SetString(strings.ReplaceAll(intPart, ",", "") + frac + exp)
		if !ok {
			return 0, "金额无法识别「%s」"
		}
		total.Add(total, v.Mul(v, new(big.Rat).SetInt64(u)))
		s = s[len(m[0]):]
		parts++
	}
	if parts == 0 {
		return 0, "金额无法识别「%s」"
	}
	// Round to whole yuan, half away from zero (the total is not negative).
	q, rem := new(big.Int).QuoRem(total.Num(), total.Denom(), new(big.Int))
	if rem.Lsh(rem, 1).Cmp(total.Denom()) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if negative && q.Sign() != 0 {
		return 0, "金额不能为负数「%s」"
	}
	if !q.IsInt64() || q.Int64() > maxLedgerYuan {
		return 0, "金额过大「%s」"
	}
	return q.Int64(), ""
}

// maxLedgerYuan is ten thousand 亿 (a trillion yuan): more is a typing error.
const maxLedgerYuan = 1_000_000_000_000

var (
	reAmountPart = regexp.MustCompile(`^([0-9][0-9,]{0,29})(\.[0-9]{1,20})?([eE][-+]?[0-9]{1,3})?(亿元|亿|万元|万|元)?`)
	reGrouped    = regexp.MustCompile(`^[0-9]{1,3}(,[0-9]{3})+$`)
)

var (
	reMonthOnly = regexp.MustCompile(`^[0-9]{4}\s*[年.\-/]\s*[0-9]{1,2}\s*月?$`)
	reSpaces    = regexp.MustCompile(`\s+`)
)

// Dates outside these years are typing errors.
const ledgerMinYear, ledgerMaxYear = 1950, 2100

// parseLedgerDate reads a date cell into YYYY-MM-DD: a real date cell (its
// raw value is Excel's serial day), 20260518, or text in any form ParseDate
// reads, with full-width digits and spaces allowed. An empty cell or a
// placeholder ("/", "待定") is "". msg, if not empty, is the problem, with
// one %s for the cell.
func parseLedgerDate(text, raw string, date1904 bool) (string, string) {
	t := strings.TrimSpace(width.Narrow.String(text))
	raw = strings.TrimSpace(width.Narrow.String(raw))
	if raw == "" {
		raw = t
	}
	if isPlaceholder(t) && isPlaceholder(raw) {
		return "", ""
	}
	inRange := func(d time.Time) bool { return d.Year() >= ledgerMinYear && d.Year() <= ledgerMaxYear }
	// A real date cell (a serial day), or a number typed as 20260518.
	if reNumeric.MatchString(raw) && !strings.ContainsAny(raw, ",%") {
		if len(raw) == 8 && strings.Trim(raw, "0123456789") == "" {
			if d, err := time.Parse("20060102", raw); err == nil && inRange(d) {
				return d.Format(xinlu.DateLayout), ""
			}
		}
		serial, err := strconv.ParseFloat(raw, 64)
		if err == nil && serial >= serialOf(ledgerMinYear, date1904) && serial < serialOf(ledgerMaxYear+1, date1904) {
			if d, err := excelize.ExcelDateToTime(serial, date1904); err == nil && inRange(d) {
				return d.Format(xinlu.DateLayout), ""
			}
		}
	}
	for _, s := range []string{t, raw} {
		if strings.ContainsAny(s, "年月日号") {
			s = strings.ReplaceAll(reSpaces.ReplaceAllString(s, ""), "号", "日")
		}
		if d, ok := ParseDate(s); ok {
			if !inRange(d) {
				return "", "日期超出范围「%s」"
			}
			return d.Format(xinlu.DateLayout), ""
		}
	}
	if reMonthOnly.MatchString(t) {
		return "", "请填写到具体日期「%s」，如 2026年5月18日"
	}
	return "", "日期无法识别「%s」，请填写如 2026-05-18 或 2026年5月18日"
}

func isPlaceholder(s string) bool {
	return s == "" || placeholders[strings.ToLower(s)]
}

// serialOf is Excel's serial day of 1 January of a year.
func serialOf(year int, date1904 bool) float64 {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Sub(base).Hours() / 24
}
