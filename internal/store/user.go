package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"xinlu/internal/xinlu"
)

const userColumns = `u.id, u.zone_id, u.username, u.name, COALESCE(u.member_id, 0), COALESCE(m.department_id, 0),
	u.lang, u.must_change_password, u.disabled, u.password_hash, u.version, u.created_at, u.updated_at`

const userFrom = ` FROM users u LEFT JOIN members m ON m.id = u.member_id`

func scanUser(sc interface{ Scan(...any) error }) (*xinlu.User, error) {
	u := &xinlu.User{}
	err := sc.Scan(&u.ID, &u.ZoneID, &u.Username, &u.Name, &u.MemberID, &u.DepartmentID,
		&u.Lang, &u.MustChangePassword, &u.Disabled, &u.PasswordHash, &u.Version, &u.CreatedAt, &u.UpdatedAt)
	return u, err
}

// userRoles loads the roles of the given users in one query.
func (s *Store) loadRoles(ctx context.Context, users ...*xinlu.User) error {
	if len(users) == 0 {
		return nil
	}
	byID := map[int64]*xinlu.User{}
	ph := make([]string, len(users))
	args := make([]any, len(users))
	for i, u := range users {
		byID[u.ID] = u
		u.Roles = nil
		ph[i], args[i] = "?", u.ID
	}
	rows, err := s.query(ctx, `SELECT user_id, role FROM user_roles WHERE user_id IN (`+strings.Join(ph, ",")+`) ORDER BY user_id, role`, args...)
	if err != nil {
		return xinlu.Internal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var r string
		if err := rows.Scan(&id, &r); err != nil {
			return xinlu.Internal(err)
		}
		byID[id].Roles = append(byID[id].Roles, xinlu.Role(r))
	}
	for _, u := range users {
		sortRoles(u.Roles)
	}
	return rows.Err()
}

// sortRoles puts roles in the order of xinlu.Roles.
func sortRoles(rs []xinlu.Role) {
	order := map[xinlu.Role]int{}
	for i, r := range xinlu.Roles {
		order[r] = i
	}
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && order[rs[j]] < order[rs[j-1]]; j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
}

// UserByID returns a user of zoneID (any zone when zoneID is 0).
func (s *Store) UserByID(ctx context.Context, zoneID, id int64) (*xinlu.User, error) {
	u, err := scanUser(s.queryRow(ctx, `SELECT `+userColumns+userFrom+` WHERE u.id = ? AND (? = 0 OR u.zone_id = ?)`, id, zoneID, zoneID))
	if err != nil {
		return nil, s.translate(err)
	}
	return u, s.loadRoles(ctx, u)
}

// UserByUsername returns the user with that login name.
func (s *Store) UserByUsername(ctx context.Context, username string) (*xinlu.User, error) {
	u, err := scanUser(s.queryRow(ctx, `SELECT `+userColumns+userFrom+` WHERE u.username = ?`, strings.ToLower(strings.TrimSpace(username))))
	if err != nil {
		return nil, s.translate(err)
	}
	return u, s.loadRoles(ctx, u)
}

// UserFilter selects users for the admin list.
type UserFilter struct {
	ZoneID int64
	Query  string // username or name
	Role   xinlu.Role
	xinlu.Page
}

// ListUsers returns one page of users and the total.
func (s *Store) ListUsers(ctx context.Context, f UserFilter) ([]*xinlu.User, int, error) {
	where, args := []string{"u.zone_id = ?"}, []any{f.ZoneID}
	if q := strings.TrimSpace(f.Query); q != "" {
		where = append(where, "(u.username "+s.likeOp()+" ? ESCAPE '\\' OR u.name "+s.likeOp()+" ? ESCAPE '\\')")
		args = append(args, likePattern(q), likePattern(q))
	}
	if f.Role != "" {
		where, args = append(where, "EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = ?)"), append(args, string(f.Role))
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM users u`+cond, args...).Scan(&total); err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	p := f.Page.Normalize()
	rows, err := s.query(ctx, `SELECT `+userColumns+userFrom+cond+` ORDER BY u.username`+s.pageSQL(p), append(args, s.pageArgs(p)...)...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	out, err := collect(rows, scanUser)
	if err != nil {
		return nil, 0, err
	}
	return out, total, s.loadRoles(ctx, out...)
}

// userAudit is what the audit log keeps of a user: never the password hash.
func userAudit(u *xinlu.User) map[string]any {
	return map[string]any{
		"username": u.Username, "name": u.Name, "member_id": u.MemberID, "roles": u.Roles,
		"lang": u.Lang, "disabled": u.Disabled, "must_change_password": u.MustChangePassword,
	}
}

// CreateUser inserts u (with PasswordHash set) and its roles. The combined
// administrator is refused outside the demo zone, and the attempt audited.
func (s *Store) CreateUser(ctx context.Context, a xinlu.Actor, u *xinlu.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.HasRole(xinlu.RoleAdmin) {
		z, err := s.ZoneByID(ctx, u.ZoneID)
		if err != nil {
			return err
		}
		if err := xinlu.CheckDemoOnly(z, u.Roles); err != nil {
			return s.refuseRoles(ctx, a, u.ZoneID, 0, u.Username, nil, u.Roles, err)
		}
	}
	return s.inTx(ctx, func(tx *Tx) error {
		if err := tx.checkMember(ctx, u); err != nil {
			return err
		}
		now := s.Now()
		id, err := tx.insert(ctx, `INSERT INTO users (zone_id, username, name, member_id, password_hash, lang,
			must_change_password, disabled, version, created_at, updated_at, password_changed_at) VALUES (?,?,?,?,?,?,?,?,1,?,?,?)`,
			u.ZoneID, u.Username, u.Name, nullID(u.MemberID), u.PasswordHash, u.Lang, u.MustChangePassword, u.Disabled, now, now, now)
		if err != nil {
			if xinlu.ErrorCode(err) == xinlu.ECONFLICT {
				if strings.Contains(err.Error(), "member_id") {
					return xinlu.Conflict("member_id", "user.member_taken")
				}
				return xinlu.Conflict("username", "user.username_taken")
			}
			return err
		}
		u.ID, u.Version, u.CreatedAt, u.UpdatedAt = id, 1, now, now
		if err := tx.addPasswordHistory(ctx, u.ID, u.PasswordHash); err != nil {
			return err
		}
		if err := tx.setRoles(ctx, u.ID, u.Roles); err != nil {
			return err
		}
		return tx.audit(ctx, a, "user.create", "user", u.ID, nil, userAudit(u))
	})
}

func (tx *Tx) setRoles(ctx context.Context, userID int64, roles []xinlu.Role) error {
	if _, err := tx.exec(ctx, `DELETE FROM user_roles WHERE user_id = ?`, userID); err != nil {
		return xinlu.Internal(err)
	}
	for _, r := range roles {
		if _, err := tx.exec(ctx, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, userID, string(r)); err != nil {
			return xinlu.Internal(err)
		}
	}
	return nil
}

// UpdateUser saves name, member link, language and disabled flag of u,
// provided u.Version is current. Disabling ends the user's sessions. Roles
// are left as they are: they change through SetUserRoles.
func (s *Store) UpdateUser(ctx context.Context, a xinlu.Actor, u *xinlu.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := tx.userForUpdate(ctx, u.ZoneID, u.ID)
		if err != nil {
			return err
		}
		if old.Version != u.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		if old.Name == u.Name && old.MemberID == u.MemberID && old.Lang == u.Lang && old.Disabled == u.Disabled {
			// Saved unchanged: no version, no audit row.
			*u = *old
			return nil
		}
		if err := tx.checkMember(ctx, u); err != nil {
			return err
		}
		if err := u.CheckSelfEdit(a.UserID, old); err != nil {
			return err
		}
		now := s.Now()
		if _, err := tx.exec(ctx, `UPDATE users SET name = ?, member_id = ?, lang = ?, disabled = ?, version = version + 1, updated_at = ?
			WHERE id = ?`, u.Name, nullID(u.MemberID), u.Lang, u.Disabled, now, u.ID); err != nil {
			if err := tx.s.translate(err); xinlu.ErrorCode(err) == xinlu.ECONFLICT {
				return xinlu.Conflict("member_id", "user.member_taken")
			}
			return tx.s.translate(err)
		}
		u.Roles = old.Roles // roles change only through SetUserRoles
		if u.Disabled && !old.Disabled {
			if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID); err != nil {
				return xinlu.Internal(err)
			}
		}
		u.Version, u.UpdatedAt = old.Version+1, now
		return tx.audit(ctx, a, "user.update", "user", u.ID, userAudit(old), userAudit(u))
	})
}

func (tx *Tx) userForUpdate(ctx context.Context, zoneID, id int64) (*xinlu.User, error) {
	u, err := scanUser(tx.queryRow(ctx, `SELECT `+userColumns+userFrom+` WHERE u.id = ? AND u.zone_id = ?`, id, zoneID))
	if err != nil {
		return nil, tx.s.translate(err)
	}
	rows, err := tx.query(ctx, `SELECT role FROM user_roles WHERE user_id = ?`, id)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, xinlu.Internal(err)
		}
		u.Roles = append(u.Roles, xinlu.Role(r))
	}
	sortRoles(u.Roles)
	return u, rows.Err()
}

// SetPassword stores a new password hash, remembers it in the password
// history and restarts the password's age, and ends every session of the
// user except keepSession (the one that made the change, if any). The
// caller has applied the policy (a user's own change goes through
// ChangeOwnPassword); administrators' resets give random passwords that
// must be changed.
func (s *Store) SetPassword(ctx context.Context, a xinlu.Actor, userID int64, hash string, mustChange bool, keepSession string) error {
	return s.inTx(ctx, func(tx *Tx) error {
		return tx.setPassword(ctx, a, userID, hash, mustChange, keepSession)
	})
}

func (tx *Tx) setPassword(ctx context.Context, a xinlu.Actor, userID int64, hash string, mustChange bool, keepSession string) error {
	now := tx.s.Now()
	res, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, password_changed_at = ?, version = version + 1, updated_at = ? WHERE id = ?`,
		hash, mustChange, now, now, userID)
	if err != nil {
		return xinlu.Internal(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return xinlu.NotFound("error.not_found")
	}
	if err := tx.addPasswordHistory(ctx, userID, hash); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, userID, hashToken(keepSession)); err != nil {
		return xinlu.Internal(err)
	}
	return tx.audit(ctx, a, "user.password", "user", userID, nil, map[string]any{"must_change_password": mustChange})
}

// ChangeOwnPassword changes u's own password in one transaction: it checks
// the current password against the one stored, the policy (length,
// classes, no username, product name or zone code, not a common weak
// password) and the history (none of the last few), then stores the new
// one and ends the user's other sessions, all but keepSession. Two
// changes at once cannot both pass the checks against the same history.
func (s *Store) ChangeOwnPassword(ctx context.Context, a xinlu.Actor, u *xinlu.User, current, next, keepSession string) error {
	if current == "" {
		return xinlu.Invalid("current_password", "error.required")
	}
	policy := s.PasswordPolicy(ctx, u.ZoneID)
	var words []string // context words the password may not contain
	if z, err := s.ZoneByID(ctx, u.ZoneID); err == nil {
		words = append(words, z.Code)
	} else if xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
		return err
	}
	// The new password's hash is worked out before the transaction, so
	// that the write lock is not held for it.
	hash, err := xinlu.HashPassword(next)
	if err != nil {
		return xinlu.Internal(err)
	}
	return s.inTx(ctx, func(tx *Tx) error {
		q := `SELECT password_hash FROM users WHERE id = ? AND zone_id = ?`
		if s.dialect == Postgres {
			q += ` FOR UPDATE`
		}
		var stored string
		if err := tx.queryRow(ctx, q, u.ID, u.ZoneID).Scan(&stored); err != nil {
			return s.translate(err)
		}
		if !xinlu.CheckPassword(stored, current) {
			return xinlu.Invalid("current_password", "auth.current_password_wrong")
		}
		if err := policy.Validate(next, u.Username, words...); err != nil {
			return asNewPassword(err)
		}
		if next == current {
			return xinlu.Invalid("new_password", "password.same_as_old")
		}
		history, err := passwordHistory(ctx, tx.query, u.ID, policy.History)
		if err != nil {
			return err
		}
		if err := policy.CheckHistory(next, history); err != nil {
			return asNewPassword(err)
		}
		return tx.setPassword(ctx, a, u.ID, hash, false, keepSession)
	})
}

// asNewPassword names the new-password field in a policy error.
func asNewPassword(err error) error {
	e := xinlu.AsError(err)
	if e.Code == xinlu.EINVALID {
		e.Field = "new_password"
	}
	return e
}

// SetLang remembers a user's UI language.
func (s *Store) SetLang(ctx context.Context, a xinlu.Actor, userID int64, lang string) error {
	return s.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE users SET lang = ?, updated_at = ? WHERE id = ?`, lang, s.Now(), userID); err != nil {
			return xinlu.Internal(err)
		}
		return tx.audit(ctx, a, "user.lang", "user", userID, nil, map[string]any{"lang": lang})
	})
}

// recordAttempt remembers one sign-in attempt for the per-address throttle.
// A success clears the failures counted against this name and address and
// the account's consecutive failures; a failure is audited with its reason
// ("password", "second_factor" or "locked"), and when it is the one that
// locks the account, the lock is audited too.
func (tx *Tx) recordAttempt(ctx context.Context, a xinlu.Actor, username string, ok bool, reason string, lockedUntil time.Time) error {
	username = strings.ToLower(username)
	if _, err := tx.exec(ctx, `INSERT INTO login_attempts (username, ip, at, ok) VALUES (?,?,?,?)`,
		username, a.IP, tx.s.Now(), ok); err != nil {
		return xinlu.Internal(err)
	}
	if ok {
		if _, err := tx.exec(ctx, `DELETE FROM login_attempts WHERE username = ? AND ip = ? AND ok = ?`, username, a.IP, false); err != nil {
			return xinlu.Internal(err)
		}
		_, err := tx.exec(ctx, `DELETE FROM login_locks WHERE username = ?`, lockKey(username))
		return tx.s.translate(err)
	}
	if err := tx.audit(ctx, a, "auth.login_failed", "user", a.UserID, nil,
		map[string]any{"username": truncate(username, 64), "reason": reason}); err != nil {
		return err
	}
	if !lockedUntil.IsZero() {
		return tx.audit(ctx, a, "auth.lockout", "user", a.UserID, nil,
			map[string]any{"username": truncate(username, 64), "locked_until": lockedUntil})
	}
	return nil
}

// RecordLoginAttempt remembers one login attempt for throttling, and audits
// failures.
func (s *Store) RecordLoginAttempt(ctx context.Context, a xinlu.Actor, username string, ok bool) error {
	return s.inTx(ctx, func(tx *Tx) error {
		return tx.recordAttempt(ctx, a, username, ok, "password", time.Time{})
	})
}

// FailedLogins counts failed attempts for username from ip since t.
func (s *Store) FailedLogins(ctx context.Context, username, ip string, since time.Time) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM login_attempts WHERE username = ? AND ip = ? AND ok = ? AND at >= ?`,
		strings.ToLower(username), ip, false, since.UTC()).Scan(&n)
	return n, s.translate(err)
}

// LoginPolicy is the throttle applied to password logins. The account
// lockout and the password's maximum age come from the security policy
// (LockoutPolicy, PasswordPolicy).
type LoginPolicy struct {
	Limit  int           // failures per username and address …
	Window time.Duration // … within this window before further tries get 429
}

// Login checks a username and password, the first step of a sign-in.
//
// Unknown users and wrong passwords get the same error and take the same
// time. After Limit failures from one address within Window, attempts are
// refused without checking (429). After the lockout policy's threshold of
// consecutive failures from any address, the login name is locked: every
// attempt is refused with the locked error, whatever the password, so that
// the answer is no oracle for guesses, and unknown names lock the same way
// as real ones, so that it tells nothing of which names exist.
//
// On a right password Login returns the user and what the sign-in still
// needs: FactorNone means it is complete (the caller starts the session);
// FactorCode and FactorEnrol mean a second factor must follow
// (VerifySecondFactor, or ConfirmTOTP for an enrolment) before any session
// is started. A password older than the policy's maximum age is marked to
// be changed (MustChangePassword), as after an administrator's reset.
func (s *Store) Login(ctx context.Context, a xinlu.Actor, username, password string, p LoginPolicy) (*xinlu.User, Factor, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	if username == "" {
		return nil, FactorNone, xinlu.Invalid("username", "error.required")
	}
	if password == "" {
		return nil, FactorNone, xinlu.Invalid("password", "error.required")
	}
	failed, err := s.FailedLogins(ctx, username, a.IP, s.Now().Add(-p.Window))
	if err != nil {
		return nil, FactorNone, err
	}
	if p.Limit > 0 && failed >= p.Limit {
		_ = s.Audit(ctx, a, "auth.login_throttled", "user", 0, map[string]any{"username": truncate(username, 64)})
		return nil, FactorNone, &xinlu.Error{Code: xinlu.ETOOMANYREQUESTS, Key: "auth.too_many_attempts", Args: []any{int(p.Window.Minutes())}}
	}
	lp := s.LockoutPolicy(ctx)
	slot, err := s.reserveAttempt(ctx, a, username, lp)
	if err != nil {
		return nil, FactorNone, err
	}
	u, err := s.UserByUsername(ctx, username)
	if err != nil && xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
		s.releaseAttempt(ctx, username)
		return nil, FactorNone, err
	}
	hash := ""
	if u != nil && err == nil {
		hash = u.PasswordHash
	}
	if !xinlu.CheckPasswordOrDummy(hash, password) || u.Disabled {
		if u != nil && err == nil {
			a.ZoneID = u.ZoneID
		}
		if err := s.inTx(ctx, func(tx *Tx) error {
			return tx.recordAttempt(ctx, a, username, false, "password", slot.locksUntil)
		}); err != nil {
			return nil, FactorNone, err
		}
		return nil, FactorNone, &xinlu.Error{Code: xinlu.EUNAUTHORIZED, Key: "auth.bad_credentials"}
	}
	a.ZoneID, a.UserID, a.Name = u.ZoneID, u.ID, u.Username
	if err := s.expirePassword(ctx, a, u); err != nil {
		s.releaseAttempt(ctx, username)
		return nil, FactorNone, err
	}
	factor, err := s.secondFactorFor(ctx, u)
	if err != nil {
		s.releaseAttempt(ctx, username)
		return nil, FactorNone, err
	}
	if factor != FactorNone {
		// The password was right, so it counts as no failure; but neither
		// is the sign-in done, so the consecutive failures stand until the
		// second factor succeeds.
		s.releaseAttempt(ctx, username)
		return u, factor, nil
	}
	if err := s.inTx(ctx, func(tx *Tx) error {
		return tx.recordAttempt(ctx, a, username, true, "", time.Time{})
	}); err != nil {
		return nil, FactorNone, err
	}
	return u, FactorNone, nil
}

// expirePassword marks u's password to be changed when it is older than the
// policy's maximum age.
func (s *Store) expirePassword(ctx context.Context, a xinlu.Actor, u *xinlu.User) error {
	if u.MustChangePassword {
		return nil
	}
	changed, err := s.PasswordChangedAt(ctx, u.ID)
	if err != nil {
		return err
	}
	if !s.PasswordPolicy(ctx, u.ZoneID).Expired(changed, s.Now()) {
		return nil
	}
	err = s.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE users SET must_change_password = ? WHERE id = ?`, true, u.ID); err != nil {
			return xinlu.Internal(err)
		}
		return tx.audit(ctx, a, "auth.password_expired", "user", u.ID, nil, map[string]any{"password_changed_at": changed})
	})
	if err == nil {
		u.MustChangePassword = true
	}
	return err
}

// MemberChoice is a staff member offered when linking an account.
type MemberChoice struct {
	ID             int64
	Name           string
	StaffNo        string
	DepartmentName string
}

// MembersForAccount lists a zone's members who have no account yet, plus
// the member keep (the one already linked to the account being edited).
func (s *Store) MembersForAccount(ctx context.Context, zoneID, keep int64) ([]MemberChoice, error) {
	rows, err := s.query(ctx, `SELECT m.id, m.name, m.staff_no, COALESCE(d.name, '') FROM members m
		LEFT JOIN departments d ON d.id = m.department_id
		WHERE m.zone_id = ? AND m.status <> 'left' AND (m.id = ? OR NOT EXISTS (SELECT 1 FROM users u WHERE u.member_id = m.id))
		ORDER BY m.staff_no LIMIT 2000`, zoneID, keep)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	var out []MemberChoice
	for rows.Next() {
		var c MemberChoice
		if err := rows.Scan(&c.ID, &c.Name, &c.StaffNo, &c.DepartmentName); err != nil {
			return nil, xinlu.Internal(err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// checkMember refuses linking an account to a member of another zone.
func (tx *Tx) checkMember(ctx context.Context, u *xinlu.User) error {
	return tx.sameZone(ctx, u.ZoneID, "members", u.MemberID, "member_id")
}

// SetUserRoles replaces the roles of a user of zoneID, provided version is
// current: the change a zone's security administrator makes through the
// pages or the API. Nobody changes their own roles, and the administrators'
// roles and roles reaching beyond the zone are the operator's
// (xinlu.CheckZoneRoleChange, SetRolesByOperator): such an attempt is
// refused, audited and raises an alarm.
func (s *Store) SetUserRoles(ctx context.Context, a xinlu.Actor, zoneID, userID int64, roles []xinlu.Role, version int) error {
	if a.UserID != 0 && a.UserID == userID {
		return xinlu.Invalid("roles", "user.cannot_change_own_roles")
	}
	for _, r := range roles {
		if !r.Valid() {
			return xinlu.Invalid("roles", "user.role_unknown", string(r))
		}
	}
	var old *xinlu.User
	var refused error
	err := s.inTx(ctx, func(tx *Tx) error {
		var err error
		if old, err = tx.userForUpdate(ctx, zoneID, userID); err != nil {
			return err
		}
		if refused = xinlu.CheckZoneRoleChange(old.Roles, roles); refused != nil {
			return refused
		}
		probe := xinlu.User{Username: "probe", Name: "probe", Roles: roles}
		if err := probe.Validate(); err != nil {
			return err
		}
		if old.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		if sameRoles(old.Roles, roles) {
			return nil // saved unchanged: no version, no audit row
		}
		return tx.replaceRoles(ctx, a, old, roles)
	})
	if refused != nil {
		return s.refuseRoles(ctx, a, zoneID, userID, old.Username, old.Roles, roles, refused)
	}
	return err
}

// sameRoles tells whether two lists hold the same roles, in any order.
func sameRoles(a, b []xinlu.Role) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// SetRolesByOperator replaces the roles of a user of any zone: the
// operator's change on the command line ("xinlu user roles"), the only way
// to give or change the administrators' roles and roles that reach beyond
// one zone. The combined administrator stays in the demo zone.
func (s *Store) SetRolesByOperator(ctx context.Context, userID int64, roles []xinlu.Role) error {
	probe := xinlu.User{Username: "probe", Name: "probe", Roles: roles}
	if err := probe.Validate(); err != nil {
		return err
	}
	u, err := s.UserByID(ctx, 0, userID)
	if err != nil {
		return err
	}
	a := xinlu.SystemActor(u.ZoneID)
	z, err := s.ZoneByID(ctx, u.ZoneID)
	if err != nil {
		return err
	}
	if err := xinlu.CheckDemoOnly(z, roles); err != nil {
		return s.refuseRoles(ctx, a, u.ZoneID, userID, u.Username, u.Roles, roles, err)
	}
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := tx.userForUpdate(ctx, u.ZoneID, userID)
		if err != nil {
			return err
		}
		return tx.replaceRoles(ctx, a, old, roles)
	})
}

// replaceRoles gives old's account roles, bumps its version and audits the
// change. New roles that require a second factor the account lacks end its
// sessions, so that it signs in again and enrols before going on.
func (tx *Tx) replaceRoles(ctx context.Context, a xinlu.Actor, old *xinlu.User, roles []xinlu.Role) error {
	if err := tx.setRoles(ctx, old.ID, roles); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE users SET version = version + 1, updated_at = ? WHERE id = ?`, tx.s.Now(), old.ID); err != nil {
		return xinlu.Internal(err)
	}
	after := map[string]any{"roles": roles}
	if tx.s.NeedsSecondFactor(roles) {
		var enabled bool
		err := tx.queryRow(ctx, `SELECT enabled FROM user_totp WHERE user_id = ?`, old.ID).Scan(&enabled)
		if err != nil && err != sql.ErrNoRows {
			return xinlu.Internal(err)
		}
		if !enabled {
			if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, old.ID); err != nil {
				return xinlu.Internal(err)
			}
			after["sessions_ended"] = true
		}
	}
	return tx.audit(ctx, a, "user.roles", "user", old.ID, map[string]any{"roles": old.Roles}, after)
}

// refuseRoles audits a refused role change (user.roles_refused, which
// raises an alarm) in a transaction of its own and returns refusal, the
// error that explains it; the refused change itself is not written.
func (s *Store) refuseRoles(ctx context.Context, a xinlu.Actor, zoneID, userID int64, username string, old, roles []xinlu.Role, refusal error) error {
	if a.ZoneID == 0 {
		a.ZoneID = zoneID
	}
	err := s.inTx(ctx, func(tx *Tx) error {
		return tx.audit(ctx, a, "user.roles_refused", "user", userID, map[string]any{"roles": old},
			map[string]any{"username": username, "roles": roles, "reason": xinlu.AsError(refusal).Key})
	})
	if err != nil {
		return err
	}
	return refusal
}

// CountUsers counts every account of every zone.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, s.translate(err)
}
