//! Rendering every kind with the defaults, the remedy rules in the text, and organ overrides.

use gongkai_core::fee::{Fee, FeeBasis};
use gongkai_core::outcome::{OUTCOMES, Outcome};
use time::Date;
use time::macros::date;

use crate::*;

const ORGAN: &str = "某某区住房和城乡建设局";
const NUMBER: &str = "某住建依申告〔2024〕007号";

/// A case with the details `kind` needs, dated `date`.
fn ctx(kind: NoticeKind, date: Date) -> NoticeContext {
    let details = match kind {
        NoticeKind::Receipt => Details::Receipt,
        NoticeKind::Correction => Details::Correction {
            items: vec!["所需政府信息的名称、文号或者便于查询的其他特征性描述".into()],
            deadline: date!(2024 - 03 - 15),
        },
        NoticeKind::Extension => Details::Extension {
            new_due: date!(2024 - 04 - 26),
            reason: "所申请信息涉及多个业务科室，需要检索核实。".into(),
        },
        NoticeKind::Consultation => Details::Consultation {
            third_party: "某某置业有限公司".into(),
            question: "申请公开的信息可能涉及贵单位的商业秘密".into(),
            deadline: Some(date!(2024 - 03 - 29)),
        },
        NoticeKind::Fee => Details::Fee {
            fee: Fee::compute(FeeBasis::PerPage { pages: 120 }),
            payment: "通过某某区非税收入缴款平台缴纳".into(),
        },
        NoticeKind::Reply(o) => Details::Reply(reply_for(o)),
    };
    NoticeContext {
        organ: ORGAN.into(),
        number: NUMBER.into(),
        applicant: "张三".into(),
        application_number: "YSQ-2024-0007".into(),
        received: date!(2024 - 03 - 01),
        request: "某某小区旧城改造项目的规划许可文件。".into(),
        date,
        reconsideration_body: "某某区人民政府".into(),
        court: Some("某某区人民法院".into()),
        details,
    }
}

fn reply_for(o: Outcome) -> Reply {
    let mut r = Reply {
        details: "详见附件。".into(),
        ..Reply::default()
    };
    match o {
        Outcome::AlreadyPublic | Outcome::Disclosed => {
            r.disclosed = vec!["建设工程规划许可证（建字第2023-001号）".into()];
        }
        Outcome::PartlyDisclosed => {
            r.disclosed = vec!["建设工程规划许可证".into()];
            r.withheld = vec![WithheldPart {
                item: "附图中的个人住址".into(),
                ground: Outcome::WithheldThirdParty,
                reason: "涉及个人隐私，权利人不同意公开".into(),
            }];
        }
        _ => {}
    }
    r
}

fn render_default(kind: NoticeKind, date: Date) -> Notice {
    match render(kind, &ctx(kind, date), None) {
        Ok(n) => n,
        Err(e) => panic!("{kind}: {e}"),
    }
}

#[test]
fn every_kind_renders_with_the_defaults_in_every_output() {
    for kind in NoticeKind::all() {
        let n = render_default(kind, date!(2024 - 03 - 20));
        assert_eq!(n.title, kind.title());
        assert_eq!(n.number, NUMBER);
        assert_eq!(n.organ, ORGAN);
        let text = n.to_text();
        assert!(text.contains("2024年3月1日"), "{kind}: {text}");
        assert!(text.ends_with("2024年3月20日\n"), "{kind}");
        if let Some(article) = kind.article() {
            assert!(text.contains(article), "{kind} lacks {article}: {text}");
        }
        assert!(n.to_html().contains(NUMBER), "{kind}");
        match n.to_docx() {
            Ok(bytes) => assert!(bytes.starts_with(b"PK"), "{kind}"),
            Err(e) => panic!("{kind}: {e}"),
        }
    }
}

#[test]
fn adverse_replies_carry_the_remedy_clause_domain_9_2() {
    // spec/domain.md §9.2 item 6: 复议机关, 60 日; court, 6 个月 — on adverse decisions.
    for s in OUTCOMES {
        let kind = NoticeKind::Reply(s.outcome);
        let text = render_default(kind, date!(2024 - 03 - 20)).to_text();
        if is_adverse(s.outcome) {
            assert!(
                text.contains("六十日内向某某区人民政府"),
                "{}: {text}",
                s.key
            );
        } else {
            assert!(!text.contains("行政复议"), "{}: {text}", s.key);
        }
    }
    // 予以公开 is not adverse; 部分公开 is.
    assert!(!is_adverse(Outcome::Disclosed));
    assert!(is_adverse(Outcome::PartlyDisclosed));
}

#[test]
fn state_secret_refusal_of_2024_01_01_requires_reconsideration_first_xzfyf_2023_art23() {
    // 行政复议法（2023）第二十三条, in force 2024-01-01; the notice's date decides.
    let kind = NoticeKind::Reply(Outcome::WithheldStateSecret);
    let on = render_default(kind, date!(2024 - 01 - 01)).to_text();
    assert!(on.contains("第二十三条"), "{on}");
    assert!(on.contains("应当先申请行政复议"), "{on}");
    assert!(on.contains("第十四条、第三十六条第（三）项"), "{on}");

    let before = render_default(kind, date!(2023 - 12 - 31)).to_text();
    assert!(!before.contains("应当先申请行政复议"), "{before}");
    assert!(!before.contains("第二十三条"), "{before}");
    assert!(
        before.contains("六个月内依法向某某区人民法院提起行政诉讼"),
        "{before}"
    );
}

#[test]
fn partial_disclosure_lists_each_withheld_part_with_its_ground_art37() {
    let n = render_default(
        NoticeKind::Reply(Outcome::PartlyDisclosed),
        date!(2024 - 03 - 20),
    );
    let text = n.to_text();
    assert!(text.contains("第三十七条"));
    assert!(text.contains(
        "附图中的个人住址：涉及个人隐私，权利人不同意公开（依据《中华人民共和国政府信息公开条例》第十五条、第三十二条、第三十六条第（三）项）。"
    ));
    assert!(text.contains("应当先申请行政复议"));
}

#[test]
fn default_reply_reads_as_a_letter() {
    let n = render_default(
        NoticeKind::Reply(Outcome::DoesNotExist),
        date!(2024 - 03 - 20),
    );
    expect_text(
        &n.to_text(),
        "政府信息公开申请答复告知书
某住建依申告〔2024〕007号

张三：
本机关于2024年3月1日收到您提出的政府信息公开申请（申请编号：YSQ-2024-0007），申请获取的政府信息为：某某小区旧城改造项目的规划许可文件。
经检索，本机关没有制作或者获取您申请的政府信息。根据《中华人民共和国政府信息公开条例》第三十六条第（四）项的规定，现告知您该政府信息不存在。
详见附件。
如对本告知书不服，可以自收到本告知书之日起六十日内向某某区人民政府申请行政复议，也可以自收到本告知书之日起六个月内依法向某某区人民法院提起行政诉讼。
特此告知。

某某区住房和城乡建设局
2024年3月20日
",
    );
}

#[track_caller]
fn expect_text(actual: &str, expected: &str) {
    assert!(
        actual == expected,
        "\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

// ---- overrides ----

const GOOD_OVERRIDE: &str = "{{ number }}
{{ applicant }}：
我局于{{ received }}收到您的申请。依据{{ legal_basis }}，该信息不存在。
{{ remedy }}
{{ organ }}（印章）
{{ date }}
";

fn override_err(kind: NoticeKind, template: &str) -> Option<NoticeError> {
    render(kind, &ctx(kind, date!(2024 - 03 - 20)), Some(template)).err()
}

fn missing(kind: NoticeKind, template: &str) -> Option<Element> {
    match override_err(kind, template) {
        Some(NoticeError::MissingElement { element, .. }) => Some(element),
        other => panic!("expected a missing element, got {other:?}"),
    }
}

#[test]
fn an_organ_override_replaces_the_default() {
    let kind = NoticeKind::Reply(Outcome::DoesNotExist);
    let n = render(kind, &ctx(kind, date!(2024 - 03 - 20)), Some(GOOD_OVERRIDE));
    let n = match n {
        Ok(n) => n,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(n.organ, "某某区住房和城乡建设局（印章）");
    assert_eq!(n.paragraphs.len(), 3);
    assert!(n.paragraphs[1].starts_with("我局于2024年3月1日"));
}

#[test]
fn an_override_missing_an_element_names_it() {
    let kind = NoticeKind::Reply(Outcome::DoesNotExist);
    let without = |line: &str| GOOD_OVERRIDE.replace(line, "");
    assert_eq!(
        missing(kind, &without("{{ number }}")),
        Some(Element::Number)
    );
    assert_eq!(
        missing(kind, &without("{{ applicant }}：")),
        Some(Element::Applicant)
    );
    assert_eq!(
        missing(kind, &GOOD_OVERRIDE.replace("于{{ received }}", "")),
        Some(Element::ReceivedDate)
    );
    assert_eq!(
        missing(kind, &GOOD_OVERRIDE.replace("依据{{ legal_basis }}，", "")),
        Some(Element::Article)
    );
    assert_eq!(
        missing(kind, &without("{{ remedy }}")),
        Some(Element::Remedy)
    );
    assert_eq!(
        missing(
            kind,
            &GOOD_OVERRIDE.replace("{{ organ }}（印章）", "（印章）")
        ),
        Some(Element::Organ)
    );
    assert_eq!(missing(kind, &without("{{ date }}")), Some(Element::Date));
    assert_eq!(missing(kind, "{{ number }}\n"), Some(Element::Organ));
}

#[test]
fn a_non_adverse_override_needs_no_remedy() {
    let kind = NoticeKind::Reply(Outcome::Disclosed);
    let template = GOOD_OVERRIDE.replace("{{ remedy }}\n", "");
    assert!(render(kind, &ctx(kind, date!(2024 - 03 - 20)), Some(&template)).is_ok());
}

#[test]
fn kind_specific_elements_are_required() {
    let base =
        "{{ number }}\n{{ applicant }}{{ received }}{{ legal_basis }}\n{{ organ }}\n{{ date }}";
    assert_eq!(
        missing(NoticeKind::Correction, base),
        Some(Element::Deadline)
    );
    assert_eq!(
        missing(NoticeKind::Extension, base),
        Some(Element::Deadline)
    );
    assert_eq!(missing(NoticeKind::Fee, base), Some(Element::Amount));
    let fee = base.replace("{{ legal_basis }}", "{{ legal_basis }}{{ fee_yuan }}元");
    assert!(
        render(
            NoticeKind::Fee,
            &ctx(NoticeKind::Fee, date!(2024 - 03 - 20)),
            Some(&fee)
        )
        .is_ok()
    );
}

#[test]
fn a_broken_override_is_a_syntax_or_render_error_with_its_line() {
    let kind = NoticeKind::Receipt;
    match override_err(kind, "{{ number }}\n{% if applicant %}\n") {
        Some(NoticeError::Syntax { template, .. }) => assert_eq!(template, "override:receipt"),
        other => panic!("{other:?}"),
    }
    match override_err(kind, "{{ number }}\n{{ applicnat }}\n") {
        Some(NoticeError::Render { line, .. }) => assert_eq!(line, 2),
        other => panic!("{other:?}"),
    }
}

#[test]
fn html_escapes_everything() {
    let kind = NoticeKind::Receipt;
    let mut c = ctx(kind, date!(2024 - 03 - 20));
    c.applicant = "<script>alert(1)</script>".into();
    c.request = "A & B \"C\"".into();
    let html = match render(kind, &c, None) {
        Ok(n) => n.to_html(),
        Err(e) => panic!("{e}"),
    };
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("A &amp; B &quot;C&quot;"));
}

#[test]
fn a_line_break_in_a_field_does_not_split_the_letter() {
    let kind = NoticeKind::Receipt;
    let mut c = ctx(kind, date!(2024 - 03 - 20));
    c.organ = "某某区\n住房和城乡建设局".into();
    match render(kind, &c, None) {
        Ok(n) => assert_eq!(n.organ, "某某区 住房和城乡建设局"),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn details_must_fit_the_kind() {
    let mut c = ctx(NoticeKind::Receipt, date!(2024 - 03 - 20));
    assert!(matches!(
        render(NoticeKind::Fee, &c, None),
        Err(NoticeError::DetailsMismatch {
            expected: "Fee",
            given: "Receipt",
            ..
        })
    ));
    c.applicant = "  ".into();
    assert!(matches!(
        render(NoticeKind::Receipt, &c, None),
        Err(NoticeError::EmptyField {
            field: "申请人",
            ..
        })
    ));

    let kind = NoticeKind::Reply(Outcome::PartlyDisclosed);
    let mut c = ctx(kind, date!(2024 - 03 - 20));
    c.details = Details::Reply(Reply::default());
    assert!(matches!(
        render(kind, &c, None),
        Err(NoticeError::InvalidDetails { .. })
    ));

    let kind = NoticeKind::Fee;
    let mut c = ctx(kind, date!(2024 - 03 - 20));
    c.details = Details::Fee {
        fee: Fee::compute(FeeBasis::PerPage { pages: 10 }),
        payment: "现场缴纳".into(),
    };
    assert!(matches!(
        render(kind, &c, None),
        Err(NoticeError::InvalidDetails { .. })
    ));
}
