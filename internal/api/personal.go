package api

import (
	"net/http"

	"xinlu/internal/xinlu"
)

// personalRoutes: revealing a member's masked personal data, and finding
// members by an exact phone or ID number. Both need PermReveal and reach
// only the caller's reveal scope (a head: the department and below; the
// appraisal office: the zone); both are audited without the values.
func (a *API) personalRoutes() []Route {
	return []Route{
		{"POST", "/members/{id}/reveal", xinlu.PermReveal, a.handle(a.revealMember)},
		{"POST", "/members/lookup", xinlu.PermReveal, a.handle(a.lookupMembers)},
	}
}

// RevealJSON is a member's personal data in full, and the fields it holds.
type RevealJSON struct {
	ID       int64    `json:"id"`
	StaffNo  string   `json:"staff_no"`
	Name     string   `json:"name"`
	Phone    string   `json:"phone"`
	IDNumber string   `json:"id_number"`
	Fields   []string `json:"fields"`
}

type revealInput struct {
	Reason string `json:"reason"`
}

func (a *API) revealMember(w http.ResponseWriter, r *http.Request) error {
	u := user(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in revealInput
	if err := decode(r, &in); err != nil {
		return err
	}
	m, err := a.store.RevealMember(r.Context(), actor(r), u.Filter(xinlu.PermReveal), id, in.Reason)
	if err != nil {
		return err
	}
	fields := m.RevealedFields()
	if fields == nil {
		fields = []string{}
	}
	writeJSON(w, http.StatusOK, RevealJSON{ID: m.ID, StaffNo: m.StaffNo, Name: m.Name, Phone: m.Phone, IDNumber: m.IDNumber, Fields: fields})
	return nil
}

type lookupInput struct {
	Phone    string `json:"phone"`
	IDNumber string `json:"id_number"`
}

// lookupMembers finds members by one exact value through its keyed hash.
// The value goes in the body, not the URL, so that it stays out of logs;
// the answer is masked as for any list.
func (a *API) lookupMembers(w http.ResponseWriter, r *http.Request) error {
	u := user(r)
	var in lookupInput
	if err := decode(r, &in); err != nil {
		return err
	}
	column, value := "phone", in.Phone
	switch {
	case in.Phone != "" && in.IDNumber != "":
		return xinlu.Invalid("id_number", "personal.lookup_one")
	case in.IDNumber != "":
		column, value = "id_number", in.IDNumber
	case in.Phone == "":
		return xinlu.Invalid("phone", "personal.lookup_one")
	}
	ms, err := a.store.MembersByPersonal(r.Context(), u.Filter(xinlu.PermReveal), column, value)
	if err != nil {
		return err
	}
	if err := a.store.Audit(r.Context(), actor(r), "personal.lookup", "member", 0,
		map[string]any{"field": column, "found": len(ms)}); err != nil {
		return err
	}
	out := make([]MemberJSON, len(ms))
	for i, m := range ms {
		out[i] = memberJSON(u, m)
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}
