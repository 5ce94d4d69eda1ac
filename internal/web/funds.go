package web

import (
	"net/http"
	"strconv"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// fundsRow is one entry of funds in place on the project page, with its
// amount as the correction form fills it in (万元, exact).
type fundsRow struct {
	store.Funds
	Amount string
}

func fundsRows(funds []store.Funds) []fundsRow {
	out := make([]fundsRow, len(funds))
	for i, f := range funds {
		out[i] = fundsRow{Funds: f, Amount: wanInput(f.Yuan)}
	}
	return out
}

// fundsChange corrects (new date, amount in 万元 and note) or reverses an
// entry of funds in place from the project page, with the reason. An
// error shows beside the entry's forms; success says what became of the
// reward proposed from the entry.
func (s *Server) fundsChange(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	fundsID, err := pathID(r, "funds")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if _, err := s.store.ProjectByID(r.Context(), info.user.ZoneID, id); err != nil {
		s.renderError(w, r, err)
		return
	}
	action := xinlu.FundsAction(r.PathValue("action"))
	var ch *store.FundsChange
	err = func() error {
		version, err := formInt(r, "version")
		if err != nil {
			return err
		}
		in := store.Funds{OnDate: r.PostFormValue("date"), Note: r.PostFormValue("note")}
		if action == xinlu.FundsCorrect {
			if in.Yuan, err = formWan(r, "amount_yuan"); err != nil {
				return err
			}
		}
		ch, err = s.store.ChangeFunds(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, id, fundsID, version, action, in,
			r.PostFormValue("reason"))
		return err
	}()
	if err != nil {
		s.afterStep(w, r, id, "funds-"+strconv.FormatInt(fundsID, 10), err)
		return
	}
	key := "flash.updated"
	switch {
	case ch.RewardOutcome == xinlu.RewardRevised:
		key = "flash.funds_reward_revised"
	case ch.RewardOutcome == xinlu.RewardWithdrawn:
		key = "flash.funds_reward_withdrawn"
	case ch.RewardOutcome == xinlu.RewardKept && ch.Reward.Status == xinlu.IncentiveApproved:
		key = "flash.funds_reward_kept"
	}
	s.flash(w, key)
	redirect(w, r, "/projects/"+strconv.FormatInt(id, 10)+"#funds")
}
