package web

import (
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func (s *Server) searchRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/search", Perm: xinlu.PermSignedIn, Handler: s.search},
	}
}

// searchShown is how many records of each kind the search page lists; the
// kind's list, filtered by the same words, has the rest.
const searchShown = 10

// searchView is the answer of the search box in the top bar: companies and
// projects, leads and people that match, each kind within what the user
// may see.
type searchView struct {
	Q        string
	Projects []*store.ProjectRecord
	Leads    []*xinlu.Lead
	Members  []*xinlu.Member
	// Totals and the lists that hold them all.
	ProjectTotal, LeadTotal, MemberTotal int
	ProjectsURL, LeadsURL, MembersURL    string
	// Which kinds the user may search at all.
	SeesProjects, SeesLeads, SeesMembers bool
	TooShort                             bool
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if utf8.RuneCountInString(q) > 60 {
		q = string([]rune(q)[:60])
	}
	v := searchView{Q: q, SeesProjects: u.Can(xinlu.PermProjectView), SeesLeads: u.Can(xinlu.PermLeadView),
		SeesMembers: u.Can(xinlu.PermStaffView)}
	// One Chinese character or two letters are a search; less lists everything.
	if utf8.RuneCountInString(q) < 2 && (q == "" || q[0] < 0x80) {
		v.TooShort = q != ""
		s.render(w, r, http.StatusOK, "search", s.printer(r).T("search.title"), v)
		return
	}
	ctx, page := r.Context(), xinlu.Page{Page: 1, PerPage: searchShown}
	words := url.Values{"q": {q}}.Encode()
	var err error
	if v.SeesProjects {
		if v.Projects, v.ProjectTotal, err = s.store.ListProjects(ctx, store.ProjectFilter{ZoneID: xinlu.ProjectZone(u), Query: q, Page: page}); err != nil {
			s.renderError(w, r, err)
			return
		}
		v.ProjectsURL = "/projects?" + words
	}
	if v.SeesLeads {
		if v.Leads, v.LeadTotal, err = s.store.ListLeads(ctx, store.LeadFilter{Scope: u.Filter(xinlu.PermLeadView), Query: q, Page: page}); err != nil {
			s.renderError(w, r, err)
			return
		}
		v.LeadsURL = "/leads?status=&" + words
	}
	if v.SeesMembers {
		if v.Members, v.MemberTotal, err = s.store.ListMembers(ctx, store.MemberFilter{Scope: u.Filter(xinlu.PermStaffView), Query: q, Page: page}); err != nil {
			s.renderError(w, r, err)
			return
		}
		v.MembersURL = "/members?" + words
	}
	s.render(w, r, http.StatusOK, "search", s.printer(r).T("search.title"), v)
}
