package xinlu

import (
	"slices"
	"sort"
	"unicode"
)

// The copying check of study reflections (查重). Texts are compared by
// their character shingles: every run of ShingleSize characters after
// normalisation (full-width letters, digits and punctuation folded to
// half-width, letters lower-cased, blanks and punctuation dropped), so a
// text copied with its punctuation or line breaks changed still matches.
// A submission's score against another text is the share of its distinct
// shingles found in the other; the shared passages are the runs of the
// submission covered by shared shingles, mapped back to the text as typed.
// An inverted index (shingle → texts holding it) finds every text sharing
// anything with a submission without comparing pairs from scratch.

// ShingleSize is the length of a shingle in normalised characters.
const ShingleSize = 8

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// SimilarKind says what a text compared against is.
type SimilarKind string

const (
	SimilarReflection SimilarKind = "reflection" // another member's reflection in the campaign
	SimilarSource     SimilarKind = "source"     // the campaign's material
	SimilarEarlier    SimilarKind = "earlier"    // the member's own reflection in an earlier campaign
)

// foldRune folds full-width forms to half-width and upper case to lower.
func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000:
		r = ' '
	}
	return unicode.ToLower(r)
}

// kept reports whether a folded rune counts for shingles: letters and
// digits (Han characters are letters), not blanks, punctuation or symbols.
func kept(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// Fingerprint is a text prepared for comparison.
type Fingerprint struct {
	text   []rune
	pos    []int    // pos[i]: the offset in text of normalised rune i
	hashes []uint64 // hashes[i]: the shingle starting at normalised rune i
	set    []uint64 // the distinct shingles, sorted
}

// NewFingerprint normalises text and computes its shingles. A text shorter
// than a shingle has one shingle of all it has, none when it has nothing.
func NewFingerprint(text string) *Fingerprint {
	f := &Fingerprint{text: []rune(text)}
	norm := make([]rune, 0, len(f.text))
	for i, r := range f.text {
		if r = foldRune(r); kept(r) {
			norm = append(norm, r)
			f.pos = append(f.pos, i)
		}
	}
	n := len(norm) - ShingleSize + 1
	if len(norm) > 0 && n < 1 {
		n = 1
	}
	if n < 1 {
		return f
	}
	f.hashes = make([]uint64, n)
	for i := range n {
		// FNV-1a over the three low bytes of each rune.
		h := uint64(fnvOffset)
		for _, r := range norm[i:min(i+ShingleSize, len(norm))] {
			for _, b := range [3]byte{byte(r), byte(r >> 8), byte(r >> 16)} {
				h ^= uint64(b)
				h *= fnvPrime
			}
		}
		f.hashes[i] = h
	}
	f.set = slices.Clone(f.hashes)
	slices.Sort(f.set)
	f.set = slices.Compact(f.set)
	return f
}

// Len is the number of characters that count (normalised).
func (f *Fingerprint) Len() int { return len(f.pos) }

func (f *Fingerprint) has(h uint64) bool {
	_, ok := slices.BinarySearch(f.set, h)
	return ok
}

// Passage is a run of a text, in characters (rune offsets) of the text as
// typed: [Start, End).
type Passage struct {
	Start, End int
}

// passagesAgainst returns the runs of f covered by shingles other holds.
func (f *Fingerprint) passagesAgainst(other *Fingerprint) []Passage {
	var out []Passage
	runStart, runEnd := -1, -1 // normalised positions, [runStart, runEnd)
	flush := func() {
		if runStart >= 0 {
			out = append(out, Passage{Start: f.pos[runStart], End: f.pos[runEnd-1] + 1})
		}
		runStart, runEnd = -1, -1
	}
	for i, h := range f.hashes {
		if !other.has(h) {
			if runEnd >= 0 && i >= runEnd {
				flush()
			}
			continue
		}
		end := min(i+ShingleSize, len(f.pos))
		if runStart < 0 {
			runStart = i
		}
		runEnd = max(runEnd, end)
	}
	flush()
	return out
}

// Overlap is how far a submission overlaps one other text.
type Overlap struct {
	Score float64 // the share of the submission's distinct shingles found in the other text, 0–1
	// Passages are the shared runs in the submission, OtherPassages in the
	// other text; Longest is the longest of Passages in characters, and
	// LongestText its words.
	Passages      []Passage
	OtherPassages []Passage
	Longest       int
	LongestText   string
}

// Compare measures how far a overlaps b.
func Compare(a, b *Fingerprint) Overlap {
	var s Overlap
	if len(a.set) == 0 {
		return s
	}
	shared := 0
	for _, h := range a.set {
		if b.has(h) {
			shared++
		}
	}
	s.Score = float64(shared) / float64(len(a.set))
	if shared == 0 {
		return s
	}
	s.Passages = a.passagesAgainst(b)
	s.OtherPassages = b.passagesAgainst(a)
	for _, p := range s.Passages {
		if n := p.End - p.Start; n > s.Longest {
			s.Longest, s.LongestText = n, string(a.text[p.Start:p.End])
		}
	}
	return s
}

// SimilarDoc is a text the index holds.
type SimilarDoc struct {
	ID       int64 // the reflection's or campaign's id
	Kind     SimilarKind
	MemberID int64  // the author of a reflection
	Label    string // the author's name, or the campaign's title
	Version  int
}

type indexedDoc struct {
	SimilarDoc
	fp   *Fingerprint
	dead bool
}

// ShingleIndex finds the texts that share shingles with a submission.
type ShingleIndex struct {
	// The postings: head[shingle] is the latest entry holding it, each
	// entry names a text and the entry before it (-1 for none).
	head    map[uint64]int32
	entDoc  []int32
	entNext []int32
	docs    []indexedDoc
	byKey   map[docKey]int32
	dead    int
}

type docKey struct {
	kind SimilarKind
	id   int64
}

// NewShingleIndex returns an empty index.
func NewShingleIndex() *ShingleIndex {
	return &ShingleIndex{head: map[uint64]int32{}, byKey: map[docKey]int32{}}
}

// Len is the number of texts the index holds.
func (ix *ShingleIndex) Len() int { return len(ix.docs) - ix.dead }

// Version returns the version of the text of kind and id held, and
// whether one is held.
func (ix *ShingleIndex) Version(kind SimilarKind, id int64) (int, bool) {
	i, ok := ix.byKey[docKey{kind, id}]
	if !ok {
		return 0, false
	}
	return ix.docs[i].Version, true
}

// Held lists the ids of the texts of kind the index holds.
func (ix *ShingleIndex) Held(kind SimilarKind) []int64 {
	var out []int64
	for k := range ix.byKey {
		if k.kind == kind {
			out = append(out, k.id)
		}
	}
	slices.Sort(out)
	return out
}

// Add indexes text as doc, replacing the text held under the same kind
// and id.
func (ix *ShingleIndex) Add(doc SimilarDoc, text string) {
	ix.Remove(doc.Kind, doc.ID)
	fp := NewFingerprint(text)
	at := int32(len(ix.docs))
	ix.docs = append(ix.docs, indexedDoc{SimilarDoc: doc, fp: fp})
	ix.byKey[docKey{doc.Kind, doc.ID}] = at
	for _, h := range fp.set {
		prev, ok := ix.head[h]
		if !ok {
			prev = -1
		}
		ix.head[h] = int32(len(ix.entDoc))
		ix.entDoc = append(ix.entDoc, at)
		ix.entNext = append(ix.entNext, prev)
	}
}

// Remove forgets the text of kind and id, if held. Its postings stay until
// the index is rebuilt; queries skip them.
func (ix *ShingleIndex) Remove(kind SimilarKind, id int64) {
	i, ok := ix.byKey[docKey{kind, id}]
	if !ok {
		return
	}
	ix.docs[i].dead = true
	ix.docs[i].fp = nil
	delete(ix.byKey, docKey{kind, id})
	ix.dead++
}

// Stale reports whether forgotten texts outnumber the live ones, so the
// index is better rebuilt.
func (ix *ShingleIndex) Stale() bool { return ix.dead > 64 && ix.dead > len(ix.docs)-ix.dead }

// SimilarMatch is one text a submission overlaps.
type SimilarMatch struct {
	SimilarDoc
	Overlap
}

// Query compares submission (of kind and id, skipped as its own match)
// with every text the index holds and returns those scoring at least
// threshold, highest first, with their shared passages. The candidates
// are found through the postings of the submission's shingles; only those
// scoring high enough are compared in full.
func (ix *ShingleIndex) Query(kind SimilarKind, id int64, submission string, threshold float64) []SimilarMatch {
	fp := NewFingerprint(submission)
	if len(fp.set) == 0 {
		return nil
	}
	counts := make([]int32, len(ix.docs))
	for _, h := range fp.set {
		e, ok := ix.head[h]
		for ok && e >= 0 {
			counts[ix.entDoc[e]]++
			e = ix.entNext[e]
		}
	}
	self, hasSelf := ix.byKey[docKey{kind, id}]
	var out []SimilarMatch
	for i, n := range counts {
		if n == 0 || ix.docs[i].dead || (hasSelf && int32(i) == self) {
			continue
		}
		score := float64(n) / float64(len(fp.set))
		if score < threshold || score == 0 {
			continue
		}
		m := SimilarMatch{SimilarDoc: ix.docs[i].SimilarDoc, Overlap: Compare(fp, ix.docs[i].fp)}
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// SimilarPercent is a similarity score as the pages and the API show it:
// whole per cent, rounded half up.
func SimilarPercent(score float64) int { return int(score*100 + 0.5) }
