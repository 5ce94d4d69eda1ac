package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"xinlu/internal/web"
)

func runServe(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "serve", "serve [--addr HOST:PORT] [--db DSN] [--key-file FILE] [--tls-cert FILE --tls-key FILE] [--retention-years N]")
	addrDefault := env.Getenv("XINLU_ADDR")
	if addrDefault == "" {
		addrDefault = "127.0.0.1:8080"
	}
	addr := fs.String("addr", addrDefault, "listen `address` (env XINLU_ADDR)")
	db := dbFlag(fs, env)
	cert := fs.String("tls-cert", env.Getenv("XINLU_TLS_CERT"), "serve HTTPS with this certificate `file` (env XINLU_TLS_CERT)")
	key := fs.String("tls-key", env.Getenv("XINLU_TLS_KEY"), "private key `file` for --tls-cert (env XINLU_TLS_KEY)")
	logFormat := fs.String("log", "text", "request log `format`: text or json")
	twoFactorDefault := env.Getenv("XINLU_REQUIRE_2FA")
	if twoFactorDefault == "" {
		twoFactorDefault = "privileged"
	}
	twoFactor := fs.String("require-2fa", twoFactorDefault, "who must sign in with a second factor: `privileged` (administrators, those who may reveal personal data and those who read others' pay) or all (env XINLU_REQUIRE_2FA)")
	retentionYears, err := retentionYearsFlag(fs.Int, env)
	if err != nil {
		return err
	}
	inFlight := web.DefaultConfig().MaxInFlight
	if v := strings.TrimSpace(env.Getenv("XINLU_MAX_IN_FLIGHT")); v != "" {
		if inFlight, err = strconv.Atoi(v); err != nil || inFlight < 0 {
			return usagef("XINLU_MAX_IN_FLIGHT must be a whole number (0: no limit)")
		}
	}
	sessions := web.DefaultConfig().Sessions
	for _, d := range []struct {
		env string
		to  *time.Duration
	}{{"XINLU_TOKEN_TTL", &sessions.TokenTTL}, {"XINLU_TOKEN_IDLE", &sessions.TokenIdle}} {
		if v := strings.TrimSpace(env.Getenv(d.env)); v != "" {
			if *d.to, err = time.ParseDuration(v); err != nil {
				return usagef("%s must be a duration such as 720h", d.env)
			}
		}
	}
	tokenTTL := fs.Duration("token-ttl", sessions.TokenTTL, "API tokens of accounts that are not privileged end this `long` after sign-in (env XINLU_TOKEN_TTL); privileged accounts' tokens end like an administrator's session")
	tokenIdle := fs.Duration("token-idle", sessions.TokenIdle, "… or this `long` unused (env XINLU_TOKEN_IDLE)")
	maxInFlight := fs.Int("max-in-flight", inFlight, "reads (GET) worked on at once, the others wait their turn; 0 is no limit (env XINLU_MAX_IN_FLIGHT; default 2 per processor, at least 4)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *twoFactor != "privileged" && *twoFactor != "all" {
		return usagef("--require-2fa must be privileged or all")
	}
	if (*cert == "") != (*key == "") {
		return usagef("--tls-cert and --tls-key go together")
	}
	if *tokenTTL < time.Minute || *tokenIdle < time.Minute {
		return usagef("--token-ttl and --token-idle must be at least 1m")
	}
	if *maxInFlight < 0 {
		return usagef("--max-in-flight must be 0 or more")
	}
	if *retentionYears < 0 {
		return usagef("--retention-years must be 0 or more")
	}
	var handler slog.Handler
	switch *logFormat {
	case "text":
		handler = slog.NewTextHandler(env.Stderr, nil)
	case "json":
		handler = slog.NewJSONHandler(env.Stderr, nil)
	default:
		return usagef("--log must be text or json")
	}
	logger := slog.New(handler)
	start := time.Now()

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	// A restore refuses while a server holds the database's lock file.
	if path, ok := sqlitePath(*db); ok {
		release, err := lockDB(path, false)
		if err != nil {
			return err
		}
		defer release()
	}
	st, err := openDBStrict(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if n, err := st.CountUsers(ctx); err == nil && n == 0 {
		logger.Warn("the database has no accounts yet: run xinlu init --zone CODE --zone-name NAME (or xinlu demo for a trial)")
	}
	st.RequireSecondFactorForAll(*twoFactor == "all")
	if admins, err := st.CombinedAdmins(ctx); err == nil && len(admins) > 0 {
		logger.Warn("accounts outside the demo zone hold the combined administrator role: give each one of sysadmin, secadmin or auditadmin with xinlu user roles USERNAME --role ROLE", "accounts", admins)
	}
	startJobs(ctx, st, *retentionYears, logger)
	st.WarmRollup(ctx)
	cfg := web.DefaultConfig()
	cfg.Logger = logger
	cfg.SecureCookies = *cert != ""
	cfg.MaxInFlight = *maxInFlight
	cfg.Sessions.TokenTTL, cfg.Sessions.TokenIdle = *tokenTTL, *tokenIdle
	srv, err := web.New(st, cfg)
	if err != nil {
		return err
	}
	httpSrv := &http.Server{Addr: *addr, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second}
	scheme := "http"
	if *cert != "" {
		scheme = "https"
	}
	logger.Info("xinlu listening", "url", fmt.Sprintf("%s://%s", scheme, *addr), "db", st.Dialect(), "startup", time.Since(start).String())
	if err := srv.Run(ctx, httpSrv, *cert, *key); err != nil && err != http.ErrServerClosed {
		return err
	}
	logger.Info("xinlu stopped")
	return nil
}
