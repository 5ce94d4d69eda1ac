package store_test

import (
	"context"
	"errors"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// TestTextWithNULIsRefusedOnEveryEngine: text that PostgreSQL cannot store
// (NUL) or that misleads its reader is refused as invalid input, the same
// on both engines, instead of failing in the database.
func TestTextWithNULIsRefusedOnEveryEngine(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newProjectEnv(t, s)
		invalid := func(what, field string, err error) {
			t.Helper()
			var xe *xinlu.Error
			if xinlu.ErrorCode(err) != xinlu.EINVALID || !errors.As(err, &xe) || xe.Field != field {
				t.Errorf("%s: %v, want invalid %s", what, err, field)
			}
		}
		invalid("department", "name", s.CreateDepartment(ctx, e.sys, &xinlu.Department{ZoneID: e.zone.ID, Code: "NUL", Name: "招商\x00局"}))
		invalid("member", "name", s.CreateMember(ctx, e.sys, &xinlu.Member{ZoneID: e.zone.ID, StaffNo: "N1", Name: "\u202e三张"}))
		_, err := s.ImportProjects(ctx, e.sys, e.zone.ID, []*store.ProjectRecord{{Project: xinlu.Project{
			Name: "导入\x00项目", Company: "某公司", Industry: "equipment", Stage: xinlu.StagePromotion}}}, true)
		invalid("imported project", "project_name", err)
		p := e.create(t, "文字测试项目", xinlu.StagePromotion, "equipment", 5e8)
		sponsor := e.users[xinlu.RoleSponsor]
		invalid("supervision task", "task", s.AddSupervisionOrder(ctx, e.actor(xinlu.RoleSponsor), sponsor, p.ID,
			store.SupervisionOrder{Task: "落实\x00用地", AssigneeID: e.sponsor.ID, Due: "2026-10-09"}))
		invalid("negotiation", "outcome", s.AddNegotiation(ctx, e.actor(xinlu.RoleSponsor), sponsor, p.ID,
			store.Negotiation{Date: "2026-09-27", Participants: "王主任、投资方", Outcome: "意向\x00达成"}))
		if err := s.AddSupervisionOrder(ctx, e.actor(xinlu.RoleSponsor), sponsor, p.ID,
			store.SupervisionOrder{Task: "落实用地规划条件", AssigneeID: e.sponsor.ID, Due: "2026-10-09"}); err != nil {
			t.Fatal(err)
		}
		os, err := s.SupervisionOrders(ctx, e.zone.ID, p.ID)
		if err != nil || len(os) != 1 {
			t.Fatalf("%+v %v", os, err)
		}
		assignee := &xinlu.User{ID: 300, ZoneID: e.zone.ID, MemberID: e.sponsor.ID, Roles: []xinlu.Role{xinlu.RoleMember}}
		invalid("supervision evidence", "evidence", s.CloseSupervisionOrder(ctx, xinlu.ActorOf(assignee, ""), assignee, p.ID, os[0].ID,
			"2026-09-25", "已报\x00审定", os[0].Version))
	})
}
