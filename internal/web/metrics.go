package web

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"xinlu/internal/store"
)

// metrics keeps request counts and a latency histogram per route, written
// out in the Prometheus text format.
type metrics struct {
	mu       sync.Mutex
	requests map[[2]string]uint64 // route, status → count
	hist     map[string]*histogram
	started  time.Time
	waiting  atomic.Int64 // requests queued for a turn (admit)
}

var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	total  uint64
}

func newMetrics() *metrics {
	return &metrics{requests: map[[2]string]uint64{}, hist: map[string]*histogram{}, started: time.Now()}
}

func (m *metrics) observe(route string, status int, d time.Duration) {
	sec := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[[2]string{route, strconv.Itoa(status)}]++
	h := m.hist[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets))}
		m.hist[route] = h
	}
	for i, b := range latencyBuckets {
		if sec <= b {
			h.counts[i]++
			break
		}
	}
	h.sum += sec
	h.total++
}

func (m *metrics) serve(st *store.Store) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		m.mu.Lock()
		keys := make([][2]string, 0, len(m.requests))
		for k := range m.requests {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
		b.WriteString("# HELP xinlu_http_requests_total HTTP requests by route and status.\n# TYPE xinlu_http_requests_total counter\n")
		for _, k := range keys {
			fmt.Fprintf(&b, "xinlu_http_requests_total{route=%q,status=%q} %d\n", k[0], k[1], m.requests[k])
		}
		routes := make([]string, 0, len(m.hist))
		for r := range m.hist {
			routes = append(routes, r)
		}
		sort.Strings(routes)
		b.WriteString("# HELP xinlu_http_request_duration_seconds Time to answer a request.\n# TYPE xinlu_http_request_duration_seconds histogram\n")
		for _, route := range routes {
			h := m.hist[route]
			var cum uint64
			for i, le := range latencyBuckets {
				cum += h.counts[i]
				fmt.Fprintf(&b, "xinlu_http_request_duration_seconds_bucket{route=%q,le=%q} %d\n", route, strconv.FormatFloat(le, 'g', -1, 64), cum)
			}
			fmt.Fprintf(&b, "xinlu_http_request_duration_seconds_bucket{route=%q,le=\"+Inf\"} %d\n", route, h.total)
			fmt.Fprintf(&b, "xinlu_http_request_duration_seconds_sum{route=%q} %g\n", route, h.sum)
			fmt.Fprintf(&b, "xinlu_http_request_duration_seconds_count{route=%q} %d\n", route, h.total)
		}
		m.mu.Unlock()
		pools := st.PoolStats()
		names := make([]string, 0, len(pools))
		for n := range pools {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, metric := range []struct{ name, help, typ string }{
			{"xinlu_db_open_connections", "Open database connections.", "gauge"},
			{"xinlu_db_in_use_connections", "Database connections in use.", "gauge"},
			{"xinlu_db_idle_connections", "Idle database connections.", "gauge"},
			{"xinlu_db_wait_count_total", "Waits for a database connection.", "counter"},
			{"xinlu_db_wait_seconds_total", "Time spent waiting for a database connection.", "counter"},
		} {
			fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", metric.name, metric.help, metric.name, metric.typ)
			for _, n := range names {
				p := pools[n]
				var v float64
				switch metric.name {
				case "xinlu_db_open_connections":
					v = float64(p.OpenConnections)
				case "xinlu_db_in_use_connections":
					v = float64(p.InUse)
				case "xinlu_db_idle_connections":
					v = float64(p.Idle)
				case "xinlu_db_wait_count_total":
					v = float64(p.WaitCount)
				case "xinlu_db_wait_seconds_total":
					v = p.WaitDuration.Seconds()
				}
				fmt.Fprintf(&b, "%s{pool=%q} %g\n", metric.name, n, v)
			}
		}
		fmt.Fprintf(&b, "# HELP xinlu_http_requests_waiting Requests waiting for their turn.\n# TYPE xinlu_http_requests_waiting gauge\nxinlu_http_requests_waiting %d\n", m.waiting.Load())
		fmt.Fprintf(&b, "# HELP xinlu_uptime_seconds Seconds since start.\n# TYPE xinlu_uptime_seconds gauge\nxinlu_uptime_seconds %g\n", time.Since(m.started).Seconds())
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		w.Write([]byte(b.String()))
	}
}
