//! The owner's command tokens: proof that a mail replies to one klachtd sent her.
//!
//! A token is `KC1.{case}.{scope}.{expiry}.{nonce}.{mac}`: the case number (or `alle`
//! for the digest), the scope (`c`: commands about that case; `o`: the overview only),
//! the last valid day (days since 1970-01-01, UTC), a number that tells tokens of the
//! same day apart, and the first 128 bits of HMAC-SHA256 over all of these, keyed by the
//! key of `[owner_commands] key_file` (the config reads it; here it is bytes). A token is
//! used once: the store records each used one as a mark (see `store::keys::token_mark`).
//!
//! Pure: "now" is an argument.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use regex::Regex;
use sha2::Sha256;

use crate::domain::CaseNumber;

type HmacSha256 = Hmac<Sha256>;

/// The token key: 32 bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenKey([u8; 32]);

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKey(..)")
    }
}

impl TokenKey {
    pub fn new(bytes: [u8; 32]) -> TokenKey {
        TokenKey(bytes)
    }

    /// The key as the key file's first line has it: 64 hexadecimal characters.
    pub fn from_hex(line: &str) -> Result<TokenKey, String> {
        key_from_hex(line).map(TokenKey)
    }

    /// The key as a key file's line (for `klachtd init` and tests).
    pub fn to_hex(&self) -> String {
        key_to_hex(&self.0)
    }

    fn mac(&self, body: &str) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(body.as_bytes());
        mac
    }
}

/// The 32 bytes of a key file's first line, 64 hexadecimal characters: the one reader of
/// key files (this key's, and the store's master key, `store::crypt`).
pub fn key_from_hex(line: &str) -> Result<[u8; 32], String> {
    let line = line.trim();
    if line.len() != 64 || !line.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err("the first line must be 64 hexadecimal characters (32 bytes)".into());
    }
    let mut bytes = [0u8; 32];
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = u8::from_str_radix(&line[2 * i..2 * i + 2], 16)
            .map_err(|_| "not hexadecimal".to_string())?;
    }
    Ok(bytes)
}

/// A key as a key file's line: 64 hexadecimal characters (see [`key_from_hex`]).
pub fn key_to_hex(bytes: &[u8; 32]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a token allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every command about the token's case.
    Case(CaseNumber),
    /// The overview (`overzicht`) only: the digest's token, about no case.
    Overview,
}

/// A token that was checked: genuine and not expired (whether it was used is the store's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub scope: Scope,
    /// The last valid day, in days since 1970-01-01 (UTC).
    pub expires_day: i64,
    /// The MAC, hex: what the store records once the token is used.
    pub mac: String,
}

/// Why a token was not accepted. Names no person (logs).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenRefusal {
    #[error("no token of klachtd in the mail")]
    Missing,
    #[error("the token was altered or not made with our key")]
    Tampered,
    #[error("the token expired")]
    Expired,
    #[error("the token was used before")]
    Used,
    #[error("the token is of another case than the command")]
    OtherCase,
}

static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"KC1\.(KL-\d{4}-\d{4,6}|alle)\.([co])\.(\d{1,7})\.(\d{1,20})\.([0-9a-fA-F]{32})")
        .expect("token regex")
});

fn day(now: DateTime<Utc>) -> i64 {
    now.timestamp().div_euclid(86_400)
}

fn body(scope: Scope, expires_day: i64, nonce: u64) -> String {
    let (case, s) = match scope {
        Scope::Case(n) => (n.to_string(), "c"),
        Scope::Overview => ("alle".to_string(), "o"),
    };
    format!("KC1.{case}.{s}.{expires_day}.{nonce}")
}

/// A new token for `scope`, valid `days` days from `now` (through the last of them);
/// `nonce` tells the tokens of one case and day apart (the case's log length does).
pub fn issue(key: &TokenKey, scope: Scope, now: DateTime<Utc>, days: u32, nonce: u64) -> String {
    let body = body(scope, day(now) + i64::from(days), nonce);
    let mac = key.mac(&body).finalize().into_bytes();
    let hex: String = mac[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("{body}.{hex}")
}

/// Every token-like string in `text`, in order.
pub fn find(text: &str) -> Vec<&str> {
    TOKEN.find_iter(text).map(|m| m.as_str()).collect()
}

/// Checks one token (as found by [`find`]) at `now`: made with `key`, not altered, not
/// expired.
pub fn verify(key: &TokenKey, token: &str, now: DateTime<Utc>) -> Result<Token, TokenRefusal> {
    let caps = TOKEN.captures(token).ok_or(TokenRefusal::Tampered)?;
    let whole = caps.get(0).map_or("", |m| m.as_str());
    let (body, hex) = whole.rsplit_once('.').ok_or(TokenRefusal::Tampered)?;
    let mut given = [0u8; 16];
    for (i, b) in given.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| TokenRefusal::Tampered)?;
    }
    // Constant time: the first 16 bytes of the MAC.
    key.mac(body)
        .verify_truncated_left(&given)
        .map_err(|_| TokenRefusal::Tampered)?;
    let scope = match (&caps[1], &caps[2]) {
        ("alle", "o") => Scope::Overview,
        (case, "c") => Scope::Case(case.parse().map_err(|_| TokenRefusal::Tampered)?),
        _ => return Err(TokenRefusal::Tampered),
    };
    let expires_day: i64 = caps[3].parse().map_err(|_| TokenRefusal::Tampered)?;
    if day(now) > expires_day {
        return Err(TokenRefusal::Expired);
    }
    Ok(Token {
        scope,
        expires_day,
        mac: hex.to_ascii_lowercase(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn key() -> TokenKey {
        TokenKey::from_hex(&"0123456789abcdef".repeat(4)).unwrap()
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_798_000_000, 0).unwrap()
    }

    const CASE: CaseNumber = CaseNumber { year: 2026, seq: 7 };

    #[test]
    fn a_token_is_made_found_and_checked() {
        let t = issue(&key(), Scope::Case(CASE), now(), 30, 12);
        assert!(t.starts_with("KC1.KL-2026-0007.c."));
        let text = format!("> Code: {t}\n> -- \n");
        assert_eq!(find(&text), vec![t.as_str()]);
        let ok = verify(&key(), &t, now()).unwrap();
        assert_eq!(ok.scope, Scope::Case(CASE));
        // Valid through the 30th day, expired on the 31st.
        assert!(verify(&key(), &t, now() + Duration::days(30)).is_ok());
        assert_eq!(
            verify(&key(), &t, now() + Duration::days(31)),
            Err(TokenRefusal::Expired)
        );
        let o = issue(&key(), Scope::Overview, now(), 30, 0);
        assert_eq!(verify(&key(), &o, now()).unwrap().scope, Scope::Overview);
        // Another nonce, another token.
        assert_ne!(issue(&key(), Scope::Case(CASE), now(), 30, 13), t);
        assert_eq!(key().to_hex(), "0123456789abcdef".repeat(4));
    }

    #[test]
    fn an_altered_token_or_another_key_is_refused() {
        let t = issue(&key(), Scope::Case(CASE), now(), 30, 12);
        let other_case = t.replace("KL-2026-0007", "KL-2026-0008");
        let later = {
            let parts: Vec<&str> = t.split('.').collect();
            let more: i64 = parts[3].parse::<i64>().unwrap() + 100;
            format!(
                "{}.{}.{}.{more}.{}.{}",
                parts[0], parts[1], parts[2], parts[4], parts[5]
            )
        };
        let overview = t.replace(".c.", ".o.");
        let mut flipped = t.clone();
        let last = flipped.pop().unwrap();
        flipped.push(if last == '0' { '1' } else { '0' });
        for bad in [other_case, later, overview, flipped] {
            assert_eq!(
                verify(&key(), &bad, now()),
                Err(TokenRefusal::Tampered),
                "{bad}"
            );
        }
        let other_key = TokenKey::new([7; 32]);
        assert_eq!(verify(&other_key, &t, now()), Err(TokenRefusal::Tampered));
        assert_eq!(
            verify(&key(), "KC1.nonsense", now()),
            Err(TokenRefusal::Tampered)
        );
    }

    #[test]
    fn key_lines() {
        assert!(TokenKey::from_hex("abc").is_err());
        assert!(TokenKey::from_hex(&"g".repeat(64)).is_err());
        assert!(TokenKey::from_hex(&format!("  {}  ", "a".repeat(64))).is_ok());
        assert_eq!(format!("{:?}", key()), "TokenKey(..)");
    }
}
