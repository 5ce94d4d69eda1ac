package i18n_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"xinlu/internal/i18n"
	"xinlu/internal/xinlu"
)

// TestEveryKeyInEveryLanguage is the completeness check: each language
// defines exactly the same keys.
func TestEveryKeyInEveryLanguage(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	ref := c.Keys(i18n.Default)
	if len(ref) < 100 {
		t.Fatalf("only %d keys", len(ref))
	}
	for _, lang := range xinlu.Languages {
		for _, k := range ref {
			if !c.Has(lang, k) {
				t.Errorf("%s lacks %q", lang, k)
			}
		}
		for _, k := range c.Keys(lang) {
			if !c.Has(i18n.Default, k) {
				t.Errorf("%s has %q, which %s lacks", lang, k, i18n.Default)
			}
		}
	}
	for _, k := range xinlu.Roles {
		if !c.Has("en", "role."+string(k)) {
			t.Errorf("role %s has no label", k)
		}
	}
}

// keyUse finds translation keys in templates ({{t "key"}}) and Go code
// (error constructors, flashes, T calls).
var keyUse = []*regexp.Regexp{
	regexp.MustCompile(`\{\{-?\s*t "([a-z0-9_.]*[a-z0-9_])"`),
	regexp.MustCompile(`\(t "([a-z0-9_.]*[a-z0-9_])"`),
	regexp.MustCompile(`Invalid\("[a-z_]*", "([a-z0-9_.]*[a-z0-9_])"`),
	regexp.MustCompile(`Conflict\("[a-z_]*", "([a-z0-9_.]*[a-z0-9_])"`),
	regexp.MustCompile(`NotFound\("([a-z0-9_.]*[a-z0-9_])"\)`),
	regexp.MustCompile(`Key: +"([a-z0-9_.]*[a-z0-9_])"`),
	regexp.MustCompile(`\.T\("([a-z0-9_.]*[a-z0-9_])"`),
	regexp.MustCompile(`flash\(w, "([a-z0-9_.]*[a-z0-9_])"\)`),
}

// TestEveryUsedKeyExists scans the source for keys and fails on any that no
// locale defines, so that no page shows a raw key.
func TestEveryUsedKeyExists(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join("..")
	found := 0
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, "_test.go") {
			return err
		}
		if !strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, ".html") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, re := range keyUse {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				found++
				if !c.Has(i18n.Default, m[1]) {
					t.Errorf("%s uses %q, which no locale defines", p, m[1])
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 100 {
		t.Fatalf("found only %d key uses; the scan is broken", found)
	}
}

func TestDuplicateKeyAcrossFilesFails(t *testing.T) {
	fsys := fstest.MapFS{
		"l/zh-CN.json":   {Data: []byte(`{"a.b": "x"}`)},
		"l/x.zh-CN.json": {Data: []byte(`{"a.b": "y"}`)},
		"l/en.json":      {Data: []byte(`{"a.b": "x"}`)},
	}
	if _, err := i18n.LoadFS(fsys, "l"); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Fatalf("got %v", err)
	}
}

func TestMatchAndErrors(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for header, want := range map[string]string{
		"": "zh-CN", "en-US,en;q=0.9": "en", "zh-CN,zh;q=0.9,en;q=0.8": "zh-CN", "fr-FR": "zh-CN", "en-GB;q=0.5,zh-TW": "zh-CN", "de,en;q=0.5": "en",
	} {
		if got := c.Match(header); got != want {
			t.Errorf("Match(%q) = %s, want %s", header, got, want)
		}
	}
	zh, en := c.Printer("zh-CN"), c.Printer("en")
	e := xinlu.Invalid("name", "error.required")
	if got := zh.Error(e); got != "名称不能为空" {
		t.Errorf("zh: %q", got)
	}
	if got := en.Error(e); got != "Name is required" {
		t.Errorf("en: %q", got)
	}
	if got := en.Error(xinlu.Internalf("secret table broke")); strings.Contains(got, "secret") {
		t.Errorf("internal cause leaked: %q", got)
	}
}

// TestEveryAuditActionHasWords: the audit page reads as words, never codes,
// for every action the store may write, and the filter names every module.
func TestEveryAuditActionHasWords(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range xinlu.AuditActions {
		if i > 0 && xinlu.AuditActions[i-1] >= a {
			t.Errorf("AuditActions out of order or repeated at %q", a)
		}
		if !xinlu.KnownAuditAction(a) {
			t.Errorf("KnownAuditAction(%q) = false", a)
		}
		for _, lang := range xinlu.Languages {
			for _, k := range []string{"audit.action." + a, "audit.module." + xinlu.AuditModule(a)} {
				if !c.Has(lang, k) {
					t.Errorf("%s lacks %q", lang, k)
				}
			}
		}
	}
	if xinlu.KnownAuditAction("lead.nonsense") || xinlu.AuditModule("appraisal.period.open") != "appraisal" {
		t.Error("KnownAuditAction or AuditModule is wrong")
	}
}
