package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"math"
	"mime"
	"net/http"
	"net/url"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"xinlu/internal/httpx"
	"xinlu/internal/i18n"
	"xinlu/internal/report"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// shanghai is where xinlu's users live; times are stored UTC and shown here.
var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// staticFiles serves embedded assets at /static/{hash}/{path}. Only the
// hashes are kept; the bytes stay in the binary's embedded files.
type staticFiles struct {
	fs   fs.FS
	hash map[string]string
}

func loadStatic(fsys fs.FS) (*staticFiles, error) {
	sf := &staticFiles{fs: fsys, hash: map[string]string{}}
	err := fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := fsys.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return err
		}
		sf.hash[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(h.Sum(nil))[:12]
		return nil
	})
	return sf, err
}

// url returns the cache-busting URL of an asset.
func (sf *staticFiles) url(name string) string {
	h, ok := sf.hash[name]
	if !ok {
		h = "missing"
	}
	return "/static/" + h + "/" + name
}

func (sf *staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/static/")
	i := strings.IndexByte(rest, '/')
	if i < 0 {
		http.NotFound(w, r)
		return
	}
	hash, name := rest[:i], rest[i+1:]
	want, ok := sf.hash[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	f, err := sf.fs.Open("static/" + name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	if hash == want {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	io.Copy(w, f)
}

// views holds every page template, parsed once per language.
type views struct {
	pages map[string]map[string]*template.Template // lang → page → template
}

func loadViews(fsys fs.FS, cat *i18n.Catalog, sf *staticFiles) (*views, error) {
	pageFiles, err := fs.Glob(fsys, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	v := &views{pages: map[string]map[string]*template.Template{}}
	for _, lang := range xinlu.Languages {
		p := cat.Printer(lang)
		base, err := template.New("base").Funcs(templateFuncs(p, sf)).ParseFS(fsys, "templates/layout/*.html")
		if err != nil {
			return nil, err
		}
		v.pages[lang] = map[string]*template.Template{}
		for _, f := range pageFiles {
			name := strings.TrimSuffix(path.Base(f), ".html")
			t, err := template.Must(base.Clone()).ParseFS(fsys, f)
			if err != nil {
				return nil, fmt.Errorf("template %s: %w", f, err)
			}
			if t.Lookup("content") == nil {
				return nil, fmt.Errorf("template %s defines no content block", f)
			}
			v.pages[lang][name] = t
		}
	}
	return v, nil
}

func templateFuncs(p *i18n.Printer, sf *staticFiles) template.FuncMap {
	return template.FuncMap{
		"t":     p.T,
		"field": p.Field,
		"err":   p.Error,
		"asset": sf.url,
		"role":  func(r xinlu.Role) string { return p.T("role." + string(r)) },
		"time": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(shanghai).Format("2006-01-02 15:04")
		},
		// wan shows an amount in 万元: an int64, or a *int64 that may be
		// unknown (nil), shown as 待定 (amount.unknown).
		"wan": func(v any) string {
			switch v := v.(type) {
			case *int64:
				if v == nil {
					return p.T("amount.unknown")
				}
				return formatWan(*v)
			case int64:
				return formatWan(v)
			case int:
				return formatWan(int64(v))
			}
			return fmt.Sprint(v)
		},
		// money shows an investment-size amount with its unit, for prose
		// and figures outside a table whose header names the unit: 万元
		// below one 亿 (1,500.00 万元), then 亿元 (1.23 亿元); 待定 when
		// unknown.
		"money": func(v any) string {
			switch v := v.(type) {
			case *int64:
				if v == nil {
					return p.T("amount.unknown")
				}
				return formatMoney(p, *v)
			case int64:
				return formatMoney(p, v)
			case int:
				return formatMoney(p, int64(v))
			}
			return fmt.Sprint(v)
		},
		// yuan shows an amount of pay or reward in whole 元 with
		// thousands separators: 41300 → "41,300".
		"yuan": func(v any) string {
			switch v := v.(type) {
			case int64:
				return formatYuan(v)
			case int:
				return formatYuan(int64(v))
			}
			return fmt.Sprint(v)
		},
		// label is the words for a code under prefix, or the code itself
		// when the locale files have none.
		"label": func(prefix, code string) string {
			if p.Has(prefix + code) {
				return p.T(prefix + code)
			}
			return code
		},
		"icon":        icon,
		"eventDetail": func(d map[string]any) string { return eventDetail(p, d) },
		"phone":       maskPhone,
		"add":         func(a, b int) int { return a + b },
		"hundredths":  formatHundredths,
		"hundredths2": func(v int64) string { return strconv.FormatFloat(float64(v)/100, 'f', 2, 64) },
		"percent":     func(ratio float64) string { return strconv.FormatFloat(math.Round(ratio*10000)/100, 'f', -1, 64) },
		"list":        func(s ...string) []string { return s },
		"div100":      func(v int64) int64 { return int64(math.Round(float64(v) / 100)) },
		"group":       func(group, department string) string { return report.GroupLabel(p, group, department) },
		"rule":        func(rule string) string { return p.T("appraisal.rule." + strings.NewReplacer(":", "_").Replace(rule)) },
		"join":        strings.Join,
		"subf":        func(a, b float64) float64 { return a - b },
		"mulf":        func(a, b float64) float64 { return a * b },
		"months":      func() []int { return []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12} },
		"wanq":        func(yuan float64) string { return xinlu.FormatQuantity(yuan / 10000) }, // yuan as 万元 with separators
		"moveArgs": func(p *xinlu.Parcel, to, csrf string) parcelMoveArgs {
			return parcelMoveArgs{P: p, To: to, CSRF: csrf}
		},
		"qty": formatQty, // a quantity (mu, t/d, kVA …) with thousands separators
		"fieldErr": func(err error, field string) string {
			if e := fieldError(err, field); e != nil {
				return p.Error(e)
			}
			return ""
		},
		// invalid marks the input of a field in error, written at the end
		// of its tag: aria-invalid and the message under it (err-<field>).
		"invalid": func(err error, field string) template.HTMLAttr {
			if fieldError(err, field) == nil {
				return ""
			}
			return template.HTMLAttr(` aria-invalid="true" aria-describedby="err-` + template.HTMLEscapeString(field) + `"`)
		},
		"formErrors": func(err error) []formErrorItem { return formErrorItems(p, err) },
		"idIn":       func(id int64, ids []int64) bool { return slices.Contains(ids, id) },
		"selected": func(a, b any) template.HTMLAttr {
			if fmt.Sprint(a) == fmt.Sprint(b) {
				return "selected"
			}
			return ""
		},
		// picker is a people picker's data for the "memberoptions" template:
		// the options grouped by department, with the chosen one.
		"picker": func(list []choice, selected any) pickerView { return pickerView{List: list, Selected: selected} },
		"checked": func(b bool) template.HTMLAttr {
			if b {
				return "checked"
			}
			return ""
		},
	}
}

// formatQty writes a quantity (float64, int64 or int) with thousands
// separators and at most two decimals.
func formatQty(v any) string {
	switch v := v.(type) {
	case float64:
		return xinlu.FormatQuantity(v)
	case int64:
		return xinlu.FormatQuantity(float64(v))
	case int:
		return xinlu.FormatQuantity(float64(v))
	}
	return fmt.Sprint(v)
}

// fieldError is the error err holds about field: an invalid input, or a
// clash with another record on that field (a code already taken).
func fieldError(err error, field string) *xinlu.Error {
	if err == nil || field == "" {
		return nil
	}
	for _, e := range xinlu.ErrorsOf(err) {
		if e.Field == field && (e.Code == xinlu.EINVALID || e.Code == xinlu.ECONFLICT && field != "version") {
			return e
		}
	}
	return nil
}

// formErrorItem is one line of the summary above a form that failed: the
// message, naming its field, with the anchor of the field's input.
type formErrorItem struct {
	Field, Text string
}

// formErrorItems lists every error err holds for the summary above a form.
func formErrorItems(p *i18n.Printer, err error) []formErrorItem {
	var out []formErrorItem
	for _, e := range xinlu.ErrorsOf(err) {
		msg := p.Error(e)
		field := e.Field
		if e.Code != xinlu.EINVALID && (e.Code != xinlu.ECONFLICT || field == "version") {
			field = ""
		}
		if label := p.Field(field); field != "" && label != field && !strings.Contains(msg, label) {
			msg = label + "：" + msg
		}
		if field == "content" {
			field = "plan-content" // "content" is the id of every page's main element
		}
		out = append(out, formErrorItem{Field: field, Text: msg})
	}
	return out
}

// formatHundredths shows a value kept in hundredths (scores, points,
// coefficients) with up to two decimals: 8750 → "87.5".
func formatHundredths(v int64) string {
	return strconv.FormatFloat(float64(v)/100, 'f', -1, 64)
}

// formatWan shows yuan as 万元 with two decimals and thousands separators.
func formatWan(yuan int64) string { return formatScaled(yuan, 10_000) }

// yiYuan is one 亿 (a hundred million) yuan.
const yiYuan = 100_000_000

// formatMoney shows yuan with its unit: 万元 up to one 亿, then 亿元, both
// with two decimals and thousands separators.
func formatMoney(p *i18n.Printer, yuan int64) string {
	if yuan >= yiYuan || yuan <= -yiYuan {
		return p.T("amount.in_yi", formatScaled(yuan, yiYuan))
	}
	return p.T("amount.in_wan", formatWan(yuan))
}

// formatScaled shows yuan divided by unit (a power of ten of at least 100)
// rounded to two decimals, with thousands separators.
func formatScaled(yuan, unit int64) string {
	neg := yuan < 0
	if neg {
		yuan = -yuan
	}
	step := unit / 100
	hundredths := yuan / step
	if yuan%step >= (step+1)/2 {
		hundredths++
	}
	out := groupThousands(strconv.FormatInt(hundredths/100, 10)) + fmt.Sprintf(".%02d", hundredths%100)
	if neg {
		out = "-" + out
	}
	return out
}

// groupThousands puts a comma between each three digits of s.
func groupThousands(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// formatYuan shows whole 元 with thousands separators.
func formatYuan(yuan int64) string {
	if yuan < 0 {
		return "-" + groupThousands(strconv.FormatInt(-yuan, 10))
	}
	return groupThousands(strconv.FormatInt(yuan, 10))
}

// maskPhone shows a mobile number as 138****1234.
func maskPhone(s string) string {
	r := []rune(s)
	if len(r) < 7 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:3]) + "****" + string(r[len(r)-4:])
}

// page is what every template gets: the shell's data plus the page's own
// typed view in Data.
type page struct {
	Lang          string
	Title         string
	User          *xinlu.User
	Zone          *xinlu.Zone
	Nav           []navGroup
	Path          string
	CSRF          string
	Flash         string
	RequestID     string
	Alarms        int // open security alarms, for the security administrator's bell
	Notifications int // the user's unread notifications, for the bell of every signed-in user
	Data          any
	Posted        url.Values // what was typed into a form shown again after it failed
}

// Typed is what the user typed into the form field name when the form is
// shown again after a failed submit, else the stored value v as shown in
// the form: a form never loses what was typed, even a number it refused.
func (pg page) Typed(name string, v any) string {
	if vs, ok := pg.Posted[name]; ok && len(vs) > 0 {
		return vs[0]
	}
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// render writes a page with the shell around it.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	info := requestInfo(r.Context())
	lang := info.lang
	if lang == "" {
		lang = i18n.Default
	}
	if p, past := pastTheEnd(data); past && status == http.StatusOK && r.Method == http.MethodGet {
		// A page number past the end of the list (however large) shows
		// the last page, at its own address.
		redirect(w, r, p.URL(p.Pages))
		return
	}
	t, ok := s.views.pages[lang][name]
	if !ok {
		s.log.Error("no such page template", "page", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	pg := page{Lang: lang, Title: title, User: info.user, Path: r.URL.Path, CSRF: info.csrf,
		RequestID: info.id, Data: data, Flash: s.takeFlash(w, r)}
	if r.Method == http.MethodPost && status >= 400 {
		pg.Posted = r.PostForm
	}
	if info.user != nil {
		pg.Nav = navFor(info.user)
		pg.Zone, _ = s.store.ZoneByID(r.Context(), info.user.ZoneID)
		pg.Notifications, _ = s.store.UnreadCount(r.Context(), info.user.ID)
		if info.user.Can(xinlu.PermSecurityManage) {
			pg.Alarms, _ = s.store.OpenAlarms(r.Context(), info.user.ZoneID)
		}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", pg); err != nil {
		s.log.Error("render", "page", name, "err", err, "id", info.id)
		http.Error(w, "internal error "+info.id, http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if info.user != nil {
		h.Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// printer returns the request's translator.
func (s *Server) printer(r *http.Request) *i18n.Printer {
	return s.catalog.Printer(requestInfo(r.Context()).lang)
}

// statusOf is the HTTP status of an error, the same as the API's.
func statusOf(err error) int { return httpx.Status(xinlu.ErrorCode(err)) }

type errorView struct {
	Status  int
	Message string
}

// fail answers with an error: JSON under /api/, an error page elsewhere.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.apiError(w, r, err)
		return
	}
	s.renderError(w, r, err)
}

// renderError shows the 403/404/500 page in the user's language. An
// outage of the database (store.Unavailable) is 503 with Retry-After.
// Internal causes are logged with the request id and never shown.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	err = store.Unavailable(err)
	status := statusOf(err)
	switch status {
	case http.StatusInternalServerError:
		s.log.Error("internal error", "id", requestInfo(r.Context()).id, "method", r.Method, "path", r.URL.Path, "err", err)
	case http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", httpx.RetryAfter)
		s.log.Warn("database unavailable", "id", requestInfo(r.Context()).id, "method", r.Method, "path", r.URL.Path, "err", err)
	}
	p := s.printer(r)
	s.render(w, r, status, "error", p.T(fmt.Sprintf("error.title.%d", status)), errorView{Status: status, Message: p.Error(err)})
}

const flashCookie = "xinlu_flash"

// flash shows a one-line message on the next page ("新增成功").
func (s *Server) flash(w http.ResponseWriter, key string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(key), Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

// flashStep sets the flash that says what a step did (flash.<kind>.<action>,
// e.g. 线索已转立项), or the generic 修改成功 for a step without its words.
func (s *Server) flashStep(w http.ResponseWriter, r *http.Request, kind, action string) {
	key := "flash." + kind + "." + action
	if !s.printer(r).Has(key) {
		key = "flash.updated"
	}
	s.flash(w, key)
}

func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil || c.Value == "" {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1})
	key, _ := url.QueryUnescape(c.Value)
	if !strings.HasPrefix(key, "flash.") {
		return ""
	}
	return s.printer(r).T(key)
}

// redirect sends the browser on after a successful write.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// eventDetail renders a timeline entry's details for people: labels for
// keys, 万元 for amounts, stage names for stage codes, no internal ids.
func eventDetail(p *i18n.Printer, d map[string]any) string {
	keys := make([]string, 0, len(d))
	for k := range d {
		if strings.HasSuffix(k, "_id") || k == "id" || k == "version" {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		v := d[k]
		if v == nil || v == "" {
			continue
		}
		var label string
		switch {
		case p.Has("projects.event_key." + k):
			label = p.T("projects.event_key." + k)
		case p.Has("field." + k):
			label = p.T("field." + k)
		case p.Has("projects." + k):
			label = p.T("projects." + k)
		default:
			continue // an internal key: no words for it
		}
		var text string
		switch x := v.(type) {
		case float64:
			switch {
			case strings.HasSuffix(k, "_yuan"):
				text = formatMoney(p, int64(x))
			case strings.HasPrefix(k, "reserved_"): // utility demand reserved at signing
				text = xinlu.FormatQuantity(x)
			case x == float64(int64(x)):
				text = strconv.FormatInt(int64(x), 10)
			default:
				text = strconv.FormatFloat(x, 'f', -1, 64)
			}
		case string:
			text = x
			switch {
			case k == "stage" || k == "from_stage" || k == "to_stage":
				text = p.T("stage." + x)
			case k == "status" && p.Has("project.status."+x):
				text = p.T("project.status." + x)
			case k == "status" && p.Has("projects.approval."+x):
				text = p.T("projects.approval." + x)
			case k == "action" && p.Has("projects.approval_action."+x):
				text = p.T("projects.approval_action." + x)
			}
		default:
			text = fmt.Sprint(x)
		}
		parts = append(parts, label+p.T("punct.colon")+text)
	}
	return strings.Join(parts, p.T("punct.semicolon"))
}
