// Package api is xinlu's JSON API under /api/v1, a sibling of the HTML
// pages: it shares the domain, the store, the reports (package report) and
// the route-table authorisation with them, and package web mounts it.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"xinlu/internal/httpx"
	"xinlu/internal/i18n"
	"xinlu/internal/report"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// Config carries the settings the API needs.
type Config struct {
	Sessions    store.SessionPolicy
	LoginLimit  int
	LoginWindow time.Duration
	Logger      *slog.Logger                 // where the causes of 500 and 503 answers go; slog.Default when nil
	RequestID   func(r *http.Request) string // the id the server gave the request, logged with those causes
}

// API serves /api/v1.
type API struct {
	store   *store.Store
	catalog *i18n.Catalog
	cfg     Config
}

// New returns the API.
func New(st *store.Store, cat *i18n.Catalog, cfg Config) *API {
	return &API{store: st, catalog: cat, cfg: cfg}
}

// Route is one API endpoint; Pattern is relative to /api/v1.
type Route struct {
	Method  string
	Pattern string
	Perm    xinlu.Permission
	Handler http.HandlerFunc
}

// Routes is the API's route table, area by area.
func (a *API) Routes() []Route {
	var rs []Route
	for _, area := range [][]Route{
		a.authRoutes(),
		a.departmentRoutes(),
		a.staffRoutes(),
		a.personalRoutes(),
		a.teamRoutes(),
		a.parkRoutes(),
		a.landRoutes(),
		a.castingRoutes(),
		a.enterpriseRoutes(),
		a.targetRoutes(),
		a.cockpitRoutes(),
		a.calendarRoutes(),
		a.userRoutes(),
		a.auditRoutes(),
		a.identityRoutes(),
		a.securityRoutes(),
		a.leadRoutes(),
		a.projectRoutes(),
		a.performanceRoutes(),
		a.notificationRoutes(),
		a.appraisalRoutes(),
		a.incentiveRoutes(),
		a.toleranceRoutes(),
		a.studyRoutes(),
		a.briefingRoutes(),
		a.assessmentRoutes(),
		a.pipelineSettingsRoutes(),
	} {
		rs = append(rs, area...)
	}
	return rs
}

// errorBody is the error envelope of every failed call.
type errorBody struct {
	Error struct {
		Code    xinlu.Code `json:"code"`
		Message string     `json:"message"`
		Field   string     `json:"field,omitempty"`
		Key     string     `json:"key,omitempty"`
		// Errors lists every field error when the input is invalid in
		// several fields; code, message, field and key are its first.
		Errors []fieldError `json:"errors,omitempty"`
	} `json:"error"`
}

// fieldError is one field error of an input invalid in several fields.
type fieldError struct {
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	Key     string `json:"key,omitempty"`
}

// lang picks the message language: the user's, else Accept-Language.
func (a *API) printer(r *http.Request) *i18n.Printer {
	if u := xinlu.UserFromContext(r.Context()); u != nil && u.Lang != "" {
		return a.catalog.Printer(u.Lang)
	}
	return a.catalog.Printer(a.catalog.Match(r.Header.Get("Accept-Language")))
}

// WriteError answers err in the error envelope with its HTTP status. An
// outage of the database (store.Unavailable) is 503 with Retry-After; the
// cause of a 500 or a 503 is logged with the request id, never answered.
func (a *API) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	err = store.Unavailable(err)
	e := xinlu.AsError(err)
	var b errorBody
	b.Error.Code, b.Error.Field, b.Error.Key = e.Code, e.Field, e.Key
	b.Error.Message = a.printer(r).Error(e)
	for _, fe := range e.List {
		b.Error.Errors = append(b.Error.Errors, fieldError{Message: a.printer(r).Error(fe), Field: fe.Field, Key: fe.Key})
	}
	status := httpx.Status(e.Code)
	switch e.Code {
	case httpx.ETooLarge:
		b.Error.Code = xinlu.EINVALID
	case xinlu.EINTERNAL:
		b.Error.Key = ""
		a.logError(r, slog.LevelError, "internal error", err)
	case xinlu.EUNAVAILABLE:
		w.Header().Set("Retry-After", httpx.RetryAfter)
		a.logError(r, slog.LevelWarn, "database unavailable", err)
	}
	writeJSON(w, status, b)
}

// logError logs the cause of a failed call under its request id.
func (a *API) logError(r *http.Request, level slog.Level, msg string, err error) {
	log, id := a.cfg.Logger, ""
	if log == nil {
		log = slog.Default()
	}
	if a.cfg.RequestID != nil {
		id = a.cfg.RequestID(r)
	}
	log.LogAttrs(r.Context(), level, msg, slog.String("id", id), slog.String("method", r.Method),
		slog.String("path", r.URL.Path), slog.String("err", err.Error()))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// list is the envelope of every list.
type list[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

func newList[T any](items []T, total int) list[T] {
	if items == nil {
		items = []T{}
	}
	return list[T]{Items: items, Total: total}
}

// decode reads a JSON body into v, refusing unknown fields and trailing data.
func decode(r *http.Request, v any) error { return decodeFrom(r.Body, v) }

// decodeOver reads the body of a PUT onto v, which the handler has filled
// with the record as it stands. This is the rule of every PUT of the API:
// a field the body names takes the value given (a list as a whole), a
// field it leaves out, or sends as null, keeps its value; "", 0 or []
// clears one.
func decodeOver(r *http.Request, v any) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return httpx.TooLarge()
		}
		return xinlu.Invalid("", "error.json_syntax")
	}
	var named map[string]json.RawMessage
	if json.Unmarshal(body, &named) == nil && named != nil {
		for k, raw := range named {
			if string(raw) == "null" {
				delete(named, k)
			}
		}
		// A list, map or pointer the body names is replaced, not merged
		// into (encoding/json would decode into the elements it holds).
		rv := reflect.ValueOf(v).Elem()
		for i := range rv.NumField() {
			name, _, _ := strings.Cut(rv.Type().Field(i).Tag.Get("json"), ",")
			for k := range named {
				if strings.EqualFold(k, name) {
					switch f := rv.Field(i); f.Kind() {
					case reflect.Slice, reflect.Map, reflect.Pointer:
						f.SetZero()
					}
				}
			}
		}
		if body, err = json.Marshal(named); err != nil {
			return xinlu.Internal(err)
		}
	}
	return decodeFrom(bytes.NewReader(body), v)
}

func decodeFrom(body io.Reader, v any) error {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		var ute *json.UnmarshalTypeError
		switch {
		case errors.As(err, &mbe):
			return httpx.TooLarge()
		case errors.As(err, &ute):
			return xinlu.Invalid(ute.Field, "error.json_type")
		case errors.Is(err, io.EOF):
			return xinlu.Invalid("", "error.json_empty")
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return xinlu.Invalid(f, "error.json_unknown_field")
		}
		return xinlu.Invalid("", "error.json_syntax")
	}
	if dec.More() {
		return xinlu.Invalid("", "error.json_syntax")
	}
	return nil
}

// pageOf reads page and per_page, refusing nonsense: a page number past
// xinlu.MaxPage is refused, one past the end of a shorter list is an empty
// page (with the total).
func pageOf(r *http.Request) (xinlu.Page, error) {
	q := r.URL.Query()
	p := xinlu.Page{Page: 1, PerPage: 20}
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > xinlu.MaxPage {
			return p, xinlu.Invalid("page", "error.page", xinlu.MaxPage)
		}
		p.Page = n
	}
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > xinlu.MaxPerPage {
			return p, xinlu.Invalid("per_page", "error.per_page", xinlu.MaxPerPage)
		}
		p.PerPage = n
	}
	return p, nil
}

// pathID reads a numeric path value.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id < 1 {
		return 0, xinlu.NotFound("error.not_found")
	}
	return id, nil
}

// queryInt64 reads an optional numeric query parameter.
func queryInt64(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, xinlu.Invalid(name, "error.number")
	}
	return n, nil
}

// actor is the signed-in caller as the audit log names it.
func actor(r *http.Request) xinlu.Actor {
	return xinlu.ActorOf(xinlu.UserFromContext(r.Context()), remoteIP(r))
}

func user(r *http.Request) *xinlu.User { return xinlu.UserFromContext(r.Context()) }

func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// requireVersion insists on the version of the record being changed.
func requireVersion(v *int) (int, error) {
	if v == nil || *v < 1 {
		return 0, xinlu.Invalid("version", "error.version_required")
	}
	return *v, nil
}

// must is a tiny wrapper to keep handlers to their four beats: each step
// returns an error, the first one ends the call.
func (a *API) handle(fn func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			a.WriteError(w, r, err)
		}
	}
}

// deleter answers DELETE …/{id}?version=N with a store's delete of a record
// of the caller's zone: 204, or the error (a stale version is 409).
func (a *API) deleter(del func(ctx context.Context, act xinlu.Actor, zoneID, id int64, version int) error) http.HandlerFunc {
	return a.handle(func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		version, err := queryInt64(r, "version")
		if err != nil {
			return err
		}
		if err := del(r.Context(), actor(r), user(r).ZoneID, id, int(version)); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	})
}

// sendReport answers rep as an .xlsx download named name, after writing the
// audit row action on entity (with detail, to which the row count is
// added): every export of the API goes through it.
func (a *API) sendReport(w http.ResponseWriter, r *http.Request, rep *xlsx.Report, action, entity string, id int64, detail map[string]any, name string) error {
	return report.Send(r.Context(), w, a.store, actor(r), rep, action, entity, id, detail, name)
}
