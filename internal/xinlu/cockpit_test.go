package xinlu

import (
	"testing"
	"time"
)

func TestTimeProgress(t *testing.T) {
	for _, c := range []struct {
		year  int
		today string
		want  float64
	}{
		{2026, "2026-11-30", 11.0 / 12}, {2026, "2026-01-31", 1.0 / 12}, {2026, "2026-07-15", (6 + 15.0/31) / 12},
		{2026, "2025-12-31", 0}, {2026, "2027-01-01", 1},
	} {
		d, _ := time.Parse(DateLayout, c.today)
		if got := TimeProgress(c.year, d); got < c.want-1e-9 || got > c.want+1e-9 {
			t.Errorf("%d on %s: %.4f, want %.4f", c.year, c.today, got, c.want)
		}
	}
}

func TestMedianOfCounts(t *testing.T) {
	if _, ok := MedianOfCounts(nil); ok {
		t.Error("no values: no median")
	}
	for _, c := range []struct {
		counts map[int]int
		want   float64
	}{
		{map[int]int{5: 1}, 5}, {map[int]int{3: 1, 9: 1}, 6}, {map[int]int{1: 2, 10: 1}, 1}, {map[int]int{2: 1, 4: 2, 100: 1}, 4},
		{map[int]int{0: 3, 7: 0, 8: 3}, 4},
	} {
		if got, ok := MedianOfCounts(c.counts); !ok || got != c.want {
			t.Errorf("%v: %v, want %v", c.counts, got, c.want)
		}
	}
}

func TestYearTargetsValidate(t *testing.T) {
	good := YearTargets{Year: 2026, Values: map[CockpitMeasure]int64{MeasureContractYuan: 5_000_000_000, MeasureSigned: 30}}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := YearTargets{Year: 1999, Values: map[CockpitMeasure]int64{MeasureSigned: -1, MeasureFundsYuan: MaxTargetYuan + 1, "nonsense": 1}}
	if fe := ErrorsOf(bad.Validate()); len(fe) != 4 {
		t.Fatalf("every bad field at once: %v", bad.Validate())
	}
}

func TestCockpitZone(t *testing.T) {
	director := &User{ZoneID: 3, Roles: []Role{RoleDirector}}
	viewer := &User{ZoneID: 0, Roles: []Role{RoleViewer}}
	member := &User{ZoneID: 3, Roles: []Role{RoleMember}}
	for _, c := range []struct {
		u         *User
		requested int64
		want      int64
		code      Code
	}{
		{director, 0, 3, ""}, {director, 3, 3, ""}, {director, 4, 0, ENOTFOUND},
		{viewer, 4, 4, ""}, {viewer, 0, 0, EINVALID}, {member, 0, 0, EFORBIDDEN},
	} {
		got, err := CockpitZone(c.u, c.requested)
		if got != c.want || (c.code == "" && err != nil) || (c.code != "" && ErrorCode(err) != c.code) {
			t.Errorf("%v asking for zone %d: %d %v", c.u.Roles, c.requested, got, err)
		}
	}
}
