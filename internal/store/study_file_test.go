package store_test

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"xinlu/internal/docx"
	"xinlu/internal/report"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// wordOf writes paragraphs as a Word document.
func wordOf(t *testing.T, paras ...string) []byte {
	t.Helper()
	d := &docx.Document{Title: "心得"}
	for _, p := range paras {
		d.Blocks = append(d.Blocks, docx.Block{Text: p})
	}
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// workbookZip is the smallest package that passes for a workbook.
func workbookZip(t *testing.T) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		w, _ := zw.Create(n)
		w.Write([]byte("<x/>"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readStudyFile(t *testing.T, name string, data []byte) xinlu.StudyFileUpload {
	t.Helper()
	up, err := report.ReadStudyFile(xinlu.LeadFileUpload{Name: name, Data: data})
	if err != nil {
		t.Fatal(err)
	}
	return up
}

// scannedPDF is a page that only paints a picture: no text to read.
const scannedPDF = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n" +
	"3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>\nendobj\n4 0 obj\n<< /Length 31 >>\nstream\nq 595 0 0 842 0 0 cm /Im1 Do Q\nendstream\nendobj\n%%EOF\n"

func TestStudyFiles(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seedStudy(t, s)
		day := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return day })
		c := f.openCampaign(t, "2026-12-11")

		// The office attaches the speech as a Word document; a member may not.
		speech := "营商环境就是生产力。开发区要把审批时限压到最短，把服务企业的链条拉到最长，让每一个投资者都感受到真心实意的支持。"
		mat := readStudyFile(t, "讲话原文.docx", wordOf(t, "讲话原文", speech))
		if _, err := s.AddCampaignMaterial(ctx, f.actor("lixm"), f.users["lixm"], c.ID, mat); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("a member attaches material: %v", err)
		}
		m, err := s.AddCampaignMaterial(ctx, f.actor("office"), f.users["office"], c.ID, mat)
		if err != nil || m.Name != "讲话原文.docx" || m.TextLength == 0 {
			t.Fatalf("material: %+v %v", m, err)
		}
		if list, err := s.CampaignMaterials(ctx, f.users["lixm"], c.ID); err != nil || len(list) != 1 {
			t.Fatalf("the member's list of materials: %d %v", len(list), err)
		}
		// A spreadsheet is not a reflection or a material.
		if _, err := report.ReadStudyFile(xinlu.LeadFileUpload{Name: "a.xlsx", Data: workbookZip(t)}); xinlu.AsError(err).Key != "study.file_type" {
			t.Fatalf("a workbook: %v", err)
		}

		// Li hands in a Word document that copies the material's file.
		own := "我所在的部门负责企业服务，过去一件事要跑好几个窗口，群众意见很大。这次学习让我下决心把窗口合并起来。"
		up := readStudyFile(t, "李小明心得.docx", wordOf(t, "学习心得", speech, own))
		r, file, err := s.UploadReflection(ctx, f.actor("lixm"), f.users["lixm"], c.ID, 0, up)
		if err != nil || r.Status != xinlu.ReflectionDraft || !strings.Contains(r.Body, own) || file.ReflectionID != r.ID {
			t.Fatalf("upload: %+v %+v %v", r, file, err)
		}
		// A document longer than any reflection is refused, naming the file.
		long := readStudyFile(t, "长文.docx", wordOf(t, strings.Repeat("学", xinlu.MaxReflection+1)))
		if _, _, err := s.UploadReflection(ctx, f.actor("lixm"), f.users["lixm"], c.ID, r.Version, long); xinlu.AsError(err).Key != "study.file_text_too_long" {
			t.Fatalf("a document too long: %v", err)
		}
		// A scanned PDF is kept; the text stays as it was.
		scan := readStudyFile(t, "扫描件.pdf", []byte(scannedPDF))
		if scan.Text != "" || scan.ContentType != xinlu.TypePDF {
			t.Fatalf("scan read as %+v", scan)
		}
		r2, file2, err := s.UploadReflection(ctx, f.actor("lixm"), f.users["lixm"], c.ID, r.Version, scan)
		if err != nil || r2.Body != r.Body || r2.Version != r.Version || file2.TextLength != 0 {
			t.Fatalf("scan upload: %+v %+v %v", r2, file2, err)
		}
		if kept, err := s.ReflectionFile(ctx, r2); err != nil || kept.ID != file2.ID || kept.Name != "扫描件.pdf" {
			t.Fatalf("the kept file: %+v %v", kept, err)
		}
		// A PDF with Chinese text replaces it and its text is the reflection's.
		pdf, err := os.ReadFile("../pdftext/testdata/chromium.pdf")
		if err != nil {
			t.Fatal(err)
		}
		r3, _, err := s.UploadReflection(ctx, f.actor("lixm"), f.users["lixm"], c.ID, r2.Version, readStudyFile(t, "心得.pdf", pdf))
		if err != nil || !strings.Contains(r3.Body, "解放思想是推动改革的先导") {
			t.Fatalf("pdf upload: %+v %v", r3, err)
		}
		// Back to the Word document, and submitted.
		if r, _, err = s.UploadReflection(ctx, f.actor("lixm"), f.users["lixm"], c.ID, r3.Version, up); err != nil {
			t.Fatal(err)
		}
		if r, err = s.SubmitReflection(ctx, f.actor("lixm"), f.users["lixm"], r.ID, r.Version); err != nil {
			t.Fatal(err)
		}
		kept, _ := s.ReflectionFile(ctx, r)

		// The head's copying check finds the material file's words.
		rep, err := s.SimilarReflections(ctx, f.users["head1"], r.ID)
		if err != nil || len(rep.Matches) == 0 || rep.Matches[0].Kind != xinlu.SimilarSource || xinlu.SimilarPercent(rep.Matches[0].Score) < 40 {
			t.Fatalf("copying check: %+v %v", rep, err)
		}
		if !strings.Contains(rep.Texts[store.SimilarKey(xinlu.SimilarSource, c.ID)], speech) {
			t.Fatal("the material's text is not shown beside the reflection")
		}

		// Downloads: the author and the head; not a member of another department.
		for who, want := range map[string]xinlu.Code{"lixm": "", "head1": "", "office": "", "zhao": xinlu.ENOTFOUND, "wangf": xinlu.ENOTFOUND} {
			got, data, err := s.StudyFileData(ctx, f.actor(who), f.users[who], kept.ID)
			if xinlu.ErrorCode(err) != want {
				t.Errorf("%s downloads the reflection: %v", who, err)
			}
			if err == nil && (got.Name != "李小明心得.docx" || !bytes.Equal(data, up.Data)) {
				t.Errorf("%s got %s, %d bytes", who, got.Name, len(data))
			}
		}
		if _, _, err := s.StudyFileData(ctx, f.actor("wangf"), f.users["wangf"], m.ID); err != nil {
			t.Errorf("a member asked downloads the material: %v", err)
		}
		if _, _, err := s.StudyFileData(ctx, f.actor("zhao"), f.users["zhao"], m.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Errorf("a member not asked downloads the material: %v", err)
		}

		// The office deletes the material; the check no longer finds it.
		if err := s.DeleteCampaignMaterial(ctx, f.actor("head1"), f.users["head1"], c.ID, m.ID); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("the head deletes material: %v", err)
		}
		if err := s.DeleteCampaignMaterial(ctx, f.actor("office"), f.users["office"], c.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		rep, _ = s.SimilarReflections(ctx, f.users["head1"], r.ID)
		for _, x := range rep.Matches {
			if x.Kind == xinlu.SimilarSource && xinlu.SimilarPercent(x.Score) >= 40 {
				t.Fatalf("the deleted material still counts: %d%%", xinlu.SimilarPercent(x.Score))
			}
		}
		for action, want := range map[string]int{"study.material.upload": 1, "study.material.delete": 1, "study.reflection.upload": 4, "study.file.download": 4} {
			rows, _, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: f.zone.ID, Action: action, Page: xinlu.Page{Page: 1, PerPage: 20}})
			if err != nil || len(rows) != want {
				t.Errorf("%s: %d audit rows, want %d (%v)", action, len(rows), want, err)
			}
		}
	})
}
