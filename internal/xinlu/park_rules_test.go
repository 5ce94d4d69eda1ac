package xinlu

import (
	"slices"
	"strings"
	"testing"
)

func TestParkValidate(t *testing.T) {
	tests := []struct {
		name      string
		park      Park
		wantField string
		wantKey   string
	}{
		{"valid", Park{Name: "装备制造产业园", AreaMu: 3200, Industries: []string{"equipment"}}, "", ""},
		{"zero area is fine", Park{Name: "生物医药园", Industries: []string{"biomedicine", "other"}}, "", ""},
		{"largest area is fine", Park{Name: "大园区", AreaMu: MaxParkAreaMu, Industries: []string{"other"}}, "", ""},
		{"name missing", Park{Name: " ", Industries: []string{"equipment"}}, "name", "error.required"},
		{"name too long", Park{Name: strings.Repeat("园", 65), Industries: []string{"equipment"}}, "name", "error.too_long"},
		{"negative area", Park{Name: "园", AreaMu: -1, Industries: []string{"equipment"}}, "area_mu", "error.out_of_range"},
		{"area too large", Park{Name: "园", AreaMu: MaxParkAreaMu + 1, Industries: []string{"equipment"}}, "area_mu", "error.out_of_range"},
		{"no industries", Park{Name: "园"}, "industries", "park.industries_required"},
		{"only blank industries", Park{Name: "园", Industries: []string{"", " "}}, "industries", "park.industries_required"},
		{"unknown industry", Park{Name: "园", Industries: []string{"equipment", "steel"}}, "industries", "park.industry_unknown"},
		{"industry with a comma", Park{Name: "园", Industries: []string{"equipment,materials"}}, "industries", "park.industry_unknown"},
		{"description too long", Park{Name: "园", Industries: []string{"other"}, Description: strings.Repeat("x", 2001)}, "description", "error.too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.park.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("want nil, got %v", err)
				}
				return
			}
			e := AsError(err)
			if e.Code != EINVALID || e.Field != tt.wantField || e.Key != tt.wantKey {
				t.Fatalf("want %s %s, got %v", tt.wantField, tt.wantKey, err)
			}
		})
	}
}

func TestParkValidateNormalisesIndustries(t *testing.T) {
	p := Park{Name: " 新材料园 ", Industries: []string{"other", " materials", "equipment", "materials", ""}}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"equipment", "materials", "other"}; !slices.Equal(p.Industries, want) {
		t.Fatalf("industries %v, want %v", p.Industries, want)
	}
	if p.Name != "新材料园" {
		t.Fatalf("name %q", p.Name)
	}
}

func TestUnknownIndustryNamesTheCode(t *testing.T) {
	p := Park{Name: "园", Industries: []string{"steel"}}
	e := AsError(p.Validate())
	if len(e.Args) != 1 || e.Args[0] != "steel" {
		t.Fatalf("args %v", e.Args)
	}
}
