package xinlu_test

import (
	"strings"
	"testing"
	"time"

	"xinlu/internal/xinlu"
)

// periodSightTable is what each role sees of a period in each state of
// xinlu.PeriodStates (draft, scoring, calculated, calibration,
// publication, recheck, final, applied, archived): "-" nothing (not
// found), "P" the period without its results, "R" the period and its
// results.
var periodSightTable = map[xinlu.Role]string{
	// Those who rate colleagues see a period in scoring to score it.
	xinlu.RoleMember:    "-P--RPRRR",
	xinlu.RoleScreener:  "-P--RPRRR",
	xinlu.RolePlanner:   "-P--RPRRR",
	xinlu.RoleSponsor:   "-P--RPRRR",
	xinlu.RoleAgent:     "-P--RPRRR",
	xinlu.RoleHead:      "-P--RPRRR",
	xinlu.RoleAppraiser: "RRRRRRRRR",
	// Discipline, the auditor and the readers of every zone see only what
	// has been published; in recheck the results are hidden again until
	// they are published once more.
	xinlu.RoleDiscipline: "----RPRRR",
	xinlu.RoleFinance:    "RRRRRRRRR",
	xinlu.RoleDirector:   "RRRRRRRRR",
	xinlu.RoleAuditor:    "----RPRRR",
	xinlu.RoleViewer:     "----RPRRR",
	xinlu.RoleSysAdmin:   "----RPRRR",
	xinlu.RoleSecAdmin:   "----RPRRR",
	xinlu.RoleAuditAdmin: "----RPRRR",
	xinlu.RoleAdmin:      "----RPRRR",
}

func TestPeriodAndResultsVisibleByRoleAndState(t *testing.T) {
	if len(periodSightTable) != len(xinlu.Roles) {
		t.Fatalf("the table names %d roles of %d", len(periodSightTable), len(xinlu.Roles))
	}
	for _, role := range xinlu.Roles {
		want := periodSightTable[role]
		if len(want) != len(xinlu.PeriodStates) {
			t.Fatalf("%s: %d states in the table, %d states", role, len(want), len(xinlu.PeriodStates))
		}
		u := &xinlu.User{ID: 1, ZoneID: 1, MemberID: 1, Roles: []xinlu.Role{role}}
		var got strings.Builder
		var listed []xinlu.PeriodState
		for _, st := range xinlu.PeriodStates {
			p := &xinlu.Period{State: st}
			period, results := xinlu.PeriodVisible(u, p), xinlu.ResultsVisible(u, p)
			switch {
			case period && results:
				got.WriteByte('R')
			case period:
				got.WriteByte('P')
			case results:
				t.Errorf("%s sees the results of a period in %s it does not see", role, st)
				got.WriteByte('?')
			default:
				got.WriteByte('-')
			}
			if period {
				listed = append(listed, st)
			}
			if err := xinlu.CheckResults(u, p); (err == nil) != results || err != nil && xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Errorf("%s in %s: CheckResults %v, results visible %v", role, st, err, results)
			}
		}
		if got.String() != want {
			t.Errorf("%s sees %s, want %s", role, got.String(), want)
		}
		// The period list holds exactly the periods the role may open.
		states := xinlu.VisibleStates(u)
		if states == nil {
			states = xinlu.PeriodStates
		}
		if strings.Join(stateNames(states), ",") != strings.Join(stateNames(listed), ",") {
			t.Errorf("%s lists %v, opens %v", role, states, listed)
		}
	}
}

func stateNames(sts []xinlu.PeriodState) []string {
	out := make([]string, len(sts))
	for i, st := range sts {
		out[i] = string(st)
	}
	return out
}

func TestSeesPay(t *testing.T) {
	for _, role := range xinlu.Roles {
		u := &xinlu.User{ID: 1, MemberID: 7, Roles: []xinlu.Role{role}}
		all := role == xinlu.RoleAppraiser || role == xinlu.RoleFinance || role == xinlu.RoleDirector
		if !xinlu.SeesPay(u, 7) {
			t.Errorf("%s does not see their own pay", role)
		}
		if got := xinlu.SeesPay(u, 8); got != all {
			t.Errorf("%s sees a colleague's pay: %v, want %v", role, got, all)
		}
		if got := xinlu.SeesUnpublished(u); got != all {
			t.Errorf("%s sees unpublished periods: %v, want %v", role, got, all)
		}
	}
	if xinlu.SeesPay(&xinlu.User{ID: 1, Roles: []xinlu.Role{xinlu.RoleAuditor}}, 0) {
		t.Error("an account without a member sees the pay of nobody's member 0")
	}
}

func TestAppealScope(t *testing.T) {
	for _, role := range xinlu.Roles {
		u := &xinlu.User{ID: 1, ZoneID: 3, MemberID: 7, Roles: []xinlu.Role{role}}
		sc := xinlu.AppealScope(u)
		if role == xinlu.RoleAppraiser || role == xinlu.RoleDirector {
			if sc != (xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: 3}) {
				t.Errorf("%s sees appeals %+v, want the zone's", role, sc)
			}
			continue
		}
		if sc != (xinlu.ScopeFilter{Scope: xinlu.ScopeOwn, ZoneID: 3, MemberID: 7}) {
			t.Errorf("%s sees appeals %+v, want their own", role, sc)
		}
	}
}

func TestCheckAppeal(t *testing.T) {
	today := time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
	ok := xinlu.AppealCheck{Today: today, HasResult: true}
	for _, c := range []struct {
		what   string
		member int64
		state  xinlu.PeriodState
		ends   string
		check  xinlu.AppealCheck
		code   xinlu.Code
		key    string
	}{
		{"a member with a result during publication", 7, xinlu.PeriodPublication, "2026-11-12", ok, "", ""},
		{"on the last day of publication", 7, xinlu.PeriodPublication, "2026-11-10", ok, "", ""},
		{"the day after publication ends", 7, xinlu.PeriodPublication, "2026-11-09", ok, xinlu.ECONFLICT, "appraisal.publication_over"},
		{"an account without a member", 0, xinlu.PeriodPublication, "2026-11-12", ok, xinlu.EINVALID, "appraisal.rater_not_member"},
		{"a member without a result", 7, xinlu.PeriodPublication, "2026-11-12", xinlu.AppealCheck{Today: today}, xinlu.ENOTFOUND, "appraisal.member_not_in_results"},
		{"with an appeal still open", 7, xinlu.PeriodPublication, "2026-11-12", xinlu.AppealCheck{Today: today, HasResult: true, Open: true}, xinlu.ECONFLICT, "appraisal.appeal_open"},
	} {
		p := &xinlu.Period{State: c.state, PublicationEnds: c.ends}
		u := &xinlu.User{ID: 1, MemberID: c.member, Roles: []xinlu.Role{xinlu.RoleMember}}
		err := xinlu.CheckAppeal(u, p, c.check)
		if xinlu.ErrorCode(err) != c.code && !(err == nil && c.code == "") || err != nil && xinlu.AsError(err).Key != c.key {
			t.Errorf("%s: %v, want %s %s", c.what, err, c.code, c.key)
		}
	}
	// Every role may appeal its own result in publication, in no other state.
	for _, role := range xinlu.Roles {
		u := &xinlu.User{ID: 1, MemberID: 7, Roles: []xinlu.Role{role}}
		for _, st := range xinlu.PeriodStates {
			err := xinlu.CheckAppeal(u, &xinlu.Period{State: st, PublicationEnds: "2026-11-12"}, ok)
			if want := st == xinlu.PeriodPublication; (err == nil) != want {
				t.Errorf("%s appeals in %s: %v", role, st, err)
			} else if err != nil && xinlu.AsError(err).Key != "appraisal.state_not_allowed" {
				t.Errorf("%s appeals in %s: %v", role, st, err)
			}
		}
	}
}

// leadSightTable is, per role, whether it sees a lead's contact phone in
// full when it did not report the lead, and the scope in which it sees the
// lead's files.
var leadSightTable = map[xinlu.Role]struct {
	contact bool
	files   xinlu.Scope
}{
	xinlu.RoleMember:     {false, xinlu.ScopeOwn},
	xinlu.RoleScreener:   {true, xinlu.ScopeZone},
	xinlu.RolePlanner:    {false, xinlu.ScopeZone},
	xinlu.RoleSponsor:    {true, xinlu.ScopeZone},
	xinlu.RoleAgent:      {false, xinlu.ScopeOwn},
	xinlu.RoleHead:       {false, xinlu.ScopeDepartment},
	xinlu.RoleAppraiser:  {false, xinlu.ScopeZone},
	xinlu.RoleDiscipline: {false, xinlu.ScopeZone},
	xinlu.RoleFinance:    {false, xinlu.ScopeNone},
	xinlu.RoleDirector:   {true, xinlu.ScopeZone},
	xinlu.RoleAuditor:    {false, xinlu.ScopeZone},
	xinlu.RoleViewer:     {false, xinlu.ScopeAllZones},
	xinlu.RoleSysAdmin:   {false, xinlu.ScopeNone},
	xinlu.RoleSecAdmin:   {false, xinlu.ScopeNone},
	xinlu.RoleAuditAdmin: {false, xinlu.ScopeNone},
	xinlu.RoleAdmin:      {false, xinlu.ScopeNone},
}

func TestLeadContactAndFilesByRole(t *testing.T) {
	if len(leadSightTable) != len(xinlu.Roles) {
		t.Fatalf("the table names %d roles of %d", len(leadSightTable), len(xinlu.Roles))
	}
	lead := &xinlu.Lead{ID: 5, ZoneID: 9, ReporterID: 7}
	for _, role := range xinlu.Roles {
		want := leadSightTable[role]
		other := &xinlu.User{ID: 1, ZoneID: 2, DepartmentID: 4, MemberID: 8, Roles: []xinlu.Role{role}}
		if got := xinlu.LeadContactVisible(other, lead); got != want.contact {
			t.Errorf("%s sees the contact of a lead it did not report: %v, want %v", role, got, want.contact)
		}
		reporter := &xinlu.User{ID: 2, ZoneID: 9, MemberID: 7, Roles: []xinlu.Role{role}}
		if !xinlu.LeadContactVisible(reporter, lead) {
			t.Errorf("%s does not see the contact of the lead it reported", role)
		}
		// The files are looked up in the lead's zone, whatever the
		// viewer's own zone, within the viewer's lead-view scope.
		if got := xinlu.LeadFileScope(other, lead); got != (xinlu.ScopeFilter{Scope: want.files, ZoneID: 9, DepartmentID: 4, MemberID: 8}) {
			t.Errorf("%s sees the lead's files in %+v, want scope %v in zone 9", role, got, want.files)
		}
	}
	if xinlu.LeadContactVisible(nil, lead) {
		t.Error("nobody signed in sees the contact")
	}
	if xinlu.LeadContactVisible(&xinlu.User{ID: 3, Roles: []xinlu.Role{xinlu.RoleMember}}, &xinlu.Lead{ReporterID: 0}) {
		t.Error("an account without a member sees the contact of a lead nobody reported")
	}
}

func TestAppealAnswer(t *testing.T) {
	for action, want := range map[string]bool{"uphold": true, "reject": false} {
		if got, err := xinlu.AppealAnswer(action); err != nil || got != want {
			t.Errorf("%s: %v %v", action, got, err)
		}
	}
	for _, action := range []string{"", "maybe", "Uphold"} {
		if _, err := xinlu.AppealAnswer(action); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Errorf("%q: %v, want not found", action, err)
		}
	}
}

// workTable is, per role, in which states of xinlu.PeriodStates it may
// score ("S"), record absences ("A") and answer appeals ("N"), as
// three strings of the states' initials where allowed and "-" elsewhere.
var workTable = map[xinlu.Role][3]string{
	xinlu.RoleMember:     {"-S---S---", "---------", "---------"},
	xinlu.RoleScreener:   {"-S---S---", "---------", "---------"},
	xinlu.RolePlanner:    {"-S---S---", "---------", "---------"},
	xinlu.RoleSponsor:    {"-S---S---", "---------", "---------"},
	xinlu.RoleAgent:      {"-S---S---", "---------", "---------"},
	xinlu.RoleHead:       {"-S---S---", "---------", "---------"},
	xinlu.RoleAppraiser:  {"---------", "AA---A---", "-----N---"},
	xinlu.RoleDiscipline: {"---------", "---------", "---------"},
	xinlu.RoleFinance:    {"---------", "---------", "---------"},
	xinlu.RoleDirector:   {"-S---S---", "---------", "---------"},
	xinlu.RoleAuditor:    {"---------", "---------", "---------"},
	xinlu.RoleViewer:     {"---------", "---------", "---------"},
	xinlu.RoleSysAdmin:   {"---------", "---------", "---------"},
	xinlu.RoleSecAdmin:   {"---------", "---------", "---------"},
	xinlu.RoleAuditAdmin: {"---------", "---------", "---------"},
	xinlu.RoleAdmin:      {"---------", "---------", "---------"},
}

func TestPeriodWorkByRoleAndState(t *testing.T) {
	if len(workTable) != len(xinlu.Roles) {
		t.Fatalf("the table names %d roles of %d", len(workTable), len(xinlu.Roles))
	}
	works := []struct {
		w      xinlu.PeriodWork
		letter byte
		key    string
	}{{xinlu.WorkScore, 'S', "appraisal.state_not_allowed"}, {xinlu.WorkAbsence, 'A', "appraisal.state_not_allowed"},
		{xinlu.WorkAnswer, 'N', "appraisal.answer_in_recheck"}}
	for _, role := range xinlu.Roles {
		u := &xinlu.User{ID: 1, MemberID: 7, Roles: []xinlu.Role{role}}
		for i, w := range works {
			var got strings.Builder
			for _, st := range xinlu.PeriodStates {
				err := xinlu.CheckPeriodWork(u, &xinlu.Period{State: st}, w.w)
				switch {
				case err == nil:
					got.WriteByte(w.letter)
				case xinlu.ErrorCode(err) == xinlu.ECONFLICT && xinlu.AsError(err).Key != w.key:
					t.Errorf("%s %s in %s: %v", role, w.w, st, err)
					got.WriteByte('?')
				default:
					got.WriteByte('-')
				}
			}
			if got.String() != workTable[role][i] {
				t.Errorf("%s %s: %s, want %s", role, w.w, got.String(), workTable[role][i])
			}
		}
	}
	// The state refuses first, naming it; then the permission.
	u := &xinlu.User{ID: 1, Roles: []xinlu.Role{xinlu.RoleAuditor}}
	if err := xinlu.CheckPeriodWork(u, &xinlu.Period{State: xinlu.PeriodFinal}, xinlu.WorkScore); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
		t.Errorf("scores after final by the auditor: %v", err)
	}
	if err := xinlu.CheckPeriodWork(u, &xinlu.Period{State: xinlu.PeriodScoring}, xinlu.WorkScore); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
		t.Errorf("scores in scoring by the auditor: %v", err)
	}
}

func TestRatingPermission(t *testing.T) {
	for kind, want := range map[xinlu.IndicatorKind]xinlu.Permission{xinlu.IndicatorAssessed: xinlu.PermAppraisalScore,
		xinlu.IndicatorPeer: xinlu.PermAppraisalPeer, xinlu.IndicatorComputed: "", xinlu.IndicatorPoints: ""} {
		if got, ok := xinlu.RatingPermission(kind); got != want || ok != (want != "") {
			t.Errorf("%s: %s %v, want %s", kind, got, ok, want)
		}
	}
	head := xinlu.RatedKinds(&xinlu.User{Roles: []xinlu.Role{xinlu.RoleHead}})
	if len(head) != 2 || head[xinlu.IndicatorAssessed] != xinlu.PermAppraisalScore || head[xinlu.IndicatorPeer] != xinlu.PermAppraisalPeer {
		t.Errorf("a head rates %v", head)
	}
	if got := xinlu.RatedKinds(&xinlu.User{Roles: []xinlu.Role{xinlu.RoleFinance}}); len(got) != 0 {
		t.Errorf("finance rates %v", got)
	}
}

// A step is offered when the role may take it in the state, whatever else
// holds it back; CheckPeriodStep agrees but for those other reasons.
func TestPeriodStepOffered(t *testing.T) {
	for _, role := range xinlu.Roles {
		u := &xinlu.User{ID: 1, Roles: []xinlu.Role{role}}
		for _, st := range xinlu.PeriodStates {
			p := &xinlu.Period{State: st, PublicationEnds: "2026-11-06"}
			for _, a := range xinlu.PeriodActions() {
				_, err := xinlu.CheckPeriodStep(u, p, a, xinlu.PeriodCheck{Today: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), OpenAppeals: 1, OverPool: true})
				offered := xinlu.PeriodStepOffered(u, p, a)
				held := xinlu.ErrorCode(err) == xinlu.ECONFLICT && xinlu.AsError(err).Key != "appraisal.state_not_allowed"
				if offered != (err == nil || held) {
					t.Errorf("%s %s in %s: offered %v, check %v", role, a, st, offered, err)
				}
			}
		}
	}
}

// TestCheckAnswerer: nobody answers their own appeal; an account without a
// staff record answers any.
func TestCheckAnswerer(t *testing.T) {
	office := &xinlu.User{MemberID: 7, Roles: []xinlu.Role{xinlu.RoleAppraiser}}
	for _, c := range []struct {
		u      *xinlu.User
		member int64
		ok     bool
	}{
		{office, 7, false},
		{office, 8, true},
		{&xinlu.User{Roles: []xinlu.Role{xinlu.RoleAppraiser}}, 7, true},
	} {
		err := xinlu.CheckAnswerer(c.u, c.member)
		if (err == nil) != c.ok || err != nil && xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Errorf("member %d answering %d: %v", c.u.MemberID, c.member, err)
		}
	}
}
