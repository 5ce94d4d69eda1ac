package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// staffFixture is a zone with a small department tree and members in it,
// plus a second zone with one member.
type staffFixture struct {
	z, z2                *xinlu.Zone
	a, a2                xinlu.Actor
	root, child, other   *xinlu.Department
	inRoot, inChild      *xinlu.Member
	inOther, noDept, far *xinlu.Member
	pos, farPos          *xinlu.Position
}

func seedStaff(t *testing.T, s *store.Store) *staffFixture {
	t.Helper()
	ctx := context.Background()
	f := &staffFixture{}
	f.z, f.a = seedZone(t, s, "S1")
	f.z2, f.a2 = seedZone(t, s, "S2")
	dept := func(zone int64, a xinlu.Actor, parent int64, code, name string) *xinlu.Department {
		d := &xinlu.Department{ZoneID: zone, ParentID: parent, Code: code, Name: name}
		if err := s.CreateDepartment(ctx, a, d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	f.root = dept(f.z.ID, f.a, 0, "INVEST", "招商引资局")
	f.child = dept(f.z.ID, f.a, f.root.ID, "INVEST1", "招商一部")
	f.other = dept(f.z.ID, f.a, 0, "OFFICE", "党政办公室")
	farDept := dept(f.z2.ID, f.a2, 0, "INVEST", "招商局")
	f.pos = &xinlu.Position{ZoneID: f.z.ID, Name: "招商专员", Grade: "八级职员", Kind: xinlu.PositionStaff}
	if err := s.CreatePosition(ctx, f.a, f.pos); err != nil {
		t.Fatal(err)
	}
	f.farPos = &xinlu.Position{ZoneID: f.z2.ID, Name: "招商专员"}
	if err := s.CreatePosition(ctx, f.a2, f.farPos); err != nil {
		t.Fatal(err)
	}
	member := func(zone int64, a xinlu.Actor, dept int64, no, name string) *xinlu.Member {
		m := &xinlu.Member{ZoneID: zone, DepartmentID: dept, StaffNo: no, Name: name, Phone: "1390000" + no[len(no)-4:]}
		if err := s.CreateMember(ctx, a, m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	f.inRoot = member(f.z.ID, f.a, f.root.ID, "X0001", "王局长")
	f.inChild = member(f.z.ID, f.a, f.child.ID, "X0002", "李一部")
	f.inOther = member(f.z.ID, f.a, f.other.ID, "X0003", "赵办公")
	f.noDept = member(f.z.ID, f.a, 0, "X0004", "钱无部")
	f.far = member(f.z2.ID, f.a2, farDept.ID, "X0001", "孙外区")
	return f
}

func ids(ms []*xinlu.Member) []int64 {
	out := make([]int64, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	slices.Sort(out)
	return out
}

func want(ms ...*xinlu.Member) []int64 { return ids(ms) }

func TestMemberScope(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seedStaff(t, s)
		scope := func(sc xinlu.Scope, dept, member int64) xinlu.ScopeFilter {
			return xinlu.ScopeFilter{Scope: sc, ZoneID: f.z.ID, DepartmentID: dept, MemberID: member}
		}
		for _, tc := range []struct {
			name  string
			scope xinlu.ScopeFilter
			want  []int64
		}{
			{"none sees nothing", scope(xinlu.ScopeNone, f.root.ID, f.inRoot.ID), nil},
			{"own sees the own record", scope(xinlu.ScopeOwn, f.child.ID, f.inChild.ID), want(f.inChild)},
			{"own without a member record sees nothing", scope(xinlu.ScopeOwn, 0, 0), nil},
			{"department includes sub-departments", scope(xinlu.ScopeDepartment, f.root.ID, f.inRoot.ID), want(f.inRoot, f.inChild)},
			{"sub-department sees only itself", scope(xinlu.ScopeDepartment, f.child.ID, f.inChild.ID), want(f.inChild)},
			{"department scope without a department is own", scope(xinlu.ScopeDepartment, 0, f.noDept.ID), want(f.noDept)},
			{"zone sees the zone only", scope(xinlu.ScopeZone, 0, 0), want(f.inRoot, f.inChild, f.inOther, f.noDept)},
			{"all zones sees every zone", scope(xinlu.ScopeAllZones, 0, 0), want(f.inRoot, f.inChild, f.inOther, f.noDept, f.far)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				items, total, err := s.ListMembers(ctx, store.MemberFilter{Scope: tc.scope})
				if err != nil {
					t.Fatal(err)
				}
				if got := ids(items); !slices.Equal(got, tc.want) || total != len(tc.want) {
					t.Fatalf("got %v (total %d), want %v", got, total, tc.want)
				}
				roster, err := s.RosterMembers(ctx, store.MemberFilter{Scope: tc.scope})
				if err != nil || !slices.Equal(ids(roster), tc.want) {
					t.Fatalf("roster %v %v", ids(roster), err)
				}
			})
		}
		t.Run("a department scope cannot reach into another zone by id", func(t *testing.T) {
			farScope := xinlu.ScopeFilter{Scope: xinlu.ScopeDepartment, ZoneID: f.z.ID, DepartmentID: f.far.DepartmentID}
			if items, _, _ := s.ListMembers(ctx, store.MemberFilter{Scope: farScope}); len(items) != 0 {
				t.Fatalf("got %v", ids(items))
			}
		})
		t.Run("by id is scope-filtered", func(t *testing.T) {
			head := scope(xinlu.ScopeDepartment, f.child.ID, f.inChild.ID)
			if m, err := s.MemberByID(ctx, head, f.inChild.ID); err != nil || m.DepartmentName != "招商一部" {
				t.Fatalf("own department: %v %v", m, err)
			}
			for _, id := range []int64{f.inRoot.ID, f.inOther.ID, f.far.ID} {
				if _, err := s.MemberByID(ctx, head, id); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
					t.Fatalf("member %d: %v", id, err)
				}
			}
			if _, err := s.MemberByID(ctx, scope(xinlu.ScopeZone, 0, 0), f.far.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("other zone: %v", err)
			}
		})
		t.Run("filters search, narrow and page", func(t *testing.T) {
			zone := scope(xinlu.ScopeZone, 0, 0)
			items, total, _ := s.ListMembers(ctx, store.MemberFilter{Scope: zone, DepartmentID: f.root.ID, Page: xinlu.Page{PerPage: 1}})
			if total != 2 || len(items) != 1 || items[0].ID != f.inRoot.ID {
				t.Fatalf("department filter: %d %v", total, ids(items))
			}
			items, total, _ = s.ListMembers(ctx, store.MemberFilter{Scope: zone, Query: "x0003"})
			if total != 1 || items[0].Name != "赵办公" {
				t.Fatalf("staff no search: %d %v", total, ids(items))
			}
			items, _, _ = s.ListMembers(ctx, store.MemberFilter{Scope: zone, Query: "一部"})
			if len(items) != 1 || items[0].ID != f.inChild.ID {
				t.Fatalf("name search: %v", ids(items))
			}
			if _, total, _ := s.ListMembers(ctx, store.MemberFilter{Scope: zone, Query: "%"}); total != 0 {
				t.Fatalf("%% is not a wildcard: %d", total)
			}
			if _, total, _ := s.ListMembers(ctx, store.MemberFilter{Scope: zone, Status: xinlu.MemberLeft}); total != 0 {
				t.Fatalf("status filter: %d", total)
			}
		})
	})
}

func TestMemberWrites(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seedStaff(t, s)
		zone := xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: f.z.ID}

		t.Run("validation names the field", func(t *testing.T) {
			err := s.CreateMember(ctx, f.a, &xinlu.Member{ZoneID: f.z.ID, StaffNo: "N1", Name: "x", Phone: "12345"})
			if e := xinlu.AsError(err); e.Code != xinlu.EINVALID || e.Field != "phone" {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("references must be of the zone", func(t *testing.T) {
			err := s.CreateMember(ctx, f.a, &xinlu.Member{ZoneID: f.z.ID, StaffNo: "N1", Name: "x", PositionID: f.farPos.ID})
			if e := xinlu.AsError(err); e.Field != "position_id" || e.Key != "error.reference_missing" {
				t.Fatalf("got %v", err)
			}
			err = s.CreateMember(ctx, f.a, &xinlu.Member{ZoneID: f.z.ID, StaffNo: "N1", Name: "x", DepartmentID: f.far.DepartmentID})
			if e := xinlu.AsError(err); e.Field != "department_id" {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("staff number is unique in the zone", func(t *testing.T) {
			err := s.CreateMember(ctx, f.a, &xinlu.Member{ZoneID: f.z.ID, StaffNo: "X0001", Name: "重复"})
			if e := xinlu.AsError(err); e.Code != xinlu.ECONFLICT || e.Field != "staff_no" {
				t.Fatalf("got %v", err)
			}
			m, _ := s.MemberByID(ctx, zone, f.inChild.ID)
			m.StaffNo = "X0001"
			if e := xinlu.AsError(s.UpdateMember(ctx, f.a, m)); e.Code != xinlu.ECONFLICT || e.Key != "member.staff_no_taken" {
				t.Fatalf("update: %v", e)
			}
		})
		t.Run("another zone cannot change or delete it", func(t *testing.T) {
			m, _ := s.MemberByID(ctx, zone, f.inRoot.ID)
			m.ZoneID, m.Name = f.z2.ID, "篡改"
			if err := s.UpdateMember(ctx, f.a2, m); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("update: %v", err)
			}
			if err := s.DeleteMember(ctx, f.a2, f.z2.ID, f.inRoot.ID, 0); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("delete: %v", err)
			}
			if got, _ := s.MemberByID(ctx, zone, f.inRoot.ID); got.Name != "王局长" {
				t.Fatalf("changed: %+v", got)
			}
		})
		t.Run("stale version is a conflict and changes nothing", func(t *testing.T) {
			m, _ := s.MemberByID(ctx, zone, f.inOther.ID)
			m.PositionID, m.Status, m.Phone = f.pos.ID, xinlu.MemberProbation, "13912345678"
			if err := s.UpdateMember(ctx, f.a, m); err != nil {
				t.Fatal(err)
			}
			stale := *m
			stale.Version, stale.Name = 1, "过期写入"
			if err := s.UpdateMember(ctx, f.a, &stale); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
				t.Fatalf("got %v", err)
			}
			got, _ := s.MemberByID(ctx, zone, f.inOther.ID)
			if got.Name != "赵办公" || got.Version != 2 || got.PositionName != "招商专员" || got.Status != xinlu.MemberProbation {
				t.Fatalf("got %+v", got)
			}
		})
		t.Run("a member with records or an account cannot be deleted", func(t *testing.T) {
			c := &xinlu.Contract{ZoneID: f.z.ID, MemberID: f.inRoot.ID, StartDate: "2024-01-01", EndDate: "2026-12-31"}
			if err := s.CreateContract(ctx, f.a, c); err != nil {
				t.Fatal(err)
			}
			if e := xinlu.AsError(s.DeleteMember(ctx, f.a, f.z.ID, f.inRoot.ID, 0)); e.Key != "member.has_records" {
				t.Fatalf("got %v", e)
			}
			u := &xinlu.User{ZoneID: f.z.ID, Username: "qian", Name: "钱无部", MemberID: f.noDept.ID,
				Roles: []xinlu.Role{xinlu.RoleMember}, PasswordHash: "x"}
			if err := s.CreateUser(ctx, f.a, u); err != nil {
				t.Fatal(err)
			}
			if e := xinlu.AsError(s.DeleteMember(ctx, f.a, f.z.ID, f.noDept.ID, 0)); e.Key != "member.has_account" {
				t.Fatalf("got %v", e)
			}
			if err := s.DeleteMember(ctx, f.a, f.z.ID, f.inChild.ID, 99); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
				t.Fatalf("stale delete: %v", err)
			}
			if err := s.DeleteMember(ctx, f.a, f.z.ID, f.inChild.ID, 1); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("audit rows keep personal data masked", func(t *testing.T) {
			rows, total, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: f.z.ID, Entity: "member", Page: xinlu.Page{PerPage: 100}})
			if err != nil || total < 6 {
				t.Fatalf("%d rows: %v", total, err)
			}
			actions := map[string]bool{}
			for _, r := range rows {
				actions[r.Action] = true
				for _, raw := range []string{"13912345678", "13900000001", "13900000003"} {
					if strings.Contains(r.Before+r.After, raw) {
						t.Fatalf("unmasked phone in audit row %+v", r)
					}
				}
			}
			if !actions["member.create"] || !actions["member.update"] || !actions["member.delete"] {
				t.Fatalf("actions %v", actions)
			}
			if !strings.Contains(rows[len(rows)-1].After, "139****0001") {
				t.Fatalf("first row %s", rows[len(rows)-1].After)
			}
			if n, brk, err := s.VerifyAudit(ctx); err != nil || brk != nil || n == 0 {
				t.Fatalf("verify: %d %v %v", n, brk, err)
			}
		})
	})
}

func TestPositions(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seedStaff(t, s)
		t.Run("name is unique in the zone", func(t *testing.T) {
			err := s.CreatePosition(ctx, f.a, &xinlu.Position{ZoneID: f.z.ID, Name: "招商专员"})
			if e := xinlu.AsError(err); e.Code != xinlu.ECONFLICT || e.Field != "name" || e.Key != "position.name_taken" {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("department must be of the zone", func(t *testing.T) {
			err := s.CreatePosition(ctx, f.a, &xinlu.Position{ZoneID: f.z.ID, Name: "x", DepartmentID: f.far.DepartmentID})
			if e := xinlu.AsError(err); e.Field != "department_id" {
				t.Fatalf("got %v", err)
			}
		})
		head := &xinlu.Position{ZoneID: f.z.ID, DepartmentID: f.root.ID, Name: "局长", Kind: xinlu.PositionHead, SortOrder: 1}
		if err := s.CreatePosition(ctx, f.a, head); err != nil {
			t.Fatal(err)
		}
		t.Run("list searches and pages", func(t *testing.T) {
			items, total, err := s.ListPositions(ctx, store.PositionFilter{ZoneID: f.z.ID, Page: xinlu.Page{PerPage: 1}})
			if err != nil || total != 2 || len(items) != 1 || items[0].Name != "招商专员" {
				t.Fatalf("got %v %d %v", items, total, err)
			}
			items, total, _ = s.ListPositions(ctx, store.PositionFilter{ZoneID: f.z.ID, Kind: xinlu.PositionHead})
			if total != 1 || items[0].DepartmentName != "招商引资局" {
				t.Fatalf("kind filter: %d %+v", total, items)
			}
			if _, total, _ := s.ListPositions(ctx, store.PositionFilter{ZoneID: f.z.ID, Query: "八级"}); total != 1 {
				t.Fatalf("grade search: %d", total)
			}
		})
		t.Run("stale version and other zones", func(t *testing.T) {
			p, _ := s.PositionByID(ctx, f.z.ID, head.ID)
			p.Grade = "正科级"
			if err := s.UpdatePosition(ctx, f.a, p); err != nil {
				t.Fatal(err)
			}
			stale := *p
			stale.Version = 1
			if err := s.UpdatePosition(ctx, f.a, &stale); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
				t.Fatalf("got %v", err)
			}
			if _, err := s.PositionByID(ctx, f.z2.ID, head.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("other zone sees it: %v", err)
			}
			cross := *p
			cross.ZoneID = f.z2.ID
			if err := s.UpdatePosition(ctx, f.a2, &cross); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("other zone updates it: %v", err)
			}
			if err := s.DeletePosition(ctx, f.a2, f.z2.ID, head.ID, 0); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("other zone deletes it: %v", err)
			}
		})
		t.Run("a position in use cannot be deleted", func(t *testing.T) {
			c := &xinlu.Contract{ZoneID: f.z.ID, MemberID: f.inRoot.ID, PositionID: head.ID, StartDate: "2024-01-01", EndDate: "2026-12-31"}
			if err := s.CreateContract(ctx, f.a, c); err != nil {
				t.Fatal(err)
			}
			if e := xinlu.AsError(s.DeletePosition(ctx, f.a, f.z.ID, head.ID, 0)); e.Code != xinlu.ECONFLICT || e.Key != "position.in_use" {
				t.Fatalf("got %v", e)
			}
			if err := s.DeleteContract(ctx, f.a, f.z.ID, c.ID, 0); err != nil {
				t.Fatal(err)
			}
			if err := s.DeletePosition(ctx, f.a, f.z.ID, head.ID, 0); err != nil {
				t.Fatal(err)
			}
			rows, total, _ := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: f.z.ID, Entity: "position"})
			if total != 4 || rows[0].Action != "position.delete" || rows[0].After != "" {
				t.Fatalf("audit %d %+v", total, rows[0])
			}
		})
	})
}

func TestContracts(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seedStaff(t, s)
		contract := func(m *xinlu.Member, start, end string, st xinlu.ContractStatus) *xinlu.Contract {
			return &xinlu.Contract{ZoneID: f.z.ID, MemberID: m.ID, PositionID: f.pos.ID, StartDate: start, EndDate: end, Status: st}
		}
		first := contract(f.inChild, "2023-07-01", "2026-06-30", xinlu.ContractActive)
		if err := s.CreateContract(ctx, f.a, first); err != nil {
			t.Fatal(err)
		}
		t.Run("end must be after start", func(t *testing.T) {
			err := s.CreateContract(ctx, f.a, contract(f.inRoot, "2026-01-01", "2025-01-01", ""))
			if e := xinlu.AsError(err); e.Field != "end_date" || e.Key != "contract.end_before_start" {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("one active contract per member", func(t *testing.T) {
			err := s.CreateContract(ctx, f.a, contract(f.inChild, "2026-07-01", "2029-06-30", xinlu.ContractActive))
			if e := xinlu.AsError(err); e.Code != xinlu.ECONFLICT || e.Key != "contract.active_exists" {
				t.Fatalf("second active: %v", err)
			}
			old := contract(f.inChild, "2020-07-01", "2023-06-30", xinlu.ContractRenewed)
			if err := s.CreateContract(ctx, f.a, old); err != nil {
				t.Fatalf("a renewed one is fine: %v", err)
			}
			old.Status = xinlu.ContractActive
			if e := xinlu.AsError(s.UpdateContract(ctx, f.a, old)); e.Key != "contract.active_exists" {
				t.Fatalf("reactivating: %v", e)
			}
			first.Note = "续签前"
			if err := s.UpdateContract(ctx, f.a, first); err != nil {
				t.Fatalf("the active one itself can change: %v", err)
			}
		})
		t.Run("other zones are refused", func(t *testing.T) {
			err := s.CreateContract(ctx, f.a2, &xinlu.Contract{ZoneID: f.z2.ID, MemberID: f.inRoot.ID, StartDate: "2024-01-01", EndDate: "2025-01-01"})
			if xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("contract for another zone's member: %v", err)
			}
			err = s.CreateContract(ctx, f.a, &xinlu.Contract{ZoneID: f.z.ID, MemberID: f.inRoot.ID, PositionID: f.farPos.ID, StartDate: "2024-01-01", EndDate: "2025-01-01"})
			if e := xinlu.AsError(err); e.Field != "position_id" {
				t.Fatalf("another zone's position: %v", err)
			}
			cross := *first
			cross.ZoneID = f.z2.ID
			if err := s.UpdateContract(ctx, f.a2, &cross); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("update from another zone: %v", err)
			}
			if err := s.DeleteContract(ctx, f.a2, f.z2.ID, first.ID, 0); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("delete from another zone: %v", err)
			}
			if _, err := s.ContractByID(ctx, xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: f.z2.ID}, first.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("read from another zone: %v", err)
			}
		})
		t.Run("stale version", func(t *testing.T) {
			stale := *first
			stale.Version = 1
			if err := s.UpdateContract(ctx, f.a, &stale); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("expiring list is scope-filtered and sorted by end", func(t *testing.T) {
			for _, c := range []*xinlu.Contract{
				contract(f.inRoot, "2023-06-01", "2026-06-10", ""),
				contract(f.inOther, "2023-06-01", "2026-07-15", ""),
				contract(f.noDept, "2023-06-01", "2028-01-01", ""),
			} {
				if err := s.CreateContract(ctx, f.a, c); err != nil {
					t.Fatal(err)
				}
			}
			ends := func(scope xinlu.ScopeFilter, sort string) []string {
				items, total, err := s.ListContracts(ctx, store.ContractFilter{Scope: scope, Status: xinlu.ContractActive,
					EndTo: "2026-07-17", Sort: sort})
				if err != nil || total != len(items) {
					t.Fatal(err)
				}
				var out []string
				for _, c := range items {
					out = append(out, c.MemberName+" "+c.EndDate)
				}
				return out
			}
			zone := xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: f.z.ID}
			if got := strings.Join(ends(zone, "end"), ","); got != "王局长 2026-06-10,李一部 2026-06-30,赵办公 2026-07-15" {
				t.Fatalf("zone: %s", got)
			}
			if got := strings.Join(ends(zone, "-end"), ","); got != "赵办公 2026-07-15,李一部 2026-06-30,王局长 2026-06-10" {
				t.Fatalf("zone descending: %s", got)
			}
			dept := xinlu.ScopeFilter{Scope: xinlu.ScopeDepartment, ZoneID: f.z.ID, DepartmentID: f.child.ID, MemberID: f.inChild.ID}
			if got := strings.Join(ends(dept, "end"), ","); got != "李一部 2026-06-30" {
				t.Fatalf("department: %s", got)
			}
			own := xinlu.ScopeFilter{Scope: xinlu.ScopeOwn, ZoneID: f.z.ID, MemberID: f.inOther.ID}
			if got := strings.Join(ends(own, "end"), ","); got != "赵办公 2026-07-15" {
				t.Fatalf("own: %s", got)
			}
			m, _ := s.MemberByID(ctx, zone, f.inChild.ID)
			if m.ContractEnd != "2026-06-30" {
				t.Fatalf("contract end on member: %q", m.ContractEnd)
			}
			items, total, _ := s.ListContracts(ctx, store.ContractFilter{Scope: zone, MemberID: f.inChild.ID})
			if total != 2 || items[0].ID != first.ID || items[0].PositionName != "招商专员" {
				t.Fatalf("member's contracts: %d %+v", total, items)
			}
		})
		t.Run("delete is audited", func(t *testing.T) {
			if err := s.DeleteContract(ctx, f.a, f.z.ID, first.ID, 1); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
				t.Fatalf("stale delete: %v", err)
			}
			if err := s.DeleteContract(ctx, f.a, f.z.ID, first.ID, 0); err != nil {
				t.Fatal(err)
			}
			rows, _, _ := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: f.z.ID, Entity: "contract"})
			if rows[0].Action != "contract.delete" || !strings.Contains(rows[0].Before, "2026-06-30") {
				t.Fatalf("audit %+v", rows[0])
			}
		})
	})
}

func TestTerms(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seedStaff(t, s)
		term := &xinlu.Term{ZoneID: f.z.ID, MemberID: f.inRoot.ID, Title: "招商引资局局长", StartDate: "2024-03-01", Targets: "签约 30 亿元"}
		if err := s.CreateTerm(ctx, f.a, term); err != nil {
			t.Fatal(err)
		}
		if term.EndDate != "2027-02-28" {
			t.Fatalf("default end %q", term.EndDate)
		}
		zone := xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: f.z.ID}
		t.Run("listed for the member and scope-filtered", func(t *testing.T) {
			items, total, err := s.ListTerms(ctx, store.TermFilter{Scope: zone, MemberID: f.inRoot.ID})
			if err != nil || total != 1 || items[0].MemberName != "王局长" || items[0].Targets != "签约 30 亿元" {
				t.Fatalf("got %v %d %v", items, total, err)
			}
			own := xinlu.ScopeFilter{Scope: xinlu.ScopeOwn, ZoneID: f.z.ID, MemberID: f.inChild.ID}
			if _, total, _ := s.ListTerms(ctx, store.TermFilter{Scope: own}); total != 0 {
				t.Fatalf("own scope sees another's term")
			}
			if _, err := s.TermByID(ctx, own, term.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("by id: %v", err)
			}
		})
		t.Run("update, stale and other zones", func(t *testing.T) {
			got, _ := s.TermByID(ctx, zone, term.ID)
			got.EndDate = "2027-03-31"
			if err := s.UpdateTerm(ctx, f.a, got); err != nil {
				t.Fatal(err)
			}
			stale := *got
			stale.Version = 1
			if err := s.UpdateTerm(ctx, f.a, &stale); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
				t.Fatalf("stale: %v", err)
			}
			cross := *got
			cross.ZoneID = f.z2.ID
			if err := s.UpdateTerm(ctx, f.a2, &cross); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("other zone: %v", err)
			}
			if err := s.CreateTerm(ctx, f.a2, &xinlu.Term{ZoneID: f.z2.ID, MemberID: f.inRoot.ID, Title: "x", StartDate: "2024-01-01"}); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("term for another zone's member: %v", err)
			}
			if err := s.DeleteTerm(ctx, f.a2, f.z2.ID, term.ID, 0); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("delete from another zone: %v", err)
			}
		})
		t.Run("delete is audited", func(t *testing.T) {
			if err := s.DeleteTerm(ctx, f.a, f.z.ID, term.ID, 2); err != nil {
				t.Fatal(err)
			}
			rows, total, _ := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: f.z.ID, Entity: "term"})
			if total != 3 || rows[0].Action != "term.delete" {
				t.Fatalf("audit %d %+v", total, rows)
			}
		})
	})
}
