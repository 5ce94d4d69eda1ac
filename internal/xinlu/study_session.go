package xinlu

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Discussion sessions (专题讨论, 座谈会) of a study campaign: each
// department holds one or several, with a chair, a place, the minutes and
// who spoke; the attendance of every member of the department the
// campaign asks is kept: present, on leave (with the reason) or absent.
// The organisation office records sessions of any department, a
// department head those of their own; while the campaign is open or
// closed.

// AttendanceStatus is how a member stood at a session.
type AttendanceStatus string

const (
	AttendPresent AttendanceStatus = "present" // 出席
	AttendLeave   AttendanceStatus = "leave"   // 请假 (with the reason)
	AttendAbsent  AttendanceStatus = "absent"  // 缺席
)

// AttendanceStatuses lists the statuses in display order.
var AttendanceStatuses = []AttendanceStatus{AttendPresent, AttendLeave, AttendAbsent}

// Limits of a session's fields, in characters.
const (
	MaxSessionPlace   = 100
	MaxSessionMinutes = 20000
	MaxLeaveReason    = 200
)

// Attendance is one member's attendance at a session.
type Attendance struct {
	MemberID int64
	Status   AttendanceStatus
	Reason   string // for a leave

	Name string // read model
}

// StudySession is one discussion session.
type StudySession struct {
	ID           int64
	ZoneID       int64
	CampaignID   int64
	DepartmentID int64
	HeldOn       string // YYYY-MM-DD
	Place        string
	ChairID      int64 // a member of the zone
	Minutes      string
	SpeakerIDs   []int64 // members present who spoke
	Attendance   []Attendance
	CreatedBy    int64
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time

	DepartmentName string // read model
	ChairName      string // read model
}

// Count returns how many attended in status st.
func (s *StudySession) Count(st AttendanceStatus) int {
	n := 0
	for _, a := range s.Attendance {
		if a.Status == st {
			n++
		}
	}
	return n
}

// Speakers returns the attendance rows of the speakers, in attendance
// order.
func (s *StudySession) Speakers() []Attendance {
	var out []Attendance
	for _, a := range s.Attendance {
		if slices.Contains(s.SpeakerIDs, a.MemberID) {
			out = append(out, a)
		}
	}
	return out
}

// ReasonField is the form field of member's leave reason.
func ReasonField(member int64) string { return "reason_" + strconv.FormatInt(member, 10) }

// Validate trims and checks a session against the members its department
// has in the campaign (members, in order): a date, a place, a chair, every
// member's attendance once (a member not listed is recorded absent), a
// reason for each leave and none otherwise, speakers among those present,
// minutes within the limit. Every bad field is reported at once; a leave
// without a reason under reason_<member id>.
func (s *StudySession) Validate(members []StudyMember) error {
	var errs FieldErrors
	errs.Add(cleanNames(textField{"place", &s.Place}))
	errs.Add(cleanTexts(textField{"minutes", &s.Minutes}))
	s.HeldOn = strings.TrimSpace(s.HeldOn)
	switch {
	case s.HeldOn == "":
		errs.Invalid("held_on", "error.required")
	default:
		if t, err := ParseDate(s.HeldOn); err != nil {
			errs.Invalid("held_on", "error.date_format")
		} else {
			s.HeldOn = t.Format(DateLayout)
		}
	}
	switch n := len([]rune(s.Place)); {
	case errs.Has("place"):
	case n == 0:
		errs.Invalid("place", "error.required")
	case n > MaxSessionPlace:
		errs.Invalid("place", "error.too_long", MaxSessionPlace)
	}
	if s.ChairID <= 0 {
		errs.Invalid("chair_id", "error.required")
	}
	if !errs.Has("minutes") && len([]rune(s.Minutes)) > MaxSessionMinutes {
		errs.Invalid("minutes", "error.too_long", MaxSessionMinutes)
	}
	given := map[int64]Attendance{}
	for _, a := range s.Attendance {
		given[a.MemberID] = a
	}
	rows := make([]Attendance, 0, len(members))
	for _, m := range members {
		a, ok := given[m.MemberID]
		if !ok {
			a = Attendance{MemberID: m.MemberID, Status: AttendAbsent}
		}
		a.Name = m.Name
		a.Reason = strings.TrimSpace(a.Reason)
		field := ReasonField(m.MemberID)
		switch a.Status {
		case AttendLeave:
			if r, err := Text(field, a.Reason); err != nil {
				errs.Add(err)
			} else if a.Reason = r; a.Reason == "" {
				errs.Invalid(field, "study.leave_reason_required", m.Name)
			} else if len([]rune(a.Reason)) > MaxLeaveReason {
				errs.Invalid(field, "error.too_long", MaxLeaveReason)
			}
		case AttendPresent, AttendAbsent:
			a.Reason = ""
		default:
			errs.Invalid("attendance_"+strconv.FormatInt(m.MemberID, 10), "error.invalid_choice")
		}
		rows = append(rows, a)
	}
	for id := range given {
		if !slices.ContainsFunc(members, func(m StudyMember) bool { return m.MemberID == id }) {
			errs.Invalid("attendance", "study.attendance_not_member", id)
			break
		}
	}
	s.Attendance = rows
	s.SpeakerIDs = uniqueIDs(s.SpeakerIDs)
	for _, id := range s.SpeakerIDs {
		if i := slices.IndexFunc(rows, func(a Attendance) bool { return a.MemberID == id }); i < 0 || rows[i].Status != AttendPresent {
			errs.Invalid("speaker_ids", "study.speaker_not_present")
			break
		}
	}
	return errs.Err()
}

// CheckSessionEdit decides whether u may record a session of department
// dept in campaign c: the organisation office for any department, a
// department head (PermStudyReview over their department) for their own;
// c open or closed (409 naming its status).
func CheckSessionEdit(u *User, c *Campaign, dept int64) error {
	if u == nil {
		return Forbidden()
	}
	if !u.Can(PermStudyManage) {
		switch ScopeOf(u.Roles, PermStudyReview) {
		case ScopeZone, ScopeAllZones:
		case ScopeDepartment:
			if u.DepartmentID == 0 || u.DepartmentID != dept {
				return Forbidden()
			}
		default:
			return Forbidden()
		}
	}
	if c.Status != CampaignOpen && c.Status != CampaignClosed {
		return &Error{Code: ECONFLICT, Field: "status", Key: "study.campaign_state",
			Args: []any{LabelKey("study.campaign_status." + string(c.Status))}}
	}
	return nil
}
