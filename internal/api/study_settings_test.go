package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"xinlu/internal/xinlu"
)

func TestStudySettingsAPI(t *testing.T) {
	e := newLeadEnv(t)
	e.user(e.zone.ID, "office", xinlu.RoleDiscipline, 0)
	off, head, member := e.login("office"), e.login("head"), e.login("member")
	for who, tok := range map[string]string{"head": head, "member": member} {
		if status, _ := e.call(tok, "GET", "/study/settings", ""); status != 403 {
			t.Errorf("%s reads the study settings: %d", who, status)
		}
		if status, _ := e.call(tok, "PUT", "/study/settings", `{"version":1,"flag_percent":50}`); status != 403 {
			t.Errorf("%s changes the study settings: %d", who, status)
		}
	}
	if status, out := e.call(off, "GET", "/study/settings", ""); status != 200 || !strings.Contains(out, `"warn_percent":30`) ||
		!strings.Contains(out, `"flag_percent":60`) || !strings.Contains(out, `"excellent_points":2`) {
		t.Fatalf("defaults: %d %s", status, out)
	}
	if status, out := e.call(off, "PUT", "/study/settings", `{"version":1,"warn_percent":0,"flag_percent":101,"excellent_points":25}`); status != 422 ||
		strings.Count(out, `"field"`) != 4 {
		t.Fatalf("bad settings: %d %s", status, out)
	}
	if status, out := e.call(off, "PUT", "/study/settings", `{"version":1,"flag_percent":45,"excellent_points":2.5}`); status != 200 ||
		!strings.Contains(out, `"flag_percent":45`) || !strings.Contains(out, `"excellent_points":2.5`) || !strings.Contains(out, `"version":2`) {
		t.Fatalf("save: %d %s", status, out)
	}
	if status, _ := e.call(off, "PUT", "/study/settings", `{"version":1,"flag_percent":50}`); status != 409 {
		t.Fatalf("stale: %d", status)
	}

	// The copying check's matches carry their level.
	cid := openStudyCampaign(t, e, off)
	text := "我深刻认识到开发区改革的紧迫性，必须把招商引资作为第一要务，敢闯敢试，主动服务企业，把每一个项目都盯到落地投产为止。"
	status, out := e.call(head, "POST", "/study/campaigns/"+cid+"/reflections", `{"body":"`+text+`"}`)
	var rec struct{ ID int64 }
	json.Unmarshal([]byte(out), &rec)
	if status != 201 {
		t.Fatalf("head's draft: %d %s", status, out)
	}
	if status, out := e.call(head, "POST", "/study/reflections/"+itoa(rec.ID)+"/submit", `{"version":1}`); status != 200 {
		t.Fatalf("head submits: %d %s", status, out)
	}
	status, out = e.call(member, "POST", "/study/campaigns/"+cid+"/reflections", `{"body":"`+text+`"}`)
	json.Unmarshal([]byte(out), &rec)
	if status, out := e.call(member, "POST", "/study/reflections/"+itoa(rec.ID)+"/submit", `{"version":1}`); status != 200 {
		t.Fatalf("member submits: %d %s", status, out)
	}
	if status, out := e.call(off, "GET", "/study/reflections/"+itoa(rec.ID)+"/similar", ""); status != 200 || !strings.Contains(out, `"level":"flag"`) {
		t.Fatalf("similar: %d %s", status, out)
	}
}
