package store_test

import (
	"context"
	"fmt"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// seedTeamMember creates a member of the zone in the department named dept,
// creating the department when it does not exist yet.
func seedTeamMember(t *testing.T, s *store.Store, a xinlu.Actor, zoneID int64, staffNo, name, dept string, status xinlu.MemberStatus) *xinlu.Member {
	t.Helper()
	ctx := context.Background()
	code := fmt.Sprintf("D%x", dept) // department codes are ASCII
	d, err := s.DepartmentByCode(ctx, zoneID, code)
	if err != nil {
		d = &xinlu.Department{ZoneID: zoneID, Code: code, Name: dept}
		if err := s.CreateDepartment(ctx, a, d); err != nil {
			t.Fatal(err)
		}
	}
	m := &xinlu.Member{ZoneID: zoneID, DepartmentID: d.ID, StaffNo: staffNo, Name: name, Status: status}
	if err := s.CreateMember(ctx, a, m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestTeams(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, a := seedZone(t, s, "Z1")
		other, oa := seedZone(t, s, "Z2")

		screening := &xinlu.Team{ZoneID: z.ID, Kind: xinlu.TeamTaskforce, Name: "甄别专班", Description: "线索甄别"}
		if err := s.CreateTeam(ctx, a, screening); err != nil {
			t.Fatal(err)
		}
		planning := &xinlu.Team{ZoneID: z.ID, Kind: xinlu.TeamPlanning, Name: "策划专业组"}
		if err := s.CreateTeam(ctx, a, planning); err != nil {
			t.Fatal(err)
		}
		li := seedTeamMember(t, s, a, z.ID, "S1", "李明", "招商一局", xinlu.MemberActive)
		wang := seedTeamMember(t, s, a, z.ID, "S2", "王芳", "企业服务局", xinlu.MemberActive)
		gone := seedTeamMember(t, s, a, z.ID, "S3", "赵离", "招商一局", xinlu.MemberLeft)
		outsider := seedTeamMember(t, s, oa, other.ID, "S1", "外区人员", "外区", xinlu.MemberActive)

		t.Run("invalid team is refused before the database", func(t *testing.T) {
			err := s.CreateTeam(ctx, a, &xinlu.Team{ZoneID: z.ID, Name: "无类型"})
			if e := xinlu.AsError(err); e.Code != xinlu.EINVALID || e.Field != "kind" {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("duplicate name is a conflict on the name field", func(t *testing.T) {
			err := s.CreateTeam(ctx, a, &xinlu.Team{ZoneID: z.ID, Kind: xinlu.TeamLeadership, Name: "甄别专班"})
			if e := xinlu.AsError(err); e.Code != xinlu.ECONFLICT || e.Field != "name" || e.Key != "team.name_taken" {
				t.Fatalf("got %v", err)
			}
			p, _ := s.TeamByID(ctx, z.ID, planning.ID)
			p.Name = "甄别专班"
			if e := xinlu.AsError(s.UpdateTeam(ctx, a, p)); e.Code != xinlu.ECONFLICT || e.Field != "name" {
				t.Fatalf("rename onto a taken name: %v", e)
			}
		})
		t.Run("same name in another zone is fine", func(t *testing.T) {
			if err := s.CreateTeam(ctx, oa, &xinlu.Team{ZoneID: other.ID, Kind: xinlu.TeamTaskforce, Name: "甄别专班"}); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("members join with their department", func(t *testing.T) {
			tm := &xinlu.TeamMember{TeamID: screening.ID, MemberID: li.ID, IsLead: true}
			if err := s.AddTeamMember(ctx, a, z.ID, tm); err != nil {
				t.Fatal(err)
			}
			if tm.Name != "李明" || tm.DepartmentName != "招商一局" || !tm.IsLead {
				t.Fatalf("read model %+v", tm)
			}
			if err := s.AddTeamMember(ctx, a, z.ID, &xinlu.TeamMember{TeamID: screening.ID, MemberID: wang.ID}); err != nil {
				t.Fatal(err)
			}
			got, err := s.TeamMembers(ctx, z.ID, screening.ID)
			if err != nil || len(got) != 2 || got[0].MemberID != li.ID || !got[0].IsLead || got[1].DepartmentName != "企业服务局" {
				t.Fatalf("members %+v %v", got, err)
			}
			team, _ := s.TeamByID(ctx, z.ID, screening.ID)
			if team.MemberCount != 2 {
				t.Fatalf("member count %d", team.MemberCount)
			}
		})
		t.Run("joining twice is a conflict", func(t *testing.T) {
			err := s.AddTeamMember(ctx, a, z.ID, &xinlu.TeamMember{TeamID: screening.ID, MemberID: li.ID})
			if e := xinlu.AsError(err); e.Code != xinlu.ECONFLICT || e.Field != "member_id" || e.Key != "team.member_exists" {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("a member of another zone cannot join", func(t *testing.T) {
			err := s.AddTeamMember(ctx, a, z.ID, &xinlu.TeamMember{TeamID: screening.ID, MemberID: outsider.ID})
			if e := xinlu.AsError(err); e.Code != xinlu.EINVALID || e.Field != "member_id" || e.Key != "error.reference_missing" {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("a missing or departed member cannot join", func(t *testing.T) {
			err := s.AddTeamMember(ctx, a, z.ID, &xinlu.TeamMember{TeamID: screening.ID, MemberID: 999999})
			if e := xinlu.AsError(err); e.Code != xinlu.EINVALID || e.Field != "member_id" {
				t.Fatalf("missing member: %v", err)
			}
			err = s.AddTeamMember(ctx, a, z.ID, &xinlu.TeamMember{TeamID: screening.ID, MemberID: gone.ID})
			if e := xinlu.AsError(err); e.Key != "team.member_left" {
				t.Fatalf("departed member: %v", err)
			}
			err = s.AddTeamMember(ctx, a, z.ID, &xinlu.TeamMember{TeamID: screening.ID})
			if e := xinlu.AsError(err); e.Code != xinlu.EINVALID || e.Key != "error.required" {
				t.Fatalf("no member: %v", err)
			}
		})
		t.Run("the picker offers only zone members not yet in the team", func(t *testing.T) {
			choices, err := s.TeamMemberChoices(ctx, z.ID, screening.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(choices) != 0 {
				t.Fatalf("everyone active is in; got %+v", choices)
			}
			choices, _ = s.TeamMemberChoices(ctx, z.ID, planning.ID)
			if len(choices) != 2 || choices[0].Name != "李明" || choices[0].DepartmentName != "招商一局" {
				t.Fatalf("choices %+v", choices)
			}
			if choices, _ := s.TeamMemberChoices(ctx, other.ID, planning.ID); len(choices) != 0 {
				t.Fatalf("another zone's team offered %+v", choices)
			}
		})
		t.Run("other zone cannot see or change the team or its members", func(t *testing.T) {
			if _, err := s.TeamByID(ctx, other.ID, screening.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("get: %v", err)
			}
			if _, err := s.TeamMembers(ctx, other.ID, screening.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("members: %v", err)
			}
			err := s.UpdateTeam(ctx, oa, &xinlu.Team{ID: screening.ID, ZoneID: other.ID, Kind: xinlu.TeamTaskforce, Name: "x", Version: 1})
			if xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("update: %v", err)
			}
			if err := s.DeleteTeam(ctx, oa, other.ID, screening.ID, 0); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("delete: %v", err)
			}
			if err := s.AddTeamMember(ctx, oa, other.ID, &xinlu.TeamMember{TeamID: screening.ID, MemberID: outsider.ID}); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("add: %v", err)
			}
			if err := s.SetTeamLead(ctx, oa, other.ID, &xinlu.TeamMember{TeamID: screening.ID, MemberID: li.ID}); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("lead: %v", err)
			}
			if err := s.RemoveTeamMember(ctx, oa, other.ID, screening.ID, li.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("remove: %v", err)
			}
			got, _ := s.TeamMembers(ctx, z.ID, screening.ID)
			if len(got) != 2 || !got[0].IsLead {
				t.Fatalf("members changed: %+v", got)
			}
		})
		t.Run("lead can be marked and unmarked", func(t *testing.T) {
			tm := &xinlu.TeamMember{TeamID: screening.ID, MemberID: li.ID, IsLead: false}
			if err := s.SetTeamLead(ctx, a, z.ID, tm); err != nil {
				t.Fatal(err)
			}
			if tm.IsLead || tm.Name != "李明" {
				t.Fatalf("got %+v", tm)
			}
			if err := s.SetTeamLead(ctx, a, z.ID, &xinlu.TeamMember{TeamID: screening.ID, MemberID: wang.ID, IsLead: true}); err != nil {
				t.Fatal(err)
			}
			got, _ := s.TeamMembers(ctx, z.ID, screening.ID)
			if got[0].MemberID != wang.ID || !got[0].IsLead || got[1].IsLead {
				t.Fatalf("leads first: %+v", got)
			}
			err := s.SetTeamLead(ctx, a, z.ID, &xinlu.TeamMember{TeamID: planning.ID, MemberID: li.ID, IsLead: true})
			if xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("lead of a non-member: %v", err)
			}
		})
		t.Run("members can be removed", func(t *testing.T) {
			if err := s.RemoveTeamMember(ctx, a, z.ID, screening.ID, li.ID); err != nil {
				t.Fatal(err)
			}
			if err := s.RemoveTeamMember(ctx, a, z.ID, screening.ID, li.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("second removal: %v", err)
			}
		})
		t.Run("stale version is a conflict and changes nothing", func(t *testing.T) {
			tm, _ := s.TeamByID(ctx, z.ID, planning.ID)
			tm.Name, tm.Kind = "项目策划组", xinlu.TeamPlanning
			if err := s.UpdateTeam(ctx, a, tm); err != nil {
				t.Fatal(err)
			}
			stale := *tm
			stale.Version, stale.Name = 1, "过期写入"
			if err := s.UpdateTeam(ctx, a, &stale); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
				t.Fatalf("got %v", err)
			}
			if err := s.DeleteTeam(ctx, a, z.ID, planning.ID, 1); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
				t.Fatalf("stale delete: %v", err)
			}
			got, _ := s.TeamByID(ctx, z.ID, planning.ID)
			if got.Name != "项目策划组" || got.Version != 2 {
				t.Fatalf("got %+v", got)
			}
		})
		t.Run("list searches, filters by kind and pages", func(t *testing.T) {
			items, total, err := s.ListTeams(ctx, store.TeamFilter{ZoneID: z.ID, Query: "甄别", Page: xinlu.Page{PerPage: 1}})
			if err != nil || total != 1 || len(items) != 1 || items[0].Name != "甄别专班" || items[0].MemberCount != 1 {
				t.Fatalf("search: %+v %d %v", items, total, err)
			}
			items, total, _ = s.ListTeams(ctx, store.TeamFilter{ZoneID: z.ID, Kind: xinlu.TeamPlanning})
			if total != 1 || items[0].ID != planning.ID {
				t.Fatalf("kind filter: %+v %d", items, total)
			}
			items, total, _ = s.ListTeams(ctx, store.TeamFilter{ZoneID: z.ID, Page: xinlu.Page{Page: 2, PerPage: 1}})
			if total != 2 || len(items) != 1 || items[0].ID != planning.ID {
				t.Fatalf("second page: %+v %d", items, total)
			}
			if _, total, _ := s.ListTeams(ctx, store.TeamFilter{ZoneID: z.ID, Query: "100%"}); total != 0 {
				t.Fatalf("wildcards are literal: %d", total)
			}
		})
		t.Run("deleting a team deletes its memberships, not its members", func(t *testing.T) {
			if err := s.DeleteTeam(ctx, a, z.ID, screening.ID, 0); err != nil {
				t.Fatal(err)
			}
			if _, err := s.TeamByID(ctx, z.ID, screening.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("still there: %v", err)
			}
			if choices, _ := s.TeamMemberChoices(ctx, z.ID, planning.ID); len(choices) != 2 {
				t.Fatalf("members gone: %+v", choices)
			}
		})
		t.Run("every change is audited and the chain holds", func(t *testing.T) {
			rows, total, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: z.ID, Entity: "team", Page: xinlu.Page{PerPage: 100}})
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for i := len(rows) - 1; i >= 0; i-- {
				actions = append(actions, rows[i].Action)
			}
			want := []string{"team.create", "team.create", "team.member_add", "team.member_add",
				"team.member_lead", "team.member_lead", "team.member_remove", "team.update", "team.delete"}
			if total != len(want) || len(actions) != len(want) {
				t.Fatalf("actions %v, want %v", actions, want)
			}
			for i := range want {
				if actions[i] != want[i] {
					t.Fatalf("actions %v, want %v", actions, want)
				}
			}
			if rows[0].EntityID != screening.ID || rows[0].Before == "" || rows[0].After != "" {
				t.Fatalf("delete row %+v", rows[0])
			}
			n, brk, err := s.VerifyAudit(ctx)
			if err != nil || brk != nil || n == 0 {
				t.Fatalf("verify: %d %v %v", n, brk, err)
			}
		})
	})
}
