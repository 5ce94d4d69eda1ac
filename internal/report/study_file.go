package report

import (
	"errors"

	"xinlu/internal/docx"
	"xinlu/internal/pdftext"
	"xinlu/internal/xinlu"
)

// ReadStudyFile decides what an uploaded reflection or study material is
// (xinlu.CheckStudyFile: a .docx or a PDF by its content) and reads its
// text, here on the server: a Word document's paragraphs, a PDF's text
// through its fonts. A file whose text cannot be read (a scanned PDF, an
// encrypted one) comes back with no text; the caller keeps it and says so.
func ReadStudyFile(f xinlu.LeadFileUpload) (xinlu.StudyFileUpload, error) {
	ct, name, err := xinlu.CheckStudyFile(f)
	if err != nil {
		return xinlu.StudyFileUpload{}, err
	}
	up := xinlu.StudyFileUpload{Name: name, ContentType: ct, Data: f.Data}
	var text string
	switch ct {
	case xinlu.TypeDOCX:
		text, err = docx.ReadText(f.Data)
	case xinlu.TypePDF:
		text, err = pdftext.Text(f.Data)
	}
	if err != nil && !errors.Is(err, pdftext.ErrEncrypted) && !errors.Is(err, pdftext.ErrNotPDF) && !errors.Is(err, docx.ErrNotDocx) {
		return up, xinlu.Internal(err)
	}
	if err == nil {
		up.Text = text
	}
	return up, nil
}
