package httpx

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"

	"xinlu/internal/xinlu"
)

// leadPartOverhead is what a multipart part adds to a file's bytes
// (boundary and headers), generously.
const leadPartOverhead = 64 << 10

// ReadLeadFiles reads the files of a multipart form's field, at most
// maxFiles of them: each small enough (checked before it is read) and read
// whole; the form's temporary files are removed before it returns. A
// request that is not multipart, and a file input left empty, give none.
// The body is bounded at maxFiles files of MaxLeadFileSize; the server's
// upload limit may bound it first. Whether a file is of an accepted type is for the store to say (xinlu.CheckLeadFile).
func ReadLeadFiles(w http.ResponseWriter, r *http.Request, field string, maxFiles int) ([]xinlu.LeadFileUpload, error) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return nil, nil
	}
	limit := int64(maxFiles) * (xinlu.MaxLeadFileSize + leadPartOverhead)
	if r.MultipartForm == nil {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, xinlu.Invalid("file", "leads.upload_too_big", limit>>20)
		}
		return nil, xinlu.Invalid("file", "error.required")
	}
	defer r.MultipartForm.RemoveAll()
	var out []xinlu.LeadFileUpload
	for _, hdr := range r.MultipartForm.File[field] {
		if hdr.Filename == "" && hdr.Size == 0 {
			continue // a file input left empty
		}
		if len(out) == maxFiles {
			return nil, xinlu.Invalid("file", "leads.file_count", xinlu.MaxLeadFiles)
		}
		name := xinlu.SanitizeFileName(hdr.Filename)
		if hdr.Size > xinlu.MaxLeadFileSize {
			return nil, xinlu.Invalid("file", "leads.file_too_big", name, xinlu.MaxLeadFileSize>>20)
		}
		f, err := hdr.Open()
		if err != nil {
			return nil, xinlu.Internal(err)
		}
		data, err := io.ReadAll(io.LimitReader(f, xinlu.MaxLeadFileSize+1))
		f.Close()
		if err != nil {
			return nil, xinlu.Internal(err)
		}
		out = append(out, xinlu.LeadFileUpload{Name: hdr.Filename, Data: data})
	}
	return out, nil
}

// attrChar is RFC 5987's attr-char: what goes unescaped in filename*.
func attrChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}

// Attachment is the Content-Disposition of every download, on both faces:
// filename* with the name in UTF-8, percent-encoded (RFC 6266), and a plain
// filename for old clients — the name itself when it is plain ASCII, else
// "attachment" with its extension.
func Attachment(name string) string { return AttachmentAs(name, "") }

// AttachmentAs is Attachment with the plain filename for old clients given
// (ASCII); "" derives it from name.
func AttachmentAs(name, fallback string) string {
	var enc strings.Builder
	plain := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		if attrChar(c) {
			enc.WriteByte(c)
			continue
		}
		if c != ' ' && c != '(' && c != ')' {
			plain = false
		}
		fmt.Fprintf(&enc, "%%%02X", c)
	}
	switch {
	case fallback != "":
	case plain && name != "":
		fallback = name
	default:
		fallback = "attachment"
		if ext := path.Ext(name); ext != "" && !strings.ContainsFunc(ext, func(r rune) bool { return r > 127 || r == '"' || r == '\\' }) {
			fallback += ext
		}
	}
	return `attachment; filename="` + fallback + `"; filename*=UTF-8''` + enc.String()
}

// WriteLeadFile answers a download of an attachment: the stored (detected)
// content type, never sniffed, always as an attachment, never cached, and
// sandboxed should a browser render it anyway.
func WriteLeadFile(w http.ResponseWriter, f *xinlu.LeadFile, data []byte) {
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Disposition", Attachment(f.Name))
	h.Set("Content-Length", fmt.Sprint(len(data)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox")
	w.WriteHeader(http.StatusOK)
	w.Write(data)
}
