package api

import (
	"net/http"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func (a *API) authRoutes() []Route {
	return []Route{
		{"POST", "/auth/login", xinlu.PermPublic, a.handle(a.login)},
		{"POST", "/auth/logout", xinlu.PermSignedIn, a.handle(a.logout)},
		{"GET", "/auth/tokens", xinlu.PermSignedIn, a.handle(a.listTokens)},
		{"DELETE", "/auth/tokens/{id}", xinlu.PermSignedIn, a.handle(a.revokeToken)},
		{"GET", "/me", xinlu.PermSignedIn, a.handle(a.me)},
		{"POST", "/me/password", xinlu.PermSignedIn, a.handle(a.changePassword)},
		{"PUT", "/me/lang", xinlu.PermSignedIn, a.handle(a.setLang)},
		{"GET", "/openapi.json", xinlu.PermPublic, a.openAPI},
	}
}

// UserJSON is a user as the API shows it.
type UserJSON struct {
	ID                 int64        `json:"id"`
	ZoneID             int64        `json:"zone_id"`
	Username           string       `json:"username"`
	Name               string       `json:"name"`
	MemberID           int64        `json:"member_id,omitempty"`
	DepartmentID       int64        `json:"department_id,omitempty"`
	Roles              []xinlu.Role `json:"roles"`
	Lang               string       `json:"lang"`
	MustChangePassword bool         `json:"must_change_password"`
	Disabled           bool         `json:"disabled"`
	Version            int          `json:"version"`
	CreatedAt          time.Time    `json:"created_at"`
	UpdatedAt          time.Time    `json:"updated_at"`
}

func userJSON(u *xinlu.User) UserJSON {
	return UserJSON{ID: u.ID, ZoneID: u.ZoneID, Username: u.Username, Name: u.Name, MemberID: u.MemberID,
		DepartmentID: u.DepartmentID, Roles: u.Roles, Lang: u.Lang, MustChangePassword: u.MustChangePassword,
		Disabled: u.Disabled, Version: u.Version, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	TOTP     string `json:"totp"` // the second factor: a TOTP code or a recovery code
	Label    string `json:"label"`
}

type loginResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	User      UserJSON  `json:"user"`
}

// login signs in with username and password, and for accounts with a
// second factor (or whose roles require one) a code in "totp": without a
// valid one the answer is 401 with key identity.totp_required (or
// identity.totp_enrol_required when the account has yet to enrol, which is
// done on the web profile page). A wrong code counts as a failed sign-in.
func (a *API) login(w http.ResponseWriter, r *http.Request) error {
	var req loginRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	label := req.Label
	if label == "" {
		label = "api"
	}
	if len([]rune(label)) > 64 {
		return xinlu.Invalid("label", "error.too_long", 64)
	}
	act := xinlu.Actor{IP: remoteIP(r), Name: req.Username}
	u, factor, err := a.store.Login(r.Context(), act, req.Username, req.Password,
		store.LoginPolicy{Limit: a.cfg.LoginLimit, Window: a.cfg.LoginWindow})
	if err != nil {
		return err
	}
	switch factor {
	case store.FactorEnrol:
		return &xinlu.Error{Code: xinlu.EUNAUTHORIZED, Field: "totp", Key: "identity.totp_enrol_required"}
	case store.FactorCode:
		if xinlu.NormalizeTOTP(req.TOTP) == "" {
			return &xinlu.Error{Code: xinlu.EUNAUTHORIZED, Field: "totp", Key: "identity.totp_required"}
		}
		if _, err := a.store.VerifySecondFactor(r.Context(), act, u, req.TOTP); err != nil {
			return err
		}
	}
	_, ttl := a.cfg.Sessions.TokenLimits(u)
	token, sess, err := a.store.CreateSession(r.Context(), xinlu.ActorOf(u, act.IP), u.ID, "api", label, ttl)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, loginResponse{Token: token, ExpiresAt: sess.ExpiresAt, User: userJSON(u)})
	return nil
}

// logout revokes the token the call was made with.
func (a *API) logout(w http.ResponseWriter, r *http.Request) error {
	tok := bearer(r)
	if tok == "" {
		return xinlu.Invalid("", "auth.bearer_required")
	}
	if err := a.store.DeleteSession(r.Context(), actor(r), tok); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func bearer(r *http.Request) string {
	const p = "Bearer "
	if h := r.Header.Get("Authorization"); len(h) > len(p) && h[:len(p)] == p {
		return h[len(p):]
	}
	return ""
}

// TokenJSON describes an API token without its secret.
type TokenJSON struct {
	ID         int64     `json:"id"`
	Label      string    `json:"label"`
	IP         string    `json:"ip"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"`
}

func (a *API) listTokens(w http.ResponseWriter, r *http.Request) error {
	ts, err := a.store.ListTokens(r.Context(), user(r).ID)
	if err != nil {
		return err
	}
	out := make([]TokenJSON, len(ts))
	for i, t := range ts {
		out[i] = TokenJSON{ID: t.ID, Label: t.Label, IP: t.IP, CreatedAt: t.CreatedAt, LastSeenAt: t.LastSeenAt, ExpiresAt: t.ExpiresAt}
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

func (a *API) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.store.RevokeToken(r.Context(), actor(r), user(r).ID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) me(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, userJSON(user(r)))
	return nil
}

type passwordRequest struct {
	Current string `json:"current_password"`
	New     string `json:"new_password"`
}

func (a *API) changePassword(w http.ResponseWriter, r *http.Request) error {
	var req passwordRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	u := user(r)
	if err := a.store.ChangeOwnPassword(r.Context(), actor(r), u, req.Current, req.New, bearer(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type langRequest struct {
	Lang string `json:"lang"`
}

func (a *API) setLang(w http.ResponseWriter, r *http.Request) error {
	var req langRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if !validLang(req.Lang) {
		return xinlu.Invalid("lang", "error.invalid_choice")
	}
	if err := a.store.SetLang(r.Context(), actor(r), user(r).ID, req.Lang); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func validLang(l string) bool {
	for _, x := range xinlu.Languages {
		if x == l {
			return true
		}
	}
	return false
}
