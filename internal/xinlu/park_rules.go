package xinlu

import (
	"slices"
	"strings"
)

// MaxParkAreaMu bounds a park's planned area: 10 million mu is about
// 6,700 km², far beyond any development zone.
const MaxParkAreaMu = 10_000_000

// ValidIndustry reports whether code is a known industry code.
func ValidIndustry(code string) bool { return slices.Contains(Industries, code) }

// Validate checks a park as typed. It trims the fields and puts the
// industries into the order of Industries without repeats.
func (p *Park) Validate() error {
	var errs FieldErrors
	errs.Add(cleanNames(textField{"name", &p.Name}))
	errs.Add(cleanTexts(textField{"description", &p.Description}))
	switch {
	case errs.Has("name"):
	case p.Name == "":
		errs.Invalid("name", "error.required")
	case len([]rune(p.Name)) > 64:
		errs.Invalid("name", "error.too_long", 64)
	}
	if p.AreaMu < 0 || p.AreaMu > MaxParkAreaMu {
		errs.Invalid("area_mu", "error.out_of_range", 0, MaxParkAreaMu)
	}
	if !errs.Has("description") && len([]rune(p.Description)) > 2000 {
		errs.Invalid("description", "error.too_long", 2000)
	}
	var codes []string
	for _, c := range p.Industries {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if !ValidIndustry(c) {
			errs.Invalid("industries", "park.industry_unknown", c)
			return errs.Err()
		}
		codes = append(codes, c)
	}
	if len(codes) == 0 {
		errs.Invalid("industries", "park.industries_required")
		return errs.Err()
	}
	ordered := make([]string, 0, len(codes))
	for _, c := range Industries {
		if slices.Contains(codes, c) {
			ordered = append(ordered, c)
		}
	}
	p.Industries = ordered
	return errs.Err()
}
