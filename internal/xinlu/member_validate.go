package xinlu

import "strings"

// Validate checks a member record as typed.
func (m *Member) Validate() error {
	m.StaffNo = strings.TrimSpace(m.StaffNo)
	if err := cleanNames(textField{"name", &m.Name}); err != nil {
		return err
	}
	m.Phone = strings.TrimSpace(m.Phone)
	m.IDNumber = strings.ToUpper(strings.TrimSpace(m.IDNumber))
	m.JoinedOn = strings.TrimSpace(m.JoinedOn)
	if m.Status == "" {
		m.Status = MemberActive
	}
	switch {
	case m.StaffNo == "":
		return Invalid("staff_no", "error.required")
	case !codeRE.MatchString(m.StaffNo):
		return Invalid("staff_no", "error.code_format")
	case m.Name == "":
		return Invalid("name", "member.name_required") // "姓名", not the generic "名称"
	case len([]rune(m.Name)) > 32:
		return Invalid("name", "member.name_too_long", 32)
	case m.Gender != "" && m.Gender != "m" && m.Gender != "f":
		return Invalid("gender", "error.invalid_choice")
	case m.Phone != "" && !ValidMobile(m.Phone):
		return Invalid("phone", "member.phone_format")
	case m.IDNumber != "" && !ValidIDNumber(m.IDNumber):
		return Invalid("id_number", "member.id_number_format")
	case !m.Status.Valid():
		return Invalid("status", "error.invalid_choice")
	}
	if m.JoinedOn != "" {
		if _, err := ParseDate(m.JoinedOn); err != nil {
			return Invalid("joined_on", "error.date_format")
		}
	}
	return nil
}
