package api

import (
	"net/http"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Saved views of the project ledger (保存的查询). The routes are in
// projectRoutes: /projects/views is a literal segment, more specific than
// /projects/{id}.

// SavedViewJSON is a saved view as the API shows it. Query is the canonical
// query string of the ledger's filters; LedgerURL opens the ledger page
// with them.
type SavedViewJSON struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Query     string    `json:"query"`
	Shared    bool      `json:"shared"`
	Mine      bool      `json:"mine"`
	OwnerID   int64     `json:"owner_id"`
	OwnerName string    `json:"owner_name"`
	LedgerURL string    `json:"ledger_url"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func savedViewJSON(v *store.SavedView, userID int64) SavedViewJSON {
	ledger := "/projects"
	if v.Query != "" {
		ledger += "?" + v.Query
	}
	return SavedViewJSON{ID: v.ID, Name: v.Name, Query: v.Query, Shared: v.Shared, Mine: v.UserID == userID, OwnerID: v.UserID,
		OwnerName: v.OwnerName, LedgerURL: ledger, Version: v.Version, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
}

// savedViewInput is the body of POST /projects/views.
type savedViewInput struct {
	Name   string `json:"name"`
	Query  string `json:"query"`
	Shared bool   `json:"shared"`
}

// listSavedViews answers the caller's views and the ones shared in the
// zone, the caller's first.
func (a *API) listSavedViews(w http.ResponseWriter, r *http.Request) error {
	u := user(r)
	vs, err := a.store.SavedViews(r.Context(), u.ZoneID, u.ID, store.SavedViewProjects)
	if err != nil {
		return err
	}
	out := make([]SavedViewJSON, len(vs))
	for i, v := range vs {
		out[i] = savedViewJSON(v, u.ID)
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

// createSavedView saves filters under a name: 201; a bad filter is 422
// naming its parameter, sharing without the leadership's right 403, a
// taken name or the 31st view 409.
func (a *API) createSavedView(w http.ResponseWriter, r *http.Request) error {
	var in savedViewInput
	if err := decode(r, &in); err != nil {
		return err
	}
	u := user(r)
	v := &store.SavedView{Kind: store.SavedViewProjects, Name: in.Name, Query: in.Query, Shared: in.Shared}
	if err := a.store.CreateSavedView(r.Context(), actor(r), u, v); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, savedViewJSON(v, u.ID))
	return nil
}

// deleteSavedView deletes one of the caller's views: the version is
// required (422 without it, 409 when stale); another user's shared view is
// 403, a view the caller cannot see 404.
func (a *API) deleteSavedView(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, err := queryInt64(r, "version")
	if err != nil {
		return err
	}
	if version < 1 {
		return xinlu.Invalid("version", "error.version_required")
	}
	if err := a.store.DeleteSavedView(r.Context(), actor(r), user(r).ZoneID, id, int(version)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
