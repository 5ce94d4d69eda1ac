package cli

import (
	"context"
	"fmt"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// pickZone returns the zone with code, or the only zone when code is "".
func pickZone(ctx context.Context, st *store.Store, code string) (*xinlu.Zone, error) {
	if code != "" {
		z, err := st.ZoneByCode(ctx, code)
		if err != nil {
			return nil, fmt.Errorf("no zone with code %q", code)
		}
		return z, nil
	}
	zones, err := st.Zones(ctx)
	if err != nil {
		return nil, err
	}
	switch len(zones) {
	case 0:
		return nil, fmt.Errorf("the database has no zone yet: run 'xinlu demo' or create one first")
	case 1:
		return &zones[0], nil
	}
	return nil, usagef("the database has %d zones: choose one with --zone CODE", len(zones))
}

// createMemberFor creates a staff record for a new user.
func createMemberFor(ctx context.Context, st *store.Store, zoneID, deptID int64, username, name string) (int64, error) {
	m := &xinlu.Member{ZoneID: zoneID, DepartmentID: deptID, StaffNo: username, Name: name, Status: xinlu.MemberActive}
	if err := st.CreateMember(ctx, xinlu.SystemActor(zoneID), m); err != nil {
		return 0, fmt.Errorf("create staff record: %w", err)
	}
	return m.ID, nil
}
