package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"xinlu/internal/xinlu"
)

// Benchmarks of the request path without the network: go test -bench . ./internal/web/
// The load test against a real server (wrk) is in the README.

func benchGet(b *testing.B, a *app, path, token string) {
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("GET", path, nil)
			req.RemoteAddr = "127.0.0.1:1234"
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			rec := httptest.NewRecorder()
			a.srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("%s: %d", path, rec.Code)
			}
		}
	})
}

func BenchmarkHealthz(b *testing.B) {
	benchGet(b, newApp(b), "/healthz", "")
}

func BenchmarkAPIMe(b *testing.B) {
	a := newApp(b)
	benchGet(b, a, "/api/v1/me", a.api(xinlu.RoleDirector).token)
}

func BenchmarkLoginPage(b *testing.B) {
	benchGet(b, newApp(b), "/login", "")
}
