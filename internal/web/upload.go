package web

import (
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"path"
	"strings"

	"xinlu/internal/xinlu"
)

// workbookUploadLimit bounds an uploaded Excel workbook.
const workbookUploadLimit = 2 << 20

// calendarReadUpload reads the uploaded workbook: .xlsx by name, small enough,
// and not empty; whether it is a workbook is for xlsx.ReadCalendar to say.
func readWorkbookUpload(w http.ResponseWriter, r *http.Request) (name string, data []byte, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, workbookUploadLimit+64<<10)
	if err := r.ParseMultipartForm(workbookUploadLimit); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return "", nil, xinlu.Invalid("file", "upload.too_big", workbookUploadLimit>>20)
		}
		return "", nil, xinlu.Invalid("file", "error.required")
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return "", nil, xinlu.Invalid("file", "error.required")
	}
	defer f.Close()
	name = path.Base(strings.ReplaceAll(hdr.Filename, `\`, "/"))
	if !strings.EqualFold(path.Ext(name), ".xlsx") {
		return name, nil, xinlu.Invalid("file", "upload.not_xlsx")
	}
	if hdr.Size > workbookUploadLimit {
		return name, nil, xinlu.Invalid("file", "upload.too_big", workbookUploadLimit>>20)
	}
	data, err = io.ReadAll(io.LimitReader(f, workbookUploadLimit+1))
	if err != nil {
		return name, nil, xinlu.Internal(err)
	}
	if len(data) == 0 {
		return name, nil, xinlu.Invalid("file", "error.required")
	}
	if len(data) > workbookUploadLimit {
		return name, nil, xinlu.Invalid("file", "upload.too_big", workbookUploadLimit>>20)
	}
	return name, data, nil
}

// calendarCarried reads back the workbook that a preview page carries in its form.
// It is checked again from scratch: the client holds it in between.
func carriedWorkbook(r *http.Request) (name string, data []byte, err error) {
	name = path.Base(strings.ReplaceAll(r.PostFormValue("filename"), `\`, "/"))
	if name == "." || name == "/" {
		name = ""
	}
	data, err = base64.RawURLEncoding.DecodeString(r.PostFormValue("data"))
	if err != nil || len(data) == 0 {
		return name, nil, xinlu.Invalid("file", "error.required")
	}
	if len(data) > workbookUploadLimit {
		return name, nil, xinlu.Invalid("file", "upload.too_big", workbookUploadLimit>>20)
	}
	return name, data, nil
}
