package web

import (
	"testing"

	"xinlu/internal/i18n"
)

func TestEventDetail(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	p := cat.Printer("zh-CN")
	got := eventDetail(p, map[string]any{"from_stage": "packaging", "to_stage": "promotion", "total_yuan": 5.20005e+08, "member_id": 7.0, "outcome": "达成意向"})
	want := "原阶段：策划包装；洽谈结果：达成意向；新阶段：领导推进；总投资：52,000.50 万元"
	if got != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	if got := formatWan(123456789); got != "12,345.68" {
		t.Fatalf("formatWan: %q", got)
	}
}
