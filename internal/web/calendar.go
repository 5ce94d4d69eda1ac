package web

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"

	"xinlu/internal/httpx"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// workbookUploadLimit caps an uploaded calendar workbook; a year's calendar
// is a few kilobytes.

func (s *Server) calendarRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/calendar", Perm: xinlu.PermCalendarView, Handler: s.calendarList},
		{Method: "GET", Pattern: "/calendar/export.xlsx", Perm: xinlu.PermCalendarView, Handler: s.calendarExport},
		{Method: "GET", Pattern: "/calendar/new", Perm: xinlu.PermCalendarManage, Handler: s.calendarNew},
		{Method: "POST", Pattern: "/calendar", Perm: xinlu.PermCalendarManage, Handler: s.calendarCreate},
		{Method: "GET", Pattern: "/calendar/{id}/edit", Perm: xinlu.PermCalendarManage, Handler: s.calendarEdit},
		{Method: "POST", Pattern: "/calendar/{id}", Perm: xinlu.PermCalendarManage, Handler: s.calendarUpdate},
		{Method: "POST", Pattern: "/calendar/{id}/delete", Perm: xinlu.PermCalendarManage, Handler: s.calendarDelete},
		{Method: "GET", Pattern: "/calendar/template.xlsx", Perm: xinlu.PermCalendarManage, Handler: s.calendarTemplate},
		{Method: "GET", Pattern: "/calendar/import", Perm: xinlu.PermCalendarManage, Handler: s.calendarImportPage},
		{Method: "POST", Pattern: "/calendar/import", Perm: xinlu.PermCalendarManage, Handler: s.calendarImportUpload},
		{Method: "POST", Pattern: "/calendar/import/check", Perm: xinlu.PermCalendarManage, Handler: s.calendarImportRecheck},
		{Method: "POST", Pattern: "/calendar/import/commit", Perm: xinlu.PermCalendarManage, Handler: s.calendarImportCommit},
		{Method: "POST", Pattern: "/calendar/import/errors.xlsx", Perm: xinlu.PermCalendarManage, Handler: s.calendarImportErrors},
	}
}

// calendarRow is an entry as the list shows it.
type calendarRow struct {
	*xinlu.CalendarDay
	Weekday int // 0 is Sunday
}

func calendarWeekday(date string) int {
	t, err := xinlu.ParseDate(date)
	if err != nil {
		return 0
	}
	return int(t.Weekday())
}

type calendarListView struct {
	Year            int
	Years           []int
	Items           []calendarRow
	Holidays        int // 放假 entries
	HolidayWeekdays int // of which fall on Monday to Friday
	MakeupDays      int // 调休上班 entries
	WorkingDays     int // working days of the year
	CanEdit         bool
}

// calendarYear reads ?year=, falling back to the current year in Asia/Shanghai.
func (s *Server) calendarYear(r *http.Request) int {
	if y, err := strconv.Atoi(strings.TrimSpace(r.URL.Query().Get("year"))); err == nil && y >= 1900 && y <= 2200 {
		return y
	}
	return s.today().Year()
}

func (s *Server) calendarList(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	year := s.calendarYear(r)
	days, err := s.store.ListCalendarDays(r.Context(), u.ZoneID, year)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	known, err := s.store.CalendarYears(r.Context(), u.ZoneID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := calendarListView{Year: year, CanEdit: u.Can(xinlu.PermCalendarManage)}
	this := s.today().Year()
	v.Years = calendarYears(known, this-1, this, this+1, year)
	list := make([]xinlu.CalendarDay, len(days))
	for i, d := range days {
		list[i] = *d
		wd := calendarWeekday(d.Date)
		v.Items = append(v.Items, calendarRow{CalendarDay: d, Weekday: wd})
		switch d.Kind {
		case xinlu.DayHoliday:
			v.Holidays++
			if wd != 0 && wd != 6 {
				v.HolidayWeekdays++
			}
		case xinlu.DayWorkday:
			v.MakeupDays++
		}
	}
	// Entries of other years do not change the days of this one.
	v.WorkingDays = xinlu.NewCalendar(list).WorkdaysInYear(year)
	s.render(w, r, http.StatusOK, "calendar", s.printer(r).T("nav.calendar"), v)
}

// calendarYears merges years into a sorted list without repeats.
func calendarYears(known []int, more ...int) []int {
	seen := map[int]bool{}
	var out []int
	for _, y := range append(append([]int(nil), known...), more...) {
		if !seen[y] {
			seen[y] = true
			out = append(out, y)
		}
	}
	slices.Sort(out)
	return out
}

func calendarYearURL(date string) string {
	if len(date) >= 4 {
		if _, err := strconv.Atoi(date[:4]); err == nil {
			return "/calendar?year=" + date[:4]
		}
	}
	return "/calendar"
}

type calendarFormView struct {
	D   *xinlu.CalendarDay
	Err error
}

func (s *Server) calendarForm(w http.ResponseWriter, r *http.Request, status int, d *xinlu.CalendarDay, err error) {
	title := "calendar.new"
	if d.ID != 0 {
		title = "calendar.edit"
	}
	s.render(w, r, status, "calendar_form", s.printer(r).T(title), calendarFormView{D: d, Err: err})
}

func (s *Server) calendarNew(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	d := &xinlu.CalendarDay{ZoneID: u.ZoneID, Kind: xinlu.DayHoliday}
	if _, err := xinlu.ParseDate(r.URL.Query().Get("date")); err == nil {
		d.Date = r.URL.Query().Get("date")
	}
	s.calendarForm(w, r, http.StatusOK, d, nil)
}

// calendarFromForm parses the form; a bad version comes back as a field error.
func calendarFromForm(r *http.Request, d *xinlu.CalendarDay) error {
	d.Date, d.Kind, d.Name = r.PostFormValue("date"), xinlu.DayKind(r.PostFormValue("kind")), r.PostFormValue("name")
	var errs xinlu.FieldErrors
	d.Version = intField(r, &errs, "version")
	return withValidation(errs, func() error { c := *d; return c.Validate() })
}

func (s *Server) calendarCreate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	d := &xinlu.CalendarDay{ZoneID: info.user.ZoneID}
	err := calendarFromForm(r, d)
	if err == nil {
		err = s.store.CreateCalendarDay(r.Context(), xinlu.ActorOf(info.user, info.ip), d)
	}
	s.afterSave(w, r, err, func(status int, err error) {
		d.ID = 0
		s.calendarForm(w, r, status, d, err)
	}, "flash.created", calendarYearURL(d.Date))
}

func (s *Server) calendarEdit(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d, err := s.store.CalendarDayByID(r.Context(), u.ZoneID, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.calendarForm(w, r, http.StatusOK, d, nil)
}

func (s *Server) calendarUpdate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d := &xinlu.CalendarDay{ID: id, ZoneID: info.user.ZoneID}
	err = calendarFromForm(r, d)
	if err == nil {
		err = s.store.UpdateCalendarDay(r.Context(), xinlu.ActorOf(info.user, info.ip), d)
	}
	s.afterSave(w, r, err, func(status int, err error) {
		s.calendarForm(w, r, status, d, err)
	}, "flash.updated", calendarYearURL(d.Date))
}

func (s *Server) calendarDelete(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d, err := s.store.CalendarDayByID(r.Context(), info.user.ZoneID, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	version, err := formInt(r, "version")
	if err == nil {
		err = s.store.DeleteCalendarDay(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, id, version)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.deleted")
	redirect(w, r, calendarYearURL(d.Date))
}

// calendarDownload starts an .xlsx download named in ASCII for old browsers and in
// Chinese (RFC 5987) for the rest.
func calendarDownload(w http.ResponseWriter, ascii, name string) {
	h := w.Header()
	h.Set("Content-Type", xlsx.ContentType)
	h.Set("Content-Disposition", httpx.AttachmentAs(name, ascii))
	h.Set("Cache-Control", "no-store")
}

func (s *Server) calendarTemplate(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := xlsx.WriteCalendarTemplate(&buf); err != nil {
		s.renderError(w, r, xinlu.Internal(err))
		return
	}
	calendarDownload(w, "calendar-template.xlsx", s.printer(r).T("calendar.template_file")+".xlsx")
	w.Write(buf.Bytes())
}

func (s *Server) calendarExport(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	year := s.calendarYear(r)
	days, err := s.store.ListCalendarDays(r.Context(), u.ZoneID, year)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.printer(r)
	rep := &xlsx.Report{Sheet: p.T("calendar.sheet"), Title: p.T("calendar.export_title", year), By: u.Name, Date: s.today(),
		Columns: []xlsx.Column{
			{Header: p.T("field.date"), Width: 14, Kind: xlsx.Date}, {Header: p.T("calendar.weekday"), Width: 10},
			{Header: p.T("field.kind"), Width: 14}, {Header: p.T("field.name"), Width: 24},
		}}
	if z, err := s.store.ZoneByID(r.Context(), u.ZoneID); err == nil {
		rep.Unit = z.Name
	}
	for _, d := range days {
		rep.Rows = append(rep.Rows, []any{d.Date, p.T(fmt.Sprintf("calendar.weekday.%d", calendarWeekday(d.Date))),
			p.T("calendar.kind." + string(d.Kind)), d.Name})
	}
	var buf bytes.Buffer
	if err := rep.Write(&buf); err != nil {
		s.renderError(w, r, xinlu.Internal(err))
		return
	}
	calendarDownload(w, fmt.Sprintf("calendar-%d.xlsx", year), p.T("calendar.export_file", year)+".xlsx")
	w.Write(buf.Bytes())
}

// calendarPreviewRow is one row of the dry run.
type calendarPreviewRow struct {
	xlsx.CalendarRow
	Weekday  int
	Change   string // new, update, same; "" for a bad row
	Messages []string
}

type calendarImportView struct {
	Err      error // a problem with the file as a whole
	FileName string
	Data     string // the uploaded workbook, base64, carried to commit and to the error download
	Rows     []calendarPreviewRow
	Problems []xlsx.RowError
	New      int
	Updated  int
	Same     int
	Preview  bool
	// NotImported are the sheet's columns the import does not take.
	NotImported []xlsx.NotImported
	// The column mapping step: shown when no header was recognised
	// (Header), and to adjust the mapping of a recognised one (Columns).
	Header     *xlsx.CalendarHeaderError
	Columns    []xlsx.HeaderColumn
	Fields     []xlsx.Field
	Mapping    string // the user's mapping, JSON, carried to the commit and the error download
	Remembered bool   // the zone's mapping saved for this layout was used
}

// MappingColumns are the columns the mapping step shows.
func (v calendarImportView) MappingColumns() []xlsx.HeaderColumn {
	if v.Header != nil {
		return v.Header.Columns
	}
	return v.Columns
}

// calendarKind names the calendar importer's remembered mappings.
const calendarKind = "calendar"

// readCalendar reads a calendar workbook with the user's mapping, or else
// the zone's mapping remembered for the file's layout.
func (s *Server) readCalendar(r *http.Request, data []byte, m xlsx.Mapping) (*xlsx.CalendarSheet, error) {
	remembered, err := s.store.ImportMappings(r.Context(), requestInfo(r.Context()).user.ZoneID, calendarKind)
	if err != nil {
		return nil, err
	}
	opts := xlsx.CalendarOptions{Mapping: m, Remembered: map[string]xlsx.Mapping{}}
	for k, v := range remembered {
		opts.Remembered[k] = v
	}
	return xlsx.ReadCalendarWith(data, opts)
}

func (s *Server) calendarImportPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "calendar_import", s.printer(r).T("calendar.import_title"), calendarImportView{})
}

// calendarImportFail shows the upload form again with a file-level error,
// or a failure page for anything else.
func (s *Server) calendarImportFail(w http.ResponseWriter, r *http.Request, name string, err error) {
	if !isFormError(err) {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, statusOf(err), "calendar_import", s.printer(r).T("calendar.import_title"),
		calendarImportView{Err: err, FileName: name})
}

func (s *Server) calendarImportUpload(w http.ResponseWriter, r *http.Request) {
	name, data, err := readWorkbookUpload(w, r)
	if err != nil {
		s.calendarImportFail(w, r, name, err)
		return
	}
	s.calendarPreview(w, r, name, data, nil, "", nil)
}

// calendarImportRecheck runs the dry run again on the carried workbook with
// the column mapping the user chose.
func (s *Server) calendarImportRecheck(w http.ResponseWriter, r *http.Request) {
	name, data, err := carriedWorkbook(r)
	if err != nil {
		s.calendarImportFail(w, r, name, err)
		return
	}
	m, mapping, err := formMapping(r, xlsx.CalendarFields())
	if err != nil {
		s.calendarImportFail(w, r, name, err)
		return
	}
	s.calendarPreview(w, r, name, data, m, mapping, nil)
}

// calendarRowErrors words the problems of a dry run in the user's language.
func (s *Server) calendarRowErrors(r *http.Request, sheet *xlsx.CalendarSheet) []xlsx.RowError {
	p := s.printer(r)
	out := make([]xlsx.RowError, len(sheet.Problems))
	for i, pr := range sheet.Problems {
		out[i] = xlsx.RowError{Row: pr.Row, Column: pr.Column, Message: p.Error(pr.Err)}
	}
	return out
}

// calendarPreview runs the dry run and shows every row and every problem;
// a clean file can then be committed. commitErr is a failure of a commit
// to show above the preview.
func (s *Server) calendarPreview(w http.ResponseWriter, r *http.Request, name string, data []byte, m xlsx.Mapping, mapping string, commitErr error) {
	u := requestInfo(r.Context()).user
	sheet, err := s.readCalendar(r, data, m)
	var he *xlsx.CalendarHeaderError
	if errors.As(err, &he) && len(he.Columns) > 0 {
		// No header was recognised: the user maps the columns.
		s.render(w, r, http.StatusUnprocessableEntity, "calendar_import", s.printer(r).T("calendar.import_preview"),
			calendarImportView{Err: err, FileName: name, Data: base64.RawURLEncoding.EncodeToString(data), Preview: true,
				Header: he, Fields: xlsx.CalendarFields(), Mapping: mapping})
		return
	}
	if err != nil {
		s.calendarImportFail(w, r, name, err)
		return
	}
	existing, err := s.store.ListCalendarDays(r.Context(), u.ZoneID, 0)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	byDate := map[string]*xinlu.CalendarDay{}
	for _, d := range existing {
		byDate[d.Date] = d
	}
	v := calendarImportView{Err: commitErr, FileName: name, Data: base64.RawURLEncoding.EncodeToString(data),
		Problems: s.calendarRowErrors(r, sheet), Preview: true, NotImported: sheet.NotImported,
		Columns: sheet.Columns, Fields: xlsx.CalendarFields(), Mapping: mapping, Remembered: m == nil && sheet.Mapping != nil}
	msgs := map[int][]string{}
	for _, e := range v.Problems {
		msgs[e.Row] = append(msgs[e.Row], e.Column+"："+e.Message)
	}
	for _, row := range sheet.Rows {
		pr := calendarPreviewRow{CalendarRow: row, Messages: msgs[row.Row]}
		if row.Day.Date != "" {
			pr.Weekday = calendarWeekday(row.Day.Date)
		}
		if row.OK {
			switch old := byDate[row.Day.Date]; {
			case old == nil:
				pr.Change = "new"
				v.New++
			case old.Kind == row.Day.Kind && old.Name == row.Day.Name:
				pr.Change = "same"
				v.Same++
			default:
				pr.Change = "update"
				v.Updated++
			}
		}
		v.Rows = append(v.Rows, pr)
	}
	status := http.StatusOK
	if len(v.Problems) > 0 {
		status = http.StatusUnprocessableEntity
	} else if commitErr != nil {
		status = statusOf(commitErr)
	}
	s.render(w, r, status, "calendar_import", s.printer(r).T("calendar.import_preview"), v)
}

func (s *Server) calendarImportCommit(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	name, data, err := carriedWorkbook(r)
	if err != nil {
		s.calendarImportFail(w, r, name, err)
		return
	}
	m, mapping, err := formMapping(r, xlsx.CalendarFields())
	if err != nil {
		s.calendarImportFail(w, r, name, err)
		return
	}
	// Everything is checked again: the dry run's verdict is not taken on trust.
	sheet, err := s.readCalendar(r, data, m)
	if err != nil {
		s.calendarPreview(w, r, name, data, m, mapping, nil)
		return
	}
	if len(sheet.Problems) > 0 {
		s.calendarPreview(w, r, name, data, m, mapping, nil)
		return
	}
	a := xinlu.ActorOf(info.user, info.ip)
	_, err = s.store.ImportCalendarDays(r.Context(), a, info.user.ZoneID, sheet.Days())
	if err != nil {
		var ie *store.CalendarImportError
		if errors.As(err, &ie) || isFormError(err) {
			s.calendarPreview(w, r, name, data, m, mapping, err)
			return
		}
		s.renderError(w, r, err)
		return
	}
	if m != nil {
		// The mapping the user chose is remembered for the next file of
		// the same layout.
		headers := make([]string, len(sheet.Columns))
		for i, c := range sheet.Columns {
			headers[i] = c.Header
		}
		if err := s.store.RememberImportMapping(r.Context(), a, info.user.ZoneID, calendarKind, sheet.Layout, headers, m); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	s.flash(w, "flash.imported")
	redirect(w, r, calendarYearURL(sheet.Rows[0].Day.Date))
}

// calendarImportErrors gives the user's own workbook back with a 错误原因
// column beside each bad row.
func (s *Server) calendarImportErrors(w http.ResponseWriter, r *http.Request) {
	name, data, err := carriedWorkbook(r)
	if err != nil {
		s.calendarImportFail(w, r, name, err)
		return
	}
	m, _, err := formMapping(r, xlsx.CalendarFields())
	if err != nil {
		s.calendarImportFail(w, r, name, err)
		return
	}
	sheet, err := s.readCalendar(r, data, m)
	if err != nil {
		s.calendarImportFail(w, r, name, err)
		return
	}
	var buf bytes.Buffer
	if err := xlsx.MarkErrors(bytes.NewReader(data), sheet.Sheet, sheet.HeaderRow, s.calendarRowErrors(r, sheet), &buf); err != nil {
		s.renderError(w, r, xinlu.Internal(err))
		return
	}
	base := strings.TrimSuffix(name, path.Ext(name))
	if base == "" {
		base = s.printer(r).T("calendar.template_file")
	}
	calendarDownload(w, "calendar-errors.xlsx", base+"-"+s.printer(r).T("calendar.errors_file")+".xlsx")
	w.Write(buf.Bytes())
}
