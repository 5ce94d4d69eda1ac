package api

import (
	"net/http"
	"strconv"

	"xinlu/internal/xinlu"
)

func (a *API) enterpriseRoutes() []Route {
	return []Route{
		{"GET", "/enterprises", xinlu.PermLandView, a.handle(a.listEnterprises)},
		{"POST", "/enterprises", xinlu.PermLandManage, a.handle(a.createEnterprise)},
		{"GET", "/enterprises/{id}", xinlu.PermLandView, a.handle(a.getEnterprise)},
		{"GET", "/enterprises/{id}/years", xinlu.PermLandView, a.handle(a.enterpriseYears)},
		{"PUT", "/enterprises/{id}/years/{year}", xinlu.PermLandManage, a.handle(a.putEnterpriseYear)},
		{"GET", "/efficiency/{year}", xinlu.PermLandView, a.handle(a.efficiency)},
	}
}

// EnterpriseJSON is an enterprise in the zone.
type EnterpriseJSON struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	CreditCode string `json:"credit_code"`
	Industry   string `json:"industry"`
	ParkID     int64  `json:"park_id"`
	ParkName   string `json:"park_name"`
	ProjectID  int64  `json:"project_id"`
	Version    int    `json:"version"`
}

func enterpriseJSON(e *xinlu.Enterprise) EnterpriseJSON {
	return EnterpriseJSON{ID: e.ID, Name: e.Name, CreditCode: e.CreditCode, Industry: e.Industry, ParkID: e.ParkID, ParkName: e.ParkName,
		ProjectID: e.ProjectID, Version: e.Version}
}

// EnterpriseYearJSON is an enterprise's figures of a year; amounts in yuan.
type EnterpriseYearJSON struct {
	Year       int     `json:"year"`
	OutputYuan int64   `json:"output_yuan"`
	TaxYuan    int64   `json:"tax_yuan"`
	EnergyTce  float64 `json:"energy_tce"`
	EmissionsT float64 `json:"emissions_t"`
	LandMu     float64 `json:"land_mu"`
	Employees  int     `json:"employees"`
}

func (a *API) listEnterprises(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	es, total, err := a.store.ListEnterprises(r.Context(), user(r).ZoneID, r.URL.Query().Get("q"), p)
	if err != nil {
		return err
	}
	out := make([]EnterpriseJSON, len(es))
	for i, e := range es {
		out[i] = enterpriseJSON(e)
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

func (a *API) createEnterprise(w http.ResponseWriter, r *http.Request) error {
	var in EnterpriseJSON
	if err := decode(r, &in); err != nil {
		return err
	}
	e := &xinlu.Enterprise{ZoneID: user(r).ZoneID, Name: in.Name, CreditCode: in.CreditCode, Industry: in.Industry, ParkID: in.ParkID}
	if err := a.store.CreateEnterprise(r.Context(), actor(r), e); err != nil {
		return err
	}
	got, err := a.store.EnterpriseByID(r.Context(), e.ZoneID, e.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, enterpriseJSON(got))
	return nil
}

func (a *API) getEnterprise(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	e, err := a.store.EnterpriseByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, enterpriseJSON(e))
	return nil
}

func (a *API) enterpriseYears(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	zone := user(r).ZoneID
	if _, err := a.store.EnterpriseByID(r.Context(), zone, id); err != nil {
		return err
	}
	ys, err := a.store.EnterpriseYears(r.Context(), zone, id)
	if err != nil {
		return err
	}
	out := make([]EnterpriseYearJSON, len(ys))
	for i, y := range ys {
		out[i] = EnterpriseYearJSON{Year: y.Year, OutputYuan: y.OutputYuan, TaxYuan: y.TaxYuan, EnergyTce: y.EnergyTce, EmissionsT: y.EmissionsT,
			LandMu: y.LandMu, Employees: y.Employees}
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

func (a *API) putEnterpriseYear(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return xinlu.Invalid("year", "error.out_of_range", 2000, 2100)
	}
	var in EnterpriseYearJSON
	if err := decode(r, &in); err != nil {
		return err
	}
	y := xinlu.EnterpriseYear{EnterpriseID: id, Year: year, OutputYuan: in.OutputYuan, TaxYuan: in.TaxYuan, EnergyTce: in.EnergyTce,
		EmissionsT: in.EmissionsT, LandMu: in.LandMu, Employees: in.Employees}
	if err := a.store.SaveEnterpriseYear(r.Context(), actor(r), user(r).ZoneID, y); err != nil {
		return err
	}
	return a.enterpriseYears(w, r)
}

// EfficiencyJSON is one enterprise's per-mu evaluation; values in yuan.
type EfficiencyJSON struct {
	Rank         int                `json:"rank"`
	EnterpriseID int64              `json:"enterprise_id"`
	Name         string             `json:"name"`
	Values       map[string]float64 `json:"values"`
	Score        float64            `json:"score"`
	Class        string             `json:"class"`
}

func (a *API) efficiency(w http.ResponseWriter, r *http.Request) error {
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || year < 2000 || year > 2100 {
		return xinlu.Invalid("year", "error.out_of_range", 2000, 2100)
	}
	rs, err := a.store.Efficiency(r.Context(), user(r).ZoneID, year)
	if err != nil {
		return err
	}
	out := make([]EfficiencyJSON, len(rs))
	for i, x := range rs {
		out[i] = EfficiencyJSON{Rank: x.Rank, EnterpriseID: x.Enterprise.ID, Name: x.Enterprise.Name, Values: x.Values, Score: x.Score, Class: x.Class}
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}
