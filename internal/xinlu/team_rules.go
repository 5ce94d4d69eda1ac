package xinlu

import (
	"slices"
	"strings"
)

// Valid reports whether k is a known team kind.
func (k TeamKind) Valid() bool { return slices.Contains(TeamKinds, k) }

// Validate checks a team as typed.
func (t *Team) Validate() error {
	if err := cleanNames(textField{"name", &t.Name}); err != nil {
		return err
	}
	if err := cleanTexts(textField{"description", &t.Description}); err != nil {
		return err
	}
	t.Kind = TeamKind(strings.TrimSpace(string(t.Kind)))
	switch {
	case t.Name == "":
		return Invalid("name", "error.required")
	case len([]rune(t.Name)) > 64:
		return Invalid("name", "error.too_long", 64)
	case t.Kind == "":
		return Invalid("kind", "error.required")
	case !t.Kind.Valid():
		return Invalid("kind", "error.invalid_choice")
	case len([]rune(t.Description)) > 2000:
		return Invalid("description", "error.too_long", 2000)
	}
	return nil
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
