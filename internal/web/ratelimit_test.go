package web

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newLimiter()
	l.now = func() time.Time { return now }
	for i := 0; i < 10; i++ {
		if ok, _ := l.allow(context.Background(), 1, limitExport); !ok {
			t.Fatalf("export %d refused within the burst", i+1)
		}
	}
	ok, wait := l.allow(context.Background(), 1, limitExport)
	if ok || wait <= 0 || wait > 6*time.Second {
		t.Fatalf("11th export: %v %v", ok, wait)
	}
	if ok, _ := l.allow(context.Background(), 2, limitExport); !ok {
		t.Fatal("another user was held back")
	}
	if ok, _ := l.allow(context.Background(), 1, limitSearch); !ok {
		t.Fatal("searches share the export bucket")
	}
	now = now.Add(6 * time.Second)
	if ok, _ := l.allow(context.Background(), 1, limitExport); !ok {
		t.Fatal("no refill after six seconds")
	}
}

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		route, url string
		want       limitClass
	}{
		{"GET /members/export.xlsx", "/members/export.xlsx", limitExport},
		{"GET /audit/export.xlsx", "/audit/export.xlsx", limitExport},
		{"GET /calendar/template.xlsx", "/calendar/template.xlsx", limitNone},
		{"POST /calendar/import", "/calendar/import", limitImport},
		{"GET /members", "/members?q=王", limitSearch},
		{"GET /members", "/members", limitNone},
	} {
		method := "GET"
		if tc.route[:4] == "POST" {
			method = "POST"
		}
		if got := classify(tc.route, httptest.NewRequest(method, tc.url, nil)); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.url, got, tc.want)
		}
	}
}
