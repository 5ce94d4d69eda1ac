package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"

	"xinlu/internal/xinlu"
)

// The anchor file keeps the verified head of the audit chain outside the
// database (see xinlu.AuditAnchor). It lives beside the key file, is opened
// for appending only, and is readable by its owner only.

// anchorMu serialises appends by this process; several servers on one
// database each keep their own file beside their own key file.
var anchorMu sync.Mutex

// SetAuditAnchor names the anchor file; "" (the default) keeps no anchors.
func (s *Store) SetAuditAnchor(path string) { s.auditAnchor = path }

// AuditAnchorPath is the anchor file, or "" when none is kept.
func (s *Store) AuditAnchorPath() string { return s.auditAnchor }

func (s *Store) readAnchors() (xinlu.AnchorHistory, error) {
	var h xinlu.AnchorHistory
	if s.auditAnchor == "" || s.auditKey == nil {
		return h, nil
	}
	f, err := os.Open(s.auditAnchor)
	if errors.Is(err, fs.ErrNotExist) {
		return h, nil
	}
	if err != nil {
		return h, err
	}
	defer f.Close()
	h, err = xinlu.ReadAnchors(f, s.auditKey)
	if err != nil {
		return h, fmt.Errorf("%s: %w", s.auditAnchor, err)
	}
	return h, nil
}

// AnchorAudit verifies the chain and, when it holds, appends its head to
// the anchor file (unless the last anchor already names it). since
// verifies only the rows after the last anchor (cheap, for frequent runs);
// otherwise the whole chain. It returns the rows verified, the anchor (the
// zero value when no anchor file is kept) and the break, if any, in which
// case nothing is appended.
func (s *Store) AnchorAudit(ctx context.Context, since bool) (int, xinlu.AuditAnchor, *AuditBreak, error) {
	hist, err := s.readAnchors()
	if err != nil {
		return 0, xinlu.AuditAnchor{}, &AuditBreak{Reason: err.Error()}, nil
	}
	n, head, brk, err := s.verifyAudit(ctx, hist, since)
	if err != nil || brk != nil {
		return n, xinlu.AuditAnchor{}, brk, err
	}
	if l := hist.Last; hist.Lines > 0 && l.ID == head.ID && l.Hash == head.Hash && l.Checkpoint == head.Checkpoint {
		return n, l, nil, nil
	}
	a, err := s.appendAnchor(xinlu.AnchorHead, head, "")
	return n, a, nil, err
}

// ResetAuditAnchor starts the anchors again from the chain as it is now:
// for a database that was just created, or restored from a backup, whose
// log legitimately ends before the rows anchored earlier. The chain must
// hold. note says why (kept in the file).
func (s *Store) ResetAuditAnchor(ctx context.Context, note string) (xinlu.AuditAnchor, error) {
	if s.auditAnchor == "" || s.auditKey == nil {
		return xinlu.AuditAnchor{}, nil
	}
	// The chain alone: the old anchors no longer apply. Checkpoints from
	// before signed ones are accepted as at a first anchor.
	_, head, brk, err := s.verifyAudit(ctx, xinlu.AnchorHistory{}, false)
	if err != nil {
		return xinlu.AuditAnchor{}, err
	}
	if brk != nil {
		return xinlu.AuditAnchor{}, fmt.Errorf("audit chain broken at row %d: %s", brk.ID, brk.Reason)
	}
	return s.appendAnchor(xinlu.AnchorReset, head, note)
}

func (s *Store) appendAnchor(kind string, head auditHead, note string) (xinlu.AuditAnchor, error) {
	if s.auditAnchor == "" || s.auditKey == nil {
		return xinlu.AuditAnchor{}, nil
	}
	a := xinlu.AuditAnchor{Kind: kind, At: s.Now().UTC().Truncate(time.Second), ID: head.ID, Hash: head.Hash,
		Note: note, KeyID: s.auditKeyID, Checkpoint: head.Checkpoint}
	anchorMu.Lock()
	defer anchorMu.Unlock()
	f, err := os.OpenFile(s.auditAnchor, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return a, fmt.Errorf("audit anchor file: %w", err)
	}
	if _, err := f.Write(xinlu.AnchorLine(a, s.auditKey)); err != nil {
		f.Close()
		return a, fmt.Errorf("audit anchor file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return a, fmt.Errorf("audit anchor file: %w", err)
	}
	return a, f.Close()
}
