package store

import (
	"context"

	"xinlu/internal/xinlu"
)

// CombinedAdmins lists the accounts, outside demo zones, that still hold the
// combined administrator role (xinlu.RoleAdmin) from before it was kept to
// the demo: zone code and username. The operator splits them with
// `xinlu user roles`.
func (s *Store) CombinedAdmins(ctx context.Context) ([][2]string, error) {
	rows, err := s.query(ctx, `SELECT z.code, u.username FROM user_roles r JOIN users u ON u.id = r.user_id
		JOIN zones z ON z.id = u.zone_id WHERE r.role = ? AND NOT z.demo ORDER BY z.code, u.username`, string(xinlu.RoleAdmin))
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var zone, user string
		if err := rows.Scan(&zone, &user); err != nil {
			return nil, xinlu.Internal(err)
		}
		out = append(out, [2]string{zone, user})
	}
	return out, s.translate(rows.Err())
}
