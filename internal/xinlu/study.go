package xinlu

import (
	"slices"
	"strings"
	"time"
	"unicode"
)

// Study campaigns (学习活动). The organisation office opens a campaign on a
// speech, a document or a theme; every member of its audience writes one
// reflection (心得体会) before it closes. A reflection is written as a
// draft, submitted, returned with the reviewer's comment and resubmitted
// as often as needed, and finally accepted (with a grade when the
// campaign grades). Submissions after the closing date are marked late.
// The member's department head reviews, or a reviewer the campaign names;
// nobody reviews their own reflection.

// CampaignStatus is where a study campaign stands.
type CampaignStatus string

const (
	CampaignDraft    CampaignStatus = "draft"    // 草稿: being prepared, not yet seen by the audience
	CampaignOpen     CampaignStatus = "open"     // 进行中: members write and submit
	CampaignClosed   CampaignStatus = "closed"   // 已结束: no more submissions; reviews go on
	CampaignArchived CampaignStatus = "archived" // 已归档
)

// CampaignStatuses lists the statuses in display order.
var CampaignStatuses = []CampaignStatus{CampaignDraft, CampaignOpen, CampaignClosed, CampaignArchived}

// CampaignAction moves a campaign on.
type CampaignAction string

const (
	CampaignOpenAction    CampaignAction = "open"
	CampaignCloseAction   CampaignAction = "close"
	CampaignArchiveAction CampaignAction = "archive"
)

// CampaignActions lists the actions in the order a campaign takes them.
var CampaignActions = []CampaignAction{CampaignOpenAction, CampaignCloseAction, CampaignArchiveAction}

// campaignMoves maps each action to the status it starts from and the one
// it leads to.
var campaignMoves = map[CampaignAction][2]CampaignStatus{
	CampaignOpenAction:    {CampaignDraft, CampaignOpen},
	CampaignCloseAction:   {CampaignOpen, CampaignClosed},
	CampaignArchiveAction: {CampaignClosed, CampaignArchived},
}

// Audience is who a campaign asks to write.
type Audience string

const (
	AudienceZone        Audience = "zone"        // every member of the zone
	AudienceDepartments Audience = "departments" // the members of the listed departments
	AudienceMembers     Audience = "members"     // the listed members
	AudienceTeams       Audience = "teams"       // the members of the listed teams (专班, 专业组), as the teams stand
)

// Audiences lists the audience kinds.
var Audiences = []Audience{AudienceZone, AudienceDepartments, AudienceTeams, AudienceMembers}

// Limits of a campaign, in characters.
const (
	DefaultMinReflection = 800
	MaxMinReflection     = 20000
	MaxReflection        = 50000
	MaxCampaignTitle     = 100
	MaxCampaignTheme     = 2000
	MaxCampaignSource    = 200000
	MaxReviewComment     = 2000
)

// Campaign is one study campaign.
type Campaign struct {
	ID            int64
	ZoneID        int64
	Title         string
	Theme         string
	SourceText    string // the material studied, pasted
	Audience      Audience
	DepartmentIDs []int64 // AudienceDepartments: the departments asked
	MemberIDs     []int64 // AudienceMembers: the members asked
	TeamIDs       []int64 // AudienceTeams: the teams asked
	// TeamMemberIDs are the members of TeamIDs today (read model): a
	// member who joins a team is asked from then on.
	TeamMemberIDs []int64
	ReviewerIDs   []int64 // members named to review besides department heads
	OpensOn       string  // YYYY-MM-DD
	ClosesOn      string  // YYYY-MM-DD, the last day to submit on time
	MinLength     int     // characters a reflection needs, blanks not counted
	Graded        bool    // reviewers grade (合格/良好/优秀) rather than only accept
	Status        CampaignStatus
	CreatedBy     int64
	Version       int
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Validate trims and checks the fields typed into a campaign's form,
// reporting every bad field at once.
func (c *Campaign) Validate() error {
	var errs FieldErrors
	errs.Add(cleanNames(textField{"campaign_title", &c.Title}))
	errs.Add(cleanTexts(textField{"theme", &c.Theme}, textField{"source_text", &c.SourceText}))
	switch n := len([]rune(c.Title)); {
	case errs.Has("campaign_title"):
	case n == 0:
		errs.Invalid("campaign_title", "error.required")
	case n > MaxCampaignTitle:
		errs.Invalid("campaign_title", "error.too_long", MaxCampaignTitle)
	}
	if !errs.Has("theme") && len([]rune(c.Theme)) > MaxCampaignTheme {
		errs.Invalid("theme", "error.too_long", MaxCampaignTheme)
	}
	if !errs.Has("source_text") && len([]rune(c.SourceText)) > MaxCampaignSource {
		errs.Invalid("source_text", "error.too_long", MaxCampaignSource)
	}
	switch c.Audience {
	case AudienceZone:
		c.DepartmentIDs, c.MemberIDs, c.TeamIDs = nil, nil, nil
	case AudienceDepartments:
		c.MemberIDs, c.TeamIDs = nil, nil
		if len(c.DepartmentIDs) == 0 {
			errs.Invalid("department_ids", "study.audience_departments_required")
		}
	case AudienceMembers:
		c.DepartmentIDs, c.TeamIDs = nil, nil
		if len(c.MemberIDs) == 0 {
			errs.Invalid("member_ids", "study.audience_members_required")
		}
	case AudienceTeams:
		c.DepartmentIDs, c.MemberIDs = nil, nil
		if len(c.TeamIDs) == 0 {
			errs.Invalid("team_ids", "study.audience_teams_required")
		}
	default:
		errs.Invalid("audience", "error.invalid_choice")
	}
	c.DepartmentIDs, c.MemberIDs, c.ReviewerIDs = uniqueIDs(c.DepartmentIDs), uniqueIDs(c.MemberIDs), uniqueIDs(c.ReviewerIDs)
	c.TeamIDs = uniqueIDs(c.TeamIDs)
	if c.MinLength == 0 {
		c.MinLength = DefaultMinReflection
	}
	if c.MinLength < 1 || c.MinLength > MaxMinReflection {
		errs.Invalid("min_length", "study.min_length_range", 1, MaxMinReflection)
	}
	var opens, closes time.Time
	c.OpensOn, c.ClosesOn = strings.TrimSpace(c.OpensOn), strings.TrimSpace(c.ClosesOn)
	for _, d := range []struct {
		field string
		s     *string
		t     *time.Time
	}{{"opens_on", &c.OpensOn, &opens}, {"closes_on", &c.ClosesOn, &closes}} {
		if *d.s == "" {
			errs.Invalid(d.field, "error.required")
			continue
		}
		t, err := ParseDate(*d.s)
		if err != nil {
			errs.Invalid(d.field, "error.date_format")
			continue
		}
		*d.t, *d.s = t, t.Format(DateLayout)
	}
	if !opens.IsZero() && !closes.IsZero() && closes.Before(opens) {
		errs.Invalid("closes_on", "study.closes_before_opens")
	}
	return errs.Err()
}

func uniqueIDs(ids []int64) []int64 {
	var out []int64
	for _, id := range ids {
		if id > 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// Asks reports whether the campaign asks member (of department dept) to
// write.
func (c *Campaign) Asks(member, dept int64) bool {
	switch c.Audience {
	case AudienceZone:
		return member > 0
	case AudienceDepartments:
		return dept > 0 && slices.Contains(c.DepartmentIDs, dept)
	case AudienceMembers:
		return slices.Contains(c.MemberIDs, member)
	case AudienceTeams:
		return member > 0 && slices.Contains(c.TeamMemberIDs, member)
	}
	return false
}

// CheckCampaignEdit decides whether u may change campaign c: the
// organisation office (PermStudyManage) and a campaign not yet archived.
// Once open, the audience and dates may still change (a late addition, a
// deadline moved), the grading mode not.
func CheckCampaignEdit(u *User, old, next *Campaign) error {
	if u == nil || !u.Can(PermStudyManage) {
		return Forbidden()
	}
	if old == nil {
		return nil
	}
	if old.Status == CampaignArchived || old.Status == CampaignClosed {
		return &Error{Code: ECONFLICT, Field: "status", Key: "study.campaign_state",
			Args: []any{LabelKey("study.campaign_status." + string(old.Status))}}
	}
	if old.Status != CampaignDraft && old.Graded != next.Graded {
		return Invalid("graded", "study.graded_fixed")
	}
	return nil
}

// CheckCampaignAction decides whether u may take action on c and returns
// the status it leads to: the organisation office (403), a known action
// (404), from the right status (409 naming the status). Opening needs a
// theme or source text to study.
func CheckCampaignAction(u *User, c *Campaign, action CampaignAction) (CampaignStatus, error) {
	move, ok := campaignMoves[action]
	if !ok {
		return "", NotFound("study.unknown_action")
	}
	if u == nil || !u.Can(PermStudyManage) {
		return "", Forbidden()
	}
	if c.Status != move[0] {
		return "", &Error{Code: ECONFLICT, Field: "status", Key: "study.campaign_state",
			Args: []any{LabelKey("study.campaign_status." + string(c.Status))}}
	}
	if action == CampaignOpenAction && c.Theme == "" && c.SourceText == "" {
		return "", Invalid("source_text", "study.open_needs_material")
	}
	return move[1], nil
}

// ReflectionStatus is where a reflection stands.
type ReflectionStatus string

const (
	ReflectionDraft       ReflectionStatus = "draft"       // 草稿
	ReflectionSubmitted   ReflectionStatus = "submitted"   // 已提交
	ReflectionReturned    ReflectionStatus = "returned"    // 已退回 (with the reviewer's comment)
	ReflectionResubmitted ReflectionStatus = "resubmitted" // 已重新提交
	ReflectionAccepted    ReflectionStatus = "accepted"    // 已通过
)

// ReflectionStatuses lists the statuses in display order.
var ReflectionStatuses = []ReflectionStatus{ReflectionDraft, ReflectionSubmitted, ReflectionReturned, ReflectionResubmitted, ReflectionAccepted}

// Awaiting reports whether a reflection in s waits for a review.
func (s ReflectionStatus) Awaiting() bool {
	return s == ReflectionSubmitted || s == ReflectionResubmitted
}

// Editable reports whether the author may change a reflection in s.
func (s ReflectionStatus) Editable() bool { return s == ReflectionDraft || s == ReflectionReturned }

// Grade is a reviewer's grade of an accepted reflection.
type Grade string

const (
	GradePass      Grade = "pass"      // 合格
	GradeGood      Grade = "good"      // 良好
	GradeExcellent Grade = "excellent" // 优秀
)

// Grades lists the grades from lowest to highest.
var Grades = []Grade{GradePass, GradeGood, GradeExcellent}

// Reflection is one member's reflection in one campaign.
type Reflection struct {
	ID            int64
	ZoneID        int64
	CampaignID    int64
	MemberID      int64
	DepartmentID  int64 // the member's department when the reflection began
	Body          string
	Status        ReflectionStatus
	Late          bool   // first submitted after the campaign's closing date
	SubmittedOn   string // the latest submission's date, YYYY-MM-DD
	ReviewComment string // the latest return's comment
	Grade         Grade  // accepted in a graded campaign
	Excellent     bool   // picked by the organisation office as an excellent reflection (优秀心得)
	ReviewerID    int64  // the account that returned or accepted it last
	ReviewedAt    time.Time
	Version       int
	CreatedAt     time.Time
	UpdatedAt     time.Time

	MemberName     string // read model
	DepartmentName string // read model
	ReviewerName   string // read model
	CampaignTitle  string // read model
}

// ReflectionLength counts the characters of a reflection as the minimum
// length counts them: blanks and line breaks do not count.
func ReflectionLength(body string) int {
	n := 0
	for _, r := range body {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// CheckReflectionSave decides whether u may save body as the text of r (nil
// for a first draft) in c, and returns body cleaned: the author, a member
// c asks (404 for anyone else), c open, r a draft or returned (409 naming
// its status), a text no longer than the limit (422). A draft may be short.
func CheckReflectionSave(u *User, c *Campaign, r *Reflection, body string) (string, error) {
	if u == nil || u.MemberID == 0 || !u.Can(PermStudyWrite) {
		return "", Forbidden()
	}
	if r != nil && r.MemberID != u.MemberID {
		return "", NotFound("error.not_found")
	}
	if r == nil && !c.Asks(u.MemberID, u.DepartmentID) {
		return "", NotFound("error.not_found")
	}
	if c.Status != CampaignOpen {
		return "", &Error{Code: ECONFLICT, Field: "status", Key: "study.campaign_not_open",
			Args: []any{LabelKey("study.campaign_status." + string(c.Status))}}
	}
	if r != nil && !r.Status.Editable() {
		return "", &Error{Code: ECONFLICT, Field: "status", Key: "study.reflection_state",
			Args: []any{LabelKey("study.reflection_status." + string(r.Status))}}
	}
	body, err := Text("body", body)
	if err != nil {
		return "", err
	}
	if len([]rune(body)) > MaxReflection {
		return "", Invalid("body", "error.too_long", MaxReflection)
	}
	return body, nil
}

// CheckReflectionSubmit decides whether u may submit r in c today, and
// returns the status it leads to and whether the submission is late:
// the author (404 otherwise), c open, r a draft or returned (409), the
// text at least the campaign's minimum length (422, saying how many
// characters it has). A first submission after c's closing date is late;
// a resubmission keeps the first one's mark.
func CheckReflectionSubmit(u *User, c *Campaign, r *Reflection, today time.Time) (ReflectionStatus, bool, error) {
	if _, err := CheckReflectionSave(u, c, r, r.Body); err != nil {
		return "", false, err
	}
	if n := ReflectionLength(r.Body); n < c.MinLength {
		return "", false, Invalid("body", "study.reflection_short", c.MinLength, n)
	}
	if r.Status == ReflectionReturned {
		return ReflectionResubmitted, r.Late, nil
	}
	return ReflectionSubmitted, truncateDay(today).Format(DateLayout) > c.ClosesOn, nil
}

// CanReview reports whether u may review r in c: never the author; the
// head of the department r belongs to (PermStudyReview for that
// department), or a reviewer c names.
func CanReview(u *User, c *Campaign, r *Reflection) bool {
	if u == nil || u.MemberID == 0 || u.MemberID == r.MemberID {
		return false
	}
	if slices.Contains(c.ReviewerIDs, u.MemberID) {
		return true
	}
	switch ScopeOf(u.Roles, PermStudyReview) {
	case ScopeZone, ScopeAllZones:
		return true
	case ScopeDepartment:
		return u.DepartmentID != 0 && u.DepartmentID == r.DepartmentID
	}
	return false
}

// ReviewAction is a reviewer's decision.
type ReviewAction string

const (
	ReviewReturn ReviewAction = "return"
	ReviewAccept ReviewAction = "accept"
)

// ReviewActions lists the decisions.
var ReviewActions = []ReviewAction{ReviewReturn, ReviewAccept}

// Review is a reviewer's decision as asked for.
type Review struct {
	Action  ReviewAction
	Comment string
	Grade   Grade
}

// CheckReview decides whether u may take rv on r in c and returns the
// status it leads to: a known action (404); a reviewer of r (403; the
// author is never one); c open or closed (409); r submitted or resubmitted
// (409 naming its status); a return needs a comment, an acceptance in a
// graded campaign a grade, and none in an ungraded one (422).
func CheckReview(u *User, c *Campaign, r *Reflection, rv *Review) (ReflectionStatus, error) {
	if !slices.Contains(ReviewActions, rv.Action) {
		return "", NotFound("study.unknown_action")
	}
	if u != nil && u.MemberID != 0 && u.MemberID == r.MemberID {
		return "", &Error{Code: EFORBIDDEN, Key: "study.review_own"}
	}
	if !CanReview(u, c, r) {
		return "", Forbidden()
	}
	if c.Status != CampaignOpen && c.Status != CampaignClosed {
		return "", &Error{Code: ECONFLICT, Field: "status", Key: "study.campaign_state",
			Args: []any{LabelKey("study.campaign_status." + string(c.Status))}}
	}
	if !r.Status.Awaiting() {
		return "", &Error{Code: ECONFLICT, Field: "status", Key: "study.reflection_state",
			Args: []any{LabelKey("study.reflection_status." + string(r.Status))}}
	}
	var errs FieldErrors
	errs.Add(cleanTexts(textField{"comment", &rv.Comment}))
	if !errs.Has("comment") && len([]rune(rv.Comment)) > MaxReviewComment {
		errs.Invalid("comment", "error.too_long", MaxReviewComment)
	}
	switch rv.Action {
	case ReviewReturn:
		rv.Grade = ""
		if rv.Comment == "" && !errs.Has("comment") {
			errs.Invalid("comment", "study.return_comment_required")
		}
	case ReviewAccept:
		switch {
		case c.Graded && rv.Grade == "":
			errs.Invalid("review_grade", "study.grade_required")
		case c.Graded && !slices.Contains(Grades, rv.Grade):
			errs.Invalid("review_grade", "error.invalid_choice")
		case !c.Graded && rv.Grade != "":
			errs.Invalid("review_grade", "study.grade_not_used")
		}
	}
	if err := errs.Err(); err != nil {
		return "", err
	}
	if rv.Action == ReviewReturn {
		return ReflectionReturned, nil
	}
	return ReflectionAccepted, nil
}

// CheckExcellent decides whether u may pick reflection r of campaign c as
// an excellent reflection (优秀心得), or take the pick back: the
// organisation office, once the reflection is accepted, while the campaign
// is open or closed (not archived).
func CheckExcellent(u *User, c *Campaign, r *Reflection) error {
	switch {
	case u == nil || !u.Can(PermStudyManage):
		return Forbidden()
	case c.Status != CampaignOpen && c.Status != CampaignClosed:
		return &Error{Code: ECONFLICT, Field: "status", Key: "study.campaign_state",
			Args: []any{LabelKey("study.campaign_status." + string(c.Status))}}
	case r.Status != ReflectionAccepted:
		return &Error{Code: ECONFLICT, Field: "status", Key: "study.excellent_not_accepted"}
	}
	return nil
}

// CompletionState is where one member of a campaign's audience stands.
type CompletionState string

const (
	CompletionMissing  CompletionState = "missing"  // nothing submitted (no reflection, or a draft)
	CompletionPending  CompletionState = "pending"  // submitted or resubmitted, awaiting review
	CompletionReturned CompletionState = "returned" // returned, to be resubmitted
	CompletionAccepted CompletionState = "accepted"
)

// CompletionStates lists the states in display order.
var CompletionStates = []CompletionState{CompletionAccepted, CompletionPending, CompletionReturned, CompletionMissing}

// StudyMember is a member of a campaign's audience.
type StudyMember struct {
	MemberID       int64
	Name           string
	DepartmentID   int64
	DepartmentName string
}

// MemberCompletion is one member's standing in a campaign.
type MemberCompletion struct {
	StudyMember
	State        CompletionState
	Late         bool // submitted after the closing date
	Overdue      bool // missing and the closing date passed
	ReflectionID int64
	Grade        Grade
}

// DepartmentCompletion counts one department's standing.
type DepartmentCompletion struct {
	DepartmentID   int64
	DepartmentName string
	Asked          int
	OnTime         int // submitted by the closing date (whatever the review)
	Late           int
	Missing        int
	Returned       int
	Pending        int
	Accepted       int
}

// Rate is the share of the department that submitted, 0–1.
func (d DepartmentCompletion) Rate() float64 {
	if d.Asked == 0 {
		return 0
	}
	return float64(d.OnTime+d.Late) / float64(d.Asked)
}

// Completion is a campaign's completion: every member asked, and the
// counts per department and in all.
type Completion struct {
	Members     []MemberCompletion
	Departments []DepartmentCompletion
	Total       DepartmentCompletion
}

// StudyCompletion computes the completion of c among audience (the
// members it asks) from their reflections, on today. Reflections of
// members outside the audience are not counted. Members are listed by
// department and name as audience lists them; departments in the order
// they first appear.
func StudyCompletion(c *Campaign, audience []StudyMember, reflections []*Reflection, today time.Time) *Completion {
	byMember := map[int64]*Reflection{}
	for _, r := range reflections {
		if r.CampaignID == c.ID {
			byMember[r.MemberID] = r
		}
	}
	past := truncateDay(today).Format(DateLayout) > c.ClosesOn
	out := &Completion{}
	deptAt := map[int64]int{}
	for _, m := range audience {
		mc := MemberCompletion{StudyMember: m, State: CompletionMissing}
		if r := byMember[m.MemberID]; r != nil {
			mc.ReflectionID = r.ID
			switch r.Status {
			case ReflectionSubmitted, ReflectionResubmitted:
				mc.State = CompletionPending
			case ReflectionReturned:
				mc.State = CompletionReturned
			case ReflectionAccepted:
				mc.State, mc.Grade = CompletionAccepted, r.Grade
			}
			mc.Late = r.Late && mc.State != CompletionMissing
		}
		mc.Overdue = mc.State == CompletionMissing && past
		out.Members = append(out.Members, mc)
		i, ok := deptAt[m.DepartmentID]
		if !ok {
			i = len(out.Departments)
			deptAt[m.DepartmentID] = i
			out.Departments = append(out.Departments, DepartmentCompletion{DepartmentID: m.DepartmentID, DepartmentName: m.DepartmentName})
		}
		for _, d := range []*DepartmentCompletion{&out.Departments[i], &out.Total} {
			d.Asked++
			switch mc.State {
			case CompletionMissing:
				d.Missing++
			case CompletionPending:
				d.Pending++
			case CompletionReturned:
				d.Returned++
			case CompletionAccepted:
				d.Accepted++
			}
			if mc.State != CompletionMissing {
				if mc.Late {
					d.Late++
				} else {
					d.OnTime++
				}
			}
		}
	}
	return out
}

// Files of study campaigns: a member may hand in their reflection as a
// Word document or a PDF instead of typing it, and the organisation office
// attaches the materials studied. A file passes the attachments' check by
// content (CheckLeadFile) and must be .docx or .pdf; its text is read on
// the server (never elsewhere) and counts as the reflection's text, for
// its length and the copying check, or as the campaign's material.
const MaxCampaignMaterials = 10

// StudyFile is a kept file: a reflection's (ReflectionID set) or a
// campaign's material (ReflectionID 0). TextLength is the length of the
// text read from it; 0 when none could be read (a scanned PDF).
type StudyFile struct {
	ID           int64
	ZoneID       int64
	CampaignID   int64
	ReflectionID int64
	Name         string
	ContentType  string
	Size         int64
	SHA256       string
	TextLength   int
	UploadedBy   int64
	CreatedAt    time.Time
}

// StudyFileUpload is an uploaded file whose type was decided and whose
// text was read.
type StudyFileUpload struct {
	Name        string // as kept (CheckStudyFile)
	ContentType string
	Data        []byte
	Text        string
}

// CheckStudyFile decides whether an upload may be kept as a reflection or
// a material: an attachment (CheckLeadFile) that is a Word document
// (.docx) or a PDF. It returns the detected type and the name to keep.
func CheckStudyFile(f LeadFileUpload) (contentType, name string, err error) {
	ct, name, err := CheckLeadFile(f)
	if err != nil {
		return "", "", err
	}
	if ct != TypeDOCX && ct != TypePDF {
		return "", "", Invalid("file", "study.file_type", name)
	}
	return ct, name, nil
}

// CheckMaterialEdit decides whether u may add or delete c's materials: as
// CheckCampaignEdit, the organisation office while the campaign is not
// closed.
func CheckMaterialEdit(u *User, c *Campaign) error {
	return CheckCampaignEdit(u, c, c)
}
