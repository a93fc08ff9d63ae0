//! 《条例》第二十条: the 15 categories of information every organ discloses proactively,
//! exactly as the statute words them (spec/domain.md §2.2).

/// One item of art. 20.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Article20Item {
    /// The item's number, 1–15.
    pub number: u8,
    /// The numbering as printed, for example `（一）`.
    pub numeral: &'static str,
    /// The statutory text, without its numbering and final punctuation.
    pub text: &'static str,
}

/// The 15 items of art. 20, in order.
pub const ARTICLE_20: [Article20Item; 15] = [
    item(1, "（一）", "行政法规、规章和规范性文件"),
    item(
        2,
        "（二）",
        "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    ),
    item(
        3,
        "（三）",
        "国民经济和社会发展规划、专项规划、区域规划及相关政策",
    ),
    item(4, "（四）", "国民经济和社会发展统计信息"),
    item(
        5,
        "（五）",
        "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
    ),
    item(
        6,
        "（六）",
        "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
    ),
    item(7, "（七）", "财政预算、决算信息"),
    item(8, "（八）", "行政事业性收费项目及其依据、标准"),
    item(9, "（九）", "政府集中采购项目的目录、标准及实施情况"),
    item(10, "（十）", "重大建设项目的批准和实施情况"),
    item(
        11,
        "（十一）",
        "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
    ),
    item(12, "（十二）", "突发公共事件的应急预案、预警信息及应对情况"),
    item(
        13,
        "（十三）",
        "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
    ),
    item(
        14,
        "（十四）",
        "公务员招考的职位、名额、报考条件等事项以及录用结果",
    ),
    item(
        15,
        "（十五）",
        "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
    ),
];

const fn item(number: u8, numeral: &'static str, text: &'static str) -> Article20Item {
    Article20Item {
        number,
        numeral,
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn art20_has_fifteen_items_numbered_in_order() {
        for (i, item) in ARTICLE_20.iter().enumerate() {
            assert_eq!(usize::from(item.number), i + 1);
            assert!(item.numeral.starts_with('（') && item.numeral.ends_with('）'));
        }
    }
}
