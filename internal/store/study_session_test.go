package store_test

import (
	"context"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func TestStudySessions(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seedStudy(t, s)
		s.SetClock(func() time.Time { return time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC) })
		c := f.openCampaign(t, "2026-12-11")
		dept := f.depts["招商一局"]
		members, err := s.SessionMembers(ctx, c, dept)
		if err != nil || len(members) != 3 {
			t.Fatalf("members of the department: %d %v", len(members), err)
		}
		in := &xinlu.StudySession{DepartmentID: dept, HeldOn: "2026-12-09", Place: "三楼会议室", ChairID: f.users["head1"].MemberID,
			Minutes: "围绕解放思想谈体会。", SpeakerIDs: []int64{f.users["lixm"].MemberID},
			Attendance: []xinlu.Attendance{{MemberID: f.users["lixm"].MemberID, Status: xinlu.AttendPresent},
				{MemberID: f.users["head1"].MemberID, Status: xinlu.AttendPresent},
				{MemberID: f.users["wangf"].MemberID, Status: xinlu.AttendLeave, Reason: "出差"}}}

		// Rights: a member no; the head of another department no; the head of this one yes.
		for who, want := range map[string]xinlu.Code{"lixm": xinlu.EFORBIDDEN, "head2": xinlu.EFORBIDDEN} {
			if _, err := s.SaveStudySession(ctx, f.actor(who), f.users[who], c.ID, in, 0); xinlu.ErrorCode(err) != want {
				t.Errorf("%s records: %v", who, err)
			}
		}
		bad := *in
		bad.Place, bad.SpeakerIDs = "", []int64{f.users["wangf"].MemberID}
		if _, err := s.SaveStudySession(ctx, f.actor("head1"), f.users["head1"], c.ID, &bad, 0); len(xinlu.ErrorsOf(err)) != 2 {
			t.Fatalf("bad session: %v", err)
		}
		ss, err := s.SaveStudySession(ctx, f.actor("head1"), f.users["head1"], c.ID, in, 0)
		if err != nil || ss.Version != 1 || ss.Count(xinlu.AttendPresent) != 2 || ss.Count(xinlu.AttendLeave) != 1 ||
			ss.DepartmentName != "招商一局" || ss.ChairName != "成员head1" {
			t.Fatalf("record: %+v %v", ss, err)
		}
		// An unchanged save writes nothing; a change bumps the version; a stale one is refused.
		again, err := s.SaveStudySession(ctx, f.actor("head1"), f.users["head1"], c.ID, ss, ss.Version)
		if err != nil || again.Version != 1 {
			t.Fatalf("unchanged: %+v %v", again, err)
		}
		ch := *ss
		ch.Attendance = append([]xinlu.Attendance(nil), ss.Attendance...)
		for i := range ch.Attendance {
			if ch.Attendance[i].MemberID == f.users["wangf"].MemberID {
				ch.Attendance[i] = xinlu.Attendance{MemberID: f.users["wangf"].MemberID, Status: xinlu.AttendAbsent}
			}
		}
		changed, err := s.SaveStudySession(ctx, f.actor("office"), f.users["office"], c.ID, &ch, 1)
		if err != nil || changed.Version != 2 || changed.Count(xinlu.AttendAbsent) != 1 {
			t.Fatalf("change: %+v %v", changed, err)
		}
		if _, err := s.SaveStudySession(ctx, f.actor("office"), f.users["office"], c.ID, &ch, 1); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("stale: %v", err)
		}
		// A second session of the department; the list, by date.
		second := *in
		second.HeldOn = "2026-12-08"
		if _, err := s.SaveStudySession(ctx, f.actor("head1"), f.users["head1"], c.ID, &second, 0); err != nil {
			t.Fatal(err)
		}
		_, list, err := s.StudySessions(ctx, f.users["lixm"], c.ID)
		if err != nil || len(list) != 2 || list[0].HeldOn != "2026-12-08" || len(list[1].Attendance) != 3 {
			t.Fatalf("list: %d %v", len(list), err)
		}
		if _, _, err := s.StudySessions(ctx, f.users["zhao"], c.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("a member not asked lists sessions: %v", err)
		}
		for action, want := range map[string]int{"study.session.create": 2, "study.session.update": 1} {
			rows, _, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: f.zone.ID, Action: action, Page: xinlu.Page{Page: 1, PerPage: 10}})
			if err != nil || len(rows) != want {
				t.Errorf("%s: %d rows (%v)", action, len(rows), err)
			}
		}
		// A session recorded by mistake is deleted: the member may not, the head may.
		if err := s.DeleteStudySession(ctx, f.actor("lixm"), f.users["lixm"], list[0].ID); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("a member deletes: %v", err)
		}
		if err := s.DeleteStudySession(ctx, f.actor("head1"), f.users["head1"], list[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.StudySession(ctx, f.users["head1"], list[0].ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("deleted session: %v", err)
		}
		if rows, _, _ := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: f.zone.ID, Action: "study.session.delete", Page: xinlu.Page{Page: 1, PerPage: 10}}); len(rows) != 1 {
			t.Errorf("%d delete audit rows", len(rows))
		}
		// Archived: no more records.
		for _, act := range []xinlu.CampaignAction{xinlu.CampaignCloseAction, xinlu.CampaignArchiveAction} {
			if c, err = s.CampaignAction(ctx, f.actor("office"), f.users["office"], c.ID, c.Version, act); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.SaveStudySession(ctx, f.actor("office"), f.users["office"], c.ID, in, 0); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("archived: %v", err)
		}
	})
}
