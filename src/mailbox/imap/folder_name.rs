//! Folder names as they go over the wire: IMAP's modified UTF-7 and quoted strings.

/// An IMAP quoted string.
pub(super) fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A folder name in IMAP's modified UTF-7 (RFC 3501 5.1.3), as sent on the wire.
pub fn encode_folder(name: &str) -> String {
    use base64::Engine as _;
    fn flush(out: &mut String, pending: &mut Vec<u16>) {
        if pending.is_empty() {
            return;
        }
        let bytes: Vec<u8> = pending.iter().flat_map(|u| u.to_be_bytes()).collect();
        let b64 = base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes);
        out.push('&');
        out.push_str(&b64.replace('/', ","));
        out.push('-');
        pending.clear();
    }
    let mut out = String::new();
    let mut pending = Vec::new();
    for c in name.chars() {
        if (' '..='~').contains(&c) {
            flush(&mut out, &mut pending);
            if c == '&' {
                out.push_str("&-");
            } else {
                out.push(c);
            }
        } else {
            let mut buf = [0u16; 2];
            pending.extend_from_slice(c.encode_utf16(&mut buf));
        }
    }
    flush(&mut out, &mut pending);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_in_modified_utf7() {
        assert_eq!(encode_folder("Verwerkt"), "Verwerkt");
        assert_eq!(encode_folder("Apart gezet"), "Apart gezet");
        assert_eq!(encode_folder("A&B"), "A&-B");
        assert_eq!(encode_folder("Björn"), "Bj&APY-rn");
        assert_eq!(encode_folder("日本語"), "&ZeVnLIqe-");
        assert_eq!(
            encode_folder("~peter/mail/台北/日本語"),
            "~peter/mail/&U,BTFw-/&ZeVnLIqe-"
        );
        assert_eq!(quote(r#"a "b" \c"#), r#""a \"b\" \\c""#);
    }
}
