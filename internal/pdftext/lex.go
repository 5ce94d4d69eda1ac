package pdftext

import (
	"bytes"
	"strconv"
)

// lexer reads PDF objects and content-stream tokens from b at i.
type lexer struct {
	b    []byte
	i    int
	refs bool // read "n g R" as a reference (objects, not content streams)
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/' || c == '%'
}

// space skips blanks and comments.
func (lx *lexer) space() {
	for lx.i < len(lx.b) {
		c := lx.b[lx.i]
		switch {
		case isSpace(c):
			lx.i++
		case c == '%':
			for lx.i < len(lx.b) && lx.b[lx.i] != '\n' && lx.b[lx.i] != '\r' {
				lx.i++
			}
		default:
			return
		}
	}
}

// value reads one object, references included.
func (lx *lexer) value(depth int) any {
	lx.refs = true
	v, _ := lx.next(depth)
	return v
}

// token reads one content-stream token: an operand or an operator (op).
func (lx *lexer) token() (any, bool) {
	lx.refs = false
	return lx.next(0)
}

// endMark ends an array or a dictionary.
type endMark byte

func (lx *lexer) next(depth int) (any, bool) {
	lx.space()
	if lx.i >= len(lx.b) {
		return nil, false
	}
	if depth > maxDepth {
		lx.i = len(lx.b)
		return nil, false
	}
	c := lx.b[lx.i]
	switch {
	case c == '/':
		lx.i++
		start := lx.i
		for lx.i < len(lx.b) && !isSpace(lx.b[lx.i]) && !isDelim(lx.b[lx.i]) {
			lx.i++
		}
		return name(unescapeName(lx.b[start:lx.i])), true
	case c == '(':
		return lx.literal(), true
	case c == '<' && lx.i+1 < len(lx.b) && lx.b[lx.i+1] == '<':
		lx.i += 2
		d := dict{}
		for {
			k, ok := lx.next(depth + 1)
			if !ok {
				return d, true
			}
			if k == endMark('>') {
				return d, true
			}
			v, ok := lx.next(depth + 1)
			if kn, isName := k.(name); isName && ok {
				if _, end := v.(endMark); end {
					return d, true
				}
				d[kn] = v
			}
			if !ok {
				return d, true
			}
		}
	case c == '>' && lx.i+1 < len(lx.b) && lx.b[lx.i+1] == '>':
		lx.i += 2
		return endMark('>'), true
	case c == '<':
		return lx.hex(), true
	case c == '[':
		lx.i++
		var a array
		for {
			v, ok := lx.next(depth + 1)
			if !ok || v == endMark(']') {
				return a, true
			}
			if _, end := v.(endMark); end {
				return a, true
			}
			a = append(a, v)
		}
	case c == ']':
		lx.i++
		return endMark(']'), true
	case c == '{' || c == '}' || c == ')' || c == '>':
		lx.i++
		return op(string(c)), true
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
		start := lx.i
		lx.i++
		for lx.i < len(lx.b) && (lx.b[lx.i] == '.' || lx.b[lx.i] >= '0' && lx.b[lx.i] <= '9') {
			lx.i++
		}
		f, err := strconv.ParseFloat(string(lx.b[start:lx.i]), 64)
		if err != nil {
			f = 0
		}
		if lx.refs && f >= 0 && f == float64(int(f)) {
			if r, ok := lx.refAfter(int(f)); ok {
				return r, true
			}
		}
		return f, true
	}
	start := lx.i
	for lx.i < len(lx.b) && !isSpace(lx.b[lx.i]) && !isDelim(lx.b[lx.i]) {
		lx.i++
	}
	if lx.i == start {
		lx.i++
	}
	switch w := string(lx.b[start:lx.i]); w {
	case "true":
		return true, true
	case "false":
		return false, true
	case "null":
		return nil, true
	default:
		return op(w), true
	}
}

// refAfter reads " gen R" after an object number, or leaves i as it was.
func (lx *lexer) refAfter(num int) (ref, bool) {
	save := lx.i
	j := lx.i
	skip := func() {
		for j < len(lx.b) && isSpace(lx.b[j]) {
			j++
		}
	}
	skip()
	s := j
	for j < len(lx.b) && lx.b[j] >= '0' && lx.b[j] <= '9' {
		j++
	}
	if j == s || j-s > 6 {
		return ref{}, false
	}
	gen, _ := strconv.Atoi(string(lx.b[s:j]))
	skip()
	if j < len(lx.b) && lx.b[j] == 'R' && (j+1 == len(lx.b) || isSpace(lx.b[j+1]) || isDelim(lx.b[j+1])) {
		lx.i = j + 1
		return ref{num, gen}, true
	}
	lx.i = save
	return ref{}, false
}

func unescapeName(b []byte) string {
	if !bytes.Contains(b, []byte("#")) {
		return string(b)
	}
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] == '#' && i+2 < len(b) {
			if n, err := strconv.ParseUint(string(b[i+1:i+3]), 16, 8); err == nil {
				out = append(out, byte(n))
				i += 2
				continue
			}
		}
		out = append(out, b[i])
	}
	return string(out)
}

// literal reads a (string) with its escapes and balanced parentheses.
func (lx *lexer) literal() pdfStr {
	lx.i++
	var out []byte
	depth := 1
	for lx.i < len(lx.b) {
		c := lx.b[lx.i]
		lx.i++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return out
			}
		case '\\':
			if lx.i >= len(lx.b) {
				return out
			}
			e := lx.b[lx.i]
			lx.i++
			switch e {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case '\r':
				if lx.i < len(lx.b) && lx.b[lx.i] == '\n' {
					lx.i++
				}
			case '\n':
			default:
				if e >= '0' && e <= '7' {
					n := int(e - '0')
					for k := 0; k < 2 && lx.i < len(lx.b) && lx.b[lx.i] >= '0' && lx.b[lx.i] <= '7'; k++ {
						n = n*8 + int(lx.b[lx.i]-'0')
						lx.i++
					}
					out = append(out, byte(n))
				} else {
					out = append(out, e)
				}
			}
			continue
		}
		out = append(out, c)
	}
	return out
}

// hex reads a <hex string>; an odd digit count ends in 0.
func (lx *lexer) hex() pdfStr {
	lx.i++
	var out []byte
	var hi byte
	half := false
	for lx.i < len(lx.b) && lx.b[lx.i] != '>' {
		c := lx.b[lx.i]
		lx.i++
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			continue
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if lx.i < len(lx.b) {
		lx.i++ // the closing >
	}
	if half {
		out = append(out, hi<<4)
	}
	return out
}

// skipInlineImage skips an inline image's data up to EI.
func (lx *lexer) skipInlineImage() {
	k := bytes.Index(lx.b[lx.i:], []byte("ID"))
	if k < 0 {
		lx.i = len(lx.b)
		return
	}
	lx.i += k + 2
	for lx.i < len(lx.b) {
		k := bytes.Index(lx.b[lx.i:], []byte("EI"))
		if k < 0 {
			lx.i = len(lx.b)
			return
		}
		at := lx.i + k
		lx.i = at + 2
		if at > 0 && isSpace(lx.b[at-1]) && (lx.i == len(lx.b) || isSpace(lx.b[lx.i])) {
			return
		}
	}
}
