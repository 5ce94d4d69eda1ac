package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"xinlu/internal/xinlu"
)

// Lead attachments live in lead_files, bytes and all, so that a backup of
// the database holds them (VACUUM INTO and pg_dump copy every table; the
// sealing code has nothing to do with them: they are not inventory fields).
// Who may see a lead may list and download its files; every upload,
// download and delete is in the audit log, named by file, size and hash,
// never by content.

// checkedLeadFile is an upload that passed xinlu.CheckLeadFile.
type checkedLeadFile struct {
	name, contentType, sum string
	data                   []byte
}

// checkLeadFiles checks every upload before anything is written, so that a
// bad file refuses the whole submission.
func checkLeadFiles(files []xinlu.LeadFileUpload) ([]checkedLeadFile, error) {
	if len(files) > xinlu.MaxLeadFiles {
		return nil, xinlu.Invalid("file", "leads.file_count", xinlu.MaxLeadFiles)
	}
	out := make([]checkedLeadFile, len(files))
	for i, f := range files {
		ct, name, err := xinlu.CheckLeadFile(f)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(f.Data)
		out[i] = checkedLeadFile{name: name, contentType: ct, sum: hex.EncodeToString(sum[:]), data: f.Data}
	}
	return out, nil
}

// addLeadFiles stores checked files on lead l (locked by the caller's
// transaction), refusing to go over MaxLeadFiles, with one audit row each.
func (tx *Tx) addLeadFiles(ctx context.Context, a xinlu.Actor, l *xinlu.Lead, files []checkedLeadFile) ([]*xinlu.LeadFile, error) {
	if len(files) == 0 {
		return nil, nil
	}
	if a.UserID == 0 {
		return nil, xinlu.Forbidden() // a file is uploaded by an account
	}
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM lead_files WHERE lead_id = ?`, l.ID).Scan(&n); err != nil {
		return nil, xinlu.Internal(err)
	}
	if n+len(files) > xinlu.MaxLeadFiles {
		return nil, xinlu.Invalid("file", "leads.file_count", xinlu.MaxLeadFiles)
	}
	var uploader string
	if err := tx.queryRow(ctx, `SELECT name FROM users WHERE id = ?`, a.UserID).Scan(&uploader); err != nil {
		return nil, tx.s.translate(err)
	}
	now := tx.s.Now()
	out := make([]*xinlu.LeadFile, 0, len(files))
	for _, c := range files {
		f := &xinlu.LeadFile{ZoneID: l.ZoneID, LeadID: l.ID, Name: c.name, ContentType: c.contentType, Size: int64(len(c.data)),
			SHA256: c.sum, UploadedBy: a.UserID, CreatedAt: now, UploaderName: uploader}
		id, err := tx.insert(ctx, `INSERT INTO lead_files (zone_id, lead_id, name, content_type, size, sha256, uploaded_by, created_at, data)
			VALUES (?,?,?,?,?,?,?,?,?)`, f.ZoneID, f.LeadID, f.Name, f.ContentType, f.Size, f.SHA256, f.UploadedBy, now, c.data)
		if err != nil {
			return nil, err
		}
		f.ID = id
		if err := tx.audit(ctx, a, "lead.file_upload", "lead", l.ID, nil, leadFileAudit(f)); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// leadFileAudit is what the audit log keeps of a file: never its content.
func leadFileAudit(f *xinlu.LeadFile) map[string]any {
	return map[string]any{"file_id": f.ID, "lead_id": f.LeadID, "name": f.Name, "content_type": f.ContentType, "size": f.Size,
		"sha256": f.SHA256, "uploaded_by": f.UploadedBy}
}

const leadFileColumns = `f.id, f.zone_id, f.lead_id, f.name, f.content_type, f.size, f.sha256, f.uploaded_by, f.created_at,
	COALESCE(u.name, '')`

const leadFileFrom = ` FROM lead_files f LEFT JOIN users u ON u.id = f.uploaded_by`

func scanLeadFile(sc scanner) (*xinlu.LeadFile, error) {
	f := &xinlu.LeadFile{}
	err := sc.Scan(&f.ID, &f.ZoneID, &f.LeadID, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.UploadedBy, &f.CreatedAt, &f.UploaderName)
	return f, err
}

// leadFileOf selects the files a lead shows to a viewer of scope: its own,
// and those of the leads merged into it (merged_into always names the last
// lead of a chain) that the viewer may see too (leadScope). They stay
// attached to the lead they were reported with, whose reporter still sees
// them there; LeadFile.LeadID says which.
func leadFileOf(scope xinlu.ScopeFilter, leadID int64) (string, []any) {
	cond, args := leadScope(scope)
	return `f.zone_id = ? AND (f.lead_id = ? OR f.lead_id IN (SELECT l.id FROM leads l WHERE l.merged_into = ? AND l.zone_id = ? AND ` + cond + `))`,
		append([]any{scope.ZoneID, leadID, leadID, scope.ZoneID}, args...)
}

// ListLeadFiles lists the files of a lead of scope's zone, and of the leads
// merged into it that scope reaches, oldest first, without their bytes.
// The caller has checked that the lead may be seen (LeadFor).
func (s *Store) ListLeadFiles(ctx context.Context, scope xinlu.ScopeFilter, leadID int64) ([]*xinlu.LeadFile, error) {
	cond, args := leadFileOf(scope, leadID)
	rows, err := s.query(ctx, `SELECT `+leadFileColumns+leadFileFrom+` WHERE `+cond+` ORDER BY f.id`, args...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	return collect(rows, scanLeadFile)
}

// LeadFilesFor lists the files of lead id as u may see them: the lead
// within u's lead-view scope, or not found.
func (s *Store) LeadFilesFor(ctx context.Context, u *xinlu.User, leadID int64) ([]*xinlu.LeadFile, error) {
	l, err := s.LeadFor(ctx, u, leadID)
	if err != nil {
		return nil, err
	}
	return s.ListLeadFiles(ctx, xinlu.LeadFileScope(u, l), l.ID)
}

// leadInView locks lead id of any zone u's lead-view scope reaches, inside
// tx, or answers not found: the lead page's visibility rule.
func (tx *Tx) leadInView(ctx context.Context, u *xinlu.User, id int64) (*xinlu.Lead, error) {
	if u == nil {
		return nil, xinlu.NotFound("error.not_found")
	}
	cond, args := leadScope(u.Filter(xinlu.PermLeadView))
	q := `SELECT ` + leadColumns + leadFrom + ` WHERE l.id = ? AND ` + cond
	if tx.s.dialect == Postgres {
		q += ` FOR UPDATE OF l`
	}
	l, err := scanLead(tx.queryRow(ctx, q, append([]any{id}, args...)...))
	if err != nil {
		return nil, tx.s.translate(err)
	}
	return l, nil
}

// AddLeadFiles attaches files to lead id as user u, in one transaction with
// an audit row per file: the lead must be within u's view (else not
// found); its reporter adds files while it is open, screeners and leaders
// at any time (xinlu.CheckLeadFileUpload); each file is checked by content
// (xinlu.CheckLeadFile) and the lead holds at most MaxLeadFiles. One bad
// file refuses them all.
func (s *Store) AddLeadFiles(ctx context.Context, a xinlu.Actor, u *xinlu.User, leadID int64, files []xinlu.LeadFileUpload) ([]*xinlu.LeadFile, error) {
	// Who may, first; then the files, outside the write transaction (hashing
	// ten files takes a moment); then again who may, on the locked lead.
	l, err := s.LeadFor(ctx, u, leadID)
	if err != nil {
		return nil, err
	}
	if err := xinlu.CheckLeadFileUpload(u, l); err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, xinlu.Invalid("file", "error.required")
	}
	checked, err := checkLeadFiles(files)
	if err != nil {
		return nil, err
	}
	var out []*xinlu.LeadFile
	err = s.inTx(ctx, func(tx *Tx) error {
		l, err := tx.leadInView(ctx, u, leadID)
		if err != nil {
			return err
		}
		if err := xinlu.CheckLeadFileUpload(u, l); err != nil {
			return err
		}
		out, err = tx.addLeadFiles(ctx, a, l, checked)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// LeadFileData returns file fileID of lead leadID with its bytes, for a
// download by u, after writing the audit row of the download: the lead
// must be within u's view and the file on it or on a lead merged into it,
// else not found. No row, no download.
func (s *Store) LeadFileData(ctx context.Context, a xinlu.Actor, u *xinlu.User, leadID, fileID int64) (*xinlu.LeadFile, []byte, error) {
	l, err := s.LeadFor(ctx, u, leadID)
	if err != nil {
		return nil, nil, err
	}
	f := &xinlu.LeadFile{}
	var data []byte
	cond, args := leadFileOf(xinlu.LeadFileScope(u, l), l.ID)
	err = s.queryRow(ctx, `SELECT `+leadFileColumns+`, f.data`+leadFileFrom+` WHERE f.id = ? AND `+cond,
		append([]any{fileID}, args...)...).Scan(&f.ID, &f.ZoneID, &f.LeadID, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.UploadedBy,
		&f.CreatedAt, &f.UploaderName, &data)
	if err != nil {
		return nil, nil, s.translate(err)
	}
	if err := s.Audit(ctx, a, "lead.file_download", "lead", l.ID, leadFileAudit(f)); err != nil {
		return nil, nil, err
	}
	return f, data, nil
}

// DeleteLeadFile deletes file fileID of lead leadID (or of a lead merged
// into it) as user u, with its audit row (name, size and hash kept there):
// a screener may, and its uploader while they may still add files to the
// lead.
func (s *Store) DeleteLeadFile(ctx context.Context, a xinlu.Actor, u *xinlu.User, leadID, fileID int64) error {
	return s.inTx(ctx, func(tx *Tx) error {
		l, err := tx.leadInView(ctx, u, leadID)
		if err != nil {
			return err
		}
		cond, args := leadFileOf(xinlu.LeadFileScope(u, l), l.ID)
		f, err := scanLeadFile(tx.queryRow(ctx, `SELECT `+leadFileColumns+leadFileFrom+` WHERE f.id = ? AND `+cond,
			append([]any{fileID}, args...)...))
		if err != nil {
			return tx.s.translate(err)
		}
		if err := xinlu.CheckLeadFileDelete(u, l, f); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM lead_files WHERE id = ?`, f.ID); err != nil {
			return tx.s.translate(err)
		}
		return tx.audit(ctx, a, "lead.file_delete", "lead", l.ID, leadFileAudit(f), nil)
	})
}

// --- reveal of the contact phone ---

// RevealLeadContact returns lead id with its contact phone in full for u,
// a holder of PermReveal whose reveal scope reaches the lead (department:
// the reporter is in u's department or beneath it; zone: the zone's leads),
// after writing the audit row "personal.reveal": who, which lead, which
// field and why, never the value. No row, no reveal.
func (s *Store) RevealLeadContact(ctx context.Context, a xinlu.Actor, u *xinlu.User, id int64, reason string) (*xinlu.Lead, error) {
	if u == nil || !u.Can(xinlu.PermReveal) {
		return nil, xinlu.Forbidden()
	}
	reason, err := xinlu.CheckRevealReason(reason)
	if err != nil {
		return nil, err
	}
	l, err := s.LeadByID(ctx, u.Filter(xinlu.PermReveal), id)
	if err != nil {
		return nil, err
	}
	fields := []string{}
	if strings.TrimSpace(l.ContactPhone) != "" {
		fields = append(fields, leadPhone.Column)
	}
	err = s.inTx(ctx, func(tx *Tx) error {
		return tx.audit(ctx, a, "personal.reveal", "lead", l.ID, nil, map[string]any{
			"lead_id": l.ID, "fields": fields, "reason": reason, "company": l.Company})
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// LeadRevealable reports whether u may reveal lead id's contact phone: u
// holds PermReveal and the reveal scope reaches the lead.
func (s *Store) LeadRevealable(ctx context.Context, u *xinlu.User, id int64) bool {
	if u == nil || !u.Can(xinlu.PermReveal) {
		return false
	}
	cond, args := leadScope(u.Filter(xinlu.PermReveal))
	var n int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM leads l WHERE l.id = ? AND `+cond, append([]any{id}, args...)...).Scan(&n); err != nil {
		return false
	}
	return n > 0
}
