package xinlu

import (
	"slices"
	"strings"
)

// Role is a named set of permissions. Users hold one or more roles.
type Role string

const (
	RoleMember     Role = "member"     // every staff member (全员)
	RoleScreener   Role = "screener"   // screening task force (甄别专班)
	RolePlanner    Role = "planner"    // planning group (专业组)
	RoleSponsor    Role = "sponsor"    // leadership group and sponsors (领导组/包联领导)
	RoleAgent      Role = "agent"      // agency task force (代办专班)
	RoleHead       Role = "head"       // department head
	RoleAppraiser  Role = "appraiser"  // appraisal office (考核办)
	RoleDiscipline Role = "discipline" // discipline / organisation office
	RoleFinance    Role = "finance"
	RoleDirector   Role = "director" // 管委会主任
	RoleAdmin      Role = "admin"    // system administrator
	RoleAuditor    Role = "auditor"  // read-only auditor
	RoleViewer     Role = "viewer"   // city or province, read-only across zones
)

// Roles lists every role in display order.
var Roles = []Role{
	RoleMember, RoleScreener, RolePlanner, RoleSponsor, RoleAgent, RoleHead,
	RoleAppraiser, RoleDiscipline, RoleFinance, RoleDirector, RoleAdmin,
	RoleAuditor, RoleViewer,
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// ParseRoles parses a comma-separated role list, rejecting unknown names and
// empty lists.
func ParseRoles(s string) ([]Role, error) {
	var out []Role
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		r := Role(part)
		if !r.Valid() {
			return nil, Invalid("roles", "user.role_unknown", part)
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil, Invalid("roles", "user.roles_required")
	}
	return out, nil
}

// Scope is how far a permission reaches. Larger scopes include smaller ones.
type Scope int

const (
	ScopeNone       Scope = iota
	ScopeOwn              // records about or by the user's own member record
	ScopeDepartment       // the user's department and its sub-departments
	ScopeZone             // the user's zone
	ScopeAllZones         // every zone (city or province roll-up)
)

func (s Scope) String() string {
	return [...]string{"none", "own", "department", "zone", "all"}[s]
}

// Permission names one thing a user may do.
type Permission string

const (
	// PermPublic and PermSignedIn are pseudo-permissions for the route table.
	PermPublic   Permission = "public"
	PermSignedIn Permission = "signed_in"

	PermOrgView        Permission = "org.view"        // departments, positions, parks, teams
	PermOrgManage      Permission = "org.manage"      // create, edit and delete them
	PermStaffView      Permission = "staff.view"      // member records and contracts
	PermStaffManage    Permission = "staff.manage"    // edit members, contracts, terms
	PermStaffExport    Permission = "staff.export"    // roster to Excel
	PermUserManage     Permission = "user.manage"     // accounts and roles
	PermAuditView      Permission = "audit.view"      // read and export the audit log
	PermCalendarView   Permission = "calendar.view"   // holiday calendar
	PermCalendarManage Permission = "calendar.manage" // edit and import it
)

// Permissions lists every real permission.
var Permissions = []Permission{
	PermOrgView, PermOrgManage, PermStaffView, PermStaffManage, PermStaffExport,
	PermUserManage, PermAuditView, PermCalendarView, PermCalendarManage,
}

// grants is the one table of who may do what, and how far. A role that does
// not name a permission does not have it (deny by default).
var grants = map[Role]map[Permission]Scope{
	RoleMember: {
		PermOrgView: ScopeZone, PermStaffView: ScopeOwn, PermCalendarView: ScopeZone,
	},
	RoleScreener: {
		PermOrgView: ScopeZone, PermStaffView: ScopeOwn, PermCalendarView: ScopeZone,
	},
	RolePlanner: {
		PermOrgView: ScopeZone, PermStaffView: ScopeOwn, PermCalendarView: ScopeZone,
	},
	RoleSponsor: {
		PermOrgView: ScopeZone, PermStaffView: ScopeZone, PermCalendarView: ScopeZone,
	},
	RoleAgent: {
		PermOrgView: ScopeZone, PermStaffView: ScopeOwn, PermCalendarView: ScopeZone,
	},
	RoleHead: {
		PermOrgView: ScopeZone, PermStaffView: ScopeDepartment, PermStaffExport: ScopeDepartment,
		PermCalendarView: ScopeZone,
	},
	RoleAppraiser: {
		PermOrgView: ScopeZone, PermStaffView: ScopeZone, PermStaffExport: ScopeZone,
		PermCalendarView: ScopeZone,
	},
	RoleDiscipline: {
		PermOrgView: ScopeZone, PermStaffView: ScopeZone, PermCalendarView: ScopeZone,
	},
	RoleFinance: {
		PermOrgView: ScopeZone, PermStaffView: ScopeZone, PermStaffExport: ScopeZone,
		PermCalendarView: ScopeZone,
	},
	RoleDirector: {
		PermOrgView: ScopeZone, PermStaffView: ScopeZone, PermStaffExport: ScopeZone,
		PermCalendarView: ScopeZone,
	},
	RoleAdmin: {
		PermOrgView: ScopeZone, PermOrgManage: ScopeZone,
		PermStaffView: ScopeZone, PermStaffManage: ScopeZone, PermStaffExport: ScopeZone,
		PermUserManage: ScopeZone, PermAuditView: ScopeZone,
		PermCalendarView: ScopeZone, PermCalendarManage: ScopeZone,
	},
	RoleAuditor: {
		PermOrgView: ScopeZone, PermStaffView: ScopeZone, PermAuditView: ScopeZone,
		PermCalendarView: ScopeZone,
	},
	RoleViewer: {
		PermOrgView: ScopeAllZones, PermStaffView: ScopeAllZones, PermCalendarView: ScopeAllZones,
	},
}

// ScopeOf returns the widest scope any of roles grants for p.
func ScopeOf(roles []Role, p Permission) Scope {
	best := ScopeNone
	for _, r := range roles {
		if s := grants[r][p]; s > best {
			best = s
		}
	}
	return best
}
