// Package seal encrypts personal fields at rest and computes the keyed
// hashes (blind indexes) through which xinlu finds a record by an exact
// value without storing the value.
//
// Keys live in a key file outside the database (see keyfile.go): a master key
// that wraps the data keys, a blind-index key and the audit-chain key. The
// data keys themselves are stored wrapped in the database (table seal_keys),
// each with an id; every ciphertext names the id of the key that sealed it, so
// a rotation adds a key and old ciphertexts stay readable until re-encrypted.
//
// Cryptography stays behind the Sealer interface and the Suite type, so that
// SM4-GCM with HMAC-SM3 replaces AES-256-GCM with HMAC-SHA256 by
// configuration, and a certified cryptographic module can be plugged in later
// without touching business code.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"hash"
	"strings"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
)

// Sealer encrypts and decrypts one field value at a time and computes its
// blind index. field names the column ("members.phone"); it is bound to the
// ciphertext as associated data, so a value cannot be moved to another
// column unnoticed, and it separates the hashes of different columns.
type Sealer interface {
	// Seal encrypts plaintext. The empty string stays empty, so that "not
	// filled in" needs no key to be seen.
	Seal(field, plaintext string) (string, error)
	// Open decrypts what Seal produced; a value that is not sealed (a row
	// from before encryption) is returned as it is.
	Open(field, sealed string) (string, error)
	// Hash is the keyed hash of a normalised value for exact-match search;
	// the empty string hashes to "".
	Hash(field, value string) string
}

// Suite names the algorithms used together: one AEAD for data, key wrapping
// and backups, one MAC for blind indexes and key derivation.
type Suite string

const (
	// AES is AES-256-GCM with HMAC-SHA256, the default.
	AES Suite = "aes-256-gcm"
	// SM4 is SM4-GCM (GB/T 32907) with HMAC-SM3 (GB/T 32905), for zones that
	// require 国密 algorithms.
	SM4 Suite = "sm4-gcm"
)

// ParseSuite reads a suite name: aes (the default when empty) or sm4.
func ParseSuite(s string) (Suite, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "aes", "aes-gcm", "aes-256-gcm":
		return AES, nil
	case "sm4", "sm4-gcm", "gm", "guomi":
		return SM4, nil
	}
	return "", fmt.Errorf("unknown cipher suite %q: use aes or sm4", s)
}

// Valid reports whether s is a known suite.
func (s Suite) Valid() bool { return s == AES || s == SM4 }

// KeySize is the length of a data key of the suite in bytes.
func (s Suite) KeySize() int {
	if s == SM4 {
		return 16
	}
	return 32
}

// MAC names the suite's keyed hash, for messages and the key inventory.
func (s Suite) MAC() string {
	if s == SM4 {
		return "HMAC-SM3"
	}
	return "HMAC-SHA256"
}

// newHash returns the suite's hash constructor.
func (s Suite) newHash() func() hash.Hash {
	if s == SM4 {
		return sm3.New
	}
	return sha256.New
}

// aead returns the suite's AEAD under key.
func (s Suite) aead(key []byte) (cipher.AEAD, error) {
	if len(key) != s.KeySize() {
		return nil, fmt.Errorf("seal: %s needs a %d-byte key, got %d", s, s.KeySize(), len(key))
	}
	var (
		b   cipher.Block
		err error
	)
	switch s {
	case AES:
		b, err = aes.NewCipher(key)
	case SM4:
		b, err = sm4.NewCipher(key)
	default:
		return nil, fmt.Errorf("seal: unknown suite %q", s)
	}
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

// mac returns HMAC under key over parts, each length-prefixed so that part
// boundaries cannot shift.
func (s Suite) mac(key []byte, parts ...string) []byte {
	m := hmac.New(s.newHash(), key)
	for _, p := range parts {
		fmt.Fprintf(m, "%d:", len(p))
		m.Write([]byte(p))
	}
	return m.Sum(nil)
}
