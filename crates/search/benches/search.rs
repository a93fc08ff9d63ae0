//! Search latency over 100k generated items, beside a SQLite `LIKE '%word%'` scan of the same
//! rows (`cargo bench -p gongkai-search --features bench --bench search`).
//!
//! The items are generated deterministically (a fixed seed) from a vocabulary of government
//! phrases: titles and bodies built from templates, topics drawn with a skew so that common
//! words hit tens of thousands of items and rare ones a few thousand. Both engines answer the
//! same fixed query mix with the total and one page of 10 (the portal's work): tantivy through
//! `SearchIndex::search` (snippets and highlighting included), SQLite with one statement per
//! query whose `count(*) OVER ()` gives the total in the same scan. Latencies are wall-clock
//! per query after one warm-up round; p50 and p99 over all samples.
//!
//! Environment: `BENCH_ITEMS` (default 100000), `BENCH_ROUNDS` (tantivy rounds, default 30),
//! `BENCH_SQL_ROUNDS` (default 3).

use std::time::{Duration, Instant};

use gongkai_search::{Item, Order, Query, SearchIndex};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{AssertSqlSafe, Row, SqlitePool};
use time::{Date, Duration as Days};

/// SplitMix64: small, seeded, the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Skewed towards the start of the list (roughly Zipf-like): common topics stay common.
    fn skewed(&mut self, n: usize) -> usize {
        let r = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((r * r) * n as f64) as usize % n
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

const ORGANS: &[(&str, &str)] = &[
    ("北京市人民政府办公厅", "京政办发"),
    ("上海市人民政府办公厅", "沪府办发"),
    ("广东省人民政府办公厅", "粤府办"),
    ("浙江省人民政府办公厅", "浙政办发"),
    ("江苏省人民政府办公厅", "苏政办发"),
    ("四川省人民政府办公厅", "川办发"),
    ("湖北省人民政府办公厅", "鄂政办发"),
    ("杭州市人民政府办公厅", "杭政办函"),
    ("南京市人民政府办公厅", "宁政办发"),
    ("成都市人民政府办公厅", "成办发"),
    ("呼伦贝尔市人民政府办公室", "呼政办发"),
    ("平潭综合实验区管理委员会", "岚综管"),
    ("洪泽区人民政府办公室", "洪政办发"),
    ("某市财政局", "财预"),
    ("某市教育局", "教发"),
    ("某市卫生健康委员会", "卫健发"),
    ("某市自然资源和规划局", "自然资规"),
    ("某市生态环境局", "环发"),
    ("某市住房和城乡建设局", "建发"),
    ("某市交通运输局", "交发"),
    ("某市农业农村局", "农发"),
    ("某市市场监督管理局", "市监发"),
    ("某市应急管理局", "应急发"),
    ("某市人力资源和社会保障局", "人社发"),
    ("某市民政局", "民发"),
    ("某市医疗保障局", "医保发"),
    ("某市水务局", "水发"),
    ("某市司法局", "司发"),
    ("某市统计局", "统发"),
    ("某市退役军人事务局", "退役发"),
];

/// Topics, most common first (the generator is skewed towards the start).
const TOPICS: &[&str] = &[
    "政务公开",
    "安全生产",
    "乡村振兴",
    "营商环境",
    "疫情防控",
    "财政预算",
    "社会保障",
    "义务教育",
    "医疗保障",
    "养老服务",
    "生态环境保护",
    "防汛抗旱",
    "政府采购",
    "就业创业",
    "市场监管",
    "食品安全",
    "交通运输",
    "住房保障",
    "城市更新",
    "老旧小区改造",
    "农村人居环境整治",
    "高标准农田建设",
    "耕地保护",
    "粮食安全",
    "大气污染防治",
    "河长制",
    "森林防火",
    "地质灾害防治",
    "应急管理",
    "消防安全",
    "数字政府建设",
    "一网通办",
    "行政审批制度改革",
    "公共资源交易",
    "招标投标",
    "社会信用体系建设",
    "统一社会信用代码",
    "行政处罚",
    "行政许可",
    "行政复议",
    "依申请公开",
    "信息处理费",
    "规范性文件清理",
    "重大行政决策",
    "不动产登记",
    "土地征收",
    "国土空间规划",
    "科技创新",
    "人才引进",
    "中小企业发展",
    "减税降费",
    "文化旅游",
    "全民健身",
    "民族团结",
    "退役军人服务保障",
    "残疾人保障",
    "未成年人保护",
    "妇女儿童发展",
    "住房公积金",
    "水资源管理",
    "畜牧业发展",
    "林长制",
    "湿地保护",
    "统计调查",
    "人口普查",
    "档案管理",
    "保密工作",
    "网络安全",
    "信访工作",
    "中国农业发展银行贷款",
];

const DOC_TYPES: &[&str] = &[
    "实施方案",
    "管理办法",
    "工作要点",
    "行动计划",
    "实施意见",
    "工作方案",
    "考核办法",
    "指导意见",
];
const LAWS: &[&str] = &[
    "中华人民共和国政府信息公开条例",
    "中华人民共和国安全生产法",
    "优化营商环境条例",
    "中华人民共和国行政许可法",
    "中华人民共和国行政处罚法",
    "重大行政决策程序暂行条例",
    "中华人民共和国预算法",
    "中华人民共和国政府采购法",
];
const UNITS: &[&str] = &[
    "区县人民政府",
    "市政府各部门",
    "各有关单位",
    "各乡镇人民政府、街道办事处",
    "各直属机构",
];
const GOALS: &[&str] = &[
    "各项任务落到实处",
    "群众满意度持续提升",
    "工作取得实效",
    "按期完成目标任务",
    "形成长效机制",
    "风险隐患及时化解",
];
const PRINCIPLES: &[&str] = &[
    "以人民为中心",
    "依法行政",
    "统筹兼顾",
    "问题导向",
    "稳中求进",
    "公开透明",
];
const COLUMNS: &[&str] = &[
    "regulations",
    "plans",
    "statistics",
    "budgets",
    "fees",
    "licensing",
    "penalties",
    "procurement",
    "personnel",
    "poverty",
    "education",
    "health",
    "emergency",
    "environment",
    "food_safety",
];
const KINDS: &[&str] = &[
    "notice",
    "opinion",
    "report",
    "announcement",
    "decision",
    "reply",
    "plan",
    "measures",
];
const VALIDITY: &[&str] = &["valid", "valid", "valid", "revised", "repealed"];

fn title(rng: &mut Rng, organ: &str, topic: &str, year: i32) -> String {
    match rng.below(7) {
        0 => format!("{organ}关于印发{topic}{}的通知", rng.pick(DOC_TYPES)),
        1 => format!("{organ}关于进一步加强{topic}工作的通知"),
        2 => format!("关于{year}年度{topic}工作情况的报告"),
        3 => format!("{organ}{year}年政府信息公开工作年度报告"),
        4 => format!("关于公布{year}年{topic}名单的公告"),
        5 => format!("{organ}关于{topic}有关事项的通知"),
        _ => format!("关于做好{year}年{topic}工作的实施意见"),
    }
}

/// Sentences with no topic (boilerplate), mostly; the item's own topic two or three times and
/// about two other topics, so a word's hit count follows its topic's frequency.
const BOILERPLATE: &[&str] = &[
    "要进一步提高思想认识，切实增强责任感和紧迫感。",
    "各级各部门要加强组织领导，明确责任分工，形成工作合力。",
    "要健全工作机制，完善配套措施，强化督促检查。",
    "要加强宣传引导，及时回应社会关切，营造良好氛围。",
    "对工作中发现的问题，要依法依规处理，并及时报告。",
    "要严格落实保密审查制度，做到应公开尽公开。",
    "各单位要于每季度末报送工作进展情况。",
    "本文件由市人民政府办公室负责解释。",
];

fn body(rng: &mut Rng, topic: &str, year: i32) -> String {
    let opening = match rng.below(3) {
        0 => format!(
            "为深入贯彻落实《{}》，进一步做好{topic}工作，结合我市实际，现就有关事项通知如下。",
            rng.pick(LAWS)
        ),
        1 => format!(
            "根据《{}》有关规定，现将{year}年{topic}工作情况报告如下。",
            rng.pick(LAWS)
        ),
        _ => format!("为推动{topic}工作高质量发展，经研究，提出以下意见。"),
    };
    let mut s = format!("{}：\n{opening}\n", rng.pick(UNITS));
    let sentences = 6 + rng.below(24);
    for i in 0..sentences {
        let line = match rng.below(14) {
            0 => format!(
                "{}、坚持{}，统筹推进{topic}，确保{}。",
                i + 1,
                rng.pick(PRINCIPLES),
                rng.pick(GOALS)
            ),
            1 => {
                let other = TOPICS[rng.skewed(TOPICS.len())];
                format!(
                    "{}要加强协调配合，{year}年底前完成{other}相关工作。",
                    rng.pick(UNITS)
                )
            }
            2 => {
                let other = TOPICS[rng.skewed(TOPICS.len())];
                format!("对{other}中发现的问题，依法依规处理，并通过政府网站主动公开处理结果。")
            }
            3 if rng.below(8) == 0 => {
                "申请人依申请公开获取政府信息的，按照规定收取信息处理费。".to_owned()
            }
            4 => format!(
                "各地要将{topic}纳入年度绩效考核，联系电话0{}。",
                10_000_000 + rng.below(89_999_999)
            ),
            5 => format!(
                "本{}自印发之日起施行，有效期{}年。",
                rng.pick(DOC_TYPES),
                2 + rng.below(4)
            ),
            _ => rng.pick(BOILERPLATE).to_owned(),
        };
        s.push_str(&line);
        s.push('\n');
    }
    s
}

fn generate(n: usize) -> Vec<Item> {
    let mut rng = Rng(0x6F6E_676B_6169);
    let epoch = Date::from_calendar_date(2015, time::Month::January, 1).expect("date");
    // 文号 and 索引号 serials per organ and year, as an organ numbers its documents.
    let mut serials: std::collections::HashMap<(usize, i32), usize> = Default::default();
    (0..n)
        .map(|i| {
            let organ_index = rng.skewed(ORGANS.len());
            let (organ, prefix) = ORGANS[organ_index];
            let topic = TOPICS[rng.skewed(TOPICS.len())];
            let published = epoch + Days::days(rng.below(3650) as i64);
            let year = published.year();
            let id = i as i64 + 1;
            let serial = serials.entry((organ_index, year)).or_default();
            *serial += 1;
            let serial = *serial;
            Item {
                id,
                organ_id: organ_index as i64 + 1,
                title: title(&mut rng, organ, topic, year),
                body_text: body(&mut rng, topic, year),
                doc_number: format!("{prefix}〔{year}〕{serial}号"),
                index_number: format!("{:09}/{year}-{serial:05}", 11_000_000 + organ_index),
                publisher: organ.to_owned(),
                column: rng.pick(COLUMNS).to_owned(),
                kind: rng.pick(KINDS).to_owned(),
                published,
                validity: rng.pick(VALIDITY).to_owned(),
            }
        })
        .collect()
}

/// One query of the mix: its label, our query, and the SQL reference (where, parameters).
struct Case {
    label: &'static str,
    query: Query,
    sql_where: String,
    sql_params: Vec<String>,
    offset: i64,
}

fn like(words: &[&str]) -> (String, Vec<String>) {
    let clauses: Vec<&str> = words
        .iter()
        .map(|_| "(title LIKE ? OR body LIKE ?)")
        .collect();
    let params = words
        .iter()
        .flat_map(|w| [format!("%{w}%"), format!("%{w}%")])
        .collect();
    (clauses.join(" AND "), params)
}

fn cases(items: &[Item]) -> Vec<Case> {
    let mut out = Vec::new();
    let mut text = |label: &'static str, q: Query, words: &[&str]| {
        let (sql_where, sql_params) = like(words);
        let offset = i64::from(q.bounded_page() - 1) * i64::from(q.bounded_per_page());
        out.push(Case {
            label,
            query: q,
            sql_where,
            sql_params,
            offset,
        });
    };
    for w in [
        "政务公开",
        "乡村振兴",
        "信息处理费",
        "农业",
        "湿地保护",
        "年度报告",
    ] {
        text("one word", Query::new(w), &[w]);
    }
    for (a, b) in [
        ("安全生产", "通知"),
        ("营商环境", "实施方案"),
        ("养老服务", "考核"),
    ] {
        text("two words", Query::new(format!("{a} {b}")), &[a, b]);
    }
    text("phrase", Query::new("\"政务公开工作\""), &["政务公开工作"]);
    text(
        "page 5",
        Query {
            page: 5,
            ..Query::new("通知")
        },
        &["通知"],
    );
    text(
        "newest",
        Query {
            order: Order::Newest,
            ..Query::new("防汛抗旱")
        },
        &["防汛抗旱"],
    );
    // Filtered: organ and year, column.
    {
        let q = Query {
            organ_id: Some(3),
            year: Some(2020),
            ..Query::new("通知")
        };
        let (w, p) = like(&["通知"]);
        out.push(Case {
            label: "filtered",
            query: q,
            sql_where: format!("{w} AND organ_id = 3 AND year = 2020"),
            sql_params: p,
            offset: 0,
        });
        let q = Query {
            column: Some("fees".into()),
            ..Query::new("信息处理费")
        };
        let (w, p) = like(&["信息处理费"]);
        out.push(Case {
            label: "filtered",
            query: q,
            sql_where: format!("{w} AND col = 'fees'"),
            sql_params: p,
            offset: 0,
        });
    }
    // 文号 and 索引号 of real generated items, typed with other brackets.
    for pick in [12_345usize, 67_890] {
        let item = &items[pick.min(items.len() - 1)];
        let typed = item.doc_number.replace('〔', "[").replace('〕', "]");
        out.push(Case {
            label: "文号",
            query: Query::new(typed),
            sql_where: "doc_number LIKE ?".into(),
            sql_params: vec![format!("%{}%", item.doc_number)],
            offset: 0,
        });
    }
    let item = &items[4_321usize.min(items.len() - 1)];
    out.push(Case {
        label: "索引号",
        query: Query::new(item.index_number.clone()),
        sql_where: "index_number LIKE ?".into(),
        sql_params: vec![format!("%{}%", item.index_number)],
        offset: 0,
    });
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn sqlite(items: &[Item], dir: &std::path::Path) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::new()
        .filename(dir.join("reference.sqlite"))
        .create_if_missing(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    sqlx::query(
        "CREATE TABLE items (id INTEGER PRIMARY KEY, organ_id INTEGER, title TEXT, body TEXT,
         doc_number TEXT, index_number TEXT, col TEXT, kind TEXT, year INTEGER, published TEXT)",
    )
    .execute(&pool)
    .await?;
    let mut tx = pool.begin().await?;
    for item in items {
        sqlx::query("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(item.id)
            .bind(item.organ_id)
            .bind(&item.title)
            .bind(&item.body_text)
            .bind(&item.doc_number)
            .bind(&item.index_number)
            .bind(&item.column)
            .bind(&item.kind)
            .bind(item.published.year())
            .bind(item.published.to_string())
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(pool)
}

async fn sql_search(pool: &SqlitePool, case: &Case) -> Result<(i64, usize), sqlx::Error> {
    let sql = format!(
        "SELECT id, count(*) OVER () AS total FROM items WHERE {} ORDER BY published DESC LIMIT 10 OFFSET {}",
        case.sql_where, case.offset
    );
    // The statement is built only from the constant clauses of `cases`; user-like text goes in
    // through bind parameters.
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for p in &case.sql_params {
        q = q.bind(p);
    }
    let rows = q.fetch_all(pool).await?;
    let total = rows.first().map_or(0, |r| r.get::<i64, _>("total"));
    Ok((total, rows.len()))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n = env("BENCH_ITEMS", 100_000);
    let rounds = env("BENCH_ROUNDS", 30);
    let sql_rounds = env("BENCH_SQL_ROUNDS", 3);
    let dir = tempfile_dir()?;

    let started = Instant::now();
    let items = generate(n);
    let text_bytes: usize = items
        .iter()
        .map(|i| i.title.len() + i.body_text.len())
        .sum();
    println!(
        "generated {n} items, {:.1} MB of title and body text, in {:.1} s",
        text_bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );

    gongkai_search::warm_up();
    let index = SearchIndex::open(dir.join("index"))?;
    let started = Instant::now();
    let count = index.reindex(items.iter().cloned())?;
    let indexing = started.elapsed();
    println!(
        "indexed {count} items in {:.1} s ({:.0} items/s), index {:.1} MB on disk",
        indexing.as_secs_f64(),
        count as f64 / indexing.as_secs_f64(),
        dir_size(&dir.join("index")) as f64 / 1e6
    );

    let cases = cases(&items);
    // Warm-up round (page cache, dictionaries), then the measured rounds.
    for case in &cases {
        index.search(&case.query)?;
    }
    let mut ours: Vec<(&str, Duration)> = Vec::new();
    let mut totals = Vec::new();
    for round in 0..rounds {
        for case in &cases {
            let t = Instant::now();
            let results = index.search(&case.query)?;
            ours.push((case.label, t.elapsed()));
            if round == 0 {
                totals.push((
                    case.query.text.clone(),
                    results.total,
                    results.hits.first().map(|h| h.exact),
                ));
            }
        }
    }

    // One publish on the full index: upsert + commit.
    let mut publish = Vec::new();
    for k in 0..10 {
        let mut item = items[k * 997 % items.len()].clone();
        item.title.push_str("（修订）");
        let t = Instant::now();
        index.upsert(&item)?;
        index.commit()?;
        publish.push(t.elapsed());
    }

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let started = Instant::now();
    let pool = runtime.block_on(sqlite(&items, &dir))?;
    println!(
        "SQLite reference table loaded in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let mut theirs: Vec<(&str, Duration)> = Vec::new();
    let mut sql_totals = Vec::new();
    for case in &cases {
        runtime.block_on(sql_search(&pool, case))?; // warm-up
    }
    for round in 0..sql_rounds {
        for case in &cases {
            let t = Instant::now();
            let (total, _) = runtime.block_on(sql_search(&pool, case))?;
            theirs.push((case.label, t.elapsed()));
            if round == 0 {
                sql_totals.push(total);
            }
        }
    }

    println!("\n| query | tantivy total | LIKE total | exact first |");
    println!("|---|---|---|---|");
    for ((text, total, exact), sql_total) in totals.iter().zip(&sql_totals) {
        println!(
            "| `{text}` | {total} | {sql_total} | {} |",
            exact.map_or("–", |e| if e { "yes" } else { "no" })
        );
    }

    let summary = |samples: &[(&str, Duration)], label: Option<&str>| {
        let mut d: Vec<Duration> = samples
            .iter()
            .filter(|(l, _)| label.is_none_or(|x| x == *l))
            .map(|(_, d)| *d)
            .collect();
        d.sort_unstable();
        (percentile(&d, 50.0), percentile(&d, 99.0), d.len())
    };
    println!(
        "\n| queries | samples | tantivy p50 | tantivy p99 | LIKE p50 | LIKE p99 | p50 ratio | p99 ratio |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut labels: Vec<Option<&str>> = vec![None];
    for case in &cases {
        if !labels.contains(&Some(case.label)) {
            labels.push(Some(case.label));
        }
    }
    for label in labels {
        let (p50, p99, k) = summary(&ours, label);
        let (r50, r99, _) = summary(&theirs, label);
        println!(
            "| {} | {k} | {:.2} ms | {:.2} ms | {:.1} ms | {:.1} ms | {:.4} | {:.4} |",
            label.unwrap_or("all"),
            ms(p50),
            ms(p99),
            ms(r50),
            ms(r99),
            p50.as_secs_f64() / r50.as_secs_f64(),
            p99.as_secs_f64() / r99.as_secs_f64(),
        );
    }
    publish.sort_unstable();
    println!(
        "\none publish (upsert + commit) on the full index: p50 {:.1} ms, max {:.1} ms",
        ms(percentile(&publish, 50.0)),
        ms(percentile(&publish, 100.0))
    );
    drop(index);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("gongkai-search-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn dir_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}
