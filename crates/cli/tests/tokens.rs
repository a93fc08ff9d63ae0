//! `gongkai token create|list|revoke` and `gongkai calendar enter|list`, run as an operator
//! would against the built binary, with the database prepared and checked through the store
//! on the same SQLite file.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use gongkai_core::clock::Channel;
use gongkai_store::application::{Applicant, NewApplication, Request};
use gongkai_store::organ::OrganSettings;
use gongkai_store::user::NewUser;
use gongkai_store::{Actor, Location, OrganScope, Role, Store};

/// A holiday notice for 2027 in the calendar file format (a fixture for the tests, not the
/// State Council's real notice): 元旦 on Friday 2027-01-01 and Monday 2027-01-04.
const NOTICE_2027: &str = "\
# 测试用：2027 年部分节假日安排（仅元旦）
year 2027
notice 国务院办公厅关于2027年部分节假日安排的通知（测试用）

off 元旦 2027-01-01 2027-01-04
work 元旦 2027-01-09
";

/// The same file with a misspelt keyword on line 3.
const BAD_NOTICE: &str = "\
year 2027
notice 测试
of 元旦 2027-01-01
";

fn gongkai(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    cmd.current_dir(dir).args(args);
    // The test's own environment must not redirect the database or the configuration.
    for var in ["GONGKAI_DB", "GONGKAI_CONFIG"] {
        cmd.env_remove(var);
    }
    cmd.output().expect("run gongkai")
}

/// A running `gongkai serve`, killed on drop.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `gongkai serve` on a free loopback port and waits for its ready line.
fn serve(dir: &Path, db: &str) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .current_dir(dir)
        .args(["serve", "--addr", "127.0.0.1:0", "--db", db])
        .env_remove("GONGKAI_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn gongkai serve");
    let mut server = Server {
        child,
        addr: String::new(),
    };
    let stdout = server.child.stdout.take().expect("stdout");
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("read stdout");
        if let Some(rest) = line.strip_prefix("gongkai 已启动：http://") {
            server.addr = rest.trim_end_matches('/').to_owned();
            return server;
        }
    }
    panic!("gongkai serve exited before it was ready");
}

/// A GET with an optional bearer token: the status.
fn status_of(addr: &str, path: &str, token: Option<&str>) -> u16 {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Connection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("receive");
    let text = String::from_utf8_lossy(&raw).into_owned();
    text.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A database with one organ and a case handler `chengban`; returns its path.
async fn database(dir: &Path) -> PathBuf {
    let path = dir.join("gongkai.db");
    let store = Store::open(&Location::SqliteFile(path.clone()))
        .await
        .unwrap();
    let settings = OrganSettings {
        name: "呼伦贝尔经济技术开发区管理委员会".into(),
        ..OrganSettings::default()
    };
    let organ = store
        .create_organ(&Actor::system("test"), 0, None, &settings)
        .await
        .unwrap();
    store
        .create_user(
            &Actor::system("test"),
            OrganScope::system(organ.id),
            0,
            &NewUser {
                username: "chengban",
                display_name: "承办人甲",
                password_hash: "not-a-login",
            },
            Role::CaseHandler,
        )
        .await
        .unwrap();
    store.close().await;
    path
}

async fn reopen(path: &Path) -> Store {
    Store::open(&Location::SqliteFile(path.to_owned()))
        .await
        .unwrap()
}

#[tokio::test]
async fn token_create_prints_one_token_that_the_api_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path()).await;
    let db = db.to_str().unwrap();
    let out = gongkai(
        dir.path(),
        &[
            "token",
            "create",
            "--user",
            "chengban",
            "--db",
            db,
            "--label",
            "报送系统",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "the token alone on stdout: {stdout:?}");
    let token = lines[0];
    assert!(token.starts_with("gk_") && token.len() == 43, "{token}");
    assert!(text(&out.stderr).contains("散列"), "{}", text(&out.stderr));
    let store = reopen(Path::new(db)).await;
    let user = store
        .user_for_token(token)
        .await
        .unwrap()
        .expect("accepted");
    assert_eq!(user.username, "chengban");
    let tokens = store.api_tokens(user.id).await.unwrap();
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].label, "报送系统");
    store.close().await;
    // The running server's API takes it, and nothing less.
    let server = serve(dir.path(), db);
    let path = format!("/api/v1/organs/{}/applications", 1);
    assert_eq!(status_of(&server.addr, &path, Some(token)), 200);
    assert_eq!(status_of(&server.addr, &path, None), 401);
    assert_eq!(status_of(&server.addr, &path, Some("gk_wrong")), 401);
    drop(server);
    // Only its hash is kept: the token itself appears nowhere in the database file.
    let bytes = std::fs::read(db).unwrap();
    let wal = std::fs::read(format!("{db}-wal")).unwrap_or_default();
    for haystack in [&bytes, &wal] {
        assert!(
            !haystack.windows(token.len()).any(|w| w == token.as_bytes()),
            "the plain token was stored"
        );
    }
}

#[tokio::test]
async fn token_create_for_an_unknown_user_names_it_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path()).await;
    let out = gongkai(
        dir.path(),
        &[
            "token",
            "create",
            "--user",
            "nobody",
            "--db",
            db.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("gongkai: "), "{stderr}");
    assert!(stderr.contains("nobody"), "{stderr}");
}

#[tokio::test]
async fn token_revoke_ends_the_token_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path()).await;
    let db = db.to_str().unwrap();
    let out = gongkai(
        dir.path(),
        &["token", "create", "--user", "chengban", "--db", db],
    );
    let token = text(&out.stdout).trim().to_owned();
    let list = gongkai(
        dir.path(),
        &["token", "list", "--user", "chengban", "--db", db],
    );
    let listed = text(&list.stdout);
    assert!(listed.starts_with("1\t有效"), "{listed}");
    assert!(!listed.contains(&token), "a list never shows the token");
    let out = gongkai(
        dir.path(),
        &[
            "token", "revoke", "--user", "chengban", "--id", "1", "--db", db,
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let store = reopen(Path::new(db)).await;
    assert!(store.user_for_token(&token).await.unwrap().is_none());
    store.close().await;
    let list = gongkai(
        dir.path(),
        &["token", "list", "--user", "chengban", "--db", db],
    );
    assert!(
        text(&list.stdout).contains("已撤销"),
        "{}",
        text(&list.stdout)
    );
    let again = gongkai(
        dir.path(),
        &[
            "token", "revoke", "--user", "chengban", "--id", "1", "--db", db,
        ],
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("--id 1"));
}

#[tokio::test]
async fn calendar_enter_with_a_bad_file_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path()).await;
    std::fs::write(dir.path().join("bad.txt"), BAD_NOTICE).unwrap();
    let out = gongkai(
        dir.path(),
        &[
            "calendar",
            "enter",
            "bad.txt",
            "--number",
            "国办发明电〔2026〕7号",
            "--date",
            "2026-11-10",
            "--db",
            db.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("bad.txt"), "{stderr}");
    assert!(stderr.contains("第 3 行"), "{stderr}");
    let store = reopen(&db).await;
    assert!(
        store.calendar_years().await.unwrap().is_empty(),
        "nothing entered"
    );
    store.close().await;
}

#[tokio::test]
async fn calendar_enter_2027_recomputes_a_case_received_2026_12_04() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path()).await;
    let store = reopen(&db).await;
    let organ = store.organs().await.unwrap()[0].id;
    // Received on Friday 2026-12-04 (the CLI counts on the real date, which is not before it):
    // art. 33's 20 working days end in January 2027, a year shipped without a notice, so the
    // due date is provisional — 2027-01-04, with only 元旦 counted as a holiday.
    let received = gongkai_core::calendar::parse_date("2026-12-04").unwrap();
    let application = store
        .create_application(
            &Actor::system("test"),
            OrganScope::system(organ),
            0,
            &NewApplication {
                applicant: Applicant {
                    kind: "natural_person".into(),
                    name: "张三".into(),
                    id_type: "resident_id".into(),
                    id_number: "11010519491231002X".into(),
                    phone: "13800138000".into(),
                    ..Applicant::default()
                },
                request: Request {
                    description: "2026年本区道路维修计划".into(),
                    ..Request::default()
                },
                channel: Channel::InPerson,
                received,
                query_code: None,
                attachments: Vec::new(),
            },
        )
        .await
        .unwrap();
    store.close().await;
    std::fs::write(dir.path().join("2027.txt"), NOTICE_2027).unwrap();
    let db_arg = db.to_str().unwrap();
    let out = gongkai(
        dir.path(),
        &[
            "calendar",
            "enter",
            "2027.txt",
            "--number",
            "国办发明电〔2026〕7号",
            "--date",
            "2026-11-10",
            "--db",
            db_arg,
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    // The notice makes Monday 2027-01-04 a day off too: the 20th working day is 01-05.
    assert!(
        stdout
            .lines()
            .any(|l| l == "YSQ-2026-0001 2027-01-04 → 2027-01-05"),
        "{stdout}"
    );
    let store = reopen(&db).await;
    let years = store.calendar_years().await.unwrap();
    assert_eq!(years.len(), 1);
    assert_eq!(years[0].year, 2027);
    assert_eq!(years[0].notice_number, "国办发明电〔2026〕7号");
    assert_eq!(years[0].entered_by, "system:cli");
    let case = store
        .application(OrganScope::system(organ), application.id)
        .await
        .unwrap();
    let last = &case.events.last().unwrap().event;
    assert_eq!(last.what.key(), "calendar_recomputed");
    store.close().await;
    let list = gongkai(dir.path(), &["calendar", "list", "--db", db_arg]);
    let listed = text(&list.stdout);
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with("2027\t国办发明电〔2026〕7号\t2026-11-10")),
        "{listed}"
    );
    // Entering the same notice again changes no due date.
    let out = gongkai(
        dir.path(),
        &[
            "calendar",
            "enter",
            "2027.txt",
            "--number",
            "国办发明电〔2026〕7号",
            "--date",
            "2026-11-10",
            "--db",
            db_arg,
        ],
    );
    assert!(out.status.success());
    assert!(
        !text(&out.stdout).contains("YSQ-2026-0001"),
        "{}",
        text(&out.stdout)
    );
}
