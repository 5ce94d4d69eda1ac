package xinlu

import (
	"math/rand/v2"
	"testing"
)

func TestNormalizeCompany(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"山西华晋新材料股份有限公司", "华晋新材料"},
		{"山西（太原）华晋新材料股份有限公司", "华晋新材料"},
		{"华晋新材料(太原)有限公司", "华晋新材料"},
		{"华晋新材料集团", "华晋新材料"},
		{"华晋 新材料　有限责任公司", "华晋新材料"},
		{"ＡＢＣ精密机械有限公司", "abc精密机械"},
		{"太原市晋阳装备制造有限公司", "晋阳装备制造"},
		{"晋中（开发区）智造科技有限公司", "开发区智造科技"},
		{"山西省", "山西省"},   // a name that is only a region stays
		{"有限公司", "有限公司"}, // and so does one that is only a legal form
		{"北京同仁堂药业集团有限公司", "同仁堂药业"},
	} {
		if got := NormalizeCompany(tc.in); got != tc.want {
			t.Errorf("NormalizeCompany(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLikelyDuplicate(t *testing.T) {
	for _, tc := range []struct {
		ca, pa, cb, pb string
		want           bool
	}{
		{"山西华晋新材料股份有限公司", "碳纤维项目", "华晋新材料（太原）有限公司", "年产千吨碳纤维", true},
		{"晋阳装备制造有限公司", "齿轮箱", "晋阳装备制造集团", "风电齿轮箱扩产", true},
		{"晋阳精密装备制造有限公司", "数控机床生产线", "晋阳装备制造有限公司", "数控机床生产基地", true},
		{"华晋新材料有限公司", "碳纤维", "华能新能源有限公司", "光伏电站", false},
		{"博瑞生物医药有限公司", "原料药", "博瑞特机械有限公司", "农机", false},
		{"同仁堂药业", "中药饮片", "仁和药业", "中药饮片", false},
	} {
		got, score := LikelyDuplicate(tc.ca, tc.pa, tc.cb, tc.pb)
		if got != tc.want {
			t.Errorf("%s/%s vs %s/%s: %v (%.2f), want %v", tc.ca, tc.pa, tc.cb, tc.pb, got, score, tc.want)
		}
	}
	if s := Similarity("", ""); s != 0 {
		t.Errorf("empty similarity %v", s)
	}
	if s := Similarity("abc", "abc"); s != 1 {
		t.Errorf("same similarity %v", s)
	}
}

func FuzzNormalizeCompany(f *testing.F) {
	for _, s := range []string{"山西（太原）华晋新材料股份有限公司", "（", "【】", "省市", "ＡＢＣ", "", ")("} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := NormalizeCompany(s)
		if NormalizeCompany(k) != NormalizeCompany(k) {
			t.Fatal("not deterministic")
		}
		if sim := Similarity(k, k); k != "" && sim != 1 {
			t.Fatalf("self-similarity %v", sim)
		}
	})
}

// Similarity counts shared bigrams as a multiset: a bigram twice in one name
// and once in the other is shared once. Checked against the definition on
// known pairs and on random strings of a small alphabet (many repeats).
func TestSimilarityIsDiceOfBigramMultisets(t *testing.T) {
	dice := func(a, b string) float64 {
		grams := func(s string) []string {
			r := []rune(s)
			if len(r) == 1 {
				return []string{s}
			}
			var out []string
			for i := 0; i+1 < len(r); i++ {
				out = append(out, string(r[i:i+2]))
			}
			return out
		}
		ga, gb := grams(a), grams(b)
		if a == b {
			if a == "" {
				return 0
			}
			return 1
		}
		if len(ga) == 0 || len(gb) == 0 {
			return 0
		}
		left := map[string]int{}
		for _, g := range ga {
			left[g]++
		}
		shared := 0
		for _, g := range gb {
			if left[g] > 0 {
				left[g]--
				shared++
			}
		}
		return 2 * float64(shared) / float64(len(ga)+len(gb))
	}
	for _, c := range []struct {
		a, b string
		want float64
	}{
		{"华晋新材料", "华晋新材料科技", 2 * 4.0 / 10},
		{"晋晋晋", "晋晋", 2 * 1.0 / 3},
		{"太原重工", "重工太原", 2 * 2.0 / 6},
		{"a", "a", 1},
		{"a", "ab", 0},
		{"a", "b", 0},
		{"a", "\x00a", 0},
	} {
		if got := Similarity(c.a, c.b); got != c.want {
			t.Errorf("Similarity(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		r := make([]rune, rng.IntN(12))
		for i := range r {
			r[i] = []rune("华晋新材料太原")[rng.IntN(7)]
		}
		return string(r)
	}
	for range 5000 {
		a, b := word(), word()
		if got, want := Similarity(a, b), dice(a, b); got != want {
			t.Fatalf("Similarity(%q, %q) = %v, want %v", a, b, got, want)
		}
	}
}
