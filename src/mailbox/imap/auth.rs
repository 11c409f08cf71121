//! Logging in: LOGIN, SASL PLAIN where the server disables LOGIN, or XOAUTH2 with an OAuth2
//! access token. The password or token is read anew at every login (tokens expire).

use std::collections::HashSet;

use super::connection::Conn;
use super::session::Session;
use crate::config::Secret;
use crate::mailbox::MailboxError;
use crate::secret;

/// Who logs in, and with what.
#[derive(Clone)]
pub(super) struct Login {
    pub(super) user: String,
    pub(super) secret: Option<Secret>,
}

impl Login {
    /// Logs in on a connection whose capabilities before login are `caps`: XOAUTH2 with a
    /// token, else LOGIN, or AUTHENTICATE PLAIN where the server disables LOGIN.
    pub(super) async fn log_in(
        &self,
        client: async_imap::Client<Conn>,
        caps: &HashSet<String>,
    ) -> Result<Session, MailboxError> {
        let Some(secret) = &self.secret else {
            return Err(MailboxError::Protocol(
                "no password or token configured".into(),
            ));
        };
        let value = secret::resolve_secret_async(secret)
            .await
            .map_err(|e| MailboxError::Protocol(format!("secret: {e}")))?;
        let login = if secret::is_token(secret) {
            if !caps.contains("AUTH=XOAUTH2") {
                tracing::debug!("IMAP server does not advertise AUTH=XOAUTH2; trying anyway");
            }
            client
                .authenticate(
                    "XOAUTH2",
                    XOAuth2 {
                        user: self.user.clone(),
                        token: value,
                        sent: false,
                    },
                )
                .await
        } else if caps.contains("LOGINDISABLED") {
            if !caps.contains("AUTH=PLAIN") {
                return Err(MailboxError::Protocol(
                    "the server disables LOGIN and offers no AUTH=PLAIN".into(),
                ));
            }
            client
                .authenticate(
                    "PLAIN",
                    Plain {
                        user: self.user.clone(),
                        password: value,
                    },
                )
                .await
        } else {
            client.login(&self.user, &value).await
        };
        login.map_err(|(e, _)| MailboxError::Protocol(format!("login failed: {e}")))
    }
}

/// SASL PLAIN (RFC 4616), with no authorization identity.
struct Plain {
    user: String,
    password: String,
}

impl async_imap::Authenticator for Plain {
    type Response = Vec<u8>;
    fn process(&mut self, _challenge: &[u8]) -> Vec<u8> {
        format!("\0{}\0{}", self.user, self.password).into_bytes()
    }
}

/// SASL XOAUTH2: the user and an OAuth2 bearer token.
struct XOAuth2 {
    user: String,
    token: String,
    sent: bool,
}

impl async_imap::Authenticator for XOAuth2 {
    type Response = Vec<u8>;
    fn process(&mut self, _challenge: &[u8]) -> Vec<u8> {
        if self.sent {
            // after a failure the server sends an error as a challenge: answer empty
            return Vec::new();
        }
        self.sent = true;
        format!("user={}\x01auth=Bearer {}\x01\x01", self.user, self.token).into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sasl_responses() {
        use async_imap::Authenticator as _;
        let mut plain = Plain {
            user: "k@example.test".into(),
            password: "pw".into(),
        };
        assert_eq!(plain.process(b""), b"\0k@example.test\0pw");
        let mut xoauth2 = XOAuth2 {
            user: "k@example.test".into(),
            token: "tok".into(),
            sent: false,
        };
        assert_eq!(
            xoauth2.process(b""),
            b"user=k@example.test\x01auth=Bearer tok\x01\x01"
        );
        // the error challenge after a refused token is answered empty
        assert_eq!(xoauth2.process(b"{\"status\":\"401\"}"), b"");
    }
}
