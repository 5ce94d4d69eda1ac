package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"slices"
	"strings"
	"testing"
)

// TestWriteReadsBack: the package has the parts Word needs, is well-formed
// XML, and its text (escaped characters, line breaks, page breaks) reads
// back as written.
func TestWriteReadsBack(t *testing.T) {
	d := &Document{Title: "心得体会汇编", Author: "组织人事部", Blocks: []Block{
		{Style: Title, Text: "心得体会汇编"},
		{Style: Heading, Text: "招商一局 <&> \"引号\"", PageBreak: true},
		{Style: Body, Text: "第一行\n第二行"},
	}}
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		t.Fatal(err)
	}
	text, breaks := Text(t, buf.Bytes())
	if want := "心得体会汇编|招商一局 <&> \"引号\"|第一行\n第二行"; text != want {
		t.Fatalf("text %q, want %q", text, want)
	}
	if breaks != 1 {
		t.Fatalf("page breaks %d", breaks)
	}
}

// Text reads a .docx back: its paragraphs joined by "|" (line breaks as
// "\n") and how many start a new page.
func Text(t testing.TB, b []byte) (string, int) {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip package: %v", err)
	}
	need := map[string]bool{"[Content_Types].xml": false, "_rels/.rels": false, "word/document.xml": false, "word/styles.xml": false}
	var doc []byte
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r)
		r.Close()
		dec := xml.NewDecoder(bytes.NewReader(body)) // every part is well-formed XML
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s is not well-formed: %v", f.Name, err)
			}
		}
		if _, ok := need[f.Name]; ok {
			need[f.Name] = true
		}
		if f.Name == "word/document.xml" {
			doc = body
		}
	}
	for name, ok := range need {
		if !ok {
			t.Fatalf("part %s missing", name)
		}
	}
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var paras []string
	var cur strings.Builder
	breaks := 0
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "p":
				cur.Reset()
			case "t":
				inText = true
			case "br":
				cur.WriteString("\n")
			case "pageBreakBefore":
				breaks++
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "p":
				paras = append(paras, cur.String())
			case "t":
				inText = false
			}
		case xml.CharData:
			if inText {
				cur.Write(e)
			}
		}
	}
	return strings.Join(paras, "|"), breaks
}

// TestTableReadsBack: a table's header and cells read back in order, in a
// ruled table whose header row repeats on each page, with a red head and
// the escaped characters intact.
func TestTableReadsBack(t *testing.T) {
	d := &Document{Title: "月度通报", Blocks: []Block{
		{Style: RedHead, Text: "某开发区管委会"},
		{Style: Heading, Text: "一、新增线索"},
		{Table: &Table{Header: []string{"部门", "线索数"}, Rows: [][]string{{"招商一局", "2"}, {"<综合办>", "1"}, {"合计"}}, Right: []bool{false, true}, NoWrap: []bool{true}}},
		{Style: Body, Text: "完"},
	}}
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		t.Fatal(err)
	}
	text, _ := Text(t, buf.Bytes())
	if want := "某开发区管委会|一、新增线索|部门|线索数|招商一局|2|<综合办>|1|合计|||完"; text != want {
		t.Fatalf("text %q, want %q", text, want)
	}
	z, _ := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	var doc string
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			r, _ := f.Open()
			b, _ := io.ReadAll(r)
			doc = string(b)
		}
	}
	if strings.Count(doc, "<w:tbl>") != 1 || strings.Count(doc, "<w:tr>") != 4 || strings.Count(doc, "<w:tblHeader/>") != 1 ||
		strings.Count(doc, `w:val="TableFigure"`) != 3 || strings.Count(doc, `<w:noWrap/>`) != 6 || !strings.Contains(doc, `w:val="DocRedHead"`) {
		t.Fatalf("table markup: %s", doc)
	}
}

// schemaOrder lists, for the property elements the writer uses, their
// children in the order the WordprocessingML schema fixes (a sequence:
// Word refuses a file whose elements are out of order).
var schemaOrder = map[string][]string{
	"pPr":        {"pStyle", "keepNext", "keepLines", "pageBreakBefore", "pBdr", "spacing", "ind", "jc", "outlineLvl"},
	"rPr":        {"rFonts", "b", "color", "spacing", "sz", "szCs", "lang"},
	"tblPr":      {"tblW", "jc", "tblBorders", "tblLayout", "tblCellMar"},
	"tcPr":       {"tcW", "noWrap", "vAlign"},
	"style":      {"name", "basedOn", "pPr", "rPr"},
	"sectPr":     {"pgSz", "pgMar"},
	"tblBorders": {"top", "left", "bottom", "right", "insideH", "insideV"},
}

// TestElementsInSchemaOrder: in every part, the children of the property
// elements come in the schema's order and are ones the list knows.
func TestElementsInSchemaOrder(t *testing.T) {
	d := &Document{Title: "通报", Blocks: []Block{
		{Style: RedHead, Text: "管委会"}, {Style: Title, Text: "通报"}, {Style: Subtitle, Text: "（草稿）"}, {Style: Heading, Text: "一、"},
		{Table: &Table{Header: []string{"a", "b"}, Rows: [][]string{{"1", "2"}}, Right: []bool{false, true}, NoWrap: []bool{true}}},
		{Style: Body, Text: "正文"}, {Style: Right, Text: "日期", PageBreak: true},
	}}
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		t.Fatal(err)
	}
	z, _ := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	for _, f := range z.File {
		if f.Name != "word/document.xml" && f.Name != "word/styles.xml" {
			continue
		}
		r, _ := f.Open()
		dec := xml.NewDecoder(r)
		type frame struct {
			name string
			last int
		}
		var stack []frame
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			switch e := tok.(type) {
			case xml.StartElement:
				if n := len(stack); n > 0 {
					if order, ok := schemaOrder[stack[n-1].name]; ok {
						i := slices.Index(order, e.Name.Local)
						if i < 0 {
							t.Errorf("%s: %s in %s is not in the known order", f.Name, e.Name.Local, stack[n-1].name)
						} else if i < stack[n-1].last {
							t.Errorf("%s: %s comes too late in %s", f.Name, e.Name.Local, stack[n-1].name)
						} else {
							stack[n-1].last = i
						}
					}
				}
				stack = append(stack, frame{name: e.Name.Local})
			case xml.EndElement:
				stack = stack[:len(stack)-1]
			}
		}
		r.Close()
	}
}
