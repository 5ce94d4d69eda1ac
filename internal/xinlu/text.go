package xinlu

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Name and Text are the one rule for the characters of what people type
// into xinlu: names of members, companies, projects, departments and the
// rest (Name, one line), and descriptions, notes and reasons (Text, which
// may hold line breaks and tabs).
//
// Both trim surrounding space and drop the zero-width characters that text
// pasted from other programs brings along (U+200B, U+2060, U+FEFF and the
// soft hyphen U+00AD). They refuse:
//   - text that is not UTF-8, and control characters: NUL and the rest of
//     C0 and C1 (in a name also tabs, line breaks and U+2028/U+2029);
//   - bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
//     U+061C), which make a text read differently from what it is;
//   - text that shows nothing: only spaces, format characters and fillers.
//
// Empty text passes (whether a field is required is the caller's rule).
func Name(field, s string) (string, error) { return cleanText(field, s, false) }

// Text is Name for free text of several lines; see Name.
func Text(field, s string) (string, error) { return cleanText(field, s, true) }

func cleanText(field, s string, multiline bool) (string, error) {
	if !utf8.ValidString(s) {
		return s, Invalid(field, "error.text_control")
	}
	if strings.ContainsFunc(s, droppedRune) {
		s = strings.Map(func(r rune) rune {
			if droppedRune(r) {
				return -1
			}
			return r
		}, s)
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return s, nil
	}
	visible := false
	for _, r := range s {
		switch {
		case multiline && (r == '\n' || r == '\r' || r == '\t'):
		case unicode.IsControl(r), (r == '\u2028' || r == '\u2029') && !multiline, bidiControl(r):
			return s, Invalid(field, "error.text_control")
		case !visible:
			visible = !invisible(r)
		}
	}
	if !visible {
		return s, Invalid(field, "error.text_invisible")
	}
	return s, nil
}

// droppedRune is a zero-width character that is dropped silently.
func droppedRune(r rune) bool {
	return r == '\u200b' || r == '\u2060' || r == '\ufeff' || r == '\u00ad'
}

// bidiControl is a character that changes the direction of the text around it.
func bidiControl(r rune) bool {
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') || r == '\u200e' || r == '\u200f' || r == '\u061c'
}

// invisible is a character that shows nothing by itself: spaces, format
// characters (zero-width joiners and the like) and the filler characters.
func invisible(r rune) bool {
	switch r {
	case '\u3164', '\u115f', '\u1160', '\uffa0', '\u2800':
		return true
	}
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
}

// textField names a field whose value cleanNames or cleanTexts cleans in place.
type textField struct {
	name  string
	value *string
}

// cleanNames applies Name to each field and answers every refusal.
func cleanNames(fs ...textField) error {
	var errs FieldErrors
	for _, f := range fs {
		v, err := Name(f.name, *f.value)
		if err != nil {
			errs.Add(err)
			continue
		}
		*f.value = v
	}
	return errs.Err()
}

// cleanTexts applies Text to each field and answers every refusal.
func cleanTexts(fs ...textField) error {
	var errs FieldErrors
	for _, f := range fs {
		v, err := Text(f.name, *f.value)
		if err != nil {
			errs.Add(err)
			continue
		}
		*f.value = v
	}
	return errs.Err()
}
