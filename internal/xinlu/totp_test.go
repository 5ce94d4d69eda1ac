package xinlu

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base32"
	"hash"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestHOTPVectors: RFC 4226 appendix D.
func TestHOTPVectors(t *testing.T) {
	key := []byte("12345678901234567890")
	want := []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"}
	for i, w := range want {
		if got := HOTP(key, uint64(i), 6, sha1.New); got != w {
			t.Errorf("HOTP(%d) = %s, want %s", i, got, w)
		}
	}
}

// TestTOTPVectors: RFC 6238 appendix B, all three hashes, eight digits.
func TestTOTPVectors(t *testing.T) {
	seeds := map[string][]byte{
		"SHA1":   []byte("12345678901234567890"),
		"SHA256": []byte("12345678901234567890123456789012"),
		"SHA512": []byte("1234567890123456789012345678901234567890123456789012345678901234"),
	}
	hashes := map[string]func() hash.Hash{"SHA1": sha1.New, "SHA256": sha256.New, "SHA512": sha512.New}
	vectors := []struct {
		unix int64
		want map[string]string
	}{
		{59, map[string]string{"SHA1": "94287082", "SHA256": "46119246", "SHA512": "90693936"}},
		{1111111109, map[string]string{"SHA1": "07081804", "SHA256": "68084774", "SHA512": "25091201"}},
		{1111111111, map[string]string{"SHA1": "14050471", "SHA256": "67062674", "SHA512": "99943326"}},
		{1234567890, map[string]string{"SHA1": "89005924", "SHA256": "91819424", "SHA512": "93441116"}},
		{2000000000, map[string]string{"SHA1": "69279037", "SHA256": "90698825", "SHA512": "38618901"}},
		{20000000000, map[string]string{"SHA1": "65353130", "SHA256": "77737706", "SHA512": "47863826"}},
	}
	for _, v := range vectors {
		step := TOTPStep(time.Unix(v.unix, 0))
		for alg, want := range v.want {
			if got := HOTP(seeds[alg], uint64(step), 8, hashes[alg]); got != want {
				t.Errorf("%s at %d: %s, want %s", alg, v.unix, got, want)
			}
		}
	}
	// The production path (base32 secret, six digits, SHA-1) agrees with
	// the last six digits of the SHA-1 vectors.
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(seeds["SHA1"])
	for _, v := range vectors {
		got, err := TOTPCode(secret, time.Unix(v.unix, 0))
		if err != nil || got != v.want["SHA1"][2:] {
			t.Errorf("TOTPCode at %d: %s %v, want %s", v.unix, got, err, v.want["SHA1"][2:])
		}
	}
}

func TestCheckTOTPWindowAndReplay(t *testing.T) {
	secret := NewTOTPSecret()
	if len(secret) != 32 {
		t.Fatalf("secret %q is not 160 bits in base32", secret)
	}
	now := time.Date(2026, 11, 27, 8, 0, 10, 0, time.UTC)
	step := TOTPStep(now)
	code := func(s int64) string {
		c, err := TOTPCodeAt(secret, s)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, tc := range []struct {
		name  string
		code  string
		last  int64
		ok    bool
		match int64
	}{
		{"current step", code(step), 0, true, step},
		{"typed with spaces", code(step)[:3] + " " + code(step)[3:], 0, true, step},
		{"one step behind", code(step - 1), 0, true, step - 1},
		{"one step ahead", code(step + 1), 0, true, step + 1},
		{"two steps behind", code(step - 2), 0, false, 0},
		{"two steps ahead", code(step + 2), 0, false, 0},
		{"already used", code(step), step, false, 0},
		{"older than the last used", code(step - 1), step, false, 0},
		{"later than the last used", code(step + 1), step, true, step + 1},
		{"not digits", "abcdef", 0, false, 0},
		{"too short", code(step)[:5], 0, false, 0},
		{"empty", "", 0, false, 0},
	} {
		got, ok := CheckTOTP(secret, tc.code, now, tc.last)
		if ok != tc.ok || got != tc.match {
			t.Errorf("%s: step %d ok %v, want %d %v", tc.name, got, ok, tc.match, tc.ok)
		}
	}
	if _, ok := CheckTOTP(NewTOTPSecret(), code(step), now, 0); ok {
		t.Error("another secret's code was accepted")
	}
	if _, ok := CheckTOTP("not base32!", "123456", now, 0); ok {
		t.Error("a broken secret accepted a code")
	}
}

func TestTOTPURIAndRecoveryCodes(t *testing.T) {
	uri := TOTPURI("xinlu", "zhang@T", "JBSWY3DPEHPK3PXP")
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "otpauth" || u.Host != "totp" || u.Query().Get("secret") != "JBSWY3DPEHPK3PXP" ||
		u.Query().Get("digits") != "6" || u.Query().Get("period") != "30" || !strings.HasPrefix(u.Path, "/xinlu:zhang") {
		t.Fatalf("uri %s", uri)
	}
	if FormatSecret("ABCDEFGHIJ") != "ABCD EFGH IJ" {
		t.Fatal(FormatSecret("ABCDEFGHIJ"))
	}
	codes := NewRecoveryCodes()
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 11 || c[5] != '-' || seen[c] || LooksLikeTOTP(c) {
			t.Fatalf("recovery code %q", c)
		}
		seen[c] = true
		if HashRecoveryCode(strings.ToUpper(strings.ReplaceAll(c, "-", " "))) != HashRecoveryCode(c) {
			t.Fatalf("recovery code %q does not survive retyping", c)
		}
	}
	if len(codes) != RecoveryCodeCount {
		t.Fatalf("%d codes", len(codes))
	}
}
