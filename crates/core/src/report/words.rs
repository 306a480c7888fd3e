//! The performance report's words, one set for every way it is shown: the terminal's text
//! (`bianmin report`, locally and through the hall server), the printed A4 report
//! ([`crate::forms::report_form`]) and the workbook ([`crate::report_xlsx`]). A figure is named
//! by its [`Figure::label`], a rate by its label in [`super::RATES`], a column by the constants
//! here; a rate is always written with both its numbers ([`rate`]).

use super::{
    DepartmentFigures, Figure, GroupFigures, NamedRate, OverdueRequest, PostStaffing, Rate, Report,
    Satisfaction, COUNTY,
};

/// The report's name, after its hall's: 东风镇便民服务中心办件绩效报表.
pub const TITLE: &str = "办件绩效报表";

/// What the report calls a post, a clerk, a week, an item and a town (its groups' columns).
pub const POST: &str = "窗口";
pub const CLERK: &str = "人员";
pub const ITEM: &str = "事项";
pub const WEEK: &str = "周";
pub const TOWN: &str = "乡镇";
pub const CODE: &str = "编码";

/// The columns of the overdue requests.
pub const NUMBER: &str = "办件编号";
pub const DUE: &str = "期限";
pub const DEPARTMENT: &str = "转报部门";
pub const REASON: &str = "超期说明";
pub const NO_REASON: &str = "未说明原因";

/// The columns of the departments' turnaround.
pub const ANSWERED_ON_TIME: &str = "按期答复";
pub const MEDIAN_DAYS: &str = "用时中位数";
pub const P90_DAYS: &str = "90% 分位";
pub const DAYS: &str = "个工作日";
pub const SCORE: &str = "得分";
pub const SCORE_RULE: &str = "评分方法";
/// How the departments' days are counted.
pub const DAYS_RULE: &str = "用时：从转报到部门答复结果的工作日数。";

/// The staffing beside each post.
pub const NEEDED_PEAK: &str = "高峰需要窗口";
pub const STAFFED: &str = "排班窗口";
pub const SHORT_HOURS: &str = "缺口时段";
pub const SHORT_WHY: &str = "缺人";

/// 好差评.
pub const SATISFACTION: &str = "好差评";
pub const RATINGS: &str = "评价";
pub const SATISFIED: &str = "满意率";
pub const FOLLOWUPS: &str = "差评回访";
pub const FOLLOWUPS_ON_TIME: &str = "按期办结";
pub const FOLLOWUPS_OVERDUE: &str = "当前超期";

/// The overview's columns: a figure or rate, its value, the numerator and denominator.
pub const ITEM_COLUMN: &str = "项目";
pub const VALUE: &str = "数值";
pub const NUMERATOR: &str = "分子";
pub const DENOMINATOR: &str = "分母";
pub const HOW: &str = "计算";
pub const COUNT: &str = "件数";

/// The printed report's own headings: its first section, a table's running number, a group's
/// section (按窗口), a count of ratings, an empty list.
pub const OVERVIEW: &str = "总览";
pub const SEQ: &str = "序号";
pub const BY: &str = "按";
pub const ENTRIES: &str = "条数";
pub const NONE: &str = "无。";

/// The hall a report is of: 东风镇便民服务中心 (every town's: 全县各乡镇便民服务中心).
pub fn hall(town: &str) -> String {
    if town == COUNTY {
        "全县各乡镇便民服务中心".to_string()
    } else {
        format!("{town}便民服务中心")
    }
}

/// The report's first line: 东风镇 办件绩效 2026-11-01 至 2026-11-30（当前超期按 2026-11-30 计）.
pub fn heading(r: &Report) -> String {
    format!(
        "{} 办件绩效 {} 至 {}（当前超期按 {} 计）",
        r.town, r.from, r.to, r.today
    )
}

/// A rate with both its numbers: 84.0%（1486/1768）; a dash over nothing: —（0/0）.
pub fn rate(r: &Rate) -> String {
    format!("{}（{}/{}）", percent(r), r.numerator, r.denominator)
}

/// A rate alone: 84.0%, or — over nothing.
pub fn percent(r: &Rate) -> String {
    match r.permille {
        Some(p) => format!("{}.{}%", p / 10, p % 10),
        None => "—".to_string(),
    }
}

/// 按时办结率 84.0%（1486/1768）.
pub fn rate_line(r: &NamedRate) -> String {
    format!("{} {}", r.label, rate(&r.rate))
}

/// How a rate is worked out: 按时办结 ÷ 办结.
pub fn rate_rule(r: &NamedRate) -> String {
    format!("{} ÷ {}", r.numerator.label(), r.denominator.label())
}

/// Every figure in a sentence: 收件 N，受理 N，办结 N（按时办结 N，其中提前办结 N；超期办结 N），…
pub fn summary(r: &Report) -> String {
    let c = &r.counts;
    let n = |f: Figure| format!("{} {}", f.label(), c.get(f));
    format!(
        "{}，{}，{}（{}，其中{}；{}），{}，{}，{}，{}，{}；{}",
        n(Figure::Received),
        n(Figure::Accepted),
        n(Figure::Completed),
        n(Figure::OnTime),
        n(Figure::Early),
        n(Figure::Late),
        n(Figure::OnTheSpot),
        n(Figure::Refused),
        n(Figure::Forwarded),
        n(Figure::Open),
        n(Figure::OverdueNow),
        n(Figure::Consulted),
    )
}

/// The heading of the overdue list: 当前超期办件（12 件，全部列出）.
pub fn overdue_heading(r: &Report) -> String {
    format!(
        "{}办件（{} 件，全部列出）",
        Figure::OverdueNow.label(),
        r.overdue.len()
    )
}

/// The reason given for an overdue request, or that none was.
pub fn reason(o: &OverdueRequest) -> &str {
    o.reason.as_deref().unwrap_or(NO_REASON)
}

/// The date a request was due, or nothing.
pub fn due(o: &OverdueRequest) -> String {
    o.due.map(|d| d.to_string()).unwrap_or_default()
}

/// 超期：DF-20261103-0012 最低生活保障审批 期限 2026-11-20，说明：部门尚未答复.
pub fn overdue_line(o: &OverdueRequest) -> String {
    format!(
        "超期：{} {} {} {}，{}",
        o.number,
        o.item_name,
        DUE,
        due(o),
        match &o.reason {
            Some(r) => format!("说明：{r}"),
            None => NO_REASON.to_string(),
        }
    )
}

/// Days as the report shows them: the number, or — when none answered.
pub fn days(d: Option<i64>) -> String {
    d.map_or_else(|| "—".to_string(), |x| x.to_string())
}

/// The heading of the departments: 转报部门（得分 = …）.
pub fn department_heading(r: &Report) -> String {
    format!("{DEPARTMENT}（{}）", r.department_score)
}

/// The departments' columns, in order.
pub const DEPARTMENT_COLUMNS: [&str; 8] = [
    DEPARTMENT,
    "转报",
    "部门已答复",
    ANSWERED_ON_TIME,
    MEDIAN_DAYS,
    P90_DAYS,
    "当前超期",
    SCORE,
];

/// A department's row, in the order of [`DEPARTMENT_COLUMNS`].
pub fn department_cells(d: &DepartmentFigures) -> [String; 8] {
    [
        d.department.clone(),
        d.forwarded.to_string(),
        d.answered.to_string(),
        d.answered_on_time.to_string(),
        days(d.median_days),
        days(d.p90_days),
        d.overdue_now.to_string(),
        d.score.to_string(),
    ]
}

/// 市林业局：转报 3，部门已答复 2（按期答复 2），用时中位数 3 个工作日、90% 分位 5 个工作日，当前超期 0，得分 67.
pub fn department_line(d: &DepartmentFigures) -> String {
    let c = department_cells(d);
    let h = DEPARTMENT_COLUMNS;
    let with_unit = |v: Option<i64>| v.map_or_else(|| days(None), |x| format!("{x} {DAYS}"));
    format!(
        "{}：{} {}，{} {}（{} {}），{} {}、{} {}，{} {}，{} {}",
        c[0],
        h[1],
        c[1],
        h[2],
        c[2],
        h[3],
        c[3],
        h[4],
        with_unit(d.median_days),
        h[5],
        with_unit(d.p90_days),
        h[6],
        c[6],
        h[7],
        c[7]
    )
}

/// The figures a group's row shows (post, clerk, week, town), before its on-time rate.
pub const GROUP_FIGURES: [Figure; 5] = [
    Figure::Received,
    Figure::Accepted,
    Figure::Completed,
    Figure::Late,
    Figure::OverdueNow,
];

/// The on-time rate's name, as [`super::RATES`] writes it.
pub fn on_time_rate_label() -> &'static str {
    super::RATES
        .iter()
        .find(|r| r.0 == "on_time_rate")
        .map_or("按时办结率", |r| r.1)
}

/// A group's columns: its name, [`GROUP_FIGURES`] and the on-time rate.
pub fn group_columns(name: &'static str) -> Vec<&'static str> {
    let mut c = vec![name];
    c.extend(GROUP_FIGURES.map(Figure::label));
    c.push(on_time_rate_label());
    c
}

/// A group's row, in the order of [`group_columns`].
pub fn group_cells(g: &GroupFigures) -> Vec<String> {
    let mut c = vec![g.name.clone()];
    c.extend(GROUP_FIGURES.map(|f| g.counts.get(f).to_string()));
    c.push(rate(&g.on_time_rate));
    c
}

/// The staffing columns beside a post.
pub const STAFFING_COLUMNS: [&str; 3] = [NEEDED_PEAK, STAFFED, SHORT_HOURS];

/// A post's staffing cells, in the order of [`STAFFING_COLUMNS`] (empty without staffing).
pub fn staffing_cells(p: Option<&PostStaffing>) -> [String; 3] {
    match p {
        Some(p) => [
            p.needed_peak.to_string(),
            p.staffed.to_string(),
            p.short_hours.to_string(),
        ],
        None => Default::default(),
    }
}

/// The staffing of the post `name`, if the report has it.
pub fn staffing_of<'a>(r: &'a Report, name: &str) -> Option<&'a PostStaffing> {
    r.post_staffing.iter().find(|p| p.post == name)
}

/// The day whose rota and staff the staffing beside is measured on: the range's last day.
pub fn staffing_note(r: &Report) -> String {
    format!(
        "{NEEDED_PEAK}、{STAFFED}、{SHORT_HOURS}：按 {} 的排班与在岗人员，以近四周到达人数测算，目标 {:.0}% 在 {:.0} 分钟内开始办理。",
        r.to,
        super::SERVICE_LEVEL * 100.0,
        super::TARGET_WAIT_S / 60.0
    )
}

/// Why a short post is short: 综合窗口 缺人：社会治理服务中心 空编 6、借调出 1.
pub fn short_line(r: &Report, p: &PostStaffing) -> String {
    let on = (r.to != r.today).then_some(r.to);
    format!(
        "{} {SHORT_WHY}：{}",
        p.post,
        crate::domain::demand::shortfall_words(&p.short, on)
    )
}

/// 综合窗口：收件 30，受理 28，办结 25，超期办结 2，当前超期 1，按时办结率 92.0%（23/25）；高峰需要窗口 3，排班窗口 2，缺口时段 2.
pub fn post_line(r: &Report, g: &GroupFigures) -> String {
    let mut out = group_line(g);
    if let Some(p) = staffing_of(r, &g.key) {
        let cells = staffing_cells(Some(p));
        let parts: Vec<String> = STAFFING_COLUMNS
            .iter()
            .zip(&cells)
            .map(|(h, v)| format!("{h} {v}"))
            .collect();
        out.push('；');
        out.push_str(&parts.join("，"));
    }
    out
}

/// A group in a line: 张三（DF0013）：收件 12，…，按时办结率 90.0%（9/10）.
pub fn group_line(g: &GroupFigures) -> String {
    let mut parts: Vec<String> = GROUP_FIGURES
        .iter()
        .map(|f| format!("{} {}", f.label(), g.counts.get(*f)))
        .collect();
    parts.push(format!(
        "{} {}",
        on_time_rate_label(),
        rate(&g.on_time_rate)
    ));
    format!("{}：{}", g.name, parts.join("，"))
}

/// 好差评：40 条评价，满意率 90.0%（36/40）；差评回访 2 件，按期办结 50.0%（1/2），当前超期 1.
pub fn satisfaction_line(s: &Satisfaction) -> String {
    format!(
        "{SATISFACTION}：{} 条{RATINGS}，{SATISFIED} {}；{FOLLOWUPS} {} 件，{FOLLOWUPS_ON_TIME} {}，{FOLLOWUPS_OVERDUE} {}",
        s.ratings,
        rate(&s.satisfied),
        s.followups,
        rate(&s.followups_closed_on_time),
        s.followups_overdue_now
    )
}

/// The report as the terminal shows it (`bianmin report` without `--json`): the heading, every
/// figure, the rates, the first ten overdue, the departments under their score's rule, each
/// post with its staffing, each town (the county's view), and 好差评.
pub fn text(r: &Report) -> String {
    let mut out = format!("{}\n{}\n", heading(r), summary(r));
    for x in &r.rates {
        out.push_str(&rate_line(x));
        out.push('\n');
    }
    for o in r.overdue.iter().take(10) {
        out.push_str(&format!("  {}\n", overdue_line(o)));
    }
    if r.overdue.len() > 10 {
        out.push_str(&format!(
            "  ……共 {} 件超期，全部列出：report … --figure overdue_now\n",
            r.overdue.len()
        ));
    }
    if !r.by_department.is_empty() {
        out.push_str(&format!("{}：\n", department_heading(r)));
        for d in &r.by_department {
            out.push_str(&format!("  {}\n", department_line(d)));
        }
    }
    out.push_str(&format!("{BY}{POST}：\n"));
    for g in &r.by_post {
        out.push_str(&format!("  {}\n", post_line(r, g)));
    }
    for p in r.post_staffing.iter().filter(|p| !p.short.is_empty()) {
        out.push_str(&format!("  {}\n", short_line(r, p)));
    }
    if !r.by_town.is_empty() {
        out.push_str(&format!("{BY}{TOWN}：\n"));
        for g in &r.by_town {
            out.push_str(&format!("  {}\n", group_line(g)));
        }
    }
    out.push_str(&satisfaction_line(&r.satisfaction));
    out.push('\n');
    out
}

/// Every fixed word the report prints, for the font's coverage check.
pub fn fixed_words(r: &Report) -> String {
    let mut all: Vec<String> = vec![
        TITLE,
        POST,
        CLERK,
        ITEM,
        WEEK,
        TOWN,
        CODE,
        NUMBER,
        DUE,
        DEPARTMENT,
        REASON,
        NO_REASON,
        ANSWERED_ON_TIME,
        MEDIAN_DAYS,
        P90_DAYS,
        DAYS,
        SCORE,
        SCORE_RULE,
        DAYS_RULE,
        NEEDED_PEAK,
        STAFFED,
        SHORT_HOURS,
        SHORT_WHY,
        SATISFACTION,
        RATINGS,
        SATISFIED,
        FOLLOWUPS,
        FOLLOWUPS_ON_TIME,
        FOLLOWUPS_OVERDUE,
        ITEM_COLUMN,
        VALUE,
        NUMERATOR,
        DENOMINATOR,
        HOW,
        COUNT,
        OVERVIEW,
        SEQ,
        BY,
        ENTRIES,
        NONE,
    ]
    .into_iter()
    .map(str::to_string)
    .collect();
    all.extend(Figure::ALL.map(|f| f.label().to_string()));
    all.extend(DEPARTMENT_COLUMNS.map(str::to_string));
    all.push(r.department_score.clone());
    all.push(staffing_note(r));
    all.push(heading(r));
    all.push(summary(r));
    all.push(hall(&r.town));
    all.extend(r.rates.iter().map(|x| rate_line(x) + &rate_rule(x)));
    all.push(satisfaction_line(&r.satisfaction));
    all.join("")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rate is written with both its numbers (a dash over nothing); a department none of
    /// whose requests was answered shows a dash for its days, not "— 个工作日".
    #[test]
    fn a_rate_is_written_with_both_numbers_and_days_unanswered_as_a_dash() {
        assert_eq!(rate(&Rate::of(1486, 1768)), "84.0%（1486/1768）");
        assert_eq!(rate(&Rate::of(0, 0)), "—（0/0）");
        let d = |median: Option<i64>| DepartmentFigures {
            department: "市林业局".into(),
            forwarded: 12,
            answered: median.map_or(0, |_| 10),
            answered_on_time: median.map_or(0, |_| 9),
            median_days: median,
            p90_days: median.map(|m| m + 2),
            overdue_now: 1,
            score: 70,
        };
        assert_eq!(
            department_line(&d(Some(3))),
            "市林业局：转报 12，部门已答复 10（按期答复 9），用时中位数 3 个工作日、90% 分位 5 个工作日，当前超期 1，得分 70"
        );
        assert_eq!(
            department_line(&d(None)),
            "市林业局：转报 12，部门已答复 0（按期答复 0），用时中位数 —、90% 分位 —，当前超期 1，得分 70"
        );
    }
}
