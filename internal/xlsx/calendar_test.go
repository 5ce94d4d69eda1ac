package xlsx

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"xinlu/internal/xinlu"
)

func calendarTemplate(t *testing.T) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCalendarTemplate(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func save(t *testing.T, f *excelize.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func setRows(t *testing.T, f *excelize.File, sheet string, first int, rows [][]any) {
	t.Helper()
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, first+i)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCalendarTemplate(t *testing.T) {
	f := calendarTemplate(t)
	if sheets := f.GetSheetList(); len(sheets) != 2 || sheets[0] != "节假日" || sheets[1] != "填写说明" {
		t.Fatalf("sheets %v", sheets)
	}
	rows, _ := f.GetRows("节假日")
	if len(rows) != 1 || strings.Join(rows[0], ",") != "日期,类型,名称" {
		t.Fatalf("rows %q", rows)
	}
	dvs, err := f.GetDataValidations("节假日")
	if err != nil || len(dvs) != 1 || dvs[0].Sqref != "B2:B1001" || !strings.Contains(dvs[0].Formula1, "放假,调休上班") {
		t.Fatalf("data validations %+v %v", dvs, err)
	}
	help, _ := f.GetRows("填写说明")
	if len(help) < 5 || !strings.Contains(help[0][0], "填写说明") {
		t.Fatalf("help %q", help)
	}
	// An untouched template has a header and nothing to import.
	if _, err := ReadCalendar(save(t, f)); xinlu.AsError(err).Key != "calendar.import_empty" {
		t.Fatalf("empty template: %v", err)
	}
}

func TestReadCalendar(t *testing.T) {
	f := calendarTemplate(t)
	dateFmt := "m/d/yyyy"
	usDate, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	setRows(t, f, "节假日", 2, [][]any{
		{"2026-02-14", "调休上班", "春节"},
		{time.Date(2026, 2, 15, 0, 0, 0, 0, time.UTC), "放假", "春节"}, // a real date cell, template format
		{"2026/2/16", "休", "春节"},
		{"2026年2月17日", "holiday", "春节"},
		{"2026.2.18", " Holiday ", "春节"},
		{},                                                        // blank rows are skipped
		{"20260219", "放假", " 春节 "},                                // compact digits
		{time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC), "班", "春节"}, // a real date cell in m/d/yyyy
		{"2026-10-10", "Workday", "国庆节"},                          // a Saturday
	})
	f.SetCellStyle("节假日", "A9", "A9", usDate)
	got, err := ReadCalendar(save(t, f))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Problems) != 0 {
		t.Fatalf("problems %+v", got.Problems)
	}
	want := []struct {
		row  int
		date string
		kind xinlu.DayKind
	}{
		{2, "2026-02-14", xinlu.DayWorkday}, {3, "2026-02-15", xinlu.DayHoliday}, {4, "2026-02-16", xinlu.DayHoliday},
		{5, "2026-02-17", xinlu.DayHoliday}, {6, "2026-02-18", xinlu.DayHoliday}, {8, "2026-02-19", xinlu.DayHoliday},
		{9, "2026-02-28", xinlu.DayWorkday}, {10, "2026-10-10", xinlu.DayWorkday},
	}
	if len(got.Rows) != len(want) || got.Sheet != "节假日" || got.HeaderRow != 1 {
		t.Fatalf("got %d rows on %s/%d: %+v", len(got.Rows), got.Sheet, got.HeaderRow, got.Rows)
	}
	for i, w := range want {
		r := got.Rows[i]
		if r.Row != w.row || r.Day.Date != w.date || r.Day.Kind != w.kind || r.Day.Name == "" || !r.OK {
			t.Errorf("row %d: got %+v, want %+v", i, r, w)
		}
	}
	if got.Rows[5].Day.Name != "春节" {
		t.Errorf("name not trimmed: %q", got.Rows[5].Day.Name)
	}
}

func TestReadCalendarFindsHeaderVariantsBelowATitle(t *testing.T) {
	f := excelize.NewFile()
	setRows(t, f, "Sheet1", 1, [][]any{
		{"2026年节假日安排"},
		{"填报单位：测试开发区"},
		{"序号", "Date", "星期", "类别", "节日名称（全称）"},
		{1, "2026-02-16", "星期一", "放假", "春节"},
	})
	got, err := ReadCalendar(save(t, f))
	if err != nil || len(got.Problems) != 0 || got.HeaderRow != 3 || len(got.Rows) != 1 || got.Rows[0].Day.Date != "2026-02-16" || got.Rows[0].Row != 4 {
		t.Fatalf("got %+v %v", got, err)
	}
}

func TestReadCalendarReportsEveryBadRow(t *testing.T) {
	f := calendarTemplate(t)
	setRows(t, f, "节假日", 2, [][]any{
		{"2026-02-16", "放假", "春节"},
		{"下周一", "放假", "春节"},          // row 3: not a date
		{"2026-02-17", "调休", "春节"},   // row 4: 调休 alone is ambiguous
		{"2026-02-18", "调休上班", "春节"}, // row 5: a Wednesday cannot be a make-up day
		{"2026-02-16", "放假", "春节"},   // row 6: repeats row 2
		{"2026-02-19", "放假", ""},     // row 7: no name
		{"", "", "春节"},               // row 8: date and kind missing
		{"2026-02-30", "放假", "春节"},   // row 9: no such day
	})
	got, err := ReadCalendar(save(t, f))
	if err != nil {
		t.Fatal(err)
	}
	type p struct {
		row         int
		column, key string
	}
	want := []p{
		{3, "日期", "calendar.import_bad_date"},
		{4, "类型", "calendar.import_bad_kind"},
		{5, "类型", "calendar.workday_not_weekend"},
		{6, "日期", "calendar.import_date_repeated"},
		{7, "名称", "error.required"},
		{8, "日期", "error.required"},
		{8, "类型", "error.required"},
		{9, "日期", "calendar.import_bad_date"},
	}
	if len(got.Problems) != len(want) {
		t.Fatalf("problems %+v", got.Problems)
	}
	for i, w := range want {
		g := got.Problems[i]
		if g.Row != w.row || g.Column != w.column || g.Err.Key != w.key {
			t.Errorf("problem %d: got %d %s %s, want %+v", i, g.Row, g.Column, g.Err.Key, w)
		}
	}
	if a := got.Problems[3].Err.Args; len(a) != 1 || a[0] != 2 {
		t.Errorf("repeat names row %v", a)
	}
	if !got.Rows[0].OK || got.Rows[1].OK || len(got.Rows) != 8 {
		t.Errorf("rows %+v", got.Rows)
	}
}

func TestReadCalendarRefusesFiles(t *testing.T) {
	for name, tc := range map[string]struct {
		file []byte
		key  string
	}{
		"not a workbook":               {[]byte("日期,类型,名称\n2026-02-16,放假,春节\n"), "calendar.import_not_xlsx"},
		"a zip that is not a workbook": {[]byte("PK\x03\x04rubbish"), "calendar.import_not_xlsx"},
		"no header": {func() []byte {
			f := excelize.NewFile()
			setRows(t, f, "Sheet1", 1, [][]any{{"日期", "备注"}, {"2026-02-16", "x"}})
			return save(t, f)
		}(), "calendar.import_missing_columns"},
	} {
		_, err := ReadCalendar(tc.file)
		if e := xinlu.AsError(err); e.Code != xinlu.EINVALID || e.Field != "file" || e.Key != tc.key {
			t.Errorf("%s: got %v", name, err)
		}
		if tc.key == "calendar.import_missing_columns" {
			if a := xinlu.AsError(err).Args; len(a) != 1 || a[0] != "类型、名称" {
				t.Errorf("missing columns named %v", a)
			}
		}
	}
}

func TestReadCalendarLimitsRows(t *testing.T) {
	f := calendarTemplate(t)
	for i := 0; i <= MaxCalendarRows; i++ {
		d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
		f.SetSheetRow("节假日", "A"+strconv.Itoa(i+2), &[]any{d.Format("2006-01-02"), "放假", "x"})
	}
	if _, err := ReadCalendar(save(t, f)); xinlu.AsError(err).Key != "calendar.import_too_many_rows" {
		t.Fatalf("got %v", err)
	}
}

func TestParseDayKind(t *testing.T) {
	for in, want := range map[string]xinlu.DayKind{
		"放假": xinlu.DayHoliday, "休": xinlu.DayHoliday, "holiday": xinlu.DayHoliday, "HOLIDAY": xinlu.DayHoliday,
		"调休上班": xinlu.DayWorkday, "上班": xinlu.DayWorkday, "班": xinlu.DayWorkday, "workday": xinlu.DayWorkday,
		"Make-up workday": xinlu.DayWorkday,
	} {
		if got, ok := ParseDayKind(in); !ok || got != want {
			t.Errorf("ParseDayKind(%q) = %s %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "调休", "补", "rest day"} {
		if _, ok := ParseDayKind(in); ok {
			t.Errorf("ParseDayKind(%q) accepted", in)
		}
	}
}
