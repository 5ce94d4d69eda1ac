package api_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"xinlu/internal/report"
	"xinlu/internal/store"
	"xinlu/internal/testdb"
	"xinlu/internal/testfix"
	"xinlu/internal/xinlu"
)

// TestCockpitAPI: who reads the cockpit and sets the year targets, that a
// zone's users stay in their zone whatever zone_id they send, that the
// viewer reads any zone's and the roll-up of all, and that the targets set
// appear in the cockpit.
func TestCockpitAPI(t *testing.T) {
	st := testfix.SQLite(t)
	z := testfix.NewZone(t, st)
	other := z.Sibling(&xinlu.Zone{Code: "Z2", Name: "外区", Demo: true})
	other.AddUser(&xinlu.User{Username: "director2", Roles: []xinlu.Role{xinlu.RoleDirector}})
	srv := newAPIServer(t, st, nil)
	token := func(u string) string { return z.Token(u, time.Hour) }
	otherID := strconv.FormatInt(other.Zone.ID, 10)

	var table []scenario
	for _, r := range xinlu.Roles {
		want := 403
		if xinlu.ScopeOf([]xinlu.Role{r}, xinlu.PermCockpitView) > xinlu.ScopeNone {
			want = 200
		}
		table = append(table, scenario{as: string(r), method: "GET", path: "/cockpit?year=2026", status: want})
		wantPut := 403
		if r == xinlu.RoleDirector {
			wantPut = 200
		}
		table = append(table, scenario{as: string(r), method: "PUT", path: "/cockpit/targets/2026", body: `{"targets":{"signed":3}}`, status: wantPut})
	}
	table = append(table,
		// A zone's users stay inside it, whatever zone they name.
		scenario{as: "director", method: "GET", path: "/cockpit?zone_id=" + otherID, status: 404},
		scenario{as: "sponsor", method: "GET", path: "/cockpit?zone_id=" + otherID, status: 404},
		scenario{as: "director2", method: "GET", path: "/cockpit?zone_id=" + strconv.FormatInt(z.Zone.ID, 10), status: 404},
		scenario{as: "viewer", method: "GET", path: "/cockpit?zone_id=" + otherID, status: 200, contains: `"zone_name":"外区"`},
		scenario{as: "viewer", method: "GET", path: "/cockpit?zone_id=999999", status: 404},
		scenario{as: "viewer", method: "PUT", path: "/cockpit/targets/2026", body: `{"targets":{"signed":3}}`, status: 403},
		scenario{as: "director", method: "GET", path: "/cockpit?year=nineteen", status: 422, code: "invalid", field: "year"},
		scenario{as: "director", method: "GET", path: "/cockpit?zone_id=x", status: 422, code: "invalid", field: "zone_id"},
		scenario{as: "director", method: "PUT", path: "/cockpit/targets/2026", body: `{"targets":{"signed":-1}}`, status: 422, code: "invalid", field: "signed"},
		scenario{as: "director", method: "PUT", path: "/cockpit/targets/2026", body: `{"targets":{"weight":1}}`, status: 422, code: "invalid", field: "weight"},
		scenario{as: "director", method: "PUT", path: "/cockpit/targets/1800", body: `{"targets":{}}`, status: 422, code: "invalid", field: "year"},
	)
	runScenarios(t, srv.URL, token, table)

	// A transformation target with its actual: the cockpit carries its share.
	ind := &xinlu.TargetIndicator{ZoneID: z.Zone.ID, Set: "high_level_rise", Name: "研发投入强度", Unit: "%"}
	sys := xinlu.SystemActor(z.Zone.ID)
	if err := st.CreateIndicator(context.Background(), sys, ind); err != nil {
		t.Fatal(err)
	}
	if err := st.SetTarget(context.Background(), sys, z.Zone.ID, ind.ID, 2026, 4); err != nil {
		t.Fatal(err)
	}
	if err := st.EnterActual(context.Background(), sys, z.Zone.ID, ind.ID, 2026, 3, 3); err != nil {
		t.Fatal(err)
	}
	tok := token("director")
	status, body := apiCall(t, srv.URL, tok, "PUT", "/cockpit/targets/2026", `{"targets":{"contract_yuan":500000000,"signed":12}}`)
	if status != 200 {
		t.Fatalf("set targets: %d %s", status, body)
	}
	status, body = apiCall(t, srv.URL, tok, "GET", "/cockpit?year=2026", "")
	var c report.Cockpit
	if status != 200 || json.Unmarshal([]byte(body), &c) != nil {
		t.Fatalf("cockpit: %d %s", status, body)
	}
	targets := map[xinlu.CockpitMeasure]*int64{}
	for _, tg := range c.Targets {
		targets[tg.Measure] = tg.Target
	}
	if c.ZoneID != z.Zone.ID || c.Year != 2026 || len(c.Funnel) != 5 || len(c.Months) != 24 || len(c.Targets) != len(xinlu.CockpitMeasures) ||
		targets[xinlu.MeasureSigned] == nil || *targets[xinlu.MeasureSigned] != 12 || targets[xinlu.MeasureLeads] != nil {
		t.Fatalf("cockpit %s", body)
	}
	if len(c.Indicators) != 1 || c.Indicators[0].Share == nil || *c.Indicators[0].Share != 0.75 || c.Indicators[0].Month != 3 ||
		!strings.Contains(body, `"target":4,"actual":3,"month":3,"share":0.75`) {
		t.Fatalf("cockpit's indicators: %+v", c.Indicators)
	}
	// The other zone's director sees their own targets: none.
	status, body = apiCall(t, srv.URL, token("director2"), "GET", "/cockpit/targets/2026", "")
	if status != 200 {
		t.Fatalf("other zone's targets: %d %s", status, body)
	}
	var tj struct{ Targets map[string]int64 }
	if json.Unmarshal([]byte(body), &tj) != nil || len(tj.Targets) != 0 {
		t.Fatalf("targets are each zone's own: %s", body)
	}

	// The roll-up: the viewer sees both zones, a director their own.
	for who, want := range map[string]int{"viewer": 2, "director": 1, "director2": 1} {
		status, body := apiCall(t, srv.URL, token(who), "GET", "/cockpit/zones?year=2026", "")
		var out struct{ Items []report.RollupZone }
		if status != 200 || json.Unmarshal([]byte(body), &out) != nil || len(out.Items) != want {
			t.Fatalf("%s roll-up: %d %s", who, status, body)
		}
	}
	// Zones without a self-assessment sheet for the year carry none.
	status, body = apiCall(t, srv.URL, token("viewer"), "GET", "/cockpit/zones?year=2026", "")
	var rolled struct{ Items []report.RollupZone }
	if status != 200 || json.Unmarshal([]byte(body), &rolled) != nil || rolled.Items[0].Assessment != nil || !strings.Contains(body, `"assessment":null`) {
		t.Fatalf("roll-up without sheets: %d %s", status, body)
	}
}

// TestCockpitFollowsWritesOnEitherServer: two servers on one database; the
// cockpit one of them answers again unchanged shows at once a lead
// reported through the other, and a year target set on it.
func TestCockpitFollowsWritesOnEitherServer(t *testing.T) {
	engines := map[string]func(t *testing.T) (*store.Store, string){
		"sqlite": func(t *testing.T) (*store.Store, string) {
			st, path := testfix.SQLiteFile(t)
			return st, "sqlite:" + path
		},
	}
	if dsn := testdb.Postgres(); dsn != "" {
		engines["postgres"] = func(t *testing.T) (*store.Store, string) { return testfix.PostgresSchema(t, dsn) }
	}
	for name, open := range engines {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st, dsn := open(t)
			other, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			z := testfix.NewZone(t, st)
			a, b := newAPIServer(t, st, nil), newAPIServer(t, other, nil)
			tok := z.Token("director", time.Hour)
			year := strconv.Itoa(st.Now().In(time.FixedZone("CST", 8*3600)).Year())
			figures := func(srv string) map[xinlu.CockpitMeasure]report.CockpitTarget {
				t.Helper()
				status, body := apiCall(t, srv, tok, "GET", "/cockpit?year="+year, "")
				var c report.Cockpit
				if status != 200 || json.Unmarshal([]byte(body), &c) != nil {
					t.Fatalf("cockpit: %d %s", status, body)
				}
				out := map[xinlu.CockpitMeasure]report.CockpitTarget{}
				for _, tg := range c.Targets {
					out[tg.Measure] = tg
				}
				return out
			}
			rollupLeads := func(srv string) int64 {
				t.Helper()
				status, body := apiCall(t, srv, z.Token("viewer", time.Hour), "GET", "/cockpit/zones?year="+year, "")
				var list struct {
					Items []report.RollupZone `json:"items"`
				}
				if status != 200 || json.Unmarshal([]byte(body), &list) != nil || len(list.Items) != 1 {
					t.Fatalf("roll-up: %d %s", status, body)
				}
				return list.Items[0].Leads
			}
			rollupBefore := rollupLeads(a.URL)
			before := figures(a.URL)
			if again := figures(a.URL); again[xinlu.MeasureLeads].Actual != before[xinlu.MeasureLeads].Actual {
				t.Fatalf("unchanged cockpit read twice: %d then %d leads", before[xinlu.MeasureLeads].Actual, again[xinlu.MeasureLeads].Actual)
			}
			l := &xinlu.Lead{ZoneID: z.Zone.ID, ReporterID: z.Users[xinlu.RoleSponsor].MemberID, Company: "晋中重工装备有限公司", ProjectName: "盾构机总装项目",
				Industry: "equipment", Channel: "personal"}
			if _, err := other.ReportLead(ctx, xinlu.SystemActor(z.Zone.ID), l); err != nil {
				t.Fatal(err)
			}
			if got := figures(a.URL)[xinlu.MeasureLeads].Actual; got != before[xinlu.MeasureLeads].Actual+1 {
				t.Errorf("leads after a report on the other server: %d, want %d", got, before[xinlu.MeasureLeads].Actual+1)
			}
			if got := rollupLeads(a.URL); got != rollupBefore+1 {
				t.Errorf("roll-up leads after a report on the other server: %d, want %d", got, rollupBefore+1)
			}
			if status, body := apiCall(t, b.URL, tok, "PUT", "/cockpit/targets/"+year, `{"targets":{"leads":40}}`); status != 200 {
				t.Fatalf("set targets on the other server: %d %s", status, body)
			}
			if got := figures(a.URL)[xinlu.MeasureLeads].Target; got == nil || *got != 40 {
				t.Errorf("lead target after it was set on the other server: %v", got)
			}
		})
	}
}
