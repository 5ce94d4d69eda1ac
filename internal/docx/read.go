package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// MaxReadText bounds the uncompressed size of the document part ReadText reads,
// so that a small file cannot unpack into an unbounded one.
const MaxReadText = 32 << 20

// ErrNotDocx says that data is not a Word document that ReadText can read.
var ErrNotDocx = errors.New("docx: not a Word document")

// ReadText returns the text of a Word document (.docx): the paragraphs of its
// body (word/document.xml) in order, one per line, table cells included.
// Tabs and line breaks inside a paragraph are kept; deleted revisions,
// field codes and drawings' alternative content are not text.
func ReadText(data []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", ErrNotDocx
	}
	var part *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			part = f
			break
		}
	}
	if part == nil {
		return "", ErrNotDocx
	}
	rc, err := part.Open()
	if err != nil {
		return "", ErrNotDocx
	}
	defer rc.Close()
	return paragraphs(io.LimitReader(rc, MaxReadText))
}

// wordML is the WordprocessingML main namespace.
const wordML = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

func paragraphs(r io.Reader) (string, error) {
	dec := xml.NewDecoder(r)
	var out, para strings.Builder
	inText := false // inside a w:t
	skip := 0       // depth inside content that is not text (deleted runs, fallbacks)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", ErrNotDocx
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 {
				skip++
				continue
			}
			if t.Name.Space != wordML {
				// mc:Fallback repeats an mc:Choice's content.
				if t.Name.Local == "Fallback" {
					skip = 1
				}
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				para.WriteByte('\t')
			case "br", "cr":
				para.WriteByte('\n')
			case "del", "instrText", "delText":
				skip = 1
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			if t.Name.Space != wordML {
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				if out.Len() > 0 {
					out.WriteByte('\n')
				}
				out.WriteString(para.String())
				para.Reset()
			}
		case xml.CharData:
			if inText && skip == 0 {
				para.Write(t)
			}
		}
	}
	if para.Len() > 0 {
		if out.Len() > 0 {
			out.WriteByte('\n')
		}
		out.WriteString(para.String())
	}
	return out.String(), nil
}
