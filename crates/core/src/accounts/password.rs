//! Passwords: the policy a new password must meet, and argon2id hashing.
//!
//! Hashes are PHC strings (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) with a random salt per
//! password; verification takes the parameters from the string, so stronger parameters in a
//! later version still verify the hashes stored before.

use std::collections::HashSet;
use std::sync::OnceLock;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::{Error, Result};

/// Memory cost in KiB (19 MiB, the OWASP minimum for argon2id).
pub const ARGON2_M_KIB: u32 = 19_456;
/// Iterations.
pub const ARGON2_T: u32 = 2;
/// Lanes.
pub const ARGON2_P: u32 = 1;

/// The shortest password allowed, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// The longest password allowed, in characters (hashing cost grows with length).
pub const MAX_PASSWORD_CHARS: usize = 128;

/// A hash of a password nobody knows, with the same parameters as real ones: a login for an
/// unknown user name verifies against it, so that it takes as long as one with a known name.
const DECOY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$4oQfzd0pU6V2zdpRM6T7Gw$PJIKchz5NtHaiKGw6K0TlJSh7Oq5mW+J5vN2Bzcgb1k";

fn hasher() -> Argon2<'static> {
    let params =
        Params::new(ARGON2_M_KIB, ARGON2_T, ARGON2_P, None).expect("fixed argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password with argon2id and a fresh random salt, as a PHC string.
pub fn hash_password(password: &str) -> Result<String> {
    hasher()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| Error::Crypto(e.to_string()))
}

/// Whether `password` matches the PHC string `phc`. A malformed string matches nothing.
pub fn verify_password(password: &str, phc: &str) -> bool {
    // The parameters, salt and algorithm come from `phc`, not from `hasher()`.
    hasher().verify_password(password.as_bytes(), phc).is_ok()
}

/// Spends one verification on the decoy hash (for unknown user names); always false.
pub(crate) fn verify_decoy(password: &str) -> bool {
    verify_password(password, DECOY_HASH)
}

fn common_passwords() -> &'static HashSet<String> {
    static LIST: OnceLock<HashSet<String>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("common_passwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_lowercase)
            .collect()
    })
}

/// Whether `password` is on the list of common passwords (compared without regard to case).
pub fn is_common(password: &str) -> bool {
    common_passwords().contains(&password.to_lowercase())
}

/// Checks a new password against the policy: at least [`MIN_PASSWORD_CHARS`] characters, not
/// the user name nor containing it, not on the common-password list. A refusal is
/// `Error::Invalid` for the field `password`.
pub fn check_password(password: &str, username: &str) -> Result<()> {
    let refuse = |m: String| Err(Error::invalid("password", m));
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return refuse(format!(
            "密码太短：{n} 个字符，至少需要 {MIN_PASSWORD_CHARS} 个。"
        ));
    }
    if n > MAX_PASSWORD_CHARS {
        return refuse(format!(
            "密码太长：{n} 个字符，最多 {MAX_PASSWORD_CHARS} 个。"
        ));
    }
    if password.chars().any(char::is_control) {
        return refuse("密码不能包含控制字符（如换行、制表符）。".into());
    }
    let user = username.trim().to_lowercase();
    if !user.is_empty() && password.to_lowercase().contains(&user) {
        return refuse("密码不能包含用户名，请换一个。".into());
    }
    if is_common(password) {
        return refuse("密码过于常见（在常用密码表中），很容易被猜中，请换一个。".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(password: &str, username: &str) -> String {
        match check_password(password, username) {
            Err(Error::Invalid { field, message }) => {
                assert_eq!(field, "password");
                assert!(message.contains("密码"), "{message}");
                message
            }
            other => panic!("{password:?} gave {other:?}"),
        }
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(refusal("Ab1@xyz", "chuangkou").contains("至少需要 8 个"));
        assert!(refusal("", "chuangkou").contains("太短"));
        // Characters, not bytes: four Chinese characters are 12 bytes but only 4 characters.
        assert!(refusal("便民服务", "chuangkou").contains("太短"));
    }

    #[test]
    fn common_passwords_are_refused_in_any_case() {
        for p in [
            "12345678",
            "123456789",
            "woaini1314",
            "WoAiNi1314",
            "qq123456",
            "11111111",
            "PASSWORD",
            "iloveyou",
            "abc123456",
            "1qaz2wsx",
            "88888888",
            "Password1",
            "zxcvbnm123",
        ] {
            assert!(refusal(p, "chuangkou").contains("常见"), "{p}");
        }
        // Short common ones are on the list too, whatever rule refuses them first.
        for p in ["123456", "a123456", "5201314", "666666", "zxcvbnm"] {
            assert!(is_common(p), "{p}");
        }
        assert!(common_passwords().len() >= 300);
    }

    #[test]
    fn passwords_holding_the_user_name_are_refused() {
        assert!(refusal("guanli2026", "guanli").contains("用户名"));
        assert!(refusal("My-GuanLi-99", "guanli").contains("用户名"));
        assert!(refusal("张三张三张三张三", "张三").contains("用户名"));
    }

    #[test]
    fn good_passwords_pass() {
        for p in [
            "Bianmin@2026",
            "correct horse battery",
            "东风镇便民服务中心2026",
            "tX9!vq3#Lm",
        ] {
            check_password(p, "chuangkou").unwrap_or_else(|e| panic!("{p}: {e}"));
        }
    }

    /// The decoy hash must cost what a real one costs, or it would not hide unknown names.
    #[test]
    fn the_decoy_hash_has_the_real_parameters() {
        let real = hash_password("Bianmin@2026").unwrap();
        let params = |h: &str| h.split('$').nth(3).unwrap().to_string();
        assert_eq!(params(DECOY_HASH), params(&real));
        assert!(!verify_decoy("Bianmin@2026"));
        assert!(argon2::password_hash::phc::PasswordHash::new(DECOY_HASH).is_ok());
    }
}
