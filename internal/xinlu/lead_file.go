package xinlu

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
)

// Lead attachments (线索附件): a lead carries up to MaxLeadFiles files of at
// most MaxLeadFileSize each — PDF, JPEG, PNG and Office documents. What a
// file is, is decided by its content, never by its name or the type the
// browser declared: anything else (a program renamed .pdf, HTML or SVG that
// could carry script, an Office file with macros) is refused.
const (
	MaxLeadFileSize = 10 << 20
	MaxLeadFiles    = 10
	// MaxLeadFileName bounds the kept file name, in characters.
	MaxLeadFileName = 120
)

// The content types of accepted attachments.
const (
	TypePDF  = "application/pdf"
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypePPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	TypeDOC  = "application/msword"
	TypeXLS  = "application/vnd.ms-excel"
	TypePPT  = "application/vnd.ms-powerpoint"
)

// leadFileExts are the file name extensions that fit each type, the first
// the one added to a name that has none of them. WPS Office saves in these
// formats too (.wps, .et and .dps files are Word, Excel and PowerPoint
// files inside), so its extensions are kept.
var leadFileExts = map[string][]string{
	TypePDF:  {".pdf"},
	TypeJPEG: {".jpg", ".jpeg", ".jpe"},
	TypePNG:  {".png"},
	TypeDOCX: {".docx", ".dotx", ".wps", ".wpt"},
	TypeXLSX: {".xlsx", ".xltx", ".et", ".ett"},
	TypePPTX: {".pptx", ".ppsx", ".potx", ".dps", ".dpt"},
	TypeDOC:  {".doc", ".dot", ".wps", ".wpt"},
	TypeXLS:  {".xls", ".xlt", ".et", ".ett"},
	TypePPT:  {".ppt", ".pps", ".pot", ".dps", ".dpt"},
}

// LeadFile is one attachment of a lead, without its bytes.
type LeadFile struct {
	ID          int64
	ZoneID      int64
	LeadID      int64
	Name        string // display name: sanitised, with an extension that fits ContentType
	ContentType string // detected from the content
	Size        int64
	SHA256      string // hex
	UploadedBy  int64  // user id
	CreatedAt   time.Time

	UploaderName string // read model
}

// LeadFileUpload is a file as uploaded: the name the client declared and
// the bytes.
type LeadFileUpload struct {
	Name string
	Data []byte
}

// CheckLeadFile decides whether an upload may be kept: not empty, not over
// MaxLeadFileSize, and of an accepted type by its content. It returns the
// detected content type and the name to keep.
func CheckLeadFile(f LeadFileUpload) (contentType, name string, err error) {
	display := SanitizeFileName(f.Name)
	if display == "" {
		display = "附件"
	}
	switch {
	case len(f.Data) == 0:
		return "", "", Invalid("file", "leads.file_empty", display)
	case len(f.Data) > MaxLeadFileSize:
		return "", "", Invalid("file", "leads.file_too_big", display, MaxLeadFileSize>>20)
	}
	ct, reason := SniffLeadFile(f.Data)
	switch reason {
	case "":
	case "macros":
		return "", "", Invalid("file", "leads.file_macros", display)
	default:
		return "", "", Invalid("file", "leads.file_type", display)
	}
	return ct, LeadFileName(f.Name, ct), nil
}

// SniffLeadFile tells the content type of an attachment from its bytes, by
// the signatures of the WHATWG MIME sniffing standard that net/http's
// DetectContentType follows (a test holds the two together), and for
// containers by looking inside: a zip must be an Office Open XML package
// ([Content_Types].xml with a word/, xl/ or ppt/ part), an OLE2 compound
// file (D0 CF 11 E0) must hold a Word, Excel or PowerPoint stream — an .msi
// installer is OLE2 too. reason is "" when the file is accepted, "macros"
// for an Office file with a VBA project, and "type" otherwise.
func SniffLeadFile(data []byte) (contentType, reason string) {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return TypePDF, ""
	case bytes.HasPrefix(data, []byte("\xFF\xD8\xFF")):
		return TypeJPEG, ""
	case bytes.HasPrefix(data, []byte("\x89PNG\x0D\x0A\x1A\x0A")):
		return TypePNG, ""
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return sniffOOXML(data)
	case bytes.HasPrefix(data, oleSignature):
		return sniffOLE2(data)
	}
	return "", "type"
}

// sniffOOXML reads a zip's directory (nothing is decompressed).
func sniffOOXML(data []byte) (string, string) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", "type"
	}
	var types bool
	var kind, macros string
	for _, f := range zr.File {
		name := strings.ToLower(f.Name)
		switch {
		case name == "[content_types].xml":
			types = true
		case strings.HasSuffix(name, "vbaproject.bin"):
			macros = "macros"
		case kind == "" && strings.HasPrefix(name, "word/"):
			kind = TypeDOCX
		case kind == "" && strings.HasPrefix(name, "xl/"):
			kind = TypeXLSX
		case kind == "" && strings.HasPrefix(name, "ppt/"):
			kind = TypePPTX
		}
	}
	if !types || kind == "" {
		return "", "type"
	}
	if macros != "" {
		return kind, macros
	}
	return kind, ""
}

var oleSignature = []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")

// sniffOLE2 walks an OLE2 compound file's directory for the stream that
// names the document: WordDocument (Word, and WPS 文字 .wps), Workbook or
// Book (Excel, WPS 表格 .et), PowerPoint Document (PowerPoint, WPS 演示 .dps).
// A Macros or _VBA_PROJECT_CUR storage is a VBA project.
func sniffOLE2(data []byte) (string, string) {
	names, ok := oleDirectory(data)
	if !ok {
		return "", "type"
	}
	kind, macros := "", false
	for _, n := range names {
		switch n {
		case "WordDocument":
			kind = TypeDOC
		case "Workbook", "Book":
			kind = TypeXLS
		case "PowerPoint Document":
			kind = TypePPT
		case "Macros", "_VBA_PROJECT_CUR", "VBA":
			macros = true
		}
	}
	switch {
	case kind == "":
		return "", "type"
	case macros:
		return kind, "macros"
	}
	return kind, ""
}

// oleDirectory returns the names in an OLE2 compound file's directory,
// following the FAT with every index and chain length bounded by the file.
func oleDirectory(data []byte) ([]string, bool) {
	if len(data) < 512 {
		return nil, false
	}
	le := binary.LittleEndian
	shift := le.Uint16(data[0x1E:])
	if shift != 9 && shift != 12 {
		return nil, false
	}
	size := 1 << shift
	nsect := uint32((len(data) - 512 + size - 1) / size) // sectors the file holds
	sector := func(n uint32) []byte {
		if n >= nsect {
			return nil
		}
		off := 512 + int(n)*size
		end := min(off+size, len(data))
		return data[off:end]
	}
	// The FAT sectors: 109 listed in the header, the rest in the DIFAT chain.
	var fatSectors []uint32
	for i := range 109 {
		if s := le.Uint32(data[0x4C+4*i:]); s < nsect {
			fatSectors = append(fatSectors, s)
		}
	}
	difat, ndifat := le.Uint32(data[0x44:]), le.Uint32(data[0x48:])
	for i := uint32(0); i < ndifat && i < nsect && difat < nsect; i++ {
		b := sector(difat)
		if len(b) < size {
			break
		}
		for j := 0; j < size/4-1; j++ {
			if s := le.Uint32(b[4*j:]); s < nsect {
				fatSectors = append(fatSectors, s)
			}
		}
		difat = le.Uint32(b[size-4:])
	}
	next := func(n uint32) uint32 {
		per := uint32(size / 4)
		i := n / per
		if int(i) >= len(fatSectors) {
			return 0xFFFFFFFE
		}
		b := sector(fatSectors[i])
		off := int(n%per) * 4
		if off+4 > len(b) {
			return 0xFFFFFFFE
		}
		return le.Uint32(b[off:])
	}
	var names []string
	dir := le.Uint32(data[0x30:])
	for steps := uint32(0); dir < nsect && steps <= nsect; steps++ {
		b := sector(dir)
		for off := 0; off+128 <= len(b); off += 128 {
			e := b[off : off+128]
			n := int(le.Uint16(e[64:]))
			if n < 2 || n > 64 || e[66] == 0 {
				continue
			}
			u := make([]uint16, 0, n/2-1)
			for k := 0; k+1 < n-2; k += 2 {
				u = append(u, le.Uint16(e[k:]))
			}
			names = append(names, string(utf16.Decode(u)))
		}
		dir = next(dir)
	}
	return names, len(names) > 0
}

// SanitizeFileName keeps a declared file name as display text only: the
// last path element, without control, formatting (bidirectional overrides,
// zero-width) or reserved characters, trimmed, at most MaxLeadFileName
// characters with the extension kept.
func SanitizeFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case r == unicode.ReplacementChar, unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp):
			return -1
		case strings.ContainsRune(`<>:"|?*`, r):
			return '_'
		case unicode.IsSpace(r):
			return ' '
		}
		return r
	}, name)
	name = strings.Trim(name, " .")
	if r := []rune(name); len(r) > MaxLeadFileName {
		ext := []rune(path.Ext(name))
		if len(ext) > 10 {
			ext = nil
		}
		name = strings.TrimRight(string(r[:MaxLeadFileName-len(ext)]), " .") + string(ext)
	}
	return name
}

// LeadFileName is the name an attachment is kept under: the sanitised
// declared name, with the extension of its detected type added when its
// own does not fit (a PDF named report.exe is kept as report.exe.pdf).
func LeadFileName(declared, contentType string) string {
	name := SanitizeFileName(declared)
	exts := leadFileExts[contentType]
	if len(exts) == 0 {
		return name
	}
	ext := strings.ToLower(path.Ext(name))
	for _, e := range exts {
		if ext == e {
			return name
		}
	}
	if name == "" {
		name = "附件"
	}
	if r := []rune(name); len(r)+len(exts[0]) > MaxLeadFileName {
		name = string(r[:MaxLeadFileName-len(exts[0])])
	}
	return name + exts[0]
}

// LeadOpen reports whether a lead still waits for screening: reported,
// screening or waiting for information. Accepted, rejected, merged and
// shelved leads are closed.
func LeadOpen(st LeadStatus) bool {
	return st == LeadReported || st == LeadScreening || st == LeadInfoRequested
}

// leadFileStaff reports whether u works leads for the zone: the screening
// task force and the leadership group, who add and keep files at any time.
func leadFileStaff(u *User) bool {
	return u.Can(PermLeadScreen) || u.Can(PermVetoOverride)
}

// CheckLeadFileUpload decides whether u may attach files to l, which u may
// see: its reporter while it is open, screeners and leaders at any time.
func CheckLeadFileUpload(u *User, l *Lead) error {
	if u == nil {
		return Forbidden()
	}
	if leadFileStaff(u) {
		return nil
	}
	if u.MemberID == 0 || u.MemberID != l.ReporterID {
		return Forbidden()
	}
	if !LeadOpen(l.Status) {
		return &Error{Code: ECONFLICT, Field: "file", Key: "leads.file_closed", Args: []any{LabelKey("lead.status." + string(l.Status))}}
	}
	return nil
}

// CheckLeadFileDelete decides whether u may delete f of l, which u may
// see: a screener always; its uploader while they may still add files to
// the lead (the reporter: while the lead is open).
func CheckLeadFileDelete(u *User, l *Lead, f *LeadFile) error {
	if u == nil {
		return Forbidden()
	}
	if u.Can(PermLeadScreen) {
		return nil
	}
	if f.UploadedBy == 0 || f.UploadedBy != u.ID {
		return Forbidden()
	}
	return CheckLeadFileUpload(u, l)
}

// LeadFileScope is u's lead-view scope in the zone of lead l (a viewer of
// every zone sees l's zone): the files of the leads it reaches.
func LeadFileScope(u *User, l *Lead) ScopeFilter {
	sc := u.Filter(PermLeadView)
	sc.ZoneID = l.ZoneID
	return sc
}
