package xinlu

// Bounds of amounts, in yuan. An amount above its bound is a typing error
// (a unit mistaken, digits repeated), never a real figure; the bounds also
// keep every sum the store and the pages make far from int64's limits.
const (
	// MaxInvestmentYuan bounds the amounts of investment size: a lead's
	// intended investment; a plan's total and fixed-asset investment,
	// expected annual output and tax; a contracted amount (and so the
	// instalments of its funds schedule, which may not exceed it); an entry
	// of funds in place. 10¹³ yuan: 10 万亿元, 10⁹ 万元.
	MaxInvestmentYuan int64 = 10_000_000_000_000
	// MaxPayYuan bounds the amounts of pay size: an incentive's amount
	// (reward or penalty, automatic proposals included) and a period's
	// performance pay pool. 10⁸ yuan: 1 亿元.
	MaxPayYuan int64 = 100_000_000
	// MaxBasePayYuan bounds a member's base performance pay.
	MaxBasePayYuan int64 = 1_000_000
	// MaxSumYuan is where sums of amounts stop growing (saturate), in the
	// database and here: ten thousand amounts at MaxInvestmentYuan, beyond
	// any real total, while ten times it still fits an int64 (rates compare
	// Num×10 with Den×9). A sum at this value means data wrote around the
	// bounds (before they existed, or directly into the database).
	MaxSumYuan int64 = 100_000_000_000_000_000
)

// CheckInvestmentYuan checks an amount of investment size entered in field:
// 0 to MaxInvestmentYuan, above 0 when positive ("须大于 0"). A number out
// of the range says so stating the range, a negative one too.
func CheckInvestmentYuan(field string, yuan int64, positive bool) error {
	switch {
	case positive && yuan <= 0:
		return Invalid(field, "project.amount_positive")
	case yuan < 0 || yuan > MaxInvestmentYuan: // the message states the range
		return Invalid(field, "amount.investment_range")
	}
	return nil
}

// CheckPayYuan checks an amount of pay size entered in field: 0 to
// MaxPayYuan.
func CheckPayYuan(field string, yuan int64) error {
	switch {
	case yuan < 0:
		return Invalid(field, "project.amount_negative")
	case yuan > MaxPayYuan:
		return Invalid(field, "amount.pay_range")
	}
	return nil
}

// ClampSum brings a sum of amounts into [−MaxSumYuan, MaxSumYuan].
func ClampSum(yuan int64) int64 { return min(max(yuan, -MaxSumYuan), MaxSumYuan) }

// AddYuan adds two amounts or sums, saturating at ±MaxSumYuan: whatever the
// database holds, a total never wraps around.
func AddYuan(a, b int64) int64 { return ClampSum(ClampSum(a) + ClampSum(b)) }
