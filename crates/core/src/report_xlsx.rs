//! The performance report (issue 20) as an .xlsx workbook, in the words of
//! [`crate::report::words`], numbers as numbers and every rate beside its numerator and
//! denominator: 总览 (each figure; each rate, numerator, denominator and how it is worked out),
//! 超期办件 (every request overdue now), 转报部门 (with the score's rule in a note row), 按窗口
//! (with the staffing beside), 按人员, 按事项, 按周, 按乡镇 (the county's view only) and 好差评.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::report::{words as w, Figure, GroupFigures, Rate, Report};
use crate::{Error, Result};

fn failed(e: XlsxError) -> Error {
    Error::invalid("xlsx", format!("无法生成 Excel 文件：{e}"))
}

/// The workbook's file name: the town, what it holds, the range.
pub fn file_name(r: &Report) -> String {
    format!("{}{}-{}至{}.xlsx", r.town.trim(), w::TITLE, r.from, r.to)
}

/// The overview's columns.
pub const OVERVIEW_COLUMNS: [&str; 5] = [
    w::ITEM_COLUMN,
    w::VALUE,
    w::NUMERATOR,
    w::DENOMINATOR,
    w::HOW,
];

/// The overdue requests' columns.
pub const OVERDUE_COLUMNS: [&str; 7] = [
    w::NUMBER,
    w::ITEM,
    w::POST,
    w::CLERK,
    w::DUE,
    w::DEPARTMENT,
    w::REASON,
];

/// A group sheet's columns: its name, its key, every figure, the on-time rate; a post's sheet
/// adds the staffing and why it is short.
pub fn group_columns(name: &'static str, staffing: bool) -> Vec<&'static str> {
    let mut c = vec![name, w::CODE];
    c.extend(Figure::ALL.map(Figure::label));
    c.push(w::on_time_rate_label());
    if staffing {
        c.extend(w::STAFFING_COLUMNS);
        c.push(w::SHORT_WHY);
    }
    c
}

/// One sheet being written: a row at a time.
struct Sheet<'a> {
    ws: &'a mut Worksheet,
    row: u32,
    per_cent: &'a Format,
}

impl Sheet<'_> {
    fn text(&mut self, col: u16, v: &str) -> Result<()> {
        self.ws.write_string(self.row, col, v).map_err(failed)?;
        Ok(())
    }

    fn number(&mut self, col: u16, v: f64) -> Result<()> {
        self.ws.write_number(self.row, col, v).map_err(failed)?;
        Ok(())
    }

    /// A rate as a per cent (nothing over nothing).
    fn rate(&mut self, col: u16, r: &Rate) -> Result<()> {
        if let Some(p) = r.permille {
            self.ws
                .write_number_with_format(self.row, col, f64::from(p) / 1000.0, self.per_cent)
                .map_err(failed)?;
        }
        Ok(())
    }

    fn header(&mut self, titles: &[&str], bold: &Format) -> Result<()> {
        for (c, t) in titles.iter().enumerate() {
            self.ws
                .write_string_with_format(self.row, c as u16, *t, bold)
                .map_err(failed)?;
            self.ws
                .set_column_width(c as u16, if c == 0 { 24 } else { 11 })
                .map_err(failed)?;
        }
        self.row += 1;
        Ok(())
    }
}

fn sheet<'a>(book: &'a mut Workbook, name: &str, per_cent: &'a Format) -> Result<Sheet<'a>> {
    let ws = book.add_worksheet();
    ws.set_name(name).map_err(failed)?;
    Ok(Sheet {
        ws,
        row: 0,
        per_cent,
    })
}

fn groups(
    book: &mut Workbook,
    r: &Report,
    name: &'static str,
    groups: &[GroupFigures],
    staffing: bool,
    fmt: (&Format, &Format),
) -> Result<()> {
    let (bold, per_cent) = fmt;
    let mut s = sheet(book, &format!("{}{name}", w::BY), per_cent)?;
    s.header(&group_columns(name, staffing), bold)?;
    for g in groups {
        s.text(0, &g.name)?;
        s.text(1, &g.key)?;
        for (i, f) in Figure::ALL.iter().enumerate() {
            s.number(2 + i as u16, f64::from(g.counts.get(*f)))?;
        }
        let rate = 2 + Figure::ALL.len() as u16;
        s.rate(rate, &g.on_time_rate)?;
        if let Some(p) = staffing.then(|| w::staffing_of(r, &g.key)).flatten() {
            s.number(rate + 1, f64::from(p.needed_peak))?;
            s.number(rate + 2, f64::from(p.staffed))?;
            s.number(rate + 3, f64::from(p.short_hours))?;
            if !p.short.is_empty() {
                let on = (r.to != r.today).then_some(r.to);
                s.text(
                    rate + 4,
                    &crate::domain::demand::shortfall_words(&p.short, on),
                )?;
            }
        }
        s.row += 1;
    }
    Ok(())
}

/// The workbook's bytes.
pub fn xlsx(r: &Report) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let per_cent = Format::new().set_num_format("0.0%");

    let mut s = sheet(&mut book, w::OVERVIEW, &per_cent)?;
    s.ws.write_string_with_format(0, 0, w::heading(r), &bold)
        .map_err(failed)?;
    s.row = 2;
    s.header(&OVERVIEW_COLUMNS, &bold)?;
    for f in Figure::ALL {
        s.text(0, f.label())?;
        s.number(1, f64::from(r.counts.get(f)))?;
        s.row += 1;
    }
    for x in &r.rates {
        s.text(0, &x.label)?;
        s.rate(1, &x.rate)?;
        s.number(2, f64::from(x.rate.numerator))?;
        s.number(3, f64::from(x.rate.denominator))?;
        s.text(4, &w::rate_rule(x))?;
        s.row += 1;
    }

    let mut s = sheet(&mut book, "超期办件", &per_cent)?;
    s.header(&OVERDUE_COLUMNS, &bold)?;
    for o in &r.overdue {
        let due = w::due(o);
        let cells: [&str; 7] = [
            &o.number,
            &o.item_name,
            &o.post,
            &o.clerk,
            &due,
            o.department.as_deref().unwrap_or(""),
            w::reason(o),
        ];
        for (c, v) in cells.iter().enumerate() {
            s.text(c as u16, v)?;
        }
        s.row += 1;
    }

    let mut s = sheet(&mut book, w::DEPARTMENT, &per_cent)?;
    s.header(&w::DEPARTMENT_COLUMNS, &bold)?;
    for d in &r.by_department {
        s.text(0, &d.department)?;
        s.number(1, f64::from(d.forwarded))?;
        s.number(2, f64::from(d.answered))?;
        s.number(3, f64::from(d.answered_on_time))?;
        for (c, v) in [(4, d.median_days), (5, d.p90_days)] {
            if let Some(v) = v {
                s.number(c, v as f64)?;
            }
        }
        s.number(6, f64::from(d.overdue_now))?;
        s.number(7, d.score as f64)?;
        s.row += 1;
    }
    s.row += 1;
    s.text(0, &format!("{}：{}", w::SCORE_RULE, r.department_score))?;
    s.row += 1;
    s.text(0, w::DAYS_RULE)?;

    let fmt = (&bold, &per_cent);
    groups(&mut book, r, w::POST, &r.by_post, true, fmt)?;
    groups(&mut book, r, w::CLERK, &r.by_clerk, false, fmt)?;
    groups(&mut book, r, w::ITEM, &r.by_item, false, fmt)?;
    groups(&mut book, r, w::WEEK, &r.by_week, false, fmt)?;
    if !r.by_town.is_empty() {
        groups(&mut book, r, w::TOWN, &r.by_town, false, fmt)?;
    }

    let sat = &r.satisfaction;
    let mut s = sheet(&mut book, w::SATISFACTION, &per_cent)?;
    s.header(&[w::RATINGS, w::ENTRIES], &bold)?;
    for (_, label, n) in &sat.grades {
        s.text(0, label)?;
        s.number(1, f64::from(*n))?;
        s.row += 1;
    }
    s.row += 1;
    s.header(&OVERVIEW_COLUMNS[..4], &bold)?;
    let followups_on_time = format!("{}{}", w::FOLLOWUPS, w::FOLLOWUPS_ON_TIME);
    let followups_overdue = format!("{}{}", w::FOLLOWUPS, w::FOLLOWUPS_OVERDUE);
    let counts = [
        (w::RATINGS, sat.ratings),
        (w::FOLLOWUPS, sat.followups),
        (followups_overdue.as_str(), sat.followups_overdue_now),
    ];
    for (label, n) in counts {
        s.text(0, label)?;
        s.number(1, f64::from(n))?;
        s.row += 1;
    }
    for (label, rate) in [
        (w::SATISFIED, &sat.satisfied),
        (followups_on_time.as_str(), &sat.followups_closed_on_time),
    ] {
        s.text(0, label)?;
        s.rate(1, rate)?;
        s.number(2, f64::from(rate.numerator))?;
        s.number(3, f64::from(rate.denominator))?;
        s.row += 1;
    }
    book.save_to_buffer().map_err(failed)
}

#[cfg(test)]
mod tests {
    use calamine::{Data, Reader, Xlsx};

    use super::*;
    use crate::report::{report, ReportAsk};

    fn day(s: &str) -> chrono::NaiveDate {
        crate::date::parse_date("on", s).unwrap()
    }

    /// The demo's four weeks before 2026-11-30 (as `report.rs`'s tests build them).
    fn demo_month() -> Report {
        let mut s = crate::store::SqliteStore::open_in_memory().unwrap();
        crate::demo::load(&mut s, day("2026-11-30")).unwrap();
        crate::demo::recent::load(&mut s, day("2026-11-30")).unwrap();
        let ask = ReportAsk::new(
            Some("东风镇".into()),
            day("2026-11-01"),
            day("2026-11-30"),
            day("2026-11-30"),
        )
        .unwrap();
        report(&mut s, &ask).unwrap()
    }

    fn float(v: u32) -> Option<Data> {
        Some(Data::Float(f64::from(v)))
    }

    fn string(v: &str) -> Option<Data> {
        Some(Data::String(v.to_string()))
    }

    /// Read back with calamine: the overview's figures and rates (numerator and denominator
    /// beside each), every overdue request, each department with its score and the rule in a
    /// note row, each post with its staffing, each clerk, item and week, and 好差评 are the
    /// report's.
    #[test]
    fn the_workbook_holds_the_same_figures_as_the_report() {
        let r = demo_month();
        assert!(r.counts.overdue_now > 0 && !r.by_department.is_empty());
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx(&r).unwrap())).unwrap();
        assert_eq!(
            book.sheet_names(),
            [
                "总览",
                "超期办件",
                "转报部门",
                "按窗口",
                "按人员",
                "按事项",
                "按周",
                "好差评"
            ]
        );
        let at = |range: &calamine::Range<Data>, row: usize, col: usize| {
            range.get_value((row as u32, col as u32)).cloned()
        };

        let o = book.worksheet_range("总览").unwrap();
        assert_eq!(at(&o, 0, 0), string(&w::heading(&r)));
        for (i, f) in Figure::ALL.iter().enumerate() {
            assert_eq!(at(&o, 3 + i, 0), string(f.label()));
            assert_eq!(at(&o, 3 + i, 1), float(r.counts.get(*f)), "{f:?}");
        }
        for (k, x) in r.rates.iter().enumerate() {
            let row = 3 + Figure::ALL.len() + k;
            assert_eq!(at(&o, row, 0), string(&x.label));
            assert_eq!(
                at(&o, row, 1),
                x.rate.permille.map(|p| Data::Float(f64::from(p) / 1000.0))
            );
            assert_eq!(at(&o, row, 2), float(r.counts.get(x.numerator)));
            assert_eq!(at(&o, row, 3), float(r.counts.get(x.denominator)));
            assert_eq!(at(&o, row, 4), string(&w::rate_rule(x)));
        }

        let overdue = book.worksheet_range("超期办件").unwrap();
        assert_eq!(overdue.height(), 1 + r.overdue.len());
        for (i, x) in r.overdue.iter().enumerate() {
            assert_eq!(at(&overdue, 1 + i, 0), string(&x.number));
            assert_eq!(at(&overdue, 1 + i, 6), string(w::reason(x)));
        }

        let d = book.worksheet_range("转报部门").unwrap();
        for (i, x) in r.by_department.iter().enumerate() {
            assert_eq!(at(&d, 1 + i, 0), string(&x.department));
            assert_eq!(at(&d, 1 + i, 1), float(x.forwarded));
            assert_eq!(at(&d, 1 + i, 7), Some(Data::Float(x.score as f64)));
        }
        let note = 2 + r.by_department.len();
        assert_eq!(
            at(&d, note, 0),
            string(&format!("评分方法：{}", crate::report::DEPARTMENT_SCORE))
        );

        let rate_col = 2 + Figure::ALL.len();
        for (sheet, groups) in [
            ("按窗口", &r.by_post),
            ("按人员", &r.by_clerk),
            ("按事项", &r.by_item),
            ("按周", &r.by_week),
        ] {
            let g = book.worksheet_range(sheet).unwrap();
            assert_eq!(g.height(), 1 + groups.len(), "{sheet}");
            for (i, x) in groups.iter().enumerate() {
                assert_eq!(at(&g, 1 + i, 1), string(&x.key), "{sheet}");
                for (k, f) in Figure::ALL.iter().enumerate() {
                    assert_eq!(
                        at(&g, 1 + i, 2 + k),
                        float(x.counts.get(*f)),
                        "{sheet} {f:?}"
                    );
                }
                if sheet == "按窗口" {
                    let p = w::staffing_of(&r, &x.key).expect("each post's staffing");
                    assert_eq!(at(&g, 1 + i, rate_col + 1), float(p.needed_peak));
                    assert_eq!(at(&g, 1 + i, rate_col + 2), float(p.staffed));
                    assert_eq!(at(&g, 1 + i, rate_col + 3), float(p.short_hours));
                }
            }
        }

        let sat = book.worksheet_range("好差评").unwrap();
        let grades = r.satisfaction.grades.len();
        for (i, (_, label, n)) in r.satisfaction.grades.iter().enumerate() {
            assert_eq!(at(&sat, 1 + i, 0), string(label));
            assert_eq!(at(&sat, 1 + i, 1), float(*n));
        }
        assert_eq!(at(&sat, grades + 3, 1), float(r.satisfaction.ratings));
        assert_eq!(
            at(&sat, grades + 6, 2),
            float(r.satisfaction.satisfied.numerator)
        );
        assert_eq!(
            at(&sat, grades + 6, 3),
            float(r.satisfaction.satisfied.denominator)
        );
    }
}
