package demo

import (
	"context"
	"fmt"
	"math"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// seedReports gives the demo zone its provincial self-assessment of this
// year (an industrial zone, the default sheet with targets set and the
// entered indicators filled in with their evidence) and last month's
// briefing issued by the director.
func seedReports(ctx context.Context, st *store.Store, a xinlu.Actor, z *xinlu.Zone, today time.Time) error {
	if err := st.SetZoneCategory(ctx, a, z.ID, "industrial"); err != nil {
		return err
	}
	year := today.Year()
	if _, err := st.LoadDefaultAssessment(ctx, a, z.ID, year); err != nil {
		return err
	}
	sheet, err := st.Assessment(ctx, z.ID, year)
	if err != nil {
		return err
	}
	// Computed indicators get targets around what the records hold, so
	// that some are met and some are behind; entered ones a value.
	reach := []float64{0.92, 1.05, 0.8, 1.1, 0.75, 0.95, 1.2, 0.88, 0.97}
	entered := map[string]struct {
		target, value float64
		evidence      string
	}{
		"规上工业增加值增速":     {9, 8.6, "县统计局 1—11 月统计月报：规上工业增加值同比增长 8.6%"},
		"转型项目投资占工业投资比重": {30, 32.5, "发改局转型项目库台账"},
		"单位工业增加值能耗":     {0.45, 0.47, "县能源统计快报"},
		"实际利用省外资金":      {15, 12.8, "商务局省外资金到位统计表"},
		"高新技术和专精特新企业":   {12, 11, "科技局、工信局认定名单"},
		"环境保护与安全生产扣分":   {0, 0, "全年未发生环保督察问题和生产安全事故"},
	}
	n := 0
	for _, row := range sheet.Rows {
		ind := row.AssessmentIndicator
		if e, ok := entered[ind.Name]; ok {
			v := e.value
			ind.Target, ind.Value, ind.Evidence, ind.Links = e.target, &v, e.evidence, []string{"/enterprises", "/efficiency"}
		} else if row.Actual != nil {
			ind.Target = math.Max(1, math.Round(*row.Actual/reach[n%len(reach)]*10)/10)
			n++
		}
		if err := st.SaveAssessmentIndicator(ctx, a, &ind); err != nil {
			return fmt.Errorf("indicator %s: %w", ind.Name, err)
		}
	}
	director, err := st.UserByUsername(ctx, "director")
	if err != nil {
		return err
	}
	last := today.AddDate(0, 0, -today.Day())
	_, err = st.IssueBriefing(ctx, xinlu.ActorOf(director, "127.0.0.1"), director, last.Format("2006-01"),
		"各部门要对照红灯事项逐项销号，包联领导本周内到项目现场协调；新增线索偏少的部门下月要拿出具体措施。")
	return err
}
