package xinlu

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Each zone's rows form a chain of their own (the system's rows are zone
// 0's chain); the rows written before that form one single chain, which
// ends where the zones' chains begin. Anchors and purge checkpoints name
// the chain they belong to.
//
// A hash chain proves that the rows it holds were not altered, but not that
// none were cut off its end: whoever can write the database can delete the
// newest rows and the chain still holds. The head of the chain is therefore
// anchored outside the database, in an append-only file beside the key
// file: each anchor names the newest verified row and its hash, signed with
// the audit key. Verification fails when an anchored row is gone, unless a
// signed purge checkpoint covers it.

// Anchor kinds.
const (
	AnchorHead  = "head"  // the chain was verified up to this row
	AnchorReset = "reset" // a new or restored database: earlier anchors no longer apply
)

// AuditAnchor is one line of the anchor file.
type AuditAnchor struct {
	Kind  string    `json:"kind"`
	At    time.Time `json:"at"`
	ID    int64     `json:"id"`   // newest row verified (0: an empty log)
	Hash  string    `json:"hash"` // its hash
	Note  string    `json:"note,omitempty"`
	KeyID string    `json:"key_id"`
	// Checkpoint is the newest purge checkpoint verified or accepted when
	// the anchor was written: checkpoints from before signed checkpoints
	// existed are accepted up to the first anchor's.
	Checkpoint int64 `json:"checkpoint"`
	// Zone names the zone whose chain the anchor is of, and Seq the row's
	// place in it; no zone: the single chain from before zones had chains.
	Zone *int64 `json:"zone,omitempty"`
	Seq  int64  `json:"seq,omitempty"`
	MAC  string `json:"mac"`
}

// ComputeMAC signs the anchor's content with the audit key.
func (a AuditAnchor) ComputeMAC(key []byte) string {
	fields := []string{a.Kind, a.At.UTC().Format(time.RFC3339Nano),
		strconv.FormatInt(a.ID, 10), a.Hash, a.Note, a.KeyID, strconv.FormatInt(a.Checkpoint, 10)}
	if a.Zone != nil {
		fields = append(fields, "zone", strconv.FormatInt(*a.Zone, 10), strconv.FormatInt(a.Seq, 10))
	}
	return macFields(key, append([]string{"xinlu-audit-anchor"}, fields...)...)
}

// AuditCheckpoint is what a purge leaves in the database: the last purged
// row and its hash, so that the rest of the chain still verifies. It is
// signed with the audit key and chained to the checkpoint before it, so
// that a checkpoint written by anyone without the key (to make rows
// deletable) does not verify.
type AuditCheckpoint struct {
	ID int64
	// ZoneID is the zone whose chain was purged up to the row UptoSeq;
	// LegacyChain for the single chain from before zones had chains.
	ZoneID   int64
	UptoID   int64
	UptoSeq  int64
	UptoHash string
	Rows     int64
	PrevMAC  string
	MAC      string
}

// LegacyChain is the zone of checkpoints of the single chain from before
// zones had chains of their own.
const LegacyChain = -1

// ComputeMAC signs the checkpoint with the audit key.
func (c AuditCheckpoint) ComputeMAC(key []byte) string {
	fields := []string{strconv.FormatInt(c.UptoID, 10), c.UptoHash, strconv.FormatInt(c.Rows, 10), c.PrevMAC}
	if c.ZoneID != LegacyChain {
		fields = append(fields, "zone", strconv.FormatInt(c.ZoneID, 10), strconv.FormatInt(c.UptoSeq, 10))
	}
	return macFields(key, append([]string{"xinlu-audit-checkpoint"}, fields...)...)
}

func macFields(key []byte, fields ...string) string {
	h := hmac.New(sha256.New, key)
	for _, f := range fields {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AnchorLine renders a signed anchor as one line of the anchor file.
func AnchorLine(a AuditAnchor, key []byte) []byte {
	a.At = a.At.UTC()
	a.MAC = a.ComputeMAC(key)
	b, _ := json.Marshal(a) // a struct of strings, numbers and a time: never fails
	return append(b, '\n')
}

// AnchorHistory is what an anchor file says: the anchors since the last
// reset, the first of them, the last of the single chain from before zones
// had chains, and the last of each zone's chain.
type AnchorHistory struct {
	First, Last AuditAnchor
	Lines       int // anchors read since the last reset
	LegacyLines int // of them, anchors of the single chain
	Zones       map[int64]AuditAnchor
}

// ReadAnchors reads an anchor file and checks every line's signature. A line
// that is not a signed anchor is an error naming the line: the file was
// altered. An empty file gives an empty history.
func ReadAnchors(r io.Reader, key []byte) (AnchorHistory, error) {
	var h AnchorHistory
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if len(line) == 0 {
			continue
		}
		var a AuditAnchor
		if err := json.Unmarshal(line, &a); err != nil {
			return h, fmt.Errorf("anchor file line %d is not an anchor", n)
		}
		if !hmac.Equal([]byte(a.MAC), []byte(a.ComputeMAC(key))) {
			return h, fmt.Errorf("anchor file line %d does not match its signature (altered, or written with another key)", n)
		}
		if a.Kind == AnchorReset || h.Lines == 0 {
			h.First, h.Lines, h.LegacyLines, h.Last, h.Zones = a, 0, 0, AuditAnchor{}, nil
		}
		if a.Zone != nil {
			if h.Zones == nil {
				h.Zones = map[int64]AuditAnchor{}
			}
			h.Zones[*a.Zone] = a
		} else {
			h.Last = a
			h.LegacyLines++
		}
		h.Lines++
	}
	return h, sc.Err()
}
