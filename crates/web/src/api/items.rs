//! `/organs/{organ_id}/items` (spec/api.md, Proactive information): a draft, its transitions
//! through the organ's review chain (`submit`, `approve`, `reject`, `withdraw`, `repeal`), one
//! item, and the list with filters. Every write goes through `controllers::items::publish`,
//! as the console's do, so the store applies the same roles, stages, author rule and audit.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use gongkai_core::calendar::{format_date, parse_date};
use gongkai_store::item::{self, Item, ItemContent, ItemStep, KINDS, OPENNESS};
use gongkai_store::{OrganScope, Permission, Role};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::applications::OrganPath;
use super::auth::{Caller, allows};
use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiPath, ApiQuery, JsonBounded};
use crate::AppState;
use crate::controllers::items::{item_path, publish};
use crate::validate::{Bound, Bounded};

/// One item of an organ.
#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ItemPath {
    /// 机关编号.
    pub organ_id: i64,
    /// The item's id.
    pub id: i64,
}

/// A new draft.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemBody {
    /// 标题.
    #[schema(example = "呼伦贝尔经济技术开发区企业扶持资金管理办法")]
    pub title: String,
    /// 文号.
    #[serde(default)]
    pub doc_number: Option<String>,
    /// 主题分类, one of the organ's list (default list: 综合政务, 财政、金融、审计, …).
    #[schema(example = "综合政务")]
    pub category: String,
    /// The art. 20 category, 1–15.
    #[serde(default)]
    pub article20: Option<u8>,
    /// 体裁: `regulation`, `normative_document`, `other`, `interpretation`, `notice`, `news`,
    /// `statistics`, `plan`, `personnel`, `misc`.
    #[schema(example = "normative_document")]
    pub kind: String,
    /// 成文日期, `YYYY-MM-DD`.
    #[schema(example = "2026-01-05")]
    pub formed: String,
    /// The body: HTML (sanitised) or plain text (one paragraph a line).
    pub body: String,
    /// The item a 政策解读 interprets.
    #[serde(default)]
    pub interprets: Option<i64>,
    /// 发布机构 (default: the organ).
    #[serde(default)]
    pub publisher: Option<String>,
    /// 公开属性: `proactive` (default), `on_request`, `withheld`.
    #[serde(default)]
    pub openness: Option<String>,
    /// Why it is withheld (`withheld` only).
    #[serde(default)]
    pub openness_reason: Option<String>,
    /// 关键词.
    #[serde(default)]
    pub keywords: Option<String>,
    /// 内容概述.
    #[serde(default)]
    pub summary: Option<String>,
    /// The id of the organ's 标准目录 entry the item fulfils (another organ's: 422).
    #[serde(default)]
    pub catalogue_entry: Option<i64>,
}

impl JsonBounded for ItemBody {
    const FIELDS: &'static [Bound] = &[
        Bound::line("title", "标题", 200),
        Bound::line("doc_number", "文号", 60),
        Bound::line("category", "主题分类", 40),
        Bound::line("kind", "体裁", 40),
        Bound::line("formed", "成文日期", 10),
        Bound::lines("body", "正文", 60_000),
        Bound::line("publisher", "发布机构", 100),
        Bound::line("openness", "公开属性", 20),
        Bound::lines("openness_reason", "不予公开理由", 500),
        Bound::line("keywords", "关键词", 100),
        Bound::lines("summary", "内容概述", 500),
    ];
}

/// A transition.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionBody {
    /// `submit`, `approve`, `reject`, `withdraw` or `repeal` (有效性 → 废止).
    #[schema(example = "approve")]
    pub action: String,
    /// Opinion or reason (required for `reject` and `withdraw`).
    #[serde(default)]
    pub comment: Option<String>,
    /// `repeal`: the 废止 date (default today), `YYYY-MM-DD`.
    #[serde(default)]
    pub date: Option<String>,
}

impl JsonBounded for TransitionBody {
    const FIELDS: &'static [Bound] = &[
        Bound::line("action", "操作", 20),
        Bound::lines("comment", "意见或理由", 1000),
        Bound::line("date", "日期", 10),
    ];
}

/// A review step of the chain.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StepView {
    /// 科室审核, 保密审查, 领导签发, ….
    pub name: String,
    /// The role key that takes it: `reviewer` or `head`.
    pub role: String,
}

/// An event of the item's ledger.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemEventView {
    /// `created`, `edited`, `submitted`, `approved`, `rejected`, `published`, `withdrawn`,
    /// `validity`.
    pub event: String,
    /// The Beijing date.
    pub date: String,
    /// When, RFC 3339.
    pub at: String,
    /// Who (username).
    pub actor: String,
    /// Comment or reason.
    pub comment: String,
    /// The chain step, for approvals and rejections.
    pub step: Option<String>,
}

/// 有效性.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ValidityView {
    /// `in_force`, `amended`, `expired`, `repealed`.
    pub validity: String,
    /// Its label.
    pub label: String,
    /// Since (`YYYY-MM-DD`).
    pub since: Option<String>,
    /// The amending or repealing item.
    pub by: Option<i64>,
}

/// An item.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemView {
    /// Identifier.
    pub id: i64,
    /// 索引号, assigned at first publication and never changed.
    pub index_number: Option<String>,
    /// `draft`, `in_review`, `published` or `withdrawn`.
    pub status: String,
    /// The stage in detail: also `revising` and `revision_in_review` for a published item
    /// with a new version pending.
    pub stage: String,
    /// Chinese label of the stage.
    pub status_label: String,
    /// The public page, while it is on the portal.
    pub url: Option<String>,
    /// The current version's number.
    pub version: i64,
    /// 标题.
    pub title: String,
    /// 文号.
    pub doc_number: String,
    /// 发布机构.
    pub publisher: String,
    /// 主题分类.
    pub category: String,
    /// Art. 20 category.
    pub article20: Option<u8>,
    /// 体裁 key.
    pub kind: String,
    /// 体裁 label.
    pub kind_label: String,
    /// 成文日期.
    pub formed: Option<String>,
    /// 发布日期 (first publication).
    pub published: Option<String>,
    /// The latest publication of a new version (更新于).
    pub updated: Option<String>,
    /// 公开属性 key.
    pub openness: String,
    /// 公开属性 label.
    pub openness_label: String,
    /// 有效性.
    pub validity: ValidityView,
    /// The item a 政策解读 interprets.
    pub interprets: Option<i64>,
    /// The 标准目录 entry it fulfils.
    pub catalogue_entry: Option<i64>,
    /// The step waiting, while in review.
    pub current_step: Option<StepView>,
    /// The chain of the version under review.
    pub chain: Vec<StepView>,
    /// The reason of the last rejection, while back with the author.
    pub returned: Option<String>,
    /// The current version's body (sanitised HTML).
    pub body: String,
    /// The ledger.
    pub events: Vec<ItemEventView>,
}

fn step_view(step: &item::review::ReviewStep) -> StepView {
    StepView {
        name: step.name.clone(),
        role: step.role.key().to_owned(),
    }
}

fn view(item: &Item) -> ItemView {
    let p = item.progress();
    let w = item.working();
    let c = &w.content;
    ItemView {
        id: item.id,
        index_number: item.index_number.clone(),
        status: p.stage.status().to_owned(),
        stage: p.stage.key().to_owned(),
        status_label: p.stage.label().to_owned(),
        url: item.public().map(|_| item_path(item.id)),
        version: w.number,
        title: c.title.clone(),
        doc_number: c.doc_number.clone(),
        publisher: c.publisher.clone(),
        category: c.topic.clone(),
        article20: c.article20,
        kind: c.kind.clone(),
        kind_label: item::label(&KINDS, &c.kind).to_owned(),
        formed: c.formed.map(format_date),
        published: p.first_published.map(|(_, d)| format_date(d)),
        updated: p.updated.map(|(_, d)| format_date(d)),
        openness: c.openness.clone(),
        openness_label: item::label(&OPENNESS, &c.openness).to_owned(),
        validity: ValidityView {
            label: item::label(&item::VALIDITY, &p.validity.key).to_owned(),
            validity: p.validity.key.clone(),
            since: p.validity.since.map(format_date),
            by: p.validity.by,
        },
        interprets: c.interprets,
        catalogue_entry: item.catalogue_entry_id,
        current_step: p.current_step().map(step_view),
        chain: p.chain.iter().map(step_view).collect(),
        returned: p.returned.clone(),
        body: c.body.clone(),
        events: item
            .events
            .iter()
            .map(|e| ItemEventView {
                event: e.event.clone(),
                date: format_date(e.date),
                at: super::rfc3339(e.recorded_at),
                actor: e.actor_name.clone(),
                comment: e.comment.clone(),
                step: e.data["step_name"].as_str().map(str::to_owned),
            })
            .collect(),
    }
}

/// The organ's items.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemList {
    /// Newest first.
    pub items: Vec<ItemView>,
}

/// The list's filters.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ItemQuery {
    /// `draft`, `in_review`, `published`, `withdrawn`.
    pub status: Option<String>,
    /// 体裁 key.
    pub kind: Option<String>,
    /// Art. 20 category, 1–15.
    pub article20: Option<String>,
    /// The year of the 成文日期.
    pub year: Option<String>,
}

impl Bounded for ItemQuery {
    const FIELDS: &'static [Bound] = &[
        Bound::line("status", "状态", 20),
        Bound::line("kind", "体裁", 40),
        Bound::line("article20", "第二十条类别", 4),
        Bound::line("year", "年度", 4),
    ];
}

/// A scope on the organ for someone who writes or reviews items (403 otherwise; no role: 404).
async fn item_scope(
    state: &AppState,
    caller: &Caller,
    organ_id: i64,
) -> Result<(OrganScope, Vec<Role>), ApiError> {
    let (scope, roles) = caller
        .scope(state, organ_id, Permission::ViewConsole)
        .await?;
    if allows(&roles, Permission::EditItems) || allows(&roles, Permission::ReviewItems) {
        Ok((scope, roles))
    } else {
        Err(ApiError::forbidden())
    }
}

/// Creates a draft.
#[utoipa::path(
    post,
    path = "/organs/{organ_id}/items",
    tag = "items",
    params(OrganPath),
    request_body = ItemBody,
    responses(
        (status = 201, description = "草稿已保存", body = ItemView),
        (status = 400, description = "JSON 无法读取或含未知字段", body = ErrorBody),
        (status = 401, description = "缺少有效令牌", body = ErrorBody),
        (status = 403, description = "角色不允许（需编辑或管理员）", body = ErrorBody),
        (status = 404, description = "机关不存在或无权查看", body = ErrorBody),
        (status = 422, description = "内容不符合要求", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<OrganPath>,
    ApiJson(body): ApiJson<ItemBody>,
) -> Result<(StatusCode, Json<ItemView>), ApiError> {
    let (scope, _) = caller
        .scope(&state, path.organ_id, Permission::EditItems)
        .await?;
    let formed = parse_date(body.formed.trim())
        .ok_or_else(|| ApiError::invalid("formed", "formed 格式应为 YYYY-MM-DD。"))?;
    let content = ItemContent {
        title: body.title,
        doc_number: body.doc_number.unwrap_or_default(),
        publisher: body.publisher.unwrap_or_default(),
        formed: Some(formed),
        topic: body.category,
        kind: body.kind,
        article20: body.article20,
        openness: body.openness.unwrap_or_else(|| "proactive".into()),
        openness_reason: body.openness_reason.unwrap_or_default(),
        interprets: body.interprets,
        keywords: body.keywords.unwrap_or_default(),
        summary: body.summary.unwrap_or_default(),
        body: body.body,
        catalogue_entry: body.catalogue_entry,
    };
    let item = publish::create(&state, &caller.actor(), scope, &content, &[])
        .await
        .map_err(|e| match e {
            // The store names the content field; the API calls 主题分类 `category`.
            gongkai_store::StoreError::Invalid {
                field: "topic",
                message,
            } => ApiError::invalid("category", message),
            other => other.into(),
        })?;
    Ok((StatusCode::CREATED, Json(view(&item))))
}

/// Takes the item one step: `submit` into the chain, `approve` the current step (the last
/// approval publishes it and assigns the 索引号), `reject` back to the author with the reason,
/// `withdraw` it from the portal, or `repeal` it (有效性 废止). The author of the version
/// under review never approves it (409).
#[utoipa::path(
    post,
    path = "/organs/{organ_id}/items/{id}/transitions",
    tag = "items",
    params(ItemPath),
    request_body = TransitionBody,
    responses(
        (status = 200, description = "已办理", body = ItemView),
        (status = 400, description = "JSON 无法读取或含未知字段", body = ErrorBody),
        (status = 401, description = "缺少有效令牌", body = ErrorBody),
        (status = 403, description = "角色不允许，或当前步骤由其他角色办理", body = ErrorBody),
        (status = 404, description = "信息不存在或无权查看", body = ErrorBody),
        (status = 409, description = "当前状态不允许，或本人审核本人的稿件", body = ErrorBody),
        (status = 422, description = "缺少理由或日期有误", body = ErrorBody),
    )
)]
pub async fn transition(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<ItemPath>,
    ApiJson(body): ApiJson<TransitionBody>,
) -> Result<Json<ItemView>, ApiError> {
    let (scope, _) = caller
        .scope(&state, path.organ_id, Permission::ViewConsole)
        .await?;
    // Another organ's item is not found before the action is judged.
    state.store.item(scope, path.id).await?;
    let comment = body.comment.unwrap_or_default();
    let step = match body.action.as_str() {
        "submit" => ItemStep::Submit { comment },
        "approve" => ItemStep::Approve { comment },
        "reject" => ItemStep::Reject { comment },
        "withdraw" => ItemStep::Withdraw { comment },
        "repeal" => {
            let since = match body.date.as_deref().map(str::trim) {
                None | Some("") => state.today(),
                Some(text) => parse_date(text)
                    .ok_or_else(|| ApiError::invalid("date", "date 格式应为 YYYY-MM-DD。"))?,
            };
            ItemStep::Validity {
                validity: "repealed".into(),
                since: Some(since),
                by: None,
                comment,
            }
        }
        _ => {
            return Err(ApiError::invalid(
                "action",
                "action 应为 submit、approve、reject、withdraw 或 repeal。",
            ));
        }
    };
    let item = publish::step(&state, &caller.actor(), scope, path.id, &step).await?;
    Ok(Json(view(&item)))
}

/// One item, with its ledger.
#[utoipa::path(
    get,
    path = "/organs/{organ_id}/items/{id}",
    tag = "items",
    params(ItemPath),
    responses(
        (status = 200, description = "信息", body = ItemView),
        (status = 401, description = "缺少有效令牌", body = ErrorBody),
        (status = 403, description = "角色不允许", body = ErrorBody),
        (status = 404, description = "信息不存在或无权查看", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<ItemPath>,
) -> Result<Json<ItemView>, ApiError> {
    let (scope, _) = item_scope(&state, &caller, path.organ_id).await?;
    let item = state.store.item(scope, path.id).await?;
    Ok(Json(view(&item)))
}

/// The organ's items, filtered.
#[utoipa::path(
    get,
    path = "/organs/{organ_id}/items",
    tag = "items",
    params(OrganPath, ItemQuery),
    responses(
        (status = 200, description = "信息列表", body = ItemList),
        (status = 401, description = "缺少有效令牌", body = ErrorBody),
        (status = 403, description = "角色不允许", body = ErrorBody),
        (status = 404, description = "机关不存在或无权查看", body = ErrorBody),
        (status = 422, description = "筛选条件有误", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<OrganPath>,
    ApiQuery(query): ApiQuery<ItemQuery>,
) -> Result<Json<ItemList>, ApiError> {
    let (scope, _) = item_scope(&state, &caller, path.organ_id).await?;
    let status = query.status.filter(|s| !s.is_empty());
    if let Some(s) = &status
        && !["draft", "in_review", "published", "withdrawn"].contains(&s.as_str())
    {
        return Err(ApiError::invalid(
            "status",
            "status 应为 draft、in_review、published 或 withdrawn。",
        ));
    }
    let number = |field: &'static str, text: Option<String>| -> Result<Option<i32>, ApiError> {
        match text.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(t) => t
                .parse()
                .map(Some)
                .map_err(|_| ApiError::invalid(field, format!("{field} 应为数字。"))),
        }
    };
    let article20 = number("article20", query.article20)?;
    let year = number("year", query.year)?;
    let kind = query.kind.filter(|k| !k.is_empty());
    let items = state
        .store
        .items(scope)
        .await?
        .iter()
        .filter(|i| {
            let w = &i.working().content;
            status.as_deref().is_none_or(|s| i.stage().status() == s)
                && kind.as_deref().is_none_or(|k| w.kind == k)
                && article20.is_none_or(|n| w.article20.map(i32::from) == Some(n))
                && year.is_none_or(|y| w.formed.is_some_and(|d| d.year() == y))
        })
        .map(view)
        .collect();
    Ok(Json(ItemList { items }))
}
