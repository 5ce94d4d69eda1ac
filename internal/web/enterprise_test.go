package web_test

import (
	"bytes"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"xinlu/internal/xinlu"
)

func enterpriseBook(t *testing.T, template []byte, rows [][]any) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(template))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.RemoveRow("企业年度数据", 2) // the example
	for i, row := range rows {
		if err := f.SetSheetRow("企业年度数据", fmt.Sprintf("A%d", i+2), &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	f.Write(&buf)
	return buf.Bytes()
}

func TestEnterpriseImportAndEfficiency(t *testing.T) {
	a := newApp(t)
	seedLand(t, a)
	c := a.as(xinlu.RolePlanner)
	tmpl := c.get("/enterprises/import/template.xlsx")
	if tmpl.StatusCode != 200 {
		t.Fatalf("template: %d", tmpl.StatusCode)
	}
	good := [][]any{
		{"晋中精工耐磨有限公司", "新型材料", "耐磨材料产业园", "", 2025, 30000, 1500, 9000, 10, 100, 300},
		{"榆次恒达铸造有限公司", "铸造", "耐磨材料产业园", "", 2025, 8000, 300, 9000, 40, 100, 200},
		{"晋中精工耐磨有限公司", "新型材料", "耐磨材料产业园", "", 2024, 26000, 1200, 8800, 11, 100, 290},
	}
	bad := append(append([][]any{}, good...), []any{"坏数据公司", "钢铁", "月球园区", "", 2025, -5, 1, 1, 1, 1, 1})
	r := c.upload("/enterprises/import", "企业.xlsx", enterpriseBook(t, []byte(tmpl.body), bad))
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "第 5 行") || !strings.Contains(r.body, "没有名为“月球园区”的园区") {
		t.Fatalf("bad workbook: %d %s", r.StatusCode, r.body)
	}
	data := regexp.MustCompile(`name="data" value="([^"]+)"`).FindStringSubmatch(r.body)
	marked := c.postForm("/enterprises/import/errors", url.Values{"filename": {"企业.xlsx"}, "data": {html.UnescapeString(data[1])}})
	f, err := excelize.OpenReader(strings.NewReader(marked.body))
	if err != nil {
		t.Fatalf("marked workbook: %v", err)
	}
	if h, _ := f.GetCellValue("企业年度数据", "L1"); h != "错误原因" {
		t.Fatalf("错误原因 column: %q", h)
	}
	if es, total, _ := a.store.ListEnterprises(t.Context(), a.zone.ID, "", xinlu.Page{}); total != 0 {
		t.Fatalf("a bad workbook wrote %v", es)
	}
	r = c.upload("/enterprises/import", "企业.xlsx", enterpriseBook(t, []byte(tmpl.body), good))
	if r.StatusCode != 200 || !strings.Contains(r.body, "预检通过：共 3 行") {
		t.Fatalf("good workbook check: %d %s", r.StatusCode, r.body)
	}
	data = regexp.MustCompile(`name="data" value="([^"]+)"`).FindStringSubmatch(r.body)
	r = c.postForm("/enterprises/import", url.Values{"filename": {"企业.xlsx"}, "data": {html.UnescapeString(data[1])}, "commit": {"1"}})
	if r.StatusCode != 200 || !strings.Contains(r.body, "新增企业 2 家，年度数据 3 条") {
		t.Fatalf("commit: %d %s", r.StatusCode, r.body)
	}
	eff := c.get("/efficiency?year=2025")
	if eff.StatusCode != 200 || !strings.Contains(eff.body, "晋中精工耐磨有限公司") || !strings.Contains(eff.body, `tag-green">A</span>`) {
		t.Fatalf("efficiency: %s", eff.body)
	}
	if x := c.get("/efficiency/2025/export.xlsx"); x.StatusCode != 200 || len(x.body) < 1000 {
		t.Fatalf("export: %d", x.StatusCode)
	}
	x := c.get("/enterprises.xlsx")
	xf, err := excelize.OpenReader(strings.NewReader(x.body))
	if err != nil {
		t.Fatalf("enterprise export: %d %v", x.StatusCode, err)
	}
	if v, _ := xf.GetCellValue("在区企业", "A4"); v != "晋中精工耐磨有限公司" {
		t.Fatalf("enterprise export first row %q", v)
	}
	if v, _ := xf.GetCellValue("在区企业", "E4"); v != "2025" {
		t.Fatalf("enterprise export latest year %q", v)
	}
	es, _, _ := a.store.ListEnterprises(t.Context(), a.zone.ID, "精工", xinlu.Page{})
	if p := c.get(fmt.Sprintf("/enterprises/%d", es[0].ID)); !strings.Contains(p.body, "2024") || !strings.Contains(p.body, "第 1 名") {
		t.Fatalf("enterprise page: %s", p.body)
	}
	if r := c.postForm("/efficiency/scheme", url.Values{"weight_tax_per_mu": {"60"}, "weight_output_per_mu": {"20"}, "weight_output_per_energy": {"15"},
		"weight_output_per_head": {"15"}, "class_a": {"120"}, "class_b": {"90"}, "class_c": {"60"}}); r.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "指标权重合计须为 100（现为 110）") {
		t.Fatalf("scheme: %d", r.StatusCode)
	}
	api := a.api(xinlu.RolePlanner)
	if r := api.get("/api/v1/efficiency/2025"); r.StatusCode != 200 || !strings.Contains(r.body, `"class":"A"`) {
		t.Fatalf("api efficiency: %s", r.body)
	}
	if r := api.get(fmt.Sprintf("/api/v1/enterprises/%d/years", es[0].ID)); r.StatusCode != 200 || !strings.Contains(r.body, `"year":2024`) {
		t.Fatalf("api years: %s", r.body)
	}
}
