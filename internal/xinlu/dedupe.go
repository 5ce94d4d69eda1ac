package xinlu

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// CompanyKeyVersion names the rules NormalizeCompany follows. Keys stored
// with other rules are made again when the database is opened
// (store.RekeyCompanies), so that old and new records compare alike.
const CompanyKeyVersion = "2"

// legalForms are stripped from the end of a company name, longest first.
var legalForms = []string{"股份有限公司", "有限责任公司", "集团有限公司", "集团股份有限公司", "有限公司", "股份公司", "集团公司", "集团", "公司", "厂"}

// latinLegalForms are English legal forms, stripped as whole words from the
// end of a name ("Huajin Co., Ltd.").
var latinLegalForms = []string{"co", "ltd", "limited", "inc", "incorporated", "corp", "corporation", "company", "llc", "plc", "gmbh", "group"}

// regions are province and city names that prefix or bracket company names
// ("山西", "（太原）"); they say where a company registered, not who it is.
var regions = []string{
	"北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东",
	"河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏",
	"宁夏", "新疆", "香港", "澳门",
	"太原", "大同", "阳泉", "长治", "晋城", "朔州", "晋中", "运城", "忻州", "临汾", "吕梁", "深圳", "广州", "杭州", "南京",
	"苏州", "武汉", "成都", "西安", "郑州", "济南", "青岛", "石家庄", "合肥", "长沙", "宁波", "无锡", "厦门", "天津滨海",
	"中国",
}

// branchRegions may name where a branch is but are no company's region:
// 华北制药 is a company, 华晋新材料华北分公司 a branch.
var branchRegions = []string{"华北", "华东", "华南", "华中", "西北", "西南", "东北"}

// regionSuffixes may follow a region name.
var regionSuffixes = []string{"壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市"}

// branchWords end the name of a branch, plant or office of a company
// (山西华晋新材料股份有限公司太原分公司, 华晋新材料驻北京办事处), longest
// first; a 代表处 is keyed as a 办事处.
var branchWords = []string{"分公司", "办事处", "代表处", "营业部", "分厂", "分店", "分行", "支行"}

// genericWords are industry words that name no company by themselves: a
// name left with only these after its region and legal form are removed
// keeps its region (太原重工 and 大同重工 are different companies).
var genericWords = []string{
	"重工", "重机", "重型机械", "机械", "装备", "制造", "智造", "机电", "电机", "电气", "电子", "电力", "电器", "能源", "新能源",
	"煤业", "煤矿", "煤炭", "煤化", "焦煤", "焦化", "化工", "化学", "石化", "石油", "天然气", "燃气", "钢铁", "特钢", "铸造", "锻造",
	"冶金", "有色", "铝业", "镁业", "铁路", "交通", "运输", "物流", "建设", "建工", "建筑", "建投", "城投", "交投", "投资", "控股",
	"实业", "发展", "产业", "工业", "科技", "技术", "信息", "网络", "数据", "软件", "通信", "医药", "制药", "药业", "生物", "医疗",
	"器械", "新材料", "材料", "建材", "水泥", "环保", "环境", "水务", "农业", "农牧", "食品", "酒业", "纺织", "商贸", "贸易", "国贸",
	"文旅", "旅游", "地产", "置业", "房地产", "金融", "资本", "银行", "证券", "保险", "汽车", "矿业", "国际", "集团", "股份",
}

// CompanyRelation says how two companies found alike are related.
type CompanyRelation string

const (
	// SameCompany: the names are, or look like, one legal entity.
	SameCompany CompanyRelation = "same"
	// BranchOf: one is a branch, plant or office of the other.
	BranchOf CompanyRelation = "branch"
	// SiblingBranch: both are branches or offices of one company, in
	// different places.
	SiblingBranch CompanyRelation = "sibling"
)

// A branch compares with its company at BranchScore, and two branches of
// one company at SiblingScore: a branch is found with its company whatever
// the projects; two branches need similar projects.
const (
	BranchScore  = 0.9
	SiblingScore = 0.75
)

// NormalizeCompany folds a company name to the key duplicates are found by:
// full-width to half-width, no spaces or brackets, lower-case Latin letters,
// no legal form (有限公司, 集团, Co., Ltd. …), and no leading or bracketed
// province or city name. "山西（太原）华晋新材料股份有限公司" and "华晋新材料" meet.
//
// A name left with only industry words (重工, 钢铁 …) keeps its innermost
// region: "太原重工股份有限公司" is "太原重工", not "重工". A branch, plant or
// office keys as its company's key, the place it is in and its kind:
// "山西华晋新材料股份有限公司驻北京办事处" is "华晋新材料北京办事处".
// NormalizeCompany(NormalizeCompany(s)) == NormalizeCompany(s).
func NormalizeCompany(name string) string {
	k := normalizeCompanyOnce(name)
	// A key normalises to itself in one more pass, except for a few names
	// that fold into another pattern (a legal form inside a branch's
	// company name); a pass that changes a key only removes from it.
	for range 8 {
		n := normalizeCompanyOnce(k)
		if n == k {
			break
		}
		k = n
	}
	return k
}

func normalizeCompanyOnce(name string) string {
	s := strings.ToLower(width.Narrow.String(strings.TrimSpace(name)))
	// Bracketed parts that are regions go; other bracketed text stays, unbracketed.
	var b strings.Builder
	bracketRegion := ""
	for len(s) > 0 {
		open := strings.IndexAny(s, "([【")
		if open < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:open])
		rest := s[open+1:]
		end := strings.IndexAny(rest, ")]】")
		if end < 0 {
			b.WriteString(rest)
			break
		}
		inner := rest[:end]
		if r := regionOf(inner); r == "" {
			b.WriteString(inner)
		} else if bracketRegion == "" {
			bracketRegion = r
		}
		s = rest[end+1:]
	}
	s = stripLatinLegalForms(b.String())
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			return -1
		}
		return r
	}, s)
	if parent, place, word := splitBranch(s); word != "" {
		return normalizeEntity(parent, bracketRegion) + place + word
	}
	return normalizeEntity(s, bracketRegion)
}

// normalizeEntity strips legal forms and regions from a folded name that
// is no branch. region is a bracketed region removed from the name.
func normalizeEntity(s, region string) string {
	for changed := true; changed; {
		changed = false
		for _, f := range legalForms {
			if s == f {
				return s // nothing but a legal form: keep it
			}
			if strings.HasSuffix(s, f) {
				s, changed = strings.TrimSuffix(s, f), true
				break
			}
		}
		if r, name := stripRegionPrefix(s); r != "" {
			s, region, changed = r, name, true
		}
	}
	if region != "" && isGeneric(s) {
		return region + s
	}
	return s
}

// stripLatinLegalForms removes English legal forms ("co., ltd.") that end
// s as whole words.
func stripLatinLegalForms(s string) string {
	for {
		t := strings.TrimRightFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
		i := len(t)
		for i > 0 && t[i-1] >= 'a' && t[i-1] <= 'z' {
			i--
		}
		if i == len(t) || !slices.Contains(latinLegalForms, t[i:]) {
			return s
		}
		if strings.TrimFunc(t[:i], func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) == "" {
			return s // nothing but a legal form
		}
		s = t[:i]
	}
}

// regionOf returns the region s names (with 省, 市 … removed), or "".
func regionOf(s string) string {
	s = strings.TrimSpace(s)
	for _, suf := range regionSuffixes {
		s = strings.TrimSuffix(s, suf)
	}
	if slices.Contains(regions, s) {
		return s
	}
	return ""
}

// stripRegionPrefix removes one leading region name (with 省/市 …) and
// returns the rest and the region, or "" and "" if s starts with no region
// or is nothing but one.
func stripRegionPrefix(s string) (rest, region string) {
	for _, r := range regions {
		if !strings.HasPrefix(s, r) {
			continue
		}
		rest := strings.TrimPrefix(s, r)
		for _, suf := range regionSuffixes {
			if strings.HasPrefix(rest, suf) {
				rest = strings.TrimPrefix(rest, suf)
				break
			}
		}
		if rest != "" {
			return rest, r
		}
	}
	return "", ""
}

// isGeneric reports whether s is made of industry words only. No word
// starts another, so the first word that fits is the only one.
func isGeneric(s string) bool {
	if s == "" {
		return false
	}
	for s != "" {
		i := slices.IndexFunc(genericWords, func(w string) bool { return strings.HasPrefix(s, w) })
		if i < 0 {
			return false
		}
		s = s[len(genericWords[i]):]
	}
	return true
}

// isGenericKey reports whether a key (of no branch) is an industry word
// with at most its region in front: such names are one company only when
// their keys are equal.
func isGenericKey(k string) bool {
	if r, _ := stripRegionPrefix(k); r != "" {
		k = r
	}
	return isGeneric(k)
}

// splitBranch splits a folded name that ends with a branch word into the
// company's name, the branch's place (a region without 省/市 and 驻, an
// ordinal, or what stands between the company's legal form and the branch
// word) and the branch word; word is "" if s names no branch.
func splitBranch(s string) (parent, place, word string) {
	switch r, _ := utf8.DecodeLastRuneInString(s); r {
	case '司', '处', '部', '厂', '店', '行':
	default:
		return s, "", ""
	}
	for _, w := range branchWords {
		if strings.HasSuffix(s, w) && len(s) > len(w) {
			word = w
			break
		}
	}
	if word == "" {
		return s, "", ""
	}
	head := strings.TrimSuffix(s, word)
	if word == "代表处" {
		word = "办事处"
	}
	// 山西华晋新材料股份有限公司太原分公司: the company ends at its legal form.
	cut := -1
	for _, f := range []string{"公司", "集团"} {
		if i := strings.LastIndex(head, f); i >= 0 {
			cut = max(cut, i+len(f))
		}
	}
	if cut > 0 && !isLegalForm(head[:cut]) {
		place = head[cut:]
		if p := placeOf(place); p != "" {
			place = p
		}
		return head[:cut], strings.TrimPrefix(place, "驻"), word
	}
	// 华晋新材料驻北京办事处, 华晋新材料太原市分厂: a region before the word.
	if i := placeSuffix(head); i > 0 {
		parent, place = head[:i], placeOf(head[i:])
		parent = strings.TrimSuffix(parent, "驻")
		if parent != "" {
			return parent, place, word
		}
	}
	// 华晋机械厂第一分厂, 华晋机械厂二分厂: an ordinal.
	i := len(head)
	for i > 0 {
		r, n := utf8.DecodeLastRuneInString(head[:i])
		if !strings.ContainsRune("第一二三四五六七八九十0123456789", r) {
			break
		}
		i -= n
	}
	if i > 0 {
		return head[:i], head[i:], word
	}
	// 华晋新材料碳纤维分厂: a branch of a name that cannot be told apart.
	return head, "", word
}

func isLegalForm(s string) bool { return slices.Contains(legalForms, s) }

// placeRegions holds regions and branchRegions, by name.
var placeRegions = func() map[string]bool {
	m := map[string]bool{}
	for _, r := range append(slices.Clone(regions), branchRegions...) {
		m[r] = true
	}
	return m
}()

// placeSuffix returns where a region (with 省/市 …) ends s, or a region and
// a district of two characters or of up to four ending in 区 or 县 (太原迎泽,
// 太原小店区), or -1. The longest region wins.
func placeSuffix(s string) int {
	for _, suf := range regionSuffixes {
		if strings.HasSuffix(s, suf) {
			if i := regionEnding(strings.TrimSuffix(s, suf)); i > 0 {
				return i
			}
			break
		}
	}
	if i := regionEnding(s); i > 0 {
		return i
	}
	// A district: two characters, or up to four ending in 区 or 县.
	end := len(s)
	for n := 1; n <= 4 && end > 0; n++ {
		_, size := utf8.DecodeLastRuneInString(s[:end])
		end -= size
		if n == 2 || n > 2 && (strings.HasSuffix(s, "区") || strings.HasSuffix(s, "县")) {
			if i := regionEnding(s[:end]); i > 0 {
				return i
			}
		}
	}
	return -1
}

// regionEnding returns where the longest region (of two to four
// characters) that ends s starts, or -1.
func regionEnding(s string) int {
	best, start := -1, len(s)
	for n := 1; n <= 4 && start > 0; n++ {
		_, size := utf8.DecodeLastRuneInString(s[:start])
		start -= size
		if n >= 2 && placeRegions[s[start:]] {
			best = start
		}
	}
	return best
}

// placeOf returns the region a branch's place names, without 驻, 省 or 市,
// or "" if it names none.
func placeOf(s string) string {
	s = strings.TrimPrefix(s, "驻")
	for _, suf := range regionSuffixes {
		s = strings.TrimSuffix(s, suf)
	}
	if placeRegions[s] {
		return s
	}
	return ""
}

// NormalizeText folds free text (project names) for comparison: half-width,
// lower case, no spaces or punctuation.
func NormalizeText(s string) string {
	s = strings.ToLower(width.Narrow.String(s))
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			return -1
		}
		return r
	}, s)
}

// Similarity is the Dice coefficient of the character bigrams of two
// normalised strings: 1 for equal strings, 0 for nothing in common. A
// single-character string is compared as a unigram.
func Similarity(a, b string) float64 {
	if a == b {
		if a == "" {
			return 0
		}
		return 1
	}
	var bufA, bufB [32]uint64
	ga, gb := bigrams(a, bufA[:0]), bigrams(b, bufB[:0])
	if len(ga) == 0 || len(gb) == 0 {
		return 0
	}
	slices.Sort(ga)
	slices.Sort(gb)
	shared := 0
	for i, j := 0, 0; i < len(ga) && j < len(gb); {
		switch {
		case ga[i] == gb[j]:
			shared++
			i++
			j++
		case ga[i] < gb[j]:
			i++
		default:
			j++
		}
	}
	return 2 * float64(shared) / float64(len(ga)+len(gb))
}

// bigrams appends the character bigrams of s to out, each as its two runes
// in one number; a single character is its own unigram, marked by the top
// bit (no rune reaches it) so that it equals no bigram.
func bigrams(s string, out []uint64) []uint64 {
	var prev rune = -1
	for _, r := range s {
		if prev >= 0 {
			out = append(out, uint64(prev)<<32|uint64(r))
		}
		prev = r
	}
	if len(out) == 0 && prev >= 0 {
		out = append(out, 1<<63|uint64(prev))
	}
	return out
}

// DuplicateThreshold is the similarity from which two companies are shown
// as a possible duplicate.
const DuplicateThreshold = 0.6

// Match says how a lead resembles another record.
type Match struct {
	Kind       string // "lead" or "project"
	ID         int64
	Company    string
	Project    string
	Status     string
	Score      float64         // 1 for the same normalised company
	Relation   CompanyRelation // same company, branch of, or another branch of one company
	ReportedBy string
}

// LikelyDuplicate reports whether two leads are probably the same investor
// and project, how sure, and how their companies are related: the same
// normalised company, a branch and its company, or similar companies
// (≥ DuplicateThreshold) with similar project names.
func LikelyDuplicate(companyA, projectA, companyB, projectB string) (bool, float64, CompanyRelation) {
	sc, rel := CompanyMatch(NormalizeCompany(companyA), NormalizeCompany(companyB))
	ok, score := ProjectDuplicate(sc, projectA, projectB)
	return ok, score, rel
}

// CompanySimilarity is the score of CompanyMatch.
func CompanySimilarity(keyA, keyB string) float64 {
	sc, _ := CompanyMatch(keyA, keyB)
	return sc
}

// CompanyMatch compares two company keys (NormalizeCompany): 1 for the
// same key; BranchScore for a branch, plant or office and its company
// (BranchOf); SiblingScore for two branches of one company (SiblingBranch);
// otherwise the Similarity of the keys (of their companies' keys, scaled
// down, if a branch is involved). Names of an industry word and a region
// (太原重工) are alike only when equal. Below DuplicateThreshold the records
// are not duplicates whatever their projects.
func CompanyMatch(keyA, keyB string) (float64, CompanyRelation) {
	if keyA == "" || keyB == "" {
		return 0, SameCompany
	}
	if keyA == keyB {
		return 1, SameCompany
	}
	pa, placeA, wa := splitBranch(keyA)
	pb, placeB, wb := splitBranch(keyB)
	switch {
	case wa == "" && wb == "":
		return entitySimilarity(keyA, keyB), SameCompany
	case wa == "" || wb == "":
		return BranchScore * entitySimilarity(pa, pb), BranchOf
	case placeA+wa == placeB+wb:
		return entitySimilarity(pa, pb), SameCompany
	case pa == pb:
		return SiblingScore, SiblingBranch
	default:
		return SiblingScore * entitySimilarity(pa, pb), SiblingBranch
	}
}

// CompanyRoot returns the key of the company a company key is a branch,
// plant or office of, or the key itself: a prefix of the key, shared by
// the company's own key and those of all its branches.
func CompanyRoot(key string) string {
	if parent, _, word := splitBranch(key); word != "" {
		return parent
	}
	return key
}

// entitySimilarity compares the keys of two companies that are no
// branches: their Similarity, unless one is an industry word with its
// region.
func entitySimilarity(a, b string) float64 {
	sc := Similarity(a, b)
	if sc < 1 && sc >= DuplicateThreshold && (isGenericKey(a) || isGenericKey(b)) {
		return 0
	}
	return sc
}

// ProjectDuplicate completes LikelyDuplicate for two records whose
// companies compare at sc: the same company is a duplicate whatever the
// projects; similar companies need similar projects too.
func ProjectDuplicate(sc float64, projectA, projectB string) (bool, float64) {
	if sc == 1 {
		return true, 1
	}
	if sc < DuplicateThreshold {
		return false, sc
	}
	sp := Similarity(NormalizeText(projectA), NormalizeText(projectB))
	score := (sc*2 + sp) / 3
	return score >= DuplicateThreshold, score
}
