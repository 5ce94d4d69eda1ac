package xinlu

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

var simParas = []string{
	"解放思想是推动开发区改革的总开关。只有把思想从条条框框中解放出来，才能在招商引资、项目建设和营商环境上闯出新路子。我们必须敢于打破部门壁垒，用市场化的办法配置资源，用专业化的队伍服务企业。",
	"作为一名招商干部，我深刻体会到，项目是发展的生命线。过去我们习惯于坐等上门，现在要主动走出去，围绕产业链精准招商，把每一条线索当作机会，把每一家企业当作伙伴，真正做到全程代办、贴心服务。",
	"改革不是喊口号，而是要落实到每一项具体工作中。开发区实行全员聘任制和绩效考核，就是要让干事的人有舞台，让不干事的人有压力，形成能上能下、能进能出的良好局面，激发干部队伍的内生动力。",
	"下一步，我将结合本职岗位，认真梳理手头的重点项目，逐一明确时间表和路线图，主动对接审批部门，加快推进签约项目落地开工，以实际行动践行学习成果，为开发区高质量发展贡献自己的力量。",
}

var simUnrelated = "今年冬天雪下得特别早，城郊的果园里一片银白。老农们说，瑞雪兆丰年，明年的苹果一定又大又甜。孩子们在院子里堆雪人、打雪仗，笑声传得很远。傍晚时分，炊烟袅袅升起，村子里弥漫着饭菜的香味。"

func TestSimilarityPairs(t *testing.T) {
	all := strings.Join(simParas, "\n\n")
	// Thirty per cent shared: the first paragraph of the material (about
	// a third of the text), the rest the writer's own.
	own := "我在学习中反复思考，开发区的体制机制改革归根到底是为了让企业办事更方便。我所在的部门负责企业服务，过去一件事要跑好几个窗口，群众意见很大。改革以后，我们推行一窗受理、并联审批，办事时间缩短了一半以上。今后我要继续钻研业务，把政策吃透，把服务做细，让每一位投资者都感受到开发区的温度和效率。"
	thirty := simParas[0] + "\n" + own
	punct := strings.NewReplacer("，", ",", "。", ".", "、", ",", "：", ":").Replace(all)
	punct = strings.ReplaceAll(punct, "\n\n", " ")
	fullWidth := "ＡＢＣ　１２３ 开发区 2026 年改革方案"
	halfWidth := "abc123开发区2026年改革方案"

	for _, tc := range []struct {
		name     string
		a, b     string
		min, max float64
		longest  int // at least, in characters
	}{
		{"identical", all, all, 1, 1, 100},
		{"reordered paragraphs", strings.Join([]string{simParas[2], simParas[0], simParas[3], simParas[1]}, "\n\n"), all, 0.9, 1, 90},
		{"thirty per cent shared", thirty, all, 0.25, 0.42, 90},
		{"unrelated", simUnrelated, all, 0, 0.02, 0},
		{"punctuation variants", punct, all, 1, 1, 100},
		{"full-width and half-width", fullWidth, halfWidth, 1, 1, 10},
	} {
		s := Compare(NewFingerprint(tc.a), NewFingerprint(tc.b))
		if s.Score < tc.min || s.Score > tc.max {
			t.Errorf("%s: score %.3f, want %.2f–%.2f", tc.name, s.Score, tc.min, tc.max)
		}
		if s.Longest < tc.longest {
			t.Errorf("%s: longest shared passage %d characters, want at least %d", tc.name, s.Longest, tc.longest)
		}
		if tc.longest == 0 && (len(s.Passages) > 0 || s.Longest > 0) {
			t.Errorf("%s: passages %v", tc.name, s.Passages)
		}
	}

	// The shared passages point into the text as typed: in the thirty per
	// cent case the material's first paragraph (up to its last character
	// that counts), on both sides.
	s := Compare(NewFingerprint(thirty), NewFingerprint(all))
	a, b := []rune(thirty), []rune(all)
	para := strings.TrimSuffix(simParas[0], "。")
	if len(s.Passages) != 1 || string(a[s.Passages[0].Start:s.Passages[0].End]) != para {
		t.Fatalf("passages in the submission: %v", s.Passages)
	}
	if len(s.OtherPassages) != 1 || string(b[s.OtherPassages[0].Start:s.OtherPassages[0].End]) != para || s.LongestText != para {
		t.Fatalf("passages in the material: %v", s.OtherPassages)
	}
	// Nothing at all, and a text shorter than a shingle.
	if s := Compare(NewFingerprint(" ，。 "), NewFingerprint(all)); s.Score != 0 {
		t.Fatalf("empty text scores %v", s.Score)
	}
	if s := Compare(NewFingerprint("改革"), NewFingerprint("改革")); s.Score != 1 {
		t.Fatalf("short text scores %v", s.Score)
	}
}

func TestShingleIndexQuery(t *testing.T) {
	ix := NewShingleIndex()
	all := strings.Join(simParas, "\n")
	ix.Add(SimilarDoc{ID: 1, Kind: SimilarSource, Label: "材料"}, all)
	ix.Add(SimilarDoc{ID: 10, Kind: SimilarReflection, MemberID: 100, Label: "李小明"}, simParas[1]+simParas[3]+simUnrelated)
	ix.Add(SimilarDoc{ID: 11, Kind: SimilarReflection, MemberID: 101, Label: "王芳"}, simUnrelated)
	ix.Add(SimilarDoc{ID: 12, Kind: SimilarReflection, MemberID: 102, Label: "自己"}, "旧稿")
	sub := simParas[1] + simParas[3] + simUnrelated
	ix.Add(SimilarDoc{ID: 12, Kind: SimilarReflection, MemberID: 102, Label: "自己", Version: 2}, sub)
	if v, ok := ix.Version(SimilarReflection, 12); !ok || v != 2 || ix.Len() != 4 {
		t.Fatalf("replaced text: version %d, %d held", v, ix.Len())
	}
	got := ix.Query(SimilarReflection, 12, sub, 0.05)
	var names []string
	for _, m := range got {
		names = append(names, fmt.Sprintf("%s %.0f%%", m.Label, m.Score*100))
	}
	// Its own text is skipped; the copy of the same paragraphs first, then
	// the material (two paragraphs of the three the submission holds),
	// then the one sharing the unrelated paragraph.
	if len(got) != 3 || got[0].ID != 10 || got[0].Score < 0.99 || got[1].Kind != SimilarSource || got[2].ID != 11 {
		t.Fatalf("matches %v", names)
	}
	if got[1].Score < 0.55 || got[1].Score > 0.75 || len(got[1].Passages) != 1 {
		t.Fatalf("material match %.2f %v", got[1].Score, got[1].Passages)
	}
	ix.Remove(SimilarReflection, 10)
	if got := ix.Query(SimilarReflection, 12, sub, 0.05); len(got) != 2 || got[0].Kind != SimilarSource {
		t.Fatalf("after removal: %d matches", len(got))
	}
}

// simCorpus makes n reflections of about size characters from stock
// phrases and a word list, as reflections on one theme read: they share
// the stock phrases and little else.
func simCorpus(n, size int, seed uint64) []string {
	rng := rand.New(rand.NewPCG(seed, 7))
	var words []string
	han := []rune("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严")
	for len(words) < 3000 {
		w := 2 + rng.IntN(3)
		var b strings.Builder
		for range w {
			b.WriteRune(han[rng.IntN(len(han))])
		}
		words = append(words, b.String())
	}
	stock := []string{"深入学习贯彻习近平新时代中国特色社会主义思想", "解放思想、改革创新、真抓实干", "推动开发区高质量发展", "以实际行动践行学习成果"}
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for b.Len() < size*3 {
			if rng.IntN(20) == 0 {
				b.WriteString(stock[rng.IntN(len(stock))])
			} else {
				b.WriteString(words[rng.IntN(len(words))])
			}
			if rng.IntN(8) == 0 {
				b.WriteString("，")
			}
		}
		out[i] = string([]rune(b.String())[:size])
	}
	return out
}

// BenchmarkShingleIndexQuery checks one 3,000-character submission against
// 2,000 others of a campaign and its material, with two near-copies and a
// paragraph from the material among them.
func BenchmarkShingleIndexQuery(b *testing.B) {
	corpus := simCorpus(2001, 3000, 1)
	ix := NewShingleIndex()
	start := time.Now()
	for i, text := range corpus[1:] {
		if i == 7 || i == 1500 {
			text = string([]rune(corpus[0])[:2000]) + string([]rune(text)[2000:]) // near-copies of the submission
		}
		ix.Add(SimilarDoc{ID: int64(i + 1), Kind: SimilarReflection, MemberID: int64(i + 1)}, text)
	}
	ix.Add(SimilarDoc{ID: 1, Kind: SimilarSource}, strings.Join(simParas, "\n"))
	build := time.Since(start)
	sub := corpus[0] + simParas[0]
	for b.Loop() {
		got := ix.Query(SimilarReflection, 0, sub, 0.02)
		if len(got) != 3 {
			b.Fatalf("%d matches", len(got))
		}
	}
	b.ReportMetric(float64(build.Milliseconds()), "build-ms")
}
