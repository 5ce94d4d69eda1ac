// Package layers holds the test that keeps xinlu's packages in their
// layers: the domain at the bottom, the store on it, reports beside the
// two faces, and the JSON API mounted by the server's routing, never used
// by the pages as a library.
package layers

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "xinlu/internal/"

// rule says which of our packages a package may import: only the listed
// ones when only is set, any but the listed ones otherwise.
type rule struct {
	only   bool
	names  []string
	reason string
}

var rules = map[string]rule{
	"xinlu":   {only: true, reason: "the domain imports nothing of ours"},
	"seal":    {only: true, reason: "sealing imports nothing of ours"},
	"i18n":    {only: true, names: []string{"xinlu"}, reason: "messages import only the domain"},
	"xlsx":    {only: true, names: []string{"xinlu"}, reason: "workbooks import only the domain"},
	"docx":    {only: true, reason: "documents import nothing of ours"},
	"pdftext": {only: true, reason: "reading PDFs imports nothing of ours"},
	"store":   {only: true, names: []string{"xinlu", "seal"}, reason: "the store imports only the domain and seal"},
	"httpx":   {only: true, names: []string{"xinlu"}, reason: "the HTTP leaf imports only the domain"},
	"report":  {names: []string{"web", "api"}, reason: "reports never import a face"},
	"api":     {names: []string{"web"}, reason: "the API never imports the pages"},
	"testdb":  {only: true, reason: "the store's own tests use it: it imports nothing of ours"},
	"testfix": {only: true, names: []string{"xinlu", "store", "testdb"},
		reason: "the shared test fixture builds on the store alone, so that the store's tests can use it"},
}

// routingFiles are the files of web that may import api: they mount its
// routes and nothing else.
var routingFiles = []string{"routes.go"}

// TestLayers parses the imports of every file of internal/*/ and fails when
// a layer reaches across. Tests in an external test package (package
// foo_test) are not part of their package's layer: they assemble the whole
// server to call it over HTTP, so they are left out.
func TestLayers(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "*", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 100 {
		t.Fatalf("read only %d files: the glob does not reach the packages", len(files))
	}
	var broken []string
	for _, path := range files {
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f.Name.Name, "_test") {
			continue
		}
		pkg := filepath.Base(filepath.Dir(path))
		for _, is := range f.Imports {
			imp, _ := strconv.Unquote(is.Path.Value)
			if !strings.HasPrefix(imp, module) {
				continue
			}
			to := strings.TrimPrefix(imp, module)
			if to == pkg {
				continue
			}
			if why := refused(pkg, filepath.Base(path), to); why != "" {
				broken = append(broken, pkg+"/"+filepath.Base(path)+" imports "+to+": "+why)
			}
		}
	}
	sort.Strings(broken)
	for _, b := range broken {
		t.Error(b)
	}
}

// refused says why package pkg (in file) may not import to, "" when it may.
func refused(pkg, file, to string) string {
	if strings.HasSuffix(file, "_test.go") && (to == "testdb" || to == "testfix") {
		return "" // any package's tests may use the shared test fixture
	}
	if pkg == "web" && to == "api" && !slices.Contains(routingFiles, file) {
		return "only the routing files of web import api, to mount it"
	}
	r, ok := rules[pkg]
	if !ok {
		return ""
	}
	if slices.Contains(r.names, to) != r.only {
		return r.reason
	}
	return ""
}

// TestRefused checks the rules themselves on imports that must pass and
// imports that must fail.
func TestRefused(t *testing.T) {
	for _, c := range []struct {
		pkg, file, to string
		ok            bool
	}{
		{"xinlu", "lead.go", "store", false},
		{"store", "lead.go", "xinlu", true},
		{"store", "keys.go", "seal", true},
		{"store", "lead.go", "xlsx", false},
		{"report", "ledger.go", "store", true},
		{"report", "ledger.go", "api", false},
		{"report", "ledger.go", "web", false},
		{"httpx", "send.go", "xinlu", true},
		{"httpx", "send.go", "store", false},
		{"api", "lead.go", "web", false},
		{"api", "lead.go", "report", true},
		{"web", "routes.go", "api", true},
		{"web", "lead.go", "api", false},
		{"web", "lead.go", "report", true},
		{"cli", "serve.go", "web", true},
		{"store", "bench_test.go", "testdb", true},
		{"store", "keys.go", "testdb", false},
		{"testfix", "testfix.go", "web", false},
	} {
		if got := refused(c.pkg, c.file, c.to) == ""; got != c.ok {
			t.Errorf("%s/%s importing %s: allowed %v, want %v", c.pkg, c.file, c.to, got, c.ok)
		}
	}
}
