//! Audit entries: what every decision, refusal, print, login and administrator's action leaves
//! in the audit log, and who the operating system says is at the keyboard.
//!
//! The services (requests, forms, accounts, backups) build entries; the store writes them
//! (`Changes::add_audit`) and chains them by hash (`store/audit.rs`).

/// One line of the audit log. Never holds a full ID number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: String,
    pub os_user: String,
    pub staff_no: Option<String>,
    pub action: String,
    pub request_number: Option<String>,
    pub item_code: Option<String>,
    pub allowed: bool,
    pub basis: String,
    pub detail: Option<String>,
}

thread_local! {
    /// The address of the PC a hall server is answering on this thread ([`as_client`]).
    static CLIENT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` on behalf of the PC at `client` (the hall server's caller): every audit entry made
/// meanwhile on this thread names it beside the OS user, `bianmin@192.168.1.23` (issue 18).
pub fn as_client<R>(client: &str, f: impl FnOnce() -> R) -> R {
    struct Reset(Option<String>);
    impl Drop for Reset {
        fn drop(&mut self) {
            CLIENT.with(|c| *c.borrow_mut() = self.0.take());
        }
    }
    let _reset = Reset(CLIENT.with(|c| c.borrow_mut().replace(client.to_string())));
    f()
}

/// Who is logged in to the operating system, for the audit log; on a hall server, with the
/// address of the PC it answers (`user@address`).
pub fn os_user() -> String {
    let user = ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "unknown".into());
    match CLIENT.with(|c| c.borrow().clone()) {
        Some(client) => format!("{user}@{client}"),
        None => user,
    }
}
