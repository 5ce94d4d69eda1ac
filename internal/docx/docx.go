// Package docx writes simple Word documents (.docx, Office Open XML):
// headings, paragraphs, page breaks and ruled tables, in a page layout close to the
// official document standard (A4, 仿宋 body, 小标宋 title). It writes the
// few package parts by hand with archive/zip and encoding/xml escaping, so
// that xinlu needs no library for the one kind of document it produces.
package docx

import (
	"archive/zip"
	"encoding/xml"
	"io"
	"strconv"
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
	RedHead               // the issuing body's red head: 小标宋, red, centred, ruled beneath
)

// Block is one paragraph of a document, or a page break before it, or a
// table (then Style and Text are not used).
type Block struct {
	Style     Style
	Text      string
	PageBreak bool // start a new page before this block
	Table     *Table
}

// Table is a ruled table across the text block: a header row repeated on
// every page it runs over, then the rows. Cells are text in 仿宋 五号;
// columns whose Right is set are right-aligned (figures), and neither
// they nor those whose NoWrap is set break their text across lines
// (names, dates).
type Table struct {
	Header []string
	Rows   [][]string
	Right  []bool // per column
	NoWrap []bool // per column
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

var styleIDs = map[Style]string{Body: "BodyText", Title: "DocTitle", Heading: "DocHeading", Subtitle: "DocSubtitle", Right: "DocRight", RedHead: "DocRedHead"}

// runs writes a text as runs, its line breaks as w:br.
func runs(b *strings.Builder, text string) {
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if i > 0 {
			b.WriteString(`<w:r><w:br/></w:r>`)
		}
		if line != "" {
			b.WriteString(`<w:r><w:t xml:space="preserve">` + esc(line) + `</w:t></w:r>`)
		}
	}
}

// textWidth is the width of the text block in twentieths of a point
// (156 mm).
const textWidth = 8844

func (t *Table) write(b *strings.Builder) {
	cols := len(t.Header)
	for _, r := range t.Rows {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		return
	}
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="` + strconv.Itoa(textWidth) + `" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		b.WriteString(`<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="000000"/>`)
	}
	b.WriteString(`</w:tblBorders><w:tblLayout w:type="autofit"/><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>`)
	for range cols {
		b.WriteString(`<w:gridCol w:w="` + strconv.Itoa(textWidth/cols) + `"/>`)
	}
	b.WriteString(`</w:tblGrid>`)
	row := func(cells []string, header bool) {
		b.WriteString(`<w:tr>`)
		if header {
			b.WriteString(`<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>`)
		} else {
			b.WriteString(`<w:trPr><w:cantSplit/></w:trPr>`)
		}
		for i := range cols {
			cell := ""
			if i < len(cells) {
				cell = cells[i]
			}
			style := "TableText"
			right := i < len(t.Right) && t.Right[i]
			switch {
			case header:
				style = "TableHeader"
			case right:
				style = "TableFigure"
			}
			b.WriteString(`<w:tc><w:tcPr>`)
			if !header && (right || i < len(t.NoWrap) && t.NoWrap[i]) {
				b.WriteString(`<w:noWrap/>`)
			}
			b.WriteString(`<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`)
			runs(b, cell)
			b.WriteString(`</w:p></w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	if len(t.Header) > 0 {
		row(t.Header, true)
	}
	for _, r := range t.Rows {
		row(r, false)
	}
	b.WriteString(`</w:tbl>`)
}

func (d *Document) document() string {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, bl := range d.Blocks {
		if bl.Table != nil {
			bl.Table.write(&b)
			// Word needs a paragraph between two tables and after the last.
			b.WriteString(`<w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr></w:p>`)
			continue
		}
		b.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + styleIDs[bl.Style] + `"/>`)
		if bl.PageBreak {
			b.WriteString(`<w:pageBreakBefore/>`)
		}
		b.WriteString(`</w:pPr>`)
		// Line breaks inside a block become w:br, so that a reflection keeps its lines.
		runs(&b, bl.Text)
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
	`<w:style w:type="paragraph" w:styleId="DocTitle"><w:name w:val="Title"/><w:pPr><w:spacing w:before="600" w:after="600" w:line="720" w:lineRule="exact"/><w:jc w:val="center"/></w:pPr><w:rPr><w:rFonts w:eastAsia="方正小标宋简体"/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="DocHeading"><w:name w:val="heading 1"/><w:pPr><w:keepNext/><w:spacing w:before="280"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="DocSubtitle"><w:name w:val="Subtitle"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:rFonts w:eastAsia="楷体_GB2312"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="DocRight"><w:name w:val="Right"/><w:pPr><w:jc w:val="right"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="DocRedHead"><w:name w:val="Red Head"/><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="18" w:space="4" w:color="C00000"/></w:pBdr><w:spacing w:after="400" w:line="900" w:lineRule="exact"/><w:jc w:val="center"/></w:pPr><w:rPr><w:rFonts w:eastAsia="方正小标宋简体"/><w:color w:val="C00000"/><w:spacing w:val="20"/><w:sz w:val="52"/><w:szCs w:val="52"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:pPr><w:spacing w:line="320" w:lineRule="exact"/><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TableFigure"><w:name w:val="Table Figure"/><w:basedOn w:val="TableText"/><w:pPr><w:jc w:val="right"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TableHeader"><w:name w:val="Table Header"/><w:basedOn w:val="TableText"/><w:pPr><w:keepNext/></w:pPr><w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style>` +
	`</w:styles>`
