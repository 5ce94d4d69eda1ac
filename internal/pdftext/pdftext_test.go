package pdftext

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The fixture was printed by Chromium from an HTML page set in Noto Serif
// CJK: a Type0 font with Identity-H codes and a ToUnicode map, as Word,
// WPS and LibreOffice write Chinese too.
func TestTextReadsChineseFromACIDFont(t *testing.T) {
	data, err := os.ReadFile("testdata/chromium.pdf")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Text(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"学习心得体会", "解放思想是推动改革的先导。", "以招商引资为中心", "知行合一。Reform 2026."} {
		if !strings.Contains(got, want) {
			t.Errorf("text lacks %q:\n%s", want, got)
		}
	}
	if lines := strings.Split(got, "\n"); lines[0] != "学习心得体会" {
		t.Errorf("the heading is not a line of its own: %q", lines[0])
	}
}

// pdfFile builds a one-page PDF from objects 3 on (1 is the catalog, 2 the
// page tree), with a cross-reference table that does not have to be right.
func pdfFile(content string, extra ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	objs := append([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content)+0, content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}, extra...)
	for i, o := range objs {
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	b.WriteString("xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n")
	return b.Bytes()
}

func TestTextReadsASimpleFontAndBreaksLines(t *testing.T) {
	data := pdfFile("BT /F1 12 Tf 72 720 Td (Hello \\(world\\)) Tj 0 -14 Td [(Sec) 20 (ond) -400 (line)] TJ ET")
	got, err := Text(data)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Hello (world)\nSecond line"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestTextReadsCompressedObjectStreams(t *testing.T) {
	// The page's content and the ToUnicode map are compressed; the font
	// sits in an object stream, as Word's "save as PDF" writes it.
	deflate := func(dict, s string) string {
		var b bytes.Buffer
		zw := zlib.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return fmt.Sprintf("<< %s /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", dict, b.Len(), b.String())
	}
	cmap := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange\n" +
		"2 beginbfchar <0001> <5B66> <0002> <4E60> endbfchar\n1 beginbfrange <0003> <0004> <5FC3> endbfrange endcmap end end"
	header := "5 0 "
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		deflate("", "BT /F1 10.5 Tf <0001000200030009> Tj ET"),
		deflate("", cmap),
		deflate(fmt.Sprintf("/Type /ObjStm /N 1 /First %d", len(header)),
			header+"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /ToUnicode 6 0 R >>"),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	for i, o := range objs {
		n := i + 1
		if n >= 5 {
			n++ // 5 is in the object stream 7
		}
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, o)
	}
	got, err := Text(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	// 0009 has no mapping in a composite font: left out.
	if want := "学习心"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestTextOfAScanIsEmpty(t *testing.T) {
	// A page that only paints a picture, as a scanner writes it.
	data := pdfFile("q 595 0 0 842 0 0 cm /Im1 Do Q")
	got, err := Text(data)
	if err != nil || got != "" {
		t.Errorf("got %q, %v; want no text", got, err)
	}
}

func TestTextRefusesWhatItCannotRead(t *testing.T) {
	enc := pdfFile("BT /F1 12 Tf (x) Tj ET")
	enc = bytes.Replace(enc, []byte("<< /Root 1 0 R >>"), []byte("<< /Root 1 0 R /Encrypt 9 0 R >>"), 1)
	for name, c := range map[string]struct {
		data []byte
		want error
	}{
		"not a PDF":   {[]byte("PK\x03\x04 a zip"), ErrNotPDF},
		"empty":       {nil, ErrNotPDF},
		"no objects":  {[]byte("%PDF-1.4\n%%EOF"), ErrNotPDF},
		"encrypted":   {enc, ErrEncrypted},
		"cut in half": {pdfFile("BT /F1 12 Tf (x) Tj ET")[:40], ErrNotPDF},
	} {
		if _, err := Text(c.data); err != c.want {
			t.Errorf("%s: got %v, want %v", name, err, c.want)
		}
	}
}

// With XINLU_TEST_BROWSER set, Chromium prints a page of Chinese text to
// PDF here and the text is read back; with "required" a missing browser
// fails.
func TestTextReadsWhatChromiumPrints(t *testing.T) {
	mode := os.Getenv("XINLU_TEST_BROWSER")
	if mode == "" {
		t.Skip("XINLU_TEST_BROWSER=1 runs Chromium")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		if mode == "required" {
			t.Fatal("XINLU_TEST_BROWSER=required but chromium is not installed")
		}
		t.Skip("no chromium")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "r.html")
	text := "深入学习贯彻全会精神，推动开发区体制机制改革走深走实。"
	os.WriteFile(page, []byte(`<!doctype html><meta charset="utf-8"><p style="font-family:'Noto Sans CJK SC',sans-serif">`+text+`</p><p>第二行 line two</p>`), 0o600)
	out := filepath.Join(dir, "r.pdf")
	cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--print-to-pdf="+out, "file://"+page)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Text(data)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, text) || !strings.Contains(got, "第二行 line two") {
		t.Errorf("got %q", got)
	}
}

// BenchmarkText reads the Chromium-printed fixture (one page of Chinese
// in an embedded CID font subset).
func BenchmarkText(b *testing.B) {
	data, err := os.ReadFile("testdata/chromium.pdf")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Text(data); err != nil {
			b.Fatal(err)
		}
	}
}

// A damaged file (cut short, bytes overwritten) answers an error or some
// text, never a panic: uploads are not to be trusted.
func TestTextOfDamagedFiles(t *testing.T) {
	data, err := os.ReadFile("testdata/chromium.pdf")
	if err != nil {
		t.Fatal(err)
	}
	samples := [][]byte{pdfFile("BT /F1 12 Tf (x) Tj ET")}
	for cut := 9; cut < len(data); cut += len(data) / 97 {
		samples = append(samples, data[:cut])
	}
	for i := 0; i < 200; i++ {
		d := bytes.Clone(data)
		at := (i * 7919) % len(d)
		for k := at; k < min(at+64, len(d)); k++ {
			d[k] = byte(k * i)
		}
		samples = append(samples, d)
	}
	samples = append(samples, []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj"), // a page tree that is its own root
		[]byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Page /Contents 3 0 R /Resources << /Font << /F1 3 0 R >> >> >>\nendobj\n3 0 obj\n<< /Length 999999 /Filter /FlateDecode >>\nstream\nxx\nendstream\nendobj\n"),
		[]byte("%PDF-1.4\n1 0 obj [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ endobj"),
		// A form that draws itself twice.
		[]byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Page /Contents 3 0 R /Resources << /XObject << /X 3 0 R >> >> >> endobj\n"+
			"3 0 obj << /Type /XObject /Subtype /Form /Length 13 >>\nstream\n/X Do /X Do\nendstream\nendobj\n"),
		// Every node of the tree lists the next one twice: walked once each.
		[]byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"+pageTreeLoop()))
	for i, d := range samples {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("sample %d panics: %v", i, r)
				}
			}()
			Text(d)
		}()
	}
}

func FuzzText(f *testing.F) {
	f.Add(pdfFile("BT /F1 12 Tf 72 720 Td (Hello) Tj 0 -14 Td [(a) -300 (b)] TJ ET"))
	f.Add([]byte(scannedForFuzz))
	f.Fuzz(func(t *testing.T, data []byte) {
		Text(data)
	})
}

const scannedForFuzz = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n" +
	"3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>\nendobj\n4 0 obj\n<< /Length 31 >>\nstream\nq 595 0 0 842 0 0 cm /Im1 Do Q\nendstream\nendobj\n%%EOF\n"

// pageTreeLoop is a page tree of 40 nodes, each listing the next twice and
// the last listing the first: 2^40 walks if nodes were not remembered.
func pageTreeLoop() string {
	var b strings.Builder
	for i := 2; i < 42; i++ {
		next := i + 1
		if next == 42 {
			next = 2
		}
		fmt.Fprintf(&b, "%d 0 obj << /Type /Pages /Kids [%d 0 R %d 0 R] >> endobj\n", i, next, next)
	}
	return b.String()
}
