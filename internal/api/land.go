package api

import (
	"net/http"
	"time"

	"xinlu/internal/i18n"
	"xinlu/internal/report"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func (a *API) landRoutes() []Route {
	return []Route{
		{"GET", "/parcels", xinlu.PermLandView, a.handle(a.listParcels)},
		{"POST", "/parcels", xinlu.PermLandManage, a.handle(a.createParcel)},
		{"GET", "/parcels/{id}", xinlu.PermLandView, a.handle(a.getParcel)},
		{"PUT", "/parcels/{id}", xinlu.PermLandManage, a.handle(a.updateParcel)},
		{"DELETE", "/parcels/{id}", xinlu.PermLandManage, a.deleter(a.store.DeleteParcel)},
		{"POST", "/parcels/{id}/move", xinlu.PermLandManage, a.handle(a.moveParcel)},
		{"GET", "/parks/{id}/parcels", xinlu.PermLandView, a.handle(a.listParkParcels)},
		{"GET", "/parks/{id}/utilities", xinlu.PermLandView, a.handle(a.parkUtilities)},
		{"GET", "/parks/{id}/standard", xinlu.PermLandView, a.handle(a.getStandard)},
		{"PUT", "/parks/{id}/standard", xinlu.PermLandManage, a.handle(a.putStandard)},
		{"GET", "/land-standard", xinlu.PermLandView, a.handle(a.getStandard)},
		{"PUT", "/land-standard", xinlu.PermLandManage, a.handle(a.putStandard)},
		{"POST", "/utilities", xinlu.PermLandManage, a.handle(a.createUtility)},
		{"PUT", "/utilities/{id}", xinlu.PermLandManage, a.handle(a.updateUtility)},
		{"DELETE", "/utilities/{id}", xinlu.PermLandManage, a.deleter(a.store.DeleteUtility)},
		{"GET", "/utilities/{id}/ledger", xinlu.PermLandView, a.handle(a.utilityLedger)},
		{"GET", "/buildouts", xinlu.PermLandView, a.handle(a.listBuildouts)},
		{"POST", "/buildouts", xinlu.PermLandManage, a.handle(a.createBuildout)},
		{"PUT", "/buildouts/{id}", xinlu.PermLandManage, a.handle(a.updateBuildout)},
		{"DELETE", "/buildouts/{id}", xinlu.PermLandManage, a.deleter(a.store.DeleteBuildout)},
		{"GET", "/projects/{id}/matches", xinlu.PermLandView, a.handle(a.projectMatches)},
		{"POST", "/projects/{id}/parcel", xinlu.PermProjectPlan, a.handle(a.pickParcel)},
	}
}

// ParcelJSON is a parcel as the API shows it.
type ParcelJSON struct {
	ID          int64     `json:"id"`
	ParkID      int64     `json:"park_id"`
	ParkName    string    `json:"park_name"`
	Code        string    `json:"code"`
	AreaMu      float64   `json:"area_mu"`
	LandUse     string    `json:"land_use"`
	FARMin      float64   `json:"far_min"`
	FARMax      float64   `json:"far_max"`
	Status      string    `json:"status"`
	ProjectID   int64     `json:"project_id"`
	ProjectName string    `json:"project_name"`
	AgreedStart string    `json:"agreed_start"`
	IdleSince   string    `json:"idle_since"`
	IdleDays    int       `json:"idle_days"`
	Shape       string    `json:"shape"`
	Note        string    `json:"note"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func (a *API) parcelJSON(c *xinlu.Parcel) ParcelJSON {
	return ParcelJSON{ID: c.ID, ParkID: c.ParkID, ParkName: c.ParkName, Code: c.Code, AreaMu: c.AreaMu, LandUse: c.LandUse,
		FARMin: c.FARMin, FARMax: c.FARMax, Status: string(c.Status), ProjectID: c.ProjectID, ProjectName: c.ProjectName,
		AgreedStart: c.AgreedStart, IdleSince: c.IdleSince, IdleDays: c.IdleDays(a.store.Now()), Shape: c.Shape, Note: c.Note,
		Version: c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

type parcelInput struct {
	ParkID  int64   `json:"park_id"`
	Code    string  `json:"code"`
	AreaMu  float64 `json:"area_mu"`
	LandUse string  `json:"land_use"`
	FARMin  float64 `json:"far_min"`
	FARMax  float64 `json:"far_max"`
	Shape   string  `json:"shape"`
	Note    string  `json:"note"`
	Version *int    `json:"version"`
}

func (a *API) parcelList(w http.ResponseWriter, r *http.Request, parkID int64) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.ParcelFilter{ZoneID: user(r).ZoneID, ParkID: parkID, Query: q.Get("q"), Idle: q.Get("idle") == "true", Page: p}
	if st := q.Get("status"); st != "" {
		f.Status = xinlu.ParcelStatus(st)
		if !validParcelStatus(f.Status) {
			return xinlu.Invalid("status", "error.invalid_choice")
		}
	}
	if parkID != 0 {
		if _, err := a.store.ParkByID(r.Context(), f.ZoneID, parkID); err != nil {
			return err
		}
	}
	items, total, err := a.store.ListParcels(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]ParcelJSON, len(items))
	for i, c := range items {
		out[i] = a.parcelJSON(c)
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

func validParcelStatus(s xinlu.ParcelStatus) bool {
	for _, v := range xinlu.ParcelStatuses {
		if v == s {
			return true
		}
	}
	return false
}

func (a *API) listParcels(w http.ResponseWriter, r *http.Request) error { return a.parcelList(w, r, 0) }

func (a *API) listParkParcels(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return a.parcelList(w, r, id)
}

func (a *API) getParcel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := a.store.ParcelByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.parcelJSON(c))
	return nil
}

func (a *API) createParcel(w http.ResponseWriter, r *http.Request) error {
	var in parcelInput
	if err := decode(r, &in); err != nil {
		return err
	}
	c := &xinlu.Parcel{ZoneID: user(r).ZoneID, ParkID: in.ParkID, Code: in.Code, AreaMu: in.AreaMu, LandUse: in.LandUse,
		FARMin: in.FARMin, FARMax: in.FARMax, Shape: in.Shape, Note: in.Note}
	if err := a.store.CreateParcel(r.Context(), actor(r), c); err != nil {
		return err
	}
	got, err := a.store.ParcelByID(r.Context(), c.ZoneID, c.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, a.parcelJSON(got))
	return nil
}

func (a *API) updateParcel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	old, err := a.store.ParcelByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	in := parcelInput{ParkID: old.ParkID, Code: old.Code, AreaMu: old.AreaMu, LandUse: old.LandUse, FARMin: old.FARMin,
		FARMax: old.FARMax, Shape: old.Shape, Note: old.Note}
	if err := decodeOver(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	c := &xinlu.Parcel{ID: id, ZoneID: old.ZoneID, ParkID: in.ParkID, Code: in.Code, AreaMu: in.AreaMu, LandUse: in.LandUse,
		FARMin: in.FARMin, FARMax: in.FARMax, Shape: in.Shape, Note: in.Note, Version: v}
	if err := a.store.UpdateParcel(r.Context(), actor(r), c); err != nil {
		return err
	}
	got, err := a.store.ParcelByID(r.Context(), c.ZoneID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.parcelJSON(got))
	return nil
}

type parcelMoveInput struct {
	Version     *int   `json:"version"`
	Status      string `json:"status"`
	ProjectID   int64  `json:"project_id"`
	AgreedStart string `json:"agreed_start"`
}

func (a *API) moveParcel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in parcelMoveInput
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	if !validParcelStatus(xinlu.ParcelStatus(in.Status)) {
		return xinlu.Invalid("status", "error.invalid_choice")
	}
	c, err := a.store.MoveParcel(r.Context(), actor(r), user(r).ZoneID, id, v,
		store.ParcelMove{To: xinlu.ParcelStatus(in.Status), ProjectID: in.ProjectID, AgreedStart: in.AgreedStart})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.parcelJSON(c))
	return nil
}

// StepJSON is one step of a utility's capacity over time.
type StepJSON struct {
	From     string  `json:"from"`
	Capacity float64 `json:"capacity"`
	Buildout string  `json:"buildout"`
}

// BuildoutJSON is a build-out as the API shows it.
type BuildoutJSON struct {
	ID        int64   `json:"id"`
	UtilityID int64   `json:"utility_id"`
	Name      string  `json:"name"`
	Added     float64 `json:"added"`
	PlannedOn string  `json:"planned_on"`
	ActualOn  string  `json:"actual_on"`
	Status    string  `json:"status"`
	Version   int     `json:"version"`
}

func buildoutJSON(b xinlu.Buildout) BuildoutJSON {
	return BuildoutJSON{ID: b.ID, UtilityID: b.UtilityID, Name: b.Name, Added: b.Added, PlannedOn: b.PlannedOn, ActualOn: b.ActualOn,
		Status: string(b.Status), Version: b.Version}
}

// UtilityJSON is a utility's figures on a date.
type UtilityJSON struct {
	ID           int64          `json:"id"`
	ParkID       int64          `json:"park_id"`
	Kind         string         `json:"kind"`
	Unit         string         `json:"unit"`
	Supplier     string         `json:"supplier"`
	Date         string         `json:"date"`
	BaseCapacity float64        `json:"base_capacity"`
	Capacity     float64        `json:"capacity"`
	Committed    float64        `json:"committed"`
	Reserved     float64        `json:"reserved"`
	Free         float64        `json:"free"`
	WarnRatio    float64        `json:"warn_ratio"`
	Warning      bool           `json:"warning"`
	Steps        []StepJSON     `json:"steps"`
	Buildouts    []BuildoutJSON `json:"buildouts"`
	Version      int            `json:"version"`
}

// UtilityFigures is a utility's figures on date.
func UtilityFigures(u *xinlu.Utility, date string) UtilityJSON {
	out := UtilityJSON{ID: u.ID, ParkID: u.ParkID, Kind: string(u.Kind), Unit: u.Kind.Unit(), Supplier: u.Supplier, Date: date,
		BaseCapacity: u.BaseCapacity, Capacity: u.CapacityAt(date), Committed: u.Committed, Reserved: u.Reserved, Free: u.FreeAt(date),
		WarnRatio: u.WarnRatio, Warning: u.Warning(date), Steps: []StepJSON{}, Buildouts: []BuildoutJSON{}, Version: u.Version}
	for _, s := range u.Steps() {
		out.Steps = append(out.Steps, StepJSON{From: s.From, Capacity: s.Capacity, Buildout: s.Buildout})
	}
	for _, b := range u.Buildouts {
		out.Buildouts = append(out.Buildouts, buildoutJSON(b))
	}
	return out
}

// dateParam is ?date= (YYYY-MM-DD), today by default.
func (a *API) dateParam(r *http.Request) (string, error) {
	d := r.URL.Query().Get("date")
	if d == "" {
		return a.store.Now().In(shanghaiLoc).Format(xinlu.DateLayout), nil
	}
	if _, err := xinlu.ParseDate(d); err != nil {
		return "", xinlu.Invalid("date", "error.date_format")
	}
	return d, nil
}

var shanghaiLoc = func() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return l
}()

func (a *API) parkUtilities(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	date, err := a.dateParam(r)
	if err != nil {
		return err
	}
	zone := user(r).ZoneID
	if _, err := a.store.ParkByID(r.Context(), zone, id); err != nil {
		return err
	}
	us, err := a.store.Utilities(r.Context(), zone, id)
	if err != nil {
		return err
	}
	out := make([]UtilityJSON, len(us))
	for i := range us {
		out[i] = UtilityFigures(&us[i], date)
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

type utilityInput struct {
	ParkID       int64   `json:"park_id"`
	Kind         string  `json:"kind"`
	Supplier     string  `json:"supplier"`
	BaseCapacity float64 `json:"base_capacity"`
	WarnRatio    float64 `json:"warn_ratio"`
	Version      *int    `json:"version"`
}

func (a *API) createUtility(w http.ResponseWriter, r *http.Request) error {
	var in utilityInput
	if err := decode(r, &in); err != nil {
		return err
	}
	u := &xinlu.Utility{ZoneID: user(r).ZoneID, ParkID: in.ParkID, Kind: xinlu.UtilityKind(in.Kind), Supplier: in.Supplier,
		BaseCapacity: in.BaseCapacity, WarnRatio: in.WarnRatio}
	if err := a.store.CreateUtility(r.Context(), actor(r), u); err != nil {
		return err
	}
	date, _ := a.dateParam(r)
	writeJSON(w, http.StatusCreated, UtilityFigures(u, date))
	return nil
}

func (a *API) updateUtility(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	old, err := a.store.UtilityByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	in := utilityInput{ParkID: old.ParkID, Kind: string(old.Kind), Supplier: old.Supplier, BaseCapacity: old.BaseCapacity, WarnRatio: old.WarnRatio}
	if err := decodeOver(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	u := &xinlu.Utility{ID: id, ZoneID: old.ZoneID, Supplier: in.Supplier, BaseCapacity: in.BaseCapacity, WarnRatio: in.WarnRatio, Version: v}
	if err := a.store.UpdateUtility(r.Context(), actor(r), u); err != nil {
		return err
	}
	got, err := a.store.UtilityByID(r.Context(), old.ZoneID, id)
	if err != nil {
		return err
	}
	date, _ := a.dateParam(r)
	writeJSON(w, http.StatusOK, UtilityFigures(got, date))
	return nil
}

// LedgerJSON is one row of the utility ledger.
type LedgerJSON struct {
	ID          int64     `json:"id"`
	UtilityID   int64     `json:"utility_id"`
	ProjectID   int64     `json:"project_id"`
	ProjectName string    `json:"project_name"`
	Kind        string    `json:"kind"`
	Reserved    float64   `json:"reserved"`
	Committed   float64   `json:"committed"`
	Reason      string    `json:"reason"`
	Override    bool      `json:"override"`
	ActorName   string    `json:"actor_name"`
	At          time.Time `json:"at"`
}

func (a *API) utilityLedger(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	zone := user(r).ZoneID
	if _, err := a.store.UtilityByID(r.Context(), zone, id); err != nil {
		return err
	}
	rows, total, err := a.store.UtilityLedger(r.Context(), store.LedgerFilter{ZoneID: zone, UtilityID: id, Page: p})
	if err != nil {
		return err
	}
	out := make([]LedgerJSON, len(rows))
	for i, e := range rows {
		out[i] = LedgerJSON{ID: e.ID, UtilityID: e.UtilityID, ProjectID: e.ProjectID, ProjectName: e.ProjectName, Kind: string(e.Kind),
			Reserved: e.Reserved, Committed: e.Committed, Reason: e.Reason, Override: e.Override, ActorName: e.ActorName, At: e.At}
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

func (a *API) listBuildouts(w http.ResponseWriter, r *http.Request) error {
	bs, err := a.store.ListBuildouts(r.Context(), user(r).ZoneID)
	if err != nil {
		return err
	}
	out := make([]BuildoutJSON, len(bs))
	for i, b := range bs {
		out[i] = buildoutJSON(b)
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

type buildoutInput struct {
	UtilityID int64   `json:"utility_id"`
	Name      string  `json:"name"`
	Added     float64 `json:"added"`
	PlannedOn string  `json:"planned_on"`
	ActualOn  string  `json:"actual_on"`
	Status    string  `json:"status"`
	Version   *int    `json:"version"`
}

func (a *API) createBuildout(w http.ResponseWriter, r *http.Request) error {
	var in buildoutInput
	if err := decode(r, &in); err != nil {
		return err
	}
	b := &xinlu.Buildout{ZoneID: user(r).ZoneID, UtilityID: in.UtilityID, Name: in.Name, Added: in.Added, PlannedOn: in.PlannedOn,
		ActualOn: in.ActualOn, Status: xinlu.BuildoutStatus(in.Status)}
	if err := a.store.CreateBuildout(r.Context(), actor(r), b); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, buildoutJSON(*b))
	return nil
}

func (a *API) updateBuildout(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	old, err := a.store.BuildoutByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	in := buildoutInput{UtilityID: old.UtilityID, Name: old.Name, Added: old.Added, PlannedOn: old.PlannedOn, ActualOn: old.ActualOn, Status: string(old.Status)}
	if err := decodeOver(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	b := &xinlu.Buildout{ID: id, ZoneID: old.ZoneID, UtilityID: old.UtilityID, Name: in.Name, Added: in.Added, PlannedOn: in.PlannedOn,
		ActualOn: in.ActualOn, Status: xinlu.BuildoutStatus(in.Status), Version: v}
	if err := a.store.UpdateBuildout(r.Context(), actor(r), b); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, buildoutJSON(*b))
	return nil
}

// StandardJSON is the standard-land thresholds; amounts in yuan per mu.
type StandardJSON struct {
	ParkID          int64   `json:"park_id"`
	Own             bool    `json:"own"` // set on the park itself (false: the zone's apply)
	InvestPerMuYuan int64   `json:"invest_per_mu_yuan"`
	TaxPerMuYuan    int64   `json:"tax_per_mu_yuan"`
	FARMin          float64 `json:"far_min"`
	FARMax          float64 `json:"far_max"`
	EnergyPerOutput float64 `json:"energy_per_output"`
}

func (a *API) standardPark(r *http.Request) (int64, error) {
	if r.PathValue("id") == "" {
		return 0, nil
	}
	id, err := pathID(r, "id")
	if err != nil {
		return 0, err
	}
	if _, err := a.store.ParkByID(r.Context(), user(r).ZoneID, id); err != nil {
		return 0, err
	}
	return id, nil
}

func (a *API) writeStandard(w http.ResponseWriter, r *http.Request, parkID int64) error {
	zone := user(r).ZoneID
	st, err := a.store.LandStandard(r.Context(), zone, parkID)
	if err != nil {
		return err
	}
	_, own, err := a.store.OwnLandStandard(r.Context(), zone, parkID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, StandardJSON{ParkID: parkID, Own: own, InvestPerMuYuan: st.InvestPerMuYuan, TaxPerMuYuan: st.TaxPerMuYuan,
		FARMin: st.FARMin, FARMax: st.FARMax, EnergyPerOutput: st.EnergyPerOutput})
	return nil
}

func (a *API) getStandard(w http.ResponseWriter, r *http.Request) error {
	id, err := a.standardPark(r)
	if err != nil {
		return err
	}
	return a.writeStandard(w, r, id)
}

func (a *API) putStandard(w http.ResponseWriter, r *http.Request) error {
	id, err := a.standardPark(r)
	if err != nil {
		return err
	}
	var in StandardJSON
	if err := decode(r, &in); err != nil {
		return err
	}
	st := xinlu.LandStandard{InvestPerMuYuan: in.InvestPerMuYuan, TaxPerMuYuan: in.TaxPerMuYuan, FARMin: in.FARMin, FARMax: in.FARMax,
		EnergyPerOutput: in.EnergyPerOutput}
	if err := a.store.SetLandStandard(r.Context(), actor(r), user(r).ZoneID, id, st); err != nil {
		return err
	}
	return a.writeStandard(w, r, id)
}

// ReasonJSON is one reason for a "no": its code and the words.
type ReasonJSON struct {
	Code string `json:"code"`
	Text string `json:"text"`
}

// ParcelMatchJSON is a free parcel's answer.
type ParcelMatchJSON struct {
	ID      int64        `json:"id"`
	Code    string       `json:"code"`
	AreaMu  float64      `json:"area_mu"`
	Status  string       `json:"status"`
	Fit     bool         `json:"fit"`
	Reasons []ReasonJSON `json:"reasons"`
}

// ParkMatchJSON is a park's answer for a project.
type ParkMatchJSON struct {
	ParkID   int64             `json:"park_id"`
	ParkName string            `json:"park_name"`
	Fit      bool              `json:"fit"`
	Reasons  []ReasonJSON      `json:"reasons"`
	Headroom float64           `json:"headroom"`
	Parcels  []ParcelMatchJSON `json:"parcels"`
}

// ReasonText writes a reason in words.
func reasonsJSON(p *i18n.Printer, rs []xinlu.Reason) []ReasonJSON {
	out := make([]ReasonJSON, len(rs))
	for i, r := range rs {
		out[i] = ReasonJSON{Code: r.Key, Text: report.ReasonText(p, r)}
	}
	return out
}

func (a *API) projectMatches(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	date, err := a.dateParam(r)
	if err != nil {
		return err
	}
	fits, _, err := a.store.MatchProject(r.Context(), user(r).ZoneID, id, date)
	if err != nil {
		return err
	}
	pr := a.printer(r)
	out := make([]ParkMatchJSON, len(fits))
	for i, f := range fits {
		m := ParkMatchJSON{ParkID: f.Park.ID, ParkName: f.Park.Name, Fit: f.Fit, Reasons: reasonsJSON(pr, f.Reasons), Headroom: f.Headroom,
			Parcels: make([]ParcelMatchJSON, len(f.Parcels))}
		for j, pf := range f.Parcels {
			m.Parcels[j] = ParcelMatchJSON{ID: pf.Parcel.ID, Code: pf.Parcel.Code, AreaMu: pf.Parcel.AreaMu, Status: string(pf.Parcel.Status),
				Fit: pf.Fit, Reasons: reasonsJSON(pr, pf.Reasons)}
		}
		out[i] = m
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

func (a *API) pickParcel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		ParcelID int64 `json:"parcel_id"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := a.store.PickParcel(r.Context(), actor(r), user(r), id, in.ParcelID); err != nil {
		return err
	}
	items, _, err := a.store.ListParcels(r.Context(), store.ParcelFilter{ZoneID: user(r).ZoneID, ProjectID: id, Page: xinlu.Page{PerPage: -1}})
	if err != nil {
		return err
	}
	out := make([]ParcelJSON, len(items))
	for i, c := range items {
		out[i] = a.parcelJSON(c)
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}
