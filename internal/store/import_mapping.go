package store

import (
	"context"
	"encoding/json"
	"strings"

	"xinlu/internal/xinlu"
)

// ImportMappings returns a zone's remembered column mappings of an
// importer kind ("ledger", "calendar"), by layout key: normalised header →
// field (or "-" for a column not imported).
func (s *Store) ImportMappings(ctx context.Context, zoneID int64, kind string) (map[string]map[string]string, error) {
	rows, err := s.query(ctx, `SELECT layout, mapping FROM import_mappings WHERE zone_id = ? AND kind = ?`, zoneID, kind)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	out := map[string]map[string]string{}
	for rows.Next() {
		var layout, mapping string
		if err := rows.Scan(&layout, &mapping); err != nil {
			return nil, xinlu.Internal(err)
		}
		m := map[string]string{}
		if json.Unmarshal([]byte(mapping), &m) == nil {
			out[layout] = m
		}
	}
	return out, s.translate(rows.Err())
}

// RememberImportMapping keeps the column mapping a user chose for a layout
// of an importer kind in the zone, replacing any earlier one; headers is
// the header row as the file wrote it, for people reading the table.
func (s *Store) RememberImportMapping(ctx context.Context, a xinlu.Actor, zoneID int64, kind, layout string, headers []string, mapping map[string]string) error {
	if kind == "" || layout == "" || len(mapping) == 0 {
		return nil
	}
	b, err := json.Marshal(mapping)
	if err != nil {
		return xinlu.Internal(err)
	}
	return s.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO import_mappings (zone_id, kind, layout, headers, mapping, updated_by, updated_at) VALUES (?,?,?,?,?,?,?)
			ON CONFLICT (zone_id, kind, layout) DO UPDATE SET headers = excluded.headers, mapping = excluded.mapping,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			zoneID, kind, layout, strings.Join(headers, "\t"), string(b), a.UserID, s.Now()); err != nil {
			return s.translate(err)
		}
		return tx.audit(ctx, a, "import.mapping", kind, 0, nil, map[string]any{"layout": layout, "mapping": mapping})
	})
}
