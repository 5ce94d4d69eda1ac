package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func TestCalendarDays(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, a := seedZone(t, s, "Z1")
		other, oa := seedZone(t, s, "Z2")

		mon := &xinlu.CalendarDay{ZoneID: z.ID, Date: "2026-02-16", Kind: xinlu.DayHoliday, Name: "春节"}
		if err := s.CreateCalendarDay(ctx, a, mon); err != nil {
			t.Fatal(err)
		}
		sat := &xinlu.CalendarDay{ZoneID: z.ID, Date: "2026-02-14", Kind: xinlu.DayWorkday, Name: "春节调休"}
		if err := s.CreateCalendarDay(ctx, a, sat); err != nil {
			t.Fatal(err)
		}
		if mon.ID == 0 || mon.Version != 1 {
			t.Fatalf("created %+v", mon)
		}

		t.Run("a second entry on the same date is a conflict on the date field", func(t *testing.T) {
			err := s.CreateCalendarDay(ctx, a, &xinlu.CalendarDay{ZoneID: z.ID, Date: "2026-02-16", Kind: xinlu.DayHoliday, Name: "重复"})
			if e := xinlu.AsError(err); e.Code != xinlu.ECONFLICT || e.Field != "date" || e.Key != "calendar.date_taken" {
				t.Fatalf("got %v", err)
			}
			// Moving another entry onto the date is refused the same way.
			moved := *sat
			moved.Date, moved.Kind = "2026-02-16", xinlu.DayHoliday
			if e := xinlu.AsError(s.UpdateCalendarDay(ctx, a, &moved)); e.Code != xinlu.ECONFLICT || e.Field != "date" {
				t.Fatalf("got %v", e)
			}
		})
		t.Run("invalid entries are refused before the database", func(t *testing.T) {
			err := s.CreateCalendarDay(ctx, a, &xinlu.CalendarDay{ZoneID: z.ID, Date: "2026-02-17", Kind: xinlu.DayWorkday, Name: "x"})
			if e := xinlu.AsError(err); e.Code != xinlu.EINVALID || e.Key != "calendar.workday_not_weekend" {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("the same date in another zone is fine and zones do not see each other", func(t *testing.T) {
			if err := s.CreateCalendarDay(ctx, oa, &xinlu.CalendarDay{ZoneID: other.ID, Date: "2026-02-16", Kind: xinlu.DayHoliday, Name: "春节"}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.CalendarDayByID(ctx, other.ID, mon.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("got %v", err)
			}
			stolen := *mon
			stolen.ZoneID = other.ID
			if err := s.UpdateCalendarDay(ctx, oa, &stolen); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("got %v", err)
			}
			if err := s.DeleteCalendarDay(ctx, oa, other.ID, mon.ID, 0); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("stale version is a conflict and changes nothing", func(t *testing.T) {
			d, _ := s.CalendarDayByID(ctx, z.ID, mon.ID)
			d.Name = "春节假期"
			if err := s.UpdateCalendarDay(ctx, a, d); err != nil {
				t.Fatal(err)
			}
			stale := *d
			stale.Version, stale.Name = 1, "过期写入"
			if e := xinlu.AsError(s.UpdateCalendarDay(ctx, a, &stale)); e.Code != xinlu.ECONFLICT || e.Field != "version" {
				t.Fatalf("got %v", e)
			}
			if err := s.DeleteCalendarDay(ctx, a, z.ID, mon.ID, 1); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
				t.Fatalf("stale delete: %v", err)
			}
			got, _ := s.CalendarDayByID(ctx, z.ID, mon.ID)
			if got.Name != "春节假期" || got.Version != 2 {
				t.Fatalf("got %+v", got)
			}
		})
		t.Run("list by year in date order", func(t *testing.T) {
			if err := s.CreateCalendarDay(ctx, a, &xinlu.CalendarDay{ZoneID: z.ID, Date: "2025-10-01", Kind: xinlu.DayHoliday, Name: "国庆节"}); err != nil {
				t.Fatal(err)
			}
			days, err := s.ListCalendarDays(ctx, z.ID, 2026)
			if err != nil || len(days) != 2 || days[0].Date != "2026-02-14" || days[1].Date != "2026-02-16" || days[0].Kind != xinlu.DayWorkday {
				t.Fatalf("2026: %v %v", days, err)
			}
			all, _ := s.ListCalendarDays(ctx, z.ID, 0)
			if len(all) != 3 || all[0].Date != "2025-10-01" {
				t.Fatalf("all: %v", all)
			}
			years, err := s.CalendarYears(ctx, z.ID)
			if err != nil || len(years) != 2 || years[0] != 2025 || years[1] != 2026 {
				t.Fatalf("years %v %v", years, err)
			}
		})
		t.Run("the zone's calendar counts working days", func(t *testing.T) {
			cal, err := s.Calendar(ctx, z.ID)
			if err != nil {
				t.Fatal(err)
			}
			fri := time.Date(2026, 2, 13, 0, 0, 0, 0, time.UTC)
			if got := cal.AddWorkdays(fri, 2).Format(xinlu.DateLayout); got != "2026-02-17" { // Sat 14 worked, Mon 16 off
				t.Fatalf("AddWorkdays = %s", got)
			}
		})
		t.Run("delete", func(t *testing.T) {
			if err := s.DeleteCalendarDay(ctx, a, z.ID, sat.ID, sat.Version); err != nil {
				t.Fatal(err)
			}
			if _, err := s.CalendarDayByID(ctx, z.ID, sat.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("every write is audited and the chain holds", func(t *testing.T) {
			rows, total, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: z.ID, Entity: "calendar_day"})
			if err != nil || total != 5 { // 3 creates, 1 update, 1 delete
				t.Fatalf("got %d rows: %v", total, err)
			}
			if rows[0].Action != "calendar.delete" || rows[0].Before == "" || rows[0].After != "" {
				t.Fatalf("newest row %+v", rows[0])
			}
			if n, brk, err := s.VerifyAudit(ctx); err != nil || brk != nil || n == 0 {
				t.Fatalf("verify: %d %v %v", n, brk, err)
			}
		})
	})
}

func TestImportCalendarDays(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, a := seedZone(t, s, "Z1")
		existing := &xinlu.CalendarDay{ZoneID: z.ID, Date: "2026-02-16", Kind: xinlu.DayHoliday, Name: "春节（旧）"}
		if err := s.CreateCalendarDay(ctx, a, existing); err != nil {
			t.Fatal(err)
		}
		same := &xinlu.CalendarDay{ZoneID: z.ID, Date: "2026-02-17", Kind: xinlu.DayHoliday, Name: "春节"}
		if err := s.CreateCalendarDay(ctx, a, same); err != nil {
			t.Fatal(err)
		}
		audited := func() int {
			_, n, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: z.ID, Entity: "calendar_day"})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := audited()

		t.Run("a bad entry leaves nothing written", func(t *testing.T) {
			days := []xinlu.CalendarDay{
				{Date: "2026-02-15", Kind: xinlu.DayHoliday, Name: "春节"},
				{Date: "2026-02-16", Kind: xinlu.DayHoliday, Name: "春节"},
				{Date: "2026-02-18", Kind: xinlu.DayWorkday, Name: "调休"}, // a Wednesday
			}
			_, err := s.ImportCalendarDays(ctx, a, z.ID, days)
			var ie *store.CalendarImportError
			if !errors.As(err, &ie) || ie.Index != 2 || ie.Err.Field != "kind" || xinlu.ErrorCode(err) != xinlu.EINVALID {
				t.Fatalf("got %v", err)
			}
			list, _ := s.ListCalendarDays(ctx, z.ID, 0)
			if len(list) != 2 || list[0].Name != "春节（旧）" || audited() != before {
				t.Fatalf("something was written: %v", list)
			}
		})
		t.Run("a date twice in one import is refused", func(t *testing.T) {
			_, err := s.ImportCalendarDays(ctx, a, z.ID, []xinlu.CalendarDay{
				{Date: "2026-02-15", Kind: xinlu.DayHoliday, Name: "春节"},
				{Date: "2026-02-15", Kind: xinlu.DayHoliday, Name: "春节"},
			})
			var ie *store.CalendarImportError
			if !errors.As(err, &ie) || ie.Index != 1 || ie.Err.Field != "date" {
				t.Fatalf("got %v", err)
			}
			if list, _ := s.ListCalendarDays(ctx, z.ID, 0); len(list) != 2 {
				t.Fatalf("something was written: %v", list)
			}
		})
		t.Run("a good import inserts, updates by date and skips the unchanged", func(t *testing.T) {
			res, err := s.ImportCalendarDays(ctx, a, z.ID, []xinlu.CalendarDay{
				{Date: "2026-02-14", Kind: xinlu.DayWorkday, Name: "春节调休"},
				{Date: "2026-02-15", Kind: xinlu.DayHoliday, Name: "春节"},
				{Date: "2026-02-16", Kind: xinlu.DayHoliday, Name: "春节"},
				{Date: "2026-02-17", Kind: xinlu.DayHoliday, Name: "春节"},
			})
			if err != nil {
				t.Fatal(err)
			}
			if res != (store.CalendarImportResult{Created: 2, Updated: 1, Unchanged: 1}) {
				t.Fatalf("result %+v", res)
			}
			list, _ := s.ListCalendarDays(ctx, z.ID, 2026)
			if len(list) != 4 || list[2].Name != "春节" || list[2].ID != existing.ID || list[2].Version != 2 || list[3].Version != 1 {
				t.Fatalf("list %+v", list)
			}
			if n := audited(); n != before+3 {
				t.Fatalf("audit rows %d, want %d", n, before+3)
			}
			rows, _, _ := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: z.ID, Action: "calendar.import"})
			if len(rows) != 3 {
				t.Fatalf("import audit rows %d", len(rows))
			}
		})
	})
}
