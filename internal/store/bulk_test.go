package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"xinlu/internal/seal"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// The bulk loader writes leads, projects and their rows in one batch, seals
// contact phones, and keeps the audit chain whole with one row per batch.
func TestBulkLoad(t *testing.T) {
	eachKeyed(t, seal.AES, func(t *testing.T, k *keyed) {
		ctx := context.Background()
		s := k.s
		sys := xinlu.SystemActor(0)
		z := &xinlu.Zone{Code: "bulk", Name: "批量"}
		if err := s.CreateZone(ctx, sys, z); err != nil {
			t.Fatal(err)
		}
		a := xinlu.SystemActor(z.ID)
		m := &xinlu.Member{ZoneID: z.ID, StaffNo: "B001", Name: "批量上报人", Status: xinlu.MemberActive, JoinedOn: "2020-01-01"}
		if err := s.CreateMember(ctx, a, m); err != nil {
			t.Fatal(err)
		}
		auditBefore, _, err := s.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		const n = 2000
		now := time.Now().UTC()
		for batch := 0; batch < 2; batch++ {
			b := &store.BulkBatch{}
			for i := 0; i < n/2; i++ {
				l := &xinlu.Lead{ReporterID: m.ID, Company: fmt.Sprintf("山西批量%d新材料有限公司", batch*n+i), ProjectName: "新材料项目",
					Industry: "materials", InvestmentYuan: new(int64(1e8)), ContactName: "王总", ContactPhone: fmt.Sprintf("138%08d", i),
					Status: xinlu.LeadRejected, Reason: "不符合", ReportedAt: now.Add(-time.Duration(i) * time.Hour)}
				if i%10 == 0 {
					l.Status, l.Reason = xinlu.LeadAccepted, ""
				}
				b.Leads = append(b.Leads, l)
				if l.Status == xinlu.LeadAccepted {
					p := &store.BulkProject{LeadIndex: len(b.Leads) - 1}
					p.Name, p.Company, p.Industry, p.Stage = l.ProjectName, l.Company, l.Industry, xinlu.StageAgency
					p.Signing = xinlu.Signing{SignedOn: "2025-06-01", ContractYuan: 1e8, PromisedStart: "2025-09-01", PromisedProduce: "2026-09-01"}
					p.Events = []store.BulkEvent{{At: now, Kind: "sign", Detail: map[string]any{"signed_on": "2025-06-01"}}}
					p.Approvals = []store.ApprovalItem{{Name: "立项备案", LimitDays: 5, StartedOn: "2025-06-01", DueOn: "2025-06-08", SortOrder: 1}}
					p.Funds = []store.Funds{{OnDate: "2025-07-01", Yuan: 1e7}}
					b.Projects = append(b.Projects, p)
				}
			}
			c, err := s.BulkLoad(ctx, a, z.ID, b)
			if err != nil {
				t.Fatal(err)
			}
			if c.Leads != n/2 || c.Projects != n/20 || c.Approvals != n/20 || c.Funds != n/20 || c.Events != n/10 {
				t.Fatalf("batch %d: %+v", batch, c)
			}
			for _, p := range b.Projects {
				if p.ID == 0 || p.Code == "" || p.LeadID != b.Leads[p.LeadIndex].ID {
					t.Fatalf("project %+v", p.Project)
				}
			}
		}
		scope := xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: z.ID}
		if _, total, err := s.ListLeads(ctx, store.LeadFilter{Scope: scope}); err != nil || total != n {
			t.Fatalf("%d leads, %v", total, err)
		}
		if _, total, err := s.ListProjects(ctx, store.ProjectFilter{ZoneID: z.ID}); err != nil || total != n/10 {
			t.Fatalf("%d projects, %v", total, err)
		}
		// Phones are sealed at rest and open for the screener's view.
		var raw string
		var pid int64
		var id int64
		if err := k.raw.QueryRow(`SELECT id, contact_phone, COALESCE(project_id, 0) FROM leads WHERE status = 'accepted' ORDER BY id LIMIT 1`).Scan(&id, &raw, &pid); err != nil {
			t.Fatal(err)
		}
		if !seal.IsSealed(raw) || pid == 0 {
			t.Fatalf("stored phone %q, project %d", raw, pid)
		}
		l, err := s.LeadByID(ctx, scope, id)
		if err != nil || l.ContactPhone != "13800000000" || l.ProjectID != pid {
			t.Fatalf("opened lead %+v %v", l, err)
		}
		items, err := s.Approvals(ctx, z.ID, pid)
		if err != nil || len(items) != 1 || items[0].Light != xinlu.LightRed {
			t.Fatalf("approvals %+v %v", items, err)
		}
		after, brk, err := s.VerifyAudit(ctx)
		if err != nil || brk != nil {
			t.Fatalf("audit chain: %+v %v", brk, err)
		}
		if after-auditBefore != 2 {
			t.Fatalf("%d audit rows for two batches", after-auditBefore)
		}
	})
}
