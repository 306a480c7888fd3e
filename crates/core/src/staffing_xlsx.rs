//! The staffing report as an .xlsx workbook: a sheet per town with the same figures the screens
//! and the printed report show, numbers as numbers, and a sheet of alerts.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::staffing::{Figures, StaffingReport};
use crate::{Error, Result};

/// The columns of a town's sheet: name and kind, the figures, and three texts.
pub fn headers() -> Vec<&'static str> {
    let mut h = vec![Figures::UNIT, Figures::KIND];
    h.extend(Figures::LABELS);
    h.extend([
        Figures::VACANCY_RATE,
        Figures::ENFORCEMENT,
        Figures::OVER_QUOTA,
        Figures::MANAGED_BY,
    ]);
    h
}

fn failed(e: XlsxError) -> Error {
    Error::invalid("xlsx", format!("无法生成 Excel 文件：{e}"))
}

/// The workbook's file name: the town, what it holds, the day.
pub fn file_name(town: &str, on: chrono::NaiveDate) -> String {
    format!("{}编制与在岗情况-{}.xlsx", town.trim(), on)
}

/// The workbook's bytes.
pub fn xlsx(report: &StaffingReport) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let per_cent = Format::new().set_num_format("0.0%");
    for town in &report.towns {
        let ws = book.add_worksheet();
        ws.set_name(&town.name).map_err(failed)?;
        ws.write_string_with_format(
            0,
            0,
            format!("{}编制与在岗情况（统计日期 {}）", town.name, report.date),
            &bold,
        )
        .map_err(failed)?;
        for (c, h) in headers().iter().enumerate() {
            ws.write_string_with_format(2, c as u16, *h, &bold)
                .map_err(failed)?;
            ws.set_column_width(c as u16, if c == 0 { 20 } else { 9 })
                .map_err(failed)?;
        }
        let mut row = 3;
        let mut put =
            |name: &str, kind: &str, f: &Figures, ok: &str, managed: &str| -> Result<()> {
                let ws = &mut *ws;
                ws.write_string(row, 0, name).map_err(failed)?;
                ws.write_string(row, 1, kind).map_err(failed)?;
                for (i, v) in f.counts().iter().enumerate() {
                    ws.write_number(row, 2 + i as u16, *v as f64)
                        .map_err(failed)?;
                }
                let rate = 2 + Figures::LABELS.len() as u16;
                if let Some(p) = f.vacancy_permille {
                    ws.write_number_with_format(row, rate, p as f64 / 1000.0, &per_cent)
                        .map_err(failed)?;
                }
                let after = rate + 1;
                ws.write_string(row, after, ok).map_err(failed)?;
                ws.write_string(
                    row,
                    after + 1,
                    if f.over_quota {
                        Figures::OVER_QUOTA
                    } else {
                        ""
                    },
                )
                .map_err(failed)?;
                ws.write_string(row, after + 2, managed).map_err(failed)?;
                row += 1;
                Ok(())
            };
        for u in &town.units {
            put(
                &u.name,
                &u.kind,
                &u.figures,
                u.enforcement_label(),
                &u.managed_by,
            )?;
        }
        put("合计", "", &town.figures, "", "")?;
    }
    let ws = book.add_worksheet();
    ws.set_name("提醒").map_err(failed)?;
    for (c, h) in ["乡镇", "提醒", "工号", "姓名", "单位", "内容", "日期"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(failed)?;
    }
    let mut row = 1;
    for town in &report.towns {
        for a in &town.credentials_expiring {
            let cells = [
                town.name.clone(),
                format!("证件 {} 天内到期", a.days_left),
                a.staff_no.clone(),
                a.name.clone(),
                a.unit.clone(),
                format!("{} {}", a.kind, a.number),
                a.valid_to.to_string(),
            ];
            for (c, v) in cells.iter().enumerate() {
                ws.write_string(row, c as u16, v).map_err(failed)?;
            }
            row += 1;
        }
        for a in &town.retiring_within_a_year {
            let cells = [
                town.name.clone(),
                if a.past {
                    "已到龄，请核实".into()
                } else {
                    "一年内到龄退休".into()
                },
                a.staff_no.clone(),
                a.name.clone(),
                a.unit.clone(),
                format!("出生 {}（{}）", a.birth_date, a.track),
                a.retires_on.to_string(),
            ];
            for (c, v) in cells.iter().enumerate() {
                ws.write_string(row, c as u16, v).map_err(failed)?;
            }
            row += 1;
        }
    }
    book.save_to_buffer().map_err(failed)
}

#[cfg(test)]
mod tests {
    use calamine::{Data, Reader, Xlsx};
    use chrono::NaiveDate;

    use super::*;
    use crate::staffing::staffing_report;
    use crate::store::SqliteStore;

    #[test]
    fn the_workbook_holds_the_same_figures_as_the_report() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let mut s = SqliteStore::open_in_memory().unwrap();
        crate::demo::load(&mut s, day).unwrap();
        let report = staffing_report(&mut s, None, day).unwrap();
        let bytes = xlsx(&report).unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        for town in &report.towns {
            let range = book.worksheet_range(&town.name).unwrap();
            for (k, u) in town.units.iter().enumerate() {
                let row = 3 + k as u32;
                assert_eq!(
                    range.get_value((row, 0)),
                    Some(&Data::String(u.name.clone()))
                );
                for (i, v) in u.figures.counts().iter().enumerate() {
                    assert_eq!(
                        range.get_value((row, 2 + i as u32)),
                        Some(&Data::Float(*v as f64)),
                        "{} {}",
                        u.name,
                        Figures::LABELS[i]
                    );
                }
            }
            let total = 3 + town.units.len() as u32;
            assert_eq!(
                range.get_value((total, 0)),
                Some(&Data::String("合计".into()))
            );
            assert_eq!(
                range.get_value((total, 8)),
                Some(&Data::Float(town.figures.vacancies as f64))
            );
        }
        let alerts = book.worksheet_range("提醒").unwrap();
        let expected: usize = report
            .towns
            .iter()
            .map(|t| t.credentials_expiring.len() + t.retiring_within_a_year.len())
            .sum();
        assert!(expected > 0);
        assert_eq!(alerts.height(), expected + 1);
    }
}
