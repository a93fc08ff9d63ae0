//! The domain user dictionary: terms of government information disclosure that jieba's general
//! dictionary would cut apart, added with `Jieba::add_word`.
//!
//! Segmentation decides which terms the index holds, so the dictionary is part of the index
//! format: [`VERSION`] and a hash of [`WORDS`] go into the index's version line
//! (`schema::version_line`), and changing either makes an existing index report that it needs
//! a rebuild instead of silently missing words it segmented the old way.

/// Bump when the list changes in a way a reader should notice; the hash catches the rest.
pub(crate) const VERSION: u32 = 1;

/// Whole terms. Search mode still emits their in-dictionary 2- and 3-character parts, so adding
/// a compound costs no recall of its parts (`信息处理费` is still found by `信息`).
pub(crate) const WORDS: &[&str] = &[
    // The statute and its procedure.
    "政府信息公开",
    "政府信息",
    "信息公开",
    "政务公开",
    "主动公开",
    "依申请公开",
    "不予公开",
    "部分公开",
    "公开指南",
    "公开目录",
    "信息公开目录",
    "年度报告",
    "工作年度报告",
    "信息处理费",
    "补正告知书",
    "延期答复",
    "征求意见",
    "意见征集",
    "第三方意见",
    "申请编号",
    "查询码",
    "行政复议",
    "行政诉讼",
    "复议机关",
    // Catalogue metadata (信息公开目录 fields).
    "索引号",
    "文号",
    "发文字号",
    "成文日期",
    "发布机构",
    "发布日期",
    "主题分类",
    "有效性",
    "全文有效",
    "已修订",
    "已废止",
    "政策解读",
    // Kinds of documents and duties that art. 20 lists.
    "规范性文件",
    "行政规范性文件",
    "政府规章",
    "重大行政决策",
    "行政许可",
    "行政处罚",
    "行政强制",
    "权责清单",
    "财政预算",
    "财政决算",
    "预决算",
    "三公经费",
    "政府采购",
    "政府工作报告",
    "统一社会信用代码",
    "组织机构代码",
    "双随机一公开",
    "一网通办",
    "营商环境",
    "乡村振兴",
];
