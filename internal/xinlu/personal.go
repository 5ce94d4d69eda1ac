package xinlu

import (
	"strings"
	"time"
)

// The personal-data inventory (PIPL 第六条, 第十九条, 第五十一条): every column
// xinlu keeps that holds personal information, with why it is kept, on what
// legal basis, how long, how it is masked and whether it is encrypted at
// rest. Masking (Member.MaskFor), reveal, the member's own export and the
// retention job all read this one table; a store test fails when the schema
// holds a personal-looking column that is not named here. Forms and APIs
// accept no personal field outside it.
//
// Purpose, legal basis and retention notes are i18n keys, shown in the
// user's language on compliance pages and in exports.

// MaskRule is how a field is shown to someone who may not see it in full.
type MaskRule string

const (
	MaskNone     MaskRule = ""          // shown as is (names)
	MaskMobile   MaskRule = "phone"     // 138****1234
	MaskIdentity MaskRule = "id_number" // first 4 and last 4 characters
	MaskLast4    MaskRule = "last4"     // bank accounts: last 4 characters only
)

// Apply masks s by the rule.
func (r MaskRule) Apply(s string) string {
	switch r {
	case MaskMobile:
		return MaskPhone(s)
	case MaskIdentity:
		return MaskIDNumber(s)
	case MaskLast4:
		if n := len([]rune(s)); n > 4 {
			return strings.Repeat("*", n-4) + string([]rune(s)[n-4:])
		}
		return strings.Repeat("*", len([]rune(s)))
	}
	return s
}

// RetentionRule says how long a personal field is kept.
type RetentionRule string

const (
	// RetainUntilLeftYears: kept while the member works here and for the
	// configured number of years (DefaultRetentionYears) after they left
	// (离职); then the retention job clears it.
	RetainUntilLeftYears RetentionRule = "left_years"
	// RetainArchive: kept with the personnel archive (人事档案), which public
	// bodies keep under the archive rules; never cleared by the job, so that
	// history, contracts, appraisals and statistics stay attributable.
	RetainArchive RetentionRule = "archive"
)

// RetainLeadClosedYears keeps a lead's contact until the configured number
// of years after the lead was rejected, merged or shelved.
const RetainLeadClosedYears RetentionRule = "lead_closed_years"

// DefaultRetentionYears is how long after leaving a member's contact and
// identity data are kept by default; `--retention-years` changes it.
const DefaultRetentionYears = 5

// PersonalField is one personal column of the inventory.
type PersonalField struct {
	Table      string
	Column     string
	Label      string // i18n key of the field's label
	Purpose    string // i18n key: why xinlu keeps it
	LegalBasis string // i18n key: PIPL basis of processing
	Sensitive  bool   // 敏感个人信息, or treated as such
	Mask       MaskRule
	Encrypted  bool   // sealed at rest (package seal)
	HashColumn string // keyed-hash column for exact-match lookups, "" when none
	Retention  RetentionRule
}

// Name is the field's name as the sealer binds it: "table.column".
func (f PersonalField) Name() string { return f.Table + "." + f.Column }

// Revealable reports whether the field is masked by default, so that
// seeing it in full is a reveal.
func (f PersonalField) Revealable() bool { return f.Mask != MaskNone }

// Anonymised reports whether the retention job clears the field.
func (f PersonalField) Anonymised() bool { return f.Retention == RetainUntilLeftYears }

// PersonalFields is the inventory. When a personal column is added (lead
// contacts, pay amounts), it is added here in the same change.
var PersonalFields = []PersonalField{
	{Table: "members", Column: "name", Label: "member.name", Purpose: "personal.purpose.member_name",
		LegalBasis: "personal.basis.hr", Retention: RetainArchive},
	{Table: "members", Column: "gender", Label: "field.gender", Purpose: "personal.purpose.member_gender",
		LegalBasis: "personal.basis.hr", Retention: RetainArchive},
	{Table: "members", Column: "phone", Label: "field.phone", Purpose: "personal.purpose.member_phone",
		LegalBasis: "personal.basis.hr", Mask: MaskMobile, Encrypted: true, HashColumn: "phone_hash",
		Retention: RetainUntilLeftYears},
	{Table: "members", Column: "id_number", Label: "field.id_number", Purpose: "personal.purpose.member_id_number",
		LegalBasis: "personal.basis.hr_duty", Sensitive: true, Mask: MaskIdentity, Encrypted: true,
		HashColumn: "id_number_hash", Retention: RetainUntilLeftYears},
	{Table: "users", Column: "name", Label: "field.name", Purpose: "personal.purpose.user_name",
		LegalBasis: "personal.basis.hr", Retention: RetainArchive},
	{Table: "leads", Column: "contact_name", Label: "field.contact_name", Purpose: "personal.purpose.lead_contact",
		LegalBasis: "personal.basis.contract_prep", Retention: RetainLeadClosedYears},
	{Table: "leads", Column: "contact_phone", Label: "field.contact_phone", Purpose: "personal.purpose.lead_contact",
		LegalBasis: "personal.basis.contract_prep", Mask: MaskMobile, Encrypted: true, HashColumn: "contact_phone_hash",
		Retention: RetainLeadClosedYears},
	// Pay amounts are sealed as decimal text (store.sealYuan); the store
	// decrypts them to sum and scale in Go.
	{Table: "member_pay", Column: "base_sealed", Label: "appraisal.base_pay", Purpose: "personal.purpose.pay",
		LegalBasis: "personal.basis.hr", Encrypted: true, Retention: RetainArchive},
	{Table: "appraisal_results", Column: "base_sealed", Label: "appraisal.base_pay", Purpose: "personal.purpose.pay",
		LegalBasis: "personal.basis.hr", Encrypted: true, Retention: RetainArchive},
	{Table: "appraisal_results", Column: "pay_sealed", Label: "appraisal.pay", Purpose: "personal.purpose.pay",
		LegalBasis: "personal.basis.hr", Encrypted: true, Retention: RetainArchive},
}

// PersonalFieldsOf returns the inventory entries of one table.
func PersonalFieldsOf(table string) []PersonalField {
	var out []PersonalField
	for _, f := range PersonalFields {
		if f.Table == table {
			out = append(out, f)
		}
	}
	return out
}

// EncryptedFields returns the entries sealed at rest, in inventory order.
func EncryptedFields() []PersonalField {
	var out []PersonalField
	for _, f := range PersonalFields {
		if f.Encrypted {
			out = append(out, f)
		}
	}
	return out
}

// PersonalValue points at the member's value of an inventory column, or is
// nil for a column the Member type does not carry.
func (m *Member) PersonalValue(column string) *string {
	switch column {
	case "name":
		return &m.Name
	case "gender":
		return &m.Gender
	case "phone":
		return &m.Phone
	case "id_number":
		return &m.IDNumber
	}
	return nil
}

// RevealedFields names the member's masked-by-default fields that hold a
// value: what a reveal shows, and what its audit row lists.
func (m *Member) RevealedFields() []string {
	var out []string
	for _, f := range PersonalFieldsOf("members") {
		if p := m.PersonalValue(f.Column); f.Revealable() && p != nil && *p != "" {
			out = append(out, f.Column)
		}
	}
	return out
}

// MinRevealReason and MaxRevealReason bound the reason given for a reveal.
const (
	MinRevealReason = 4
	MaxRevealReason = 200
)

// CheckRevealReason trims and checks the reason for a reveal: required, at
// least MinRevealReason characters.
func CheckRevealReason(s string) (string, error) {
	s, err := Text("reason", s)
	if err != nil {
		return s, err
	}
	switch n := len([]rune(s)); {
	case n == 0:
		return s, Invalid("reason", "personal.reason_required")
	case n < MinRevealReason:
		return s, Invalid("reason", "personal.reason_too_short", MinRevealReason)
	case n > MaxRevealReason:
		return s, Invalid("reason", "personal.reason_too_long", MaxRevealReason)
	}
	return s, nil
}

// LeftOn is the rule for a member's leaving date (left_on) when a record is
// saved: the day the status becomes "left", kept while it stays left,
// cleared when the member comes back.
func LeftOn(oldStatus, newStatus MemberStatus, oldLeftOn, today string) string {
	switch {
	case newStatus != MemberLeft:
		return ""
	case oldStatus == MemberLeft && oldLeftOn != "":
		return oldLeftOn
	}
	return today
}

// RetentionCutoff is the leaving date before which a member's anonymised
// fields are cleared: today less years. years < 1 gives "" (nothing expires).
func RetentionCutoff(today time.Time, years int) string {
	if years < 1 {
		return ""
	}
	return today.AddDate(-years, 0, 0).Format(DateLayout)
}
