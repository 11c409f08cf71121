//! Resolving a configured [`Secret`] (password or OAuth2 token) to its value, for IMAP and
//! SMTP alike. Errors name where the secret should have come from, never its value.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::config::Secret;

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("cannot read password file {path}: {source}")]
    File {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("environment variable {0} is not set (or not UTF-8)")]
    Env(String),
    #[error("cannot run secret command: {0}")]
    Spawn(std::io::Error),
    #[error("secret command failed ({status}): {stderr}")]
    Command { status: String, stderr: String },
    #[error("secret command printed something that is not UTF-8")]
    NotUtf8,
    #[error("the secret is empty")]
    Empty,
    /// The blocking task of [`resolve_secret_async`] did not finish (a panic).
    #[error(transparent)]
    Task(#[from] tokio::task::JoinError),
}

static INLINE_WARNED: AtomicBool = AtomicBool::new(false);

/// The value of a secret: the inline text, a file's content (trailing newline trimmed), an
/// environment variable, or a command's standard output (run with `sh -c`, trimmed).
///
/// Blocking (reads a file or runs a command): call it from `spawn_blocking` in async code,
/// or accept a short block. A token command is run again each time, as tokens expire.
pub fn resolve_secret(secret: &Secret) -> Result<String, SecretError> {
    let value = match secret {
        Secret::Inline(s) => {
            if !INLINE_WARNED.swap(true, Ordering::Relaxed) {
                tracing::warn!(
                    "a password is written in the config file; password_file, password_env or password_command are safer"
                );
            }
            s.clone()
        }
        Secret::File(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| SecretError::File {
                path: path.clone(),
                source,
            })?;
            text.trim_end_matches(['\n', '\r']).to_string()
        }
        Secret::Env(name) => std::env::var(name).map_err(|_| SecretError::Env(name.clone()))?,
        Secret::Command(cmd) | Secret::TokenCommand(cmd) => {
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(cmd)
                .stdin(std::process::Stdio::null())
                .output()
                .map_err(SecretError::Spawn)?;
            if !out.status.success() {
                let stderr = String::from_utf8_lossy(&out.stderr);
                return Err(SecretError::Command {
                    status: out.status.to_string(),
                    stderr: stderr.trim().chars().take(200).collect(),
                });
            }
            String::from_utf8(out.stdout)
                .map_err(|_| SecretError::NotUtf8)?
                .trim()
                .to_string()
        }
    };
    if value.is_empty() {
        return Err(SecretError::Empty);
    }
    Ok(value)
}

/// [`resolve_secret`] on tokio's blocking threads, for async code: what IMAP and SMTP
/// call at each login.
pub async fn resolve_secret_async(secret: &Secret) -> Result<String, SecretError> {
    let secret = secret.clone();
    tokio::task::spawn_blocking(move || resolve_secret(&secret)).await?
}

/// Whether the secret is an OAuth2 token (XOAUTH2) rather than a password.
pub fn is_token(secret: &Secret) -> bool {
    matches!(secret, Secret::TokenCommand(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pw");
        std::fs::write(&file, "geheim\n").unwrap();
        assert_eq!(resolve_secret(&Secret::File(file)).unwrap(), "geheim");
        assert_eq!(
            resolve_secret(&Secret::Inline("x y".into())).unwrap(),
            "x y"
        );
        assert_eq!(
            resolve_secret(&Secret::Command("printf ' tok\\n'".into())).unwrap(),
            "tok"
        );
        assert_eq!(
            resolve_secret(&Secret::TokenCommand("echo abc".into())).unwrap(),
            "abc"
        );
        assert!(matches!(
            resolve_secret(&Secret::Env("KLACHTD_SURELY_UNSET_VAR".into())),
            Err(SecretError::Env(_))
        ));
        let e = resolve_secret(&Secret::Command("echo oops >&2; exit 3".into())).unwrap_err();
        assert!(e.to_string().contains("oops"), "{e}");
        assert!(matches!(
            resolve_secret(&Secret::Command("true".into())),
            Err(SecretError::Empty)
        ));
        assert!(matches!(
            resolve_secret(&Secret::File(dir.path().join("missing"))),
            Err(SecretError::File { .. })
        ));
    }

    #[tokio::test]
    async fn resolved_off_the_async_threads_alike() {
        let secret = Secret::Command("printf ' tok\\n'".into());
        assert_eq!(resolve_secret_async(&secret).await.unwrap(), "tok");
        assert!(matches!(
            resolve_secret_async(&Secret::Command("true".into())).await,
            Err(SecretError::Empty)
        ));
    }
}
