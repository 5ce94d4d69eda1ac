package xinlu

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
)

// User is an account that signs in. Staff members have one; administrators
// and outside viewers may have one without a member record.
type User struct {
	ID                 int64
	ZoneID             int64
	Username           string
	Name               string
	MemberID           int64 // 0 when the account has no member record
	DepartmentID       int64 // the member's department, 0 if none
	Roles              []Role
	Lang               string // "" means the zone default
	MustChangePassword bool
	Disabled           bool
	PasswordHash       string
	Version            int
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

var usernameRE = regexp.MustCompile(`^[a-z][a-z0-9._-]{1,31}$`)

// Validate checks the fields a person types.
func (u *User) Validate() error {
	var errs FieldErrors
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	errs.Add(cleanNames(textField{"name", &u.Name}))
	switch {
	case u.Username == "":
		errs.Invalid("username", "error.required")
	case !usernameRE.MatchString(u.Username):
		errs.Invalid("username", "user.username_format")
	}
	switch {
	case errs.Has("name"):
	case u.Name == "":
		errs.Invalid("name", "error.required")
	case len([]rune(u.Name)) > 64:
		errs.Invalid("name", "error.too_long", 64)
	}
	if u.Lang != "" && !slices.Contains(Languages, u.Lang) {
		errs.Invalid("lang", "error.invalid_choice")
	}
	if len(u.Roles) == 0 {
		errs.Invalid("roles", "user.roles_required")
	} else {
		for _, r := range u.Roles {
			if !r.Valid() {
				errs.Invalid("roles", "user.role_unknown", string(r))
				break
			}
		}
		if !errs.Has("roles") {
			errs.Add(CheckRoleSet(u.Roles))
		}
	}
	return errs.Err()
}

// HasRole reports whether u holds r.
func (u *User) HasRole(r Role) bool { return slices.Contains(u.Roles, r) }

// Can reports whether u may use p at all.
func (u *User) Can(p Permission) bool {
	switch p {
	case PermPublic:
		return true
	case PermSignedIn:
		return u != nil
	}
	return u != nil && ScopeOf(u.Roles, p) > ScopeNone
}

// Filter returns the data scope u has for p, ready for a query.
func (u *User) Filter(p Permission) ScopeFilter {
	return ScopeFilter{
		Scope:        ScopeOf(u.Roles, p),
		ZoneID:       u.ZoneID,
		DepartmentID: u.DepartmentID,
		MemberID:     u.MemberID,
	}
}

// ScopeFilter is a data scope bound to one user; the store turns it into a
// WHERE clause so that scope is part of every query.
type ScopeFilter struct {
	Scope        Scope
	ZoneID       int64
	DepartmentID int64
	MemberID     int64
}

// Languages are the UI languages; the first is the default.
var Languages = []string{"zh-CN", "en"}

type ctxKey int

const userKey ctxKey = 0

// NewContextWithUser returns ctx carrying the signed-in user.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey, u)
}

// UserFromContext returns the signed-in user, or nil.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userKey).(*User)
	return u
}

// CheckSelfEdit keeps administrators from locking themselves out: nobody
// disables their own account or takes away their own admin role.
func (u *User) CheckSelfEdit(actorID int64, old *User) error {
	if actorID == 0 || actorID != u.ID {
		return nil
	}
	if u.Disabled && !old.Disabled {
		return Invalid("disabled", "user.cannot_disable_self")
	}
	for _, r := range old.Roles {
		if r.IsAdminRole() && !u.HasRole(r) {
			return Invalid("roles", "user.cannot_drop_own_admin")
		}
	}
	return nil
}
