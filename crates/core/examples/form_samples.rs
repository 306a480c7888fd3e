//! Writes sample forms to look at: a 受理回执 whose item has a very long name and forty
//! materials, on A4 and on A5, so that it runs over several pages.
//!
//! ```sh
//! cargo run -p bianmin-core --example form_samples -- DIR
//! ```
//!
//! It writes `DIR/long-A4.pdf` and `DIR/long-A5.pdf` (DIR is created if missing). Only the
//! crate's public API is used: the demo data in an in-memory store, an intake, and the receipt's
//! layout (`forms::render::request`) fed with facts changed by hand.

use std::path::PathBuf;
use std::process::ExitCode;

use bianmin_core::catalog::MaterialForm;
use bianmin_core::demo;
use bianmin_core::forms::{render, FormKind, Issue, Paper, RequestFacts};
use bianmin_core::identity::with_check_char;
use bianmin_core::request::{new_request, show, NewRequest, RequestMaterialView};
use bianmin_core::store::{SqliteStore, Store};
use chrono::NaiveDate;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(dir), None) = (args.next(), args.next()) else {
        eprintln!("usage: cargo run -p bianmin-core --example form_samples -- DIR");
        return ExitCode::from(2);
    };
    match write_samples(&PathBuf::from(dir)) {
        Ok(written) => {
            for path in written {
                println!("{}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("form_samples: {e}");
            ExitCode::FAILURE
        }
    }
}

fn write_samples(dir: &std::path::Path) -> Result<Vec<PathBuf>, Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    let day = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let at = day.and_hms_opt(10, 0, 0).unwrap();
    let mut written = Vec::new();
    for paper in [Paper::A4, Paper::A5] {
        let (facts, issue) = long_facts(day, at)?;
        let (bytes, _pages) = render::request(FormKind::Receipt, &facts, &issue, paper)?;
        let path = dir.join(format!("long-{paper:?}.pdf"));
        std::fs::write(&path, bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// Facts for a request whose item has a very long name and many materials.
fn long_facts(
    day: NaiveDate,
    at: chrono::NaiveDateTime,
) -> bianmin_core::Result<(RequestFacts, Issue)> {
    let mut s = SqliteStore::open_in_memory()?;
    demo::load(&mut s, day)?;
    let input = NewRequest {
        staff: "DF0013".into(),
        item: "MZ-006".into(),
        name: "欧阳玥喆".into(),
        id: Some(with_check_char("52020319850312123")),
        phone: Some("13812345678".into()),
        ..Default::default()
    };
    let no = new_request(&mut s, &input, at)?.view.number;
    let mut detail = show(&mut s, &no, day)?;
    let town_id = s.read(|q| Ok(q.towns()?[1].id))?;
    let mut item = s
        .read(|q| q.item(town_id, "MZ-006"))?
        .expect("the demo catalogue has MZ-006");
    item.name = "困难残疾人生活补贴和重度残疾人护理补贴申请（含首次申请、变更、续发及因户籍迁移产生的跨区域转移接续）".into();
    detail.view.item_name = item.name.clone();
    detail.materials = (1..=40)
        .map(|i| RequestMaterialView {
            seq: i,
            name: format!("第{i}项材料：申请人及共同生活家庭成员在2025年9:00前开具的收入证明材料DF-20261128-{i:04}（原件须加盖单位公章）"),
            form: MaterialForm::Original,
            copies: 1,
            mandatory: true,
            received: true,
        })
        .collect();
    let speaker = bianmin_core::domain::speaker::speaker("东风镇", "", &item, &[], day);
    let facts = RequestFacts {
        hall: "东风镇便民服务中心".into(),
        speaker,
        town: "东风镇".into(),
        form_no: format!("HZ-{no}"),
        detail,
        item,
        clerk_no: "DF0013".into(),
        refusal_basis: None,
        decided: None,
        qr: bianmin_core::forms::receipt_code(&"0".repeat(64), &no),
    };
    Ok((
        facts,
        Issue {
            on: day,
            at,
            copy: 1,
        },
    ))
}
