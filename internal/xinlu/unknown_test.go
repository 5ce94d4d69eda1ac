package xinlu

import (
	"errors"
	"testing"
)

func TestParseAmountText(t *testing.T) {
	for _, c := range []struct {
		in   string
		want AmountText
		bad  bool
	}{
		{"", AmountText{Unknown: true}, false},
		{"  ", AmountText{Unknown: true}, false},
		{"待定", AmountText{Unknown: true}, false},
		{" 未定 ", AmountText{Unknown: true}, false},
		{"面议", AmountText{Unknown: true}, false},
		{"不详", AmountText{Unknown: true}, false},
		{"暂无", AmountText{Unknown: true}, false},
		{"未知", AmountText{Unknown: true}, false},
		{"—", AmountText{Unknown: true}, false},
		{"-", AmountText{Unknown: true}, false},
		{"/", AmountText{Unknown: true}, false},
		{"TBD", AmountText{Unknown: true}, false},
		{"tbd", AmountText{Unknown: true}, false},
		{"unknown", AmountText{Unknown: true}, false},
		{"5000", AmountText{Number: "5000"}, false},
		{"5,000.5", AmountText{Number: "5,000.5"}, false},
		{"５０００", AmountText{Number: "5000"}, false},
		{"1.2亿", AmountText{Number: "1.2亿"}, false},
		{"1亿2000万", AmountText{Number: "1亿2000万"}, false},
		{"-5000", AmountText{Number: "-5000"}, false},
		{"约 5000", AmountText{Number: "5000", Approx: true}, false},
		{"约5000万元", AmountText{Number: "5000万元", Approx: true}, false},
		{"5000左右", AmountText{Number: "5000", Approx: true}, false},
		{"大约5000万左右", AmountText{Number: "5000万", Approx: true}, false},
		{"5000+", AmountText{Number: "5000", Approx: true}, false},
		{"5000余", AmountText{Number: "5000", Approx: true}, false},
		{"5000多万", AmountText{Number: "5000万", Approx: true}, false},
		{"5000余万元", AmountText{Number: "5000万元", Approx: true}, false},
		{"3000-5000", AmountText{Number: "3000", Range: true}, false},
		{"3000～5000", AmountText{Number: "3000", Range: true}, false},
		{"3000至5000万", AmountText{Number: "3000万", Range: true}, false},
		{"约3000-5000", AmountText{Number: "3000", Approx: true, Range: true}, false},
		{"五千万", AmountText{}, true},
		{"abc", AmountText{}, true},
		{"约", AmountText{}, true},
		{"5000美元", AmountText{}, true},
		{"1.2.3", AmountText{}, true},
	} {
		got, err := ParseAmountText(c.in)
		if c.bad {
			var e *Error
			if !errors.As(err, &e) || e.Key != "amount.not_a_number" || len(e.Args) != 1 || e.Args[0] != c.in {
				t.Errorf("ParseAmountText(%q) = %+v, %v; want an error naming the text", c.in, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseAmountText(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
}

func TestSumKnown(t *testing.T) {
	sum, unknown := SumKnown(new(int64(5)), nil, new(int64(0)), new(int64(7)), nil)
	if sum != 12 || unknown != 2 {
		t.Fatalf("SumKnown = %d, %d; want 12, 2", sum, unknown)
	}
	if sum, unknown := SumKnown(); sum != 0 || unknown != 0 {
		t.Fatalf("SumKnown() = %d, %d", sum, unknown)
	}
	if !SameAmount(nil, nil) || SameAmount(nil, new(int64(0))) || !SameAmount(new(int64(3)), new(int64(3))) {
		t.Fatal("SameAmount")
	}
}

// TestUnknownAmountsInPlansAndLeads: a draft or a lead may leave amounts
// unknown; a plan submitted to the leadership group needs a known total.
func TestUnknownAmountsInPlansAndLeads(t *testing.T) {
	p := Plan{Content: "年产 5 万台减速机", TotalYuan: new(int64(6e8))}
	if err := p.Validate(); err != nil {
		t.Fatalf("known total, other amounts unknown: %v", err)
	}
	if err := p.CheckAmounts(); err != nil {
		t.Fatal(err)
	}
	p.TotalYuan = nil
	if err := p.CheckAmounts(); err != nil {
		t.Fatalf("a draft may leave the total unknown: %v", err)
	}
	if e := AsError(p.Validate()); e == nil || e.Field != "total_yuan" || e.Key != "project.total_unknown" {
		t.Fatalf("submitted with an unknown total: %v", e)
	}
	p.TotalYuan = new(int64(0))
	if e := AsError(p.Validate()); e == nil || e.Key != "project.amount_positive" {
		t.Fatalf("submitted with a total of 0: %v", e)
	}
	l := Lead{Company: "太原重工", ProjectName: "新材料", Industry: Industries[0]}
	if err := l.Validate(); err != nil || l.InvestmentYuan != nil {
		t.Fatalf("lead with an unknown investment: %v %v", err, l.InvestmentYuan)
	}
}
