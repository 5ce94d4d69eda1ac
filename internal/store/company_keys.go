package store

import (
	"context"
	"database/sql"
	"strings"

	"xinlu/internal/xinlu"
)

// metaCompanyKeys names the version of xinlu.NormalizeCompany's rules the
// stored company keys were made with.
const metaCompanyKeys = "company_key_version"

// RekeyCompanies makes the company keys of leads and projects again when
// they were made with other rules than xinlu.CompanyKeyVersion, so that the
// duplicate search finds old records as it finds new ones. A project's
// ledger import key follows its company key where the company is the one
// it was imported with (its key is the import key's first part), unless
// the new key would collide with another project's. It returns how many
// keys changed; a database already up to date is only read once.
func (s *Store) RekeyCompanies(ctx context.Context) (int, error) {
	var version string
	err := s.queryRow(ctx, `SELECT value FROM store_meta WHERE name = ?`, metaCompanyKeys).Scan(&version)
	if err != nil && err != sql.ErrNoRows {
		return 0, xinlu.Internal(err)
	}
	if version == xinlu.CompanyKeyVersion {
		return 0, nil
	}
	n, err := s.rekeyLeads(ctx)
	if err != nil {
		return n, err
	}
	m, err := s.rekeyProjects(ctx)
	n += m
	if err != nil {
		return n, err
	}
	err = s.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO store_meta (name, value) VALUES (?, ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value`, metaCompanyKeys, xinlu.CompanyKeyVersion)
		return err
	})
	if err != nil {
		return n, xinlu.Internal(err)
	}
	return n, nil
}

type rekey struct {
	id            int64
	key, importOf string
}

// rekeyLeads walks the leads by id, a page at a time, and writes the keys
// that changed in one transaction a page.
func (s *Store) rekeyLeads(ctx context.Context) (int, error) {
	const page = 5000
	n := 0
	for after := int64(0); ; {
		rows, err := s.query(ctx, `SELECT id, company, company_key FROM leads WHERE id > ? ORDER BY id LIMIT ?`, after, page)
		if err != nil {
			return n, xinlu.Internal(err)
		}
		var changed []rekey
		read := 0
		for rows.Next() {
			var id int64
			var company, key string
			if err := rows.Scan(&id, &company, &key); err != nil {
				rows.Close()
				return n, xinlu.Internal(err)
			}
			read, after = read+1, id
			if k := xinlu.NormalizeCompany(company); k != key {
				changed = append(changed, rekey{id: id, key: k})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return n, xinlu.Internal(err)
		}
		if len(changed) > 0 {
			err := s.inTx(ctx, func(tx *Tx) error {
				for _, c := range changed {
					if _, err := tx.exec(ctx, `UPDATE leads SET company_key = ? WHERE id = ?`, c.key, c.id); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return n, xinlu.Internal(err)
			}
			n += len(changed)
		}
		if read < page {
			return n, nil
		}
	}
}

// rekeyProjects makes the projects' company keys again, and their import
// keys with them where they followed the company key.
func (s *Store) rekeyProjects(ctx context.Context) (int, error) {
	rows, err := s.query(ctx, `SELECT id, zone_id, company, company_key, import_key FROM projects ORDER BY id`)
	if err != nil {
		return 0, xinlu.Internal(err)
	}
	type project struct {
		id, zone                int64
		company, key, importKey string
	}
	var all []project
	for rows.Next() {
		var p project
		if err := rows.Scan(&p.id, &p.zone, &p.company, &p.key, &p.importKey); err != nil {
			rows.Close()
			return 0, xinlu.Internal(err)
		}
		all = append(all, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, xinlu.Internal(err)
	}
	type zoneKey struct {
		zone int64
		key  string
	}
	taken := map[zoneKey]bool{}
	for _, p := range all {
		if p.importKey != "" {
			taken[zoneKey{p.zone, p.importKey}] = true
		}
	}
	var changed []rekey
	for _, p := range all {
		k := xinlu.NormalizeCompany(p.company)
		if k == p.key {
			continue
		}
		c := rekey{id: p.id, key: k, importOf: p.importKey}
		if rest, ok := strings.CutPrefix(p.importKey, p.key+"|"); ok {
			if next := (zoneKey{p.zone, k + "|" + rest}); !taken[next] {
				delete(taken, zoneKey{p.zone, p.importKey})
				taken[next] = true
				c.importOf = next.key
			}
		}
		changed = append(changed, c)
	}
	if len(changed) == 0 {
		return 0, nil
	}
	err = s.inTx(ctx, func(tx *Tx) error {
		for _, c := range changed {
			if _, err := tx.exec(ctx, `UPDATE projects SET company_key = ?, import_key = ? WHERE id = ?`, c.key, c.importOf, c.id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, xinlu.Internal(err)
	}
	return len(changed), nil
}
