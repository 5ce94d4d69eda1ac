package api

import (
	"net/http"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func (a *API) userRoutes() []Route {
	return []Route{
		{"GET", "/users", xinlu.PermUserView, a.handle(a.listUsers)},
		{"POST", "/users", xinlu.PermUserManage, a.handle(a.createUser)},
		{"GET", "/users/{id}", xinlu.PermUserManage, a.handle(a.getUser)},
		{"PUT", "/users/{id}", xinlu.PermUserManage, a.handle(a.updateUser)},
		{"POST", "/users/{id}/reset-password", xinlu.PermUserManage, a.handle(a.resetPassword)},
		{"PUT", "/users/{id}/roles", xinlu.PermRoleManage, a.handle(a.setRoles)},
	}
}

type userInput struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	MemberID int64  `json:"member_id"`
	Lang     string `json:"lang"`
	Disabled bool   `json:"disabled"`
	Version  *int   `json:"version"`
}

// userWithPassword answers a create or reset: the password is shown once.
type userWithPassword struct {
	User     UserJSON `json:"user"`
	Password string   `json:"password"`
}

func (a *API) listUsers(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	role := xinlu.Role(r.URL.Query().Get("role"))
	if role != "" && !role.Valid() {
		return xinlu.Invalid("role", "error.invalid_choice")
	}
	us, total, err := a.store.ListUsers(r.Context(), store.UserFilter{ZoneID: user(r).ZoneID, Query: r.URL.Query().Get("q"), Role: role, Page: p})
	if err != nil {
		return err
	}
	out := make([]UserJSON, len(us))
	for i, u := range us {
		out[i] = userJSON(u)
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

func (a *API) getUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := a.store.UserByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, userJSON(u))
	return nil
}

func (a *API) createUser(w http.ResponseWriter, r *http.Request) error {
	var in userInput
	if err := decode(r, &in); err != nil {
		return err
	}
	u := &xinlu.User{ZoneID: user(r).ZoneID, Username: in.Username, Name: in.Name, MemberID: in.MemberID,
		Roles: []xinlu.Role{xinlu.RoleMember}, Lang: in.Lang, Disabled: in.Disabled, MustChangePassword: true}
	password := xinlu.RandomPassword()
	hash, err := xinlu.HashPassword(password)
	if err != nil {
		return xinlu.Internal(err)
	}
	u.PasswordHash = hash
	if err := a.store.CreateUser(r.Context(), actor(r), u); err != nil {
		return err
	}
	u, err = a.store.UserByID(r.Context(), u.ZoneID, u.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, userWithPassword{User: userJSON(u), Password: password})
	return nil
}

func (a *API) updateUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := a.store.UserByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	in := userInput{Username: u.Username, Name: u.Name, MemberID: u.MemberID, Lang: u.Lang, Disabled: u.Disabled}
	if err := decodeOver(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	if in.Username != "" && in.Username != u.Username {
		return xinlu.Invalid("username", "user.username_fixed")
	}
	u.Name, u.MemberID, u.Lang, u.Disabled, u.Version = in.Name, in.MemberID, in.Lang, in.Disabled, v
	if err := a.store.UpdateUser(r.Context(), actor(r), u); err != nil {
		return err
	}
	u, err = a.store.UserByID(r.Context(), u.ZoneID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, userJSON(u))
	return nil
}

func (a *API) resetPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := a.store.UserByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	password := xinlu.RandomPassword()
	hash, err := xinlu.HashPassword(password)
	if err != nil {
		return xinlu.Internal(err)
	}
	if err := a.store.SetPassword(r.Context(), actor(r), u.ID, hash, true, bearer(r)); err != nil {
		return err
	}
	u, err = a.store.UserByID(r.Context(), u.ZoneID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, userWithPassword{User: userJSON(u), Password: password})
	return nil
}

type rolesInput struct {
	Roles   []xinlu.Role `json:"roles"`
	Version *int         `json:"version"`
}

// setRoles is the security administrator's: it replaces an account's roles.
func (a *API) setRoles(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in rolesInput
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	zone := user(r).ZoneID
	if err := a.store.SetUserRoles(r.Context(), actor(r), zone, id, in.Roles, v); err != nil {
		return err
	}
	u, err := a.store.UserByID(r.Context(), zone, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, userJSON(u))
	return nil
}
