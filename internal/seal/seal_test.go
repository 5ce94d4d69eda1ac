package seal_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"

	"xinlu/internal/seal"
)

// Known-answer tests, so that a dependency bump cannot silently change outputs.
func TestKnownAnswers(t *testing.T) {
	if got := hex.EncodeToString(func() []byte { s := sm3.Sum([]byte("abc")); return s[:] }()); got != "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0" {
		t.Fatalf("SM3(abc) = %s", got)
	}
	// GB/T 32907-2016 example 1.
	key, _ := hex.DecodeString("0123456789abcdeffedcba9876543210")
	b, err := sm4.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]byte, 16)
	b.Encrypt(out, key)
	if got := hex.EncodeToString(out); got != "681edf34d206965e86b3e94f536e4246" {
		t.Fatalf("SM4 = %s", got)
	}
}

func ring(t testing.TB, suite seal.Suite) (*seal.Keys, *seal.Keyring) {
	t.Helper()
	k, err := seal.NewKeys(suite)
	if err != nil {
		t.Fatal(err)
	}
	dk, err := k.NewDataKey(1)
	if err != nil {
		t.Fatal(err)
	}
	r, err := k.Keyring([]seal.DataKey{dk}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	return k, r
}

func TestSealOpen(t *testing.T) {
	for _, suite := range []seal.Suite{seal.AES, seal.SM4} {
		t.Run(string(suite), func(t *testing.T) {
			_, r := ring(t, suite)
			c, err := r.Seal("members.phone", "13912345678")
			if err != nil || !seal.IsSealed(c) || strings.Contains(c, "13912345678") {
				t.Fatalf("sealed %q %v", c, err)
			}
			if id, ok := seal.KeyID(c); !ok || id != 1 {
				t.Fatalf("key id %d %v", id, ok)
			}
			if p, err := r.Open("members.phone", c); err != nil || p != "13912345678" {
				t.Fatalf("open %q %v", p, err)
			}
			if _, err := r.Open("members.id_number", c); !errors.Is(err, seal.ErrCorrupt) {
				t.Fatalf("moved to another column: %v", err)
			}
			flipped := []byte(c)
			flipped[len(flipped)-3] ^= 1
			if _, err := r.Open("members.phone", string(flipped)); err == nil {
				t.Fatal("altered ciphertext opened")
			}
			if c, _ := r.Seal("members.phone", ""); c != "" {
				t.Fatalf("empty sealed to %q", c)
			}
			if p, _ := r.Open("members.phone", "13800001111"); p != "13800001111" {
				t.Fatal("a plain legacy value is not returned as is")
			}
			// Same value, same field, same hash; other field or value, other hash.
			h := r.Hash("members.phone", "13912345678")
			if len(h) != 64 || h != r.Hash("members.phone", "13912345678") || h == r.Hash("members.id_number", "13912345678") ||
				h == r.Hash("members.phone", "13912345679") || r.Hash("members.phone", "") != "" {
				t.Fatalf("hash %q", h)
			}
			// Another key file cannot open it, nor compute the same hash.
			_, other := ring(t, suite)
			if _, err := other.Open("members.phone", c); err == nil {
				t.Fatal("another key file opened it")
			}
			if other.Hash("members.phone", "13912345678") == h {
				t.Fatal("another key file computes the same blind index")
			}
		})
	}
}

func TestNoRepeatedNonce(t *testing.T) {
	_, r := ring(t, seal.AES)
	seen := map[string]bool{}
	for i := 0; i < 10000; i++ {
		c, err := r.Seal("f", "same value")
		if err != nil {
			t.Fatal(err)
		}
		if seen[c] {
			t.Fatalf("ciphertext repeated after %d encryptions", i)
		}
		seen[c] = true
	}
}

func TestRotationKeepsOldCiphertextsReadable(t *testing.T) {
	k, _ := seal.NewKeys(seal.SM4)
	a, _ := k.NewDataKey(1)
	b, _ := k.NewDataKey(2)
	before, err := k.Keyring([]seal.DataKey{a}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	c1, _ := before.Seal("f", "v")
	after, _ := k.Keyring([]seal.DataKey{a, b}, 2, nil)
	c2, _ := after.Seal("f", "v")
	if id, _ := seal.KeyID(c2); id != 2 {
		t.Fatalf("new key id %d", id)
	}
	if p, err := after.Open("f", c1); err != nil || p != "v" {
		t.Fatalf("old ciphertext after rotation: %q %v", p, err)
	}
	// A ring that has not seen key 2 yet (a server while the CLI rotated)
	// reloads the stored keys when it meets it, and seals with it from then on.
	var reloaded bool
	running, _ := k.Keyring([]seal.DataKey{a}, 1, func() ([]seal.DataKey, uint32, error) {
		reloaded = true
		return []seal.DataKey{a, b}, 2, nil
	})
	if p, err := running.Open("f", c2); err != nil || p != "v" || !reloaded || running.Active() != 2 {
		t.Fatalf("reload: %q %v %v %d", p, err, reloaded, running.Active())
	}
	// Another key file neither unwraps the data keys nor opens the values.
	_, other := ring(t, seal.SM4)
	if _, err := other.Open("f", c1); err == nil {
		t.Fatal("a ciphertext of other keys opened")
	}
	otherKeys, _ := seal.NewKeys(seal.SM4)
	if _, err := otherKeys.Keyring([]seal.DataKey{a}, 1, nil); !errors.Is(err, seal.ErrWrongKeyFile) {
		t.Fatalf("wrong key file: %v", err)
	}
}

func TestKeyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keys", "xinlu.key")
	if _, err := seal.LoadKeyFile(path); !errors.Is(err, seal.ErrNoKeyFile) {
		t.Fatalf("missing: %v", err)
	}
	k, err := seal.CreateKeyFile(path, seal.SM4)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", info.Mode())
	}
	if _, err := seal.CreateKeyFile(path, seal.AES); err == nil {
		t.Fatal("an existing key file was overwritten")
	}
	l, err := seal.LoadKeyFile(path)
	if err != nil || l.Suite() != seal.SM4 || !bytes.Equal(l.AuditKey(), k.AuditKey()) || len(k.AuditKey()) != 32 {
		t.Fatalf("load: %v", err)
	}
	dk, _ := k.NewDataKey(7)
	if err := l.Check([]seal.DataKey{dk}); err != nil {
		t.Fatalf("the loaded keys do not unwrap: %v", err)
	}
	os.Chmod(path, 0o644)
	if _, err := seal.LoadKeyFile(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("world-readable key file accepted: %v", err)
	}
	os.Chmod(path, 0o600)
	os.WriteFile(path, []byte(`{"format":"xinlu-keys/1","suite":"aes-256-gcm","master":"AAAA"}`), 0o600)
	if _, err := seal.LoadKeyFile(path); err == nil {
		t.Fatal("damaged key file accepted")
	}
}

func TestStream(t *testing.T) {
	for _, size := range []int{0, 1, 64 << 10, 64<<10 + 1, 300_000} {
		k, _ := seal.NewKeys(seal.AES)
		src := make([]byte, size)
		rand.Read(src)
		var enc bytes.Buffer
		if err := k.EncryptStream(&enc, bytes.NewReader(src)); err != nil {
			t.Fatal(err)
		}
		if !seal.IsEncryptedBackup(enc.Bytes()) || (size > 16 && bytes.Contains(enc.Bytes(), src[:16])) {
			t.Fatalf("size %d: not encrypted", size)
		}
		var dec bytes.Buffer
		if err := k.DecryptStream(&dec, bytes.NewReader(enc.Bytes())); err != nil || !bytes.Equal(dec.Bytes(), src) {
			t.Fatalf("size %d: round trip %v", size, err)
		}
		// Cut short, altered, extended, or another key: refused.
		b := enc.Bytes()
		bad := map[string][]byte{
			"truncated": b[:len(b)-1],
			"extended":  append(append([]byte{}, b...), 0, 0, 0, 0),
			"flipped":   append([]byte{}, b...),
		}
		bad["flipped"][len(b)/2+8] ^= 0x40
		if size > 64<<10 {
			// Drop the last chunk entirely: the one before is not marked last.
			bad["last chunk dropped"] = b[:len(b)-(4+(size%(64<<10))+16)]
		}
		for name, x := range bad {
			if err := k.DecryptStream(&bytes.Buffer{}, bytes.NewReader(x)); err == nil {
				t.Errorf("size %d: %s backup accepted", size, name)
			}
		}
		other, _ := seal.NewKeys(seal.AES)
		if err := other.DecryptStream(&bytes.Buffer{}, bytes.NewReader(b)); !errors.Is(err, seal.ErrBadBackup) {
			t.Errorf("size %d: another key file: %v", size, err)
		}
	}
}

func TestParseSuite(t *testing.T) {
	for in, want := range map[string]seal.Suite{"": seal.AES, "aes": seal.AES, "SM4": seal.SM4, "sm4-gcm": seal.SM4} {
		if got, err := seal.ParseSuite(in); err != nil || got != want {
			t.Errorf("%q: %s %v", in, got, err)
		}
	}
	if _, err := seal.ParseSuite("des"); err == nil {
		t.Error("des accepted")
	}
}

func BenchmarkSeal(b *testing.B) {
	for _, suite := range []seal.Suite{seal.AES, seal.SM4} {
		_, r := ring(b, suite)
		b.Run(string(suite)+"/seal", func(b *testing.B) {
			for b.Loop() {
				r.Seal("members.phone", "13912345678")
			}
		})
		c, _ := r.Seal("members.phone", "13912345678")
		b.Run(string(suite)+"/open", func(b *testing.B) {
			for b.Loop() {
				r.Open("members.phone", c)
			}
		})
		b.Run(string(suite)+"/hash", func(b *testing.B) {
			for b.Loop() {
				r.Hash("members.phone", "13912345678")
			}
		})
	}
}
