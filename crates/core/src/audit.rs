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

/// Who is logged in to the operating system, for the audit log.
pub fn os_user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "unknown".into())
}
