package api

import (
	"net/http"
	"strconv"

	"xinlu/internal/report"
	"xinlu/internal/xinlu"
)

func (a *API) assessmentRoutes() []Route {
	return []Route{
		{"GET", "/assessments/{year}", xinlu.PermAssessmentView, a.handle(a.getAssessment)},
		{"GET", "/assessments/{year}/export.xlsx", xinlu.PermAssessmentView, a.handle(a.exportAssessment)},
		{"GET", "/assessments/{year}/zones", xinlu.PermAssessmentView, a.handle(a.assessmentZones)},
		{"POST", "/assessments/{year}/default", xinlu.PermAssessmentManage, a.handle(a.defaultAssessment)},
		{"POST", "/assessments/{year}/indicators", xinlu.PermAssessmentManage, a.handle(a.createAssessmentIndicator)},
		{"PUT", "/assessments/indicators/{id}", xinlu.PermAssessmentManage, a.handle(a.updateAssessmentIndicator)},
		{"DELETE", "/assessments/indicators/{id}", xinlu.PermAssessmentManage, a.deleter(a.store.DeleteAssessmentIndicator)},
		{"PUT", "/assessments/category", xinlu.PermAssessmentManage, a.handle(a.setZoneCategory)},
	}
}

// AssessmentIndicatorJSON is an indicator of the sheet; on reading it
// carries its actual value, score and the records behind it.
type AssessmentIndicatorJSON struct {
	ID        int64          `json:"id"`
	Year      int            `json:"year"`
	Name      string         `json:"name"`
	Unit      string         `json:"unit"`
	Weight    float64        `json:"weight"`
	Target    float64        `json:"target"`
	Source    string         `json:"source"`
	LowerGood bool           `json:"lower_good"`
	Deduction bool           `json:"deduction"`
	Value     *float64       `json:"value"` // entered indicators: as entered; null when none
	Evidence  string         `json:"evidence"`
	Links     []string       `json:"links"`
	SortOrder int            `json:"sort_order"`
	Version   int            `json:"version"`
	Actual    *float64       `json:"actual,omitempty"`
	Score     *float64       `json:"score,omitempty"`
	Missing   bool           `json:"missing,omitempty"`
	NoTarget  bool           `json:"no_target,omitempty"`
	Records   []EvidenceJSON `json:"records,omitempty"`
	More      int            `json:"more_records,omitempty"`
}

// EvidenceJSON is a record behind an indicator and its page.
type EvidenceJSON struct {
	Label string `json:"label"`
	Path  string `json:"path"`
}

// AssessmentJSON is a zone's scored sheet of a year.
type AssessmentJSON struct {
	Year       int                       `json:"year"`
	Category   string                    `json:"category"`
	Total      float64                   `json:"total"`
	Full       float64                   `json:"full"`
	Grade      string                    `json:"grade"`
	Rank       int                       `json:"rank"`
	Of         int                       `json:"of"`
	Indicators []AssessmentIndicatorJSON `json:"indicators"`
}

// ZoneScoreJSON is one zone's score of a year and its rank in its category.
type ZoneScoreJSON struct {
	ZoneID   int64   `json:"zone_id"`
	Zone     string  `json:"zone"`
	Category string  `json:"category"`
	Score    float64 `json:"score"`
	Full     float64 `json:"full"`
	Grade    string  `json:"grade"`
	Rank     int     `json:"rank"`
	Of       int     `json:"of"`
}

func indicatorJSON(i *xinlu.AssessmentIndicator) AssessmentIndicatorJSON {
	links := i.Links
	if links == nil {
		links = []string{}
	}
	return AssessmentIndicatorJSON{ID: i.ID, Year: i.Year, Name: i.Name, Unit: i.Unit, Weight: i.Weight, Target: i.Target, Source: i.Source,
		LowerGood: i.LowerGood, Deduction: i.Deduction, Value: i.Value, Evidence: i.Evidence, Links: links, SortOrder: i.SortOrder, Version: i.Version}
}

func (a *API) getAssessment(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	u := user(r)
	sheet, err := a.store.Assessment(r.Context(), u.ZoneID, year)
	if err != nil {
		return err
	}
	out := AssessmentJSON{Year: year, Category: sheet.Category, Total: sheet.Total, Full: sheet.Full, Grade: sheet.Grade, Indicators: []AssessmentIndicatorJSON{}}
	for _, row := range sheet.Rows {
		j := indicatorJSON(&row.AssessmentIndicator)
		score := row.Score.Score
		j.Actual, j.Score, j.Missing, j.NoTarget, j.More = row.Actual, &score, row.Score.Missing, row.Score.NoGoal, row.More
		for _, l := range row.Records {
			j.Records = append(j.Records, EvidenceJSON{Label: l.Label, Path: l.Path})
		}
		out.Indicators = append(out.Indicators, j)
	}
	if len(sheet.Rows) > 0 {
		scores, err := a.store.AssessmentScores(r.Context(), year)
		if err != nil {
			return err
		}
		for _, z := range scores {
			if z.ZoneID == u.ZoneID {
				out.Rank, out.Of = z.Rank, z.Of
			}
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// assessmentZones lists the scores of the zones of the caller's category
// (every zone with a sheet for the year, for a viewer over all zones).
func (a *API) assessmentZones(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	u := user(r)
	scores, err := a.store.AssessmentScores(r.Context(), year)
	if err != nil {
		return err
	}
	cat, err := a.store.ZoneCategory(r.Context(), u.ZoneID)
	if err != nil {
		return err
	}
	all := u.Filter(xinlu.PermAssessmentView).Scope >= xinlu.ScopeAllZones
	out := []ZoneScoreJSON{}
	for _, z := range scores {
		if all || z.Category == cat {
			out = append(out, ZoneScoreJSON{ZoneID: z.ZoneID, Zone: z.ZoneName, Category: z.Category, Score: z.Score, Full: z.Full, Grade: z.Grade, Rank: z.Rank, Of: z.Of})
		}
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

func (a *API) exportAssessment(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	u := user(r)
	rep, _, err := report.AssessmentReport(r.Context(), a.store, a.printer(r), u, year, a.store.Now().In(shanghaiLoc))
	if err != nil {
		return err
	}
	return a.sendReport(w, r, rep, "assessment.export", "zone", u.ZoneID, map[string]any{"year": year}, "self-assessment-"+strconv.Itoa(year)+".xlsx")
}

func (a *API) defaultAssessment(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	if _, err := a.store.LoadDefaultAssessment(r.Context(), actor(r), user(r).ZoneID, year); err != nil {
		return err
	}
	inds, err := a.store.AssessmentIndicators(r.Context(), user(r).ZoneID, year)
	if err != nil {
		return err
	}
	out := make([]AssessmentIndicatorJSON, len(inds))
	for i, ind := range inds {
		out[i] = indicatorJSON(ind)
	}
	writeJSON(w, http.StatusCreated, newList(out, len(out)))
	return nil
}

func indicatorFromJSON(in AssessmentIndicatorJSON, ind *xinlu.AssessmentIndicator) {
	ind.Name, ind.Unit, ind.Weight, ind.Target, ind.Source = in.Name, in.Unit, in.Weight, in.Target, in.Source
	ind.LowerGood, ind.Deduction, ind.Value, ind.Evidence, ind.Links, ind.SortOrder = in.LowerGood, in.Deduction, in.Value, in.Evidence, in.Links, in.SortOrder
}

func (a *API) createAssessmentIndicator(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	var in AssessmentIndicatorJSON
	if err := decode(r, &in); err != nil {
		return err
	}
	ind := &xinlu.AssessmentIndicator{ZoneID: user(r).ZoneID, Year: year}
	indicatorFromJSON(in, ind)
	if err := a.store.SaveAssessmentIndicator(r.Context(), actor(r), ind); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, indicatorJSON(ind))
	return nil
}

func (a *API) updateAssessmentIndicator(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	old, err := a.store.AssessmentIndicatorByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	in := indicatorJSON(old)
	in.Version = 0
	if err := decodeOver(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(&in.Version)
	if err != nil {
		return err
	}
	ind := &xinlu.AssessmentIndicator{ID: id, ZoneID: old.ZoneID, Year: in.Year, Version: v}
	indicatorFromJSON(in, ind)
	if err := a.store.SaveAssessmentIndicator(r.Context(), actor(r), ind); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, indicatorJSON(ind))
	return nil
}

func (a *API) setZoneCategory(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Category string `json:"category"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := a.store.SetZoneCategory(r.Context(), actor(r), user(r).ZoneID, in.Category); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
