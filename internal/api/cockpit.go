package api

import (
	"net/http"
	"strconv"

	"xinlu/internal/report"
	"xinlu/internal/xinlu"
)

func (a *API) cockpitRoutes() []Route {
	return []Route{
		{"GET", "/cockpit", xinlu.PermCockpitView, a.handle(a.getCockpit)},
		{"GET", "/cockpit/zones", xinlu.PermCockpitView, a.handle(a.cockpitZones)},
		{"GET", "/cockpit/targets/{year}", xinlu.PermCockpitView, a.handle(a.getYearTargets)},
		{"PUT", "/cockpit/targets/{year}", xinlu.PermCockpitTargets, a.handle(a.putYearTargets)},
	}
}

// cockpitYear reads ?year= (default: this year in the zone's time).
func (a *API) cockpitYear(r *http.Request) (int, error) {
	year := a.store.Now().In(shanghaiLoc).Year()
	if y := r.URL.Query().Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < xinlu.MinTargetYear || n > xinlu.MaxTargetYear {
			return 0, xinlu.Invalid("year", "error.out_of_range", xinlu.MinTargetYear, xinlu.MaxTargetYear)
		}
		year = n
	}
	return year, nil
}

// getCockpit answers every figure of a zone's cockpit for a year: the
// caller's zone, or (a viewer over every zone) the zone_id asked for.
func (a *API) getCockpit(w http.ResponseWriter, r *http.Request) error {
	year, err := a.cockpitYear(r)
	if err != nil {
		return err
	}
	var requested int64
	if z := r.URL.Query().Get("zone_id"); z != "" {
		if requested, err = strconv.ParseInt(z, 10, 64); err != nil || requested <= 0 {
			return xinlu.Invalid("zone_id", "error.number")
		}
	}
	zone, err := xinlu.CockpitZone(user(r), requested)
	if err != nil {
		return err
	}
	if _, err := a.store.ZoneByID(r.Context(), zone); err != nil {
		return xinlu.NotFound("error.not_found")
	}
	c, err := report.CockpitOf(r.Context(), a.store, zone, year)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// cockpitZones answers every zone's headline figures side by side: for a
// viewer over every zone each zone, for anyone else their own only.
func (a *API) cockpitZones(w http.ResponseWriter, r *http.Request) error {
	year, err := a.cockpitYear(r)
	if err != nil {
		return err
	}
	rows, err := report.RollupOf(r.Context(), a.store, user(r), year)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(rows, len(rows)))
	return nil
}

func pathYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || y < xinlu.MinTargetYear || y > xinlu.MaxTargetYear {
		return 0, xinlu.Invalid("year", "error.out_of_range", xinlu.MinTargetYear, xinlu.MaxTargetYear)
	}
	return y, nil
}

// YearTargetsJSON are a year's targets by measure (amounts in yuan); a
// measure left out has no target.
type YearTargetsJSON struct {
	Year    int              `json:"year"`
	Targets map[string]int64 `json:"targets"`
}

func (a *API) getYearTargets(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	zone, err := xinlu.CockpitZone(user(r), 0)
	if err != nil {
		return err
	}
	t, err := a.store.YearTargets(r.Context(), zone, year)
	if err != nil {
		return err
	}
	out := YearTargetsJSON{Year: year, Targets: map[string]int64{}}
	for m, v := range t.Values {
		out.Targets[string(m)] = v
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) putYearTargets(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	var in YearTargetsJSON
	if err := decode(r, &in); err != nil {
		return err
	}
	t := xinlu.YearTargets{Year: year, Values: map[xinlu.CockpitMeasure]int64{}}
	for m, v := range in.Targets {
		t.Values[xinlu.CockpitMeasure(m)] = v
	}
	if err := a.store.SetYearTargets(r.Context(), actor(r), user(r).ZoneID, t); err != nil {
		return err
	}
	return a.getYearTargets(w, r)
}
