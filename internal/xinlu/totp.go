package xinlu

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"net/url"
	"strings"
	"time"
)

// The second factor is a time-based one-time password (TOTP, RFC 6238) as
// every authenticator app computes it: HMAC-SHA1, 30-second steps, six
// digits. A code is accepted one step either side of the server's clock and
// only once: each account remembers the last step it accepted.
const (
	TOTPDigits = 6
	TOTPPeriod = 30 // seconds
	TOTPSkew   = 1  // steps accepted either side of now
)

// RecoveryCodeCount is how many one-time recovery codes an enrolment gives.
const RecoveryCodeCount = 10

var secretEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns a random 160-bit secret in base32 without padding,
// the form authenticator apps take.
func NewTOTPSecret() string {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return secretEncoding.EncodeToString(b)
}

// decodeSecret reads a base32 secret, ignoring case, spaces and padding.
func decodeSecret(secret string) ([]byte, error) {
	s := strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "=", "").Replace(secret))
	return secretEncoding.DecodeString(s)
}

// FormatSecret groups a secret in fours for people to type.
func FormatSecret(secret string) string {
	var b strings.Builder
	for i, r := range secret {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// HOTP is the one-time password of RFC 4226 for key and counter, with digits
// digits, under the hash newHash (sha1.New for HOTP and TOTP as apps use
// them; RFC 6238 also defines SHA-256 and SHA-512).
func HOTP(key []byte, counter uint64, digits int, newHash func() hash.Hash) string {
	mac := hmac.New(newHash, key)
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for i := 0; i < digits; i++ {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// TOTPStep is the time step t falls in.
func TOTPStep(t time.Time) int64 {
	u := t.Unix()
	if u < 0 {
		return 0
	}
	return u / TOTPPeriod
}

// TOTPCodeAt returns the code of secret for time step step.
func TOTPCodeAt(secret string, step int64) (string, error) {
	key, err := decodeSecret(secret)
	if err != nil || len(key) == 0 {
		return "", Invalid("totp", "identity.totp_bad_secret")
	}
	return HOTP(key, uint64(step), TOTPDigits, sha1.New), nil
}

// TOTPCode returns the code of secret at time t.
func TOTPCode(secret string, t time.Time) (string, error) {
	return TOTPCodeAt(secret, TOTPStep(t))
}

// NormalizeTOTP removes the spaces people type in a code.
func NormalizeTOTP(code string) string {
	return strings.NewReplacer(" ", "", "\t", "", "-", "").Replace(strings.TrimSpace(code))
}

// LooksLikeTOTP reports whether code is six digits (after NormalizeTOTP);
// anything else typed at the code prompt is tried as a recovery code.
func LooksLikeTOTP(code string) bool {
	c := NormalizeTOTP(code)
	if len(c) != TOTPDigits {
		return false
	}
	for _, r := range c {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// CheckTOTP checks code against secret at now, accepting the steps within
// TOTPSkew of now that are later than lastStep (the last step this account
// accepted, so that no code is used twice). It returns the matched step.
func CheckTOTP(secret, code string, now time.Time, lastStep int64) (int64, bool) {
	code = NormalizeTOTP(code)
	if !LooksLikeTOTP(code) {
		return 0, false
	}
	key, err := decodeSecret(secret)
	if err != nil || len(key) == 0 {
		return 0, false
	}
	cur := TOTPStep(now)
	for step := cur - TOTPSkew; step <= cur+TOTPSkew; step++ {
		if step <= lastStep || step < 0 {
			continue
		}
		want := HOTP(key, uint64(step), TOTPDigits, sha1.New)
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// TOTPURI is the otpauth:// URI an authenticator app reads from a QR code.
func TOTPURI(issuer, account, secret string) string {
	label := url.PathEscape(issuer) + ":" + url.PathEscape(account)
	q := url.Values{}
	q.Set("secret", secret)
	q.Set("issuer", issuer)
	q.Set("algorithm", "SHA1")
	q.Set("digits", fmt.Sprint(TOTPDigits))
	q.Set("period", fmt.Sprint(TOTPPeriod))
	return "otpauth://totp/" + label + "?" + q.Encode()
}

// recoveryAlphabet leaves out look-alikes (0/o, 1/l/i).
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// NewRecoveryCodes returns RecoveryCodeCount random one-time codes such as
// "k7mnp-4qrst" (about 49 bits each), shown once; only their hashes are kept.
func NewRecoveryCodes() []string {
	out := make([]string, RecoveryCodeCount)
	for i := range out {
		var s strings.Builder
		for j := 0; j < 10; j++ {
			if j == 5 {
				s.WriteByte('-')
			}
			s.WriteByte(recoveryAlphabet[randomIndex(len(recoveryAlphabet))])
		}
		out[i] = s.String()
	}
	return out
}

// randomIndex returns a uniform random number below n (n ≤ 256), rejecting
// the bytes that would bias it.
func randomIndex(n int) int {
	limit := 256 - 256%n
	var b [1]byte
	for {
		if _, err := rand.Read(b[:]); err != nil {
			panic(err)
		}
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}

// HashRecoveryCode returns the stored form of a recovery code, ignoring
// case, spaces and dashes. The codes are random, so a plain hash suffices.
func HashRecoveryCode(code string) string {
	c := strings.ToLower(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(code))
	sum := sha256.Sum256([]byte("xinlu-recovery:" + c))
	return hex.EncodeToString(sum[:])
}
