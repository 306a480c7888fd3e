//! A logged-in account in a running app: who it is, what its roles permit, and when it was
//! last active. A session left idle longer than its limit expires for good; the person logs in
//! again.

use std::time::{Duration, Instant};

use super::{Account, Permission};
use crate::{Error, Result};

/// The idle limit when `BIANMIN_IDLE_MINUTES` does not set one.
pub const DEFAULT_IDLE_MINUTES: u64 = 30;

/// The absolute limit: however active, a session ends this long after its login (a working day
/// and its overtime), so that a PC left logged in overnight asks for the password again.
pub const ABSOLUTE_LIMIT: Duration = Duration::from_secs(12 * 60 * 60);

/// The environment variable that sets the idle limit in minutes (a positive whole number).
pub const IDLE_MINUTES_VAR: &str = "BIANMIN_IDLE_MINUTES";

/// The idle limit from `BIANMIN_IDLE_MINUTES`; [`DEFAULT_IDLE_MINUTES`] when it is unset or
/// not a positive whole number.
pub fn idle_limit_from_env() -> Duration {
    idle_limit_from(std::env::var(IDLE_MINUTES_VAR).ok().as_deref())
}

fn idle_limit_from(value: Option<&str>) -> Duration {
    let minutes = value
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|&m| (1..=24 * 60).contains(&m))
        .unwrap_or(DEFAULT_IDLE_MINUTES);
    Duration::from_secs(minutes * 60)
}

#[derive(Debug, Clone)]
pub struct Session {
    pub account: Account,
    started: Instant,
    last_seen: Instant,
    idle_limit: Duration,
    expired: bool,
}

impl Session {
    pub fn new(account: Account, now: Instant, idle_limit: Duration) -> Self {
        Session {
            account,
            started: now,
            last_seen: now,
            idle_limit,
            expired: false,
        }
    }

    /// Records activity at `now`. A session idle for longer than its limit, or older than
    /// [`ABSOLUTE_LIMIT`], is expired, stays expired, and answers `Error::SessionExpired`.
    pub fn touch(&mut self, now: Instant) -> Result<()> {
        self.check(now)?;
        self.last_seen = self.last_seen.max(now);
        Ok(())
    }

    /// The same check without counting as activity: a background refresh (the request list's
    /// polling) must not keep an unattended session alive (issue 17, point 7).
    pub fn check(&mut self, now: Instant) -> Result<()> {
        if self.expired
            || now.saturating_duration_since(self.last_seen) > self.idle_limit
            || now.saturating_duration_since(self.started) > ABSOLUTE_LIMIT
        {
            self.expired = true;
            return Err(Error::SessionExpired);
        }
        Ok(())
    }

    /// Whether the session has expired (found so by [`Session::touch`]).
    pub fn is_expired(&self) -> bool {
        self.expired
    }

    pub fn idle_limit(&self) -> Duration {
        self.idle_limit
    }

    /// Whether any of the account's roles grants `p`.
    pub fn can(&self, p: Permission) -> bool {
        !self.expired && self.account.roles.iter().any(|r| r.grants(p))
    }

    /// Refuses with `Error::Forbidden` unless one of the account's roles grants `p` (and with
    /// `Error::SessionExpired` once the session has expired).
    pub fn require(&self, p: Permission) -> Result<()> {
        if self.expired {
            return Err(Error::SessionExpired);
        }
        if self.can(p) {
            Ok(())
        } else {
            Err(Error::Forbidden {
                needed: p,
                roles: self.account.roles.clone(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::tests::account_with;
    use crate::staff::Role;

    #[test]
    fn the_idle_limit_comes_from_the_environment_value_or_the_default() {
        let default = Duration::from_secs(30 * 60);
        assert_eq!(idle_limit_from(None), default);
        assert_eq!(idle_limit_from(Some("5")), Duration::from_secs(300));
        assert_eq!(idle_limit_from(Some(" 45 ")), Duration::from_secs(45 * 60));
        for bad in ["", "0", "-3", "abc", "2.5", "99999999999999999999"] {
            assert_eq!(idle_limit_from(Some(bad)), default, "{bad:?}");
        }
    }

    #[test]
    fn a_session_expires_after_its_idle_limit_and_stays_expired() {
        let t0 = Instant::now();
        let limit = Duration::from_secs(30 * 60);
        let mut s = Session::new(account_with(&[Role::Clerk]), t0, limit);
        // Activity keeps it alive: 20 minutes, then 20 more (40 in all, never 30 idle).
        s.touch(t0 + Duration::from_secs(20 * 60)).unwrap();
        s.touch(t0 + Duration::from_secs(40 * 60)).unwrap();
        // Exactly the limit is still fine; one second more is not.
        s.touch(t0 + Duration::from_secs(70 * 60)).unwrap();
        let late = t0 + Duration::from_secs(100 * 60 + 1);
        assert!(matches!(s.touch(late), Err(Error::SessionExpired)));
        assert!(s.is_expired());
        // Touching again right away does not revive it, and nothing is permitted any more.
        assert!(matches!(s.touch(late), Err(Error::SessionExpired)));
        assert!(matches!(
            s.require(Permission::ReadCatalog),
            Err(Error::SessionExpired)
        ));
        assert_eq!(Error::SessionExpired.code(), "session_expired");
        assert!(Error::SessionExpired.to_string().contains("重新登录"));
    }

    /// Issue 17, point 7: a background check does not count as activity, and however active, a
    /// session ends [`ABSOLUTE_LIMIT`] after its login.
    #[test]
    fn background_checks_keep_nothing_alive_and_a_session_has_an_absolute_limit() {
        let t0 = Instant::now();
        let minutes = |m: u64| t0 + Duration::from_secs(m * 60);
        let mut s = Session::new(
            account_with(&[Role::Clerk]),
            t0,
            Duration::from_secs(30 * 60),
        );
        for m in [1, 10, 20, 29] {
            s.check(minutes(m)).unwrap();
        }
        assert!(matches!(s.check(minutes(31)), Err(Error::SessionExpired)));

        let mut s = Session::new(
            account_with(&[Role::Clerk]),
            t0,
            Duration::from_secs(30 * 60),
        );
        let mut m = 0;
        while m + 20 <= 12 * 60 {
            m += 20;
            s.touch(minutes(m)).unwrap();
        }
        assert!(matches!(
            s.touch(minutes(12 * 60 + 1)),
            Err(Error::SessionExpired)
        ));
    }

    #[test]
    fn require_refuses_what_no_role_grants_naming_roles_and_permission() {
        let s = Session::new(
            account_with(&[Role::Clerk]),
            Instant::now(),
            Duration::from_secs(60),
        );
        s.require(Permission::Intake).unwrap();
        let e = s.require(Permission::ViewStaffing).unwrap_err();
        assert_eq!(e.code(), "forbidden");
        assert_eq!(
            e.to_string(),
            "当前账号（角色：窗口人员）无权查看编制与在岗情况。"
        );
        assert!(!e.is_bad_input());

        // Roles add up: a clerk who is also a leader may see the staffing screens.
        let s = Session::new(
            account_with(&[Role::Clerk, Role::Leader]),
            Instant::now(),
            Duration::from_secs(60),
        );
        s.require(Permission::ViewStaffing).unwrap();
        s.require(Permission::Intake).unwrap();
        let e = s.require(Permission::Backup).unwrap_err();
        assert!(e.to_string().contains("窗口人员、镇领导"), "{e}");
    }
}
