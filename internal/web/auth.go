package web

import (
	"net/http"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func (s *Server) authRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/login", Perm: xinlu.PermPublic, Handler: s.loginPage},
		{Method: "POST", Pattern: "/login", Perm: xinlu.PermPublic, Handler: s.login},
		{Method: "POST", Pattern: "/logout", Perm: xinlu.PermSignedIn, Handler: s.logout},
		{Method: "GET", Pattern: "/password", Perm: xinlu.PermSignedIn, Handler: s.passwordPage},
		{Method: "POST", Pattern: "/password", Perm: xinlu.PermSignedIn, Handler: s.changePassword},
		{Method: "POST", Pattern: "/lang", Perm: xinlu.PermPublic, Handler: s.switchLang},
	}
}

type loginView struct {
	Username string
	Next     string
	Err      error
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if requestInfo(r.Context()).user != nil {
		redirect(w, r, safeNext(r.URL.Query().Get("next")))
		return
	}
	s.render(w, r, http.StatusOK, "login", s.printer(r).T("login.title"), loginView{Next: safeNext(r.URL.Query().Get("next"))})
}

// login is the first step of a sign-in. When the password is enough the
// session starts; when a second factor must follow, no session is made:
// the sign-in waits server-side (a challenge) and the browser holds only a
// random name for it in a short-lived cookie, for /login/totp.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	v := loginView{Username: r.PostFormValue("username"), Next: safeNext(r.PostFormValue("next"))}
	u, factor, err := s.store.Login(r.Context(), xinlu.Actor{IP: info.ip, Name: v.Username}, v.Username, r.PostFormValue("password"),
		store.LoginPolicy{Limit: s.cfg.LoginLimit, Window: s.cfg.LoginWindow})
	if err != nil {
		if xinlu.ErrorCode(err) == xinlu.EINTERNAL {
			s.renderError(w, r, err)
			return
		}
		v.Err = err
		s.render(w, r, statusOf(err), "login", s.printer(r).T("login.title"), v)
		return
	}
	if factor != store.FactorNone {
		token, err := s.store.BeginChallenge(r.Context(), xinlu.ActorOf(u, info.ip), u.ID, v.Next)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		s.setChallengeCookie(w, token)
		redirect(w, r, "/login/totp")
		return
	}
	if s.startSession(w, r, u) {
		redirect(w, r, afterLogin(u, v.Next))
	}
}

// startSession signs u in: a new session id at every login, the old one,
// if any, dropped. It reports false when it has answered with an error.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *xinlu.User) bool {
	info := requestInfo(r.Context())
	if info.session != "" {
		_ = s.store.DeleteSession(r.Context(), xinlu.ActorOf(u, info.ip), info.session)
	}
	token, _, err := s.store.CreateSession(r.Context(), xinlu.ActorOf(u, info.ip), u.ID, "web", "", s.cfg.Sessions.Lifetime)
	if err != nil {
		s.renderError(w, r, err)
		return false
	}
	s.setSessionCookie(w, token)
	return true
}

// afterLogin is where a fresh session goes: the password page first when
// the password must be changed (first login, reset, or older than the
// policy allows).
func afterLogin(u *xinlu.User, next string) string {
	if u.MustChangePassword {
		return "/password"
	}
	return safeNext(next)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	if err := s.store.DeleteSession(r.Context(), xinlu.ActorOf(info.user, info.ip), info.session); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.clearSessionCookie(w)
	s.flash(w, "flash.logged_out")
	redirect(w, r, "/login")
}

type passwordView struct {
	Forced  bool
	Expired bool // forced because the password is older than the policy's maximum age
	MaxAge  int  // that age in days
	History int  // how many earlier passwords may not be used again
	Err     error
}

// passwordViewFor says why u is on the password page, if forced.
func (s *Server) passwordViewFor(r *http.Request, u *xinlu.User, err error) passwordView {
	policy := s.store.PasswordPolicy(r.Context(), u.ZoneID)
	v := passwordView{Forced: u.MustChangePassword, MaxAge: int(policy.MaxAge.Hours() / 24), History: policy.History, Err: err}
	if v.Forced {
		if changed, err := s.store.PasswordChangedAt(r.Context(), u.ID); err == nil {
			v.Expired = policy.Expired(changed, s.store.Now())
		}
	}
	return v
}

func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	s.render(w, r, http.StatusOK, "password", s.printer(r).T("password.title"), s.passwordViewFor(r, u, nil))
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	u := info.user
	next := r.PostFormValue("new_password")
	if next != r.PostFormValue("confirm_password") {
		s.render(w, r, http.StatusUnprocessableEntity, "password", s.printer(r).T("password.title"),
			s.passwordViewFor(r, u, xinlu.Invalid("confirm_password", "password.mismatch")))
		return
	}
	if err := s.store.ChangeOwnPassword(r.Context(), xinlu.ActorOf(u, info.ip), u, r.PostFormValue("current_password"), next, info.session); err != nil {
		if xinlu.ErrorCode(err) == xinlu.EINTERNAL {
			s.renderError(w, r, err)
			return
		}
		s.render(w, r, statusOf(err), "password", s.printer(r).T("password.title"), s.passwordViewFor(r, u, err))
		return
	}
	s.flash(w, "flash.password_changed")
	redirect(w, r, "/")
}

// switchLang sets the UI language: remembered on the account when signed
// in, in a cookie otherwise.
func (s *Server) switchLang(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	lang := r.PostFormValue("lang")
	ok := false
	for _, l := range xinlu.Languages {
		ok = ok || l == lang
	}
	if !ok {
		s.renderError(w, r, xinlu.Invalid("lang", "error.invalid_choice"))
		return
	}
	if info.user != nil {
		if err := s.store.SetLang(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ID, lang); err != nil {
			s.renderError(w, r, err)
			return
		}
	} else {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	}
	redirect(w, r, safeNext(r.PostFormValue("next")))
}

const langCookie = "xinlu_lang"
