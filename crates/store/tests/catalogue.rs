//! The 政务公开事项标准目录 and the 表二 figures from other systems, on SQLite and (with
//! `GONGKAI_TEST_DATABASE_URL`) PostgreSQL: entries kept with their audit rows, the sheet
//! import (all or nothing, header matching, row-numbered problems), 公开时限 rules, the
//! overdue flag, figures bounded and audited, and one organ never seeing another's.

use gongkai_core::calendar::{Calendar, parse_date};
use gongkai_store::catalogue::import::RowProblem;
use gongkai_store::catalogue::overdue::overdue;
use gongkai_store::catalogue::time_limit::{Start, TimeLimit};
use gongkai_store::catalogue::{EntryInput, ImportError, Mode};
use gongkai_store::organ::OrganSettings;
use gongkai_store::statistics::{self, FigureValue};
use gongkai_store::testing::TestDb;
use gongkai_store::{Actor, OrganScope, Store, StoreError, dbtest};

/// 2024-06-03 08:00 Beijing time.
const NOW: i64 = 1_717_372_800;

async fn organ(store: &Store, name: &str) -> OrganScope {
    let settings = OrganSettings {
        name: name.to_owned(),
        ..OrganSettings::default()
    };
    let organ = store
        .create_organ(&Actor::system("test"), NOW, None, &settings)
        .await
        .unwrap();
    OrganScope::system(organ.id)
}

fn editor() -> Actor {
    Actor::system("editor")
}

fn entry(name: &str, time_limit: &str) -> EntryInput {
    EntryInput {
        category: "机构职能".into(),
        name: name.into(),
        content: "机构职能、内设机构、领导信息".into(),
        basis: "《中华人民共和国政府信息公开条例》第二十条".into(),
        subject: "呼伦贝尔经济技术开发区管理委员会".into(),
        time_limit: time_limit.into(),
        channels: "政府网站、公开查阅点".into(),
        mode: Mode::Proactive,
        audience: "全社会".into(),
        pilot_area: None,
    }
}

fn sheet(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|l| l.split('|').map(str::to_owned).collect())
        .collect()
}

const HEADER: &str =
    "事项类别|事项名称|公开内容|公开依据|公开主体|公开时限|公开渠道和载体|公开方式";

fn problems(result: Result<impl std::fmt::Debug, ImportError>) -> Vec<RowProblem> {
    match result {
        Err(ImportError::Sheet(p)) => p,
        other => panic!("expected sheet problems, got {other:?}"),
    }
}

dbtest!(
    entries_are_created_changed_and_deleted_with_audit_rows,
    |db| {
        let scope = organ(&db, "甲机关").await;
        let audit_before = db.audit_count().await.unwrap();
        let first = db
            .create_catalogue_entry(&editor(), scope, NOW, &entry("机构职能", "实时"))
            .await
            .unwrap();
        let second = db
            .create_catalogue_entry(
                &editor(),
                scope,
                NOW,
                &entry("规范性文件", "信息形成或变更之日起20个工作日内"),
            )
            .await
            .unwrap();
        assert!(second.sort_order > first.sort_order);
        let list = db.catalogue_entries(scope).await.unwrap();
        assert_eq!(
            list.iter()
                .map(|e| e.input.name.as_str())
                .collect::<Vec<_>>(),
            ["机构职能", "规范性文件"]
        );
        let mut changed = second.input.clone();
        changed.time_limit = "每年3月31日前".into();
        changed.mode = Mode::Both;
        let updated = db
            .update_catalogue_entry(&editor(), scope, second.id, NOW + 60, &changed)
            .await
            .unwrap();
        assert_eq!(updated.input, changed);
        assert_eq!(updated.updated_at, NOW + 60);
        db.delete_catalogue_entry(&editor(), scope, first.id, NOW + 120)
            .await
            .unwrap();
        assert!(matches!(
            db.catalogue_entry(scope, first.id).await,
            Err(StoreError::NotFound(_))
        ));
        // One audit row per write, each with the state before and after.
        assert_eq!(db.audit_count().await.unwrap() - audit_before, 4);
        let log = db.audit_log(scope, 4, 0).await.unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "catalogue.delete",
                "catalogue.update",
                "catalogue.create",
                "catalogue.create"
            ]
        );
        let update = &log[1];
        assert_eq!(
            update.before.as_ref().unwrap()["time_limit"],
            "信息形成或变更之日起20个工作日内"
        );
        assert_eq!(
            update.after.as_ref().unwrap()["time_limit"],
            "每年3月31日前"
        );
        assert_eq!(update.after.as_ref().unwrap()["mode"], "both");
        assert_eq!(log[0].before.as_ref().unwrap()["name"], "机构职能");
        assert!(log[0].after.is_none());
    }
);

dbtest!(
    an_entry_missing_an_element_is_refused_and_nothing_saved,
    |db| {
        let scope = organ(&db, "甲机关").await;
        let audit_before = db.audit_count().await.unwrap();
        let mut bad = entry("机构职能", "实时");
        bad.basis = "  ".into();
        let refused = db.create_catalogue_entry(&editor(), scope, NOW, &bad).await;
        assert!(
            matches!(&refused, Err(StoreError::Invalid { field: "basis", message }) if message.contains("公开依据")),
            "{refused:?}"
        );
        let mut long = entry("机构职能", "实时");
        long.name = "名".repeat(201);
        let refused = db
            .create_catalogue_entry(&editor(), scope, NOW, &long)
            .await;
        assert!(matches!(
            refused,
            Err(StoreError::Invalid { field: "name", .. })
        ));
        let mut area = entry("机构职能", "实时");
        area.pilot_area = Some(27);
        assert!(matches!(
            db.create_catalogue_entry(&editor(), scope, NOW, &area)
                .await,
            Err(StoreError::Invalid {
                field: "pilot_area",
                ..
            })
        ));
        assert!(db.catalogue_entries(scope).await.unwrap().is_empty());
        assert_eq!(db.audit_count().await.unwrap(), audit_before);
    }
);

dbtest!(another_organs_entries_are_invisible_and_untouchable, |db| {
    let own = organ(&db, "甲机关").await;
    let other = organ(&db, "乙机关").await;
    let theirs = db
        .create_catalogue_entry(&editor(), other, NOW, &entry("乙的事项", "实时"))
        .await
        .unwrap();
    assert!(db.catalogue_entries(own).await.unwrap().is_empty());
    assert!(matches!(
        db.catalogue_entry(own, theirs.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        db.update_catalogue_entry(&editor(), own, theirs.id, NOW, &entry("改", "实时"))
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        db.delete_catalogue_entry(&editor(), own, theirs.id, NOW)
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        db.catalogue_entry(other, theirs.id)
            .await
            .unwrap()
            .input
            .name,
        "乙的事项"
    );
    // Figures too.
    let licensing = statistics::spec_of("licensing.decisions").unwrap();
    db.save_report_figures(
        &editor(),
        other,
        NOW,
        2023,
        &[(licensing, Some(FigureValue::Count(9)))],
    )
    .await
    .unwrap();
    assert!(!db.report_figures(own, 2023).await.unwrap().any());
    assert!(db.report_figure_years(own).await.unwrap().is_empty());
});

dbtest!(an_entry_that_an_item_fulfils_cannot_be_deleted, |db| {
    // Items (store::item) point at the entry they fulfil with a foreign key; this stand-in
    // table has the same column and reference.
    db.execute_raw(
        "CREATE TABLE catalogue_link_probe (id BIGINT PRIMARY KEY, \
         catalogue_entry_id BIGINT REFERENCES catalogue_entries (id))",
    )
    .await
    .unwrap();
    let scope = organ(&db, "甲机关").await;
    let fulfilled = db
        .create_catalogue_entry(&editor(), scope, NOW, &entry("机构职能", "实时"))
        .await
        .unwrap();
    // The probe's id is the entry's: the raw statement cannot take a parameter.
    assert_eq!(fulfilled.id, 1);
    db.execute_raw("INSERT INTO catalogue_link_probe (id, catalogue_entry_id) VALUES (1, 1)")
        .await
        .unwrap();
    let audit_before = db.audit_count().await.unwrap();
    let refused = db
        .delete_catalogue_entry(&editor(), scope, fulfilled.id, NOW)
        .await;
    assert!(
        matches!(&refused, Err(StoreError::NotAllowed(m)) if m.contains("不能删除")),
        "{refused:?}"
    );
    assert!(db.catalogue_entry(scope, fulfilled.id).await.is_ok());
    assert_eq!(db.audit_count().await.unwrap(), audit_before);
});

dbtest!(
    an_import_with_one_bad_row_imports_nothing_and_names_row_and_column,
    |db| {
        let scope = organ(&db, "甲机关").await;
        let audit_before = db.audit_count().await.unwrap();
        let text = format!(
            "{HEADER}\n\
         机构信息|机构职能|职能、内设机构|条例第二十条|本机关|实时|政府网站|主动\n\
         政策文件|规范性文件|文件全文|条例第二十条||20个工作日内|政府网站|主动\n\
         政策文件|政策解读|解读材料|条例|本机关|及时|政府网站|公示"
        );
        let found = problems(
            db.import_catalogue(&editor(), scope, NOW, &sheet(&text))
                .await,
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!((found[0].row, found[0].column), (3, Some(4)));
        assert_eq!(
            found[0].to_string(),
            "第3行E列「公开主体」：请填写「公开主体」。"
        );
        assert_eq!((found[1].row, found[1].column), (4, Some(7)));
        assert!(found[1].to_string().contains("H列「公开方式」"));
        assert!(found[1].message.contains("“主动”或“依申请”"));
        assert!(found[1].message.contains("公示"));
        // Nothing of the good row was kept, nor audited.
        assert!(db.catalogue_entries(scope).await.unwrap().is_empty());
        assert_eq!(db.audit_count().await.unwrap(), audit_before);
    }
);

dbtest!(
    a_valid_sheet_is_imported_whole_after_existing_entries,
    |db| {
        let scope = organ(&db, "甲机关").await;
        db.create_catalogue_entry(&editor(), scope, NOW, &entry("已有事项", "实时"))
            .await
            .unwrap();
        let audit_before = db.audit_count().await.unwrap();
        // A title row above the header; 序号 and 备注 are not elements; the 事项类别 of a merged
        // cell is blank below its first row; channels printed as a checkbox list.
        let text = "呼伦贝尔经济技术开发区政务公开事项标准目录\n\
        序号|事项类别|事项名称|公开内容|公开依据|公开主体|公开时限|公开渠道和载体|公开方式|试点领域|备注\n\
        1|财政预决算|部门预算|预算报告、报表|《预算法》第十四条|财政局|批准后20日内|■政府网站 □两微一端 ■公开查阅点|主动|财政预决算|\n\
        2||部门决算|决算报告|《预算法》第十四条|财政局|批准后20日内|政府网站|主动公开|预决算|\n\
        |||||||||||\n\
        3|社会救助|最低生活保障|审批结果|《社会救助暂行办法》|民政局|每年3月31日前|政府网站|依申请公开|社会救助|";
        let imported = db
            .import_catalogue(&editor(), scope, NOW, &sheet(text))
            .await
            .unwrap();
        assert_eq!(imported.ignored_columns, ["序号", "备注"]);
        let names: Vec<&str> = imported
            .entries
            .iter()
            .map(|e| e.input.name.as_str())
            .collect();
        assert_eq!(names, ["部门预算", "部门决算", "最低生活保障"]);
        let budget = &imported.entries[0].input;
        assert_eq!(budget.channels, "政府网站、公开查阅点");
        assert_eq!(budget.pilot_area, Some(4));
        assert_eq!(imported.entries[1].input.category, "财政预决算");
        assert_eq!(imported.entries[2].input.mode, Mode::OnRequest);
        let all = db.catalogue_entries(scope).await.unwrap();
        assert_eq!(all.len(), 4);
        assert_eq!(all[0].input.name, "已有事项");
        // One audit row per entry added.
        assert_eq!(db.audit_count().await.unwrap() - audit_before, 3);
    }
);

dbtest!(
    headers_match_by_label_alias_spacing_and_full_width_forms,
    |db| {
        let scope = organ(&db, "甲机关").await;
        // 54号's short names, spaces, full-width brackets, a required-field star, another order.
        let text = "  名称 |一级事项|内容|依据 *|公开 主体|时限|途径|方式|公开对象（范围）\n\
        机构职能|机构信息|职能|条例|本机关|长期|政府网站|主动|全社会";
        let imported = db
            .import_catalogue(&editor(), scope, NOW, &sheet(text))
            .await
            .unwrap();
        let e = &imported.entries[0].input;
        assert_eq!(
            (e.category.as_str(), e.name.as_str()),
            ("机构信息", "机构职能")
        );
        assert_eq!(e.time_limit, "长期");
        // 公开对象（范围） is no label of ours: not read, and said so.
        assert_eq!(imported.ignored_columns, ["公开对象（范围）"]);
        assert_eq!(e.audience, "");
    }
);

dbtest!(
    the_ministry_two_row_header_with_tick_columns_is_read,
    |db| {
        let scope = organ(&db, "甲机关").await;
        // The layout of the 标准指引: 公开事项 over 一级事项 · 二级事项, and 公开对象 and 公开方式
        // as tick columns.
        let text = "序号|公开事项||公开内容（要素）|公开依据|公开时限|公开主体|公开渠道和载体|公开对象||公开方式||公开层级|\n\
        |一级事项|二级事项||||||全社会|特定群众|主动|依申请|县级|乡级\n\
        1|城乡规划|控制性详细规划|规划批准文件|《城乡规划法》|自批准之日起20个工作日内|县自然资源局|政府网站|√||√||√|\n\
        2||乡村规划|规划图|《城乡规划法》|信息形成（变更）之日起20个工作日内|乡镇政府|■政府网站 ■公示栏||√|√|√||√";
        let imported = db
            .import_catalogue(&editor(), scope, NOW, &sheet(text))
            .await
            .unwrap();
        let [first, second] = &imported.entries[..] else {
            panic!("{imported:?}");
        };
        assert_eq!(first.input.category, "城乡规划");
        assert_eq!(first.input.name, "控制性详细规划");
        assert_eq!(first.input.content, "规划批准文件");
        assert_eq!(first.input.audience, "全社会");
        assert_eq!(first.input.mode, Mode::Proactive);
        assert_eq!(second.input.category, "城乡规划");
        assert_eq!(second.input.audience, "特定群众");
        assert_eq!(second.input.mode, Mode::Both);
        assert_eq!(second.input.channels, "政府网站、公示栏");
        assert_eq!(
            imported.ignored_columns,
            ["序号", "公开层级·县级", "公开层级·乡级"]
        );
    }
);

dbtest!(
    a_sheet_without_the_required_columns_says_which_are_missing,
    |db| {
        let scope = organ(&db, "甲机关").await;
        let text = "事项类别|事项名称|公开内容|公开主体|公开时限|公开渠道和载体\n\
        机构信息|机构职能|职能|本机关|实时|政府网站";
        let found = problems(
            db.import_catalogue(&editor(), scope, NOW, &sheet(text))
                .await,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].row, 1);
        assert!(
            found[0].message.contains("缺少以下列：公开依据、公开方式"),
            "{}",
            found[0]
        );
        let found = problems(
            db.import_catalogue(&editor(), scope, NOW, &sheet("甲|乙\n1|2"))
                .await,
        );
        assert!(found[0].message.contains("没有找到表头"), "{}", found[0]);
        let twice = format!("{HEADER}|内容\n");
        let found = problems(
            db.import_catalogue(&editor(), scope, NOW, &sheet(&twice))
                .await,
        );
        assert!(
            found[0]
                .message
                .contains("「公开内容」出现了两次（C列和I列）"),
            "{}",
            found[0]
        );
        let found = problems(
            db.import_catalogue(&editor(), scope, NOW, &sheet(HEADER))
                .await,
        );
        assert!(found[0].message.contains("没有事项"), "{}", found[0]);
        assert!(db.catalogue_entries(scope).await.unwrap().is_empty());
    }
);

dbtest!(time_limits_are_read_into_rules_or_flagged, |db| {
    let scope = organ(&db, "甲机关").await;
    let text = format!(
        "{HEADER}\n\
         机构信息|机构职能|职能|条例|本机关|信息形成或变更之日起20个工作日内|政府网站|主动\n\
         财政|预算|预算|预算法|财政局|每年3月31日前|政府网站|主动\n\
         机构信息|领导信息|领导|条例|本机关|实时|政府网站|主动\n\
         执法|行政处罚|处罚决定|行政处罚法|执法局|作出决定之日起7个工作日内|政府网站|主动\n\
         其他|其他事项|其他|规定|本机关|按上级要求|政府网站|主动"
    );
    db.import_catalogue(&editor(), scope, NOW, &sheet(&text))
        .await
        .unwrap();
    let entries = db.catalogue_entries(scope).await.unwrap();
    let rules: Vec<Option<TimeLimit>> = entries.iter().map(|e| e.input.rule()).collect();
    assert_eq!(
        rules,
        [
            Some(TimeLimit::WorkingDays {
                days: 20,
                from: Start::Formation
            }),
            Some(TimeLimit::Annually {
                month: 3,
                day: Some(31)
            }),
            Some(TimeLimit::Continuous),
            Some(TimeLimit::WorkingDays {
                days: 7,
                from: Start::Event("作出决定之日".into())
            }),
            None,
        ]
    );
    // The text is kept as written, whatever the rule.
    assert_eq!(entries[4].input.time_limit, "按上级要求");
});

dbtest!(
    entries_without_a_publication_past_their_time_limit_are_flagged,
    |db| {
        let scope = organ(&db, "甲机关").await;
        // Listed 2024-06-03 (a Monday); 20 working days skip 端午节 (06-10): due 2024-07-02.
        let art26 = db
            .create_catalogue_entry(
                &editor(),
                scope,
                NOW,
                &entry("机构职能", "信息形成或变更之日起20个工作日内"),
            )
            .await
            .unwrap();
        let published = db
            .create_catalogue_entry(&editor(), scope, NOW, &entry("领导信息", "实时"))
            .await
            .unwrap();
        let unparsed = db
            .create_catalogue_entry(&editor(), scope, NOW, &entry("其他", "按上级要求"))
            .await
            .unwrap();
        let entries = db.catalogue_entries(scope).await.unwrap();
        let cal = Calendar::builtin();
        let day = |t: &str| parse_date(t).unwrap();
        let latest = [(published.id, day("2024-06-20"))];
        assert!(
            overdue(&entries, &latest, &cal, day("2024-07-02"))
                .unwrap()
                .is_empty()
        );
        let found = overdue(&entries, &latest, &cal, day("2024-07-03")).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].entry, art26.id);
        assert_eq!(found[0].due, day("2024-07-02"));
        assert!(!found.iter().any(|o| o.entry == unparsed.id));
    }
);

dbtest!(figures_are_bounded_audited_and_keyed_as_the_format, |db| {
    let scope = organ(&db, "甲机关").await;
    let audit_before = db.audit_count().await.unwrap();
    let typed = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect::<Vec<_>>()
    };
    let values = statistics::parse_figures(&typed(&[
        ("licensing.decisions", "120"),
        ("penalty.decisions", "0"),
        ("fees.amount_wan_yuan", "3.25"),
    ]))
    .unwrap();
    let figures = db
        .save_report_figures(&editor(), scope, NOW, 2023, &values)
        .await
        .unwrap();
    assert_eq!(
        figures.to_json(),
        serde_json::json!({
            "licensing": {"decisions": 120},
            "penalty": {"decisions": 0},
            "enforcement": {"decisions": null},
            "fees": {"amount_wan_yuan": "3.25"},
        })
    );
    assert_eq!(
        db.report_figures(scope, 2023)
            .await
            .unwrap()
            .get("fees", "amount_wan_yuan"),
        Some(FigureValue::Yuan(32_500))
    );
    // A bad value is refused at its field, before anything is written.
    let refused = statistics::parse_figures(&typed(&[
        ("licensing.decisions", "-1"),
        ("fees.amount_wan_yuan", "1.23456"),
    ]))
    .unwrap_err();
    assert_eq!(refused.len(), 2);
    assert_eq!(refused[0].0, "licensing.decisions");
    assert!(refused[1].1.contains("最多4位小数"));
    // Changing a cell and clearing another: one audit row with every cell before and after.
    let values = statistics::parse_figures(&typed(&[
        ("licensing.decisions", "121"),
        ("penalty.decisions", ""),
    ]))
    .unwrap();
    db.save_report_figures(&editor(), scope, NOW + 60, 2023, &values)
        .await
        .unwrap();
    let log = db.audit_log(scope, 1, 0).await.unwrap();
    assert_eq!(log[0].action, "figures.update");
    assert_eq!(log[0].entity_id, "2023");
    let before = log[0].before.as_ref().unwrap();
    let after = log[0].after.as_ref().unwrap();
    assert_eq!(before["licensing.decisions"], "120");
    assert_eq!(after["licensing.decisions"], "121");
    assert_eq!(before["penalty.decisions"], "0");
    assert!(
        after["penalty.decisions"].is_null(),
        "cleared: blank, not 0"
    );
    assert_eq!(after["fees.amount_wan_yuan"], "3.25");
    // Saving the same values again writes nothing.
    db.save_report_figures(&editor(), scope, NOW + 120, 2023, &values)
        .await
        .unwrap();
    assert_eq!(db.audit_count().await.unwrap() - audit_before, 2);
    // Years outside the 2021 template are refused.
    assert!(matches!(
        db.save_report_figures(&editor(), scope, NOW, 2020, &values)
            .await,
        Err(StoreError::Invalid { field: "year", .. })
    ));
    assert_eq!(db.report_figure_years(scope).await.unwrap(), [2023]);
});

dbtest!(figures_of_several_years_import_all_or_nothing, |db| {
    let scope = organ(&db, "甲机关").await;
    let licensing = statistics::spec_of("licensing.decisions").unwrap();
    let years = vec![
        (2022, vec![(licensing, Some(FigureValue::Count(5)))]),
        (2019, vec![(licensing, Some(FigureValue::Count(6)))]),
    ];
    assert!(
        db.import_report_figures(&editor(), scope, NOW, &years)
            .await
            .is_err()
    );
    assert!(db.report_figure_years(scope).await.unwrap().is_empty());
    let years = vec![
        (2022, vec![(licensing, Some(FigureValue::Count(5)))]),
        (2023, vec![(licensing, Some(FigureValue::Count(6)))]),
    ];
    let changed = db
        .import_report_figures(&editor(), scope, NOW, &years)
        .await
        .unwrap();
    assert_eq!(changed, [2022, 2023]);
    assert_eq!(db.report_figure_years(scope).await.unwrap(), [2023, 2022]);
});

dbtest!(the_backup_keeps_the_catalogue_and_the_figures, |db| {
    let scope = organ(&db, "甲机关").await;
    db.create_catalogue_entry(&editor(), scope, NOW, &entry("机构职能", "实时"))
        .await
        .unwrap();
    let fees = statistics::spec_of("fees.amount_wan_yuan").unwrap();
    db.save_report_figures(
        &editor(),
        scope,
        NOW,
        2024,
        &[(fees, Some(FigureValue::Yuan(1)))],
    )
    .await
    .unwrap();
    let dump = db.dump().await.unwrap();
    assert_eq!(
        dump["tables"]["catalogue_entries"].as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(
        dump["tables"]["report_figures"].as_array().map(Vec::len),
        Some(1)
    );
    let target = TestDb::sqlite().await;
    target.restore(&dump).await.unwrap();
    assert_eq!(target.dump().await.unwrap(), dump);
    // New entries continue after the restored ones.
    let next = target
        .create_catalogue_entry(&editor(), scope, NOW, &entry("新事项", "实时"))
        .await
        .unwrap();
    assert_eq!(next.id, 2);
    if let Some(pg) = TestDb::postgres().await {
        pg.restore(&dump).await.unwrap();
        let next = pg
            .create_catalogue_entry(&editor(), scope, NOW, &entry("新事项", "实时"))
            .await
            .unwrap();
        assert_eq!(next.id, 2);
    }
});

// ---- Items fulfil entries (items.catalogue_entry_id). ----

fn d(text: &str) -> time::Date {
    parse_date(text).unwrap()
}

fn item_content(title: &str, entry: Option<i64>) -> gongkai_store::item::ItemContent {
    gongkai_store::item::ItemContent {
        title: title.into(),
        formed: Some(d("2024-05-27")),
        topic: "综合政务".into(),
        kind: "notice".into(),
        article20: Some(2),
        openness: "proactive".into(),
        body: "正文".into(),
        catalogue_entry: entry,
        ..Default::default()
    }
}

/// Publishes a draft through the organ's default chain (submit and three approvals).
async fn publish(db: &Store, scope: OrganScope, id: i64, today: time::Date, now: i64) {
    use gongkai_store::item::ItemStep;
    let sys = Actor::system("test");
    let mut steps = vec![ItemStep::Submit {
        comment: String::new(),
    }];
    steps.extend((0..3).map(|_| ItemStep::Approve {
        comment: "同意".into(),
    }));
    for step in &steps {
        db.item_step(&sys, scope, id, step, today, now)
            .await
            .unwrap();
    }
    assert!(db.item(scope, id).await.unwrap().published().is_some());
}

dbtest!(an_item_fulfils_an_entry_of_its_own_organ_only, |db| {
    let own = organ(&db, "甲机关").await;
    let other = organ(&db, "乙机关").await;
    let mine = db
        .create_catalogue_entry(&editor(), own, NOW, &entry("机构职能", "实时"))
        .await
        .unwrap();
    let theirs = db
        .create_catalogue_entry(&editor(), other, NOW, &entry("机构职能", "实时"))
        .await
        .unwrap();
    let sys = Actor::system("test");
    let today = d("2024-06-03");
    let audit_before = db.audit_count().await.unwrap();
    let refused = db
        .create_item(
            &sys,
            own,
            NOW,
            today,
            &item_content("乙的事项", Some(theirs.id)),
            &[],
        )
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Invalid { field: "catalogue_entry", message }) if message.contains("标准目录")),
        "{refused:?}"
    );
    assert!(db.items(own).await.unwrap().is_empty());
    assert_eq!(db.audit_count().await.unwrap(), audit_before);
    let item = db
        .create_item(
            &sys,
            own,
            NOW,
            today,
            &item_content("机构职能", Some(mine.id)),
            &[],
        )
        .await
        .unwrap();
    assert_eq!(item.catalogue_entry_id, Some(mine.id));
    assert_eq!(item.working().content.catalogue_entry, Some(mine.id));
    // A new version may move it to another organ's entry no more than a new item may.
    let moved = db
        .edit_item(
            &sys,
            own,
            item.id,
            NOW,
            today,
            &item_content("机构职能", Some(theirs.id)),
            &[],
            &[],
        )
        .await;
    assert!(matches!(
        moved,
        Err(StoreError::Invalid {
            field: "catalogue_entry",
            ..
        })
    ));
    assert_eq!(db.item(own, item.id).await.unwrap().versions.len(), 1);
    assert_eq!(
        db.catalogue_item_counts(own).await.unwrap(),
        vec![(mine.id, 1)]
    );
    assert!(db.catalogue_item_counts(other).await.unwrap().is_empty());
});

dbtest!(
    deleting_an_entry_an_item_points_at_is_refused_by_the_query_and_allowed_once_unlinked,
    |db| {
        let scope = organ(&db, "甲机关").await;
        let fulfilled = db
            .create_catalogue_entry(&editor(), scope, NOW, &entry("机构职能", "实时"))
            .await
            .unwrap();
        let sys = Actor::system("test");
        let today = d("2024-06-03");
        // A draft is enough: the link is what evaluators check, published or not.
        let item = db
            .create_item(
                &sys,
                scope,
                NOW,
                today,
                &item_content("机构职能", Some(fulfilled.id)),
                &[],
            )
            .await
            .unwrap();
        let audit_before = db.audit_count().await.unwrap();
        let refused = db
            .delete_catalogue_entry(&editor(), scope, fulfilled.id, NOW)
            .await;
        assert!(
            matches!(&refused, Err(StoreError::NotAllowed(m)) if m.contains("不能删除")),
            "{refused:?}"
        );
        assert!(db.catalogue_entry(scope, fulfilled.id).await.is_ok());
        assert_eq!(db.audit_count().await.unwrap(), audit_before);
        // Saving a version without the entry unlinks it; then the entry may go.
        let unlinked = db
            .edit_item(
                &sys,
                scope,
                item.id,
                NOW,
                today,
                &item_content("机构职能", None),
                &[],
                &[],
            )
            .await
            .unwrap();
        assert_eq!(unlinked.catalogue_entry_id, None);
        db.delete_catalogue_entry(&editor(), scope, fulfilled.id, NOW)
            .await
            .unwrap();
        assert!(db.catalogue_entry(scope, fulfilled.id).await.is_err());
    }
);

dbtest!(
    the_latest_publication_per_entry_counts_published_items_only_and_makes_an_entry_not_overdue,
    |db| {
        let scope = organ(&db, "甲机关").await;
        let sys = Actor::system("test");
        // Listed 2024-06-03; 20 working days (art. 26) end on 2024-07-01.
        let a = db
            .create_catalogue_entry(
                &editor(),
                scope,
                NOW,
                &entry("机构职能", "信息形成或变更之日起20个工作日内"),
            )
            .await
            .unwrap();
        let b = db
            .create_catalogue_entry(
                &editor(),
                scope,
                NOW,
                &entry("领导信息", "信息形成或变更之日起20个工作日内"),
            )
            .await
            .unwrap();
        let first = d("2024-06-04");
        let later = d("2024-06-12");
        let one = db
            .create_item(
                &sys,
                scope,
                NOW,
                first,
                &item_content("机构职能一", Some(a.id)),
                &[],
            )
            .await
            .unwrap();
        publish(&db, scope, one.id, first, NOW + 86_400).await;
        let two = db
            .create_item(
                &sys,
                scope,
                NOW,
                later,
                &item_content("机构职能二", Some(a.id)),
                &[],
            )
            .await
            .unwrap();
        publish(&db, scope, two.id, later, NOW + 9 * 86_400).await;
        // B has a draft and a withdrawn item: neither is on the portal.
        db.create_item(
            &sys,
            scope,
            NOW,
            first,
            &item_content("领导信息草稿", Some(b.id)),
            &[],
        )
        .await
        .unwrap();
        let gone = db
            .create_item(
                &sys,
                scope,
                NOW,
                first,
                &item_content("领导信息", Some(b.id)),
                &[],
            )
            .await
            .unwrap();
        publish(&db, scope, gone.id, first, NOW + 86_400).await;
        db.item_step(
            &sys,
            scope,
            gone.id,
            &gongkai_store::item::ItemStep::Withdraw {
                comment: "有误".into(),
            },
            later,
            NOW + 9 * 86_400,
        )
        .await
        .unwrap();
        let latest = db.latest_publication_by_entry(scope).await.unwrap();
        assert_eq!(latest, vec![(a.id, later)]);
        let entries = db.catalogue_entries(scope).await.unwrap();
        let late = overdue(&entries, &latest, &Calendar::builtin(), d("2024-07-15")).unwrap();
        assert_eq!(late.iter().map(|o| o.entry).collect::<Vec<_>>(), vec![b.id]);
    }
);

dbtest!(
    backdated_publication_writes_the_ledger_the_index_of_its_year_and_an_audit_row_per_event,
    |db| {
        use gongkai_store::item::Backdated;
        let scope = organ(&db, "甲机关").await;
        let day = d("2022-03-01");
        let at = 1_646_096_400; // 2022-03-01 09:00 Beijing time.
        let mut content = item_content("2022年的通知", None);
        content.formed = Some(day);
        let batch = vec![Backdated {
            content,
            published: day,
            at,
        }];
        // Staff may not backdate.
        let user = Actor::user(1, "某编辑");
        assert!(matches!(
            db.publish_backdated(&user, scope, &batch).await,
            Err(StoreError::Forbidden)
        ));
        let audit_before = db.audit_count().await.unwrap();
        let ids = db
            .publish_backdated(&Actor::system("demo"), scope, &batch)
            .await
            .unwrap();
        let item = db.item(scope, ids[0]).await.unwrap();
        let events: Vec<&str> = item.events.iter().map(|e| e.event.as_str()).collect();
        assert_eq!(
            events,
            [
                "created",
                "submitted",
                "approved",
                "approved",
                "approved",
                "published"
            ]
        );
        let progress = item.progress();
        assert_eq!(progress.first_published.map(|p| p.1), Some(day));
        assert!(item.published().is_some());
        assert!(
            item.index_number.as_deref().unwrap().contains("2022"),
            "{:?}",
            item.index_number
        );
        // item.create, item.step × (submit + three approvals).
        assert_eq!(db.audit_count().await.unwrap(), audit_before + 5);
        // A bad item refuses the batch: nothing is written.
        let mut bad = batch[0].clone();
        bad.content.topic = "不存在的分类".into();
        let before = db.items(scope).await.unwrap().len();
        assert!(
            db.publish_backdated(&Actor::system("demo"), scope, &[batch[0].clone(), bad])
                .await
                .is_err()
        );
        assert_eq!(db.items(scope).await.unwrap().len(), before);
    }
);
