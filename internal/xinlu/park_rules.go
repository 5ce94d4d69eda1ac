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
	if err := cleanNames(textField{"name", &p.Name}); err != nil {
		return err
	}
	if err := cleanTexts(textField{"description", &p.Description}); err != nil {
		return err
	}
	switch {
	case p.Name == "":
		return Invalid("name", "error.required")
	case len([]rune(p.Name)) > 64:
		return Invalid("name", "error.too_long", 64)
	case p.AreaMu < 0 || p.AreaMu > MaxParkAreaMu:
		return Invalid("area_mu", "error.out_of_range", 0, MaxParkAreaMu)
	case len([]rune(p.Description)) > 2000:
		return Invalid("description", "error.too_long", 2000)
	}
	var codes []string
	for _, c := range p.Industries {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if !ValidIndustry(c) {
			return Invalid("industries", "park.industry_unknown", c)
		}
		codes = append(codes, c)
	}
	if len(codes) == 0 {
		return Invalid("industries", "park.industries_required")
	}
	ordered := make([]string, 0, len(codes))
	for _, c := range Industries {
		if slices.Contains(codes, c) {
			ordered = append(ordered, c)
		}
	}
	p.Industries = ordered
	return nil
}
