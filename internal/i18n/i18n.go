// Package i18n holds every user-facing string of xinlu in JSON locale files
// and looks them up per request. zh-CN is the default; en is complete too.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/language"

	"xinlu/internal/xinlu"
)

//go:embed locales/*.json
var localeFS embed.FS

// Default is the language used when nothing else is known.
const Default = "zh-CN"

// Catalog holds every language's messages.
type Catalog struct {
	langs map[string]map[string]string
}

// Load reads the embedded locale files. A file is named LANG.json or
// AREA.LANG.json; a key defined twice in one language is an error.
func Load() (*Catalog, error) { return LoadFS(localeFS, "locales") }

// LoadFS reads locale files from dir in fsys.
func LoadFS(fsys fs.FS, dir string) (*Catalog, error) {
	c := &Catalog{langs: map[string]map[string]string{}}
	for _, l := range xinlu.Languages {
		c.langs[l] = map[string]string{}
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".json") {
			continue
		}
		base := strings.TrimSuffix(name, ".json")
		lang := base[strings.LastIndex(base, ".")+1:]
		msgs, ok := c.langs[lang]
		if !ok {
			return nil, fmt.Errorf("locale file %s: unknown language %q", name, lang)
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("locale file %s: %w", name, err)
		}
		for k, v := range m {
			if _, dup := msgs[k]; dup {
				return nil, fmt.Errorf("locale file %s: key %q defined twice", name, k)
			}
			msgs[k] = v
		}
	}
	return c, nil
}

// Keys returns the sorted keys of a language, for completeness checks.
func (c *Catalog) Keys(lang string) []string {
	keys := make([]string, 0, len(c.langs[lang]))
	for k := range c.langs[lang] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Has reports whether lang defines key.
func (c *Catalog) Has(lang, key string) bool {
	_, ok := c.langs[lang][key]
	return ok
}

// Match picks the best supported language for an Accept-Language header.
func (c *Catalog) Match(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Default
	}
	// Tags come sorted by preference; the first whose language xinlu speaks
	// wins, whatever its region or script (zh-TW reads zh-CN better than en).
	for _, t := range tags {
		base, _ := t.Base()
		for _, l := range xinlu.Languages {
			if lb, _ := language.MustParse(l).Base(); lb == base {
				return l
			}
		}
	}
	return Default
}

// Printer translates into one language.
type Printer struct {
	Lang string
	msgs map[string]string
	dflt map[string]string
}

// Printer returns the printer of lang, or of the default language.
func (c *Catalog) Printer(lang string) *Printer {
	msgs, ok := c.langs[lang]
	if !ok {
		lang, msgs = Default, c.langs[Default]
	}
	return &Printer{Lang: lang, msgs: msgs, dflt: c.langs[Default]}
}

// T returns the message for key, formatted with args (fmt verbs). A missing
// key shows itself, so that it is noticed; the completeness test keeps it rare.
func (p *Printer) T(key string, args ...any) string {
	msg, ok := p.msgs[key]
	if !ok {
		if msg, ok = p.dflt[key]; !ok {
			return key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// Has reports whether key is defined.
func (p *Printer) Has(key string) bool {
	_, ok := p.msgs[key]
	return ok
}

// Field returns the label of a form field or JSON field name.
func (p *Printer) Field(name string) string {
	if name == "" {
		return ""
	}
	if p.Has("field." + name) {
		return p.T("field." + name)
	}
	// A field of one row of a list: "indicators[2].weight".
	if open := strings.IndexByte(name, '['); open > 0 {
		if end := strings.Index(name, "]."); end > open {
			if n, err := strconv.Atoi(name[open+1 : end]); err == nil && n >= 0 {
				return p.T("field.row", p.Field(name[:open]), n+1, p.Field(name[end+2:]))
			}
		}
	}
	return name
}

// Error renders a domain error for a person: its message with the field's
// label in place of {field}. Internal errors never show their cause.
func (p *Printer) Error(err error) string {
	if err == nil {
		return ""
	}
	e := xinlu.AsError(err)
	key := e.Key
	if key == "" || e.Code == xinlu.EINTERNAL {
		key = "error.internal"
	}
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		if k, ok := a.(xinlu.LabelKey); ok {
			a = p.T(string(k))
		}
		args[i] = a
	}
	if e.Code == xinlu.EINTERNAL {
		args = nil
	}
	return strings.ReplaceAll(p.T(key, args...), "{field}", p.Field(e.Field))
}
