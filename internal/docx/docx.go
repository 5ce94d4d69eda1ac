// Package docx writes simple Word documents (.docx, Office Open XML):
// headings, paragraphs and page breaks, in a page layout close to the
// official document standard (A4, 仿宋 body, 小标宋 title). It writes the
// few package parts by hand with archive/zip and encoding/xml escaping, so
// that xinlu needs no library for the one kind of document it produces.
package docx

import (
	"archive/zip"
	"encoding/xml"
	"io"
	"strings"
	"time"
)

// ContentType is the media type of a .docx file.
const ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// Style is how a block is set.
type Style int

const (
	Body     Style = iota // 仿宋 三号, first line indented two characters
	Title                 // 小标宋 二号, centred
	Heading               // 黑体 三号
	Subtitle              // 楷体 三号, centred
	Right                 // body text, right-aligned (signature, date)
)

// Block is one paragraph of a document, or a page break before it.
type Block struct {
	Style     Style
	Text      string
	PageBreak bool // start a new page before this block
}

// Document is a document's title (in its properties) and blocks.
type Document struct {
	Title   string
	Author  string
	Created time.Time
	Blocks  []Block
}

// Write writes d as a .docx package to w.
func (d *Document) Write(w io.Writer) error {
	z := zip.NewWriter(w)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"word/_rels/document.xml.rels", documentRels},
		{"word/styles.xml", styles},
		{"docProps/core.xml", d.core()},
		{"word/document.xml", d.document()},
	}
	for _, p := range parts {
		f, err := z.Create(p.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return err
		}
	}
	return z.Close()
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

var styleIDs = map[Style]string{Body: "BodyText", Title: "DocTitle", Heading: "DocHeading", Subtitle: "DocSubtitle", Right: "DocRight"}

func (d *Document) document() string {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, bl := range d.Blocks {
		b.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + styleIDs[bl.Style] + `"/>`)
		if bl.PageBreak {
			b.WriteString(`<w:pageBreakBefore/>`)
		}
		b.WriteString(`</w:pPr>`)
		// Line breaks inside a block become w:br, so that a reflection keeps its lines.
		for i, line := range strings.Split(strings.ReplaceAll(bl.Text, "\r\n", "\n"), "\n") {
			if i > 0 {
				b.WriteString(`<w:r><w:br/></w:r>`)
			}
			if line != "" {
				b.WriteString(`<w:r><w:t xml:space="preserve">` + esc(line) + `</w:t></w:r>`)
			}
		}
		b.WriteString(`</w:p>`)
	}
	// A4, with the margins of the official document layout (37/35/28/26 mm).
	b.WriteString(`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>`)
	b.WriteString(`</w:body></w:document>`)
	return b.String()
}

func (d *Document) core() string {
	created := d.Created
	if created.IsZero() {
		created = time.Now()
	}
	return xml.Header + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + esc(d.Title) + `</dc:title><dc:creator>` + esc(d.Author) + `</dc:creator>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + created.UTC().Format(time.RFC3339) + `</dcterms:created></cp:coreProperties>`
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`

const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`

const documentRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`

// styles: sizes in half-points (三号 16 pt = 32, 二号 22 pt = 44), a fixed
// 28-point line as the standard asks.
const styles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="仿宋_GB2312"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:line="560" w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="BodyText"><w:name w:val="Body Text"/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="DocTitle"><w:name w:val="Title"/><w:pPr><w:jc w:val="center"/><w:spacing w:before="600" w:after="600" w:line="720" w:lineRule="exact"/></w:pPr><w:rPr><w:rFonts w:eastAsia="方正小标宋简体"/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="DocHeading"><w:name w:val="heading 1"/><w:pPr><w:keepNext/><w:spacing w:before="280"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="DocSubtitle"><w:name w:val="Subtitle"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:rFonts w:eastAsia="楷体_GB2312"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="DocRight"><w:name w:val="Right"/><w:pPr><w:jc w:val="right"/></w:pPr></w:style>` +
	`</w:styles>`
