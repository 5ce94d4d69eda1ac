package store_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Tiny files of each kind the tests upload.
var (
	tinyPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	tinyPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x00IEND\xaeB`\x82")
)

// tinyOOXML is an Office Open XML package with a part under dir
// ("word", "xl", "ppt").
func tinyOOXML(t testing.TB, dir string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range []string{"[Content_Types].xml", "_rels/.rels", dir + "/document.xml"} {
		w, err := zw.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><x/>`))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// auditRows returns the audit rows of a lead whose action starts with action.
func auditRows(t *testing.T, s *store.Store, zoneID, leadID int64, action string) []xinlu.AuditEntry {
	t.Helper()
	rows, _, err := s.ListAudit(context.Background(), xinlu.AuditFilter{ZoneID: zoneID, Entity: "lead", EntityID: leadID, Action: action,
		Page: xinlu.Page{PerPage: 100}})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func errKey(err error) (xinlu.Code, string) {
	e := xinlu.AsError(err)
	if err == nil {
		return "", ""
	}
	return e.Code, e.Key
}

func TestLeadFiles(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seedLeads(t, s)
		u := f.users
		// The reporter attaches a PDF and a PNG when reporting.
		l := &xinlu.Lead{Company: "山西华晋新材料股份有限公司", ProjectName: "碳纤维", Industry: "materials", ContactPhone: "13812345678"}
		if _, err := s.ReportLead(ctx, f.actor("reporter"), l,
			xinlu.LeadFileUpload{Name: `C:\fakepath\项目简介.pdf`, Data: tinyPDF}, xinlu.LeadFileUpload{Name: "现场.png", Data: tinyPNG}); err != nil {
			t.Fatal(err)
		}
		files, err := s.ListLeadFiles(ctx, xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: f.zone.ID}, l.ID)
		if err != nil || len(files) != 2 {
			t.Fatalf("%d files: %v", len(files), err)
		}
		sum := sha256.Sum256(tinyPDF)
		if p := files[0]; p.Name != "项目简介.pdf" || p.ContentType != xinlu.TypePDF || p.Size != int64(len(tinyPDF)) ||
			p.SHA256 != hex.EncodeToString(sum[:]) || p.UploadedBy != u["reporter"].ID || p.UploaderName != "用户reporter" || p.CreatedAt.IsZero() {
			t.Fatalf("the pdf: %+v", p)
		}
		if files[1].ContentType != xinlu.TypePNG {
			t.Fatalf("the png: %+v", files[1])
		}
		// A bad file refuses the whole report: no lead is kept.
		before, total, _ := s.ListLeads(ctx, store.LeadFilter{Scope: u["reporter"].Filter(xinlu.PermLeadView)})
		_, err = s.ReportLead(ctx, f.actor("reporter"), &xinlu.Lead{Company: "某某公司", ProjectName: "某项目", Industry: "other"},
			xinlu.LeadFileUpload{Name: "ok.pdf", Data: tinyPDF}, xinlu.LeadFileUpload{Name: "setup.pdf", Data: []byte("MZ\x90\x00\x03")})
		if c, k := errKey(err); c != xinlu.EINVALID || k != "leads.file_type" {
			t.Fatalf("report with an exe: %v", err)
		}
		if _, after, _ := s.ListLeads(ctx, store.LeadFilter{Scope: u["reporter"].Filter(xinlu.PermLeadView)}); after != total {
			t.Fatalf("a refused report left a lead: %d → %d (%d)", total, after, len(before))
		}

		add := func(who string, fs ...xinlu.LeadFileUpload) ([]*xinlu.LeadFile, error) {
			return s.AddLeadFiles(ctx, f.actor(who), u[who], l.ID, fs)
		}
		// Later, the reporter adds Office files; screeners and leaders may too.
		if got, err := add("reporter", xinlu.LeadFileUpload{Name: "方案.docx", Data: tinyOOXML(t, "word")},
			xinlu.LeadFileUpload{Name: "测算.xlsx", Data: tinyOOXML(t, "xl")}); err != nil || len(got) != 2 ||
			got[0].ContentType != xinlu.TypeDOCX || got[1].ContentType != xinlu.TypeXLSX || got[0].UploaderName != "用户reporter" {
			t.Fatalf("office files: %v", err)
		}
		screenerFile, err := add("screener", xinlu.LeadFileUpload{Name: "甄别意见.pdf", Data: tinyPDF})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := add("sponsor", xinlu.LeadFileUpload{Name: "领导批示.png", Data: tinyPNG}); err != nil {
			t.Fatal(err)
		}
		// Another member does not see the lead; the head sees it (department) but does not work it.
		if c, _ := errKey(mustFail(add("peer", xinlu.LeadFileUpload{Name: "a.pdf", Data: tinyPDF}))); c != xinlu.ENOTFOUND {
			t.Fatalf("peer uploads: %s", c)
		}
		if c, _ := errKey(mustFail(add("head", xinlu.LeadFileUpload{Name: "a.pdf", Data: tinyPDF}))); c != xinlu.EFORBIDDEN {
			t.Fatalf("head uploads: %s", c)
		}
		// What is refused, by content.
		for name, data := range map[string][]byte{
			"setup.pdf":  append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 100)...),
			"page.pdf":   []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"),
			"logo.png":   []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`),
			"empty.pdf":  {},
			"big.pdf":    append(append([]byte{}, tinyPDF...), make([]byte, xinlu.MaxLeadFileSize)...),
			"notes.docx": tinyOOXML(t, "docs"),
		} {
			_, err := add("reporter", xinlu.LeadFileUpload{Name: name, Data: data})
			if c, k := errKey(err); c != xinlu.EINVALID || !strings.HasPrefix(k, "leads.file_") {
				t.Errorf("%s: %v", name, err)
			}
		}
		// Six files so far; four more fit, the eleventh does not.
		for i := range 4 {
			if _, err := add("reporter", xinlu.LeadFileUpload{Name: "p" + string(rune('0'+i)) + ".pdf", Data: tinyPDF}); err != nil {
				t.Fatalf("file %d: %v", 7+i, err)
			}
		}
		if c, k := errKey(mustFail(add("screener", xinlu.LeadFileUpload{Name: "11.pdf", Data: tinyPDF}))); c != xinlu.EINVALID || k != "leads.file_count" {
			t.Fatalf("the 11th file: %s %s", c, k)
		}
		if ups := auditRows(t, s, f.zone.ID, l.ID, "lead.file_upload"); len(ups) != 10 {
			t.Fatalf("%d upload audit rows", len(ups))
		}

		// Downloads: whoever sees the lead, each audited; the bytes come back whole.
		pdf := files[0]
		for _, who := range []string{"reporter", "screener", "head"} {
			got, data, err := s.LeadFileData(ctx, f.actor(who), u[who], l.ID, pdf.ID)
			if err != nil || !bytes.Equal(data, tinyPDF) || got.Name != pdf.Name || got.ContentType != xinlu.TypePDF {
				t.Fatalf("%s downloads: %v", who, err)
			}
		}
		if _, _, err := s.LeadFileData(ctx, f.actor("peer"), u["peer"], l.ID, pdf.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("peer downloads: %v", err)
		}
		if _, _, err := s.LeadFileData(ctx, f.actor("reporter"), u["reporter"], l.ID, 999999); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("a file that does not exist: %v", err)
		}
		downloads := auditRows(t, s, f.zone.ID, l.ID, "lead.file_download")
		if len(downloads) != 3 || downloads[0].ActorName != "head" || !strings.Contains(downloads[0].After, pdf.SHA256) {
			t.Fatalf("download audit rows: %+v", downloads)
		}
		if strings.Contains(downloads[0].After, "PDF-1.4") {
			t.Fatal("the audit row holds the content")
		}

		// Deletes: the uploader or a screener.
		del := func(who string, id int64) error { return s.DeleteLeadFile(ctx, f.actor(who), u[who], l.ID, id) }
		if err := del("peer", pdf.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("peer deletes: %v", err)
		}
		if err := del("head", pdf.ID); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("head deletes: %v", err)
		}
		if err := del("reporter", screenerFile[0].ID); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("the reporter deletes the screener's file: %v", err)
		}
		if err := del("reporter", pdf.ID); err != nil {
			t.Fatalf("the reporter deletes their file: %v", err)
		}
		if err := del("screener", files[1].ID); err != nil {
			t.Fatalf("a screener deletes the reporter's file: %v", err)
		}
		if err := del("screener", files[1].ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("delete twice: %v", err)
		}
		dels := auditRows(t, s, f.zone.ID, l.ID, "lead.file_delete")
		if len(dels) != 2 || !strings.Contains(dels[1].Before, "项目简介.pdf") {
			t.Fatalf("delete audit rows: %+v", dels)
		}
		left, _ := s.LeadFilesFor(ctx, u["reporter"], l.ID)
		if len(left) != 8 {
			t.Fatalf("%d files left", len(left))
		}
		if _, err := s.LeadFilesFor(ctx, u["peer"], l.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("peer lists: %v", err)
		}

		// Closed: the reporter can no longer add or delete; screeners can.
		if _, err := f.step("screener", l, xinlu.LeadStep{Action: xinlu.LeadReject, Reason: "不符合产业定位"}); err != nil {
			t.Fatal(err)
		}
		if c, k := errKey(mustFail(add("reporter", xinlu.LeadFileUpload{Name: "b.pdf", Data: tinyPDF}))); c != xinlu.ECONFLICT || k != "leads.file_closed" {
			t.Fatalf("the reporter adds to a rejected lead: %s %s", c, k)
		}
		if err := del("reporter", left[0].ID); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("the reporter deletes from a rejected lead: %v", err)
		}
		if _, err := add("screener", xinlu.LeadFileUpload{Name: "b.pdf", Data: tinyPDF}); err != nil {
			t.Fatalf("a screener adds to a rejected lead: %v", err)
		}
	})
}

func mustFail[T any](_ T, err error) error { return err }

func TestRevealLeadContact(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seedLeads(t, s)
		appraiser := &xinlu.User{ZoneID: f.zone.ID, Username: "appraiser", Name: "用户appraiser", Roles: []xinlu.Role{xinlu.RoleAppraiser}, PasswordHash: "x"}
		if err := s.CreateUser(ctx, f.sys, appraiser); err != nil {
			t.Fatal(err)
		}
		f.users["appraiser"] = appraiser
		ours, _ := f.report(t, "reporter", "山西华晋新材料股份有限公司", "碳纤维") // reported in the head's department
		theirs, _ := f.report(t, "peer", "太原重型机械集团有限公司", "矿山装备")   // in another department
		reveal := func(who string, id int64, reason string) (*xinlu.Lead, error) {
			return s.RevealLeadContact(ctx, f.actor(who), f.users[who], id, reason)
		}

		// The head sees the phone masked, and may reveal it with a reason.
		if l, err := s.LeadFor(ctx, f.users["head"], ours.ID); err != nil || l.ContactPhone != "138****5678" {
			t.Fatalf("the head's view: %v %+v", err, l)
		}
		if !s.LeadRevealable(ctx, f.users["head"], ours.ID) || s.LeadRevealable(ctx, f.users["head"], theirs.ID) ||
			s.LeadRevealable(ctx, f.users["screener"], ours.ID) || !s.LeadRevealable(ctx, appraiser, theirs.ID) {
			t.Fatal("LeadRevealable")
		}
		for reason, key := range map[string]string{"": "personal.reason_required", "  看看 ": "personal.reason_too_short"} {
			if _, err := reveal("head", ours.ID, reason); xinlu.AsError(err).Key != key {
				t.Fatalf("reason %q: %v", reason, err)
			}
		}
		if _, err := reveal("screener", ours.ID, "联系企业安排考察"); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("without the permission: %v", err)
		}
		if _, err := reveal("head", theirs.ID, "联系企业安排考察"); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("outside the head's department: %v", err)
		}
		if rows := auditRows(t, s, f.zone.ID, ours.ID, "personal.reveal"); len(rows) != 0 {
			t.Fatalf("refused reveals were audited: %d", len(rows))
		}
		l, err := reveal("head", ours.ID, "联系企业安排考察")
		if err != nil || l.ContactPhone != "13812345678" {
			t.Fatalf("reveal: %v %+v", err, l)
		}
		rows := auditRows(t, s, f.zone.ID, ours.ID, "personal.reveal")
		if len(rows) != 1 || rows[0].ActorID != f.users["head"].ID || strings.Contains(rows[0].After, "13812345678") {
			t.Fatalf("reveal audit rows: %+v", rows)
		}
		var detail struct {
			LeadID int64 `json:"lead_id"`
			Fields []string
			Reason string
		}
		if err := json.Unmarshal([]byte(rows[0].After), &detail); err != nil || detail.LeadID != ours.ID ||
			len(detail.Fields) != 1 || detail.Fields[0] != "contact_phone" || detail.Reason != "联系企业安排考察" {
			t.Fatalf("reveal audit detail: %s", rows[0].After)
		}
		// The next view is masked again.
		if l, _ := s.LeadFor(ctx, f.users["head"], ours.ID); l.ContactPhone != "138****5678" {
			t.Fatalf("after the reveal: %q", l.ContactPhone)
		}
		// The appraisal office reaches the whole zone.
		if l, err := reveal("appraiser", theirs.ID, "核对线索来源"); err != nil || l.ContactPhone != "13812345678" {
			t.Fatalf("the appraiser reveals: %v", err)
		}
	})
}

// The files of a merged lead show on the lead it merged into, where the
// screening task force downloads and deletes them; they stay on the
// merged lead too, for its reporter.
func TestMergedLeadFilesShowOnTarget(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		f := seedLeads(t, s)
		ctx := context.Background()
		target, _ := f.report(t, "reporter", "太行重工装备有限公司", "矿山装备")
		merged := &xinlu.Lead{Company: "太行重工装备（集团）", ProjectName: "矿山装备", Industry: "equipment", Channel: "expo"}
		if _, err := s.ReportLead(ctx, f.actor("peer"), merged, xinlu.LeadFileUpload{Name: "考察报告.pdf", Data: tinyPDF}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddLeadFiles(ctx, f.actor("reporter"), f.users["reporter"], target.ID,
			[]xinlu.LeadFileUpload{{Name: "厂址照片.png", Data: tinyPNG}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.step("screener", merged, xinlu.LeadStep{Action: xinlu.LeadMerge, MergeInto: target.ID}); err != nil {
			t.Fatal(err)
		}
		files, err := s.LeadFilesFor(ctx, f.users["screener"], target.ID)
		if err != nil || len(files) != 2 {
			t.Fatalf("target's files: %v %d", err, len(files))
		}
		var fromMerged *xinlu.LeadFile
		for _, fl := range files {
			if fl.LeadID == merged.ID {
				fromMerged = fl
			}
		}
		if fromMerged == nil || fromMerged.Name != "考察报告.pdf" {
			t.Fatalf("the merged lead's file is not on the target: %+v", files)
		}
		got, data, err := s.LeadFileData(ctx, f.actor("screener"), f.users["screener"], target.ID, fromMerged.ID)
		if err != nil || got.ID != fromMerged.ID || !bytes.Equal(data, tinyPDF) {
			t.Fatalf("download through the target: %v", err)
		}
		// The target's reporter, who may not see the merged lead, sees neither
		// its file in the list nor through the target's download.
		if mine, err := s.LeadFilesFor(ctx, f.users["reporter"], target.ID); err != nil || len(mine) != 1 || mine[0].LeadID != target.ID {
			t.Fatalf("the target's reporter sees %+v %v", mine, err)
		}
		if _, _, err := s.LeadFileData(ctx, f.actor("reporter"), f.users["reporter"], target.ID, fromMerged.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("the merged lead's file through the target, by its reporter: %v", err)
		}
		// Its reporter still finds it on the lead they reported.
		if own, err := s.LeadFilesFor(ctx, f.users["peer"], merged.ID); err != nil || len(own) != 1 || own[0].ID != fromMerged.ID {
			t.Fatalf("the merged lead's own files: %v %+v", err, own)
		}
		// Another lead's file is not reachable through the target.
		other, _ := f.report(t, "reporter", "汾河药业股份有限公司", "原料药")
		if _, err := s.AddLeadFiles(ctx, f.actor("reporter"), f.users["reporter"], other.ID,
			[]xinlu.LeadFileUpload{{Name: "其他.pdf", Data: tinyPDF}}); err != nil {
			t.Fatal(err)
		}
		otherFiles, _ := s.ListLeadFiles(ctx, xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: f.zone.ID}, other.ID)
		if _, _, err := s.LeadFileData(ctx, f.actor("screener"), f.users["screener"], target.ID, otherFiles[0].ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("another lead's file through the target: %v", err)
		}
		if err := s.DeleteLeadFile(ctx, f.actor("screener"), f.users["screener"], target.ID, fromMerged.ID); err != nil {
			t.Fatal(err)
		}
		if files, _ := s.ListLeadFiles(ctx, xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: f.zone.ID}, target.ID); len(files) != 1 {
			t.Fatalf("after deleting: %d files", len(files))
		}
		del := auditRows(t, s, f.zone.ID, target.ID, "lead.file_delete")
		if len(del) != 1 || !strings.Contains(string(del[0].Before), `"lead_id":`+strconv.FormatInt(merged.ID, 10)) {
			t.Fatalf("delete audit: %+v", del)
		}
	})
}
