package store

import (
	"context"
	"slices"
	"strings"

	"xinlu/internal/xinlu"
)

// RecordRef points at one record: an entity (as the audit log names it) and an id.
type RecordRef struct {
	Entity string
	ID     int64
}

// recordNameSQL names the records of each entity, inside one zone, for the
// pages that refer to records (the audit log, a lead's project): people
// read names, not numbers. Entities missing here keep their number.
var recordNameSQL = map[string]string{
	"lead":             `SELECT id, company || ' · ' || project_name FROM leads WHERE zone_id = ? AND id IN `,
	"project":          `SELECT id, name FROM projects WHERE zone_id = ? AND id IN `,
	"member":           `SELECT id, name FROM members WHERE zone_id = ? AND id IN `,
	"department":       `SELECT id, name FROM departments WHERE zone_id = ? AND id IN `,
	"position":         `SELECT id, name FROM positions WHERE zone_id = ? AND id IN `,
	"park":             `SELECT id, name FROM parks WHERE zone_id = ? AND id IN `,
	"team":             `SELECT id, name FROM teams WHERE zone_id = ? AND id IN `,
	"user":             `SELECT id, name FROM users WHERE zone_id = ? AND id IN `,
	"appraisal_period": `SELECT id, label FROM appraisal_periods WHERE zone_id = ? AND id IN `,
	"appraisal_scheme": `SELECT id, name FROM appraisal_schemes WHERE zone_id = ? AND id IN `,
	"tolerance_claim":  `SELECT c.id, m.name FROM tolerance_claims c JOIN members m ON m.id = c.member_id WHERE c.zone_id = ? AND c.id IN `,
	"contract":         `SELECT c.id, m.name FROM contracts c JOIN members m ON m.id = c.member_id WHERE c.zone_id = ? AND c.id IN `,
	"study_campaign":   `SELECT id, title FROM study_campaigns WHERE zone_id = ? AND id IN `,
	"study_reflection": `SELECT r.id, m.name || ' · ' || c.title FROM study_reflections r JOIN members m ON m.id = r.member_id JOIN study_campaigns c ON c.id = r.campaign_id WHERE r.zone_id = ? AND r.id IN `,
	"study_session":    `SELECT ss.id, d.name || ' · ' || ss.held_on FROM study_sessions ss JOIN departments d ON d.id = ss.department_id WHERE ss.zone_id = ? AND ss.id IN `,
	"approval_item":    `SELECT a.id, p.name || ' · ' || a.name FROM approval_items a JOIN projects p ON p.id = a.project_id WHERE p.zone_id = ? AND a.id IN `,
}

// recordNameChunk is how many ids one query asks for; a shorter list is
// padded with its last id so that each entity has one statement.
const recordNameChunk = 25

// RecordNames names the records refs point at, within zone zoneID. A
// record that is gone, of another zone or of an entity without a name is
// left out of the answer.
func (s *Store) RecordNames(ctx context.Context, zoneID int64, refs []RecordRef) (map[RecordRef]string, error) {
	byEntity := map[string][]int64{}
	for _, r := range refs {
		if _, ok := recordNameSQL[r.Entity]; ok && r.ID > 0 && !slices.Contains(byEntity[r.Entity], r.ID) {
			byEntity[r.Entity] = append(byEntity[r.Entity], r.ID)
		}
	}
	out := map[RecordRef]string{}
	in := "(" + strings.TrimSuffix(strings.Repeat("?,", recordNameChunk), ",") + ")"
	for entity, ids := range byEntity {
		for len(ids) > 0 {
			n := min(len(ids), recordNameChunk)
			args := []any{zoneID}
			for i := range recordNameChunk {
				args = append(args, ids[min(i, n-1)])
			}
			ids = ids[n:]
			rows, err := s.query(ctx, recordNameSQL[entity]+in, args...)
			if err != nil {
				return nil, xinlu.Internal(err)
			}
			for rows.Next() {
				var id int64
				var name string
				if err := rows.Scan(&id, &name); err != nil {
					rows.Close()
					return nil, xinlu.Internal(err)
				}
				out[RecordRef{entity, id}] = name
			}
			err = rows.Err()
			rows.Close()
			if err != nil {
				return nil, xinlu.Internal(err)
			}
		}
	}
	return out, nil
}
