package store_test

import (
	"net/url"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// The pages and the API read the ledger's filters by one rule: what the
// API accepts, the pages read the same; what the API refuses, naming the
// field, the pages read as "all" for that field alone.
func TestProjectFilterOneRule(t *testing.T) {
	good := "stage=agency&status=active&industry=materials&light=red&six_new=new_materials&q=+光伏+&park_id=3&sponsor_id=4&signed=1&signed_from=2026-01-01&signed_to=2026-06-30"
	v, _ := url.ParseQuery(good)
	strict, err := store.ParseProjectFilter(v)
	if err != nil {
		t.Fatalf("a good filter refused: %v", err)
	}
	if lenient := store.ReadProjectFilter(v); lenient != strict {
		t.Fatalf("a good filter read two ways:\n%+v\n%+v", strict, lenient)
	}
	if strict.Query != "光伏" || strict.ParkID != 3 || strict.Stage != "agency" {
		t.Fatalf("read %+v", strict)
	}
	for _, c := range []struct{ param, value, field string }{
		{"stage", "bogus", "stage"},
		{"status", "gone", "status"},
		{"industry", "spaceships", "industry"},
		{"light", "blue", "light"},
		{"six_new", "x", "six_new"},
		{"park_id", "abc", "park_id"},
		{"sponsor_id", "-2", "sponsor_id"},
		{"signed", "maybe", "signed"},
	} {
		bad, _ := url.ParseQuery(good)
		bad.Set(c.param, c.value)
		_, err := store.ParseProjectFilter(bad)
		if e := xinlu.AsError(err); err == nil || e.Code != xinlu.EINVALID || e.Field != c.field {
			t.Errorf("%s=%s: the API's reading gives %v, want invalid %s", c.param, c.value, err, c.field)
		}
		// The page's reading drops that field alone.
		want, _ := url.ParseQuery(good)
		want.Del(c.param)
		wantF, err := store.ParseProjectFilter(want)
		if err != nil {
			t.Fatal(err)
		}
		if got := store.ReadProjectFilter(bad); got != wantF {
			t.Errorf("%s=%s: the page reads\n%+v, want\n%+v", c.param, c.value, got, wantF)
		}
	}
	// Dates are the store's to refuse on the page, naming the field.
	bad, _ := url.ParseQuery(good)
	bad.Set("signed_from", "2026-13-01")
	if got := store.ReadProjectFilter(bad); got.SignedFrom != "2026-13-01" {
		t.Errorf("the page's reading changed the typed date: %q", got.SignedFrom)
	}
	if _, err := store.ParseProjectFilter(bad); xinlu.AsError(err).Field != "signed_from" {
		t.Errorf("the API's reading of a bad date: %v", err)
	}
}

// The incentive ledger's and the tolerance register's filters likewise:
// the pages clear exactly the fields the API refuses.
func TestListFiltersLenientClearsWhatCheckRefuses(t *testing.T) {
	good := store.IncentiveFilter{MemberID: 3, Kind: xinlu.IncentiveKinds[0], Status: xinlu.IncentiveStatuses[0], Source: store.SourceAuto,
		From: "2026-01-01", To: "2026-06-30", Query: "签约"}
	if err := good.Check(); err != nil || good.Lenient() != good {
		t.Fatalf("a good incentive filter: %v, read leniently %+v", err, good.Lenient())
	}
	for field, spoil := range map[string]func(*store.IncentiveFilter){
		"kind":   func(f *store.IncentiveFilter) { f.Kind = "bonus" },
		"status": func(f *store.IncentiveFilter) { f.Status = "lost" },
		"source": func(f *store.IncentiveFilter) { f.Source = "robot" },
		"from":   func(f *store.IncentiveFilter) { f.From = "2026-02-30" },
		"to":     func(f *store.IncentiveFilter) { f.To = "June" },
	} {
		bad := good
		spoil(&bad)
		if e := xinlu.AsError(bad.Check()); e.Code != xinlu.EINVALID || e.Field != field {
			t.Errorf("%s: the API's check gives %v", field, bad.Check())
		}
		got := bad.Lenient()
		if got.Check() != nil {
			t.Errorf("%s: the lenient reading still fails: %+v", field, got)
		}
		want := good
		switch field {
		case "kind":
			want.Kind = ""
		case "status":
			want.Status = ""
		case "source":
			want.Source = ""
		case "from":
			want.From = ""
		case "to":
			want.To = ""
		}
		if got != want {
			t.Errorf("%s: read leniently %+v, want %+v", field, got, want)
		}
	}
	claims := store.ClaimFilter{Status: "nonsense", Decision: xinlu.ClaimDecisions[0], MemberID: 2, Query: "事实"}
	if e := xinlu.AsError(claims.Check()); e.Field != "status" {
		t.Errorf("a bad claim status: %v", claims.Check())
	}
	if got := claims.Lenient(); got.Status != "" || got.Decision != xinlu.ClaimDecisions[0] || got.MemberID != 2 || got.Query != "事实" {
		t.Errorf("the claim filter read leniently: %+v", got)
	}
}
