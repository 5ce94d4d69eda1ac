package demo

import (
	"context"
	"fmt"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// LoadZoneCode is the code of the n-th zone beside the demo zone that
// SeedLoadZone makes (n from 2).
func LoadZoneCode(n int) string { return fmt.Sprintf("load%02d", n) }

// LoadZoneScreener is the username of the n-th load zone's screener.
func LoadZoneScreener(n int) string { return fmt.Sprintf("screener%02d", n) }

// SeedLoadZone makes the n-th zone for load tests spread over several
// zones, if it is not there: a department of twelve members, one of them
// the screener (LoadZoneScreener(n)) who signs in with password and reports
// and screens leads. SeedScale then fills it.
func SeedLoadZone(ctx context.Context, st *store.Store, n int, password string) (*xinlu.Zone, error) {
	code := LoadZoneCode(n)
	if z, err := st.ZoneByCode(ctx, code); err == nil {
		return z, nil
	}
	z := &xinlu.Zone{Code: code, Name: fmt.Sprintf("负载测试开发区 %02d", n), Demo: true}
	if err := st.CreateZone(ctx, xinlu.SystemActor(0), z); err != nil {
		return nil, err
	}
	sys := xinlu.SystemActor(z.ID)
	d := &xinlu.Department{ZoneID: z.ID, Code: "INVEST", Name: "招商局"}
	if err := st.CreateDepartment(ctx, sys, d); err != nil {
		return nil, err
	}
	hash, err := xinlu.HashPassword(password)
	if err != nil {
		return nil, err
	}
	for i := 0; i < 12; i++ {
		m := &xinlu.Member{ZoneID: z.ID, DepartmentID: d.ID, StaffNo: fmt.Sprintf("L%02d%03d", n, i+1), Name: fmt.Sprintf("招商%02d-%02d", n, i+1)}
		if err := st.CreateMember(ctx, sys, m); err != nil {
			return nil, err
		}
		if i == 0 {
			u := &xinlu.User{ZoneID: z.ID, Username: LoadZoneScreener(n), Name: m.Name, Roles: []xinlu.Role{xinlu.RoleScreener},
				PasswordHash: hash, MemberID: m.ID, DepartmentID: d.ID}
			if err := st.CreateUser(ctx, sys, u); err != nil {
				return nil, err
			}
		}
	}
	return z, nil
}
