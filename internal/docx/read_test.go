package docx

import (
	"archive/zip"
	"bytes"
	"testing"
)

// wordFile packs body as the body of word/document.xml.
func wordFile(t *testing.T, body string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("[Content_Types].xml")
	w.Write([]byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`))
	w, _ = zw.Create("word/document.xml")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>` + body + `</w:body></w:document>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestTextReadsParagraphs(t *testing.T) {
	cases := []struct {
		name, body, want string
	}{
		{"paragraphs in order", `<w:p><w:r><w:t>解放思想</w:t></w:r><w:r><w:t xml:space="preserve">，勇于担当。</w:t></w:r></w:p><w:p><w:r><w:t>第二段</w:t></w:r></w:p>`,
			"解放思想，勇于担当。\n第二段"},
		{"tab and break kept", `<w:p><w:r><w:t>一</w:t><w:tab/><w:t>二</w:t><w:br/><w:t>三</w:t></w:r></w:p>`, "一\t二\n三"},
		{"deleted revision and field code left out", `<w:p><w:del><w:r><w:delText>删去</w:delText></w:r></w:del><w:r><w:instrText>PAGE</w:instrText><w:t>留下</w:t></w:r></w:p>`,
			"留下"},
		{"table cells are paragraphs", `<w:tbl><w:tr><w:tc><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>乙</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`,
			"甲\n乙"},
		{"fallback content not repeated", `<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:t>文本框</w:t></mc:Choice><mc:Fallback><w:t>文本框</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>`,
			"文本框"},
		{"empty paragraph keeps its line", `<w:p><w:r><w:t>上</w:t></w:r></w:p><w:p/><w:p><w:r><w:t>下</w:t></w:r></w:p>`, "上\n\n下"},
	}
	for _, c := range cases {
		got, err := ReadText(wordFile(t, c.body))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestTextReadsWhatTheWriterWrites(t *testing.T) {
	d := &Document{Title: "汇编", Blocks: []Block{{Style: Title, Text: "心得体会汇编"}, {Text: "第一段正文。"}, {Text: "第二段 & <正文>", PageBreak: true}}}
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := ReadText(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"心得体会汇编", "第一段正文。", "第二段 & <正文>"} {
		if !bytes.Contains([]byte(got), []byte(want)) {
			t.Errorf("text %q lacks %q", got, want)
		}
	}
}

func TestTextRefusesWhatIsNotADocument(t *testing.T) {
	for name, data := range map[string][]byte{
		"not a zip": []byte("%PDF-1.4 hello"),
		"zip without a body": func() []byte {
			var b bytes.Buffer
			zw := zip.NewWriter(&b)
			zw.Create("xl/workbook.xml")
			zw.Close()
			return b.Bytes()
		}(),
		"broken xml": wordFile(t, `<w:p><w:r><w:t>未闭合`),
	} {
		if _, err := ReadText(data); err != ErrNotDocx {
			t.Errorf("%s: got %v, want ErrNotDocx", name, err)
		}
	}
}
