package web

import (
	"net/http"
	"slices"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func (s *Server) parkRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/parks", Perm: xinlu.PermOrgView, Handler: s.parkList},
		{Method: "GET", Pattern: "/parks/new", Perm: xinlu.PermOrgManage, Handler: s.parkNew},
		{Method: "POST", Pattern: "/parks", Perm: xinlu.PermOrgManage, Handler: s.parkCreate},
		{Method: "GET", Pattern: "/parks/{id}/edit", Perm: xinlu.PermOrgManage, Handler: s.parkEdit},
		{Method: "POST", Pattern: "/parks/{id}", Perm: xinlu.PermOrgManage, Handler: s.parkUpdate},
		{Method: "POST", Pattern: "/parks/{id}/delete", Perm: xinlu.PermOrgManage, Handler: s.deleter(s.store.DeletePark, "/parks")},
	}
}

type parkListView struct {
	Query      string
	Industry   string
	Industries []string
	Items      []*xinlu.Park
	Pager      pager
	CanEdit    bool
}

func (s *Server) parkList(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	p := pageFrom(r)
	q := r.URL.Query().Get("q")
	industry := r.URL.Query().Get("industry")
	if !xinlu.ValidIndustry(industry) {
		industry = ""
	}
	items, total, err := s.store.ListParks(r.Context(), store.ParkFilter{ZoneID: u.ZoneID, Query: q, Industry: industry, Page: p})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "parks", s.printer(r).T("park.title"), parkListView{
		Query: q, Industry: industry, Industries: xinlu.Industries, Items: items, Pager: newPager(r, p, total),
		CanEdit: u.Can(xinlu.PermOrgManage)})
}

type parkFormView struct {
	P          *xinlu.Park
	Industries []string
	Err        error
}

// Has reports whether the park is positioned on industry code c.
func (v parkFormView) Has(c string) bool { return slices.Contains(v.P.Industries, c) }

func (s *Server) parkForm(w http.ResponseWriter, r *http.Request, status int, p *xinlu.Park, err error) {
	title := "park.new"
	if p.ID != 0 {
		title = "park.edit"
	}
	s.render(w, r, status, "park_form", s.printer(r).T(title), parkFormView{P: p, Industries: xinlu.Industries, Err: err})
}

func (s *Server) parkNew(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	s.parkForm(w, r, http.StatusOK, &xinlu.Park{ZoneID: u.ZoneID}, nil)
}

// parkFromForm parses the form; bad numbers come back as field errors.
func parkFromForm(r *http.Request, p *xinlu.Park) error {
	p.Name, p.Description = r.PostFormValue("name"), r.PostFormValue("description")
	p.Industries = r.PostForm["industries"] // PostFormValue has parsed the form
	var errs xinlu.FieldErrors
	p.AreaMu = int64Field(r, &errs, "area_mu")
	p.Version = intField(r, &errs, "version")
	return withValidation(errs, func() error { c := *p; return c.Validate() })
}

func (s *Server) parkCreate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	p := &xinlu.Park{ZoneID: info.user.ZoneID}
	err := parkFromForm(r, p)
	if err == nil {
		err = s.store.CreatePark(r.Context(), xinlu.ActorOf(info.user, info.ip), p)
	}
	s.afterSave(w, r, err, func(status int, err error) {
		p.ID = 0
		s.parkForm(w, r, status, p, err)
	}, "flash.created", "/parks")
}

func (s *Server) parkEdit(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p, err := s.store.ParkByID(r.Context(), u.ZoneID, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.parkForm(w, r, http.StatusOK, p, nil)
}

func (s *Server) parkUpdate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := &xinlu.Park{ID: id, ZoneID: info.user.ZoneID}
	err = parkFromForm(r, p)
	if err == nil {
		err = s.store.UpdatePark(r.Context(), xinlu.ActorOf(info.user, info.ip), p)
	}
	s.afterSave(w, r, err, func(status int, err error) {
		s.parkForm(w, r, status, p, err)
	}, "flash.updated", "/parks")
}
