package xinlu

import (
	"strings"
	"testing"
	"time"
)

func TestCheckDisputeRaise(t *testing.T) {
	l := &Lead{ID: 1, ReporterID: 7, Status: LeadScreening}
	co := userWith(8, RoleMember)
	reason := "我在三月的展会上最早接触了该企业"
	codeOf := func(err error) Code { return ErrorCode(err) }

	if got, err := CheckDisputeRaise(co, l, DisputeStanding{CoReporter: true}, "  "+reason+"  "); err != nil || got != reason {
		t.Fatalf("a co-reporter raises: %q %v", got, err)
	}
	for name, tc := range map[string]struct {
		u    *User
		l    *Lead
		st   DisputeStanding
		in   string
		code Code
		key  string
	}{
		"stranger":       {userWith(9, RoleMember), l, DisputeStanding{}, reason, EFORBIDDEN, "leads.dispute_not_party"},
		"reporter":       {userWith(7, RoleMember), l, DisputeStanding{CoReporter: true}, reason, EFORBIDDEN, "leads.dispute_own_credit"},
		"no member":      {userWith(0, RoleScreener), l, DisputeStanding{CoReporter: true}, reason, EFORBIDDEN, "error.forbidden"},
		"cannot report":  {userWith(8, RoleAuditor), l, DisputeStanding{CoReporter: true}, reason, EFORBIDDEN, "error.forbidden"},
		"merged lead":    {co, &Lead{ID: 1, ReporterID: 7, Status: LeadMerged}, DisputeStanding{CoReporter: true}, reason, ECONFLICT, "leads.dispute_lead_state"},
		"open already":   {co, l, DisputeStanding{CoReporter: true, Previous: &LeadDispute{Status: DisputeOpen}}, reason, ECONFLICT, "leads.dispute_open_exists"},
		"decided":        {co, l, DisputeStanding{CoReporter: true, Previous: &LeadDispute{Status: DisputeRejected}}, reason, ECONFLICT, "leads.dispute_decided"},
		"lost credit":    {co, l, DisputeStanding{CoReporter: true, LostCredit: true}, reason, ECONFLICT, "leads.dispute_credit_decided"},
		"empty reason":   {co, l, DisputeStanding{CoReporter: true}, " ", EINVALID, "error.required"},
		"short reason":   {co, l, DisputeStanding{CoReporter: true}, "我先报的", EINVALID, "leads.dispute_reason_short"},
		"long reason":    {co, l, DisputeStanding{CoReporter: true}, strings.Repeat("长", MaxDisputeReason+1), EINVALID, "error.too_long"},
		"nil user":       {nil, l, DisputeStanding{CoReporter: true}, reason, EFORBIDDEN, "error.forbidden"},
		"exact shortest": {co, l, DisputeStanding{CoReporter: true}, strings.Repeat("字", MinDisputeReason), "", ""},
	} {
		_, err := CheckDisputeRaise(tc.u, tc.l, tc.st, tc.in)
		if codeOf(err) != tc.code || (err != nil && AsError(err).Key != tc.key) {
			t.Errorf("%s: %v, want %s %s", name, err, tc.code, tc.key)
		}
	}
}

func TestCheckDisputeDecision(t *testing.T) {
	today := time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC)
	l := &Lead{ID: 1, ReporterID: 7, Status: LeadAccepted}
	d := &LeadDispute{ID: 3, LeadID: 1, DisputantID: 8, Status: DisputeOpen, RaisedOn: "2026-05-10"}
	screener := userWith(2, RoleMember, RoleScreener)
	ok := func() *DisputeDecision {
		return &DisputeDecision{Action: DisputeUphold, Note: " 经核实，异议人最早接触企业 ", DecidingBody: " 甄别专班会议 ", DecidedOn: "2026-05-19"}
	}
	dec := ok()
	if st, err := CheckDisputeDecision(screener, l, d, dec, today); err != nil || st != DisputeUpheld || dec.Note != "经核实，异议人最早接触企业" || dec.DecidingBody != "甄别专班会议" {
		t.Fatalf("uphold: %s %v %+v", st, err, dec)
	}
	dec = ok()
	dec.Action = DisputeReject
	if st, err := CheckDisputeDecision(screener, l, d, dec, today); err != nil || st != DisputeRejected {
		t.Fatalf("reject: %s %v", st, err)
	}
	for name, tc := range map[string]struct {
		u    *User
		l    *Lead
		d    *LeadDispute
		edit func(*DisputeDecision)
		code Code
		key  string
	}{
		"unknown action":    {screener, l, d, func(x *DisputeDecision) { x.Action = "fly" }, ENOTFOUND, "leads.dispute_unknown_action"},
		"member":            {userWith(9, RoleMember), l, d, nil, EFORBIDDEN, "error.forbidden"},
		"disputant decides": {userWith(8, RoleMember, RoleScreener), l, d, nil, EFORBIDDEN, "leads.dispute_decider_party"},
		"reporter decides":  {userWith(7, RoleMember, RoleScreener), l, d, nil, EFORBIDDEN, "leads.dispute_decider_party"},
		"decided":           {screener, l, &LeadDispute{ID: 3, DisputantID: 8, Status: DisputeRejected}, nil, ECONFLICT, "leads.dispute_state"},
		"merged lead":       {screener, &Lead{ID: 1, ReporterID: 7, Status: LeadMerged}, d, nil, ECONFLICT, "leads.dispute_lead_state"},
		"no note":           {screener, l, d, func(x *DisputeDecision) { x.Note = " " }, EINVALID, "leads.dispute_note_required"},
		"no body":           {screener, l, d, func(x *DisputeDecision) { x.DecidingBody = "" }, EINVALID, "error.required"},
		"long body":         {screener, l, d, func(x *DisputeDecision) { x.DecidingBody = strings.Repeat("会", MaxDisputeBody+1) }, EINVALID, "error.too_long"},
		"no date":           {screener, l, d, func(x *DisputeDecision) { x.DecidedOn = "" }, EINVALID, "error.required"},
		"bad date":          {screener, l, d, func(x *DisputeDecision) { x.DecidedOn = "2026-13-01" }, EINVALID, "error.date_format"},
		"future":            {screener, l, d, func(x *DisputeDecision) { x.DecidedOn = "2026-05-21" }, EINVALID, "leads.dispute_decided_future"},
		"before raised":     {screener, l, d, func(x *DisputeDecision) { x.DecidedOn = "2026-05-09" }, EINVALID, "leads.dispute_decided_early"},
	} {
		dec := ok()
		if tc.edit != nil {
			tc.edit(dec)
		}
		_, err := CheckDisputeDecision(tc.u, tc.l, tc.d, dec, today)
		if e := AsError(err); err == nil || e.Code != tc.code || e.Key != tc.key {
			t.Errorf("%s: %v, want %s %s", name, err, tc.code, tc.key)
		}
	}
	// Rejecting is allowed on a merged lead: the credit does not move.
	dec = ok()
	dec.Action = DisputeReject
	if _, err := CheckDisputeDecision(screener, &Lead{ID: 1, ReporterID: 7, Status: LeadMerged}, d, dec, today); err != nil {
		t.Fatalf("reject on a merged lead: %v", err)
	}
	// A decision today is fine.
	dec = ok()
	dec.DecidedOn = "2026-05-20"
	if _, err := CheckDisputeDecision(screener, l, d, dec, today); err != nil {
		t.Fatalf("decided today: %v", err)
	}
}
