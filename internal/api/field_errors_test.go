package api_test

import (
	"encoding/json"
	"testing"
)

// An input invalid in several fields answers the first error as always,
// with every field error in "errors".
func TestErrorListsEveryFieldError(t *testing.T) {
	e := newStaffAPIEnv(t)
	code, body := e.call("admin", "POST", "/members", `{"staff_no":"有 空格","name":"新人","phone":"1380000","id_number":"110105","joined_on":"2020-02-30"}`)
	var out struct {
		Error struct {
			Code, Field, Key, Message string
			Errors                    []struct{ Field, Key, Message string }
		}
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil || code != 422 || out.Error.Code != "invalid" {
		t.Fatalf("%d %s", code, body)
	}
	fields := map[string]bool{}
	for _, fe := range out.Error.Errors {
		if fe.Message == "" || fe.Key == "" {
			t.Errorf("an error without its message or key: %+v", fe)
		}
		fields[fe.Field] = true
	}
	for _, f := range []string{"staff_no", "phone", "id_number", "joined_on"} {
		if !fields[f] {
			t.Errorf("no error for %s: %s", f, body)
		}
	}
	if len(out.Error.Errors) == 0 || out.Error.Errors[0].Field != out.Error.Field || out.Error.Errors[0].Message != out.Error.Message {
		t.Errorf("the first error is not the one answered: %s", body)
	}

	// One bad field: no list.
	out.Error.Errors = nil
	code, body = e.call("admin", "POST", "/members", `{"staff_no":"N2","name":"新人","phone":"1380000"}`)
	if code != 422 || json.Unmarshal([]byte(body), &out) != nil || out.Error.Field != "phone" || len(out.Error.Errors) != 0 {
		t.Errorf("one bad field: %d %s", code, body)
	}
}
