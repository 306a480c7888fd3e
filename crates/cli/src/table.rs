//! Plain-text tables for the terminal, aligned by display width (a Chinese character is two
//! columns wide).

use std::fmt::Write;

use bianmin_core::catalog::service::ItemSummary;
use bianmin_core::staff::StaffProfile;
use bianmin_core::staffing::{Figures, StaffingReport};
use unicode_width::UnicodeWidthStr;

const HEADERS: [&str; 11] = [
    "单位",
    "管理",
    "编制",
    "在编",
    "借调入",
    "借调出",
    "长期请假",
    "在岗",
    "空编",
    "窗口",
    "外勤",
];

fn row(name: &str, managed_by: &str, f: &Figures) -> Vec<String> {
    let vacancies = if f.over_quota {
        format!("超编{}", -f.vacancies)
    } else {
        f.vacancies.to_string()
    };
    vec![
        name.to_string(),
        managed_by.to_string(),
        f.quota.to_string(),
        f.on_roll.to_string(),
        f.seconded_in.to_string(),
        f.seconded_out.to_string(),
        f.on_leave.to_string(),
        f.on_duty.to_string(),
        vacancies,
        f.hall_staff.to_string(),
        f.field_staff.to_string(),
    ]
}

/// Aligns rows into columns; the first `left` columns align left, the rest right.
fn render_aligned(rows: &[Vec<String>], left: usize) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; cols];
    for r in rows {
        for (i, cell) in r.iter().enumerate() {
            widths[i] = widths[i].max(cell.width());
        }
    }
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (i, cell) in r.iter().enumerate() {
            let pad = " ".repeat(widths[i] - cell.width());
            // Names align left, figures right.
            if i < left {
                line.push_str(&format!("{cell}{pad}  "));
            } else {
                line.push_str(&format!("{pad}{cell}  "));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn staffing(report: &StaffingReport) -> String {
    let mut out = String::new();
    for town in &report.towns {
        let _ = writeln!(out, "{}  编制情况（{}）", town.name, report.date);
        let mut rows = vec![HEADERS.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
        rows.extend(
            town.units
                .iter()
                .map(|u| row(&u.name, &u.managed_by, &u.figures)),
        );
        rows.push(row("合计", "", &town.figures));
        out.push_str(&render_aligned(&rows, 2));
        out.push('\n');
    }
    out
}

pub fn items(items: &[ItemSummary]) -> String {
    let mut rows = vec![["编码", "事项名称", "权限方式", "实施主体", "承诺时限"]
        .map(String::from)
        .to_vec()];
    rows.extend(items.iter().map(|i| {
        let mode = if i.mode == i.configured_mode {
            i.mode.label().to_string()
        } else {
            format!("{}（已失效→{}）", i.configured_mode.label(), i.mode.label())
        };
        vec![
            i.code.clone(),
            i.name.clone(),
            mode,
            i.department.clone(),
            i.promised.clone(),
        ]
    }));
    let mut out = render_aligned(&rows, 5);
    out.push_str(&format!("共 {} 项\n", items.len()));
    out
}

pub fn staff(people: &[StaffProfile]) -> String {
    let mut rows = vec![["工号", "姓名", "乡镇", "单位", "角色", "证件"]
        .map(String::from)
        .to_vec()];
    rows.extend(people.iter().map(|p| {
        vec![
            p.no.clone(),
            p.name.clone(),
            p.town.clone(),
            p.unit.clone(),
            p.roles
                .iter()
                .map(|r| r.label())
                .collect::<Vec<_>>()
                .join("、"),
            p.credentials
                .iter()
                .map(|c| format!("{} {}（至 {}）", c.kind, c.scope, c.valid_to))
                .collect::<Vec<_>>()
                .join("、"),
        ]
    }));
    render_aligned(&rows, 6)
}
