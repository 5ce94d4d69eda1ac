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
