package store_test

import (
	"context"
	"strings"
	"testing"

	"xinlu/internal/seal"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// TestTOTPSecretsAreSealed: with a key file in use, the TOTP seed is stored
// encrypted and still checks codes.
func TestTOTPSecretsAreSealed(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		keys, err := seal.NewKeys(seal.AES)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.UseKeys(ctx, keys); err != nil {
			t.Fatal(err)
		}
		z, a := seedZone(t, s, "T")
		u := &xinlu.User{ZoneID: z.ID, Username: "otp", Name: "otp", Roles: []xinlu.Role{xinlu.RoleMember}, PasswordHash: "x"}
		if err := s.CreateUser(ctx, a, u); err != nil {
			t.Fatal(err)
		}
		secret, err := s.StartTOTPEnrolment(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		var stored string
		if err := s.RawQueryRowForTest(ctx, `SELECT secret FROM user_totp WHERE user_id = ?`, u.ID).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored == secret || strings.Contains(stored, secret) || !seal.IsSealed(stored) {
			t.Fatalf("the TOTP seed is stored readable: %q", stored)
		}
		again, err := s.StartTOTPEnrolment(ctx, u.ID)
		if err != nil || again != secret {
			t.Fatalf("pending seed offered again: %q %v", again, err)
		}
		code, _ := xinlu.TOTPCode(secret, s.Now())
		if _, err := s.ConfirmTOTP(ctx, a, u.ID, code); err != nil {
			t.Fatalf("confirm with a code of the sealed seed: %v", err)
		}
	})
}
