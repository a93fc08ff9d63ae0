//! `gongkai search reindex` run as an operator would, against the built binary: it rebuilds
//! the index beside the database and prints the count, a later `serve` searches it, and a
//! directory whose writer another process holds is refused with a Chinese message (exit 1).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use gongkai_search::{Item, Query, SearchIndex};

fn gongkai(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    cmd.current_dir(dir);
    // The test's own environment must not redirect the database, the index or the config.
    for var in [
        "GONGKAI_DB",
        "GONGKAI_CONFIG",
        "GONGKAI_ADDR",
        "GONGKAI_PORTAL_ORGAN",
        "GONGKAI_SEARCH_DIR",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// A running `gongkai serve`, killed on drop.
struct Server {
    child: Child,
    _stdout: BufReader<std::process::ChildStdout>,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// The child is waited for by `Server`'s Drop, or just before the panic below.
#[allow(clippy::zombie_processes)]
fn start(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
    let mut child = gongkai(dir)
        .arg("serve")
        .args(args)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn gongkai serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut reader = BufReader::new(stdout);
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line).unwrap_or(0);
        if n == 0 || Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("server exited early: {lines:?}");
        }
        if let Some(rest) = line.trim_end().strip_prefix("gongkai 已启动：http://") {
            let addr = rest.trim_end_matches('/').to_owned();
            return Server {
                child,
                _stdout: reader,
                addr,
            };
        }
        lines.push(line);
    }
}

/// A minimal HTTP/1.1 GET: (status, body).
fn get(addr: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("receive");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("response head");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_owned()
    };
    (status, body)
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

fn reindex(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    gongkai(dir)
        .args(["search", "reindex"])
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("run gongkai search reindex")
}

/// A database with the demo's published items, made by `serve --demo` with its own index
/// elsewhere (so the directory beside the database does not exist yet).
fn demo_database(dir: &Path) {
    let elsewhere = dir.join("elsewhere");
    let elsewhere = elsewhere.to_str().unwrap();
    let server = start(
        dir,
        &["--demo", "--addr", "127.0.0.1:0", "--db", "g.db"],
        &[("GONGKAI_SEARCH_DIR", elsewhere)],
    );
    drop(server);
    assert!(!dir.join("g.db.search").exists());
}

#[test]
fn reindex_prints_the_count_and_a_later_serve_searches_the_rebuilt_index() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    demo_database(dir);

    let out = reindex(dir, &["--db", "g.db"], &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let count: u64 = stdout
        .strip_prefix("检索索引已重建：")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{stdout}"));
    // The demo publishes a few dozen items (one more is withdrawn, others are drafts).
    assert!(count > 20, "{stdout}");
    assert!(stdout.contains("g.db.search"), "{stdout}");

    // The directory holds them, searchable with the crate directly.
    let index = SearchIndex::open(dir.join("g.db.search")).unwrap();
    assert_eq!(index.num_items(), count);
    let found = index.search(&Query::new("呼经开管发[2025]11号")).unwrap();
    assert_eq!(found.hits.len(), 1);
    assert!(found.hits[0].exact);
    drop(index);

    // Run again: the same count (rebuilt whole, nothing added twice).
    let again = reindex(dir, &["--db", "g.db"], &[]);
    assert!(again.status.success());
    assert_eq!(String::from_utf8_lossy(&again.stdout), stdout);

    // `serve` on the database uses the directory beside it and finds the items.
    let server = start(dir, &["--addr", "127.0.0.1:0", "--db", "g.db"], &[]);
    let (status, page) = get(&server.addr, "/zwgk/search?q=%E6%89%AC%E5%B0%98");
    assert_eq!(status, 200);
    assert!(page.contains("<em>扬尘</em>"), "{page}");
    assert!(page.contains("共找到"), "{page}");
    let (status, exact) = get(
        &server.addr,
        "/zwgk/search?q=%E5%91%BC%E7%BB%8F%E5%BC%80%E7%AE%A1%E5%8F%91(2025)11%E5%8F%B7",
    );
    assert_eq!(status, 200);
    assert!(exact.contains("文号相符"), "{exact}");
}

#[test]
fn reindex_refuses_a_directory_whose_writer_another_process_holds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let index_dir = dir.join("index");
    // This test process writes the directory and keeps its writer, as a server does.
    let held = SearchIndex::open(&index_dir).unwrap();
    held.upsert(&Item {
        id: 1,
        organ_id: 1,
        title: "测试".into(),
        body_text: "测试".into(),
        doc_number: String::new(),
        index_number: String::new(),
        publisher: String::new(),
        column: String::new(),
        kind: String::new(),
        published: time::Date::from_calendar_date(2026, time::Month::January, 5).unwrap(),
        validity: String::new(),
    })
    .unwrap();
    held.commit().unwrap();

    let index_path = index_dir.to_str().unwrap();
    let out = reindex(
        dir,
        &["--db", "g.db"],
        &[("GONGKAI_SEARCH_DIR", index_path)],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("正由运行中的服务写入"), "{stderr}");
    assert!(
        stderr.contains(index_path),
        "the message names the directory: {stderr}"
    );
    assert!(out.stdout.is_empty());
    // Nothing was changed: the holder's item is still there.
    assert_eq!(held.num_items(), 1);
}
