//! The search index end to end: Chinese recall, identifiers, filters and paging, writes,
//! hostile input, snippets, the index on disk.

use std::sync::LazyLock;

use gongkai_search::{
    Item, MAX_PER_PAGE, Order, Query, Results, SearchError, SearchIndex, plain_text,
};
use proptest::prelude::*;
use time::Date;
use time::macros::date;

fn item(id: i64, title: &str, body: &str) -> Item {
    Item {
        id,
        organ_id: 1,
        title: title.to_owned(),
        body_text: body.to_owned(),
        doc_number: String::new(),
        index_number: String::new(),
        publisher: "某市人民政府办公室".to_owned(),
        column: "policy".to_owned(),
        kind: "notice".to_owned(),
        published: date!(2024 - 01 - 15),
        validity: "valid".to_owned(),
    }
}

fn index_of(items: &[Item]) -> SearchIndex {
    let index = SearchIndex::in_memory().expect("in-memory index");
    for item in items {
        index.upsert(item).expect("upsert");
    }
    index.commit().expect("commit");
    index
}

#[track_caller]
fn search(index: &SearchIndex, q: Query) -> Results {
    index.search(&q).expect("search never fails on input")
}

#[track_caller]
fn ids(index: &SearchIndex, text: &str) -> Vec<i64> {
    search(index, Query::new(text))
        .hits
        .iter()
        .map(|h| h.id)
        .collect()
}

/// The tantivy/jieba pairing guard (spec/ecosystem.md pitfall 3): if segmentation and the
/// index stop agreeing, these plain Chinese searches are the first to find nothing.
#[test]
fn indexes_and_finds_chinese_text() {
    let index = index_of(&[
        item(
            1,
            "关于调整收费标准的通知",
            "申请人应当按件缴纳信息处理费，超出部分按量计收。",
        ),
        item(2, "中国农业发展银行关于支持乡村振兴的通知", "各分行："),
        item(3, "关于做好防汛工作的通知", "各有关单位：请做好准备。"),
    ]);
    assert_eq!(ids(&index, "信息处理费"), [1]);
    // Search mode: 农业 is a part of 农业发展银行, found only because its parts are indexed.
    assert_eq!(ids(&index, "农业"), [2]);
    assert_eq!(ids(&index, "中国农业发展银行"), [2]);
    assert_eq!(ids(&index, "乡村振兴 通知"), [2]);
    assert_eq!(ids(&index, "防汛"), [3]);
    assert_eq!(ids(&index, "地震"), Vec::<i64>::new());
    assert_eq!(index.num_items(), 3);
}

#[test]
fn a_word_inside_a_longer_dictionary_word_is_found_by_its_parts() {
    // 政府信息公开 is one dictionary word; search mode emits 政府, 信息, 公开 but not 信息公开.
    let index = index_of(&[
        item(1, "呼伦贝尔经济技术开发区政府信息公开工作年度报告", ""),
        item(2, "信息化建设与公开招标情况", ""),
    ]);
    assert_eq!(ids(&index, "信息公开"), [1]);
    assert_eq!(ids(&index, "\"信息公开工作\""), [1]);
    assert_eq!(ids(&index, "年度报告"), [1]);
}

#[test]
fn a_quoted_phrase_matches_a_real_title_only_in_its_order() {
    let index = index_of(&[
        item(1, "国务院办公厅关于印发2019年政务公开工作要点的通知", ""),
        item(2, "关于政务公开领域的若干工作要点的说明", ""),
        item(3, "工作要点与政务公开", ""),
    ]);
    let mut loose = ids(&index, "政务公开 工作要点");
    loose.sort_unstable();
    assert_eq!(loose, [1, 2, 3]);
    assert_eq!(ids(&index, "\"政务公开工作要点\""), [1]);
    assert_eq!(ids(&index, "“2019年政务公开”"), [1]);
    assert_eq!(ids(&index, "「国务院办公厅关于印发」"), [1]);
    let hit = &search(&index, Query::new("“政务公开工作要点”")).hits[0];
    assert_eq!(
        hit.title_html,
        "国务院办公厅关于印发2019年<em>政务公开工作要点</em>的通知"
    );
}

#[test]
fn an_unknown_name_cut_into_characters_must_appear_in_a_row() {
    // Without HMM, 杭研 is two single characters in the document and in the query alike.
    let index = index_of(&[
        item(1, "网易杭研大厦开放日", ""),
        item(2, "杭州研究院开放日", ""),
    ]);
    assert_eq!(ids(&index, "杭研"), [1]);
}

fn numbered(id: i64, title: &str, doc_number: &str, index_number: &str) -> Item {
    Item {
        doc_number: doc_number.to_owned(),
        index_number: index_number.to_owned(),
        ..item(id, title, "")
    }
}

#[test]
fn a_doc_number_in_any_bracket_form_finds_the_item_first() {
    let mut citing = item(
        2,
        "关于贯彻落实国办发〔2019〕54号文件的通知",
        "根据国办发〔2019〕54号，国办发〔2019〕54号要求……",
    );
    citing.published = date!(2024 - 06 - 01);
    let index = index_of(&[
        numbered(
            1,
            "国务院办公厅关于政府信息公开的意见",
            "国办发〔2019〕54号",
            "000014349/2019-00054",
        ),
        citing,
        numbered(3, "另一件通知", "国办发〔2019〕5号", "000014349/2019-00005"),
        item(4, "2019年第54号公告", "2019年 54 号"),
    ]);
    for form in [
        "国办发〔2019〕54号",
        "国办发[2019]54号",
        "国办发（2019）54号",
        "国办发(2019)54号",
        "国办发【2019】54号",
        "国办发 〔2019〕 54号",
        "“国办发〔2019〕54号”",
    ] {
        let results = search(&index, Query::new(form));
        assert_eq!(
            results.hits.first().map(|h| (h.id, h.exact)),
            Some((1, true)),
            "{form}"
        );
        assert!(results.hits.iter().skip(1).all(|h| !h.exact), "{form}");
        assert!(
            results.hits.iter().all(|h| h.id != 3),
            "{form}: 5号 is not 54号"
        );
    }
    // Under Newest too, the exact hit stays on top although the citing item is newer.
    let newest = search(
        &index,
        Query {
            order: Order::Newest,
            ..Query::new("国办发[2019]54号")
        },
    );
    assert_eq!(newest.hits.first().map(|h| h.id), Some(1));
    assert!(newest.hits.iter().any(|h| h.id == 2));
}

#[test]
fn an_index_number_finds_its_item_exactly() {
    let index = index_of(&[
        numbered(1, "甲", "", "000014349/2018-00222"),
        numbered(2, "乙", "", "000014349/2018-00223"),
        numbered(3, "丙", "", "11100000MB0143028X/2024-00001"),
    ]);
    let results = search(&index, Query::new("000014349/2018-00222"));
    assert_eq!(
        results.hits.first().map(|h| (h.id, h.exact)),
        Some((1, true))
    );
    assert_eq!(ids(&index, "０００014349／2018－00222").first(), Some(&1));
    assert_eq!(
        ids(&index, "11100000mb0143028x/2024-00001").first(),
        Some(&3)
    );
}

fn catalogue() -> SearchIndex {
    let mut items = Vec::new();
    for id in 1..=30i64 {
        let mut it = item(
            id,
            &format!("关于政务公开第{id}期工作的通知"),
            "政务公开工作情况。",
        );
        it.organ_id = if id % 2 == 0 { 2 } else { 1 };
        it.column = if id % 3 == 0 {
            "fees".into()
        } else {
            "policy".into()
        };
        it.kind = if id % 5 == 0 {
            "report".into()
        } else {
            "notice".into()
        };
        it.published =
            Date::from_calendar_date(2020 + (id % 4) as i32, time::Month::March, id as u8)
                .expect("valid date");
        items.push(it);
    }
    index_of(&items)
}

#[test]
fn filters_narrow_by_column_year_kind_and_organ() {
    let index = catalogue();
    let all = |q: Query| -> Vec<i64> {
        let mut v: Vec<i64> = search(
            &index,
            Query {
                per_page: MAX_PER_PAGE,
                ..q
            },
        )
        .hits
        .iter()
        .map(|h| h.id)
        .collect();
        v.sort_unstable();
        v
    };
    let expect = |f: &dyn Fn(i64) -> bool| (1..=30).filter(|&i| f(i)).collect::<Vec<i64>>();
    assert_eq!(all(Query::new("政务公开")), expect(&|_| true));
    assert_eq!(
        all(Query {
            column: Some("fees".into()),
            ..Query::new("政务公开")
        }),
        expect(&|i| i % 3 == 0)
    );
    assert_eq!(
        all(Query {
            year: Some(2021),
            ..Query::new("政务公开")
        }),
        expect(&|i| i % 4 == 1)
    );
    assert_eq!(
        all(Query {
            kind: Some("report".into()),
            ..Query::new("政务公开")
        }),
        expect(&|i| i % 5 == 0)
    );
    assert_eq!(
        all(Query {
            organ_id: Some(2),
            column: Some("policy".into()),
            ..Query::new("通知")
        }),
        expect(&|i| i % 2 == 0 && i % 3 != 0)
    );
    assert_eq!(
        all(Query {
            column: Some("无此栏目".into()),
            ..Query::new("政务公开")
        }),
        expect(&|_| false)
    );
    // Blank text lists what the filters let through.
    assert_eq!(
        all(Query {
            year: Some(2023),
            ..Query::new("")
        }),
        expect(&|i| i % 4 == 3)
    );
}

#[test]
fn newest_orders_by_publication_date() {
    let index = catalogue();
    let results = search(
        &index,
        Query {
            order: Order::Newest,
            per_page: MAX_PER_PAGE,
            ..Query::new("政务公开")
        },
    );
    let dates: Vec<(i32, u8)> = results
        .hits
        .iter()
        .map(|h| {
            let id = h.id;
            (2020 + (id % 4) as i32, id as u8)
        })
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    assert_eq!(results.hits.first().map(|h| h.id), Some(27)); // 2023-03-27
    assert!(results.hits.iter().all(|h| h.score == 0.0));
}

#[test]
fn paging_keeps_the_total_and_never_repeats() {
    let index = catalogue();
    let mut seen = Vec::new();
    for page in 1..=4 {
        let results = search(
            &index,
            Query {
                page,
                per_page: 8,
                ..Query::new("政务公开")
            },
        );
        assert_eq!(results.total, 30, "page {page}");
        assert_eq!(
            results.hits.len(),
            if page < 4 { 8 } else { 6 },
            "page {page}"
        );
        seen.extend(results.hits.iter().map(|h| h.id));
    }
    seen.sort_unstable();
    assert_eq!(seen, (1..=30).collect::<Vec<i64>>());
    let beyond = search(
        &index,
        Query {
            page: 5,
            per_page: 8,
            ..Query::new("政务公开")
        },
    );
    assert_eq!((beyond.total, beyond.hits.len()), (30, 0));
    let far = search(
        &index,
        Query {
            page: u32::MAX,
            per_page: u32::MAX,
            ..Query::new("政务公开")
        },
    );
    assert_eq!(
        (far.total, far.hits.len(), far.per_page),
        (30, 0, MAX_PER_PAGE)
    );
}

#[test]
fn paging_runs_on_from_exact_hits_into_word_hits() {
    let mut items = vec![numbered(1, "原件", "国办发〔2019〕54号", "")];
    for id in 2..=6 {
        items.push(item(id, "转发通知", "转发国办发〔2019〕54号文件"));
    }
    let index = index_of(&items);
    let page = |page| {
        search(
            &index,
            Query {
                page,
                per_page: 2,
                ..Query::new("国办发〔2019〕54号")
            },
        )
    };
    let first = page(1);
    assert_eq!(first.total, 6);
    assert_eq!(
        first.hits.iter().map(|h| h.exact).collect::<Vec<_>>(),
        [true, false]
    );
    let mut seen: Vec<i64> = (1..=3).flat_map(|p| page(p).hits).map(|h| h.id).collect();
    seen.sort_unstable();
    assert_eq!(seen, [1, 2, 3, 4, 5, 6]);
}

#[test]
fn upsert_replaces_and_remove_forgets() {
    let index = index_of(&[item(1, "通知", "旧正文提到防汛"), item(2, "公告", "防汛")]);
    index
        .upsert(&item(1, "通知", "新正文提到抗旱"))
        .expect("upsert");
    // Not visible before commit.
    assert_eq!(ids(&index, "抗旱"), Vec::<i64>::new());
    index.commit().expect("commit");
    assert_eq!(ids(&index, "抗旱"), [1]);
    assert_eq!(ids(&index, "防汛"), [2]);
    assert_eq!(index.num_items(), 2);
    index.remove(2).expect("remove");
    index.commit().expect("commit");
    assert_eq!(ids(&index, "防汛"), Vec::<i64>::new());
    assert_eq!(index.num_items(), 1);
    index.clear().expect("clear");
    assert_eq!(index.num_items(), 0);
}

#[test]
fn reindex_replaces_everything_and_an_abandoned_one_changes_nothing() {
    let index = index_of(&[item(1, "旧的通知", "")]);
    let n = index
        .reindex((10..15).map(|id| item(id, "新的公告", "")))
        .expect("reindex");
    assert_eq!(n, 5);
    assert_eq!(ids(&index, "通知"), Vec::<i64>::new());
    assert_eq!(ids(&index, "公告").len(), 5);
    {
        let mut batch = index.begin_reindex().expect("begin");
        batch.add(&item(99, "半途的通知", "")).expect("add");
        // Dropped unfinished: the source failed half-way.
    }
    index.commit().expect("commit after rollback");
    assert_eq!(ids(&index, "公告").len(), 5);
    assert_eq!(ids(&index, "半途"), Vec::<i64>::new());
}

#[test]
fn hostile_input_is_plain_text() {
    let index = index_of(&[
        item(
            1,
            "关于信息处理费的通知",
            "AND OR NOT 都是英文单词。title: 冒号",
        ),
        item(2, "年度报告", "正文"),
    ]);
    let long = "信息处理费".repeat(200);
    for text in [
        "\"",
        "\"\"",
        "“",
        "(",
        ")",
        "title:",
        "title:信息处理费",
        "*",
        "信息*",
        "AND OR",
        "NOT",
        "+-&&||!(){}[]^\"~*?:\\/",
        "信息处理费\"",
        "\"信息处理费",
        long.as_str(),
        "😀",
        "😀信息处理费😀",
        "",
        "   \u{3000} ",
        "\0",
        "<script>alert(1)</script>",
        "国办发〔",
        "〔〕号",
        "/2024-",
    ] {
        let results = index
            .search(&Query::new(text))
            .unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert!(results.hits.len() <= results.total, "{text:?}");
    }
    assert_eq!(ids(&index, "title:信息处理费"), [1]);
    assert_eq!(ids(&index, "\"信息处理费"), [1]);
    assert_eq!(ids(&index, "信息*"), [1]);
    assert_eq!(ids(&index, &long), [1]);
    assert_eq!(ids(&index, "😀信息处理费😀"), [1]);
    assert_eq!(ids(&index, "AND OR"), [1]);
    // Text with nothing searchable finds nothing; blank text lists everything.
    assert_eq!(ids(&index, "*"), Vec::<i64>::new());
    assert_eq!(ids(&index, "😀"), Vec::<i64>::new());
    assert_eq!(search(&index, Query::new("")).total, 2);
    assert_eq!(search(&index, Query::new(" \u{3000}")).total, 2);
}

#[test]
fn snippets_mark_matches_in_mixed_text_and_escape_markup() {
    let body = format!(
        "{}依据《条例》第20条，2024年GDP增长5.2%，AI（ＡＩ）应用的信息处理费按件计收。<script>alert('x')</script>{}",
        "前言。".repeat(40),
        "附则。".repeat(40)
    );
    let index = index_of(&[item(1, "关于AI应用<b>信息处理费</b>的通知", &body)]);
    let hit = &search(&index, Query::new("信息处理费 ai")).hits[0];
    assert_eq!(
        hit.title_html,
        "关于<em>AI</em>应用&lt;b&gt;<em>信息处理费</em>&lt;/b&gt;的通知"
    );
    let s = &hit.snippet_html;
    assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
    assert!(
        s.contains(
            "2024年GDP增长5.2%，<em>AI</em>（<em>ＡＩ</em>）应用的<em>信息处理费</em>按件计收。"
        ),
        "{s}"
    );
    assert!(
        s.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
        "{s}"
    );
    assert!(!s.contains("<script"), "{s}");
    // Only <em> is markup.
    let without_em = s.replace("<em>", "").replace("</em>", "");
    assert!(
        !without_em.contains('<') && !without_em.contains('>'),
        "{s}"
    );
}

#[test]
fn html_bodies_index_as_their_text() {
    let body = plain_text(
        "<p>申请&nbsp;<strong>依申请公开</strong>的政府信息</p><script>var 秘密=1</script>",
    );
    let index = index_of(&[item(1, "办理指南", &body)]);
    assert_eq!(ids(&index, "依申请公开"), [1]);
    assert_eq!(ids(&index, "秘密"), Vec::<i64>::new());
}

#[test]
fn an_index_on_disk_survives_reopening() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("search");
    {
        let index = SearchIndex::open(&path).expect("create");
        index
            .upsert(&item(1, "关于信息处理费的通知", ""))
            .expect("upsert");
        index.commit().expect("commit");
    }
    assert!(!SearchIndex::needs_rebuild(&path).expect("check"));
    let index = SearchIndex::open(&path).expect("reopen");
    assert_eq!(ids(&index, "信息处理费"), [1]);
    index
        .upsert(&item(2, "年度报告", ""))
        .expect("upsert after reopen");
    index.commit().expect("commit");
    assert_eq!(index.num_items(), 2);
}

#[test]
fn a_second_writer_on_one_directory_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = SearchIndex::open(dir.path()).expect("open");
    let second = SearchIndex::open(dir.path()).expect("a reader may open it too");
    first.upsert(&item(1, "通知", "")).expect("first writer");
    assert!(matches!(
        second.upsert(&item(2, "通知", "")),
        Err(SearchError::Locked)
    ));
    first.commit().expect("commit");
    // The other reader follows the writer's commits (tantivy polls meta.json twice a second).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while second.num_items() == 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(second.num_items(), 1);
}

#[test]
fn a_version_mismatch_asks_for_a_rebuild() {
    let dir = tempfile::tempdir().expect("temp dir");
    {
        let index = SearchIndex::open(dir.path()).expect("create");
        index.upsert(&item(1, "通知", "")).expect("upsert");
        index.commit().expect("commit");
    }
    let version = dir.path().join("gongkai-search.version");
    std::fs::write(&version, "gongkai-search schema 0; dictionary 0\n").expect("write");
    assert!(SearchIndex::needs_rebuild(dir.path()).expect("check"));
    match SearchIndex::open(dir.path()) {
        Err(SearchError::NeedsRebuild { found, expected }) => {
            assert_eq!(found, "gongkai-search schema 0; dictionary 0");
            assert_eq!(expected, gongkai_search::version_line());
        }
        other => panic!("expected NeedsRebuild, got {other:?}"),
    }
    let message = SearchError::NeedsRebuild {
        found: "a".into(),
        expected: "b".into(),
    }
    .to_string();
    assert!(message.contains("gongkai search reindex"), "{message}");
    // A missing version file is a mismatch too.
    std::fs::remove_file(&version).expect("remove");
    assert!(SearchIndex::needs_rebuild(dir.path()).expect("check"));
    // Recreate, then reindex.
    let index = SearchIndex::recreate(dir.path()).expect("recreate");
    assert_eq!(index.num_items(), 0);
    index.reindex([item(2, "年度报告", "")]).expect("reindex");
    drop(index);
    assert!(!SearchIndex::needs_rebuild(dir.path()).expect("check"));
    assert_eq!(
        ids(&SearchIndex::open(dir.path()).expect("open"), "年度报告"),
        [2]
    );
}

#[test]
fn a_changed_schema_under_the_same_version_line_is_caught() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut builder = tantivy::schema::Schema::builder();
    builder.add_text_field("title", tantivy::schema::TEXT);
    tantivy::Index::create_in_dir(dir.path(), builder.build()).expect("foreign index");
    std::fs::write(
        dir.path().join("gongkai-search.version"),
        format!("{}\n", gongkai_search::version_line()),
    )
    .expect("write");
    assert!(SearchIndex::needs_rebuild(dir.path()).expect("check"));
    assert!(matches!(
        SearchIndex::open(dir.path()),
        Err(SearchError::NeedsRebuild { .. })
    ));
}

#[test]
fn recreate_refuses_a_directory_that_is_not_an_index() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("报告.docx"), "x").expect("write");
    assert!(matches!(
        SearchIndex::recreate(dir.path()),
        Err(SearchError::NotAnIndex { .. })
    ));
    assert!(dir.path().join("报告.docx").exists());
}

#[test]
fn the_index_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<SearchIndex>();
    let index = std::sync::Arc::new(index_of(&[item(1, "关于信息处理费的通知", "")]));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let index = std::sync::Arc::clone(&index);
            std::thread::spawn(move || index.search(&Query::new("信息处理费")).map(|r| r.total))
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().expect("thread").expect("search"), 1);
    }
}

static SHARED: LazyLock<SearchIndex> = LazyLock::new(|| {
    let mut items = vec![
        numbered(
            1,
            "国务院办公厅关于印发2019年政务公开工作要点的通知",
            "国办发〔2019〕54号",
            "000014349/2019-00054",
        ),
        item(
            2,
            "关于调整信息处理费收费标准的通知",
            "按件计收信息处理费。AI与GDP。",
        ),
        item(
            3,
            "中国农业发展银行关于支持乡村振兴的通知",
            "“依申请公开”（〔2024〕1号）",
        ),
    ];
    items[2].published = date!(2019 - 12 - 31);
    index_of(&items)
});

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn no_string_makes_search_fail(text in any::<String>(), page in 0u32..400, per_page in 0u32..100, newest: bool) {
        let order = if newest { Order::Newest } else { Order::Relevance };
        let results = SHARED.search(&Query { page, per_page, order, ..Query::new(text.as_str()) });
        prop_assert!(results.is_ok(), "{text:?}: {results:?}");
        let results = results.unwrap_or_else(|_| unreachable!());
        prop_assert!(results.hits.len() <= results.per_page as usize);
        prop_assert!(results.hits.len() <= results.total);
    }

    #[test]
    fn no_query_text_breaks_the_marks(text in "[信息处理费通知农业 aAＡ<>&\"“”()（）〔〕0-9号/-]{0,40}") {
        let results = SHARED.search(&Query::new(text.as_str()));
        prop_assert!(results.is_ok());
        for hit in results.unwrap_or_else(|_| unreachable!()).hits {
            for html in [&hit.title_html, &hit.snippet_html] {
                let bare = html.replace("<em>", "").replace("</em>", "");
                prop_assert!(!bare.contains('<') && !bare.contains('>'), "{html}");
                prop_assert_eq!(html.matches("<em>").count(), html.matches("</em>").count());
            }
        }
    }
}
