package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"xinlu/internal/seal"
	"xinlu/internal/xinlu"
)

// The appraisal at scale: go test -run '^$' -bench Appraisal ./internal/store/
// seeds 20,000 members in 400 departments, schemes of ten indicators and a
// pipeline of 1,000,000 leads (XINLU_BENCH_MEMBERS and XINLU_BENCH_LEADS
// change the sizes), then times the calculation of a month and the first
// page of its results, reporting p50 and p99. Pay amounts are sealed with
// a key file's keys, as in production; XINLU_BENCH_PLAIN=1 runs without.

func benchSize(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

type appraisalScale struct {
	s      *Store
	zone   int64
	period *xinlu.Period
	office *xinlu.User
}

func seedAppraisalScale(b *testing.B) *appraisalScale {
	b.Helper()
	ctx := context.Background()
	nMembers, nLeads := benchSize("XINLU_BENCH_MEMBERS", 20000), benchSize("XINLU_BENCH_LEADS", 1000000)
	nDepts := max(1, nMembers/50)
	s, err := Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if os.Getenv("XINLU_BENCH_PLAIN") == "" {
		k, err := seal.NewKeys(seal.AES)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.UseKeys(ctx, k); err != nil {
			b.Fatal(err)
		}
	}
	now := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return now })
	z := &xinlu.Zone{Code: "BENCH", Name: "bench"}
	if err := s.CreateZone(ctx, xinlu.SystemActor(0), z); err != nil {
		b.Fatal(err)
	}
	a := xinlu.SystemActor(z.ID)
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Now()
	err = s.inTx(ctx, func(tx *Tx) error {
		ts := s.Now()
		var rows [][]any
		for i := range nDepts {
			rows = append(rows, []any{z.ID, fmt.Sprintf("D%03d", i), fmt.Sprintf("部门%03d", i), 1, ts, ts})
		}
		depts, err := tx.insertRows(ctx, "departments", []string{"zone_id", "code", "name", "version", "created_at", "updated_at"}, rows)
		if err != nil {
			return err
		}
		pos, err := tx.insertRows(ctx, "positions", []string{"zone_id", "name", "kind", "version", "created_at", "updated_at"},
			[][]any{{z.ID, "班子成员", "leader", 1, ts, ts}, {z.ID, "部长", "head", 1, ts, ts}, {z.ID, "专员", "staff", 1, ts, ts}})
		if err != nil {
			return err
		}
		rows = rows[:0]
		for i := range nMembers {
			p := pos[2]
			switch {
			case i < 20:
				p = pos[0]
			case i%50 == 0:
				p = pos[1]
			}
			status := "active"
			if i%97 == 5 {
				status = "probation"
			}
			rows = append(rows, []any{z.ID, depts[i%nDepts], p, fmt.Sprintf("B%05d", i), fmt.Sprintf("人员%05d", i), status, "2020-01-01", 1, ts, ts})
		}
		members, err := tx.insertRows(ctx, "members", []string{"zone_id", "department_id", "position_id", "staff_no", "name", "status", "joined_on",
			"version", "created_at", "updated_at"}, rows)
		if err != nil {
			return err
		}
		rows = rows[:0]
		ys, err := tx.yuanSealer(ctx)
		if err != nil {
			return err
		}
		for i, m := range members {
			base, err := ys.seal(memberBasePay, 2500+int64(i%10)*100)
			if err != nil {
				return err
			}
			rows = append(rows, []any{m, z.ID, base, ts})
		}
		if err := tx.insertKeyed(ctx, "member_pay", []string{"member_id", "zone_id", "base_sealed", "updated_at"}, rows); err != nil {
			return err
		}
		rows = rows[:0]
		for _, m := range members[:20] {
			rows = append(rows, []any{z.ID, m, "副主任", "2025-01-01", "2027-12-31", 1, ts, ts})
		}
		if _, err := tx.insertRows(ctx, "terms", []string{"zone_id", "member_id", "title", "start_date", "end_date", "version", "created_at", "updated_at"}, rows); err != nil {
			return err
		}
		// Leads over three years; one in ten accepted into a project, some signed, with funds and approvals.
		first := now.AddDate(-3, 0, 0)
		span := now.Sub(first)
		leadCols := []string{"zone_id", "reporter_id", "company", "company_key", "project_name", "industry", "status", "reported_at", "version", "created_at", "updated_at"}
		projCols := []string{"zone_id", "lead_id", "name", "company", "company_key", "industry", "stage", "status", "sponsor_id", "signed_on", "contract_yuan",
			"version", "created_at", "updated_at"}
		for done := 0; done < nLeads; {
			n := min(20000, nLeads-done)
			rows = rows[:0]
			at := make([]time.Time, n)
			for i := range n {
				at[i] = first.Add(time.Duration(rng.Int64N(int64(span))))
				status := []string{"rejected", "rejected", "dormant", "rejected", "screening", "rejected", "merged", "rejected", "reported", "accepted"}[(done+i)%10]
				rows = append(rows, []any{z.ID, members[rng.IntN(len(members))], "公司" + strconv.Itoa(done+i), "gs" + strconv.Itoa(done+i), "项目", "equipment", status, at[i], 1, at[i], at[i]})
			}
			leads, err := tx.insertRows(ctx, "leads", leadCols, rows)
			if err != nil {
				return err
			}
			var prows [][]any
			var pat []time.Time
			for i, id := range leads {
				if (done+i)%10 != 9 {
					continue
				}
				accepted := at[i].Add(72 * time.Hour)
				signed, contract := "", int64(0)
				if rng.IntN(10) < 4 {
					signed, contract = accepted.AddDate(0, 2, 0).Format(xinlu.DateLayout), int64(1+rng.IntN(50))*10_000_000
				}
				prows = append(prows, []any{z.ID, id, "项目" + strconv.Itoa(done+i), "公司", "gs", "equipment", "agency", "active", members[rng.IntN(20)],
					signed, contract, 1, accepted, accepted})
				pat = append(pat, accepted)
			}
			projects, err := tx.insertRows(ctx, "projects", projCols, prows)
			if err != nil {
				return err
			}
			var frows, arows [][]any
			for i, id := range projects {
				if prows[i][9] == "" {
					continue
				}
				on := pat[i].AddDate(0, 3+rng.IntN(6), 0)
				frows = append(frows, []any{z.ID, id, on.Format(xinlu.DateLayout), int64(1+rng.IntN(20)) * 1_000_000, on})
				for k := range 2 {
					closed := on.AddDate(0, 0, k*10).Format(xinlu.DateLayout)
					arows = append(arows, []any{z.ID, id, "施工许可", members[rng.IntN(len(members))], "approved", closed, on.AddDate(0, 0, 15).Format(xinlu.DateLayout), closed, 1, on, on})
				}
			}
			if len(frows) > 0 {
				if _, err := tx.insertRows(ctx, "funds_in_place", []string{"zone_id", "project_id", "on_date", "amount_yuan", "created_at"}, frows); err != nil {
					return err
				}
				if _, err := tx.insertRows(ctx, "approval_items", []string{"zone_id", "project_id", "name", "agent_id", "status", "started_on", "due_on", "closed_on",
					"version", "created_at", "updated_at"}, arows); err != nil {
					return err
				}
			}
			done += n
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	// Schemes of ten indicators: the seven metrics, an assessed and a peer score, and points.
	var inds []xinlu.Indicator
	for i, m := range xinlu.Metrics {
		inds = append(inds, xinlu.Indicator{Name: "计算" + m, Kind: xinlu.IndicatorComputed, Metric: m, Target: []int64{3, 1, 1, 100_000_000, 10_000_000, 2, 1}[i], Weight: 10, KeyTask: i == 0})
	}
	inds = append(inds, xinlu.Indicator{Name: "评价", Kind: xinlu.IndicatorAssessed, Weight: 20}, xinlu.Indicator{Name: "测评", Kind: xinlu.IndicatorPeer, Weight: 10},
		xinlu.Indicator{Name: "加减分", Kind: xinlu.IndicatorPoints, Target: 1000})
	for _, k := range xinlu.PositionKinds {
		if err := s.CreateScheme(ctx, a, &xinlu.Scheme{ZoneID: z.ID, Name: "方案" + string(k), PositionKind: k, Indicators: slices.Clone(inds)}); err != nil {
			b.Fatal(err)
		}
	}
	p := &xinlu.Period{ZoneID: z.ID, Kind: xinlu.PeriodMonth, Label: "2026-10", Rule: xinlu.DefaultDistributionRule(), Coefficients: xinlu.DefaultCoefficients()}
	if err := s.CreatePeriod(ctx, a, p); err != nil {
		b.Fatal(err)
	}
	office := &xinlu.User{ID: 1, ZoneID: z.ID, Name: "考核办", Roles: []xinlu.Role{xinlu.RoleAppraiser}}
	if p, err = s.StepPeriod(ctx, a, office, p.ID, xinlu.PeriodOpen, PeriodInput{Version: p.Version}); err != nil {
		b.Fatal(err)
	}
	// Ratings: one assessed score and five peer scores per member; some incentives with points.
	schemes, err := s.ListSchemes(ctx, z.ID)
	if err != nil {
		b.Fatal(err)
	}
	err = s.inTx(ctx, func(tx *Tx) error {
		ts := s.Now()
		rs, err := tx.query(ctx, `SELECT m.id, p.kind FROM members m JOIN positions p ON p.id = m.position_id WHERE m.zone_id = ?`, z.ID)
		if err != nil {
			return err
		}
		type mk struct {
			id   int64
			kind string
		}
		ms, err := collect(rs, func(sc scanner) (mk, error) { var v mk; return v, sc.Scan(&v.id, &v.kind) })
		if err != nil {
			return err
		}
		ind := map[string][2]int64{}
		for _, sc := range schemes {
			ind[string(sc.PositionKind)] = [2]int64{sc.Indicators[7].ID, sc.Indicators[8].ID}
		}
		var rows, irows [][]any
		for i, m := range ms {
			rows = append(rows, []any{p.ID, m.id, ind[m.kind][0], ms[(i+1)%len(ms)].id, 6000 + rng.IntN(4000), ts})
			for k := 1; k <= 5; k++ {
				rows = append(rows, []any{p.ID, m.id, ind[m.kind][1], ms[(i+k*7)%len(ms)].id, 7000 + rng.IntN(3000), ts})
			}
			if i%40 == 0 {
				irows = append(irows, []any{z.ID, m.id, "penalty", 0, -200, "迟报", "event", "会议", "2026-10-15", "approved", ts, ts})
			}
		}
		if _, err := tx.insertRows(ctx, "appraisal_ratings", []string{"period_id", "member_id", "indicator_id", "rater_id", "score", "updated_at"}, rows); err != nil {
			return err
		}
		_, err = tx.insertRows(ctx, "incentives", []string{"zone_id", "member_id", "kind", "amount_yuan", "points", "reason", "evidence_type", "evidence_text",
			"occurred_on", "status", "created_at", "updated_at"}, irows)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Optimize(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d members in %d departments, %d leads in %s", nMembers, nDepts, nLeads, time.Since(start).Round(time.Second))
	return &appraisalScale{s: s, zone: z.ID, period: p, office: office}
}

func percentiles(d []time.Duration) (p50, p99 time.Duration) {
	slices.Sort(d)
	return d[len(d)/2], d[min(len(d)-1, len(d)*99/100)]
}

func BenchmarkAppraisalAtScale(b *testing.B) {
	env := seedAppraisalScale(b)
	ctx := context.Background()
	a := xinlu.SystemActor(env.zone)
	b.Run("calculate", func(b *testing.B) {
		var took []time.Duration
		for b.Loop() {
			p, err := env.s.PeriodByID(ctx, env.zone, env.period.ID)
			if err != nil {
				b.Fatal(err)
			}
			t := time.Now()
			if _, err := env.s.CalculatePeriod(ctx, a, env.office, p.ID, p.Version); err != nil {
				b.Fatal(err)
			}
			took = append(took, time.Since(t))
		}
		p50, p99 := percentiles(took)
		b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	})
	var n int
	if err := env.s.queryRow(ctx, `SELECT COUNT(*) FROM appraisal_results WHERE period_id = ?`, env.period.ID).Scan(&n); err != nil || n == 0 {
		b.Fatalf("%d results: %v", n, err)
	}
	scope := xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: env.zone}
	for _, tc := range []struct {
		name string
		f    ResultFilter
	}{
		{"results-page", ResultFilter{PeriodID: env.period.ID, Scope: scope, Page: xinlu.Page{Page: 1, PerPage: 50}}},
		{"results-deep-page", ResultFilter{PeriodID: env.period.ID, Scope: scope, Page: xinlu.Page{Page: max(1, n/100), PerPage: 50}}},
		{"results-band-filter", ResultFilter{PeriodID: env.period.ID, Scope: scope, Band: xinlu.BandBottom, Page: xinlu.Page{Page: 1, PerPage: 50}}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var took []time.Duration
			for b.Loop() {
				t := time.Now()
				rs, total, err := env.s.ListResults(ctx, tc.f)
				if err != nil || len(rs) == 0 || total == 0 {
					b.Fatalf("%d of %d: %v", len(rs), total, err)
				}
				took = append(took, time.Since(t))
			}
			p50, p99 := percentiles(took)
			b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
		})
	}
}
