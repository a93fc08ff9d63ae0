//! The organ's item settings (`…/item-settings`): the review chain (one step a line, 名称：角色),
//! the 索引号 pattern and the 主题分类 list. Administrators change them; the 负责人 reads them.
//! A new chain applies to items submitted after it is saved.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongkai_store::item::ItemSettings;
use gongkai_store::item::review::ReviewStep;
use gongkai_store::{Permission, Role, StoreError};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::{Desk, see_other, staff_of};
use crate::controllers::{WebForm, WebPath, WebQuery};
use crate::site::PageRequest;
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError};

/// The settings form.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct SettingsForm {
    #[serde(skip_serializing)]
    csrf: String,
    index_pattern: String,
    chain: String,
    topics: String,
}

impl Bounded for SettingsForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::line("index_pattern", "索引号格式", 60),
        Bound::lines("chain", "审核流程", 500),
        Bound::lines("topics", "主题分类", 2000),
    ];
}

impl SettingsForm {
    fn of(settings: &ItemSettings) -> SettingsForm {
        SettingsForm {
            index_pattern: settings.index_pattern.clone(),
            chain: settings
                .chain
                .iter()
                .map(|s| format!("{}：{}", s.name, s.role.label()))
                .collect::<Vec<_>>()
                .join("\n"),
            topics: settings.topics.join("\n"),
            ..SettingsForm::default()
        }
    }

    fn settings(&self) -> Result<ItemSettings, (&'static str, String)> {
        let mut chain = Vec::new();
        for (i, line) in self.chain.lines().map(str::trim).enumerate() {
            if line.is_empty() {
                continue;
            }
            let (name, role) = line.rsplit_once(['：', ':']).ok_or_else(|| {
                (
                    "chain",
                    format!("第 {} 行应写作「步骤名称：角色」。", i + 1),
                )
            })?;
            let role = Role::ALL
                .into_iter()
                .find(|r| r.label() == role.trim() || r.key() == role.trim())
                .ok_or_else(|| {
                    (
                        "chain",
                        format!("第 {} 行的角色应为审核人或负责人。", i + 1),
                    )
                })?;
            chain.push(ReviewStep {
                name: name.trim().to_owned(),
                role,
            });
        }
        let topics = self
            .topics
            .lines()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        Ok(ItemSettings {
            index_pattern: self.index_pattern.trim().to_owned(),
            chain,
            topics,
        })
    }
}

async fn render(
    state: &AppState,
    request: &PageRequest,
    desk: &Desk,
    form: &SettingsForm,
    errors: BTreeMap<&'static str, String>,
    status: StatusCode,
    saved: bool,
) -> Result<Response, WebError> {
    let ctx = context! {
        organ_id => desk.organ.id,
        organ_name => desk.organ.settings.name.clone(),
        form => crate::site::ser(form),
        errors => if errors.is_empty() { minijinja::Value::from(()) } else { crate::site::ser(&errors) },
        can_edit => desk.can(Permission::EditSettings),
        saved => saved,
    };
    let html = state
        .render(
            request,
            "console/items/settings.html",
            "主动公开设置",
            None,
            ctx,
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

/// `GET /console/organs/{organ_id}/item-settings`.
pub async fn page(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    WebQuery(query): WebQuery<SavedQuery>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let desk = Desk::open(&state, &request, &raw, Permission::ViewSettings).await?;
    let settings = state.store.item_settings(desk.scope).await?;
    let form = SettingsForm::of(&settings);
    let saved = !query.saved.is_empty();
    render(
        &state,
        &request,
        &desk,
        &form,
        BTreeMap::new(),
        StatusCode::OK,
        saved,
    )
    .await
}

/// `POST /console/organs/{organ_id}/item-settings`.
pub async fn save(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
    WebForm(form): WebForm<SettingsForm>,
) -> Result<Response, WebError> {
    staff_of(&request)?.check_csrf(&state, &form.csrf)?;
    let desk = Desk::open(&state, &request, &raw, Permission::EditSettings).await?;
    let refused = |field, message| BTreeMap::from([(field, message)]);
    let settings = match form.settings() {
        Ok(settings) => settings,
        Err((field, message)) => {
            return render(
                &state,
                &request,
                &desk,
                &form,
                refused(field, message),
                StatusCode::UNPROCESSABLE_ENTITY,
                false,
            )
            .await;
        }
    };
    match state
        .store
        .put_item_settings(&desk.staff.actor(), desk.scope, state.now(), &settings)
        .await
    {
        Ok(_) => Ok(see_other(format!(
            "/console/organs/{}/item-settings?saved=1",
            desk.organ.id
        ))),
        Err(StoreError::Invalid { field, message }) => {
            render(
                &state,
                &request,
                &desk,
                &form,
                refused(field, message),
                StatusCode::UNPROCESSABLE_ENTITY,
                false,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
