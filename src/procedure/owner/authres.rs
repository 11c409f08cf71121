//! Did the receiving server authenticate the owner's mail? Reads `Authentication-Results`
//! (RFC 8601) as our own server wrote it.
//!
//! Only the topmost header whose authserv-id is ours counts: a server prepends its
//! header, so anything below it (or of another id) may have been written by the sender
//! and is ignored. It must show `dmarc=pass` with `header.from` the domain of the
//! owner's From address, or `dkim=pass` with `header.d` that domain. Comments, folded
//! lines, version numbers, quoted values and several results per header are read as the
//! RFC writes them.
//!
//! Microsoft 365 inside one tenant evaluates no DMARC: with `exchange_internal` on (off
//! by default), a mail that Exchange marks as authenticated inside the organisation
//! (`X-MS-Exchange-Organization-AuthAs: Internal` together with
//! `X-MS-Exchange-Organization-AuthSource`) is accepted too. Exchange removes these
//! headers from mail that enters the organisation from outside, so only a deployment
//! whose mailbox is in that same Exchange Online tenant may turn this on.
//!
//! Pure: the headers are input.

/// How the owner's mail must have been authenticated, from `[owner_commands]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthPolicy {
    /// The authserv-id our receiving server writes.
    pub authserv_id: String,
    /// Trust Exchange's internal authentication headers (Microsoft 365, one tenant).
    pub exchange_internal: bool,
}

/// Why a mail does not count as authenticated. Names no address or domain (logs).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthRefusal {
    #[error("no Authentication-Results header of our server")]
    NoHeader,
    #[error(
        "our server's Authentication-Results shows no dmarc=pass or dkim=pass for the owner's domain"
    )]
    NotPassed,
}

/// One result of an Authentication-Results header: `dkim=pass header.d=example.com`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthResult {
    /// Lower case, version dropped: `dkim`.
    pub method: String,
    /// Lower case: `pass`.
    pub result: String,
    /// (ptype.property lower case, value as written): `("header.d", "example.com")`.
    pub properties: Vec<(String, String)>,
}

impl AuthResult {
    fn property(&self, name: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One Authentication-Results header, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthResults {
    pub authserv_id: String,
    pub results: Vec<AuthResult>,
}

/// A word of a header value: a token, a quoted string (unquoted), `=` or `;`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Word {
    Text(String),
    Eq,
    Semi,
}

/// Splits a header value into words: folding undone, comments (nested) dropped,
/// quoted strings unquoted.
fn words(value: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = value.chars().peekable();
    let flush = |cur: &mut String, out: &mut Vec<Word>| {
        if !cur.is_empty() {
            out.push(Word::Text(std::mem::take(cur)));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '(' => {
                flush(&mut cur, &mut out);
                let mut depth = 1;
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
            '"' => {
                let mut quoted = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some(n) = chars.next() {
                                quoted.push(n);
                            }
                        }
                        '"' => break,
                        '\r' | '\n' => {}
                        c => quoted.push(c),
                    }
                }
                cur.push_str(&quoted);
            }
            '=' => {
                flush(&mut cur, &mut out);
                out.push(Word::Eq);
            }
            ';' => {
                flush(&mut cur, &mut out);
                out.push(Word::Semi);
            }
            c if c.is_whitespace() => flush(&mut cur, &mut out),
            c => cur.push(c),
        }
    }
    flush(&mut cur, &mut out);
    out
}

/// Reads one Authentication-Results value. None when it has no authserv-id.
pub fn parse(value: &str) -> Option<AuthResults> {
    let words = words(value);
    let mut parts = words.split(|w| *w == Word::Semi);
    let head = parts.next()?;
    // authserv-id [version]
    let authserv_id = match head.first() {
        Some(Word::Text(t)) => t.clone(),
        _ => return None,
    };
    let mut results = Vec::new();
    for part in parts {
        // method[/version] = result *( ptype.property = value ), reason = value too
        let mut i = 0;
        let text = |i: usize| match part.get(i) {
            Some(Word::Text(t)) => Some(t.as_str()),
            _ => None,
        };
        let (Some(method), Some(Word::Eq), Some(result)) = (text(0), part.get(1), text(2)) else {
            // "none", or something unreadable: no result here.
            continue;
        };
        let method = method
            .split('/')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let mut r = AuthResult {
            method,
            result: result.to_ascii_lowercase(),
            properties: Vec::new(),
        };
        i += 3;
        while i < part.len() {
            if let (Some(name), Some(Word::Eq)) = (text(i), part.get(i + 1)) {
                let value = text(i + 2).unwrap_or_default().to_string();
                r.properties.push((name.to_ascii_lowercase(), value));
                i += 3;
            } else {
                i += 1;
            }
        }
        results.push(r);
    }
    Some(AuthResults {
        authserv_id,
        results,
    })
}

/// Whether `headers` (lower-case names, in order, topmost first) show that our server
/// authenticated mail from `from_domain`.
pub fn check(
    headers: &[(String, String)],
    policy: &AuthPolicy,
    from_domain: &str,
) -> Result<(), AuthRefusal> {
    let ours = headers
        .iter()
        .filter(|(n, _)| n == "authentication-results")
        .filter_map(|(_, v)| parse(v))
        .find(|r| {
            !policy.authserv_id.trim().is_empty()
                && r.authserv_id
                    .eq_ignore_ascii_case(policy.authserv_id.trim())
        });
    let domain = |v: Option<&str>| {
        v.is_some_and(|d| {
            let d = d.trim().trim_start_matches('@');
            let d = d.rsplit_once('@').map_or(d, |(_, d)| d);
            !from_domain.is_empty() && d.eq_ignore_ascii_case(from_domain)
        })
    };
    if let Some(results) = &ours {
        let passed = results.results.iter().any(|r| {
            r.result == "pass"
                && match r.method.as_str() {
                    "dmarc" => domain(r.property("header.from")),
                    "dkim" => domain(r.property("header.d")),
                    _ => false,
                }
        });
        if passed {
            return Ok(());
        }
    }
    if policy.exchange_internal {
        let first = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.trim())
        };
        if first("x-ms-exchange-organization-authas")
            .is_some_and(|v| v.eq_ignore_ascii_case("internal"))
            && first("x-ms-exchange-organization-authsource").is_some_and(|v| !v.is_empty())
        {
            return Ok(());
        }
    }
    match ours {
        Some(_) => Err(AuthRefusal::NotPassed),
        None => Err(AuthRefusal::NoHeader),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> AuthPolicy {
        AuthPolicy {
            authserv_id: "mx.numun.nl".into(),
            exchange_internal: false,
        }
    }

    fn ar(value: &str) -> (String, String) {
        ("authentication-results".into(), value.into())
    }

    #[test]
    fn reads_comments_folding_versions_quotes_and_several_results() {
        let r = parse(
            "mx.numun.nl 1; (checked by us)\r\n\tspf=pass (sender ip is 192.0.2.1) \
             smtp.mailfrom=numun.nl;\r\n dkim/1=pass (good (nested) signature) \
             header.d=\"numun.nl\" header.s=sel1; dmarc = pass (p=reject) header.from=numun.nl",
        )
        .unwrap();
        assert_eq!(r.authserv_id, "mx.numun.nl");
        assert_eq!(r.results.len(), 3);
        assert_eq!(r.results[0].method, "spf");
        assert_eq!(r.results[1].method, "dkim");
        assert_eq!(r.results[1].property("header.d"), Some("numun.nl"));
        assert_eq!(r.results[1].property("header.s"), Some("sel1"));
        assert_eq!(r.results[2].method, "dmarc");
        assert_eq!(r.results[2].result, "pass");
        assert_eq!(r.results[2].property("header.from"), Some("numun.nl"));
        // "none": no results at all.
        let none = parse("mx.numun.nl; none").unwrap();
        assert!(none.results.is_empty());
        // A quoted authserv-id.
        assert_eq!(
            parse("\"mx.numun.nl\"; dkim=fail").unwrap().authserv_id,
            "mx.numun.nl"
        );
    }

    #[test]
    fn dmarc_or_dkim_pass_for_the_owners_domain() {
        let p = policy();
        let ok = |v: &str| check(&[ar(v)], &p, "numun.nl");
        assert_eq!(ok("mx.numun.nl; dmarc=pass header.from=numun.nl"), Ok(()));
        assert_eq!(ok("mx.numun.nl; dmarc=pass header.from=NUMUN.nl"), Ok(()));
        assert_eq!(ok("mx.numun.nl; dkim=pass header.d=numun.nl"), Ok(()));
        assert_eq!(
            ok("mx.numun.nl; dkim=pass header.i=@numun.nl header.d=numun.nl"),
            Ok(())
        );
        assert_eq!(ok("MX.NUMUN.NL 1; dmarc=pass header.from=numun.nl"), Ok(()));
        // Another domain, another result, another method.
        let refused = Err(AuthRefusal::NotPassed);
        assert_eq!(ok("mx.numun.nl; dkim=pass header.d=evil.example"), refused);
        assert_eq!(
            ok("mx.numun.nl; dkim=pass header.d=numun.nl.evil.example"),
            refused
        );
        assert_eq!(ok("mx.numun.nl; dmarc=fail header.from=numun.nl"), refused);
        assert_eq!(ok("mx.numun.nl; spf=pass smtp.mailfrom=numun.nl"), refused);
        assert_eq!(ok("mx.numun.nl; dkim=pass"), refused);
        // The value of a comment does not count.
        assert_eq!(
            ok("mx.numun.nl; dkim=fail (dkim=pass header.d=numun.nl)"),
            refused
        );
        assert_eq!(ok("mx.numun.nl; none"), refused);
    }

    #[test]
    fn only_the_topmost_header_of_our_server_counts() {
        let p = policy();
        // A foreign authserv-id is ignored.
        assert_eq!(
            check(
                &[ar("mx.evil.example; dmarc=pass header.from=numun.nl")],
                &p,
                "numun.nl"
            ),
            Err(AuthRefusal::NoHeader)
        );
        assert_eq!(check(&[], &p, "numun.nl"), Err(AuthRefusal::NoHeader));
        // Ours says fail on top; a forged pass of ours further down does not count.
        let headers = [
            ar("mx.evil.example; dmarc=pass header.from=numun.nl"),
            ar("mx.numun.nl; dmarc=fail header.from=numun.nl"),
            ("received".into(), "from x".into()),
            ar("mx.numun.nl; dmarc=pass header.from=numun.nl"),
        ];
        assert_eq!(check(&headers, &p, "numun.nl"), Err(AuthRefusal::NotPassed));
        // Ours on top passes, whatever is below.
        let headers = [
            ar("mx.numun.nl; dkim=pass header.d=numun.nl"),
            ar("mx.numun.nl; dmarc=fail header.from=numun.nl"),
        ];
        assert_eq!(check(&headers, &p, "numun.nl"), Ok(()));
        // No authserv-id configured: nothing is ours.
        let empty = AuthPolicy::default();
        assert_eq!(
            check(
                &[ar("; dmarc=pass header.from=numun.nl")],
                &empty,
                "numun.nl"
            ),
            Err(AuthRefusal::NoHeader)
        );
    }

    #[test]
    fn exchange_internal_only_when_configured() {
        let headers = [
            (
                "x-ms-exchange-organization-authas".to_string(),
                "Internal".to_string(),
            ),
            (
                "x-ms-exchange-organization-authsource".to_string(),
                "AM0PR01MB1234.eurprd01.prod.outlook.com".to_string(),
            ),
        ];
        assert_eq!(
            check(&headers, &policy(), "numun.nl"),
            Err(AuthRefusal::NoHeader)
        );
        let on = AuthPolicy {
            exchange_internal: true,
            ..policy()
        };
        assert_eq!(check(&headers, &on, "numun.nl"), Ok(()));
        let anonymous = [
            (
                "x-ms-exchange-organization-authas".to_string(),
                "Anonymous".to_string(),
            ),
            headers[1].clone(),
        ];
        assert_eq!(
            check(&anonymous, &on, "numun.nl"),
            Err(AuthRefusal::NoHeader)
        );
        assert_eq!(
            check(&headers[..1], &on, "numun.nl"),
            Err(AuthRefusal::NoHeader)
        );
    }
}
