package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/big"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"xinlu/internal/xinlu"
)

// The project ledger (项目台账) as zones keep it in Excel: a merged title
// row, a line with the reporting unit and "单位：万元", a header matched by
// its text, section rows such as "一、智慧装备制造产业" that set the
// industry of the rows under them, a 合计 row and notes under the table.
// ReadLedger reads such a sheet into plain values and lists every problem;
// it touches no database.
//
// Stages are read from the 项目进展 column (see ledgerStages for every
// word). The main mapping:
//
//	线索、储备、初步接触              → lead
//	甄别、筛选、研判、意向            → screening
//	前期、谋划、策划、包装            → packaging        (前期 comes before 在谈 in ledgers' own legends)
//	洽谈、在谈、推进、对接、拟签约    → promotion
//	已签约、签约、代办、手续办理、待开工 → agency      (signed: the task force handles approvals)
//	已开工、在建、开工建设、续建      → construction
//	已投产、投产、试生产、竣工        → production
//	达产、已达产、达产达效            → full_production
//
// Trailing 阶段/中/状态, a leading 项目 and a remark after a comma are
// ignored ("在谈中", "前期阶段", "已签约，正在办理环评"), and the codes
// themselves are accepted. LedgerOptions.Stages adds or overrides words.
//
// Industry: a row's own 所属产业 cell wins (the sample files a 铸造 project
// under 一、智慧装备制造产业); else the section row above it; else "other".
// A top-level section naming an unknown industry ("二、新能源产业") is a
// problem on each row under it that has no 所属产业 of its own; a
// sub-section ("（一）续建项目") keeps the industry. LedgerOptions.Industries
// adds a zone's own words and codes.
//
// Skipped: rows above the header (title, 填报单位, 单位：万元), a row of
// column numbers under it, section rows, blank rows, 合计/小计/总计 rows and
// unlabelled rows of SUM formulas, repeated headers, and notes under the
// table ("注：…", "说明", following numbered lines, 填报人：…).

// DefaultLedgerMaxRows caps the project rows of one ledger.
const DefaultLedgerMaxRows = 20000

// DefaultLedgerMaxBytes caps the size of an uploaded ledger file.
const DefaultLedgerMaxBytes = 32 << 20

const (
	ledgerHeaderScanRows = 30   // the header must be within the first rows of a sheet
	ledgerMaxCols        = 128  // columns beyond are not read
	ledgerSlackRows      = 2000 // rows that are not projects: sections, totals, notes
	ledgerMaxSheets      = 50   // sheets searched for the header
	ledgerWideCols       = 1024 // reading a row costs up to its last value's column; rows average at most a quarter of this
)

// errTooWide refuses a sheet with values far to the right on many rows.
func errTooWide(sheet string) error {
	return fmt.Errorf("%w：工作表「%s」右侧有大量多余内容，请删除后再导入", ErrLedgerTooLarge, sheet)
}

// ledgerOpenLimits keep a small upload from unzipping into a large one.
var ledgerOpenLimits = excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 16 << 20}

// Errors of ReadLedger about the file as a whole; problems in rows are
// listed in Ledger.Problems instead.
var (
	ErrLedgerNotWorkbook  = errors.New("文件不是 Excel 工作簿（.xlsx）；.xls 或加密的文件请用 Excel 或 WPS 另存为 .xlsx 后再导入")
	ErrLedgerTooLarge     = errors.New("文件过大")
	ErrLedgerTooManyRows  = errors.New("项目行数过多")
	ErrLedgerEmpty        = errors.New("台账中没有项目行")
	ErrLedgerSheetMissing = errors.New("工作簿中没有指定的工作表")
)

// LedgerHeaderError says that no sheet has a header naming the required
// columns; Missing lists those the best candidate row lacked.
type LedgerHeaderError struct {
	Sheet   string
	Missing []string
	// The row the user most likely means as the header (as Excel numbers
	// it, 0 if none) and its columns, for the mapping step.
	Row     int
	Columns []HeaderColumn
}

func (e *LedgerHeaderError) Error() string {
	return fmt.Sprintf("未找到台账表头：前 %d 行中没有同时包含「项目名称」和「项目进展」的行（缺少：%s）",
		ledgerHeaderScanRows, strings.Join(e.Missing, "、"))
}

// LedgerOptions tune ReadLedger; the zero value reads the first sheet that
// has a ledger header, with the default limits.
type LedgerOptions struct {
	Sheet       string            // read only this sheet
	MaxRows     int               // project rows; 0 means DefaultLedgerMaxRows
	MaxBytes    int64             // file size; 0 means DefaultLedgerMaxBytes
	DefaultUnit string            // amount unit when the sheet states none: 万元 (default), 元 or 亿元
	Industries  map[string]string // extra or overriding industry words → code (a zone's own codes)
	Stages      map[string]string // extra or overriding stage words → stage code
	// Mapping is the user's own choice of field per header cell, over the
	// dictionary; Remembered holds the mappings a zone chose before, by
	// LayoutKey, used for a header of the same layout when Mapping is nil.
	Mapping    Mapping
	Remembered map[string]Mapping
}

// LedgerRow is one project row of a ledger, as understood. Fields that could
// not be read are left empty and reported in Ledger.Problems.
type LedgerRow struct {
	Row                 int // as Excel numbers it
	Seq                 string
	ProjectName         string
	Company             string
	Industry            string // equipment | biomedicine | materials | light_industry | casting | other (or a zone's own code)
	TotalInvestmentYuan *int64 // nil: unknown (待定, an empty cell)
	FixedInvestmentYuan *int64 // 其中：固定资产投资; nil if unknown or the sheet has no such column
	Stage               string // lead | screening | packaging | promotion | agency | construction | production | full_production
	SignedOn            string // YYYY-MM-DD or ""
	StartedOn           string
	ProducedOn          string
	Sponsor             string // 包联领导
	Park                string
	Contact             string
	Note                string
	Content             string  // 主要建设内容
	FundsYuan           int64   // 累计到位资金; 0 if none
	LandMu              float64 // 用地, in 亩
	Agent               string  // 代办员
	Reporter            string  // 信息提供人
	OK                  bool    // the row has no problem
}

// Key identifies the project across imports: the company folded as
// duplicates are found (xinlu.NormalizeCompany) and the project name folded
// (xinlu.NormalizeText). Re-importing the same ledger gives the same keys.
func (r LedgerRow) Key() string { return LedgerKey(r.Company, r.ProjectName) }

// LedgerKey is LedgerRow.Key for a company and project name held elsewhere,
// e.g. projects already in the database.
func LedgerKey(company, projectName string) string {
	return xinlu.NormalizeCompany(company) + "|" + xinlu.NormalizeText(projectName)
}

// Ledger is a read project ledger: every project row and every problem.
// Nothing may be imported unless Problems is empty (see OK).
type Ledger struct {
	Sheet          string
	HeaderRow      int    // the (last) header row as Excel numbers it; MarkErrors puts 错误原因 there
	Unit           string // 万元 or 元 (亿元 if the sheet says so), from the sheet's unit note
	Rows           []LedgerRow
	Problems       []RowError
	IgnoredColumns []string // headers of columns that are not read (责任单位 …)

	Layout      string         // LayoutKey of the header
	Mapping     Mapping        // the user's or remembered mapping the header was read with; nil for the dictionary alone
	Remembered  bool           // Mapping was remembered for the layout
	Columns     []HeaderColumn // every header column and the field it maps to
	NotImported []NotImported  // the columns no field takes, with how many project rows fill each
	Labels      map[string]string
	// Notes name the amounts the sheet gave approximately (约 5000, a range)
	// and the figure imported for each; they do not stop the import.
	Notes []RowError
}

// Label is the header of a field's column as the sheet writes it, or the
// field's usual header if the sheet has none.
func (l *Ledger) Label(field string) string {
	if s := l.Labels[field]; s != "" {
		return s
	}
	return ledgerLabels[field]
}

// The ledger's fields, as mappings and HeaderColumn.Field name them.
const (
	LedgerSponsor  = lfSponsor
	LedgerAgent    = lfAgent
	LedgerReporter = lfReporter
	LedgerFunds    = lfFunds
	LedgerNote     = lfNote
)

// LedgerFields lists the fields a ledger column can be mapped to, in the
// order the mapping step offers them.
func LedgerFields() []Field {
	var out []Field
	for _, f := range ledgerFieldOrder {
		out = append(out, Field{Key: f, Required: slices.Contains(ledgerRequired, f)})
	}
	return out
}

var ledgerFieldOrder = []string{lfSeq, lfName, lfCompany, lfIndustry, lfTotal, lfFixed, lfStage, lfSigned, lfStarted, lfProduced,
	lfSponsor, lfPark, lfContact, lfNote, lfContent, lfFunds, lfLand, lfAgent, lfReporter}

// OK reports whether the ledger can be imported: it has rows and no problem.
func (l *Ledger) OK() bool { return l != nil && len(l.Rows) > 0 && len(l.Problems) == 0 }

// Ledger fields.
const (
	lfSeq      = "seq"
	lfName     = "name"
	lfCompany  = "company"
	lfIndustry = "industry"
	lfTotal    = "total"
	lfFixed    = "fixed"
	lfStage    = "stage"
	lfSigned   = "signed"
	lfStarted  = "started"
	lfProduced = "produced"
	lfSponsor  = "sponsor"
	lfPark     = "park"
	lfContact  = "contact"
	lfNote     = "note"
	lfContent  = "content"
	lfFunds    = "funds"
	lfLand     = "land"
	lfAgent    = "agent"
	lfReporter = "reporter"
)

// ledgerColumns are the header texts each field is recognised by (after
// NormalizeHeader: no brackets with units, no spaces, "：" as ":").
var ledgerColumns = map[string][]string{
	lfSeq:  {"序号", "编号", "项目序号", "序"},
	lfName: {"项目名称", "项目", "项目名", "招商项目", "项目名称及内容"},
	lfCompany: {"投资主体", "企业名称", "公司", "公司名称", "投资方", "投资企业", "投资单位", "企业", "签约企业",
		"签约主体", "项目单位", "建设单位", "投资商", "项目业主", "业主单位", "项目公司", "投资方名称"},
	lfIndustry: {"所属产业", "产业", "行业", "产业类别", "所属行业", "产业分类", "行业类别", "产业领域", "产业类型", "产业链", "所属产业链"},
	lfTotal: {"总投资", "计划总投资", "总投资额", "项目总投资", "投资总额", "计划投资", "计划投资额", "投资额",
		"协议投资", "协议投资额", "签约投资", "签约投资额", "协议总投资"},
	lfFixed: {"其中:固定资产投资", "固定资产投资", "其中固定资产投资", "其中:固投", "固投", "固定资产投资额",
		"其中:固定资产", "其中:固定资产投资额"},
	lfStage: {"项目进展", "进度", "阶段", "所处阶段", "项目进度", "项目阶段", "进展阶段", "当前阶段", "推进阶段",
		"项目状态", "进展", "所处环节", "项目进展阶段"},
	lfSigned:   {"签约时间", "签约日期", "签约", "协议签订时间", "签订时间", "签约时间(年月日)"},
	lfStarted:  {"开工时间", "开工日期", "实际开工时间", "开工"},
	lfProduced: {"投产时间", "投产日期", "实际投产时间", "投产"},
	lfSponsor:  {"包联领导", "责任领导", "包联县级领导", "分包领导", "联系领导", "包抓领导", "牵头领导", "包联领导姓名"},
	lfPark:     {"园区", "所在园区", "所属园区", "落户园区", "入驻园区", "落地园区"},
	lfContact:  {"联系人", "企业联系人", "联系人及电话", "联系方式", "项目联系人", "联系人及联系方式"},
	lfNote:     {"备注", "备注说明", "说明", "情况说明", "备注信息"},
	lfContent: {"主要建设内容", "建设内容", "建设规模及内容", "建设规模和内容", "主要建设内容及规模", "项目建设内容",
		"建设规模", "项目内容", "项目简介", "项目概况"},
	lfFunds: {"累计到位资金", "到位资金", "资金到位", "累计到位", "实际到位资金", "已到位资金", "累计完成到位资金",
		"资金到位情况", "到位资金累计", "累计资金到位"},
	lfLand:     {"用地", "占地", "用地面积", "占地面积", "用地规模", "项目用地", "拟用地", "用地需求", "规划用地", "需用地", "用地亩数", "占地亩数"},
	lfAgent:    {"代办员", "代办人", "代办专员", "代办负责人", "代办联系人", "帮办代办员"},
	lfReporter: {"信息提供人", "首报人", "线索提供人", "信息来源人", "项目信息提供人"},
}

// ledgerLabels name the fields in messages when the sheet has no such column.
var ledgerLabels = map[string]string{
	lfSeq: "序号", lfName: "项目名称", lfCompany: "投资主体", lfIndustry: "所属产业", lfTotal: "总投资",
	lfFixed: "其中：固定资产投资", lfStage: "项目进展", lfSigned: "签约时间", lfStarted: "开工时间",
	lfProduced: "投产时间", lfSponsor: "包联领导", lfPark: "园区", lfContact: "联系人", lfNote: "备注",
	lfContent: "主要建设内容", lfFunds: "累计到位资金", lfLand: "用地（亩）", lfAgent: "代办员", lfReporter: "信息提供人",
}

var ledgerRequired = []string{lfName, lfStage}

// ledgerFillDown are the fields whose vertically merged cells (one company
// with two projects, a shared stage) apply to every row of the merge.
var ledgerFillDown = map[string]bool{
	lfCompany: true, lfIndustry: true, lfStage: true, lfSigned: true, lfStarted: true, lfProduced: true,
	lfSponsor: true, lfPark: true, lfContact: true, lfAgent: true, lfReporter: true,
}

// ledgerMaxLen caps the text fields, in characters.
var ledgerMaxLen = map[string]int{
	lfSeq: 20, lfName: 200, lfCompany: 200, lfSponsor: 100, lfPark: 100, lfContact: 200, lfNote: 2000,
	lfContent: 4000, lfAgent: 100, lfReporter: 100,
}

// ledgerStages maps folded stage words (foldStage) to stage codes.
var ledgerStages = map[string]string{}

func init() {
	for code, words := range map[string][]string{
		"lead":      {"lead", "线索", "信息", "收集", "全员收集线索", "初步接触", "接触", "初步对接", "储备"},
		"screening": {"screening", "甄别", "筛选", "甄别筛选", "专班甄别筛选", "研判", "论证", "考察", "意向"},
		"packaging": {"packaging", "前期", "前期工作", "前期谋划", "谋划", "策划", "包装", "策划包装", "包装策划", "专业组策划包装"},
		"promotion": {"promotion", "洽谈", "在谈", "推进", "全力推进", "领导组全力推进", "商谈", "谈判", "磋商", "对接",
			"拟签约", "待签约", "跟踪", "跟进", "在洽谈"},
		"agency": {"agency", "已签约", "签约", "已签订", "签约落地", "落地", "已落地", "代办", "全程代办", "专班全程代办",
			"手续办理", "办理手续", "前期手续", "审批", "待开工", "拟开工", "已注册", "注册"},
		"construction": {"construction", "已开工", "开工", "在建", "建设", "开工建设", "已开工建设", "新开工", "续建",
			"施工", "在施工", "在建设"},
		"production":      {"production", "已投产", "投产", "试生产", "试运行", "部分投产", "竣工", "已竣工", "竣工投产", "建成投产", "已建成", "建成"},
		"full_production": {"full_production", "fullproduction", "达产", "已达产", "达产达效", "全面达产", "满产", "已满产", "达效"},
	} {
		for _, w := range words {
			ledgerStages[foldStage(w)] = code
		}
	}
}

// ledgerStageHint is what the message for an unknown stage suggests.
const ledgerStageHint = "前期、在谈、已签约、已开工、已投产、达产"

// ledgerIndustries maps folded industry words (foldIndustry) to codes.
var ledgerIndustries = map[string]string{}

func init() {
	for code, words := range map[string][]string{
		"equipment": {"equipment", "智慧装备制造", "智慧装备", "装备制造", "智能装备", "智能装备制造", "高端装备",
			"高端装备制造", "装备", "先进装备制造", "智能制造"},
		"biomedicine":    {"biomedicine", "生物医药", "医药", "生物", "大健康", "医疗器械", "生物医药及大健康", "医药健康", "生物医药大健康"},
		"materials":      {"materials", "新型材料", "新材料", "材料"},
		"light_industry": {"light_industry", "lightindustry", "轻工", "轻工业", "食品", "食品加工", "轻工食品", "农产品加工", "消费品"},
		"casting":        {"casting", "铸造", "智能铸造", "绿色铸造", "铸造及配套"},
		"other":          {"other", "其他", "其它"},
	} {
		for _, w := range words {
			ledgerIndustries[foldIndustry(w)] = code
		}
	}
}

// ledgerIndustryKeywords decide an industry word not in the list, in order.
var ledgerIndustryKeywords = []struct{ word, code string }{
	{"铸造", "casting"}, {"医药", "biomedicine"}, {"医疗", "biomedicine"}, {"生物", "biomedicine"},
	{"材料", "materials"}, {"轻工", "light_industry"}, {"食品", "light_industry"}, {"装备", "equipment"},
}

const ledgerIndustryHint = "智慧装备制造、生物医药、新型材料、轻工、铸造、其他"

func (o LedgerOptions) withDefaults() LedgerOptions {
	if o.MaxRows <= 0 {
		o.MaxRows = DefaultLedgerMaxRows
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultLedgerMaxBytes
	}
	if _, ok := unitYuan[o.DefaultUnit]; !ok {
		o.DefaultUnit = "万元"
	}
	return o
}

// ReadLedger reads a project ledger workbook. It returns an error only for
// the file as a whole (not a workbook, too large, no header, no rows);
// every row it cannot read is a RowError in Problems, named by its row and
// column header, and the caller imports nothing unless Problems is empty.
func ReadLedger(r io.Reader, opts LedgerOptions) (l *Ledger, err error) {
	defer func() {
		// A malformed file must never bring the server down.
		if p := recover(); p != nil {
			l, err = nil, ErrLedgerNotWorkbook
		}
	}()
	opts = opts.withDefaults()
	b, err := io.ReadAll(io.LimitReader(r, opts.MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > opts.MaxBytes {
		return nil, fmt.Errorf("%w（最大 %d MB）", ErrLedgerTooLarge, opts.MaxBytes>>20)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), ledgerOpenLimits)
	if err != nil {
		if errors.Is(err, excelize.ErrOptionsUnzipSizeLimit) {
			return nil, fmt.Errorf("%w（解压后超过 %d MB）", ErrLedgerTooLarge, ledgerOpenLimits.UnzipSizeLimit>>20)
		}
		return nil, ErrLedgerNotWorkbook
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, ErrLedgerNotWorkbook
	}
	if opts.Sheet != "" {
		found := false
		for _, s := range sheets {
			if s == opts.Sheet {
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("%w：%s", ErrLedgerSheetMissing, opts.Sheet)
		}
		sheets = []string{opts.Sheet}
	}
	if len(sheets) > ledgerMaxSheets {
		sheets = sheets[:ledgerMaxSheets] // the ledger is among the first sheets, or named
	}
	date1904 := false
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		date1904 = *p.Date1904
	}

	parts := openBookParts(b)
	best := &LedgerHeaderError{Missing: ledgerRequiredLabels(nil)}
	bestFound := -1
	for _, sheet := range sheets {
		shape, ok := parts.scan(sheet, ledgerHeaderScanRows)
		if !ok {
			return nil, ErrLedgerNotWorkbook
		}
		if shape.cells > ledgerHeaderScanRows*ledgerWideCols {
			return nil, errTooWide(sheet)
		}
		top, err := readSheetRows(f, sheet, ledgerHeaderScanRows, ledgerHeaderScanRows)
		if err != nil {
			return nil, ErrLedgerNotWorkbook
		}
		h, found, idx := findLedgerHeader(top, opts)
		if h == nil {
			if found > bestFound || (found == bestFound && best.Row == 0) {
				bestFound = found
				best = &LedgerHeaderError{Sheet: sheet, Missing: ledgerRequiredLabels(idx)}
				texts := make([][]string, len(top))
				for i, r := range top {
					texts[i] = r.text
				}
				if c := candidateHeader(texts); c >= 0 {
					best.Row = top[c].n
					best.Columns = headerColumns(top[c].text, matchLedgerColumns(top[c].text, ledgerMapping(top[c].text, opts)))
				}
			}
			continue
		}
		return readLedgerSheet(f, parts, sheet, h, date1904, opts)
	}
	return nil, best
}

func ledgerRequiredLabels(idx map[string]int) []string {
	var missing []string
	for _, field := range ledgerRequired {
		if _, ok := idx[field]; !ok {
			missing = append(missing, ledgerLabels[field])
		}
	}
	return missing
}

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

// ledgerHeader is where the header is and what it maps.
type ledgerHeader struct {
	firstN, lastN int // Excel row numbers: one row, or two for a two-level header
	idx           map[string]int
}

// findLedgerHeader finds the first row naming the required columns, alone
// or with the row under it (a two-level header such as 投资额 over 总投资 |
// 其中：固定资产投资). It returns the most fields any row matched when none does.
func findLedgerHeader(rows []sheetRow, opts LedgerOptions) (*ledgerHeader, int, map[string]int) {
	best, bestIdx := -1, map[string]int(nil)
	for i, r := range rows {
		idx := matchLedgerColumns(r.text, ledgerMapping(r.text, opts))
		var two map[string]int
		// Only a header-like row has a second level under it; a title row
		// over the header does not.
		if len(idx) >= 2 && i+1 < len(rows) && rows[i+1].n == r.n+1 {
			both := combineHeader(r.text, rows[i+1].text)
			two = matchLedgerColumns(both, ledgerMapping(both, opts))
			if !widens(two, idx) {
				two = nil
			}
		}
		switch {
		case two != nil && hasAll(two, ledgerRequired):
			return &ledgerHeader{firstN: r.n, lastN: rows[i+1].n, idx: two}, len(two), two
		case hasAll(idx, ledgerRequired):
			return &ledgerHeader{firstN: r.n, lastN: r.n, idx: idx}, len(idx), idx
		}
		for _, m := range []map[string]int{idx, two} {
			if len(m) > best {
				best, bestIdx = len(m), m
			}
		}
	}
	return nil, best, bestIdx
}

// widens reports whether b matches more fields than a, keeping all of a's.
func widens(b, a map[string]int) bool {
	if len(b) <= len(a) {
		return false
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			return false
		}
	}
	return true
}

func hasAll(idx map[string]int, fields []string) bool {
	for _, f := range fields {
		if _, ok := idx[f]; !ok {
			return false
		}
	}
	return true
}

// combineHeader joins a two-level header: the lower cell where it has
// text, else the upper one; the lower inherits the upper's unit.
func combineHeader(upper, lower []string) []string {
	n := max(len(upper), len(lower))
	out := make([]string, n)
	for i := range out {
		u, l := strings.TrimSpace(cell(upper, i)), strings.TrimSpace(cell(lower, i))
		switch {
		case l == "":
			out[i] = u
		case headerUnit(l) == "" && headerUnit(u) != "":
			out[i] = l + "（" + headerUnit(u) + "）"
		default:
			out[i] = l
		}
	}
	return out
}

var (
	reHeaderUnit    = regexp.MustCompile(`[(（]\s*(?:单位\s*[:：]\s*)?(亿元|万元|元|亿|万)\s*[)）]`)
	reHeaderSlash   = regexp.MustCompile(`\s*[/／]\s*(亿元|万元|元)\s*$`)
	reHeaderUnitPre = regexp.MustCompile(`单位\s*[:：]\s*(亿元|万元|元)`)
	reSheetUnit     = regexp.MustCompile(`单位\s*[:：]\s*(亿元|万元|元)`)
)

// headerUnit is the unit a header states: "总投资（万元）" → 万元.
func headerUnit(h string) string {
	for _, re := range []*regexp.Regexp{reHeaderUnit, reHeaderSlash, reHeaderUnitPre} {
		if m := re.FindStringSubmatch(h); m != nil {
			switch m[1] {
			case "亿":
				return "亿元"
			case "万":
				return "万元"
			}
			return m[1]
		}
	}
	return ""
}

// ledgerVariants are ledgerColumns after NormalizeHeader: variant → field.
var ledgerVariants = map[string]string{}

func init() {
	for field, variants := range ledgerColumns {
		for _, v := range variants {
			ledgerVariants[NormalizeHeader(v)] = field
		}
	}
}

// matchLedgerColumns is MatchColumns(header, ledgerColumns) under a
// mapping (mapHeader), with each cell normalised once (NormalizeHeader
// builds a replacer on every call), and "总投资/万元" and "总投资 单位：万元"
// losing their unit like "总投资（万元）".
func matchLedgerColumns(header []string, m Mapping) map[string]int {
	return mapHeader(header, m, foldLedgerHeader, ledgerVariants)
}

func foldLedgerHeader(h string) string {
	return NormalizeHeader(reHeaderUnitPre.ReplaceAllString(reHeaderSlash.ReplaceAllString(h, ""), ""))
}

// ledgerMapping is the mapping a header row is read with: the user's own,
// else the one remembered for its layout, else none.
func ledgerMapping(header []string, opts LedgerOptions) Mapping {
	if opts.Mapping != nil {
		return opts.Mapping
	}
	if len(opts.Remembered) > 0 {
		return opts.Remembered[LayoutKey(header)]
	}
	return nil
}

// headerLabel is a header cell as messages name it: one line, no unit.
func headerLabel(h string) string {
	return strings.Join(strings.Fields(h), "")
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

func isStageBreak(r rune) bool {
	return strings.ContainsRune(",，;；。、(（:：/", r)
}

// foldText is width-folded, lower-case text without spaces, punctuation or
// symbols.
func foldText(s string) string {
	return xinlu.NormalizeText(s)
}

func foldStage(s string) string {
	s = foldText(s)
	for changed := true; changed; {
		changed = false
		for _, suf := range []string{"阶段", "中", "状态", "项目"} {
			if len(s) > len(suf) && strings.HasSuffix(s, suf) {
				s, changed = strings.TrimSuffix(s, suf), true
			}
		}
		if len(s) > len("项目") && strings.HasPrefix(s, "项目") {
			s, changed = strings.TrimPrefix(s, "项目"), true
		}
	}
	return s
}

func foldIndustry(s string) string {
	_, s = headingLevel(s)
	s = foldText(s)
	for changed := true; changed; {
		changed = false
		for _, suf := range []string{"产业集群", "产业链", "产业", "行业", "项目", "领域", "板块", "类"} {
			if len(s) > len(suf) && strings.HasSuffix(s, suf) {
				s, changed = strings.TrimSuffix(s, suf), true
			}
		}
	}
	return s
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

var reNumeric = regexp.MustCompile(`^[-+]?[0-9][0-9,]*(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?%?$`)

func isNumeric(s string) bool {
	return reNumeric.MatchString(strings.TrimSpace(width.Narrow.String(s)))
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

// cleanCell tidies a text cell: control characters go, runs of spaces and
// line breaks become one space (line breaks stay in notes), and the quote
// SafeText puts before formula-like text on export is taken off again.
func cleanCell(s string, keepLines bool) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' && keepLines:
			return r
		case r == '\n' || r == '\r' || r == '\t' || r == '\u3000' || r == '\u00a0':
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	s = strings.TrimSpace(strings.Join(lines, "\n"))
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@", rune(s[1])) {
		s = s[1:]
	}
	return s
}

// short cuts a cell quoted in a message.
func short(s string) string {
	s = cleanCell(s, false)
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

func rawOr(r sheetRow, i int) string {
	if v := strings.TrimSpace(cell(r.raw, i)); v != "" {
		return v
	}
	return cell(r.text, i)
}

// placeholders stand for an empty cell in dates and amounts.
var placeholders = map[string]bool{"/": true, "-": true, "—": true, "——": true, "--": true, "\\": true, "无": true,
	"暂无": true, "待定": true, "未定": true, "空": true, "n/a": true, "na": true}

// readAmount reads an amount cell that may be unknown (xinlu.ParseAmountText):
// empty or a placeholder (待定, 面议, /) is nil; a number as parseAmount
// reads it; an approximation (约 5000, 5000左右, 5000+) or a range (3000-5000,
// its lower bound) gives its figure with a note saying so, which does not
// stop the import. msg, if not empty, is the problem; note and msg have one
// %s for the cell.
func readAmount(s string, unit int64) (yuan *int64, note, msg string) {
	at, err := xinlu.ParseAmountText(width.Narrow.String(s))
	switch {
	case err == nil && at.Unknown:
		return nil, "", ""
	case err != nil || !at.Approx && !at.Range:
		v, msg := parseAmount(s, unit) // its own messages, and numbers such as 1.2E+07
		if msg != "" {
			return nil, "", msg
		}
		return &v, "", ""
	}
	v, msg := parseAmount(at.Number, unit)
	if msg != "" {
		return nil, "", msg
	}
	figure := strings.ReplaceAll(at.Number, "%", "")
	if at.Range {
		return &v, "「%s」是范围，按下限 " + figure + " 导入", ""
	}
	return &v, "「%s」是约数，按 " + figure + " 导入", ""
}

// parseAmount reads an amount in the column's unit (yuan per unit) into
// whole yuan: numbers, "96,000", full-width digits, "1.2亿", "3000万",
// "1亿2000万", "500元". Decimals are exact; a fraction of a yuan is rounded
// half away from zero. An empty cell is 0. msg, if not empty, is the
// problem, with one %s for the cell.
func parseAmount(s string, unit int64) (int64, string) {
	s = width.Narrow.String(strings.TrimSpace(s))
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	if isPlaceholder(s) {
		return 0, ""
	}
	if len(s) > 64 {
		return 0, "金额无法识别「%s」"
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "¥"), "￥")
	negative := false
	switch {
	case strings.HasPrefix(s, "-"):
		negative, s = true, s[1:]
	case strings.HasPrefix(s, "−"):
		negative, s = true, strings.TrimPrefix(s, "−")
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	total := new(big.Rat)
	last := int64(0) // the unit of the previous part, for "1亿2000万"
	parts := 0
	for s != "" {
		m := reAmountPart.FindStringSubmatch(s)
		if m == nil {
			return 0, "金额无法识别「%s」"
		}
		intPart, frac, exp, suffix := m[1], m[2], m[3], m[4]
		if strings.Contains(intPart, ",") && !reGrouped.MatchString(intPart) {
			return 0, "金额无法识别「%s」"
		}
		if exp != "" {
			e, err := strconv.Atoi(exp[1:])
			if err != nil || e > 20 || e < -20 || suffix != "" || parts > 0 || len(m[0]) != len(s) {
				return 0, "金额无法识别「%s」"
			}
		}
		u := unit
		switch suffix {
		case "亿元", "亿":
			u = 100000000
		case "万元", "万":
			u = 10000
		case "元":
			u = 1
		case "":
			if parts > 0 || len(m[0]) != len(s) {
				return 0, "金额无法识别「%s」"
			}
		}
		if last != 0 && u >= last {
			return 0, "金额无法识别「%s」"
		}
		last = u
		v, ok := new(big.Rat).SetString(strings.ReplaceAll(intPart, ",", "") + frac + exp)
		if !ok {
			return 0, "金额无法识别「%s」"
		}
		total.Add(total, v.Mul(v, new(big.Rat).SetInt64(u)))
		s = s[len(m[0]):]
		parts++
	}
	if parts == 0 {
		return 0, "金额无法识别「%s」"
	}
	// Round to whole yuan, half away from zero (the total is not negative).
	q, rem := new(big.Int).QuoRem(total.Num(), total.Denom(), new(big.Int))
	if rem.Lsh(rem, 1).Cmp(total.Denom()) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if negative && q.Sign() != 0 {
		return 0, "金额不能为负数「%s」"
	}
	if !q.IsInt64() || q.Int64() > maxLedgerYuan {
		return 0, "金额过大「%s」"
	}
	return q.Int64(), ""
}

// maxLedgerYuan is ten thousand 亿 (a trillion yuan): more is a typing error.
const maxLedgerYuan = 1_000_000_000_000

var (
	reAmountPart = regexp.MustCompile(`^([0-9][0-9,]{0,29})(\.[0-9]{1,20})?([eE][-+]?[0-9]{1,3})?(亿元|亿|万元|万|元)?`)
	reGrouped    = regexp.MustCompile(`^[0-9]{1,3}(,[0-9]{3})+$`)
)

var (
	reMonthOnly = regexp.MustCompile(`^[0-9]{4}\s*[年.\-/]\s*[0-9]{1,2}\s*月?$`)
	reSpaces    = regexp.MustCompile(`\s+`)
)

// Dates outside these years are typing errors.
const ledgerMinYear, ledgerMaxYear = 1950, 2100

// parseLedgerDate reads a date cell into YYYY-MM-DD: a real date cell (its
// raw value is Excel's serial day), 20260518, or text in any form ParseDate
// reads, with full-width digits and spaces allowed. An empty cell or a
// placeholder ("/", "待定") is "". msg, if not empty, is the problem, with
// one %s for the cell.
func parseLedgerDate(text, raw string, date1904 bool) (string, string) {
	t := strings.TrimSpace(width.Narrow.String(text))
	raw = strings.TrimSpace(width.Narrow.String(raw))
	if raw == "" {
		raw = t
	}
	if isPlaceholder(t) && isPlaceholder(raw) {
		return "", ""
	}
	inRange := func(d time.Time) bool { return d.Year() >= ledgerMinYear && d.Year() <= ledgerMaxYear }
	// A real date cell (a serial day), or a number typed as 20260518.
	if reNumeric.MatchString(raw) && !strings.ContainsAny(raw, ",%") {
		if len(raw) == 8 && strings.Trim(raw, "0123456789") == "" {
			if d, err := time.Parse("20060102", raw); err == nil && inRange(d) {
				return d.Format(xinlu.DateLayout), ""
			}
		}
		serial, err := strconv.ParseFloat(raw, 64)
		if err == nil && serial >= serialOf(ledgerMinYear, date1904) && serial < serialOf(ledgerMaxYear+1, date1904) {
			if d, err := excelize.ExcelDateToTime(serial, date1904); err == nil && inRange(d) {
				return d.Format(xinlu.DateLayout), ""
			}
		}
	}
	for _, s := range []string{t, raw} {
		if strings.ContainsAny(s, "年月日号") {
			s = strings.ReplaceAll(reSpaces.ReplaceAllString(s, ""), "号", "日")
		}
		if d, ok := ParseDate(s); ok {
			if !inRange(d) {
				return "", "日期超出范围「%s」"
			}
			return d.Format(xinlu.DateLayout), ""
		}
	}
	if reMonthOnly.MatchString(t) {
		return "", "请填写到具体日期「%s」，如 2026年5月18日"
	}
	return "", "日期无法识别「%s」，请填写如 2026-05-18 或 2026年5月18日"
}

func isPlaceholder(s string) bool {
	return s == "" || placeholders[strings.ToLower(s)]
}

// serialOf is Excel's serial day of 1 January of a year.
func serialOf(year int, date1904 bool) float64 {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Sub(base).Hours() / 24
}

// cellRange is a merged range, 1-based and inclusive.
type cellRange struct{ r1, c1, r2, c2 int }

// sheetShape is what the cell values do not say, from a scan of the
// sheet's XML: merged ranges, the rows holding formulas, and what reading
// the rows will cost.
type sheetShape struct {
	merges      []cellRange
	formulaRows map[int]bool
	valueRows   int   // rows with a value
	cells       int64 // over the rows, the last column with a value: what excelize allocates to read them
}

// mergedAcross lists the rows with a range merged across the given column
// (0-based) and at least one more: section and note rows.
func (s sheetShape) mergedAcross(col int) map[int]bool {
	out := map[int]bool{}
	for _, m := range s.merges {
		if m.c2 > m.c1 && m.c1 <= col+1 && col+1 <= m.c2 {
			out[m.r1] = true
		}
	}
	return out
}

// bookParts finds the worksheet parts in the workbook's zip, to scan them
// with a streaming decoder: excelize would load a whole worksheet into
// memory for merged ranges and formulas, and its row reader allocates up
// to the last column with a value, which a tiny hostile file can put at
// XFD on every row.
type bookParts struct {
	files  map[string]*zip.File // by lower-case name
	sheets map[string]string    // sheet name → part name
}

func openBookParts(b []byte) *bookParts {
	bp := &bookParts{files: map[string]*zip.File{}, sheets: map[string]string{}}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return bp
	}
	for _, f := range zr.File {
		bp.files[strings.ToLower(strings.TrimPrefix(f.Name, "/"))] = f
	}
	resolve := func(dir, target string) string {
		if strings.HasPrefix(target, "/") {
			return path.Clean(target[1:])
		}
		return path.Join(dir, target)
	}
	rels := func(name string) map[string][2]string { // Id → Type, Target
		out := map[string][2]string{}
		d := bp.open(name, 8<<20)
		for d != nil && len(out) < 10000 {
			tok, err := d.RawToken()
			if err != nil {
				break
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "Relationship" {
				out[attr(se, "", "Id")] = [2]string{attr(se, "", "Type"), attr(se, "", "Target")}
			}
		}
		return out
	}
	workbook := "xl/workbook.xml"
	for _, r := range rels("_rels/.rels") {
		if strings.HasSuffix(r[0], "/officeDocument") {
			workbook = resolve("", r[1])
		}
	}
	wbRels := rels(path.Join(path.Dir(workbook), "_rels", path.Base(workbook)+".rels"))
	d := bp.open(workbook, 8<<20)
	for d != nil && len(bp.sheets) < 10000 {
		tok, err := d.RawToken()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "sheet" {
			if r, ok := wbRels[attr(se, "r", "id")]; ok {
				bp.sheets[attr(se, "", "name")] = resolve(path.Dir(workbook), r[1])
			}
		}
	}
	return bp
}

func (bp *bookParts) open(name string, limit int64) *xml.Decoder {
	f := bp.files[strings.ToLower(name)]
	if f == nil {
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil
	}
	return xml.NewDecoder(io.LimitReader(rc, limit))
}

// scan streams a sheet's XML up to row untilRow (0: all of it); ok is false
// when the sheet's part cannot be found.
func (bp *bookParts) scan(sheet string, untilRow int) (shape sheetShape, ok bool) {
	shape.formulaRows = map[int]bool{}
	d := bp.open(bp.sheets[sheet], 256<<20)
	if d == nil {
		return shape, false
	}
	rowN, col, last := 0, 0, 0
	flush := func() {
		if last > 0 {
			shape.valueRows++
			shape.cells += int64(last)
		}
		last = 0
	}
	defer flush()
	for {
		tok, err := d.RawToken()
		if err != nil {
			return shape, true
		}
		se, isStart := tok.(xml.StartElement)
		if !isStart {
			continue
		}
		switch se.Name.Local {
		case "row":
			flush()
			if n, err := strconv.Atoi(attr(se, "", "r")); err == nil {
				rowN = n
			} else {
				rowN++
			}
			col = 0
			if untilRow > 0 && rowN > untilRow {
				return shape, true
			}
		case "c":
			if c := columnOf(attr(se, "", "r")); c > 0 {
				col = c
			} else {
				col++
			}
		case "v", "is":
			last = max(last, col)
		case "f":
			last = max(last, col)
			if len(shape.formulaRows) < 100000 {
				shape.formulaRows[rowN] = true
			}
		case "mergeCell":
			parts := strings.Split(attr(se, "", "ref"), ":")
			if len(parts) != 2 || len(shape.merges) >= 100000 {
				continue
			}
			c1, r1, err1 := excelize.CellNameToCoordinates(parts[0])
			c2, r2, err2 := excelize.CellNameToCoordinates(parts[1])
			if err1 == nil && err2 == nil {
				shape.merges = append(shape.merges, cellRange{min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)})
			}
		}
	}
}

// columnOf is the column number of a cell reference ("AB12" → 28), 0 if
// it has none.
func columnOf(ref string) int {
	c := 0
	for i := 0; i < len(ref) && i < 4; i++ {
		ch := ref[i] | 0x20 // lower case
		if ch < 'a' || ch > 'z' {
			break
		}
		c = c*26 + int(ch-'a'+1)
	}
	return c
}

// attr is an attribute of a raw token: space "" for an unprefixed one, any
// other for a prefixed one whatever its prefix (r:id, ns1:id).
func attr(se xml.StartElement, space, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local && (space == "") == (a.Name.Space == "") {
			return a.Value
		}
	}
	return ""
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
