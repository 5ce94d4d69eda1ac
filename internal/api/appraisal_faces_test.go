package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// The pages and the API answer alike for every role in every state of a
// period: the period, a result and the publication list are found on both
// faces or on neither, and results not yet published (or rechecked) are
// not found, as if there were none.
func TestAppraisalFacesAgreeByRoleAndState(t *testing.T) {
	aprEachEngine(t, testAppraisalFacesAgree)
}

func testAppraisalFacesAgree(t *testing.T, st *store.Store) {
	e := newAprEnv(t, st)
	e.createScheme(aprStaffScheme)
	e.createScheme(aprHeadScheme)
	e.createScheme(aprLeaderScheme)
	status, body := e.call("appraiser", "POST", "/appraisal/periods", `{"kind":"month","label":"2026-10"}`)
	if status != 201 {
		t.Fatalf("create period: %d %s", status, body)
	}
	pid := aprDecode[struct{ ID int64 }](t, body).ID
	pp := "/appraisal/periods/" + aprID(pid)

	// page sends one page request as the account who, signed in with a
	// browser session, and answers the status.
	page := func(who, path string) int {
		t.Helper()
		u := e.users[who]
		tok, _, err := st.CreateSession(context.Background(), xinlu.ActorOf(u, "127.0.0.1"), u.ID, "web", "", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		req.AddCookie(&http.Cookie{Name: "xinlu_session", Value: tok})
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	check := func(state xinlu.PeriodState) {
		t.Helper()
		if got := e.period(pid); got.State != string(state) {
			t.Fatalf("the period is in %s, want %s", got.State, state)
		}
		p := &xinlu.Period{State: state}
		for _, role := range xinlu.Roles {
			who := string(role)
			u := e.users[who]
			member := u.MemberID
			if member == 0 {
				member = e.big[4].ID
			}
			result := pp + "/results/" + aprID(member)
			for _, c := range []struct {
				what       string
				page, api  string
				visible    bool
				alwaysOpen bool // found whenever visible, whatever the scope
			}{
				{"the period", pp, pp, xinlu.PeriodVisible(u, p), true},
				{"a result", result, result, xinlu.ResultsVisible(u, p), false},
				{"the publication list", pp + "/publication", pp + "/publication.xlsx", xinlu.ResultsVisible(u, p), true},
			} {
				onPage := page(who, c.page)
				res, _ := e.do(who, "GET", c.api, "")
				if onPage != res.StatusCode {
					t.Errorf("%s in %s, %s: page %d, API %d", role, state, c.what, onPage, res.StatusCode)
				}
				switch {
				case !u.Can(xinlu.PermAppraisalView):
					if res.StatusCode != 403 {
						t.Errorf("%s in %s, %s: %d, want 403", role, state, c.what, res.StatusCode)
					}
				case !c.visible && res.StatusCode != 404:
					t.Errorf("%s in %s, %s: %d, want 404", role, state, c.what, res.StatusCode)
				case c.visible && c.alwaysOpen && res.StatusCode != 200:
					t.Errorf("%s in %s, %s: %d, want 200", role, state, c.what, res.StatusCode)
				}
			}
		}
	}
	check(xinlu.PeriodDraft)
	for _, s := range []struct {
		who, action string
		state       xinlu.PeriodState
	}{
		{"appraiser", "open", xinlu.PeriodScoring},
		{"appraiser", "calculate", xinlu.PeriodCalculated},
		{"appraiser", "review", xinlu.PeriodCalibration},
		{"appraiser", "publish", xinlu.PeriodPublication},
		{"appraiser", "recheck", xinlu.PeriodRecheck},
		{"appraiser", "publish", xinlu.PeriodPublication},
		{"director", "finalize", xinlu.PeriodFinal},
		{"appraiser", "apply", xinlu.PeriodApplied},
		{"appraiser", "archive", xinlu.PeriodArchived},
	} {
		if s.action == "finalize" {
			e.at(time.Date(2026, 11, 9, 2, 0, 0, 0, time.UTC))
		}
		if got := e.mustStep(s.who, pid, s.action, ""); got.State != string(s.state) {
			t.Fatalf("%s: %+v", s.action, got)
		}
		check(s.state)
	}
}
