package report

import (
	"context"
	"time"

	"xinlu/internal/docx"
	"xinlu/internal/i18n"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Compilation is a campaign's compilation of reflections (心得体会汇编):
// accepted reflections, or only the excellent ones, grouped by department.
type Compilation struct {
	Campaign    *xinlu.Campaign
	Zone        string
	Date        string // written out: 2026年12月7日
	Excellent   bool   // only the reflections picked as excellent
	Departments []CompilationDepartment
}

// CompilationDepartment is one department's reflections in a compilation.
type CompilationDepartment struct {
	Name        string
	Reflections []*xinlu.Reflection
}

// Count is how many reflections the compilation holds.
func (c *Compilation) Count() int {
	n := 0
	for _, d := range c.Departments {
		n += len(d.Reflections)
	}
	return n
}

// StudyCompilation gathers campaign id's accepted reflections (only those
// picked as excellent, when excellent) in department order, as u may read
// them.
func StudyCompilation(ctx context.Context, st *store.Store, p *i18n.Printer, u *xinlu.User, id int64, excellent bool, today time.Time) (*Compilation, error) {
	c, err := st.Campaign(ctx, u, id)
	if err != nil {
		return nil, err
	}
	rs, err := st.CampaignReflections(ctx, u, id)
	if err != nil {
		return nil, err
	}
	out := &Compilation{Campaign: c, Excellent: excellent, Date: p.T("study.compilation_date", today.Year(), int(today.Month()), today.Day())}
	if z, err := st.ZoneByID(ctx, u.ZoneID); err == nil {
		out.Zone = z.Name
	}
	for _, r := range rs {
		if r.Status != xinlu.ReflectionAccepted || excellent && !r.Excellent {
			continue
		}
		name := r.DepartmentName
		if name == "" {
			name = p.T("study.no_department")
		}
		if n := len(out.Departments); n == 0 || out.Departments[n-1].Name != name {
			out.Departments = append(out.Departments, CompilationDepartment{Name: name})
		}
		d := &out.Departments[len(out.Departments)-1]
		d.Reflections = append(d.Reflections, r)
	}
	return out, nil
}

// Docx is the compilation as a Word document: a cover, a table of
// contents, then each department's reflections, each on a page of its own.
func (c *Compilation) Docx(p *i18n.Printer) *docx.Document {
	title := p.T("study.compilation_title", c.Campaign.Title)
	d := &docx.Document{Title: title, Author: c.Zone}
	d.Blocks = append(d.Blocks,
		docx.Block{Style: docx.Title, Text: title},
		docx.Block{Style: docx.Subtitle, Text: c.Zone},
		docx.Block{Style: docx.Subtitle, Text: c.Date},
		docx.Block{Style: docx.Heading, Text: p.T("study.compilation_toc"), PageBreak: true})
	for _, dep := range c.Departments {
		d.Blocks = append(d.Blocks, docx.Block{Style: docx.Heading, Text: dep.Name})
		for _, r := range dep.Reflections {
			d.Blocks = append(d.Blocks, docx.Block{Style: docx.Body, Text: p.T("study.compilation_entry", r.MemberName)})
		}
	}
	for _, dep := range c.Departments {
		for i, r := range dep.Reflections {
			if i == 0 {
				d.Blocks = append(d.Blocks, docx.Block{Style: docx.Title, Text: dep.Name, PageBreak: true})
			}
			d.Blocks = append(d.Blocks,
				docx.Block{Style: docx.Heading, Text: p.T("study.compilation_entry", r.MemberName), PageBreak: i > 0},
				docx.Block{Style: docx.Body, Text: r.Body})
		}
	}
	return d
}
