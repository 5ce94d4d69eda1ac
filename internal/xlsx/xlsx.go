// Package xlsx reads and writes the Excel workbooks xinlu's users work in:
// report-style exports (title row, unit, frozen header, text codes) and
// imports that match columns by header text and check every row first.
package xlsx

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Column describes one column of an export.
type Column struct {
	Header string  // shown in the header row, with the unit if any: "投资额（万元）"
	Width  float64 // in characters; 0 picks 14
	Kind   Kind
}

// Kind says how a column's cells are written.
type Kind int

const (
	Text       Kind = iota // written as text, so codes and ID numbers keep leading zeros
	Int                    // whole numbers
	Money                  // 万元 with two decimals, #,##0.00; a nil *int64 (unknown) is a text cell, Report.Unknown
	Date                   // YYYY-MM-DD text
	Hundredths             // an int64 in hundredths (scores, points) shown with two decimals
)

// Report is a single-sheet export: a title row, a line for the reporting
// unit and date, a frozen header, then the rows.
type Report struct {
	Sheet   string
	Title   string
	Unit    string // 填报单位
	By      string // 填报人
	Date    time.Time
	Columns []Column
	Rows    [][]any
	SumCols []int // indexes of columns that get a 合计 row
	// Unknown is written, as text, in a Money cell whose amount is unknown
	// (a nil *int64): "待定" when empty. Such cells are left out of the 合计
	// row; UnknownNote, if set, says how many beside it (in the 合计 cell).
	Unknown     string
	UnknownNote func(n int) string
}

// SafeText neutralises text that a spreadsheet would read as a formula
// (cells beginning with = + - @, or a tab or carriage return).
func SafeText(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// Write renders the report as an .xlsx workbook to w.
func (r *Report) Write(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := r.Sheet
	if sheet == "" {
		sheet = "Sheet1"
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	ncol := len(r.Columns)
	last, _ := excelize.ColumnNumberToName(ncol)
	titleStyle, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	headStyle, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Color: []string{"DDE4EE"}, Pattern: 1},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Border:    borders()})
	textStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 49, Border: borders()})
	intStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 1, Border: borders()})
	moneyStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 4, Border: borders()})

	f.MergeCell(sheet, "A1", last+"1")
	f.SetCellValue(sheet, "A1", SafeText(r.Title))
	f.SetCellStyle(sheet, "A1", "A1", titleStyle)
	f.SetRowHeight(sheet, 1, 30)
	info := ""
	if r.Unit != "" {
		info += "填报单位：" + r.Unit + "    "
	}
	if r.By != "" {
		info += "填报人：" + r.By + "    "
	}
	if !r.Date.IsZero() {
		info += "日期：" + r.Date.Format("2006-01-02")
	}
	f.MergeCell(sheet, "A2", last+"2")
	f.SetCellValue(sheet, "A2", SafeText(strings.TrimSpace(info)))

	for i, c := range r.Columns {
		name, _ := excelize.ColumnNumberToName(i + 1)
		f.SetCellValue(sheet, name+"3", c.Header)
		w := c.Width
		if w == 0 {
			w = 14
		}
		f.SetColWidth(sheet, name, name, w)
	}
	f.SetCellStyle(sheet, "A3", last+"3", headStyle)
	f.SetPanes(sheet, &excelize.Panes{Freeze: true, Split: false, XSplit: 0, YSplit: 3, TopLeftCell: "A4", ActivePane: "bottomLeft"})

	sums := make([]float64, ncol)
	unknown := 0 // rows with an unknown amount in a summed column
	unknownLabel := r.Unknown
	if unknownLabel == "" {
		unknownLabel = "待定"
	}
	for ri, row := range r.Rows {
		rowUnknown := false
		rowNum := ri + 4
		for ci, c := range r.Columns {
			if ci >= len(row) {
				break
			}
			cell, _ := excelize.CoordinatesToCellName(ci+1, rowNum)
			switch c.Kind {
			case Int:
				n := toInt64(row[ci])
				f.SetCellValue(sheet, cell, n)
				f.SetCellStyle(sheet, cell, cell, intStyle)
				sums[ci] += float64(n)
			case Hundredths:
				v := float64(toInt64(row[ci])) / 100
				f.SetCellValue(sheet, cell, v)
				f.SetCellStyle(sheet, cell, cell, moneyStyle)
				sums[ci] += v
			case Money:
				if p, ok := row[ci].(*int64); ok && p == nil {
					f.SetCellStr(sheet, cell, unknownLabel)
					f.SetCellStyle(sheet, cell, cell, textStyle)
					rowUnknown = rowUnknown || slices.Contains(r.SumCols, ci)
					continue
				}
				yuan := toInt64(row[ci])
				wan := float64(yuan) / 10000
				f.SetCellValue(sheet, cell, wan)
				f.SetCellStyle(sheet, cell, cell, moneyStyle)
				sums[ci] += wan
			default:
				f.SetCellStr(sheet, cell, SafeText(fmt.Sprint(row[ci])))
				f.SetCellStyle(sheet, cell, cell, textStyle)
			}
		}
		if rowUnknown {
			unknown++
		}
	}
	if len(r.SumCols) > 0 && len(r.Rows) > 0 {
		rowNum := len(r.Rows) + 4
		total := "合计"
		if unknown > 0 && r.UnknownNote != nil {
			total = r.UnknownNote(unknown)
		}
		f.SetCellStr(sheet, fmt.Sprintf("A%d", rowNum), total)
		for _, ci := range r.SumCols {
			cell, _ := excelize.CoordinatesToCellName(ci+1, rowNum)
			f.SetCellValue(sheet, cell, sums[ci])
			if k := r.Columns[ci].Kind; k == Money || k == Hundredths {
				f.SetCellStyle(sheet, cell, cell, moneyStyle)
			} else {
				f.SetCellStyle(sheet, cell, cell, intStyle)
			}
		}
	}
	return f.Write(w)
}

func borders() []excelize.Border {
	var b []excelize.Border
	for _, side := range []string{"left", "right", "top", "bottom"} {
		b = append(b, excelize.Border{Type: side, Color: "B0B7C3", Style: 1})
	}
	return b
}

func toInt64(v any) int64 {
	switch n := v.(type) {
	case int:
		return int64(n)
	case int64:
		return n
	case *int64:
		if n != nil {
			return *n
		}
	case int32:
		return int64(n)
	case float64:
		return int64(n)
	}
	return 0
}

// ContentType is the MIME type of .xlsx files.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// NormalizeHeader folds a header cell for matching: full-width brackets and
// spaces, units in brackets and line breaks are dropped.
func NormalizeHeader(s string) string {
	s = strings.NewReplacer("（", "(", "）", ")", "\u3000", "", " ", "", "\n", "", "\r", "", "：", ":", "*", "").Replace(strings.TrimSpace(s))
	if i := strings.Index(s, "("); i > 0 {
		s = s[:i]
	}
	return strings.ToLower(s)
}

// MatchColumns maps each wanted field to the index of the first header that
// matches one of its names (after NormalizeHeader); missing fields are
// absent from the map.
func MatchColumns(header []string, names map[string][]string) map[string]int {
	idx := map[string]int{}
	for field, variants := range names {
		for i, h := range header {
			nh := NormalizeHeader(h)
			for _, v := range variants {
				if nh == NormalizeHeader(v) {
					if _, seen := idx[field]; !seen {
						idx[field] = i
					}
				}
			}
		}
	}
	return idx
}

// RowError is one problem in an imported workbook, named by its row (1-based,
// as Excel shows it) and column header.
type RowError struct {
	Row     int
	Column  string
	Message string
}

func (e RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("第 %d 行：%s", e.Row, e.Message)
	}
	return fmt.Sprintf("第 %d 行「%s」：%s", e.Row, e.Column, e.Message)
}

// ParseDate reads the date forms users type: real date cells (as excelize
// renders them), 2026-05-18, 2026/5/18, 2026.6.30 and 2026年5月18日.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	r := strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-")
	norm := r.Replace(s)
	for _, layout := range []string{"2006-1-2", "2006-01-02", "1-2-06", "01-02-06", "2006-1-2 15:04:05", "2006-1-2 15:04"} {
		if t, err := time.Parse(layout, norm); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// MarkErrors returns the user's own workbook with an added 错误原因 column
// on the sheet, the message beside each bad row and the bad rows marked.
func MarkErrors(src io.Reader, sheet string, headerRow int, errs []RowError, w io.Writer) error {
	f, err := excelize.OpenReader(src)
	if err != nil {
		return err
	}
	defer f.Close()
	if sheet == "" {
		sheet = f.GetSheetName(0)
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		return err
	}
	maxCol := 0
	for _, r := range rows {
		if len(r) > maxCol {
			maxCol = len(r)
		}
	}
	col, _ := excelize.ColumnNumberToName(maxCol + 1)
	red, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "B42318", Bold: true},
		Fill: excelize.Fill{Type: "pattern", Color: []string{"FDECEA"}, Pattern: 1}})
	f.SetCellStr(sheet, fmt.Sprintf("%s%d", col, headerRow), "错误原因")
	f.SetCellStyle(sheet, fmt.Sprintf("%s%d", col, headerRow), fmt.Sprintf("%s%d", col, headerRow), red)
	byRow := map[int][]string{}
	for _, e := range errs {
		msg := e.Message
		if e.Column != "" {
			msg = "「" + e.Column + "」" + msg
		}
		byRow[e.Row] = append(byRow[e.Row], msg)
	}
	for row, msgs := range byRow {
		cell := fmt.Sprintf("%s%d", col, row)
		f.SetCellStr(sheet, cell, SafeText(strings.Join(msgs, "；")))
		f.SetCellStyle(sheet, cell, cell, red)
	}
	f.SetColWidth(sheet, col, col, 40)
	return f.Write(w)
}
