package seal

import (
	"crypto/hkdf"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// keyFileFormat names the layout of the key file.
const keyFileFormat = "xinlu-keys/1"

// rootKeySize is the length of the master, index and audit keys.
const rootKeySize = 32

// Keys is what the key file holds: the master key that wraps the data keys
// (and from which the backup key is derived), the blind-index key, and the
// key of the audit chain. None of them is ever stored in the database.
type Keys struct {
	suite  Suite
	master []byte
	index  []byte
	audit  []byte
	path   string // "" for keys made in memory (tests)
}

// keyFile is the JSON on disk.
type keyFile struct {
	Format  string `json:"format"`
	Suite   Suite  `json:"suite"`
	Created string `json:"created"`
	Note    string `json:"note"`
	Master  string `json:"master"`
	Index   string `json:"index"`
	Audit   string `json:"audit"`
}

// ErrNoKeyFile is returned by LoadKeyFile when the file does not exist.
var ErrNoKeyFile = errors.New("key file does not exist")

// NewKeys makes fresh random keys in memory, for tests and for CreateKeyFile.
func NewKeys(suite Suite) (*Keys, error) {
	if !suite.Valid() {
		return nil, fmt.Errorf("seal: unknown suite %q", suite)
	}
	k := &Keys{suite: suite}
	for _, p := range []*[]byte{&k.master, &k.index, &k.audit} {
		*p = make([]byte, rootKeySize)
		if _, err := rand.Read(*p); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// Suite is the suite the key file was made for.
func (k *Keys) Suite() Suite { return k.suite }

// Path is the key file's path, "" for keys made in memory.
func (k *Keys) Path() string { return k.path }

// AuditKey is the HMAC key of the audit chain. It is a copy: callers may
// keep or wipe it.
func (k *Keys) AuditKey() []byte { return append([]byte(nil), k.audit...) }

// derive returns a subkey of the master key for one purpose (HKDF with the
// suite's hash), so that wrapping and backups never share a key.
func (k *Keys) derive(purpose string, n int) []byte {
	out, err := hkdf.Key(k.suite.newHash(), k.master, nil, "xinlu/"+purpose+"/"+string(k.suite), n)
	if err != nil {
		panic("seal: hkdf: " + err.Error()) // only for n beyond 255 hash lengths
	}
	return out
}

// CreateKeyFile writes fresh keys to path, which must not exist yet, with
// permissions 0600 (its folder 0700 when created).
func CreateKeyFile(path string, suite Suite) (*Keys, error) {
	k, err := NewKeys(suite)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create key folder: %w", err)
	}
	b, err := json.MarshalIndent(keyFile{
		Format: keyFileFormat, Suite: suite, Created: time.Now().UTC().Format(time.RFC3339),
		Note:   "xinlu key file: keep it apart from the database and its backups, readable by the service account only; without it encrypted fields and encrypted backups cannot be read",
		Master: base64.StdEncoding.EncodeToString(k.master), Index: base64.StdEncoding.EncodeToString(k.index),
		Audit: base64.StdEncoding.EncodeToString(k.audit),
	}, "", "  ")
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create key file: %w", err)
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("write key file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	k.path = path
	return k, nil
}

// LoadKeyFile reads the key file at path. It refuses a file that others
// than its owner may read or write, as ssh does with private keys.
func LoadKeyFile(path string) (*Keys, error) {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", path, ErrNoKeyFile)
	}
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, fmt.Errorf("key file %s is a folder", path)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("key file %s has permissions %04o: others may read it; run chmod 600 %s", path, perm, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var kf keyFile
	if err := json.Unmarshal(b, &kf); err != nil {
		return nil, fmt.Errorf("key file %s is not a xinlu key file: %w", path, err)
	}
	if kf.Format != keyFileFormat {
		return nil, fmt.Errorf("key file %s has format %q, want %q", path, kf.Format, keyFileFormat)
	}
	if !kf.Suite.Valid() {
		return nil, fmt.Errorf("key file %s names unknown suite %q", path, kf.Suite)
	}
	k := &Keys{suite: kf.Suite, path: path}
	for _, f := range []struct {
		name string
		enc  string
		dst  *[]byte
	}{{"master", kf.Master, &k.master}, {"index", kf.Index, &k.index}, {"audit", kf.Audit, &k.audit}} {
		raw, err := base64.StdEncoding.DecodeString(f.enc)
		if err != nil || len(raw) != rootKeySize {
			return nil, fmt.Errorf("key file %s: %s key is damaged", path, f.name)
		}
		*f.dst = raw
	}
	return k, nil
}

// AuditKeyID names the audit key without revealing it (a MAC of a fixed
// label under the key), for the key_id column of signed audit rows.
func (k *Keys) AuditKeyID() string {
	return "ak-" + hex.EncodeToString(k.suite.mac(k.audit, "xinlu/audit-key-id"))[:12]
}
