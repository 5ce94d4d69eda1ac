package xinlu

import "testing"

func TestCheckUtilityDelete(t *testing.T) {
	if err := CheckUtilityDelete(0); err != nil {
		t.Fatalf("utility without ledger rows: %v", err)
	}
	e := AsError(CheckUtilityDelete(3))
	if e == nil || e.Code != ECONFLICT || e.Key != "land.utility_in_ledger" || e.Args[0] != 3 {
		t.Fatalf("utility in the ledger: %#v", e)
	}
}

func TestCheckBuildoutDelete(t *testing.T) {
	u := &Utility{BaseCapacity: 100, Buildouts: []Buildout{
		{ID: 1, Added: 50, PlannedOn: "2027-06-01", Status: BuildoutPlanned},
		{ID: 2, Added: 30, PlannedOn: "2028-01-01", Status: BuildoutDelayed},
	}}
	for _, c := range []struct {
		name     string
		used     float64
		id       int64
		refused  bool
		capacity string
	}{
		{"nothing reserved", 0, 1, false, ""},
		{"reservations fit the base", 90, 1, false, ""},
		{"reservations count on the build-out", 120, 1, true, "100"},
		{"a delayed build-out counts for nothing", 120, 2, false, ""},
	} {
		u.Reserved = c.used
		err := CheckBuildoutDelete(u, c.id)
		if c.refused != (err != nil) {
			t.Fatalf("%s: %v", c.name, err)
		}
		if e := AsError(err); err != nil && (e.Key != "land.buildout_counted_on" || e.Args[0] != FormatQuantity(c.used) || e.Args[1] != c.capacity) {
			t.Fatalf("%s: %#v", c.name, e)
		}
	}
	if len(u.Buildouts) != 2 {
		t.Fatal("the check changed the utility's build-outs")
	}
}
