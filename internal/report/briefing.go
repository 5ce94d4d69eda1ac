package report

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"xinlu/internal/docx"
	"xinlu/internal/i18n"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// BriefingDoc is a monthly briefing set out as a document: numbered
// sections of paragraphs and tables, the director's comment and the
// signature. The page and the Word file are both written from it, so they
// carry the same words and figures.
type BriefingDoc struct {
	ID       int64 // the issued briefing, 0 for a draft
	Month    string
	Title    string
	Zone     string
	Date     string // written out: 2026年12月7日 (the day issued, or drawn for a draft)
	Issued   bool
	IssuedBy string
	Comment  string
	Sections []BriefingSection
	Figures  *xinlu.BriefingFigures
}

// BriefingSection is one numbered section.
type BriefingSection struct {
	ID      string // an anchor: leads, signed, started, red, ranking, incentives, study
	Heading string
	Blocks  []docx.Block // body paragraphs and tables
	// Links are the pages of the records a table's rows are about: the
	// page shows the cell of column LinkCol as a link to its row's record
	// (the Word file has none).
	Links   []string
	LinkCol int
}

// Link is the page of row's record, "" for none.
func (s BriefingSection) Link(row int) string {
	if row < len(s.Links) {
		return s.Links[row]
	}
	return ""
}

// DraftBriefing draws the month's figures now and sets them out; when the
// month was issued already, the issued briefing is answered instead.
func DraftBriefing(ctx context.Context, st *store.Store, p *i18n.Printer, zoneID int64, month string) (*BriefingDoc, error) {
	if b, err := st.BriefingOfMonth(ctx, zoneID, strings.TrimSpace(month)); err != nil {
		return nil, err
	} else if b != nil {
		return IssuedBriefing(ctx, st, p, b), nil
	}
	f, err := st.BriefingFigures(ctx, zoneID, month)
	if err != nil {
		return nil, err
	}
	d := setOut(p, f)
	d.Zone = zoneName(ctx, st, zoneID)
	d.Date = writtenDate(p, f.Drawn)
	return d, nil
}

// IssuedBriefing sets out an issued briefing from its kept figures.
func IssuedBriefing(ctx context.Context, st *store.Store, p *i18n.Printer, b *xinlu.Briefing) *BriefingDoc {
	d := setOut(p, &b.Figures)
	d.ID, d.Issued, d.IssuedBy, d.Comment = b.ID, true, b.IssuedBy, b.Comment
	d.Zone = zoneName(ctx, st, b.ZoneID)
	d.Date = writtenDate(p, b.IssuedAt.In(shanghai).Format(xinlu.DateLayout))
	return d
}

func writtenDate(p *i18n.Printer, day string) string {
	t, err := xinlu.ParseDate(day)
	if err != nil {
		return day
	}
	return p.T("briefing.date", t.Year(), int(t.Month()), t.Day())
}

// Wan is an amount in 万元 with two decimals and thousands separators.
func Wan(yuan int64) string {
	neg := yuan < 0
	if neg {
		yuan = -yuan
	}
	h := yuan / 100
	if yuan%100 >= 50 {
		h++
	}
	s := thousands(h/100) + fmt.Sprintf(".%02d", h%100)
	if neg {
		return "-" + s
	}
	return s
}

// Yuan is a whole amount in 元 with thousands separators.
func Yuan(yuan int64) string {
	if yuan < 0 {
		return "-" + thousands(-yuan)
	}
	return thousands(yuan)
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func body(text string) docx.Block { return docx.Block{Style: docx.Body, Text: text} }

// table is a table block; layout has a letter per column: w text that
// wraps, n text kept on one line (names, dates), r a figure (right-aligned).
func table(header []string, layout string, rows [][]string) docx.Block {
	t := &docx.Table{Header: header, Rows: rows}
	for _, c := range layout {
		t.Right = append(t.Right, c == 'r')
		t.NoWrap = append(t.NoWrap, c != 'w')
	}
	return docx.Block{Table: t}
}

func redOwner(p *i18n.Printer, r xinlu.RedItem) string {
	switch {
	case r.Owner != "":
		return r.Owner
	case r.Kind == "lead":
		return p.T("briefing.owner_screening")
	}
	return p.T("briefing.owner_none")
}

func dept(p *i18n.Printer, name string) string {
	if name == "" {
		return p.T("briefing.no_department")
	}
	return name
}

// setOut sets figures out in sections.
func setOut(p *i18n.Printer, f *xinlu.BriefingFigures) *BriefingDoc {
	first, _, _ := xinlu.MonthRange(f.Month)
	d := &BriefingDoc{Month: f.Month, Figures: f, Title: p.T("briefing.doc_title", first.Year(), int(first.Month()))}
	none := body(p.T("briefing.none"))
	asOf := writtenDate(p, f.AsOf)
	sec := func(id string, blocks ...docx.Block) {
		n := len(d.Sections)
		d.Sections = append(d.Sections, BriefingSection{ID: id, Heading: p.T("briefing.section_number."+strconv.Itoa(n+1)) + p.T("briefing.section."+id), Blocks: blocks})
	}
	// link gives the last section's table rows their records' pages.
	link := func(col int, paths []string) {
		last := &d.Sections[len(d.Sections)-1]
		last.LinkCol, last.Links = col, paths
	}
	projectPath := func(id int64) string { return "/projects/" + strconv.FormatInt(id, 10) }

	sec("overview", body(p.T("briefing.overview", f.LeadsTotal, len(f.Signed), Wan(f.SignedYuan), Wan(f.FundsYuan), len(f.Started), len(f.Producing), asOf, len(f.Red))))

	if len(f.Leads) == 0 {
		sec("leads", none)
	} else {
		rows := make([][]string, 0, len(f.Leads)+1)
		for _, c := range f.Leads {
			rows = append(rows, []string{dept(p, c.Department), strconv.Itoa(c.Count)})
		}
		rows = append(rows, []string{p.T("briefing.total"), strconv.Itoa(f.LeadsTotal)})
		sec("leads", table([]string{p.T("briefing.col.department"), p.T("briefing.col.leads")}, "wr", rows))
	}

	signed := []docx.Block{body(p.T("briefing.signed_line", len(f.Signed), Wan(f.SignedYuan), Wan(f.FundsYuan), f.FundsCount))}
	if len(f.Signed) > 0 {
		rows := make([][]string, 0, len(f.Signed)+1)
		for _, pr := range f.Signed {
			rows = append(rows, []string{pr.Name, pr.Company, orDash(pr.Sponsor), pr.On, Wan(pr.Yuan)})
		}
		rows = append(rows, []string{p.T("briefing.total"), "", "", "", Wan(f.SignedYuan)})
		signed = append(signed, table([]string{p.T("briefing.col.project"), p.T("briefing.col.company"), p.T("briefing.col.sponsor"),
			p.T("briefing.col.signed_on"), p.T("briefing.col.contract_wan")}, "wwnnr", rows))
	}
	sec("signed", signed...)
	var paths []string
	for _, pr := range f.Signed {
		paths = append(paths, projectPath(pr.ID))
	}
	link(0, paths)

	if len(f.Started)+len(f.Producing) == 0 {
		sec("started", none)
	} else {
		var rows [][]string
		for _, g := range []struct {
			key string
			ps  []xinlu.BriefingProject
		}{{"briefing.started", f.Started}, {"briefing.producing", f.Producing}} {
			for _, pr := range g.ps {
				rows = append(rows, []string{p.T(g.key), pr.Name, pr.Company, orDash(pr.Sponsor), pr.On})
			}
		}
		sec("started", body(p.T("briefing.started_line", len(f.Started), len(f.Producing))),
			table([]string{p.T("briefing.col.kind"), p.T("briefing.col.project"), p.T("briefing.col.company"), p.T("briefing.col.sponsor"),
				p.T("briefing.col.date")}, "nwwnn", rows))
		var paths []string
		for _, pr := range append(append([]xinlu.BriefingProject{}, f.Started...), f.Producing...) {
			paths = append(paths, projectPath(pr.ID))
		}
		link(1, paths)
	}

	if len(f.Red) == 0 {
		sec("red", body(p.T("briefing.red_none", asOf)))
	} else {
		var byOwner []string
		for _, c := range f.RedByOwner {
			byOwner = append(byOwner, p.T("briefing.red_owner_count", dept(p, c.Department), c.Count))
		}
		rows := make([][]string, 0, len(f.Red))
		for _, r := range f.Red {
			d := dept(p, r.Department)
			if r.Kind == "lead" {
				d = "—"
			}
			rows = append(rows, []string{p.T("briefing.red_kind." + r.Kind), r.Name, r.Of, redOwner(p, r), d, r.Due, strconv.Itoa(r.DaysLate)})
		}
		sec("red", body(p.T("briefing.red_line", asOf, len(f.Red), f.RedByKind["project"], f.RedByKind["approval"], f.RedByKind["order"], f.RedByKind["lead"],
			strings.Join(byOwner, p.T("briefing.list_sep")))),
			table([]string{p.T("briefing.col.kind"), p.T("briefing.col.item"), p.T("briefing.col.of"), p.T("briefing.col.owner"),
				p.T("briefing.col.department"), p.T("briefing.col.due"), p.T("briefing.col.days_late")}, "nwwnwnr", rows))
		paths := make([]string, len(f.Red))
		for i, r := range f.Red {
			if r.Kind == "lead" {
				paths[i] = "/leads/" + strconv.FormatInt(r.ID, 10)
			} else {
				paths[i] = projectPath(r.ProjectID)
			}
		}
		link(1, paths)
	}

	if r := f.Ranking; r == nil {
		sec("ranking", body(p.T("briefing.ranking_none")))
	} else {
		blocks := []docx.Block{body(p.T("briefing.ranking_line", r.Label, r.Bands[xinlu.BandTop]+r.Bands[xinlu.BandMiddle]+r.Bands[xinlu.BandBottom],
			r.Bands[xinlu.BandTop], r.Bands[xinlu.BandMiddle], r.Bands[xinlu.BandBottom]))}
		var rows [][]string
		for _, g := range []struct {
			band  xinlu.Band
			lines []xinlu.RankLine
		}{{xinlu.BandTop, r.Top}, {xinlu.BandBottom, r.Bottom}} {
			for _, l := range g.lines {
				rows = append(rows, []string{p.T("appraisal.band." + string(g.band)), strconv.Itoa(l.Rank), l.Name, dept(p, l.Department),
					strconv.FormatFloat(float64(l.Score)/100, 'f', 2, 64)})
			}
		}
		if len(rows) > 0 {
			blocks = append(blocks, table([]string{p.T("briefing.col.band"), p.T("briefing.col.rank"), p.T("briefing.col.name"),
				p.T("briefing.col.department"), p.T("briefing.col.score")}, "nrnwr", rows))
		}
		sec("ranking", blocks...)
	}

	if len(f.Incentives) == 0 {
		sec("incentives", none)
	} else {
		rows := make([][]string, 0, len(f.Incentives))
		for _, i := range f.Incentives {
			rows = append(rows, []string{p.T("incentive.kind." + string(i.Kind)), i.Member, dept(p, i.Department), i.Reason, Yuan(i.Yuan), i.On})
		}
		sec("incentives", body(p.T("briefing.incentives_line", Yuan(f.RewardYuan), Yuan(f.PenaltyYuan))),
			table([]string{p.T("briefing.col.kind"), p.T("briefing.col.name"), p.T("briefing.col.department"), p.T("briefing.col.reason"),
				p.T("briefing.col.yuan"), p.T("briefing.col.date")}, "nnwwrn", rows))
	}

	if len(f.Study) == 0 {
		sec("study", none)
	} else {
		var blocks []docx.Block
		for _, c := range f.Study {
			blocks = append(blocks, body(p.T("briefing.study_line", c.Title, c.OpensOn, c.ClosesOn, c.Total.Asked, c.Total.OnTime, c.Total.Late, c.Total.Missing)))
			rows := make([][]string, 0, len(c.Departments)+1)
			for _, dc := range append(c.Departments, c.Total) {
				name := dept(p, dc.Department)
				if dc == c.Total {
					name = p.T("briefing.total")
				}
				rows = append(rows, []string{name, strconv.Itoa(dc.Asked), strconv.Itoa(dc.OnTime), strconv.Itoa(dc.Late), strconv.Itoa(dc.Missing)})
			}
			blocks = append(blocks, table([]string{p.T("briefing.col.department"), p.T("briefing.col.asked"), p.T("briefing.col.on_time"),
				p.T("briefing.col.late"), p.T("briefing.col.missing")}, "wrrrr", rows))
		}
		sec("study", blocks...)
	}
	return d
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// Docx is the briefing as a Word document in the official layout: the red
// head (when redHead), title, date, sections, the director's comment and
// the signature.
func (d *BriefingDoc) Docx(p *i18n.Printer, redHead bool) *docx.Document {
	doc := &docx.Document{Title: d.Title, Author: d.Zone}
	if redHead {
		doc.Blocks = append(doc.Blocks, docx.Block{Style: docx.RedHead, Text: d.Zone})
	}
	doc.Blocks = append(doc.Blocks, docx.Block{Style: docx.Title, Text: d.Title})
	if !d.Issued {
		doc.Blocks = append(doc.Blocks, docx.Block{Style: docx.Subtitle, Text: p.T("briefing.draft_mark")})
	}
	for _, s := range d.Sections {
		doc.Blocks = append(doc.Blocks, docx.Block{Style: docx.Heading, Text: s.Heading})
		doc.Blocks = append(doc.Blocks, s.Blocks...)
	}
	doc.Blocks = append(doc.Blocks, docx.Block{Style: docx.Heading, Text: d.CommentHeading(p)})
	comment := d.Comment
	if !d.Issued {
		comment = p.T("briefing.comment_pending")
	}
	doc.Blocks = append(doc.Blocks, docx.Block{Style: docx.Body, Text: comment},
		docx.Block{Style: docx.Right, Text: d.Zone}, docx.Block{Style: docx.Right, Text: d.Date})
	return doc
}

// CommentHeading is the numbered heading of the director's comment, after
// the sections.
func (d *BriefingDoc) CommentHeading(p *i18n.Printer) string {
	return p.T("briefing.section_number."+strconv.Itoa(len(d.Sections)+1)) + p.T("briefing.section.comment")
}
