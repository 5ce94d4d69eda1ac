package xinlu

import "strings"

// Validate checks a member record as typed.
func (m *Member) Validate() error {
	var errs FieldErrors
	m.StaffNo = strings.TrimSpace(m.StaffNo)
	errs.Add(cleanNames(textField{"name", &m.Name}))
	m.Phone = strings.TrimSpace(m.Phone)
	m.IDNumber = strings.ToUpper(strings.TrimSpace(m.IDNumber))
	m.JoinedOn = strings.TrimSpace(m.JoinedOn)
	if m.Status == "" {
		m.Status = MemberActive
	}
	switch {
	case m.StaffNo == "":
		errs.Invalid("staff_no", "error.required")
	case !codeRE.MatchString(m.StaffNo):
		errs.Invalid("staff_no", "error.code_format")
	}
	switch {
	case errs.Has("name"):
	case m.Name == "":
		errs.Invalid("name", "member.name_required") // "姓名", not the generic "名称"
	case len([]rune(m.Name)) > 32:
		errs.Invalid("name", "member.name_too_long", 32)
	}
	if m.Gender != "" && m.Gender != "m" && m.Gender != "f" {
		errs.Invalid("gender", "error.invalid_choice")
	}
	if m.Phone != "" && !ValidMobile(m.Phone) {
		errs.Invalid("phone", "member.phone_format")
	}
	if m.IDNumber != "" && !ValidIDNumber(m.IDNumber) {
		errs.Invalid("id_number", "member.id_number_format")
	}
	if !m.Status.Valid() {
		errs.Invalid("status", "error.invalid_choice")
	}
	if m.JoinedOn != "" {
		if _, err := ParseDate(m.JoinedOn); err != nil {
			errs.Invalid("joined_on", "error.date_format")
		}
	}
	return errs.Err()
}
