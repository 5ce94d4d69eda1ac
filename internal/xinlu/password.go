package xinlu

import (
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters (OWASP's minimum profile: 19 MiB, 2 passes, 1 lane).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches hash. Malformed hashes never match.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when a username is unknown, so that unknown
// users and wrong passwords take the same time. It is a constant so that no
// argon2 memory is taken at start-up.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$56fETmTL9dU9rjdHPueirA$3/Cv3wpnfXEZptJBYlQkxJvIB3xrKVRi1+DyNro1f54"

// CheckPasswordOrDummy checks password against hash, or against a dummy hash
// when hash is empty, always spending the same work.
func CheckPasswordOrDummy(hash, password string) bool {
	if hash == "" {
		CheckPassword(dummyHash, password)
		return false
	}
	return CheckPassword(hash, password)
}

// ValidatePassword applies the default password policy (see
// PasswordPolicy.Validate) with no context words beyond the username.
func ValidatePassword(password, username string) error {
	return DefaultPasswordPolicy().Validate(password, username)
}

// PasswordPolicy is the part of the security policy that governs
// passwords (等保 8.1.4.1 a). DefaultPasswordPolicy gives the values
// assessors expect; a settings page may store others.
type PasswordPolicy struct {
	MinLength  int           // at least this many characters
	MaxLength  int           // at most this many (argon2 takes any length, people do not)
	MinClasses int           // of the four classes: lower case, upper case, digits, others
	BlockWeak  bool          // refuse the embedded list of common weak passwords
	History    int           // a new password may not be any of the last History ones
	MaxAge     time.Duration // a password older than this must be changed at the next login; 0: never
}

// DefaultPasswordPolicy is at least 8 characters of 3 classes, no common
// weak password, none of the last 5, changed every 90 days.
func DefaultPasswordPolicy() PasswordPolicy {
	return PasswordPolicy{MinLength: 8, MaxLength: 128, MinClasses: 3, BlockWeak: true, History: 5, MaxAge: 90 * 24 * time.Hour}
}

// ProductWord is always a context word: nobody's password may contain the
// system's own name.
const ProductWord = "xinlu"

// Validate checks a new password against the policy. The password may not
// contain the username, ProductWord or any of the context words (the zone's
// code, …) of three or more letters, and may not be a common weak password
// or one with a common word at its core ("Admin@2026", "P@ssw0rd!").
func (p PasswordPolicy) Validate(password, username string, context ...string) error {
	n := len([]rune(password))
	if n < p.MinLength {
		return Invalid("password", "password.too_short", p.MinLength)
	}
	if p.MaxLength > 0 && n > p.MaxLength {
		return Invalid("password", "error.too_long", p.MaxLength)
	}
	var lower, upper, digit, other int
	for _, r := range password {
		switch {
		case unicode.IsLower(r):
			lower = 1
		case unicode.IsUpper(r):
			upper = 1
		case unicode.IsDigit(r):
			digit = 1
		default:
			other = 1
		}
	}
	if lower+upper+digit+other < p.MinClasses {
		return Invalid("password", "password.classes")
	}
	low := strings.ToLower(password)
	if username != "" && strings.Contains(low, strings.ToLower(username)) {
		return Invalid("password", "password.contains_username")
	}
	for _, w := range append([]string{ProductWord}, context...) {
		w = strings.ToLower(strings.TrimSpace(w))
		if len([]rune(w)) < 3 {
			continue // a one-letter zone code would forbid half the alphabet
		}
		for _, v := range leetVariants(low) {
			if strings.Contains(v, w) {
				return Invalid("password", "identity.password_context", w)
			}
		}
	}
	if p.BlockWeak && IsWeakPassword(password) {
		return Invalid("password", "identity.password_weak")
	}
	return nil
}

// CheckHistory refuses a password that matches one of the hashes of the
// user's earlier passwords, newest first; only the policy's History newest
// count. Each check is a full argon2 run, so History stays small.
func (p PasswordPolicy) CheckHistory(password string, hashes []string) error {
	for i, h := range hashes {
		if i >= p.History {
			break
		}
		if CheckPassword(h, password) {
			return Invalid("password", "identity.password_reused", p.History)
		}
	}
	return nil
}

// Expired reports whether a password set at changedAt must be changed at now.
func (p PasswordPolicy) Expired(changedAt, now time.Time) bool {
	return p.MaxAge > 0 && !changedAt.IsZero() && now.Sub(changedAt) > p.MaxAge
}

// LockoutPolicy locks an account name after consecutive failed sign-ins
// (等保 8.1.4.1 b). Failures older than Duration are forgotten.
type LockoutPolicy struct {
	Threshold int           // this many consecutive failures lock the account …
	Duration  time.Duration // … for this long
}

// DefaultLockoutPolicy locks after 5 failures for 30 minutes.
func DefaultLockoutPolicy() LockoutPolicy {
	return LockoutPolicy{Threshold: 5, Duration: 30 * time.Minute}
}

//go:embed weak_passwords.txt
var weakPasswordList string

var (
	weakOnce sync.Once
	weakSet  map[string]bool
)

// IsWeakPassword reports whether password is on the embedded list of
// common weak passwords, ignoring case, or has a listed word at its core
// once leading and trailing digits and symbols are stripped and common
// look-alike characters (@ for a, 0 for o, …) read as letters.
func IsWeakPassword(password string) bool {
	weakOnce.Do(func() {
		weakSet = map[string]bool{}
		for _, line := range strings.Split(weakPasswordList, "\n") {
			line = strings.ToLower(strings.TrimSpace(line))
			if line != "" && !strings.HasPrefix(line, "#") {
				weakSet[line] = true
			}
		}
	})
	low := strings.ToLower(password)
	if weakSet[low] {
		return true
	}
	core := strings.TrimFunc(low, func(r rune) bool { return !unicode.IsLetter(r) })
	if len([]rune(core)) < 4 {
		return false
	}
	for _, v := range leetVariants(core) {
		if weakSet[v] {
			return true
		}
	}
	return false
}

// leetVariants returns s as typed and with look-alike digits and symbols
// read as the letters they stand for (1 read both as i and as l).
func leetVariants(s string) []string {
	common := strings.NewReplacer("@", "a", "4", "a", "0", "o", "3", "e", "$", "s", "5", "s", "7", "t", "!", "i", "|", "l")
	base := common.Replace(s)
	return []string{s, base, strings.ReplaceAll(base, "1", "i"), strings.ReplaceAll(base, "1", "l")}
}

// RandomPassword returns a password that satisfies ValidatePassword.
func RandomPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	// Fixed class mix at the end keeps the policy satisfied.
	return string(b) + "-a7Q"
}

// RandomToken returns n random bytes encoded for URLs and cookies.
func RandomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
