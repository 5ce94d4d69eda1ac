package xinlu

import "testing"

func TestTargetProgress(t *testing.T) {
	for _, c := range []struct {
		name              string
		target, actual    float64
		month             int
		lower, cumulative bool
		share             float64
		onTrack           bool
	}{
		{"cumulative half way in June", 20, 10, 6, false, true, 0.5, true},
		{"cumulative behind in September", 20, 10, 9, false, true, 0.5, false},
		{"level reached", 60, 63, 3, false, false, 1.05, true},
		{"level short", 60, 54, 12, false, false, 0.9, false},
		{"lower is better, under", 0.5, 0.4, 5, true, false, 1.25, true},
		{"lower is better, over", 0.5, 1, 5, true, false, 0.5, false},
		{"no target", 0, 5, 5, false, false, 0, false},
		{"capped", 1, 10, 5, false, false, 2, true},
	} {
		share, on := Progress(c.target, c.actual, c.month, c.lower, c.cumulative)
		if share != c.share || on != c.onTrack {
			t.Errorf("%s: %v %v, want %v %v", c.name, share, on, c.share, c.onTrack)
		}
	}
	ti := TargetIndicator{Set: "four_highs", Name: "x"}
	if AsError(ti.Validate()).Field != "set" {
		t.Fatal("unknown set")
	}
}
