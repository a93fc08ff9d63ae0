//! The one place where items change, for the console and the API alike: creation, a new
//! version, and each step of the chain (the last approval publishes; withdrawal takes the item
//! off the portal). The store checks roles, stages and content and writes the audit row; here
//! the web side learns of each change once, and the portal's search index ([`crate::search`])
//! follows at once: publication and a published revision upsert the item, a new 有效性 updates
//! it, withdrawal removes it. The store's write stands whatever the index does.

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
        tracing::info!(
            item.id = item.id,
            stage = item.stage().key(),
            "item changed on the portal"
        );
    }
    // A step on an item that is or was on the portal (its 有效性 included) is searched as it
    // is now; a draft's steps change nothing there.
    if before.is_some() || after.is_some() {
        changed_on_portal(state, &item).await;
    }
    Ok(item)
}

/// What the portal shows of `item` may have changed: the search index is brought in step with
/// the store (from the item ledger, so a change made elsewhere meanwhile is taken too). A
/// failure there is logged and repaired by a rebuild; it never undoes the store's write.
async fn changed_on_portal(state: &AppState, item: &Item) {
    tracing::debug!(item.id = item.id, "updating the search index");
    state.search.keep_in_step(&state.store).await;
}
