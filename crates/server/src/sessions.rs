//! The server's live sessions: a random token per login, kept here and nowhere else. An account
//! may hold several (two PCs, a PC and the command line). The rules a session obeys (idle and
//! absolute limits, the account read again on every call) are the core's `Session` and guard.

use std::collections::HashMap;

use bianmin_core::accounts::Session;
use bianmin_core::{Error, Result};

/// 32 random bytes, in hex.
pub(crate) fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::Crypto(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// A token is 64 lowercase hex digits; anything else is no token.
pub(crate) fn well_formed(token: &str) -> bool {
    token.len() == 64
        && token
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[derive(Default)]
pub(crate) struct Sessions {
    live: HashMap<String, Session>,
}

impl Sessions {
    pub(crate) fn insert(&mut self, token: String, session: Session) {
        self.live.insert(token, session);
    }

    /// Takes the session of `token` out for one call; [`Sessions::put_back`] returns it if the
    /// call left it alive (the guard sets it to `None` when it ends).
    pub(crate) fn take(&mut self, token: &str) -> Option<Session> {
        self.live.remove(token)
    }

    pub(crate) fn put_back(&mut self, token: String, session: Option<Session>) {
        if let Some(s) = session {
            self.live.insert(token, s);
        }
    }

    pub(crate) fn contains(&self, token: &str) -> bool {
        self.live.contains_key(token)
    }

    pub(crate) fn remove(&mut self, token: &str) -> bool {
        self.live.remove(token).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_only_their_own_shape_is_one() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert!(well_formed(&a) && well_formed(&b));
        assert_ne!(a, b);
        for bad in [
            "",
            "abc",
            &a.to_uppercase(),
            &format!("{a}0"),
            &a.replace('a', "g"),
        ] {
            assert!(!well_formed(bad) || bad == a, "{bad}");
        }
    }
}
