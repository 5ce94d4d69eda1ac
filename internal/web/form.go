package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"xinlu/internal/report"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// formInt parses an optional integer form field; "" is 0. A whole number
// too large for an int is read as the largest one (the smallest when
// negative), so that the domain refuses it stating the field's range
// rather than calling it no number.
func formInt(r *http.Request, name string) (int, error) {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, xinlu.Invalid(name, "error.number")
	}
	return n, nil
}

// formInt64 parses an optional id or amount; "" is 0. A whole number too
// large is read as the largest one, like formInt.
func formInt64(r *http.Request, name string) (int64, error) {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, xinlu.Invalid(name, "error.number")
	}
	return n, nil
}

// intField is formInt collecting its refusal in errs, so that a form
// reports every bad field at once.
func intField(r *http.Request, errs *xinlu.FieldErrors, name string) int {
	n, err := formInt(r, name)
	errs.Add(err)
	return n
}

// int64Field is formInt64 collecting its refusal in errs.
func int64Field(r *http.Request, errs *xinlu.FieldErrors, name string) int64 {
	n, err := formInt64(r, name)
	errs.Add(err)
	return n
}

// withValidation is the error of a form whose fields could not all be
// read (errs): with the errors the record's own validation finds in the
// other fields, so that every error shows at once; nil when errs is empty.
func withValidation(errs xinlu.FieldErrors, validate func() error) error {
	if len(errs) == 0 {
		return nil
	}
	if validate != nil {
		for _, e := range xinlu.ErrorsOf(validate()) {
			if e.Code == xinlu.EINVALID && !errs.Has(e.Field) {
				errs = append(errs, e)
			}
		}
	}
	return errs.Err()
}

// pathID reads a numeric path value; a bad one is simply not found.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id < 1 {
		return 0, xinlu.NotFound("error.not_found")
	}
	return id, nil
}

// pager is the pagination bar under every list: 共 N 条, page sizes, 前往.
type pager struct {
	Page, PerPage, Total, Pages int
	query                       url.Values
	path                        string
}

// PerPageChoices are the page sizes users can pick.
var PerPageChoices = []int{10, 20, 50, 100}

// pageFrom reads page and per_page from the query string. Nonsense is the
// first page; a number too large for any list is xinlu.MaxPage, and render
// sends a page past the end of its list on to the last page.
func pageFrom(r *http.Request) xinlu.Page {
	q := r.URL.Query()
	p, err := strconv.Atoi(q.Get("page"))
	if errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(q.Get("page"), "-") {
		p = xinlu.MaxPage
	}
	n, _ := strconv.Atoi(q.Get("per_page"))
	if n == 0 {
		n = 20
	}
	return xinlu.Page{Page: p, PerPage: n}.Normalize()
}

func newPager(r *http.Request, p xinlu.Page, total int) pager {
	pages := (total + p.PerPage - 1) / p.PerPage
	if pages < 1 {
		pages = 1
	}
	return pager{Page: p.Page, PerPage: p.PerPage, Total: total, Pages: pages, query: r.URL.Query(), path: r.URL.Path}
}

// pastTheEnd returns the pager of a list view (its field Pager) when the
// page asked for lies past the list's last page.
func pastTheEnd(data any) (pager, bool) {
	v := reflect.ValueOf(data)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return pager{}, false
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return pager{}, false
	}
	f := v.FieldByName("Pager")
	if !f.IsValid() || f.Type() != reflect.TypeFor[pager]() {
		return pager{}, false
	}
	p := f.Interface().(pager)
	return p, p.Page > p.Pages
}

// URL links to another page of the same list with the same filters.
func (p pager) URL(page int) string {
	q := url.Values{}
	for k, v := range p.query {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(page))
	q.Set("per_page", strconv.Itoa(p.PerPage))
	return p.path + "?" + q.Encode()
}

// Prev and Next are 0 when there is no such page.
func (p pager) Prev() int {
	if p.Page > 1 {
		return p.Page - 1
	}
	return 0
}

func (p pager) Next() int {
	if p.Page < p.Pages {
		return p.Page + 1
	}
	return 0
}

// Hidden lists the filters to carry in the page-size and 前往 form.
func (p pager) Hidden() [][2]string {
	var out [][2]string
	for k, vs := range p.query {
		if k == "page" || k == "per_page" {
			continue
		}
		for _, v := range vs {
			out = append(out, [2]string{k, v})
		}
	}
	return out
}

func (p pager) Sizes() []int { return PerPageChoices }

// formError picks the error to show beside a form: validation and conflict
// errors stay on the form, anything else is a failure page.
func isFormError(err error) bool {
	switch xinlu.ErrorCode(err) {
	case xinlu.EINVALID, xinlu.ECONFLICT:
		return true
	}
	return false
}

// afterSave ends a form submission: on success a flash message and a
// redirect to to; a validation or conflict error shows the form again
// through reshow with the status to answer; any other error is an error page.
func (s *Server) afterSave(w http.ResponseWriter, r *http.Request, err error, reshow func(status int, err error), flashKey, to string) {
	if err != nil {
		if isFormError(err) {
			reshow(statusOf(err), err)
			return
		}
		s.renderError(w, r, err)
		return
	}
	s.flash(w, flashKey)
	redirect(w, r, to)
}

// deleter answers a delete form (POST …/{id}/delete with the record's
// version) with a store's delete of a record of the user's zone, then goes
// back to the list at to with "删除成功".
func (s *Server) deleter(del func(ctx context.Context, a xinlu.Actor, zoneID, id int64, version int) error, to string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		info := requestInfo(r.Context())
		id, err := pathID(r, "id")
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		version, err := formInt(r, "version")
		if err == nil {
			err = del(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, id, version)
		}
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		s.flash(w, "flash.deleted")
		redirect(w, r, to)
	}
}

// sendReport answers rep as an .xlsx download named name, after writing the
// audit row action on entity (with detail, to which the row count is
// added); the workbook is built first, so that a failure is an error page.
func (s *Server) sendReport(w http.ResponseWriter, r *http.Request, rep *xlsx.Report, action, entity string, id int64, detail map[string]any, name string) {
	info := requestInfo(r.Context())
	if err := report.Send(r.Context(), w, s.store, xinlu.ActorOf(info.user, info.ip), rep, action, entity, id, detail, name); err != nil {
		s.renderError(w, r, err)
	}
}
