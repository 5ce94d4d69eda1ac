package xinlu

import "time"

// Industry codes of GLOSSARY.md; a zone positions its parks on them.
var Industries = []string{"equipment", "biomedicine", "materials", "light_industry", "casting", "other"}

// Park is a planned area of the zone with positioned industries (产业园).
type Park struct {
	ID          int64
	ZoneID      int64
	Name        string
	AreaMu      int64    // planned area in mu (亩)
	Industries  []string // industry codes
	Description string
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}
