package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// addLeadUser gives the lead fixture one more account with a member record
// in the screener's department.
func (f *leadFixture) addLeadUser(t *testing.T, name string, role xinlu.Role) *xinlu.User {
	t.Helper()
	ctx := context.Background()
	dept := f.users["screener"].DepartmentID
	m := &xinlu.Member{ZoneID: f.zone.ID, DepartmentID: dept, StaffNo: "LX" + name, Name: "成员" + name}
	if err := f.s.CreateMember(ctx, f.sys, m); err != nil {
		t.Fatal(err)
	}
	u := &xinlu.User{ZoneID: f.zone.ID, Username: name, Name: "用户" + name, Roles: []xinlu.Role{role}, PasswordHash: "x",
		MemberID: m.ID, DepartmentID: dept}
	if err := f.s.CreateUser(ctx, f.sys, u); err != nil {
		t.Fatal(err)
	}
	f.users[name] = u
	return u
}

func (f *leadFixture) raise(who string, leadID int64, reason string) (*xinlu.LeadDispute, error) {
	return f.s.RaiseLeadDispute(context.Background(), f.actor(who), f.users[who], leadID, reason)
}

func (f *leadFixture) decide(who string, leadID int64, d *xinlu.LeadDispute, version int, action xinlu.DisputeAction, note string) (*xinlu.LeadDispute, error) {
	return f.s.DecideLeadDispute(context.Background(), f.actor(who), f.users[who], leadID, d.ID, version,
		xinlu.DisputeDecision{Action: action, Note: note, DecidingBody: "甄别专班会议", DecidedOn: f.s.LeadToday().Format(xinlu.DateLayout)})
}

// mergedTrio is a lead reported by reporter with two later duplicates, by
// peer and by sponsor, merged into it: reporter keeps the credit, peer and
// sponsor are its co-reporters.
func (f *leadFixture) mergedTrio(t *testing.T) (survivor, byPeer, bySponsor *xinlu.Lead) {
	t.Helper()
	survivor, _ = f.report(t, "reporter", "山西华晋新材料股份有限公司", "碳纤维")
	byPeer, _ = f.report(t, "peer", "华晋新材料（太原）有限公司", "碳纤维")
	bySponsor, _ = f.report(t, "sponsor", "华晋新材料有限公司", "碳纤维")
	for _, l := range []*xinlu.Lead{byPeer, bySponsor} {
		if _, err := f.step("screener", l, xinlu.LeadStep{Action: xinlu.LeadMerge, MergeInto: survivor.ID}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := f.s.LeadFor(context.Background(), f.users["screener"], survivor.ID)
	if err != nil || got.ReporterID != f.users["reporter"].MemberID {
		t.Fatalf("survivor %+v %v", got, err)
	}
	*survivor = *got
	return survivor, byPeer, bySponsor
}

func disputeKey(err error) string { return xinlu.AsError(err).Key }

const disputeReason = "我在三月的中博会上最早接触该企业，有会谈纪要为证"

func TestLeadDisputeRaise(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		f := seedLeads(t, s)
		ctx := context.Background()
		f.addLeadUser(t, "stranger", xinlu.RoleMember)
		survivor, byPeer, _ := f.mergedTrio(t)

		// The co-reporter cannot see the surviving lead, yet reaches its
		// disputes: their own only, the lead without contact details.
		if _, err := s.LeadFor(ctx, f.users["peer"], survivor.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("peer sees the survivor: %v", err)
		}
		ds, err := s.LeadDisputesFor(ctx, f.users["peer"], survivor.ID)
		if err != nil || ds.InView || !ds.Standing.CoReporter || len(ds.Disputes) != 0 || ds.Lead.ContactPhone != "" || ds.Lead.ContactName != "" {
			t.Fatalf("peer's view of the disputes: %+v %v", ds, err)
		}
		// A stranger who cannot see the lead: not found; a head who sees it
		// but is no party: forbidden; the reporter: forbidden.
		if _, err := s.LeadDisputesFor(ctx, f.users["stranger"], survivor.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("stranger lists: %v", err)
		}
		if _, err := f.raise("stranger", survivor.ID, disputeReason); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("stranger raises: %v", err)
		}
		if _, err := f.raise("head", survivor.ID, disputeReason); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN || disputeKey(err) != "leads.dispute_not_party" {
			t.Fatalf("head raises: %v", err)
		}
		if _, err := f.raise("reporter", survivor.ID, disputeReason); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN || disputeKey(err) != "leads.dispute_own_credit" {
			t.Fatalf("reporter raises: %v", err)
		}
		if _, err := f.raise("admin", survivor.ID, disputeReason); xinlu.ErrorCode(err) == "" {
			t.Fatal("an account without a member record raised a dispute")
		}
		// Reasons: required, at least 10 characters.
		if _, err := f.raise("peer", survivor.ID, "  "); xinlu.ErrorCode(err) != xinlu.EINVALID || xinlu.AsError(err).Field != "reason" {
			t.Fatalf("empty reason: %v", err)
		}
		if _, err := f.raise("peer", survivor.ID, "是我先报的"); disputeKey(err) != "leads.dispute_reason_short" {
			t.Fatalf("short reason: %v", err)
		}
		// The co-reporter raises; a second time is refused.
		d, err := f.raise("peer", survivor.ID, "  "+disputeReason+"\n")
		if err != nil || d.ID == 0 || d.Status != xinlu.DisputeOpen || d.Reason != disputeReason || d.Version != 1 ||
			d.DisputantID != f.users["peer"].MemberID || d.ReporterID != f.users["reporter"].MemberID || d.DisputantName != "成员peer" {
			t.Fatalf("raise: %+v %v", d, err)
		}
		if _, err := f.raise("peer", survivor.ID, disputeReason); xinlu.ErrorCode(err) != xinlu.ECONFLICT || disputeKey(err) != "leads.dispute_open_exists" {
			t.Fatalf("raise twice: %v", err)
		}
		// On the merged lead itself: its reporter is the peer, the credit is elsewhere.
		if _, err := f.raise("peer", byPeer.ID, disputeReason); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("raise on the merged lead: %v", err)
		}
		// Listing: the screener sees all, the peer theirs, with names.
		ds, err = s.LeadDisputesFor(ctx, f.users["screener"], survivor.ID)
		if err != nil || !ds.InView || len(ds.Disputes) != 1 || ds.Disputes[0].ReporterName != "成员reporter" || ds.Lead.ContactPhone != "13812345678" {
			t.Fatalf("screener lists: %+v %v", ds, err)
		}
		ds, err = s.LeadDisputesFor(ctx, f.users["peer"], survivor.ID)
		if err != nil || len(ds.Disputes) != 1 || ds.Standing.Previous == nil || ds.Disputes[0].RaisedOn != s.LeadToday().Format(xinlu.DateLayout) {
			t.Fatalf("peer lists: %+v %v", ds, err)
		}
		// Audited on the lead.
		entries, n, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: f.zone.ID, Entity: "lead", EntityID: survivor.ID, Action: "lead.dispute_raise"})
		if err != nil || n != 1 || !strings.Contains(entries[0].After, disputeReason) || entries[0].ActorID != f.users["peer"].ID {
			t.Fatalf("audit %+v %d %v", entries, n, err)
		}
	})
}

func TestLeadDisputeUpholdMovesCredit(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		f := seedLeads(t, s)
		ctx := context.Background()
		survivor, byPeer, bySponsor := f.mergedTrio(t)
		d, err := f.raise("peer", survivor.ID, disputeReason)
		if err != nil {
			t.Fatal(err)
		}
		other, err := f.raise("sponsor", survivor.ID, "项目是我牵头对接的，应认定我为首报人")
		if err != nil {
			t.Fatal(err)
		}
		// Only the screening task force decides; inputs are checked.
		if _, err := f.decide("sponsor", survivor.ID, d, 1, xinlu.DisputeUphold, "异议成立"); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("sponsor decides: %v", err)
		}
		if _, err := f.decide("screener", survivor.ID, d, 1, xinlu.DisputeUphold, " "); disputeKey(err) != "leads.dispute_note_required" {
			t.Fatalf("no note: %v", err)
		}
		if _, err := s.DecideLeadDispute(ctx, f.actor("screener"), f.users["screener"], survivor.ID, d.ID, 1,
			xinlu.DisputeDecision{Action: xinlu.DisputeUphold, Note: "异议成立", DecidingBody: "甄别专班会议", DecidedOn: "2099-01-01"}); disputeKey(err) != "leads.dispute_decided_future" {
			t.Fatalf("a decision in the future: %v", err)
		}
		if _, err := f.decide("screener", survivor.ID, d, 7, xinlu.DisputeUphold, "异议成立"); xinlu.ErrorCode(err) != xinlu.ECONFLICT || disputeKey(err) != "error.stale" {
			t.Fatalf("stale: %v", err)
		}
		// A dispute of another lead is not found through this one.
		if _, err := f.decide("screener", byPeer.ID, d, 1, xinlu.DisputeUphold, "异议成立"); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("through another lead: %v", err)
		}

		up, err := f.decide("screener", survivor.ID, d, 1, xinlu.DisputeUphold, "经甄别专班核实，异议人最早接触企业")
		if err != nil || up.Status != xinlu.DisputeUpheld || up.Version != 2 || up.FormerReporterID != f.users["reporter"].MemberID ||
			up.DecidingBody != "甄别专班会议" || up.DecidedBy != f.users["screener"].ID || up.DecidedAt.IsZero() {
			t.Fatalf("uphold: %+v %v", up, err)
		}
		// The credit moved: the peer reports the lead, the former reporter
		// is a co-reporter in the peer's place, the sponsor stays one.
		l, err := s.LeadFor(ctx, f.users["screener"], survivor.ID)
		if err != nil || l.ReporterID != f.users["peer"].MemberID || l.ReporterName != "成员peer" || l.Version != survivor.Version+1 {
			t.Fatalf("after uphold: %+v %v", l, err)
		}
		cos, err := s.LeadCoReporters(ctx, f.zone.ID, survivor.ID)
		if err != nil || len(cos) != 2 {
			t.Fatalf("co-reporters %+v %v", cos, err)
		}
		got := map[int64]int64{}
		for _, c := range cos {
			got[c.MemberID] = c.MergedLeadID
		}
		if got[f.users["reporter"].MemberID] != byPeer.ID || got[f.users["sponsor"].MemberID] != bySponsor.ID || got[f.users["peer"].MemberID] != 0 {
			t.Fatalf("co-reporters after uphold %+v", cos)
		}
		// Everywhere the reporter shows: the peer's own list now has it, the
		// former reporter's does not.
		if _, err := s.LeadFor(ctx, f.users["peer"], survivor.ID); err != nil {
			t.Fatalf("the new reporter reads the lead: %v", err)
		}
		mine, _, err := s.ListLeads(ctx, store.LeadFilter{Scope: f.users["reporter"].Filter(xinlu.PermLeadView)})
		if err != nil || len(mine) != 0 {
			t.Fatalf("the former reporter's leads: %+v %v", mine, err)
		}
		// Final: decided again names the status; the parties cannot raise again.
		if _, err := f.decide("screener", survivor.ID, d, 2, xinlu.DisputeReject, "再议"); xinlu.ErrorCode(err) != xinlu.ECONFLICT || disputeKey(err) != "leads.dispute_state" {
			t.Fatalf("decide twice: %v", err)
		}
		if _, err := f.raise("peer", survivor.ID, disputeReason); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN || disputeKey(err) != "leads.dispute_own_credit" {
			t.Fatalf("the new reporter raises: %v", err)
		}
		if _, err := f.raise("reporter", survivor.ID, "线索最早由我上报，请重新认定"); xinlu.ErrorCode(err) != xinlu.ECONFLICT || disputeKey(err) != "leads.dispute_credit_decided" {
			t.Fatalf("the former reporter disputes back: %v", err)
		}
		// The former reporter, now outside the lead's view, still sees the
		// decision that moved the credit.
		ds, err := s.LeadDisputesFor(ctx, f.users["reporter"], survivor.ID)
		if err != nil || ds.InView || len(ds.Disputes) != 1 || ds.Disputes[0].ID != d.ID || !ds.Standing.LostCredit {
			t.Fatalf("the former reporter's view: %+v %v", ds, err)
		}
		// The other open dispute moved to a new version: the credit it
		// contests changed. Rejected, the credit stays with the peer.
		if _, err := f.decide("screener", survivor.ID, other, 1, xinlu.DisputeReject, "证据不足"); disputeKey(err) != "error.stale" {
			t.Fatalf("the other dispute at its old version: %v", err)
		}
		rej, err := f.decide("screener", survivor.ID, other, 2, xinlu.DisputeReject, "证据不足，维持原认定")
		if err != nil || rej.Status != xinlu.DisputeRejected || rej.FormerReporterID != 0 {
			t.Fatalf("reject: %+v %v", rej, err)
		}
		if l, _ := s.LeadFor(ctx, f.users["screener"], survivor.ID); l.ReporterID != f.users["peer"].MemberID || l.Version != survivor.Version+1 {
			t.Fatalf("reject moved the credit: %+v", l)
		}
		if _, err := f.raise("sponsor", survivor.ID, disputeReason); xinlu.ErrorCode(err) != xinlu.ECONFLICT || disputeKey(err) != "leads.dispute_decided" {
			t.Fatalf("raise after a decision: %v", err)
		}
		// Audit: raises, decisions and the move with both reporters.
		entries, _, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: f.zone.ID, Entity: "lead", EntityID: survivor.ID, Action: "lead.", Page: xinlu.Page{PerPage: 50}})
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, e := range entries {
			count[e.Action]++
			if e.Action == "lead.credit_move" {
				var before, after map[string]any
				if json.Unmarshal([]byte(e.Before), &before) != nil || json.Unmarshal([]byte(e.After), &after) != nil {
					t.Fatalf("credit move row %+v", e)
				}
				if int64(before["reporter_id"].(float64)) != f.users["reporter"].MemberID || int64(after["reporter_id"].(float64)) != f.users["peer"].MemberID ||
					after["from_reporter_name"] != "成员reporter" || after["to_reporter_name"] != "成员peer" || int64(after["dispute_id"].(float64)) != d.ID {
					t.Fatalf("credit move before %v after %v", before, after)
				}
			}
		}
		if count["lead.dispute_raise"] != 2 || count["lead.dispute_uphold"] != 1 || count["lead.dispute_reject"] != 1 || count["lead.credit_move"] != 1 {
			t.Fatalf("audit rows %v", count)
		}
	})
}

func TestLeadDisputeRejectKeepsCredit(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		f := seedLeads(t, s)
		ctx := context.Background()
		survivor, _, _ := f.mergedTrio(t)
		d, err := f.raise("peer", survivor.ID, disputeReason)
		if err != nil {
			t.Fatal(err)
		}
		rej, err := f.decide("screener", survivor.ID, d, 1, xinlu.DisputeReject, "上报时间以系统记录为准，维持原认定")
		if err != nil || rej.Status != xinlu.DisputeRejected || rej.DecisionNote != "上报时间以系统记录为准，维持原认定" {
			t.Fatalf("reject: %+v %v", rej, err)
		}
		l, err := s.LeadFor(ctx, f.users["screener"], survivor.ID)
		if err != nil || l.ReporterID != f.users["reporter"].MemberID || l.Version != survivor.Version {
			t.Fatalf("after reject: %+v %v", l, err)
		}
		cos, _ := s.LeadCoReporters(ctx, f.zone.ID, survivor.ID)
		if len(cos) != 2 {
			t.Fatalf("co-reporters %+v", cos)
		}
		if _, err := f.raise("peer", survivor.ID, disputeReason); disputeKey(err) != "leads.dispute_decided" {
			t.Fatalf("raise after rejection: %v", err)
		}
		if _, n, _ := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: f.zone.ID, Entity: "lead", EntityID: survivor.ID, Action: "lead.credit_move"}); n != 0 {
			t.Fatalf("%d credit moves on a rejection", n)
		}
	})
}

func TestLeadDisputeDeciderIsNoParty(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		f := seedLeads(t, s)
		f.addLeadUser(t, "screener2", xinlu.RoleScreener)
		// The screener reported first and holds the credit; a second
		// screener is a co-reporter.
		first, _ := f.report(t, "screener", "太原重型机械集团有限公司", "智能矿山装备")
		second, _ := f.report(t, "screener2", "太原重型机械集团", "智能矿山装备")
		if _, err := f.step("screener", second, xinlu.LeadStep{Action: xinlu.LeadMerge, MergeInto: first.ID}); err != nil {
			t.Fatal(err)
		}
		d, err := f.raise("screener2", first.ID, disputeReason)
		if err != nil {
			t.Fatal(err)
		}
		// Neither the current reporter nor the disputant decides.
		for _, who := range []string{"screener", "screener2"} {
			if _, err := f.decide(who, first.ID, d, 1, xinlu.DisputeUphold, "异议成立"); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN || disputeKey(err) != "leads.dispute_decider_party" {
				t.Fatalf("%s decides: %v", who, err)
			}
		}
		// A third screener may.
		f.addLeadUser(t, "screener3", xinlu.RoleScreener)
		if _, err := f.decide("screener3", first.ID, d, 1, xinlu.DisputeUphold, "异议成立"); err != nil {
			t.Fatalf("a third screener decides: %v", err)
		}
		l, _ := s.LeadFor(context.Background(), f.users["screener3"], first.ID)
		if l.ReporterID != f.users["screener2"].MemberID {
			t.Fatalf("credit after uphold: %+v", l)
		}
	})
}
