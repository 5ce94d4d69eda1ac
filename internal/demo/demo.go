// Package demo fills a database with a realistic demo zone, so that a new
// user sees a living system: parks, departments, positions, about sixty
// staff with contracts, leaders' terms, teams, a holiday calendar and one
// account per role.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// ZoneCode is the code of the demo zone.
const ZoneCode = "demo"

// Login is one demo account as printed for the user.
type Login struct {
	Username string
	Password string // "" when unchanged since an earlier run
	Role     xinlu.Role
	Name     string
}

// Result says what Seed did.
type Result struct {
	Zone    *xinlu.Zone
	Created bool // false when the demo zone already existed and nothing changed
	Logins  []Login
}

// Options tune the demo.
type Options struct {
	Password string              // every demo user gets it, with no forced change; "" gives each a random one to change
	Today    time.Time           // the zone's current date, for contract dates
	Progress func(done, all int) // optional progress callback
}

// demoUsers names one account per role, after the role.
var demoUsers = []struct {
	role     xinlu.Role
	name     string
	dept     string
	position string
}{
	{xinlu.RoleAdmin, "演示管理员（三员合一，仅限演示）", "", ""},
	{xinlu.RoleSysAdmin, "系统管理员", "", ""},
	{xinlu.RoleSecAdmin, "安全管理员", "", ""},
	{xinlu.RoleAuditAdmin, "审计管理员", "", ""},
	{xinlu.RoleDirector, "王建国", "LEADERS", "管委会主任"},
	{xinlu.RoleMember, "李小明", "INVEST1", "招商专员"},
	{xinlu.RoleScreener, "张立新", "INVEST1", "招商专员"},
	{xinlu.RolePlanner, "陈思远", "PLANNING", "项目策划专员"},
	{xinlu.RoleSponsor, "刘振华", "LEADERS", "管委会副主任"},
	{xinlu.RoleAgent, "赵晓燕", "SERVICE", "代办专员"},
	{xinlu.RoleHead, "孙志强", "INVEST1", "部长"},
	{xinlu.RoleAppraiser, "周文静", "HR", "部长"},
	{xinlu.RoleDiscipline, "吴正平", "DISCIPLINE", "部长"},
	{xinlu.RoleFinance, "郑丽华", "FINANCE", "部长"},
	{xinlu.RoleAuditor, "冯审计", "", ""},
	{xinlu.RoleViewer, "市商务局", "", ""},
}

// Usernames lists the demo accounts in order.
func Usernames() []string {
	out := make([]string, len(demoUsers))
	for i, u := range demoUsers {
		out[i] = string(u.role)
	}
	return out
}

var departments = []struct{ code, name, parent string }{
	{"LEADERS", "管委会领导班子", ""},
	{"OFFICE", "党政办公室", ""},
	{"HR", "组织人事部（考核办）", ""},
	{"INVEST", "招商引资局", ""},
	{"INVEST1", "招商一部（智慧装备）", "INVEST"},
	{"INVEST2", "招商二部（生物医药）", "INVEST"},
	{"INVEST3", "招商三部（新材料）", "INVEST"},
	{"PLANNING", "项目策划部", ""},
	{"SERVICE", "企业服务局（代办中心）", ""},
	{"CONSTRUCTION", "规划建设局", ""},
	{"FINANCE", "财政金融部", ""},
	{"DISCIPLINE", "纪检监察室", ""},
}

// Seed creates the demo zone if it does not exist. A second run changes
// nothing and reports the existing accounts.
func Seed(ctx context.Context, st *store.Store, opt Options) (*Result, error) {
	if opt.Today.IsZero() {
		opt.Today = time.Now()
	}
	if z, err := st.ZoneByCode(ctx, ZoneCode); err == nil {
		res := &Result{Zone: z}
		for _, u := range demoUsers {
			res.Logins = append(res.Logins, Login{Username: string(u.role), Role: u.role, Name: u.name})
		}
		return res, nil
	} else if xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
		return nil, err
	}
	sys := xinlu.SystemActor(0)
	z := &xinlu.Zone{Code: ZoneCode, Name: "新路经济技术开发区（示范）", Demo: true}
	if err := st.CreateZone(ctx, sys, z); err != nil {
		return nil, err
	}
	a := xinlu.SystemActor(z.ID)
	res := &Result{Zone: z, Created: true}
	rng := rand.New(rand.NewPCG(2026, 11))

	o, err := seedOrganisation(ctx, st, a, z)
	if err != nil {
		return nil, err
	}
	today := time.Date(opt.Today.Year(), opt.Today.Month(), opt.Today.Day(), 0, 0, 0, 0, time.UTC)

	// One account per role, each with a staff record but the outside viewer's.
	byRole := map[xinlu.Role]*xinlu.Member{}
	total := len(demoUsers)
	for i, du := range demoUsers {
		pw := opt.Password
		if pw == "" {
			pw = xinlu.RandomPassword()
		}
		hash, err := xinlu.HashPassword(pw)
		if err != nil {
			return nil, err
		}
		u := &xinlu.User{ZoneID: z.ID, Username: string(du.role), Name: du.name, Roles: []xinlu.Role{du.role},
			PasswordHash: hash, MustChangePassword: opt.Password == ""}
		if !du.role.IsAdminRole() && du.role != xinlu.RoleViewer && du.role != xinlu.RoleMember && du.role != xinlu.RoleAuditor {
			// Everyone in post reports leads too.
			u.Roles = append([]xinlu.Role{xinlu.RoleMember}, u.Roles...)
		}
		if du.dept != "" {
			m, err := o.addMember(ctx, st, a, z, rng, today, fmt.Sprintf("XL%03d", i+1), du.name, du.dept, du.position, xinlu.MemberActive)
			if err != nil {
				return nil, err
			}
			u.MemberID = m.ID
			byRole[du.role] = m
		}
		if err := st.CreateUser(ctx, a, u); err != nil {
			return nil, fmt.Errorf("user %s: %w", u.Username, err)
		}
		res.Logins = append(res.Logins, Login{Username: u.Username, Password: pw, Role: du.role, Name: du.name})
		if opt.Progress != nil {
			opt.Progress(i+1, total+1)
		}
	}
	if err := o.seedStaff(ctx, st, a, z, rng, today, byRole); err != nil {
		return nil, err
	}
	if err := seedUtilities(ctx, st, a, z, o, today); err != nil {
		return nil, fmt.Errorf("utilities: %w", err)
	}
	if err := seedCasting(ctx, st, a, z); err != nil {
		return nil, fmt.Errorf("casting: %w", err)
	}
	if err := seedEnterprises(ctx, st, a, z, today); err != nil {
		return nil, fmt.Errorf("enterprises: %w", err)
	}
	if err := seedPipeline(ctx, st, z, o, opt.Today); err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	if err := seedParcels(ctx, st, a, z, o, today); err != nil {
		return nil, fmt.Errorf("parcels: %w", err)
	}
	if err := tightenWater(ctx, st, a, z, o, today); err != nil {
		return nil, fmt.Errorf("water: %w", err)
	}
	if err := seedTargets(ctx, st, a, z, today); err != nil {
		return nil, fmt.Errorf("targets: %w", err)
	}
	if err := seedAppraisal(ctx, st, z, o, opt.Today); err != nil {
		return nil, fmt.Errorf("appraisal: %w", err)
	}
	if err := seedStudy(ctx, st, z, opt.Today); err != nil {
		return nil, fmt.Errorf("study: %w", err)
	}
	if err := seedReports(ctx, st, a, z, today); err != nil {
		return nil, fmt.Errorf("briefing and self-assessment: %w", err)
	}
	if opt.Progress != nil {
		opt.Progress(total+1, total+1)
	}
	return res, nil
}

// demoPhone makes a plausible mobile number.
func demoPhone(rng *rand.Rand) string {
	prefixes := []string{"138", "139", "135", "137", "150", "151", "186", "187", "133", "177"}
	return fmt.Sprintf("%s%08d", prefixes[rng.IntN(len(prefixes))], rng.IntN(100000000))
}

// demoIDNumber makes an identity number with a valid check digit, in a
// Shanxi area code, for a birth date between 1970 and 1999.
func demoIDNumber(rng *rand.Rand) string {
	areas := []string{"140702", "140721", "140722", "140105", "140106"}
	birth := time.Date(1970+rng.IntN(30), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
	body := fmt.Sprintf("%s%s%03d", areas[rng.IntN(len(areas))], birth.Format("20060102"), rng.IntN(1000))
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}
