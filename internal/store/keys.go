package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"xinlu/internal/seal"
	"xinlu/internal/xinlu"
)

// Data keys: stored wrapped in seal_keys; the key file's master key unwraps
// them. See package seal.

// rowQuerier is what both the reader pool and a transaction offer.
type rowQuerier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func (tx *Tx) hasDataKeys(ctx context.Context) (bool, error) {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM seal_keys`).Scan(&n); err != nil {
		return false, xinlu.Internal(err)
	}
	return n > 0, nil
}

// HasDataKeys reports whether the database holds data keys, that is,
// whether it encrypts personal data and so needs its key file.
func (s *Store) HasDataKeys(ctx context.Context) (bool, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM seal_keys`).Scan(&n); err != nil {
		return false, xinlu.Internal(err)
	}
	return n > 0, nil
}

// loadDataKeys reads the wrapped data keys and the active one's id.
func (s *Store) loadDataKeys(ctx context.Context, q rowQuerier) ([]seal.DataKey, uint32, error) {
	rows, err := q.QueryContext(ctx, s.rebind(`SELECT id, suite, wrapped, active FROM seal_keys ORDER BY id`))
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	defer rows.Close()
	var out []seal.DataKey
	var active uint32
	for rows.Next() {
		var id int64
		var suite, wrapped string
		var isActive bool
		if err := rows.Scan(&id, &suite, &wrapped, &isActive); err != nil {
			return nil, 0, xinlu.Internal(err)
		}
		raw, err := base64.StdEncoding.DecodeString(wrapped)
		if err != nil {
			return nil, 0, fmt.Errorf("data key %d is damaged: %w", id, err)
		}
		out = append(out, seal.DataKey{ID: uint32(id), Suite: seal.Suite(suite), Wrapped: raw})
		if isActive {
			active = uint32(id)
		}
	}
	return out, active, rows.Err()
}

func (tx *Tx) insertDataKey(ctx context.Context, dk seal.DataKey) error {
	_, err := tx.exec(ctx, `INSERT INTO seal_keys (id, suite, wrapped, active, created_at) VALUES (?, ?, ?, TRUE, ?)`,
		int64(dk.ID), string(dk.Suite), base64.StdEncoding.EncodeToString(dk.Wrapped), tx.s.Now())
	return tx.s.translate(err)
}

// UseKeys switches encryption on with the key file's keys: it unwraps the
// stored data keys (making the first one on first use), seals with the
// active one from now on, and seals any personal value still in plain text
// (rows from before encryption). It returns how many values it sealed. A
// key file that does not unwrap the stored keys is refused.
func (s *Store) UseKeys(ctx context.Context, k *seal.Keys) (int, error) {
	// From here on, audit rows are signed with the key file's audit key.
	s.SetAuditKey(k.AuditKeyID(), k.AuditKey())
	dks, active, err := s.loadDataKeys(ctx, s.read)
	if err != nil {
		return 0, err
	}
	if len(dks) == 0 {
		dk, err := k.NewDataKey(1)
		if err != nil {
			return 0, err
		}
		err = s.inTx(ctx, func(tx *Tx) error {
			if has, err := tx.hasDataKeys(ctx); err != nil || has {
				return err // another process made it meanwhile
			}
			if err := tx.insertDataKey(ctx, dk); err != nil {
				return err
			}
			return tx.audit(ctx, xinlu.SystemActor(0), "keys.create", "seal_key", int64(dk.ID), nil,
				map[string]any{"suite": dk.Suite, "key_id": dk.ID})
		})
		if err != nil {
			return 0, err
		}
		if dks, active, err = s.loadDataKeys(ctx, s.read); err != nil {
			return 0, err
		}
	}
	ring, err := k.Keyring(dks, active, func() ([]seal.DataKey, uint32, error) {
		return s.loadDataKeys(context.Background(), s.read)
	})
	if err != nil {
		return 0, err
	}
	p := s.personal()
	p.mu.Lock()
	p.sealer, p.keys = ring, k
	p.mu.Unlock()
	return s.sealPlainValues(ctx, ring)
}

// ReloadKeys reads the stored data keys again, so that a server picks up a
// rotation made by `xinlu keys rotate` in another process.
func (s *Store) ReloadKeys() error {
	if r, ok := s.Sealer().(*seal.Keyring); ok {
		return r.Reload()
	}
	return nil
}

// sealedColumn is one encrypted column of the inventory.
type sealedColumn struct {
	field xinlu.PersonalField
}

func (c sealedColumn) hashSet() string {
	if c.field.HashColumn == "" {
		return ""
	}
	return ", " + c.field.HashColumn + " = ?"
}

// forEachSealed calls fn for every non-empty value of every encrypted
// column that cond selects (cond is a constant condition on the column,
// written with %s for its name), in batches, inside tx. fn returns the new
// stored value and hash.
func (tx *Tx) forEachSealed(ctx context.Context, cond string, progress func(done, total int),
	fn func(f xinlu.PersonalField, v string) (string, string, error)) (int, error) {
	cols := xinlu.EncryptedFields()
	total := 0
	for _, f := range cols {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM `+f.Table+` WHERE `+fmt.Sprintf(cond, f.Column)).Scan(&n); err != nil {
			return 0, xinlu.Internal(err)
		}
		total += n
	}
	done := 0
	if progress != nil {
		progress(0, total)
	}
	type row struct {
		id int64
		v  string
	}
	for _, f := range cols {
		c := sealedColumn{f}
		key := sealedKey(f.Table)
		last := int64(0)
		for {
			rows, err := tx.query(ctx, `SELECT `+key+`, `+f.Column+` FROM `+f.Table+` WHERE `+key+` > ? AND `+
				fmt.Sprintf(cond, f.Column)+` ORDER BY `+key+` LIMIT 500`, last)
			if err != nil {
				return done, xinlu.Internal(err)
			}
			var batch []row
			for rows.Next() {
				var r row
				if err := rows.Scan(&r.id, &r.v); err != nil {
					rows.Close()
					return done, xinlu.Internal(err)
				}
				batch = append(batch, r)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return done, xinlu.Internal(err)
			}
			if len(batch) == 0 {
				break
			}
			for _, r := range batch {
				stored, hash, err := fn(f, r.v)
				if err != nil {
					return done, fmt.Errorf("%s row %d: %w", f.Name(), r.id, err)
				}
				args := []any{stored}
				if f.HashColumn != "" {
					args = append(args, hash)
				}
				if _, err := tx.exec(ctx, `UPDATE `+f.Table+` SET `+f.Column+` = ?`+c.hashSet()+` WHERE `+key+` = ?`,
					append(args, r.id)...); err != nil {
					return done, tx.s.translate(err)
				}
				last = r.id
			}
			done += len(batch)
			if progress != nil {
				progress(done, total)
			}
		}
	}
	return done, nil
}

// reseal returns a function that opens a stored value (sealed or plain)
// with ring and seals it again under ring's active key.
func reseal(ring seal.Sealer) func(f xinlu.PersonalField, v string) (string, string, error) {
	return func(f xinlu.PersonalField, v string) (string, string, error) {
		plain, err := ring.Open(f.Name(), v)
		if err != nil {
			return "", "", err
		}
		stored, err := ring.Seal(f.Name(), plain)
		if err != nil {
			return "", "", err
		}
		return stored, ring.Hash(f.Name(), plain), nil
	}
}

// notSealed selects plain values: non-empty and without the sealed prefix.
const notSealed = "%[1]s <> '' AND " + "%[1]s NOT LIKE 's1:%%'"

// sealPlainValues seals every personal value still stored in plain text,
// in one transaction with an audit row when there were any.
func (s *Store) sealPlainValues(ctx context.Context, ring seal.Sealer) (int, error) {
	var n int
	err := s.inTx(ctx, func(tx *Tx) error {
		var err error
		if n, err = tx.forEachSealed(ctx, notSealed, nil, reseal(ring)); err != nil || n == 0 {
			return err
		}
		return tx.audit(ctx, xinlu.SystemActor(0), "keys.seal_plain", "seal_key", 0, nil, map[string]any{"values": n})
	})
	return n, err
}

// Rotation reports a key rotation.
type Rotation struct {
	KeyID    uint32
	Previous uint32
	Suite    seal.Suite
	Values   int
}

// RotateKeys makes a new data key, wrapped by the key file's master key,
// makes it the active one, and re-encrypts every encrypted field under it
// (recomputing the blind indexes), all in one transaction with an audit
// row; the retired keys stay stored, so a value another process sealed
// meanwhile stays readable. progress, when not nil, is told how far it got.
func (s *Store) RotateKeys(ctx context.Context, a xinlu.Actor, progress func(done, total int)) (*Rotation, error) {
	k := s.Keys()
	if k == nil {
		return nil, errors.New("no key file in use")
	}
	var ring *seal.Keyring
	rot := &Rotation{Suite: k.Suite()}
	err := s.inTx(ctx, func(tx *Tx) error {
		dks, active, err := s.loadDataKeys(ctx, tx.tx)
		if err != nil {
			return err
		}
		next := uint32(1)
		for _, dk := range dks {
			if dk.ID >= next {
				next = dk.ID + 1
			}
		}
		dk, err := k.NewDataKey(next)
		if err != nil {
			return err
		}
		if ring, err = k.Keyring(append(dks, dk), next, func() ([]seal.DataKey, uint32, error) {
			return s.loadDataKeys(context.Background(), s.read)
		}); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE seal_keys SET active = FALSE, retired_at = ? WHERE active`, s.Now()); err != nil {
			return s.translate(err)
		}
		if err := tx.insertDataKey(ctx, dk); err != nil {
			return err
		}
		rot.KeyID, rot.Previous = next, active
		if rot.Values, err = tx.forEachSealed(ctx, "%s <> ''", progress, reseal(ring)); err != nil {
			return err
		}
		return tx.audit(ctx, a, "keys.rotate", "seal_key", int64(next), nil, map[string]any{
			"key_id": next, "previous": active, "suite": k.Suite(), "values": rot.Values})
	})
	if err != nil {
		return nil, err
	}
	s.SetSealer(ring)
	return rot, nil
}

// KeyInfo describes one stored data key for `xinlu keys status`.
type KeyInfo struct {
	ID        uint32
	Suite     string
	Active    bool
	CreatedAt time.Time
	RetiredAt time.Time // zero while active
	Values    int       // values currently sealed with it
}

// KeyStatus lists the stored data keys with the number of values each
// seals, and the number of personal values still in plain text.
func (s *Store) KeyStatus(ctx context.Context) ([]KeyInfo, int, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, suite, active, created_at, retired_at FROM seal_keys ORDER BY id`)
	if err != nil {
		return nil, 0, err
	}
	var out []KeyInfo
	index := map[uint32]int{}
	for rows.Next() {
		var ki KeyInfo
		var id int64
		var retired sql.NullTime
		if err := rows.Scan(&id, &ki.Suite, &ki.Active, &ki.CreatedAt, &retired); err != nil {
			rows.Close()
			return nil, 0, err
		}
		ki.ID, ki.RetiredAt = uint32(id), retired.Time
		index[ki.ID] = len(out)
		out = append(out, ki)
	}
	rows.Close()
	plain := 0
	for _, f := range xinlu.EncryptedFields() {
		vals, err := s.read.QueryContext(ctx, `SELECT `+f.Column+` FROM `+f.Table+` WHERE `+f.Column+` <> ''`)
		if err != nil {
			return nil, 0, err
		}
		for vals.Next() {
			var v string
			if err := vals.Scan(&v); err != nil {
				vals.Close()
				return nil, 0, err
			}
			if id, ok := seal.KeyID(v); ok {
				if i, known := index[id]; known {
					out[i].Values++
				}
			} else {
				plain++
			}
		}
		vals.Close()
	}
	return out, plain, nil
}

// --- backups ---

// IntegrityCheck runs SQLite's integrity_check and returns nil when the
// database file is sound.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	if s.dialect != SQLite {
		return nil
	}
	rows, err := s.write.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check failed: %s", strings.Join(problems, "; "))
	}
	return nil
}

// TableChecksums returns, per table, the row count and a SHA-256 over
// every row in rowid order (a table without rowid: by every column):
// equal checksums mean equal contents. SQLite only.
func (s *Store) TableChecksums(ctx context.Context) (map[string]string, error) {
	if s.dialect != SQLite {
		return nil, errors.New("table checksums are for SQLite")
	}
	rows, err := s.write.QueryContext(ctx, `SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
		AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var tables []string
	withoutRowid := map[string]bool{}
	for rows.Next() {
		var t string
		var wr bool
		if err := rows.Scan(&t, &wr); err != nil {
			rows.Close()
			return nil, err
		}
		tables = append(tables, t)
		withoutRowid[t] = wr
	}
	rows.Close()
	out := map[string]string{}
	for _, t := range tables {
		order := "rowid"
		switch {
		case t == "schema_migrations":
			order = "version"
		case withoutRowid[t]:
			var n int
			if err := s.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM pragma_table_info(?)`, t).Scan(&n); err != nil {
				return nil, err
			}
			cols := make([]string, n)
			for i := range cols {
				cols[i] = strconv.Itoa(i + 1)
			}
			order = strings.Join(cols, ", ") // every column: the key among them
		}
		r, err := s.write.QueryContext(ctx, `SELECT * FROM "`+t+`" ORDER BY `+order)
		if err != nil {
			return nil, err
		}
		cols, _ := r.Columns()
		h := sha256.New()
		n := 0
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for r.Next() {
			if err := r.Scan(ptrs...); err != nil {
				r.Close()
				return nil, err
			}
			n++
			for _, v := range vals {
				b := []byte(fmt.Sprintf("%T:%v", v, v))
				if bs, ok := v.([]byte); ok {
					b = bs
				}
				h.Write([]byte(strconv.Itoa(len(b)) + ":"))
				h.Write(b)
			}
		}
		r.Close()
		out[t] = fmt.Sprintf("%d rows %s", n, hex.EncodeToString(h.Sum(nil))[:16])
	}
	return out, nil
}

// CheckKeys reports whether k unwraps every data key the database holds,
// without using them; a database that holds none passes.
func (s *Store) CheckKeys(ctx context.Context, k *seal.Keys) error {
	dks, _, err := s.loadDataKeys(ctx, s.read)
	if err != nil {
		return err
	}
	return k.Check(dks)
}
