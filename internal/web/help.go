package web

import (
	"embed"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"xinlu/internal/xinlu"
)

// helpFiles are the help pages, one per module and language, written as
// HTML fragments (help/<lang>/<module>.html).
//
//go:embed help
var helpFiles embed.FS

// helpModules are the modules with a help page, in the order the help
// index lists them.
var helpModules = []string{"leads", "projects", "appraisal", "incentives", "tolerance", "study", "briefing", "staff", "import", "security"}

// helpFor maps the first part of a page's path to the module whose help
// explains it.
var helpFor = map[string]string{
	"leads": "leads", "projects": "projects", "appraisal": "appraisal", "incentives": "incentives",
	"consequences": "incentives", "tolerance": "tolerance", "members": "staff", "departments": "staff",
	"positions": "staff", "teams": "staff", "contracts": "staff", "parks": "staff", "terms": "staff",
	"security": "security", "users": "security", "audit": "security", "calendar": "import", "study": "study",
	"briefings": "briefing", "assessment": "briefing",
}

// Help is the help page of the module the page belongs to, or "".
func (pg page) Help() string {
	first, rest, _ := strings.Cut(strings.TrimPrefix(pg.Path, "/"), "/")
	if first == "projects" && strings.HasPrefix(rest, "import") {
		return "/help/import"
	}
	if m, ok := helpFor[first]; ok {
		return "/help/" + m
	}
	return ""
}

func (s *Server) helpRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/help", Perm: xinlu.PermSignedIn, Handler: s.helpPage},
		{Method: "GET", Pattern: "/help/{module}", Perm: xinlu.PermSignedIn, Handler: s.helpPage},
	}
}

type helpView struct {
	Modules []string
	Module  string
	Body    template.HTML
}

func (s *Server) helpPage(w http.ResponseWriter, r *http.Request) {
	p := s.printer(r)
	v := helpView{Modules: helpModules, Module: r.PathValue("module")}
	title := p.T("help.title")
	if v.Module != "" {
		if !slices.Contains(helpModules, v.Module) {
			s.renderError(w, r, xinlu.NotFound("error.page_not_found"))
			return
		}
		body, err := helpFiles.ReadFile("help/" + p.Lang + "/" + v.Module + ".html")
		if err != nil {
			s.renderError(w, r, xinlu.Internal(err))
			return
		}
		v.Body = template.HTML(body) // written with the program, not by users
		title = p.T("help.module." + v.Module)
	}
	s.render(w, r, http.StatusOK, "help", title, v)
}
