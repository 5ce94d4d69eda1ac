package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"xinlu/internal/seal"
	"xinlu/internal/xinlu"
)

// Identity hardening (等保 8.1.4.1): the password policy's history and age,
// account lockout after consecutive failures, and the second factor (TOTP
// with recovery codes) with the short-lived state between a sign-in's
// password and its code.

// Factor says what a sign-in still needs once the password was right.
type Factor int

const (
	FactorNone  Factor = iota // the password was enough: start the session
	FactorCode                // the account has a TOTP: a code (or recovery code) must follow
	FactorEnrol               // the account's roles need a second factor it lacks: enrol one first
)

// PasswordPolicy returns the password policy in force in a zone. It is the
// default for now; a settings page for the security administrator will keep
// its own values here.
func (s *Store) PasswordPolicy(ctx context.Context, zoneID int64) xinlu.PasswordPolicy {
	return xinlu.DefaultPasswordPolicy()
}

// LockoutPolicy returns the account lockout policy. It applies to login
// names before it is known which account (and zone) they belong to.
func (s *Store) LockoutPolicy(ctx context.Context) xinlu.LockoutPolicy {
	return xinlu.DefaultLockoutPolicy()
}

// maxHistoryKept bounds the password history kept per account, whatever
// the policy asks for.
const maxHistoryKept = 24

func (tx *Tx) addPasswordHistory(ctx context.Context, userID int64, hash string) error {
	if _, err := tx.exec(ctx, `INSERT INTO password_history (user_id, hash, created_at) VALUES (?,?,?)`, userID, hash, tx.s.Now()); err != nil {
		return xinlu.Internal(err)
	}
	_, err := tx.exec(ctx, `DELETE FROM password_history WHERE user_id = ? AND id NOT IN
		(SELECT id FROM password_history WHERE user_id = ? ORDER BY id DESC LIMIT ?)`, userID, userID, maxHistoryKept)
	return tx.s.translate(err)
}

// PasswordHistory returns the hashes of the user's last n passwords, the
// current one first.
func (s *Store) PasswordHistory(ctx context.Context, userID int64, n int) ([]string, error) {
	return passwordHistory(ctx, s.query, userID, n)
}

// passwordHistory reads the history through query: the store's, or a
// transaction's.
func passwordHistory(ctx context.Context, query func(context.Context, string, ...any) (*sql.Rows, error), userID int64, n int) ([]string, error) {
	if n <= 0 {
		return nil, nil
	}
	rows, err := query(ctx, `SELECT hash FROM password_history WHERE user_id = ? ORDER BY id DESC LIMIT ?`, userID, n)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, xinlu.Internal(err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, xinlu.Internal(err)
	}
	return out, nil
}

// PasswordChangedAt is when the user's password was last set.
func (s *Store) PasswordChangedAt(ctx context.Context, userID int64) (time.Time, error) {
	var t sql.NullTime
	var created time.Time
	if err := s.queryRow(ctx, `SELECT password_changed_at, created_at FROM users WHERE id = ?`, userID).Scan(&t, &created); err != nil {
		return time.Time{}, s.translate(err)
	}
	if !t.Valid {
		return created.UTC(), nil
	}
	return t.Time.UTC(), nil
}

// lockKey is the row key of a login name in login_locks.
func lockKey(username string) string {
	return truncate(strings.ToLower(strings.TrimSpace(username)), 64)
}

// attemptSlot is a reserved attempt; locksUntil is set when this attempt,
// should it fail, is the one that locks the account.
type attemptSlot struct {
	locksUntil time.Time
}

// lockedError answers every attempt on a locked login name.
func lockedError(until, now time.Time) error {
	minutes := int((until.Sub(now) + time.Minute - 1) / time.Minute)
	if minutes < 1 {
		minutes = 1
	}
	return &xinlu.Error{Code: xinlu.ETOOMANYREQUESTS, Key: "identity.locked", Args: []any{minutes}}
}

// reserveAttempt counts an attempt against a login name before its
// password or code is checked, so that concurrent guesses cannot exceed the
// threshold: the attempt that reaches it locks the name at once, and when
// it turns out right (releaseAttempt, or the success in recordAttempt) the
// lock goes again. On a locked name it records the refused attempt and
// returns the locked error. Failures older than the lock duration are
// forgotten.
func (s *Store) reserveAttempt(ctx context.Context, a xinlu.Actor, username string, lp xinlu.LockoutPolicy) (attemptSlot, error) {
	var slot attemptSlot
	var locked time.Time
	key := lockKey(username)
	err := s.inTx(ctx, func(tx *Tx) error {
		now := s.Now()
		if _, err := tx.exec(ctx, `INSERT INTO login_locks (username, failures, updated_at) VALUES (?, 0, ?) ON CONFLICT (username) DO NOTHING`, key, now); err != nil {
			return xinlu.Internal(err)
		}
		q := `SELECT failures, locked_until, updated_at FROM login_locks WHERE username = ?`
		if s.dialect == Postgres {
			q += ` FOR UPDATE` // SQLite's write transaction is exclusive already
		}
		var failures int
		var until sql.NullTime
		var updated time.Time
		if err := tx.queryRow(ctx, q, key).Scan(&failures, &until, &updated); err != nil {
			return xinlu.Internal(err)
		}
		if until.Valid && until.Time.After(now) {
			locked = until.Time
			return tx.recordAttempt(ctx, a, username, false, "locked", time.Time{})
		}
		if until.Valid || now.Sub(updated) > lp.Duration {
			failures = 0 // the lock ran out, or the failures are old
		}
		failures++
		var lockUntil any
		if lp.Threshold > 0 && failures >= lp.Threshold {
			slot.locksUntil = now.Add(lp.Duration)
			lockUntil = slot.locksUntil
		}
		_, err := tx.exec(ctx, `UPDATE login_locks SET failures = ?, locked_until = ?, updated_at = ? WHERE username = ?`,
			failures, lockUntil, now, key)
		return s.translate(err)
	})
	if err != nil {
		return slot, err
	}
	if !locked.IsZero() {
		return slot, lockedError(locked, s.Now())
	}
	return slot, nil
}

// releaseAttempt gives back a reserved attempt that was not a failure (the
// password was right but a second factor follows, or the database failed).
func (s *Store) releaseAttempt(ctx context.Context, username string) {
	_ = s.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE login_locks SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END,
			locked_until = NULL WHERE username = ?`, lockKey(username))
		return err
	})
}

// LockedAccount is an account whose login name is locked.
type LockedAccount struct {
	UserID      int64
	Username    string
	Name        string
	Failures    int
	LockedUntil time.Time
}

// LockedAccounts lists the accounts of a zone that are locked now.
func (s *Store) LockedAccounts(ctx context.Context, zoneID int64) ([]LockedAccount, error) {
	rows, err := s.query(ctx, `SELECT u.id, u.username, u.name, l.failures, l.locked_until FROM login_locks l
		JOIN users u ON u.username = l.username
		WHERE u.zone_id = ? AND l.locked_until > ? ORDER BY l.locked_until DESC, u.username LIMIT 500`, zoneID, s.Now())
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	var out []LockedAccount
	for rows.Next() {
		var l LockedAccount
		if err := rows.Scan(&l.UserID, &l.Username, &l.Name, &l.Failures, &l.LockedUntil); err != nil {
			return nil, xinlu.Internal(err)
		}
		l.LockedUntil = l.LockedUntil.UTC()
		out = append(out, l)
	}
	return out, s.translate(rows.Err())
}

// Unlock lifts the lock of an account of zoneID (the security
// administrator's job), clearing its consecutive failures and the failures
// counted against its name by the per-address throttle.
func (s *Store) Unlock(ctx context.Context, a xinlu.Actor, zoneID, userID int64) error {
	return s.inTx(ctx, func(tx *Tx) error {
		u, err := tx.userForUpdate(ctx, zoneID, userID)
		if err != nil {
			return err
		}
		var until sql.NullTime
		var failures int
		err = tx.queryRow(ctx, `SELECT failures, locked_until FROM login_locks WHERE username = ?`, lockKey(u.Username)).Scan(&failures, &until)
		if err == sql.ErrNoRows || (err == nil && (!until.Valid || !until.Time.After(s.Now()))) {
			return xinlu.Conflict("", "identity.not_locked")
		} else if err != nil {
			return xinlu.Internal(err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM login_locks WHERE username = ?`, lockKey(u.Username)); err != nil {
			return xinlu.Internal(err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM login_attempts WHERE username = ? AND ok = ?`, u.Username, false); err != nil {
			return xinlu.Internal(err)
		}
		return tx.audit(ctx, a, "auth.unlock", "user", u.ID,
			map[string]any{"username": u.Username, "failures": failures, "locked_until": until.Time.UTC()}, nil)
	})
}

// secondFactorFor says what u needs after the password.
func (s *Store) secondFactorFor(ctx context.Context, u *xinlu.User) (Factor, error) {
	st, err := s.TOTPStatus(ctx, u)
	switch {
	case err != nil:
		return FactorNone, err
	case st.Enabled:
		return FactorCode, nil
	case st.Required:
		return FactorEnrol, nil
	}
	return FactorNone, nil
}

// TOTPStatus is where an account stands with its second factor.
type TOTPStatus struct {
	Enabled      bool
	EnabledAt    time.Time
	Required     bool // the account's roles need a second factor (xinlu.NeedsSecondFactor)
	RecoveryLeft int  // unused recovery codes
}

// TOTPStatus returns u's second-factor status.
func (s *Store) TOTPStatus(ctx context.Context, u *xinlu.User) (TOTPStatus, error) {
	st := TOTPStatus{Required: s.NeedsSecondFactor(u.Roles)}
	var at sql.NullTime
	err := s.queryRow(ctx, `SELECT enabled, enabled_at FROM user_totp WHERE user_id = ?`, u.ID).Scan(&st.Enabled, &at)
	if err != nil && err != sql.ErrNoRows {
		return st, xinlu.Internal(err)
	}
	if at.Valid {
		st.EnabledAt = at.Time.UTC()
	}
	if st.Enabled {
		if err := s.queryRow(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = ?`, u.ID).Scan(&st.RecoveryLeft); err != nil {
			return st, xinlu.Internal(err)
		}
	}
	return st, nil
}

// enrolmentTTL is how long a pending secret is offered again (so that a
// reload shows the QR code already scanned) before a new one is made.
const enrolmentTTL = 15 * time.Minute

// StartTOTPEnrolment returns the secret the user is to add to an
// authenticator app: a pending one made in the last minutes, or a new one.
// It fails when the user has a second factor already. Nothing is audited:
// the account's sign-in does not change until ConfirmTOTP.
func (s *Store) StartTOTPEnrolment(ctx context.Context, userID int64) (string, error) {
	var secret string
	err := s.inTx(ctx, func(tx *Tx) error {
		now := s.Now()
		var enabled bool
		var created time.Time
		err := tx.queryRow(ctx, `SELECT secret, enabled, created_at FROM user_totp WHERE user_id = ?`, userID).Scan(&secret, &enabled, &created)
		switch {
		case err == nil && enabled:
			return xinlu.Conflict("totp", "identity.totp_already_enabled")
		case err == nil && now.Sub(created) < enrolmentTTL:
			secret, err = s.openTOTP(secret)
			return err
		case err != nil && err != sql.ErrNoRows:
			return xinlu.Internal(err)
		}
		secret = xinlu.NewTOTPSecret()
		if _, err := tx.exec(ctx, `DELETE FROM user_totp WHERE user_id = ?`, userID); err != nil {
			return xinlu.Internal(err)
		}
		stored, serr := s.sealTOTP(secret)
		if serr != nil {
			return serr
		}
		_, err = tx.exec(ctx, `INSERT INTO user_totp (user_id, secret, enabled, last_step, created_at) VALUES (?,?,?,0,?)`,
			userID, stored, false, now)
		return s.translate(err)
	})
	return secret, err
}

// ConfirmTOTP turns the pending secret on when code is right for it, and
// returns RecoveryCodeCount new recovery codes, to be shown once (only their
// hashes are kept). The code's step counts as used.
func (s *Store) ConfirmTOTP(ctx context.Context, a xinlu.Actor, userID int64, code string) ([]string, error) {
	codes := xinlu.NewRecoveryCodes()
	err := s.inTx(ctx, func(tx *Tx) error {
		var secret string
		var enabled bool
		err := tx.queryRow(ctx, `SELECT secret, enabled FROM user_totp WHERE user_id = ?`, userID).Scan(&secret, &enabled)
		switch {
		case err == sql.ErrNoRows:
			return xinlu.Invalid("totp", "identity.totp_no_pending")
		case err != nil:
			return xinlu.Internal(err)
		case enabled:
			return xinlu.Conflict("totp", "identity.totp_already_enabled")
		}
		if secret, err = s.openTOTP(secret); err != nil {
			return err
		}
		if xinlu.NormalizeTOTP(code) == "" {
			return xinlu.Invalid("totp", "error.required")
		}
		step, ok := xinlu.CheckTOTP(secret, code, s.Now(), 0)
		if !ok {
			return xinlu.Invalid("totp", "identity.totp_invalid")
		}
		now := s.Now()
		if _, err := tx.exec(ctx, `UPDATE user_totp SET enabled = ?, last_step = ?, enabled_at = ? WHERE user_id = ?`, true, step, now, userID); err != nil {
			return xinlu.Internal(err)
		}
		if err := tx.replaceRecoveryCodes(ctx, userID, codes); err != nil {
			return err
		}
		return tx.audit(ctx, a, "auth.totp_enable", "user", userID, nil, map[string]any{"recovery_codes": len(codes)})
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

func (tx *Tx) replaceRecoveryCodes(ctx context.Context, userID int64, codes []string) error {
	if _, err := tx.exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
		return xinlu.Internal(err)
	}
	now := tx.s.Now()
	for _, c := range codes {
		if _, err := tx.exec(ctx, `INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?,?,?)`,
			userID, xinlu.HashRecoveryCode(c), now); err != nil {
			return xinlu.Internal(err)
		}
	}
	return nil
}

// RegenerateRecoveryCodes replaces the user's recovery codes with new ones,
// returned once.
func (s *Store) RegenerateRecoveryCodes(ctx context.Context, a xinlu.Actor, userID int64) ([]string, error) {
	codes := xinlu.NewRecoveryCodes()
	err := s.inTx(ctx, func(tx *Tx) error {
		var enabled bool
		err := tx.queryRow(ctx, `SELECT enabled FROM user_totp WHERE user_id = ?`, userID).Scan(&enabled)
		if err == sql.ErrNoRows || (err == nil && !enabled) {
			return xinlu.Conflict("totp", "identity.totp_not_enabled")
		} else if err != nil {
			return xinlu.Internal(err)
		}
		if err := tx.replaceRecoveryCodes(ctx, userID, codes); err != nil {
			return err
		}
		return tx.audit(ctx, a, "auth.recovery_regenerate", "user", userID, nil, map[string]any{"recovery_codes": len(codes)})
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// DisableTOTP removes the user's own second factor, which only those whose
// roles do not require one may do.
func (s *Store) DisableTOTP(ctx context.Context, a xinlu.Actor, zoneID, userID int64) error {
	return s.inTx(ctx, func(tx *Tx) error {
		u, err := tx.userForUpdate(ctx, zoneID, userID)
		if err != nil {
			return err
		}
		if s.NeedsSecondFactor(u.Roles) {
			return xinlu.Invalid("totp", "identity.totp_required_for_roles")
		}
		n, err := tx.removeTOTP(ctx, userID)
		if err != nil {
			return err
		}
		if n == 0 {
			return xinlu.Conflict("totp", "identity.totp_not_enabled")
		}
		return tx.audit(ctx, a, "auth.totp_disable", "user", userID, map[string]any{"totp": true}, map[string]any{"totp": false})
	})
}

// ResetTOTP removes the second factor of another account of zoneID (the
// security administrator's job, when a phone is lost) and ends its sessions
// and tokens: whoever signs in next must enrol again if the roles require it.
func (s *Store) ResetTOTP(ctx context.Context, a xinlu.Actor, zoneID, userID int64) error {
	if a.UserID != 0 && a.UserID == userID {
		return xinlu.Invalid("totp", "identity.totp_cannot_reset_self")
	}
	return s.inTx(ctx, func(tx *Tx) error {
		u, err := tx.userForUpdate(ctx, zoneID, userID)
		if err != nil {
			return err
		}
		n, err := tx.removeTOTP(ctx, userID)
		if err != nil {
			return err
		}
		if n == 0 {
			return xinlu.Conflict("totp", "identity.totp_not_enabled")
		}
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
			return xinlu.Internal(err)
		}
		return tx.audit(ctx, a, "auth.totp_reset", "user", userID,
			map[string]any{"username": u.Username, "totp": true}, map[string]any{"totp": false, "sessions_ended": true})
	})
}

// removeTOTP deletes a user's TOTP (pending or enabled) and recovery codes,
// and reports whether an enabled one was there.
func (tx *Tx) removeTOTP(ctx context.Context, userID int64) (int64, error) {
	res, err := tx.exec(ctx, `DELETE FROM user_totp WHERE user_id = ? AND enabled = ?`, userID, true)
	if err != nil {
		return 0, xinlu.Internal(err)
	}
	n, _ := res.RowsAffected()
	if _, err := tx.exec(ctx, `DELETE FROM user_totp WHERE user_id = ?`, userID); err != nil {
		return 0, xinlu.Internal(err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
		return 0, xinlu.Internal(err)
	}
	return n, nil
}

// VerifySecondFactor is the second step of a sign-in for an account with a
// TOTP: code is a six-digit TOTP code, or else one of the recovery codes.
// A TOTP code is accepted once (its step must be later than the last one
// accepted, checked and stored in one statement so that two requests with
// the same code cannot both pass); a recovery code is deleted as it is used.
// A wrong code is a failed sign-in: it counts towards the lockout and the
// per-address throttle. On success the consecutive failures are cleared;
// usedRecovery reports whether a recovery code did it.
func (s *Store) VerifySecondFactor(ctx context.Context, a xinlu.Actor, u *xinlu.User, code string) (usedRecovery bool, err error) {
	a.ZoneID, a.UserID, a.Name = u.ZoneID, u.ID, u.Username
	if xinlu.NormalizeTOTP(code) == "" {
		return false, xinlu.Invalid("totp", "error.required")
	}
	slot, err := s.reserveAttempt(ctx, a, u.Username, s.LockoutPolicy(ctx))
	if err != nil {
		return false, err
	}
	var ok bool
	err = s.inTx(ctx, func(tx *Tx) error {
		var secret string
		var last int64
		err := tx.queryRow(ctx, `SELECT secret, last_step FROM user_totp WHERE user_id = ? AND enabled = ?`, u.ID, true).Scan(&secret, &last)
		if err == sql.ErrNoRows {
			return nil // no second factor to check against: the code is wrong
		} else if err != nil {
			return xinlu.Internal(err)
		}
		if secret, err = s.openTOTP(secret); err != nil {
			return err
		}
		if xinlu.LooksLikeTOTP(code) {
			step, match := xinlu.CheckTOTP(secret, code, s.Now(), last)
			if !match {
				return nil
			}
			res, err := tx.exec(ctx, `UPDATE user_totp SET last_step = ? WHERE user_id = ? AND last_step < ?`, step, u.ID, step)
			if err != nil {
				return xinlu.Internal(err)
			}
			n, _ := res.RowsAffected()
			ok = n == 1
			return nil
		}
		res, err := tx.exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ? AND code_hash = ?`, u.ID, xinlu.HashRecoveryCode(code))
		if err != nil {
			return xinlu.Internal(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil
		}
		ok, usedRecovery = true, true
		var left int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = ?`, u.ID).Scan(&left); err != nil {
			return xinlu.Internal(err)
		}
		return tx.audit(ctx, a, "auth.recovery_used", "user", u.ID, nil, map[string]any{"recovery_codes_left": left})
	})
	if err != nil {
		s.releaseAttempt(ctx, u.Username)
		return false, err
	}
	err = s.inTx(ctx, func(tx *Tx) error {
		if ok {
			return tx.recordAttempt(ctx, a, u.Username, true, "", time.Time{})
		}
		return tx.recordAttempt(ctx, a, u.Username, false, "second_factor", slot.locksUntil)
	})
	if err != nil {
		return false, err
	}
	if !ok {
		return false, &xinlu.Error{Code: xinlu.EUNAUTHORIZED, Field: "totp", Key: "identity.totp_invalid"}
	}
	return usedRecovery, nil
}

// ChallengeTTL is how long a sign-in may wait between password and code.
const ChallengeTTL = 5 * time.Minute

// Challenge is a sign-in whose password was right and whose second factor
// is still to come. It is kept in the database; the browser holds only a
// random secret naming it.
type Challenge struct {
	ID        int64
	UserID    int64
	IP        string
	Next      string
	ExpiresAt time.Time
}

// BeginChallenge starts the second step of a sign-in and returns its
// secret. Expired challenges are cleared on the way.
func (s *Store) BeginChallenge(ctx context.Context, a xinlu.Actor, userID int64, next string) (string, error) {
	token := xinlu.RandomToken(32)
	err := s.inTx(ctx, func(tx *Tx) error {
		now := s.Now()
		if _, err := tx.exec(ctx, `DELETE FROM login_challenges WHERE expires_at < ? OR user_id = ?`, now, userID); err != nil {
			return xinlu.Internal(err)
		}
		_, err := tx.insert(ctx, `INSERT INTO login_challenges (token_hash, user_id, ip, next, created_at, expires_at) VALUES (?,?,?,?,?,?)`,
			hashToken(token), userID, a.IP, truncate(next, 500), now, now.Add(ChallengeTTL))
		return err
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// ChallengeUser returns the user and challenge a secret names, while the
// challenge lasts and the account is enabled.
func (s *Store) ChallengeUser(ctx context.Context, token string) (*xinlu.User, *Challenge, error) {
	expired := xinlu.NotFound("identity.challenge_expired")
	if token == "" {
		return nil, nil, expired
	}
	c := &Challenge{}
	err := s.queryRow(ctx, `SELECT id, user_id, ip, next, expires_at FROM login_challenges WHERE token_hash = ?`, hashToken(token)).
		Scan(&c.ID, &c.UserID, &c.IP, &c.Next, &c.ExpiresAt)
	if err == sql.ErrNoRows {
		return nil, nil, expired
	} else if err != nil {
		return nil, nil, xinlu.Internal(err)
	}
	if !s.Now().Before(c.ExpiresAt) {
		return nil, nil, expired
	}
	u, err := s.UserByID(ctx, 0, c.UserID)
	if xinlu.ErrorCode(err) == xinlu.ENOTFOUND || (err == nil && u.Disabled) {
		return nil, nil, expired
	} else if err != nil {
		return nil, nil, err
	}
	return u, c, nil
}

// EndChallenge forgets a challenge (done, or given up).
func (s *Store) EndChallenge(ctx context.Context, token string) error {
	return s.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM login_challenges WHERE token_hash = ?`, hashToken(token))
		return s.translate(err)
	})
}

// AccountSecurity is one line of the security administrator's account list.
type AccountSecurity struct {
	User        *xinlu.User
	TOTP        bool
	Locked      bool
	LockedUntil time.Time
	Failures    int
}

// AccountSecurityFilter selects accounts: those matching Query (username or
// name), or with an empty query the locked ones.
type AccountSecurityFilter struct {
	ZoneID int64
	Query  string
	xinlu.Page
}

// ListAccountSecurity returns one page of accounts of a zone with their
// lock and second-factor status, and the total.
func (s *Store) ListAccountSecurity(ctx context.Context, f AccountSecurityFilter) ([]AccountSecurity, int, error) {
	now := s.Now()
	where, args := []string{"u.zone_id = ?"}, []any{f.ZoneID}
	if q := strings.TrimSpace(f.Query); q != "" {
		where = append(where, "(u.username "+s.likeOp()+" ? ESCAPE '\\' OR u.name "+s.likeOp()+" ? ESCAPE '\\')")
		args = append(args, likePattern(q), likePattern(q))
	} else {
		where, args = append(where, "l.locked_until > ?"), append(args, now)
	}
	from := ` FROM users u LEFT JOIN members m ON m.id = u.member_id
		LEFT JOIN login_locks l ON l.username = u.username LEFT JOIN user_totp t ON t.user_id = u.id AND t.enabled = ?`
	cond := " WHERE " + strings.Join(where, " AND ")
	all := append([]any{true}, args...)
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*)`+from+cond, all...).Scan(&total); err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	p := f.Page.Normalize()
	rows, err := s.query(ctx, `SELECT `+userColumns+`, t.user_id IS NOT NULL, COALESCE(l.failures, 0), l.locked_until`+from+cond+
		` ORDER BY u.username`+s.pageSQL(p), append(all, s.pageArgs(p)...)...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	defer rows.Close()
	var out []AccountSecurity
	var users []*xinlu.User
	for rows.Next() {
		u := &xinlu.User{}
		var as AccountSecurity
		var until sql.NullTime
		if err := rows.Scan(&u.ID, &u.ZoneID, &u.Username, &u.Name, &u.MemberID, &u.DepartmentID,
			&u.Lang, &u.MustChangePassword, &u.Disabled, &u.PasswordHash, &u.Version, &u.CreatedAt, &u.UpdatedAt,
			&as.TOTP, &as.Failures, &until); err != nil {
			return nil, 0, xinlu.Internal(err)
		}
		u.PasswordHash = ""
		as.User = u
		if until.Valid && until.Time.After(now) {
			as.Locked, as.LockedUntil = true, until.Time.UTC()
		}
		out = append(out, as)
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	return out, total, s.loadRoles(ctx, users...)
}

// totpField binds sealed TOTP secrets to their column.
const totpField = "user_totp.secret"

// sealTOTP encrypts a TOTP seed with the store's sealer (the same keys as
// personal data), or keeps it as it is when the store has none.
func (s *Store) sealTOTP(secret string) (string, error) {
	sl := s.Sealer()
	if sl == nil {
		return secret, nil
	}
	v, err := sl.Seal(totpField, secret)
	if err != nil {
		return "", xinlu.Internal(err)
	}
	return v, nil
}

// openTOTP decrypts a stored TOTP seed; seeds stored before encryption
// come back as they are.
func (s *Store) openTOTP(stored string) (string, error) {
	if !seal.IsSealed(stored) {
		return stored, nil
	}
	sl := s.Sealer()
	if sl == nil {
		return "", xinlu.Internal(fmt.Errorf("%s: %w", totpField, errNoKeys))
	}
	v, err := sl.Open(totpField, stored)
	if err != nil {
		return "", xinlu.Internal(err)
	}
	return v, nil
}

// RequireSecondFactorForAll makes a second factor required for every
// account, not only the administrators and those who may reveal personal
// data (xinlu.NeedsSecondFactor).
func (s *Store) RequireSecondFactorForAll(all bool) { s.totpForAll = all }

// NeedsSecondFactor reports whether an account with roles must sign in with
// a second factor under this installation's policy.
func (s *Store) NeedsSecondFactor(roles []xinlu.Role) bool {
	return s.totpForAll || xinlu.NeedsSecondFactor(roles)
}
