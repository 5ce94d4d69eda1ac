package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/testfix"
	"xinlu/internal/xinlu"
)

// The pages and the API answer alike for every role in every state of a
// period: the period, a result and the publication list are found on both
// faces or on neither, and results not yet published (or rechecked) are
// not found, as if there were none.
func TestAppraisalFacesAgreeByRoleAndState(t *testing.T) {
	testfix.EachEngine(t, testAppraisalFacesAgree)
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

	page := func(who, path string) int {
		t.Helper()
		status, _ := e.page(who, path)
		return status
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
			// The period lists: the period is listed on both faces or on neither.
			if u.Can(xinlu.PermAppraisalView) {
				_, list := e.page(who, "/appraisal/periods")
				onPage := strings.Contains(list, `href="`+pp+`"`)
				res, raw := e.do(who, "GET", "/appraisal/periods?per_page=100", "")
				var l struct{ Items []struct{ ID int64 } }
				if res.StatusCode != 200 || json.Unmarshal(raw, &l) != nil {
					t.Fatalf("%s lists periods: %d %s", role, res.StatusCode, raw)
				}
				inAPI := false
				for _, it := range l.Items {
					inAPI = inAPI || it.ID == pid
				}
				if onPage != inAPI || inAPI != xinlu.PeriodVisible(u, p) {
					t.Errorf("%s in %s: listed on the page %v, by the API %v, visible %v", role, state, onPage, inAPI, xinlu.PeriodVisible(u, p))
				}
			}
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

// page sends one page request as the account who, signed in with a
// browser session of its own, and answers the status and the body.
func (e *aprEnv) page(who, path string) (int, string) {
	e.t.Helper()
	tok := e.fix.WebSession(who, time.Hour)
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	req.AddCookie(&http.Cookie{Name: "xinlu_session", Value: tok})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// Both faces show a lead to the same roles, and its contact phone in full
// to the same ones (its reporter, the screening task force, the leadership
// group), masked to everyone else.
func TestLeadFacesAgreeByRole(t *testing.T) {
	e := newAprEnv(t, testfix.SQLite(t))
	reporter := e.big[0].ID
	leads, _, err := e.st.ListLeads(context.Background(), store.LeadFilter{Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: e.zone.ID},
		ReporterID: reporter, Page: xinlu.Page{Page: 1, PerPage: 1}})
	if err != nil || len(leads) != 1 {
		t.Fatalf("the lead: %v %v", leads, err)
	}
	lead := leads[0]
	path := "/leads/" + aprID(lead.ID)
	e.account("the_reporter", xinlu.RoleMember, reporter, "")
	whos := []string{"the_reporter"}
	for _, r := range xinlu.Roles {
		whos = append(whos, string(r))
	}
	for _, who := range whos {
		u := e.users[who]
		onPage, body := e.page(who, path)
		res, raw := e.do(who, "GET", path, "")
		if onPage != res.StatusCode {
			t.Errorf("%s: page %d, API %d", who, onPage, res.StatusCode)
			continue
		}
		if res.StatusCode != 200 {
			if u.Can(xinlu.PermLeadView) && u.Filter(xinlu.PermLeadView).Scope >= xinlu.ScopeZone {
				t.Errorf("%s does not see a lead of its zone: %d", who, res.StatusCode)
			}
			continue
		}
		var got struct {
			ContactPhone string `json:"contact_phone"`
		}
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatal(err)
		}
		full := xinlu.LeadContactVisible(u, lead)
		if apiFull := got.ContactPhone == "13800001111"; apiFull != full {
			t.Errorf("%s: the API shows %q, in full %v", who, got.ContactPhone, full)
		}
		if pageFull := strings.Contains(body, "13800001111"); pageFull != full {
			t.Errorf("%s: the page shows the number in full %v, want %v", who, pageFull, full)
		}
		if !full && !strings.Contains(body, xinlu.MaskPhone("13800001111")) {
			t.Errorf("%s: the page does not show the masked number", who)
		}
	}
}
