package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"xinlu/internal/xinlu"
)

// Credit disputes (首报认定争议) on the lead page. The section concerns the
// lead that holds the credit: the page's lead, or, on a merged lead's
// page, the lead it was merged into — so that a co-reporter who may see
// only the lead they reported (their merged lead) raises and follows their
// dispute from there. Screeners decide on either page.

// disputeForm is what was typed into a dispute form shown again after an
// error: the raise form (DisputeID 0) or one dispute's decide form.
type disputeForm struct {
	LeadID    int64 // the disputed lead
	DisputeID int64
	Reason    string
	Note      string
	Body      string
	DecidedOn string
	Err       error
}

// disputeRow is a dispute as the lead page lists it.
type disputeRow struct {
	D          *xinlu.LeadDispute
	Tone       string
	CanUphold  bool
	CanReject  bool
	Form       disputeForm // the decide form's values
	FormErr    error       // an error of this row's decide form
	CreditMove bool        // upheld: the credit moved from FormerReporterName to DisputantName
}

// disputeSection is the lead page's credit-dispute section.
type disputeSection struct {
	Show      bool
	LeadID    int64 // the disputed lead
	Other     bool  // LeadID is not the page's lead (the page's lead was merged into it)
	Rows      []disputeRow
	CanRaise  bool
	Raise     disputeForm
	RaiseErr  error
	Err       error // an error of a form no longer shown (a dispute decided meanwhile)
	MinReason int
	MaxReason int
	MaxNote   int
	MaxBody   int
	Today     string
}

// disputeTone is the colour of a dispute status tag.
func disputeTone(st xinlu.DisputeStatus) string {
	switch st {
	case xinlu.DisputeOpen:
		return "orange"
	case xinlu.DisputeUpheld:
		return "green"
	}
	return "grey"
}

// leadDisputeSection builds the section for lead l as u sees it, with the
// form shown again when form is not nil. A lead whose disputes u may not
// reach, or without disputes and nothing u may do, has no section.
func (s *Server) leadDisputeSection(r *http.Request, u *xinlu.User, l *xinlu.Lead, form *disputeForm) disputeSection {
	target := l.ID
	if l.Status == xinlu.LeadMerged && l.MergedInto != 0 {
		target = l.MergedInto
	}
	today := s.store.LeadToday().Format(xinlu.DateLayout)
	sec := disputeSection{LeadID: target, Other: target != l.ID, MinReason: xinlu.MinDisputeReason, MaxReason: xinlu.MaxDisputeReason,
		MaxNote: xinlu.MaxDisputeNote, MaxBody: xinlu.MaxDisputeBody, Today: today}
	ds, err := s.store.LeadDisputesFor(r.Context(), u, target)
	if err != nil {
		return sec
	}
	if form != nil && form.LeadID == target && form.DisputeID == 0 {
		sec.Raise, sec.RaiseErr = *form, form.Err
	}
	_, err = xinlu.CheckDisputeRaise(u, ds.Lead, ds.Standing, strings.Repeat("甄", xinlu.MinDisputeReason))
	sec.CanRaise = err == nil || (form != nil && form.LeadID == target && form.DisputeID == 0 && xinlu.ErrorCode(err) != xinlu.EFORBIDDEN)
	for _, d := range ds.Disputes {
		row := disputeRow{D: d, Tone: disputeTone(d.Status), Form: disputeForm{DecidedOn: today},
			CreditMove: d.Status == xinlu.DisputeUpheld && d.FormerReporterID != 0}
		try := func(a xinlu.DisputeAction) bool {
			_, err := xinlu.CheckDisputeDecision(u, ds.Lead, d,
				&xinlu.DisputeDecision{Action: a, Note: "-", DecidingBody: "-", DecidedOn: max(today, d.RaisedOn)}, s.store.LeadToday())
			return err == nil
		}
		row.CanUphold, row.CanReject = try(xinlu.DisputeUphold), try(xinlu.DisputeReject)
		if form != nil && form.LeadID == target && form.DisputeID == d.ID {
			if row.CanUphold || row.CanReject {
				row.Form, row.FormErr = *form, form.Err
			} else {
				sec.Err = form.Err
			}
		}
		sec.Rows = append(sec.Rows, row)
	}
	if !sec.CanRaise {
		sec.RaiseErr = nil
	}
	// An error whose form is not shown goes on top of the section.
	if form != nil && form.LeadID == target && sec.Err == nil && sec.RaiseErr == nil && !slices.ContainsFunc(sec.Rows, func(r disputeRow) bool { return r.FormErr != nil }) {
		sec.Err = form.Err
	}
	sec.Show = len(sec.Rows) > 0 || sec.CanRaise || sec.Err != nil
	return sec
}

// disputeBack is the lead page a dispute form came from (its "from" field):
// the disputed lead itself, or a lead merged into it.
func disputeBack(r *http.Request, id int64) int64 {
	if from, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("from")), 10, 64); err == nil && from > 0 {
		return from
	}
	return id
}

// leadDisputeRaise records the viewer's dispute of a lead's credit.
func (s *Server) leadDisputeRaise(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	back := disputeBack(r, id)
	form := &disputeForm{LeadID: id, Reason: r.PostFormValue("reason")}
	if _, err := s.store.RaiseLeadDispute(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, id, form.Reason); err != nil {
		if isFormError(err) {
			form.Err = err
			s.leadPageWith(w, r, statusOf(err), back, nil, form)
			return
		}
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.lead_dispute_raised")
	redirect(w, r, "/leads/"+strconv.FormatInt(back, 10)+"#lead-disputes")
}

// leadDisputeDecide records the screening task force's decision.
func (s *Server) leadDisputeDecide(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	var disputeID int64
	if err == nil {
		disputeID, err = pathID(r, "dispute")
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	back := disputeBack(r, id)
	form := &disputeForm{LeadID: id, DisputeID: disputeID, Note: r.PostFormValue("note"), Body: r.PostFormValue("deciding_body"),
		DecidedOn: r.PostFormValue("decided_on")}
	version, err := formInt(r, "version")
	if err == nil {
		dec := xinlu.DisputeDecision{Action: xinlu.DisputeAction(r.PathValue("action")), Note: form.Note,
			DecidingBody: form.Body, DecidedOn: form.DecidedOn}
		_, err = s.store.DecideLeadDispute(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, id, disputeID, version, dec)
	}
	if err != nil {
		if isFormError(err) {
			form.Err = err
			s.leadPageWith(w, r, statusOf(err), back, nil, form)
			return
		}
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.lead_dispute_decided")
	redirect(w, r, "/leads/"+strconv.FormatInt(back, 10)+"#lead-disputes")
}
