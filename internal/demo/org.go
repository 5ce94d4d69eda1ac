package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

var parks = []xinlu.Park{
	{Name: "智慧装备制造产业园", AreaMu: 5200, Industries: []string{"equipment", "biomedicine"}, Description: "智能装备、高端装备及医疗器械、生物医药，配套集中供水和污水预处理"},
	{Name: "耐磨材料产业园", AreaMu: 3600, Industries: []string{"materials", "casting"}, Description: "耐磨材料、精密铸造及配套，承接铸造产能置换项目"},
	{Name: "信息新材料产业基地", AreaMu: 2800, Industries: []string{"materials", "light_industry", "other"}, Description: "电子信息材料、新型材料与轻工消费品，双管网天然气覆盖"},
}

var positions = []struct {
	name, grade string
	kind        xinlu.PositionKind
}{
	{"管委会主任", "正处级", xinlu.PositionLeader},
	{"管委会副主任", "副处级", xinlu.PositionLeader},
	{"部长", "正科级", xinlu.PositionHead},
	{"副部长", "副科级", xinlu.PositionHead},
	{"招商专员", "七级职员", xinlu.PositionStaff},
	{"项目策划专员", "七级职员", xinlu.PositionStaff},
	{"代办专员", "八级职员", xinlu.PositionStaff},
	{"综合管理岗", "八级职员", xinlu.PositionStaff},
}

// Given names for the staff beyond the demo accounts.
var (
	surnames = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎")
	given    = []string{"伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平", "刚",
		"志伟", "建华", "晓东", "海燕", "春梅", "立军", "文博", "雪琴", "国栋", "晋生", "太原", "晋华", "慧敏", "云飞", "宏亮"}
	staffDepartments = []string{"INVEST1", "INVEST1", "INVEST2", "INVEST2", "INVEST3", "INVEST3", "PLANNING", "SERVICE", "SERVICE",
		"CONSTRUCTION", "OFFICE", "HR", "FINANCE", "INVEST"}
)

// holidays2026 is the 2026 arrangement of the State Council's notice:
// days off, and the weekend days worked to make up for them.
var holidays2026 = []struct {
	from, to string
	name     string
	workdays []string
}{
	{"2026-01-01", "2026-01-03", "元旦", []string{"2026-01-04"}},
	{"2026-02-15", "2026-02-23", "春节", []string{"2026-02-14", "2026-02-28"}},
	{"2026-04-04", "2026-04-06", "清明节", nil},
	{"2026-05-01", "2026-05-05", "劳动节", []string{"2026-05-09"}},
	{"2026-06-19", "2026-06-21", "端午节", nil},
	{"2026-09-25", "2026-09-27", "中秋节", nil},
	{"2026-10-01", "2026-10-07", "国庆节", []string{"2026-09-20", "2026-10-10"}},
}

// calendarDays expands the holiday table into calendar entries.
func calendarDays() []xinlu.CalendarDay {
	var out []xinlu.CalendarDay
	for _, h := range holidays2026 {
		from, _ := xinlu.ParseDate(h.from)
		to, _ := xinlu.ParseDate(h.to)
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			out = append(out, xinlu.CalendarDay{Date: d.Format(xinlu.DateLayout), Kind: xinlu.DayHoliday, Name: h.name})
		}
		for _, w := range h.workdays {
			out = append(out, xinlu.CalendarDay{Date: w, Kind: xinlu.DayWorkday, Name: h.name + "调休上班"})
		}
	}
	return out
}

// org holds what the organisation part of the seed made, by name.
type org struct {
	dept     map[string]int64
	position map[string]int64
	members  []*xinlu.Member
	park     map[string]int64 // by name
	utility  map[string]int64 // by park/kind/supplier
}

// seedOrganisation creates departments, positions, parks and the calendar.
func seedOrganisation(ctx context.Context, st *store.Store, a xinlu.Actor, z *xinlu.Zone) (*org, error) {
	o := &org{dept: map[string]int64{}, position: map[string]int64{}, park: map[string]int64{}, utility: map[string]int64{}}
	for i, d := range departments {
		dep := &xinlu.Department{ZoneID: z.ID, Code: d.code, Name: d.name, ParentID: o.dept[d.parent], SortOrder: i * 10}
		if err := st.CreateDepartment(ctx, a, dep); err != nil {
			return nil, fmt.Errorf("department %s: %w", d.code, err)
		}
		o.dept[d.code] = dep.ID
	}
	for i, p := range positions {
		pos := &xinlu.Position{ZoneID: z.ID, Name: p.name, Grade: p.grade, Kind: p.kind, SortOrder: i * 10}
		if err := st.CreatePosition(ctx, a, pos); err != nil {
			return nil, fmt.Errorf("position %s: %w", p.name, err)
		}
		o.position[p.name] = pos.ID
	}
	for i := range parks {
		p := parks[i]
		p.ZoneID = z.ID
		if err := st.CreatePark(ctx, a, &p); err != nil {
			return nil, fmt.Errorf("park %s: %w", p.Name, err)
		}
		o.park[p.Name] = p.ID
	}
	if _, err := st.ImportCalendarDays(ctx, a, z.ID, calendarDays()); err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	return o, nil
}

// addMember creates a member with a current contract.
func (o *org) addMember(ctx context.Context, st *store.Store, a xinlu.Actor, z *xinlu.Zone, rng *rand.Rand, today time.Time,
	staffNo, name, dept, position string, status xinlu.MemberStatus) (*xinlu.Member, error) {
	joined := today.AddDate(-1-rng.IntN(9), -rng.IntN(12), -rng.IntN(28))
	if status == xinlu.MemberProbation {
		joined = today.AddDate(0, -1-rng.IntN(4), 0)
	}
	m := &xinlu.Member{ZoneID: z.ID, DepartmentID: o.dept[dept], PositionID: o.position[position], StaffNo: staffNo, Name: name,
		Gender: []string{"m", "f"}[rng.IntN(2)], Phone: demoPhone(rng), IDNumber: demoIDNumber(rng),
		Status: status, JoinedOn: joined.Format(xinlu.DateLayout)}
	if err := st.CreateMember(ctx, a, m); err != nil {
		return nil, fmt.Errorf("member %s: %w", name, err)
	}
	// Three-year contracts; every seventh ends within the next 60 days so
	// that the renewal list has something to show.
	n := len(o.members)
	end := today.AddDate(0, 0, 70+rng.IntN(900))
	if n%7 == 3 {
		end = today.AddDate(0, 0, 5+rng.IntN(55))
	}
	start := end.AddDate(-3, 0, 1)
	if start.Before(joined) {
		start = joined
	}
	c := &xinlu.Contract{ZoneID: z.ID, MemberID: m.ID, PositionID: m.PositionID, StartDate: start.Format(xinlu.DateLayout),
		EndDate: end.Format(xinlu.DateLayout), Status: xinlu.ContractActive}
	if err := st.CreateContract(ctx, a, c); err != nil {
		return nil, fmt.Errorf("contract of %s: %w", name, err)
	}
	o.members = append(o.members, m)
	return m, nil
}

// seedStaff adds the staff beyond the demo accounts, leaders' terms and teams.
func (o *org) seedStaff(ctx context.Context, st *store.Store, a xinlu.Actor, z *xinlu.Zone, rng *rand.Rand, today time.Time, byRole map[xinlu.Role]*xinlu.Member) error {
	used := map[string]bool{}
	for _, m := range o.members {
		used[m.Name] = true
	}
	for i := 0; len(o.members) < 60; i++ {
		name := string(surnames[rng.IntN(len(surnames))]) + given[rng.IntN(len(given))]
		if used[name] {
			continue
		}
		used[name] = true
		dept := staffDepartments[i%len(staffDepartments)]
		position := map[string]string{"PLANNING": "项目策划专员", "SERVICE": "代办专员", "CONSTRUCTION": "综合管理岗", "OFFICE": "综合管理岗",
			"HR": "综合管理岗", "FINANCE": "综合管理岗"}[dept]
		if position == "" {
			position = "招商专员"
		}
		status := xinlu.MemberActive
		switch i % 23 {
		case 5:
			status = xinlu.MemberProbation
		case 17:
			status = xinlu.MemberLeave
		}
		if _, err := o.addMember(ctx, st, a, z, rng, today, fmt.Sprintf("XL%03d", 100+i), name, dept, position, status); err != nil {
			return err
		}
	}
	termStart := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	for role, title := range map[xinlu.Role]string{xinlu.RoleDirector: "管委会主任", xinlu.RoleSponsor: "管委会副主任（分管招商）"} {
		t := &xinlu.Term{ZoneID: z.ID, MemberID: byRole[role].ID, Title: title, StartDate: termStart.Format(xinlu.DateLayout),
			EndDate: xinlu.DefaultTermEnd(termStart).Format(xinlu.DateLayout),
			Targets: "任期内新签约亿元以上项目 30 个，固定资产投资年均增长 10%，规上工业增加值翻一番"}
		if err := st.CreateTerm(ctx, a, t); err != nil {
			return fmt.Errorf("term: %w", err)
		}
	}
	teams := []struct {
		kind    xinlu.TeamKind
		name    string
		desc    string
		lead    xinlu.Role
		dept    string
		members int
	}{
		{xinlu.TeamTaskforce, "招商线索甄别专班", "核实线索真实性，查重合并，研判产业匹配度，5 个工作日内给出甄别意见", xinlu.RoleScreener, "INVEST", 4},
		{xinlu.TeamPlanning, "项目策划包装专业组", "编制项目建议书：投资、用地、水电气热、产出、税收、就业、六新与产业链定位", xinlu.RolePlanner, "PLANNING", 3},
		{xinlu.TeamLeadership, "招商引资领导组", "包联重点项目，主持洽谈与督办，推动签约", xinlu.RoleDirector, "LEADERS", 1},
		{xinlu.TeamTaskforce, "项目全程代办专班", "签约项目审批事项全程代办，承诺制办理，逾期预警", xinlu.RoleAgent, "SERVICE", 3},
	}
	for _, tm := range teams {
		team := &xinlu.Team{ZoneID: z.ID, Kind: tm.kind, Name: tm.name, Description: tm.desc}
		if err := st.CreateTeam(ctx, a, team); err != nil {
			return fmt.Errorf("team %s: %w", tm.name, err)
		}
		added := map[int64]bool{}
		add := func(m *xinlu.Member, lead bool) error {
			added[m.ID] = true
			return st.AddTeamMember(ctx, a, z.ID, &xinlu.TeamMember{TeamID: team.ID, MemberID: m.ID, IsLead: lead})
		}
		if err := add(byRole[tm.lead], true); err != nil {
			return fmt.Errorf("team %s lead: %w", tm.name, err)
		}
		if tm.kind == xinlu.TeamLeadership {
			if err := add(byRole[xinlu.RoleSponsor], false); err != nil {
				return err
			}
		}
		n := 0
		for _, m := range o.members {
			if n == tm.members {
				break
			}
			if m.DepartmentID == o.dept[tm.dept] || (tm.dept == "INVEST" && (m.DepartmentID == o.dept["INVEST1"] || m.DepartmentID == o.dept["INVEST2"])) {
				if added[m.ID] || m.Status != xinlu.MemberActive {
					continue
				}
				if err := add(m, false); err != nil {
					return fmt.Errorf("team %s member: %w", tm.name, err)
				}
				n++
			}
		}
	}
	return nil
}
