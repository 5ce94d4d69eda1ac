package xinlu

import (
	"strconv"
	"strings"
	"time"
)

// A zone's settings of study campaigns: the copying check's thresholds
// (a share of a reflection found in another text at or above WarnPercent
// is pointed out to the reviewer, at or above FlagPercent marked as
// copied) and the appraisal points an excellent reflection (优秀心得)
// earns through the incentive ledger.
type StudySettings struct {
	ZoneID          int64
	WarnPercent     int
	FlagPercent     int
	ExcellentPoints int64 // hundredths of a point: 200 is 2 points; 0 earns none
	Version         int
	UpdatedAt       time.Time
}

// Bounds and defaults of the study settings.
const (
	DefaultWarnPercent     = 30
	DefaultFlagPercent     = 60
	DefaultExcellentPoints = 200
	MaxExcellentPoints     = 2000 // 20 points
)

// DefaultStudySettings are the settings of a zone that saved none.
func DefaultStudySettings(zoneID int64) StudySettings {
	return StudySettings{ZoneID: zoneID, WarnPercent: DefaultWarnPercent, FlagPercent: DefaultFlagPercent,
		ExcellentPoints: DefaultExcellentPoints, Version: 1}
}

// Validate checks the settings as typed, every field at once: thresholds
// 1–100 with the flag not below the warning, points 0–20.
func (st *StudySettings) Validate() error {
	var errs FieldErrors
	if st.WarnPercent < 1 || st.WarnPercent > 100 {
		errs.Invalid("warn_percent", "error.out_of_range", 1, 100)
	}
	switch {
	case st.FlagPercent < 1 || st.FlagPercent > 100:
		errs.Invalid("flag_percent", "error.out_of_range", 1, 100)
	case !errs.Has("warn_percent") && st.FlagPercent < st.WarnPercent:
		errs.Invalid("flag_percent", "study.flag_below_warn")
	}
	if st.ExcellentPoints < 0 || st.ExcellentPoints > MaxExcellentPoints {
		errs.Invalid("excellent_points", "error.out_of_range", 0, MaxExcellentPoints/100)
	}
	return errs.Err()
}

// SimilarLevel is how a copying-check match stands against the zone's
// thresholds.
type SimilarLevel string

const (
	SimilarNone SimilarLevel = ""     // below the warning threshold
	SimilarWarn SimilarLevel = "warn" // 重合较多: pointed out
	SimilarFlag SimilarLevel = "flag" // 疑似抄袭: marked
)

// Level places a match of share score (0–1) against the thresholds, in
// whole percent as the reviewer reads them.
func (st StudySettings) Level(score float64) SimilarLevel {
	pct := SimilarPercent(score)
	switch {
	case pct >= st.FlagPercent:
		return SimilarFlag
	case pct >= st.WarnPercent:
		return SimilarWarn
	}
	return SimilarNone
}

// CheckStudySettingsEdit decides whether u may change the zone's study
// settings (PermStudySettings: the organisation office, the appraisal
// office, the director).
func CheckStudySettingsEdit(u *User) error {
	if u == nil || !u.Can(PermStudySettings) {
		return Forbidden()
	}
	return nil
}

// Automatic incentive entries of excellent reflections: the reward
// "study:<reflection>:<n>" for the n-th pick, and the reversal
// "study-back:<reflection>:<n>" of an approved n-th reward when the pick
// is taken back.
const (
	AutoStudy     = "study"
	AutoStudyBack = "study-back"
)

// studyKey parses an Auto key of reflection rid: its prefix and n.
func studyKey(auto string, rid int64) (string, int, bool) {
	parts := strings.Split(auto, ":")
	if len(parts) != 3 || parts[1] != strconv.FormatInt(rid, 10) || (parts[0] != AutoStudy && parts[0] != AutoStudyBack) {
		return "", 0, false
	}
	n, err := strconv.Atoi(parts[2])
	if err != nil || n < 1 {
		return "", 0, false
	}
	return parts[0], n, true
}

// ExcellentEntries decides what picking reflection r as excellent (on),
// or taking the pick back, does to the incentive ledger, given the
// ledger's entries for r so far (entries: any order; others are ignored):
//
//   - a pick adds a reward proposal of points (an automatic proposal, like
//     a signing's reward, that an approver decides), unless a reward of an
//     earlier pick still stands (proposed, or approved and not reversed):
//     never counted twice; no points, no entry;
//   - taking it back withdraws a reward still proposed (withdraw, to be
//     marked rejected), or reverses an approved one with an approved
//     deduction of the same points (add); nothing when no reward stands.
//
// day is the date the entries carry; title names the campaign as their
// evidence.
func ExcellentEntries(r *Reflection, title string, on bool, points int64, day string, entries []*Incentive) (add, withdraw *Incentive) {
	var live *Incentive
	liveN, maxN := 0, 0
	reversed := map[int]bool{}
	for _, e := range entries {
		if prefix, n, ok := studyKey(e.Auto, r.ID); ok && prefix == AutoStudyBack {
			reversed[n] = true
		}
	}
	for _, e := range entries {
		prefix, n, ok := studyKey(e.Auto, r.ID)
		if !ok || prefix != AutoStudy {
			continue
		}
		maxN = max(maxN, n)
		if (e.Status == IncentiveProposed || e.Status == IncentiveApproved) && !reversed[n] && n >= liveN {
			live, liveN = e, n
		}
	}
	evidence := title
	if evidence == "" {
		evidence = strconv.FormatInt(r.CampaignID, 10)
	}
	base := Incentive{MemberID: r.MemberID, EvidenceType: EvidenceEvent, EvidenceText: evidence, OccurredOn: day}
	switch {
	case on && live == nil && points > 0:
		e := base
		e.Kind, e.Points, e.Status = IncentiveReward, points, IncentiveProposed
		e.Auto = AutoStudy + ":" + strconv.FormatInt(r.ID, 10) + ":" + strconv.Itoa(maxN+1)
		return &e, nil
	case !on && live != nil && live.Status == IncentiveProposed:
		return nil, live
	case !on && live != nil && live.Status == IncentiveApproved:
		e := base
		e.Kind, e.Points, e.Status = IncentivePenalty, -live.Points, IncentiveApproved
		e.Auto = AutoStudyBack + ":" + strconv.FormatInt(r.ID, 10) + ":" + strconv.Itoa(liveN)
		return &e, nil
	}
	return nil, nil
}
