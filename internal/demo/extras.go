package demo

import (
	"context"
	"math/rand/v2"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// seedExtras adds the parts of the demo beyond departments and accounts.
func seedExtras(ctx context.Context, st *store.Store, a xinlu.Actor, z *xinlu.Zone, rng *rand.Rand, deptID map[string]int64, opt Options) error {
	return nil
}
