package web

import (
	"net/http"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func (s *Server) userRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/users", Perm: xinlu.PermUserView, Handler: s.userList},
		{Method: "GET", Pattern: "/users/new", Perm: xinlu.PermUserManage, Handler: s.userNew},
		{Method: "POST", Pattern: "/users", Perm: xinlu.PermUserManage, Handler: s.userCreate},
		{Method: "GET", Pattern: "/users/{id}/edit", Perm: xinlu.PermUserManage, Handler: s.userEdit},
		{Method: "POST", Pattern: "/users/{id}", Perm: xinlu.PermUserManage, Handler: s.userUpdate},
		{Method: "POST", Pattern: "/users/{id}/password", Perm: xinlu.PermUserManage, Handler: s.userResetPassword},
		{Method: "GET", Pattern: "/users/{id}/roles", Perm: xinlu.PermRoleManage, Handler: s.userRolesEdit},
		{Method: "POST", Pattern: "/users/{id}/roles", Perm: xinlu.PermRoleManage, Handler: s.userRolesUpdate},
	}
}

type userListView struct {
	Query       string
	Role        string
	Roles       []xinlu.Role
	Items       []*xinlu.User
	Pager       pager
	CanManage   bool // may create and edit accounts (system administrator)
	CanSetRoles bool // may assign roles (security administrator)
}

func (s *Server) userList(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	p := pageFrom(r)
	q, role := r.URL.Query().Get("q"), r.URL.Query().Get("role")
	items, total, err := s.store.ListUsers(r.Context(), store.UserFilter{ZoneID: u.ZoneID, Query: q, Role: xinlu.Role(role), Page: p})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "users", s.printer(r).T("nav.users"), userListView{
		Query: q, Role: role, Roles: xinlu.Roles, Items: items, Pager: newPager(r, p, total),
		CanManage: u.Can(xinlu.PermUserManage), CanSetRoles: u.Can(xinlu.PermRoleManage)})
}

type userFormView struct {
	U        *xinlu.User
	Members  []store.MemberChoice
	Password string // the initial or reset password, shown once
	Err      error
}

func (s *Server) userForm(w http.ResponseWriter, r *http.Request, status int, u *xinlu.User, password string, err error) {
	members, lerr := s.store.MembersForAccount(r.Context(), u.ZoneID, u.MemberID)
	if lerr != nil {
		s.renderError(w, r, lerr)
		return
	}
	title := "user.new"
	if u.ID != 0 {
		title = "user.edit"
	}
	s.render(w, r, status, "user_form", s.printer(r).T(title), userFormView{U: u, Members: members, Password: password, Err: err})
}

func (s *Server) userNew(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	s.userForm(w, r, http.StatusOK, &xinlu.User{ZoneID: u.ZoneID, Roles: []xinlu.Role{xinlu.RoleMember}}, "", nil)
}

// userFromForm reads the fields the system administrator edits; roles are
// the security administrator's (userRolesUpdate).
func userFromForm(r *http.Request, u *xinlu.User) error {
	u.Name = r.PostFormValue("name")
	u.Lang = r.PostFormValue("lang")
	u.Disabled = r.PostFormValue("disabled") == "on"
	var errs xinlu.FieldErrors
	u.MemberID = int64Field(r, &errs, "member_id")
	u.Version = intField(r, &errs, "version")
	return withValidation(errs, func() error { c := *u; return c.Validate() })
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	u := &xinlu.User{ZoneID: info.user.ZoneID, Username: r.PostFormValue("username"), MustChangePassword: true,
		Roles: []xinlu.Role{xinlu.RoleMember}}
	err := userFromForm(r, u)
	password := xinlu.RandomPassword()
	if err == nil {
		u.PasswordHash, err = xinlu.HashPassword(password)
	}
	if err == nil {
		err = s.store.CreateUser(r.Context(), xinlu.ActorOf(info.user, info.ip), u)
	}
	if err != nil {
		if isFormError(err) {
			u.ID = 0
			s.userForm(w, r, statusOf(err), u, "", err)
			return
		}
		s.renderError(w, r, err)
		return
	}
	// The initial password is shown once, on the account's edit page.
	created, err := s.store.UserByID(r.Context(), u.ZoneID, u.ID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.userForm(w, r, http.StatusCreated, created, password, nil)
}

func (s *Server) userByPath(r *http.Request) (*xinlu.User, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.store.UserByID(r.Context(), requestInfo(r.Context()).user.ZoneID, id)
}

func (s *Server) userEdit(w http.ResponseWriter, r *http.Request) {
	u, err := s.userByPath(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.userForm(w, r, http.StatusOK, u, "", nil)
}

func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	u, err := s.userByPath(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	err = userFromForm(r, u)
	if err == nil {
		err = s.store.UpdateUser(r.Context(), xinlu.ActorOf(info.user, info.ip), u)
	}
	s.afterSave(w, r, err, func(status int, err error) {
		s.userForm(w, r, status, u, "", err)
	}, "flash.updated", "/users")
}

// userResetPassword gives the account a new random password that must be
// changed at next login, ending its sessions.
func (s *Server) userResetPassword(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	u, err := s.userByPath(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	password := xinlu.RandomPassword()
	hash, err := xinlu.HashPassword(password)
	if err == nil {
		err = s.store.SetPassword(r.Context(), xinlu.ActorOf(info.user, info.ip), u.ID, hash, true, info.session)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	u, err = s.store.UserByID(r.Context(), u.ZoneID, u.ID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.userForm(w, r, http.StatusOK, u, password, nil)
}

type userRolesView struct {
	U     *xinlu.User
	Roles []xinlu.Role // the roles the page offers
	// Operator is set for an account holding an administrator role: its
	// roles are changed only on the command line, so the page has no form.
	Operator bool
	Err      error
}

// Has reports whether the edited user holds r, for the checkboxes.
func (v userRolesView) Has(r xinlu.Role) bool { return v.U.HasRole(r) }

// rolesView offers the roles a zone's security administrator may give u:
// no administrator role, and no role reaching beyond the zone unless u
// holds it already (xinlu.CheckZoneRoleChange).
func rolesView(u *xinlu.User, err error) userRolesView {
	v := userRolesView{U: u, Err: err}
	for _, r := range u.Roles {
		v.Operator = v.Operator || r.IsAdminRole()
	}
	for _, r := range xinlu.Roles {
		if !r.IsAdminRole() && (!r.ReachesBeyondZone() || u.HasRole(r)) {
			v.Roles = append(v.Roles, r)
		}
	}
	return v
}

func (s *Server) userRolesEdit(w http.ResponseWriter, r *http.Request) {
	u, err := s.userByPath(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "user_roles", s.printer(r).T("user.roles_title"), rolesView(u, nil))
}

func (s *Server) userRolesUpdate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	u, err := s.userByPath(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	r.ParseForm()
	var roles []xinlu.Role
	for _, v := range r.PostForm["roles"] {
		roles = append(roles, xinlu.Role(v))
	}
	version, err := formInt(r, "version")
	if err == nil {
		err = s.store.SetUserRoles(r.Context(), xinlu.ActorOf(info.user, info.ip), u.ZoneID, u.ID, roles, version)
	}
	if e := xinlu.AsError(err); err != nil && e.Code == xinlu.EFORBIDDEN && e.Field == "roles" {
		// Refused as the operator's to make (audited, alarmed): the page
		// shows why, with the account's roles as they stay.
		s.render(w, r, http.StatusForbidden, "user_roles", s.printer(r).T("user.roles_title"), rolesView(u, err))
		return
	}
	s.afterSave(w, r, err, func(status int, err error) {
		u.Roles = roles
		s.render(w, r, status, "user_roles", s.printer(r).T("user.roles_title"), rolesView(u, err))
	}, "flash.updated", "/users")
}
