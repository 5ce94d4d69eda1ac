package api

import (
	"net/http"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Funds in place (资金到位) of a project: the entries as recorded (POST
// /projects/{id}/funds records one), and their correction or reversal.

// FundsJSON is one entry of funds in place; amounts in yuan.
type FundsJSON struct {
	ID         int64  `json:"id"`
	Date       string `json:"date"`
	AmountYuan int64  `json:"amount_yuan"`
	Note       string `json:"note"`
	Version    int    `json:"version"`
}

func fundsJSON(f store.Funds) FundsJSON {
	return FundsJSON{ID: f.ID, Date: f.OnDate, AmountYuan: f.Yuan, Note: f.Note, Version: f.Version}
}

func (a *API) listFunds(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := a.store.ProjectByID(r.Context(), xinlu.ProjectZone(user(r)), id)
	if err != nil {
		return err
	}
	funds, err := a.store.ProjectFunds(r.Context(), p.ID)
	if err != nil {
		return err
	}
	out := make([]FundsJSON, len(funds))
	for i, f := range funds {
		out[i] = fundsJSON(f)
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

// fundsChangeInput is the body of POST /projects/{id}/funds/{funds}/{action}:
// the entry's version, the reason, and for a correction the entry as it
// should read.
type fundsChangeInput struct {
	Version    *int   `json:"version"`
	Reason     string `json:"reason"`
	Date       string `json:"date"`
	AmountYuan int64  `json:"amount_yuan"`
	Note       string `json:"note"`
}

// FundsRewardJSON is what a correction or reversal did to the reward
// proposed automatically from the entry: outcome revised, unchanged,
// withdrawn (rejected with the reason) or kept (decided before).
type FundsRewardJSON struct {
	ID         int64  `json:"id"`
	Status     string `json:"status"`
	AmountYuan int64  `json:"amount_yuan"`
	Outcome    string `json:"outcome"`
}

// FundsChangeJSON answers a correction or reversal: the entry as corrected
// (or as it was, when reversed), the project's funds in place now and the
// entry's reward, if it had one.
type FundsChangeJSON struct {
	Action           string           `json:"action"`
	Funds            FundsJSON        `json:"funds"`
	ProjectFundsYuan int64            `json:"project_funds_yuan"`
	Reward           *FundsRewardJSON `json:"reward,omitempty"`
}

func (a *API) changeFunds(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fundsID, err := pathID(r, "funds")
	if err != nil {
		return err
	}
	u := user(r)
	if _, err := a.store.ProjectByID(r.Context(), u.ZoneID, id); err != nil {
		return err
	}
	var in fundsChangeInput
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	action := xinlu.FundsAction(r.PathValue("action"))
	ch, err := a.store.ChangeFunds(r.Context(), actor(r), u, id, fundsID, v, action,
		store.Funds{OnDate: in.Date, Yuan: in.AmountYuan, Note: in.Note}, in.Reason)
	if err != nil {
		return err
	}
	p, err := a.store.ProjectByID(r.Context(), u.ZoneID, id)
	if err != nil {
		return err
	}
	out := FundsChangeJSON{Action: string(action), Funds: fundsJSON(ch.Funds), ProjectFundsYuan: p.FundsYuan}
	if i := ch.Reward; i != nil {
		out.Reward = &FundsRewardJSON{ID: i.ID, Status: string(i.Status), AmountYuan: i.AmountYuan, Outcome: ch.RewardOutcome}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
