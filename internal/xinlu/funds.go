package xinlu

import (
	"strings"
	"time"
)

// Funds in place (资金到位): each entry is a dated amount recorded by the
// agency task force or the leadership group on a signed project. A
// mistaken entry is corrected (new date, amount or note) or reversed
// (taken out of the funds in place), always with a reason kept on the
// project's timeline and in the audit log.

// FundsAction is a change to a recorded entry of funds in place.
type FundsAction string

const (
	FundsCorrect FundsAction = "correct" // 更正: new date, amount and note
	FundsReverse FundsAction = "reverse" // 冲销: the entry no longer counts
)

// MaxFundsReason bounds the reason of a correction or reversal, in characters.
const MaxFundsReason = 500

// CheckFunds checks an entry of funds in place as recorded or corrected:
// a date not after today and an amount above 0, up to MaxInvestmentYuan.
func CheckFunds(onDate string, yuan int64, today time.Time) error {
	d, err := ParseDate(onDate)
	if err != nil {
		return Invalid("date", "error.date_format")
	}
	if d.After(truncateDay(today)) {
		return Invalid("date", "projects.date_in_future")
	}
	return CheckInvestmentYuan("amount_yuan", yuan, true)
}

// CheckFundsChange decides whether u may correct or reverse an entry of
// funds in place, with reason, and returns the reason trimmed: the agency
// task force and the leadership group may, as they record funds; the
// reason is required.
func CheckFundsChange(u *User, action FundsAction, reason string) (string, error) {
	if action != FundsCorrect && action != FundsReverse {
		return "", NotFound("project.unknown_action")
	}
	if !u.Can(PermProjectAgency) && !u.Can(PermProjectPromote) {
		return "", Forbidden()
	}
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return "", Invalid("reason", "projects.funds_reason_required")
	case len([]rune(reason)) > MaxFundsReason:
		return "", Invalid("reason", "error.too_long", MaxFundsReason)
	}
	return reason, nil
}

// What becomes of the automatic reward proposed from an entry of funds in
// place when the entry is corrected or reversed (SettleFundsReward).
const (
	RewardRevised   = "revised"   // the proposal now rests on the corrected entry
	RewardUnchanged = "unchanged" // the correction leaves the proposal as it was
	RewardWithdrawn = "withdrawn" // the proposal is rejected with the reason
	RewardKept      = "kept"      // decided before: left as it is
)

// SettleFundsReward settles i, the reward proposed automatically from an
// entry of funds in place (Auto "funds:<id>"), when the entry is corrected
// or reversed by deciderID for reason. next is the reward the corrected
// entry gives (FundsReward with the zone's settings), nil when the entry
// is reversed or gives none.
//
//   - A reward already approved or rejected is kept: money approved is not
//     taken back behind the approver's back; the ledger records a penalty
//     if it is to be recovered.
//   - A proposal with no reward left is withdrawn: rejected, decided by
//     deciderID with the reason as its note.
//   - Otherwise the proposal takes the new amount and date.
//
// It returns the outcome and changes i accordingly.
func SettleFundsReward(i, next *Incentive, deciderID int64, reason string) string {
	switch {
	case i.Status != IncentiveProposed:
		return RewardKept
	case next == nil:
		i.Status, i.DecidedBy, i.DecisionNote = IncentiveRejected, deciderID, strings.TrimSpace(reason)
		return RewardWithdrawn
	case next.AmountYuan == i.AmountYuan && next.OccurredOn == i.OccurredOn:
		return RewardUnchanged
	}
	i.AmountYuan, i.OccurredOn = next.AmountYuan, next.OccurredOn
	return RewardRevised
}
