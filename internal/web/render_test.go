package web

import (
	"testing"
	"time"

	"xinlu/internal/i18n"
)

func TestEventDetail(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	p := cat.Printer("zh-CN")
	got := eventDetail(p, map[string]any{"from_stage": "packaging", "to_stage": "promotion", "total_yuan": 5.20005e+08, "member_id": 7.0, "outcome": "达成意向"})
	want := "原阶段：策划包装；洽谈结果：达成意向；新阶段：领导推进；总投资：5.20 亿元"
	if got != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	if got := formatWan(123456789); got != "12,345.68" {
		t.Fatalf("formatWan: %q", got)
	}
}

// TestMoney: one formatter for investment-size amounts in prose: 万元 below
// one 亿, then 亿元, two decimals, separators, in both languages.
func TestMoney(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	zh, en := cat.Printer("zh-CN"), cat.Printer("en")
	for _, c := range []struct {
		yuan   int64
		zh, en string
	}{
		{0, "0.00 万元", "0.00 ×10k yuan"},
		{486560, "48.66 万元", "48.66 ×10k yuan"},
		{99_994_999_999, "999.95 亿元", "999.95 ×100m yuan"},
		{99_999_999, "10,000.00 万元", "10,000.00 ×10k yuan"},
		{100_000_000, "1.00 亿元", "1.00 ×100m yuan"},
		{15_067_000_000, "150.67 亿元", "150.67 ×100m yuan"},
		{500_000_000, "5.00 亿元", "5.00 ×100m yuan"},
		{10_000_000_000_000, "100,000.00 亿元", "100,000.00 ×100m yuan"},
		{-123_456_789, "-1.23 亿元", "-1.23 ×100m yuan"},
	} {
		if got := formatMoney(zh, c.yuan); got != c.zh {
			t.Errorf("zh %d: %q, want %q", c.yuan, got, c.zh)
		}
		if got := formatMoney(en, c.yuan); got != c.en {
			t.Errorf("en %d: %q, want %q", c.yuan, got, c.en)
		}
	}
	if got := formatYuan(-41300); got != "-41,300" {
		t.Errorf("formatYuan: %q", got)
	}
}

// TestNextPeriodLabel: the new-period form proposes last month, or the
// first later month without a period.
func TestNextPeriodLabel(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		taken []string
		want  string
	}{
		{nil, "2026-11"},
		{[]string{"2026-11"}, "2026-12"},
		{[]string{"2026-11", "2026-12", "2027-01"}, "2027-02"},
		{[]string{"2026-10"}, "2026-11"},
	} {
		taken := map[string]bool{}
		for _, l := range c.taken {
			taken[l] = true
		}
		if got := nextPeriodLabel(now, taken); got != c.want {
			t.Errorf("taken %v: %q, want %q", c.taken, got, c.want)
		}
	}
}
