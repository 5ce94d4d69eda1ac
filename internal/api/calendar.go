package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"xinlu/internal/xinlu"
)

func (a *API) calendarRoutes() []Route {
	return []Route{
		{"GET", "/calendar/days", xinlu.PermCalendarView, a.handle(a.listCalendarDays)},
		{"POST", "/calendar/days", xinlu.PermCalendarManage, a.handle(a.createCalendarDay)},
		{"GET", "/calendar/days/{id}", xinlu.PermCalendarView, a.handle(a.getCalendarDay)},
		{"PUT", "/calendar/days/{id}", xinlu.PermCalendarManage, a.handle(a.updateCalendarDay)},
		{"DELETE", "/calendar/days/{id}", xinlu.PermCalendarManage, a.deleter(a.store.DeleteCalendarDay)},
		{"GET", "/calendar/add-workdays", xinlu.PermCalendarView, a.handle(a.addWorkdays)},
		{"GET", "/calendar/workdays-between", xinlu.PermCalendarView, a.handle(a.workdaysBetween)},
	}
}

// Limits that keep the working-day walks short.
const (
	maxAddWorkdays  = 10000 // about 40 years of working days
	maxWorkdaysSpan = 36600 // about 100 years of calendar days
)

// calendarLocation is where "the current year" is reckoned.
var calendarLocation = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// CalendarDayJSON is a calendar entry as the API shows it.
type CalendarDayJSON struct {
	ID        int64     `json:"id"`
	ZoneID    int64     `json:"zone_id"`
	Date      string    `json:"date"`
	Kind      string    `json:"kind"`
	Name      string    `json:"name"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func calendarDayJSON(d *xinlu.CalendarDay) CalendarDayJSON {
	return CalendarDayJSON{ID: d.ID, ZoneID: d.ZoneID, Date: d.Date, Kind: string(d.Kind), Name: d.Name,
		Version: d.Version, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
}

// calendarDayInput is the body of create and update.
type calendarDayInput struct {
	Date    string `json:"date"`
	Kind    string `json:"kind"`
	Name    string `json:"name"`
	Version *int   `json:"version"`
}

func (a *API) listCalendarDays(w http.ResponseWriter, r *http.Request) error {
	year := a.store.Now().In(calendarLocation).Year()
	if v := strings.TrimSpace(r.URL.Query().Get("year")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1900 || n > 2200 {
			return xinlu.Invalid("year", "error.out_of_range", 1900, 2200)
		}
		year = n
	}
	days, err := a.store.ListCalendarDays(r.Context(), user(r).ZoneID, year)
	if err != nil {
		return err
	}
	out := make([]CalendarDayJSON, len(days))
	for i, d := range days {
		out[i] = calendarDayJSON(d)
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

func (a *API) getCalendarDay(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := a.store.CalendarDayByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, calendarDayJSON(d))
	return nil
}

func (a *API) createCalendarDay(w http.ResponseWriter, r *http.Request) error {
	var in calendarDayInput
	if err := decode(r, &in); err != nil {
		return err
	}
	d := &xinlu.CalendarDay{ZoneID: user(r).ZoneID, Date: in.Date, Kind: xinlu.DayKind(in.Kind), Name: in.Name}
	if err := a.store.CreateCalendarDay(r.Context(), actor(r), d); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, calendarDayJSON(d))
	return nil
}

func (a *API) updateCalendarDay(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	old, err := a.store.CalendarDayByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	in := calendarDayInput{Date: old.Date, Kind: string(old.Kind), Name: old.Name}
	if err := decodeOver(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	d := &xinlu.CalendarDay{ID: id, ZoneID: user(r).ZoneID, Date: in.Date, Kind: xinlu.DayKind(in.Kind), Name: in.Name, Version: v}
	if err := a.store.UpdateCalendarDay(r.Context(), actor(r), d); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, calendarDayJSON(d))
	return nil
}

// calendarQueryDate reads a required YYYY-MM-DD query parameter.
func calendarQueryDate(r *http.Request, name string) (time.Time, error) {
	v := strings.TrimSpace(r.URL.Query().Get(name))
	if v == "" {
		return time.Time{}, xinlu.Invalid(name, "error.required")
	}
	t, err := xinlu.ParseDate(v)
	if err != nil {
		return time.Time{}, xinlu.Invalid(name, "error.date_format")
	}
	return t, nil
}

func (a *API) addWorkdays(w http.ResponseWriter, r *http.Request) error {
	from, err := calendarQueryDate(r, "from")
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(strings.TrimSpace(r.URL.Query().Get("n")))
	if err != nil || n < -maxAddWorkdays || n > maxAddWorkdays {
		return xinlu.Invalid("n", "calendar.n_invalid", -maxAddWorkdays, maxAddWorkdays)
	}
	cal, err := a.store.Calendar(r.Context(), user(r).ZoneID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"date": cal.AddWorkdays(from, n).Format(xinlu.DateLayout)})
	return nil
}

func (a *API) workdaysBetween(w http.ResponseWriter, r *http.Request) error {
	from, err := calendarQueryDate(r, "from")
	if err != nil {
		return err
	}
	to, err := calendarQueryDate(r, "to")
	if err != nil {
		return err
	}
	if span := to.Sub(from).Hours() / 24; span > maxWorkdaysSpan || span < -maxWorkdaysSpan {
		return xinlu.Invalid("to", "calendar.range_too_long", maxWorkdaysSpan)
	}
	cal, err := a.store.Calendar(r.Context(), user(r).ZoneID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"workdays": cal.WorkdaysBetween(from, to)})
	return nil
}
