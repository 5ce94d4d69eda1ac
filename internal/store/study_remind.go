package store

import (
	"context"
	"fmt"
	"time"

	"xinlu/internal/xinlu"
)

// NotifyStudy is the kind of a study campaign's reminder.
const NotifyStudy = "study"

// SubjectCampaign is a notification about a study campaign; its link is the
// member's reflection of the campaign.
const SubjectCampaign = "study_campaign"

// StudyRemindDays is how many working days before a campaign closes its
// members without a submitted reflection are reminded.
const StudyRemindDays = 2

// StudyReminders tells the members of every open campaign who have not
// submitted their reflection: once when the campaign closes within
// StudyRemindDays working days of today (by the zone's calendar), and once
// when it has closed. Each user is told each once (a dedupe key per
// campaign and kind); it returns how many notifications were new.
func (s *Store) StudyReminders(ctx context.Context, today time.Time) (int, error) {
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	rows, err := s.query(ctx, `SELECT `+campaignColumns+` FROM study_campaigns c WHERE c.status = ? ORDER BY c.zone_id, c.id`, string(xinlu.CampaignOpen))
	if err != nil {
		return 0, xinlu.Internal(err)
	}
	open, err := collect(rows, scanCampaign)
	if err == nil {
		err = withTeamMembers(ctx, s.query, open...)
	}
	if err != nil {
		return 0, err
	}
	told := 0
	for _, c := range open {
		closes, err := time.Parse(xinlu.DateLayout, c.ClosesOn)
		if err != nil {
			continue
		}
		cal, err := s.zoneCalendar(ctx, c.ZoneID)
		if err != nil {
			return told, err
		}
		kind, key := "", ""
		switch left := cal.WorkdaysBetween(day, closes); {
		case day.After(closes):
			kind, key = "overdue", "study.remind_overdue"
		case left <= StudyRemindDays:
			kind, key = "due", "study.remind_due"
		default:
			continue
		}
		audience, err := s.studyAudience(ctx, c)
		if err != nil {
			return told, err
		}
		submitted := map[int64]bool{}
		rows, err := s.query(ctx, `SELECT member_id, status FROM study_reflections WHERE campaign_id = ?`, c.ID)
		if err != nil {
			return told, xinlu.Internal(err)
		}
		for rows.Next() {
			var m int64
			var st string
			if err := rows.Scan(&m, &st); err != nil {
				rows.Close()
				return told, xinlu.Internal(err)
			}
			submitted[m] = st != string(xinlu.ReflectionDraft) && st != string(xinlu.ReflectionReturned)
		}
		rows.Close()
		accounts, err := s.memberAccounts(ctx, c.ZoneID)
		if err != nil {
			return told, err
		}
		var notes []*Notification
		for _, m := range audience {
			if submitted[m.MemberID] {
				continue
			}
			for _, uid := range accounts[m.MemberID] {
				notes = append(notes, &Notification{ZoneID: c.ZoneID, UserID: uid, Kind: NotifyStudy, SubjectType: SubjectCampaign,
					SubjectID: c.ID, MessageKey: key, Args: []string{c.Title, c.ClosesOn},
					DedupeKey: fmt.Sprintf("study:%d:%s", c.ID, kind)})
			}
		}
		err = s.inTx(ctx, func(tx *Tx) error {
			created, err := tx.insertNotifications(ctx, notes)
			for _, c := range created {
				if c {
					told++
				}
			}
			return err
		})
		if err != nil {
			return told, err
		}
	}
	return told, nil
}

// memberAccounts are the enabled accounts of zone's members, by member, in
// one query.
func (s *Store) memberAccounts(ctx context.Context, zone int64) (map[int64][]int64, error) {
	rows, err := s.query(ctx, `SELECT member_id, id FROM users WHERE zone_id = ? AND member_id IS NOT NULL AND disabled = ?`, zone, false)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	out := map[int64][]int64{}
	for rows.Next() {
		var member, id int64
		if err := rows.Scan(&member, &id); err != nil {
			return nil, xinlu.Internal(err)
		}
		out[member] = append(out[member], id)
	}
	if err := rows.Err(); err != nil {
		return nil, xinlu.Internal(err)
	}
	return out, nil
}
