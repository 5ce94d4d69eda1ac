package xinlu

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// legalForms are stripped from the end of a company name, longest first.
var legalForms = []string{"股份有限公司", "有限责任公司", "集团有限公司", "集团股份有限公司", "有限公司", "股份公司", "集团公司", "集团", "公司", "厂"}

// regions are province and city names that prefix or bracket company names
// ("山西", "（太原）"); they say where a company registered, not who it is.
var regions = []string{
	"北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东",
	"河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏",
	"宁夏", "新疆", "香港", "澳门",
	"太原", "大同", "阳泉", "长治", "晋城", "朔州", "晋中", "运城", "忻州", "临汾", "吕梁", "深圳", "广州", "杭州", "南京",
	"苏州", "武汉", "成都", "西安", "郑州", "济南", "青岛", "石家庄", "合肥", "长沙", "宁波", "无锡", "厦门", "天津滨海",
}

// regionSuffixes may follow a region name.
var regionSuffixes = []string{"壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市"}

// NormalizeCompany folds a company name to the key duplicates are found by:
// full-width to half-width, no spaces or brackets, lower-case Latin letters,
// no legal form (有限公司, 集团 …), and no leading or bracketed province or
// city name. "山西（太原）华晋新材料股份有限公司" and "华晋新材料" meet.
func NormalizeCompany(name string) string {
	s := width.Narrow.String(strings.TrimSpace(name))
	s = strings.ToLower(s)
	// Bracketed parts that are regions go; other bracketed text stays, unbracketed.
	var b strings.Builder
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
		if !isRegion(inner) {
			b.WriteString(inner)
		}
		s = rest[end+1:]
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			return -1
		}
		return r
	}, b.String())
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
		if r := stripRegionPrefix(s); r != s && r != "" {
			s, changed = r, true
		}
	}
	return s
}

func isRegion(s string) bool {
	s = strings.TrimSpace(s)
	for _, suf := range regionSuffixes {
		s = strings.TrimSuffix(s, suf)
	}
	for _, r := range regions {
		if s == r {
			return true
		}
	}
	return false
}

// stripRegionPrefix removes one leading region name (with 省/市 …).
func stripRegionPrefix(s string) string {
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
			return rest
		}
	}
	return s
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
	Score      float64 // 1 for the same normalised company
	ReportedBy string
}

// LikelyDuplicate reports whether two leads are probably the same investor
// and project, and how sure: the same normalised company, or similar
// companies (≥ DuplicateThreshold) with similar project names.
func LikelyDuplicate(companyA, projectA, companyB, projectB string) (bool, float64) {
	ka, kb := NormalizeCompany(companyA), NormalizeCompany(companyB)
	sc := CompanySimilarity(ka, kb)
	if sc < DuplicateThreshold {
		return false, sc
	}
	return ProjectDuplicate(sc, projectA, projectB)
}

// CompanySimilarity compares two company keys (NormalizeCompany): 1 for
// the same key, otherwise their Similarity. Below DuplicateThreshold the
// records are not duplicates whatever their projects.
func CompanySimilarity(keyA, keyB string) float64 {
	if keyA != "" && keyA == keyB {
		return 1
	}
	return Similarity(keyA, keyB)
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
