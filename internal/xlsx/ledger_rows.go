package xlsx

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"
)

// Reading the ledger's rows under the header: sections, totals, notes,
// repeated headers and the values of each project row.

// sheetRow is one non-blank row of a sheet.
type sheetRow struct {
	n    int      // as Excel numbers it
	text []string // as displayed
	raw  []string // raw values: serial numbers for dates, unformatted numbers
}

// readSheetRows streams a sheet and keeps its non-blank rows, at most
// maxRows physical rows (0: all) and maxNonBlank non-blank rows (more is
// ErrLedgerTooManyRows); only the first ledgerMaxCols columns are kept.
func readSheetRows(f *excelize.File, sheet string, maxRows, maxNonBlank int) ([]sheetRow, error) {
	var out []sheetRow
	at := map[int]int{}
	err := streamSheet(f, sheet, false, maxRows, func(n int, cells []string) error {
		if len(out) == maxNonBlank {
			if maxRows > 0 {
				return errStop
			}
			return ErrLedgerTooManyRows
		}
		at[n] = len(out)
		out = append(out, sheetRow{n: n, text: cells})
		return nil
	})
	if err != nil && err != errStop {
		return nil, err
	}
	err = streamSheet(f, sheet, true, maxRows, func(n int, cells []string) error {
		if i, ok := at[n]; ok {
			out[i].raw = cells
		}
		return nil
	})
	if err != nil && err != errStop {
		return nil, err
	}
	return out, nil
}

var errStop = errors.New("stop")

func streamSheet(f *excelize.File, sheet string, raw bool, maxRows int, visit func(n int, cells []string) error) error {
	rows, err := f.Rows(sheet)
	if err != nil {
		return err
	}
	defer rows.Close()
	for n := 1; rows.Next(); n++ {
		if maxRows > 0 && n > maxRows {
			return nil
		}
		cells, err := rows.Columns(excelize.Options{RawCellValue: raw})
		if err != nil {
			return err
		}
		if len(cells) > ledgerMaxCols {
			cells = cells[:ledgerMaxCols]
		}
		for len(cells) > 0 && strings.TrimSpace(cells[len(cells)-1]) == "" {
			cells = cells[:len(cells)-1]
		}
		if len(cells) == 0 {
			continue
		}
		if err := visit(n, cells); err != nil {
			return err
		}
	}
	return rows.Error()
}

// unitYuan is how many yuan one unit is.
var unitYuan = map[string]int64{"元": 1, "万元": 10000, "亿元": 100000000}

func readLedgerSheet(f *excelize.File, parts *bookParts, sheet string, h *ledgerHeader, date1904 bool, opts LedgerOptions) (*Ledger, error) {
	tooMany := fmt.Errorf("%w（最多 %d 行）", ErrLedgerTooManyRows, opts.MaxRows)
	limit := opts.MaxRows + ledgerSlackRows
	shape, ok := parts.scan(sheet, 0)
	switch {
	case !ok:
		return nil, ErrLedgerNotWorkbook
	case shape.valueRows > limit:
		return nil, tooMany
	case shape.cells > int64(limit)*ledgerWideCols/4:
		return nil, errTooWide(sheet)
	}
	rows, err := readSheetRows(f, sheet, 0, limit)
	if err != nil {
		if errors.Is(err, ErrLedgerTooManyRows) {
			return nil, tooMany
		}
		return nil, ErrLedgerNotWorkbook
	}
	fillMerges(rows, shape.merges, h)

	out := &Ledger{Sheet: sheet, HeaderRow: h.lastN, Unit: opts.DefaultUnit}
	// The header, with horizontally merged upper cells spread over the
	// columns under them.
	var header []string
	var hfirst, hlast []string
	for _, r := range rows {
		if r.n == h.firstN {
			hfirst = r.text
		}
		if r.n == h.lastN {
			hlast = r.text
		}
	}
	if h.firstN == h.lastN {
		header = hfirst
	} else {
		header = combineHeader(hfirst, hlast)
	}
	out.Mapping = ledgerMapping(header, opts)
	out.Remembered = opts.Mapping == nil && out.Mapping != nil
	out.Layout = LayoutKey(header)
	idx := matchLedgerColumns(header, out.Mapping)
	if !hasAll(idx, ledgerRequired) { // cannot happen: the header was found on the same cells
		idx = h.idx
	}
	out.Columns = headerColumns(header, idx)
	// The sheet's unit note, above the header.
	for _, r := range rows {
		if r.n >= h.firstN {
			break
		}
		for _, c := range r.text {
			if m := reSheetUnit.FindStringSubmatch(width.Narrow.String(c)); m != nil {
				out.Unit = m[1]
			}
		}
	}
	mapped := map[int]bool{}
	label := map[string]string{}
	for field, i := range idx {
		mapped[i] = true
		label[field] = headerLabel(cell(header, i))
	}
	out.Labels = map[string]string{}
	for field, l := range label {
		out.Labels[field] = l
	}
	for field := range ledgerLabels {
		if label[field] == "" {
			label[field] = ledgerLabels[field]
		}
	}
	for i, hcell := range header {
		if !mapped[i] && strings.TrimSpace(hcell) != "" {
			out.IgnoredColumns = append(out.IgnoredColumns, headerLabel(hcell))
		}
	}
	unit := func(field string) int64 {
		if i, ok := idx[field]; ok {
			if u := headerUnit(cell(header, i)); u != "" {
				return unitYuan[u]
			}
		}
		return unitYuan[out.Unit]
	}
	rd := &ledgerReader{
		idx: idx, label: label, date1904: date1904,
		totalUnit: unit(lfTotal), fixedUnit: unit(lfFixed), fundsUnit: unit(lfFunds), landUnit: landUnit(cell(header, idx[lfLand])),
		seen: map[string]int{}, formulaRows: shape.formulaRows, mergedRows: shape.mergedAcross(idx[lfName]),
		headerName: NormalizeHeader(cell(header, idx[lfName])), headerStage: NormalizeHeader(cell(header, idx[lfStage])),
	}
	for k, v := range opts.Industries {
		if rd.industries == nil {
			rd.industries = map[string]string{}
		}
		rd.industries[foldIndustry(k)] = v
	}
	for k, v := range opts.Stages {
		if rd.stages == nil {
			rd.stages = map[string]string{}
		}
		rd.stages[foldStage(k)] = v
	}
	first := true
	var projectCells [][]string
	for _, r := range rows {
		if r.n <= h.lastN {
			continue
		}
		row, probs, ok := rd.read(r, first)
		first = false
		notes := rd.notes
		rd.notes = nil
		if !ok {
			continue
		}
		out.Notes = append(out.Notes, notes...)
		projectCells = append(projectCells, r.text)
		if len(out.Rows) == opts.MaxRows {
			return nil, tooMany
		}
		out.Rows = append(out.Rows, row)
		out.Problems = append(out.Problems, probs...)
	}
	if len(out.Rows) == 0 {
		return nil, ErrLedgerEmpty
	}
	out.NotImported = notImported(header, idx, projectCells)
	return out, nil
}

// ledgerReader classifies and reads the rows under the header.
type ledgerReader struct {
	idx                     map[string]int
	label                   map[string]string
	date1904                bool
	totalUnit, fixedUnit    int64
	fundsUnit               int64
	landUnit                float64           // 亩 per unit of the 用地 column; 0 if its header names a unit not known
	industries, stages      map[string]string // from the options
	seen                    map[string]int    // key → first row
	formulaRows, mergedRows map[int]bool
	headerName, headerStage string

	industry     string // from the current section row
	sectionLabel string // an industry-like section whose industry is unknown
	inNotes      bool
	notes        []RowError // the current row's approximate amounts
}

// read classifies one non-blank row; ok is false for rows that are not
// projects (section, total, note, repeated header).
func (rd *ledgerReader) read(r sheetRow, first bool) (LedgerRow, []RowError, bool) {
	text := func(field string) string {
		i, ok := rd.idx[field]
		if !ok {
			return ""
		}
		return strings.TrimSpace(cell(r.text, i))
	}
	var vals []cellVal
	distinct := map[string]bool{}
	for i, c := range r.text {
		if c = strings.TrimSpace(c); c != "" {
			vals = append(vals, cellVal{i, c})
			distinct[c] = true
		}
	}
	if len(vals) == 0 {
		return LedgerRow{}, nil, false
	}
	name := text(lfName)
	nameCol := rd.idx[lfName]
	head := vals[0]
	leads := name == "" || head.col == nameCol // the first text is left of the name or is the name

	switch {
	case rd.inNotes && len(distinct) == 1:
		return LedgerRow{}, nil, false
	case leads && isNoteText(head.s):
		rd.inNotes = true
		return LedgerRow{}, nil, false
	case leads && head.col <= nameCol && isTotalText(head.s):
		return LedgerRow{}, nil, false
	case name == "" && text(lfCompany) == "" && text(lfStage) == "" && rd.formulaRows[r.n]:
		return LedgerRow{}, nil, false // an unlabelled total: SUM formulas and no project
	case rd.repeatsHeader(name, text(lfStage)):
		return LedgerRow{}, nil, false // the header repeated (a second page, a pasted block)
	case first && isColumnNumbers(vals):
		return LedgerRow{}, nil, false // 甲 乙 1 2 3 … under the header
	}
	if leads && !isNumeric(head.s) {
		others := true // every other value is a number: a subtotal on the section row
		for _, v := range vals[1:] {
			if !isNumeric(v.s) {
				others = false
			}
		}
		level, rest := headingLevel(head.s)
		section := false
		switch {
		case len(distinct) == 1 && (head.col < nameCol || rd.mergedRows[r.n] || level > 0 || rd.isIndustryWord(rest)):
			section = rest != ""
		case level > 0 && others && rest != "":
			section = true
		}
		if section {
			rd.section(head.s, level)
			return LedgerRow{}, nil, false
		}
	}

	// A project row.
	row := LedgerRow{Row: r.n}
	var probs []RowError
	bad := func(field, msg string, args ...any) {
		probs = append(probs, RowError{Row: r.n, Column: rd.label[field], Message: fmt.Sprintf(msg, args...)})
	}
	str := func(field string, keepLines bool) string {
		s := cleanCell(text(field), keepLines)
		if limit := ledgerMaxLen[field]; limit > 0 && len([]rune(s)) > limit {
			bad(field, "不能超过 %d 个字", limit)
			s = string([]rune(s)[:limit])
		}
		return s
	}
	row.Seq = str(lfSeq, false)
	row.ProjectName = str(lfName, false)
	row.Company = str(lfCompany, false)
	if row.ProjectName == "" {
		bad(lfName, "不能为空")
	}

	// Industry: the row's own column, else the section it is under.
	if s := text(lfIndustry); s != "" {
		if code, ok := rd.industryCode(s); ok {
			row.Industry = code
		} else {
			bad(lfIndustry, "无法识别的产业「%s」，可填写：%s", short(s), ledgerIndustryHint)
		}
	} else if rd.industry != "" {
		row.Industry = rd.industry
	} else if rd.sectionLabel != "" {
		probs = append(probs, RowError{Row: r.n, Column: rd.label[lfIndustry],
			Message: fmt.Sprintf("所在分组「%s」的产业无法识别，请填写所属产业列，可填写：%s", short(rd.sectionLabel), ledgerIndustryHint)})
	} else {
		row.Industry = "other"
	}

	// maybeAmount reads an amount that may be unknown (nil: an empty cell,
	// 待定 or another placeholder); an approximation or a range gives its
	// figure, with a note that says so.
	maybeAmount := func(field string, unit int64) *int64 {
		i, ok := rd.idx[field]
		if !ok {
			return nil
		}
		v, note, msg := readAmount(rawOr(r, i), unit)
		switch {
		case msg != "":
			bad(field, msg, short(strings.TrimSpace(cell(r.text, i))))
		case note != "":
			rd.notes = append(rd.notes, RowError{Row: r.n, Column: rd.label[field],
				Message: fmt.Sprintf(note, short(strings.TrimSpace(cell(r.text, i))))})
		}
		return v
	}
	amount := func(field string, unit int64) int64 {
		if v := maybeAmount(field, unit); v != nil {
			return *v
		}
		return 0
	}
	row.TotalInvestmentYuan = maybeAmount(lfTotal, rd.totalUnit)
	row.FixedInvestmentYuan = maybeAmount(lfFixed, rd.fixedUnit)
	if t, f := row.TotalInvestmentYuan, row.FixedInvestmentYuan; t != nil && f != nil && *t > 0 && *f > *t {
		bad(lfFixed, "固定资产投资不能大于总投资")
	}

	if s := text(lfStage); s == "" {
		bad(lfStage, "不能为空")
	} else if code, ok := rd.stageCode(s); ok {
		row.Stage = code
	} else {
		bad(lfStage, "无法识别的项目进展「%s」，可填写：%s", short(s), ledgerStageHint)
	}

	date := func(field string) string {
		i, ok := rd.idx[field]
		if !ok {
			return ""
		}
		d, msg := parseLedgerDate(cell(r.text, i), cell(r.raw, i), rd.date1904)
		if msg != "" {
			bad(field, msg, short(strings.TrimSpace(cell(r.text, i))))
		}
		return d
	}
	row.SignedOn = date(lfSigned)
	row.StartedOn = date(lfStarted)
	row.ProducedOn = date(lfProduced)

	row.Sponsor = str(lfSponsor, false)
	row.Park = str(lfPark, false)
	row.Contact = str(lfContact, false)
	row.Note = str(lfNote, true)
	row.Content = str(lfContent, true)
	row.Agent = str(lfAgent, false)
	row.Reporter = str(lfReporter, false)
	row.FundsYuan = amount(lfFunds, rd.fundsUnit)
	if i, ok := rd.idx[lfLand]; ok {
		s := strings.TrimSpace(cell(r.text, i))
		mu, msg := parseLandMu(rawOr(r, i), rd.landUnit)
		if msg != "" {
			bad(lfLand, msg, short(s))
		}
		row.LandMu = mu
	}

	if row.ProjectName != "" {
		key := row.Key()
		if firstRow, dup := rd.seen[key]; dup {
			bad(lfName, "与第 %d 行重复（项目名称和%s相同）", firstRow, rd.label[lfCompany])
		} else {
			rd.seen[key] = r.n
		}
	}
	row.OK = len(probs) == 0
	rd.inNotes = false
	return row, probs, true
}

// repeatsHeader reports whether a row's name and stage cells are the
// header's: the header repeated on a second page or in a pasted block.
func (rd *ledgerReader) repeatsHeader(name, stage string) bool {
	first := func(s string) rune {
		r, _ := utf8.DecodeRuneInString(strings.TrimSpace(s))
		return unicode.ToLower(r)
	}
	// A cheap look first: NormalizeHeader is costly for every row.
	if name == "" || len(name) > 200 || first(name) != first(rd.headerName) {
		return false
	}
	return NormalizeHeader(name) == rd.headerName && NormalizeHeader(stage) == rd.headerStage
}

// section takes a section row: one naming an industry sets it for the rows
// under it; another top-level one ("一、续建项目") clears it; a sub-section
// ("（一）续建项目") keeps it.
func (rd *ledgerReader) section(s string, level int) {
	_, rest := headingLevel(s)
	if code, ok := rd.industryCode(rest); ok {
		rd.industry, rd.sectionLabel = code, ""
		return
	}
	if level == 2 {
		return
	}
	rd.industry, rd.sectionLabel = "", ""
	f := foldText(rest)
	if strings.HasSuffix(f, "产业") || strings.HasSuffix(f, "行业") || strings.HasSuffix(f, "产业集群") || strings.HasSuffix(f, "产业链") {
		rd.sectionLabel = strings.TrimSpace(s)
	}
}

func (rd *ledgerReader) industryCode(s string) (string, bool) {
	k := foldIndustry(s)
	if k == "" {
		return "", false
	}
	if code, ok := rd.industries[k]; ok {
		return code, true
	}
	if code, ok := ledgerIndustries[k]; ok {
		return code, true
	}
	for _, kw := range ledgerIndustryKeywords {
		if strings.Contains(k, kw.word) {
			return kw.code, true
		}
	}
	return "", false
}

// isIndustryWord is an industry's own name ("智慧装备制造产业"), not a
// project that mentions one.
func (rd *ledgerReader) isIndustryWord(s string) bool {
	k := foldIndustry(s)
	_, own := rd.industries[k]
	_, known := ledgerIndustries[k]
	return k != "" && (own || known)
}

// stageCode reads a 项目进展 cell; a remark after the stage ("已签约，正在
// 办理环评") is let go.
func (rd *ledgerReader) stageCode(s string) (string, bool) {
	tries := []string{s}
	if i := strings.IndexFunc(s, isStageBreak); i > 0 {
		tries = append(tries, s[:i])
	}
	for _, t := range tries {
		k := foldStage(t)
		if code, ok := rd.stages[k]; ok {
			return code, true
		}
		if code, ok := ledgerStages[k]; ok {
			return code, true
		}
	}
	return "", false
}

var (
	reHeadingTop = regexp.MustCompile(`^\s*(?:[一二三四五六七八九十百零〇]+\s*[、.,，．]|第[一二三四五六七八九十百零〇0-9]+[类部分章节项]+\s*[、:：.．]?)\s*`)
	reHeadingSub = regexp.MustCompile(`^\s*(?:[(（]\s*[一二三四五六七八九十百零〇0-9]+\s*[)）]|[0-9]+\s*[、.．])\s*`)
)

// headingLevel tells a section heading's numbering: 1 for "一、", 2 for
// "（一）" or "1、", 0 for none; rest is the text after the numbering.
func headingLevel(s string) (int, string) {
	s = strings.TrimSpace(s)
	if m := reHeadingTop.FindString(s); m != "" {
		return 1, strings.TrimSpace(s[len(m):])
	}
	if m := reHeadingSub.FindString(s); m != "" {
		return 2, strings.TrimSpace(s[len(m):])
	}
	return 0, s
}

var (
	reNote  = regexp.MustCompile(`^(?:注|附注|备注|说明|填表说明|填报说明)(?:[:：\s0-9①-⑩.、．]|$)`)
	reSign  = regexp.MustCompile(`^(?:数据来源|填报人|填表人|审核人|审核|制表人|制表|统计人|单位负责人|负责人|联系电话|填报日期)\s*[:：]`)
	reTotal = regexp.MustCompile(`^(?:合计|小计|总计|共计|总合计|全部合计)`)
)

// isNoteText is a note under the table ("注：…", "说明") or a signature
// line (填报人：…).
func isNoteText(s string) bool {
	s = strings.TrimSpace(width.Narrow.String(s))
	return reNote.MatchString(s) || reSign.MatchString(s)
}

func isTotalText(s string) bool {
	return reTotal.MatchString(foldText(s))
}

// cellVal is a non-empty cell of a row: its column (0-based) and text.
type cellVal struct {
	col int
	s   string
}

// isColumnNumbers is the row of column numbers some forms have under the
// header: 甲 乙 1 2 3 ….
func isColumnNumbers(vals []cellVal) bool {
	if len(vals) < 3 {
		return false
	}
	for _, v := range vals {
		s := strings.TrimSpace(width.Narrow.String(v.s))
		if !(len(s) <= 3 && strings.Trim(s, "0123456789") == "") && !strings.Contains("甲乙丙丁戊己庚辛壬癸", s) {
			return false
		}
	}
	return true
}

// fillMerges spreads merged values as a reader sees them: in the header
// rows across the whole range (投资额（万元） over two columns), in the rows
// under the header down the column for the fields in ledgerFillDown (one
// company with two projects). Section and total rows keep their single value.
func fillMerges(rows []sheetRow, merges []cellRange, h *ledgerHeader) {
	if len(merges) == 0 {
		return
	}
	at := map[int]int{}
	for i, r := range rows {
		at[r.n] = i
	}
	fillDown := map[int]bool{}
	for field, i := range h.idx {
		if ledgerFillDown[field] {
			fillDown[i+1] = true
		}
	}
	set := func(n, col int, v, raw string) {
		i, ok := at[n]
		if !ok {
			// A row that is blank but for the merge: add it, in order.
			return
		}
		r := &rows[i]
		for len(r.text) < col {
			r.text = append(r.text, "")
		}
		for len(r.raw) < col {
			r.raw = append(r.raw, "")
		}
		if strings.TrimSpace(r.text[col-1]) == "" {
			r.text[col-1], r.raw[col-1] = v, raw
		}
	}
	for _, m := range merges {
		i, ok := at[m.r1]
		if !ok || m.c1 > ledgerMaxCols {
			continue
		}
		v, raw := cell(rows[i].text, m.c1-1), cell(rows[i].raw, m.c1-1)
		if strings.TrimSpace(v) == "" {
			continue
		}
		for n := m.r1; n <= m.r2 && n <= h.lastN; n++ {
			if n < h.firstN {
				continue
			}
			for c := m.c1; c <= m.c2 && c <= ledgerMaxCols; c++ {
				set(n, c, v, raw)
			}
		}
		if m.r1 > h.lastN && fillDown[m.c1] {
			for n := m.r1 + 1; n <= m.r2 && n-m.r1 <= 1000; n++ {
				set(n, m.c1, v, raw)
			}
		}
	}
}
