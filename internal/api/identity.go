package api

import (
	"net/http"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// identityRoutes are the security administrator's account controls: locked
// accounts and their unlocking, and resetting a lost second factor. The
// second factor of sign-in itself is the "totp" field of POST /auth/login.
func (a *API) identityRoutes() []Route {
	return []Route{
		{"GET", "/users/locked", xinlu.PermSecurityManage, a.handle(a.lockedAccounts)},
		{"POST", "/users/{id}/unlock", xinlu.PermSecurityManage, a.handle(a.unlock)},
		{"POST", "/users/{id}/reset-totp", xinlu.PermSecurityManage, a.handle(a.resetTOTP)},
	}
}

// LockedAccountJSON is an account locked after consecutive failed sign-ins.
type LockedAccountJSON struct {
	ID          int64     `json:"id"`
	Username    string    `json:"username"`
	Name        string    `json:"name"`
	Failures    int       `json:"failures"`
	LockedUntil time.Time `json:"locked_until"`
}

func (a *API) lockedAccounts(w http.ResponseWriter, r *http.Request) error {
	ls, err := a.store.LockedAccounts(r.Context(), user(r).ZoneID)
	if err != nil {
		return err
	}
	out := make([]LockedAccountJSON, len(ls))
	for i, l := range ls {
		out[i] = lockedJSON(l)
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

func lockedJSON(l store.LockedAccount) LockedAccountJSON {
	return LockedAccountJSON{ID: l.UserID, Username: l.Username, Name: l.Name, Failures: l.Failures, LockedUntil: l.LockedUntil}
}

func (a *API) unlock(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.store.Unlock(r.Context(), actor(r), user(r).ZoneID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) resetTOTP(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.store.ResetTOTP(r.Context(), actor(r), user(r).ZoneID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
