package xinlu

import (
	"slices"
	"strings"
)

// Valid reports whether k is a known team kind.
func (k TeamKind) Valid() bool { return slices.Contains(TeamKinds, k) }

// Validate checks a team as typed.
func (t *Team) Validate() error {
	var errs FieldErrors
	errs.Add(cleanNames(textField{"name", &t.Name}))
	errs.Add(cleanTexts(textField{"description", &t.Description}))
	t.Kind = TeamKind(strings.TrimSpace(string(t.Kind)))
	switch {
	case errs.Has("name"):
	case t.Name == "":
		errs.Invalid("name", "error.required")
	case len([]rune(t.Name)) > 64:
		errs.Invalid("name", "error.too_long", 64)
	}
	switch {
	case t.Kind == "":
		errs.Invalid("kind", "error.required")
	case !t.Kind.Valid():
		errs.Invalid("kind", "error.invalid_choice")
	}
	if !errs.Has("description") && len([]rune(t.Description)) > 2000 {
		errs.Invalid("description", "error.too_long", 2000)
	}
	return errs.Err()
}

// CheckJoin decides whether a member may join a team: the member must be
// named, must belong to the team's zone (memberZoneID 0 means no such
// member), must not have left, and must not be in the team already.
func (tm *TeamMember) CheckJoin(teamZoneID, memberZoneID int64, status MemberStatus, alreadyIn bool) error {
	switch {
	case tm.MemberID == 0:
		return Invalid("member_id", "error.required")
	case memberZoneID == 0 || memberZoneID != teamZoneID:
		return Invalid("member_id", "error.reference_missing")
	case status == MemberLeft:
		return Invalid("member_id", "team.member_left")
	case alreadyIn:
		return Conflict("member_id", "team.member_exists")
	}
	return nil
}
