//! The organ's notice settings (`…/notice-settings`): the 文书编号 pattern with an example, the
//! organ's short name, the remedy bodies, and its own template text per kind (empty: the
//! national default). An override is tried on a sample case before it is kept, so a template
//! that cannot render a valid notice never reaches a real one.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongkai_core::fee::{Fee, FeeBasis};
use gongkai_core::outcome::Outcome;
use gongkai_notice::{Details, NoticeContext, NoticeKind, NumberPattern, Reply, WithheldPart};
use gongkai_store::Permission;
use gongkai_store::notice::NoticeSettings;
use minijinja::{Value, context};
use serde::Deserialize;
use time::macros::date;

use super::notices::{DEFAULT_RECONSIDERATION_BODY, effective};
use super::{Desk, see_other, staff_of};
use crate::cases;
use crate::controllers::{WebForm, WebPath, WebQuery};
use crate::site::PageRequest;
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError};

/// The form: the four settings and one `tpl.<kind key>` textarea per kind.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    csrf: String,
    number_pattern: String,
    organ_short: String,
    reconsideration_body: String,
    court: String,
    #[serde(flatten)]
    templates: BTreeMap<String, String>,
}

/// The most characters of one template (the longest default is under 2,000).
const TEMPLATE_CHARS: usize = 20_000;

macro_rules! template_bounds {
    ($($key:literal),* $(,)?) => {
        &[
            Bound::line("csrf", "校验码", 128),
            Bound::line("number_pattern", "文书编号格式", 100),
            Bound::line("organ_short", "机关简称", 50),
            Bound::line("reconsideration_body", "行政复议机关", 100),
            Bound::line("court", "人民法院", 100),
            $(Bound::lines(concat!("tpl.", $key), "告知书模板", TEMPLATE_CHARS),)*
        ]
    };
}

impl Bounded for SettingsForm {
    // One bound per NoticeKind key (a test checks the list against NoticeKind::all).
    const FIELDS: &'static [Bound] = template_bounds![
        "receipt",
        "correction",
        "extension",
        "consultation",
        "fee",
        "reply.already_public",
        "reply.disclosed",
        "reply.partly_disclosed",
        "reply.withheld_state_secret",
        "reply.withheld_prohibited_by_law",
        "reply.withheld_security_stability",
        "reply.withheld_third_party",
        "reply.withheld_internal_affairs",
        "reply.withheld_process_info",
        "reply.withheld_enforcement_file",
        "reply.inquiry_matter",
        "reply.does_not_exist",
        "reply.not_this_organ",
        "reply.needs_creation",
        "reply.still_unclear",
        "reply.petition",
        "reply.repeat",
        "reply.publication",
        "reply.excessive",
        "reply.confirmation",
        "reply.no_correction",
        "reply.fee_unpaid",
        "reply.withdrawn",
        "reply.other",
    ];
}

impl SettingsForm {
    fn settings(&self) -> NoticeSettings {
        let templates = NoticeKind::all()
            .filter_map(|kind| {
                let text = self.templates.get(&format!("tpl.{}", kind.key()))?;
                let text = text.replace("\r\n", "\n");
                (!text.trim().is_empty()).then(|| (kind.key(), text))
            })
            .collect();
        NoticeSettings {
            number_pattern: self.number_pattern.trim().to_owned(),
            organ_short: self.organ_short.trim().to_owned(),
            reconsideration_body: self.reconsideration_body.trim().to_owned(),
            court: self.court.trim().to_owned(),
            templates,
        }
    }
}

/// A sample case's facts for `kind`, to try an organ's template on.
fn sample(kind: NoticeKind, organ: &str, number: &str, settings: &NoticeSettings) -> NoticeContext {
    let details = match kind {
        NoticeKind::Receipt => Details::Receipt,
        NoticeKind::Correction => Details::Correction {
            items: vec!["申请人的身份证明".into()],
            deadline: date!(2024 - 03 - 15),
        },
        NoticeKind::Extension => Details::Extension {
            new_due: date!(2024 - 04 - 26),
            reason: "所需信息需要调取归档材料".into(),
        },
        NoticeKind::Consultation => Details::Consultation {
            third_party: "某某有限公司".into(),
            question: "申请公开的合同含有贵公司的报价信息，公开可能影响贵公司的合法权益".into(),
            deadline: None,
        },
        NoticeKind::Fee => Details::Fee {
            fee: Fee::compute(FeeBasis::PerPage { pages: 200 }),
            payment: "请至本机关政务服务窗口缴纳".into(),
        },
        NoticeKind::Reply(outcome) => Details::Reply(Reply {
            details: "经检索本机关档案，现答复如下。".into(),
            disclosed: if matches!(
                outcome,
                Outcome::AlreadyPublic | Outcome::Disclosed | Outcome::PartlyDisclosed
            ) {
                vec!["某某路改造工程立项批复".into()]
            } else {
                Vec::new()
            },
            withheld: if outcome == Outcome::PartlyDisclosed {
                vec![WithheldPart {
                    item: "批复附件中的个人信息".into(),
                    ground: Outcome::WithheldThirdParty,
                    reason: "涉及个人隐私".into(),
                }]
            } else {
                Vec::new()
            },
        }),
    };
    NoticeContext {
        organ: organ.to_owned(),
        number: number.to_owned(),
        applicant: "张三".into(),
        application_number: "YSQ-2024-0001".into(),
        received: date!(2024 - 03 - 01),
        request: "2023年某某路改造工程的立项批复".into(),
        date: date!(2024 - 03 - 20),
        reconsideration_body: settings.reconsideration_body.clone(),
        court: (!settings.court.is_empty()).then(|| settings.court.clone()),
        details,
    }
}

type Errors = BTreeMap<String, String>;

/// The settings' problems by field: the pattern, and each override tried on a sample case.
fn check(
    settings: &NoticeSettings,
    organ: &str,
    short: &str,
    year: i32,
) -> (Errors, Option<String>) {
    let mut errors = Errors::new();
    let example = match NumberPattern::parse(&settings.number_pattern) {
        Ok(pattern) => Some(pattern.format(short, year, 1)),
        Err(e) => {
            errors.insert("number_pattern".into(), e.to_string());
            None
        }
    };
    let number = example
        .clone()
        .unwrap_or_else(|| "某依申〔2024〕001号".into());
    let with_body = effective(settings.clone());
    for kind in NoticeKind::all() {
        let Some(text) = settings.templates.get(&kind.key()) else {
            continue;
        };
        let ctx = sample(kind, organ, &number, &with_body);
        if let Err(e) = gongkai_notice::render(kind, &ctx, Some(text)) {
            errors.insert(
                format!("tpl.{}", kind.key()),
                format!("按此模板无法生成合格的告知书：{e}"),
            );
        }
    }
    (errors, example)
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &AppState,
    request: &PageRequest,
    desk: &Desk,
    status: StatusCode,
    settings: &NoticeSettings,
    errors: &Errors,
    example: Option<String>,
    saved: bool,
) -> Result<Response, WebError> {
    let kinds: Vec<Value> = NoticeKind::all()
        .map(|kind| {
            let key = kind.key();
            let field = format!("tpl.{key}");
            context! {
                field => field.clone(),
                title => kind.to_string(),
                text => settings.templates.get(&key).cloned().unwrap_or_default(),
                default => kind.default_template(),
                error => errors.get(&field).cloned(),
            }
        })
        .collect();
    let page = context! {
        organ_id => desk.organ.id,
        organ_name => desk.organ.settings.name.clone(),
        can_edit => desk.can(Permission::EditNoticeSettings),
        s => context! {
            number_pattern => settings.number_pattern.clone(),
            organ_short => settings.organ_short.clone(),
            reconsideration_body => settings.reconsideration_body.clone(),
            court => settings.court.clone(),
        },
        example => example,
        default_body => DEFAULT_RECONSIDERATION_BODY,
        organ_full_name => desk.organ.settings.name.clone(),
        kinds => kinds,
        errors => if errors.is_empty() { Value::from(()) } else { crate::site::ser(errors) },
        saved => saved,
    };
    let html = state
        .render(
            request,
            "console/office/notice_settings.html",
            "告知书设置",
            None,
            page,
        )
        .await?;
    Ok((status, html).into_response())
}

/// The confirmation after saving.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SavedQuery {
    saved: String,
}

impl Bounded for SavedQuery {
    const FIELDS: &'static [Bound] = &[Bound::line("saved", "已保存", 10)];
}

/// `GET /console/organs/{organ_id}/notice-settings`.
pub async fn page(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    WebQuery(query): WebQuery<SavedQuery>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let desk = Desk::open(&state, &request, &raw, Permission::ViewCases).await?;
    let settings = state.store.notice_settings(desk.organ.id).await?;
    let short = cases::organ_short(&desk.organ, &settings);
    let example = NumberPattern::parse(&settings.number_pattern)
        .ok()
        .map(|p| p.format(&short, state.today().year(), 1));
    let errors = Errors::new();
    let saved = !query.saved.is_empty();
    render(
        &state,
        &request,
        &desk,
        StatusCode::OK,
        &settings,
        &errors,
        example,
        saved,
    )
    .await
}

/// `POST /console/organs/{organ_id}/notice-settings`.
pub async fn save(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
    WebForm(form): WebForm<SettingsForm>,
) -> Result<Response, WebError> {
    staff_of(&request)?.check_csrf(&state, &form.csrf)?;
    let desk = Desk::open(&state, &request, &raw, Permission::EditNoticeSettings).await?;
    let settings = form.settings();
    let short = cases::organ_short(&desk.organ, &settings);
    let year = state.today().year();
    let (errors, example) = check(&settings, &desk.organ.settings.name, &short, year);
    if !errors.is_empty() {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return render(
            &state, &request, &desk, status, &settings, &errors, example, false,
        )
        .await;
    }
    state
        .store
        .put_notice_settings(&desk.staff.actor(), desk.scope, state.now(), &settings)
        .await?;
    Ok(see_other(format!(
        "{}/notice-settings?saved=1",
        desk.base()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notice_kind_has_a_bounded_template_field() {
        for kind in NoticeKind::all() {
            let field = format!("tpl.{}", kind.key());
            let bound = crate::validate::bound_of(SettingsForm::FIELDS, &field);
            assert_eq!(bound.max_chars, TEMPLATE_CHARS, "{field}");
        }
        assert_eq!(SettingsForm::FIELDS.len(), 5 + NoticeKind::all().count());
    }

    #[test]
    fn every_default_template_renders_its_sample_case() {
        let settings = effective(NoticeSettings::default());
        for kind in NoticeKind::all() {
            let ctx = sample(
                kind,
                "某某区人民政府办公室",
                "某依申〔2024〕001号",
                &settings,
            );
            gongkai_notice::render(kind, &ctx, Some(kind.default_template()))
                .unwrap_or_else(|e| panic!("{kind}: {e}"));
        }
    }
}
