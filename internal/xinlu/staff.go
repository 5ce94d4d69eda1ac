package xinlu

import (
	"regexp"
	"strings"
	"time"
)

// PositionKind groups positions for appraisal: leaders are ranked apart.
type PositionKind string

const (
	PositionLeader PositionKind = "leader" // zone leadership (班子成员)
	PositionHead   PositionKind = "head"   // department head or deputy (中层)
	PositionStaff  PositionKind = "staff"  // everyone else
)

// PositionKinds lists the kinds in display order.
var PositionKinds = []PositionKind{PositionLeader, PositionHead, PositionStaff}

// Position is a post staff are appointed to (岗位).
type Position struct {
	ID           int64
	ZoneID       int64
	DepartmentID int64 // 0 when the post is zone-wide
	Name         string
	Grade        string // e.g. 七级职员, 专技八级
	Kind         PositionKind
	SortOrder    int
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time

	DepartmentName string // read model
}

// MemberStatus is where a member stands in employment.
type MemberStatus string

const (
	MemberActive    MemberStatus = "active"    // 在岗
	MemberProbation MemberStatus = "probation" // 试用期
	MemberLeave     MemberStatus = "leave"     // 长期休假
	MemberLeft      MemberStatus = "left"      // 离职
)

// MemberStatuses lists the statuses in display order.
var MemberStatuses = []MemberStatus{MemberActive, MemberProbation, MemberLeave, MemberLeft}

// Member is one employee of the committee (人员).
type Member struct {
	ID           int64
	ZoneID       int64
	DepartmentID int64
	PositionID   int64
	StaffNo      string // 工号, unique in the zone
	Name         string
	Gender       string // "m", "f" or ""
	Phone        string // personal data: masked unless the viewer may see it
	IDNumber     string // 身份证号, personal data
	Status       MemberStatus
	JoinedOn     string // YYYY-MM-DD, may be ""
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time

	DepartmentName string // read model
	PositionName   string // read model
	ContractEnd    string // read model: end of the current contract
}

// ContractStatus is the state of an employment contract.
type ContractStatus string

const (
	ContractActive     ContractStatus = "active"     // 履行中
	ContractExpired    ContractStatus = "expired"    // 已到期
	ContractRenewed    ContractStatus = "renewed"    // 已续签 (superseded by a newer one)
	ContractTerminated ContractStatus = "terminated" // 已解除
)

// ContractStatuses lists the statuses in display order.
var ContractStatuses = []ContractStatus{ContractActive, ContractExpired, ContractRenewed, ContractTerminated}

// Contract is a member's employment contract under 全员聘用制.
type Contract struct {
	ID         int64
	ZoneID     int64
	MemberID   int64
	PositionID int64
	StartDate  string // YYYY-MM-DD
	EndDate    string // YYYY-MM-DD
	Status     ContractStatus
	Note       string
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time

	MemberName     string // read model
	DepartmentName string // read model
	PositionName   string // read model
}

// Term is a leader's fixed term of office (任期), three years by default.
type Term struct {
	ID        int64
	ZoneID    int64
	MemberID  int64
	Title     string // e.g. 管委会主任
	StartDate string
	EndDate   string
	Targets   string // the term's targets, free text
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time

	MemberName string // read model
}

// DefaultTermYears is the length of a leader's term.
const DefaultTermYears = 3

// DefaultTermEnd returns the day before the same date DefaultTermYears later.
func DefaultTermEnd(start time.Time) time.Time {
	return start.AddDate(DefaultTermYears, 0, -1)
}

var (
	mobileRE   = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	idNumberRE = regexp.MustCompile(`^[0-9]{17}[0-9X]$`)
)

// ValidMobile reports whether s is a mainland mobile number.
func ValidMobile(s string) bool { return mobileRE.MatchString(s) }

// ValidIDNumber checks an 18-digit resident identity number, including its
// GB 11643 check digit.
func ValidIDNumber(s string) bool {
	s = strings.ToUpper(s)
	if !idNumberRE.MatchString(s) {
		return false
	}
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(s[i]-'0') * w
	}
	return "10X98765432"[sum%11] == s[17]
}

// MaskIDNumber shows the first 4 and last 4 characters.
func MaskIDNumber(s string) string {
	if len(s) <= 8 {
		return strings.Repeat("*", len(s))
	}
	return s[:4] + strings.Repeat("*", len(s)-8) + s[len(s)-4:]
}

// MaskPhone shows a mobile number as 138****1234.
func MaskPhone(s string) string {
	r := []rune(s)
	if len(r) < 7 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:3]) + "****" + string(r[len(r)-4:])
}
