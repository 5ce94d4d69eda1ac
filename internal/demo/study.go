package demo

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"xinlu/internal/docx"
	"xinlu/internal/report"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// The demo's study campaigns: one closed campaign on the reform speech,
// with a reflection from nearly everyone in every state (two of them near
// copies of each other, one mostly copied from the speech) and three
// discussion sessions, and one open campaign due next week with the
// reform plan attached as a Word document.

// reformSpeech is the closed campaign's material.
const reformSpeech = `开发区是改革开放的试验田，也是高质量发展的主阵地。当前，开发区要把体制机制改革作为“先手棋”，坚持去行政化、市场化、专业化方向，推行“管委会+公司”模式，实行全员聘任制、绩效工资制，让干部能上能下、收入能增能减。

招商引资是开发区的生命线。要围绕主导产业链精准招商，建立线索首报、专班甄别、包联推进、全程代办的工作闭环，做到每一条线索有人跟、每一个项目有人盯、每一项审批有人办。

解放思想永无止境，改革创新永不停步。全体干部要对标先进找差距，敢于打破条条框框，敢于担当、善于作为，以钉钉子精神抓好各项改革任务落地见效，为全省经济高质量发展作出新的更大贡献。`

// reflection fragments: a reflection is an opening, several passages and
// a close, each filled with words of its own, so that two demo members
// rarely write the same eight characters in a row.
var (
	studyOpen = []string{
		"通过认真学习%s，我深受触动，对开发区改革有了更深的认识。",
		"这次集中学习%s，我反复研读了原文，结合%s的工作谈几点体会。",
		"学习%s以后，我对照自身岗位认真反思，收获很大。",
		"参加%s专题学习，我感到思想上受到了一次洗礼。",
	}
	studyBody = []string{
		"在%s工作%d年来，我最大的感受是%s。过去我们%s，现在必须%s。",
		"改革不是喊口号，我所在的%s今年承担了%d项重点任务，其中%s最难，我们的办法是%s。",
		"我认为%s的关键在于%s，这一点在去年%s的过程中体会尤其深刻。",
		"对照讲话要求，我找出了自身%d个方面的差距：一是%s，二是%s。",
		"今后我将%s，力争在%s上取得新突破，用%s检验学习成效。",
		"讲话提出%s，让我想起了%s时的情景，那时我们%s。",
	}
	studyClose = []string{
		"总之，我要把学习成果转化为%s的实际行动。",
		"我将以这次学习为新的起点，%s。",
		"以上是我的一点粗浅体会，不当之处请批评指正。",
	}
	studyWords = [][]string{
		{"省委书记的重要讲话", "全省开发区改革推进会精神", "讲话原文和配套文件", "改革推进会的部署"},
		{"思想不解放什么事都干不成", "服务企业要跑在前面", "机制顺了干劲就来了", "考核指挥棒作用很大", "数据要说话", "项目要靠专业团队盯"},
		{"坐等企业上门", "习惯层层请示", "开会多落实少", "按部就班办事", "重审批轻服务"},
		{"主动走出去", "一线解决问题", "用结果说话", "把服务做在前面", "对标先进园区"},
		{"项目落地", "审批提速", "产业链招商", "要素保障", "企业服务", "园区配套", "资金拨付"},
		{"签约项目开工", "新材料项目招引", "标准厂房建设", "企业投产达效", "人才公寓筹建", "污水处理扩容"},
		{"每周跟踪一次进度", "建立问题清单", "倒排工期", "并联审批", "专班包联"},
		{"服务意识不强", "专业能力不足", "统筹协调不够", "主动作为不多", "学习钻研不深"},
		{"项目进度", "企业满意度", "招商实绩", "审批时限", "投资完成额"},
		{"筹建第一个园区", "引进首家龙头企业", "迎接省级评估", "抗洪抢险", "疫情期间复工复产"},
	}
)

// demoReflection writes one member's reflection from the fragments, at
// least minLen characters long.
func demoReflection(rng *rand.Rand, name, dept string, minLen int) string {
	w := func(i int) string { return studyWords[i][rng.IntN(len(studyWords[i]))] }
	var b strings.Builder
	o := studyOpen[rng.IntN(len(studyOpen))]
	if strings.Count(o, "%s") == 2 {
		fmt.Fprintf(&b, o, w(0), dept)
	} else {
		fmt.Fprintf(&b, o, w(0))
	}
	for used := map[int]bool{}; xinlu.ReflectionLength(b.String()) < minLen; {
		i := rng.IntN(len(studyBody))
		if used[i] && len(used) < len(studyBody) {
			continue
		}
		used[i] = true
		b.WriteString("\n\n")
		switch i {
		case 0:
			fmt.Fprintf(&b, studyBody[0], dept, 2+rng.IntN(12), w(1), w(2), w(3))
		case 1:
			fmt.Fprintf(&b, studyBody[1], dept, 3+rng.IntN(9), w(5), w(6))
		case 2:
			fmt.Fprintf(&b, studyBody[2], w(4), w(3), w(5))
		case 3:
			fmt.Fprintf(&b, studyBody[3], 2+rng.IntN(3), w(7), w(7))
		case 4:
			fmt.Fprintf(&b, studyBody[4], w(3), w(4), w(8))
		case 5:
			fmt.Fprintf(&b, studyBody[5], w(1), w(9), w(6))
		}
		if len(used) == len(studyBody) {
			used = map[int]bool{}
		}
	}
	b.WriteString("\n\n")
	c := studyClose[rng.IntN(len(studyClose))]
	if strings.Contains(c, "%s") {
		fmt.Fprintf(&b, c, w(4))
	} else {
		b.WriteString(c)
	}
	return b.String() + "\n\n" + name
}

// seedStudy runs the demo's study campaigns, in time order, ending at now.
func seedStudy(ctx context.Context, st *store.Store, z *xinlu.Zone, now time.Time) error {
	restore := st.Clock()
	defer st.SetClock(restore)
	at := func(day time.Time) { st.SetClock(func() time.Time { return day.Add(2 * time.Hour) }) }
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	users := map[string]*xinlu.User{}
	for _, name := range []string{"discipline", "head", "member"} {
		u, err := st.UserByUsername(ctx, name)
		if err != nil {
			return fmt.Errorf("demo user %s: %w", name, err)
		}
		users[name] = u
	}
	office, head := users["discipline"], users["head"]
	act := func(u *xinlu.User) xinlu.Actor { return xinlu.Actor{ZoneID: z.ID, UserID: u.ID, Name: u.Username} }
	members, _, err := st.ListMembers(ctx, store.MemberFilter{Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: z.ID},
		Page: xinlu.Page{PerPage: xinlu.MaxPerPage}})
	if err != nil {
		return err
	}
	// Each member writes as themselves.
	writer := func(m *xinlu.Member) *xinlu.User {
		return &xinlu.User{ZoneID: z.ID, Name: m.Name, Username: m.StaffNo, MemberID: m.ID, DepartmentID: m.DepartmentID,
			Roles: []xinlu.Role{xinlu.RoleMember}}
	}

	// The closed campaign on the reform speech.
	opens, closes := today.AddDate(0, 0, -45), today.AddDate(0, 0, -31)
	at(opens.AddDate(0, 0, -1))
	c, err := st.SaveCampaign(ctx, act(office), office, &xinlu.Campaign{Title: "学习领会全省开发区改革推进会讲话精神",
		Theme: "解放思想大讨论：结合本职谈改革", SourceText: reformSpeech, Audience: xinlu.AudienceZone,
		ReviewerIDs: []int64{office.MemberID}, OpensOn: opens.Format(xinlu.DateLayout), ClosesOn: closes.Format(xinlu.DateLayout),
		MinLength: 400, Graded: true}, 0)
	if err != nil {
		return fmt.Errorf("study campaign: %w", err)
	}
	at(opens)
	if c, err = st.CampaignAction(ctx, act(office), office, c.ID, c.Version, xinlu.CampaignOpenAction); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(2026, 17))
	depts := map[int64]string{}
	for _, m := range members {
		depts[m.DepartmentID] = m.DepartmentName
	}
	var copied string // the text the near-copy repeats
	grades := []xinlu.Grade{xinlu.GradePass, xinlu.GradeGood, xinlu.GradeGood, xinlu.GradeExcellent}
	i := -1
	for _, m := range members {
		if m.Status != xinlu.MemberActive && m.Status != xinlu.MemberProbation {
			continue
		}
		i++
		u := writer(m)
		// Seven in ten write on time, one in ten late, one keeps a
		// draft, one writes nothing; the copiers submit on time.
		roll := rng.IntN(10)
		rewrites := i == 14 || i == 27 || i == 40 // returned, rewritten and resubmitted
		if i == 5 || i == 6 || i == 8 || rewrites {
			roll = 0
		}
		if roll == 9 || m.ID == users["member"].MemberID {
			continue // missing (李小明 has his own campaign to write below)
		}
		text := demoReflection(rng, m.Name, depts[m.DepartmentID], 520)
		switch {
		case i == 5:
			copied = text
		case i == 6 && copied != "":
			// A near-copy of the reflection before: a few words changed.
			text = strings.Replace(strings.Replace(copied, "我", "本人", 3), "。", "；", 2) + "\n\n" + m.Name
		case i == 8:
			// Mostly the speech itself, with a line of one's own.
			speech := strings.ReplaceAll(reformSpeech, "\n\n", "\n")
			text = speech + "\n\n" + demoReflection(rng, m.Name, depts[m.DepartmentID], 420-xinlu.ReflectionLength(speech))
		}
		day := opens.AddDate(0, 0, 1+rng.IntN(13))
		if roll == 8 {
			day = closes.AddDate(0, 0, 1+rng.IntN(4)) // late
		}
		at(day)
		r, err := st.SaveReflection(ctx, xinlu.Actor{ZoneID: z.ID, Name: m.Name}, u, c.ID, 0, text)
		if err != nil {
			return fmt.Errorf("reflection of %s: %w", m.Name, err)
		}
		if roll == 7 {
			continue // a draft never submitted
		}
		if r, err = st.SubmitReflection(ctx, xinlu.Actor{ZoneID: z.ID, Name: m.Name}, u, r.ID, r.Version); err != nil {
			return fmt.Errorf("submit of %s: %w", m.Name, err)
		}
		reviewer := office
		if m.DepartmentID == head.DepartmentID {
			reviewer = head
		}
		if reviewer.MemberID == m.ID || i%11 == 4 {
			continue // awaiting review
		}
		at(closes.AddDate(0, 0, 5))
		if i == 6 || i == 8 || rewrites {
			comment := "请联系本职工作谈认识，避免照抄材料或他人文章。"
			if r, err = st.ReviewReflection(ctx, act(reviewer), reviewer, r.ID, r.Version, xinlu.Review{Action: xinlu.ReviewReturn, Comment: comment}); err != nil {
				return fmt.Errorf("return of %s: %w", m.Name, err)
			}
			if !rewrites {
				continue // returned, not yet rewritten
			}
			at(closes.AddDate(0, 0, 6))
			if r, err = st.SaveReflection(ctx, xinlu.Actor{ZoneID: z.ID, Name: m.Name}, u, c.ID, r.Version,
				demoReflection(rng, m.Name, depts[m.DepartmentID], 560)); err != nil {
				return err
			}
			if r, err = st.SubmitReflection(ctx, xinlu.Actor{ZoneID: z.ID, Name: m.Name}, u, r.ID, r.Version); err != nil {
				return err
			}
			if i != 27 {
				continue // resubmitted, awaiting review
			}
			at(closes.AddDate(0, 0, 8))
		}
		if _, err = st.ReviewReflection(ctx, act(reviewer), reviewer, r.ID, r.Version,
			xinlu.Review{Action: xinlu.ReviewAccept, Grade: grades[rng.IntN(len(grades))]}); err != nil {
			return fmt.Errorf("acceptance of %s: %w", m.Name, err)
		}
	}
	if err := seedStudySessions(ctx, st, c, office, head, act, opens); err != nil {
		return err
	}
	at(closes.AddDate(0, 0, 5))
	if c, err = st.Campaign(ctx, office, c.ID); err != nil {
		return err
	}
	if _, err = st.CampaignAction(ctx, act(office), office, c.ID, c.Version, xinlu.CampaignCloseAction); err != nil {
		return err
	}

	// The open campaign, due next week.
	opens2 := today.AddDate(0, 0, -3)
	at(opens2)
	c2, err := st.SaveCampaign(ctx, act(office), office, &xinlu.Campaign{Title: "学习《开发区体制机制改革方案》",
		Theme: "全员聘任制、绩效考核与“管委会+公司”模式", SourceText: reformSpeech, Audience: xinlu.AudienceZone,
		OpensOn: opens2.Format(xinlu.DateLayout), ClosesOn: today.AddDate(0, 0, 9).Format(xinlu.DateLayout)}, 0)
	if err != nil {
		return err
	}
	// The reform plan itself, attached as a Word document.
	plan := &docx.Document{Title: "开发区体制机制改革方案", Blocks: []docx.Block{{Style: docx.Title, Text: "开发区体制机制改革方案"}}}
	for _, p := range strings.Split(reformSpeech, "\n\n") {
		plan.Blocks = append(plan.Blocks, docx.Block{Text: p})
	}
	var buf bytes.Buffer
	if err := plan.Write(&buf); err != nil {
		return err
	}
	up, err := report.ReadStudyFile(xinlu.LeadFileUpload{Name: "开发区体制机制改革方案.docx", Data: buf.Bytes()})
	if err != nil {
		return err
	}
	if _, err := st.AddCampaignMaterial(ctx, act(office), office, c2.ID, up); err != nil {
		return fmt.Errorf("study material: %w", err)
	}
	if _, err = st.CampaignAction(ctx, act(office), office, c2.ID, c2.Version, xinlu.CampaignOpenAction); err != nil {
		return err
	}
	at(today)
	for i, m := range members {
		if i%6 != 0 && m.ID != users["member"].MemberID {
			continue
		}
		u := writer(m)
		r, err := st.SaveReflection(ctx, xinlu.Actor{ZoneID: z.ID, Name: m.Name}, u, c2.ID, 0, demoReflection(rng, m.Name, depts[m.DepartmentID], 820))
		if err != nil {
			return err
		}
		if m.ID != users["member"].MemberID && i%12 == 0 {
			if _, err := st.SubmitReflection(ctx, xinlu.Actor{ZoneID: z.ID, Name: m.Name}, u, r.ID, r.Version); err != nil {
				return err
			}
		}
	}
	return nil
}

// seedStudySessions records three discussion sessions of campaign c: two
// of the head's department (the head records them), one of another (the
// office does), each with one member on leave and one absent.
func seedStudySessions(ctx context.Context, st *store.Store, c *xinlu.Campaign, office, head *xinlu.User,
	act func(*xinlu.User) xinlu.Actor, opens time.Time) error {
	var other int64
	audience, err := st.SessionMembers(ctx, c, head.DepartmentID)
	if err != nil || len(audience) < 3 {
		return fmt.Errorf("study sessions: the head's department has %d members: %v", len(audience), err)
	}
	_, comp, err := st.StudyCompletion(ctx, office, c.ID)
	if err != nil {
		return err
	}
	for _, d := range comp.Departments {
		if d.DepartmentID != head.DepartmentID && d.DepartmentID != 0 && d.Asked >= 3 {
			other = d.DepartmentID
			break
		}
	}
	places := []string{"管委会三楼会议室", "招商服务中心二楼会议室", "党员活动室"}
	minutes := []string{
		"会议传达学习了全省开发区改革推进会讲话精神。大家结合本部门招商工作谈认识：一是解放思想，敢于打破条条框框；二是把审批提速落到每一个项目上；三是主动走出去，开展产业链招商。会议要求每人提交学习心得，部门负责人逐篇审阅。",
		"围绕“结合本职谈改革”开展专题讨论。发言同志谈到项目推进中的堵点，提出建立周调度、月通报制度，把问题清单变成责任清单。会议明确了下一阶段招商任务和分工。",
		"座谈会邀请基层同志谈体会。大家认为，改革的关键在于转变作风，把服务企业的链条拉长，把企业的难事当作自己的事。会议对心得体会撰写提出了具体要求。",
	}
	plan := []struct {
		dept int64
		by   *xinlu.User
		day  time.Time
	}{{head.DepartmentID, head, opens.AddDate(0, 0, 3)}, {head.DepartmentID, head, opens.AddDate(0, 0, 10)}, {other, office, opens.AddDate(0, 0, 7)}}
	for k, p := range plan {
		if p.dept == 0 {
			continue
		}
		members, err := st.SessionMembers(ctx, c, p.dept)
		if err != nil {
			return err
		}
		ss := &xinlu.StudySession{DepartmentID: p.dept, HeldOn: p.day.Format(xinlu.DateLayout), Place: places[k], Minutes: minutes[k]}
		ss.ChairID = members[0].MemberID
		if p.dept == head.DepartmentID && head.MemberID != 0 {
			ss.ChairID = head.MemberID
		}
		for j, m := range members {
			a := xinlu.Attendance{MemberID: m.MemberID, Status: xinlu.AttendPresent}
			switch j {
			case len(members) - 1:
				a.Status, a.Reason = xinlu.AttendLeave, []string{"外出招商", "参加省里培训", "病假"}[k]
			case len(members) - 2:
				if k != 1 {
					a.Status = xinlu.AttendAbsent
				}
			}
			ss.Attendance = append(ss.Attendance, a)
			if a.Status == xinlu.AttendPresent && len(ss.SpeakerIDs) < 3+k {
				ss.SpeakerIDs = append(ss.SpeakerIDs, m.MemberID)
			}
		}
		st.SetClock(func() time.Time { return p.day.Add(10 * time.Hour) })
		if _, err := st.SaveStudySession(ctx, act(p.by), p.by, c.ID, ss, 0); err != nil {
			return fmt.Errorf("study session %d: %w", k+1, err)
		}
	}
	return nil
}
