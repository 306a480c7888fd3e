//! Catalogue files: the items, materials and entrustment letters of a published
//! 政务服务事项实施清单, with Chinese column headers (DESIGN.md "Catalogue files").
//!
//! A catalogue is an .xlsx workbook with the sheets 事项, 材料 and 委托书, or a folder holding
//! 事项.csv, 材料.csv and 委托书.csv (UTF-8 with or without BOM, or GBK as Excel in China writes
//! them). Reading checks every cell and reports every problem with file, row and column; an
//! import applies whole or not at all.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::Path;

use serde::Serialize;

use super::{
    initials, Grant, Item, Letter, Listing, Material, MaterialForm, Mode, Office, TimeLimit,
    CASE_KINDS, ITEM_TYPES, OFFICE_MAX_CHARS,
};
use crate::sheets::{read_csv, read_xlsx, whole_file, Columns, Problem, RowCheck, Table};
use crate::store::Store;
use crate::town::resolve_town;
use crate::{Error, Result};

pub const ITEM_SHEET: &str = "事项";
pub const MATERIAL_SHEET: &str = "材料";
pub const LETTER_SHEET: &str = "委托书";

pub const ITEM_COLUMNS: [&str; 10] = [
    "事项编码",
    "事项名称",
    "事项类型",
    "实施主体",
    "设定依据",
    "法定办结时限",
    "承诺办结时限",
    "收费标准",
    "办理窗口",
    "权限方式",
];
/// The 事项 sheet as export writes it: every column, the optional ones last.
static ITEM_HEADER: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| ITEM_COLUMNS.iter().chain(&ITEM_OPTIONAL).copied().collect());

/// The 材料 sheet as export writes it.
static MATERIAL_HEADER: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    MATERIAL_COLUMNS
        .iter()
        .chain(&MATERIAL_OPTIONAL)
        .copied()
        .collect()
});

/// A 是 / 否 cell (empty: not said), refused naming `column` otherwise.
fn yes_no(rc: &mut RowCheck<'_>, column: &str, value: &str) -> Option<bool> {
    match value.trim() {
        "" => None,
        "是" => Some(true),
        "否" => Some(false),
        other => {
            rc.bad(column, format!("“{other}”无效，应为“是”或“否”（或留空）"));
            None
        }
    }
}

/// The 实施清单's codes and terms of an item row, each checked and refused naming its column.
fn listing_of(rc: &mut RowCheck<'_>, get: &dyn Fn(&'static str) -> String) -> Listing {
    let code = |rc: &mut RowCheck<'_>, col: &'static str| {
        let v = rc.text(col, &get(col), 64, false);
        if v.chars().any(char::is_whitespace) {
            rc.bad(col, "不能含有空格");
        }
        v
    };
    let basic_code = code(rc, "基本编码");
    let impl_code = code(rc, "实施编码");
    let case_kind = get("办件类型").trim().to_string();
    if !case_kind.is_empty() && !CASE_KINDS.contains(&case_kind.as_str()) {
        rc.bad(
            "办件类型",
            format!("“{case_kind}”无效，应为 即办件 或 承诺件（或留空）"),
        );
    }
    let visits_text = get("到办事现场次数").trim().to_string();
    let visits = if visits_text.is_empty() {
        None
    } else {
        match visits_text.parse::<u8>() {
            Ok(n) if n <= 9 => Some(n),
            _ => {
                rc.bad(
                    "到办事现场次数",
                    format!("“{visits_text}”无效，应为 0 到 9 的整数（或留空）"),
                );
                None
            }
        }
    };
    let conditions = rc.text("受理条件", &get("受理条件"), 1000, false);
    let pledge = yes_no(rc, "可告知承诺", &get("可告知承诺")).unwrap_or(false);
    Listing {
        basic_code,
        impl_code,
        case_kind,
        visits,
        conditions,
        pledge,
    }
}

/// Columns of the 事项 sheet a file may leave out (files made before them still import): the
/// 实施清单's 办理地点, 办理时间 and 咨询电话, which the 办事指引 prints.
pub const ITEM_OPTIONAL: [&str; 10] = [
    "办理地点",
    "办理时间",
    "咨询电话",
    GRANT_COLUMN,
    "基本编码",
    "实施编码",
    "办件类型",
    "到办事现场次数",
    "受理条件",
    "可告知承诺",
];

/// The 材料 sheet's optional column: whether a pledge may replace the material.
pub const MATERIAL_OPTIONAL: [&str; 1] = ["可承诺替代"];

/// The provincial decision of an empowered (赋权) item: `文号，YYYY-MM-DD`, required with 赋权.
pub const GRANT_COLUMN: &str = "赋权文件";
pub const MATERIAL_COLUMNS: [&str; 5] = ["事项编码", "材料名称", "材料形式", "份数", "是否必需"];
pub const LETTER_COLUMNS: [&str; 5] =
    ["委托书编号", "委托单位", "事项编码", "生效日期", "失效日期"];

/// A whole catalogue: items (with the mode for the town or towns it applies to) and letters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Catalogue {
    pub items: Vec<Item>,
    pub letters: Vec<Letter>,
}

// ---------------------------------------------------------------------------------------------
// Reading files into tables

/// Reads the three tables from an .xlsx workbook or a folder of .csv files.
fn read_tables(path: &Path) -> std::result::Result<Vec<Table>, Vec<Problem>> {
    let shown = path.display().to_string();
    if path.is_dir() {
        let mut tables = Vec::new();
        let mut problems = Vec::new();
        for sheet in [ITEM_SHEET, MATERIAL_SHEET, LETTER_SHEET] {
            match read_csv(path, sheet) {
                Ok(t) => tables.push(t),
                Err(p) => problems.push(p),
            }
        }
        return if problems.is_empty() {
            Ok(tables)
        } else {
            Err(problems)
        };
    }
    if !path.exists() {
        return Err(vec![whole_file(&shown, "文件或文件夹不存在")]);
    }
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
    {
        Some(ext) if ext == "xlsx" || ext == "xlsm" => {
            read_xlsx(path, &[ITEM_SHEET, MATERIAL_SHEET, LETTER_SHEET])
        }
        _ => Err(vec![whole_file(
            &shown,
            "不支持的文件类型：应为 .xlsx 工作簿，或包含 事项.csv、材料.csv、委托书.csv 的文件夹",
        )]),
    }
}

// ---------------------------------------------------------------------------------------------
// Checking tables into a catalogue

/// A checked file: its catalogue, and the materials it lists for items that are only in the
/// database.
struct Checked {
    catalogue: Catalogue,
    materials_of_known: Vec<(String, Vec<Material>)>,
}

/// Checks the tables; `known` tells whether an item code exists in the database already.
fn check(
    tables: &[Table],
    known: &mut dyn FnMut(&str) -> Result<bool>,
) -> Result<std::result::Result<Checked, Vec<Problem>>> {
    let mut problems = Vec::new();
    let (items_t, materials_t, letters_t) = (&tables[0], &tables[1], &tables[2]);
    let item_cols = Columns::with_optional(items_t, &ITEM_COLUMNS, &ITEM_OPTIONAL, &mut problems);
    let material_cols = Columns::with_optional(
        materials_t,
        &MATERIAL_COLUMNS,
        &MATERIAL_OPTIONAL,
        &mut problems,
    );
    let letter_cols = Columns::new(letters_t, &LETTER_COLUMNS, &mut problems);
    let (Some(ic), Some(mc), Some(lc)) = (item_cols, material_cols, letter_cols) else {
        return Ok(Err(problems));
    };

    let mut items: Vec<Item> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (row, cells) in &ic.table.rows {
        let mut rc = RowCheck {
            file: &ic.table.file,
            row: *row,
            problems: &mut problems,
        };
        let code = rc.text("事项编码", ic.get(cells, "事项编码"), 64, true);
        if code.chars().any(char::is_whitespace) {
            rc.bad("事项编码", "不能含有空格");
        }
        if let Some(first) = seen.get(&code) {
            rc.bad("事项编码", format!("事项编码“{code}”与第{first}行重复"));
        } else if !code.is_empty() {
            seen.insert(code.clone(), *row);
        }
        let name = rc.text("事项名称", ic.get(cells, "事项名称"), 200, true);
        let item_type = ic.get(cells, "事项类型").to_string();
        if !ITEM_TYPES.contains(&item_type.as_str()) {
            rc.bad(
                "事项类型",
                format!("“{item_type}”无效，应为：{}", ITEM_TYPES.join("、")),
            );
        }
        let department = rc.text("实施主体", ic.get(cells, "实施主体"), 100, true);
        let legal_basis = rc.text("设定依据", ic.get(cells, "设定依据"), 1000, false);
        let limit = |rc: &mut RowCheck<'_>, col: &'static str| {
            let v = ic.get(cells, col);
            TimeLimit::parse(v).or_else(|| {
                rc.bad(
                    col,
                    format!("“{v}”无效，应为工作日天数（如 20）或“当场办结”"),
                );
                None
            })
        };
        let statutory = limit(&mut rc, "法定办结时限");
        let promised = limit(&mut rc, "承诺办结时限");
        if let (Some(TimeLimit::WorkingDays(s)), Some(TimeLimit::WorkingDays(p))) =
            (statutory, promised)
        {
            if p > s {
                rc.bad(
                    "承诺办结时限",
                    format!("承诺时限 {p} 天长于法定时限 {s} 天"),
                );
            }
        }
        let fee = rc.text("收费标准", ic.get(cells, "收费标准"), 200, false);
        let post = rc.text("办理窗口", ic.get(cells, "办理窗口"), 100, false);
        let [place, hours, phone] = ["办理地点", "办理时间", "咨询电话"]
            .map(|col| rc.text(col, ic.get(cells, col), OFFICE_MAX_CHARS, false));
        let mode_text = ic.get(cells, "权限方式");
        let mode = Mode::parse(mode_text);
        if mode.is_none() {
            rc.bad(
                "权限方式",
                format!("“{mode_text}”无效，应为 下放、委托、收件转报、不予下放 或 赋权"),
            );
        }
        let listing = listing_of(&mut rc, &|col| ic.get(cells, col).to_string());
        // 赋权 cites its decision; another mode has none to cite.
        let grant_text = ic.get(cells, GRANT_COLUMN).trim();
        let grant = match (mode, grant_text.is_empty()) {
            (Some(Mode::Empowered), true) => {
                rc.bad(
                    GRANT_COLUMN,
                    "赋权事项须写明赋权文件的文号和日期，如“黔府发〔2021〕12号，2021-08-30”",
                );
                None
            }
            (_, true) => None,
            (Some(Mode::Empowered), false) => match Grant::parse(grant_text) {
                Ok(g) => Some(g),
                Err(why) => {
                    rc.bad(GRANT_COLUMN, why);
                    None
                }
            },
            (_, false) => {
                rc.bad(GRANT_COLUMN, "只有权限方式为“赋权”的事项填写赋权文件");
                None
            }
        };
        if let (Some(statutory), Some(promised), Some(mode)) = (statutory, promised, mode) {
            items.push(Item {
                initials: initials(&name),
                code,
                name,
                item_type,
                department,
                legal_basis,
                statutory,
                promised,
                fee,
                post,
                mode,
                grant,
                office: Office {
                    place,
                    hours,
                    phone,
                },
                listing,
                materials: Vec::new(),
            });
        }
    }
    let in_file: HashSet<String> = seen.keys().cloned().collect();
    let pledge_items: HashSet<&str> = items
        .iter()
        .filter(|i| i.listing.pledge)
        .map(|i| i.code.as_str())
        .collect();
    let mut exists = |code: &str| -> Result<bool> { Ok(in_file.contains(code) || known(code)?) };

    // Materials, grouped by item code in file order.
    let mut materials: BTreeMap<String, Vec<Material>> = BTreeMap::new();
    let mut seen_material: HashMap<(String, String), usize> = HashMap::new();
    for (row, cells) in &mc.table.rows {
        let mut rc = RowCheck {
            file: &mc.table.file,
            row: *row,
            problems: &mut problems,
        };
        let code = rc.text("事项编码", mc.get(cells, "事项编码"), 64, true);
        if !code.is_empty() && !exists(&code)? {
            rc.bad(
                "事项编码",
                format!("事项编码“{code}”不在事项表中，也不在数据库中"),
            );
        }
        let name = rc.text("材料名称", mc.get(cells, "材料名称"), 200, true);
        if let Some(first) = seen_material.get(&(code.clone(), name.clone())) {
            rc.bad("材料名称", format!("与第{first}行重复"));
        } else {
            seen_material.insert((code.clone(), name.clone()), *row);
        }
        let form_text = mc.get(cells, "材料形式");
        let form = MaterialForm::parse(form_text);
        if form.is_none() {
            rc.bad(
                "材料形式",
                format!("“{form_text}”无效，应为 原件、复印件 或 原件和复印件"),
            );
        }
        let copies_text = mc.get(cells, "份数");
        let copies = copies_text
            .parse::<u16>()
            .ok()
            .filter(|n| (1..=99).contains(n));
        if copies.is_none() {
            rc.bad("份数", format!("“{copies_text}”无效，应为 1 到 99 的整数"));
        }
        let pledgeable = yes_no(&mut rc, "可承诺替代", mc.get(cells, "可承诺替代"));
        if pledgeable == Some(true) && !pledge_items.contains(code.as_str()) && !code.is_empty() {
            rc.bad(
                "可承诺替代",
                format!("事项“{code}”不是可告知承诺的事项（事项表“可告知承诺”为“是”），材料不能以承诺替代"),
            );
        }
        let mandatory = match mc.get(cells, "是否必需") {
            "是" => Some(true),
            "否" => Some(false),
            other => {
                rc.bad("是否必需", format!("“{other}”无效，应为“是”或“否”"));
                None
            }
        };
        if let (Some(form), Some(copies), Some(mandatory)) = (form, copies, mandatory) {
            let list = materials.entry(code).or_default();
            list.push(Material {
                seq: list.len() as u16 + 1,
                name,
                form,
                copies,
                mandatory,
                pledgeable: pledgeable.unwrap_or(false),
            });
        }
    }
    for item in &mut items {
        if let Some(list) = materials.remove(&item.code) {
            item.materials = list;
        }
    }

    let mut letters: Vec<Letter> = Vec::new();
    let mut seen_letter: HashMap<String, usize> = HashMap::new();
    for (row, cells) in &lc.table.rows {
        let mut rc = RowCheck {
            file: &lc.table.file,
            row: *row,
            problems: &mut problems,
        };
        let number = rc.text("委托书编号", lc.get(cells, "委托书编号"), 100, true);
        if let Some(first) = seen_letter.get(&number) {
            rc.bad(
                "委托书编号",
                format!("委托书编号“{number}”与第{first}行重复"),
            );
        } else {
            seen_letter.insert(number.clone(), *row);
        }
        let issuer = rc.text("委托单位", lc.get(cells, "委托单位"), 100, true);
        let codes: Vec<String> = lc
            .get(cells, "事项编码")
            .split(['、', ',', '\u{ff0c}'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(String::from)
            .collect();
        if codes.is_empty() {
            rc.bad("事项编码", "委托书至少要列出一个事项编码");
        }
        for code in &codes {
            if !exists(code)? {
                rc.bad(
                    "事项编码",
                    format!("委托书所列事项编码“{code}”不在事项表中，也不在数据库中"),
                );
            }
        }
        let from = rc.date("生效日期", lc.get(cells, "生效日期"));
        let to = rc.date("失效日期", lc.get(cells, "失效日期"));
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                rc.bad("失效日期", format!("失效日期 {to} 早于生效日期 {from}"));
            }
            letters.push(Letter {
                number,
                issuer,
                items: codes,
                valid_from: from,
                valid_to: to,
            });
        }
    }

    Ok(if problems.is_empty() {
        Ok(Checked {
            catalogue: Catalogue { items, letters },
            materials_of_known: materials.into_iter().collect(),
        })
    } else {
        Err(problems)
    })
}

/// Reads and checks a catalogue file on its own, with no database (every code must be in it).
pub fn read(path: &Path) -> Result<Catalogue> {
    let tables = read_tables(path).map_err(Error::Import)?;
    Ok(check(&tables, &mut |_| Ok(false))?
        .map_err(Error::Import)?
        .catalogue)
}

// ---------------------------------------------------------------------------------------------
// Import and export

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub towns: Vec<String>,
    pub items_added: usize,
    pub items_updated: usize,
    pub materials: usize,
    pub letters: usize,
}

/// Imports a catalogue into every town, or into `town`: adds new items, updates existing ones by
/// code (never deletes), replaces the materials of the items the file lists materials for, and
/// adds or updates letters by number. Whole or not at all.
pub fn import<S: Store>(store: &mut S, path: &Path, town: Option<&str>) -> Result<ImportReport> {
    let tables = read_tables(path).map_err(Error::Import)?;
    store.write(|c| {
        let towns = match town {
            Some(_) => vec![resolve_town(c, town)?],
            None => c.towns()?,
        };
        if towns.is_empty() {
            return Err(Error::invalid(
                "town",
                "数据库中还没有乡镇，请先运行 bianmin init 并建立乡镇",
            ));
        }
        let checked =
            check(&tables, &mut |code| Ok(c.item_id(code)?.is_some()))?.map_err(Error::Import)?;
        let cat = &checked.catalogue;
        let mut report = ImportReport {
            towns: towns.iter().map(|t| t.name.clone()).collect(),
            items_added: 0,
            items_updated: 0,
            materials: 0,
            letters: cat.letters.len(),
        };
        for item in &cat.items {
            if c.item_id(&item.code)?.is_some() {
                report.items_updated += 1;
            } else {
                report.items_added += 1;
            }
            let id = c.upsert_item(item)?;
            for t in &towns {
                c.set_mode(t.id, id, item.mode)?;
            }
            if !item.materials.is_empty() {
                report.materials += item.materials.len();
                c.replace_materials(id, &item.materials)?;
            }
        }
        for (code, materials) in &checked.materials_of_known {
            report.materials += materials.len();
            let id = c
                .item_id(code)?
                .expect("checked: the code is in the database");
            c.replace_materials(id, materials)?;
        }
        for t in &towns {
            for letter in &cat.letters {
                c.upsert_letter(t.id, letter)?;
            }
        }
        Ok(report)
    })
}

/// Where an export goes, from its path: a workbook or a folder of CSV files.
enum Target {
    Xlsx,
    CsvFolder,
}

fn target(path: &Path) -> Result<Target> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
    {
        Some(e) if e == "xlsx" => Ok(Target::Xlsx),
        None => Ok(Target::CsvFolder),
        Some(_) if path.is_dir() => Ok(Target::CsvFolder),
        Some(e) => Err(Error::invalid(
            "path",
            format!("不支持导出为 .{e}：请给出 .xlsx 文件名，或一个文件夹（写入三个 CSV 文件）"),
        )),
    }
}

/// The catalogue of one town, or of every town when they all agree.
pub fn catalogue<S: Store>(store: &mut S, town: Option<&str>) -> Result<Catalogue> {
    store.read(|q| {
        let towns = match town {
            Some(_) => vec![resolve_town(q, town)?],
            None => q.towns()?,
        };
        let mut first: Option<Catalogue> = None;
        for t in &towns {
            let cat = Catalogue {
                items: q.items(t.id)?,
                letters: q.letters(t.id)?,
            };
            match &first {
                None => first = Some(cat),
                Some(f) if *f == cat => {}
                Some(_) => {
                    return Err(Error::invalid(
                        "town",
                        "各乡镇的事项权限方式或委托书不一致，请用 --town 指定要导出的乡镇",
                    ))
                }
            }
        }
        first.ok_or_else(|| Error::invalid("town", "数据库中还没有乡镇"))
    })
}

/// Exports the catalogue of `town` (or of all towns, when they agree) to `path`.
pub fn export<S: Store>(store: &mut S, path: &Path, town: Option<&str>) -> Result<Catalogue> {
    let kind = target(path)?;
    let cat = catalogue(store, town)?;
    write(path, &cat, kind)?;
    Ok(cat)
}

fn rows(cat: &Catalogue) -> [Vec<Vec<String>>; 3] {
    let items = cat
        .items
        .iter()
        .map(|i| {
            vec![
                i.code.clone(),
                i.name.clone(),
                i.item_type.clone(),
                i.department.clone(),
                i.legal_basis.clone(),
                i.statutory.file_value(),
                i.promised.file_value(),
                i.fee.clone(),
                i.post.clone(),
                i.mode.label().to_string(),
                i.office.place.clone(),
                i.office.hours.clone(),
                i.office.phone.clone(),
                i.grant.as_ref().map(Grant::file_value).unwrap_or_default(),
                i.listing.basic_code.clone(),
                i.listing.impl_code.clone(),
                i.listing.case_kind.clone(),
                i.listing.visits.map(|v| v.to_string()).unwrap_or_default(),
                i.listing.conditions.clone(),
                if i.listing.pledge { "是" } else { "" }.to_string(),
            ]
        })
        .collect();
    let materials = cat
        .items
        .iter()
        .flat_map(|i| {
            i.materials.iter().map(|m| {
                vec![
                    i.code.clone(),
                    m.name.clone(),
                    m.form.label().to_string(),
                    m.copies.to_string(),
                    if m.mandatory { "是" } else { "否" }.to_string(),
                    if m.pledgeable { "是" } else { "" }.to_string(),
                ]
            })
        })
        .collect();
    let letters = cat
        .letters
        .iter()
        .map(|l| {
            vec![
                l.number.clone(),
                l.issuer.clone(),
                l.items.join("、"),
                l.valid_from.to_string(),
                l.valid_to.to_string(),
            ]
        })
        .collect();
    [items, materials, letters]
}

fn io_error(path: &Path, e: impl fmt::Display) -> Error {
    Error::invalid("path", format!("无法写入 {}：{e}", path.display()))
}

fn write(path: &Path, cat: &Catalogue, kind: Target) -> Result<()> {
    write_rows(path, &rows(cat), kind)
}

/// Writes the three tables' rows (as `rows` gives them) under their headers.
fn write_rows(path: &Path, data: &[Vec<Vec<String>>; 3], kind: Target) -> Result<()> {
    let sheets = [
        (ITEM_SHEET, &ITEM_HEADER[..]),
        (MATERIAL_SHEET, &MATERIAL_HEADER[..]),
        (LETTER_SHEET, &LETTER_COLUMNS[..]),
    ];
    match kind {
        Target::Xlsx => {
            let mut book = rust_xlsxwriter::Workbook::new();
            let bold = rust_xlsxwriter::Format::new().set_bold();
            for ((name, header), rows) in sheets.iter().zip(data) {
                let ws = book.add_worksheet();
                ws.set_name(*name).map_err(|e| io_error(path, e))?;
                for (c, h) in header.iter().enumerate() {
                    ws.write_string_with_format(0, c as u16, *h, &bold)
                        .map_err(|e| io_error(path, e))?;
                    ws.set_column_width(c as u16, if c == 1 { 40 } else { 16 })
                        .map_err(|e| io_error(path, e))?;
                }
                for (r, row) in rows.iter().enumerate() {
                    for (c, v) in row.iter().enumerate() {
                        ws.write_string(r as u32 + 1, c as u16, v)
                            .map_err(|e| io_error(path, e))?;
                    }
                }
            }
            let bytes = book.save_to_buffer().map_err(|e| io_error(path, e))?;
            crate::files::write_whole(path, &bytes).map_err(|e| io_error(path, e))
        }
        Target::CsvFolder => {
            crate::files::create_dir(path).map_err(|e| io_error(path, e))?;
            for ((name, header), rows) in sheets.iter().zip(data) {
                let file = path.join(format!("{name}.csv"));
                // A BOM, so that Excel opens the UTF-8 file with the right encoding.
                let mut bytes = b"\xEF\xBB\xBF".to_vec();
                {
                    let mut w = csv::Writer::from_writer(&mut bytes);
                    w.write_record(*header).map_err(|e| io_error(&file, e))?;
                    for row in rows {
                        w.write_record(row).map_err(|e| io_error(&file, e))?;
                    }
                    w.flush().map_err(|e| io_error(&file, e))?;
                }
                crate::files::write_whole(&file, &bytes).map_err(|e| io_error(&file, e))?;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{count_rows, SqliteStore};
    use chrono::NaiveDate;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn demo() -> SqliteStore {
        let mut s = SqliteStore::open_in_memory().unwrap();
        crate::demo::load(&mut s, today()).unwrap();
        s
    }

    fn towns_only() -> SqliteStore {
        let mut s = SqliteStore::open_in_memory().unwrap();
        s.write(|c| {
            for t in ["朱昌镇", "东风镇", "金华镇"] {
                c.ensure_town(t)?;
            }
            Ok(())
        })
        .unwrap();
        s
    }

    #[test]
    fn export_then_import_gives_the_same_catalogue() {
        let dir = tempfile::tempdir().unwrap();
        let mut source = demo();
        let original = catalogue(&mut source, None).unwrap();
        assert!(original.items.len() >= 40);
        for target in [dir.path().join("目录.xlsx"), dir.path().join("csv")] {
            export(&mut source, &target, None).unwrap();
            let mut copy = towns_only();
            let report = import(&mut copy, &target, None).unwrap();
            assert_eq!(report.items_added, original.items.len());
            assert_eq!(report.towns.len(), 3);
            assert_eq!(
                catalogue(&mut copy, None).unwrap(),
                original,
                "{}",
                target.display()
            );
            assert_eq!(read(&target).unwrap(), original);
        }
    }

    /// The 实施清单's 办理地点, 办理时间 and 咨询电话 (issue 16 point 4): read when a file has them,
    /// empty when an older file has not, written by export (the round trip above keeps the
    /// demo's), and an oversize one refused naming its row and column, changing nothing.
    #[test]
    fn the_office_columns_are_optional_and_checked() {
        let mut store = towns_only();
        let old = folder(
            &format!(
                "{ITEM_HEAD}NEW-001,新事项,行政许可,市林业局,依据,20,10,不收费,农业林业窗口,下放\n"
            ),
            MAT_HEAD,
            LETTER_HEAD,
        );
        assert_eq!(read(old.path()).unwrap().items[0].office, Office::default());
        let head = ITEM_HEAD.trim_end().to_string() + ",咨询电话,办理地点,办理时间\n";
        let new = folder(
            &format!("{head}NEW-001,新事项,行政许可,市林业局,依据,20,10,不收费,农业林业窗口,下放,0851-12345,市政务服务中心三楼,工作日9:00—17:00\n"),
            MAT_HEAD,
            LETTER_HEAD,
        );
        let item = read(new.path()).unwrap().items.remove(0);
        assert_eq!(
            (
                item.office.place.as_str(),
                item.office.hours.as_str(),
                item.office.phone.as_str()
            ),
            ("市政务服务中心三楼", "工作日9:00—17:00", "0851-12345")
        );
        let long = folder(
            &format!(
                "{head}NEW-001,新事项,行政许可,市林业局,依据,20,10,不收费,农业林业窗口,下放,,{},\n",
                "楼".repeat(201)
            ),
            MAT_HEAD,
            LETTER_HEAD,
        );
        let problems = problems_of(&mut store, long.path());
        assert_problem(&problems, "事项.csv", 2, "办理地点", "过长：201 个字符");
        assert_eq!(count_rows(&store, "item"), 0);
        let mut demo = demo();
        let exported = catalogue(&mut demo, None).unwrap();
        let police = exported.items.iter().find(|i| i.code == "GA-201").unwrap();
        assert_eq!(police.office.place, "户籍所在地派出所户籍窗口");
    }

    /// 赋权 (issue 16 point 6) is a catalogue value with its 赋权文件 (number and date): read,
    /// stored and exported; missing, malformed, or given to another mode, refused naming the
    /// column, changing nothing.
    #[test]
    fn an_empowered_item_carries_its_grant() {
        let head = ITEM_HEAD.trim_end().to_string() + ",赋权文件\n";
        let row = |mode: &str, grant: &str| {
            format!("{head}NEW-001,对违法建设的行政处罚,行政处罚,镇人民政府,依据,60,60,不收费,村镇建设窗口,{mode},{grant}\n")
        };
        let mut store = towns_only();
        let ok = folder(
            &row("赋权", "黔府发〔2021〕12号，2021-08-30"),
            MAT_HEAD,
            LETTER_HEAD,
        );
        import(&mut store, ok.path(), None).unwrap();
        let item = catalogue(&mut store, None).unwrap().items.remove(0);
        assert_eq!(item.mode, Mode::Empowered);
        assert_eq!(
            item.grant,
            Some(Grant {
                number: "黔府发〔2021〕12号".into(),
                on: NaiveDate::from_ymd_opt(2021, 8, 30).unwrap()
            })
        );
        assert_eq!(
            &rows(&catalogue(&mut store, None).unwrap())[0][0]
                [ITEM_HEADER.iter().position(|c| *c == GRANT_COLUMN).unwrap()],
            "黔府发〔2021〕12号，2021-08-30"
        );
        let mut fresh = towns_only();
        for (mode, grant, words) in [
            ("赋权", "", "须写明赋权文件"),
            ("赋权", "黔府发〔2021〕12号", "应写明文号和日期"),
            (
                "赋权",
                "黔府发〔2021〕12号，2021-02-30",
                "日期“2021-02-30”无效",
            ),
            (
                "下放",
                "黔府发〔2021〕12号，2021-08-30",
                "只有权限方式为“赋权”",
            ),
        ] {
            let bad = folder(&row(mode, grant), MAT_HEAD, LETTER_HEAD);
            let problems = problems_of(&mut fresh, bad.path());
            assert_problem(&problems, "事项.csv", 2, "赋权文件", words);
            assert_eq!(count_rows(&fresh, "item"), 0);
        }
    }

    /// The rest of the 实施清单 (基本编码, 实施编码, 办件类型, 到办事现场次数, 受理条件, 可告知承诺;
    /// 材料's 可承诺替代): optional, read when present, each bad value refused naming its
    /// column, and a pledgeable material only on an item that allows a pledge.
    #[test]
    fn the_listing_columns_are_optional_and_checked() {
        let head = ITEM_HEAD.trim_end().to_string()
            + ",基本编码,实施编码,办件类型,到办事现场次数,受理条件,可告知承诺\n";
        let mat_head = MAT_HEAD.trim_end().to_string() + ",可承诺替代\n";
        let row = |cells: &str| {
            format!("{head}NEW-001,新事项,行政给付,镇人民政府,依据,20,10,不收费,民政窗口,下放,{cells}\n")
        };
        let ok = folder(
            &row("000123001000,11520203MB1234567X000123001000,承诺件,1,年满80周岁,是"),
            &format!("{mat_head}NEW-001,收入证明,原件,1,是,是\n"),
            LETTER_HEAD,
        );
        let item = read(ok.path()).unwrap().items.remove(0);
        assert_eq!(
            item.listing,
            Listing {
                basic_code: "000123001000".into(),
                impl_code: "11520203MB1234567X000123001000".into(),
                case_kind: "承诺件".into(),
                visits: Some(1),
                conditions: "年满80周岁".into(),
                pledge: true,
            }
        );
        assert!(item.materials[0].pledgeable);
        let mut store = towns_only();
        for (cells, mat, column, words) in [
            ("1 2,,,,,", "", "基本编码", "不能含有空格"),
            (",,审批件,,,", "", "办件类型", "即办件 或 承诺件"),
            (",,,10,,", "", "到办事现场次数", "0 到 9"),
            (",,,,,可以", "", "可告知承诺", "“是”或“否”"),
            (",,,,,否", "是", "可承诺替代", "不是可告知承诺的事项"),
        ] {
            let bad = folder(
                &row(cells),
                &format!("{mat_head}NEW-001,收入证明,原件,1,是,{mat}\n"),
                LETTER_HEAD,
            );
            let problems = problems_of(&mut store, bad.path());
            let file = if column == "可承诺替代" {
                "材料.csv"
            } else {
                "事项.csv"
            };
            assert_problem(&problems, file, 2, column, words);
            assert_eq!(count_rows(&store, "item"), 0);
        }
    }

    #[test]
    fn a_gbk_csv_folder_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let write_gbk = |name: &str, text: &str| {
            let (bytes, _, bad) = encoding_rs::GBK.encode(text);
            assert!(!bad);
            std::fs::write(dir.path().join(name), bytes).unwrap();
        };
        write_gbk(
            "事项.csv",
            "事项编码,事项名称,事项类型,实施主体,设定依据,法定办结时限,承诺办结时限,收费标准,办理窗口,权限方式\r\n\
             MZ-901,临时救助,行政给付,镇人民政府,《社会救助暂行办法》,10,当场办结,不收费,民政窗口,下放\r\n",
        );
        write_gbk(
            "材料.csv",
            "事项编码,材料名称,材料形式,份数,是否必需\r\nMZ-901,居民身份证,原件和复印件,1,是\r\n",
        );
        write_gbk(
            "委托书.csv",
            "委托书编号,委托单位,事项编码,生效日期,失效日期\r\n",
        );
        let cat = read(dir.path()).unwrap();
        assert_eq!(cat.items[0].name, "临时救助");
        assert_eq!(cat.items[0].initials, "lsjz");
        assert_eq!(cat.items[0].promised, TimeLimit::OnTheSpot);
        assert_eq!(cat.items[0].materials[0].form, MaterialForm::Both);
    }

    /// A folder of UTF-8 CSV files with the given bodies (header lines included).
    fn folder(items: &str, materials: &str, letters: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("事项.csv"), items).unwrap();
        std::fs::write(dir.path().join("材料.csv"), materials).unwrap();
        std::fs::write(dir.path().join("委托书.csv"), letters).unwrap();
        dir
    }

    const ITEM_HEAD: &str =
        "事项编码,事项名称,事项类型,实施主体,设定依据,法定办结时限,承诺办结时限,收费标准,办理窗口,权限方式\n";
    const MAT_HEAD: &str = "事项编码,材料名称,材料形式,份数,是否必需\n";
    const LETTER_HEAD: &str = "委托书编号,委托单位,事项编码,生效日期,失效日期\n";

    fn problems_of(store: &mut SqliteStore, dir: &Path) -> Vec<Problem> {
        match import(store, dir, None) {
            Err(Error::Import(p)) => p,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    fn assert_problem(problems: &[Problem], file: &str, row: usize, column: &str, words: &str) {
        assert!(
            problems.iter().any(|p| p.file == file
                && p.row == row
                && p.column == column
                && p.message.contains(words)),
            "no problem at {file} row {row} «{column}» mentioning {words:?}; got:\n{}",
            problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }

    #[test]
    fn every_problem_is_reported_with_file_row_and_column_and_nothing_changes() {
        let mut store = demo();
        let before = catalogue(&mut store, None).unwrap();
        let counts = |s: &SqliteStore| {
            ["item", "town_item", "material", "letter", "letter_item"].map(|t| count_rows(s, t))
        };
        let rows_before = counts(&store);
        let dir = folder(
            &format!(
                "{ITEM_HEAD}\
                 NEW-001,新事项,行政许可,市林业局,依据,20,10,不收费,农业林业窗口,下放\n\
                 NEW-001,重复的事项,行政许可,市林业局,依据,20,10,不收费,农业林业窗口,下放\n\
                 NEW-002,未知方式,行政许可,市林业局,依据,20,10,不收费,农业林业窗口,自行决定\n\
                 NEW-003,时限颠倒,行政许可,市林业局,依据,5,10,不收费,农业林业窗口,委托\n\
                 NEW-004,类型不对,审批,市林业局,依据,abc,10,不收费,农业林业窗口,委托\n"
            ),
            &format!("{MAT_HEAD}NEW-001,申请书,原件,1,是\nNOPE-9,申请书,扫描件,0,可能\n"),
            &format!(
                "{LETTER_HEAD}委〔2026〕1号,市林业局,NEW-001、GHOST-1,2026-02-30,2026-12-31\n\
                 委〔2026〕2号,市林业局,NEW-001,2026-12-31,2026-01-01\n"
            ),
        );
        let problems = problems_of(&mut store, dir.path());
        assert_problem(&problems, "事项.csv", 3, "事项编码", "与第2行重复");
        assert_problem(&problems, "事项.csv", 4, "权限方式", "自行决定");
        assert_problem(&problems, "事项.csv", 5, "承诺办结时限", "长于法定时限");
        assert_problem(&problems, "事项.csv", 6, "事项类型", "审批");
        assert_problem(&problems, "事项.csv", 6, "法定办结时限", "abc");
        assert_problem(&problems, "材料.csv", 3, "事项编码", "NOPE-9");
        assert_problem(&problems, "材料.csv", 3, "材料形式", "扫描件");
        assert_problem(&problems, "材料.csv", 3, "份数", "0");
        assert_problem(&problems, "材料.csv", 3, "是否必需", "可能");
        assert_problem(&problems, "委托书.csv", 2, "事项编码", "GHOST-1");
        assert_problem(&problems, "委托书.csv", 2, "生效日期", "2026-02-30");
        assert_problem(&problems, "委托书.csv", 3, "失效日期", "早于生效日期");
        // Whole or nothing: the good first row was not imported either.
        assert_eq!(catalogue(&mut store, None).unwrap(), before);
        assert_eq!(counts(&store), rows_before);
    }

    #[test]
    fn unknown_and_missing_columns_are_refused() {
        let mut store = demo();
        let dir = folder(
            "事项编码,事项名称,事项类型,实施主体,设定依据,法定办结时限,承诺办结时限,收费标准,办理窗口,权限方式,备注\n",
            "事项编码,材料名称,材料形式,份数\n",
            LETTER_HEAD,
        );
        let problems = problems_of(&mut store, dir.path());
        assert_problem(&problems, "事项.csv", 1, "备注", "未知的列");
        assert_problem(&problems, "材料.csv", 1, "是否必需", "缺少这一列");
    }

    #[test]
    fn missing_files_and_wrong_kinds_are_refused() {
        let mut store = demo();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("事项.csv"), ITEM_HEAD).unwrap();
        let problems = problems_of(&mut store, dir.path());
        assert_problem(&problems, "材料.csv", 0, "", "缺少 材料.csv");
        let txt = dir.path().join("目录.txt");
        std::fs::write(&txt, "x").unwrap();
        assert!(problems_of(&mut store, &txt)[0]
            .message
            .contains("不支持的文件类型"));
        let garbage = dir.path().join("坏的.xlsx");
        std::fs::write(&garbage, "not a workbook").unwrap();
        assert!(problems_of(&mut store, &garbage)[0]
            .message
            .contains("无法打开工作簿"));
    }

    #[test]
    fn import_updates_by_code_and_never_deletes() {
        let mut store = demo();
        let n = catalogue(&mut store, None).unwrap().items.len();
        let dir = folder(
            &format!(
                "{ITEM_HEAD}MZ-001,临时救助(急难型),行政给付,镇人民政府,《社会救助暂行办法》第四十八条,10,3,不收费,民政窗口,下放\n"
            ),
            &format!("{MAT_HEAD}MZ-001,临时救助申请书,原件,1,是\nLY-101,林木采伐申请书,原件,2,是\n"),
            LETTER_HEAD,
        );
        let report = import(&mut store, dir.path(), Some("东风镇")).unwrap();
        assert_eq!(
            (report.items_added, report.items_updated, report.materials),
            (0, 1, 2)
        );
        let cat = catalogue(&mut store, Some("东风镇")).unwrap();
        assert_eq!(cat.items.len(), n, "an import never deletes items");
        let mz = cat.items.iter().find(|i| i.code == "MZ-001").unwrap();
        assert_eq!(mz.name, "临时救助(急难型)");
        assert_eq!(mz.promised, TimeLimit::WorkingDays(3));
        assert_eq!(mz.materials.len(), 1);
        let ly = cat.items.iter().find(|i| i.code == "LY-101").unwrap();
        assert_eq!(
            ly.materials.len(),
            1,
            "materials of an item only in the database"
        );
        assert_eq!(ly.materials[0].copies, 2);
    }

    #[test]
    fn export_refuses_an_unknown_kind_of_path() {
        let mut store = demo();
        let dir = tempfile::tempdir().unwrap();
        let err = export(&mut store, &dir.path().join("目录.pdf"), None).unwrap_err();
        assert!(
            matches!(err, Error::Invalid { field: "path", .. }),
            "{err:?}"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(6))]

        /// The demo's own catalogue written out as a workbook, with one cell of one sheet
        /// damaged (every damage of [`DAMAGES`], each at a row chosen anew): the import names
        /// that sheet, row and column, and changes nothing.
        #[test]
        fn one_damaged_cell_is_named_by_sheet_row_and_column_and_changes_nothing(
            picks in proptest::collection::vec(proptest::prelude::any::<proptest::sample::Index>(), DAMAGES.len()),
        ) {
            let mut store = demo();
            let before = catalogue(&mut store, None).unwrap();
            let counts = |s: &SqliteStore| {
                ["item", "town_item", "material", "letter", "letter_item"].map(|t| count_rows(s, t))
            };
            let rows_before = counts(&store);
            let dir = tempfile::tempdir().unwrap();
            for ((sheet, column, bad), row) in DAMAGES.into_iter().zip(&picks) {
                let mut data = rows(&before);
                let (k, columns) = match sheet {
                    ITEM_SHEET => (0, &ITEM_COLUMNS[..]),
                    MATERIAL_SHEET => (1, &MATERIAL_COLUMNS[..]),
                    _ => (2, &LETTER_COLUMNS[..]),
                };
                let r = row.index(data[k].len());
                let c = columns.iter().position(|h| *h == column).unwrap();
                data[k][r][c] = bad.to_string();
                let book = dir.path().join("目录.xlsx");
                let _ = std::fs::remove_file(&book);
                write_rows(&book, &data, Target::Xlsx).unwrap();
                let problems = problems_of(&mut store, &book);
                let file = format!("目录.xlsx 工作表「{sheet}」");
                proptest::prop_assert!(
                    problems.iter().any(|p| p.file == file && p.row == r + 2 && p.column == column),
                    "{} row {} «{}» = {:?} not named; got:\n{}",
                    sheet, r + 2, column, bad,
                    problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n")
                );
                proptest::prop_assert_eq!(catalogue(&mut store, None).unwrap(), before.clone());
                proptest::prop_assert_eq!(counts(&store), rows_before);
            }
        }
    }

    /// One damaged cell each: the sheet, the column and what is written there.
    const DAMAGES: [(&str, &str, &str); 14] = [
        (ITEM_SHEET, "事项编码", ""),
        (ITEM_SHEET, "事项编码", "A B"),
        (ITEM_SHEET, "事项名称", ""),
        (ITEM_SHEET, "事项类型", "审批"),
        (ITEM_SHEET, "法定办结时限", "abc"),
        (ITEM_SHEET, "承诺办结时限", "-3"),
        (ITEM_SHEET, "权限方式", "随便"),
        (MATERIAL_SHEET, "事项编码", "NOPE-9"),
        (MATERIAL_SHEET, "材料形式", "扫描件"),
        (MATERIAL_SHEET, "份数", "0"),
        (MATERIAL_SHEET, "是否必需", "可能"),
        (LETTER_SHEET, "事项编码", "GHOST-1"),
        (LETTER_SHEET, "生效日期", "2026-02-30"),
        (LETTER_SHEET, "失效日期", "2026-13-01"),
    ];
}
