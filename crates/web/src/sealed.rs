//! Files applicants and staff upload (身份证明, a scanned letter), sealed before they reach the
//! database: XChaCha20-Poly1305 with a 32-byte deployment key and a random nonce per file.
//! The key lives in a file outside the database (`data_key_file`), so a copy of the database
//! alone does not reveal the files; a backup of the deployment must keep both.

use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;

/// The deployment's key for uploaded files.
#[derive(Clone)]
pub struct DataKey([u8; 32]);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

/// Why the key file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// It cannot be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// It does not hold 64 hexadecimal digits.
    #[error("{path}: 应为 64 位十六进制数字（32 字节密钥）")]
    Malformed {
        /// The file.
        path: String,
    },
}

impl DataKey {
    /// A fresh random key (tests; a deployment without a configured file gets one written).
    pub fn random() -> DataKey {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        DataKey(key)
    }

    /// Reads the key file, or creates it (readable by the owner only) if it does not exist.
    pub fn load_or_create(path: &Path) -> Result<DataKey, KeyError> {
        let shown = path.display().to_string();
        let io = |source| KeyError::Io {
            path: shown.clone(),
            source,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => parse_hex(text.trim()).ok_or(KeyError::Malformed {
                path: shown.clone(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = DataKey::random();
                write_private(path, &key.hex()).map_err(io)?;
                Ok(key)
            }
            Err(e) => Err(io(e)),
        }
    }

    fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Seals `plain`; `purpose` is bound into the tag, so a file cannot be passed off as
    /// another kind. Returns (nonce, ciphertext).
    pub fn seal(&self, purpose: &str, plain: &[u8]) -> (Vec<u8>, Vec<u8>) {
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        let mut nonce = [0u8; 24];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plain,
                    aad: purpose.as_bytes(),
                },
            )
            // Encryption fails only for inputs beyond 256 GiB; uploads are bounded far below.
            .unwrap_or_default();
        (nonce.to_vec(), sealed)
    }

    /// Opens a sealed file; `None` if the key, nonce, purpose or bytes do not match.
    pub fn open(&self, purpose: &str, nonce: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
        let nonce: [u8; 24] = nonce.try_into().ok()?;
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: sealed,
                    aad: purpose.as_bytes(),
                },
            )
            .ok()
    }
}

fn parse_hex(text: &str) -> Option<DataKey> {
    if text.len() != 64 {
        return None;
    }
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(DataKey(key))
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_files_open_only_with_their_key_and_purpose() {
        let key = DataKey::random();
        let (nonce, sealed) = key.seal("id_proof", b"%PDF-1.4 scan");
        assert_ne!(sealed, b"%PDF-1.4 scan");
        assert_eq!(
            key.open("id_proof", &nonce, &sealed).as_deref(),
            Some(&b"%PDF-1.4 scan"[..])
        );
        assert_eq!(key.open("letter", &nonce, &sealed), None);
        assert_eq!(DataKey::random().open("id_proof", &nonce, &sealed), None);
    }

    #[test]
    fn the_key_file_is_created_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gongkai.key");
        let first = DataKey::load_or_create(&path).unwrap();
        let again = DataKey::load_or_create(&path).unwrap();
        assert_eq!(first.0, again.0);
        std::fs::write(&path, "not hex").unwrap();
        assert!(matches!(
            DataKey::load_or_create(&path),
            Err(KeyError::Malformed { .. })
        ));
    }
}
