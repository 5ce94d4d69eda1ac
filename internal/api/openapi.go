package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
	"sync"
)

// The OpenAPI document is written by hand, one fragment per area in
// openapi/*.json, and merged here. A test checks it against the route table.
//
//go:embed openapi/*.json
var openapiFS embed.FS

var (
	openapiOnce sync.Once
	openapiDoc  []byte
	openapiErr  error
)

// OpenAPIDocument returns the merged OpenAPI 3.1 document.
func OpenAPIDocument() ([]byte, error) {
	openapiOnce.Do(func() { openapiDoc, openapiErr = buildOpenAPI() })
	return openapiDoc, openapiErr
}

func buildOpenAPI() ([]byte, error) {
	names, err := fs.Glob(openapiFS, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	paths := map[string]map[string]any{}
	schemas := map[string]any{}
	var base map[string]any
	for _, name := range names {
		b, err := fs.ReadFile(openapiFS, name)
		if err != nil {
			return nil, err
		}
		var frag struct {
			Paths      map[string]map[string]any `json:"paths"`
			Components struct {
				Schemas map[string]any `json:"schemas"`
			} `json:"components"`
		}
		if err := json.Unmarshal(b, &frag); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if name == "openapi/_base.json" {
			if err := json.Unmarshal(b, &base); err != nil {
				return nil, err
			}
		}
		for p, ops := range frag.Paths {
			if paths[p] == nil {
				paths[p] = map[string]any{}
			}
			for m, op := range ops {
				if _, dup := paths[p][m]; dup {
					return nil, fmt.Errorf("%s: %s %s described twice", name, m, p)
				}
				paths[p][m] = op
			}
		}
		for k, v := range frag.Components.Schemas {
			if _, dup := schemas[k]; dup {
				return nil, fmt.Errorf("%s: schema %s described twice", name, k)
			}
			schemas[k] = v
		}
	}
	if base == nil {
		return nil, fmt.Errorf("openapi/_base.json is missing")
	}
	base["paths"] = paths
	comps, _ := base["components"].(map[string]any)
	if comps == nil {
		comps = map[string]any{}
	}
	comps["schemas"] = schemas
	base["components"] = comps
	return json.MarshalIndent(base, "", "  ")
}

func (a *API) openAPI(w http.ResponseWriter, r *http.Request) {
	doc, err := OpenAPIDocument()
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(doc)
}
