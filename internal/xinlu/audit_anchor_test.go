package xinlu

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestReadAnchors(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	var file bytes.Buffer
	file.Write(AnchorLine(AuditAnchor{Kind: AnchorHead, At: at, ID: 10, Hash: "h10", KeyID: "k"}, key))
	file.Write(AnchorLine(AuditAnchor{Kind: AnchorReset, At: at, ID: 3, Hash: "h3", KeyID: "k", Checkpoint: 2, Note: "restore"}, key))
	file.Write(AnchorLine(AuditAnchor{Kind: AnchorHead, At: at.Add(time.Hour), ID: 7, Hash: "h7", KeyID: "k", Checkpoint: 2}, key))
	h, err := ReadAnchors(bytes.NewReader(file.Bytes()), key)
	if err != nil {
		t.Fatal(err)
	}
	if h.First.ID != 3 || h.First.Kind != AnchorReset || h.Last.ID != 7 || h.Lines != 2 || h.First.Checkpoint != 2 {
		t.Fatalf("history since the reset: %+v", h)
	}
	for name, text := range map[string]string{
		"another row":  strings.Replace(file.String(), `"id":7`, `"id":6`, 1),
		"another key":  string(AnchorLine(AuditAnchor{Kind: AnchorHead, At: at, ID: 1, Hash: "h"}, []byte("other"))),
		"not an entry": "hello\n",
	} {
		if _, err := ReadAnchors(strings.NewReader(text), key); err == nil {
			t.Errorf("%s: read as a good anchor file", name)
		}
	}
	if h, err := ReadAnchors(strings.NewReader(""), key); err != nil || h.Lines != 0 {
		t.Fatalf("empty file: %+v %v", h, err)
	}
}

func TestCheckpointMACChains(t *testing.T) {
	key := []byte("k")
	a := AuditCheckpoint{UptoID: 5, UptoHash: "h", Rows: 5}
	b := a
	b.PrevMAC = "x"
	if a.ComputeMAC(key) == b.ComputeMAC(key) || a.ComputeMAC(key) == a.ComputeMAC([]byte("other")) {
		t.Fatal("a checkpoint's signature ignores its predecessor or its key")
	}
}
