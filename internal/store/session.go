package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"strings"
	"time"

	"xinlu/internal/xinlu"
)

// Session is a browser session or an API token.
type Session struct {
	ID         int64
	UserID     int64
	Kind       string // "web" or "api"
	Label      string
	CSRFToken  string
	IP         string
	UserAgent  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// SessionPolicy bounds how long sessions live.
type SessionPolicy struct {
	Idle      time.Duration // web sessions end after this long without a request
	AdminIdle time.Duration // … or this long for the administrator roles, and privileged accounts' API tokens too
	Lifetime  time.Duration // web sessions, and privileged accounts' API tokens, end this long after sign-in
	TokenTTL  time.Duration // other accounts' API tokens end this long after issue
	TokenIdle time.Duration // … or this long without a request
}

// DefaultSessionPolicy is 30 minutes idle (15 for administrators), 12 hours
// in all; API tokens like that for privileged accounts (xinlu.Privileged),
// else 30 days, or 7 days unused.
var DefaultSessionPolicy = SessionPolicy{Idle: 30 * time.Minute, AdminIdle: 15 * time.Minute, Lifetime: 12 * time.Hour,
	TokenTTL: 30 * 24 * time.Hour, TokenIdle: 7 * 24 * time.Hour}

// IdleFor is the idle limit of a web session of u.
func (p SessionPolicy) IdleFor(u *xinlu.User) time.Duration {
	for _, r := range u.Roles {
		if r.IsAdminRole() && p.AdminIdle > 0 {
			return p.AdminIdle
		}
	}
	return p.Idle
}

// WebLimits are the idle limit and lifetime of a web session of u.
func (p SessionPolicy) WebLimits(u *xinlu.User) (idle, lifetime time.Duration) {
	return p.IdleFor(u), p.Lifetime
}

// TokenLimits are the idle limit and lifetime of an API token of u: those
// of an administrator's web session for privileged accounts (the
// administrators, whoever may reveal personal data or read others' pay),
// TokenIdle and TokenTTL for the others. They apply to tokens issued before
// a change of roles too.
func (p SessionPolicy) TokenLimits(u *xinlu.User) (idle, lifetime time.Duration) {
	if xinlu.Privileged(u.Roles) {
		return p.AdminIdle, min(p.Lifetime, p.TokenTTL)
	}
	return p.TokenIdle, p.TokenTTL
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateSession starts a session of kind "web" or "api" and returns its
// secret, which is shown once and stored only as a hash.
func (s *Store) CreateSession(ctx context.Context, a xinlu.Actor, userID int64, kind, label string, ttl time.Duration) (string, *Session, error) {
	token := xinlu.RandomToken(32)
	now := s.Now()
	sess := &Session{UserID: userID, Kind: kind, Label: label, CSRFToken: xinlu.RandomToken(24), IP: a.IP,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(ttl)}
	err := s.inTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO sessions (token_hash, user_id, kind, label, csrf_token, ip, user_agent, created_at, last_seen_at, expires_at)
			VALUES (?,?,?,?,?,?,?,?,?,?)`, hashToken(token), userID, kind, label, sess.CSRFToken, a.IP, truncate(sess.UserAgent, 200), now, now, sess.ExpiresAt)
		if err != nil {
			return err
		}
		sess.ID = id
		action := "auth.login"
		if kind == "api" {
			action = "auth.token_issue"
		}
		return tx.audit(ctx, a, action, "session", id, nil, map[string]any{"kind": kind, "label": label})
	})
	return token, sess, err
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// SessionUser resolves a session secret of the given kind to its user. It
// ends the session when it is past its expiry, or past the idle limit or
// the lifetime since sign-in that limits gives for its user (nil, or 0:
// none), and records activity at most once a minute so reads stay reads.
func (s *Store) SessionUser(ctx context.Context, token, kind string, limits func(*xinlu.User) (idle, lifetime time.Duration)) (*xinlu.User, *Session, error) {
	if token == "" {
		return nil, nil, xinlu.NotFound("error.not_found")
	}
	// One query for the session, its user and the user's roles: this runs
	// on every authenticated request.
	agg := "group_concat(r.role, ',')"
	if s.dialect == Postgres {
		agg = "string_agg(r.role, ',')"
	}
	sess := &Session{Kind: kind}
	var roles sql.NullString
	sc := s.queryRow(ctx, `SELECT s.id, s.user_id, s.label, s.csrf_token, s.ip, s.created_at, s.last_seen_at, s.expires_at, `+userColumns+`,
		(SELECT `+agg+` FROM user_roles r WHERE r.user_id = u.id)
		FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN members m ON m.id = u.member_id
		WHERE s.token_hash = ? AND s.kind = ?`, hashToken(token), kind)
	u := &xinlu.User{}
	err := sc.Scan(&sess.ID, &sess.UserID, &sess.Label, &sess.CSRFToken, &sess.IP, &sess.CreatedAt, &sess.LastSeenAt, &sess.ExpiresAt,
		&u.ID, &u.ZoneID, &u.Username, &u.Name, &u.MemberID, &u.DepartmentID,
		&u.Lang, &u.MustChangePassword, &u.Disabled, &u.PasswordHash, &u.Version, &u.CreatedAt, &u.UpdatedAt, &roles)
	if err != nil {
		return nil, nil, s.translate(err)
	}
	for _, r := range strings.Split(roles.String, ",") {
		if r != "" {
			u.Roles = append(u.Roles, xinlu.Role(r))
		}
	}
	sortRoles(u.Roles)
	now := s.Now()
	var idle, lifetime time.Duration
	if limits != nil {
		idle, lifetime = limits(u)
	}
	if now.After(sess.ExpiresAt) || (idle > 0 && now.Sub(sess.LastSeenAt) > idle) || (lifetime > 0 && now.Sub(sess.CreatedAt) > lifetime) {
		_ = s.inTx(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `DELETE FROM sessions WHERE id = ?`, sess.ID)
			return err
		})
		return nil, nil, xinlu.NotFound("auth.session_expired")
	}
	if u.Disabled {
		return nil, nil, xinlu.NotFound("auth.session_expired")
	}
	if now.Sub(sess.LastSeenAt) > time.Minute {
		_ = s.inTx(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, now, sess.ID)
			return err
		})
	}
	return u, sess, nil
}

// DeleteSession ends the session or token with that secret.
func (s *Store) DeleteSession(ctx context.Context, a xinlu.Actor, token string) error {
	return s.inTx(ctx, func(tx *Tx) error {
		var id int64
		var kind string
		err := tx.queryRow(ctx, `SELECT id, kind FROM sessions WHERE token_hash = ?`, hashToken(token)).Scan(&id, &kind)
		if err == sql.ErrNoRows {
			return nil
		} else if err != nil {
			return xinlu.Internal(err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE id = ?`, id); err != nil {
			return xinlu.Internal(err)
		}
		action := "auth.logout"
		if kind == "api" {
			action = "auth.token_revoke"
		}
		return tx.audit(ctx, a, action, "session", id, map[string]any{"kind": kind}, nil)
	})
}

// ListTokens returns a user's API tokens (never their secrets).
func (s *Store) ListTokens(ctx context.Context, userID int64) ([]Session, error) {
	rows, err := s.query(ctx, `SELECT id, label, ip, created_at, last_seen_at, expires_at FROM sessions
		WHERE user_id = ? AND kind = 'api' ORDER BY id`, userID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	var out []Session
	for rows.Next() {
		t := Session{UserID: userID, Kind: "api"}
		if err := rows.Scan(&t.ID, &t.Label, &t.IP, &t.CreatedAt, &t.LastSeenAt, &t.ExpiresAt); err != nil {
			return nil, xinlu.Internal(err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken deletes one of the user's API tokens by id.
func (s *Store) RevokeToken(ctx context.Context, a xinlu.Actor, userID, tokenID int64) error {
	return s.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM sessions WHERE id = ? AND user_id = ? AND kind = 'api'`, tokenID, userID)
		if err != nil {
			return xinlu.Internal(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return xinlu.NotFound("error.not_found")
		}
		return tx.audit(ctx, a, "auth.token_revoke", "session", tokenID, map[string]any{"kind": "api"}, nil)
	})
}

// SessionInfo is a session as the security administrator sees it.
type SessionInfo struct {
	Session
	Username string
	Name     string
}

// SessionFilter selects sessions for the security administrator.
type SessionFilter struct {
	ZoneID int64
	UserID int64
	xinlu.Page
}

// ListSessions returns the live sessions and tokens of a zone's users.
func (s *Store) ListSessions(ctx context.Context, f SessionFilter) ([]SessionInfo, int, error) {
	cond, args := `u.zone_id = ? AND s.expires_at > ?`, []any{f.ZoneID, s.Now()}
	if f.UserID != 0 {
		cond, args = cond+` AND u.id = ?`, append(args, f.UserID)
	}
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	p := f.Page.Normalize()
	rows, err := s.query(ctx, `SELECT s.id, s.user_id, s.kind, s.label, s.ip, s.created_at, s.last_seen_at, s.expires_at, u.username, u.name
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE `+cond+` ORDER BY s.last_seen_at DESC, s.id DESC`+s.pageSQL(p),
		append(args, s.pageArgs(p)...)...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	defer rows.Close()
	var out []SessionInfo
	for rows.Next() {
		var i SessionInfo
		if err := rows.Scan(&i.ID, &i.UserID, &i.Kind, &i.Label, &i.IP, &i.CreatedAt, &i.LastSeenAt, &i.ExpiresAt, &i.Username, &i.Name); err != nil {
			return nil, 0, xinlu.Internal(err)
		}
		out = append(out, i)
	}
	return out, total, rows.Err()
}

// EndSession ends one session of a user of the actor's zone.
func (s *Store) EndSession(ctx context.Context, a xinlu.Actor, id int64) error {
	return s.inTx(ctx, func(tx *Tx) error {
		var userID int64
		var kind string
		err := tx.queryRow(ctx, `SELECT s.user_id, s.kind FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ? AND u.zone_id = ?`,
			id, a.ZoneID).Scan(&userID, &kind)
		if err != nil {
			return s.translate(err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE id = ?`, id); err != nil {
			return xinlu.Internal(err)
		}
		return tx.audit(ctx, a, "security.session_end", "session", id, map[string]any{"user_id": userID, "kind": kind}, nil)
	})
}

// EndUserSessions ends every session and token of a user of the actor's zone.
func (s *Store) EndUserSessions(ctx context.Context, a xinlu.Actor, userID int64) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE id = ? AND zone_id = ?)`, userID, a.ZoneID)
		if err != nil {
			return xinlu.Internal(err)
		}
		n, _ = res.RowsAffected()
		return tx.audit(ctx, a, "security.sessions_end", "user", userID, nil, map[string]any{"sessions": n})
	})
	return int(n), err
}

// DisableEndedAccounts disables the accounts of members whose contracts
// have all ended before today (全员聘用: no contract, no access), ending
// their sessions. It returns the usernames disabled.
func (s *Store) DisableEndedAccounts(ctx context.Context, today string) ([]string, error) {
	var names []string
	err := s.inTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT u.id, u.zone_id, u.username FROM users u
			WHERE u.disabled = ? AND u.member_id IS NOT NULL
			  AND EXISTS (SELECT 1 FROM contracts c WHERE c.member_id = u.member_id)
			  AND NOT EXISTS (SELECT 1 FROM contracts c WHERE c.member_id = u.member_id
			                  AND c.status IN ('active', 'renewed') AND c.end_date >= ?)`, false, today)
		if err != nil {
			return xinlu.Internal(err)
		}
		type hit struct {
			id, zone int64
			name     string
		}
		var hits []hit
		for rows.Next() {
			var h hit
			if err := rows.Scan(&h.id, &h.zone, &h.name); err != nil {
				rows.Close()
				return xinlu.Internal(err)
			}
			hits = append(hits, h)
		}
		rows.Close()
		for _, h := range hits {
			if _, err := tx.exec(ctx, `UPDATE users SET disabled = ?, version = version + 1, updated_at = ? WHERE id = ?`, true, s.Now(), h.id); err != nil {
				return xinlu.Internal(err)
			}
			if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, h.id); err != nil {
				return xinlu.Internal(err)
			}
			if err := tx.audit(ctx, xinlu.SystemActor(h.zone), "user.auto_disable", "user", h.id,
				map[string]any{"disabled": false}, map[string]any{"disabled": true, "reason": "contract ended"}); err != nil {
				return err
			}
			names = append(names, h.name)
		}
		return nil
	})
	return names, err
}
