package xinlu

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"
)

// AuditEntry is one row of the append-only audit log. Rows are chained: each
// stores the hash of the row before it and a hash over its own content.
type AuditEntry struct {
	ID     int64
	ZoneID int64
	// Seq numbers the row in its zone's chain (1, 2, …); 0 for rows of the
	// single chain the log kept before each zone had a chain of its own.
	Seq       int64
	At        time.Time // UTC, microsecond precision
	ActorID   int64     // 0 for the system or the CLI
	ActorName string
	Action    string // e.g. "department.create", "auth.login_failed"
	Entity    string // e.g. "department"
	EntityID  int64
	Before    string // JSON, "" when there was nothing before
	After     string // JSON, "" when nothing is left after
	IP        string
	PrevHash  string
	KeyID     string // the audit key that signed the row; "" for a plain hash
	Hash      string
}

// ComputeHash returns the hash of the entry's content chained to PrevHash:
// HMAC-SHA-256 under key, so that nobody without the key (kept outside the
// database) can rewrite the chain, or plain SHA-256 when key is nil. Every
// field but Hash itself goes in, each length-prefixed so that field
// boundaries cannot be shifted.
func (e *AuditEntry) ComputeHash(key []byte) string {
	h := sha256.New()
	if key != nil {
		h = hmac.New(sha256.New, key)
	}
	// A row of a zone's chain is named by its place in that chain; a row of
	// the single chain from before, by its id.
	place := strconv.FormatInt(e.ID, 10)
	if e.Seq > 0 {
		place = "seq " + strconv.FormatInt(e.Seq, 10)
	}
	for _, f := range []string{
		place,
		strconv.FormatInt(e.ZoneID, 10),
		e.At.UTC().Format(time.RFC3339Nano),
		strconv.FormatInt(e.ActorID, 10),
		e.ActorName, e.Action, e.Entity,
		strconv.FormatInt(e.EntityID, 10),
		e.Before, e.After, e.IP, e.PrevHash, e.KeyID,
	} {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AuditJSON renders a record for the before/after columns; nil gives "".
func AuditJSON(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return `{"error":"unrenderable"}`
	}
	return string(b)
}

// AuditFilter selects audit rows for the admin page and its export.
type AuditFilter struct {
	ZoneID   int64
	ActorID  int64
	Action   string // prefix match
	Entity   string
	EntityID int64
	From, To time.Time // To is exclusive; zero means open
	Page
}

// Actor is who performs a write: a signed-in user, or the system.
type Actor struct {
	UserID int64
	Name   string
	ZoneID int64
	IP     string
}

// SystemActor is the actor for CLI commands and background jobs.
func SystemActor(zoneID int64) Actor { return Actor{Name: "system", ZoneID: zoneID} }

// ActorOf returns the actor for a signed-in user at an address.
func ActorOf(u *User, ip string) Actor {
	return Actor{UserID: u.ID, Name: u.Username, ZoneID: u.ZoneID, IP: ip}
}
