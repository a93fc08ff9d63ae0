//! The 政府信息公开指南, generated from the organ's own data. 条例 art. 12 requires it to give
//! the classification and arrangement of the organ's information, how to obtain it, and the
//! 工作机构's name, office address, office hours, telephone, fax and internet contact.

use gongkai_core::article20::ARTICLE_20;
use gongkai_store::organ::Organ;
use serde::Serialize;

/// Shown where an item required by art. 12 has not been entered.
pub const MISSING: &str = "（未提供）";

/// One section of the guide.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// Heading, e.g. `一、总则`.
    pub heading: String,
    /// Paragraphs.
    pub paragraphs: Vec<String>,
    /// Label–value lines (the 工作机构's contact table).
    pub facts: Vec<(String, String)>,
}

/// The generated guide.
#[derive(Debug, Clone, Serialize)]
pub struct Guide {
    /// Sections in order.
    pub sections: Vec<Section>,
    /// The art. 12 items the organ has not entered (the console warns about them).
    pub missing: Vec<&'static str>,
}

fn or_missing(value: &str) -> String {
    if value.trim().is_empty() {
        MISSING.to_owned()
    } else {
        value.trim().to_owned()
    }
}

/// Builds the guide of an organ.
pub fn build(organ: &Organ) -> Guide {
    let s = &organ.settings;
    let organ_name = s.name.as_str();
    let office = if s.office_name.trim().is_empty() {
        format!("{organ_name}政府信息公开工作机构")
    } else {
        s.office_name.trim().to_owned()
    };
    let mut missing = Vec::new();
    for (label, value) in [
        ("工作机构名称", &s.office_name),
        ("办公地址", &s.office_address),
        ("办公时间", &s.office_hours),
        ("联系电话", &s.office_phone),
        ("传真号码", &s.office_fax),
        ("互联网联系方式", &s.office_email),
    ] {
        if value.trim().is_empty() {
            missing.push(label);
        }
    }
    let website = if s.site_domain.trim().is_empty() {
        "本机关门户网站".to_owned()
    } else {
        format!("本机关门户网站（{}）", s.site_domain.trim())
    };
    let categories: Vec<String> = ARTICLE_20
        .iter()
        .map(|item| format!("{}{}", item.numeral, item.text))
        .collect();
    let sections = vec![
        Section {
            heading: "一、总则".into(),
            paragraphs: vec![format!(
                "为了保障公民、法人和其他组织依法获取政府信息，根据《中华人民共和国政府信息公开条例》\
                 （以下简称《条例》），编制本指南。需要获得{organ_name}政府信息公开服务的公民、\
                 法人或者其他组织，建议阅读本指南。本指南随本机关信息的变化及时更新。"
            )],
            facts: vec![],
        },
        Section {
            heading: "二、政府信息的分类与编排体系".into(),
            paragraphs: {
                let mut p =
                    vec!["本机关主动公开的政府信息按《条例》第二十条分为以下类别：".to_owned()];
                p.extend(categories);
                p.push(
                    "政府信息公开目录按上述类别编排，每条信息列明索引号、名称、内容概述和生成日期\
                     （《条例》第十二条第二款）。"
                        .into(),
                );
                p
            },
            facts: vec![],
        },
        Section {
            heading: "三、主动公开".into(),
            paragraphs: vec![
                format!(
                    "获取方式：本机关主动公开的政府信息在{website}“政府信息公开”专栏发布，\
                     公众可以检索、查阅和下载；也可通过政府公报、新闻发布会以及报刊、广播、电视等\
                     途径获取（《条例》第二十三条、第二十四条）。"
                ),
                "公开时限：属于主动公开范围的政府信息，自该政府信息形成或者变更之日起20个工作日内\
                 予以公开；法律、法规对公开期限另有规定的，从其规定（《条例》第二十六条）。"
                    .into(),
                format!(
                    "年度报告：本机关每年在{website}“政府信息公开年报”栏目公布上一年度政府信息公开\
                     工作年度报告（《条例》第四十九条、第五十条）。"
                ),
            ],
            facts: vec![],
        },
        Section {
            heading: "四、依申请公开".into(),
            paragraphs: vec![
                format!(
                    "除本机关主动公开的政府信息外，公民、法人或者其他组织可以向本机关申请获取\
                     相关政府信息（《条例》第二十七条）。申请由{office}受理。"
                ),
                "申请方式：申请人应当采用包括信件、数据电文在内的书面形式提出申请；采用书面形式确有\
                 困难的，可以口头提出，由工作机构代为填写申请（《条例》第二十九条）。申请内容应当\
                 包括：申请人的姓名或者名称、身份证明、联系方式；申请公开的政府信息的名称、文号或者\
                 便于查询的其他特征性描述；申请公开的政府信息的形式要求，包括获取信息的方式、途径。"
                    .into(),
                "答复期限：能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内\
                 答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限\
                 最长不超过20个工作日（《条例》第三十三条）。"
                    .into(),
                "收费：提供政府信息不收取费用；申请公开政府信息的数量、频次明显超过合理范围的，\
                 可以收取信息处理费（《条例》第四十二条）。"
                    .into(),
            ],
            facts: vec![],
        },
        Section {
            heading: "五、政府信息公开工作机构".into(),
            paragraphs: vec![],
            facts: vec![
                ("名称".into(), office.clone()),
                ("办公地址".into(), or_missing(&s.office_address)),
                ("邮政编码".into(), or_missing(&s.office_postcode)),
                ("办公时间".into(), or_missing(&s.office_hours)),
                ("联系电话".into(), or_missing(&s.office_phone)),
                ("传真号码".into(), or_missing(&s.office_fax)),
                ("互联网联系方式".into(), or_missing(&s.office_email)),
            ],
        },
        Section {
            heading: "六、监督和救济".into(),
            paragraphs: vec![
                "公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以向上一级\
                 行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起\
                 行政诉讼（《条例》第五十一条）。"
                    .into(),
            ],
            facts: vec![],
        },
    ];
    Guide { sections, missing }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_store::organ::OrganSettings;

    fn organ(settings: OrganSettings) -> Organ {
        Organ {
            id: 1,
            parent_id: None,
            settings,
            created_at: 0,
        }
    }

    #[test]
    fn art12_contact_items_come_from_the_organ() {
        let g = build(&organ(OrganSettings {
            name: "开发区".into(),
            office_name: "综合办公室".into(),
            office_address: "管委会办公楼".into(),
            office_phone: "0470-2773823".into(),
            ..OrganSettings::default()
        }));
        let facts = &g.sections[4].facts;
        assert!(facts.contains(&("名称".into(), "综合办公室".into())));
        assert!(facts.contains(&("办公地址".into(), "管委会办公楼".into())));
        assert!(facts.contains(&("联系电话".into(), "0470-2773823".into())));
        assert!(facts.contains(&("传真号码".into(), MISSING.into())));
        assert_eq!(g.missing, vec!["办公时间", "传真号码", "互联网联系方式"]);
    }

    #[test]
    fn art12_classification_lists_the_fifteen_art20_categories() {
        let g = build(&organ(OrganSettings::default()));
        let text = g.sections[1].paragraphs.join("\n");
        for item in ARTICLE_20.iter() {
            assert!(text.contains(item.text), "{}", item.text);
        }
    }
}
