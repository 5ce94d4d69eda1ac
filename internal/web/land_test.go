package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// landFixture is a park with 1,000 t/d of water, a listed parcel drawn on
// the plan, and two projects in promotion that each need 600 t/d there.
type landFixture struct {
	park         *xinlu.Park
	water        *xinlu.Utility
	parcel       *xinlu.Parcel
	first, other *store.ProjectRecord
}

func seedLand(t *testing.T, a *app) *landFixture {
	t.Helper()
	ctx := context.Background()
	sys := xinlu.SystemActor(a.zone.ID)
	f := &landFixture{}
	f.park = &xinlu.Park{ZoneID: a.zone.ID, Name: "耐磨材料产业园", AreaMu: 5000, Industries: []string{"materials", "casting"}}
	if err := a.store.CreatePark(ctx, sys, f.park); err != nil {
		t.Fatal(err)
	}
	f.water = &xinlu.Utility{ZoneID: a.zone.ID, ParkID: f.park.ID, Kind: xinlu.UtilityWater, BaseCapacity: 1000}
	if err := a.store.CreateUtility(ctx, sys, f.water); err != nil {
		t.Fatal(err)
	}
	if err := a.store.CreateBuildout(ctx, sys, &xinlu.Buildout{ZoneID: a.zone.ID, UtilityID: f.water.ID, Name: "二水厂", Added: 5000, PlannedOn: "2030-06-30"}); err != nil {
		t.Fatal(err)
	}
	f.parcel = &xinlu.Parcel{ZoneID: a.zone.ID, ParkID: f.park.ID, Code: "NM-07", AreaMu: 150, LandUse: "industrial", Status: xinlu.ParcelListed,
		Shape: "100,100 400,100 400,300 100,300"}
	if err := a.store.CreateParcel(ctx, sys, f.parcel); err != nil {
		t.Fatal(err)
	}
	planner := a.users[xinlu.RolePlanner]
	mk := func(name string) *store.ProjectRecord {
		p := &store.ProjectRecord{}
		total := int64(600_000_000)
		p.ZoneID, p.Name, p.Company, p.Industry, p.Stage = a.zone.ID, name, name+"有限公司", "materials", xinlu.StagePackaging
		p.Plan.TotalYuan = &total
		if err := a.store.CreateProject(ctx, sys, p); err != nil {
			t.Fatal(err)
		}
		p, err := a.store.StepProject(ctx, xinlu.ActorOf(planner, "127.0.0.1"), planner, p.ID, p.Version, xinlu.ProjectSubmitPlan,
			store.StepInput{Plan: &xinlu.Plan{Content: "耐磨件", TotalYuan: &total, LandMu: 120, WaterTPD: 600, ProposedParkID: f.park.ID}})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	f.first, f.other = mk("高铬耐磨件项目"), mk("耐磨衬板项目")
	return f
}

func signForm(p *store.ProjectRecord, extra url.Values) url.Values {
	v := url.Values{"version": {strconv.Itoa(p.Version)}, "signed_on": {"2026-01-05"}, "contract_yuan": {"50000"},
		"promised_start": {"2026-03-01"}, "promised_produce": {"2027-06-30"}}
	for k, vs := range extra {
		v[k] = vs
	}
	return v
}

func TestLandMatchingSigningAndGauges(t *testing.T) {
	a := newApp(t)
	f := seedLand(t, a)
	planner, sponsor := a.as(xinlu.RolePlanner), a.as(xinlu.RoleSponsor)
	first := "/projects/" + strconv.FormatInt(f.first.ID, 10)

	// The planner sees the park fit, with the parcel to pick, and picks it.
	r := planner.get(first)
	if r.StatusCode != 200 || !strings.Contains(r.body, `id="matches"`) || !strings.Contains(r.body, "可承载") ||
		!strings.Contains(r.body, `data-pick="NM-07"`) {
		t.Fatalf("matches on the project page: %d %s", r.StatusCode, r.body)
	}
	if r := planner.postForm(first+"/parcel", url.Values{"parcel_id": {strconv.FormatInt(f.parcel.ID, 10)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("pick: %d %s", r.StatusCode, r.body)
	}
	if r := planner.get(first); !strings.Contains(r.body, "已选定") || !strings.Contains(r.body, "耐磨材料产业园 · NM-07") {
		t.Fatalf("picked parcel not shown")
	}
	// Another project sees the parcel taken: not offered to it.
	if r := planner.get("/projects/" + strconv.FormatInt(f.other.ID, 10)); strings.Contains(r.body, `data-pick="NM-07"`) {
		t.Fatal("a parcel held by another project is offered")
	}

	// The API answers the same in words.
	res := a.api(xinlu.RolePlanner).get("/api/v1/projects/" + strconv.FormatInt(f.other.ID, 10) + "/matches")
	var m struct {
		Items []struct {
			ParkName string `json:"park_name"`
			Fit      bool   `json:"fit"`
			Reasons  []struct{ Code, Text string }
		}
	}
	if err := json.Unmarshal([]byte(res.body), &m); err != nil || res.StatusCode != 200 || len(m.Items) != 1 || m.Items[0].Fit {
		t.Fatalf("api matches: %d %s", res.StatusCode, res.body)
	}
	if m.Items[0].Reasons[0].Code != "match.no_parcel" && m.Items[0].Reasons[0].Code != "match.land_short" {
		t.Fatalf("reasons %+v", m.Items[0].Reasons)
	}

	// The sponsor signs the first: the water gauge moves.
	if r := sponsor.postForm(first+"/sign", signForm(f.first, nil)); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign: %d %s", r.StatusCode, r.body)
	}
	park := "/land/parks/" + strconv.FormatInt(f.park.ID, 10)
	r = planner.get(park)
	if r.StatusCode != 200 || !strings.Contains(r.body, `<td class="num">600</td><td class="num free">400</td>`) {
		t.Fatalf("park page after signing: %d %s", r.StatusCode, r.body)
	}
	if !strings.Contains(r.body, `<polygon points="100,100 400,100 400,300 100,300" class="st-listed">`) || !strings.Contains(r.body, "二水厂") {
		t.Fatal("park plan or build-out missing")
	}

	// The second is refused, naming water, the shortfall and the date.
	other := "/projects/" + strconv.FormatInt(f.other.ID, 10)
	r = sponsor.postForm(other+"/sign", signForm(f.other, nil))
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "供水不足：承诺投产日 2027-06-30 缺口 200 t/d，不能签约") {
		t.Fatalf("short signing: %d %s", r.StatusCode, r.body)
	}
	if strings.Contains(r.body, `id="sign-override"`) {
		t.Fatal("a sponsor is offered the override")
	}
	// The director overrides with a reason.
	director := a.as(xinlu.RoleDirector)
	if r := director.get(other); !strings.Contains(r.body, `id="sign-override"`) {
		t.Fatal("the director is not offered the override")
	}
	if r := director.postForm(other+"/sign", signForm(f.other, url.Values{"override": {"1"}})); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "超余量签约须说明理由") {
		t.Fatalf("override without reason: %d", r.StatusCode)
	}
	if r := director.postForm(other+"/sign", signForm(f.other, url.Values{"override": {"1"}, "override_reason": {"二水厂提前投运"}})); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("override: %d %s", r.StatusCode, r.body)
	}
	if r := planner.get(other); !strings.Contains(r.body, "二水厂提前投运") || !strings.Contains(r.body, `id="project-ledger"`) {
		t.Fatal("the project's ledger does not show the override")
	}

	// Losing the first gives its water back.
	f1, _ := a.store.ProjectByID(context.Background(), a.zone.ID, f.first.ID)
	if r := sponsor.postForm(first+"/lose", url.Values{"version": {strconv.Itoa(f1.Version)}, "lost_reason": {"investor_withdrew"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("lose: %d %s", r.StatusCode, r.body)
	}
	if r := planner.get(park); !strings.Contains(r.body, `<td class="num">600</td><td class="num free">400</td>`) {
		t.Fatalf("after the loss only the second's 600 is reserved: %s", r.body)
	}

	// The planner revises the second's plan after signing: its reservation follows.
	r = planner.get(other)
	form := formFields(t, r.body, other+"/revise-plan")
	if form == nil {
		t.Fatal("no plan revision form on a signed project")
	}
	revise := form.values()
	revise.Set("water_tpd", "700")
	revise.Set("note", "补充协议：二期扩产")
	if r := planner.postForm(other+"/revise-plan", revise); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("revise: %d %s", r.StatusCode, firstError(r.body))
	}
	if r := planner.get(park); !strings.Contains(r.body, `<td class="num">700</td><td class="num free">300</td>`) {
		t.Fatalf("after the revision 700 is reserved: %s", r.body)
	}
	revise = formFields(t, planner.get(other).body, other+"/revise-plan").values()
	revise.Set("water_tpd", "1500")
	revise.Set("note", "三期")
	if r := planner.postForm(other+"/revise-plan", revise); r.StatusCode != http.StatusConflict ||
		!strings.Contains(r.body, "供水不足：2027-06-30 缺口 500 t/d，不能按调整后的需求预留") {
		t.Fatalf("revision beyond the free water: %d %s", r.StatusCode, firstError(r.body))
	}

	// The lists, the tables and the export answer; a member sees none of it.
	for _, path := range []string{"/land", "/land/parcels", "/land/parcels?idle=1&status=listed", "/land/capacity", "/land/demand", "/land/parcels/new"} {
		if r := planner.get(path); r.StatusCode != 200 {
			t.Errorf("%s: %d", path, r.StatusCode)
		}
	}
	if r := planner.get("/land/demand.xlsx"); r.StatusCode != 200 || len(r.body) < 1000 {
		t.Errorf("demand export: %d", r.StatusCode)
	}
	if r := planner.get("/land/capacity.xlsx"); r.StatusCode != 200 || r.Header.Get("Content-Type") == "" || len(r.body) < 1000 {
		t.Errorf("export: %d", r.StatusCode)
	}
	if r := a.as(xinlu.RoleMember).get("/land"); r.StatusCode != http.StatusForbidden {
		t.Errorf("member: %d", r.StatusCode)
	}
}

func TestParcelPages(t *testing.T) {
	a := newApp(t)
	f := seedLand(t, a)
	c := a.as(xinlu.RolePlanner)
	r := c.postForm("/land/parcels", url.Values{"park_id": {strconv.FormatInt(f.park.ID, 10)}, "code": {"NM-08"}, "area_mu": {"八十"}, "land_use": {"industrial"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, `value="八十"`) {
		t.Fatalf("bad area: %d", r.StatusCode)
	}
	r = c.postForm("/land/parcels", url.Values{"park_id": {strconv.FormatInt(f.park.ID, 10)}, "code": {"NM-08"}, "area_mu": {"80"}, "land_use": {"industrial"},
		"shape": {"0,0 10,10"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "请填写至少三个顶点") {
		t.Fatalf("bad shape: %d", r.StatusCode)
	}
	r = c.postForm("/land/parcels", url.Values{"park_id": {strconv.FormatInt(f.park.ID, 10)}, "code": {"NM-08"}, "area_mu": {"1,280.5"}, "land_use": {"industrial"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.StatusCode, r.body)
	}
	list := c.get("/land/parcels?q=NM-08")
	if !strings.Contains(list.body, "1,280.5") || !strings.Contains(list.body, "标记为净地") {
		t.Fatalf("list: %s", list.body)
	}
	items, _, _ := a.store.ListParcels(context.Background(), store.ParcelFilter{ZoneID: a.zone.ID, Query: "NM-08"})
	id := strconv.FormatInt(items[0].ID, 10)
	if r := c.postForm("/land/parcels/"+id+"/move", url.Values{"version": {"1"}, "status": {"sold"}}); r.StatusCode != http.StatusConflict {
		t.Fatalf("planned → sold: %d", r.StatusCode)
	}
	if r := c.postForm("/land/parcels/"+id+"/move", url.Values{"version": {"1"}, "status": {"serviced"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("planned → serviced: %d %s", r.StatusCode, r.body)
	}
	if r := a.as(xinlu.RoleSponsor).postForm("/land/parcels/"+id+"/move", url.Values{"version": {"2"}, "status": {"listed"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("a sponsor moves parcels: %d", r.StatusCode)
	}
}

func TestParcelImport(t *testing.T) {
	a := newApp(t)
	seedLand(t, a)
	c := a.as(xinlu.RolePlanner)
	tmpl := c.get("/land/parcels/import/template.xlsx")
	book := func(rows [][]any) []byte {
		f, err := excelize.OpenReader(strings.NewReader(tmpl.body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		f.RemoveRow("地块清单", 2)
		for i, row := range rows {
			f.SetSheetRow("地块清单", "A"+strconv.Itoa(i+2), &row)
		}
		var buf bytes.Buffer
		f.Write(&buf)
		return buf.Bytes()
	}
	bad := book([][]any{{"NM-30", "耐磨材料产业园", 80, "工业用地", "挂牌"}, {"NM-07", "耐磨材料产业园", 50, "工业用地", "规划"}, {"X-1", "火星园区", 10, "农田", "已出让"}})
	r := c.upload("/land/parcels/import", "地块.xlsx", bad)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "第 3 行") || !strings.Contains(r.body, "地块编号已存在") ||
		!strings.Contains(r.body, "只能导入规划、净地或挂牌的地块") || !strings.Contains(r.body, "没有名为“火星园区”的园区") {
		t.Fatalf("bad parcels: %d %s", r.StatusCode, r.body)
	}
	if items, _, _ := a.store.ListParcels(t.Context(), store.ParcelFilter{ZoneID: a.zone.ID, Query: "NM-30"}); len(items) != 0 {
		t.Fatal("a workbook with errors wrote a parcel")
	}
	r = c.upload("/land/parcels/import", "地块.xlsx", book([][]any{{"NM-30", "耐磨材料产业园", "1,080", "工业用地", "挂牌", 1, 2.5, "0,0 100,0 100,100"}}))
	data := regexp.MustCompile(`name="data" value="([^"]+)"`).FindStringSubmatch(r.body)
	if r.StatusCode != 200 || data == nil {
		t.Fatalf("good parcels: %d %s", r.StatusCode, r.body)
	}
	r = c.postForm("/land/parcels/import", url.Values{"data": {html.UnescapeString(data[1])}, "commit": {"1"}})
	if r.StatusCode != 200 || !strings.Contains(r.body, "新增地块 1 宗") {
		t.Fatalf("commit: %d %s", r.StatusCode, r.body)
	}
	items, _, _ := a.store.ListParcels(t.Context(), store.ParcelFilter{ZoneID: a.zone.ID, Query: "NM-30"})
	if len(items) != 1 || items[0].AreaMu != 1080 || items[0].Status != xinlu.ParcelListed {
		t.Fatalf("imported %+v", items)
	}
}

func TestUtilityImport(t *testing.T) {
	a := newApp(t)
	f := seedLand(t, a)
	c := a.as(xinlu.RolePlanner)
	tmpl := c.get("/land/utilities/import/template.xlsx")
	book := func(rows [][]any) []byte {
		x, err := excelize.OpenReader(strings.NewReader(tmpl.body))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		x.RemoveRow("园区水电气热", 3)
		x.RemoveRow("园区水电气热", 2)
		for i, row := range rows {
			x.SetSheetRow("园区水电气热", "A"+strconv.Itoa(i+2), &row)
		}
		var buf bytes.Buffer
		x.Write(&buf)
		return buf.Bytes()
	}
	r := c.upload("/land/utilities/import", "要素.xlsx", book([][]any{{"耐磨材料产业园", "供水", "", 5000}, {"耐磨材料产业园", "供电", "", "80,000"}, {"耐磨材料产业园", "供电", "", 1}}))
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "该园区已登记此要素") || !strings.Contains(r.body, "与第 3 行重复") {
		t.Fatalf("bad utilities: %d %s", r.StatusCode, r.body)
	}
	r = c.upload("/land/utilities/import", "要素.xlsx", book([][]any{{"耐磨材料产业园", "供电", "", "80,000", 25}, {"耐磨材料产业园", "天然气", "华润燃气", 300000}}))
	data := regexp.MustCompile(`name="data" value="([^"]+)"`).FindStringSubmatch(r.body)
	if r.StatusCode != 200 || data == nil {
		t.Fatalf("good utilities: %d %s", r.StatusCode, r.body)
	}
	if r := c.postForm("/land/utilities/import", url.Values{"data": {html.UnescapeString(data[1])}, "commit": {"1"}}); !strings.Contains(r.body, "新增要素 2 项") {
		t.Fatalf("commit: %s", r.body)
	}
	us, _ := a.store.Utilities(t.Context(), a.zone.ID, f.park.ID)
	if len(us) != 3 || us[1].Kind != xinlu.UtilityPower || us[1].BaseCapacity != 80000 || us[1].WarnRatio != 0.25 {
		t.Fatalf("utilities %+v", us)
	}
}

// The planner deletes a build-out and a utility on the park page; the one
// the ledger names is refused in words, on the page and in the API.
func TestDeleteUtilityAndBuildout(t *testing.T) {
	a := newApp(t)
	f := seedLand(t, a)
	ctx := context.Background()
	planner := a.as(xinlu.RolePlanner)
	park := "/land/parks/" + strconv.FormatInt(f.park.ID, 10)
	r := planner.get(park)
	if !strings.Contains(r.body, `action="/land/utilities/`+strconv.FormatInt(f.water.ID, 10)+`/delete"`) || !strings.Contains(r.body, `class="inline buildout-delete"`) {
		t.Fatalf("no delete forms on the park page: %s", r.body)
	}
	if r := a.as(xinlu.RoleMember).postForm("/land/utilities/"+strconv.FormatInt(f.water.ID, 10)+"/delete", url.Values{"version": {"1"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("member delete: %d", r.StatusCode)
	}
	w, _ := a.store.UtilityByID(ctx, a.zone.ID, f.water.ID)
	b := w.Buildouts[0]
	if r := planner.postForm("/land/buildouts/"+strconv.FormatInt(b.ID, 10)+"/delete", url.Values{"version": {strconv.Itoa(b.Version)}}); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != park {
		t.Fatalf("build-out delete: %d %s", r.StatusCode, r.body)
	}
	if r := planner.get(park); strings.Contains(r.body, "二水厂") {
		t.Fatal("the deleted build-out is still shown")
	}

	// A signed project reserves water: the utility stays, the page says why.
	if r := a.as(xinlu.RoleSponsor).postForm("/projects/"+strconv.FormatInt(f.first.ID, 10)+"/sign", signForm(f.first, nil)); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign: %d %s", r.StatusCode, r.body)
	}
	r = planner.postForm("/land/utilities/"+strconv.FormatInt(f.water.ID, 10)+"/delete", url.Values{"version": {strconv.Itoa(w.Version)}})
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "该公用设施已有 1 条预留台账记录，不能删除") {
		t.Fatalf("delete of water in the ledger: %d %s", r.StatusCode, r.body)
	}
	res := a.api(xinlu.RolePlanner).do("DELETE", "/api/v1/utilities/"+strconv.FormatInt(f.water.ID, 10), "", nil)
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.body, "land.utility_in_ledger") {
		t.Fatalf("api delete of water in the ledger: %d %s", res.StatusCode, res.body)
	}

	// A utility no project reserves goes, through the API too.
	gas := &xinlu.Utility{ZoneID: a.zone.ID, ParkID: f.park.ID, Kind: xinlu.UtilityGas, Supplier: "中石油", BaseCapacity: 1000}
	if err := a.store.CreateUtility(ctx, xinlu.SystemActor(a.zone.ID), gas); err != nil {
		t.Fatal(err)
	}
	if res := a.api(xinlu.RolePlanner).do("DELETE", "/api/v1/utilities/"+strconv.FormatInt(gas.ID, 10)+"?version=1", "", nil); res.StatusCode != http.StatusNoContent {
		t.Fatalf("api delete: %d %s", res.StatusCode, res.body)
	}
	if us, _ := a.store.Utilities(ctx, a.zone.ID, f.park.ID); len(us) != 1 {
		t.Fatalf("utilities left: %+v", us)
	}
}

// A parcel list in the user's own layout: the import asks which column
// holds what, checks with that mapping, imports, and remembers it for the
// zone, so that the next file of that layout goes straight through; the
// workbook back with 错误原因 reads it with the same mapping.
func TestParcelImportColumnMapping(t *testing.T) {
	a := newApp(t)
	seedLand(t, a)
	c := a.as(xinlu.RolePlanner)
	book := func(rows ...[]any) []byte {
		x := excelize.NewFile()
		defer x.Close()
		header := []any{"宗地号", "园区", "面积(亩)", "用途", "联系人"}
		x.SetSheetRow("Sheet1", "A1", &header)
		for i, row := range rows {
			x.SetSheetRow("Sheet1", "A"+strconv.Itoa(i+2), &row)
		}
		var buf bytes.Buffer
		x.Write(&buf)
		return buf.Bytes()
	}
	r := c.upload("/land/parcels/import", "宗地.xlsx", book([]any{"NM-31", "耐磨材料产业园", 80, "工业用地", "张三"}))
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "找不到表头列：地块编号、所在园区、用地性质") ||
		!strings.Contains(r.body, `id="mapping-form"`) || !strings.Contains(r.body, `id="map-E"`) {
		t.Fatalf("unknown header: %d %s", r.StatusCode, r.body)
	}
	data := html.UnescapeString(regexp.MustCompile(`name="data" value="([^"]+)"`).FindStringSubmatch(r.body)[1])
	mapping := url.Values{"data": {data}, "filename": {"宗地.xlsx"},
		"mh": {"宗地号", "园区", "面积(亩)", "用途", "联系人"}, "mf": {"地块编号", "所在园区", "面积（亩）", "用性质", "-"}}
	if r := c.postForm("/land/parcels/import", mapping); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "列「用途」的对应字段无法识别") {
		t.Fatalf("a mapping to no column: %d %s", r.StatusCode, r.body)
	}
	mapping["mf"] = []string{"地块编号", "所在园区", "面积（亩）", "用地性质", "-"}
	r = c.postForm("/land/parcels/import", mapping)
	if r.StatusCode != 200 || !strings.Contains(r.body, `id="import-ok"`) || !strings.Contains(r.body, `id="not-imported"`) || !strings.Contains(r.body, "联系人") {
		t.Fatalf("dry run with the mapping: %d %s", r.StatusCode, r.body)
	}
	carried := html.UnescapeString(regexp.MustCompile(`name="mapping" value="([^"]+)"`).FindStringSubmatch(r.body)[1])
	if ps, _, _ := a.store.ListParcels(t.Context(), store.ParcelFilter{ZoneID: a.zone.ID}); len(ps) != 1 {
		t.Fatalf("a dry run wrote parcels: %d", len(ps))
	}
	if r := c.postForm("/land/parcels/import", url.Values{"data": {data}, "mapping": {carried}, "commit": {"1"}}); !strings.Contains(r.body, `id="import-done"`) {
		t.Fatalf("commit: %d %s", r.StatusCode, r.body)
	}
	if ps, _, _ := a.store.ListParcels(t.Context(), store.ParcelFilter{ZoneID: a.zone.ID}); len(ps) != 2 {
		t.Fatalf("parcels after the import: %d", len(ps))
	}

	// The next file of that layout: the remembered mapping reads it; a bad
	// row comes back marked in the user's workbook.
	r = c.upload("/land/parcels/import", "宗地2.xlsx", book([]any{"NM-32", "耐磨材料产业园", "很大", "工业用地", ""}))
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "已使用本区上次保存的列对应") || !strings.Contains(r.body, "须为不小于 0 的数字") {
		t.Fatalf("second file: %d %s", r.StatusCode, r.body)
	}
	data = html.UnescapeString(regexp.MustCompile(`name="data" value="([^"]+)"`).FindStringSubmatch(r.body)[1])
	back := c.postForm("/land/parcels/import/errors", url.Values{"data": {data}, "filename": {"宗地2.xlsx"}})
	x, err := excelize.OpenReader(strings.NewReader(back.body))
	if back.StatusCode != 200 || err != nil {
		t.Fatalf("errors workbook: %d %v", back.StatusCode, err)
	}
	defer x.Close()
	rows, _ := x.GetRows(x.GetSheetName(0))
	if !strings.Contains(strings.Join(rows[0], "|"), "错误原因") || !strings.Contains(strings.Join(rows[1], "|"), "面积（亩）") {
		t.Fatalf("errors workbook rows: %q", rows)
	}
}
