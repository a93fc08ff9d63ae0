//! The national format of the 政府信息公开工作年度报告: its templates and the labels of its
//! tables 二, 三 and 四, written once (spec/domain.md §4).
//!
//! Two templates are in use: 〔2019〕60号 (试行, statistical years 2019–2020) and
//! 〔2021〕30号 (from the 2021 reports on). They differ in 表二 and in 表三's （六）其他处理;
//! 表四 is the same. Every key here is the key of `spec/annual-report.schema.json`; every
//! label is printed exactly as the format prints it, with full-width brackets.

/// A version of the national annual-report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Template {
    /// 《中华人民共和国政府信息公开工作年度报告格式（试行）》, 国办公开办函〔2019〕60号.
    Y2019,
    /// 《中华人民共和国政府信息公开工作年度报告格式》, 国办公开办函〔2021〕30号.
    Y2021,
}

impl Template {
    /// Both templates, oldest first.
    pub const ALL: [Template; 2] = [Template::Y2019, Template::Y2021];

    /// The value of the interchange JSON's `template` key.
    pub const fn key(self) -> &'static str {
        match self {
            Template::Y2019 => "2019",
            Template::Y2021 => "2021",
        }
    }

    /// The template named by a `template` key, if any.
    pub fn from_key(key: &str) -> Option<Template> {
        Template::ALL.into_iter().find(|t| t.key() == key)
    }

    /// The notice that issued the template.
    pub const fn document(self) -> &'static str {
        match self {
            Template::Y2019 => "国办公开办函〔2019〕60号",
            Template::Y2021 => "国办公开办函〔2021〕30号",
        }
    }

    /// The template a report for `year` must use: 2019–2020 the 试行 format, 2021 on the
    /// current one. Years before 2019 have no national template and give `None`.
    pub const fn for_year(year: i32) -> Option<Template> {
        match year {
            2019 | 2020 => Some(Template::Y2019),
            y if y >= 2021 => Some(Template::Y2021),
            _ => None,
        }
    }

    /// 表二's blocks, in printed order.
    pub const fn proactive_blocks(self) -> &'static [ProactiveBlock] {
        match self {
            Template::Y2019 => &PROACTIVE_2019,
            Template::Y2021 => &PROACTIVE_2021,
        }
    }

    /// 表三's 25 (2021) or 23 (2019) data rows, in printed order.
    pub const fn application_rows(self) -> &'static [ApplicationRowSpec] {
        match self {
            Template::Y2019 => &APPLICATION_ROWS_2019,
            Template::Y2021 => &APPLICATION_ROWS_2021,
        }
    }
}

/// Section titles of the report's tables, as printed.
pub mod title {
    /// Heading of part 一 of the narrative (spec/domain.md §4.6).
    pub const OVERVIEW: &str = "一、总体情况";
    /// Heading of part 五 of the narrative (spec/domain.md §4.6).
    pub const PROBLEMS: &str = "五、政府信息公开工作存在的主要问题及改进情况";
    /// Heading of part 六 of the narrative (spec/domain.md §4.6).
    pub const OTHER_MATTERS: &str = "六、其他需要报告的事项";
    /// Heading of section 二, which holds 表二.
    pub const PROACTIVE: &str = "二、主动公开政府信息情况";
    /// Heading of section 三, which holds 表三.
    pub const APPLICATIONS: &str = "三、收到和处理政府信息公开申请情况";
    /// Heading of section 四, which holds 表四.
    pub const APPEALS: &str = "四、政府信息公开行政复议、行政诉讼情况";
    /// The 勾稽 note in 表三's top-left header cell.
    pub const BALANCE_NOTE: &str =
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
    /// 表三's header over the seven number columns.
    pub const APPLICANTS: &str = "申请人情况";
    /// 表三's header over the five organisation columns.
    pub const ORGANISATIONS: &str = "法人或其他组织";
    /// 表二's header of the label column.
    pub const INFORMATION_CONTENT: &str = "信息内容";
    /// 表四's header over the five reconsideration columns.
    pub const RECONSIDERATION: &str = "行政复议";
    /// 表四's header over the ten litigation columns.
    pub const LITIGATION: &str = "行政诉讼";
}

// ---------------------------------------------------------------------------------------------
// 表二

/// What a 表二 cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProactiveKind {
    /// A count: a non-negative integer.
    Count,
    /// A change from last year (本年增/减): an integer that may be negative.
    Change,
    /// A money amount, decimal, kept as printed digits.
    Amount,
    /// The unit printed beside an amount (元, 万元); not a column of its own.
    Unit,
}

/// A column of a 表二 block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProactiveColumn {
    /// Schema key, for example `issued`.
    pub key: &'static str,
    /// Printed header, for example `本年制发件数`; empty for [`ProactiveKind::Unit`].
    pub label: &'static str,
    /// What the cell holds.
    pub kind: ProactiveKind,
}

/// A data row of a 表二 block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProactiveRow {
    /// Schema key, for example `normative_documents`.
    pub key: &'static str,
    /// Printed label, for example `行政规范性文件`.
    pub label: &'static str,
}

/// One block of 表二: a title row naming the art. 20 item, a header row, data rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProactiveBlock {
    /// The art. 20 item the block reports, as its title row prints it: `第二十条第（一）项`.
    pub title: &'static str,
    /// The number of that art. 20 item.
    pub article20_item: u8,
    /// Columns after `信息内容`, in order.
    pub columns: &'static [ProactiveColumn],
    /// Data rows, in order.
    pub rows: &'static [ProactiveRow],
}

const fn pcol(key: &'static str, label: &'static str, kind: ProactiveKind) -> ProactiveColumn {
    ProactiveColumn { key, label, kind }
}
const fn prow(key: &'static str, label: &'static str) -> ProactiveRow {
    ProactiveRow { key, label }
}

const COLS_2021_ITEM1: [ProactiveColumn; 3] = [
    pcol("issued", "本年制发件数", ProactiveKind::Count),
    pcol("repealed", "本年废止件数", ProactiveKind::Count),
    pcol("in_force", "现行有效件数", ProactiveKind::Count),
];
const COLS_2021_DECISIONS: [ProactiveColumn; 1] =
    [pcol("decisions", "本年处理决定数量", ProactiveKind::Count)];
const COLS_2021_FEES: [ProactiveColumn; 1] = [pcol(
    "amount_wan_yuan",
    "本年收费金额（单位：万元）",
    ProactiveKind::Amount,
)];

const PROACTIVE_2021: [ProactiveBlock; 4] = [
    ProactiveBlock {
        title: "第二十条第（一）项",
        article20_item: 1,
        columns: &COLS_2021_ITEM1,
        rows: &[
            prow("regulations", "规章"),
            prow("normative_documents", "行政规范性文件"),
        ],
    },
    ProactiveBlock {
        title: "第二十条第（五）项",
        article20_item: 5,
        columns: &COLS_2021_DECISIONS,
        rows: &[prow("licensing", "行政许可")],
    },
    ProactiveBlock {
        title: "第二十条第（六）项",
        article20_item: 6,
        columns: &COLS_2021_DECISIONS,
        rows: &[prow("penalty", "行政处罚"), prow("enforcement", "行政强制")],
    },
    ProactiveBlock {
        title: "第二十条第（八）项",
        article20_item: 8,
        columns: &COLS_2021_FEES,
        rows: &[prow("fees", "行政事业性收费")],
    },
];

const COLS_2019_ITEM1: [ProactiveColumn; 3] = [
    pcol("new_made", "本年新制作数量", ProactiveKind::Count),
    pcol("new_published", "本年新公开数量", ProactiveKind::Count),
    pcol("total_published", "对外公开总数量", ProactiveKind::Count),
];
const COLS_2019_ITEMS: [ProactiveColumn; 3] = [
    pcol(
        "previous_year_items",
        "上一年项目数量",
        ProactiveKind::Count,
    ),
    pcol("change", "本年增/减", ProactiveKind::Change),
    pcol("decisions", "处理决定数量", ProactiveKind::Count),
];
const COLS_2019_FEES: [ProactiveColumn; 2] = [
    pcol(
        "previous_year_items",
        "上一年项目数量",
        ProactiveKind::Count,
    ),
    pcol("change", "本年增/减", ProactiveKind::Change),
];
const COLS_2019_PROCUREMENT: [ProactiveColumn; 3] = [
    pcol("projects", "采购项目数量", ProactiveKind::Count),
    pcol("amount", "采购总金额", ProactiveKind::Amount),
    pcol("amount_unit", "", ProactiveKind::Unit),
];

const PROACTIVE_2019: [ProactiveBlock; 5] = [
    ProactiveBlock {
        title: "第二十条第（一）项",
        article20_item: 1,
        columns: &COLS_2019_ITEM1,
        rows: &[
            prow("regulations", "规章"),
            prow("normative_documents", "规范性文件"),
        ],
    },
    ProactiveBlock {
        title: "第二十条第（五）项",
        article20_item: 5,
        columns: &COLS_2019_ITEMS,
        rows: &[
            prow("licensing", "行政许可"),
            prow("other_services", "其他对外管理服务事项"),
        ],
    },
    ProactiveBlock {
        title: "第二十条第（六）项",
        article20_item: 6,
        columns: &COLS_2019_ITEMS,
        rows: &[prow("penalty", "行政处罚"), prow("enforcement", "行政强制")],
    },
    ProactiveBlock {
        title: "第二十条第（八）项",
        article20_item: 8,
        columns: &COLS_2019_FEES,
        rows: &[prow("fees", "行政事业性收费")],
    },
    ProactiveBlock {
        title: "第二十条第（九）项",
        article20_item: 9,
        columns: &COLS_2019_PROCUREMENT,
        rows: &[prow("procurement", "政府集中采购")],
    },
];

// ---------------------------------------------------------------------------------------------
// 表三

/// A number column of 表三 (申请人情况).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApplicantColumn {
    /// Schema key, for example `natural_person`.
    pub key: &'static str,
    /// Printed header, for example `自然人`.
    pub label: &'static str,
}

/// 表三's seven number columns, in printed order; the last is `总计`.
pub const APPLICANT_COLUMNS: [ApplicantColumn; 7] = [
    ApplicantColumn {
        key: "natural_person",
        label: "自然人",
    },
    ApplicantColumn {
        key: "commercial",
        label: "商业企业",
    },
    ApplicantColumn {
        key: "research",
        label: "科研机构",
    },
    ApplicantColumn {
        key: "social_welfare",
        label: "社会公益组织",
    },
    ApplicantColumn {
        key: "legal_services",
        label: "法律服务机构",
    },
    ApplicantColumn {
        key: "other",
        label: "其他",
    },
    ApplicantColumn {
        key: "total",
        label: "总计",
    },
];

/// Index of `总计` in [`APPLICANT_COLUMNS`].
pub const APPLICANT_TOTAL: usize = 6;

/// A data row of 表三, in either template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ApplicationRow {
    /// 一、本年新收政府信息公开申请数量
    NewReceived,
    /// 二、上年结转政府信息公开申请数量
    CarriedOver,
    /// 三（一）予以公开
    Granted,
    /// 三（二）部分公开
    PartiallyGranted,
    /// 三（三）1.属于国家秘密
    WithheldStateSecret,
    /// 三（三）2.其他法律行政法规禁止公开
    WithheldProhibitedByLaw,
    /// 三（三）3.危及“三安全一稳定”
    WithheldSecurityStability,
    /// 三（三）4.保护第三方合法权益
    WithheldThirdParty,
    /// 三（三）5.属于三类内部事务信息
    WithheldInternalAffairs,
    /// 三（三）6.属于四类过程性信息
    WithheldProcessInfo,
    /// 三（三）7.属于行政执法案卷
    WithheldEnforcementFile,
    /// 三（三）8.属于行政查询事项
    WithheldInquiryMatter,
    /// 三（四）1.本机关不掌握相关政府信息
    UnavailableNotHeld,
    /// 三（四）2.没有现成信息需要另行制作
    UnavailableNeedsCreation,
    /// 三（四）3.补正后申请内容仍不明确
    UnavailableUnclear,
    /// 三（五）1.信访举报投诉类申请
    RejectedPetition,
    /// 三（五）2.重复申请
    RejectedRepeat,
    /// 三（五）3.要求提供公开出版物
    RejectedPublication,
    /// 三（五）4.无正当理由大量反复申请
    RejectedExcessive,
    /// 三（五）5.要求行政机关确认或重新出具已获取信息
    RejectedConfirmation,
    /// 三（六）1.申请人无正当理由逾期不补正 (2021 template)
    OtherNoCorrection,
    /// 三（六）2.申请人逾期未按收费通知要求缴纳费用 (2021 template)
    OtherFeeUnpaid,
    /// 三（六）3.其他 (2021 template)
    OtherOther,
    /// 三（六）其他处理, one row (2019 template)
    Other,
    /// 三（七）总计
    TotalHandled,
    /// 四、结转下年度继续办理
    CarriedForward,
}

/// How a 表三 row is labelled and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApplicationRowSpec {
    /// The row.
    pub row: ApplicationRow,
    /// Schema key, for example `withheld_state_secret`.
    pub key: &'static str,
    /// The label group it sits in, as printed: `（三）不予公开`; `None` for rows that carry
    /// their own full label (一, 二, （一）, （二）, （七）, 四).
    pub group: Option<&'static str>,
    /// The row's own printed label: `1.属于国家秘密`, `（一）予以公开`,
    /// `一、本年新收政府信息公开申请数量`.
    pub label: &'static str,
    /// The article(s) of the 《条例》 (or other measure) the row counts, for explanations.
    pub basis: &'static str,
}

impl ApplicationRow {
    /// Whether the row is one of 三、本年度办理结果's result rows, which （七）总计 adds up.
    pub const fn is_result(self) -> bool {
        !matches!(
            self,
            ApplicationRow::NewReceived
                | ApplicationRow::CarriedOver
                | ApplicationRow::TotalHandled
                | ApplicationRow::CarriedForward
        )
    }
}

/// The label of the level-1 cell spanning rows （一）…（七）.
pub const RESULTS_LABEL: &str = "三、本年度办理结果";

const fn arow(
    row: ApplicationRow,
    key: &'static str,
    group: Option<&'static str>,
    label: &'static str,
    basis: &'static str,
) -> ApplicationRowSpec {
    ApplicationRowSpec {
        row,
        key,
        group,
        label,
        basis,
    }
}

const G3: Option<&str> = Some("（三）不予公开");
const G4: Option<&str> = Some("（四）无法提供");
const G5: Option<&str> = Some("（五）不予处理");
const G6: Option<&str> = Some("（六）其他处理");

use ApplicationRow as R;

/// The rows both templates share up to （五）5.
macro_rules! common_rows {
    () => {
        [
            arow(R::NewReceived, "new_received", None, "一、本年新收政府信息公开申请数量", "第三十一条"),
            arow(R::CarriedOver, "carried_over", None, "二、上年结转政府信息公开申请数量", "上年 四、结转下年度继续办理"),
            arow(R::Granted, "granted", None, "（一）予以公开", "第三十六条第（一）项、第（二）项"),
            arow(R::PartiallyGranted, "partially_granted", None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "第三十七条"),
            arow(R::WithheldStateSecret, "withheld_state_secret", G3, "1.属于国家秘密", "第十四条"),
            arow(R::WithheldProhibitedByLaw, "withheld_prohibited_by_law", G3, "2.其他法律行政法规禁止公开", "第十四条"),
            arow(R::WithheldSecurityStability, "withheld_security_stability", G3, "3.危及“三安全一稳定”", "第十四条"),
            arow(R::WithheldThirdParty, "withheld_third_party", G3, "4.保护第三方合法权益", "第十五条、第三十二条"),
            arow(R::WithheldInternalAffairs, "withheld_internal_affairs", G3, "5.属于三类内部事务信息", "第十六条第一款"),
            arow(R::WithheldProcessInfo, "withheld_process_info", G3, "6.属于四类过程性信息", "第十六条第二款"),
            arow(R::WithheldEnforcementFile, "withheld_enforcement_file", G3, "7.属于行政执法案卷", "第十六条第二款"),
            arow(R::WithheldInquiryMatter, "withheld_inquiry_matter", G3, "8.属于行政查询事项", "第三十六条第（七）项"),
            arow(R::UnavailableNotHeld, "unavailable_not_held", G4, "1.本机关不掌握相关政府信息", "第三十六条第（四）项、第（五）项"),
            arow(R::UnavailableNeedsCreation, "unavailable_needs_creation", G4, "2.没有现成信息需要另行制作", "第三十八条"),
            arow(R::UnavailableUnclear, "unavailable_unclear", G4, "3.补正后申请内容仍不明确", "第三十条"),
            arow(R::RejectedPetition, "rejected_petition", G5, "1.信访举报投诉类申请", "第三十九条第一款"),
            arow(R::RejectedRepeat, "rejected_repeat", G5, "2.重复申请", "第三十六条第（六）项"),
            arow(R::RejectedPublication, "rejected_publication", G5, "3.要求提供公开出版物", "第三十九条第二款"),
            arow(R::RejectedExcessive, "rejected_excessive", G5, "4.无正当理由大量反复申请", "第三十五条"),
            arow(R::RejectedConfirmation, "rejected_confirmation", G5, "5.要求行政机关确认或重新出具已获取信息", "第三十八条"),
        ]
    };
}

const COMMON_ROWS: [ApplicationRowSpec; 20] = common_rows!();
const TOTAL_HANDLED: ApplicationRowSpec = arow(
    R::TotalHandled,
    "total_handled",
    None,
    "（七）总计",
    "三（一）至（六）之和",
);
const CARRIED_FORWARD: ApplicationRowSpec = arow(
    R::CarriedForward,
    "carried_forward",
    None,
    "四、结转下年度继续办理",
    "本年 12月31日 仍在办理",
);

const fn rows_2021() -> [ApplicationRowSpec; 25] {
    let mut out = [TOTAL_HANDLED; 25];
    let mut i = 0;
    while i < 20 {
        out[i] = COMMON_ROWS[i];
        i += 1;
    }
    out[20] = arow(
        R::OtherNoCorrection,
        "other_no_correction",
        G6,
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "第三十条",
    );
    out[21] = arow(
        R::OtherFeeUnpaid,
        "other_fee_unpaid",
        G6,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "《政府信息公开信息处理费管理办法》",
    );
    out[22] = arow(R::OtherOther, "other_other", G6, "3.其他", "—");
    out[23] = TOTAL_HANDLED;
    out[24] = CARRIED_FORWARD;
    out
}

const fn rows_2019() -> [ApplicationRowSpec; 23] {
    let mut out = [TOTAL_HANDLED; 23];
    let mut i = 0;
    while i < 20 {
        out[i] = COMMON_ROWS[i];
        i += 1;
    }
    out[20] = arow(R::Other, "other", None, "（六）其他处理", "—");
    out[21] = TOTAL_HANDLED;
    out[22] = CARRIED_FORWARD;
    out
}

/// 表三 of the 2021 template: 25 data rows.
pub const APPLICATION_ROWS_2021: [ApplicationRowSpec; 25] = rows_2021();
/// 表三 of the 2019 template: 23 data rows.
pub const APPLICATION_ROWS_2019: [ApplicationRowSpec; 23] = rows_2019();

// ---------------------------------------------------------------------------------------------
// 表四

/// A block of 表四: 行政复议, or one of the two kinds of 行政诉讼.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppealBlock {
    /// Schema key, for example `litigation_direct`.
    pub key: &'static str,
    /// Printed header of the block: `行政复议`, `未经复议直接起诉`, `复议后起诉`.
    pub label: &'static str,
}

/// 表四's three blocks, in printed order.
pub const APPEAL_BLOCKS: [AppealBlock; 3] = [
    AppealBlock {
        key: "reconsideration",
        label: "行政复议",
    },
    AppealBlock {
        key: "litigation_direct",
        label: "未经复议直接起诉",
    },
    AppealBlock {
        key: "litigation_after_reconsideration",
        label: "复议后起诉",
    },
];

/// A column of each 表四 block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppealColumn {
    /// Schema key, for example `upheld`.
    pub key: &'static str,
    /// Printed header, for example `结果维持`.
    pub label: &'static str,
}

/// The five columns of each 表四 block, in printed order; the last is `总计`.
pub const APPEAL_COLUMNS: [AppealColumn; 5] = [
    AppealColumn {
        key: "upheld",
        label: "结果维持",
    },
    AppealColumn {
        key: "corrected",
        label: "结果纠正",
    },
    AppealColumn {
        key: "other",
        label: "其他结果",
    },
    AppealColumn {
        key: "pending",
        label: "尚未审结",
    },
    AppealColumn {
        key: "total",
        label: "总计",
    },
];

/// Index of `总计` in [`APPEAL_COLUMNS`].
pub const APPEAL_TOTAL: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table3_has_25_rows_in_2021_and_23_in_2019() {
        assert_eq!(Template::Y2021.application_rows().len(), 25);
        assert_eq!(Template::Y2019.application_rows().len(), 23);
        for t in Template::ALL {
            let rows = t.application_rows();
            assert_eq!(rows[0].row, ApplicationRow::NewReceived);
            assert_eq!(rows[rows.len() - 2].row, ApplicationRow::TotalHandled);
            assert_eq!(rows[rows.len() - 1].row, ApplicationRow::CarriedForward);
            let results = rows.iter().filter(|r| r.row.is_result()).count();
            assert_eq!(results, rows.len() - 4);
        }
    }

    #[test]
    fn template_by_statistical_year() {
        assert_eq!(Template::for_year(2018), None);
        assert_eq!(Template::for_year(2019), Some(Template::Y2019));
        assert_eq!(Template::for_year(2020), Some(Template::Y2019));
        assert_eq!(Template::for_year(2021), Some(Template::Y2021));
        assert_eq!(Template::for_year(2026), Some(Template::Y2021));
    }
}
