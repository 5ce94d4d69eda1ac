package api

import (
	"net/http"
	"time"

	"xinlu/internal/xinlu"
)

// Credit disputes (首报认定争议) of a lead: a co-reporter raises one, the
// screening task force decides it (uphold moves the credit, reject keeps
// it). See store.RaiseLeadDispute and store.DecideLeadDispute.

// LeadDisputeJSON is a credit dispute as the API shows it.
type LeadDisputeJSON struct {
	ID                 int64               `json:"id"`
	LeadID             int64               `json:"lead_id"`
	DisputantID        int64               `json:"disputant_id"`
	DisputantName      string              `json:"disputant_name"`
	Reason             string              `json:"reason"`
	Status             xinlu.DisputeStatus `json:"status"`
	RaisedAt           time.Time           `json:"raised_at"`
	ReporterID         int64               `json:"reporter_id"`
	ReporterName       string              `json:"reporter_name"`
	FormerReporterID   int64               `json:"former_reporter_id,omitempty"`
	FormerReporterName string              `json:"former_reporter_name,omitempty"`
	DecisionNote       string              `json:"decision_note"`
	DecidingBody       string              `json:"deciding_body"`
	DecidedOn          string              `json:"decided_on"`
	DecidedBy          int64               `json:"decided_by,omitempty"`
	DeciderName        string              `json:"decider_name,omitempty"`
	DecidedAt          *time.Time          `json:"decided_at,omitempty"`
	Version            int                 `json:"version"`
}

func leadDisputeJSON(d *xinlu.LeadDispute) LeadDisputeJSON {
	out := LeadDisputeJSON{ID: d.ID, LeadID: d.LeadID, DisputantID: d.DisputantID, DisputantName: d.DisputantName,
		Reason: d.Reason, Status: d.Status, RaisedAt: d.RaisedAt, ReporterID: d.ReporterID, ReporterName: d.ReporterName,
		FormerReporterID: d.FormerReporterID, FormerReporterName: d.FormerReporterName, DecisionNote: d.DecisionNote,
		DecidingBody: d.DecidingBody, DecidedOn: d.DecidedOn, DecidedBy: d.DecidedBy, DeciderName: d.DeciderName,
		Version: d.Version}
	if !d.DecidedAt.IsZero() {
		at := d.DecidedAt
		out.DecidedAt = &at
	}
	return out
}

func (a *API) listLeadDisputes(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ds, err := a.store.LeadDisputesFor(r.Context(), user(r), id)
	if err != nil {
		return err
	}
	out := make([]LeadDisputeJSON, len(ds.Disputes))
	for i, d := range ds.Disputes {
		out[i] = leadDisputeJSON(d)
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

// leadDisputeInput is the body of POST /leads/{id}/disputes.
type leadDisputeInput struct {
	Reason string `json:"reason"`
}

func (a *API) raiseLeadDispute(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in leadDisputeInput
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := a.store.RaiseLeadDispute(r.Context(), actor(r), user(r), id, in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, leadDisputeJSON(d))
	return nil
}

// leadDisputeDecisionInput is the body of POST /leads/{id}/disputes/{dispute}/{action}.
type leadDisputeDecisionInput struct {
	Version      *int   `json:"version"`
	Note         string `json:"note"`
	DecidingBody string `json:"deciding_body"`
	DecidedOn    string `json:"decided_on"`
}

func (a *API) decideLeadDispute(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	disputeID, err := pathID(r, "dispute")
	if err != nil {
		return err
	}
	var in leadDisputeDecisionInput
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	dec := xinlu.DisputeDecision{Action: xinlu.DisputeAction(r.PathValue("action")), Note: in.Note,
		DecidingBody: in.DecidingBody, DecidedOn: in.DecidedOn}
	d, err := a.store.DecideLeadDispute(r.Context(), actor(r), user(r), id, disputeID, v, dec)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, leadDisputeJSON(d))
	return nil
}
