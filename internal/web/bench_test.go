package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"xinlu/internal/store"
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

// BenchmarkAppraisalResults serves the first page of a period's results
// (50 rows with pay) as a page and through the API, for a zone of
// XINLU_BENCH_MEMBERS members (default 20,000), reporting p50 and p99.
func BenchmarkAppraisalResults(b *testing.B) {
	a := newApp(b)
	ctx := context.Background()
	sys := xinlu.SystemActor(a.zone.ID)
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("XINLU_BENCH_MEMBERS")); err == nil && v > 0 {
		n = v
	}
	var rs []store.Rating
	scheme := &xinlu.Scheme{ZoneID: a.zone.ID, Name: "方案", PositionKind: xinlu.PositionStaff,
		Indicators: []xinlu.Indicator{{Name: "评价", Kind: xinlu.IndicatorAssessed, Weight: 100}}}
	if err := a.store.CreateScheme(ctx, sys, scheme); err != nil {
		b.Fatal(err)
	}
	depts := make([]int64, 0, n/50+1)
	for i := 0; i < n/50+1; i++ {
		d := &xinlu.Department{ZoneID: a.zone.ID, Code: fmt.Sprintf("B%03d", i), Name: fmt.Sprintf("部门%03d", i)}
		if err := a.store.CreateDepartment(ctx, sys, d); err != nil {
			b.Fatal(err)
		}
		depts = append(depts, d.ID)
	}
	for i := range n {
		m := &xinlu.Member{ZoneID: a.zone.ID, DepartmentID: depts[i%len(depts)], StaffNo: fmt.Sprintf("M%05d", i), Name: fmt.Sprintf("人员%05d", i)}
		if err := a.store.CreateMember(ctx, sys, m); err != nil {
			b.Fatal(err)
		}
		rs = append(rs, store.Rating{MemberID: m.ID, IndicatorID: scheme.Indicators[0].ID, Score: int64(5000 + i%5000)})
	}
	office, director := a.users[xinlu.RoleAppraiser], a.users[xinlu.RoleDirector]
	p := &xinlu.Period{ZoneID: a.zone.ID, Kind: xinlu.PeriodMonth, Label: "2026-10", Rule: xinlu.DefaultDistributionRule(), Coefficients: xinlu.DefaultCoefficients()}
	if err := a.store.CreatePeriod(ctx, sys, p); err != nil {
		b.Fatal(err)
	}
	step := func(action xinlu.PeriodAction) {
		q, err := a.store.PeriodByID(ctx, a.zone.ID, p.ID)
		if err == nil {
			_, err = a.store.StepPeriod(ctx, sys, office, p.ID, action, store.PeriodInput{Version: q.Version})
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	step(xinlu.PeriodOpen)
	for len(rs) > 0 {
		k := min(5000, len(rs))
		if _, err := a.store.SaveRatings(ctx, sys, director, p.ID, rs[:k]); err != nil {
			b.Fatal(err)
		}
		rs = rs[k:]
	}
	step(xinlu.PeriodCalculate)
	// The page through the test server with the director's session (50
	// rows per page), the API with a token.
	page, api := a.as(xinlu.RoleDirector), a.api(xinlu.RoleDirector)
	for _, tc := range []struct {
		name, path string
		c          *client
	}{
		{"page", "/appraisal/periods/" + strconvFormat(p.ID) + "?per_page=50", page},
		{"api", "/api/v1/appraisal/periods/" + strconvFormat(p.ID) + "/results?per_page=50", api},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var took []time.Duration
			for b.Loop() {
				t := time.Now()
				res := tc.c.get(tc.path)
				took = append(took, time.Since(t))
				if res.StatusCode != http.StatusOK || !strings.Contains(res.body, "人员") {
					b.Fatalf("%s: %d", tc.path, res.StatusCode)
				}
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// BenchmarkAPIReportLead reports leads through POST /api/v1/leads as the
// screening task force, from many goroutines: authentication, decoding,
// validation, the write with its audit row and the duplicate search.
func BenchmarkAPIReportLead(b *testing.B) {
	a := newApp(b)
	token := a.api(xinlu.RoleScreener).token
	var seq atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := seq.Add(1)
			body := fmt.Sprintf(`{"company":"华晋%d号智能装备有限公司","project_name":"项目%d","industry":"equipment","investment_yuan":100000000,"channel":"online","contact_name":"王总","contact_phone":"13812345678"}`, n, n)
			req := httptest.NewRequest("POST", "/api/v1/leads", strings.NewReader(body))
			req.RemoteAddr = "127.0.0.1:1234"
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			a.srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusCreated {
				b.Fatalf("POST /api/v1/leads: %d %s", rec.Code, rec.Body)
			}
		}
	})
}
