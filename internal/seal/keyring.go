package seal

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// DataKey is one data key as the database keeps it: wrapped (encrypted) by
// the master key of the key file.
type DataKey struct {
	ID      uint32
	Suite   Suite
	Wrapped []byte // nonce ‖ ciphertext ‖ tag
}

// wrapAAD binds a wrapped key to its id and suite.
func wrapAAD(id uint32, suite Suite) []byte {
	return []byte("xinlu-data-key:" + strconv.FormatUint(uint64(id), 10) + ":" + string(suite))
}

// wrapper is the AEAD that wraps data keys, under a subkey of the master key.
func (k *Keys) wrapper() (cipher.AEAD, error) {
	return k.suite.aead(k.derive("wrap", k.suite.KeySize()))
}

// NewDataKey makes a fresh data key of the key file's suite with the given
// id, wrapped by the master key.
func (k *Keys) NewDataKey(id uint32) (DataKey, error) {
	raw := make([]byte, k.suite.KeySize())
	if _, err := rand.Read(raw); err != nil {
		return DataKey{}, err
	}
	defer clear(raw)
	w, err := k.wrapper()
	if err != nil {
		return DataKey{}, err
	}
	nonce := make([]byte, w.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return DataKey{}, err
	}
	return DataKey{ID: id, Suite: k.suite, Wrapped: w.Seal(nonce, nonce, raw, wrapAAD(id, k.suite))}, nil
}

// ErrWrongKeyFile means a data key does not unwrap: the key file is not the
// one this database was encrypted with.
var ErrWrongKeyFile = errors.New("the key file does not match this database (a data key does not unwrap)")

// unwrap returns the data key's AEAD.
func (k *Keys) unwrap(dk DataKey) (cipher.AEAD, error) {
	w, err := k.wrapper()
	if err != nil {
		return nil, err
	}
	if len(dk.Wrapped) < w.NonceSize() {
		return nil, fmt.Errorf("data key %d: %w", dk.ID, ErrWrongKeyFile)
	}
	raw, err := w.Open(nil, dk.Wrapped[:w.NonceSize()], dk.Wrapped[w.NonceSize():], wrapAAD(dk.ID, dk.Suite))
	if err != nil {
		return nil, fmt.Errorf("data key %d: %w", dk.ID, ErrWrongKeyFile)
	}
	defer clear(raw)
	return dk.Suite.aead(raw)
}

// Check reports whether every data key unwraps with these keys.
func (k *Keys) Check(dks []DataKey) error {
	for _, dk := range dks {
		if _, err := k.unwrap(dk); err != nil {
			return err
		}
	}
	return nil
}

// Loader returns the data keys and the id of the active one, as stored.
type Loader func() (keys []DataKey, active uint32, err error)

// Keyring is the Sealer of a running xinlu: every unwrapped data key by id,
// the active one for new ciphertexts, and the blind-index key.
type Keyring struct {
	keys   *Keys
	reload Loader

	mu     sync.RWMutex
	aeads  map[uint32]cipher.AEAD
	active uint32
}

// Keyring unwraps dks and returns a Sealer that seals with the key active.
// reload, when not nil, is called when a ciphertext names a key the ring
// does not know (another process rotated the keys).
func (k *Keys) Keyring(dks []DataKey, active uint32, reload Loader) (*Keyring, error) {
	r := &Keyring{keys: k, reload: reload}
	if err := r.set(dks, active); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Keyring) set(dks []DataKey, active uint32) error {
	aeads := make(map[uint32]cipher.AEAD, len(dks))
	for _, dk := range dks {
		a, err := r.keys.unwrap(dk)
		if err != nil {
			return err
		}
		aeads[dk.ID] = a
	}
	if _, ok := aeads[active]; !ok {
		return fmt.Errorf("seal: the active data key %d is not among the stored keys", active)
	}
	r.mu.Lock()
	r.aeads, r.active = aeads, active
	r.mu.Unlock()
	return nil
}

// Reload reads the stored keys again, so that a key rotated by another
// process becomes the one new values are sealed with.
func (r *Keyring) Reload() error {
	if r.reload == nil {
		return nil
	}
	dks, active, err := r.reload()
	if err != nil {
		return err
	}
	return r.set(dks, active)
}

// Active is the id of the key new values are sealed with.
func (r *Keyring) Active() uint32 {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.active
}

// Keys returns the key file's keys the ring was made from.
func (r *Keyring) Keys() *Keys { return r.keys }

// prefix marks a sealed value: "s1:" then base64url of
// key id (4 bytes, big-endian) ‖ nonce (12) ‖ ciphertext ‖ tag (16).
const prefix = "s1:"

// IsSealed reports whether s is a sealed value (not plain text).
func IsSealed(s string) bool { return strings.HasPrefix(s, prefix) }

// KeyID returns the id of the data key that sealed s.
func KeyID(s string) (uint32, bool) {
	if !IsSealed(s) {
		return 0, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(s[len(prefix):])
	if err != nil || len(raw) < 4 {
		return 0, false
	}
	return binary.BigEndian.Uint32(raw), true
}

// ErrUnknownKey means a ciphertext names a data key that is not stored.
var ErrUnknownKey = errors.New("sealed with a data key this database does not hold")

// ErrCorrupt means a ciphertext does not decrypt: it was altered, moved
// to another column, or sealed under other keys.
var ErrCorrupt = errors.New("sealed value does not decrypt (altered, moved or sealed under other keys)")

func (r *Keyring) aead(id uint32) (cipher.AEAD, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	a, ok := r.aeads[id]
	return a, ok
}

// Seal encrypts plaintext for field under the active key.
func (r *Keyring) Seal(field, plaintext string) (string, error) {
	if plaintext == "" {
		return "", nil
	}
	r.mu.RLock()
	id, a := r.active, r.aeads[r.active]
	r.mu.RUnlock()
	buf := make([]byte, 4+a.NonceSize(), 4+a.NonceSize()+len(plaintext)+a.Overhead())
	binary.BigEndian.PutUint32(buf, id)
	if _, err := rand.Read(buf[4:]); err != nil {
		return "", err
	}
	buf = a.Seal(buf, buf[4:4+a.NonceSize()], []byte(plaintext), []byte(field))
	return prefix + base64.RawURLEncoding.EncodeToString(buf), nil
}

// Open decrypts a value sealed for field. A value that is not sealed is
// returned unchanged: rows written before encryption was switched on stay
// readable until they are sealed.
func (r *Keyring) Open(field, sealed string) (string, error) {
	if !IsSealed(sealed) {
		return sealed, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(sealed[len(prefix):])
	if err != nil || len(raw) < 4 {
		return "", fmt.Errorf("%s: %w", field, ErrCorrupt)
	}
	id := binary.BigEndian.Uint32(raw)
	a, ok := r.aead(id)
	if !ok && r.reload != nil {
		if err := r.Reload(); err != nil {
			return "", err
		}
		a, ok = r.aead(id)
	}
	if !ok {
		return "", fmt.Errorf("%s: key %d: %w", field, id, ErrUnknownKey)
	}
	raw = raw[4:]
	if len(raw) < a.NonceSize()+a.Overhead() {
		return "", fmt.Errorf("%s: %w", field, ErrCorrupt)
	}
	plain, err := a.Open(nil, raw[:a.NonceSize()], raw[a.NonceSize():], []byte(field))
	if err != nil {
		return "", fmt.Errorf("%s: %w", field, ErrCorrupt)
	}
	return string(plain), nil
}

// Hash is the blind index of value in field: the suite's HMAC under the
// index key, hex-encoded. The index key does not change when data keys
// rotate, so lookups keep working across a rotation.
func (r *Keyring) Hash(field, value string) string {
	if value == "" {
		return ""
	}
	return hex.EncodeToString(r.keys.suite.mac(r.keys.index, field, value))
}

var _ Sealer = (*Keyring)(nil)
