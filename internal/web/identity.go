package web

import (
	"encoding/base64"
	"html/template"
	"net/http"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Identity pages: the second step of a sign-in (a TOTP code, a recovery
// code, or the enrolment the user's roles require), the user's own second
// factor on the profile, and the security administrator's account list with
// unlocking and second-factor resets.
func (s *Server) identityRoutes() []Route {
	return []Route{
		// Public: they act only on the sign-in named by the challenge cookie.
		{Method: "GET", Pattern: "/login/totp", Perm: xinlu.PermPublic, Handler: s.challengePage},
		{Method: "POST", Pattern: "/login/totp", Perm: xinlu.PermPublic, Handler: s.challengeVerify},
		{Method: "POST", Pattern: "/login/totp/enrol", Perm: xinlu.PermPublic, Handler: s.challengeEnrol},
		{Method: "GET", Pattern: "/profile/totp", Perm: xinlu.PermSignedIn, Handler: s.totpPage},
		{Method: "POST", Pattern: "/profile/totp", Perm: xinlu.PermSignedIn, Handler: s.totpConfirm},
		{Method: "POST", Pattern: "/profile/totp/disable", Perm: xinlu.PermSignedIn, Handler: s.totpDisable},
		{Method: "POST", Pattern: "/profile/totp/recovery-codes", Perm: xinlu.PermSignedIn, Handler: s.totpRecoveryCodes},
		{Method: "GET", Pattern: "/security/accounts", Perm: xinlu.PermSecurityManage, Handler: s.accountSecurityList},
		{Method: "POST", Pattern: "/security/users/{id}/unlock", Perm: xinlu.PermSecurityManage, Handler: s.unlockAccount},
		{Method: "POST", Pattern: "/security/users/{id}/reset-totp", Perm: xinlu.PermSecurityManage, Handler: s.resetAccountTOTP},
	}
}

// challengeCookie names the sign-in waiting for its second factor. It holds
// a random secret only; the state is in the database and lasts
// store.ChallengeTTL.
const challengeCookie = "xinlu_login"

func (s *Server) setChallengeCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: challengeCookie, Value: token, Path: "/login", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteStrictMode, MaxAge: int(store.ChallengeTTL.Seconds())})
}

func (s *Server) clearChallengeCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: challengeCookie, Value: "", Path: "/login", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteStrictMode, MaxAge: -1})
}

// challengeOf returns the waiting sign-in of this browser. Without one it
// answers itself (back to the login page) and returns ok false.
func (s *Server) challengeOf(w http.ResponseWriter, r *http.Request) (u *xinlu.User, ch *store.Challenge, token string, ok bool) {
	c, err := r.Cookie(challengeCookie)
	if err != nil || c.Value == "" {
		redirect(w, r, "/login")
		return nil, nil, "", false
	}
	u, ch, err = s.store.ChallengeUser(r.Context(), c.Value)
	if err != nil {
		s.clearChallengeCookie(w)
		if xinlu.ErrorCode(err) == xinlu.EINTERNAL {
			s.renderError(w, r, err)
		} else {
			s.render(w, r, http.StatusUnauthorized, "login", s.printer(r).T("login.title"), loginView{Err: err})
		}
		return nil, nil, "", false
	}
	return u, ch, c.Value, true
}

// noStore keeps pages with secrets (a TOTP secret, recovery codes) out of
// caches even when nobody is signed in yet.
func noStore(w http.ResponseWriter) { w.Header().Set("Cache-Control", "no-store") }

type totpVerifyView struct {
	Username string
	Err      error
}

type totpEnrolView struct {
	Action   string       // where the confirming code goes
	Secret   string       // grouped in fours for typing
	QR       template.URL // the otpauth:// URI as an inline PNG
	Required bool         // the user's roles require a second factor
	SignIn   bool         // enrolment as part of a sign-in (no session yet)
	Err      error
}

type totpRecoveryView struct {
	Codes  []string
	Next   string
	SignIn bool
}

type totpStatusView struct {
	Status store.TOTPStatus
	Err    error
}

// challengePage asks for the code, or for an enrolment when the account's
// roles require a second factor it does not have yet.
func (s *Server) challengePage(w http.ResponseWriter, r *http.Request) {
	u, _, token, ok := s.challengeOf(w, r)
	if !ok {
		return
	}
	st, err := s.store.TOTPStatus(r.Context(), u)
	switch {
	case err != nil:
		s.renderError(w, r, err)
	case st.Enabled:
		s.render(w, r, http.StatusOK, "totp_verify", s.printer(r).T("identity.verify_title"), totpVerifyView{Username: u.Username})
	case st.Required:
		s.enrolForm(w, r, http.StatusOK, u, "/login/totp/enrol", true, nil)
	default:
		// The second factor went away meanwhile (reset by the security
		// administrator) and the roles need none: sign in again.
		_ = s.store.EndChallenge(r.Context(), token)
		s.clearChallengeCookie(w)
		redirect(w, r, "/login")
	}
}

// enrolForm shows a secret to add to an authenticator app, as text and as
// a QR code made here (nothing leaves the server).
func (s *Server) enrolForm(w http.ResponseWriter, r *http.Request, status int, u *xinlu.User, action string, signIn bool, ferr error) {
	secret, err := s.store.StartTOTPEnrolment(r.Context(), u.ID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	account := u.Username
	if z, err := s.store.ZoneByID(r.Context(), u.ZoneID); err == nil {
		account += "@" + z.Code
	}
	png, err := qrcode.Encode(xinlu.TOTPURI("xinlu", account, secret), qrcode.Medium, 232)
	if err != nil {
		s.renderError(w, r, xinlu.Internal(err))
		return
	}
	noStore(w)
	s.render(w, r, status, "totp_enrol", s.printer(r).T("identity.enrol_title"), totpEnrolView{
		Action: action, Secret: xinlu.FormatSecret(secret),
		QR:       template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)),
		Required: s.store.NeedsSecondFactor(u.Roles), SignIn: signIn, Err: ferr})
}

// challengeVerify checks the code (or a recovery code) and completes the
// sign-in. A wrong code counts as a failed sign-in; once the account is
// locked the waiting sign-in ends.
func (s *Server) challengeVerify(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	u, ch, token, ok := s.challengeOf(w, r)
	if !ok {
		return
	}
	_, err := s.store.VerifySecondFactor(r.Context(), xinlu.Actor{IP: info.ip}, u, r.PostFormValue("totp"))
	if err != nil {
		switch xinlu.ErrorCode(err) {
		case xinlu.EINTERNAL:
			s.renderError(w, r, err)
		case xinlu.ETOOMANYREQUESTS:
			_ = s.store.EndChallenge(r.Context(), token)
			s.clearChallengeCookie(w)
			s.render(w, r, statusOf(err), "login", s.printer(r).T("login.title"), loginView{Username: u.Username, Err: err})
		default:
			s.render(w, r, statusOf(err), "totp_verify", s.printer(r).T("identity.verify_title"), totpVerifyView{Username: u.Username, Err: err})
		}
		return
	}
	if err := s.store.EndChallenge(r.Context(), token); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.clearChallengeCookie(w)
	if s.startSession(w, r, u) {
		redirect(w, r, afterLogin(u, ch.Next))
	}
}

// challengeEnrol confirms the enrolment a sign-in required, completes the
// sign-in, and shows the recovery codes once.
func (s *Server) challengeEnrol(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	u, ch, token, ok := s.challengeOf(w, r)
	if !ok {
		return
	}
	act := xinlu.ActorOf(u, info.ip)
	codes, err := s.store.ConfirmTOTP(r.Context(), act, u.ID, r.PostFormValue("totp"))
	if err != nil {
		if isFormError(err) {
			s.enrolForm(w, r, statusOf(err), u, "/login/totp/enrol", true, err)
			return
		}
		s.renderError(w, r, err)
		return
	}
	if err := s.store.EndChallenge(r.Context(), token); err == nil {
		err = s.store.RecordLoginAttempt(r.Context(), act, u.Username, true)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.clearChallengeCookie(w)
	if !s.startSession(w, r, u) {
		return
	}
	noStore(w)
	s.render(w, r, http.StatusOK, "totp_recovery", s.printer(r).T("identity.recovery_title"),
		totpRecoveryView{Codes: codes, Next: afterLogin(u, ch.Next), SignIn: true})
}

// totpPage is the user's own second factor: its status, or an enrolment.
func (s *Server) totpPage(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	st, err := s.store.TOTPStatus(r.Context(), u)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if !st.Enabled {
		s.enrolForm(w, r, http.StatusOK, u, "/profile/totp", false, nil)
		return
	}
	s.render(w, r, http.StatusOK, "totp_status", s.printer(r).T("identity.totp_title"), totpStatusView{Status: st})
}

// totpStatusAgain shows the status page with an error.
func (s *Server) totpStatusAgain(w http.ResponseWriter, r *http.Request, err error) {
	u := requestInfo(r.Context()).user
	if !isFormError(err) {
		s.renderError(w, r, err)
		return
	}
	st, serr := s.store.TOTPStatus(r.Context(), u)
	if serr != nil {
		s.renderError(w, r, serr)
		return
	}
	if !st.Enabled {
		s.enrolForm(w, r, statusOf(err), u, "/profile/totp", false, err)
		return
	}
	s.render(w, r, statusOf(err), "totp_status", s.printer(r).T("identity.totp_title"), totpStatusView{Status: st, Err: err})
}

func (s *Server) totpConfirm(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	codes, err := s.store.ConfirmTOTP(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ID, r.PostFormValue("totp"))
	if err != nil {
		s.totpStatusAgain(w, r, err)
		return
	}
	noStore(w)
	s.render(w, r, http.StatusOK, "totp_recovery", s.printer(r).T("identity.recovery_title"), totpRecoveryView{Codes: codes, Next: "/profile/totp"})
}

// checkOwnPassword asks for the password before the second factor changes.
func checkOwnPassword(r *http.Request, u *xinlu.User) error {
	pw := r.PostFormValue("current_password")
	if pw == "" {
		return xinlu.Invalid("current_password", "error.required")
	}
	if !xinlu.CheckPassword(u.PasswordHash, pw) {
		return xinlu.Invalid("current_password", "auth.current_password_wrong")
	}
	return nil
}

func (s *Server) totpDisable(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	err := checkOwnPassword(r, info.user)
	if err == nil {
		err = s.store.DisableTOTP(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, info.user.ID)
	}
	if err != nil {
		s.totpStatusAgain(w, r, err)
		return
	}
	s.flash(w, "flash.updated")
	redirect(w, r, "/profile")
}

func (s *Server) totpRecoveryCodes(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	err := checkOwnPassword(r, info.user)
	var codes []string
	if err == nil {
		codes, err = s.store.RegenerateRecoveryCodes(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ID)
	}
	if err != nil {
		s.totpStatusAgain(w, r, err)
		return
	}
	noStore(w)
	s.render(w, r, http.StatusOK, "totp_recovery", s.printer(r).T("identity.recovery_title"), totpRecoveryView{Codes: codes, Next: "/profile/totp"})
}

type accountSecurityView struct {
	Query string
	Items []store.AccountSecurity
	Pager pager
	Self  int64
	Now   time.Time
}

// accountSecurityList is the security administrator's list: the locked
// accounts, or with a search any account, with unlock and 2FA reset.
func (s *Server) accountSecurityList(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	p := pageFrom(r)
	q := r.URL.Query().Get("q")
	items, total, err := s.store.ListAccountSecurity(r.Context(), store.AccountSecurityFilter{ZoneID: u.ZoneID, Query: q, Page: p})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "locked_accounts", s.printer(r).T("identity.accounts_title"),
		accountSecurityView{Query: q, Items: items, Pager: newPager(r, p, total), Self: u.ID, Now: s.store.Now()})
}

func (s *Server) unlockAccount(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err == nil {
		err = s.store.Unlock(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, id)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.updated")
	redirect(w, r, "/security/accounts")
}

func (s *Server) resetAccountTOTP(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err == nil {
		err = s.store.ResetTOTP(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, id)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.updated")
	redirect(w, r, "/security/accounts?q="+urlQueryEscape(r.PostFormValue("q")))
}
