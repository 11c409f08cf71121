//! One line of `klachtd config check`, and what to change when a connection failed.

/// One line of `klachtd config check`: what was tried and how it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// What was checked: "IMAP connect", "SMTP AUTH", "store" ...
    pub what: String,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It works (what was found).
    Pass(String),
    /// It does not exist yet and is made at the first start: not a failure.
    Later(String),
    /// It fails: why, and which key to change.
    Fail(String),
}

impl Probe {
    pub fn pass(what: impl Into<String>, detail: impl Into<String>) -> Probe {
        Probe {
            what: what.into(),
            outcome: Outcome::Pass(detail.into()),
        }
    }
    pub fn later(what: impl Into<String>, detail: impl Into<String>) -> Probe {
        Probe {
            what: what.into(),
            outcome: Outcome::Later(detail.into()),
        }
    }
    pub fn fail(what: impl Into<String>, fix: impl Into<String>) -> Probe {
        Probe {
            what: what.into(),
            outcome: Outcome::Fail(fix.into()),
        }
    }
    pub fn failed(&self) -> bool {
        matches!(self.outcome, Outcome::Fail(_))
    }
}

/// What to change when a connection to `host:port` failed: the host when its name does
/// not resolve, else the port (or the host).
pub fn connect_fix(section: &str, host: &str, port: u16, e: &std::io::Error) -> String {
    let text = e.to_string();
    if text.contains("lookup") || text.contains("resolve") || text.contains("Name or service") {
        format!("unknown host {host:?}: check {section}.host")
    } else if e.kind() == std::io::ErrorKind::ConnectionRefused {
        format!("{host}:{port} refuses connections: check {section}.port and {section}.host")
    } else {
        format!("{host}:{port}: {text}: check {section}.host and {section}.port")
    }
}

/// What to change when TLS failed: an untrusted certificate names `ca_file`.
pub fn tls_fix(section: &str, text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    if lower.contains("unknownissuer")
        || lower.contains("certificate")
        || lower.contains("notvalidforname")
    {
        format!(
            "the server's certificate is not trusted ({text}): set {section}.ca_file to the CA that signed it (PEM), or check {section}.host is the name in the certificate"
        )
    } else {
        format!("TLS failed ({text}): check {section}.tls and {section}.port")
    }
}
