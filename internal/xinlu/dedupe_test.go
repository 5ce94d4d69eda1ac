package xinlu

import (
	"math/rand/v2"
	"strings"
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
		// A name of an industry word keeps its (innermost) region.
		{"太原重工股份有限公司", "太原重工"},
		{"山西省太原市重工有限公司", "太原重工"},
		{"重工（太原）有限公司", "太原重工"},
		{"山西建设投资集团有限公司", "山西建设投资"},
		{"中国银行股份有限公司", "中国银行"},
		// Branches, plants and offices: the company's key, the place, the kind.
		{"山西华晋新材料股份有限公司太原分公司", "华晋新材料太原分公司"},
		{"华晋新材料太原市分厂", "华晋新材料太原分厂"},
		{"华晋新材料驻北京办事处", "华晋新材料北京办事处"},
		{"山西华晋新材料股份有限公司驻上海代表处", "华晋新材料上海办事处"},
		{"太原重工股份有限公司大同分公司", "太原重工大同分公司"},
		{"华晋机械厂第一分厂", "华晋机械第一分厂"},
		{"中国银行股份有限公司山西省分行", "中国银行山西分行"},
		{"太原分公司", "太原分公司"},
		// English legal forms go as whole words only.
		{"Shanxi Huajin New Material Co., Ltd.", "shanxihuajinnewmaterial"},
		{"ABB（中国）有限公司", "abb"},
		{"ZINC Inc", "zinc"},
		{"Limited", "limited"},
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
		got, score, _ := LikelyDuplicate(tc.ca, tc.pa, tc.cb, tc.pb)
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

// companyPairs are names as investors, ledgers and reporters write them,
// after public naming patterns: regions in front or in brackets, legal
// forms, full-width brackets, 山西 and 晋, Latin letters, spaces.
var companyPairs = []struct {
	a, b string
	want string // same: one key; similar: alike, one company; branch; branch-alike: a branch of an alike company; sibling; never
}{
	// One company, one key.
	{"山西华晋新材料股份有限公司", "华晋新材料（太原）有限公司", "same"},
	{"山西（太原）华晋新材料股份有限公司", "华晋新材料", "same"},
	{"【太原】华晋新材料有限公司", "华晋新材料集团", "same"},
	{"华 晋 新 材 料 有 限 公 司", "华晋新材料", "same"},
	{"太原重工股份有限公司", "太原重工", "same"},
	{"山西太原重工股份有限公司", "太原市重工有限责任公司", "same"},
	{"太原重工股份有限公司", "太原重工（山西）有限公司", "same"},
	{"太原钢铁（集团）有限公司", "太原钢铁集团", "same"},
	{"山西焦煤集团有限责任公司", "山西焦煤", "same"},
	{"晋能控股集团有限公司", "山西晋能控股集团", "same"},
	{"山西建设投资集团有限公司", "山西省建设投资集团", "same"},
	{"大同煤矿集团有限责任公司", "大同煤矿集团", "same"},
	{"潞安矿业（集团）有限责任公司", "潞安矿业集团", "same"},
	{"山西潞安化工集团有限公司", "潞安化工", "same"},
	{"山西杏花村汾酒厂股份有限公司", "杏花村汾酒厂", "same"},
	{"中国宝武钢铁集团有限公司", "宝武钢铁集团", "same"},
	{"中国平煤神马集团", "平煤神马集团有限公司", "same"},
	{"山西省国新能源股份有限公司", "国新能源", "same"},
	{"宁德时代新能源科技股份有限公司", "宁德时代新能源科技", "same"},
	{"湖南三一重工股份有限公司", "三一重工", "same"},
	{"新疆金风科技股份有限公司", "金风科技", "same"},
	{"北京京东世纪贸易有限公司", "京东世纪贸易", "same"},
	{"华为技术有限公司", "华为技术", "same"},
	{"TCL科技集团股份有限公司", "TCL 科技", "same"},
	{"ＴＣＬ科技集团股份有限公司", "tcl科技", "same"},
	{"ＡＢＢ（中国）有限公司", "ABB有限公司", "same"},
	{"Shanxi Huajin New Material Co., Ltd.", "SHANXI HUAJIN NEW MATERIAL", "same"},
	{"Huajin  Group", "HUAJIN", "same"},
	{"中国银行股份有限公司", "中国银行", "same"},
	{"山西华晋新材料股份有限公司太原分公司", "华晋新材料（太原）有限公司太原市分公司", "same"},
	{"华晋新材料驻北京办事处", "华晋新材料北京办事处", "same"},
	{"华晋新材料北京代表处", "华晋新材料有限公司驻北京市办事处", "same"},
	// Alike: one company, if the projects are alike too.
	{"华晋新材料有限公司", "华晋新材料科技有限公司", "similar"},
	{"晋阳精密装备制造有限公司", "晋阳装备制造有限公司", "similar"},
	// A branch, plant or office and its company.
	{"山西华晋新材料股份有限公司太原分公司", "山西华晋新材料股份有限公司", "branch"},
	{"华晋新材料太原分厂", "华晋新材料有限公司", "branch"},
	{"华晋新材料驻北京办事处", "华晋新材料（太原）有限公司", "branch"},
	{"华晋新材料有限公司北京分公司", "华晋新材料", "branch"},
	{"华晋新材料(太原)有限公司北京分公司", "山西华晋新材料", "branch"},
	{"山西华晋新材料股份有限公司驻上海代表处", "华晋新材料", "branch"},
	{"华晋新材料华北分公司", "华晋新材料有限公司", "branch"},
	{"华晋新材料有限公司碳纤维分厂", "华晋新材料有限公司", "branch-alike"},
	{"太原重工股份有限公司大同分公司", "太原重工股份有限公司", "branch"},
	{"太原重工大同分公司", "山西太原重工", "branch"},
	{"中国银行股份有限公司山西省分行", "中国银行", "branch"},
	{"中国工商银行股份有限公司太原迎泽支行", "中国工商银行", "branch"},
	{"中国工商银行太原小店区支行", "工商银行", "branch"},
	{"华晋机械厂第一分厂", "华晋机械厂", "branch"},
	{"TCL科技集团股份有限公司深圳分公司", "TCL科技", "branch"},
	{"晋能控股装备制造集团有限公司太原分公司", "晋能控股装备制造集团", "branch"},
	// Two branches of one company.
	{"华晋新材料太原分公司", "华晋新材料驻北京办事处", "sibling"},
	{"中国银行股份有限公司山西省分行", "中国银行股份有限公司北京市分行", "sibling"},
	{"山西华晋新材料股份有限公司太原分公司", "华晋新材料太原分厂", "sibling"},
	// Different companies, whatever their projects.
	{"太原重工股份有限公司", "大同重工有限公司", "never"},
	{"太原重工", "大同重工", "never"},
	{"晋城重工", "晋中重工", "never"},
	{"北京重工集团", "南京重工集团", "never"},
	{"山西能源集团", "陕西能源集团", "never"},
	{"太原化工有限公司", "太原化学有限公司", "never"},
	{"大同煤业股份有限公司", "大同煤矿集团有限责任公司", "never"},
	{"太原钢铁（集团）有限公司", "山西太钢不锈钢股份有限公司", "never"},
	{"太原钢铁集团", "山西太钢", "never"},
	{"山西焦煤集团", "河南焦煤集团", "never"},
	{"山西医药集团", "山西制药有限公司", "never"},
	{"中国重工", "中国化工", "never"},
	{"山西科技有限公司", "山西实业有限公司", "never"},
	{"河北钢铁集团", "山西钢铁集团", "never"},
	{"晋阳装备制造", "阳泉装备制造", "never"},
	{"华晋新材料有限公司", "华能新能源有限公司", "never"},
	{"博瑞生物医药有限公司", "博瑞特机械有限公司", "never"},
	{"同仁堂药业", "仁和药业", "never"},
	{"太原重工大同分公司", "大同重工有限公司", "never"},
	{"大同重工太原分公司", "太原重工股份有限公司", "never"},
	{"华晋新材料北京办事处", "华晋有限公司", "never"},
	{"山西建投太原分公司", "山西建工太原分公司", "never"},
	{"重工有限公司", "化工有限公司", "never"},
}

func TestCompanyPairs(t *testing.T) {
	if len(companyPairs) < 60 {
		t.Fatalf("only %d pairs", len(companyPairs))
	}
	for _, tc := range companyPairs {
		ka, kb := NormalizeCompany(tc.a), NormalizeCompany(tc.b)
		sc, rel := CompanyMatch(ka, kb)
		if sc2, rel2 := CompanyMatch(kb, ka); sc2 != sc || rel2 != rel {
			t.Errorf("%s vs %s: not symmetric: %v %s, %v %s", tc.a, tc.b, sc, rel, sc2, rel2)
		}
		// Unrelated projects, then one project.
		other, _, _ := LikelyDuplicate(tc.a, "碳纤维生产线", tc.b, "智慧物流园区")
		same, score, _ := LikelyDuplicate(tc.a, "碳纤维生产线", tc.b, "年产千吨碳纤维生产线")
		var ok bool
		switch tc.want {
		case "same":
			ok = ka == kb && rel == SameCompany && sc == 1 && other
		case "similar":
			ok = ka != kb && rel == SameCompany && sc >= DuplicateThreshold && sc < 1 && same && !other
		case "branch":
			ok = rel == BranchOf && sc >= DuplicateThreshold && other
		case "branch-alike":
			ok = rel == BranchOf && sc >= DuplicateThreshold && same && !other
		case "sibling":
			ok = rel == SiblingBranch && sc >= DuplicateThreshold && same && !other
		case "never":
			ok = sc < DuplicateThreshold && !same
		default:
			t.Fatalf("want %q", tc.want)
		}
		if !ok {
			t.Errorf("%s (%s) vs %s (%s): %s at %.2f (%.2f with one project), want %s", tc.a, ka, tc.b, kb, rel, sc, score, tc.want)
		}
		// The store finds a company's branches by the company's key.
		if (tc.want == "branch" || tc.want == "sibling") && CompanyRoot(ka) != CompanyRoot(kb) {
			t.Errorf("%s (%s) vs %s (%s): roots %q and %q", tc.a, ka, tc.b, kb, CompanyRoot(ka), CompanyRoot(kb))
		}
	}
}

// No generic word starts another: isGeneric takes the first that fits.
func TestGenericWordsArePrefixFree(t *testing.T) {
	for _, a := range genericWords {
		for _, b := range genericWords {
			if a != b && strings.HasPrefix(b, a) {
				t.Errorf("%q starts %q", a, b)
			}
		}
	}
}

func FuzzNormalizeCompany(f *testing.F) {
	for _, p := range companyPairs {
		f.Add(p.a, p.b)
	}
	for _, s := range []string{"（", "【】", "省市", "ＡＢＣ", "", ")(", "分公司", "驻分公司", "公司分公司", "集团太原分厂",
		"太原太原分公司", "重工（太原）", "İ有限公司", "\xff分厂", "co ltd", "第一分厂", "华晋集团新材料太原分公司", "太原重工集团大同驻分公司"} {
		f.Add(s, "华晋新材料")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ka, kb := NormalizeCompany(a), NormalizeCompany(b)
		if k := NormalizeCompany(ka); k != ka {
			t.Fatalf("NormalizeCompany(%q) = %q, again %q", a, ka, k)
		}
		if k := NormalizeCompany(kb); k != kb {
			t.Fatalf("NormalizeCompany(%q) = %q, again %q", b, kb, k)
		}
		sc, rel := CompanyMatch(ka, kb)
		if sc < 0 || sc > 1 {
			t.Fatalf("score %v", sc)
		}
		if sc2, rel2 := CompanyMatch(kb, ka); sc2 != sc || rel2 != rel {
			t.Fatalf("%q vs %q: not symmetric: %v %s, %v %s", ka, kb, sc, rel, sc2, rel2)
		}
		if !strings.HasPrefix(ka, CompanyRoot(ka)) {
			t.Fatalf("root %q of %q", CompanyRoot(ka), ka)
		}
		if sim, _ := CompanyMatch(ka, ka); ka != "" && sim != 1 {
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
