package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"xinlu/internal/xinlu"
)

// rawClient sees every step of a sign-in itself.
func (a *app) rawClient() *client {
	c := a.anon()
	c.raw = true
	return c
}

// signInRaw posts the password and expects the second step.
func (c *client) signInRaw(username, password string) response {
	c.a.t.Helper()
	res := c.postForm("/login", url.Values{"username": {username}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login/totp" {
		c.a.t.Fatalf("password step of %s: %d %s", username, res.StatusCode, res.Header.Get("Location"))
	}
	return res
}

func hasSessionCookie(res response) bool {
	for _, ck := range res.Cookies() {
		if ck.Name == "xinlu_session" && ck.Value != "" {
			return true
		}
	}
	return false
}

func auditCount(t *testing.T, a *app, action string) int {
	t.Helper()
	_, total, err := a.store.ListAudit(context.Background(), xinlu.AuditFilter{ZoneID: a.zone.ID, Action: action, Page: xinlu.Page{Page: 1, PerPage: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

// TestSecondStepGrantsNothingUntilTheCode: after the password alone there is
// no session; every route but the public ones sends the browser to the
// login page. The right code signs in, once.
func TestSecondStepGrantsNothingUntilTheCode(t *testing.T) {
	a := newApp(t)
	c := a.rawClient()
	first := c.signInRaw("admin", testPassword)
	if hasSessionCookie(first) {
		t.Fatal("a session cookie after the password alone")
	}
	for _, ck := range first.Cookies() {
		if ck.Name == "xinlu_login" && (!ck.HttpOnly || ck.Path != "/login" || ck.MaxAge <= 0 || ck.MaxAge > 300) {
			t.Fatalf("challenge cookie %+v", ck)
		}
	}
	for _, rt := range a.srv.Routes() {
		if rt.Perm == xinlu.PermPublic {
			continue
		}
		path := fill(rt.Pattern)
		res := c.do(rt.Method, path, "", nil)
		if rt.API {
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("half-signed-in %s %s: %d, want 401", rt.Method, path, res.StatusCode)
			}
		} else if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("half-signed-in %s %s: %d %s, want the login page", rt.Method, path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	page := c.get("/login/totp")
	if page.StatusCode != 200 || !strings.Contains(page.body, "两步验证") || strings.Contains(page.body, "totp-secret") {
		t.Fatalf("code page: %d", page.StatusCode)
	}
	wrong := c.postForm("/login/totp", url.Values{"totp": {"000000"}})
	if wrong.StatusCode != http.StatusUnauthorized || !strings.Contains(wrong.body, "验证码不正确") || hasSessionCookie(wrong) {
		t.Fatalf("wrong code: %d", wrong.StatusCode)
	}
	code := a.totpCode("admin")
	ok := c.postForm("/login/totp", url.Values{"totp": {code}})
	if ok.StatusCode != http.StatusSeeOther || ok.Header.Get("Location") != "/" || !hasSessionCookie(ok) {
		t.Fatalf("right code: %d %s", ok.StatusCode, ok.Header.Get("Location"))
	}
	if home := c.get("/"); home.StatusCode != 200 || !strings.Contains(home.body, "测试admin") {
		t.Fatalf("home after the code: %d", home.StatusCode)
	}
	// The same code does not sign in twice.
	again := a.rawClient()
	again.signInRaw("admin", testPassword)
	if r := again.postForm("/login/totp", url.Values{"totp": {code}}); r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("replayed code: %d", r.StatusCode)
	}
	// The waiting sign-in lasts five minutes.
	late := a.rawClient()
	late.signInRaw("admin", testPassword)
	a.clock.Advance(6 * time.Minute)
	if r := late.postForm("/login/totp", url.Values{"totp": {a.totpCode("admin")}}); r.StatusCode != http.StatusUnauthorized || !strings.Contains(r.body, "登录等待时间已过") {
		t.Fatalf("expired challenge: %d", r.StatusCode)
	}
	// Without the cookie there is nothing to verify.
	if r := a.rawClient().postForm("/login/totp", url.Values{"totp": {a.totpCode("admin")}}); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Fatalf("no challenge: %d", r.StatusCode)
	}
}

// TestForcedEnrolment: an administrator without a second factor enrols at
// the first sign-in, before the session exists and before the password
// change, and sees the recovery codes once.
func TestForcedEnrolment(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	u := &xinlu.User{ZoneID: a.zone.ID, Username: "sec2", Name: "新安全管理员", Roles: []xinlu.Role{xinlu.RoleSecAdmin},
		PasswordHash: sharedHash, MustChangePassword: true}
	if err := a.store.CreateUser(ctx, xinlu.SystemActor(a.zone.ID), u); err != nil {
		t.Fatal(err)
	}
	c := a.rawClient()
	c.signInRaw("sec2", testPassword)
	page := c.get("/login/totp")
	m := regexp.MustCompile(`id="totp-secret">([^<]+)<`).FindStringSubmatch(page.body)
	if page.StatusCode != 200 || m == nil || !strings.Contains(page.body, "要求使用两步验证") || page.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("enrolment page: %d", page.StatusCode)
	}
	// The QR code is an inline PNG made by the server.
	qr := regexp.MustCompile(`src="data:image/png;base64,([^"]+)"`).FindStringSubmatch(page.body)
	if qr == nil {
		t.Fatal("no inline QR code")
	}
	png, err := base64.StdEncoding.DecodeString(html.UnescapeString(qr[1]))
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("QR code is not a PNG: %v", err)
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	if r := c.get("/users"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("before enrolment: %d", r.StatusCode)
	}
	if r := c.postForm("/login/totp", url.Values{"totp": {"123456"}}); r.StatusCode == http.StatusSeeOther {
		t.Fatal("the code step passed without an enrolment")
	}
	if r := c.postForm("/login/totp/enrol", url.Values{"totp": {"000000"}}); r.StatusCode != http.StatusUnprocessableEntity || hasSessionCookie(r) {
		t.Fatalf("wrong enrolment code: %d", r.StatusCode)
	}
	a.remember("sec2", secret, 0)
	done := c.postForm("/login/totp/enrol", url.Values{"totp": {a.totpCode("sec2")}})
	codes := regexp.MustCompile(`<li class="recovery-code">([a-z0-9-]+)</li>`).FindAllStringSubmatch(done.body, -1)
	if done.StatusCode != 200 || !hasSessionCookie(done) || len(codes) != 10 || done.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("confirm: %d, %d codes", done.StatusCode, len(codes))
	}
	if !strings.Contains(done.body, `href="/password"`) {
		t.Fatal("recovery page does not go on to the password change")
	}
	// Signed in now, but the one-time password must be changed first.
	if r := c.get("/users"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/password" {
		t.Fatalf("after enrolment: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if auditCount(t, a, "auth.totp_enable") < 1 {
		t.Fatal("enrolment not audited")
	}
	// The secret is in no audit row.
	rows, _, _ := a.store.ListAudit(ctx, xinlu.AuditFilter{ZoneID: a.zone.ID, Page: xinlu.Page{Page: 1, PerPage: xinlu.MaxPerPage}})
	for _, e := range rows {
		if strings.Contains(e.Before+e.After, secret) || strings.Contains(e.Before+e.After, codes[0][1]) {
			t.Fatalf("audit row %s holds a secret", e.Action)
		}
	}
}

// TestProfileEnrolmentAndRecoveryCode: a member turns the optional second
// factor on from the profile, signs in with a recovery code once, and
// turns it off again.
func TestProfileEnrolmentAndRecoveryCode(t *testing.T) {
	a := newApp(t)
	c := a.as(xinlu.RoleMember)
	if r := c.get("/profile"); !strings.Contains(r.body, `href="/profile/totp"`) {
		t.Fatal("no link to two-step verification on the profile")
	}
	page := c.get("/profile/totp")
	m := regexp.MustCompile(`id="totp-secret">([^<]+)<`).FindStringSubmatch(page.body)
	if page.StatusCode != 200 || m == nil || strings.Contains(page.body, `id="totp-required"`) {
		t.Fatalf("profile enrolment: %d", page.StatusCode)
	}
	if again := c.get("/profile/totp"); !strings.Contains(again.body, m[1]) {
		t.Fatal("a reload changed the secret")
	}
	a.remember("member", strings.ReplaceAll(m[1], " ", ""), 0)
	done := c.postForm("/profile/totp", url.Values{"totp": {a.totpCode("member")}})
	codes := regexp.MustCompile(`<li class="recovery-code">([a-z0-9-]+)</li>`).FindAllStringSubmatch(done.body, -1)
	if done.StatusCode != 200 || len(codes) != 10 {
		t.Fatalf("confirm: %d, %d codes", done.StatusCode, len(codes))
	}
	status := c.get("/profile/totp")
	if !strings.Contains(status.body, `id="totp-on"`) || !strings.Contains(status.body, `id="recovery-left">10<`) || strings.Contains(status.body, "totp-secret") {
		t.Fatalf("status page: %d", status.StatusCode)
	}
	// A recovery code signs in once.
	rc := codes[4][1]
	r1 := a.rawClient()
	r1.signInRaw("member", testPassword)
	if r := r1.postForm("/login/totp", url.Values{"totp": {strings.ToUpper(rc)}}); r.StatusCode != http.StatusSeeOther || !hasSessionCookie(r) {
		t.Fatalf("recovery code: %d %s", r.StatusCode, r.body)
	}
	r2 := a.rawClient()
	r2.signInRaw("member", testPassword)
	if r := r2.postForm("/login/totp", url.Values{"totp": {rc}}); r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("recovery code used twice: %d", r.StatusCode)
	}
	if r := c.get("/profile/totp"); !strings.Contains(r.body, `id="recovery-left">9<`) {
		t.Fatal("recovery codes left not 9")
	}
	if auditCount(t, a, "auth.recovery_used") != 1 {
		t.Fatal("recovery code use not audited")
	}
	// Turning it off takes the password; then the password alone signs in.
	if r := c.postForm("/profile/totp/disable", url.Values{"current_password": {"wrong"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("disable with a wrong password: %d", r.StatusCode)
	}
	if r := c.postForm("/profile/totp/disable", url.Values{"current_password": {testPassword}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d %s", r.StatusCode, r.body)
	}
	if r := a.rawClient().postForm("/login", url.Values{"username": {"member"}, "password": {testPassword}}); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
		t.Fatalf("after disabling: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
}

// TestRequiredSecondFactorCannotBeTurnedOff: an appraiser may reveal
// personal data, so the second factor stays.
func TestRequiredSecondFactorCannotBeTurnedOff(t *testing.T) {
	a := newApp(t)
	c := a.as(xinlu.RoleAppraiser)
	status := c.get("/profile/totp")
	if !strings.Contains(status.body, `id="totp-required"`) || strings.Contains(status.body, `id="totp-disable"`) {
		t.Fatalf("status page of a required factor: %d", status.StatusCode)
	}
	r := c.postForm("/profile/totp/disable", url.Values{"current_password": {testPassword}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "不能关闭") {
		t.Fatalf("disable a required factor: %d", r.StatusCode)
	}
	// New recovery codes replace the old ones.
	r = c.postForm("/profile/totp/recovery-codes", url.Values{"current_password": {testPassword}})
	if codes := regexp.MustCompile(`class="recovery-code"`).FindAllString(r.body, -1); r.StatusCode != 200 || len(codes) != 10 {
		t.Fatalf("new recovery codes: %d", r.StatusCode)
	}
}

// TestPasswordExpiryForcesChange: a password older than 90 days must be
// changed at the next sign-in, under the whole policy.
func TestPasswordExpiryForcesChange(t *testing.T) {
	a := newApp(t)
	a.clock.Advance(91 * 24 * time.Hour)
	c := a.rawClient()
	r := c.postForm("/login", url.Values{"username": {"member"}, "password": {testPassword}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/password" {
		t.Fatalf("expired login: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if r := c.get("/departments"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/password" {
		t.Fatalf("before the change: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if r := c.get("/password"); !strings.Contains(r.body, `id="password-expired"`) || !strings.Contains(r.body, "90 天") {
		t.Fatal("no expiry notice")
	}
	for _, tc := range []struct{ pw, want string }{
		{testPassword, "新密码不能与当前密码相同"},
		{"Admin@2026", "常见弱密码"},
		{"Xinlu#2026a", "不能包含系统名称"},
		{"short1A", "密码至少 8 位"},
	} {
		r := c.postForm("/password", url.Values{"current_password": {testPassword}, "new_password": {tc.pw}, "confirm_password": {tc.pw}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, tc.want) {
			t.Errorf("new password %q: %d, want %q", tc.pw, r.StatusCode, tc.want)
		}
	}
	// The history holds earlier passwords, not only the current one.
	steps := []string{"Kq7!mZ2x-a1", "Kq7!mZ2x-a2"}
	cur := testPassword
	for _, pw := range steps {
		if r := c.postForm("/password", url.Values{"current_password": {cur}, "new_password": {pw}, "confirm_password": {pw}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("change to %s: %d %s", pw, r.StatusCode, r.body)
		}
		cur = pw
	}
	r = c.postForm("/password", url.Values{"current_password": {cur}, "new_password": {testPassword}, "confirm_password": {testPassword}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "最近 5 次") {
		t.Fatalf("reuse of an earlier password: %d", r.StatusCode)
	}
	if r := c.get("/departments"); r.StatusCode != 200 {
		t.Fatalf("after the change: %d", r.StatusCode)
	}
	if auditCount(t, a, "auth.password_expired") != 1 {
		t.Fatal("expiry not audited")
	}
}

// TestLockoutAndUnlockPages: five failures lock an account whatever the
// address; the security administrator unlocks it from the account list; a
// member cannot.
func TestLockoutAndUnlockPages(t *testing.T) {
	a := newApp(t)
	victim := a.users[xinlu.RoleMember]
	bad := a.anon()
	for _, name := range []string{"member", "nobody"} {
		for i := 0; i < 5; i++ {
			if r := bad.postForm("/login", url.Values{"username": {name}, "password": {"nope"}}); r.StatusCode != http.StatusUnauthorized {
				t.Fatalf("%s attempt %d: %d", name, i+1, r.StatusCode)
			}
		}
	}
	// Past the per-address throttle's window the lock still holds, and it
	// says so even with the right password; an unknown name that failed as
	// often answers the same, so the lock tells nothing of who exists.
	a.clock.Advance(16 * time.Minute)
	r := a.anon().postForm("/login", url.Values{"username": {"member"}, "password": {testPassword}})
	if r.StatusCode != http.StatusTooManyRequests || !strings.Contains(r.body, "已被锁定") || hasSessionCookie(r) {
		t.Fatalf("locked account: %d", r.StatusCode)
	}
	if r := a.anon().postForm("/login", url.Values{"username": {"nobody"}, "password": {"x"}}); r.StatusCode != http.StatusTooManyRequests || !strings.Contains(r.body, "已被锁定") {
		t.Fatalf("unknown name: %d", r.StatusCode)
	}
	sec := a.as(xinlu.RoleSecAdmin)
	list := sec.get("/security/accounts")
	if list.StatusCode != 200 || !strings.Contains(list.body, `id="unlock-`+itoa64(victim.ID)+`"`) || strings.Contains(list.body, "nobody") {
		t.Fatalf("locked accounts page: %d", list.StatusCode)
	}
	path := "/security/users/" + itoa64(victim.ID) + "/unlock"
	if r := a.as(xinlu.RoleHead).postForm(path, nil); r.StatusCode != http.StatusForbidden {
		t.Fatalf("a department head unlocked: %d", r.StatusCode)
	}
	if r := a.as(xinlu.RoleSysAdmin).postForm(path, nil); r.StatusCode != http.StatusForbidden {
		t.Fatalf("the system administrator unlocked: %d", r.StatusCode)
	}
	if r := sec.postForm(path, nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("unlock: %d %s", r.StatusCode, r.body)
	}
	if r := sec.postForm(path, nil); r.StatusCode != http.StatusConflict {
		t.Fatalf("unlock twice: %d", r.StatusCode)
	}
	if r := a.rawClient().postForm("/login", url.Values{"username": {"member"}, "password": {testPassword}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("after unlock: %d", r.StatusCode)
	}
	// Two lockouts: the member's, and the unknown name's (a system row, zone 0, shown to every zone).
	if auditCount(t, a, "auth.lockout") != 2 || auditCount(t, a, "auth.unlock") != 1 {
		t.Fatal("lockout or unlock not audited")
	}
}

// TestSecurityAdministratorResetsSecondFactor: a lost phone.
func TestSecurityAdministratorResetsSecondFactor(t *testing.T) {
	a := newApp(t)
	head := a.users[xinlu.RoleHead]
	headSession := a.as(xinlu.RoleHead)
	sec := a.as(xinlu.RoleSecAdmin)
	if list := sec.get("/security/accounts?q=head"); !strings.Contains(list.body, `id="reset-totp-`+itoa64(head.ID)+`"`) {
		t.Fatal("no reset button")
	}
	path := "/security/users/" + itoa64(head.ID) + "/reset-totp"
	if r := a.as(xinlu.RoleMember).postForm(path, nil); r.StatusCode != http.StatusForbidden {
		t.Fatalf("a member reset a second factor: %d", r.StatusCode)
	}
	self := "/security/users/" + itoa64(a.users[xinlu.RoleSecAdmin].ID) + "/reset-totp"
	if r := sec.postForm(self, nil); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("reset own second factor: %d", r.StatusCode)
	}
	if r := sec.postForm(path, url.Values{"q": {"head"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d %s", r.StatusCode, r.body)
	}
	if r := headSession.get("/"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("the head's session survived the reset: %d", r.StatusCode)
	}
	c := a.rawClient()
	c.signInRaw("head", testPassword)
	if page := c.get("/login/totp"); !strings.Contains(page.body, `id="totp-secret"`) {
		t.Fatal("no new enrolment after the reset")
	}
	if auditCount(t, a, "auth.totp_reset") != 1 {
		t.Fatal("reset not audited")
	}
}

// TestAPILoginWithTOTP: the API takes the code in "totp".
func TestAPILoginWithTOTP(t *testing.T) {
	a := newApp(t)
	c := a.rawClient()
	login := func(body string) (int, string) {
		r := c.do("POST", "/api/v1/auth/login", body, nil)
		if r.StatusCode == 200 {
			return 200, ""
		}
		var key string
		if m := regexp.MustCompile(`"key":"([^"]+)"`).FindStringSubmatch(r.body); m != nil {
			key = m[1]
		}
		return r.StatusCode, key
	}
	if st, key := login(`{"username":"admin","password":"` + testPassword + `"}`); st != 401 || key != "identity.totp_required" {
		t.Fatalf("without a code: %d %s", st, key)
	}
	if st, key := login(`{"username":"admin","password":"` + testPassword + `","totp":"000000"}`); st != 401 || key != "identity.totp_invalid" {
		t.Fatalf("wrong code: %d %s", st, key)
	}
	code := a.totpCode("admin")
	if st, key := login(`{"username":"admin","password":"` + testPassword + `","totp":"` + code + `"}`); st != 200 {
		t.Fatalf("right code: %d %s", st, key)
	}
	if st, _ := login(`{"username":"admin","password":"` + testPassword + `","totp":"` + code + `"}`); st != 401 {
		t.Fatalf("replayed code: %d", st)
	}
	if st, key := login(`{"username":"admin","password":"wrong","totp":"` + a.totpCode("admin") + `"}`); st != 401 || key != "auth.bad_credentials" {
		t.Fatalf("wrong password with a right code: %d %s", st, key)
	}
	if st, _ := login(`{"username":"member","password":"` + testPassword + `"}`); st != 200 {
		t.Fatalf("member: %d", st)
	}
}
