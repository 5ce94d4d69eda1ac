package store

import (
	"context"
	"slices"
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
		// Most were proposed in earlier hours: leave those out here, in
		// one read, rather than one refused insert each (the insert still
		// refuses a key proposed since).
		proposed, err := s.proposedKeys(ctx, z.ID, xinlu.AutoMissed)
		if err != nil {
			return n, err
		}
		list = slices.DeleteFunc(list, func(m missed) bool { return proposed[xinlu.MilestoneKey(m.project, m.milestone, m.due)] })
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

// proposedKeys returns the dedupe keys of the zone's automatic proposals
// of one kind (the keys' prefix), from the index on (zone_id, auto).
func (s *Store) proposedKeys(ctx context.Context, zoneID int64, kind string) (map[string]bool, error) {
	rows, err := s.query(ctx, `SELECT auto FROM incentives WHERE zone_id = ? AND auto <> '' AND auto >= ? AND auto < ?`,
		zoneID, kind+":", kind+";")
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	keys, err := collect(rows, func(sc scanner) (string, error) {
		var k string
		return k, sc.Scan(&k)
	})
	out := make(map[string]bool, len(keys))
	for _, k := range keys {
		out[k] = true
	}
	return out, err
}
