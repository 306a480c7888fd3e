//! Plain-text tables for the terminal, aligned by display width (a Chinese character is two
//! columns wide).

use std::fmt::Write;

use bianmin_core::catalog::service::ItemSummary;
use bianmin_core::request::{RequestDetail, RequestView};
use bianmin_core::staff::StaffProfile;
use bianmin_core::staffing::{Figures, StaffingReport};
use unicode_width::UnicodeWidthStr;

fn headers() -> Vec<String> {
    let mut h = vec!["单位".to_string(), "管理".to_string()];
    h.extend(Figures::LABELS.iter().map(|l| l.to_string()));
    h
}

fn row(name: &str, managed_by: &str, f: &Figures) -> Vec<String> {
    let mut row = vec![name.to_string(), managed_by.to_string()];
    row.extend(f.counts().iter().map(i64::to_string));
    // Vacancies: over quota reads as such rather than as a negative number.
    if f.over_quota {
        row[8] = format!("超编{}", -f.vacancies);
    }
    row
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
        let mut rows = vec![headers()];
        rows.extend(
            town.units
                .iter()
                .map(|u| row(&u.name, &u.managed_by, &u.figures)),
        );
        rows.push(row("合计", "", &town.figures));
        out.push_str(&render_aligned(&rows, 2));
        for u in town.units.iter().filter(|u| !u.enforcement_ok) {
            let _ = writeln!(
                out,
                "执法力量不足：{}留在一线的持证执法人员 {} 人，不足两人",
                u.name,
                u.field_officers.unwrap_or(0)
            );
        }
        for a in &town.credentials_expiring {
            let _ = writeln!(
                out,
                "证件将到期：{} {}（{}）{} {} 至 {}，还有 {} 天",
                a.staff_no, a.name, a.unit, a.kind, a.number, a.valid_to, a.days_left
            );
        }
        for a in &town.retiring_within_a_year {
            let _ = writeln!(
                out,
                "一年内到龄退休：{} {}（{}）{} 到龄",
                a.staff_no, a.name, a.unit, a.retires_on
            );
        }
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

pub fn requests(rows: &[RequestView]) -> String {
    let mut out = vec![[
        "编号",
        "事项",
        "申请人",
        "身份证号",
        "状态",
        "受理日期",
        "期限",
        "剩余工作日",
    ]
    .map(String::from)
    .to_vec()];
    out.extend(rows.iter().map(|r| {
        let due = r
            .department_due
            .or(r.due)
            .map(|d| d.to_string())
            .unwrap_or_default();
        vec![
            r.number.clone(),
            r.item_name.clone(),
            r.applicant_name.clone().unwrap_or_default(),
            r.applicant_id_masked.clone().unwrap_or_default(),
            r.state_label.to_string(),
            r.accepted_on.map(|d| d.to_string()).unwrap_or_default(),
            due,
            match (r.days_left, r.overdue) {
                (Some(n), true) => format!("超期 {}", -n),
                (Some(n), false) => n.to_string(),
                (None, _) => String::new(),
            },
        ]
    }));
    let mut text = render_aligned(&out, 8);
    text.push_str(&format!("共 {} 件\n", rows.len()));
    text
}

pub fn request(d: &RequestDetail) -> String {
    let v = &d.view;
    let mut out = String::new();
    let _ = writeln!(out, "办件编号：{}（{}）", v.number, v.state_label);
    let _ = writeln!(out, "事项：{} {}", v.item, v.item_name);
    if let Some(name) = &v.applicant_name {
        let _ = writeln!(
            out,
            "申请人：{name} {}",
            v.applicant_id_masked.as_deref().unwrap_or("")
        );
    }
    if let (Some(on), Some(due)) = (v.accepted_on, v.due) {
        let _ = writeln!(out, "受理日期：{on}；承诺办结：{due}");
    }
    if !v.calendar_complete {
        let _ = writeln!(
            out,
            "注意：期限所在年份的节假日安排尚未载入，按周一至周五推算"
        );
    }
    if !v.missing.is_empty() {
        let _ = writeln!(out, "一次性告知，尚缺：{}", v.missing.join("、"));
    }
    if let Some(dept) = &v.forwarded_to {
        let _ = writeln!(
            out,
            "转报：{dept}，部门办结期限 {}",
            v.department_due.map(|d| d.to_string()).unwrap_or_default()
        );
    }
    if let (Some(days), Some(why)) = (v.extended_days, &v.extension_reason) {
        let _ = writeln!(out, "延期：{days} 个工作日（理由：{why}）");
    }
    if let Some(on) = v.suspended_on {
        let expected = v
            .suspension_days
            .map(|n| format!("，预计 {n} 个工作日"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "暂停计时：自 {on} 起（{}{expected}），期间不计入办理期限",
            v.suspension_reason.as_deref().unwrap_or_default()
        );
    }
    if v.suspended_days > 0 {
        let _ = writeln!(
            out,
            "已暂停计时 {} 个工作日，期限已相应顺延",
            v.suspended_days
        );
    }
    if v.overdue {
        let _ = writeln!(
            out,
            "已超期 {} 个工作日；逾期说明：{}",
            -v.days_left.unwrap_or_default(),
            v.overdue_reason.as_deref().unwrap_or("（尚未说明）")
        );
    }
    if let Some(r) = &v.reason {
        let _ = writeln!(out, "理由：{r}");
    }
    if let Some(a) = &v.alternative {
        let _ = writeln!(out, "去向：{a}");
    }
    for e in &d.timeline {
        let _ = writeln!(
            out,
            "  {} {} {}\u{ff1a}{}",
            e.at, e.step, e.staff_name, e.basis
        );
    }
    out
}

/// Per post and open hour: arrivals, counters needed, staffed, gap.
pub fn demand(r: &bianmin_core::demand::DemandReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} 窗口需求（{} 至 {} 的 {} 个工作日，对比 {} 在岗人员的排班；目标：{:.0}% 在 {:.0} 秒内办理）",
        r.town,
        r.from,
        r.to,
        r.working_days,
        r.on,
        r.service_level * 100.0,
        r.target_wait_s
    );
    if !r.open {
        let _ = writeln!(
            out,
            "{} 是休息日，大厅不开放：下表为工作日平均所需窗口数，不与排班比较。",
            r.on
        );
    }
    let mut rows = vec![[
        "窗口",
        "时段",
        "每小时到达",
        "办理时长",
        "需要窗口",
        "排班窗口",
        "缺口",
    ]
    .map(String::from)
    .to_vec()];
    for p in &r.posts {
        for h in &p.hours {
            rows.push(vec![
                p.post.clone(),
                format!("{:02}:00", h.hour),
                format!("{:.2}", h.arrivals_per_hour),
                format!(
                    "{:.0} 分钟{}",
                    p.handling_min,
                    if p.handling_estimated {
                        ""
                    } else {
                        "（默认）"
                    }
                ),
                h.needed.to_string(),
                h.staffed.to_string(),
                if h.gap > 0 {
                    format!("缺 {}", h.gap)
                } else {
                    String::new()
                },
            ]);
        }
    }
    out.push_str(&render_aligned(&rows, 2));
    for p in r.posts.iter().filter(|p| !p.short.is_empty()) {
        let _ = writeln!(
            out,
            "{} 缺人：{}",
            p.post,
            bianmin_core::demand::shortfall_words(&p.short, None)
        );
    }
    out
}
