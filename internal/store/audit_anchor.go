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

// AnchorAudit verifies every chain and, when they hold, appends the head
// of each chain that grew to the anchor file. since verifies only the rows
// after each chain's last anchor (cheap, for frequent runs); otherwise the
// whole log. It returns the rows verified, the newest anchor (the zero
// value when no anchor file is kept) and the first break, if any, in which
// case nothing is appended.
func (s *Store) AnchorAudit(ctx context.Context, since bool) (int, xinlu.AuditAnchor, *AuditBreak, error) {
	hist, err := s.readAnchors()
	if err != nil {
		return 0, xinlu.AuditAnchor{}, &AuditBreak{ZoneID: xinlu.LegacyChain, Reason: err.Error()}, nil
	}
	chains, err := s.verifyAudit(ctx, hist, since)
	n := 0
	for _, c := range chains {
		n += c.Rows
	}
	if err != nil {
		return n, xinlu.AuditAnchor{}, nil, err
	}
	for _, c := range chains {
		if c.Break != nil {
			return n, xinlu.AuditAnchor{}, c.Break, nil
		}
	}
	var newest xinlu.AuditAnchor
	for _, c := range chains {
		h := c.head
		last, ok := hist.Zones[h.ZoneID]
		if h.ZoneID == xinlu.LegacyChain {
			last, ok = hist.Last, hist.LegacyLines > 0
			if h.ID == 0 {
				continue // no rows from before
			}
		}
		a := last
		if !ok || last.ID != h.ID || last.Hash != h.Hash || last.Checkpoint != h.Checkpoint {
			if a, err = s.appendAnchor(xinlu.AnchorHead, h, ""); err != nil {
				return n, a, nil, err
			}
		}
		if a.ID >= newest.ID {
			newest = a
		}
	}
	return n, newest, nil, nil
}

// ResetAuditAnchor starts the anchors again from the log as it is now:
// for a database that was just created, or restored from a backup, whose
// log legitimately ends before the rows anchored earlier. Every chain must
// hold. note says why (kept in the file).
func (s *Store) ResetAuditAnchor(ctx context.Context, note string) (xinlu.AuditAnchor, error) {
	if s.auditAnchor == "" || s.auditKey == nil {
		return xinlu.AuditAnchor{}, nil
	}
	// The chains alone: the old anchors no longer apply. Checkpoints from
	// before signed ones are accepted as at a first anchor.
	chains, err := s.verifyAudit(ctx, xinlu.AnchorHistory{}, false)
	if err != nil {
		return xinlu.AuditAnchor{}, err
	}
	for _, c := range chains {
		if c.Break != nil {
			return xinlu.AuditAnchor{}, fmt.Errorf("audit chain of %s broken at row %d: %s", c.Break.Chain(), c.Break.ID, c.Break.Reason)
		}
	}
	// The reset names the single chain from before (row 0 when there was
	// none); the zones' heads follow it.
	reset, err := s.appendAnchor(xinlu.AnchorReset, chains[0].head, note)
	if err != nil {
		return reset, err
	}
	newest := reset
	for _, c := range chains[1:] {
		a, err := s.appendAnchor(xinlu.AnchorHead, c.head, "")
		if err != nil {
			return a, err
		}
		if a.ID >= newest.ID {
			newest = a
		}
	}
	return newest, nil
}

func (s *Store) appendAnchor(kind string, head auditHead, note string) (xinlu.AuditAnchor, error) {
	if s.auditAnchor == "" || s.auditKey == nil {
		return xinlu.AuditAnchor{}, nil
	}
	a := xinlu.AuditAnchor{Kind: kind, At: s.Now().UTC().Truncate(time.Second), ID: head.ID, Hash: head.Hash,
		Note: note, KeyID: s.auditKeyID, Checkpoint: head.Checkpoint}
	if head.ZoneID != xinlu.LegacyChain {
		zone := head.ZoneID
		a.Zone, a.Seq = &zone, head.Seq
	}
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
