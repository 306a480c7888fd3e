//! Hostile import files, built when a test runs (issue 17, point 11): workbooks that declare a
//! huge range, zip bombs with honest or lying headers, damaged zips. The unit tests of the
//! import limits (`sheets.rs`), the fuzz cases (`tests/fuzz.rs`) and the command line's tests
//! share them; nothing else calls them.

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// A workbook with the given sheets, each a list of rows of text (the first the header).
pub fn workbook(sheets: &[(&str, Vec<Vec<String>>)]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let ws = book.add_worksheet();
        ws.set_name(*name).expect("a sheet name");
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r as u32, c as u16, v).expect("a cell");
            }
        }
    }
    book.save_to_buffer().expect("a workbook")
}

/// The same zip with the text of entry `name` edited.
pub fn edit_entry(zip: &[u8], name: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    let mut from = ZipArchive::new(Cursor::new(zip)).expect("a zip");
    let mut to = ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for i in 0..from.len() {
        let mut entry = from.by_index(i).expect("an entry");
        let entry_name = entry.name().expect("a name").to_string();
        if entry_name == name {
            let mut text = String::new();
            entry.read_to_string(&mut text).expect("text");
            to.start_file(entry_name, deflated).expect("start");
            to.write_all(edit(&text).as_bytes()).expect("write");
        } else {
            to.raw_copy_file(entry).expect("copy");
        }
    }
    to.finish().expect("finish").into_inner()
}

/// The path of the `n`th sheet's XML (from 1), as rust_xlsxwriter writes it.
pub fn sheet_entry(n: usize) -> String {
    format!("xl/worksheets/sheet{n}.xml")
}

/// The same workbook with the `n`th sheet declaring the range `range` (such as
/// `A1:XFD1048576`, the whole of a sheet) in its `<dimension ref>`.
pub fn with_dimension(xlsx: &[u8], n: usize, range: &str) -> Vec<u8> {
    edit_entry(xlsx, &sheet_entry(n), |xml| {
        let at = xml.find("<dimension ref=\"").expect("a dimension") + "<dimension ref=\"".len();
        let end = at + xml[at..].find('"').expect("its end");
        format!("{}{range}{}", &xml[..at], &xml[end..])
    })
}

/// The same workbook with `cells` (such as `<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>`
/// inside rows) added at the end of the `n`th sheet's data, its dimension unchanged.
pub fn with_rows(xlsx: &[u8], n: usize, rows: &str) -> Vec<u8> {
    edit_entry(xlsx, &sheet_entry(n), |xml| {
        xml.replacen("</sheetData>", &format!("{rows}</sheetData>"), 1)
    })
}

/// A cell's name from its row and column counted from 0: (0, 0) → A1.
pub fn cell_name(row: u32, col: u32) -> String {
    format!(
        "{}{}",
        crate::sheets::column_letters(col),
        u64::from(row) + 1
    )
}

/// One row holding one inline text cell at `cell` (such as `A100001`).
pub fn row_with_cell(cell: &str, text: &str) -> String {
    let row: String = cell.chars().filter(char::is_ascii_digit).collect();
    format!("<row r=\"{row}\"><c r=\"{cell}\" t=\"inlineStr\"><is><t>{text}</t></is></c></row>")
}

/// A zip bomb: `xlsx` with entries of zeros added until they inflate to `megabytes` MB, in a
/// file of a few kilobytes per megabyte. One megabyte is compressed once and copied raw, so
/// building even a large bomb takes a moment.
pub fn bomb(xlsx: &[u8], megabytes: usize) -> Vec<u8> {
    let mut one = ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .large_file(false);
    one.start_file("zeros", deflated).expect("start");
    one.write_all(&vec![0u8; 1024 * 1024]).expect("zeros");
    let one = one.finish().expect("finish").into_inner();
    let mut zeros = ZipArchive::new(Cursor::new(one)).expect("a zip");
    let mut from = ZipArchive::new(Cursor::new(xlsx)).expect("a zip");
    let mut to = ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..from.len() {
        to.raw_copy_file(from.by_index(i).expect("an entry"))
            .expect("copy");
    }
    for i in 0..megabytes {
        to.raw_copy_file_rename(
            zeros.by_index(0).expect("zeros"),
            format!("xl/media/{i}.bin"),
        )
        .expect("copy");
    }
    to.finish().expect("finish").into_inner()
}

/// A zip bomb whose headers lie: each entry of zeros declares 1 KB inflated (in its local
/// header and in the central directory) but inflates to a megabyte.
pub fn lying_bomb(xlsx: &[u8], megabytes: usize) -> Vec<u8> {
    let mut bytes = bomb(xlsx, megabytes);
    let (local, central) = (b"PK\x03\x04", b"PK\x01\x02");
    let mut i = 0;
    while i + 46 <= bytes.len() {
        // Offsets of the uncompressed size in a local header (22) and a central one (24),
        // each followed by its name length; only the entries of zeros are changed.
        let at = if &bytes[i..i + 4] == local {
            Some((22, 26, 30))
        } else if &bytes[i..i + 4] == central {
            Some((24, 28, 46))
        } else {
            None
        };
        if let Some((size, name_len, name)) = at {
            let n = u16::from_le_bytes([bytes[i + name_len], bytes[i + name_len + 1]]) as usize;
            let named = &bytes[i + name..(i + name + n).min(bytes.len())];
            if named.starts_with(b"xl/media/") {
                bytes[i + size..i + size + 4].copy_from_slice(&1024u32.to_le_bytes());
            }
        }
        i += 1;
    }
    bytes
}

/// Damaged zips made from a sound one: cut short, its central directory overwritten, and a
/// few of its bytes changed in the middle.
pub fn damaged(xlsx: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let cut = xlsx[..xlsx.len() / 2].to_vec();
    let mut directory = xlsx.to_vec();
    let start = directory.len().saturating_sub(200);
    directory[start..].fill(0xAB);
    let mut middle = xlsx.to_vec();
    let mid = middle.len() / 2;
    middle[mid..mid + 64].fill(0);
    vec![
        ("cut short", cut),
        ("directory overwritten", directory),
        ("middle zeroed", middle),
    ]
}
