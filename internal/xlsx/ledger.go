package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

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

// OK reports whether the ledger can be imported: it has rows and no problem.
func (l *Ledger) OK() bool { return l != nil && len(l.Rows) > 0 && len(l.Problems) == 0 }

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
