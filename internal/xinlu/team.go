package xinlu

import "time"

// TeamKind is what a team is for.
type TeamKind string

const (
	TeamTaskforce  TeamKind = "taskforce"  // 专班, e.g. screening or agency service
	TeamPlanning   TeamKind = "planning"   // 专业组
	TeamLeadership TeamKind = "leadership" // 领导组
)

// TeamKinds lists the kinds in display order.
var TeamKinds = []TeamKind{TeamTaskforce, TeamPlanning, TeamLeadership}

// Team is a standing cross-department group with members.
type Team struct {
	ID          int64
	ZoneID      int64
	Kind        TeamKind
	Name        string
	Description string
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time

	MemberCount int // read model
}

// TeamMember is one member of a team; at most a few are leads.
type TeamMember struct {
	TeamID   int64
	MemberID int64
	IsLead   bool

	Name           string // read model
	DepartmentName string // read model
}
