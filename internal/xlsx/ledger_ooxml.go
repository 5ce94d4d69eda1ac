package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Scanning the workbook's raw OOXML for what excelize does not give while
// streaming: merged cells and the sheet's shape.

// cellRange is a merged range, 1-based and inclusive.
type cellRange struct{ r1, c1, r2, c2 int }

// sheetShape is what the cell values do not say, from a scan of the
// sheet's XML: merged ranges, the rows holding formulas, and what reading
// the rows will cost.
type sheetShape struct {
	merges      []cellRange
	formulaRows map[int]bool
	valueRows   int   // rows with a value
	cells       int64 // over the rows, the last column with a value: what excelize allocates to read them
}

// mergedAcross lists the rows with a range merged across the given column
// (0-based) and at least one more: section and note rows.
func (s sheetShape) mergedAcross(col int) map[int]bool {
	out := map[int]bool{}
	for _, m := range s.merges {
		if m.c2 > m.c1 && m.c1 <= col+1 && col+1 <= m.c2 {
			out[m.r1] = true
		}
	}
	return out
}

// bookParts finds the worksheet parts in the workbook's zip, to scan them
// with a streaming decoder: excelize would load a whole worksheet into
// memory for merged ranges and formulas, and its row reader allocates up
// to the last column with a value, which a tiny hostile file can put at
// XFD on every row.
type bookParts struct {
	files  map[string]*zip.File // by lower-case name
	sheets map[string]string    // sheet name → part name
}

func openBookParts(b []byte) *bookParts {
	bp := &bookParts{files: map[string]*zip.File{}, sheets: map[string]string{}}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return bp
	}
	for _, f := range zr.File {
		bp.files[strings.ToLower(strings.TrimPrefix(f.Name, "/"))] = f
	}
	resolve := func(dir, target string) string {
		if strings.HasPrefix(target, "/") {
			return path.Clean(target[1:])
		}
		return path.Join(dir, target)
	}
	rels := func(name string) map[string][2]string { // Id → Type, Target
		out := map[string][2]string{}
		d := bp.open(name, 8<<20)
		for d != nil && len(out) < 10000 {
			tok, err := d.RawToken()
			if err != nil {
				break
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "Relationship" {
				out[attr(se, "", "Id")] = [2]string{attr(se, "", "Type"), attr(se, "", "Target")}
			}
		}
		return out
	}
	workbook := "xl/workbook.xml"
	for _, r := range rels("_rels/.rels") {
		if strings.HasSuffix(r[0], "/officeDocument") {
			workbook = resolve("", r[1])
		}
	}
	wbRels := rels(path.Join(path.Dir(workbook), "_rels", path.Base(workbook)+".rels"))
	d := bp.open(workbook, 8<<20)
	for d != nil && len(bp.sheets) < 10000 {
		tok, err := d.RawToken()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "sheet" {
			if r, ok := wbRels[attr(se, "r", "id")]; ok {
				bp.sheets[attr(se, "", "name")] = resolve(path.Dir(workbook), r[1])
			}
		}
	}
	return bp
}

func (bp *bookParts) open(name string, limit int64) *xml.Decoder {
	f := bp.files[strings.ToLower(name)]
	if f == nil {
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil
	}
	return xml.NewDecoder(io.LimitReader(rc, limit))
}

// scan streams a sheet's XML up to row untilRow (0: all of it); ok is false
// when the sheet's part cannot be found.
func (bp *bookParts) scan(sheet string, untilRow int) (shape sheetShape, ok bool) {
	shape.formulaRows = map[int]bool{}
	d := bp.open(bp.sheets[sheet], 256<<20)
	if d == nil {
		return shape, false
	}
	rowN, col, last := 0, 0, 0
	flush := func() {
		if last > 0 {
			shape.valueRows++
			shape.cells += int64(last)
		}
		last = 0
	}
	defer flush()
	for {
		tok, err := d.RawToken()
		if err != nil {
			return shape, true
		}
		se, isStart := tok.(xml.StartElement)
		if !isStart {
			continue
		}
		switch se.Name.Local {
		case "row":
			flush()
			if n, err := strconv.Atoi(attr(se, "", "r")); err == nil {
				rowN = n
			} else {
				rowN++
			}
			col = 0
			if untilRow > 0 && rowN > untilRow {
				return shape, true
			}
		case "c":
			if c := columnOf(attr(se, "", "r")); c > 0 {
				col = c
			} else {
				col++
			}
		case "v", "is":
			last = max(last, col)
		case "f":
			last = max(last, col)
			if len(shape.formulaRows) < 100000 {
				shape.formulaRows[rowN] = true
			}
		case "mergeCell":
			parts := strings.Split(attr(se, "", "ref"), ":")
			if len(parts) != 2 || len(shape.merges) >= 100000 {
				continue
			}
			c1, r1, err1 := excelize.CellNameToCoordinates(parts[0])
			c2, r2, err2 := excelize.CellNameToCoordinates(parts[1])
			if err1 == nil && err2 == nil {
				shape.merges = append(shape.merges, cellRange{min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)})
			}
		}
	}
}

// columnOf is the column number of a cell reference ("AB12" → 28), 0 if
// it has none.
func columnOf(ref string) int {
	c := 0
	for i := 0; i < len(ref) && i < 4; i++ {
		ch := ref[i] | 0x20 // lower case
		if ch < 'a' || ch > 'z' {
			break
		}
		c = c*26 + int(ch-'a'+1)
	}
	return c
}

// attr is an attribute of a raw token: space "" for an unprefixed one, any
// other for a prefixed one whatever its prefix (r:id, ns1:id).
func attr(se xml.StartElement, space, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local && (space == "") == (a.Name.Space == "") {
			return a.Value
		}
	}
	return ""
}
