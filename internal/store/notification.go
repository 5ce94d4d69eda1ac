package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"xinlu/internal/xinlu"
)

// Notifications tell a signed-in user something in the app: the hourly job
// escalates overdue items (see EscalateOverdue). Each notification is
// written once per user and dedupe key, so running a job twice tells
// nobody twice.

// Notification kinds and subject types.
const (
	NotifyOverdue = "overdue" // one overdue item
	NotifyDigest  = "digest"  // the day's new overdue items of one level, counted (每日待办汇总)

	SubjectLead     = "lead"
	SubjectProject  = "project"
	SubjectApproval = "approval" // SubjectID is the project's; the item is named in the message
)

// Notification is one message to one user.
type Notification struct {
	ID          int64
	ZoneID      int64
	UserID      int64
	Kind        string
	SubjectType string // lead | project; none for a digest
	SubjectID   int64
	Level       int      // escalation level (1 responsible, 2 sponsor, 3 director)
	MessageKey  string   // i18n key, formatted with Args
	Args        []string // message arguments
	CreatedAt   time.Time
	ReadAt      sql.NullTime
	DedupeKey   string
}

// Notify stores n unless its user already has a notification with the same
// dedupe key; it reports whether n was new.
func (s *Store) Notify(ctx context.Context, n *Notification) (bool, error) {
	var created bool
	err := s.inTx(ctx, func(tx *Tx) error {
		var err error
		created, err = tx.notify(ctx, n)
		return err
	})
	return created, err
}

func (tx *Tx) notify(ctx context.Context, n *Notification) (bool, error) {
	if n.UserID == 0 || n.DedupeKey == "" || n.MessageKey == "" {
		return false, xinlu.Internal(fmt.Errorf("notification needs a user, a dedupe key and a message"))
	}
	if n.Args == nil {
		n.Args = []string{}
	}
	args, err := json.Marshal(n.Args)
	if err != nil {
		return false, xinlu.Internal(err)
	}
	n.CreatedAt = tx.s.Now()
	err = tx.queryRow(ctx, `INSERT INTO notifications (zone_id, user_id, kind, subject_type, subject_id, level, message_key, args, created_at, dedupe_key)
		VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING id`,
		n.ZoneID, n.UserID, n.Kind, n.SubjectType, n.SubjectID, n.Level, n.MessageKey, string(args), n.CreatedAt, n.DedupeKey).Scan(&n.ID)
	if err == sql.ErrNoRows {
		return false, nil // told before
	}
	if err != nil {
		return false, tx.s.translate(err)
	}
	return true, nil
}

// NotificationFilter selects a user's notifications.
type NotificationFilter struct {
	UserID int64
	Unread bool // only unread ones
	xinlu.Page
}

// ListNotifications returns a user's notifications, newest first, and how
// many there are in all.
func (s *Store) ListNotifications(ctx context.Context, f NotificationFilter) ([]Notification, int, error) {
	cond := `user_id = ?`
	if f.Unread {
		cond += ` AND read_at IS NULL`
	}
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE `+cond, f.UserID).Scan(&total); err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	p := f.Page.Normalize()
	rows, err := s.query(ctx, `SELECT id, zone_id, user_id, kind, subject_type, subject_id, level, message_key, args, created_at, read_at, dedupe_key
		FROM notifications WHERE `+cond+` ORDER BY id DESC`+s.pageSQL(p), append([]any{f.UserID}, s.pageArgs(p)...)...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		var args string
		if err := rows.Scan(&n.ID, &n.ZoneID, &n.UserID, &n.Kind, &n.SubjectType, &n.SubjectID, &n.Level, &n.MessageKey, &args,
			&n.CreatedAt, &n.ReadAt, &n.DedupeKey); err != nil {
			return nil, 0, xinlu.Internal(err)
		}
		if err := json.Unmarshal([]byte(args), &n.Args); err != nil {
			n.Args = nil
		}
		out = append(out, n)
	}
	return out, total, s.translate(rows.Err())
}

// UnreadCount counts a user's unread notifications, for the bell: one
// COUNT over the partial index of unread rows.
func (s *Store) UnreadCount(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL`, userID).Scan(&n)
	return n, s.translate(err)
}

// MarkRead marks one of the user's notifications read; someone else's is
// not found. Marking a read one again changes nothing.
func (s *Store) MarkRead(ctx context.Context, userID, id int64) error {
	return s.inTx(ctx, func(tx *Tx) error {
		var readAt sql.NullTime
		if err := tx.queryRow(ctx, `SELECT read_at FROM notifications WHERE id = ? AND user_id = ?`, id, userID).Scan(&readAt); err != nil {
			return s.translate(err)
		}
		if readAt.Valid {
			return nil
		}
		_, err := tx.exec(ctx, `UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ?`, s.Now(), id, userID)
		return s.translate(err)
	})
}

// MarkAllRead marks every unread notification of the user read and returns
// how many there were.
func (s *Store) MarkAllRead(ctx context.Context, userID int64) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL`, s.Now(), userID)
		if err != nil {
			return s.translate(err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return int(n), err
}

// --- escalation of overdue items ---

// Who is told about a red item (xinlu.LightRules.Escalation with the
// zone's thresholds: level 2 after more than sponsor_after_days working
// days red, level 3 after more than director_after_days; 5 and 10 by
// default), each level adding to the ones before (a level reached while the
// job did not run still tells the lower levels' people once; a threshold
// lowered since the last run is applied on the next, and what was told at a
// level before a threshold was raised stays told):
//
//   - approval item (open: preparing, submitted, correction; of a project
//     not lost): level 1 its agent, or without one every user with the agent
//     role; level 2 the project's sponsor, or without one the leadership
//     group (sponsor role); level 3 every director.
//   - project (active, past stage_due): level 1 its sponsor, or without one
//     the leadership group; level 2 the sponsor likewise (a new, escalated
//     message); level 3 every director.
//   - lead (reported, screening, info_requested; past screening_due): level
//     1 every screener; level 2 the leadership group (a lead has no
//     sponsor); level 3 every director.
//
// People are users of the zone, not disabled, found through users.member_id
// for a member (agent, sponsor) and through user_roles for a role. Each
// item is told to each of its people once per due date and level, so that
// an item whose deadline moves and runs out again is escalated again; what
// was told is kept in overdue_told. A person named at several levels of one
// item in one run is told once, at the highest, and one told at a level is
// not told again at a lower one.
//
// The daily digest (每日待办汇总): a user who has more than DigestThreshold
// new items at one level on one day gets one notification of kind
// "digest" counting them ("您有 N 项逾期事项：线索甄别 a 项、…"), whose page
// lists them, instead of one notification each; with fewer, each item is
// its own notification as before. A digest is written once per user, level
// and day: once a user has the day's digest of a level, items new later
// that day wait for the next day's run.

// DigestThreshold is how many new overdue items of one level a user is told
// of one by one in a day; more make one digest.
const DigestThreshold = 20

// EscalationResult counts what one run did.
type EscalationResult struct {
	Items         int // red items looked at
	Notifications int // notifications written (new ones only), digests included
	Digests       int // of which daily digests
	Told          int // items told of, per user and level, one by one or in a digest
}

// overdueItem is one red item and the members responsible at each level.
type overdueItem struct {
	subjectType string // lead | project | approval (for the dedupe key)
	id          int64  // of the lead, project or approval item
	linkType    string // lead | project
	linkID      int64
	due         string
	messageKey  string
	args        []string
	agentID     int64 // approval items
	sponsorID   int64 // approvals and projects
}

// zoneRecipients resolves members and roles to users of one zone.
type zoneRecipients struct {
	byMember map[int64]int64
	byRole   map[xinlu.Role][]int64
}

func (s *Store) zoneRecipients(ctx context.Context, zoneID int64) (*zoneRecipients, error) {
	zr := &zoneRecipients{byMember: map[int64]int64{}, byRole: map[xinlu.Role][]int64{}}
	rows, err := s.query(ctx, `SELECT id, member_id FROM users WHERE zone_id = ? AND disabled = ? AND member_id IS NOT NULL`, zoneID, false)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	for rows.Next() {
		var uid, mid int64
		if err := rows.Scan(&uid, &mid); err != nil {
			rows.Close()
			return nil, xinlu.Internal(err)
		}
		zr.byMember[mid] = uid
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, xinlu.Internal(err)
	}
	rows, err = s.query(ctx, `SELECT u.id, r.role FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE u.zone_id = ? AND u.disabled = ? AND r.role IN (?, ?, ?, ?) ORDER BY u.id`,
		zoneID, false, string(xinlu.RoleScreener), string(xinlu.RoleSponsor), string(xinlu.RoleAgent), string(xinlu.RoleDirector))
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var uid int64
		var role string
		if err := rows.Scan(&uid, &role); err != nil {
			return nil, xinlu.Internal(err)
		}
		zr.byRole[xinlu.Role(role)] = append(zr.byRole[xinlu.Role(role)], uid)
	}
	return zr, s.translate(rows.Err())
}

// memberOr is the user of a member, or without one (or without an account)
// every user of the role.
func (zr *zoneRecipients) memberOr(memberID int64, role xinlu.Role) []int64 {
	if uid, ok := zr.byMember[memberID]; ok && memberID != 0 {
		return []int64{uid}
	}
	return zr.byRole[role]
}

// recipients lists the users told at one level about an item.
func (zr *zoneRecipients) recipients(it *overdueItem, level xinlu.Escalation) []int64 {
	if level == xinlu.EscalateDirector {
		return zr.byRole[xinlu.RoleDirector]
	}
	switch it.subjectType {
	case SubjectApproval:
		if level == xinlu.EscalateResponsible {
			return zr.memberOr(it.agentID, xinlu.RoleAgent)
		}
		return zr.memberOr(it.sponsorID, xinlu.RoleSponsor)
	case SubjectProject:
		return zr.memberOr(it.sponsorID, xinlu.RoleSponsor)
	case SubjectLead:
		if level == xinlu.EscalateResponsible {
			return zr.byRole[xinlu.RoleScreener]
		}
		return zr.byRole[xinlu.RoleSponsor]
	}
	return nil
}

// Batch sizes: notifications and told rows are written in multi-row
// INSERTs, in transactions of at most escalateBatch and toldBatch rows, so
// that a large backlog never holds the writer for long; red items are read
// overdueChunk at a time with what was told of them.
const (
	escalateBatch = 500  // item notifications per transaction
	toldBatch     = 5000 // told rows per transaction
	overdueChunk  = 500  // red items whose told rows are read in one query
)

// itemTypes numbers the item types for the compact itemRef.
var itemTypes = [...]string{SubjectLead, SubjectProject, SubjectApproval}

func itemTypeIndex(t string) uint8 {
	for i, v := range itemTypes {
		if v == t {
			return uint8(i)
		}
	}
	return 0
}

// itemRef is a red item in a user's new items: small, because on the first
// run over a large backlog every red item is new to every one of its people.
type itemRef struct {
	id  int64
	due uint32 // YYYYMMDD
	typ uint8  // index in itemTypes
}

func packDate(d string) uint32 {
	if len(d) != 10 {
		return 0
	}
	var n uint32
	for i := 0; i < len(d); i++ {
		if c := d[i]; c >= '0' && c <= '9' {
			n = n*10 + uint32(c-'0')
		}
	}
	return n
}

func (r itemRef) dueString() string {
	d := r.due
	b := []byte("0000-00-00")
	for _, i := range [...]int{9, 8, 6, 5, 3, 2, 1, 0} {
		b[i] = byte('0' + d%10)
		d /= 10
	}
	return string(b)
}

// escGroup is what is new for one user at one level in one run: the items,
// and their notifications while they are few enough to be sent one by one.
type escGroup struct {
	user   int64
	level  xinlu.Escalation
	refs   []itemRef
	notes  []*Notification // parallel to refs while len(refs) <= DigestThreshold
	counts [len(itemTypes)]int
}

func (g *escGroup) add(ref itemRef, note func() *Notification) {
	g.refs = append(g.refs, ref)
	g.counts[ref.typ]++
	switch {
	case len(g.refs) <= DigestThreshold:
		g.notes = append(g.notes, note())
	case g.notes != nil:
		g.notes = nil // a digest
	}
}

type groupKey struct {
	user  int64
	level xinlu.Escalation
}

type toldKey struct {
	user  int64
	level int
	id    int64
	due   string
}

// EscalateOverdue finds every red item of every zone on today (a date; its
// clock time is ignored) and tells the people of each escalation level it
// has reached, each once per item, due date and level: one notification an
// item, or one digest a user and level when the day brings more than
// DigestThreshold new ones. Each zone's red items are read as a stream, a
// chunk at a time with what was told of them; only the new ones are kept,
// compactly, until the zone's notifications are written in multi-row
// INSERTs and short transactions.
func (s *Store) EscalateOverdue(ctx context.Context, today time.Time) (EscalationResult, error) {
	var res EscalationResult
	zones, err := s.Zones(ctx)
	if err != nil {
		return res, err
	}
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	for _, z := range zones {
		if err := s.escalateZone(ctx, z.ID, day, &res); err != nil {
			return res, err
		}
	}
	return res, nil
}

func (s *Store) escalateZone(ctx context.Context, zoneID int64, day time.Time, res *EscalationResult) error {
	cal, err := s.zoneCalendar(ctx, zoneID)
	if err != nil {
		return err
	}
	rules, err := s.LightRules(ctx, zoneID) // once per zone and run
	if err != nil {
		return err
	}
	var zr *zoneRecipients
	type dueState struct {
		top  xinlu.Escalation
		late string
	}
	dues := map[string]dueState{} // rules.Escalation per due date, computed once
	groups := map[groupKey]*escGroup{}
	err = s.eachOverdueChunk(ctx, zoneID, day.Format(xinlu.DateLayout), func(items []overdueItem) error {
		if zr == nil { // read once the zone has a red item
			r, err := s.zoneRecipients(ctx, zoneID)
			if err != nil {
				return err
			}
			zr = r
		}
		told, err := s.toldOf(ctx, items)
		if err != nil {
			return err
		}
		for i := range items {
			it := &items[i]
			ds, ok := dues[it.due]
			if !ok {
				ds.top = rules.Escalation(cal, it.due, day)
				if ds.top != xinlu.EscalateNone {
					ds.late = strconv.Itoa(cal.WorkdaysBetween(mustDate(it.due), day))
				}
				dues[it.due] = ds
			}
			if ds.top == xinlu.EscalateNone {
				continue
			}
			res.Items++
			ref := itemRef{id: it.id, due: packDate(it.due), typ: itemTypeIndex(it.subjectType)}
			// A person named at several levels (a sponsor at 1 and 2, a
			// director who also sponsors) is told once, at the highest; one
			// told at a level is not told again at a lower one.
			highest := map[int64]xinlu.Escalation{}
			for level := xinlu.EscalateResponsible; level <= ds.top; level++ {
				for _, uid := range zr.recipients(it, level) {
					highest[uid] = level
				}
			}
			toldFrom := func(uid int64, level xinlu.Escalation) bool {
				for l := level; l <= xinlu.EscalateDirector; l++ {
					if told[toldKey{uid, int(l), it.id, it.due}] {
						return true
					}
				}
				return false
			}
			for level := xinlu.EscalateResponsible; level <= ds.top; level++ {
				uids := zr.recipients(it, level)
				for j, uid := range uids {
					if slices.Contains(uids[:j], uid) || highest[uid] != level || toldFrom(uid, level) {
						continue // a recipient named twice at a level is told once
					}
					k := groupKey{uid, level}
					g := groups[k]
					if g == nil {
						g = &escGroup{user: uid, level: level}
						groups[k] = g
					}
					g.add(ref, func() *Notification {
						return &Notification{ZoneID: zoneID, UserID: uid, Kind: NotifyOverdue, SubjectType: it.linkType,
							SubjectID: it.linkID, Level: int(level), MessageKey: it.messageKey,
							Args:      append(append([]string{}, it.args...), ds.late, it.due),
							DedupeKey: fmt.Sprintf("overdue:%s:%d:%s:level%d", it.subjectType, it.id, it.due, level)}
					})
				}
			}
		}
		return nil
	})
	if err != nil || len(groups) == 0 {
		return err
	}
	return s.writeEscalations(ctx, zoneID, day, groups, res)
}

// toldOf reads what was told of a chunk of items of one type, keyed by
// user, level, item and due date.
func (s *Store) toldOf(ctx context.Context, items []overdueItem) (map[toldKey]bool, error) {
	// The list is padded to a fixed length, so that one prepared statement serves every chunk.
	args := make([]any, 0, overdueChunk+1)
	args = append(args, items[0].subjectType)
	for i := range overdueChunk {
		args = append(args, items[min(i, len(items)-1)].id)
	}
	rows, err := s.query(ctx, `SELECT user_id, level, item_id, due FROM overdue_told WHERE item_type = ? AND item_id IN (`+
		strings.TrimSuffix(strings.Repeat("?,", overdueChunk), ",")+`)`, args...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	out := map[toldKey]bool{}
	for rows.Next() {
		var k toldKey
		if err := rows.Scan(&k.user, &k.level, &k.id, &k.due); err != nil {
			return nil, xinlu.Internal(err)
		}
		out[k] = true
	}
	return out, s.translate(rows.Err())
}

// writeEscalations writes a zone's new notifications: a digest for each
// user and level with more than DigestThreshold new items, the items' own
// notifications for the others, and what each told.
func (s *Store) writeEscalations(ctx context.Context, zoneID int64, day time.Time, groups map[groupKey]*escGroup, res *EscalationResult) error {
	keys := make([]groupKey, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b groupKey) int {
		if a.user != b.user {
			return cmp.Compare(a.user, b.user)
		}
		return cmp.Compare(a.level, b.level)
	})
	date := day.Format(xinlu.DateLayout)
	digested, err := s.digestsOn(ctx, zoneID, date)
	if err != nil {
		return err
	}
	var notes []*Notification
	var noteRefs []itemRef
	var digests []*escGroup
	for _, k := range keys {
		g := groups[k]
		if digested[k] {
			continue // told today in a digest: what is new since waits for tomorrow
		}
		if len(g.refs) > DigestThreshold {
			digests = append(digests, g)
			continue
		}
		notes = append(notes, g.notes...)
		noteRefs = append(noteRefs, g.refs...)
	}
	// Item notifications, with their told rows, a batch per transaction.
	for start := 0; start < len(notes); start += escalateBatch {
		end := min(start+escalateBatch, len(notes))
		err := s.inTx(ctx, func(tx *Tx) error {
			created, err := tx.insertNotifications(ctx, notes[start:end])
			if err != nil {
				return err
			}
			rows := make([][]any, 0, len(created))
			for i, n := range notes[start:end] {
				if created[i] {
					r := noteRefs[start+i]
					rows = append(rows, []any{n.ID, n.UserID, n.Level, itemTypes[r.typ], r.id, r.dueString()})
				}
			}
			if err := tx.insertTold(ctx, rows); err != nil {
				return err
			}
			res.Notifications += len(rows)
			res.Told += len(rows)
			return nil
		})
		if err != nil {
			return err
		}
	}
	// Digests: the notification and its first told rows in one transaction,
	// the rest in more, in the order of the digest's page and of the told
	// index, the cheapest to insert.
	for _, g := range digests {
		slices.SortFunc(g.refs, func(a, b itemRef) int {
			return cmp.Or(cmp.Compare(itemTypes[a.typ], itemTypes[b.typ]), cmp.Compare(a.id, b.id))
		})
		n := &Notification{ZoneID: zoneID, UserID: g.user, Kind: NotifyDigest, Level: int(g.level), MessageKey: "notifications.msg.digest",
			Args:      []string{strconv.Itoa(len(g.refs)), strconv.Itoa(g.counts[0]), strconv.Itoa(g.counts[1]), strconv.Itoa(g.counts[2]), date},
			DedupeKey: digestKey(date, g.level)}
		for start := 0; start < len(g.refs); start += toldBatch {
			end := min(start+toldBatch, len(g.refs))
			skip := false
			err := s.inTx(ctx, func(tx *Tx) error {
				if start == 0 {
					created, err := tx.notify(ctx, n)
					if err != nil || !created {
						skip = true // written meanwhile by another run
						return err
					}
					res.Notifications++
					res.Digests++
				}
				rows := make([][]any, 0, end-start)
				for _, r := range g.refs[start:end] {
					rows = append(rows, []any{n.ID, g.user, int(g.level), itemTypes[r.typ], r.id, r.dueString()})
				}
				res.Told += len(rows)
				return tx.insertTold(ctx, rows)
			})
			if err != nil {
				return err
			}
			if skip {
				break
			}
		}
	}
	return nil
}

func digestKey(date string, level xinlu.Escalation) string {
	return fmt.Sprintf("digest:%s:level%d", date, level)
}

// digestsOn says which users of a zone have their digest of a level on date.
func (s *Store) digestsOn(ctx context.Context, zoneID int64, date string) (map[groupKey]bool, error) {
	rows, err := s.query(ctx, `SELECT user_id, level FROM notifications
		WHERE kind = 'digest' AND dedupe_key IN (?, ?, ?) AND zone_id = ?`,
		digestKey(date, xinlu.EscalateResponsible), digestKey(date, xinlu.EscalateSponsor), digestKey(date, xinlu.EscalateDirector), zoneID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	out := map[groupKey]bool{}
	for rows.Next() {
		var k groupKey
		if err := rows.Scan(&k.user, &k.level); err != nil {
			return nil, xinlu.Internal(err)
		}
		out[k] = true
	}
	return out, s.translate(rows.Err())
}

// insertNotifications writes notifications in multi-row INSERTs, leaving
// out those whose user already has the dedupe key; it sets the new ones'
// IDs and says which were new.
func (tx *Tx) insertNotifications(ctx context.Context, ns []*Notification) ([]bool, error) {
	created := make([]bool, len(ns))
	if len(ns) == 0 {
		return created, nil
	}
	now := tx.s.Now()
	type key struct {
		user  int64
		dedup string
	}
	index := make(map[key]int, len(ns))
	rows := make([][]any, len(ns))
	for i, n := range ns {
		if n.Args == nil {
			n.Args = []string{}
		}
		args, err := json.Marshal(n.Args)
		if err != nil {
			return nil, xinlu.Internal(err)
		}
		n.CreatedAt = now
		index[key{n.UserID, n.DedupeKey}] = i
		rows[i] = []any{n.ZoneID, n.UserID, n.Kind, n.SubjectType, n.SubjectID, n.Level, n.MessageKey, string(args), n.CreatedAt, n.DedupeKey}
	}
	err := tx.insertMany(ctx, "notifications", []string{"zone_id", "user_id", "kind", "subject_type", "subject_id", "level", "message_key",
		"args", "created_at", "dedupe_key"}, rows, " ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING id, user_id, dedupe_key",
		func(rs *sql.Rows) error {
			var id int64
			var k key
			if err := rs.Scan(&id, &k.user, &k.dedup); err != nil {
				return err
			}
			if i, ok := index[k]; ok {
				ns[i].ID, created[i] = id, true
			}
			return nil
		})
	return created, err
}

// insertTold records told items (notification_id, user_id, level,
// item_type, item_id, due), leaving out any told before.
func (tx *Tx) insertTold(ctx context.Context, rows [][]any) error {
	return tx.insertMany(ctx, "overdue_told", []string{"notification_id", "user_id", "level", "item_type", "item_id", "due"}, rows,
		" ON CONFLICT DO NOTHING", nil)
}

// insertMany inserts rows in multi-row INSERTs ending in tail (a conflict
// clause, a RETURNING list whose rows scan reads). The statement of the
// full-sized INSERTs is prepared once.
func (tx *Tx) insertMany(ctx context.Context, table string, cols []string, rows [][]any, tail string, scan func(*sql.Rows) error) error {
	if len(rows) == 0 {
		return nil
	}
	per := min(1000, 30000/len(cols))
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	statement := func(n int) string {
		return tx.s.rebind(head + strings.TrimSuffix(strings.Repeat(one+",", n), ",") + tail)
	}
	var full *sql.Stmt
	if len(rows) >= 2*per {
		st, err := tx.tx.PrepareContext(ctx, statement(per))
		if err != nil {
			return xinlu.Internal(fmt.Errorf("insert into %s: %w", table, err))
		}
		defer st.Close()
		full = st
	}
	args := make([]any, 0, per*len(cols))
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		args = args[:0]
		for _, r := range rows[start:end] {
			args = append(args, r...)
		}
		var rs *sql.Rows
		var err error
		switch {
		case full != nil && end-start == per && scan == nil:
			_, err = full.ExecContext(ctx, args...)
		case full != nil && end-start == per:
			rs, err = full.QueryContext(ctx, args...)
		case scan == nil:
			_, err = tx.tx.ExecContext(ctx, statement(end-start), args...)
		default:
			rs, err = tx.tx.QueryContext(ctx, statement(end-start), args...)
		}
		if err != nil {
			return xinlu.Internal(fmt.Errorf("insert into %s: %w", table, err))
		}
		if rs == nil {
			continue
		}
		for rs.Next() {
			if err := scan(rs); err != nil {
				rs.Close()
				return xinlu.Internal(err)
			}
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return xinlu.Internal(fmt.Errorf("insert into %s: %w", table, err))
		}
	}
	return nil
}

func mustDate(s string) time.Time {
	t, _ := xinlu.ParseDate(s)
	return t
}

// eachOverdueChunk streams a zone's items whose deadline is before today
// (all red; LightRules.Escalation then says how far they are escalated) to
// fn, in chunks of at most overdueChunk items of one type. fn must not keep
// the slice.
func (s *Store) eachOverdueChunk(ctx context.Context, zoneID int64, today string, fn func([]overdueItem) error) error {
	chunk := make([]overdueItem, 0, overdueChunk)
	stream := func(q string, scan func(rows *sql.Rows) (overdueItem, error), args ...any) error {
		rows, err := s.query(ctx, q, args...)
		if err != nil {
			return xinlu.Internal(err)
		}
		defer rows.Close()
		for rows.Next() {
			it, err := scan(rows)
			if err != nil {
				return xinlu.Internal(err)
			}
			chunk = append(chunk, it)
			if len(chunk) == overdueChunk {
				if err := fn(chunk); err != nil {
					return err
				}
				chunk = chunk[:0]
			}
		}
		if err := rows.Err(); err != nil {
			return s.translate(err)
		}
		if len(chunk) > 0 {
			err = fn(chunk)
			chunk = chunk[:0]
		}
		return err
	}
	err := stream(`SELECT a.id, a.project_id, a.name, a.due_on, COALESCE(a.agent_id, 0), COALESCE(p.sponsor_id, 0), p.name
		FROM approval_items a JOIN projects p ON p.id = a.project_id
		WHERE a.zone_id = ? AND a.status IN (?, ?, ?) AND a.due_on <> '' AND a.due_on < ? AND p.status <> ?`,
		func(rows *sql.Rows) (overdueItem, error) {
			it := overdueItem{subjectType: SubjectApproval, linkType: SubjectProject, messageKey: "notifications.msg.overdue_approval"}
			var name, project string
			err := rows.Scan(&it.id, &it.linkID, &name, &it.due, &it.agentID, &it.sponsorID, &project)
			it.args = []string{name, project}
			return it, err
		}, zoneID, ApprovalPreparing, ApprovalSubmitted, ApprovalCorrection, today, string(xinlu.ProjectLost))
	if err != nil {
		return err
	}
	err = stream(`SELECT id, name, stage_due, COALESCE(sponsor_id, 0) FROM projects
		WHERE zone_id = ? AND status = ? AND stage_due <> '' AND stage_due < ?`,
		func(rows *sql.Rows) (overdueItem, error) {
			it := overdueItem{subjectType: SubjectProject, linkType: SubjectProject, messageKey: "notifications.msg.overdue_project"}
			var name string
			err := rows.Scan(&it.id, &name, &it.due, &it.sponsorID)
			it.linkID, it.args = it.id, []string{name}
			return it, err
		}, zoneID, string(xinlu.ProjectActive), today)
	if err != nil {
		return err
	}
	return stream(`SELECT id, project_name, company, screening_due FROM leads
		WHERE zone_id = ? AND status IN (?, ?, ?) AND screening_due <> '' AND screening_due < ?`,
		func(rows *sql.Rows) (overdueItem, error) {
			it := overdueItem{subjectType: SubjectLead, linkType: SubjectLead, messageKey: "notifications.msg.overdue_lead"}
			var name, company string
			err := rows.Scan(&it.id, &name, &company, &it.due)
			it.linkID, it.args = it.id, []string{name, company}
			return it, err
		}, zoneID, string(xinlu.LeadReported), string(xinlu.LeadScreening), string(xinlu.LeadInfoRequested), today)
}

// --- a notification's items ---

// ToldItem is one overdue item a notification told of: a digest's many, an
// item notification's one.
type ToldItem struct {
	Type     string // lead | project | approval
	ID       int64  // of the lead, project or approval item
	Due      string // the deadline told of
	Late     int    // working days late on the day it was told
	Name     string // the lead's project, the project's or the approval item's name
	Of       string // the lead's company, the approval item's project
	LinkType string // lead | project: the page to open
	LinkID   int64
	Open     bool // still open, on the same deadline
}

// Notification returns one of the user's notifications; someone else's is
// not found.
func (s *Store) Notification(ctx context.Context, userID, id int64) (*Notification, error) {
	var n Notification
	var args string
	err := s.queryRow(ctx, `SELECT id, zone_id, user_id, kind, subject_type, subject_id, level, message_key, args, created_at, read_at, dedupe_key
		FROM notifications WHERE id = ? AND user_id = ?`, id, userID).Scan(&n.ID, &n.ZoneID, &n.UserID, &n.Kind, &n.SubjectType, &n.SubjectID,
		&n.Level, &n.MessageKey, &args, &n.CreatedAt, &n.ReadAt, &n.DedupeKey)
	if err != nil {
		return nil, s.translate(err)
	}
	if err := json.Unmarshal([]byte(args), &n.Args); err != nil {
		n.Args = nil
	}
	return &n, nil
}

// Day is the date a notification was written for: a digest's day, or the
// date (China Standard Time) it was written.
func (n *Notification) Day() string {
	if n.Kind == NotifyDigest && len(n.Args) >= 5 {
		return n.Args[4]
	}
	return shanghaiDay(n.CreatedAt).Format(xinlu.DateLayout)
}

// NotificationItems returns one of the user's notifications with a page of
// the overdue items it told of, by kind (approval items, leads, projects)
// and then in the order they were registered, and how many there are in
// all. The items are read as they are now: Open says whether
// each is still open on the deadline told of.
func (s *Store) NotificationItems(ctx context.Context, userID, id int64, page xinlu.Page) (*Notification, []ToldItem, int, error) {
	n, err := s.Notification(ctx, userID, id)
	if err != nil {
		return nil, nil, 0, err
	}
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM overdue_told WHERE notification_id = ?`, id).Scan(&total); err != nil {
		return nil, nil, 0, xinlu.Internal(err)
	}
	if total == 0 {
		return n, nil, 0, nil
	}
	cal, err := s.zoneCalendar(ctx, n.ZoneID)
	if err != nil {
		return nil, nil, 0, err
	}
	day := mustDate(n.Day())
	p := page.Normalize()
	rows, err := s.query(ctx, `SELECT t.item_type, t.item_id, t.due,
			COALESCE(l.project_name, p.name, a.name, ''), COALESCE(l.company, ap.name, ''), COALESCE(a.project_id, 0),
			COALESCE(l.status, p.status, a.status, ''), COALESCE(l.screening_due, p.stage_due, a.due_on, ''), COALESCE(ap.status, '')
		FROM overdue_told t
		LEFT JOIN leads l ON t.item_type = 'lead' AND l.id = t.item_id
		LEFT JOIN projects p ON t.item_type = 'project' AND p.id = t.item_id
		LEFT JOIN approval_items a ON t.item_type = 'approval' AND a.id = t.item_id
		LEFT JOIN projects ap ON ap.id = a.project_id
		WHERE t.notification_id = ? ORDER BY t.item_type, t.item_id`+s.pageSQL(p), append([]any{id}, s.pageArgs(p)...)...)
	if err != nil {
		return nil, nil, 0, xinlu.Internal(err)
	}
	defer rows.Close()
	var out []ToldItem
	for rows.Next() {
		var it ToldItem
		var projectID int64
		var status, due, projectStatus string
		if err := rows.Scan(&it.Type, &it.ID, &it.Due, &it.Name, &it.Of, &projectID, &status, &due, &projectStatus); err != nil {
			return nil, nil, 0, xinlu.Internal(err)
		}
		it.Late = cal.WorkdaysBetween(mustDate(it.Due), day)
		same := due == it.Due
		switch it.Type {
		case SubjectLead:
			it.LinkType, it.LinkID = SubjectLead, it.ID
			it.Open = same && (status == string(xinlu.LeadReported) || status == string(xinlu.LeadScreening) || status == string(xinlu.LeadInfoRequested))
		case SubjectProject:
			it.LinkType, it.LinkID = SubjectProject, it.ID
			it.Open = same && status == string(xinlu.ProjectActive)
		case SubjectApproval:
			it.LinkType, it.LinkID = SubjectProject, projectID
			it.Open = same && projectStatus != string(xinlu.ProjectLost) &&
				(status == ApprovalPreparing || status == ApprovalSubmitted || status == ApprovalCorrection)
		}
		out = append(out, it)
	}
	return n, out, total, s.translate(rows.Err())
}
