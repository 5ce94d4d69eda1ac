package api

import (
	"net/http"
	"strconv"

	"xinlu/internal/xinlu"
)

func (a *API) targetRoutes() []Route {
	return []Route{
		{"GET", "/targets", xinlu.PermLandView, a.handle(a.listTargets)},
		{"POST", "/targets", xinlu.PermLandManage, a.handle(a.createTarget)},
		{"PUT", "/targets/{id}/years/{year}", xinlu.PermLandManage, a.handle(a.setTarget)},
		{"POST", "/targets/{id}/actuals", xinlu.PermLandManage, a.handle(a.enterActual)},
	}
}

// TargetJSON is an indicator with its year's target, actuals and progress.
type TargetJSON struct {
	ID         int64        `json:"id"`
	Set        string       `json:"set"`
	Name       string       `json:"name"`
	Unit       string       `json:"unit"`
	Source     string       `json:"source"`
	LowerGood  bool         `json:"lower_good"`
	Cumulative bool         `json:"cumulative"`
	Year       int          `json:"year"`
	Target     *float64     `json:"target"`
	Actuals    []ActualJSON `json:"actuals"`
	Progress   float64      `json:"progress"`
	OnTrack    bool         `json:"on_track"`
}

// ActualJSON is a month's actual.
type ActualJSON struct {
	Month int     `json:"month"`
	Value float64 `json:"value"`
	By    string  `json:"by"`
}

func (a *API) listTargets(w http.ResponseWriter, r *http.Request) error {
	year := a.store.Now().In(shanghaiLoc).Year()
	if y := r.URL.Query().Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > 2100 {
			return xinlu.Invalid("year", "error.out_of_range", 2000, 2100)
		}
		year = n
	}
	rows, err := a.store.Targets(r.Context(), user(r).ZoneID, year)
	if err != nil {
		return err
	}
	out := make([]TargetJSON, len(rows))
	for i, t := range rows {
		j := TargetJSON{ID: t.ID, Set: t.Set, Name: t.Name, Unit: t.Unit, Source: t.Source, LowerGood: t.LowerGood, Cumulative: t.Cumulative,
			Year: year, Actuals: []ActualJSON{}, Progress: t.Share, OnTrack: t.OnTrack}
		if t.HasTarget {
			j.Target = &t.Target
		}
		for _, x := range t.Actuals {
			j.Actuals = append(j.Actuals, ActualJSON{Month: x.Month, Value: x.Value, By: x.By})
		}
		out[i] = j
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

func (a *API) createTarget(w http.ResponseWriter, r *http.Request) error {
	var in TargetJSON
	if err := decode(r, &in); err != nil {
		return err
	}
	t := &xinlu.TargetIndicator{ZoneID: user(r).ZoneID, Set: in.Set, Name: in.Name, Unit: in.Unit, Source: in.Source, LowerGood: in.LowerGood, Cumulative: in.Cumulative}
	if err := a.store.CreateIndicator(r.Context(), actor(r), t); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, TargetJSON{ID: t.ID, Set: t.Set, Name: t.Name, Unit: t.Unit, Source: t.Source, LowerGood: t.LowerGood,
		Cumulative: t.Cumulative, Actuals: []ActualJSON{}})
	return nil
}

func (a *API) setTarget(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return xinlu.Invalid("year", "error.out_of_range", 2000, 2100)
	}
	var in struct {
		Target float64 `json:"target"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := a.store.SetTarget(r.Context(), actor(r), user(r).ZoneID, id, year, in.Target); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) enterActual(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Year  int     `json:"year"`
		Month int     `json:"month"`
		Value float64 `json:"value"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := a.store.EnterActual(r.Context(), actor(r), user(r).ZoneID, id, in.Year, in.Month, in.Value); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
