//! `gongkai serve`, `init`, `user`, `backup`, `restore`: running the platform.
//!
//! Configuration comes from a TOML file (`--config FILE` or `GONGKAI_CONFIG`), then the
//! `GONGKAI_*` environment variables (see `gongkai_web::config`), then these flags.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use gongkai_store::{Actor, Backend, Location, OrganScope, Role, Store};
use gongkai_web::{AppState, Config, demo};

/// Where the database and the configuration are.
#[derive(Debug, Args)]
pub struct DbArgs {
    /// The database: a SQLite file (created if absent) or a postgres:// URL.
    /// Default: ./gongkai.db, or [database] url of the configuration.
    #[arg(long, value_name = "PATH-or-URL")]
    pub(crate) db: Option<String>,
    /// A TOML configuration file (default: $GONGKAI_CONFIG if set).
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
}

/// Arguments of `gongkai serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Load the demo organ 呼伦贝尔经济技术开发区 and its staff accounts (printed at start).
    #[arg(long)]
    demo: bool,
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, value_name = "HOST:PORT")]
    addr: Option<String>,
    #[command(flatten)]
    db: DbArgs,
}

/// Arguments of `gongkai init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Also create a root organ with this name.
    #[arg(long, value_name = "NAME")]
    organ_name: Option<String>,
    /// The new organ's website domain (e.g. kfq.hlbe.gov.cn).
    #[arg(long, value_name = "DOMAIN", requires = "organ_name")]
    site_domain: Option<String>,
    /// Create the organ under this superior organ (id, 统一社会信用代码, domain or name)
    /// instead of as a root.
    #[arg(long, value_name = "ORGAN", requires = "organ_name")]
    parent: Option<String>,
    #[command(flatten)]
    db: DbArgs,
}

/// Subcommands of `gongkai user`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a staff account with a role on one organ. The password is read from standard input
    /// with --password-stdin, else from GONGKAI_NEW_PASSWORD, else generated and printed.
    Add(UserAddArgs),
}

/// Arguments of `gongkai user add`.
#[derive(Debug, Args)]
pub struct UserAddArgs {
    /// The organ: id, 统一社会信用代码, website domain or exact name.
    #[arg(long)]
    organ: String,
    /// Login name (3–32 letters, digits, _ - .).
    #[arg(long)]
    username: String,
    /// The name shown to colleagues (default: the login name).
    #[arg(long)]
    name: Option<String>,
    /// admin, head, editor, reviewer or handler.
    #[arg(long, default_value = "admin")]
    role: String,
    /// Read the password from the first line of standard input.
    #[arg(long)]
    password_stdin: bool,
    #[command(flatten)]
    db: DbArgs,
}

/// Arguments of `gongkai backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The backup file to write (must not exist). A name ending in .json gets the portable
    /// JSON form; otherwise a SQLite database gets a SQLite copy (VACUUM INTO) and
    /// PostgreSQL gets JSON.
    file: PathBuf,
    #[command(flatten)]
    db: DbArgs,
}

/// Arguments of `gongkai restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A file written by `gongkai backup` (SQLite copy or JSON). The target database must be
    /// empty (a new file or a new PostgreSQL database).
    file: PathBuf,
    #[command(flatten)]
    db: DbArgs,
}

pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

pub(crate) fn load_config(args: &DbArgs) -> anyhow::Result<Config> {
    let file = args
        .config
        .clone()
        .or_else(|| std::env::var_os("GONGKAI_CONFIG").map(PathBuf::from));
    let mut config = match &file {
        Some(path) => Config::from_file(path)?,
        None => Config::default(),
    };
    config.apply_env(|k| std::env::var(k).ok())?;
    if let Some(db) = &args.db {
        config.database.url = db.clone();
    }
    Ok(config)
}

fn init_logging(config: &Config) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_new(&config.log.level).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    // A second initialisation (tests calling twice) is harmless: keep the first.
    let _ = if config.log.format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

pub(crate) async fn open(config: &Config) -> anyhow::Result<Store> {
    let location = Location::parse(&config.database.url);
    Store::open(&location)
        .await
        .with_context(|| format!("opening database {}", shown(&config.database.url)))
}

/// A database location fit for printing (no password).
pub(crate) fn shown(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

pub(crate) fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// Where the key sealing uploaded files lives unless configured: beside a SQLite file
/// (`gongkai.db.key`), else `gongkai.key` in the working directory.
fn default_key_file(database: &str) -> std::path::PathBuf {
    match Location::parse(database) {
        Location::SqliteFile(path) => {
            let mut name = path.into_os_string();
            name.push(".key");
            name.into()
        }
        Location::Postgres(_) => "gongkai.key".into(),
    }
}

/// `gongkai serve`.
pub fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let mut config = load_config(&args.db)?;
    if let Some(addr) = &args.addr {
        config.server.addr = addr.clone();
    }
    if config.security.data_key_file.as_os_str().is_empty() {
        config.security.data_key_file = default_key_file(&config.database.url);
    }
    config.search.dir = crate::search_cmd::search_dir(&config);
    init_logging(&config);
    runtime()?.block_on(async move {
        let store = open(&config).await?;
        let state = AppState::new(store.clone(), config.clone())?;
        // What is printed at start is best-effort: a closed stdout must not stop the server.
        let mut out = String::new();
        if args.demo {
            let info = demo::load(&store, &state.passwords, now()).await?;
            if info.created {
                out.push_str(&format!(
                    "已载入演示数据：呼伦贝尔经济技术开发区（机关编号 {}）。\n",
                    info.organ_id
                ));
            } else {
                out.push_str(&format!(
                    "演示数据已存在：呼伦贝尔经济技术开发区（机关编号 {}）。\n",
                    info.organ_id
                ));
            }
            let cases = demo::cases::load(&store, info.organ_id, now()).await?;
            demo::interaction::load(&store, info.organ_id, now()).await?;
            if cases > 0 {
                out.push_str(&format!(
                    "已载入 {cases} 件演示申请（逾期、即将到期、待补正、征求意见、延期、收费、已办结）。\n"
                ));
            }
            let items = demo::items::load(&store, info.organ_id, now()).await?;
            demo::catalogue::load(&store, info.organ_id, now()).await?;
            if demo::superior::load(&store, &state.passwords, info.organ_id, now()).await? > 0 {
                out.push_str(&format!(
                    "已载入 2 个演示下级机关（其一的 2022 年报告为导入，前后数字不一致）；上级机关页面：/console/organs/{}/superior?year=2022\n",
                    info.organ_id
                ));
            }
            if items > 0 {
                out.push_str(&format!(
                    "已载入 {items} 条演示主动公开信息（含规范性文件、政策解读、撤回、审核中和草稿）。\n"
                ));
            }
            out.push_str(&format!(
                "演示账户（密码均为 {}，仅供演示）：\n",
                demo::DEMO_PASSWORD
            ));
            for (username, name, role) in demo::DEMO_ACCOUNTS {
                out.push_str(&format!("  {username:<10} {name}（{}）\n", role.label()));
            }
        }
        // The search index is brought in step (rebuilt if it must be) in the background, then
        // checked for changes made by other processes every few seconds.
        tokio::spawn(gongkai_web::search::keep_in_step_forever(state.clone()));
        let listener = tokio::net::TcpListener::bind(&config.server.addr)
            .await
            .with_context(|| format!("listening on {}", config.server.addr))?;
        let local = listener.local_addr()?;
        out.push_str(&format!("数据库：{}\n", shown(&config.database.url)));
        out.push_str(&format!(
            "工作人员登录：http://{local}/login　按 Ctrl-C 停止。\n"
        ));
        // The last line announces readiness (scripts wait for it).
        out.push_str(&format!("gongkai 已启动：http://{local}/\n"));
        let mut stdout = std::io::stdout().lock();
        let _ = stdout
            .write_all(out.as_bytes())
            .and_then(|()| stdout.flush());
        drop(stdout);
        tracing::info!(addr = %local, backend = store.backend().name(), "serving");
        // Idle sessions and spent login counters are removed now and then; reading them
        // checks the timeouts anyway.
        let purge_store = store.clone();
        let limits = config.session_limits();
        let policy = config.lock_policy();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
            loop {
                tick.tick().await;
                if let Err(err) = purge_store.purge_sessions(now(), limits).await {
                    tracing::warn!(error = %err, "purging sessions failed");
                }
                if let Err(err) = purge_store.purge_login_failures(now(), policy).await {
                    tracing::warn!(error = %err, "purging login counters failed");
                }
            }
        });
        gongkai_web::serve(listener, state, shutdown_signal()).await?;
        store.close().await;
        tracing::info!("stopped");
        Ok(ExitCode::SUCCESS)
    })
}

/// `gongkai init`.
pub fn init(args: InitArgs) -> anyhow::Result<ExitCode> {
    let config = load_config(&args.db)?;
    runtime()?.block_on(async move {
        let store = open(&config).await?;
        println!("数据库已就绪：{}", shown(&config.database.url));
        if let Some(name) = &args.organ_name {
            let settings = gongkai_store::organ::OrganSettings {
                name: name.clone(),
                site_name: name.clone(),
                site_domain: args.site_domain.clone().unwrap_or_default(),
                ..Default::default()
            };
            let parent = match &args.parent {
                Some(key) => match store.find_organ(key).await? {
                    Some(parent) => Some(parent.id),
                    None => bail!("--parent {key}: no such organ"),
                },
                None => None,
            };
            let organ = store
                .create_organ(&Actor::system("init"), now(), parent, &settings)
                .await
                .context("creating the organ")?;
            println!("已创建机关：{}（机关编号 {}）", name, organ.id);
            println!(
                "下一步：gongkai user add --organ {} --username admin --role admin",
                organ.id
            );
        }
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

fn read_password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        return Ok((line.trim_end_matches(['\r', '\n']).to_owned(), false));
    }
    if let Ok(p) = std::env::var("GONGKAI_NEW_PASSWORD") {
        return Ok((p, false));
    }
    Ok((
        gongkai_store::session::random_token()[..16].to_owned(),
        true,
    ))
}

/// `gongkai user`.
pub fn user(cmd: UserCommand) -> anyhow::Result<ExitCode> {
    let UserCommand::Add(args) = cmd;
    let config = load_config(&args.db)?;
    let Some(role) = Role::from_key(&args.role) else {
        bail!(
            "--role {}: unknown role (use one of: {})",
            args.role,
            Role::ALL.map(|r| r.key()).join(", ")
        );
    };
    let (password, generated) = read_password(args.password_stdin)?;
    if password.chars().count() < 10 {
        bail!("the password must have at least 10 characters");
    }
    runtime()?.block_on(async move {
        let store = open(&config).await?;
        let Some(organ) = store.find_organ(&args.organ).await? else {
            bail!(
                "--organ {}: no such organ (give its id, 统一社会信用代码, domain or name)",
                args.organ
            );
        };
        let passwords = gongkai_web::auth::Passwords::new(&config.security, 1)?;
        let hash = passwords.hash(&password)?;
        let name = args.name.clone().unwrap_or_else(|| args.username.clone());
        let new = gongkai_store::user::NewUser {
            username: &args.username,
            display_name: &name,
            password_hash: &hash,
        };
        let result = store
            .create_user(
                &Actor::system("cli"),
                OrganScope::system(organ.id),
                now(),
                &new,
                role,
            )
            .await;
        match result {
            Ok(user) => {
                println!(
                    "已添加 {}（{}），角色 {}，机关 {}。",
                    user.username,
                    user.display_name,
                    role.label(),
                    organ.settings.name
                );
                if generated {
                    println!("初始密码：{password}　请登录后妥善保管。");
                }
            }
            Err(gongkai_store::StoreError::Conflict(_)) => {
                bail!(
                    "--username {}: this login name is already taken",
                    args.username
                )
            }
            Err(e) => return Err(e.into()),
        }
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

/// `gongkai backup FILE`.
pub fn backup(args: BackupArgs) -> anyhow::Result<ExitCode> {
    let config = load_config(&args.db)?;
    if args.file.exists() {
        bail!(
            "{}: already exists; choose a new file name",
            args.file.display()
        );
    }
    runtime()?.block_on(async move {
        let store = open(&config).await?;
        let json = args.file.extension().is_some_and(|e| e == "json");
        if store.backend() == Backend::Sqlite && !json {
            store
                .sqlite_snapshot(&args.file)
                .await
                .with_context(|| format!("{}: writing the SQLite copy", args.file.display()))?;
            println!("已备份（SQLite 数据库副本）：{}", args.file.display());
        } else {
            let document = store.dump().await?;
            let text = serde_json::to_string_pretty(&document)?;
            write_new(&args.file, text.as_bytes())?;
            println!("已备份（JSON）：{}", args.file.display());
        }
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

fn write_new(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("{}: creating", path.display()))?;
    file.write_all(bytes)
        .with_context(|| format!("{}: writing", path.display()))?;
    Ok(())
}

/// The portable form of a SQLite copy. The copy may come from an older version with fewer
/// tables, so it is brought up to date first, in a scratch copy: the backup file itself is
/// never changed.
async fn sqlite_backup_document(file: &Path, bytes: &[u8]) -> anyhow::Result<serde_json::Value> {
    let scratch_dir =
        std::env::temp_dir().join(format!("gongkai-restore-{}-{}", std::process::id(), now()));
    std::fs::create_dir_all(&scratch_dir)
        .with_context(|| format!("{}: creating", scratch_dir.display()))?;
    let scratch = scratch_dir.join("backup.db");
    let result = async {
        std::fs::write(&scratch, bytes)
            .with_context(|| format!("{}: writing", scratch.display()))?;
        let source = Store::open(&Location::SqliteFile(scratch.clone()))
            .await
            .with_context(|| format!("{}: opening the SQLite backup", file.display()))?;
        let document = source.dump().await;
        source.close().await;
        Ok(document?)
    }
    .await;
    let _ = std::fs::remove_dir_all(&scratch_dir);
    result
}

/// `gongkai restore FILE`.
pub fn restore(args: RestoreArgs) -> anyhow::Result<ExitCode> {
    let config = load_config(&args.db)?;
    let bytes =
        std::fs::read(&args.file).with_context(|| format!("{}: reading", args.file.display()))?;
    runtime()?.block_on(async move {
        let document = if bytes.starts_with(b"SQLite format 3\0") {
            sqlite_backup_document(&args.file, &bytes).await?
        } else {
            serde_json::from_slice(&bytes)
                .with_context(|| format!("{}: not a gongkai backup (JSON)", args.file.display()))?
        };
        let store = open(&config).await?;
        store
            .restore(&document)
            .await
            .with_context(|| format!("restoring into {}", shown(&config.database.url)))?;
        store
            .record_event(
                &Actor::system("restore"),
                now(),
                None,
                "restore",
                serde_json::json!({ "file": args.file.display().to_string() }),
            )
            .await?;
        let organs = store.organs().await?.len();
        let users = store.user_count().await?;
        println!(
            "已恢复：{} 个机关，{} 个工作人员账户，来自 {}。",
            organs,
            users,
            args.file.display()
        );
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn passwords_are_hidden_when_printing_urls() {
        assert_eq!(
            shown("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(shown("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(shown("gongkai.db"), "gongkai.db");
    }
}
