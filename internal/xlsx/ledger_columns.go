package xlsx

import (
	"slices"
)

// The ledger's column dictionaries: the fields, the header words that name
// each, and the words of its stages and industries.

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
