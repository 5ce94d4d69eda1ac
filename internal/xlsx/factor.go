package xlsx

import (
	"bytes"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"xinlu/internal/xinlu"
)

// The factor workbooks (parcels, utilities, enterprises with their yearly
// figures) share one reading: the header is found in the first rows of the
// first sheet by the template's column names, overlaid by the mapping the
// user chose or one remembered for the layout; a file without the required
// columns answers the row the user likely means, for the mapping step.

// FactorOptions are a factor import's header choices: the mapping the user
// chose (header → template column, or Skip), else one remembered for the
// layout (by LayoutKey).
type FactorOptions struct {
	Mapping    Mapping
	Remembered map[string]Mapping
}

// FactorHeader is how a factor sheet's header was read, for the page: its
// layout key, the mapping applied (nil: the template's names), the header
// cells as written, each column with its field, and the columns not
// imported.
type FactorHeader struct {
	Layout      string
	Mapping     Mapping
	Header      []string
	Columns     []HeaderColumn
	NotImported []NotImported
}

// HeaderError says that no row of a workbook names the required columns:
// the user's error (Unwrap), and the row the user most likely means as the
// header (as Excel numbers it, 0 if none) with its columns, for the column
// mapping step.
type HeaderError struct {
	Err     error
	Row     int
	Columns []HeaderColumn
}

func (e *HeaderError) Error() string { return e.Err.Error() }
func (e *HeaderError) Unwrap() error { return e.Err }

// factorLayout is a factor workbook: its template's columns (which are
// also the field keys), the required ones, and the template's sheet name,
// column width and example rows.
type factorLayout struct {
	headers  []string
	required []string
	sheet    string
	width    float64
	examples [][]any
}

// Fields lists the layout's columns for the mapping step.
func (l *factorLayout) Fields() []Field {
	out := make([]Field, len(l.headers))
	for i, h := range l.headers {
		out[i] = Field{Key: h, Required: indexOf(l.required, h) >= 0}
	}
	return out
}

func indexOf(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return -1
}

// factorSheet is a factor workbook being read.
type factorSheet struct {
	FactorHeader
	sheet    string
	header   int // 0-based row of the header
	rows     [][]string
	idx      map[string]int
	problems []RowError
}

// readFactor opens a workbook and finds its header by l and opts.
func readFactor(b []byte, l *factorLayout, opts FactorOptions) (*factorSheet, error) {
	f, err := excelize.OpenReader(bytes.NewReader(b), openLimits)
	if err != nil {
		return nil, xinlu.Invalid("file", "enterprise.import_unreadable", "xlsx")
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet)
	if err != nil {
		return nil, xinlu.Invalid("file", "enterprise.import_unreadable", "xlsx")
	}
	dict := map[string]string{}
	for _, h := range l.headers {
		dict[NormalizeHeader(h)] = h
	}
	var best map[string]int
	for i := 0; i < len(rows) && i < 10; i++ {
		m := opts.Mapping
		if m == nil {
			m = opts.Remembered[LayoutKey(rows[i])]
		}
		idx := mapHeader(rows[i], m, NormalizeHeader, dict)
		found := 0
		for _, req := range l.required {
			if _, ok := idx[req]; ok {
				found++
			}
		}
		if found == len(l.required) {
			return &factorSheet{FactorHeader: FactorHeader{Layout: LayoutKey(rows[i]), Mapping: m, Header: rows[i],
				Columns: headerColumns(rows[i], idx), NotImported: notImported(rows[i], idx, rows[i+1:])},
				sheet: sheet, header: i, rows: rows, idx: idx}, nil
		}
		if len(idx) > len(best) {
			best = idx
		}
	}
	var missing []string
	for _, req := range l.required {
		if _, ok := best[req]; !ok {
			missing = append(missing, req)
		}
	}
	he := &HeaderError{Err: xinlu.Invalid("file", "enterprise.import_missing_columns", strings.Join(missing, "、"))}
	rows = rows[:min(len(rows), 10)]
	if i := candidateHeader(rows); i >= 0 {
		he.Row = i + 1
		he.Columns = headerColumns(rows[i], mapHeader(rows[i], opts.Mapping, NormalizeHeader, dict))
	}
	return nil, he
}

// factorRow is one data row being read: its cells by template column, and
// its problems.
type factorRow struct {
	s     *factorSheet
	cells []string
	N     int // the row as Excel numbers it
}

// each calls fn for every data row that is not blank.
func (s *factorSheet) each(fn func(r *factorRow)) {
	for i := s.header + 1; i < len(s.rows); i++ {
		if strings.TrimSpace(strings.Join(s.rows[i], "")) == "" {
			continue
		}
		fn(&factorRow{s: s, cells: s.rows[i], N: i + 1})
	}
}

// get is the trimmed text under a template column ("" if not mapped).
func (r *factorRow) get(h string) string {
	j, ok := r.s.idx[h]
	if !ok {
		return ""
	}
	return strings.TrimSpace(cell(r.cells, j))
}

// bad records a problem of the row in a column.
func (r *factorRow) bad(col, msg string) {
	r.s.problems = append(r.s.problems, RowError{Row: r.N, Column: col, Message: msg})
}

// num reads a number not below 0 (thousands separators and a trailing %
// allowed); ok is false for an empty cell or a bad one, which is recorded.
func (r *factorRow) num(h string) (float64, bool) {
	s := strings.ReplaceAll(strings.TrimSuffix(r.get(h), "%"), ",", "")
	if s == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		r.bad(h, "须为不小于 0 的数字")
		return 0, false
	}
	return v, true
}

// writeTemplate writes a layout's template with its example rows.
func (l *factorLayout) writeTemplate(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", l.sheet)
	for i, h := range l.headers {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellStr(l.sheet, cell, h)
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColWidth(l.sheet, col, col, l.width)
	}
	for r, row := range l.examples {
		for i, v := range row {
			cell, _ := excelize.CoordinatesToCellName(i+1, r+2)
			f.SetCellValue(l.sheet, cell, v)
		}
	}
	return f.Write(w)
}
