package xinlu

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// Claim 1 is member 30's (user 20), filed by their department head, user 21.
var (
	tolClaimant  = &User{ID: 20, MemberID: 30, ZoneID: 1, DepartmentID: 4, Roles: []Role{RoleMember}}
	tolHead      = &User{ID: 21, MemberID: 31, ZoneID: 1, DepartmentID: 4, Roles: []Role{RoleMember, RoleHead}}
	tolOfficer   = &User{ID: 5, MemberID: 9, ZoneID: 1, DepartmentID: 3, Roles: []Role{RoleMember, RoleDiscipline}}
	tolColleague = &User{ID: 23, MemberID: 33, ZoneID: 1, DepartmentID: 4, Roles: []Role{RoleMember}}
	tolDirector  = &User{ID: 2, MemberID: 2, ZoneID: 1, DepartmentID: 1, Roles: []Role{RoleMember, RoleDirector}}
	// Officers who are themselves the claimant or the filer.
	tolOfficerClaimant = &User{ID: 20, MemberID: 30, ZoneID: 1, DepartmentID: 4, Roles: []Role{RoleMember, RoleDiscipline}}
	tolOfficerFiler    = &User{ID: 21, MemberID: 31, ZoneID: 1, DepartmentID: 4, Roles: []Role{RoleHead, RoleDiscipline}}
)

var tolToday = time.Date(2026, 6, 15, 15, 30, 0, 0, time.UTC)

func tolClaim(status ClaimStatus, decision ClaimDecision, appealed bool) *ToleranceClaim {
	return &ToleranceClaim{ID: 1, ZoneID: 1, MemberID: 30, FiledBy: 21, IncentiveID: 7, Distinction: "exploration",
		Status: status, Decision: decision, Appealed: appealed}
}

func TestClaimSteps(t *testing.T) {
	decide := ClaimInput{Decision: ClaimReduced, DecidingBody: " 党工委会议 ", MeetingOn: "2026-06-15"}
	withDecision := func(d ClaimDecision) ClaimInput { in := decide; in.Decision = d; return in }
	for _, tc := range []struct {
		name     string
		u        *User
		status   ClaimStatus
		decision ClaimDecision
		appealed bool
		action   ClaimAction
		in       ClaimInput
		want     ClaimStatus
		code     Code
		key      string
	}{
		{"officer accepts", tolOfficer, ClaimSubmitted, "", false, ClaimAccept, ClaimInput{}, ClaimAccepted, "", ""},
		{"accept with a note", tolOfficer, ClaimSubmitted, "", false, ClaimAccept, ClaimInput{Note: "材料齐全"}, ClaimAccepted, "", ""},
		{"negative list hit rejects", tolOfficer, ClaimSubmitted, "", false, ClaimAccept, ClaimInput{NegativeHits: []string{"personal_gain"}}, ClaimNotAccepted, "", ""},
		{"two hits", tolOfficer, ClaimSubmitted, "", false, ClaimAccept, ClaimInput{NegativeHits: []string{"fabrication", "criminal"}}, ClaimNotAccepted, "", ""},
		{"unknown hit", tolOfficer, ClaimSubmitted, "", false, ClaimAccept, ClaimInput{NegativeHits: []string{"bad_luck"}}, "", EINVALID, "error.invalid_choice"},
		{"accept twice", tolOfficer, ClaimAccepted, "", false, ClaimAccept, ClaimInput{}, "", ECONFLICT, "tolerance.status_not_allowed"},
		{"claimant cannot accept", tolClaimant, ClaimSubmitted, "", false, ClaimAccept, ClaimInput{}, "", EFORBIDDEN, "error.forbidden"},
		{"head cannot accept", tolHead, ClaimSubmitted, "", false, ClaimAccept, ClaimInput{}, "", EFORBIDDEN, "error.forbidden"},
		{"director cannot accept", tolDirector, ClaimSubmitted, "", false, ClaimAccept, ClaimInput{}, "", EFORBIDDEN, "error.forbidden"},
		{"officer never handles own claim", tolOfficerClaimant, ClaimSubmitted, "", false, ClaimAccept, ClaimInput{}, "", EFORBIDDEN, "tolerance.own_claim"},
		{"filer never handles", tolOfficerFiler, ClaimSubmitted, "", false, ClaimAccept, ClaimInput{}, "", EFORBIDDEN, "tolerance.own_claim"},

		{"not-accept needs a note", tolOfficer, ClaimSubmitted, "", false, ClaimNotAccept, ClaimInput{Note: "  "}, "", EINVALID, "error.required"},
		{"not-accept", tolOfficer, ClaimSubmitted, "", false, ClaimNotAccept, ClaimInput{Note: "不属于容错范围"}, ClaimNotAccepted, "", ""},
		{"not-accept note too long", tolOfficer, ClaimSubmitted, "", false, ClaimNotAccept, ClaimInput{Note: strings.Repeat("字", 2001)}, "", EINVALID, "error.too_long"},
		{"not-accept after acceptance", tolOfficer, ClaimAccepted, "", false, ClaimNotAccept, ClaimInput{Note: "不属于容错范围"}, "", ECONFLICT, "tolerance.status_not_allowed"},
		{"filer cannot not-accept", tolOfficerFiler, ClaimSubmitted, "", false, ClaimNotAccept, ClaimInput{Note: "x"}, "", EFORBIDDEN, "tolerance.own_claim"},

		{"investigate", tolOfficer, ClaimAccepted, "", false, ClaimInvestigate, ClaimInput{}, ClaimInvestigating, "", ""},
		{"recheck an appeal", tolOfficer, ClaimAppealed, ClaimReduced, true, ClaimInvestigate, ClaimInput{}, ClaimInvestigating, "", ""},
		{"investigate unaccepted", tolOfficer, ClaimSubmitted, "", false, ClaimInvestigate, ClaimInput{}, "", ECONFLICT, "tolerance.status_not_allowed"},
		{"investigate refused claim", tolOfficer, ClaimNotAccepted, "", false, ClaimInvestigate, ClaimInput{}, "", ECONFLICT, "tolerance.status_not_allowed"},
		{"claimant cannot investigate", tolOfficerClaimant, ClaimAccepted, "", false, ClaimInvestigate, ClaimInput{}, "", EFORBIDDEN, "tolerance.own_claim"},

		{"decide", tolOfficer, ClaimInvestigating, "", false, ClaimDecide, decide, ClaimDecided, "", ""},
		{"decide exempt", tolOfficer, ClaimInvestigating, "", false, ClaimDecide, withDecision(ClaimExempt), ClaimDecided, "", ""},
		{"decide not tolerated", tolOfficer, ClaimInvestigating, "", false, ClaimDecide, withDecision(ClaimNotTolerated), ClaimDecided, "", ""},
		{"decide a meeting in the past", tolOfficer, ClaimInvestigating, "", false, ClaimDecide, ClaimInput{Decision: ClaimExempt, DecidingBody: "党工委会议", MeetingOn: "2026-05-30"}, ClaimDecided, "", ""},
		{"decision required", tolOfficer, ClaimInvestigating, "", false, ClaimDecide, withDecision(""), "", EINVALID, "error.required"},
		{"decision unknown", tolOfficer, ClaimInvestigating, "", false, ClaimDecide, withDecision("pardon"), "", EINVALID, "error.invalid_choice"},
		{"deciding body required", tolOfficer, ClaimInvestigating, "", false, ClaimDecide, ClaimInput{Decision: ClaimExempt, DecidingBody: " ", MeetingOn: "2026-06-01"}, "", EINVALID, "error.required"},
		{"deciding body too long", tolOfficer, ClaimInvestigating, "", false, ClaimDecide, ClaimInput{Decision: ClaimExempt, DecidingBody: strings.Repeat("会", 101), MeetingOn: "2026-06-01"}, "", EINVALID, "error.too_long"},
		{"meeting date format", tolOfficer, ClaimInvestigating, "", false, ClaimDecide, ClaimInput{Decision: ClaimExempt, DecidingBody: "党工委会议", MeetingOn: "2026/06/01"}, "", EINVALID, "error.date_format"},
		{"meeting date missing", tolOfficer, ClaimInvestigating, "", false, ClaimDecide, ClaimInput{Decision: ClaimExempt, DecidingBody: "党工委会议"}, "", EINVALID, "error.date_format"},
		{"meeting in the future", tolOfficer, ClaimInvestigating, "", false, ClaimDecide, ClaimInput{Decision: ClaimExempt, DecidingBody: "党工委会议", MeetingOn: "2026-06-16"}, "", EINVALID, "tolerance.meeting_in_future"},
		{"decide before investigating", tolOfficer, ClaimAccepted, "", false, ClaimDecide, decide, "", ECONFLICT, "tolerance.status_not_allowed"},
		{"filer never decides", tolOfficerFiler, ClaimInvestigating, "", false, ClaimDecide, decide, "", EFORBIDDEN, "tolerance.own_claim"},
		{"claimant never decides", tolOfficerClaimant, ClaimInvestigating, "", false, ClaimDecide, decide, "", EFORBIDDEN, "tolerance.own_claim"},
		{"head cannot decide", tolHead, ClaimInvestigating, "", false, ClaimDecide, decide, "", EFORBIDDEN, "error.forbidden"},

		{"notify", tolOfficer, ClaimDecided, ClaimReduced, false, ClaimNotify, ClaimInput{}, ClaimNotified, "", ""},
		{"notify twice", tolOfficer, ClaimNotified, ClaimReduced, false, ClaimNotify, ClaimInput{}, "", ECONFLICT, "tolerance.status_not_allowed"},
		{"claimant cannot notify", tolClaimant, ClaimDecided, ClaimReduced, false, ClaimNotify, ClaimInput{}, "", EFORBIDDEN, "error.forbidden"},

		{"claimant appeals", tolClaimant, ClaimNotified, ClaimReduced, false, ClaimAppeal, ClaimInput{Reason: "认定事实有误"}, ClaimAppealed, "", ""},
		{"filer appeals", tolHead, ClaimNotified, ClaimNotTolerated, false, ClaimAppeal, ClaimInput{Reason: "认定事实有误"}, ClaimAppealed, "", ""},
		{"officer claimant appeals own", tolOfficerClaimant, ClaimNotified, ClaimNotTolerated, false, ClaimAppeal, ClaimInput{Reason: "认定事实有误"}, ClaimAppealed, "", ""},
		{"appeal only once", tolClaimant, ClaimNotified, ClaimReduced, true, ClaimAppeal, ClaimInput{Reason: "再次申请"}, "", ECONFLICT, "tolerance.already_appealed"},
		{"nothing to appeal after exemption", tolClaimant, ClaimNotified, ClaimExempt, false, ClaimAppeal, ClaimInput{Reason: "认定事实有误"}, "", ECONFLICT, "tolerance.exempt_no_appeal"},
		{"appeal needs a reason", tolClaimant, ClaimNotified, ClaimReduced, false, ClaimAppeal, ClaimInput{Reason: " "}, "", EINVALID, "error.required"},
		{"appeal reason too long", tolClaimant, ClaimNotified, ClaimReduced, false, ClaimAppeal, ClaimInput{Reason: strings.Repeat("字", 1001)}, "", EINVALID, "error.too_long"},
		{"appeal before notice", tolClaimant, ClaimDecided, ClaimReduced, false, ClaimAppeal, ClaimInput{Reason: "认定事实有误"}, "", ECONFLICT, "tolerance.status_not_allowed"},
		{"colleague cannot appeal", tolColleague, ClaimNotified, ClaimReduced, false, ClaimAppeal, ClaimInput{Reason: "认定事实有误"}, "", EFORBIDDEN, "error.forbidden"},
		{"officer cannot appeal for them", tolOfficer, ClaimNotified, ClaimReduced, false, ClaimAppeal, ClaimInput{Reason: "认定事实有误"}, "", EFORBIDDEN, "error.forbidden"},

		{"unknown action", tolOfficer, ClaimSubmitted, "", false, "pardon", ClaimInput{}, "", ENOTFOUND, "tolerance.unknown_action"},
		{"nobody signed in", nil, ClaimSubmitted, "", false, ClaimAccept, ClaimInput{}, "", EFORBIDDEN, "error.forbidden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tolClaim(tc.status, tc.decision, tc.appealed)
			got, err := CheckClaimStep(tc.u, c, tc.action, tc.in, tolToday)
			if ErrorCode(err) != tc.code || got != tc.want {
				t.Fatalf("got %q %v, want %q %q", got, err, tc.want, tc.code)
			}
			if err != nil && AsError(err).Key != tc.key {
				t.Fatalf("key %q, want %q", AsError(err).Key, tc.key)
			}
			if tc.key == "tolerance.status_not_allowed" && AsError(err).Args[0] != LabelKey("tolerance.status."+string(tc.status)) {
				t.Fatal("the conflict does not name the status")
			}
		})
	}
}

// Every action is refused in every status it does not start from.
func TestClaimStepStatuses(t *testing.T) {
	in := ClaimInput{Note: "不属于容错范围", Decision: ClaimReduced, DecidingBody: "党工委会议", MeetingOn: "2026-06-01", Reason: "认定事实有误"}
	if len(ClaimActions()) != 6 {
		t.Fatalf("actions: %v", ClaimActions())
	}
	for _, a := range ClaimActions() {
		u := tolOfficer
		if a == ClaimAppeal {
			u = tolClaimant
		}
		allowed := 0
		for _, s := range ClaimStatuses {
			_, err := CheckClaimStep(u, tolClaim(s, ClaimReduced, false), a, in, tolToday)
			if err == nil {
				allowed++
				continue
			}
			if e := AsError(err); e.Code != ECONFLICT || e.Key != "tolerance.status_not_allowed" || e.Args[0] != LabelKey("tolerance.status."+string(s)) {
				t.Errorf("%s from %s: %v", a, s, err)
			}
		}
		if want := len(claimRules[a].from); allowed != want {
			t.Errorf("%s allowed from %d statuses, want %d", a, allowed, want)
		}
	}
}

// A claim runs its whole course, with one appeal and one recheck.
func TestClaimLifecycle(t *testing.T) {
	c := tolClaim(ClaimSubmitted, "", false)
	steps := []struct {
		u      *User
		action ClaimAction
		in     ClaimInput
	}{
		{tolOfficer, ClaimAccept, ClaimInput{}},
		{tolOfficer, ClaimInvestigate, ClaimInput{}},
		{tolOfficer, ClaimDecide, ClaimInput{Decision: ClaimNotTolerated, DecidingBody: "党工委会议", MeetingOn: "2026-06-10"}},
		{tolOfficer, ClaimNotify, ClaimInput{}},
		{tolClaimant, ClaimAppeal, ClaimInput{Reason: "认定事实有误"}},
		{tolOfficer, ClaimInvestigate, ClaimInput{}},
		{tolOfficer, ClaimDecide, ClaimInput{Decision: ClaimReduced, DecidingBody: "党工委会议", MeetingOn: "2026-06-15"}},
		{tolOfficer, ClaimNotify, ClaimInput{}},
	}
	for _, s := range steps {
		next, err := CheckClaimStep(s.u, c, s.action, s.in, tolToday)
		if err != nil {
			t.Fatalf("%s from %s: %v", s.action, c.Status, err)
		}
		c.Status = next
		switch s.action {
		case ClaimDecide:
			c.Decision = s.in.Decision
		case ClaimAppeal:
			c.Appealed = true
		}
	}
	if c.Status != ClaimNotified || !c.Reduces() || c.Neutralises() {
		t.Fatalf("%+v", c)
	}
	if _, err := CheckClaimStep(tolClaimant, c, ClaimAppeal, ClaimInput{Reason: "再次申请"}, tolToday); AsError(err).Key != "tolerance.already_appealed" {
		t.Fatalf("second appeal: %v", err)
	}
}

func TestClaimValidate(t *testing.T) {
	ok := ToleranceClaim{MemberID: 30, IncentiveID: 7, Distinction: "public_interest", Facts: "  为抢抓项目落地先行开展场平工作  "}
	if err := ok.Validate(); err != nil || ok.Facts != "为抢抓项目落地先行开展场平工作" {
		t.Fatalf("%v %q", err, ok.Facts)
	}
	facts := "为抢抓项目落地先行开展场平工作"
	for _, tc := range []struct {
		name  string
		c     ToleranceClaim
		field string
		key   string
	}{
		{"no member", ToleranceClaim{IncentiveID: 7, Distinction: "exploration", Facts: facts}, "member_id", "error.required"},
		{"no penalty", ToleranceClaim{MemberID: 30, Distinction: "exploration", Facts: facts}, "incentive_id", "error.required"},
		{"no distinction", ToleranceClaim{MemberID: 30, IncentiveID: 7, Facts: facts}, "distinction", "error.required"},
		{"unknown distinction", ToleranceClaim{MemberID: 30, IncentiveID: 7, Distinction: "bad_luck", Facts: facts}, "distinction", "error.invalid_choice"},
		{"no facts", ToleranceClaim{MemberID: 30, IncentiveID: 7, Distinction: "exploration", Facts: "   "}, "facts", "error.required"},
		{"facts too short", ToleranceClaim{MemberID: 30, IncentiveID: 7, Distinction: "exploration", Facts: " 九个字的事实 "}, "facts", "tolerance.facts_too_short"},
		{"facts too long", ToleranceClaim{MemberID: 30, IncentiveID: 7, Distinction: "exploration", Facts: strings.Repeat("字", 4001)}, "facts", "error.too_long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.c.Validate()
			if e := AsError(err); err == nil || e.Code != EINVALID || e.Field != tc.field || e.Key != tc.key {
				t.Fatalf("%v, want %s %s", err, tc.field, tc.key)
			}
		})
	}
	edge := ToleranceClaim{MemberID: 30, IncentiveID: 7, Distinction: "inexperience", Facts: strings.Repeat("字", 10)}
	if err := edge.Validate(); err != nil {
		t.Fatalf("ten runes: %v", err)
	}
	edge.Facts = strings.Repeat("字", 4000)
	if err := edge.Validate(); err != nil {
		t.Fatalf("4000 runes: %v", err)
	}
}

func TestClaimTarget(t *testing.T) {
	c := tolClaim(ClaimSubmitted, "", false)
	for _, tc := range []struct {
		name string
		i    Incentive
		key  string
	}{
		{"approved penalty", Incentive{MemberID: 30, Kind: IncentivePenalty, Status: IncentiveApproved}, ""},
		{"approved disciplinary", Incentive{MemberID: 30, Kind: IncentiveDisciplinary, Status: IncentiveApproved}, ""},
		{"someone else's", Incentive{MemberID: 31, Kind: IncentivePenalty, Status: IncentiveApproved}, "tolerance.target_other_member"},
		{"a reward", Incentive{MemberID: 30, Kind: IncentiveReward, Status: IncentiveApproved}, "tolerance.target_not_penalty"},
		{"a proposal", Incentive{MemberID: 30, Kind: IncentivePenalty, Status: IncentiveProposed}, "tolerance.target_not_approved"},
		{"rejected", Incentive{MemberID: 30, Kind: IncentivePenalty, Status: IncentiveRejected}, "tolerance.target_not_approved"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := c.CheckTarget(&tc.i)
			if (err == nil) != (tc.key == "") || (err != nil && AsError(err).Key != tc.key) {
				t.Fatalf("%v, want %q", err, tc.key)
			}
		})
	}
}

func TestClaimOutcome(t *testing.T) {
	for _, tc := range []struct {
		status      ClaimStatus
		decision    ClaimDecision
		appealed    bool
		neutralises bool
		reduces     bool
	}{
		{ClaimSubmitted, "", false, false, false},
		{ClaimInvestigating, "", false, false, false},
		{ClaimDecided, ClaimExempt, false, true, false},
		{ClaimNotified, ClaimExempt, false, true, false},
		{ClaimAppealed, ClaimExempt, true, true, false},
		{ClaimDecided, ClaimReduced, false, false, true},
		{ClaimNotified, ClaimReduced, false, false, true},
		{ClaimAppealed, ClaimReduced, true, false, true},
		{ClaimInvestigating, ClaimReduced, true, false, true}, // the decision stands while rechecked
		{ClaimNotified, ClaimNotTolerated, false, false, false},
		{ClaimNotAccepted, "", false, false, false},
	} {
		c := tolClaim(tc.status, tc.decision, tc.appealed)
		if c.Neutralises() != tc.neutralises || c.Reduces() != tc.reduces {
			t.Errorf("%s %s: neutralises %v reduces %v", tc.status, tc.decision, c.Neutralises(), c.Reduces())
		}
	}
	for in, want := range map[int64]int64{0: 0, 1: 0, -1: 0, 5: 2, -5: -2, -100: -50, -101: -50, -250: -125} {
		if got := ReducedPoints(in); got != want {
			t.Errorf("ReducedPoints(%d) = %d, want %d", in, got, want)
		}
	}
}

func TestClaimFiler(t *testing.T) {
	headNoDept := &User{ID: 24, MemberID: 34, ZoneID: 1, Roles: []Role{RoleHead}}
	admin := &User{ID: 1, ZoneID: 1, Roles: []Role{RoleSysAdmin}}
	for _, tc := range []struct {
		name   string
		u      *User
		member int64
		dept   int64
		ok     bool
	}{
		{"member for themself", tolClaimant, 30, 4, true},
		{"member for a colleague", tolClaimant, 33, 4, false},
		{"head for their department", tolHead, 30, 4, true},
		{"head for themself", tolHead, 31, 4, true},
		{"head for another department", tolHead, 40, 5, false},
		{"head without a department", headNoDept, 30, 0, false},
		{"head without a department for themself", headNoDept, 34, 0, true},
		{"officer only handles", &User{ID: 6, MemberID: 10, ZoneID: 1, DepartmentID: 3, Roles: []Role{RoleDiscipline}}, 30, 3, false},
		{"account without member", admin, 0, 0, false},
		{"nobody", nil, 30, 4, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckClaimFiler(tc.u, tc.member, tc.dept)
			if (err == nil) != tc.ok || (err != nil && ErrorCode(err) != EFORBIDDEN) {
				t.Fatalf("%v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func TestClaimLists(t *testing.T) {
	if len(Distinctions) != 3 || len(NegativeList) != 5 || len(ClaimDecisions) != 3 || len(ClaimStatuses) != 7 {
		t.Fatal("lists changed")
	}
	for _, rule := range claimRules {
		for _, s := range append(rule.from, rule.to) {
			if !slices.Contains(ClaimStatuses, s) {
				t.Errorf("unknown status %q", s)
			}
		}
	}
}
