package store

import (
	"context"
	"time"

	"xinlu/internal/xinlu"
)

// ProposeMissedMilestones proposes, once per project and milestone, a
// deduction for the sponsor of every signed project whose promised
// construction start (or production start) has passed without it: the
// penalty proposal for a missed milestone owned by the member. today is the
// zone's date. It answers how many proposals it made.
func (s *Store) ProposeMissedMilestones(ctx context.Context, today time.Time) (int, error) {
	day := today.Format(xinlu.DateLayout)
	zones, err := s.Zones(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, z := range zones {
		rows, err := s.query(ctx, `SELECT id, sponsor_id, CASE WHEN stage = 'agency' THEN 'start' ELSE 'produce' END,
			CASE WHEN stage = 'agency' THEN promised_start ELSE promised_produce END
			FROM projects WHERE zone_id = ? AND status = 'active' AND sponsor_id IS NOT NULL AND (
			(stage = 'agency' AND promised_start <> '' AND promised_start < ?) OR
			(stage = 'construction' AND promised_produce <> '' AND promised_produce < ?))`, z.ID, day, day)
		if err != nil {
			return n, xinlu.Internal(err)
		}
		type missed struct {
			project, sponsor int64
			milestone, due   string
		}
		list, err := collect(rows, func(sc scanner) (missed, error) {
			var m missed
			return m, sc.Scan(&m.project, &m.sponsor, &m.milestone, &m.due)
		})
		if err != nil {
			return n, err
		}
		if len(list) == 0 {
			continue
		}
		a := xinlu.SystemActor(z.ID)
		err = s.inTx(ctx, func(tx *Tx) error {
			st, err := tx.appraisalSettings(ctx, z.ID)
			if err != nil {
				return err
			}
			for _, m := range list {
				created, err := tx.proposeIncentive(ctx, a, z.ID, xinlu.MilestonePenalty(m.project, m.sponsor, m.milestone, m.due, st.MissedPoints))
				if err != nil {
					return err
				}
				if created {
					n++
				}
			}
			return nil
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
