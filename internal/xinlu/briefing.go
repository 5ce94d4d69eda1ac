package xinlu

import (
	"strings"
	"time"
	"unicode/utf8"
)

// The monthly briefing (月度通报) is a document of a month drawn from the
// zone's records: new leads by department, signings and funds in place,
// projects started and producing, what is red and whose it is, the
// appraisal ranking, rewards and penalties and the study campaigns. The
// director adds a comment and issues it; an issued briefing keeps its
// figures as they were on the day it was issued.

// BriefingFigures are a month's figures. They are stored as they are on
// issue (as JSON), so that later changes to the records leave an issued
// briefing as it was read.
type BriefingFigures struct {
	Month string `json:"month"` // YYYY-MM
	From  string `json:"from"`  // the month's first day
	To    string `json:"to"`    // its last day
	AsOf  string `json:"as_of"` // red items are reckoned on this day: today within the month, the month's last day after it
	Drawn string `json:"drawn"` // the day the figures were drawn (YYYY-MM-DD)

	Leads      []DepartmentCount `json:"leads"` // new leads by the reporter's department (duplicates merged away are not counted)
	LeadsTotal int               `json:"leads_total"`

	Signed      []BriefingProject   `json:"signed"` // projects signed in the month
	SignedYuan  int64               `json:"signed_yuan"`
	FundsYuan   int64               `json:"funds_yuan"`   // funds in place recorded for days of the month
	FundsCount  int                 `json:"funds_count"`  // projects they came to
	Started     []BriefingProject   `json:"started"`      // projects that started construction in the month
	Producing   []BriefingProject   `json:"producing"`    // projects that started production in the month
	Red         []RedItem           `json:"red"`          // overdue on AsOf, by kind then days late
	RedByKind   map[string]int      `json:"red_by_kind"`  // lead, project, approval, order
	RedByOwner  []DepartmentCount   `json:"red_by_owner"` // red items by the owner's department
	Ranking     *BriefingRanking    `json:"ranking,omitempty"`
	Incentives  []BriefingIncentive `json:"incentives"` // approved rewards and penalties that occurred in the month
	RewardYuan  int64               `json:"reward_yuan"`
	PenaltyYuan int64               `json:"penalty_yuan"`
	Study       []BriefingCampaign  `json:"study"` // campaigns open in or closing in the month
}

// DepartmentCount is a count for one department ("" is no department).
type DepartmentCount struct {
	Department string `json:"department"`
	Count      int    `json:"count"`
}

// BriefingProject is a project line of a briefing.
type BriefingProject struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Company string `json:"company"`
	Sponsor string `json:"sponsor"`
	On      string `json:"on"`   // the day it was signed, started or began producing
	Yuan    int64  `json:"yuan"` // the contract amount
}

// RedItem is one overdue record and who owns it.
type RedItem struct {
	Kind       string `json:"kind"` // lead, project, approval, order
	ID         int64  `json:"id"`
	ProjectID  int64  `json:"project_id"` // the project whose page shows it (0 for a lead)
	Name       string `json:"name"`
	Of         string `json:"of"`    // the company or project it belongs to
	Owner      string `json:"owner"` // the sponsor, agent or assignee; "" for a lead (the screening task force's) or an unassigned item
	Department string `json:"department"`
	Due        string `json:"due"`
	DaysLate   int    `json:"days_late"` // working days past due on AsOf
}

// RedKinds are the kinds of red items in the order a briefing lists them.
var RedKinds = []string{"project", "approval", "order", "lead"}

// BriefingRanking is the appraisal ranking of the month's period: how many
// in each band, and the members in the top and bottom bands.
type BriefingRanking struct {
	PeriodID int64        `json:"period_id"`
	Label    string       `json:"label"`
	Bands    map[Band]int `json:"bands"`
	Top      []RankLine   `json:"top"`
	Bottom   []RankLine   `json:"bottom"`
}

// RankLine is one ranked member.
type RankLine struct {
	Rank       int    `json:"rank"`
	Name       string `json:"name"`
	Department string `json:"department"`
	Score      int64  `json:"score"` // hundredths
}

// BriefingIncentive is one reward or penalty.
type BriefingIncentive struct {
	Kind       IncentiveKind `json:"kind"`
	Member     string        `json:"member"`
	Department string        `json:"department"`
	Reason     string        `json:"reason"`
	Yuan       int64         `json:"yuan"`
	Points     int64         `json:"points"`
	On         string        `json:"on"`
}

// BriefingCampaign is a study campaign's completion per department.
type BriefingCampaign struct {
	ID          int64              `json:"id"`
	Title       string             `json:"title"`
	OpensOn     string             `json:"opens_on"`
	ClosesOn    string             `json:"closes_on"`
	Status      CampaignStatus     `json:"status"`
	Departments []StudyDeptSummary `json:"departments"`
	Total       StudyDeptSummary   `json:"total"`
}

// StudyDeptSummary is one department's completion of a campaign: asked,
// submitted on time, late, and nothing submitted.
type StudyDeptSummary struct {
	Department string `json:"department"`
	Asked      int    `json:"asked"`
	OnTime     int    `json:"on_time"`
	Late       int    `json:"late"`
	Missing    int    `json:"missing"`
}

// Briefing is an issued briefing.
type Briefing struct {
	ID       int64
	ZoneID   int64
	Month    string
	Comment  string
	Figures  BriefingFigures
	IssuedBy string
	IssuedAt time.Time
}

// MaxBriefingComment is the longest director's comment, in characters.
const MaxBriefingComment = 2000

// MonthRange parses a month (YYYY-MM) into its first and last day.
func MonthRange(month string) (first, last time.Time, err error) {
	t, perr := time.Parse("2006-01", strings.TrimSpace(month))
	if perr != nil || t.Year() < 2000 || t.Year() > 2100 {
		return first, last, Invalid("month", "briefing.month_format")
	}
	return t, t.AddDate(0, 1, -1), nil
}

// CheckBriefingMonth refuses a month that has not begun on today.
func CheckBriefingMonth(month string, today time.Time) error {
	first, _, err := MonthRange(month)
	if err != nil {
		return err
	}
	if first.After(truncateDay(today)) {
		return Invalid("month", "briefing.month_future")
	}
	return nil
}

// BriefingAsOf is the day a month's red items are reckoned on: today while
// the month runs, its last day once it is over.
func BriefingAsOf(last, today time.Time) time.Time {
	if t := truncateDay(today); t.Before(last) {
		return t
	}
	return last
}

// CleanBriefingComment checks the director's comment: required, at most
// MaxBriefingComment characters.
func CleanBriefingComment(s string) (string, error) {
	s, err := Text("comment", s)
	switch {
	case err != nil:
		return s, err
	case s == "":
		return s, Invalid("comment", "error.required")
	case utf8.RuneCountInString(s) > MaxBriefingComment:
		return s, Invalid("comment", "error.too_long", MaxBriefingComment)
	}
	return s, nil
}

// Summarise adds up the red items by kind and by the owner's department
// (most first, then by name) and the rewards and penalties in yuan.
func (f *BriefingFigures) Summarise() {
	f.RedByKind = map[string]int{}
	for _, k := range RedKinds {
		f.RedByKind[k] = 0
	}
	byDept := map[string]int{}
	var order []string
	for _, r := range f.Red {
		f.RedByKind[r.Kind]++
		if r.Kind == "lead" { // the screening task force's, counted apart
			continue
		}
		if _, ok := byDept[r.Department]; !ok {
			order = append(order, r.Department)
		}
		byDept[r.Department]++
	}
	f.RedByOwner = f.RedByOwner[:0]
	for _, d := range order {
		f.RedByOwner = append(f.RedByOwner, DepartmentCount{Department: d, Count: byDept[d]})
	}
	sortCounts(f.RedByOwner)
	f.RewardYuan, f.PenaltyYuan = 0, 0
	for _, i := range f.Incentives {
		if i.Kind == IncentiveReward {
			f.RewardYuan = AddYuan(f.RewardYuan, i.Yuan)
		} else {
			f.PenaltyYuan = AddYuan(f.PenaltyYuan, i.Yuan)
		}
	}
	f.LeadsTotal = 0
	for _, d := range f.Leads {
		f.LeadsTotal += d.Count
	}
	f.SignedYuan = 0
	for _, p := range f.Signed {
		f.SignedYuan = AddYuan(f.SignedYuan, p.Yuan)
	}
}

// sortCounts orders counts most first, then by department name, with the
// count of no department last among equals.
func sortCounts(cs []DepartmentCount) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && countBefore(cs[j], cs[j-1]); j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

func countBefore(a, b DepartmentCount) bool {
	if a.Count != b.Count {
		return a.Count > b.Count
	}
	if (a.Department == "") != (b.Department == "") {
		return b.Department == ""
	}
	return a.Department < b.Department
}

// SummariseStudy counts a campaign's completion per department for a
// briefing: on time, late, and missing (nothing submitted).
func SummariseStudy(c *Campaign, comp *Completion) BriefingCampaign {
	out := BriefingCampaign{ID: c.ID, Title: c.Title, OpensOn: c.OpensOn, ClosesOn: c.ClosesOn, Status: c.Status}
	conv := func(name string, d DepartmentCompletion) StudyDeptSummary {
		return StudyDeptSummary{Department: name, Asked: d.Asked, OnTime: d.OnTime, Late: d.Late, Missing: d.Missing}
	}
	for _, d := range comp.Departments {
		out.Departments = append(out.Departments, conv(d.DepartmentName, d))
	}
	out.Total = conv("", comp.Total)
	return out
}
