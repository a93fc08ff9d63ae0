//! 50 MB of random bytes, the largest file `read_path` takes, is refused quickly and in little
//! memory under every name. A test binary of its own, so that the peak memory it reads is this
//! test's.

use std::time::{Duration, Instant};

use gongkai_report::extract::{ExtractError, docx_text};
use gongkai_report::reader::{ReadError, read_bytes};

/// `n` pseudo-random bytes (xorshift64; fixed seed, so a failure repeats).
fn random_bytes(n: usize) -> Vec<u8> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut out = Vec::with_capacity(n + 8);
    while out.len() < n {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.extend_from_slice(&state.to_le_bytes());
    }
    out.truncate(n);
    out
}

/// The process's peak resident set in KiB (Linux `VmHWM`).
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

#[test]
fn docx_random_bytes_is_refused_cheaply() {
    let mut bytes = random_bytes(50_000_000);
    let start = Instant::now();
    let err = docx_text(&bytes).err();
    assert!(
        matches!(&err, Some(ExtractError::NotZip { message }) if message.contains("PK")),
        "refused by its first bytes: {err:?}"
    );
    // Named .docx, or named as text: the text stages never see it (as text it took 32 s and
    // 1.6 GB).
    for name in ["random.docx", "random.txt", "random.html"] {
        let err = read_bytes(&bytes, Some(name)).err();
        assert!(
            matches!(
                err,
                Some(ReadError::Extract(_) | ReadError::NotAReport { .. })
            ),
            "{name}: {err:?}"
        );
    }
    // With a ZIP signature in front, the ZIP reader looks for its directory only near the end.
    bytes[..4].copy_from_slice(b"PK\x03\x04");
    let err = docx_text(&bytes).err();
    assert!(matches!(err, Some(ExtractError::NotZip { .. })), "{err:?}");
    let elapsed = start.elapsed();
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    // The 50 MB input itself is most of it.
    let peak = peak_rss_kib();
    assert!(peak < 300 * 1024, "peak RSS {peak} KiB");
}
