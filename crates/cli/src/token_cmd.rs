//! `gongkai token create|list|revoke`: the per-staff API tokens of `/api/v1` (spec/api.md).
//!
//! `create` prints the token once, alone on stdout, so that a script can capture it; the note
//! that only its SHA-256 is kept goes to stderr. A token acts with its account's roles; an
//! unknown account is an error naming it (exit 1).

use std::process::ExitCode;

use anyhow::bail;
use clap::{Args, Subcommand};
use gongkai_store::user::User;
use gongkai_store::{Actor, Store, StoreError};

use crate::platform_cmd::{DbArgs, load_config, now, open, runtime};

/// The longest label a token may carry.
const MAX_LABEL_CHARS: usize = 100;

/// Subcommands of `gongkai token`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make an API token for a staff account and print it once (only its hash is kept).
    Create(CreateArgs),
    /// List a staff account's tokens (never the tokens themselves).
    List(UserArgs),
    /// Revoke one of a staff account's tokens; it stops working at once.
    Revoke(RevokeArgs),
}

/// Arguments of `gongkai token create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The staff account's login name.
    #[arg(long, value_name = "USERNAME")]
    user: String,
    /// What the token is for (e.g. 上级机关报送系统), at most 100 characters.
    #[arg(long, value_name = "TEXT", default_value = "")]
    label: String,
    #[command(flatten)]
    db: DbArgs,
}

/// Arguments naming a staff account.
#[derive(Debug, Args)]
pub struct UserArgs {
    /// The staff account's login name.
    #[arg(long, value_name = "USERNAME")]
    user: String,
    #[command(flatten)]
    db: DbArgs,
}

/// Arguments of `gongkai token revoke`.
#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// The staff account's login name.
    #[arg(long, value_name = "USERNAME")]
    user: String,
    /// The token's number, as `gongkai token list` shows it.
    #[arg(long, value_name = "N")]
    id: i64,
    #[command(flatten)]
    db: DbArgs,
}

/// Refusals that are the user's to fix: printed once, exit 1.
fn refuse(message: &str) -> ExitCode {
    eprintln!("gongkai: {message}");
    ExitCode::from(1)
}

/// The account of `username`, or the refusal naming it.
async fn account(store: &Store, username: &str) -> anyhow::Result<Result<User, ExitCode>> {
    Ok(match store.user_credentials(username).await? {
        Some((user, _)) => Ok(user),
        None => Err(refuse(&format!(
            "--user {username}: 没有这个工作人员账户（用 gongkai user add 添加）"
        ))),
    })
}

fn check_label(label: &str) -> anyhow::Result<()> {
    if label.chars().count() > MAX_LABEL_CHARS {
        bail!("--label: 不能超过 {MAX_LABEL_CHARS} 个字");
    }
    if label.chars().any(char::is_control) {
        bail!("--label: 不能含有控制字符");
    }
    Ok(())
}

/// `gongkai token …`.
pub fn run(cmd: TokenCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        TokenCommand::Create(args) => create(args),
        TokenCommand::List(args) => list(args),
        TokenCommand::Revoke(args) => revoke(args),
    }
}

fn create(args: CreateArgs) -> anyhow::Result<ExitCode> {
    check_label(&args.label)?;
    let config = load_config(&args.db)?;
    runtime()?.block_on(async move {
        let store = open(&config).await?;
        let user = match account(&store, &args.user).await? {
            Ok(user) => user,
            Err(code) => return Ok(code),
        };
        if !user.active {
            return Ok(refuse(&format!(
                "--user {}: 账户已停用，其令牌不会被接受",
                user.username
            )));
        }
        let (token, row) = store
            .create_api_token(&Actor::system("cli"), user.id, args.label.trim(), now())
            .await?;
        store.close().await;
        println!("{token}");
        eprintln!(
            "已为 {}（{}）创建 API 令牌（编号 {}）。令牌只显示这一次：数据库只保存它的 SHA-256 散列值，无法找回，请妥善保管。\n\
             使用：在请求头中加入 Authorization: Bearer 令牌；撤销：gongkai token revoke --user {} --id {}",
            user.username, user.display_name, row.id, user.username, row.id
        );
        Ok(ExitCode::SUCCESS)
    })
}

fn list(args: UserArgs) -> anyhow::Result<ExitCode> {
    let config = load_config(&args.db)?;
    runtime()?.block_on(async move {
        let store = open(&config).await?;
        let user = match account(&store, &args.user).await? {
            Ok(user) => user,
            Err(code) => return Ok(code),
        };
        let tokens = store.api_tokens(user.id).await?;
        store.close().await;
        if tokens.is_empty() {
            println!("{} 没有 API 令牌。", user.username);
        }
        for t in tokens {
            let state = match t.revoked_at {
                Some(at) => format!("已撤销（{}）", gongkai_web::api::rfc3339(at)),
                None => "有效".to_owned(),
            };
            let label = if t.label.is_empty() {
                "（无说明）"
            } else {
                &t.label
            };
            println!(
                "{}\t{state}\t创建于 {}\t{label}",
                t.id,
                gongkai_web::api::rfc3339(t.created_at)
            );
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn revoke(args: RevokeArgs) -> anyhow::Result<ExitCode> {
    let config = load_config(&args.db)?;
    runtime()?.block_on(async move {
        let store = open(&config).await?;
        let user = match account(&store, &args.user).await? {
            Ok(user) => user,
            Err(code) => return Ok(code),
        };
        let result = store
            .revoke_api_token(&Actor::system("cli"), user.id, args.id, now())
            .await;
        store.close().await;
        match result {
            Ok(()) => {
                println!("已撤销 {} 的 API 令牌（编号 {}）。", user.username, args.id);
                Ok(ExitCode::SUCCESS)
            }
            Err(StoreError::NotFound(_)) => Ok(refuse(&format!(
                "--id {}: {} 没有这个有效的令牌（gongkai token list --user {} 列出其令牌）",
                args.id, user.username, user.username
            ))),
            Err(e) => Err(e.into()),
        }
    })
}
