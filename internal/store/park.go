package store

import (
	"context"
	"slices"
	"strings"

	"xinlu/internal/xinlu"
)

// A park's industries are kept as one comma-separated TEXT column of codes,
// in the order of xinlu.Industries ("equipment,materials").

func joinIndustries(codes []string) string { return strings.Join(codes, ",") }

func splitIndustries(s string) []string {
	var out []string
	for _, c := range strings.Split(s, ",") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

const parkColumns = `p.id, p.zone_id, p.name, p.area_mu, p.industries, p.description, p.version, p.created_at, p.updated_at`

func scanPark(sc interface{ Scan(...any) error }) (*xinlu.Park, error) {
	p := &xinlu.Park{}
	var industries string
	err := sc.Scan(&p.ID, &p.ZoneID, &p.Name, &p.AreaMu, &industries, &p.Description, &p.Version, &p.CreatedAt, &p.UpdatedAt)
	p.Industries = splitIndustries(industries)
	return p, err
}

// ParkFilter selects parks for a list.
type ParkFilter struct {
	ZoneID   int64
	Query    string // name
	Industry string // parks positioned on this industry code
	xinlu.Page
}

// ListParks returns one page of a zone's parks and the total.
func (s *Store) ListParks(ctx context.Context, f ParkFilter) ([]*xinlu.Park, int, error) {
	where, args := []string{"p.zone_id = ?"}, []any{f.ZoneID}
	if q := strings.TrimSpace(f.Query); q != "" {
		where, args = append(where, "p.name "+s.likeOp()+" ? ESCAPE '\\'"), append(args, likePattern(q))
	}
	if code := strings.TrimSpace(f.Industry); code != "" {
		where = append(where, "(',' || p.industries || ',') LIKE ? ESCAPE '\\'")
		args = append(args, "%,"+escapeLike(code)+",%")
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM parks p`+cond, args...).Scan(&total); err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	pg := f.Page.Normalize()
	rows, err := s.query(ctx, `SELECT `+parkColumns+` FROM parks p`+cond+` ORDER BY p.name, p.id`+s.pageSQL(pg),
		append(args, s.pageArgs(pg)...)...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	out, err := collect(rows, scanPark)
	return out, total, err
}

// ParkByID returns a park of the zone; other zones' parks are not found.
func (s *Store) ParkByID(ctx context.Context, zoneID, id int64) (*xinlu.Park, error) {
	p, err := scanPark(s.queryRow(ctx, `SELECT `+parkColumns+` FROM parks p WHERE p.id = ? AND p.zone_id = ?`, id, zoneID))
	return p, s.translate(err)
}

func (tx *Tx) parkForUpdate(ctx context.Context, zoneID, id int64) (*xinlu.Park, error) {
	p, err := scanPark(tx.queryRow(ctx, `SELECT `+parkColumns+` FROM parks p WHERE p.id = ? AND p.zone_id = ?`, id, zoneID))
	return p, tx.s.translate(err)
}

func parkAudit(p *xinlu.Park) map[string]any {
	return map[string]any{"name": p.Name, "area_mu": p.AreaMu, "industries": p.Industries, "description": p.Description}
}

// parkNameTaken turns a unique violation into a clash on the name field.
func parkNameTaken(err error) error {
	if xinlu.ErrorCode(err) == xinlu.ECONFLICT {
		return xinlu.Conflict("name", "park.name_taken")
	}
	return err
}

// CreatePark inserts p.
func (s *Store) CreatePark(ctx context.Context, a xinlu.Actor, p *xinlu.Park) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		now := s.Now()
		id, err := tx.insert(ctx, `INSERT INTO parks (zone_id, name, area_mu, industries, description, version, created_at, updated_at)
			VALUES (?,?,?,?,?,1,?,?)`, p.ZoneID, p.Name, p.AreaMu, joinIndustries(p.Industries), p.Description, now, now)
		if err != nil {
			return parkNameTaken(err)
		}
		p.ID, p.Version, p.CreatedAt, p.UpdatedAt = id, 1, now, now
		tx.landChanged(p.ZoneID, landZone, 0)
		return tx.audit(ctx, a, "park.create", "park", id, nil, parkAudit(p))
	})
}

// UpdatePark saves p if p.Version is current.
func (s *Store) UpdatePark(ctx context.Context, a xinlu.Actor, p *xinlu.Park) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := tx.parkForUpdate(ctx, p.ZoneID, p.ID)
		if err != nil {
			return err
		}
		if old.Version != p.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		if old.Name == p.Name && old.AreaMu == p.AreaMu && slices.Equal(old.Industries, p.Industries) && old.Description == p.Description {
			// Saved unchanged: no version, no audit row.
			*p = *old
			return nil
		}
		now := s.Now()
		_, err = tx.exec(ctx, `UPDATE parks SET name = ?, area_mu = ?, industries = ?, description = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND zone_id = ?`, p.Name, p.AreaMu, joinIndustries(p.Industries), p.Description, now, p.ID, p.ZoneID)
		if err != nil {
			return parkNameTaken(s.translate(err))
		}
		p.Version, p.UpdatedAt, p.CreatedAt = old.Version+1, now, old.CreatedAt
		tx.landChanged(p.ZoneID, landZone, 0)
		return tx.audit(ctx, a, "park.update", "park", p.ID, parkAudit(old), parkAudit(p))
	})
}

// DeletePark removes a park of the zone. version 0 skips the version check;
// a park that other records point at is refused as in use.
func (s *Store) DeletePark(ctx context.Context, a xinlu.Actor, zoneID, id int64, version int) error {
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := tx.parkForUpdate(ctx, zoneID, id)
		if err != nil {
			return err
		}
		if version != 0 && old.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		if _, err := tx.exec(ctx, `DELETE FROM parks WHERE id = ? AND zone_id = ?`, id, zoneID); err != nil {
			return s.translate(err)
		}
		tx.landChanged(zoneID, landZone, 0)
		return tx.audit(ctx, a, "park.delete", "park", id, parkAudit(old), nil)
	})
}
