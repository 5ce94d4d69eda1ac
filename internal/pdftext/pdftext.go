// Package pdftext reads the text of a PDF file: the strings its pages show,
// mapped to Unicode through each font's ToUnicode map (how Chinese text set
// in a CID font, as Word, WPS, LibreOffice and browsers write it, becomes
// characters again), in the order the page draws them, with a line break
// where the text moves to a new line. It reads what a reflection or a
// study material needs for counting and comparing, not layout: a scanned
// PDF (pictures of pages) has no text, and neither has an encrypted one.
//
// Objects are found by scanning the file for "n g obj" (so a damaged cross-
// reference table does not matter) and inside object streams; only the
// Flate filter is decoded, which is what content streams, ToUnicode maps
// and object streams use in practice.
package pdftext

import (
	"bytes"
	"compress/zlib"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"

	"golang.org/x/text/unicode/norm"
)

// Errors Text answers.
var (
	ErrNotPDF    = errors.New("pdftext: not a PDF file")
	ErrEncrypted = errors.New("pdftext: the PDF is encrypted")
)

// Limits against hostile files.
const (
	maxDecoded = 64 << 20 // bytes one stream may decode to
	maxPages   = 2000
	maxDepth   = 32 // nesting of page trees and form objects
	maxRange   = 1 << 16
	maxCodes   = 1 << 18 // codes one font maps
	maxForms   = 10000   // form objects drawn in one file (a form may draw itself)
)

type (
	name   string
	ref    struct{ num, gen int }
	dict   map[name]any
	array  []any
	pdfStr []byte
	op     string
	stream struct {
		d   dict
		raw []byte
	}
)

type doc struct {
	objs    map[int]any
	walked  map[int]bool // page tree nodes visited
	forms   int          // form objects drawn, in all
	decoded int
	fonts   map[any]*font
}

// Text returns the text of the PDF in data, pages separated by a line
// break. A PDF whose pages show no text answers "" and no error.
func Text(data []byte) (string, error) {
	if !bytes.HasPrefix(bytes.TrimLeft(data[:min(len(data), 1024)], "\x00\t\n\r "), []byte("%PDF-")) {
		return "", ErrNotPDF
	}
	d := &doc{objs: map[int]any{}, fonts: map[any]*font{}, walked: map[int]bool{}}
	d.scan(data)
	if len(d.objs) == 0 {
		return "", ErrNotPDF
	}
	var catalog dict
	for num := range d.objs {
		if dd, ok := d.objs[num].(dict); ok && dd["Type"] == name("Catalog") {
			catalog = dd
		}
		if st, ok := d.objs[num].(*stream); ok && st.d["Type"] == name("XRef") && st.d["Encrypt"] != nil {
			return "", ErrEncrypted
		}
	}
	if bytes.Contains(data, []byte("/Encrypt")) && hasTrailerEncrypt(data) {
		return "", ErrEncrypted
	}
	if catalog == nil {
		return "", ErrNotPDF
	}
	var pages []dict
	d.pages(d.get(catalog["Pages"]), nil, &pages, 0)
	if len(pages) == 0 {
		return "", ErrNotPDF
	}
	var out strings.Builder
	for i, p := range pages {
		if i > 0 {
			out.WriteByte('\n')
		}
		var content []byte
		switch c := d.get(p["Contents"]).(type) {
		case *stream:
			content = d.decode(c)
		case array:
			for _, e := range c {
				if st, ok := d.get(e).(*stream); ok {
					content = append(content, d.decode(st)...)
					content = append(content, '\n')
				}
			}
		}
		res, _ := d.get(p["Resources"]).(dict)
		w := &writer{out: &out}
		d.run(content, res, w, 0)
	}
	return strings.TrimSpace(foldRadicals(out.String())), nil
}

// foldRadicals turns Kangxi and supplementary radicals, which some writers
// map CJK glyphs to, into the ideographs they stand for (心 for ⼼), as
// their compatibility decomposition says.
func foldRadicals(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 0x2E80 && r <= 0x2FDF {
			if d := []rune(norm.NFKC.String(string(r))); len(d) == 1 {
				return d[0]
			}
		}
		return r
	}, s)
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func hasTrailerEncrypt(data []byte) bool {
	i := bytes.LastIndex(data, []byte("trailer"))
	return i >= 0 && bytes.Contains(data[i:], []byte("/Encrypt"))
}

// scan collects every "n g obj" of the file, later ones replacing earlier
// ones (incremental updates), then the objects of object streams that no
// direct object replaced.
func (d *doc) scan(data []byte) {
	var objStms []*stream
	for i := 0; i < len(data); {
		j := bytes.Index(data[i:], []byte("obj"))
		if j < 0 {
			break
		}
		at := i + j
		i = at + 3
		num, gen, ok := objHeader(data, at)
		if !ok {
			continue
		}
		lx := &lexer{b: data, i: at + 3}
		v := lx.value(0)
		lx.i = min(lx.i, len(data))
		if dd, isDict := v.(dict); isDict {
			lx.space()
			if bytes.HasPrefix(data[lx.i:], []byte("stream")) {
				start := lx.i + 6
				if start < len(data) && data[start] == '\r' {
					start++
				}
				if start < len(data) && data[start] == '\n' {
					start++
				}
				end := -1
				if n, isNum := dd["Length"].(float64); isNum && n >= 0 && n <= float64(len(data)) && start+int(n) <= len(data) &&
					bytes.HasPrefix(bytes.TrimLeft(data[start+int(n):], "\r\n "), []byte("endstream")) {
					end = start + int(n)
				} else if k := bytes.Index(data[start:], []byte("endstream")); k >= 0 {
					end = start + k
				}
				if end < 0 {
					continue
				}
				st := &stream{d: dd, raw: data[start:end]}
				v = st
				i = end
				if dd["Type"] == name("ObjStm") {
					objStms = append(objStms, st)
				}
			}
		}
		_ = gen
		d.objs[num] = v
	}
	for _, st := range objStms {
		body := d.decode(st)
		n, _ := d.get(st.d["N"]).(float64)
		first, _ := d.get(st.d["First"]).(float64)
		if int(first) > len(body) || n < 0 {
			continue
		}
		lx := &lexer{b: body[:int(first)]}
		var nums, offs []int
		for k := 0; k < int(n); k++ {
			a, ok1 := lx.value(0).(float64)
			b, ok2 := lx.value(0).(float64)
			if !ok1 || !ok2 {
				break
			}
			nums, offs = append(nums, int(a)), append(offs, int(b))
		}
		for k, num := range nums {
			if _, held := d.objs[num]; held {
				continue
			}
			at := int(first) + offs[k]
			if at < 0 || at >= len(body) {
				continue
			}
			d.objs[num] = (&lexer{b: body, i: at}).value(0)
		}
	}
}

// objHeader reads "num gen" before the "obj" at data[at:].
func objHeader(data []byte, at int) (num, gen int, ok bool) {
	if at+3 < len(data) && !isDelim(data[at+3]) && !isSpace(data[at+3]) {
		return 0, 0, false
	}
	k := at
	readInt := func() (int, bool) {
		for k > 0 && isSpace(data[k-1]) {
			k--
		}
		e := k
		for k > 0 && data[k-1] >= '0' && data[k-1] <= '9' {
			k--
		}
		if k == e || e-k > 10 {
			return 0, false
		}
		n, err := strconv.Atoi(string(data[k:e]))
		return n, err == nil
	}
	if k == 0 || !isSpace(data[k-1]) {
		return 0, 0, false
	}
	gen, ok1 := readInt()
	if k == 0 || !isSpace(data[k-1]) {
		return 0, 0, false
	}
	num, ok2 := readInt()
	return num, gen, ok1 && ok2
}

// get resolves a reference, once.
func (d *doc) get(v any) any {
	if r, ok := v.(ref); ok {
		return d.objs[r.num]
	}
	return v
}

// decode applies a stream's filters; a filter it does not know leaves
// nothing.
func (d *doc) decode(st *stream) []byte {
	var filters []any
	switch f := d.get(st.d["Filter"]).(type) {
	case name:
		filters = []any{f}
	case array:
		filters = f
	}
	data := st.raw
	for _, f := range filters {
		switch d.get(f) {
		case name("FlateDecode"), name("Fl"):
			zr, err := zlib.NewReader(bytes.NewReader(data))
			if err != nil {
				return nil
			}
			out, _ := io.ReadAll(io.LimitReader(zr, int64(maxDecoded-d.decoded)))
			// A truncated stream still gives what it holds.
			data = out
		default:
			return nil
		}
	}
	d.decoded += len(data)
	return data
}

// pages walks the page tree, pages inheriting Resources.
func (d *doc) pages(node any, inherited any, out *[]dict, depth int) {
	n, ok := node.(dict)
	if !ok || depth > maxDepth || len(*out) >= maxPages {
		return
	}
	res := inherited
	if r, has := n["Resources"]; has {
		res = r
	}
	if n["Type"] == name("Page") || (n["Kids"] == nil && n["Contents"] != nil) {
		p := dict{"Contents": n["Contents"], "Resources": res}
		*out = append(*out, p)
		return
	}
	kids, _ := d.get(n["Kids"]).(array)
	for _, k := range kids {
		if r, isRef := k.(ref); isRef {
			if d.walked[r.num] {
				continue // a page tree that loops, or lists a node twice
			}
			d.walked[r.num] = true
		}
		d.pages(d.get(k), res, out, depth+1)
	}
}

// writer collects a page's text, breaking lines where the text moves down.
type writer struct {
	out     *strings.Builder
	line    bool // something was written on the current line
	pending bool // a line break is due before the next text
}

func (w *writer) newline() {
	if w.line {
		w.pending = true
	}
}

func (w *writer) text(s string) {
	if s == "" {
		return
	}
	if w.pending {
		w.out.WriteByte('\n')
		w.pending = false
	}
	w.out.WriteString(s)
	w.line = true
}

// run interprets a content stream: text-showing operators through the
// current font, text positioning for line breaks, form objects inside.
func (d *doc) run(content []byte, res dict, w *writer, depth int) {
	if depth > maxDepth {
		return
	}
	fonts, _ := d.get(res["Font"]).(dict)
	xobjs, _ := d.get(res["XObject"]).(dict)
	var f *font
	// The text line's place: y of the text matrix and its vertical scale;
	// a line break where text is shown more than a third of the font size
	// from where the last text was.
	var y, scale, size, shownY float64 = 0, 1, 0, 0
	shown := false
	show := func(s string) {
		if s == "" {
			return
		}
		if shown && abs(y-shownY) > max(size*abs(scale), 1)/3 {
			w.newline()
		}
		shown, shownY = true, y
		w.text(s)
	}
	lx := &lexer{b: content}
	var args []any
	for {
		v, ok := lx.token()
		if !ok {
			break
		}
		o, isOp := v.(op)
		if !isOp {
			args = append(args, v)
			if len(args) > 64 {
				args = args[1:]
			}
			continue
		}
		num := func(i int) float64 {
			if i < len(args) {
				x, _ := args[i].(float64)
				return x
			}
			return 0
		}
		switch o {
		case "BT":
			y, scale = 0, 1
		case "Tf":
			if len(args) >= 2 {
				if n, ok := args[len(args)-2].(name); ok {
					f = d.font(fonts[n])
				}
				size = abs(num(len(args) - 1))
			}
		case "Td", "TD":
			if len(args) >= 2 {
				y += num(len(args)-1) * scale
			}
		case "T*":
			w.newline()
		case "Tm":
			if len(args) >= 6 {
				y, scale = num(len(args)-1), num(len(args)-3)
			}
		case "Tj":
			if len(args) >= 1 {
				show(f.decode(args[len(args)-1]))
			}
		case "'", "\"":
			w.newline()
			if len(args) >= 1 {
				show(f.decode(args[len(args)-1]))
			}
		case "TJ":
			if len(args) >= 1 {
				if a, ok := args[len(args)-1].(array); ok {
					for _, e := range a {
						if x, isNum := e.(float64); isNum && x < -250 && f != nil && f.simple {
							show(" ")
							continue
						}
						show(f.decode(e))
					}
				}
			}
		case "Do":
			if len(args) >= 1 {
				if n, ok := args[len(args)-1].(name); ok {
					if st, ok := d.get(xobjs[n]).(*stream); ok && d.get(st.d["Subtype"]) == name("Form") && d.forms < maxForms {
						d.forms++
						sub, _ := d.get(st.d["Resources"]).(dict)
						if sub == nil {
							sub = res
						}
						d.run(d.decode(st), sub, w, depth+1)
					}
				}
			}
		case "BI":
			lx.skipInlineImage()
		}
		args = args[:0]
	}
	w.newline()
}

// font maps a font's codes to text.
type font struct {
	simple bool              // one byte a code, unless the ToUnicode map says otherwise
	space  [4][][2][]byte    // code space ranges by code length
	codes  map[string]string // code bytes → text
}

func (d *doc) font(v any) *font {
	key := v
	if r, ok := v.(ref); ok {
		key = r
	} else if _, ok := v.(dict); ok {
		key = nil // a direct font dictionary is not cached
	}
	if key != nil {
		if f, ok := d.fonts[key]; ok {
			return f
		}
	}
	fd, _ := d.get(v).(dict)
	f := &font{simple: d.get(fd["Subtype"]) != name("Type0"), codes: map[string]string{}}
	if st, ok := d.get(fd["ToUnicode"]).(*stream); ok {
		f.readCMap(d.decode(st))
	}
	if key != nil {
		d.fonts[key] = f
	}
	return f
}

// readCMap reads a ToUnicode map's code space ranges, bfchar and bfrange
// entries.
func (f *font) readCMap(b []byte) {
	lx := &lexer{b: b}
	var args []any
	mode := ""
	for {
		v, ok := lx.token()
		if !ok {
			return
		}
		o, isOp := v.(op)
		if !isOp {
			args = append(args, v)
			continue
		}
		switch o {
		case "begincodespacerange", "beginbfchar", "beginbfrange":
			mode = string(o)
		case "endcodespacerange":
			for i := 0; i+1 < len(args); i += 2 {
				lo, ok1 := args[i].(pdfStr)
				hi, ok2 := args[i+1].(pdfStr)
				if ok1 && ok2 && len(lo) == len(hi) && len(lo) >= 1 && len(lo) <= 4 {
					f.space[len(lo)-1] = append(f.space[len(lo)-1], [2][]byte{lo, hi})
				}
			}
			mode = ""
		case "endbfchar":
			for i := 0; i+1 < len(args); i += 2 {
				src, ok1 := args[i].(pdfStr)
				dst, ok2 := args[i+1].(pdfStr)
				if ok1 && ok2 {
					f.codes[string(src)] = utf16Text(dst)
				}
			}
			mode = ""
		case "endbfrange":
			for i := 0; i+2 < len(args); i += 3 {
				lo, ok1 := args[i].(pdfStr)
				hi, ok2 := args[i+1].(pdfStr)
				if !ok1 || !ok2 || len(lo) != len(hi) || len(lo) == 0 || len(lo) > 4 {
					continue
				}
				a, b := codeNum(lo), codeNum(hi)
				if b < a || b-a > maxRange {
					continue
				}
				for c := a; c <= b && len(f.codes) < maxCodes; c++ {
					key := string(codeBytes(c, len(lo)))
					switch dst := args[i+2].(type) {
					case pdfStr:
						f.codes[key] = utf16Text(addLast(dst, c-a))
					case array:
						if k := int(c - a); k < len(dst) {
							if s, ok := dst[k].(pdfStr); ok {
								f.codes[key] = utf16Text(s)
							}
						}
					}
				}
			}
			mode = ""
		}
		if mode == "" || isOp {
			args = args[:0]
		}
	}
}

func codeNum(b []byte) uint32 {
	var n uint32
	for _, c := range b {
		n = n<<8 | uint32(c)
	}
	return n
}

func codeBytes(n uint32, size int) []byte {
	b := make([]byte, size)
	for i := size - 1; i >= 0; i-- {
		b[i] = byte(n)
		n >>= 8
	}
	return b
}

// addLast adds k to the last UTF-16 unit of dst (a bfrange destination).
func addLast(dst []byte, k uint32) []byte {
	out := bytes.Clone(dst)
	if len(out) >= 2 {
		v := uint32(out[len(out)-2])<<8 | uint32(out[len(out)-1])
		v += k
		out[len(out)-2], out[len(out)-1] = byte(v>>8), byte(v)
	} else if len(out) == 1 {
		out[0] += byte(k)
	}
	return out
}

func utf16Text(b []byte) string {
	if len(b)%2 == 1 {
		return string(b)
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return string(utf16.Decode(u))
}

// decode maps a shown string to text; a code with no mapping is left out
// in a composite font (its glyph number says nothing) and read as Latin-1
// in a simple one.
func (f *font) decode(v any) string {
	s, ok := v.(pdfStr)
	if !ok {
		return ""
	}
	if f == nil {
		f = &font{simple: true}
	}
	var out strings.Builder
	for i := 0; i < len(s); {
		n := f.codeLen(s[i:])
		code := s[i:min(i+n, len(s))]
		i += n
		if t, ok := f.codes[string(code)]; ok {
			out.WriteString(t)
			continue
		}
		if f.simple && len(code) == 1 && code[0] >= 0x20 {
			out.WriteRune(rune(code[0]))
		}
	}
	return out.String()
}

// codeLen is the length of the code at the start of s by the code space
// ranges; without them one byte in a simple font, two in a composite one.
func (f *font) codeLen(s []byte) int {
	for n := 1; n <= 4 && n <= len(s); n++ {
		for _, r := range f.space[n-1] {
			in := true
			for k := 0; k < n; k++ {
				if s[k] < r[0][k] || s[k] > r[1][k] {
					in = false
					break
				}
			}
			if in {
				return n
			}
		}
	}
	if f.simple {
		return 1
	}
	return 2
}
