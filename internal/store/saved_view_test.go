package store_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func TestSavedViews(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, sys := seedZone(t, s, "SV")
		other, osys := seedZone(t, s, "SO")
		member := identityUser(t, s, sys, z.ID, "sv_member", xinlu.RoleMember)
		leader := identityUser(t, s, sys, z.ID, "sv_director", xinlu.RoleDirector)
		colleague := identityUser(t, s, sys, z.ID, "sv_planner", xinlu.RolePlanner)
		stranger := identityUser(t, s, osys, other.ID, "sv_other", xinlu.RoleDirector)
		act := func(u *xinlu.User) xinlu.Actor { return xinlu.ActorOf(u, "127.0.0.1") }
		names := func(u *xinlu.User) []string {
			t.Helper()
			vs, err := s.SavedViews(ctx, u.ZoneID, u.ID, store.SavedViewProjects)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, v := range vs {
				out = append(out, v.Name)
			}
			return out
		}

		mine := &store.SavedView{Name: "  本月签约 ", Query: "?signed_to=2026-09-30&stage=agency&signed=1&signed_from=+2026-09-01+&bogus=x&page=3"}
		if err := s.CreateSavedView(ctx, act(member), member, mine); err != nil {
			t.Fatal(err)
		}
		t.Run("the name is trimmed and the query stored canonically", func(t *testing.T) {
			got := names(member)
			if !slices.Equal(got, []string{"本月签约"}) || mine.Version != 1 || mine.Kind != store.SavedViewProjects || mine.ZoneID != z.ID || mine.UserID != member.ID {
				t.Fatalf("saved %+v, listed %v", mine, got)
			}
			if want := "signed=1&signed_from=2026-09-01&signed_to=2026-09-30&stage=agency"; mine.Query != want {
				t.Fatalf("query %q, want %q", mine.Query, want)
			}
		})
		t.Run("bad input is refused naming the field", func(t *testing.T) {
			for _, tc := range []struct {
				v     store.SavedView
				code  xinlu.Code
				field string
			}{
				{store.SavedView{Name: " "}, xinlu.EINVALID, "name"},
				{store.SavedView{Name: strings.Repeat("查", 41)}, xinlu.EINVALID, "name"},
				{store.SavedView{Name: "坏阶段", Query: "stage=nowhere"}, xinlu.EINVALID, "stage"},
				{store.SavedView{Name: "坏日期", Query: "signed_from=2026-13-01"}, xinlu.EINVALID, "signed_from"},
				{store.SavedView{Name: "倒序", Query: "signed_from=2026-09-01&signed_to=2026-08-01"}, xinlu.EINVALID, "signed_to"},
				{store.SavedView{Name: "矛盾", Query: "signed=0&signed_from=2026-09-01"}, xinlu.EINVALID, "signed"},
				{store.SavedView{Name: "签约值", Query: "signed=yes"}, xinlu.EINVALID, "signed"},
				{store.SavedView{Name: "园区", Query: "park_id=abc"}, xinlu.EINVALID, "park_id"},
				{store.SavedView{Name: "编码", Query: "q=%zz"}, xinlu.EINVALID, "query"},
				{store.SavedView{Name: "长关键字", Query: "q=" + strings.Repeat("字", 101)}, xinlu.EINVALID, "q"},
				{store.SavedView{Name: "种类", Kind: "leads"}, xinlu.EINVALID, "kind"},
				{store.SavedView{Name: "本月签约"}, xinlu.ECONFLICT, "name"},
			} {
				v := tc.v
				err := s.CreateSavedView(ctx, act(member), member, &v)
				if e := xinlu.AsError(err); e.Code != tc.code || e.Field != tc.field {
					t.Errorf("%+v: %v, want %s on %s", tc.v, err, tc.code, tc.field)
				}
			}
			if e := xinlu.AsError(s.CreateSavedView(ctx, act(member), member, &store.SavedView{Name: "本月签约"})); e.Key != "views.name_taken" {
				t.Errorf("duplicate name key %q", e.Key)
			}
			if got := names(member); len(got) != 1 {
				t.Fatalf("refused views were stored: %v", got)
			}
		})
		t.Run("names are unique per user, not per zone", func(t *testing.T) {
			if err := s.CreateSavedView(ctx, act(colleague), colleague, &store.SavedView{Name: "本月签约", Query: "signed=0"}); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("only leaders share", func(t *testing.T) {
			err := s.CreateSavedView(ctx, act(member), member, &store.SavedView{Name: "全区", Shared: true})
			if xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
				t.Fatalf("member shares: %v", err)
			}
			if err := s.CreateSavedView(ctx, act(leader), leader, &store.SavedView{Name: "全区签约项目", Query: "signed=1", Shared: true}); err != nil {
				t.Fatal(err)
			}
			if err := s.CreateSavedView(ctx, act(leader), leader, &store.SavedView{Name: "领导自用", Query: "light=red"}); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("shared views are seen in the zone, private ones by their owner only", func(t *testing.T) {
			if got := names(member); !slices.Equal(got, []string{"本月签约", "全区签约项目"}) {
				t.Fatalf("member sees %v", got)
			}
			if got := names(leader); !slices.Equal(got, []string{"全区签约项目", "领导自用"}) && !slices.Equal(got, []string{"领导自用", "全区签约项目"}) {
				t.Fatalf("leader sees %v", got)
			}
			vs, _ := s.SavedViews(ctx, member.ZoneID, member.ID, store.SavedViewProjects)
			if sh := vs[1]; !sh.Shared || sh.OwnerName != leader.Name || sh.UserID != leader.ID {
				t.Fatalf("shared view %+v", sh)
			}
			if got := names(stranger); len(got) != 0 {
				t.Fatalf("another zone sees %v", got)
			}
		})
		t.Run("delete: own only, current version", func(t *testing.T) {
			vs, _ := s.SavedViews(ctx, member.ZoneID, member.ID, store.SavedViewProjects)
			shared := vs[1]
			if err := s.DeleteSavedView(ctx, act(member), z.ID, shared.ID, shared.Version); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
				t.Fatalf("member deletes a shared view: %v", err)
			}
			if err := s.DeleteSavedView(ctx, act(stranger), other.ID, shared.ID, shared.Version); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("another zone deletes a shared view: %v", err)
			}
			if err := s.DeleteSavedView(ctx, act(colleague), z.ID, mine.ID, 1); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("a colleague deletes a private view: %v", err)
			}
			if err := s.DeleteSavedView(ctx, act(member), z.ID, mine.ID, 2); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
				t.Fatalf("stale delete: %v", err)
			}
			if err := s.DeleteSavedView(ctx, act(member), z.ID, 999999, 1); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("missing: %v", err)
			}
			if err := s.DeleteSavedView(ctx, act(member), z.ID, mine.ID, 1); err != nil {
				t.Fatal(err)
			}
			if got := names(member); !slices.Equal(got, []string{"全区签约项目"}) {
				t.Fatalf("after delete member sees %v", got)
			}
			if err := s.DeleteSavedView(ctx, act(leader), z.ID, shared.ID, shared.Version); err != nil {
				t.Fatal(err)
			}
			if got := names(member); len(got) != 0 {
				t.Fatalf("after the leader's delete member sees %v", got)
			}
		})
		t.Run("at most 30 views a user", func(t *testing.T) {
			for i := len(names(colleague)); i < store.MaxSavedViews; i++ {
				if err := s.CreateSavedView(ctx, act(colleague), colleague, &store.SavedView{Name: fmt.Sprintf("查询%02d", i)}); err != nil {
					t.Fatal(err)
				}
			}
			err := s.CreateSavedView(ctx, act(colleague), colleague, &store.SavedView{Name: "第三十一个"})
			if e := xinlu.AsError(err); e.Code != xinlu.ECONFLICT || e.Key != "views.too_many" {
				t.Fatalf("31st view: %v", err)
			}
			if err := s.CreateSavedView(ctx, act(member), member, &store.SavedView{Name: "第三十一个"}); err != nil {
				t.Fatalf("another user's cap: %v", err)
			}
		})
		t.Run("create and delete are audited", func(t *testing.T) {
			count := map[string]int{}
			for _, action := range []string{"saved_view.create", "saved_view.delete"} {
				_, n, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: z.ID, Action: action})
				if err != nil {
					t.Fatal(err)
				}
				count[action] = n
			}
			// 本月签约 twice (member, colleague), the leader's two, the colleague's 29 more, the member's 第三十一个.
			if count["saved_view.delete"] != 2 || count["saved_view.create"] != 34 {
				t.Fatalf("audit %v", count)
			}
		})
	})
}

func TestProjectSignedFilter(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, sys := seedZone(t, s, "SG")
		for _, p := range []struct {
			name, signed string
			stage        xinlu.Stage
		}{
			{"未签约一", "", xinlu.StagePromotion},
			{"未签约二", "", xinlu.StagePackaging},
			{"八月签约", "2026-08-15", xinlu.StageAgency},
			{"九月初签约", "2026-09-01", xinlu.StageConstruction},
			{"九月底签约", "2026-09-30", xinlu.StageAgency},
		} {
			r := &store.ProjectRecord{}
			r.ZoneID, r.Name, r.Company, r.Industry, r.Stage = z.ID, p.name, p.name+"公司", "equipment", p.stage
			r.Signing.SignedOn = p.signed
			if err := s.CreateProject(ctx, sys, r); err != nil {
				t.Fatal(err)
			}
		}
		list := func(f store.ProjectFilter) ([]string, error) {
			f.ZoneID = z.ID
			items, total, err := s.ListProjects(ctx, f)
			if err != nil {
				return nil, err
			}
			var out []string
			for _, it := range items {
				out = append(out, it.Name)
			}
			sort.Strings(out)
			if total != len(out) {
				t.Fatalf("total %d for %d rows", total, len(out))
			}
			return out, nil
		}
		sorted := func(s ...string) []string { sort.Strings(s); return s }
		for _, tc := range []struct {
			f    store.ProjectFilter
			want []string
		}{
			{store.ProjectFilter{Signed: "1"}, sorted("八月签约", "九月初签约", "九月底签约")},
			{store.ProjectFilter{Signed: "0"}, sorted("未签约一", "未签约二")},
			{store.ProjectFilter{SignedFrom: "2026-09-01"}, sorted("九月初签约", "九月底签约")},
			{store.ProjectFilter{SignedTo: "2026-09-01"}, sorted("八月签约", "九月初签约")},
			{store.ProjectFilter{Signed: "1", SignedFrom: "2026-09-01", SignedTo: "2026-09-30"}, sorted("九月初签约", "九月底签约")},
			{store.ProjectFilter{SignedFrom: "2026-09-02", SignedTo: "2026-09-29"}, nil},
			{store.ProjectFilter{Signed: "1", Stage: xinlu.StageAgency}, sorted("八月签约", "九月底签约")},
			{store.ProjectFilter{}, sorted("未签约一", "未签约二", "八月签约", "九月初签约", "九月底签约")},
		} {
			got, err := list(tc.f)
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("%+v: %v %v, want %v", tc.f, got, err, tc.want)
			}
		}
		for _, tc := range []struct {
			f     store.ProjectFilter
			field string
		}{
			{store.ProjectFilter{SignedFrom: "2026/09/01"}, "signed_from"},
			{store.ProjectFilter{SignedTo: "明天"}, "signed_to"},
			{store.ProjectFilter{SignedFrom: "2026-09-30", SignedTo: "2026-09-01"}, "signed_to"},
			{store.ProjectFilter{Signed: "0", SignedTo: "2026-09-01"}, "signed"},
			{store.ProjectFilter{Signed: "yes"}, "signed"},
		} {
			_, err := list(tc.f)
			if e := xinlu.AsError(err); e.Code != xinlu.EINVALID || e.Field != tc.field {
				t.Errorf("%+v: %v, want invalid %s", tc.f, err, tc.field)
			}
		}
	})
}

func TestProjectFilterQueryRoundTrip(t *testing.T) {
	v, _ := url.ParseQuery("q=+装备+&stage=agency&status=active&industry=equipment&light=red&six_new=" + xinlu.SixNewTags[0] +
		"&park_id=7&sponsor_id=9&signed=1&signed_from=2026-01-01&signed_to=2026-12-31&page=2&zone_id=5")
	f, err := store.ParseProjectFilter(v)
	if err != nil {
		t.Fatal(err)
	}
	if f.ZoneID != 0 || f.Page != (xinlu.Page{}) || f.Query != "装备" || f.ParkID != 7 || f.SponsorID != 9 {
		t.Fatalf("parsed %+v", f)
	}
	again, _ := url.ParseQuery(f.Encode())
	g, err := store.ParseProjectFilter(again)
	if err != nil || g != f {
		t.Fatalf("round trip %+v != %+v (%v)", g, f, err)
	}
	if enc := (store.ProjectFilter{}).Encode(); enc != "" {
		t.Fatalf("empty filter encodes as %q", enc)
	}
}
