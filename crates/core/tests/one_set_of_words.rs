//! "One set of words on screen, in print and in the workbook": the staffing figures' names in
//! the window (`ui/src/locales/zh-CN.ts`, the staffing table's columns and headline cards) are
//! the core's `Figures::LABELS` and `Figures::VACANCY_RATE`, which the printed report and the
//! workbook use.

use bianmin_core::staffing::Figures;
use std::path::Path;

/// The `key: '词'` pairs of the block that opens with `open` inside the staffing section.
fn block(source: &str, open: &str) -> Vec<(String, String)> {
    let staffing = &source[source.find("  staffing: {").expect("the staffing section")..];
    let start = staffing.find(open).unwrap_or_else(|| panic!("no {open}")) + open.len();
    let end = start + staffing[start..].find('}').expect("the block's end");
    staffing[start..end]
        .lines()
        .filter_map(|l| {
            let (k, v) = l.trim().split_once(": '")?;
            Some((k.to_string(), v.trim_end_matches("',").to_string()))
        })
        .collect()
}

#[test]
fn the_window_names_the_staffing_figures_as_the_report_and_the_workbook_do() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/locales/zh-CN.ts");
    let source = std::fs::read_to_string(path).unwrap();
    let columns = block(&source, "columns: {");
    let keys = [
        "quota",
        "on_roll",
        "seconded_in",
        "seconded_out",
        "on_leave",
        "on_duty",
        "vacancies",
        "hall_staff",
        "field_staff",
    ];
    let word = |k: &str| {
        columns
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no column {k}"))
    };
    let shown: Vec<String> = keys.iter().map(|k| word(k)).collect();
    assert_eq!(shown, Figures::LABELS);
    assert_eq!(word("vacancy_rate"), Figures::VACANCY_RATE);
    assert_eq!(word("name"), Figures::UNIT);
    assert_eq!(word("managed_by"), Figures::MANAGED_BY);
    assert_eq!(word("enforcement"), Figures::ENFORCEMENT);
    for (k, v) in block(&source, "headline: {") {
        assert_eq!(v, word(&k), "the headline card {k} says {v}");
    }
    // And the workbook's header row carries the same words.
    let headers = bianmin_core::staffing_xlsx::headers();
    for w in Figures::LABELS.iter().chain([
        &Figures::VACANCY_RATE,
        &Figures::UNIT,
        &Figures::KIND,
        &Figures::MANAGED_BY,
        &Figures::ENFORCEMENT,
        &Figures::OVER_QUOTA,
    ]) {
        assert!(headers.contains(w), "the workbook lacks {w}");
    }
}
