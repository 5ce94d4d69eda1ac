package store

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"xinlu/internal/testdb"
	"xinlu/internal/xinlu"
)

// twoServers opens two stores on one database, as two servers share one
// PostgreSQL (or the server and the CLI one SQLite file), for each engine.
func twoServers(t *testing.T, fn func(t *testing.T, a, b *Store)) {
	open := func(t *testing.T, dsn string, migrate bool) *Store {
		s, err := Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if migrate {
			if _, err := s.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		return s
	}
	t.Run("sqlite", func(t *testing.T) {
		dsn := "sqlite:" + filepath.Join(t.TempDir(), "xinlu.db")
		a := open(t, dsn, true)
		fn(t, a, open(t, dsn, false))
	})
	if dsn := testdb.Postgres(); dsn != "" {
		t.Run("postgres", func(t *testing.T) {
			_, in := testdb.Schema(t, dsn)
			a := open(t, in, true)
			fn(t, a, open(t, in, false))
		})
	}
}

// matchState shows what matching holds of a zone in a stable order.
func matchState(parks []xinlu.MatchPark) string {
	var b strings.Builder
	ps := slices.Clone(parks)
	slices.SortFunc(ps, func(x, y xinlu.MatchPark) int { return cmp.Compare(x.Park.ID, y.Park.ID) })
	for _, p := range ps {
		fmt.Fprintf(&b, "park %d %s %v %+v\n", p.Park.ID, p.Park.Name, p.Park.Industries, p.Standard)
		us := slices.Clone(p.Utilities)
		slices.SortFunc(us, func(x, y xinlu.Utility) int { return cmp.Compare(x.ID, y.ID) })
		for _, u := range us {
			fmt.Fprintf(&b, "  utility %d %s %s %v %v %v %v %+v\n", u.ID, u.Kind, u.Supplier, u.BaseCapacity, u.WarnRatio, u.Committed, u.Reserved, u.Buildouts)
		}
		pcs := slices.Clone(p.Parcels)
		slices.SortFunc(pcs, func(x, y *xinlu.Parcel) int { return cmp.Compare(x.ID, y.ID) })
		for _, c := range pcs {
			fmt.Fprintf(&b, "  parcel %d %d %s %v %s %s %d %v %v %s\n", c.ID, c.ParkID, c.Code, c.AreaMu, c.LandUse, c.Status, c.ProjectID, c.FARMin, c.FARMax, c.ParkName)
		}
	}
	return b.String()
}

// What each server keeps for matching equals what it reads afresh after
// every kind of write, by either server, in a random sequence; a server
// whose notes were dropped reads the zone again.
func TestLandCacheFollowsEveryWrite(t *testing.T) {
	twoServers(t, func(t *testing.T, a, b *Store) {
		ctx := context.Background()
		z := &xinlu.Zone{Code: "LC", Name: "缓存开发区"}
		if err := a.CreateZone(ctx, xinlu.SystemActor(0), z); err != nil {
			t.Fatal(err)
		}
		sys := xinlu.SystemActor(z.ID)
		var parks []int64
		var utilities []int64
		for i := range 3 {
			p := &xinlu.Park{ZoneID: z.ID, Name: fmt.Sprintf("园区%d", i), Industries: []string{"equipment"}}
			if err := a.CreatePark(ctx, sys, p); err != nil {
				t.Fatal(err)
			}
			parks = append(parks, p.ID)
			for _, k := range []xinlu.UtilityKind{xinlu.UtilityWater, xinlu.UtilityPower} {
				u := &xinlu.Utility{ZoneID: z.ID, ParkID: p.ID, Kind: k, BaseCapacity: 10000}
				if err := a.CreateUtility(ctx, sys, u); err != nil {
					t.Fatal(err)
				}
				utilities = append(utilities, u.ID)
			}
		}
		project := &ProjectRecord{}
		project.ZoneID, project.Name, project.Company, project.Industry, project.Stage = z.ID, "缓存项目", "缓存公司", "equipment", xinlu.StageAgency
		project.Signing = xinlu.Signing{SignedOn: "2026-01-01", ContractYuan: 100_000_000, PromisedStart: "2026-06-01", PromisedProduce: "2027-06-01"}
		if err := a.CreateProject(ctx, sys, project); err != nil {
			t.Fatal(err)
		}
		check := func(step string) {
			t.Helper()
			for name, s := range map[string]*Store{"a": a, "b": b} {
				kept, err := s.matchParks(ctx, z.ID)
				if err != nil {
					t.Fatal(err)
				}
				fresh, err := s.loadMatchParks(ctx, z.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := matchState(kept), matchState(fresh); got != want {
					t.Fatalf("%s: server %s keeps\n%s\nthe zone reads\n%s", step, name, got, want)
				}
			}
		}
		check("start")
		rng := rand.New(rand.NewPCG(7, 51))
		var parcels []int64
		var buildouts []int64
		kinds := map[string]int{}
		for i := range 120 {
			s := []*Store{a, b}[rng.IntN(2)]
			op := rng.IntN(13)
			if len(parcels) == 0 {
				op = 0
			}
			var err error
			var name string
			switch op {
			case 0, 1:
				name = "parcel.create"
				c := &xinlu.Parcel{ZoneID: z.ID, ParkID: parks[rng.IntN(len(parks))], Code: fmt.Sprintf("C-%03d", i), AreaMu: float64(10 + rng.IntN(200)),
					LandUse: xinlu.LandUses[rng.IntN(2)], Status: xinlu.ParcelStatuses[rng.IntN(3)], FARMin: 1, FARMax: float64(2 + rng.IntN(3))}
				if err = s.CreateParcel(ctx, sys, c); err == nil {
					parcels = append(parcels, c.ID)
				}
			case 2:
				name = "parcel.update"
				var c *xinlu.Parcel
				if c, err = s.ParcelByID(ctx, z.ID, parcels[rng.IntN(len(parcels))]); err == nil {
					c.AreaMu, c.ParkID = c.AreaMu+1, parks[rng.IntN(len(parks))]
					err = s.UpdateParcel(ctx, sys, c)
				}
			case 3:
				name = "parcel.move"
				var c *xinlu.Parcel
				if c, err = s.ParcelByID(ctx, z.ID, parcels[rng.IntN(len(parcels))]); err == nil && c.Status != xinlu.ParcelListed && c.Status != xinlu.ParcelSold {
					next := xinlu.ParcelStatuses[slices.Index(xinlu.ParcelStatuses, c.Status)+1]
					_, err = s.MoveParcel(ctx, sys, z.ID, c.ID, c.Version, ParcelMove{To: next})
				} else if err == nil && c.Status == xinlu.ParcelListed {
					_, err = s.MoveParcel(ctx, sys, z.ID, c.ID, c.Version, ParcelMove{To: xinlu.ParcelSold, ProjectID: project.ID, AgreedStart: "2027-01-01"})
				}
			case 4:
				name = "parcel.delete"
				k := rng.IntN(len(parcels))
				if err = s.DeleteParcel(ctx, sys, z.ID, parcels[k], 0); err == nil {
					parcels = slices.Delete(parcels, k, k+1)
				} else if xinlu.AsError(err).Key == "land.parcel_taken_delete" {
					err = nil
				}
			case 5:
				name = "utility.update"
				var u *xinlu.Utility
				if u, err = s.UtilityByID(ctx, z.ID, utilities[rng.IntN(len(utilities))]); err == nil {
					u.BaseCapacity += 100
					err = s.UpdateUtility(ctx, sys, u)
				}
			case 6:
				name = "buildout.create"
				bo := &xinlu.Buildout{ZoneID: z.ID, UtilityID: utilities[rng.IntN(len(utilities))], Name: fmt.Sprintf("扩容%d", i), Added: 500, PlannedOn: "2027-06-30"}
				if err = s.CreateBuildout(ctx, sys, bo); err == nil {
					buildouts = append(buildouts, bo.ID)
				}
			case 7:
				name = "buildout.update"
				if len(buildouts) > 0 {
					var bo *xinlu.Buildout
					if bo, err = s.BuildoutByID(ctx, z.ID, buildouts[rng.IntN(len(buildouts))]); err == nil && bo.Status == xinlu.BuildoutPlanned {
						bo.Status = xinlu.BuildoutDelayed
						err = s.UpdateBuildout(ctx, sys, bo)
					}
				}
			case 8:
				name = "ledger"
				err = s.inTx(ctx, func(tx *Tx) error {
					return tx.ledgerRow(ctx, sys, xinlu.LedgerEntry{ZoneID: z.ID, UtilityID: utilities[rng.IntN(len(utilities))], ProjectID: project.ID,
						Kind: xinlu.LedgerReserve, Reserved: float64(rng.IntN(100)), Reason: "test"})
				})
			case 11:
				name = "buildout.delete"
				if len(buildouts) > 0 {
					k := rng.IntN(len(buildouts))
					if err = s.DeleteBuildout(ctx, sys, z.ID, buildouts[k], 0); err == nil {
						buildouts = slices.Delete(buildouts, k, k+1)
					} else if xinlu.AsError(err).Key == "land.buildout_counted_on" {
						err = nil
					}
				}
			case 12:
				name = "utility.create-delete"
				heat := &xinlu.Utility{ZoneID: z.ID, ParkID: parks[rng.IntN(len(parks))], Kind: xinlu.UtilityHeat, BaseCapacity: 50}
				if err = s.CreateUtility(ctx, sys, heat); err == nil && rng.IntN(2) == 0 {
					err = s.DeleteUtility(ctx, sys, z.ID, heat.ID, 0)
				} else if xinlu.AsError(err) != nil && xinlu.AsError(err).Key == "land.utility_taken" {
					err = nil
				}
			case 9:
				name = "standard"
				err = s.SetLandStandard(ctx, sys, z.ID, []int64{0, parks[0]}[rng.IntN(2)], xinlu.LandStandard{InvestPerMuYuan: int64(rng.IntN(5)) * 1_000_000})
			default:
				name = "park"
				if rng.IntN(3) == 0 {
					p := &xinlu.Park{ZoneID: z.ID, Name: fmt.Sprintf("新园区%d", i), Industries: []string{"materials"}}
					if err = s.CreatePark(ctx, sys, p); err == nil {
						parks = append(parks, p.ID)
					}
				} else {
					var p *xinlu.Park
					if p, err = s.ParkByID(ctx, z.ID, parks[rng.IntN(len(parks))]); err == nil {
						p.Name += "改"
						err = s.UpdatePark(ctx, sys, p)
					}
				}
			}
			if err != nil {
				t.Fatalf("%d %s: %v", i, name, err)
			}
			kinds[name]++
			check(fmt.Sprintf("%d %s", i, name))
		}
		if len(kinds) < 12 {
			t.Fatalf("not every kind of write was tried: %v", kinds)
		}
		// Notes dropped since a server's version: it reads the zone again.
		if _, err := a.matchParks(ctx, z.ID); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			u, err := b.UtilityByID(ctx, z.ID, utilities[0])
			if err != nil {
				t.Fatal(err)
			}
			u.BaseCapacity += 7
			if err := b.UpdateUtility(ctx, sys, u); err != nil {
				t.Fatal(err)
			}
		}
		e, _ := a.land.get(z.ID)
		if err := b.inTx(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `DELETE FROM land_changes WHERE zone_id = ? AND version <= ?`, z.ID, e.version+1)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		check("notes dropped")
	})
}
