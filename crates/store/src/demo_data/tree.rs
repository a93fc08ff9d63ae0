//! The generated province's organ tree: a provincial government at the root, cities under it,
//! counties and districts under the cities, and each government's departments under it. Names
//! are put together from small tables of invented places, so none is a real one.

use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

/// Invented provinces.
const PROVINCES: [&str; 6] = ["青岚省", "云泽省", "临川省", "嘉陵省", "望海省", "北原省"];
/// First and second characters of invented city, county and district names.
const FIRST: [&str; 24] = [
    "青", "临", "安", "宁", "云", "望", "北", "东", "南", "西", "平", "长", "永", "嘉", "清", "泰",
    "新", "兴", "和", "丰", "瑞", "明", "康", "德",
];
const SECOND: [&str; 16] = [
    "川", "江", "海", "山", "泉", "原", "阳", "州", "远", "门", "林", "河", "湖", "城", "岭", "台",
];

/// A government's departments: (name at province level, name below), how much the public asks
/// of it (自然资源 and 住建 receive most applications, as the published reports show).
pub(super) const DEPARTMENTS: [(&str, &str, u32); 24] = [
    ("发展和改革委员会", "发展和改革委员会", 2),
    ("教育厅", "教育局", 2),
    ("科学技术厅", "科学技术局", 1),
    ("工业和信息化厅", "工业和信息化局", 1),
    ("公安厅", "公安局", 4),
    ("民政厅", "民政局", 2),
    ("司法厅", "司法局", 1),
    ("财政厅", "财政局", 2),
    ("人力资源和社会保障厅", "人力资源和社会保障局", 4),
    ("自然资源厅", "自然资源局", 10),
    ("生态环境厅", "生态环境局", 3),
    ("住房和城乡建设厅", "住房和城乡建设局", 8),
    ("交通运输厅", "交通运输局", 3),
    ("水利厅", "水利局", 1),
    ("农业农村厅", "农业农村局", 2),
    ("商务厅", "商务局", 1),
    ("文化和旅游厅", "文化和旅游局", 1),
    ("卫生健康委员会", "卫生健康委员会", 2),
    ("应急管理厅", "应急管理局", 1),
    ("审计厅", "审计局", 1),
    ("市场监督管理局", "市场监督管理局", 3),
    ("统计局", "统计局", 1),
    ("医疗保障局", "医疗保障局", 1),
    ("林业和草原局", "林业和草原局", 1),
];

/// The tier of a government.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tier {
    Province,
    City,
    County,
}

impl Tier {
    /// The `level` column (层级).
    pub(super) const fn level(self) -> &'static str {
        match self {
            Tier::Province => "省级",
            Tier::City => "市级",
            Tier::County => "县级",
        }
    }
}

/// What an organ is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// A people's government.
    Government,
    /// A department of one (index into [`DEPARTMENTS`]).
    Department(usize),
}

/// One organ of the plan; `parent` and the position in the plan are 0-based indexes.
#[derive(Debug, Clone)]
pub(super) struct PlannedOrgan {
    pub parent: Option<usize>,
    pub name: String,
    pub tier: Tier,
    pub role: Role,
    /// The place, for names of things in it: 青岚省, 临江市, 临江市望山区.
    pub area: String,
    /// The government this organ is or belongs to.
    pub government: usize,
}

impl PlannedOrgan {
    /// The organ's 政府信息公开工作机构.
    pub(super) fn office_name(&self) -> String {
        match (self.role, self.tier) {
            (Role::Government, Tier::Province) => format!("{}人民政府办公厅", self.area),
            (Role::Government, _) => format!("{}人民政府办公室", self.area),
            (Role::Department(_), _) => format!("{}办公室", self.name),
        }
    }
}

/// Names of `count` distinct places from the tables, with `suffix`, avoiding `taken`.
fn place_names(rng: &mut StdRng, count: usize, suffixes: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = Vec::with_capacity(FIRST.len() * SECOND.len() * suffixes.len());
    for suffix in suffixes {
        for a in FIRST {
            for b in SECOND {
                all.push(format!("{a}{b}{suffix}"));
            }
        }
    }
    all.shuffle(rng);
    // More places than the tables hold get a number (第二临江区): rare, only in huge trees.
    (0..count)
        .map(|i| {
            let base = &all[i % all.len()];
            match i / all.len() {
                0 => base.clone(),
                n => format!("{base}{}", n + 1),
            }
        })
        .collect()
}

/// The tree of `n` organs (at least 1), parents before children.
pub(super) fn plan(rng: &mut StdRng, n: usize) -> Vec<PlannedOrgan> {
    let n = n.max(1);
    // A small tree keeps a few departments per government so it still has cities and
    // counties; from 1,000 organs on, every government has all 24.
    let departments = (n / 40).clamp(2, DEPARTMENTS.len());
    let governments = n.div_ceil(departments + 1);
    let cities = if governments > 1 {
        ((governments - 1) / 9).max(1)
    } else {
        0
    };
    let counties = governments.saturating_sub(1 + cities);
    let province = PROVINCES[rng.random_range(0..PROVINCES.len())].to_owned();
    let city_names = place_names(rng, cities, &["市"]);
    let county_names = place_names(rng, counties, &["县", "区"]);

    let mut out: Vec<PlannedOrgan> = Vec::with_capacity(n);
    let mut add_government = |out: &mut Vec<PlannedOrgan>, parent, area: String, tier| {
        let government = out.len();
        out.push(PlannedOrgan {
            parent,
            name: format!("{area}人民政府"),
            tier,
            role: Role::Government,
            area: area.clone(),
            government,
        });
        let mut picks: Vec<usize> = (0..DEPARTMENTS.len()).collect();
        picks.shuffle(rng);
        picks.truncate(departments);
        picks.sort_unstable();
        for d in picks {
            let (high, low, _) = DEPARTMENTS[d];
            let dept = if tier == Tier::Province { high } else { low };
            out.push(PlannedOrgan {
                parent: Some(government),
                name: format!("{area}{dept}"),
                tier,
                role: Role::Department(d),
                area: area.clone(),
                government,
            });
        }
        government
    };
    let root = add_government(&mut out, None, province, Tier::Province);
    let mut city_ids = Vec::with_capacity(cities);
    for name in &city_names {
        city_ids.push(add_government(
            &mut out,
            Some(root),
            name.clone(),
            Tier::City,
        ));
    }
    for (i, name) in county_names.iter().enumerate() {
        let city = city_ids[i % city_ids.len().max(1)];
        let area = format!("{}{name}", out[city].area);
        add_government(&mut out, Some(city), area, Tier::County);
    }
    out.truncate(n);
    out
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn a_tree_has_its_size_a_root_and_parents_before_children() {
        for n in [1, 20, 1000, 10_000] {
            let mut rng = StdRng::seed_from_u64(7);
            let tree = plan(&mut rng, n);
            assert_eq!(tree.len(), n);
            assert!(tree[0].parent.is_none() && tree[0].tier == Tier::Province);
            assert!(
                tree.iter()
                    .enumerate()
                    .skip(1)
                    .all(|(i, o)| o.parent.is_some_and(|p| p < i))
            );
            if n >= 20 {
                assert!(tree.iter().any(|o| o.tier == Tier::City));
                assert!(tree.iter().any(|o| o.tier == Tier::County));
            }
        }
    }
}
