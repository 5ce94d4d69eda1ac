package store

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"xinlu/internal/xinlu"
)

// The ledger's filters as a query string, both ways: ParseProjectFilter
// reads (and refuses what it does not know the meaning of), Encode writes
// the one canonical form. A saved view stores only what Encode wrote.

// ParseProjectFilter reads the ledger filters of a query string: stage,
// status, industry, park_id, sponsor_id, light, six_new, q, signed
// (1 signed, 0 not yet), signed_from and signed_to (YYYY-MM-DD). A value
// that is not one of its field's choices is invalid, naming the field.
// ZoneID and Page are left for the caller; other parameters are ignored.
func ParseProjectFilter(v url.Values) (ProjectFilter, error) {
	return parseProjectFilter(v, true)
}

// ReadProjectFilter reads the same filters as ParseProjectFilter, by the
// same rules, for the pages: a value that is not one of its field's
// choices reads as "all" (a stale bookmark still opens the ledger), and
// the signing dates are left as typed for ListProjects to refuse, naming
// the field, so that the page says why.
func ReadProjectFilter(v url.Values) ProjectFilter {
	f, _ := parseProjectFilter(v, false)
	return f
}

func parseProjectFilter(v url.Values, strict bool) (ProjectFilter, error) {
	f := ProjectFilter{Query: strings.TrimSpace(v.Get("q")), SixNew: v.Get("six_new"), Stage: xinlu.Stage(v.Get("stage")),
		Status: xinlu.ProjectStatus(v.Get("status")), Industry: v.Get("industry"), Light: xinlu.Light(v.Get("light")),
		Signed: v.Get("signed"), SignedFrom: strings.TrimSpace(v.Get("signed_from")), SignedTo: strings.TrimSpace(v.Get("signed_to"))}
	var errs []error
	// refuse answers a value the field does not know: an error when
	// strict, the field cleared otherwise.
	refuse := func(field, key string, clear func()) {
		errs = append(errs, xinlu.Invalid(field, key))
		clear()
	}
	if f.Stage != "" && !slices.Contains(xinlu.Stages, f.Stage) {
		refuse("stage", "error.invalid_choice", func() { f.Stage = "" })
	}
	switch f.Status {
	case "", xinlu.ProjectActive, xinlu.ProjectOnHold, xinlu.ProjectLost:
	default:
		refuse("status", "error.invalid_choice", func() { f.Status = "" })
	}
	if f.Industry != "" && !xinlu.ValidIndustry(f.Industry) {
		refuse("industry", "error.invalid_choice", func() { f.Industry = "" })
	}
	switch f.Light {
	case "", xinlu.LightGreen, xinlu.LightYellow, xinlu.LightRed:
	default:
		refuse("light", "error.invalid_choice", func() { f.Light = "" })
	}
	if f.SixNew != "" && !slices.Contains(xinlu.SixNewTags, f.SixNew) {
		refuse("six_new", "error.invalid_choice", func() { f.SixNew = "" })
	}
	if r := v.Get("reached"); r != "" {
		y, err := strconv.Atoi(strings.TrimSpace(v.Get("reached_year")))
		switch {
		case !slices.Contains(ReachedMilestones, r):
			refuse("reached", "error.invalid_choice", func() {})
		case err != nil || y < xinlu.MinTargetYear || y > xinlu.MaxTargetYear:
			refuse("reached_year", "error.number", func() {})
		default:
			f.Reached, f.ReachedYear = r, y
		}
	}
	for _, id := range []struct {
		name string
		dst  *int64
	}{{"park_id", &f.ParkID}, {"sponsor_id", &f.SponsorID}} {
		s := strings.TrimSpace(v.Get(id.name))
		if s == "" {
			continue
		}
		if n, err := strconv.ParseInt(s, 10, 64); err != nil || n < 0 {
			refuse(id.name, "error.number", func() { *id.dst = 0 })
		} else {
			*id.dst = n
		}
	}
	if !strict {
		switch f.Signed {
		case "", "1", "0":
		default:
			f.Signed = ""
		}
		return f, nil
	}
	if len(errs) > 0 {
		return f, errs[0]
	}
	var err error
	if f.Signed, f.SignedFrom, f.SignedTo, err = checkSigned(f.Signed, f.SignedFrom, f.SignedTo); err != nil {
		return f, err
	}
	return f, nil
}

// checkSigned validates the signing filters and returns them in canonical
// form: signed is "", "1" or "0"; the dates are YYYY-MM-DD, from not after
// to; a range with signed=0 (projects without a signing date) is refused.
func checkSigned(signed, from, to string) (string, string, string, error) {
	switch signed {
	case "", "1", "0":
	default:
		return signed, from, to, xinlu.Invalid("signed", "error.invalid_choice")
	}
	dates := []*string{&from, &to}
	for i, field := range []string{"signed_from", "signed_to"} {
		d := dates[i]
		if *d == "" {
			continue
		}
		t, err := xinlu.ParseDate(*d)
		if err != nil {
			return signed, from, to, xinlu.Invalid(field, "error.date_format")
		}
		*d = t.Format(xinlu.DateLayout)
	}
	if from != "" && to != "" && from > to {
		return signed, from, to, xinlu.Invalid("signed_to", "views.signed_range")
	}
	if signed == "0" && (from != "" || to != "") {
		return signed, from, to, xinlu.Invalid("signed", "views.signed_conflict")
	}
	return signed, from, to, nil
}

// Encode writes the filter as the canonical query string: only the filters
// set, keys in order (ZoneID and Page are not part of it).
func (f ProjectFilter) Encode() string {
	v := url.Values{}
	for k, s := range map[string]string{"stage": string(f.Stage), "status": string(f.Status), "industry": f.Industry,
		"light": string(f.Light), "six_new": f.SixNew, "q": strings.TrimSpace(f.Query), "signed": f.Signed,
		"signed_from": f.SignedFrom, "signed_to": f.SignedTo} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if f.ParkID != 0 {
		v.Set("park_id", strconv.FormatInt(f.ParkID, 10))
	}
	if f.SponsorID != 0 {
		v.Set("sponsor_id", strconv.FormatInt(f.SponsorID, 10))
	}
	if f.Reached != "" {
		v.Set("reached", f.Reached)
		v.Set("reached_year", strconv.Itoa(f.ReachedYear))
	}
	return v.Encode()
}

// SavedViewProjects is the kind of the project ledger's saved views.
const SavedViewProjects = "projects"

// Limits of saved views.
const (
	MaxSavedViews       = 30  // per user and kind
	MaxSavedViewName    = 40  // runes
	MaxSavedViewKeyword = 100 // runes of the keyword (q) a view may keep
)

// SavedView is a named filter set of a list page (保存的查询). Query is
// canonical (see ProjectFilter.Encode); a shared view (共享) is listed to
// everyone in the zone.
type SavedView struct {
	ID        int64
	ZoneID    int64
	UserID    int64
	OwnerName string // the owner's name, for shared views
	Kind      string
	Name      string
	Query     string
	Shared    bool
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

const savedViewColumns = `v.id, v.zone_id, v.user_id, COALESCE(u.name, ''), v.kind, v.name, v.query, v.shared, v.version, v.created_at, v.updated_at`

const savedViewFrom = ` FROM saved_views v LEFT JOIN users u ON u.id = v.user_id`

func scanSavedView(sc scanner) (*SavedView, error) {
	v := &SavedView{}
	err := sc.Scan(&v.ID, &v.ZoneID, &v.UserID, &v.OwnerName, &v.Kind, &v.Name, &v.Query, &v.Shared, &v.Version, &v.CreatedAt, &v.UpdatedAt)
	return v, err
}

func savedViewAudit(v *SavedView) map[string]any {
	return map[string]any{"kind": v.Kind, "name": v.Name, "query": v.Query, "shared": v.Shared}
}

// canonicalViewQuery parses a saved view's query string of a kind and
// re-encodes it, so that nothing but known filters with valid values is
// stored. A leading "?" is allowed.
func canonicalViewQuery(kind, raw string) (string, error) {
	if kind != SavedViewProjects {
		return "", xinlu.Invalid("kind", "error.invalid_choice")
	}
	values, err := url.ParseQuery(strings.TrimPrefix(strings.TrimSpace(raw), "?"))
	if err != nil {
		return "", xinlu.Invalid("query", "views.query_invalid")
	}
	f, err := ParseProjectFilter(values)
	if err != nil {
		return "", err
	}
	if len([]rune(f.Query)) > MaxSavedViewKeyword {
		return "", xinlu.Invalid("q", "error.too_long", MaxSavedViewKeyword)
	}
	return f.Encode(), nil
}

// SavedViews lists the views of a kind that user userID of zone zoneID
// sees: their own first, then the ones others of the zone share, each by
// name.
func (s *Store) SavedViews(ctx context.Context, zoneID, userID int64, kind string) ([]*SavedView, error) {
	rows, err := s.query(ctx, `SELECT `+savedViewColumns+savedViewFrom+`
		WHERE v.kind = ? AND (v.user_id = ? OR (v.zone_id = ? AND v.shared))
		ORDER BY CASE WHEN v.user_id = ? THEN 0 ELSE 1 END, v.name, v.id`, kind, userID, zoneID, userID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	return collect(rows, scanSavedView)
}

// CreateSavedView saves v (Kind, Name, Query, Shared) as u's view in u's
// zone. The query is re-encoded canonically; the name is trimmed, needed,
// at most MaxSavedViewName runes and unique among u's views of the kind;
// a user keeps at most MaxSavedViews views of a kind; only who may promote
// projects (the leadership group) may share a view with the zone.
func (s *Store) CreateSavedView(ctx context.Context, a xinlu.Actor, u *xinlu.User, v *SavedView) error {
	if v.Kind == "" {
		v.Kind = SavedViewProjects
	}
	name, err := xinlu.Name("name", v.Name)
	if err != nil {
		return err
	}
	v.Name = name
	switch {
	case v.Name == "":
		return xinlu.Invalid("name", "error.required")
	case len([]rune(v.Name)) > MaxSavedViewName:
		return xinlu.Invalid("name", "error.too_long", MaxSavedViewName)
	}
	query, err := canonicalViewQuery(v.Kind, v.Query)
	if err != nil {
		return err
	}
	if v.Shared && !u.Can(xinlu.PermProjectPromote) {
		return xinlu.Forbidden()
	}
	v.Query, v.ZoneID, v.UserID, v.OwnerName = query, u.ZoneID, u.ID, u.Name
	return s.inTx(ctx, func(tx *Tx) error {
		// One user's saves run one at a time, so that the cap holds.
		lock := `SELECT id FROM users WHERE id = ?`
		if s.dialect == Postgres {
			lock += ` FOR UPDATE`
		}
		var uid int64
		if err := tx.queryRow(ctx, lock, u.ID).Scan(&uid); err != nil {
			return s.translate(err)
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM saved_views WHERE user_id = ? AND kind = ?`, u.ID, v.Kind).Scan(&n); err != nil {
			return xinlu.Internal(err)
		}
		if n >= MaxSavedViews {
			return &xinlu.Error{Code: xinlu.ECONFLICT, Field: "name", Key: "views.too_many", Args: []any{MaxSavedViews}}
		}
		now := s.Now()
		id, err := tx.insert(ctx, `INSERT INTO saved_views (zone_id, user_id, kind, name, query, shared, version, created_at, updated_at)
			VALUES (?,?,?,?,?,?,1,?,?)`, v.ZoneID, v.UserID, v.Kind, v.Name, v.Query, v.Shared, now, now)
		if err != nil {
			if xinlu.ErrorCode(err) == xinlu.ECONFLICT {
				return xinlu.Conflict("name", "views.name_taken")
			}
			return err
		}
		v.ID, v.Version, v.CreatedAt, v.UpdatedAt = id, 1, now, now
		return tx.audit(ctx, a, "saved_view.create", "saved_view", id, nil, savedViewAudit(v))
	})
}

// DeleteSavedView removes a view of the actor's (a.UserID). A view the
// user cannot see is not found; a view another user shares with the zone
// is forbidden. version 0 skips the version check; a stale one is a
// conflict.
func (s *Store) DeleteSavedView(ctx context.Context, a xinlu.Actor, zoneID, id int64, version int) error {
	return s.inTx(ctx, func(tx *Tx) error {
		v, err := scanSavedView(tx.queryRow(ctx, `SELECT `+savedViewColumns+savedViewFrom+` WHERE v.id = ?`, id))
		if err != nil {
			return s.translate(err)
		}
		if v.UserID != a.UserID || a.UserID == 0 {
			if v.Shared && v.ZoneID == zoneID {
				return xinlu.Forbidden()
			}
			return xinlu.NotFound("error.not_found")
		}
		if version != 0 && v.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		res, err := tx.exec(ctx, `DELETE FROM saved_views WHERE id = ? AND version = ?`, id, v.Version)
		if err != nil {
			return s.translate(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return xinlu.Conflict("version", "error.stale")
		}
		return tx.audit(ctx, a, "saved_view.delete", "saved_view", id, savedViewAudit(v), nil)
	})
}
