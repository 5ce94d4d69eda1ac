package xinlu

import (
	"strings"
	"unicode"
)

// Amounts that may not be known yet — a lead's intended investment, a
// plan's total and fixed-asset investment, expected output and tax — are
// *int64 yuan: nil is unknown (待定), never 0. Zero is a claim (nothing is
// invested); unknown is left out of every sum and rate and counted beside
// it instead.

// SumKnown adds the known amounts, saturating like AddYuan, and counts the
// unknown ones.
func SumKnown(amounts ...*int64) (sum int64, unknown int) {
	for _, a := range amounts {
		if a == nil {
			unknown++
			continue
		}
		sum = AddYuan(sum, *a)
	}
	return sum, unknown
}

// SameAmount reports whether two amounts that may be unknown are equal.
func SameAmount(a, b *int64) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// AmountPlaceholders are the words that stand for an amount not known yet
// in a ledger cell or a form field, compared case-insensitively after
// spaces are removed. An empty text is unknown too.
var AmountPlaceholders = []string{"待定", "未定", "面议", "不详", "暂无", "未知", "无", "空",
	"—", "——", "-", "--", "/", "\\", "tbd", "n/a", "na", "unknown"}

// AmountText is an amount as people write it, read by ParseAmountText.
type AmountText struct {
	// Unknown: empty or a placeholder (待定). Number is then "".
	Unknown bool
	// Number is the number left once approximation words and a range's
	// upper bound are taken off, with its unit if written ("5000",
	// "1.2亿", "3,000万"); the caller reads it in its own unit.
	Number string
	// Approx: the text is an approximation (约 5000, 5000左右, 5000+,
	// 5000余); Number is the figure it gives.
	Approx bool
	// Range: the text is a range (3000-5000, 3000~5000, 3000至5000);
	// Number is its lower bound.
	Range bool
}

var (
	approxPrefixes = []string{"大约", "大概", "约合", "约", "近", "预计", "估计", "超过", "逾"}
	approxSuffixes = []string{"左右", "上下", "以上", "余", "多", "+", "＋"}
	rangeSeps      = []string{"~", "～", "至", "到", "—", "–", "-"}
	amountUnits    = []string{"亿元", "万元", "亿", "万", "元"}
)

// ParseAmountText reads an amount as written in a ledger cell or a form
// field: empty or a placeholder (AmountPlaceholders) is unknown; an
// approximation keeps its number and says so; a range keeps its lower
// bound and says so; a number, with thousands separators, full-width digits
// and a unit (亿, 万, 元) if any, is returned as written. Anything else is
// an invalid error (key amount.not_a_number) naming the text.
func ParseAmountText(s string) (AmountText, error) {
	t := strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return -1
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == '，':
			return ','
		case r == '．':
			return '.'
		}
		return r
	}, s)
	if t == "" || isAmountPlaceholder(t) {
		return AmountText{Unknown: true}, nil
	}
	var out AmountText
	for changed := true; changed; {
		changed = false
		for _, p := range approxPrefixes {
			if rest, ok := strings.CutPrefix(t, p); ok && rest != "" {
				t, out.Approx, changed = rest, true, true
			}
		}
		for _, p := range approxSuffixes {
			if rest, ok := strings.CutSuffix(t, p); ok && rest != "" {
				t, out.Approx, changed = rest, true, true
			}
		}
	}
	for _, m := range []string{"余", "多"} { // 5000余万, 3多亿
		for _, u := range amountUnits {
			if i := strings.Index(t, m+u); i > 0 && strings.HasSuffix(t, m+u) {
				t, out.Approx = t[:i]+u, true
			}
		}
	}
	// A range: two numbers around a separator; "-5000" is not one.
	for _, sep := range rangeSeps {
		if i := strings.Index(t, sep); i > 0 {
			low, high := t[:i], t[i+len(sep):]
			if !amountNumber(low) || !amountNumber(high) {
				continue
			}
			if unitOf(low) == "" {
				low += unitOf(high) // 3000-5000万: the unit is written once
			}
			t, out.Range = low, true
			break
		}
	}
	if !amountNumber(t) && !(strings.HasPrefix(t, "-") && amountNumber(t[1:])) {
		return AmountText{}, &Error{Code: EINVALID, Key: "amount.not_a_number", Args: []any{strings.TrimSpace(s)}}
	}
	out.Number = t
	return out, nil
}

func isAmountPlaceholder(t string) bool {
	for _, p := range AmountPlaceholders {
		if strings.EqualFold(t, p) {
			return true
		}
	}
	return false
}

func unitOf(t string) string {
	for _, u := range amountUnits {
		if strings.HasSuffix(t, u) {
			return u
		}
	}
	return ""
}

// amountNumber reports whether t is digits (with thousands separators and
// a decimal point) optionally followed by a unit, or several such parts
// from larger to smaller units (1亿2000万), with a ¥ before it if any.
func amountNumber(t string) bool {
	t = strings.TrimPrefix(strings.TrimPrefix(t, "¥"), "￥")
	if t == "" {
		return false
	}
	for t != "" {
		n := 0
		dot := false
		for n < len(t) && (t[n] >= '0' && t[n] <= '9' || t[n] == ',' || t[n] == '.' && !dot) {
			if t[n] == '.' {
				dot = true
			}
			n++
		}
		if n == 0 || t[0] < '0' || t[0] > '9' {
			return false
		}
		t = t[n:]
		if t == "" {
			return true
		}
		u := unitPrefix(t)
		if u == "" {
			return false
		}
		t = t[len(u):]
	}
	return true
}

// unitPrefix is the unit t begins with, or "".
func unitPrefix(t string) string {
	for _, u := range amountUnits {
		if strings.HasPrefix(t, u) {
			return u
		}
	}
	return ""
}
