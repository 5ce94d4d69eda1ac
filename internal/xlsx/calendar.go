package xlsx

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"xinlu/internal/xinlu"
)

// The holiday calendar workbook: one row per date with the columns 日期,
// 类型 and 名称, matched by header text.

// CalendarSheetName is the data sheet of the template.
const CalendarSheetName = "节假日"

// MaxCalendarRows caps the data rows of one import (a year has about 40).
const MaxCalendarRows = 1000

// calendarColumns are the header texts each field is recognised by.
var calendarColumns = map[string][]string{
	"date": {"日期", "date", "公历日期"},
	"kind": {"类型", "kind", "类别", "type"},
	"name": {"名称", "name", "节日", "节日名称", "节假日名称"},
}

// calendarFields lists the fields in template order.
var calendarFields = []string{"date", "kind", "name"}

// calendarHeaders are the template's headers for the fields.
var calendarHeaders = map[string]string{"date": "日期", "kind": "类型", "name": "名称"}

// KindLabels are the words the template's drop-down offers.
var KindLabels = map[xinlu.DayKind]string{xinlu.DayHoliday: "放假", xinlu.DayWorkday: "调休上班"}

// dayKinds maps what people write in the 类型 column (folded by foldKind) to a kind.
var dayKinds = map[string]xinlu.DayKind{
	"放假": xinlu.DayHoliday, "休": xinlu.DayHoliday, "休息": xinlu.DayHoliday, "假": xinlu.DayHoliday,
	"holiday": xinlu.DayHoliday, "off": xinlu.DayHoliday, "dayoff": xinlu.DayHoliday,
	"调休上班": xinlu.DayWorkday, "上班": xinlu.DayWorkday, "班": xinlu.DayWorkday, "补班": xinlu.DayWorkday,
	"workday": xinlu.DayWorkday, "workingday": xinlu.DayWorkday, "makeupworkday": xinlu.DayWorkday,
	"makeupday": xinlu.DayWorkday,
}

func foldKind(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer(" ", "", "\u3000", "", "-", "", "_", "").Replace(s)
}

// ParseDayKind reads the 类型 column: 放假/休/holiday or 调休上班/上班/班/workday
// and their usual variants.
func ParseDayKind(s string) (xinlu.DayKind, bool) {
	k, ok := dayKinds[foldKind(s)]
	return k, ok
}

// CalendarRow is one non-blank data row of an imported calendar, as typed
// and as understood.
type CalendarRow struct {
	Row      int // as Excel numbers it
	DateText string
	KindText string
	Day      xinlu.CalendarDay // Date and Kind are empty when they could not be read
	OK       bool              // the row has no problem
}

// CalendarProblem is one bad cell of an import. Err carries a translation
// key; the caller words it in the user's language.
type CalendarProblem struct {
	Row    int    // as Excel numbers it
	Column string // the header as the file writes it
	Err    *xinlu.Error
}

// CalendarSheet is an imported calendar after the dry run: every row and
// every problem. Nothing may be written unless Problems is empty.
type CalendarSheet struct {
	Sheet       string
	HeaderRow   int
	Rows        []CalendarRow
	Problems    []CalendarProblem
	Layout      string         // LayoutKey of the header
	Mapping     Mapping        // the user's or remembered mapping the header was read with
	Columns     []HeaderColumn // every header column and the field it maps to
	NotImported []NotImported  // the columns no field takes, with how many rows fill each
}

// CalendarOptions tune ReadCalendarWith: the user's mapping of header
// cells to fields (date, kind, name, or Skip) and the zone's remembered
// mappings by LayoutKey, as for the ledger.
type CalendarOptions struct {
	Mapping    Mapping
	Remembered map[string]Mapping
}

// CalendarFields lists the fields a calendar column can be mapped to.
func CalendarFields() []Field {
	out := make([]Field, len(calendarFields))
	for i, f := range calendarFields {
		out[i] = Field{Key: f, Required: true} // every one is required
	}
	return out
}

// calendarVariants are calendarColumns folded: variant → field.
var calendarVariants = map[string]string{}

func init() {
	for field, names := range calendarColumns {
		for _, n := range names {
			calendarVariants[NormalizeHeader(n)] = field
		}
	}
}

// Days returns the entries of the rows, in file order.
func (c *CalendarSheet) Days() []xinlu.CalendarDay {
	out := make([]xinlu.CalendarDay, len(c.Rows))
	for i, r := range c.Rows {
		out[i] = r.Day
	}
	return out
}

// openLimits keep a small upload from unzipping into a large one.
var openLimits = excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 16 << 20}

// ReadCalendar checks an uploaded calendar workbook row by row. A file that
// is not a workbook, or has no sheet with the three columns, is an error on
// the "file" field; problems in rows are listed in the result.
func ReadCalendar(b []byte) (*CalendarSheet, error) {
	return ReadCalendarWith(b, CalendarOptions{})
}

// ReadCalendarWith is ReadCalendar with a mapping of the header.
func ReadCalendarWith(b []byte, opts CalendarOptions) (*CalendarSheet, error) {
	f, err := excelize.OpenReader(bytes.NewReader(b), openLimits)
	if err != nil {
		return nil, xinlu.Invalid("file", "calendar.import_not_xlsx")
	}
	defer f.Close()
	date1904 := false
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		date1904 = *p.Date1904
	}

	// Find the header: the first row, in the first 10 of any sheet, that
	// names all three columns. Remember the best partial match to say what
	// is missing.
	var best struct {
		found int
		idx   map[string]int
	}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			return nil, xinlu.Invalid("file", "calendar.import_not_xlsx")
		}
		for i := 0; i < len(rows) && i < 10; i++ {
			m := opts.Mapping
			if m == nil {
				m = opts.Remembered[LayoutKey(rows[i])]
			}
			idx := mapHeader(rows[i], m, NormalizeHeader, calendarVariants)
			if len(idx) == len(calendarFields) {
				raw, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
				if err != nil {
					return nil, xinlu.Invalid("file", "calendar.import_not_xlsx")
				}
				out, err := readCalendarRows(sheet, i, rows, raw, idx, date1904)
				if err != nil {
					return nil, err
				}
				out.Layout, out.Mapping, out.Columns = LayoutKey(rows[i]), m, headerColumns(rows[i], idx)
				out.NotImported = notImported(rows[i], idx, rows[i+1:])
				return out, nil
			}
			if len(idx) > best.found {
				best.found, best.idx = len(idx), idx
			}
		}
	}
	var missing []string
	for _, field := range calendarFields {
		if _, ok := best.idx[field]; !ok {
			missing = append(missing, calendarHeaders[field])
		}
	}
	he := &CalendarHeaderError{Err: xinlu.Invalid("file", "calendar.import_missing_columns", strings.Join(missing, "、"))}
	// The row the user most likely means as the header, for the mapping step.
	if sheets := f.GetSheetList(); len(sheets) > 0 {
		if rows, err := f.GetRows(sheets[0]); err == nil {
			rows = rows[:min(len(rows), 10)]
			if i := candidateHeader(rows); i >= 0 {
				he.Row = i + 1
				he.Columns = headerColumns(rows[i], mapHeader(rows[i], opts.Mapping, NormalizeHeader, calendarVariants))
			}
		}
	}
	return nil, he
}

// CalendarHeaderError says that no sheet names the three columns: the
// user's error (Unwrap), and the row the user most likely means as the
// header (as Excel numbers it, 0 if none) with its columns, for the column
// mapping step.
type CalendarHeaderError struct {
	Err     error
	Row     int
	Columns []HeaderColumn
}

func (e *CalendarHeaderError) Error() string { return e.Err.Error() }
func (e *CalendarHeaderError) Unwrap() error { return e.Err }

func readCalendarRows(sheet string, header int, rows, raw [][]string, idx map[string]int, date1904 bool) (*CalendarSheet, error) {
	out := &CalendarSheet{Sheet: sheet, HeaderRow: header + 1}
	column := func(field string) string { return strings.TrimSpace(cell(rows[header], idx[field])) }
	firstRow := map[string]int{} // date → row it first appears on
	for i := header + 1; i < len(rows); i++ {
		dateText, kindText := strings.TrimSpace(cell(rows[i], idx["date"])), strings.TrimSpace(cell(rows[i], idx["kind"]))
		name := strings.TrimSpace(cell(rows[i], idx["name"]))
		if dateText == "" && kindText == "" && name == "" {
			continue // blank rows are skipped, wherever they are
		}
		if len(out.Rows) == MaxCalendarRows {
			return nil, xinlu.Invalid("file", "calendar.import_too_many_rows", MaxCalendarRows)
		}
		r := CalendarRow{Row: i + 1, DateText: dateText, KindText: kindText, Day: xinlu.CalendarDay{Name: name}}
		var probs []CalendarProblem
		bad := func(field, key string, args ...any) {
			probs = append(probs, CalendarProblem{Row: r.Row, Column: column(field), Err: xinlu.Invalid(field, key, args...)})
		}
		switch d, ok := cellDate(dateText, cell(rowAt(raw, i), idx["date"]), date1904); {
		case dateText == "":
			bad("date", "error.required")
		case !ok:
			bad("date", "calendar.import_bad_date", dateText)
		default:
			r.Day.Date = d
			if first, dup := firstRow[d]; dup {
				bad("date", "calendar.import_date_repeated", first)
			} else {
				firstRow[d] = r.Row
			}
		}
		switch k, ok := ParseDayKind(kindText); {
		case kindText == "":
			bad("kind", "error.required")
		case !ok:
			bad("kind", "calendar.import_bad_kind", kindText)
		default:
			r.Day.Kind = k
		}
		if len(probs) == 0 {
			// The domain's own rules: name required and short, make-up
			// days on weekends only.
			if err := r.Day.Validate(); err != nil {
				e := xinlu.AsError(err)
				probs = append(probs, CalendarProblem{Row: r.Row, Column: column(e.Field), Err: e})
			}
		} else if name == "" {
			bad("name", "error.required")
		} else if len([]rune(name)) > 64 {
			bad("name", "error.too_long", 64)
		}
		r.OK = len(probs) == 0
		out.Rows = append(out.Rows, r)
		out.Problems = append(out.Problems, probs...)
	}
	if len(out.Rows) == 0 {
		return nil, xinlu.Invalid("file", "calendar.import_empty")
	}
	return out, nil
}

func rowAt(rows [][]string, i int) []string {
	if i < len(rows) {
		return rows[i]
	}
	return nil
}

func cell(row []string, i int) string {
	if i >= 0 && i < len(row) {
		return row[i]
	}
	return ""
}

// cellDate reads a date cell: text in any form ParseDate reads, 20260216,
// or a real date cell, whose raw value is Excel's serial day number.
func cellDate(text, raw string, date1904 bool) (string, bool) {
	if t, ok := ParseDate(text); ok {
		return t.Format(xinlu.DateLayout), true
	}
	if len(text) == 8 && strings.Trim(text, "0123456789") == "" {
		if t, err := time.Parse("20060102", text); err == nil {
			return t.Format(xinlu.DateLayout), true
		}
	}
	raw = strings.TrimSpace(raw)
	if serial, err := strconv.ParseFloat(raw, 64); err == nil && serial >= 1 && serial < 2958466 {
		if t, err := excelize.ExcelDateToTime(serial, date1904); err == nil {
			return t.Format(xinlu.DateLayout), true
		}
	}
	if t, ok := ParseDate(raw); ok {
		return t.Format(xinlu.DateLayout), true
	}
	return "", false
}

// WriteCalendarTemplate writes the import template: the 节假日 sheet with the
// three headers, date-formatted and drop-down columns, and a 填写说明 sheet.
func WriteCalendarTemplate(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := CalendarSheetName
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	headStyle, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Color: []string{"DDE4EE"}, Pattern: 1},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}, Border: borders()})
	dateFmt := "yyyy-mm-dd"
	dateStyle, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	textStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 49})
	for i, field := range calendarFields {
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetCellStr(sheet, col+"1", calendarHeaders[field])
	}
	f.SetCellStyle(sheet, "A1", "C1", headStyle)
	f.SetColWidth(sheet, "A", "A", 16)
	f.SetColWidth(sheet, "B", "B", 14)
	f.SetColWidth(sheet, "C", "C", 24)
	last := MaxCalendarRows + 1
	f.SetCellStyle(sheet, "A2", fmt.Sprintf("A%d", last), dateStyle)
	f.SetCellStyle(sheet, "B2", fmt.Sprintf("C%d", last), textStyle)
	f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})

	dv := excelize.NewDataValidation(true)
	dv.Sqref = fmt.Sprintf("B2:B%d", last)
	if err := dv.SetDropList([]string{KindLabels[xinlu.DayHoliday], KindLabels[xinlu.DayWorkday]}); err != nil {
		return err
	}
	dv.SetError(excelize.DataValidationErrorStyleStop, "类型有误", "请从下拉列表选择“放假”或“调休上班”。")
	dv.SetInput("类型", "放假：法定节假日休息；调休上班：因调休需要上班的周六或周日。")
	if err := f.AddDataValidation(sheet, dv); err != nil {
		return err
	}

	const help = "填写说明"
	if _, err := f.NewSheet(help); err != nil {
		return err
	}
	titleStyle, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	lines := []string{
		"节假日与调休安排导入模板 · 填写说明",
		"1. 在“" + sheet + "”工作表中每行填写一个日期，从第 2 行开始；请勿修改或删除表头（日期、类型、名称）。",
		"2. 日期：如 2026-02-16、2026/2/16、2026.2.16、2026年2月16日，也可以直接使用 Excel 日期单元格。",
		"3. 类型：从下拉列表选择“放假”或“调休上班”（也接受：休、holiday；上班、班、workday）。",
		"4. 放假：法定节假日休息的日期，假期中的周六、周日也可以列出；调休上班：因调休需要上班的日期，只能是周六或周日。",
		"5. 名称：节日名称，如 春节、国庆节，必填，最多 64 个字。",
		"6. 未列出的日期按常规处理：周一至周五上班，周六、周日休息。",
		"7. 导入前系统会逐行预检；只要有一行有误就不会写入任何数据，可下载带“错误原因”列的原文件，改正后重新导入。",
		"8. 系统中已有的日期按本表更新类型和名称；本表未列出的已有日期保持不变。",
		"",
		"示例：",
	}
	for i, s := range lines {
		f.SetCellStr(help, fmt.Sprintf("A%d", i+1), s)
	}
	f.SetCellStyle(help, "A1", "A1", titleStyle)
	example := [][]string{{"日期", "类型", "名称"}, {"2026-02-14", "调休上班", "春节"}, {"2026-02-16", "放假", "春节"}, {"2026-10-01", "放假", "国庆节"}}
	for i, row := range example {
		for j, v := range row {
			c, _ := excelize.CoordinatesToCellName(j+1, len(lines)+1+i)
			f.SetCellStr(help, c, v)
		}
	}
	f.SetColWidth(help, "A", "A", 16)
	f.SetColWidth(help, "B", "C", 14)
	f.SetActiveSheet(0)
	return f.Write(w)
}
