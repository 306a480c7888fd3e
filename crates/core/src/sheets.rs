//! Reading spreadsheets and CSV files for imports: tables with row numbers, header checks,
//! and problems reported by file, row and column in Chinese. Shared by the catalogue and the
//! roster imports.
//!
//! Every file is measured before it is read (issue 17, point 11): its size on disk, then for a
//! workbook the zip's entries (their declared sizes, then the bytes they really inflate to,
//! read under a limit), the shared-string count calamine would reserve, the strings and the
//! elements of the parts calamine keeps whole, each sheet's declared dimension, and while
//! reading, every cell's position, the rows, the cells and the text. A
//! file over a limit is refused as a whole-file [`Problem`] in Chinese before anything large is
//! allocated; the limits are the `MAX_*` constants below.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{Data, Reader, Xlsx, XlsxError};
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
    let path = dir.join(&file);
    if !path.is_file() {
        return Err(whole_file(&file, format!("文件夹中缺少 {file}")));
    }
    let bytes = read_limited(&file, &path, MAX_FILE_BYTES)?;
    let text = decode(&file, &bytes)?;
    drop(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    let mut cells = 0u64;
    for (i, rec) in reader.records().enumerate() {
        let row = i + 1;
        if row > MAX_ROWS as usize {
            return Err(too_many_rows(&file));
        }
        let rec = rec.map_err(|e| Problem {
            file: file.clone(),
            row,
            column: String::new(),
            message: format!("CSV 格式错误：{e}"),
        })?;
        if rec.len() > MAX_COLUMNS as usize {
            return Err(Problem {
                file: file.clone(),
                row,
                column: String::new(),
                message: format!(
                    "文件过大：这一行有 {} 列，导入文件最多 {MAX_COLUMNS} 列",
                    rec.len()
                ),
            });
        }
        cells += rec.len() as u64;
        if cells > MAX_CELLS {
            return Err(too_many_cells(&file));
        }
        records.push((
            row,
            rec.iter().map(|s| s.trim().to_string()).collect::<Vec<_>>(),
        ));
    }
    into_table(file, records)
}

/// Rows of cells with their numbers as a spreadsheet counts them.
pub(crate) type Records = Vec<(usize, Vec<String>)>;

pub(crate) fn into_table(
    file: String,
    mut records: Records,
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
    Ok(read_workbook(path, sheets, &[])?.required)
}

/// The sheets of a workbook: those it must have, in the order asked, and those it may have.
pub(crate) struct Book {
    pub required: Vec<Table>,
    pub optional: Vec<Option<Table>>,
}

/// Reads the `required` sheets of a workbook (a missing one is a problem) and those of the
/// `optional` ones it has, after measuring the file against the import limits.
pub(crate) fn read_workbook(
    path: &Path,
    required: &[&str],
    optional: &[&str],
) -> std::result::Result<Book, Vec<Problem>> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = read_limited(&name, path, MAX_FILE_BYTES).map_err(|p| vec![p])?;
    check_package(&name, &bytes).map_err(|p| vec![p])?;
    let mut book = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| vec![whole_file(&name, format!("无法打开工作簿：{e}"))])?;
    let mut budget = Budget {
        text: MAX_TEXT_BYTES,
    };
    let mut tables = Vec::new();
    let mut problems = Vec::new();
    for &sheet in required {
        match read_sheet(&mut book, &name, sheet, &mut budget) {
            Ok(Some(records)) => match into_table(format!("{name} 工作表「{sheet}」"), records)
            {
                Ok(t) => tables.push(t),
                Err(p) => problems.push(p),
            },
            Ok(None) => problems.push(whole_file(&name, format!("缺少工作表「{sheet}」"))),
            // Over a limit: stop here, the rest of the file is not worth reading.
            Err(p) => return Err(vec![p]),
        }
    }
    let mut present = Vec::new();
    for &sheet in optional {
        match read_sheet(&mut book, &name, sheet, &mut budget) {
            Ok(Some(records)) => match into_table(format!("{name} 工作表「{sheet}」"), records)
            {
                Ok(t) => present.push(Some(t)),
                Err(p) => problems.push(p),
            },
            Ok(None) => present.push(None),
            Err(p) => return Err(vec![p]),
        }
    }
    if problems.is_empty() {
        Ok(Book {
            required: tables,
            optional: present,
        })
    } else {
        Err(problems)
    }
}

// ---------------------------------------------------------------------------------------------
// Import limits

const MB: u64 = 1024 * 1024;

/// The largest file an import reads: a township's catalogue or roster is well under 1 MB, a
/// province's whole 实施清单 a few MB.
pub const MAX_FILE_BYTES: u64 = 20 * MB;
/// The most a workbook may inflate to (all its zip entries together).
pub const MAX_UNPACKED_BYTES: u64 = 100 * MB;
/// The most text the cells of a workbook may hold once read (a shared string counts once for
/// every cell that names it).
pub const MAX_TEXT_BYTES: u64 = 50 * MB;
/// The most rows a sheet or CSV file may have, its header included.
pub const MAX_ROWS: u32 = 100_000;
/// The most columns (a catalogue's widest sheet has 20).
pub const MAX_COLUMNS: u32 = 200;
/// The most shared strings a workbook may hold (calamine keeps each as a `String`).
pub const MAX_STRINGS: u64 = 1_000_000;
/// The most elements of any other part calamine keeps in memory (styles, the workbook, its
/// relationships); Excel itself allows some 64,000 cell formats.
pub const MAX_ELEMENTS: u64 = 500_000;
/// The most cells a sheet or CSV file may span, counted as the rows are kept (each row as wide
/// as its last cell): rows × columns at their limits would be 20 million.
pub const MAX_CELLS: u64 = 2_000_000;

fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / MB as f64;
    if mb >= 10.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    }
}

fn too_many_rows(file: &str) -> Problem {
    whole_file(
        file,
        format!("文件过大：超过 {MAX_ROWS} 行，导入文件最多 {MAX_ROWS} 行（含表头）"),
    )
}

fn too_many_cells(file: &str) -> Problem {
    whole_file(
        file,
        format!("文件过大：超过 {MAX_CELLS} 个单元格，导入文件最多 {MAX_CELLS} 个"),
    )
}

/// Reads a whole file of at most `limit` bytes: the size on disk is looked at first, and the
/// reading stops past the limit (a file that grows meanwhile).
pub(crate) fn read_limited(
    file: &str,
    path: &Path,
    limit: u64,
) -> std::result::Result<Vec<u8>, Problem> {
    let too_big = |size: u64| {
        whole_file(
            file,
            format!(
                "文件过大：{}，超过导入文件的上限 {}",
                megabytes(size),
                megabytes(limit)
            ),
        )
    };
    let unreadable = |e: std::io::Error| whole_file(file, format!("无法读取文件：{e}"));
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > limit {
        return Err(too_big(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    if bytes.len() as u64 > limit {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Measures a workbook's zip before calamine opens it: a zip at all, entries that inflate to
/// at most [`MAX_UNPACKED_BYTES`] by their headers and in fact (each entry is inflated under a
/// `take` limit into nothing; headers can lie), and a shared-string table that does not ask
/// for more room than a sheet may have cells (calamine reserves what `uniqueCount` says).
fn check_package(file: &str, bytes: &[u8]) -> std::result::Result<(), Problem> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(whole_file(
            file,
            "无法打开工作簿：不是 .xlsx 文件（旧版 .xls 请在 Excel 中另存为 .xlsx）",
        ));
    }
    let damaged = || whole_file(file, "无法打开工作簿：文件已损坏");
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| damaged())?;
    let unpacked = |size: u64| {
        whole_file(
            file,
            format!(
                "文件过大：解压后有 {}，超过导入工作簿解压后的上限 {}（可能是“压缩炸弹”）",
                megabytes(size),
                megabytes(MAX_UNPACKED_BYTES)
            ),
        )
    };
    let mut declared = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index_data(i).map_err(|_| damaged())?;
        declared = declared.saturating_add(entry.size());
    }
    if declared > MAX_UNPACKED_BYTES {
        return Err(unpacked(declared));
    }
    let mut inflated = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|_| damaged())?;
        let part = entry.name().map_err(|_| damaged())?.to_ascii_lowercase();
        let shared_strings = part.ends_with("sharedstrings.xml");
        // Worksheets are read cell by cell under their own limits; the other XML parts calamine
        // keeps whole in memory, element by element.
        let counted =
            (part.ends_with(".xml") || part.ends_with(".rels")) && !part.contains("worksheets/");
        let room = MAX_UNPACKED_BYTES - inflated;
        let mut limited = (&mut entry).take(room + 1);
        if shared_strings {
            // The <sst> element opens the part; its count lies in its first bytes.
            let mut head = Vec::new();
            (&mut limited)
                .take(SST_HEAD as u64)
                .read_to_end(&mut head)
                .map_err(|_| damaged())?;
            let count = unique_count(&head).map_err(|()| damaged())?;
            if let Some(n) = count.filter(|n| *n > MAX_STRINGS) {
                return Err(whole_file(
                    file,
                    format!("文件过大：共享字符串表声明了 {n} 项，导入文件最多 {MAX_STRINGS} 项"),
                ));
            }
            inflated += head.len() as u64;
            let mut tags = Tags::default();
            tags.feed(&head);
            return_if_over(file, &part, &tags, shared_strings)?;
            inflate(
                &mut limited,
                &mut buf,
                &mut inflated,
                Some(&mut tags),
                |t| return_if_over(file, &part, t, true),
            )
            .map_err(|e| e.unwrap_or_else(damaged))?;
        } else {
            let mut tags = Tags::default();
            inflate(
                &mut limited,
                &mut buf,
                &mut inflated,
                counted.then_some(&mut tags),
                |t| return_if_over(file, &part, t, false),
            )
            .map_err(|e| e.unwrap_or_else(damaged))?;
        }
        if inflated > MAX_UNPACKED_BYTES {
            return Err(whole_file(
                file,
                format!(
                    "文件过大：解压后超过 {}，而压缩包声明的大小不实（可能是“压缩炸弹”）",
                    megabytes(MAX_UNPACKED_BYTES)
                ),
            ));
        }
    }
    Ok(())
}

/// Inflates an entry into nothing, adding to `inflated` and, for an XML part, counting its
/// tags and asking `check` after each piece. `Err(None)` when the zip is damaged.
fn inflate(
    entry: &mut impl Read,
    buf: &mut [u8],
    inflated: &mut u64,
    mut tags: Option<&mut Tags>,
    check: impl Fn(&Tags) -> std::result::Result<(), Problem>,
) -> std::result::Result<(), Option<Problem>> {
    loop {
        let n = match entry.read(buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return Err(None),
        };
        *inflated += n as u64;
        if let Some(tags) = tags.as_deref_mut() {
            tags.feed(&buf[..n]);
            check(tags).map_err(Some)?;
        }
    }
}

/// Refuses an XML part with more elements than calamine should hold: shared strings by their
/// `<si>` count, any other part (styles, workbook, relationships) by all its elements.
fn return_if_over(
    file: &str,
    part: &str,
    tags: &Tags,
    shared_strings: bool,
) -> std::result::Result<(), Problem> {
    if shared_strings && tags.si > MAX_STRINGS {
        return Err(whole_file(
            file,
            format!("文件过大：共享字符串超过 {MAX_STRINGS} 项"),
        ));
    }
    if !shared_strings && tags.all > MAX_ELEMENTS {
        return Err(whole_file(
            file,
            format!("文件过大：工作簿的 {part} 部分超过 {MAX_ELEMENTS} 个元素"),
        ));
    }
    Ok(())
}

/// Counts the start tags of an XML part as it streams past, and those named `si` (a shared
/// string), whatever their namespace prefix. A `<` in a comment may be counted too: never
/// fewer than there are.
#[derive(Default)]
struct Tags {
    all: u64,
    si: u64,
    state: TagState,
    name: Vec<u8>,
}

#[derive(Default, Clone, Copy)]
enum TagState {
    #[default]
    Text,
    Open,
    Name,
}

impl Tags {
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            match self.state {
                TagState::Text if b == b'<' => self.state = TagState::Open,
                TagState::Text => {}
                TagState::Open if b.is_ascii_alphabetic() || b == b'_' => {
                    self.all += 1;
                    self.name.clear();
                    self.name.push(b);
                    self.state = TagState::Name;
                }
                TagState::Open => self.state = TagState::Text,
                TagState::Name if b.is_ascii_whitespace() || b == b'>' || b == b'/' => {
                    let local = self.name.rsplit(|c| *c == b':').next().unwrap_or_default();
                    if local == b"si" {
                        self.si += 1;
                    }
                    self.state = TagState::Text;
                }
                TagState::Name if self.name.len() < 8 => self.name.push(b),
                TagState::Name => {}
            }
        }
    }
}

/// The `uniqueCount` of a shared-string table's opening bytes: `Ok(None)` without one, an error
/// when the `<sst>` tag does not close within them (it would hide its count past what was read).
fn unique_count(head: &[u8]) -> std::result::Result<Option<u64>, ()> {
    let text = String::from_utf8_lossy(head);
    let Some(start) = text
        .match_indices("sst")
        .map(|(at, _)| at)
        .find(|&at| at > 0 && matches!(text.as_bytes()[at - 1], b'<' | b':'))
    else {
        return if head.len() < SST_HEAD {
            Ok(None)
        } else {
            Err(())
        };
    };
    let tag = &text[start..];
    let tag = &tag[..tag.find('>').ok_or(())?];
    let Some(at) = tag.find("uniqueCount") else {
        return Ok(None);
    };
    // uniqueCount = "N", with any spaces XML allows and either quote.
    let value = tag[at + "uniqueCount".len()..]
        .trim_start()
        .strip_prefix('=')
        .ok_or(())?
        .trim_start()
        .trim_start_matches(['"', '\'', '+']);
    let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
    // More digits than a u64 holds is more than any limit.
    Ok((!digits.is_empty()).then(|| digits.parse().unwrap_or(u64::MAX)))
}

/// How much of a shared-string table is read for its `uniqueCount`.
const SST_HEAD: usize = 64 * 1024;

/// A sheet's column as Excel names it: 0 → A, 16383 → XFD.
pub(crate) fn column_letters(mut col: u32) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

/// What is left of the text a workbook's cells may hold.
struct Budget {
    text: u64,
}

/// Reads one sheet cell by cell (calamine's cell reader: nothing is allocated for the sheet's
/// declared range), refusing a declared dimension or a cell beyond the limits: its rows with
/// their numbers, or `None` when the workbook has no such sheet.
fn read_sheet(
    book: &mut Xlsx<Cursor<Vec<u8>>>,
    file: &str,
    sheet: &str,
    budget: &mut Budget,
) -> std::result::Result<Option<Records>, Problem> {
    let label = format!("{file} 工作表「{sheet}」");
    let damaged = |e: XlsxError| whole_file(&label, format!("无法读取：{e}"));
    let mut cells = match book.worksheet_cells_reader(sheet) {
        Ok(c) => c,
        Err(XlsxError::WorksheetNotFound(_)) => return Ok(None),
        Err(e) => return Err(damaged(e)),
    };
    let dim = cells.dimensions();
    let (rows, cols) = (u64::from(dim.end.0) + 1, u64::from(dim.end.1) + 1);
    let over = |what: String| {
        whole_file(
            &label,
            format!(
                "文件过大：范围 A1:{}{rows} {what}（导入文件最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列、{MAX_CELLS} 个单元格）",
                column_letters(dim.end.1)
            ),
        )
    };
    if rows > u64::from(MAX_ROWS) {
        return Err(over(format!("有 {rows} 行")));
    }
    if cols > u64::from(MAX_COLUMNS) {
        return Err(over(format!("有 {cols} 列")));
    }
    if rows * cols > MAX_CELLS {
        return Err(over(format!("有 {} 个单元格", rows * cols)));
    }
    // The declared range may lie: every cell is checked where it lies.
    let mut kept: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    let (mut spanned, mut read) = (0u64, 0u64);
    while let Some(cell) = cells.next_cell().map_err(damaged)? {
        // Cells written over the same places again and again take time, not room.
        read += 1;
        if read > MAX_CELLS {
            return Err(too_many_cells(&label));
        }
        let (row, col) = cell.get_position();
        if row >= MAX_ROWS {
            return Err(too_many_rows(&label));
        }
        if col >= MAX_COLUMNS {
            return Err(whole_file(
                &label,
                format!(
                    "文件过大：第{}行有 {} 列的单元格，导入文件最多 {MAX_COLUMNS} 列",
                    row + 1,
                    column_letters(col)
                ),
            ));
        }
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        budget.text = budget.text.checked_sub(text.len() as u64).ok_or_else(|| {
            whole_file(
                &label,
                format!("文件过大：单元格的文字超过 {}", megabytes(MAX_TEXT_BYTES)),
            )
        })?;
        let cells_of_row = kept.entry(row).or_default();
        let width = col as usize + 1;
        if cells_of_row.len() < width {
            spanned += (width - cells_of_row.len()) as u64;
            if spanned > MAX_CELLS {
                return Err(too_many_cells(&label));
            }
            cells_of_row.resize(width, String::new());
        }
        cells_of_row[col as usize] = text;
    }
    Ok(Some(
        kept.into_iter()
            .map(|(row, cells)| (row as usize + 1, cells))
            .collect(),
    ))
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

/// Issue 17, point 11: every limit refuses its file whole, in Chinese, naming the file, before
/// anything large is read, and the database is left as it was.
#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use chrono::NaiveDate;

    use super::*;
    use crate::catalog::io;
    use crate::hostile;
    use crate::store::SqliteStore;
    use crate::Error;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn demo() -> SqliteStore {
        let mut s = SqliteStore::open_in_memory().unwrap();
        crate::demo::load(&mut s, today()).unwrap();
        s
    }

    /// The demo's catalogue as a workbook (sheets 事项, 材料, 委托书: sheet1 to sheet3).
    fn catalogue(dir: &Path) -> Vec<u8> {
        let path = dir.join("demo.xlsx");
        io::export(&mut demo(), &path, Some("东风镇")).unwrap();
        std::fs::read(path).unwrap()
    }

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// Imports `path` as a catalogue and as a roster; both must be refused with one whole-file
    /// problem naming the file, the catalogue and the staff unchanged. Returns the message.
    fn refused(path: &Path) -> String {
        let mut s = demo();
        let before = (
            io::catalogue(&mut s, None).unwrap(),
            crate::store::count_rows(&s, "staff"),
        );
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut messages = Vec::new();
        for result in [
            io::import(&mut s, path, None).map(|_| ()),
            crate::roster::import(&mut s, path, None, today()).map(|_| ()),
        ] {
            match result {
                Err(Error::Import(problems)) => {
                    assert_eq!(problems.len(), 1, "{problems:?}");
                    let shown = problems[0].to_string();
                    assert!(shown.contains(&name), "{shown}");
                    messages.push(shown);
                }
                other => panic!("{name}: {other:?}"),
            }
        }
        let after = (
            io::catalogue(&mut s, None).unwrap(),
            crate::store::count_rows(&s, "staff"),
        );
        assert_eq!(
            before, after,
            "{name}: a refused import changed the database"
        );
        messages.join("\n")
    }

    fn assert_says(message: &str, words: &[&str]) {
        for w in words {
            assert!(message.contains(w), "{w:?} not in: {message}");
        }
    }

    #[test]
    fn a_file_over_20_mb_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("大.xlsx");
        // A sparse file: its size is all there is to see.
        std::fs::File::create(&big)
            .unwrap()
            .set_len(MAX_FILE_BYTES + MB)
            .unwrap();
        assert_says(
            &refused(&big),
            &["文件过大：21 MB，超过导入文件的上限 20 MB"],
        );
        // Each CSV file of a folder the same.
        let folder = dir.path().join("目录");
        std::fs::create_dir(&folder).unwrap();
        std::fs::File::create(folder.join("事项.csv"))
            .unwrap()
            .set_len(25 * MB)
            .unwrap();
        match io::read(&folder) {
            Err(Error::Import(p)) => {
                assert_says(&p[0].to_string(), &["事项.csv", "文件过大：25 MB"])
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_zip_bomb_is_refused_by_its_headers_and_a_lying_one_by_what_it_inflates_to() {
        let dir = tempfile::tempdir().unwrap();
        let book = catalogue(dir.path());
        let bomb = hostile::bomb(&book, 120);
        assert!(bomb.len() < 500_000, "{}", bomb.len());
        let path = write(dir.path(), "炸弹.xlsx", &bomb);
        assert_says(
            &refused(&path),
            &["文件过大：解压后有 120 MB", "上限 100 MB", "压缩炸弹"],
        );
        // Headers that say 1 KB an entry: the zip crate stops each entry past its declared size
        // (a damaged file); were it not to, the entries are inflated under a limit and refused
        // past it.
        let path = write(
            dir.path(),
            "说谎的炸弹.xlsx",
            &hostile::lying_bomb(&book, 120),
        );
        let message = refused(&path);
        assert!(
            message.contains("文件过大：解压后超过 100 MB") || message.contains("已损坏"),
            "{message}"
        );
        // Under the limit, the same entries harm nothing: the catalogue reads.
        let path = write(dir.path(), "小.xlsx", &hostile::bomb(&book, 20));
        assert!(io::read(&path).is_ok());
    }

    #[test]
    fn a_sheet_declaring_a_huge_range_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let book = catalogue(dir.path());
        for (range, says) in [
            // The issue's 1.5 KB file: calamine would have allocated 512 GiB for it.
            ("A1:XFD1048576", "范围 A1:XFD1048576 有 1048576 行"),
            ("A1:J100001", "有 100001 行"),
            ("A1:GS10", "范围 A1:GS10 有 201 列"),
            ("A1:Z100000", "有 2600000 个单元格"),
        ] {
            let path = write(
                dir.path(),
                "范围.xlsx",
                &hostile::with_dimension(&book, 1, range),
            );
            assert_says(&refused(&path), &["工作表「", "文件过大：", says]);
        }
        // The roster's optional sheets are measured as well.
        let roster = hostile::workbook(&[
            ("人员", vec![vec!["工号".into()]]),
            ("排班", vec![vec!["窗口".into()]]),
        ]);
        let path = write(
            dir.path(),
            "花名册.xlsx",
            &hostile::with_dimension(&roster, 2, "A1:XFD1048576"),
        );
        match crate::roster::import(&mut demo(), &path, None, today()) {
            Err(Error::Import(p)) => {
                assert_says(&p[0].to_string(), &["工作表「排班」", "1048576 行"])
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn cells_beyond_the_limits_are_refused_where_they_lie() {
        let dir = tempfile::tempdir().unwrap();
        let book = catalogue(dir.path());
        let wide: String = (2..=10_002)
            .map(|r| hostile::row_with_cell(&format!("GR{}", r + 100), "x"))
            .collect();
        for (rows, says) in [
            // The declared range is small; the cells are not where it says.
            (hostile::row_with_cell("XFD1048576", "x"), "超过 100000 行"),
            (hostile::row_with_cell("A100001", "x"), "超过 100000 行"),
            (
                hostile::row_with_cell("GS200", "x"),
                "第200行有 GS 列的单元格",
            ),
            // 10,001 rows each with one cell in the 200th column span 2,000,200 cells.
            (wide, "超过 2000000 个单元格"),
        ] {
            let path = write(
                dir.path(),
                "单元格.xlsx",
                &hostile::with_rows(&book, 1, &rows),
            );
            assert_says(&refused(&path), &["工作表「事项」", "文件过大：", says]);
        }
    }

    #[test]
    fn a_csv_file_over_the_rows_or_columns_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("目录");
        io::export(&mut demo(), &folder, Some("东风镇")).unwrap();
        let items = std::fs::read_to_string(folder.join("事项.csv")).unwrap();
        let long = format!("{items}{}", ",\n".repeat(MAX_ROWS as usize));
        std::fs::write(folder.join("事项.csv"), long).unwrap();
        match io::read(&folder) {
            Err(Error::Import(p)) => {
                assert_says(&p[0].to_string(), &["事项.csv", "超过 100000 行"])
            }
            other => panic!("{other:?}"),
        }
        let wide = format!("{items}{}\n", ",".repeat(MAX_COLUMNS as usize));
        std::fs::write(folder.join("事项.csv"), wide).unwrap();
        match io::read(&folder) {
            Err(Error::Import(p)) => assert_says(&p[0].to_string(), &["事项.csv", "有 201 列"]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_damaged_or_foreign_file_is_refused_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let book = catalogue(dir.path());
        for (what, bytes) in hostile::damaged(&book) {
            let path = write(dir.path(), "坏.xlsx", &bytes);
            let message = refused(&path);
            assert!(
                message.contains("已损坏") || message.contains("无法"),
                "{what}: {message}"
            );
        }
        // An old .xls (an OLE compound file) under a new name is not opened at all.
        let path = write(
            dir.path(),
            "旧.xlsx",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 and more",
        );
        assert_says(&refused(&path), &["无法打开工作簿：不是 .xlsx 文件"]);
    }

    #[test]
    fn a_shared_string_table_asking_for_room_beyond_the_cells_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let book = catalogue(dir.path());
        let lying = hostile::edit_entry(&book, "xl/sharedStrings.xml", |xml| {
            let at = xml.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
            let end = at + xml[at..].find('"').unwrap();
            format!("{}99999999999999999{}", &xml[..at], &xml[end..])
        });
        let path = write(dir.path(), "字符串.xlsx", &lying);
        assert_says(
            &refused(&path),
            &["共享字符串表声明了 99999999999999999 项"],
        );
        // Strings beyond the limit, not declared.
        let many = hostile::edit_entry(&book, "xl/sharedStrings.xml", |xml| {
            let xml = xml.replacen("uniqueCount=", "x=", 1);
            xml.replacen(
                "</sst>",
                &format!("{}</sst>", "<si><t/></si>".repeat(1_000_001)),
                1,
            )
        });
        let path = write(dir.path(), "字符串.xlsx", &many);
        assert_says(&refused(&path), &["文件过大：共享字符串超过 1000000 项"]);
    }

    #[test]
    fn a_part_calamine_keeps_whole_is_limited_in_elements() {
        let dir = tempfile::tempdir().unwrap();
        let book = catalogue(dir.path());
        // 20 million cell formats in a styles part took calamine 3 GB; half a million is over.
        let styles = hostile::edit_entry(&book, "xl/styles.xml", |xml| {
            let formats = "<xf/>".repeat(500_001);
            xml.replacen("<cellXfs ", &format!("<cellXfs>{formats}</cellXfs><x "), 1)
        });
        let path = write(dir.path(), "格式.xlsx", &styles);
        assert_says(
            &refused(&path),
            &["文件过大：工作簿的 xl/styles.xml 部分超过 500000 个元素"],
        );
    }

    #[test]
    fn the_shared_string_count_is_read_however_it_is_written() {
        let check = |head: &str, expect: std::result::Result<Option<u64>, ()>| {
            assert_eq!(unique_count(head.as_bytes()), expect, "{head}");
        };
        check(
            r#"<?xml version="1.0"?><sst count="3" uniqueCount="2">"#,
            Ok(Some(2)),
        );
        check(r#"<x:sst uniqueCount = '7' >"#, Ok(Some(7)));
        check(
            r#"<sst uniqueCount="+99999999999999999999999">"#,
            Ok(Some(u64::MAX)),
        );
        check(
            r#"<sst count="3"><si><t>uniqueCount="9"</t></si>"#,
            Ok(None),
        );
        check("", Ok(None));
        check(r#"<sst uniqueCount"#, Err(()));
        check(&format!("<sst {}", " ".repeat(SST_HEAD)), Err(()));
        check(&" ".repeat(SST_HEAD), Err(()));
    }

    #[test]
    fn the_text_the_cells_hold_is_limited() {
        let dir = tempfile::tempdir().unwrap();
        let book = catalogue(dir.path());
        // One shared string of 11 MB, named by eleven cells: a small file, 121 MB of text.
        let book = hostile::edit_entry(&book, "xl/sharedStrings.xml", |xml| {
            let big = "文".repeat(11 * 1024 * 1024 / 3);
            xml.replacen("</sst>", &format!("<si><t>{big}</t></si></sst>"), 1)
        });
        let mut xml = String::new();
        zip::ZipArchive::new(Cursor::new(&book))
            .unwrap()
            .by_name("xl/sharedStrings.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        let index = xml.matches("<si>").count() - 1;
        let rows: String = (0..11)
            .map(|i| {
                format!(
                    "<row r=\"{r}\"><c r=\"B{r}\" t=\"s\"><v>{index}</v></c></row>",
                    r = 300 + i
                )
            })
            .collect();
        let path = write(
            dir.path(),
            "文字.xlsx",
            &hostile::with_rows(&book, 1, &rows),
        );
        assert_says(&refused(&path), &["文件过大：单元格的文字超过 50 MB"]);
    }
}
