package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"strings"

	"xinlu/internal/xinlu"
)

// Files of study campaigns (study_files): a reflection handed in as a
// file, and a campaign's materials. Who may read the reflection or see
// the campaign may download its file; every upload, download and delete
// is audited by name, size and hash, never by content.

const studyFileColumns = `f.id, f.zone_id, f.campaign_id, COALESCE(f.reflection_id, 0), f.name, f.content_type, f.size, f.sha256,
	f.body, f.uploaded_by, f.created_at`

func scanStudyFile(sc scanner) (*xinlu.StudyFile, error) {
	f := &xinlu.StudyFile{}
	var body string
	err := sc.Scan(&f.ID, &f.ZoneID, &f.CampaignID, &f.ReflectionID, &f.Name, &f.ContentType, &f.Size, &f.SHA256,
		&body, &f.UploadedBy, &f.CreatedAt)
	f.TextLength = xinlu.ReflectionLength(body)
	return f, err
}

func studyFileAudit(f *xinlu.StudyFile) map[string]any {
	return map[string]any{"file_id": f.ID, "campaign_id": f.CampaignID, "reflection_id": f.ReflectionID, "name": f.Name,
		"content_type": f.ContentType, "size": f.Size, "sha256": f.SHA256, "text_length": f.TextLength}
}

// checkStudyUpload checks an upload again by content: the faces read its
// text, the store decides what is kept.
func checkStudyUpload(up xinlu.StudyFileUpload) (xinlu.StudyFileUpload, string, error) {
	ct, name, err := xinlu.CheckStudyFile(xinlu.LeadFileUpload{Name: up.Name, Data: up.Data})
	if err != nil {
		return up, "", err
	}
	if ct != up.ContentType {
		up.Text = "" // read as something else: trust nothing of it
	}
	up.Name, up.ContentType = name, ct
	up.Text = strings.TrimSpace(up.Text)
	if len([]rune(up.Text)) > xinlu.MaxCampaignSource {
		up.Text = string([]rune(up.Text)[:xinlu.MaxCampaignSource])
	}
	sum := sha256.Sum256(up.Data)
	return up, hex.EncodeToString(sum[:]), nil
}

func (tx *Tx) insertStudyFile(ctx context.Context, a xinlu.Actor, c *xinlu.Campaign, reflectionID int64, up xinlu.StudyFileUpload, sum string) (*xinlu.StudyFile, error) {
	if a.UserID == 0 {
		return nil, xinlu.Forbidden()
	}
	f := &xinlu.StudyFile{ZoneID: c.ZoneID, CampaignID: c.ID, ReflectionID: reflectionID, Name: up.Name, ContentType: up.ContentType,
		Size: int64(len(up.Data)), SHA256: sum, TextLength: xinlu.ReflectionLength(up.Text), UploadedBy: a.UserID, CreatedAt: tx.s.Now()}
	id, err := tx.insert(ctx, `INSERT INTO study_files (zone_id, campaign_id, reflection_id, name, content_type, size, sha256, body,
		uploaded_by, created_at, data) VALUES (?,?,?,?,?,?,?,?,?,?,?)`, f.ZoneID, f.CampaignID, nullID(reflectionID), f.Name,
		f.ContentType, f.Size, f.SHA256, up.Text, f.UploadedBy, f.CreatedAt, up.Data)
	if err != nil {
		return nil, err
	}
	f.ID = id
	return f, nil
}

// UploadReflection keeps up as u's reflection in campaign id: its text
// becomes the reflection's text (a new draft, or the draft or returned
// reflection at version), and the file replaces the one uploaded before.
// A file with no text (a scanned PDF) is kept and the text left as it
// was. Audited (study.reflection.upload, and study.reflection.save when
// the text changed).
func (s *Store) UploadReflection(ctx context.Context, a xinlu.Actor, u *xinlu.User, campaignID int64, version int, up xinlu.StudyFileUpload) (*xinlu.Reflection, *xinlu.StudyFile, error) {
	if u == nil {
		return nil, nil, xinlu.Forbidden()
	}
	up, sum, err := checkStudyUpload(up)
	if err != nil {
		return nil, nil, err
	}
	if len([]rune(up.Text)) > xinlu.MaxReflection {
		return nil, nil, xinlu.Invalid("file", "study.file_text_too_long", up.Name, xinlu.MaxReflection)
	}
	var out *xinlu.Reflection
	var file *xinlu.StudyFile
	err = s.inTx(ctx, func(tx *Tx) error {
		c, err := tx.campaignForUpdate(ctx, u.ZoneID, campaignID)
		if err != nil {
			return err
		}
		if !campaignSees(u, c) {
			return xinlu.NotFound("error.not_found")
		}
		old, err := tx.myReflection(ctx, u, campaignID)
		if err != nil {
			return err
		}
		body := up.Text
		if body == "" && old != nil {
			body = old.Body
		}
		if out, err = tx.saveReflection(ctx, a, u, c, old, version, body); err != nil {
			return err
		}
		var replaced []int64
		rows, err := tx.query(ctx, `SELECT id FROM study_files WHERE reflection_id = ?`, out.ID)
		if err != nil {
			return xinlu.Internal(err)
		}
		if replaced, err = collect(rows, func(sc scanner) (int64, error) {
			var id int64
			return id, sc.Scan(&id)
		}); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM study_files WHERE reflection_id = ?`, out.ID); err != nil {
			return tx.s.translate(err)
		}
		if file, err = tx.insertStudyFile(ctx, a, c, out.ID, up, sum); err != nil {
			return err
		}
		after := studyFileAudit(file)
		after["replaced"] = replaced
		return tx.audit(ctx, a, "study.reflection.upload", "study_reflection", out.ID, nil, after)
	})
	if err != nil {
		return nil, nil, err
	}
	return out, file, nil
}

// ReflectionFile is the file reflection x was handed in as, nil when it
// was typed. The caller has checked that x may be read.
func (s *Store) ReflectionFile(ctx context.Context, x *xinlu.Reflection) (*xinlu.StudyFile, error) {
	f, err := scanStudyFile(s.queryRow(ctx, `SELECT `+studyFileColumns+` FROM study_files f WHERE f.reflection_id = ? AND f.zone_id = ?
		ORDER BY f.id DESC LIMIT 1`, x.ID, x.ZoneID))
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, s.translate(err)
	}
	return f, nil
}

// CampaignMaterials lists the materials of campaign id, oldest first.
func (s *Store) CampaignMaterials(ctx context.Context, u *xinlu.User, id int64) ([]*xinlu.StudyFile, error) {
	c, err := s.Campaign(ctx, u, id)
	if err != nil {
		return nil, err
	}
	return s.campaignMaterials(ctx, c.ID)
}

func (s *Store) campaignMaterials(ctx context.Context, campaignID int64) ([]*xinlu.StudyFile, error) {
	rows, err := s.query(ctx, `SELECT `+studyFileColumns+` FROM study_files f WHERE f.campaign_id = ? AND f.reflection_id IS NULL
		ORDER BY f.id`, campaignID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	return collect(rows, scanStudyFile)
}

// materialText is the campaign's material for the copying check: the
// pasted source text and the text of every material file, and a version
// that changes with any of them.
func (s *Store) materialText(ctx context.Context, c *xinlu.Campaign) (string, int, error) {
	rows, err := s.query(ctx, `SELECT id, body FROM study_files WHERE campaign_id = ? AND reflection_id IS NULL ORDER BY id`, c.ID)
	if err != nil {
		return "", 0, xinlu.Internal(err)
	}
	type part struct {
		id   int64
		body string
	}
	parts, err := collect(rows, func(sc scanner) (part, error) {
		var p part
		return p, sc.Scan(&p.id, &p.body)
	})
	if err != nil {
		return "", 0, err
	}
	texts := []string{c.SourceText}
	version := c.Version
	for _, p := range parts {
		if p.body != "" {
			texts = append(texts, p.body)
		}
		version = version*31 + int(p.id%1000003)
	}
	return strings.TrimSpace(strings.Join(texts, "\n\n")), version, nil
}

// AddCampaignMaterial attaches up to campaign id as one of its materials:
// the organisation office while the campaign is not closed, at most
// MaxCampaignMaterials. Audited (study.material.upload).
func (s *Store) AddCampaignMaterial(ctx context.Context, a xinlu.Actor, u *xinlu.User, id int64, up xinlu.StudyFileUpload) (*xinlu.StudyFile, error) {
	if u == nil || !u.Can(xinlu.PermStudyManage) {
		return nil, xinlu.Forbidden()
	}
	up, sum, err := checkStudyUpload(up)
	if err != nil {
		return nil, err
	}
	var out *xinlu.StudyFile
	err = s.inTx(ctx, func(tx *Tx) error {
		c, err := tx.campaignForUpdate(ctx, u.ZoneID, id)
		if err != nil {
			return err
		}
		if err := xinlu.CheckMaterialEdit(u, c); err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM study_files WHERE campaign_id = ? AND reflection_id IS NULL`, c.ID).Scan(&n); err != nil {
			return xinlu.Internal(err)
		}
		if n >= xinlu.MaxCampaignMaterials {
			return xinlu.Invalid("file", "study.material_count", xinlu.MaxCampaignMaterials)
		}
		if out, err = tx.insertStudyFile(ctx, a, c, 0, up, sum); err != nil {
			return err
		}
		return tx.audit(ctx, a, "study.material.upload", "study_campaign", c.ID, nil, studyFileAudit(out))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteCampaignMaterial deletes material fileID of campaign id: the
// organisation office while the campaign is not closed. Audited
// (study.material.delete).
func (s *Store) DeleteCampaignMaterial(ctx context.Context, a xinlu.Actor, u *xinlu.User, id, fileID int64) error {
	if u == nil || !u.Can(xinlu.PermStudyManage) {
		return xinlu.Forbidden()
	}
	return s.inTx(ctx, func(tx *Tx) error {
		c, err := tx.campaignForUpdate(ctx, u.ZoneID, id)
		if err != nil {
			return err
		}
		f, err := scanStudyFile(tx.queryRow(ctx, `SELECT `+studyFileColumns+` FROM study_files f
			WHERE f.id = ? AND f.campaign_id = ? AND f.reflection_id IS NULL`, fileID, c.ID))
		if err != nil {
			return tx.s.translate(err)
		}
		if err := xinlu.CheckMaterialEdit(u, c); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM study_files WHERE id = ?`, f.ID); err != nil {
			return tx.s.translate(err)
		}
		return tx.audit(ctx, a, "study.material.delete", "study_campaign", c.ID, studyFileAudit(f), nil)
	})
}

// StudyFileData returns file id with its bytes for a download by u, after
// its audit row (study.file.download): a material to whoever sees the
// campaign, a reflection's file to whoever may read the reflection.
func (s *Store) StudyFileData(ctx context.Context, a xinlu.Actor, u *xinlu.User, id int64) (*xinlu.StudyFile, []byte, error) {
	if u == nil {
		return nil, nil, xinlu.NotFound("error.not_found")
	}
	var data []byte
	var body string
	f := &xinlu.StudyFile{}
	err := s.queryRow(ctx, `SELECT `+studyFileColumns+`, f.data FROM study_files f WHERE f.id = ? AND f.zone_id = ?`, id, u.ZoneID).Scan(
		&f.ID, &f.ZoneID, &f.CampaignID, &f.ReflectionID, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &body, &f.UploadedBy, &f.CreatedAt, &data)
	if err != nil {
		return nil, nil, s.translate(err)
	}
	f.TextLength = xinlu.ReflectionLength(body)
	if f.ReflectionID != 0 {
		if _, _, err := s.Reflection(ctx, u, f.ReflectionID); err != nil {
			return nil, nil, err
		}
	} else if _, err := s.Campaign(ctx, u, f.CampaignID); err != nil {
		return nil, nil, err
	}
	if err := s.Audit(ctx, a, "study.file.download", "study_campaign", f.CampaignID, studyFileAudit(f)); err != nil {
		return nil, nil, err
	}
	return f, data, nil
}
