//! 互动交流 in the store, on SQLite and (with `GONGKAI_TEST_DATABASE_URL`) PostgreSQL: 留言
//! numbering and the 查询码's hash, the reply due date in working days, the state × action
//! table through its one door, the writer's consent and the masking of personal data on
//! publication; 意见征集's period rule, comments outside the period, and the feedback's counts.

use gongkai_core::calendar::{Calendar, Fallback, parse_date};
use gongkai_store::application::query_hash;
use gongkai_store::consultation::{
    ConsultationInput, ConsultationState, FeedbackInput, NewComment, Tally,
};
use gongkai_store::message::{
    Message, MessageAction, MessageState, MessageStep, NewMessage, Writer,
};
use gongkai_store::organ::OrganSettings;
use gongkai_store::{Actor, OrganScope, Store, StoreError, dbtest};
use time::Date;

const NOW: i64 = 1_700_000_000;

fn d(text: &str) -> Date {
    parse_date(text).unwrap()
}

fn cal() -> Calendar {
    Calendar::builtin().with_fallback(Fallback::Statutory)
}

async fn organ(store: &Store, name: &str) -> i64 {
    let settings = OrganSettings {
        name: name.to_owned(),
        ..OrganSettings::default()
    };
    store
        .create_organ(&Actor::system("test"), NOW, None, &settings)
        .await
        .unwrap()
        .id
}

fn letter(received: &str, consent: bool, body: &str) -> NewMessage {
    NewMessage {
        kind: "consult".into(),
        title: "小区门前道路何时修复".into(),
        body: body.into(),
        writer: Writer {
            name: "张三丰".into(),
            phone: "13900139000".into(),
            email: "zhang@example.com".into(),
        },
        consent,
        received: d(received),
        query_code: "ABCDEFGHJKLM".into(),
    }
}

async fn message(store: &Store, organ_id: i64, received: &str, consent: bool) -> Message {
    store
        .create_message(
            &Actor::system("portal"),
            OrganScope::system(organ_id),
            NOW,
            &letter(received, consent, "道路破损已有三个月。"),
        )
        .await
        .unwrap()
}

async fn step(
    store: &Store,
    organ_id: i64,
    id: i64,
    step: MessageStep,
    today: &str,
) -> Result<Message, StoreError> {
    store
        .take_message_step(
            &Actor::system("test"),
            OrganScope::system(organ_id),
            id,
            &step,
            d(today),
            NOW,
        )
        .await
}

fn reply(on: &str) -> MessageStep {
    MessageStep::Reply {
        on: d(on),
        text: "已安排于下月修复。".into(),
    }
}

/// A 留言 received on 2024-09-27 brought to `state`.
async fn in_state(store: &Store, organ_id: i64, state: MessageState) -> Message {
    let m = message(store, organ_id, "2024-09-27", true).await;
    let today = "2024-10-08";
    let accept = MessageStep::Accept {
        on: d("2024-09-29"),
    };
    let id = m.id;
    let go = async |s: MessageStep| step(store, organ_id, id, s, today).await.unwrap();
    let m = match state {
        MessageState::Pending => m,
        MessageState::Accepted => go(accept).await,
        MessageState::Replied => {
            go(accept).await;
            go(reply("2024-10-08")).await
        }
        MessageState::Published => {
            go(accept).await;
            go(reply("2024-10-08")).await;
            go(MessageStep::Publish {
                title: None,
                body: None,
            })
            .await
        }
        MessageState::Rejected => {
            go(MessageStep::Reject {
                on: d("2024-09-29"),
                redirect: "application".into(),
                reason: "所提为获取政府信息的申请。".into(),
            })
            .await
        }
    };
    assert_eq!(m.state(), state);
    m
}

fn step_of(action: MessageAction) -> MessageStep {
    match action {
        MessageAction::Accept => MessageStep::Accept {
            on: d("2024-10-08"),
        },
        MessageAction::Reject => MessageStep::Reject {
            on: d("2024-10-08"),
            redirect: "petition".into(),
            reason: "属于信访事项。".into(),
        },
        MessageAction::Reply => reply("2024-10-08"),
        MessageAction::Publish => MessageStep::Publish {
            title: None,
            body: None,
        },
        MessageAction::Unpublish => MessageStep::Unpublish,
    }
}

dbtest!(
    message_numbers_run_per_organ_and_year_and_only_the_code_hash_is_kept,
    |db| {
        let a = organ(&db, "甲局").await;
        let b = organ(&db, "乙局").await;
        let first = message(&db, a, "2024-09-27", false).await;
        let second = message(&db, a, "2024-12-31", false).await;
        let next_year = message(&db, a, "2025-01-02", false).await;
        let other = message(&db, b, "2024-09-27", false).await;
        assert_eq!(first.number, "LY-2024-0001");
        assert_eq!(second.number, "LY-2024-0002");
        assert_eq!(next_year.number, "LY-2025-0001");
        assert_eq!(other.number, "LY-2024-0001");
        // The code finds the 留言 with its number only; the table holds its hash, not it.
        let found = db
            .tracked_message("LY-2024-0001", "ABCDEFGHJKLM")
            .await
            .unwrap();
        assert_eq!(found.map(|m| (m.organ_id, m.id)), Some((a, first.id)));
        assert!(
            db.tracked_message("LY-2024-0001", "ABCDEFGHJKLN")
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            db.tracked_message("LY-2024-0009", "ABCDEFGHJKLM")
                .await
                .unwrap()
                .is_none()
        );
        let dump = db.dump().await.unwrap();
        let rows = dump["tables"]["messages"].as_array().unwrap();
        assert_eq!(rows.len(), 4);
        assert_eq!(
            rows[0]["query_hash"],
            query_hash("LY-2024-0001", "ABCDEFGHJKLM")
        );
        assert!(!dump.to_string().contains("ABCDEFGHJKLM"));
        // The audit log names neither the writer nor a contact detail.
        let audit = db.audit_log(OrganScope::system(a), 50, 0).await.unwrap();
        let text =
            serde_json::to_string(&audit.iter().map(|e| e.after.clone()).collect::<Vec<_>>())
                .unwrap();
        assert!(text.contains("LY-2024-0001"));
        assert!(
            !text.contains("张三丰") && !text.contains("13900139000") && !text.contains("zhang@")
        );
    }
);

dbtest!(
    a_message_received_before_national_day_is_due_on_the_tenth_working_day_after,
    |db| {
        let a = organ(&db, "甲局").await;
        let m = message(&db, a, "2024-09-27", false).await;
        let days = db.message_reply_days(a).await.unwrap();
        assert_eq!(days, 10, "the default");
        // 10 working days after Friday 2024-09-27, skipping 国庆节 (10-01 to 10-07) and counting
        // the 调休 working days 09-29 (Sunday) and 10-12 (Saturday).
        let cal = cal();
        let due = m.due(&cal, days).unwrap().value;
        assert_eq!(due, cal.add(d("2024-09-27"), 10).unwrap().value);
        assert_eq!(due, d("2024-10-16"));
        assert!(!m.overdue(&cal, days, d("2024-10-16")).unwrap());
        assert!(m.overdue(&cal, days, d("2024-10-17")).unwrap());
        // A reply ends the clock; one after the due date is marked late.
        step(
            &db,
            a,
            m.id,
            MessageStep::Accept {
                on: d("2024-09-29"),
            },
            "2024-10-17",
        )
        .await
        .unwrap();
        let replied = step(&db, a, m.id, reply("2024-10-17"), "2024-10-17")
            .await
            .unwrap();
        assert!(!replied.overdue(&cal, days, d("2024-10-18")).unwrap());
        assert!(replied.replied_late(&cal, days).unwrap());
        // The organ's own limit applies to every 留言, and is audited.
        let audit = db.audit_count().await.unwrap();
        db.set_message_reply_days(&Actor::system("test"), OrganScope::system(a), NOW, 5)
            .await
            .unwrap();
        assert_eq!(db.audit_count().await.unwrap(), audit + 1);
        assert_eq!(db.message_reply_days(a).await.unwrap(), 5);
        assert_eq!(m.due(&cal, 5).unwrap().value, d("2024-10-10"));
        let refused = db
            .set_message_reply_days(&Actor::system("test"), OrganScope::system(a), NOW, 0)
            .await;
        assert!(matches!(
            refused,
            Err(StoreError::Invalid {
                field: "reply_days",
                ..
            })
        ));
        assert_eq!(db.audit_count().await.unwrap(), audit + 1);
    }
);

/// The table written out independently of `message::RULES`.
fn expected(action: MessageAction, state: MessageState) -> bool {
    use MessageAction as A;
    use MessageState as S;
    matches!(
        (action, state),
        (A::Accept, S::Pending)
            | (A::Reject, S::Pending | S::Accepted)
            | (A::Reply, S::Accepted | S::Replied)
            | (A::Publish, S::Replied)
            | (A::Unpublish, S::Published)
    )
}

dbtest!(
    every_message_action_in_every_state_follows_the_rules_and_a_refusal_writes_nothing,
    |db| {
        let a = organ(&db, "甲局").await;
        for state in MessageState::ALL {
            for action in MessageAction::ALL {
                assert_eq!(
                    gongkai_store::message::allowed(action, state),
                    expected(action, state),
                    "{action:?} in {state:?}"
                );
                let m = in_state(&db, a, state).await;
                let audit = db.audit_count().await.unwrap();
                let result = step(&db, a, m.id, step_of(action), "2024-10-08").await;
                let after = db.message(OrganScope::system(a), m.id).await.unwrap();
                if expected(action, state) {
                    assert!(result.is_ok(), "{action:?} in {state:?}: {result:?}");
                    assert_eq!(db.audit_count().await.unwrap(), audit + 1);
                } else {
                    assert!(
                        matches!(&result, Err(StoreError::NotAllowed(msg)) if msg.contains(state.label())),
                        "{action:?} in {state:?}: {result:?}"
                    );
                    assert_eq!(after, m, "{action:?} in {state:?} changed the 留言");
                    assert_eq!(db.audit_count().await.unwrap(), audit);
                }
            }
        }
    }
);

dbtest!(
    step_dates_are_checked_and_another_organs_message_is_not_found,
    |db| {
        let a = organ(&db, "甲局").await;
        let b = organ(&db, "乙局").await;
        let m = message(&db, a, "2024-09-27", true).await;
        let early = step(
            &db,
            a,
            m.id,
            MessageStep::Accept {
                on: d("2024-09-26"),
            },
            "2024-10-08",
        )
        .await;
        assert!(
            matches!(early, Err(StoreError::Invalid { field: "date", .. })),
            "{early:?}"
        );
        let future = step(
            &db,
            a,
            m.id,
            MessageStep::Accept {
                on: d("2024-10-09"),
            },
            "2024-10-08",
        )
        .await;
        assert!(
            matches!(future, Err(StoreError::Invalid { field: "date", .. })),
            "{future:?}"
        );
        let no_reason = step(
            &db,
            a,
            m.id,
            MessageStep::Reject {
                on: d("2024-10-08"),
                redirect: "petition".into(),
                reason: " ".into(),
            },
            "2024-10-08",
        )
        .await;
        assert!(matches!(
            no_reason,
            Err(StoreError::Invalid {
                field: "reason",
                ..
            })
        ));
        // Another organ's scope finds nothing, and changes nothing.
        let foreign = step(
            &db,
            b,
            m.id,
            MessageStep::Accept {
                on: d("2024-10-08"),
            },
            "2024-10-08",
        )
        .await;
        assert!(
            matches!(foreign, Err(StoreError::NotFound(_))),
            "{foreign:?}"
        );
        assert!(matches!(
            db.message(OrganScope::system(b), m.id).await,
            Err(StoreError::NotFound(_))
        ));
        assert_eq!(
            db.message(OrganScope::system(a), m.id)
                .await
                .unwrap()
                .state(),
            MessageState::Pending
        );
    }
);

dbtest!(a_message_is_published_only_with_the_writers_consent, |db| {
    let a = organ(&db, "甲局").await;
    let m = message(&db, a, "2024-09-27", false).await;
    step(
        &db,
        a,
        m.id,
        MessageStep::Accept {
            on: d("2024-09-29"),
        },
        "2024-10-08",
    )
    .await
    .unwrap();
    step(&db, a, m.id, reply("2024-10-08"), "2024-10-08")
        .await
        .unwrap();
    let audit = db.audit_count().await.unwrap();
    let refused = step(
        &db,
        a,
        m.id,
        MessageStep::Publish {
            title: None,
            body: None,
        },
        "2024-10-08",
    )
    .await;
    assert!(
        matches!(&refused, Err(StoreError::NotAllowed(msg)) if msg.contains("未同意公开")),
        "{refused:?}"
    );
    assert_eq!(db.audit_count().await.unwrap(), audit);
    let (list, total) = db.published_messages(a, 10, 0).await.unwrap();
    assert!(list.is_empty());
    assert_eq!(total, 0);
    assert!(db.published_message(a, &m.number).await.unwrap().is_none());
    let stored = db.message(OrganScope::system(a), m.id).await.unwrap();
    assert_eq!(stored.state(), MessageState::Replied);
    assert!(stored.published().is_none());
});

dbtest!(
    personal_data_in_a_published_message_is_masked_and_the_original_kept,
    |db| {
        let a = organ(&db, "甲局").await;
        let body = "我是张三丰，身份证11010519491231002X，电话13800138000，请联系我。";
        let m = db
            .create_message(
                &Actor::system("portal"),
                OrganScope::system(a),
                NOW,
                &letter("2024-09-27", true, body),
            )
            .await
            .unwrap();
        let found = m.personal_data();
        assert_eq!((found.resident_ids, found.mobiles), (1, 1));
        assert_eq!(found.describe(), "身份证号码、手机号码");
        step(
            &db,
            a,
            m.id,
            MessageStep::Accept {
                on: d("2024-09-29"),
            },
            "2024-10-08",
        )
        .await
        .unwrap();
        step(
            &db,
            a,
            m.id,
            MessageStep::Reply {
                on: d("2024-10-08"),
                text: "张三丰您好：已转交街道办，联系电话13800138000。".into(),
            },
            "2024-10-08",
        )
        .await
        .unwrap();
        step(
            &db,
            a,
            m.id,
            MessageStep::Publish {
                title: None,
                body: None,
            },
            "2024-10-08",
        )
        .await
        .unwrap();
        let public = db.published_message(a, &m.number).await.unwrap().unwrap();
        assert_eq!(
            public.body,
            "我是张**，身份证1101**********002X，电话138****8000，请联系我。"
        );
        assert_eq!(
            public.reply,
            "张**您好：已转交街道办，联系电话138****8000。"
        );
        assert_eq!(public.kind, "咨询");
        assert_eq!(public.published_on, Some(d("2024-10-08")));
        let (list, total) = db.published_messages(a, 10, 0).await.unwrap();
        assert_eq!((list.len(), total), (1, 1));
        // The console keeps what was written.
        let stored = db.message(OrganScope::system(a), m.id).await.unwrap();
        assert_eq!(stored.body, body);
        // Text staff edit for publication is masked all the same.
        step(&db, a, m.id, MessageStep::Unpublish, "2024-10-08")
            .await
            .unwrap();
        assert!(db.published_message(a, &m.number).await.unwrap().is_none());
        step(
            &db,
            a,
            m.id,
            MessageStep::Publish {
                title: Some("道路修复咨询".into()),
                body: Some("道路破损，请修复。联系13800138000".into()),
            },
            "2024-10-09",
        )
        .await
        .unwrap();
        let public = db.published_message(a, &m.number).await.unwrap().unwrap();
        assert_eq!(public.title, "道路修复咨询");
        assert_eq!(public.body, "道路破损，请修复。联系138****8000");
        // Another organ's portal does not show it.
        let b = organ(&db, "乙局").await;
        assert!(db.published_message(b, &m.number).await.unwrap().is_none());
    }
);

fn consultation(start: &str, end: &str, reason: &str) -> ConsultationInput {
    ConsultationInput {
        title: "某某区养犬管理办法（征求意见稿）".into(),
        draft: "第一条 为了规范养犬行为……\n第二条 本办法适用于本区。".into(),
        explanation: "根据上位法修订情况起草。".into(),
        start: d(start),
        end: d(end),
        short_reason: reason.into(),
        contact: "区司法局，电话 0470-1234567".into(),
    }
}

dbtest!(
    a_consultation_shorter_than_thirty_days_needs_a_reason_art14,
    |db| {
        // 《重大行政决策程序暂行条例》第十四条: 征求意见期限一般不少于30日.
        let a = organ(&db, "甲局").await;
        let scope = OrganScope::system(a);
        let sys = Actor::system("test");
        let today = d("2024-09-02");
        let audit = db.audit_count().await.unwrap();
        let short = db
            .create_consultation(
                &sys,
                scope,
                today,
                NOW,
                &consultation("2024-09-02", "2024-09-30", ""),
            )
            .await;
        assert!(
            matches!(&short, Err(StoreError::Invalid { field: "short_reason", message })
                if message.contains("不少于30日") && message.contains("第十四条")),
            "{short:?}"
        );
        assert_eq!(db.audit_count().await.unwrap(), audit);
        assert!(
            db.consultations(OrganScope::system(a))
                .await
                .unwrap()
                .is_empty()
        );
        // Thirty days, both ends counted, need no reason; a shorter period with one is opened.
        let thirty = db
            .create_consultation(
                &sys,
                scope,
                today,
                NOW,
                &consultation("2024-09-02", "2024-10-01", ""),
            )
            .await
            .unwrap();
        assert_eq!(thirty.input.days(), 30);
        let urgent = db
            .create_consultation(
                &sys,
                scope,
                today,
                NOW,
                &consultation(
                    "2024-09-02",
                    "2024-09-11",
                    "上位法9月底施行，须在此前出台。",
                ),
            )
            .await
            .unwrap();
        assert_eq!(urgent.input.days(), 10);
        assert_eq!(db.audit_count().await.unwrap(), audit + 2);
        // Dates that cannot be.
        let backwards = db
            .create_consultation(
                &sys,
                scope,
                today,
                NOW,
                &consultation("2024-10-10", "2024-10-01", ""),
            )
            .await;
        assert!(matches!(
            backwards,
            Err(StoreError::Invalid { field: "end", .. })
        ));
        let past = db
            .create_consultation(
                &sys,
                scope,
                today,
                NOW,
                &consultation("2024-09-01", "2024-10-30", ""),
            )
            .await;
        assert!(matches!(
            past,
            Err(StoreError::Invalid { field: "start", .. })
        ));
    }
);

dbtest!(comments_are_taken_only_within_the_period, |db| {
    let a = organ(&db, "甲局").await;
    let c = db
        .create_consultation(
            &Actor::system("test"),
            OrganScope::system(a),
            d("2024-09-01"),
            NOW,
            &consultation("2024-09-02", "2024-10-01", ""),
        )
        .await
        .unwrap();
    let comment = NewComment {
        name: String::new(),
        contact: "13800138000".into(),
        body: "建议明确遛犬时间。".into(),
    };
    let portal = Actor::system("portal");
    assert_eq!(c.state(d("2024-09-01")), ConsultationState::Upcoming);
    // Not on the portal before it starts; its staff see it.
    assert!(
        db.public_consultations(a, d("2024-09-01"))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        db.public_consultation(a, c.id, d("2024-09-01"))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        db.consultations(OrganScope::system(a)).await.unwrap().len(),
        1
    );
    assert_eq!(
        db.public_consultations(a, d("2024-09-02"))
            .await
            .unwrap()
            .len(),
        1
    );
    let early = db
        .add_comment(&portal, a, c.id, d("2024-09-01"), NOW, &comment)
        .await;
    assert!(matches!(&early, Err(StoreError::NotAllowed(m)) if m.contains("尚未开始")));
    // The last day still counts.
    assert_eq!(c.state(d("2024-10-01")), ConsultationState::Open);
    db.add_comment(&portal, a, c.id, d("2024-10-01"), NOW, &comment)
        .await
        .unwrap();
    let audit = db.audit_count().await.unwrap();
    assert_eq!(c.state(d("2024-10-02")), ConsultationState::Closed);
    let late = db
        .add_comment(&portal, a, c.id, d("2024-10-02"), NOW, &comment)
        .await;
    assert!(
        matches!(&late, Err(StoreError::NotAllowed(m)) if m.contains("已于 2024-10-01 截止")),
        "{late:?}"
    );
    assert_eq!(db.audit_count().await.unwrap(), audit);
    let comments = db.comments(OrganScope::system(a), c.id).await.unwrap();
    assert_eq!(comments.len(), 1);
    // Another organ cannot comment on it, nor read its comments.
    let b = organ(&db, "乙局").await;
    assert!(matches!(
        db.add_comment(&portal, b, c.id, d("2024-09-10"), NOW, &comment)
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        db.comments(OrganScope::system(b), c.id).await,
        Err(StoreError::NotFound(_))
    ));
    // The comment's audit row keeps no contact.
    let log = db.audit_log(OrganScope::system(a), 10, 0).await.unwrap();
    assert!(
        !serde_json::to_string(&log.iter().map(|e| e.after.clone()).collect::<Vec<_>>())
            .unwrap()
            .contains("13800138000")
    );
});

dbtest!(
    the_feedback_counts_the_comments_decisions_and_is_published_once_after_the_end,
    |db| {
        let a = organ(&db, "甲局").await;
        let scope = OrganScope::system(a);
        let staff = Actor::system("test");
        let portal = Actor::system("portal");
        let c = db
            .create_consultation(
                &staff,
                scope,
                d("2024-09-02"),
                NOW,
                &consultation("2024-09-02", "2024-10-01", ""),
            )
            .await
            .unwrap();
        let mut ids = Vec::new();
        for body in ["意见一", "意见二", "意见三", "意见四", "广告"] {
            let comment = NewComment {
                name: "李四".into(),
                contact: String::new(),
                body: body.into(),
            };
            ids.push(
                db.add_comment(&portal, a, c.id, d("2024-09-10"), NOW, &comment)
                    .await
                    .unwrap()
                    .id,
            );
        }
        let feedback = FeedbackInput {
            summary: "共收到意见5条。".into(),
            adopted_reasons: "已据此修改第三条。".into(),
            partly_reasons: String::new(),
            not_adopted_reasons: String::new(),
        };
        // Not before the end.
        let open = db
            .publish_feedback(&staff, scope, c.id, d("2024-10-01"), NOW, &feedback)
            .await;
        assert!(
            matches!(&open, Err(StoreError::NotAllowed(m)) if m.contains("截止后")),
            "{open:?}"
        );
        // Not while comments wait.
        let waiting = db
            .publish_feedback(&staff, scope, c.id, d("2024-10-02"), NOW, &feedback)
            .await;
        assert!(matches!(&waiting, Err(StoreError::NotAllowed(m)) if m.contains("5 条意见未处理")));
        for (id, decision) in
            ids.iter()
                .zip(["adopted", "adopted", "partly", "not_adopted", "invalid"])
        {
            db.decide_comment(&staff, scope, c.id, *id, decision, "", NOW)
                .await
                .unwrap();
        }
        let bad = db
            .decide_comment(&staff, scope, c.id, ids[0], "maybe", "", NOW)
            .await;
        assert!(matches!(
            bad,
            Err(StoreError::Invalid {
                field: "decision",
                ..
            })
        ));
        assert_eq!(
            db.tally(scope, c.id).await.unwrap(),
            Tally {
                received: 5,
                adopted: 2,
                partly: 1,
                not_adopted: 1,
                invalid: 1,
                pending: 0,
            }
        );
        // The portal learns the counts only with the feedback.
        assert_eq!(db.published_tally(a, c.id).await.unwrap(), None);
        // Groups not adopted in full need their reasons.
        let no_reason = db
            .publish_feedback(&staff, scope, c.id, d("2024-10-02"), NOW, &feedback)
            .await;
        assert!(matches!(
            no_reason,
            Err(StoreError::Invalid {
                field: "partly_reasons",
                ..
            })
        ));
        let feedback = FeedbackInput {
            partly_reasons: "部分内容已有规定。".into(),
            not_adopted_reasons: "超出本办法调整范围。".into(),
            ..feedback
        };
        let audit = db.audit_count().await.unwrap();
        let published = db
            .publish_feedback(&staff, scope, c.id, d("2024-10-08"), NOW, &feedback)
            .await
            .unwrap();
        assert_eq!(db.audit_count().await.unwrap(), audit + 1);
        assert_eq!(
            published.state(d("2024-10-08")),
            ConsultationState::FeedbackPublished
        );
        let kept = published.feedback.unwrap();
        assert_eq!(kept.on, d("2024-10-08"));
        assert_eq!(kept.text, feedback);
        // Once only, and the decisions are frozen with it.
        let again = db
            .publish_feedback(&staff, scope, c.id, d("2024-10-09"), NOW, &feedback)
            .await;
        assert!(matches!(again, Err(StoreError::NotAllowed(_))));
        let frozen = db
            .decide_comment(&staff, scope, c.id, ids[3], "adopted", "", NOW)
            .await;
        assert!(matches!(frozen, Err(StoreError::NotAllowed(_))));
        assert_eq!(db.tally(scope, c.id).await.unwrap().adopted, 2);
        assert_eq!(
            db.published_tally(a, c.id)
                .await
                .unwrap()
                .map(|t| t.received),
            Some(5)
        );
        // Another organ's staff reach neither.
        let b = organ(&db, "乙局").await;
        let foreign = db
            .publish_feedback(
                &staff,
                OrganScope::system(b),
                c.id,
                d("2024-10-09"),
                NOW,
                &feedback,
            )
            .await;
        assert!(matches!(foreign, Err(StoreError::NotFound(_))));
    }
);

dbtest!(
    messages_and_consultations_survive_a_backup_and_restore,
    |db| {
        let a = organ(&db, "甲局").await;
        let m = in_state(&db, a, MessageState::Published).await;
        let c = db
            .create_consultation(
                &Actor::system("test"),
                OrganScope::system(a),
                d("2024-09-02"),
                NOW,
                &consultation("2024-09-02", "2024-10-01", ""),
            )
            .await
            .unwrap();
        db.add_comment(
            &Actor::system("portal"),
            a,
            c.id,
            d("2024-09-03"),
            NOW,
            &NewComment {
                name: String::new(),
                contact: String::new(),
                body: "同意。".into(),
            },
        )
        .await
        .unwrap();
        db.set_message_reply_days(&Actor::system("test"), OrganScope::system(a), NOW, 7)
            .await
            .unwrap();
        let dump = db.dump().await.unwrap();
        let target = gongkai_store::testing::TestDb::sqlite().await;
        target.restore(&dump).await.unwrap();
        assert_eq!(target.dump().await.unwrap(), dump);
        assert_eq!(
            target.message(OrganScope::system(a), m.id).await.unwrap(),
            m
        );
        assert_eq!(target.message_reply_days(a).await.unwrap(), 7);
        assert_eq!(
            target
                .comments(OrganScope::system(a), c.id)
                .await
                .unwrap()
                .len(),
            1
        );
        // New ids continue after the restored ones.
        let next = message(&target, a, "2024-10-09", false).await;
        assert!(next.id > m.id);
    }
);
