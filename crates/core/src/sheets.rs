//! Reading spreadsheets and CSV files for imports: tables with row numbers, header checks,
//! and problems reported by file, row and column in Chinese. Shared by the catalogue and the
//! roster imports.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use calamine::{Data, Reader};
use chrono::NaiveDate;
use serde::Serialize;

/// One problem found in an imported file. `row` counts as a spreadsheet does (the header is
/// row 1); 0 means the file as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub file: String,
    pub row: usize,
    pub column: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.row, self.column.is_empty()) {
            (0, _) => write!(f, "{}:{}", self.file, self.message),
            (r, true) => write!(f, "{} 第{r}行：{}", self.file, self.message),
            (r, false) => write!(
                f,
                "{} 第{r}行「{}」：{}",
                self.file, self.column, self.message
            ),
        }
    }
}

/// A sheet or CSV file: its name as the clerk knows it, header and rows (with row numbers).
pub(crate) struct Table {
    pub file: String,
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

pub(crate) fn whole_file(file: &str, message: impl Into<String>) -> Problem {
    Problem {
        file: file.into(),
        row: 0,
        column: String::new(),
        message: message.into(),
    }
}

/// Decodes a CSV file's bytes: UTF-8 (a BOM is dropped), else GBK.
pub(crate) fn decode(file: &str, bytes: &[u8]) -> std::result::Result<String, Problem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let (text, _, had_errors) = encoding_rs::GBK.decode(bytes);
    if had_errors {
        return Err(whole_file(
            file,
            "无法识别文件编码：应为 UTF-8 或 GBK 编码的 CSV 文件",
        ));
    }
    Ok(text.into_owned())
}

pub(crate) fn read_csv(dir: &Path, sheet: &str) -> std::result::Result<Table, Problem> {
    let file = format!("{sheet}.csv");
    let bytes = std::fs::read(dir.join(&file))
        .map_err(|_| whole_file(&file, format!("文件夹中缺少 {file}")))?;
    let text = decode(&file, &bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| Problem {
            file: file.clone(),
            row: i + 1,
            column: String::new(),
            message: format!("CSV 格式错误：{e}"),
        })?;
        records.push((
            i + 1,
            rec.iter().map(|s| s.trim().to_string()).collect::<Vec<_>>(),
        ));
    }
    into_table(file, records)
}

pub(crate) fn into_table(
    file: String,
    mut records: Vec<(usize, Vec<String>)>,
) -> std::result::Result<Table, Problem> {
    if records.is_empty() {
        return Err(whole_file(&file, "文件是空的，缺少表头"));
    }
    let (_, header) = records.remove(0);
    let rows = records
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()))
        .collect();
    Ok(Table { file, header, rows })
}

/// The text of a spreadsheet cell: whole numbers without ".0", dates as YYYY-MM-DD.
pub(crate) fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        // Excel counts days from 1899-12-30 (for every date after February 1900).
        Data::DateTime(d) => NaiveDate::from_ymd_opt(1899, 12, 30)
            .and_then(|epoch| epoch.checked_add_days(chrono::Days::new(d.as_f64().floor() as u64)))
            .map_or_else(|| d.as_f64().to_string(), |day| day.to_string()),
        Data::DateTimeIso(s) => s.chars().take(10).collect(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Reads the named sheets of a workbook into tables; a missing sheet is a problem.
pub(crate) fn read_xlsx(
    path: &Path,
    sheets: &[&str],
) -> std::result::Result<Vec<Table>, Vec<Problem>> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut book = calamine::open_workbook_auto(path)
        .map_err(|e| vec![whole_file(&name, format!("无法打开工作簿：{e}"))])?;
    let mut tables = Vec::new();
    let mut problems = Vec::new();
    for &sheet in sheets {
        let label = format!("{name} 工作表「{sheet}」");
        match book.worksheet_range(sheet) {
            Ok(range) => {
                let start_row = range.start().map_or(0, |(r, _)| r as usize);
                let records = range
                    .rows()
                    .enumerate()
                    .map(|(i, r)| (start_row + i + 1, r.iter().map(cell_text).collect()))
                    .collect();
                match into_table(label, records) {
                    Ok(t) => tables.push(t),
                    Err(p) => problems.push(p),
                }
            }
            Err(_) => problems.push(whole_file(&name, format!("缺少工作表「{sheet}」"))),
        }
    }
    if problems.is_empty() {
        Ok(tables)
    } else {
        Err(problems)
    }
}

/// Column positions of a table, checked against the expected headers.
pub(crate) struct Columns<'t> {
    pub table: &'t Table,
    index: HashMap<&'static str, usize>,
}

impl<'t> Columns<'t> {
    pub(crate) fn new(
        table: &'t Table,
        expected: &[&'static str],
        problems: &mut Vec<Problem>,
    ) -> Option<Self> {
        Self::with_optional(table, expected, &[], problems)
    }

    /// The same with columns a file may leave out (older files, added later): read as empty
    /// when absent.
    pub(crate) fn with_optional(
        table: &'t Table,
        expected: &[&'static str],
        optional: &[&'static str],
        problems: &mut Vec<Problem>,
    ) -> Option<Self> {
        let mut index = HashMap::new();
        let mut ok = true;
        let known: Vec<&'static str> = expected.iter().chain(optional).copied().collect();
        for (i, h) in table.header.iter().enumerate() {
            let h = h.trim().trim_start_matches('\u{feff}');
            if h.is_empty() {
                continue;
            }
            match known.iter().find(|e| **e == h) {
                Some(e) if index.contains_key(e) => {
                    problems.push(Problem {
                        file: table.file.clone(),
                        row: 1,
                        column: h.into(),
                        message: "表头重复".into(),
                    });
                    ok = false;
                }
                Some(e) => {
                    index.insert(*e, i);
                }
                None => {
                    problems.push(Problem {
                        file: table.file.clone(),
                        row: 1,
                        column: h.into(),
                        message: format!("未知的列；应有的列为：{}", known.join("、")),
                    });
                    ok = false;
                }
            }
        }
        for e in expected {
            if !index.contains_key(e) {
                problems.push(Problem {
                    file: table.file.clone(),
                    row: 1,
                    column: (*e).into(),
                    message: "缺少这一列".into(),
                });
                ok = false;
            }
        }
        ok.then_some(Columns { table, index })
    }

    pub(crate) fn get<'r>(&self, row: &'r [String], col: &'static str) -> &'r str {
        self.index
            .get(col)
            .and_then(|i| row.get(*i))
            .map_or("", |s| s.as_str())
    }
}

/// Collects problems for one row.
pub(crate) struct RowCheck<'a> {
    pub file: &'a str,
    pub row: usize,
    pub problems: &'a mut Vec<Problem>,
}

impl RowCheck<'_> {
    pub(crate) fn bad(&mut self, column: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            file: self.file.into(),
            row: self.row,
            column: column.into(),
            message: message.into(),
        });
    }

    /// A required text of at most `max` characters.
    pub(crate) fn text(&mut self, column: &str, value: &str, max: usize, required: bool) -> String {
        let n = value.chars().count();
        if required && n == 0 {
            self.bad(column, "不能为空");
        } else if n > max {
            self.bad(column, format!("过长：{n} 个字符，最多 {max} 个"));
        }
        value.to_string()
    }

    pub(crate) fn date(&mut self, column: &str, value: &str) -> Option<NaiveDate> {
        match crate::date::parse_date("file", value) {
            Ok(d) => Some(d),
            Err(_) => {
                self.bad(
                    column,
                    format!("日期“{value}”无效，应写作 YYYY-MM-DD 的真实日期"),
                );
                None
            }
        }
    }
}
