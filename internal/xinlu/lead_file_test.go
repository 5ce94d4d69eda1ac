package xinlu

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"net/http"
	"strings"
	"testing"
	"unicode/utf16"
)

// Samples of each accepted type, as small as they come.
var (
	samplePDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n" +
		"trailer << /Root 1 0 R >>\n%%EOF\n")
	samplePNG  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x00IEND\xaeB`\x82")
	sampleJPEG = []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xFF\xD9")
)

// ooxml is a zip with the given parts (each holding a little XML).
func ooxml(t testing.TB, parts ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
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

// ole2 is a compound file of 512-byte sectors whose directory holds a root
// entry and the named streams.
func ole2(names ...string) []byte {
	le := binary.LittleEndian
	hdr := make([]byte, 512)
	copy(hdr, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
	le.PutUint16(hdr[0x18:], 0x3E)
	le.PutUint16(hdr[0x1A:], 3)
	le.PutUint16(hdr[0x1C:], 0xFFFE)
	le.PutUint16(hdr[0x1E:], 9)
	le.PutUint16(hdr[0x20:], 6)
	le.PutUint32(hdr[0x2C:], 1)          // one FAT sector
	le.PutUint32(hdr[0x30:], 1)          // the directory starts at sector 1
	le.PutUint32(hdr[0x38:], 4096)       // mini stream cutoff
	le.PutUint32(hdr[0x3C:], 0xFFFFFFFE) // no mini FAT
	le.PutUint32(hdr[0x44:], 0xFFFFFFFE) // no DIFAT sectors
	for i := range 109 {
		le.PutUint32(hdr[0x4C+4*i:], 0xFFFFFFFF)
	}
	le.PutUint32(hdr[0x4C:], 0) // the FAT is sector 0
	fat := make([]byte, 512)
	for i := range 128 {
		le.PutUint32(fat[4*i:], 0xFFFFFFFF)
	}
	le.PutUint32(fat[0:], 0xFFFFFFFD) // sector 0: the FAT
	le.PutUint32(fat[4:], 0xFFFFFFFE) // sector 1: the directory, one sector
	dir := make([]byte, 512)
	entry := func(i int, name string, kind byte) {
		e := dir[128*i : 128*(i+1)]
		u := utf16.Encode([]rune(name))
		for k, c := range u {
			le.PutUint16(e[2*k:], c)
		}
		le.PutUint16(e[64:], uint16(2*len(u)+2))
		e[66] = kind
	}
	entry(0, "Root Entry", 5)
	for i, n := range names {
		entry(i+1, n, 2)
	}
	return append(append(hdr, fat...), dir...)
}

func TestSniffLeadFile(t *testing.T) {
	accepted := []struct {
		name string
		data []byte
		want string
	}{
		{"pdf", samplePDF, TypePDF},
		{"png", samplePNG, TypePNG},
		{"jpeg", sampleJPEG, TypeJPEG},
		{"docx", ooxml(t, "[Content_Types].xml", "_rels/.rels", "word/document.xml"), TypeDOCX},
		{"xlsx", ooxml(t, "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml"), TypeXLSX},
		{"pptx", ooxml(t, "[Content_Types].xml", "ppt/presentation.xml"), TypePPTX},
		{"doc", ole2("WordDocument", "1Table", "\x05SummaryInformation"), TypeDOC},
		{"xls", ole2("Workbook"), TypeXLS},
		{"et (WPS)", ole2("Book"), TypeXLS},
		{"ppt", ole2("PowerPoint Document", "Current User"), TypePPT},
	}
	for _, c := range accepted {
		ct, reason := SniffLeadFile(c.data)
		if ct != c.want || reason != "" {
			t.Errorf("%s: %q %q, want %q", c.name, ct, reason, c.want)
		}
		// The signatures are the ones net/http's sniffer knows: it agrees on
		// the plain types and calls the containers zip or binary.
		sniffed := http.DetectContentType(c.data)
		switch c.want {
		case TypePDF, TypePNG, TypeJPEG:
			if sniffed != c.want {
				t.Errorf("%s: DetectContentType says %q", c.name, sniffed)
			}
		case TypeDOCX, TypeXLSX, TypePPTX:
			if sniffed != "application/zip" {
				t.Errorf("%s: DetectContentType says %q", c.name, sniffed)
			}
		default:
			if sniffed != "application/octet-stream" {
				t.Errorf("%s: DetectContentType says %q", c.name, sniffed)
			}
		}
	}
	refused := []struct {
		name   string
		data   []byte
		reason string
	}{
		{"exe", append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 64)...), "type"},
		{"elf", []byte("\x7fELF\x02\x01\x01\x00"), "type"},
		{"html", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), "type"},
		{"html after blanks", []byte("\n\n  <html><body onload=alert(1)>"), "type"},
		{"svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "type"},
		{"text", []byte("just words"), "type"},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), "type"},
		{"plain zip", ooxml(t, "readme.txt"), "type"},
		{"zip with types only", ooxml(t, "[Content_Types].xml", "content.xml"), "type"},
		{"truncated zip", []byte("PK\x03\x04garbage"), "type"},
		{"xlsm", ooxml(t, "[Content_Types].xml", "xl/workbook.xml", "xl/vbaProject.bin"), "macros"},
		{"doc with macros", ole2("WordDocument", "Macros"), "macros"},
		{"msi", ole2("\u4840\u3b3f\u4577\u446c"), "type"},
		{"short ole2", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00"), "type"},
	}
	for _, c := range refused {
		if ct, reason := SniffLeadFile(c.data); reason != c.reason {
			t.Errorf("%s: %q %q, want refused for %s", c.name, ct, reason, c.reason)
		}
	}
	// A directory chain that loops ends.
	loop := ole2("WordDocument")
	binary.LittleEndian.PutUint32(loop[512+4:], 1)
	if ct, _ := SniffLeadFile(loop); ct != TypeDOC {
		t.Errorf("looping chain: %q", ct)
	}
}

func TestCheckLeadFile(t *testing.T) {
	ct, name, err := CheckLeadFile(LeadFileUpload{Name: `C:\Users\王\项目简介.pdf`, Data: samplePDF})
	if err != nil || ct != TypePDF || name != "项目简介.pdf" {
		t.Fatalf("pdf: %q %q %v", ct, name, err)
	}
	for _, c := range []struct {
		f   LeadFileUpload
		key string
	}{
		{LeadFileUpload{Name: "empty.pdf"}, "leads.file_empty"},
		{LeadFileUpload{Name: "big.pdf", Data: append(samplePDF, make([]byte, MaxLeadFileSize)...)}, "leads.file_too_big"},
		{LeadFileUpload{Name: "setup.pdf", Data: []byte("MZ\x90\x00")}, "leads.file_type"},
		{LeadFileUpload{Name: "macro.xlsx", Data: ooxml(t, "[Content_Types].xml", "xl/workbook.xml", "xl/vbaProject.bin")}, "leads.file_macros"},
	} {
		_, _, err := CheckLeadFile(c.f)
		if e := AsError(err); e.Code != EINVALID || e.Field != "file" || e.Key != c.key {
			t.Errorf("%s: %v, want %s", c.f.Name, err, c.key)
		}
	}
	// Exactly the limit is accepted.
	exact := append(append([]byte{}, samplePDF...), make([]byte, MaxLeadFileSize-len(samplePDF))...)
	if _, _, err := CheckLeadFile(LeadFileUpload{Name: "a.pdf", Data: exact}); err != nil {
		t.Fatalf("a file of exactly 10 MB: %v", err)
	}
}

func TestLeadFileNames(t *testing.T) {
	long := strings.Repeat("长", 200) + ".docx"
	for in, want := range map[string]string{
		"../../etc/passwd":                "passwd",
		`..\..\windows\system32\a.pdf`:    "a.pdf",
		"  报告 .pdf ":                      "报告 .pdf",
		"a\x00b\r\nc.pdf":                 "abc.pdf",
		"invoice\u202Efdp.exe":            "invoicefdp.exe",
		`a<b>c:d"e|f?g*.pdf`:              "a_b_c_d_e_f_g_.pdf",
		"zero\u200Bwidth.png":             "zerowidth.png",
		"bad\xff\xfeutf8.pdf":             "badutf8.pdf",
		"...":                             "",
		long:                              strings.Repeat("长", MaxLeadFileName-5) + ".docx",
		strings.Repeat("x", 300) + ".pdf": strings.Repeat("x", MaxLeadFileName-4) + ".pdf",
	} {
		got := SanitizeFileName(in)
		if got != want {
			t.Errorf("SanitizeFileName(%q) = %q, want %q", in, got, want)
		}
		if n := len([]rune(got)); n > MaxLeadFileName || strings.ContainsAny(got, `/\`) {
			t.Errorf("SanitizeFileName(%q) = %q (%d characters)", in, got, n)
		}
	}
	for _, c := range []struct{ in, ct, want string }{
		{"report.pdf", TypePDF, "report.pdf"},
		{"report.PDF", TypePDF, "report.PDF"},
		{"setup.exe", TypePDF, "setup.exe.pdf"},
		{"photo", TypeJPEG, "photo.jpg"},
		{"", TypePNG, "附件.png"},
		{"预算.et", TypeXLS, "预算.et"},
		{"预算.xls", TypeXLSX, "预算.xls.xlsx"},
		{strings.Repeat("长", 130), TypePDF, strings.Repeat("长", MaxLeadFileName-4) + ".pdf"},
	} {
		if got := LeadFileName(c.in, c.ct); got != c.want {
			t.Errorf("LeadFileName(%q, %s) = %q, want %q", c.in, c.ct, got, c.want)
		}
	}
}

func TestLeadFileRights(t *testing.T) {
	reporter := &User{ID: 1, MemberID: 10, Roles: []Role{RoleMember}}
	other := &User{ID: 2, MemberID: 11, Roles: []Role{RoleMember}}
	screener := &User{ID: 3, MemberID: 12, Roles: []Role{RoleScreener}}
	sponsor := &User{ID: 4, MemberID: 13, Roles: []Role{RoleSponsor}}
	head := &User{ID: 5, MemberID: 14, Roles: []Role{RoleHead}}
	l := &Lead{ID: 7, ReporterID: 10, Status: LeadScreening}
	for _, c := range []struct {
		u    *User
		want Code
	}{{reporter, ""}, {screener, ""}, {sponsor, ""}, {other, EFORBIDDEN}, {head, EFORBIDDEN}, {nil, EFORBIDDEN}} {
		if got := ErrorCode(CheckLeadFileUpload(c.u, l)); got != c.want {
			t.Errorf("upload to an open lead: %v: %q, want %q", c.u, got, c.want)
		}
	}
	own := &LeadFile{UploadedBy: reporter.ID}
	bySponsor := &LeadFile{UploadedBy: sponsor.ID}
	if CheckLeadFileDelete(reporter, l, own) != nil || CheckLeadFileDelete(screener, l, own) != nil ||
		ErrorCode(CheckLeadFileDelete(reporter, l, bySponsor)) != EFORBIDDEN || ErrorCode(CheckLeadFileDelete(sponsor, l, own)) != EFORBIDDEN ||
		CheckLeadFileDelete(sponsor, l, bySponsor) != nil {
		t.Error("delete rights on an open lead")
	}
	for _, st := range []LeadStatus{LeadAccepted, LeadRejected, LeadMerged, LeadDormant} {
		closed := &Lead{ID: 7, ReporterID: 10, Status: st}
		err := CheckLeadFileUpload(reporter, closed)
		if e := AsError(err); e.Code != ECONFLICT || e.Key != "leads.file_closed" {
			t.Errorf("the reporter uploads to a %s lead: %v", st, err)
		}
		if CheckLeadFileUpload(screener, closed) != nil || CheckLeadFileUpload(sponsor, closed) != nil {
			t.Errorf("screeners and leaders upload to a %s lead", st)
		}
		if ErrorCode(CheckLeadFileDelete(reporter, closed, own)) != ECONFLICT || CheckLeadFileDelete(screener, closed, own) != nil {
			t.Errorf("delete on a %s lead", st)
		}
	}
}
