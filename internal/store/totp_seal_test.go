package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

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

// TestSecondFactorForEveryone: the installation can require a second factor
// of every account, not only the privileged ones.
func TestSecondFactorForEveryone(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, a := seedZone(t, s, "E")
		hash, _ := xinlu.HashPassword("Plain@2026x")
		u := &xinlu.User{ZoneID: z.ID, Username: "plain", Name: "plain", Roles: []xinlu.Role{xinlu.RoleMember}, PasswordHash: hash}
		if err := s.CreateUser(ctx, a, u); err != nil {
			t.Fatal(err)
		}
		policy := store.LoginPolicy{Limit: 100, Window: time.Minute}
		if _, f, err := s.Login(ctx, xinlu.Actor{IP: "10.1.1.1"}, "plain", "Plain@2026x", policy); err != nil || f != store.FactorNone {
			t.Fatalf("a member without the setting: %v %v", f, err)
		}
		s.RequireSecondFactorForAll(true)
		if _, f, err := s.Login(ctx, xinlu.Actor{IP: "10.1.1.1"}, "plain", "Plain@2026x", policy); err != nil || f != store.FactorEnrol {
			t.Fatalf("a member with the setting: %v %v", f, err)
		}
	})
}
