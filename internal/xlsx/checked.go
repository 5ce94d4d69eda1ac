package xlsx

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The checked import every importer shares (the project ledger, the
// holiday calendar, and those to come): the header is mapped onto fields
// by a dictionary of header texts, overlaid by a mapping the user chose
// (or one remembered for the same layout); every column no field takes is
// reported as not imported with how many rows fill it; problems are named
// by row and column; and nothing is written unless there is none.

// Skip in a Mapping marks a column the user chose not to import.
const Skip = "-"

// Mapping maps a header cell, folded by MappingKey, to the field it means,
// or to Skip.
type Mapping map[string]string

// MappingKey folds a header cell as mappings are keyed.
func MappingKey(h string) string { return NormalizeHeader(h) }

// Field returns the field the mapping gives a header cell, and whether it
// gives one (Skip counts: the column is then not imported).
func (m Mapping) Field(h string) (string, bool) {
	if m == nil {
		return "", false
	}
	f, ok := m[MappingKey(h)]
	return f, ok
}

// LayoutKey identifies a header row's layout: its cells folded and joined,
// hashed. The same layout in another file gives the same key.
func LayoutKey(header []string) string {
	cells := make([]string, len(header))
	for i, h := range header {
		cells[i] = MappingKey(h)
	}
	for len(cells) > 0 && cells[len(cells)-1] == "" {
		cells = cells[:len(cells)-1]
	}
	sum := sha256.Sum256([]byte(strings.Join(cells, "\x1f")))
	return hex.EncodeToString(sum[:16])
}

// HeaderColumn is one column of a sheet's header, as the mapping step
// shows it: its letter, its text and the field it is mapped to ("" for
// none).
type HeaderColumn struct {
	Index  int // 0-based
	Letter string
	Header string
	Field  string
}

// NotImported is a column of the user's sheet that no field takes: its
// letter, header and how many data rows have a value in it.
type NotImported struct {
	Index  int // 0-based
	Letter string
	Header string
	Rows   int
}

// ColumnLetter is a 0-based column's letter: 0 → A.
func ColumnLetter(i int) string {
	s, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return ""
	}
	return s
}

// mapHeader maps the cells of a header row onto fields: a cell the mapping
// names goes where it says (nowhere for Skip), any other by the dictionary
// (variant → field, keyed by fold). The first column wins a field.
func mapHeader(header []string, m Mapping, fold func(string) string, dict map[string]string) map[string]int {
	idx := map[string]int{}
	for i, h := range header {
		if strings.TrimSpace(h) == "" || len(h) > 200 {
			continue
		}
		field, ok := m.Field(h)
		if !ok {
			field, ok = dict[fold(h)]
		}
		if !ok || field == Skip || field == "" {
			continue
		}
		if _, seen := idx[field]; !seen {
			idx[field] = i
		}
	}
	return idx
}

// headerColumns lists a header's columns with the fields they map to.
func headerColumns(header []string, idx map[string]int) []HeaderColumn {
	byCol := map[int]string{}
	for f, i := range idx {
		byCol[i] = f
	}
	var out []HeaderColumn
	for i, h := range header {
		if strings.TrimSpace(h) == "" {
			continue
		}
		out = append(out, HeaderColumn{Index: i, Letter: ColumnLetter(i), Header: headerLabel(h), Field: byCol[i]})
	}
	return out
}

// notImported lists the header's columns no field takes, counting the
// values under each in the data rows given.
func notImported(header []string, idx map[string]int, rows [][]string) []NotImported {
	mapped := map[int]bool{}
	for _, i := range idx {
		mapped[i] = true
	}
	var out []NotImported
	for i, h := range header {
		if mapped[i] || strings.TrimSpace(h) == "" {
			continue
		}
		n := 0
		for _, r := range rows {
			if strings.TrimSpace(cell(r, i)) != "" {
				n++
			}
		}
		out = append(out, NotImported{Index: i, Letter: ColumnLetter(i), Header: headerLabel(h), Rows: n})
	}
	return out
}

// candidateHeader picks, when no row maps the required fields, the row the
// user most likely means as the header: the one with the most text cells
// (a merged title row has one).
func candidateHeader(rows [][]string) int {
	best, bestN := -1, 1
	for i, r := range rows {
		n := 0
		for _, c := range r {
			if c = strings.TrimSpace(c); c != "" && !isNumeric(c) {
				n++
			}
		}
		if n > bestN {
			best, bestN = i, n
		}
	}
	return best
}

// Field is a field of an importer, for the mapping step: its key and
// whether the import needs it.
type Field struct {
	Key      string
	Required bool
}

// ParseMapping reads a column mapping the user chose: header text → field
// key of fields, or Skip ("" counts as Skip). It returns the header whose
// field is not one of fields as bad; a mapping of nothing is nil.
func ParseMapping(pairs map[string]string, fields []Field) (m Mapping, bad string) {
	known := map[string]bool{Skip: true}
	for _, f := range fields {
		known[f.Key] = true
	}
	m = Mapping{}
	for h, f := range pairs {
		f = strings.TrimSpace(f)
		if f == "" {
			f = Skip
		}
		if !known[f] {
			return nil, h
		}
		if k := MappingKey(h); k != "" {
			m[k] = f
		}
	}
	if len(m) == 0 {
		return nil, ""
	}
	return m, ""
}
