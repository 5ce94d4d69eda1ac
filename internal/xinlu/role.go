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
	RoleAuditor    Role = "auditor"  // read-only auditor of business records
	RoleViewer     Role = "viewer"   // city or province, read-only across zones

	// The three administrators (三员): none can do another's job.
	RoleSysAdmin   Role = "sysadmin"   // accounts, organisation, settings, backup
	RoleSecAdmin   Role = "secadmin"   // roles, security policy, unlocks, sessions
	RoleAuditAdmin Role = "auditadmin" // reads and exports the audit log, nothing else

	// RoleAdmin holds all three administrators' rights at once. It exists for
	// the demo zone only and is labelled as a demo convenience; it cannot be
	// combined with the three.
	RoleAdmin Role = "admin"
)

// AdminRoles are the roles of the three administrators and the demo's
// combined one; a user holds at most one of them.
var AdminRoles = []Role{RoleSysAdmin, RoleSecAdmin, RoleAuditAdmin, RoleAdmin}

// Roles lists every role in display order.
var Roles = []Role{
	RoleMember, RoleScreener, RolePlanner, RoleSponsor, RoleAgent, RoleHead,
	RoleAppraiser, RoleDiscipline, RoleFinance, RoleDirector,
	RoleAuditor, RoleViewer, RoleSysAdmin, RoleSecAdmin, RoleAuditAdmin, RoleAdmin,
}

// IsAdminRole reports whether r is one of the administrator roles.
func (r Role) IsAdminRole() bool { return slices.Contains(AdminRoles, r) }

// CheckRoleSet enforces separation of duties among administrators: at most
// one administrator role, and an administrator holds no business role (an
// administrator's account is not a staff member's working account).
func CheckRoleSet(roles []Role) error {
	admins := 0
	for _, r := range roles {
		if r.IsAdminRole() {
			admins++
		}
	}
	if admins > 1 {
		return Invalid("roles", "user.admin_roles_exclusive")
	}
	if admins == 1 && len(roles) > 1 {
		return Invalid("roles", "user.admin_role_alone")
	}
	return nil
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
	PermReveal         Permission = "personal.reveal" // see a masked personal field in full, with a reason
	PermUserView       Permission = "user.view"       // list accounts
	PermUserManage     Permission = "user.manage"     // accounts: create, edit, disable, reset password
	PermRoleManage     Permission = "role.manage"     // assign roles to accounts
	PermSecurityManage Permission = "security.manage" // security policy, unlocks, sessions of others
	PermAuditView      Permission = "audit.view"      // read and export the audit log
	PermLeadReport     Permission = "lead.report"     // report a lead (every member)
	PermLeadView       Permission = "lead.view"       // see leads: own, or all for screeners and leaders
	PermLeadScreen     Permission = "lead.screen"     // screening task force: accept, reject, merge, veto
	PermVetoOverride   Permission = "lead.override"   // leadership group: override a veto
	PermProjectView    Permission = "project.view"    // kanban, ledger, project pages
	PermProjectPlan    Permission = "project.plan"    // planning group: the project plan
	PermProjectPromote Permission = "project.promote" // leadership group: sponsor, negotiations, signing, hold, lose
	PermProjectAgency  Permission = "project.agency"  // agency task force: approvals and landing milestones
	PermCalendarView   Permission = "calendar.view"   // holiday calendar
	PermCalendarManage Permission = "calendar.manage" // edit and import it

	PermAppraisalView     Permission = "appraisal.view"     // results: own, the department's, or the zone's
	PermAppraisalScore    Permission = "appraisal.score"    // assessed scores (heads for their department, leaders for all)
	PermAppraisalPeer     Permission = "appraisal.peer"     // peer review (民主测评) of colleagues
	PermAppraisalManage   Permission = "appraisal.manage"   // appraisal office: schemes, periods, calculation, calibration, publication, appeals
	PermAppraisalFinalize Permission = "appraisal.finalize" // director: finalise a published period
	PermAppraisalPool     Permission = "appraisal.pool"     // finance: the period's performance pay pool
	PermIncentiveView     Permission = "incentive.view"     // the incentive ledger: own or the zone's
	PermIncentiveManage   Permission = "incentive.manage"   // propose and record rewards and penalties
	PermIncentiveApprove  Permission = "incentive.approve"  // approve or reject proposals
	PermConsequenceDecide Permission = "consequence.decide" // HR: confirm or dismiss a consequence
	PermToleranceFile     Permission = "tolerance.file"     // file a fault-tolerance claim: own, or for the department
	PermToleranceHandle   Permission = "tolerance.handle"   // accept, investigate, decide and notify claims

	PermLandView       Permission = "land.view"     // parcels, utilities, build-outs, the capacity table, matching
	PermLandManage     Permission = "land.manage"   // record and change them, thresholds
	PermFactorOverride Permission = "land.override" // director: sign a project over a utility shortfall, with a reason

	PermCockpitView    Permission = "cockpit.view"    // the cockpit and the meeting-room screen: the zone's, or every zone's side by side
	PermCockpitTargets Permission = "cockpit.targets" // director: the year targets (年度目标)

	PermStudyWrite  Permission = "study.write"  // write one's reflections in study campaigns
	PermStudyReview Permission = "study.review" // review the reflections of one's department
	PermStudyManage Permission = "study.manage" // organisation office: campaigns, completion, every reflection
	// PermStudySettings: the zone's copying-check thresholds and the points
	// of an excellent reflection (organisation office, appraisal office,
	// director).
	PermStudySettings Permission = "study.settings"

	PermBriefingView     Permission = "briefing.view"     // monthly briefings: drafts and issued ones
	PermBriefingIssue    Permission = "briefing.issue"    // director: comment on and issue a month's briefing
	PermAssessmentView   Permission = "assessment.view"   // the zone's provincial self-assessment and its rank
	PermAssessmentManage Permission = "assessment.manage" // its indicator sheet, entered values and evidence, the zone's category
)

// Permissions lists every real permission.
var Permissions = []Permission{
	PermOrgView, PermOrgManage, PermStaffView, PermStaffManage, PermStaffExport, PermReveal,
	PermUserView, PermUserManage, PermRoleManage, PermSecurityManage, PermAuditView, PermCalendarView, PermCalendarManage,
	PermLeadReport, PermLeadView, PermLeadScreen, PermVetoOverride,
	PermProjectView, PermProjectPlan, PermProjectPromote, PermProjectAgency,
	PermAppraisalView, PermAppraisalScore, PermAppraisalPeer, PermAppraisalManage, PermAppraisalFinalize, PermAppraisalPool,
	PermIncentiveView, PermIncentiveManage, PermIncentiveApprove, PermConsequenceDecide,
	PermToleranceFile, PermToleranceHandle,
	PermLandView, PermLandManage, PermFactorOverride,
	PermStudyWrite, PermStudyReview, PermStudyManage, PermStudySettings,
	PermBriefingView, PermBriefingIssue, PermAssessmentView, PermAssessmentManage,
	PermCockpitView, PermCockpitTargets,
}

// appraisalGrants are the appraisal and incentive permissions, merged into
// grants at start-up. Every member sees their own results, rates colleagues
// and may file a fault-tolerance claim; the appraisal office runs periods,
// the director finalises, finance sets the pool, the organisation and
// discipline office handles consequences and claims.
var appraisalGrants = map[Role]map[Permission]Scope{
	RoleMember:    {PermAppraisalView: ScopeOwn, PermAppraisalPeer: ScopeDepartment, PermIncentiveView: ScopeOwn, PermToleranceFile: ScopeOwn},
	RoleScreener:  {PermAppraisalView: ScopeOwn, PermAppraisalPeer: ScopeDepartment, PermIncentiveView: ScopeOwn, PermToleranceFile: ScopeOwn},
	RolePlanner:   {PermAppraisalView: ScopeOwn, PermAppraisalPeer: ScopeDepartment, PermIncentiveView: ScopeOwn, PermToleranceFile: ScopeOwn},
	RoleSponsor:   {PermAppraisalView: ScopeOwn, PermAppraisalScore: ScopeZone, PermIncentiveView: ScopeOwn, PermToleranceFile: ScopeOwn},
	RoleAgent:     {PermAppraisalView: ScopeOwn, PermAppraisalPeer: ScopeDepartment, PermIncentiveView: ScopeOwn, PermToleranceFile: ScopeOwn},
	RoleHead:      {PermAppraisalView: ScopeDepartment, PermAppraisalScore: ScopeDepartment, PermAppraisalPeer: ScopeDepartment, PermIncentiveView: ScopeDepartment, PermToleranceFile: ScopeDepartment},
	RoleAppraiser: {PermAppraisalView: ScopeZone, PermAppraisalManage: ScopeZone, PermIncentiveView: ScopeZone, PermIncentiveManage: ScopeZone},
	RoleDiscipline: {PermAppraisalView: ScopeZone, PermIncentiveView: ScopeZone, PermIncentiveManage: ScopeZone,
		PermConsequenceDecide: ScopeZone, PermToleranceHandle: ScopeZone},
	RoleFinance:  {PermAppraisalView: ScopeZone, PermAppraisalPool: ScopeZone, PermIncentiveView: ScopeZone},
	RoleDirector: {PermAppraisalView: ScopeZone, PermAppraisalScore: ScopeZone, PermAppraisalFinalize: ScopeZone, PermIncentiveView: ScopeZone, PermIncentiveApprove: ScopeZone},
	RoleAuditor:  {PermAppraisalView: ScopeZone, PermIncentiveView: ScopeZone},
	RoleViewer:   {PermAppraisalView: ScopeAllZones},
}

// pipelineGrants are the investment pipeline's permissions, merged into
// grants at start-up: every member reports and sees their own leads and
// the projects; each team works its step.
var pipelineGrants = map[Role]map[Permission]Scope{
	RoleMember:     {PermLeadReport: ScopeZone, PermLeadView: ScopeOwn, PermProjectView: ScopeZone},
	RoleScreener:   {PermLeadReport: ScopeZone, PermLeadView: ScopeZone, PermLeadScreen: ScopeZone, PermProjectView: ScopeZone},
	RolePlanner:    {PermLeadReport: ScopeZone, PermLeadView: ScopeZone, PermProjectView: ScopeZone, PermProjectPlan: ScopeZone},
	RoleSponsor:    {PermLeadReport: ScopeZone, PermLeadView: ScopeZone, PermVetoOverride: ScopeZone, PermProjectView: ScopeZone, PermProjectPromote: ScopeZone},
	RoleAgent:      {PermLeadReport: ScopeZone, PermLeadView: ScopeOwn, PermProjectView: ScopeZone, PermProjectAgency: ScopeZone},
	RoleHead:       {PermLeadReport: ScopeZone, PermLeadView: ScopeDepartment, PermProjectView: ScopeZone},
	RoleAppraiser:  {PermLeadView: ScopeZone, PermProjectView: ScopeZone},
	RoleDiscipline: {PermLeadView: ScopeZone, PermProjectView: ScopeZone},
	RoleFinance:    {PermProjectView: ScopeZone},
	RoleDirector:   {PermLeadReport: ScopeZone, PermLeadView: ScopeZone, PermVetoOverride: ScopeZone, PermProjectView: ScopeZone, PermProjectPromote: ScopeZone},
	RoleAuditor:    {PermLeadView: ScopeZone, PermProjectView: ScopeZone},
	RoleViewer:     {PermLeadView: ScopeAllZones, PermProjectView: ScopeAllZones},
}

// landGrants are the permissions of parks, land and factors, merged into
// grants at start-up: whoever works projects sees the land and utilities;
// the planning group and the administrators record them; the director may
// sign over a utility shortfall.
var landGrants = map[Role]map[Permission]Scope{
	RolePlanner:   {PermLandView: ScopeZone, PermLandManage: ScopeZone},
	RoleSponsor:   {PermLandView: ScopeZone},
	RoleAgent:     {PermLandView: ScopeZone},
	RoleHead:      {PermLandView: ScopeZone},
	RoleAppraiser: {PermLandView: ScopeZone},
	RoleFinance:   {PermLandView: ScopeZone},
	RoleDirector:  {PermLandView: ScopeZone, PermFactorOverride: ScopeZone},
	RoleAuditor:   {PermLandView: ScopeZone},
	RoleViewer:    {PermLandView: ScopeAllZones},
	RoleSysAdmin:  {PermLandView: ScopeZone, PermLandManage: ScopeZone},
}

// studyGrants are the study campaigns' permissions, merged into grants at
// start-up: every member with a working account writes reflections, heads
// review their department's, the organisation office runs the campaigns.
var studyGrants = map[Role]map[Permission]Scope{
	RoleMember:     {PermStudyWrite: ScopeOwn},
	RoleScreener:   {PermStudyWrite: ScopeOwn},
	RolePlanner:    {PermStudyWrite: ScopeOwn},
	RoleSponsor:    {PermStudyWrite: ScopeOwn},
	RoleAgent:      {PermStudyWrite: ScopeOwn},
	RoleHead:       {PermStudyWrite: ScopeOwn, PermStudyReview: ScopeDepartment},
	RoleAppraiser:  {PermStudyWrite: ScopeOwn, PermStudySettings: ScopeZone},
	RoleDiscipline: {PermStudyWrite: ScopeOwn, PermStudyManage: ScopeZone, PermStudySettings: ScopeZone},
	RoleFinance:    {PermStudyWrite: ScopeOwn},
	RoleDirector:   {PermStudyWrite: ScopeOwn, PermStudySettings: ScopeZone},
}

// reportGrants are the monthly briefing's and the self-assessment's
// permissions, merged into grants at start-up: the zone's leadership,
// department heads, the appraisal and organisation offices and the
// auditor read the briefings, the director issues them; the
// self-assessment is kept by the planning group and the director.
var reportGrants = map[Role]map[Permission]Scope{
	RoleSponsor:    {PermBriefingView: ScopeZone, PermAssessmentView: ScopeZone},
	RolePlanner:    {PermAssessmentView: ScopeZone, PermAssessmentManage: ScopeZone},
	RoleHead:       {PermBriefingView: ScopeZone, PermAssessmentView: ScopeZone},
	RoleAppraiser:  {PermBriefingView: ScopeZone, PermAssessmentView: ScopeZone},
	RoleDiscipline: {PermBriefingView: ScopeZone},
	RoleDirector:   {PermBriefingView: ScopeZone, PermBriefingIssue: ScopeZone, PermAssessmentView: ScopeZone, PermAssessmentManage: ScopeZone},
	RoleAuditor:    {PermBriefingView: ScopeZone, PermAssessmentView: ScopeZone},
}

// cockpitGrants are the cockpit's permissions, merged into grants at
// start-up: the director and the leadership group read the zone's cockpit
// and the auditor may; the city's or province's viewer reads every zone's;
// the director sets the year targets.
var cockpitGrants = map[Role]map[Permission]Scope{
	RoleSponsor:  {PermCockpitView: ScopeZone},
	RoleDirector: {PermCockpitView: ScopeZone, PermCockpitTargets: ScopeZone},
	RoleAuditor:  {PermCockpitView: ScopeZone},
	RoleViewer:   {PermCockpitView: ScopeAllZones},
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
		PermOrgView: ScopeZone, PermStaffView: ScopeDepartment, PermStaffExport: ScopeDepartment, PermReveal: ScopeDepartment,
		PermCalendarView: ScopeZone,
	},
	RoleAppraiser: {
		PermOrgView: ScopeZone, PermStaffView: ScopeZone, PermStaffExport: ScopeZone, PermReveal: ScopeZone,
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
	RoleSysAdmin: {
		PermOrgView: ScopeZone, PermOrgManage: ScopeZone,
		PermStaffView: ScopeZone, PermStaffManage: ScopeZone, PermStaffExport: ScopeZone,
		PermUserView: ScopeZone, PermUserManage: ScopeZone, PermCalendarView: ScopeZone, PermCalendarManage: ScopeZone,
	},
	RoleSecAdmin: {
		PermOrgView: ScopeZone, PermUserView: ScopeZone, PermRoleManage: ScopeZone, PermSecurityManage: ScopeZone,
	},
	RoleAuditAdmin: {
		PermAuditView: ScopeZone,
	},
	RoleAuditor: {
		PermOrgView: ScopeZone, PermStaffView: ScopeZone, PermCalendarView: ScopeZone,
	},
	RoleViewer: {
		PermOrgView: ScopeAllZones, PermStaffView: ScopeAllZones, PermCalendarView: ScopeAllZones,
	},
}

func init() {
	for _, extra := range []map[Role]map[Permission]Scope{pipelineGrants, appraisalGrants, landGrants, studyGrants, reportGrants, cockpitGrants} {
		for r, ps := range extra {
			for p, sc := range ps {
				grants[r][p] = sc
			}
		}
	}
	// The demo's combined administrator holds exactly the three's rights.
	combined := map[Permission]Scope{}
	for _, r := range []Role{RoleSysAdmin, RoleSecAdmin, RoleAuditAdmin} {
		for p, sc := range grants[r] {
			if sc > combined[p] {
				combined[p] = sc
			}
		}
	}
	grants[RoleAdmin] = combined
}

// PayPermissions are the permissions that show the pay of others: the
// appraisal office's, the director's and finance's sight of a period's pay
// lines, the payroll and base pay (package api's SeesUnpublished).
var PayPermissions = []Permission{PermAppraisalManage, PermAppraisalFinalize, PermAppraisalPool}

// ReadsOthersPay reports whether holders of roles see pay beyond their own.
func ReadsOthersPay(roles []Role) bool {
	for _, p := range PayPermissions {
		if ScopeOf(roles, p) > ScopeOwn {
			return true
		}
	}
	return false
}

// Privileged reports whether roles are the administrators', or may reveal
// personal data, or read others' pay. Privileged accounts sign in with a
// second factor and their API tokens end like the administrators' web
// sessions.
func Privileged(roles []Role) bool {
	for _, r := range roles {
		if r.IsAdminRole() {
			return true
		}
	}
	return ScopeOf(roles, PermReveal) > ScopeNone || ReadsOthersPay(roles)
}

// NeedsSecondFactor reports whether holders of roles must sign in with a
// second factor: privileged roles (Privileged).
func NeedsSecondFactor(roles []Role) bool { return Privileged(roles) }

// ReachesBeyondZone reports whether r grants any permission over every zone
// (a city's or province's read-only view). Such roles are given only by
// the operator on the command line, never by a zone's administrators.
func (r Role) ReachesBeyondZone() bool {
	for _, sc := range grants[r] {
		if sc >= ScopeAllZones {
			return true
		}
	}
	return false
}

// CheckZoneRoleChange is the rule for a zone's administrators changing an
// account's roles from old to roles through the pages or the API: the
// administrators' roles are neither given nor taken away, nor are the
// roles of an account that holds one changed, and no role that reaches
// beyond the zone is given. Those changes are the operator's, with
// "xinlu user roles" on the command line.
func CheckZoneRoleChange(old, roles []Role) error {
	for _, r := range slices.Concat(old, roles) {
		if r.IsAdminRole() {
			return &Error{Code: EFORBIDDEN, Field: "roles", Key: "user.admin_roles_operator_only"}
		}
	}
	for _, r := range roles {
		if r.ReachesBeyondZone() && !slices.Contains(old, r) {
			return &Error{Code: EFORBIDDEN, Field: "roles", Key: "user.role_beyond_zone_operator_only"}
		}
	}
	return nil
}

// CheckDemoOnly refuses the combined administrator (RoleAdmin) outside a
// zone made by "xinlu demo".
func CheckDemoOnly(z *Zone, roles []Role) error {
	if slices.Contains(roles, RoleAdmin) && !z.Demo {
		return &Error{Code: EFORBIDDEN, Field: "roles", Key: "user.admin_demo_only"}
	}
	return nil
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
