package store_test

import (
	"context"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// landEnv is a project environment with a park that has parcels and water
// and power recorded.
type landEnv struct {
	*projectEnv
	park  *xinlu.Park
	water *xinlu.Utility
	power *xinlu.Utility
}

func newLandEnv(t *testing.T, s *store.Store, waterCap float64) *landEnv {
	t.Helper()
	ctx := context.Background()
	e := &landEnv{projectEnv: newProjectEnv(t, s)}
	e.users[xinlu.RoleDirector] = &xinlu.User{ID: 200, ZoneID: e.zone.ID, Username: "director", Name: "主任", Roles: []xinlu.Role{xinlu.RoleDirector}}
	e.park = &xinlu.Park{ZoneID: e.zone.ID, Name: "耐磨材料产业园", AreaMu: 3000, Industries: []string{"materials", "casting"}}
	if err := s.CreatePark(ctx, e.sys, e.park); err != nil {
		t.Fatal(err)
	}
	e.water = &xinlu.Utility{ZoneID: e.zone.ID, ParkID: e.park.ID, Kind: xinlu.UtilityWater, BaseCapacity: waterCap}
	e.power = &xinlu.Utility{ZoneID: e.zone.ID, ParkID: e.park.ID, Kind: xinlu.UtilityPower, BaseCapacity: 100000}
	for _, u := range []*xinlu.Utility{e.water, e.power} {
		if err := s.CreateUtility(ctx, e.sys, u); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// promoted creates a project in promotion with a plan in the park.
func (e *landEnv) promoted(t *testing.T, name string, water float64) *store.ProjectRecord {
	t.Helper()
	p := e.create(t, name, xinlu.StagePackaging, "materials", 1_200_000_000)
	plan := goodPlan()
	plan.WaterTPD, plan.PowerKVA, plan.ProposedParkID = water, 5000, e.park.ID
	p, err := e.step(p, xinlu.RolePlanner, xinlu.ProjectSubmitPlan, store.StepInput{Plan: plan})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (e *landEnv) utility(t *testing.T, id int64) *xinlu.Utility {
	t.Helper()
	u, err := e.s.UtilityByID(context.Background(), e.zone.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (e *landEnv) checkTotals(t *testing.T) {
	t.Helper()
	bad, err := e.s.CheckUtilityTotals(context.Background(), e.zone.ID)
	if err != nil || len(bad) > 0 {
		t.Fatalf("running totals differ from the ledger: %+v %v", bad, err)
	}
}

func TestParcels(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newLandEnv(t, s, 1000)
		other, oa := seedZone(t, s, "OT")
		pc := &xinlu.Parcel{ZoneID: e.zone.ID, ParkID: e.park.ID, Code: "NM-01", AreaMu: 320, LandUse: "industrial", Shape: "10,10 200,10 200,150 10,150"}
		if err := s.CreateParcel(ctx, e.sys, pc); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateParcel(ctx, e.sys, &xinlu.Parcel{ZoneID: e.zone.ID, ParkID: e.park.ID, Code: "NM-01", AreaMu: 5, LandUse: "industrial"}); xinlu.AsError(err).Key != "land.parcel_code_taken" {
			t.Fatalf("duplicate code: %v", err)
		}
		if err := s.CreateParcel(ctx, oa, &xinlu.Parcel{ZoneID: other.ID, ParkID: e.park.ID, Code: "X", AreaMu: 5, LandUse: "industrial"}); xinlu.ErrorCode(err) != xinlu.EINVALID {
			t.Fatalf("another zone's park: %v", err)
		}
		if _, err := s.ParcelByID(ctx, other.ID, pc.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("another zone sees it: %v", err)
		}

		// The planner picks it for a project; the project's park follows.
		p := e.promoted(t, "高铬耐磨件", 100)
		if err := s.PickParcel(ctx, e.actor(xinlu.RoleSponsor), e.users[xinlu.RoleSponsor], p.ID, pc.ID); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("a sponsor picks: %v", err)
		}
		if err := s.PickParcel(ctx, e.actor(xinlu.RolePlanner), e.users[xinlu.RolePlanner], p.ID, pc.ID); err != nil {
			t.Fatal(err)
		}
		q := e.promoted(t, "另一个项目", 10)
		if err := s.PickParcel(ctx, e.actor(xinlu.RolePlanner), e.users[xinlu.RolePlanner], q.ID, pc.ID); xinlu.AsError(err).Key != "land.parcel_not_free" {
			t.Fatalf("a parcel reserved for another project: %v", err)
		}

		// Status flow: one step at a time; selling needs a signed project.
		got, err := s.ParcelByID(ctx, e.zone.ID, pc.ID)
		if err != nil || got.ProjectID != p.ID || got.ProjectName != "高铬耐磨件" {
			t.Fatalf("picked: %+v", got)
		}
		if _, err := s.MoveParcel(ctx, e.sys, e.zone.ID, pc.ID, got.Version, store.ParcelMove{To: xinlu.ParcelSold}); xinlu.AsError(err).Key != "land.parcel_move_not_allowed" {
			t.Fatalf("planned → sold: %v", err)
		}
		for _, to := range []xinlu.ParcelStatus{xinlu.ParcelServiced, xinlu.ParcelListed} {
			if got, err = s.MoveParcel(ctx, e.sys, e.zone.ID, pc.ID, got.Version, store.ParcelMove{To: to}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.MoveParcel(ctx, e.sys, e.zone.ID, pc.ID, got.Version, store.ParcelMove{To: xinlu.ParcelSold, AgreedStart: "2026-09-01"}); xinlu.AsError(err).Key != "land.parcel_sold_unsigned" {
			t.Fatalf("sold to an unsigned project: %v", err)
		}
		if p, err = e.step(p, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()}); err != nil {
			t.Fatal(err)
		}
		if got, err = s.MoveParcel(ctx, e.sys, e.zone.ID, pc.ID, got.Version, store.ParcelMove{To: xinlu.ParcelSold, AgreedStart: "2026-09-01"}); err != nil {
			t.Fatal(err)
		}

		// The hourly job flags it idle: agreed start passed, not started.
		n, err := s.MarkIdleParcels(ctx, projectToday)
		if err != nil || n != 1 {
			t.Fatalf("flagged %d, %v", n, err)
		}
		idle, total, _ := s.ListParcels(ctx, store.ParcelFilter{ZoneID: e.zone.ID, Idle: true})
		if total != 1 || idle[0].IdleSince != "2026-09-01" || idle[0].IdleDays(projectToday) != 27 {
			t.Fatalf("idle list %+v", idle)
		}
		if n, _ := s.MarkIdleParcels(ctx, projectToday); n != 0 {
			t.Fatalf("a second run flags again: %d", n)
		}
		// Construction starts: the parcel is in use, no longer idle.
		if p, err = e.step(p, xinlu.RoleAgent, xinlu.ProjectStartBuilding, store.StepInput{}); err != nil {
			t.Fatal(err)
		}
		got, _ = s.ParcelByID(ctx, e.zone.ID, pc.ID)
		if got.Status != xinlu.ParcelInUse || got.IdleSince != "" {
			t.Fatalf("after construction start: %+v", got)
		}
		if err := s.DeleteParcel(ctx, e.sys, e.zone.ID, pc.ID, 0); xinlu.AsError(err).Key != "land.parcel_taken_delete" {
			t.Fatalf("delete a parcel in use: %v", err)
		}
	})
}

func TestLostProjectGivesBackItsParcel(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newLandEnv(t, s, 1000)
		pc := &xinlu.Parcel{ZoneID: e.zone.ID, ParkID: e.park.ID, Code: "NM-02", AreaMu: 320, LandUse: "industrial", Status: xinlu.ParcelListed}
		if err := s.CreateParcel(ctx, e.sys, pc); err != nil {
			t.Fatal(err)
		}
		p := e.promoted(t, "流失项目", 100)
		if err := s.PickParcel(ctx, e.actor(xinlu.RolePlanner), e.users[xinlu.RolePlanner], p.ID, pc.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.step(p, xinlu.RoleSponsor, xinlu.ProjectLose, store.StepInput{Reason: "investor_withdrew"}); err != nil {
			t.Fatal(err)
		}
		got, _ := s.ParcelByID(ctx, e.zone.ID, pc.ID)
		if got.ProjectID != 0 || got.Status != xinlu.ParcelListed {
			t.Fatalf("parcel of a lost project: %+v", got)
		}
	})
}

func TestSigningReservesUtilities(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newLandEnv(t, s, 1000)
		a := e.promoted(t, "甲项目", 600)
		a, err := e.step(a, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()})
		if err != nil {
			t.Fatal(err)
		}
		if w := e.utility(t, e.water.ID); w.Reserved != 600 || w.FreeAt("2027-12-01") != 400 || w.Warning("2027-12-01") {
			t.Fatalf("after signing: %+v", w)
		}
		if pw := e.utility(t, e.power.ID); pw.Reserved != 5000 {
			t.Fatalf("power %+v", pw)
		}

		// A second project needs 500 t/d with 400 free: refused, naming water, 100 and the date; nothing changes.
		b := e.promoted(t, "乙项目", 500)
		_, err = e.step(b, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()})
		ee := wantCode(t, err, xinlu.ECONFLICT)
		if ee.Key != "land.signing_short" || ee.Args[0] != xinlu.LabelKey("land.utility.water") || ee.Args[1] != "100" || ee.Args[3] != "2027-12-01" {
			t.Fatalf("refusal %+v", ee)
		}
		if got, _ := s.ProjectByID(ctx, e.zone.ID, b.ID); got.Stage != xinlu.StagePromotion || got.Code != "" {
			t.Fatalf("refused signing changed the project: %+v", got.Stage)
		}
		if pw := e.utility(t, e.power.ID); pw.Reserved != 5000 {
			t.Fatalf("a refused signing reserved power: %+v", pw)
		}
		// A sponsor cannot override; the director can, with a reason.
		_, err = e.step(b, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning(), Override: store.Override{Yes: true, Reason: "x"}})
		wantCode(t, err, xinlu.EFORBIDDEN)
		e.users[xinlu.RoleDirector].Roles = []xinlu.Role{xinlu.RoleDirector, xinlu.RoleSponsor}
		_, err = e.step(b, xinlu.RoleDirector, xinlu.ProjectSign, store.StepInput{Signing: goodSigning(), Override: store.Override{Yes: true}})
		if xinlu.AsError(err).Field != "override_reason" {
			t.Fatalf("override without a reason: %v", err)
		}
		b, err = e.step(b, xinlu.RoleDirector, xinlu.ProjectSign, store.StepInput{Signing: goodSigning(), Override: store.Override{Yes: true, Reason: "二水厂明年投运"}})
		if err != nil {
			t.Fatal(err)
		}
		if w := e.utility(t, e.water.ID); w.Reserved != 1100 || w.FreeAt("2027-12-01") != -100 {
			t.Fatalf("after override: %+v", w)
		}
		rows, total, _ := s.UtilityLedger(ctx, store.LedgerFilter{ZoneID: e.zone.ID, UtilityID: e.water.ID})
		if total != 2 || !rows[0].Override || rows[0].Reason != "二水厂明年投运" || rows[0].ProjectName != "乙项目" || rows[0].ActorName != "director" {
			t.Fatalf("ledger %+v", rows)
		}

		// Production commits; losing releases.
		for _, act := range []xinlu.ProjectAction{xinlu.ProjectStartBuilding, xinlu.ProjectStartProducing} {
			if a, err = e.step(a, xinlu.RoleAgent, act, store.StepInput{}); err != nil {
				t.Fatal(err)
			}
		}
		if w := e.utility(t, e.water.ID); w.Reserved != 500 || w.Committed != 600 {
			t.Fatalf("after production: %+v", w)
		}
		if _, err = e.step(b, xinlu.RoleSponsor, xinlu.ProjectLose, store.StepInput{Reason: "investor_withdrew"}); err != nil {
			t.Fatal(err)
		}
		if _, err = e.step(a, xinlu.RoleSponsor, xinlu.ProjectLose, store.StepInput{Reason: "contract_breach"}); err != nil {
			t.Fatal(err)
		}
		if w := e.utility(t, e.water.ID); w.Reserved != 0 || w.Committed != 0 {
			t.Fatalf("after both lost: %+v", w)
		}
		e.checkTotals(t)
	})
}

// Two projects sign at once against the last free water: exactly one
// reserves, the other is refused; free never goes below zero.
func TestConcurrentSigningLastWater(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		e := newLandEnv(t, s, 1000)
		const n = 4
		ps := make([]*store.ProjectRecord, n)
		for i := range ps {
			ps[i] = e.promoted(t, "抢水项目"+string(rune('A'+i)), 800)
		}
		var wg sync.WaitGroup
		errs := make([]error, n)
		start := make(chan struct{})
		for i := range ps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = e.step(ps[i], xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()})
			}()
		}
		close(start)
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case xinlu.AsError(err).Key != "land.signing_short":
				t.Fatalf("refusal is not the clear shortfall: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d signings reserved, want exactly 1: %v", ok, errs)
		}
		if w := e.utility(t, e.water.ID); w.Reserved != 800 || w.FreeAt("2027-12-01") < 0 {
			t.Fatalf("water %+v", w)
		}
		e.checkTotals(t)
	})
}

// After a random sequence of signings, plan revisions, production starts and losses, the
// running totals equal the ledger's sums and the projects' holdings.
func TestUtilityTotalsRecompute(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newLandEnv(t, s, 5000)
		rng := rand.New(rand.NewPCG(15, 2026))
		var live []*store.ProjectRecord
		revised := 0
		for i := range 40 {
			switch op := rng.IntN(4); {
			case op <= 1 || len(live) == 0:
				p := e.promoted(t, "随机项目"+time.Duration(i).String(), float64(50+rng.IntN(400)))
				p, err := e.step(p, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()})
				if err == nil {
					live = append(live, p)
				} else if xinlu.AsError(err).Key != "land.signing_short" {
					t.Fatal(err)
				}
			case op == 2:
				k := rng.IntN(len(live))
				p := live[k]
				var err error
				if p.Stage == xinlu.StageAgency {
					if p, err = e.step(p, xinlu.RoleAgent, xinlu.ProjectStartBuilding, store.StepInput{}); err == nil {
						p, err = e.step(p, xinlu.RoleAgent, xinlu.ProjectStartProducing, store.StepInput{})
					}
				}
				if err != nil {
					t.Fatal(err)
				}
				live[k] = p
			case op == 3 && rng.IntN(2) == 0:
				// A revised plan: more or less water, the planner or the sponsor.
				k := rng.IntN(len(live))
				plan := live[k].Plan
				plan.WaterTPD = math.Max(0, plan.WaterTPD+float64(rng.IntN(500)-250))
				role := []xinlu.Role{xinlu.RolePlanner, xinlu.RoleSponsor}[rng.IntN(2)]
				p, err := e.step(live[k], role, xinlu.ProjectRevisePlan, store.StepInput{Plan: &plan, Note: "补充协议"})
				switch {
				case err == nil:
					live[k] = p
					revised++
				case xinlu.AsError(err).Key != "land.revision_short":
					t.Fatal(err)
				}
			default:
				k := rng.IntN(len(live))
				if _, err := e.step(live[k], xinlu.RoleSponsor, xinlu.ProjectLose, store.StepInput{Reason: "policy_block"}); err != nil {
					t.Fatal(err)
				}
				live = append(live[:k], live[k+1:]...)
			}
			e.checkTotals(t)
		}
		var wantR, wantC float64
		for _, p := range live {
			if p.Stage == xinlu.StageProduction {
				wantC += p.Plan.WaterTPD
			} else {
				wantR += p.Plan.WaterTPD
			}
		}
		w := e.utility(t, e.water.ID)
		if w.Reserved != wantR || w.Committed != wantC || w.FreeAt("2027-12-01") < 0 {
			t.Fatalf("water %+v, want reserved %v committed %v", w, wantR, wantC)
		}
		if revised == 0 {
			t.Fatal("the sequence revised no plan")
		}
		_ = ctx
	})
}

func TestBuildoutsAndStandards(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newLandEnv(t, s, 1000)
		b := &xinlu.Buildout{ZoneID: e.zone.ID, UtilityID: e.water.ID, Name: "二水厂", Added: 4000, PlannedOn: "2027-06-30"}
		if err := s.CreateBuildout(ctx, e.sys, b); err != nil {
			t.Fatal(err)
		}
		w := e.utility(t, e.water.ID)
		if w.CapacityAt("2027-06-29") != 1000 || w.CapacityAt("2027-06-30") != 5000 {
			t.Fatalf("capacity over time %+v", w)
		}
		b.Status = xinlu.BuildoutDelayed
		if err := s.UpdateBuildout(ctx, e.sys, b); err != nil {
			t.Fatal(err)
		}
		b.Status = xinlu.BuildoutPlanned
		if err := s.UpdateBuildout(ctx, e.sys, b); xinlu.AsError(err).Key != "land.buildout_move_not_allowed" {
			t.Fatalf("delayed → planned: %v", err)
		}
		if w := e.utility(t, e.water.ID); w.CapacityAt("2030-01-01") != 1000 {
			t.Fatalf("a delayed build-out counts: %+v", w)
		}
		if err := s.CreateUtility(ctx, e.sys, &xinlu.Utility{ZoneID: e.zone.ID, ParkID: e.park.ID, Kind: xinlu.UtilityWater}); xinlu.AsError(err).Key != "land.utility_taken" {
			t.Fatalf("second water of a park: %v", err)
		}
		// Standards: the zone's apply until the park sets its own.
		if err := s.SetLandStandard(ctx, e.sys, e.zone.ID, 0, xinlu.LandStandard{InvestPerMuYuan: 3_000_000}); err != nil {
			t.Fatal(err)
		}
		if st, _ := s.LandStandard(ctx, e.zone.ID, e.park.ID); st.InvestPerMuYuan != 3_000_000 {
			t.Fatalf("zone standard %+v", st)
		}
		if err := s.SetLandStandard(ctx, e.sys, e.zone.ID, e.park.ID, xinlu.LandStandard{InvestPerMuYuan: 5_000_000, TaxPerMuYuan: 200_000}); err != nil {
			t.Fatal(err)
		}
		if st, _ := s.LandStandard(ctx, e.zone.ID, e.park.ID); st.InvestPerMuYuan != 5_000_000 {
			t.Fatalf("park standard %+v", st)
		}
		// Matching sees the standard and the water: 1.2 亿 on 300 mu is 400 万/亩 < 500.
		p := e.promoted(t, "匹配项目", 2000)
		fits, _, err := s.MatchProject(ctx, e.zone.ID, p.ID, "2027-01-01")
		if err != nil || len(fits) != 1 || fits[0].Fit {
			t.Fatalf("fits %+v %v", fits, err)
		}
		var keys []string
		for _, r := range fits[0].Reasons {
			keys = append(keys, r.Key)
		}
		want := "match.invest_intensity match.utility_short match.land_short"
		if got := join(keys); got != want {
			t.Fatalf("reasons %q, want %q", got, want)
		}
		// What matching keeps is renewed by any change: a big enough parcel, more water.
		if err := s.CreateParcel(ctx, e.sys, &xinlu.Parcel{ZoneID: e.zone.ID, ParkID: e.park.ID, Code: "BIG", AreaMu: 400, LandUse: "industrial", Status: xinlu.ParcelListed}); err != nil {
			t.Fatal(err)
		}
		w = e.utility(t, e.water.ID)
		w.BaseCapacity = 3000
		if err := s.UpdateUtility(ctx, e.sys, w); err != nil {
			t.Fatal(err)
		}
		fits, _, _ = s.MatchProject(ctx, e.zone.ID, p.ID, "2027-01-01")
		keys = nil
		for _, r := range fits[0].Reasons {
			keys = append(keys, r.Key)
		}
		if got := join(keys); got != "match.invest_intensity" || len(fits[0].Parcels) != 1 || !fits[0].Parcels[0].Fit {
			t.Fatalf("after the changes: %q %+v", got, fits[0].Parcels)
		}
	})
}

func join(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += " "
		}
		out += s
	}
	return out
}

// Projects signed at the same moment get codes of their own.
func TestConcurrentSigningCodes(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		e := newProjectEnv(t, s)
		ps := make([]*store.ProjectRecord, 4)
		for i := range ps {
			ps[i] = e.create(t, "同时签约"+string(rune('A'+i)), xinlu.StagePromotion, "equipment", 100_000_000)
		}
		var wg sync.WaitGroup
		codes := make([]string, len(ps))
		errs := make([]error, len(ps))
		for i := range ps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p, err := e.step(ps[i], xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()})
				if errs[i] = err; err == nil {
					codes[i] = p.Code
				}
			}()
		}
		wg.Wait()
		seen := map[string]bool{}
		for i, c := range codes {
			if errs[i] != nil || seen[c] {
				t.Fatalf("signing %d: %q %v (codes %v)", i, c, errs[i], codes)
			}
			seen[c] = true
		}
	})
}

// A utility goes (with its build-outs) only while the ledger names it
// nowhere; a build-out goes unless the reservations count on it.
func TestDeleteUtilitiesAndBuildouts(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newLandEnv(t, s, 1000)
		heat := &xinlu.Utility{ZoneID: e.zone.ID, ParkID: e.park.ID, Kind: xinlu.UtilityHeat, BaseCapacity: 50}
		if err := s.CreateUtility(ctx, e.sys, heat); err != nil {
			t.Fatal(err)
		}
		hb := &xinlu.Buildout{ZoneID: e.zone.ID, UtilityID: heat.ID, Name: "园区热源", Added: 100, PlannedOn: "2027-06-30"}
		if err := s.CreateBuildout(ctx, e.sys, hb); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteUtility(ctx, e.sys, e.zone.ID, heat.ID, heat.Version+1); xinlu.AsError(err).Key != "error.stale" {
			t.Fatalf("stale delete: %v", err)
		}
		if err := s.DeleteUtility(ctx, e.sys, e.zone.ID+1, heat.ID, 0); xinlu.AsError(err).Code != xinlu.ENOTFOUND {
			t.Fatalf("another zone's delete: %v", err)
		}
		if err := s.DeleteUtility(ctx, e.sys, e.zone.ID, heat.ID, heat.Version); err != nil {
			t.Fatal(err)
		}
		if us, _ := s.Utilities(ctx, e.zone.ID, e.park.ID); len(us) != 2 {
			t.Fatalf("utilities after the delete: %+v", us)
		}
		if _, err := s.BuildoutByID(ctx, e.zone.ID, hb.ID); xinlu.AsError(err).Code != xinlu.ENOTFOUND {
			t.Fatalf("the build-out outlived its utility: %v", err)
		}
		got := map[string]int{}
		for _, a := range auditActions(t, s, e.zone.ID, "") {
			got[a.Action]++
		}
		if got["utility.delete"] != 1 || got["buildout.delete"] != 1 {
			t.Fatalf("audit %v", got)
		}

		// Water carries a signed project through a build-out: neither goes.
		b := &xinlu.Buildout{ZoneID: e.zone.ID, UtilityID: e.water.ID, Name: "二水厂", Added: 1000, PlannedOn: "2027-06-30"}
		if err := s.CreateBuildout(ctx, e.sys, b); err != nil {
			t.Fatal(err)
		}
		p := e.promoted(t, "甲项目", 1500)
		if _, err := e.step(p, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()}); err != nil {
			t.Fatal(err)
		}
		err := s.DeleteUtility(ctx, e.sys, e.zone.ID, e.water.ID, 0)
		if ee := xinlu.AsError(err); ee.Code != xinlu.ECONFLICT || ee.Key != "land.utility_in_ledger" || ee.Args[0] != 1 {
			t.Fatalf("deleting water in the ledger: %v", err)
		}
		err = s.DeleteBuildout(ctx, e.sys, e.zone.ID, b.ID, b.Version)
		if ee := xinlu.AsError(err); ee.Code != xinlu.ECONFLICT || ee.Key != "land.buildout_counted_on" || ee.Args[0] != "1,500" || ee.Args[1] != "1,000" {
			t.Fatalf("deleting the build-out counted on: %v %#v", err, xinlu.AsError(err).Args)
		}
		if w := e.utility(t, e.water.ID); len(w.Buildouts) != 1 || w.Reserved != 1500 {
			t.Fatalf("a refused delete changed the water: %+v", w)
		}
		// A second build-out makes the first one spare.
		b2 := &xinlu.Buildout{ZoneID: e.zone.ID, UtilityID: e.water.ID, Name: "三水厂", Added: 2000, PlannedOn: "2028-06-30"}
		if err := s.CreateBuildout(ctx, e.sys, b2); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteBuildout(ctx, e.sys, e.zone.ID, b.ID, b.Version); err != nil {
			t.Fatal(err)
		}
		if w := e.utility(t, e.water.ID); len(w.Buildouts) != 1 || w.Buildouts[0].ID != b2.ID {
			t.Fatalf("after deleting a spare build-out: %+v", w.Buildouts)
		}
		e.checkTotals(t)
	})
}

// A plan's floor area and energy use are kept, and matching checks the
// floor-area ratio and the energy per output against the standard and the
// parcels' planned ranges.
func TestMatchFloorAreaAndEnergy(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newLandEnv(t, s, 100000)
		p := e.create(t, "容积率项目", xinlu.StagePackaging, "materials", 1_200_000_000)
		plan := goodPlan()
		// 300 mu is 200,000 m²: 300,000 m² of floor area is a ratio of 1.5; 30,000 tce on 2 亿元 is 1.5 tce per 万元.
		plan.FloorAreaM2, plan.EnergyTce, plan.OutputYuan, plan.ProposedParkID = 300_000, 30_000, new(int64(200_000_000)), e.park.ID
		p, err := e.step(p, xinlu.RolePlanner, xinlu.ProjectSavePlan, store.StepInput{Plan: plan})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := s.ProjectByID(ctx, e.zone.ID, p.ID); got.Plan.FloorAreaM2 != 300_000 || got.Plan.EnergyTce != 30_000 {
			t.Fatalf("plan kept %+v", got.Plan)
		}
		for _, c := range []*xinlu.Parcel{
			{Code: "LOW", AreaMu: 300, FARMin: 2, FARMax: 3},    // 1.5 on it: below
			{Code: "HIGH", AreaMu: 300, FARMin: 0.5, FARMax: 1}, // above
			{Code: "OK", AreaMu: 450, FARMin: 0.8, FARMax: 1.2}, // 1 on it
		} {
			c.ZoneID, c.ParkID, c.LandUse, c.Status = e.zone.ID, e.park.ID, "industrial", xinlu.ParcelListed
			if err := s.CreateParcel(ctx, e.sys, c); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.SetLandStandard(ctx, e.sys, e.zone.ID, 0, xinlu.LandStandard{FARMin: 1.6, EnergyPerOutput: 1.2}); err != nil {
			t.Fatal(err)
		}
		fits, _, err := s.MatchProject(ctx, e.zone.ID, p.ID, "2027-01-01")
		if err != nil || len(fits) != 1 {
			t.Fatalf("fits %+v %v", fits, err)
		}
		var keys []string
		for _, r := range fits[0].Reasons {
			keys = append(keys, r.Key)
		}
		if got := join(keys); got != "match.far_low match.energy_intensity" {
			t.Fatalf("park reasons %q", got)
		}
		parcels := map[string]string{}
		for _, pf := range fits[0].Parcels {
			keys = nil
			for _, r := range pf.Reasons {
				keys = append(keys, r.Key)
			}
			parcels[pf.Parcel.Code] = join(keys)
		}
		if parcels["LOW"] != "match.parcel_far_low" || parcels["HIGH"] != "match.parcel_far_high" || parcels["OK"] != "" {
			t.Fatalf("parcel reasons %v", parcels)
		}
		// The park's own standard replaces the zone's: within it, the park fits.
		if err := s.SetLandStandard(ctx, e.sys, e.zone.ID, e.park.ID, xinlu.LandStandard{FARMin: 1.2, FARMax: 2, EnergyPerOutput: 1.5}); err != nil {
			t.Fatal(err)
		}
		if fits, _, _ = s.MatchProject(ctx, e.zone.ID, p.ID, "2027-01-01"); !fits[0].Fit {
			t.Fatalf("within the park's standard: %+v", fits[0].Reasons)
		}
	})
}

// A revised plan adjusts the reservation in its transaction: more water
// where it is free, refused in words where it is not unless the director
// signs over it, less given back; after production it moves committed.
func TestRevisedPlanAdjustsReservation(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newLandEnv(t, s, 1000)
		e.users[xinlu.RoleDirector].Roles = []xinlu.Role{xinlu.RoleDirector, xinlu.RoleSponsor}
		a := e.promoted(t, "扩产项目", 400)
		// The project holds a parcel of 320 亩 (its plan needs 300).
		pc := &xinlu.Parcel{ZoneID: e.zone.ID, ParkID: e.park.ID, Code: "KC-01", AreaMu: 320, LandUse: "industrial"}
		if err := s.CreateParcel(ctx, e.sys, pc); err != nil {
			t.Fatal(err)
		}
		if err := s.PickParcel(ctx, e.actor(xinlu.RolePlanner), e.users[xinlu.RolePlanner], a.ID, pc.ID); err != nil {
			t.Fatal(err)
		}
		a, err := e.step(a, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()})
		if err != nil {
			t.Fatal(err)
		}
		revise := func(role xinlu.Role, water float64, note string, ov store.Override) (*store.ProjectRecord, error) {
			plan := a.Plan
			plan.WaterTPD = water
			return e.step(a, role, xinlu.ProjectRevisePlan, store.StepInput{Plan: &plan, Note: note, Override: ov})
		}
		// More land than the parcel holds is refused, naming both.
		bigger := a.Plan
		bigger.LandMu = 350
		_, err = e.step(a, xinlu.RolePlanner, xinlu.ProjectRevisePlan, store.StepInput{Plan: &bigger, Note: "二期用地"})
		if ee := xinlu.AsError(err); ee.Key != "project.revise_land_exceeds_parcels" || ee.Field != "land_mu" || ee.Args[0] != 320.0 || ee.Args[1] != 350.0 {
			t.Fatalf("land beyond the parcel: %v", err)
		}
		// Unchanged: nothing happens, no reason needed.
		if p, err := revise(xinlu.RolePlanner, 400, "", store.Override{}); err != nil || p.Version != a.Version {
			t.Fatalf("unchanged revision: %v", err)
		}
		if _, err := revise(xinlu.RolePlanner, 700, "", store.Override{}); xinlu.AsError(err).Key != "project.plan_reason_required" {
			t.Fatalf("no reason: %v", err)
		}
		if _, err := revise(xinlu.RoleAgent, 700, "扩产", store.Override{}); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("the agency revises: %v", err)
		}
		// The planner raises water to 700: 300 more, 600 free.
		if a, err = revise(xinlu.RolePlanner, 700, "补充协议：二期扩产", store.Override{}); err != nil {
			t.Fatal(err)
		}
		if w := e.utility(t, e.water.ID); w.Reserved != 700 {
			t.Fatalf("after raising: %+v", w)
		}
		rows, _, _ := s.UtilityLedger(ctx, store.LedgerFilter{ZoneID: e.zone.ID, ProjectID: a.ID})
		if rows[0].Kind != xinlu.LedgerAdjust || rows[0].Reserved != 300 || rows[0].Reason != "补充协议：二期扩产" || rows[0].ActorName != "planner" {
			t.Fatalf("ledger row %+v", rows[0])
		}
		// 1,200 does not fit (300 free): refused naming water, 200 short and the production date; nothing changes.
		_, err = revise(xinlu.RoleSponsor, 1200, "三期", store.Override{})
		ee := wantCode(t, err, xinlu.ECONFLICT)
		if ee.Key != "land.revision_short" || ee.Args[1] != "200" || ee.Args[3] != "2027-12-01" {
			t.Fatalf("refusal %+v", ee)
		}
		if got, _ := s.ProjectByID(ctx, e.zone.ID, a.ID); got.Plan.WaterTPD != 700 || got.Version != a.Version {
			t.Fatalf("a refused revision changed the plan: %+v", got.Plan)
		}
		if _, err = revise(xinlu.RoleSponsor, 1200, "三期", store.Override{Yes: true, Reason: "x"}); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("a sponsor overrides: %v", err)
		}
		if a, err = revise(xinlu.RoleDirector, 1200, "三期", store.Override{Yes: true, Reason: "二水厂明年投运"}); err != nil {
			t.Fatal(err)
		}
		rows, _, _ = s.UtilityLedger(ctx, store.LedgerFilter{ZoneID: e.zone.ID, ProjectID: a.ID})
		if w := e.utility(t, e.water.ID); w.Reserved != 1200 || !rows[0].Override || rows[0].Reason != "二水厂明年投运" {
			t.Fatalf("after the override: %+v %+v", w, rows[0])
		}
		// After production a revision moves committed: down to 300 gives 900 back.
		for _, act := range []xinlu.ProjectAction{xinlu.ProjectStartBuilding, xinlu.ProjectStartProducing} {
			if a, err = e.step(a, xinlu.RoleAgent, act, store.StepInput{}); err != nil {
				t.Fatal(err)
			}
		}
		if a, err = revise(xinlu.RoleSponsor, 300, "工艺改进节水", store.Override{}); err != nil {
			t.Fatal(err)
		}
		if w := e.utility(t, e.water.ID); w.Reserved != 0 || w.Committed != 300 {
			t.Fatalf("after production and the cut: %+v", w)
		}
		events, _ := s.ProjectEvents(ctx, a.ID)
		found := false
		for _, ev := range events {
			found = found || ev.Kind == "revise-plan"
		}
		if !found {
			t.Fatal("no timeline event for the revision")
		}
		e.checkTotals(t)
	})
}
