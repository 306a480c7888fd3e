fn main() {
    // The app's own commands get allow-/deny- permissions of their own, so that the capability
    // file grants them per window instead of every command being open to every webview.
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "list_towns",
            "staffing",
            "unit_people",
            "rota_week",
            "staffing_demand",
            "staffing_export_xlsx",
            "catalog_search",
            "catalog_departments",
            "catalog_item",
            "list_staff",
            "authority",
            "letter_alerts",
            "request_new",
            "request_consult",
            "request_show",
            "request_step",
            "request_search",
            "request_list",
            "form_preview",
            "form_print",
            "form_save",
            "printers",
            "form_issues",
        ]),
    ))
    .expect("tauri build script");
}
