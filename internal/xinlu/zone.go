package xinlu

import (
	"regexp"
	"strings"
	"time"
)

// Zone is one development zone. Every business record belongs to one.
type Zone struct {
	ID        int64
	Code      string
	Name      string
	Demo      bool // made by "xinlu demo": the only kind of zone where the combined administrator (RoleAdmin) may exist
	CreatedAt time.Time
}

var codeRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$`)

// Department is a unit of the zone's committee; departments form a tree.
type Department struct {
	ID        int64
	ZoneID    int64
	ParentID  int64 // 0 for a top-level department
	Code      string
	Name      string
	SortOrder int
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time

	ParentName  string // read model
	MemberCount int    // read model
}

// Validate checks a department as typed.
func (d *Department) Validate() error {
	var errs FieldErrors
	d.Code = strings.TrimSpace(d.Code)
	errs.Add(cleanNames(textField{"name", &d.Name}))
	switch {
	case d.Code == "":
		errs.Invalid("code", "error.required")
	case !codeRE.MatchString(d.Code):
		errs.Invalid("code", "error.code_format")
	}
	switch {
	case errs.Has("name"):
	case d.Name == "":
		errs.Invalid("name", "error.required")
	case len([]rune(d.Name)) > 64:
		errs.Invalid("name", "error.too_long", 64)
	}
	if d.ParentID != 0 && d.ParentID == d.ID {
		errs.Invalid("parent_id", "department.parent_self")
	}
	if d.SortOrder < 0 || d.SortOrder > 9999 {
		errs.Invalid("sort_order", "error.out_of_range", 0, 9999)
	}
	return errs.Err()
}

// CheckParent refuses a parent that would put a department beneath itself.
// ancestors lists the proposed parent's chain up to the root, parent first.
func (d *Department) CheckParent(ancestors []int64) error {
	for _, id := range ancestors {
		if id == d.ID && d.ID != 0 {
			return Invalid("parent_id", "department.parent_cycle")
		}
	}
	return nil
}

// Page is a request for one page of a list.
type Page struct {
	Page    int // 1-based
	PerPage int
}

// MaxPerPage caps every list.
const MaxPerPage = 200

// MaxPage is the highest page number a list takes: enough for a row each
// of ten million, and small enough that no offset overflows. The API
// refuses a higher one (422); the pages show the last page instead.
const MaxPage = 10_000_000

// Normalize clamps a page request to sane values.
func (p Page) Normalize() Page {
	if p.Page < 1 {
		p.Page = 1
	}
	if p.Page > MaxPage {
		p.Page = MaxPage
	}
	if p.PerPage < 1 {
		p.PerPage = 20
	}
	if p.PerPage > MaxPerPage {
		p.PerPage = MaxPerPage
	}
	return p
}

// Offset is the number of rows before the page.
func (p Page) Offset() int { return (p.Page - 1) * p.PerPage }
