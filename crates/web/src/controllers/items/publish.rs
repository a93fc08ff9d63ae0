//! The one place where items change, for the console and the API alike: creation, a new
//! version, and each step of the chain (the last approval publishes; withdrawal takes the item
//! off the portal). The store checks roles, stages and content and writes the audit row; here
//! the web side learns of each change once, which is where the search index
//! (`crates/search`: `upsert` on publication or update, `remove` on withdrawal) will be told.

use gongkai_store::item::{Item, ItemContent, ItemId, ItemStep, NewFile};
use gongkai_store::{Actor, OrganScope, StoreError};

use crate::AppState;

/// Creates a draft.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    scope: OrganScope,
    content: &ItemContent,
    files: &[NewFile],
) -> Result<Item, StoreError> {
    state
        .store
        .create_item(actor, scope, state.now(), state.today(), content, files)
        .await
}

/// Saves a new version (of a published item: a revision; the published one stays up).
pub async fn edit(
    state: &AppState,
    actor: &Actor,
    scope: OrganScope,
    id: ItemId,
    content: &ItemContent,
    keep: &[i64],
    files: &[NewFile],
) -> Result<Item, StoreError> {
    state
        .store
        .edit_item(
            actor,
            scope,
            id,
            state.now(),
            state.today(),
            content,
            keep,
            files,
        )
        .await
}

/// Takes one step; the item after it.
pub async fn step(
    state: &AppState,
    actor: &Actor,
    scope: OrganScope,
    id: ItemId,
    step: &ItemStep,
) -> Result<Item, StoreError> {
    let before = state.store.item(scope, id).await?.published().map(|v| v.id);
    let item = state
        .store
        .item_step(actor, scope, id, step, state.today(), state.now())
        .await?;
    let after = item.published().map(|v| v.id);
    if before != after {
        changed_on_portal(&item);
    }
    Ok(item)
}

/// What the portal shows of `item` changed (published, updated or withdrawn). The portal reads
/// the store directly; the search index will be updated from here.
fn changed_on_portal(item: &Item) {
    tracing::info!(
        item.id = item.id,
        stage = item.stage().key(),
        "item changed on the portal"
    );
}
