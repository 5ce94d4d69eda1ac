package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

const identityPassword = "Kq7!mZ2x-idt"

var (
	identityHashOnce sync.Once
	identityHash     string
)

// identityUser creates an account that signs in with identityPassword.
func identityUser(t *testing.T, s *store.Store, a xinlu.Actor, zoneID int64, username string, role xinlu.Role) *xinlu.User {
	t.Helper()
	identityHashOnce.Do(func() {
		var err error
		if identityHash, err = xinlu.HashPassword(identityPassword); err != nil {
			t.Fatal(err)
		}
	})
	u := &xinlu.User{ZoneID: zoneID, Username: username, Name: username, Roles: []xinlu.Role{role}, PasswordHash: identityHash}
	if err := s.CreateUser(context.Background(), a, u); err != nil {
		t.Fatal(err)
	}
	return u
}

// clock is a settable fake clock for a store.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newClock(s *store.Store) *clock {
	c := &clock{now: time.Date(2026, 11, 27, 8, 0, 5, 0, time.UTC)}
	s.SetClock(c.Now)
	return c
}

// noThrottle leaves the per-address throttle out, so that tests see the
// account lockout alone.
var noThrottle = store.LoginPolicy{}

func auditActions(t *testing.T, s *store.Store, zoneID int64, prefix string) []xinlu.AuditEntry {
	t.Helper()
	rows, _, err := s.ListAudit(context.Background(), xinlu.AuditFilter{ZoneID: zoneID, Action: prefix, Page: xinlu.Page{Page: 1, PerPage: xinlu.MaxPerPage}})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func isLocked(err error) bool {
	e := xinlu.AsError(err)
	return e.Code == xinlu.ETOOMANYREQUESTS && e.Key == "identity.locked"
}

func TestLockoutAfterConsecutiveFailures(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := newClock(s)
		z, a := seedZone(t, s, "LK")
		u := identityUser(t, s, a, z.ID, "li", xinlu.RoleMember)
		login := func(name, pw string, n int) (*xinlu.User, error) {
			// From a different address each time: the lock is per account.
			got, _, err := s.Login(ctx, xinlu.Actor{IP: fmt.Sprintf("10.0.0.%d", n)}, name, pw, noThrottle)
			return got, err
		}
		// Four failures, a success, four more: consecutive only.
		for i := 0; i < 4; i++ {
			if _, err := login("li", "wrong", i); xinlu.ErrorCode(err) != xinlu.EUNAUTHORIZED {
				t.Fatalf("failure %d: %v", i+1, err)
			}
		}
		if _, err := login("li", identityPassword, 9); err != nil {
			t.Fatalf("right password after 4 failures: %v", err)
		}
		for i := 0; i < 4; i++ {
			login("li", "wrong", i)
		}
		// Failures older than the lock duration are forgotten.
		c.Add(31 * time.Minute)
		if _, err := login("li", "wrong", 5); xinlu.ErrorCode(err) != xinlu.EUNAUTHORIZED {
			t.Fatalf("failure after a pause: %v", err)
		}
		if _, err := login("li", identityPassword, 9); err != nil {
			t.Fatalf("a stale count locked the account: %v", err)
		}
		// Five in a row lock it: the fifth still says "wrong", the next
		// says "locked" whatever the password, so it is no oracle.
		for i := 0; i < 5; i++ {
			if _, err := login("li", "wrong", i); xinlu.ErrorCode(err) != xinlu.EUNAUTHORIZED {
				t.Fatalf("failure %d: %v", i+1, err)
			}
		}
		if _, err := login("li", identityPassword, 7); !isLocked(err) {
			t.Fatalf("locked account signed in: %v", err)
		}
		if _, err := login("li", "wrong", 7); !isLocked(err) || xinlu.AsError(err).Args[0] != 30 {
			t.Fatalf("locked account, wrong password: %v", err)
		}
		if n := len(auditActions(t, s, z.ID, "auth.lockout")); n != 1 {
			t.Fatalf("%d lockout audit rows, want 1", n)
		}
		// An unknown name locks the same way: the lock tells nothing of
		// which names exist.
		for i := 0; i < 5; i++ {
			if _, err := login("ghost", "wrong", i); xinlu.ErrorCode(err) != xinlu.EUNAUTHORIZED {
				t.Fatalf("ghost failure %d: %v", i+1, err)
			}
		}
		if _, err := login("ghost", "whatever", 1); !isLocked(err) {
			t.Fatalf("unknown name not locked: %v", err)
		}
		locked, err := s.LockedAccounts(ctx, z.ID)
		if err != nil || len(locked) != 1 || locked[0].UserID != u.ID || locked[0].Failures != 5 {
			t.Fatalf("locked accounts: %+v %v", locked, err)
		}
		// The lock runs out after 30 minutes.
		c.Add(29 * time.Minute)
		if _, err := login("li", identityPassword, 7); !isLocked(err) || xinlu.AsError(err).Args[0] != 1 {
			t.Fatalf("after 29 minutes: %v", err)
		}
		c.Add(time.Minute + time.Second)
		if _, err := login("li", identityPassword, 7); err != nil {
			t.Fatalf("after 30 minutes: %v", err)
		}
		if locked, _ := s.LockedAccounts(ctx, z.ID); len(locked) != 0 {
			t.Fatalf("still listed: %+v", locked)
		}
	})
}

func TestUnlockBySecurityAdministrator(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		newClock(s)
		z, a := seedZone(t, s, "UL")
		other, oa := seedZone(t, s, "UM")
		u := identityUser(t, s, a, z.ID, "zhao", xinlu.RoleMember)
		sec := identityUser(t, s, a, z.ID, "sec", xinlu.RoleSecAdmin)
		foreign := identityUser(t, s, oa, other.ID, "sec2", xinlu.RoleSecAdmin)
		if err := s.Unlock(ctx, xinlu.ActorOf(sec, "10.1.1.1"), z.ID, u.ID); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("unlock of an unlocked account: %v", err)
		}
		// Five failures from one address also fill the per-address throttle.
		throttle := store.LoginPolicy{Limit: 5, Window: 15 * time.Minute}
		for i := 0; i < 5; i++ {
			s.Login(ctx, xinlu.Actor{IP: "10.2.2.2"}, "zhao", "wrong", throttle)
		}
		if _, _, err := s.Login(ctx, xinlu.Actor{IP: "10.3.3.3"}, "zhao", identityPassword, throttle); !isLocked(err) {
			t.Fatalf("not locked: %v", err)
		}
		if err := s.Unlock(ctx, xinlu.ActorOf(foreign, "10.1.1.1"), other.ID, u.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("another zone's administrator unlocked: %v", err)
		}
		if err := s.Unlock(ctx, xinlu.ActorOf(sec, "10.1.1.1"), z.ID, u.ID); err != nil {
			t.Fatal(err)
		}
		// Unlocking clears the throttle's count for the name too.
		if _, _, err := s.Login(ctx, xinlu.Actor{IP: "10.2.2.2"}, "zhao", identityPassword, throttle); err != nil {
			t.Fatalf("after unlock: %v", err)
		}
		rows := auditActions(t, s, z.ID, "auth.unlock")
		if len(rows) != 1 || rows[0].ActorID != sec.ID || rows[0].EntityID != u.ID {
			t.Fatalf("unlock audit: %+v", rows)
		}
	})
}

// TestConcurrentFailuresDoNotExceedThreshold fires many wrong passwords at
// once: exactly the threshold is checked and counted, every other attempt
// is refused as locked without a password check.
func TestConcurrentFailuresDoNotExceedThreshold(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		newClock(s)
		z, a := seedZone(t, s, "CC")
		identityUser(t, s, a, z.ID, "qian", xinlu.RoleMember)
		const n = 16
		var wrong, locked, other atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				_, _, err := s.Login(ctx, xinlu.Actor{IP: fmt.Sprintf("10.9.0.%d", i)}, "qian", "wrong", noThrottle)
				switch {
				case xinlu.ErrorCode(err) == xinlu.EUNAUTHORIZED:
					wrong.Add(1)
				case isLocked(err):
					locked.Add(1)
				default:
					other.Add(1)
					t.Errorf("attempt %d: %v", i, err)
				}
			}(i)
		}
		close(start)
		wg.Wait()
		if wrong.Load() != 5 || locked.Load() != n-5 || other.Load() != 0 {
			t.Fatalf("%d checked as wrong, %d refused as locked, %d other; want 5 and %d", wrong.Load(), locked.Load(), other.Load(), n-5)
		}
		failed := 0
		for _, e := range auditActions(t, s, z.ID, "auth.login_failed") {
			if strings.Contains(e.After, `"reason":"password"`) {
				failed++
			}
		}
		if failed != 5 {
			t.Fatalf("%d password failures audited, want 5", failed)
		}
		if _, _, err := s.Login(ctx, xinlu.Actor{IP: "10.9.1.1"}, "qian", identityPassword, noThrottle); !isLocked(err) {
			t.Fatalf("right password after the burst: %v", err)
		}
	})
}

func TestPasswordHistoryAndAge(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := newClock(s)
		z, a := seedZone(t, s, "PH")
		u := identityUser(t, s, a, z.ID, "sun", xinlu.RoleMember)
		hist, err := s.PasswordHistory(ctx, u.ID, 5)
		if err != nil || len(hist) != 1 || hist[0] != identityHash {
			t.Fatalf("history after create: %v %v", hist, err)
		}
		for i := 1; i <= 30; i++ {
			if err := s.SetPassword(ctx, a, u.ID, fmt.Sprintf("hash-%d", i), false, ""); err != nil {
				t.Fatal(err)
			}
		}
		hist, _ = s.PasswordHistory(ctx, u.ID, 5)
		if strings.Join(hist, ",") != "hash-30,hash-29,hash-28,hash-27,hash-26" {
			t.Fatalf("newest five: %v", hist)
		}
		if all, _ := s.PasswordHistory(ctx, u.ID, 100); len(all) != 24 {
			t.Fatalf("history keeps %d hashes, want 24", len(all))
		}
		// The policy refuses the last five, checked against real hashes.
		policy := s.PasswordPolicy(ctx, z.ID)
		if err := s.SetPassword(ctx, a, u.ID, identityHash, false, ""); err != nil {
			t.Fatal(err)
		}
		hist, _ = s.PasswordHistory(ctx, u.ID, policy.History)
		if err := policy.CheckHistory(identityPassword, hist); xinlu.AsError(err).Key != "identity.password_reused" {
			t.Fatalf("reuse: %v", err)
		}
		// Age: 90 days is fine, a day more forces a change at login.
		changed, err := s.PasswordChangedAt(ctx, u.ID)
		if err != nil || !changed.Equal(s.Now()) {
			t.Fatalf("changed at %v %v", changed, err)
		}
		c.Add(90 * 24 * time.Hour)
		got, _, err := s.Login(ctx, xinlu.Actor{IP: "10.4.4.4"}, "sun", identityPassword, noThrottle)
		if err != nil || got.MustChangePassword {
			t.Fatalf("day 90: %+v %v", got, err)
		}
		c.Add(24 * time.Hour)
		got, _, err = s.Login(ctx, xinlu.Actor{IP: "10.4.4.4"}, "sun", identityPassword, noThrottle)
		if err != nil || !got.MustChangePassword {
			t.Fatalf("day 91: %+v %v", got, err)
		}
		if stored, _ := s.UserByID(ctx, z.ID, u.ID); !stored.MustChangePassword {
			t.Fatal("expiry not stored")
		}
		if n := len(auditActions(t, s, z.ID, "auth.password_expired")); n != 1 {
			t.Fatalf("%d expiry audit rows", n)
		}
		// A new password restarts the age and clears the flag.
		if err := s.SetPassword(ctx, a, u.ID, identityHash, false, ""); err != nil {
			t.Fatal(err)
		}
		got, _, err = s.Login(ctx, xinlu.Actor{IP: "10.4.4.4"}, "sun", identityPassword, noThrottle)
		if err != nil || got.MustChangePassword {
			t.Fatalf("after change: %+v %v", got, err)
		}
	})
}

func TestSecondFactor(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := newClock(s)
		z, a := seedZone(t, s, "TF")
		admin := identityUser(t, s, a, z.ID, "zhou", xinlu.RoleSysAdmin)
		member := identityUser(t, s, a, z.ID, "wu", xinlu.RoleMember)
		sec := identityUser(t, s, a, z.ID, "sec", xinlu.RoleSecAdmin)
		act := xinlu.ActorOf(admin, "10.5.5.5")
		login := func(name string) (*xinlu.User, store.Factor, error) {
			return s.Login(ctx, xinlu.Actor{IP: "10.5.5.5"}, name, identityPassword, noThrottle)
		}
		// Roles that need a second factor must enrol; others need nothing.
		if _, f, err := login("zhou"); err != nil || f != store.FactorEnrol {
			t.Fatalf("administrator before enrolment: %v %v", f, err)
		}
		if _, f, err := login("wu"); err != nil || f != store.FactorNone {
			t.Fatalf("member: %v %v", f, err)
		}
		secret, err := s.StartTOTPEnrolment(ctx, admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := s.StartTOTPEnrolment(ctx, admin.ID); again != secret {
			t.Fatal("a reload made a new secret")
		}
		if _, err := s.ConfirmTOTP(ctx, act, admin.ID, "000000"); xinlu.AsError(err).Key != "identity.totp_invalid" {
			t.Fatalf("wrong enrolment code: %v", err)
		}
		code := func(offset int64) string {
			cd, err := xinlu.TOTPCodeAt(secret, xinlu.TOTPStep(s.Now())+offset)
			if err != nil {
				t.Fatal(err)
			}
			return cd
		}
		recovery, err := s.ConfirmTOTP(ctx, act, admin.ID, code(0))
		if err != nil || len(recovery) != 10 {
			t.Fatalf("confirm: %v %v", recovery, err)
		}
		if _, err := s.StartTOTPEnrolment(ctx, admin.ID); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("second enrolment: %v", err)
		}
		u, f, err := login("zhou")
		if err != nil || f != store.FactorCode {
			t.Fatalf("after enrolment: %v %v", f, err)
		}
		// The code that confirmed the enrolment is spent.
		if _, err := s.VerifySecondFactor(ctx, xinlu.Actor{IP: "10.5.5.5"}, u, code(0)); xinlu.AsError(err).Key != "identity.totp_invalid" {
			t.Fatalf("enrolment code reused: %v", err)
		}
		if _, err := s.VerifySecondFactor(ctx, xinlu.Actor{IP: "10.5.5.5"}, u, code(1)); err != nil {
			t.Fatalf("next code: %v", err)
		}
		// Two requests racing with the same code: one wins.
		c.Add(60 * time.Second)
		var wins atomic.Int32
		var wg sync.WaitGroup
		same := code(0)
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.VerifySecondFactor(ctx, xinlu.Actor{IP: "10.5.5.5"}, u, same); err == nil {
					wins.Add(1)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("%d requests used the same code", wins.Load())
		}
		// A recovery code works once, typed any way.
		rc := strings.ToUpper(strings.Replace(recovery[3], "-", " ", 1))
		if used, err := s.VerifySecondFactor(ctx, xinlu.Actor{IP: "10.5.5.5"}, u, rc); err != nil || !used {
			t.Fatalf("recovery code: %v %v", used, err)
		}
		if _, err := s.VerifySecondFactor(ctx, xinlu.Actor{IP: "10.5.5.5"}, u, recovery[3]); xinlu.ErrorCode(err) != xinlu.EUNAUTHORIZED {
			t.Fatalf("recovery code used twice: %v", err)
		}
		st, _ := s.TOTPStatus(ctx, u)
		if !st.Enabled || !st.Required || st.RecoveryLeft != 9 {
			t.Fatalf("status %+v", st)
		}
		// Wrong codes are failed sign-ins: five lock the account (the
		// recovery code tried twice was the first).
		for i := 0; i < 3; i++ {
			if _, err := s.VerifySecondFactor(ctx, xinlu.Actor{IP: "10.5.5.5"}, u, "000000"); xinlu.ErrorCode(err) != xinlu.EUNAUTHORIZED {
				t.Fatalf("wrong code %d: %v", i, err)
			}
		}
		// A right password in between is no success: the count goes on.
		if _, f, err := login("zhou"); err != nil || f != store.FactorCode {
			t.Fatalf("password between wrong codes: %v %v", f, err)
		}
		if _, err := s.VerifySecondFactor(ctx, xinlu.Actor{IP: "10.5.5.5"}, u, "111111"); xinlu.ErrorCode(err) != xinlu.EUNAUTHORIZED {
			t.Fatalf("fifth wrong code: %v", err)
		}
		if _, _, err := login("zhou"); !isLocked(err) {
			t.Fatalf("not locked after five wrong codes: %v", err)
		}
		if _, err := s.VerifySecondFactor(ctx, xinlu.Actor{IP: "10.5.5.5"}, u, code(1)); !isLocked(err) {
			t.Fatalf("a code on a locked account: %v", err)
		}
		if err := s.Unlock(ctx, xinlu.ActorOf(sec, "10.1.1.1"), z.ID, admin.ID); err != nil {
			t.Fatal(err)
		}
		// Nobody turns off a second factor their roles require, nor resets
		// their own; the security administrator resets another's.
		if err := s.DisableTOTP(ctx, act, z.ID, admin.ID); xinlu.AsError(err).Key != "identity.totp_required_for_roles" {
			t.Fatalf("disable required: %v", err)
		}
		secAct := xinlu.ActorOf(sec, "10.1.1.1")
		if err := s.ResetTOTP(ctx, secAct, z.ID, sec.ID); xinlu.AsError(err).Key != "identity.totp_cannot_reset_self" {
			t.Fatalf("reset self: %v", err)
		}
		if err := s.ResetTOTP(ctx, secAct, z.ID+1000, admin.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("reset in another zone: %v", err)
		}
		tok, _, _ := s.CreateSession(ctx, act, admin.ID, "api", "script", time.Hour)
		if err := s.ResetTOTP(ctx, secAct, z.ID, admin.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionUser(ctx, tok, "api", nil); err == nil {
			t.Fatal("a session survived the reset")
		}
		if _, f, _ := login("zhou"); f != store.FactorEnrol {
			t.Fatalf("after reset: %v", f)
		}
		if err := s.ResetTOTP(ctx, secAct, z.ID, admin.ID); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("second reset: %v", err)
		}
		// A member's second factor is optional: on, then off again.
		msecret, _ := s.StartTOTPEnrolment(ctx, member.ID)
		mcode, _ := xinlu.TOTPCode(msecret, s.Now())
		if _, err := s.ConfirmTOTP(ctx, xinlu.ActorOf(member, ""), member.ID, mcode); err != nil {
			t.Fatal(err)
		}
		if _, f, _ := login("wu"); f != store.FactorCode {
			t.Fatalf("member with a second factor: %v", f)
		}
		if err := s.DisableTOTP(ctx, xinlu.ActorOf(member, ""), z.ID, member.ID); err != nil {
			t.Fatal(err)
		}
		if _, f, _ := login("wu"); f != store.FactorNone {
			t.Fatalf("member after disabling: %v", f)
		}
		// The audit log has every step and never a secret or a code.
		for _, action := range []string{"auth.totp_enable", "auth.recovery_used", "auth.lockout", "auth.unlock", "auth.totp_reset", "auth.totp_disable"} {
			if len(auditActions(t, s, z.ID, action)) == 0 {
				t.Errorf("no %s audit row", action)
			}
		}
		for _, e := range auditActions(t, s, z.ID, "") {
			row := e.Before + e.After
			for _, secretish := range append([]string{secret, msecret, xinlu.FormatSecret(secret)}, recovery...) {
				if strings.Contains(row, secretish) {
					t.Fatalf("audit row %s holds a secret: %s", e.Action, row)
				}
			}
		}
	})
}

func TestLoginChallenges(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := newClock(s)
		z, a := seedZone(t, s, "CH")
		u := identityUser(t, s, a, z.ID, "feng", xinlu.RoleHead)
		tok, err := s.BeginChallenge(ctx, xinlu.ActorOf(u, "10.6.6.6"), u.ID, "/members")
		if err != nil {
			t.Fatal(err)
		}
		got, ch, err := s.ChallengeUser(ctx, tok)
		if err != nil || got.ID != u.ID || ch.Next != "/members" {
			t.Fatalf("challenge: %+v %+v %v", got, ch, err)
		}
		if _, _, err := s.ChallengeUser(ctx, tok+"x"); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("forged challenge: %v", err)
		}
		c.Add(store.ChallengeTTL)
		if _, _, err := s.ChallengeUser(ctx, tok); xinlu.AsError(err).Key != "identity.challenge_expired" {
			t.Fatalf("expired challenge: %v", err)
		}
		tok, _ = s.BeginChallenge(ctx, xinlu.ActorOf(u, "10.6.6.6"), u.ID, "/")
		if err := s.EndChallenge(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.ChallengeUser(ctx, tok); err == nil {
			t.Fatal("ended challenge still works")
		}
		// A new challenge of the same user replaces the old one.
		first, _ := s.BeginChallenge(ctx, xinlu.ActorOf(u, "10.6.6.6"), u.ID, "/")
		second, _ := s.BeginChallenge(ctx, xinlu.ActorOf(u, "10.6.6.6"), u.ID, "/")
		if _, _, err := s.ChallengeUser(ctx, first); err == nil {
			t.Fatal("first challenge survived the second")
		}
		// Disabling the account ends its challenge.
		u.Disabled = true
		if err := s.UpdateUser(ctx, a, u); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.ChallengeUser(ctx, second); err == nil {
			t.Fatal("a disabled account's challenge works")
		}
	})
}

func TestAccountSecurityList(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		newClock(s)
		z, a := seedZone(t, s, "AS")
		identityUser(t, s, a, z.ID, "chu", xinlu.RoleMember)
		wei := identityUser(t, s, a, z.ID, "wei", xinlu.RoleAppraiser)
		secret, _ := s.StartTOTPEnrolment(ctx, wei.ID)
		code, _ := xinlu.TOTPCode(secret, s.Now())
		if _, err := s.ConfirmTOTP(ctx, xinlu.ActorOf(wei, ""), wei.ID, code); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 5; i++ {
			s.Login(ctx, xinlu.Actor{IP: "10.7.7.7"}, "chu", "wrong", noThrottle)
		}
		items, total, err := s.ListAccountSecurity(ctx, store.AccountSecurityFilter{ZoneID: z.ID})
		if err != nil || total != 1 || items[0].User.Username != "chu" || !items[0].Locked || items[0].TOTP {
			t.Fatalf("locked only: %+v %d %v", items, total, err)
		}
		items, total, _ = s.ListAccountSecurity(ctx, store.AccountSecurityFilter{ZoneID: z.ID, Query: "wei"})
		if total != 1 || !items[0].TOTP || items[0].Locked || items[0].User.Roles[0] != xinlu.RoleAppraiser || items[0].User.PasswordHash != "" {
			t.Fatalf("search: %+v", items)
		}
	})
}

// TestRolesNeedingSecondFactorEndSessions: a member made department head
// (who may reveal personal data) must sign in again and enrol.
func TestRolesNeedingSecondFactorEndSessions(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		newClock(s)
		z, a := seedZone(t, s, "RS")
		u := identityUser(t, s, a, z.ID, "jiang", xinlu.RoleMember)
		tok, _, _ := s.CreateSession(ctx, xinlu.ActorOf(u, ""), u.ID, "web", "", time.Hour)
		if err := s.SetUserRoles(ctx, a, z.ID, u.ID, []xinlu.Role{xinlu.RoleMember, xinlu.RoleScreener}, 1); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionUser(ctx, tok, "web", nil); err != nil {
			t.Fatalf("a role change that needs no second factor ended the session: %v", err)
		}
		if err := s.SetUserRoles(ctx, a, z.ID, u.ID, []xinlu.Role{xinlu.RoleMember, xinlu.RoleHead}, 2); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionUser(ctx, tok, "web", nil); err == nil {
			t.Fatal("the session survived roles that need a second factor")
		}
		if _, f, err := s.Login(ctx, xinlu.Actor{IP: "10.8.8.8"}, "jiang", identityPassword, noThrottle); err != nil || f != store.FactorEnrol {
			t.Fatalf("next login: %v %v", f, err)
		}
	})
}
