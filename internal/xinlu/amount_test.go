package xinlu

import (
	"errors"
	"math"
	"testing"
	"time"
)

// wantAmountError checks err is an invalid-input error on field with key.
func wantAmountError(t *testing.T, name string, err error, field, key string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != EINVALID || e.Field != field || e.Key != key {
		t.Errorf("%s: got %v, want invalid %s %s", name, err, field, key)
	}
}

// TestEveryAmountHasABound: each amount a person or a client enters is
// refused above its bound, on the field it was entered in, with a message
// that states the range; at the bound it is accepted.
func TestEveryAmountHasABound(t *testing.T) {
	const huge = 9_000_000_000_000_000_000 // the probe's funds entry
	today := time.Date(2026, 9, 28, 0, 0, 0, 0, time.UTC)

	lead := func(yuan int64) *Lead {
		return &Lead{Company: "太原重工", ProjectName: "新材料", Industry: Industries[0], InvestmentYuan: &yuan}
	}
	if err := lead(MaxInvestmentYuan).Validate(); err != nil {
		t.Errorf("lead at the bound: %v", err)
	}
	wantAmountError(t, "lead", lead(MaxInvestmentYuan+1).Validate(), "investment", "lead.investment_range")

	plan := func(change func(*Plan)) *Plan {
		p := &Plan{Content: "年产 10 万吨铝材", TotalYuan: new(MaxInvestmentYuan), FixedAssetYuan: new(MaxInvestmentYuan),
			OutputYuan: new(MaxInvestmentYuan), TaxYuan: new(MaxInvestmentYuan)}
		if change != nil {
			change(p)
		}
		return p
	}
	if err := plan(nil).Validate(); err != nil {
		t.Errorf("plan at the bounds: %v", err)
	}
	for _, tc := range []struct {
		field  string
		change func(*Plan)
	}{
		{"total_yuan", func(p *Plan) { p.TotalYuan, p.FixedAssetYuan = new(int64(huge)), new(int64(0)) }},
		{"output_yuan", func(p *Plan) { p.OutputYuan = new(MaxInvestmentYuan + 1) }},
		{"tax_yuan", func(p *Plan) { p.TaxYuan = new(int64(huge)) }},
	} {
		wantAmountError(t, "plan "+tc.field, plan(tc.change).Validate(), tc.field, "amount.investment_range")
		wantAmountError(t, "imported plan "+tc.field, plan(tc.change).CheckAmounts(), tc.field, "amount.investment_range")
	}
	// A fixed-asset investment above the total keeps its own message.
	wantAmountError(t, "fixed assets", plan(func(p *Plan) { p.TotalYuan = new(int64(1)) }).Validate(), "fixed_asset_yuan", "project.fixed_asset_range")

	signing := func(contract int64) *Signing {
		return &Signing{SignedOn: "2026-09-28", ContractYuan: contract, PromisedStart: "2026-12-01", PromisedProduce: "2027-12-01",
			Instalments: []Instalment{{DueOn: "2026-12-31", Yuan: min(contract, MaxInvestmentYuan)}}}
	}
	if err := signing(MaxInvestmentYuan).Validate(today); err != nil {
		t.Errorf("signing at the bound: %v", err)
	}
	wantAmountError(t, "contract", signing(huge).Validate(today), "contract_yuan", "amount.investment_range")
	// An instalment is bounded by the contracted amount, and so by the bound.
	s := signing(MaxInvestmentYuan)
	s.Instalments[0].Yuan = MaxInvestmentYuan + 1
	wantAmountError(t, "instalment", s.Validate(today), "funds_schedule_items[0].amount_yuan", "project.schedule_over_contract")

	if err := CheckFunds("2026-09-28", MaxInvestmentYuan, today); err != nil {
		t.Errorf("funds at the bound: %v", err)
	}
	wantAmountError(t, "funds huge", CheckFunds("2026-09-28", huge, today), "amount_yuan", "amount.investment_range")
	wantAmountError(t, "funds 9×10¹⁷", CheckFunds("2026-09-28", 900_000_000_000_000_000, today), "amount_yuan", "amount.investment_range")
	wantAmountError(t, "funds zero", CheckFunds("2026-09-28", 0, today), "amount_yuan", "project.amount_positive")
	wantAmountError(t, "funds tomorrow", CheckFunds("2026-09-29", 1, today), "date", "projects.date_in_future")
	wantAmountError(t, "funds date", CheckFunds("28/09/2026", 1, today), "date", "error.date_format")

	reward := func(yuan int64) *Incentive {
		return &Incentive{MemberID: 1, Kind: IncentiveReward, AmountYuan: yuan, Reason: "签约", EvidenceType: EvidenceEvent,
			EvidenceText: "签约", OccurredOn: "2026-09-28"}
	}
	if err := reward(MaxPayYuan).Validate(); err != nil {
		t.Errorf("reward at the bound: %v", err)
	}
	wantAmountError(t, "incentive", reward(math.MaxInt64).Validate(), "amount_yuan", "amount.pay_range")
	penalty := reward(MaxPayYuan + 1)
	penalty.Kind = IncentivePenalty
	wantAmountError(t, "penalty", penalty.Validate(), "amount_yuan", "amount.pay_range")

	period := func(pool int64) *Period {
		return &Period{Kind: PeriodMonth, Label: "2026-09", Rule: DefaultDistributionRule(), Coefficients: DefaultCoefficients(), PoolYuan: pool}
	}
	if err := period(MaxPayYuan).Validate(); err != nil {
		t.Errorf("pool at the bound: %v", err)
	}
	wantAmountError(t, "pool", period(MaxPayYuan+1).Validate(), "pool_yuan", "amount.pay_range")
	wantAmountError(t, "negative pool", period(-1).Validate(), "pool_yuan", "project.amount_negative")
	wantAmountError(t, "pay", CheckPayYuan("pool_yuan", math.MaxInt64), "pool_yuan", "amount.pay_range")
}

// TestFundsRewardIsBounded: the automatic reward on funds in place never
// exceeds the bound of a reward, and never overflows, whatever the entry.
func TestFundsRewardIsBounded(t *testing.T) {
	for _, tc := range []struct {
		funds, perMille, want int64
	}{
		{1_000_000, 1, 1_000},
		{1_500, 1, 2}, // 1.5 rounds up
		{MaxInvestmentYuan, 1, MaxPayYuan},
		{900_000_000_000_000_000, 1, MaxPayYuan}, // the probe: was 9×10¹⁴
		{9_000_000_000_000_000_000, 1, MaxPayYuan},
		{math.MaxInt64, 1000, MaxPayYuan},
	} {
		i := FundsReward(1, 2, 3, tc.funds, tc.perMille, "2026-09-28")
		if i == nil || i.AmountYuan != tc.want {
			t.Errorf("FundsReward(%d, %d‰) = %+v, want %d", tc.funds, tc.perMille, i, tc.want)
			continue
		}
		if err := i.Validate(); err != nil {
			t.Errorf("FundsReward(%d, %d‰) does not validate: %v", tc.funds, tc.perMille, err)
		}
	}
}

// TestSumsSaturate: sums of amounts stop at MaxSumYuan instead of wrapping
// around, so that figures read from a database holding out-of-bound
// amounts stay positive and rates keep their colour.
func TestSumsSaturate(t *testing.T) {
	if got := AddYuan(math.MaxInt64, math.MaxInt64); got != MaxSumYuan {
		t.Errorf("AddYuan max: %d", got)
	}
	if got := AddYuan(math.MinInt64, -1); got != -MaxSumYuan {
		t.Errorf("AddYuan min: %d", got)
	}
	if got := AddYuan(1_000, 2_000); got != 3_000 {
		t.Errorf("AddYuan: %d", got)
	}
	if MaxSumYuan > math.MaxInt64/10 {
		t.Errorf("MaxSumYuan %d: ten times it overflows", MaxSumYuan)
	}

	// Two funds entries of 9×10¹⁸ and 9×10¹⁷ summed by the database as
	// MaxSumYuan: the project performs, its funds rate is green.
	c := Commitment{Status: ProjectActive, Stage: StageAgency, SignedOn: "2026-01-05", ContractYuan: 1_000_000_000,
		FundsYuan: MaxSumYuan, PromisedStart: "2026-03-01", PromisedProduce: "2027-01-01",
		Instalments: []Instalment{{DueOn: "2026-02-01", Yuan: math.MaxInt64}, {DueOn: "2026-02-01", Yuan: math.MaxInt64}}}
	asOf := time.Date(2026, 9, 28, 0, 0, 0, 0, time.UTC)
	p := Perform(c, asOf)
	if p.Funds.Num != MaxSumYuan || p.Funds.Tone() != "green" || !p.FundsOnTrack {
		t.Errorf("perform: %+v", p.Funds)
	}
	if p.Schedule.DueYuan != MaxSumYuan || p.Schedule.ScheduledYuan != MaxSumYuan || p.Schedule.ShortfallYuan != 0 {
		t.Errorf("schedule: due %d scheduled %d shortfall %d", p.Schedule.DueYuan, p.Schedule.ScheduledYuan, p.Schedule.ShortfallYuan)
	}
	var s PerformanceSummary
	for range 3 {
		s.Add(p)
	}
	if s.FundsYuan != MaxSumYuan || s.ScheduleDue != MaxSumYuan || s.FundsRate().Tone() != "green" {
		t.Errorf("summary: %+v", s)
	}
}
