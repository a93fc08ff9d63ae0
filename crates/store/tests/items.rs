//! Proactive information items in the store, on SQLite and (with GONGKAI_TEST_DATABASE_URL)
//! PostgreSQL: the 索引号, the review chain and its roles, the author's own approval, rejection,
//! versions, the append-only ledger, audit rows, content-addressed files, and the stage ×
//! action × role matrix.

use gongkai_core::calendar::parse_date;
use gongkai_store::item::review::{ItemAction, ReviewStep, Stage};
use gongkai_store::item::{ItemContent, ItemSettings, ItemStep, NewFile};
use gongkai_store::organ::OrganSettings;
use gongkai_store::user::NewUser;
use gongkai_store::{Actor, OrganScope, Role, Store, StoreError, dbtest};
use time::Date;

const NOW: i64 = 1_767_574_800;

fn d(text: &str) -> Date {
    parse_date(text).unwrap()
}

fn today() -> Date {
    d("2026-01-05")
}

async fn organ(store: &Store, name: &str, credit_code: &str) -> i64 {
    let settings = OrganSettings {
        name: name.to_owned(),
        credit_code: credit_code.to_owned(),
        ..OrganSettings::default()
    };
    store
        .create_organ(&Actor::system("test"), NOW, None, &settings)
        .await
        .unwrap()
        .id
}

async fn staff(store: &Store, organ_id: i64, username: &str, roles: &[Role]) -> Actor {
    let user = store
        .create_user(
            &Actor::system("test"),
            OrganScope::system(organ_id),
            NOW,
            &NewUser {
                username,
                display_name: username,
                password_hash: "$argon2id$placeholder",
            },
            roles[0],
        )
        .await
        .unwrap();
    for role in &roles[1..] {
        store
            .grant_role(
                &Actor::system("test"),
                OrganScope::system(organ_id),
                NOW,
                user.id,
                *role,
            )
            .await
            .unwrap();
    }
    Actor::user(user.id, username)
}

fn content(title: &str) -> ItemContent {
    ItemContent {
        title: title.into(),
        doc_number: "呼经开管发〔2026〕1号".into(),
        formed: Some(d("2025-12-29")),
        topic: "综合政务".into(),
        kind: "normative_document".into(),
        article20: Some(1),
        openness: "proactive".into(),
        body: "第一条 为了规范管理，制定本办法。".into(),
        ..ItemContent::default()
    }
}

fn approve() -> ItemStep {
    ItemStep::Approve {
        comment: "同意".into(),
    }
}

fn submit() -> ItemStep {
    ItemStep::Submit {
        comment: String::new(),
    }
}

struct Office {
    organ: i64,
    scope: OrganScope,
    editor: Actor,
    reviewer: Actor,
    head: Actor,
}

async fn office(store: &Store) -> Office {
    let organ = organ(store, "呼伦贝尔经济技术开发区", "11150700MB1234567X").await;
    Office {
        organ,
        scope: OrganScope::system(organ),
        editor: staff(store, organ, "bianji", &[Role::Editor]).await,
        reviewer: staff(store, organ, "shenhe", &[Role::Reviewer]).await,
        head: staff(store, organ, "fuzeren", &[Role::Head]).await,
    }
}

/// An item drafted by the editor and taken through the whole default chain.
async fn published(store: &Store, o: &Office, title: &str) -> i64 {
    let item = store
        .create_item(&o.editor, o.scope, NOW, today(), &content(title), &[])
        .await
        .unwrap();
    let step = async |actor: &Actor, step: ItemStep| {
        store
            .item_step(actor, o.scope, item.id, &step, today(), NOW)
            .await
            .unwrap()
    };
    step(&o.editor, submit()).await;
    step(&o.reviewer, approve()).await;
    step(&o.reviewer, approve()).await;
    let done = step(&o.head, approve()).await;
    assert_eq!(done.stage(), Stage::Published);
    item.id
}

dbtest!(
    the_index_number_is_assigned_once_at_publication_and_never_reused,
    |db| {
        let o = office(&db).await;
        let first = published(&db, &o, "甲办法").await;
        let item = db.item(o.scope, first).await.unwrap();
        // 前段码 / 年 - 5 位序号 (《政府信息公开目录系统实施指引》).
        assert_eq!(
            item.index_number.as_deref(),
            Some("11150700MB1234567X/2026-00001")
        );
        // A draft has none yet.
        let draft = db
            .create_item(&o.editor, o.scope, NOW, today(), &content("乙"), &[])
            .await
            .unwrap();
        assert_eq!(draft.index_number, None);
        // Withdrawn, the item keeps its number and the next item gets the next serial.
        db.item_step(
            &o.editor,
            o.scope,
            first,
            &ItemStep::Withdraw {
                comment: "内容有误".into(),
            },
            today(),
            NOW,
        )
        .await
        .unwrap();
        let withdrawn = db.item(o.scope, first).await.unwrap();
        assert_eq!(withdrawn.stage(), Stage::Withdrawn);
        assert_eq!(withdrawn.index_number, item.index_number);
        let second = published(&db, &o, "丙办法").await;
        assert_eq!(
            db.item(o.scope, second)
                .await
                .unwrap()
                .index_number
                .as_deref(),
            Some("11150700MB1234567X/2026-00002")
        );
        // A revision published again keeps the number it had.
        db.edit_item(
            &o.editor,
            o.scope,
            second,
            NOW + 10,
            today(),
            &content("丙办法（修订）"),
            &[],
            &[],
        )
        .await
        .unwrap();
        for (actor, s) in [
            (&o.editor, submit()),
            (&o.reviewer, approve()),
            (&o.reviewer, approve()),
            (&o.head, approve()),
        ] {
            db.item_step(actor, o.scope, second, &s, today(), NOW + 20)
                .await
                .unwrap();
        }
        let revised = db.item(o.scope, second).await.unwrap();
        assert_eq!(
            revised.index_number.as_deref(),
            Some("11150700MB1234567X/2026-00002")
        );
        // And the schema refuses any change of a number once given.
        let changed = db
            .execute_raw(
                "UPDATE items SET index_number = 'X/2026-00009' WHERE index_number IS NOT NULL",
            )
            .await;
        assert!(changed.is_err());
    }
);

dbtest!(the_chain_runs_in_order_each_step_by_its_role_art17, |db| {
    let o = office(&db).await;
    let item = db
        .create_item(&o.editor, o.scope, NOW, today(), &content("甲"), &[])
        .await
        .unwrap();
    db.item_step(&o.editor, o.scope, item.id, &submit(), today(), NOW)
        .await
        .unwrap();
    // 科室审核 is the reviewer's: the 负责人 cannot sign before it (403).
    let early = db
        .item_step(&o.head, o.scope, item.id, &approve(), today(), NOW)
        .await;
    assert!(matches!(early, Err(StoreError::Forbidden)), "{early:?}");
    let after_one = db
        .item_step(&o.reviewer, o.scope, item.id, &approve(), today(), NOW)
        .await
        .unwrap();
    let p = after_one.progress();
    assert_eq!(p.current_step().map(|s| s.name.as_str()), Some("保密审查"));
    let after_two = db
        .item_step(&o.reviewer, o.scope, item.id, &approve(), today(), NOW)
        .await
        .unwrap();
    assert_eq!(
        after_two.progress().current_step(),
        Some(&ReviewStep {
            name: "领导签发".into(),
            role: Role::Head
        })
    );
    // 领导签发 is the 负责人's alone.
    let reviewer_signs = db
        .item_step(&o.reviewer, o.scope, item.id, &approve(), today(), NOW)
        .await;
    assert!(matches!(reviewer_signs, Err(StoreError::Forbidden)));
    let done = db
        .item_step(&o.head, o.scope, item.id, &approve(), today(), NOW)
        .await
        .unwrap();
    let p = done.progress();
    assert_eq!(p.stage, Stage::Published);
    assert_eq!(p.first_published.map(|(_, d)| d), Some(today()));
    // Who approved what, when, with which comment: every step is in the ledger.
    let approvals: Vec<(String, String, String)> = done
        .events
        .iter()
        .filter(|e| e.event == "approved")
        .map(|e| {
            (
                e.data["step_name"].as_str().unwrap().to_owned(),
                e.actor_name.clone(),
                e.comment.clone(),
            )
        })
        .collect();
    assert_eq!(
        approvals,
        vec![
            ("科室审核".into(), "shenhe".into(), "同意".into()),
            ("保密审查".into(), "shenhe".into(), "同意".into()),
            ("领导签发".into(), "fuzeren".into(), "同意".into()),
        ]
    );
});

dbtest!(an_organs_own_chain_is_used_from_the_next_submission, |db| {
    let o = office(&db).await;
    let settings = ItemSettings {
        chain: vec![ReviewStep {
            name: "领导签发".into(),
            role: Role::Head,
        }],
        index_pattern: "shg58/{year}-{seq:3}".into(),
        ..ItemSettings::default()
    };
    db.put_item_settings(&Actor::system("test"), o.scope, NOW, &settings)
        .await
        .unwrap();
    let item = db
        .create_item(&o.editor, o.scope, NOW, today(), &content("甲"), &[])
        .await
        .unwrap();
    db.item_step(&o.editor, o.scope, item.id, &submit(), today(), NOW)
        .await
        .unwrap();
    let done = db
        .item_step(&o.head, o.scope, item.id, &approve(), today(), NOW)
        .await
        .unwrap();
    assert_eq!(done.stage(), Stage::Published);
    assert_eq!(done.index_number.as_deref(), Some("shg58/2026-001"));
    // A chain of editors is refused, and nothing is saved.
    let bad = ItemSettings {
        chain: vec![ReviewStep {
            name: "自审".into(),
            role: Role::Editor,
        }],
        ..ItemSettings::default()
    };
    let refused = db
        .put_item_settings(&Actor::system("test"), o.scope, NOW, &bad)
        .await;
    assert!(matches!(
        refused,
        Err(StoreError::Invalid { field: "chain", .. })
    ));
    assert_eq!(db.item_settings(o.scope).await.unwrap(), settings);
});

dbtest!(the_author_never_approves_their_own_item, |db| {
    let o = office(&db).await;
    // One account that both writes and reviews.
    let both = staff(&db, o.organ, "both", &[Role::Editor, Role::Reviewer]).await;
    let item = db
        .create_item(&both, o.scope, NOW, today(), &content("甲"), &[])
        .await
        .unwrap();
    db.item_step(&both, o.scope, item.id, &submit(), today(), NOW)
        .await
        .unwrap();
    let audit = db.audit_count().await.unwrap();
    let own = db
        .item_step(&both, o.scope, item.id, &approve(), today(), NOW)
        .await;
    assert!(matches!(own, Err(StoreError::NotAllowed(_))), "{own:?}");
    // An editor without a review role is refused by the role (403).
    let editor = db
        .item_step(&o.editor, o.scope, item.id, &approve(), today(), NOW)
        .await;
    assert!(matches!(editor, Err(StoreError::Forbidden)));
    assert_eq!(db.audit_count().await.unwrap(), audit, "nothing written");
    // Someone else may.
    db.item_step(&o.reviewer, o.scope, item.id, &approve(), today(), NOW)
        .await
        .unwrap();
});

dbtest!(
    a_rejection_returns_the_item_to_its_author_with_the_reason,
    |db| {
        let o = office(&db).await;
        let item = db
            .create_item(&o.editor, o.scope, NOW, today(), &content("甲"), &[])
            .await
            .unwrap();
        db.item_step(&o.editor, o.scope, item.id, &submit(), today(), NOW)
            .await
            .unwrap();
        // A rejection without a reason is refused.
        let bare = db
            .item_step(
                &o.reviewer,
                o.scope,
                item.id,
                &ItemStep::Reject {
                    comment: " ".into(),
                },
                today(),
                NOW,
            )
            .await;
        assert!(matches!(
            bare,
            Err(StoreError::Invalid {
                field: "comment",
                ..
            })
        ));
        let back = db
            .item_step(
                &o.reviewer,
                o.scope,
                item.id,
                &ItemStep::Reject {
                    comment: "第三条表述不准确".into(),
                },
                today(),
                NOW,
            )
            .await
            .unwrap();
        let p = back.progress();
        assert_eq!(p.stage, Stage::Draft);
        assert_eq!(p.returned.as_deref(), Some("第三条表述不准确"));
        // The author fixes it and submits again; the chain starts over.
        let fixed = db
            .edit_item(
                &o.editor,
                o.scope,
                item.id,
                NOW + 1,
                today(),
                &content("甲（改）"),
                &[],
                &[],
            )
            .await
            .unwrap();
        assert_eq!(fixed.progress().returned, None);
        let again = db
            .item_step(&o.editor, o.scope, item.id, &submit(), today(), NOW + 2)
            .await
            .unwrap();
        assert_eq!(again.progress().step, 0);
        assert_eq!(again.stage(), Stage::InReview);
    }
);

dbtest!(
    a_published_item_keeps_its_page_while_a_revision_is_reviewed,
    |db| {
        let o = office(&db).await;
        let id = published(&db, &o, "甲办法").await;
        let revising = db
            .edit_item(
                &o.editor,
                o.scope,
                id,
                NOW + 100,
                today(),
                &content("甲办法（2026年修订）"),
                &[],
                &[],
            )
            .await
            .unwrap();
        assert_eq!(revising.stage(), Stage::Revising);
        assert_eq!(revising.versions.len(), 2);
        // The public still sees the first version.
        let public = db.public_item(o.organ, id).await.unwrap().unwrap();
        assert_eq!(public.public().unwrap().content.title, "甲办法");
        for (actor, s) in [
            (&o.editor, submit()),
            (&o.reviewer, approve()),
            (&o.reviewer, approve()),
        ] {
            db.item_step(actor, o.scope, id, &s, today(), NOW + 200)
                .await
                .unwrap();
        }
        assert_eq!(
            db.item(o.scope, id).await.unwrap().stage(),
            Stage::RevisionInReview
        );
        let done = db
            .item_step(
                &o.head,
                o.scope,
                id,
                &approve(),
                d("2026-01-06"),
                NOW + 86_400,
            )
            .await
            .unwrap();
        let p = done.progress();
        assert_eq!(p.stage, Stage::Published);
        assert_eq!(p.first_published.map(|(_, d)| d), Some(today()));
        assert_eq!(p.updated.map(|(_, d)| d), Some(d("2026-01-06")));
        assert_eq!(done.public().unwrap().content.title, "甲办法（2026年修订）");
        // Both versions are kept.
        assert_eq!(done.versions.len(), 2);
        assert_eq!(done.versions[0].content.title, "甲办法");
    }
);

dbtest!(
    validity_changes_are_recorded_with_their_date_and_the_repealing_item,
    |db| {
        let o = office(&db).await;
        let old = published(&db, &o, "旧办法").await;
        let new = published(&db, &o, "新办法").await;
        let no_date = db
            .item_step(
                &o.editor,
                o.scope,
                old,
                &ItemStep::Validity {
                    validity: "repealed".into(),
                    since: None,
                    by: Some(new),
                    comment: String::new(),
                },
                today(),
                NOW,
            )
            .await;
        assert!(matches!(
            no_date,
            Err(StoreError::Invalid { field: "since", .. })
        ));
        let item = db
            .item_step(
                &o.editor,
                o.scope,
                old,
                &ItemStep::Validity {
                    validity: "repealed".into(),
                    since: Some(today()),
                    by: Some(new),
                    comment: "由新办法废止".into(),
                },
                today(),
                NOW,
            )
            .await
            .unwrap();
        let v = item.progress().validity;
        assert_eq!(
            (v.key.as_str(), v.since, v.by),
            ("repealed", Some(today()), Some(new))
        );
        // Still on the portal, marked 废止.
        assert!(db.public_item(o.organ, old).await.unwrap().is_some());
    }
);

dbtest!(
    every_write_has_its_audit_row_and_the_ledger_and_versions_are_append_only,
    |db| {
        let o = office(&db).await;
        let before = db.audit_count().await.unwrap();
        let id = published(&db, &o, "甲").await;
        // create + submit + three approvals.
        assert_eq!(db.audit_count().await.unwrap() - before, 5);
        let log = db.audit_log(o.scope, 10, 0).await.unwrap();
        assert_eq!(log[0].action, "item.step");
        assert_eq!(log[0].after.as_ref().unwrap()["item"]["stage"], "published");
        assert_eq!(log[4].action, "item.create");
        for sql in [
            "UPDATE item_events SET comment = 'x'",
            "DELETE FROM item_events",
            "UPDATE item_versions SET title = 'x'",
            "DELETE FROM item_versions",
            "DELETE FROM items",
        ] {
            assert!(db.execute_raw(sql).await.is_err(), "{sql}");
        }
        assert_eq!(db.item(o.scope, id).await.unwrap().events.len(), 6);
    }
);

dbtest!(
    files_are_kept_once_by_content_and_another_organs_items_are_not_found,
    |db| {
        let o = office(&db).await;
        let pdf = NewFile {
            file_name: "附件.pdf".into(),
            content_type: "application/pdf".into(),
            bytes: b"%PDF-1.7 same bytes".to_vec(),
        };
        let a = db
            .create_item(
                &o.editor,
                o.scope,
                NOW,
                today(),
                &content("甲"),
                std::slice::from_ref(&pdf),
            )
            .await
            .unwrap();
        let b = db
            .create_item(
                &o.editor,
                o.scope,
                NOW,
                today(),
                &content("乙"),
                std::slice::from_ref(&pdf),
            )
            .await
            .unwrap();
        assert_eq!(db.blob_count().await.unwrap(), 1);
        let file = &a.working().files[0];
        assert_eq!(file.sha256, b.working().files[0].sha256);
        assert_eq!(file.sha256.len(), 64);
        let (_, bytes) = db.item_file(o.scope, a.id, file.id).await.unwrap();
        assert_eq!(bytes, pdf.bytes);
        // A draft's file is not public.
        assert!(
            db.public_item_file(o.organ, a.id, file.id)
                .await
                .unwrap()
                .is_none()
        );
        // Kept files are carried into the next version, others dropped.
        let edited = db
            .edit_item(
                &o.editor,
                o.scope,
                a.id,
                NOW,
                today(),
                &content("甲"),
                &[file.id],
                &[],
            )
            .await
            .unwrap();
        assert_eq!(edited.working().files.len(), 1);
        let dropped = db
            .edit_item(
                &o.editor,
                o.scope,
                a.id,
                NOW,
                today(),
                &content("甲"),
                &[],
                &[],
            )
            .await
            .unwrap();
        assert!(dropped.working().files.is_empty());
        // Another organ sees nothing of this one.
        let other = organ(&db, "乙机关", "").await;
        let other_scope = OrganScope::system(other);
        assert!(matches!(
            db.item(other_scope, a.id).await,
            Err(StoreError::NotFound(_))
        ));
        assert!(db.items(other_scope).await.unwrap().is_empty());
        let stranger = staff(&db, other, "other_editor", &[Role::Editor]).await;
        let edit = db
            .edit_item(
                &stranger,
                other_scope,
                a.id,
                NOW,
                today(),
                &content("x"),
                &[],
                &[],
            )
            .await;
        assert!(matches!(edit, Err(StoreError::NotFound(_))));
    }
);

dbtest!(
    bad_content_is_refused_with_the_field_and_saves_nothing,
    |db| {
        let o = office(&db).await;
        let audit = db.audit_count().await.unwrap();
        let cases: [(&str, ItemContent); 6] = [
            (
                "title",
                ItemContent {
                    title: " ".into(),
                    ..content("x")
                },
            ),
            (
                "kind",
                ItemContent {
                    kind: "poem".into(),
                    ..content("x")
                },
            ),
            (
                "topic",
                ItemContent {
                    topic: "不存在的分类".into(),
                    ..content("x")
                },
            ),
            (
                "formed",
                ItemContent {
                    formed: Some(d("2026-02-01")),
                    ..content("x")
                },
            ),
            (
                "article20",
                ItemContent {
                    article20: Some(16),
                    ..content("x")
                },
            ),
            (
                "openness_reason",
                ItemContent {
                    openness: "withheld".into(),
                    ..content("x")
                },
            ),
        ];
        for (field, c) in cases {
            let refused = db
                .create_item(&o.editor, o.scope, NOW, today(), &c, &[])
                .await;
            match refused {
                Err(StoreError::Invalid { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{field}: {other:?}"),
            }
        }
        assert_eq!(db.audit_count().await.unwrap(), audit);
        assert!(db.items(o.scope).await.unwrap().is_empty());
        // A script in the body never reaches the database.
        let item = db
            .create_item(
                &o.editor,
                o.scope,
                NOW,
                today(),
                &ItemContent {
                    body: "<p>正文</p><script>alert('x')</script>".into(),
                    ..content("甲")
                },
                &[],
            )
            .await
            .unwrap();
        assert_eq!(item.working().content.body, "<p>正文</p>");
    }
);

// The stage × action × role matrix.

/// Who may take each action in each stage, written from the issue, not from
/// `review::RULES`: `E` an editor, `A` an administrator, `R` a 审核人, `H` the 负责人, `-`
/// nobody. Items in review wait at their first step, 科室审核, which is a 审核人's; the 负责人
/// signs only at the last. A version under review is not edited; a withdrawn item takes no step.
const EXPECTED: &str = "
action    Draft InReview Published Revising RevInReview Withdrawn
edit      EA    -        EA        EA       -           -
submit    EA    -        -         EA       -           -
approve   -     R        -         -        R           -
reject    -     R        -         -        R           -
withdraw  -     -        EA        EA       EA          -
validity  -     -        EA        EA       EA          -
";

fn expected(action: ItemAction, stage: Stage, role: Role) -> bool {
    let column = Stage::ALL.iter().position(|s| *s == stage).unwrap() + 1;
    let line = EXPECTED
        .lines()
        .find(|l| l.split_whitespace().next() == Some(action.key()))
        .unwrap_or_else(|| panic!("no expectation for {}", action.key()));
    let cell = line.split_whitespace().nth(column).unwrap();
    let letter = match role {
        Role::Editor => 'E',
        Role::Administrator => 'A',
        Role::Reviewer => 'R',
        Role::Head => 'H',
        Role::CaseHandler => 'C',
    };
    cell.contains(letter)
}

#[test]
fn the_expectations_cover_every_action_and_stage() {
    for action in ItemAction::ALL {
        for stage in Stage::ALL {
            expected(action, stage, Role::Head);
        }
    }
    assert_eq!(
        EXPECTED.lines().filter(|l| !l.trim().is_empty()).count(),
        ItemAction::ALL.len() + 1
    );
}

/// A fresh item, written by the system, brought to `stage`.
async fn in_stage(store: &Store, scope: OrganScope, stage: Stage) -> i64 {
    let sys = Actor::system("test");
    let item = store
        .create_item(&sys, scope, NOW, today(), &content("矩阵"), &[])
        .await
        .unwrap();
    let step = async |s: ItemStep| {
        store
            .item_step(&sys, scope, item.id, &s, today(), NOW)
            .await
            .unwrap();
    };
    let publish = async || {
        step(submit()).await;
        for _ in 0..3 {
            step(approve()).await;
        }
    };
    match stage {
        Stage::Draft => {}
        Stage::InReview => step(submit()).await,
        Stage::Published => publish().await,
        Stage::Revising | Stage::RevisionInReview => {
            publish().await;
            store
                .edit_item(
                    &sys,
                    scope,
                    item.id,
                    NOW,
                    today(),
                    &content("矩阵（修订）"),
                    &[],
                    &[],
                )
                .await
                .unwrap();
            if stage == Stage::RevisionInReview {
                step(submit()).await;
            }
        }
        Stage::Withdrawn => {
            publish().await;
            step(ItemStep::Withdraw {
                comment: "撤回".into(),
            })
            .await;
        }
    }
    let id = item.id;
    assert_eq!(store.item(scope, id).await.unwrap().stage(), stage);
    id
}

dbtest!(
    every_stage_action_and_role_is_decided_as_the_issue_says,
    |db| {
        let a = organ(&db, "甲局", "").await;
        let scope = OrganScope::system(a);
        let mut actors = Vec::new();
        for role in Role::ALL {
            actors.push((role, staff(&db, a, role.key(), &[role]).await));
        }
        let by = published(
            &db,
            &Office {
                organ: a,
                scope,
                editor: Actor::system("e"),
                reviewer: Actor::system("r"),
                head: Actor::system("h"),
            },
            "废止它的文件",
        )
        .await;
        let mut failures = Vec::new();
        for stage in Stage::ALL {
            for action in ItemAction::ALL {
                for (role, actor) in &actors {
                    let id = in_stage(&db, scope, stage).await;
                    let audit = db.audit_count().await.unwrap();
                    let result = match action {
                        ItemAction::Edit => db
                            .edit_item(actor, scope, id, NOW, today(), &content("改"), &[], &[])
                            .await
                            .map(|_| ()),
                        _ => {
                            let step = match action {
                                ItemAction::Submit => submit(),
                                ItemAction::Approve => approve(),
                                ItemAction::Reject => ItemStep::Reject {
                                    comment: "退回".into(),
                                },
                                ItemAction::Withdraw => ItemStep::Withdraw {
                                    comment: "撤回".into(),
                                },
                                _ => ItemStep::Validity {
                                    validity: "repealed".into(),
                                    since: Some(today()),
                                    by: Some(by),
                                    comment: String::new(),
                                },
                            };
                            db.item_step(actor, scope, id, &step, today(), NOW)
                                .await
                                .map(|_| ())
                        }
                    };
                    let allowed = expected(action, stage, *role);
                    let written = db.audit_count().await.unwrap() - audit;
                    let ok = match &result {
                        Ok(()) => allowed && written == 1,
                        Err(StoreError::Forbidden | StoreError::NotAllowed(_)) => {
                            !allowed && written == 0
                        }
                        Err(_) => false,
                    };
                    if !ok {
                        failures.push(format!(
                            "{} {} {}: {result:?} (expected {})",
                            stage.key(),
                            action.key(),
                            role.key(),
                            if allowed { "allowed" } else { "refused" }
                        ));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }
);

dbtest!(a_backup_with_items_restores_whole_on_sqlite, |db| {
    let o = office(&db).await;
    let pdf = NewFile {
        file_name: "附件.pdf".into(),
        content_type: "application/pdf".into(),
        bytes: b"%PDF-1.7 backup".to_vec(),
    };
    let item = db
        .create_item(&o.editor, o.scope, NOW, today(), &content("甲"), &[pdf])
        .await
        .unwrap();
    published(&db, &o, "乙").await;
    let dump = db.dump().await.unwrap();
    assert_eq!(dump["version"], gongkai_store::backup::VERSION);
    assert_eq!(dump["tables"]["blobs"].as_array().map(Vec::len), Some(1));
    let target = gongkai_store::testing::TestDb::sqlite().await;
    target.restore(&dump).await.unwrap();
    assert_eq!(target.dump().await.unwrap(), dump);
    let restored = target.item(o.scope, item.id).await.unwrap();
    assert_eq!(restored.working().files.len(), 1);
    let (_, bytes) = target
        .item_file(o.scope, item.id, restored.working().files[0].id)
        .await
        .unwrap();
    assert_eq!(bytes, b"%PDF-1.7 backup");
});

dbtest!(
    the_ledger_generation_moves_with_every_item_event_and_names_what_changed,
    |db| {
        let o = office(&db).await;
        assert_eq!(db.item_ledger_generation().await.unwrap(), (0, 0));
        let first = published(&db, &o, "第一件").await;
        let (count, latest) = db.item_ledger_generation().await.unwrap();
        // created, submitted, three approvals and the publication.
        assert_eq!(count, 6);
        assert!(latest > 0);
        assert!(db.items_changed_after(latest).await.unwrap().is_empty());
        let second = published(&db, &o, "第二件").await;
        let changed = db.items_changed_after(latest).await.unwrap();
        assert_eq!(changed.iter().map(|i| i.id).collect::<Vec<_>>(), [second]);
        // A withdrawal is an event too: the item is named, and no longer public.
        let (_, before) = db.item_ledger_generation().await.unwrap();
        db.item_step(
            &o.editor,
            o.scope,
            first,
            &ItemStep::Withdraw {
                comment: "已过时".into(),
            },
            today(),
            NOW,
        )
        .await
        .unwrap();
        let changed = db.items_changed_after(before).await.unwrap();
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].id, first);
        assert!(changed[0].public().is_none());
        let (count, after) = db.item_ledger_generation().await.unwrap();
        assert_eq!(count, 13);
        assert!(after > before);
    }
);
