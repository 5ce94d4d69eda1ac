package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"
	"sync"

	"xinlu/internal/xinlu"
)

// What matching reads of a zone (parks, standards, utilities with their
// build-outs, the parcels on offer) is kept in memory per zone and renewed
// by what changed since, not read again whole: a write that changes any of
// it notes the change in its transaction (Tx.landChanged), under the
// zone's next land version (tables land_versions and land_changes). On
// each match a server reads the notes above the version it holds, in one
// query, and reads again only the parcels and utilities they name (the
// thresholds are a handful of rows; a park's change, an import or a gap
// in the notes reads the zone again). Notes by another server sharing the
// database count the same, so every server sees every write.

// Kinds of land change.
const (
	landParcel   = "parcel"   // one parcel, by id
	landUtility  = "utility"  // one utility with its build-outs and running totals, by id
	landStandard = "standard" // the standard-land thresholds
	landZone     = "zone"     // anything else: read the zone again
)

type landRef struct {
	zoneID int64
	kind   string
	id     int64
}

// landRefsMax is how many changed parcels and utilities a transaction notes
// one by one, and a match reads again one by one; more are one landZone.
const landRefsMax = 200

// landKeepVersions is how many versions of notes a zone keeps: a server
// that has not matched in the zone for longer reads it again.
const landKeepVersions = 1000

// landChanged notes that what matching reads of a zone changed: a parcel
// or a utility (by id), the thresholds, or the zone as a whole (id 0).
// The notes are written when the transaction commits (flushLand).
func (tx *Tx) landChanged(zoneID int64, kind string, id int64) {
	if tx.land == nil {
		tx.land = map[landRef]struct{}{}
	}
	tx.land[landRef{zoneID, kind, id}] = struct{}{}
}

// flushLand writes the transaction's land notes, last before it commits:
// per zone, the next version (taking the zone's version row, so that
// versions commit in order) and one row per change.
func (tx *Tx) flushLand(ctx context.Context) error {
	if len(tx.land) == 0 {
		return nil
	}
	byZone := map[int64][]landRef{}
	for r := range tx.land {
		byZone[r.zoneID] = append(byZone[r.zoneID], r)
	}
	zones := make([]int64, 0, len(byZone))
	for z := range byZone {
		zones = append(zones, z)
	}
	slices.Sort(zones)
	for _, z := range zones {
		refs := byZone[z]
		if len(refs) > landRefsMax || slices.ContainsFunc(refs, func(r landRef) bool { return r.kind == landZone }) {
			refs = []landRef{{z, landZone, 0}}
		}
		slices.SortFunc(refs, func(a, b landRef) int {
			return cmp.Or(strings.Compare(a.kind, b.kind), cmp.Compare(a.id, b.id))
		})
		var version int64
		if err := tx.queryRow(ctx, `INSERT INTO land_versions (zone_id, version) VALUES (?, 1)
			ON CONFLICT (zone_id) DO UPDATE SET version = land_versions.version + 1 RETURNING version`, z).Scan(&version); err != nil {
			return tx.s.translate(err)
		}
		args := make([]any, 0, 4*len(refs))
		for _, r := range refs {
			args = append(args, z, version, r.kind, r.id)
		}
		if _, err := tx.exec(ctx, `INSERT INTO land_changes (zone_id, version, kind, ref_id) VALUES `+
			strings.TrimSuffix(strings.Repeat("(?,?,?,?),", len(refs)), ","), args...); err != nil {
			return tx.s.translate(err)
		}
		if version%(landKeepVersions/2) == 0 {
			if _, err := tx.exec(ctx, `DELETE FROM land_changes WHERE zone_id = ? AND version <= ?`, z, version-landKeepVersions); err != nil {
				return tx.s.translate(err)
			}
		}
	}
	tx.land = nil
	return nil
}

// landCache keeps what matching reads of each zone. Entries are shared
// read-only: a renewal builds a new entry, copying only what changed.
type landCache struct {
	mu      sync.Mutex
	entries map[int64]landEntry
}

type landEntry struct {
	parks   []xinlu.MatchPark
	version int64 // the zone's land version the parks are as of
}

func (c *landCache) get(zoneID int64) (landEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[zoneID]
	return e, ok
}

// put keeps e unless a newer entry of the zone is kept already.
func (c *landCache) put(zoneID int64, e landEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries[zoneID]; ok && old.version > e.version {
		return
	}
	if c.entries == nil || len(c.entries) >= countCacheLimit {
		c.entries = map[int64]landEntry{}
	}
	c.entries[zoneID] = e
}

// matchParks returns what matching needs of every park of a zone: the kept
// entry renewed by the changes noted since, or read whole.
func (s *Store) matchParks(ctx context.Context, zoneID int64) ([]xinlu.MatchPark, error) {
	// Kept: one indexed read of the notes since, on SQLite as well (the
	// CLI writes from another process).
	if e, ok := s.land.get(zoneID); ok {
		fresh, err := s.renewLand(ctx, zoneID, e)
		if err != nil {
			return nil, err
		}
		if fresh != nil {
			if fresh.version != e.version {
				s.land.put(zoneID, *fresh)
			}
			return fresh.parks, nil
		}
	}
	// The version first: whatever commits while the zone is read is noted
	// above it and read again at the next match.
	var version int64
	if err := s.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM land_versions WHERE zone_id = ?`, zoneID).Scan(&version); err != nil {
		return nil, xinlu.Internal(err)
	}
	parks, err := s.loadMatchParks(ctx, zoneID)
	if err != nil {
		return nil, err
	}
	s.land.put(zoneID, landEntry{parks: parks, version: version})
	return parks, nil
}

// renewLand brings e up to the zone's latest land version by the notes
// above its own; nil when the zone is to be read whole (a park changed,
// too many changes, notes dropped).
func (s *Store) renewLand(ctx context.Context, zoneID int64, e landEntry) (*landEntry, error) {
	rows, err := s.query(ctx, `SELECT version, kind, ref_id FROM land_changes WHERE zone_id = ? AND version > ? ORDER BY version`, zoneID, e.version)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	last := e.version
	var parcels, utilities []int64
	standard, whole := false, false
	for rows.Next() {
		var v, id int64
		var kind string
		if err := rows.Scan(&v, &kind, &id); err != nil {
			return nil, xinlu.Internal(err)
		}
		if v > last+1 {
			whole = true // notes dropped in between
		}
		last = v
		switch kind {
		case landParcel:
			parcels = append(parcels, id)
		case landUtility:
			utilities = append(utilities, id)
		case landStandard:
			standard = true
		default:
			whole = true
		}
		if whole || len(parcels)+len(utilities) > landRefsMax {
			return nil, nil
		}
	}
	if err := rows.Err(); err != nil {
		return nil, xinlu.Internal(err)
	}
	if last == e.version {
		return &landEntry{parks: e.parks, version: last}, nil
	}
	parks := slices.Clone(e.parks)
	at := make(map[int64]int, len(parks))
	for i := range parks {
		at[parks[i].Park.ID] = i
	}
	if standard {
		if err := s.matchStandards(ctx, zoneID, parks, at); err != nil {
			return nil, err
		}
	}
	if len(utilities) > 0 {
		us, err := s.matchUtilities(ctx, zoneID, utilities)
		if err != nil {
			return nil, err
		}
		touched := map[int]bool{}
		for i := range parks {
			if slices.ContainsFunc(parks[i].Utilities, func(u xinlu.Utility) bool { return slices.Contains(utilities, u.ID) }) {
				touched[i] = true
			}
		}
		for _, u := range us {
			i, ok := at[u.ParkID]
			if !ok {
				return nil, nil
			}
			touched[i] = true
		}
		for i := range touched {
			kept := make([]xinlu.Utility, 0, len(parks[i].Utilities)+1)
			for _, u := range parks[i].Utilities {
				if !slices.Contains(utilities, u.ID) {
					kept = append(kept, u)
				}
			}
			for _, u := range us {
				if u.ParkID == parks[i].Park.ID {
					kept = append(kept, u)
				}
			}
			slices.SortFunc(kept, func(a, b xinlu.Utility) int { return cmp.Compare(a.ID, b.ID) })
			parks[i].Utilities = kept
		}
	}
	if len(parcels) > 0 {
		pcs, err := s.matchParcels(ctx, zoneID, parcels)
		if err != nil {
			return nil, err
		}
		touched := map[int]bool{}
		for i := range parks {
			if slices.ContainsFunc(parks[i].Parcels, func(c *xinlu.Parcel) bool { return slices.Contains(parcels, c.ID) }) {
				touched[i] = true
			}
		}
		for _, c := range pcs {
			i, ok := at[c.ParkID]
			if !ok {
				return nil, nil
			}
			touched[i] = true
		}
		for i := range touched {
			kept := make([]*xinlu.Parcel, 0, len(parks[i].Parcels)+1)
			for _, c := range parks[i].Parcels {
				if !slices.Contains(parcels, c.ID) {
					kept = append(kept, c)
				}
			}
			for _, c := range pcs {
				if c.ParkID == parks[i].Park.ID {
					c.ParkName = parks[i].Park.Name
					kept = append(kept, c)
				}
			}
			parks[i].Parcels = kept
		}
	}
	return &landEntry{parks: parks, version: last}, nil
}

// loadMatchParks reads what matching needs of every park of a zone: four reads.
func (s *Store) loadMatchParks(ctx context.Context, zoneID int64) ([]xinlu.MatchPark, error) {
	rows, err := s.query(ctx, `SELECT `+parkColumns+` FROM parks p WHERE p.zone_id = ? ORDER BY p.name, p.id`, zoneID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	parks, err := collect(rows, scanPark)
	if err != nil {
		return nil, err
	}
	out := make([]xinlu.MatchPark, len(parks))
	at := make(map[int64]int, len(parks))
	for i, pk := range parks {
		out[i].Park = pk
		at[pk.ID] = i
	}
	if err := s.matchStandards(ctx, zoneID, out, at); err != nil {
		return nil, err
	}
	us, err := s.matchUtilities(ctx, zoneID, nil)
	if err != nil {
		return nil, err
	}
	for _, u := range us {
		if i, ok := at[u.ParkID]; ok {
			out[i].Utilities = append(out[i].Utilities, u)
		}
	}
	pcs, err := s.matchParcels(ctx, zoneID, nil)
	if err != nil {
		return nil, err
	}
	// One slice per park, cut from one array: a park's parcels are
	// counted first.
	n := make([]int, len(out))
	for _, c := range pcs {
		if i, ok := at[c.ParkID]; ok {
			n[i]++
		}
	}
	all := make([]*xinlu.Parcel, 0, len(pcs))
	for i := range out {
		out[i].Parcels = all[len(all) : len(all) : len(all)+n[i]]
		all = all[:len(all)+n[i]]
	}
	for _, c := range pcs {
		if i, ok := at[c.ParkID]; ok {
			c.ParkName = out[i].Park.Name
			out[i].Parcels = append(out[i].Parcels, c)
		}
	}
	return out, nil
}

// matchStandards sets each park's thresholds: its own, else the zone's.
func (s *Store) matchStandards(ctx context.Context, zoneID int64, parks []xinlu.MatchPark, at map[int64]int) error {
	rows, err := s.query(ctx, `SELECT park_id, invest_per_mu_yuan, tax_per_mu_yuan, far_min, far_max, energy_per_output
		FROM land_standards WHERE zone_id = ?`, zoneID)
	if err != nil {
		return xinlu.Internal(err)
	}
	sts, err := collect(rows, scanStandard)
	if err != nil {
		return err
	}
	var zoneStd xinlu.LandStandard
	own := map[int64]bool{}
	for _, st := range sts {
		if st.parkID == 0 {
			zoneStd = st.st
		} else if i, ok := at[st.parkID]; ok {
			parks[i].Standard, own[st.parkID] = st.st, true
		}
	}
	for i := range parks {
		if !own[parks[i].Park.ID] {
			parks[i].Standard = zoneStd
		}
	}
	return nil
}

// inIDs is " AND <col> IN (?,?,…)" for ids, with its arguments after
// the zone's; "" for nil (every row of the zone).
func inIDs(col string, zoneID int64, ids []int64) (string, []any) {
	args := make([]any, 0, 1+len(ids))
	args = append(args, zoneID)
	if ids == nil {
		return "", args
	}
	for _, id := range ids {
		args = append(args, id)
	}
	return ` AND ` + col + ` IN (` + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + `)`, args
}

// matchParcels reads a zone's parcels on offer, all of them (ids nil) or
// those of ids (the others of ids are not on offer, or gone), with only the
// columns matching needs.
func (s *Store) matchParcels(ctx context.Context, zoneID int64, ids []int64) ([]*xinlu.Parcel, error) {
	cond, args := inIDs("c.id", zoneID, ids)
	rows, err := s.query(ctx, `SELECT c.id, c.park_id, c.code, c.area_mu, c.land_use, c.status, COALESCE(c.project_id, 0), c.far_min, c.far_max
		FROM parcels c WHERE c.zone_id = ? AND c.status IN ('planned', 'serviced', 'listed')`+cond, args...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	// The parcels of one read share one array.
	var out []*xinlu.Parcel
	var block []xinlu.Parcel
	var use, status sql.RawBytes // the few known values are not copied
	for rows.Next() {
		if len(block) == cap(block) {
			block = make([]xinlu.Parcel, 0, max(16, min(1024, 2*cap(block))))
		}
		block = append(block, xinlu.Parcel{ZoneID: zoneID})
		c := &block[len(block)-1]
		if err := rows.Scan(&c.ID, &c.ParkID, &c.Code, &c.AreaMu, &use, &status, &c.ProjectID, &c.FARMin, &c.FARMax); err != nil {
			return nil, xinlu.Internal(err)
		}
		c.LandUse, c.Status = landUse(use), xinlu.ParcelStatus(known(status, parcelStatuses))
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, xinlu.Internal(err)
	}
	return out, nil
}

var parcelStatuses = func() []string {
	out := make([]string, len(xinlu.ParcelStatuses))
	for i, st := range xinlu.ParcelStatuses {
		out[i] = string(st)
	}
	return out
}()

func landUse(b []byte) string { return known(b, xinlu.LandUses) }

// known is b as one of the strings of set, shared, or a copy of it.
func known(b []byte, set []string) string {
	for _, v := range set {
		if string(b) == v {
			return v
		}
	}
	return string(b)
}

// matchUtilities reads a zone's utilities (ids nil: all; else those of
// ids that still exist) and their build-outs, with only the columns
// capacity arithmetic needs, by id.
func (s *Store) matchUtilities(ctx context.Context, zoneID int64, ids []int64) ([]xinlu.Utility, error) {
	cond, args := inIDs("id", zoneID, ids)
	rows, err := s.query(ctx, `SELECT id, park_id, kind, supplier, base_capacity, warn_ratio, committed, reserved FROM utilities
		WHERE zone_id = ?`+cond+` ORDER BY id`, args...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	us, err := collect(rows, func(sc scanner) (xinlu.Utility, error) {
		u := xinlu.Utility{ZoneID: zoneID}
		var kind string
		err := sc.Scan(&u.ID, &u.ParkID, &kind, &u.Supplier, &u.BaseCapacity, &u.WarnRatio, &u.Committed, &u.Reserved)
		u.Kind = xinlu.UtilityKind(kind)
		return u, err
	})
	if err != nil {
		return nil, err
	}
	cond, args = inIDs("utility_id", zoneID, ids)
	rows, err = s.query(ctx, `SELECT utility_id, name, added, planned_on, actual_on, status FROM buildouts
		WHERE zone_id = ?`+cond+` ORDER BY planned_on, id`, args...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	bs, err := collect(rows, func(sc scanner) (xinlu.Buildout, error) {
		var b xinlu.Buildout
		var status string
		err := sc.Scan(&b.UtilityID, &b.Name, &b.Added, &b.PlannedOn, &b.ActualOn, &status)
		b.Status = xinlu.BuildoutStatus(status)
		return b, err
	})
	if err != nil {
		return nil, err
	}
	return attachBuildouts(us, bs), nil
}
