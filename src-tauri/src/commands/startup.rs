//! How long the app takes to show its login screen: the window tells the backend when it has
//! painted, and with `BIANMIN_STARTUP_PROBE` set the backend writes the moment to its standard
//! error as `bianmin-painted-at-ms=<milliseconds since 1970>`, for `scripts/measure-start.sh`
//! to set against the moment it started the process. `BIANMIN_STARTUP_PROBE=exit` then closes
//! the app. Without the variable it does nothing.

use std::time::{SystemTime, UNIX_EPOCH};

/// The variable that turns the probe on (`1`, or `exit` to close the app once painted).
pub const PROBE_VAR: &str = "BIANMIN_STARTUP_PROBE";

/// Called once by the window after the login screen's first paint.
#[tauri::command]
pub fn startup_painted<R: tauri::Runtime>(app: tauri::AppHandle<R>) {
    let Ok(mode) = std::env::var(PROBE_VAR) else {
        return;
    };
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    eprintln!("bianmin-painted-at-ms={ms}");
    if mode == "exit" {
        app.exit(0);
    }
}
