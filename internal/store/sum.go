package store

import (
	"strconv"

	"xinlu/internal/xinlu"
)

// sumYuan is an SQL aggregate that sums an amount column without ever
// failing: SQLite's SUM of integers raises "integer overflow" past int64,
// and PostgreSQL's SUM of bigint is a numeric that no int64 can hold. It
// sums in double precision (exact up to 2⁵³ yuan, about 9×10¹⁵: far above
// any real total), saturates at ±xinlu.MaxSumYuan and answers a BIGINT, the
// same on both engines; NULL over no rows, as SUM. Amounts within their
// bounds (xinlu.MaxInvestmentYuan) never come near; this is for what was
// written before the bounds existed, or around them.
func sumYuan(expr string) string {
	sum := "SUM(CAST(" + expr + " AS DOUBLE PRECISION))"
	bound := strconv.FormatInt(xinlu.MaxSumYuan, 10)
	return "CAST(CASE WHEN " + sum + " > " + bound + " THEN " + bound + " WHEN " + sum + " < -" + bound + " THEN -" + bound +
		" ELSE " + sum + " END AS BIGINT)"
}
