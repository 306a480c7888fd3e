//! Printed forms: time per receipt and PDF size, side by side in one run with what a web-based
//! system would do, headless Chromium printing the same receipt from HTML
//! (`chromium --headless --print-to-pdf`). Goals: at least 20 times faster, at most 100 KB.
//!
//! Both sides are timed as a clerk pays for them: a whole `bianmin form NO --kind receipt --out
//! FILE` process (the release build of this crate's binary: open the database, load the font,
//! render, write the PDF, record the print) against a fresh Chromium process per receipt. The
//! receipt made inside one process (`forms::request_form`, font already loaded) is timed too.
//!
//! `cargo bench -p bianmin-cli --bench forms` (about two minutes; Chromium takes about a second
//! a run, so the group uses 10 samples). Without `/usr/bin/chromium` (scripts/setup.sh installs
//! it) the Chromium side is skipped with a note. The setup prints the one-off font load time and
//! the PDF size of every form; after criterion's summary the medians and their ratio.
//! `BIANMIN_BENCH_OUT=DIR` keeps the PDFs (and the HTML Chromium printed) in DIR to look at.
//! `BIANMIN_BENCH_BASELINE=PATH` times another `bianmin` binary's whole process as well, in the
//! same run (a release build of an earlier commit, say, from `git worktree add`).

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use bianmin_core::catalog::service::{item_detail, ItemDetail};
use bianmin_core::demo;
use bianmin_core::forms::{self, FormKind, Paper};
use bianmin_core::request::{self, NewRequest, RequestDetail, Step};
use bianmin_core::store::SqliteStore;
use chrono::{NaiveDate, NaiveDateTime};
use criterion::{BatchSize, Criterion, SamplingMode};

const NOW: NaiveDateTime = NaiveDate::from_ymd_opt(2026, 11, 28)
    .unwrap()
    .and_hms_opt(10, 0, 0)
    .unwrap();
const CHROMIUM: &str = "/usr/bin/chromium";
/// The goal for one receipt.
const MAX_RECEIPT_BYTES: usize = 100 * 1024;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn at() -> NaiveDateTime {
    NOW
}

fn intake(
    store: &mut SqliteStore,
    item: &str,
    name: &str,
    id: &str,
    materials: Option<&[&str]>,
) -> RequestDetail {
    let input = NewRequest {
        staff: "DF0013".into(),
        item: item.into(),
        name: name.into(),
        id: Some(id.into()),
        credit_code: None,
        phone: Some("13812345678".into()),
        materials: materials.map(|m| m.iter().map(|m| m.to_string()).collect()),
        remark: None,
        agent_name: None,
        agent_id: None,
        agent_relation: None,
        examine_later: false,
        pledge: None,
        idempotency_key: None,
    };
    request::new_request(store, &input, NOW)
        .unwrap_or_else(|e| panic!("intake of {item} failed: {e}"))
}

/// One form of the size table: how to make it from the store.
type MakeForm = Box<dyn Fn(&mut SqliteStore) -> forms::Form>;

/// `s` padded to `width` terminal columns, Chinese characters counting two.
fn pad(s: &str, width: usize) -> String {
    let cols: usize = s.chars().map(|c| if c >= '\u{1100}' { 2 } else { 1 }).sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(cols)))
}

fn kb(bytes: usize) -> String {
    format!("{bytes:>8} bytes  {:>6.1} KB", bytes as f64 / 1024.0)
}

/// Median of `runs` individually timed calls (the one-shot figures printed next to sizes).
fn median_of(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut t: Vec<Duration> = (0..runs)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed()
        })
        .collect();
    t.sort_unstable();
    t[runs / 2]
}

// ---------------------------------------------------------------------------------------------
// The same receipt as HTML, as a web-based system would template it.

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

fn cn_date(d: NaiveDate) -> String {
    forms::render::cn_date(d)
}

/// The request number as a QR code, an inline SVG of filled runs (as the PDF draws it).
fn qr_svg(data: &str, size_mm: f32) -> String {
    let code = qrcode::QrCode::with_error_correction_level(data, qrcode::EcLevel::M).unwrap();
    let n = code.width();
    let colors = code.to_colors();
    let mut path = String::new();
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if colors[row * n + col] == qrcode::Color::Dark {
                let start = col;
                while col < n && colors[row * n + col] == qrcode::Color::Dark {
                    col += 1;
                }
                let _ = write!(path, "M{start} {row}h{}v1h-{}z", col - start, col - start);
            } else {
                col += 1;
            }
        }
    }
    format!(
        r#"<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" width="{size_mm}mm" height="{size_mm}mm" shape-rendering="crispEdges"><path d="{path}"/></svg>"#
    )
}

/// The request number as Code128 (set B), an inline SVG.
fn code128_svg(data: &str, w_mm: f32, h_mm: f32) -> String {
    let bars = barcoders::sym::code128::Code128::new(format!("\u{0181}{data}"))
        .unwrap()
        .encode();
    let mut path = String::new();
    let mut i = 0;
    while i < bars.len() {
        if bars[i] == 1 {
            let start = i;
            while i < bars.len() && bars[i] == 1 {
                i += 1;
            }
            let _ = write!(path, "M{start} 0h{}v1h-{}z", i - start, i - start);
        } else {
            i += 1;
        }
    }
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} 1" preserveAspectRatio="none" width="{w_mm}mm" height="{h_mm}mm" shape-rendering="crispEdges"><path d="{path}"/></svg>"#,
        bars.len()
    )
}

const CSS: &str = r#"
@page { size: A4; margin: 18mm; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", sans-serif;
       font-size: 10.5pt; line-height: 1.5; color: #000; }
.head { position: relative; height: 30mm; border-bottom: 1.2pt solid #000; margin-bottom: 3mm; }
.head .no { position: absolute; left: 0; top: 0; font-size: 8.5pt; }
.head .hall { text-align: center; font-size: 12.5pt; padding-top: 7mm; }
.head h1 { text-align: center; font-size: 20pt; font-weight: bold; margin: 0; letter-spacing: 0.1em; }
.head .qr { position: absolute; right: 0; top: 0; }
.head .qrno { position: absolute; right: 0; top: 22.5mm; width: 30mm; text-align: right; white-space: nowrap; font-size: 7.5pt; }
.head .bar { position: absolute; left: 0; top: 10mm; }
.head .barno { position: absolute; left: 0; top: 18.5mm; font-size: 8.5pt; }
table { width: 100%; border-collapse: collapse; margin: 1mm 0; }
th, td { border: 0.5pt solid #000; padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
th { background: #eee; font-weight: bold; }
table.kv td:first-child { width: 30mm; background: #f4f4f4; }
td.c, th.c { text-align: center; }
h2 { font-size: 11pt; font-weight: bold; margin: 3mm 0 1mm; }
.tips { font-size: 9pt; margin-top: 2mm; }
.tips p { margin: 0; }
.sign { position: relative; height: 50mm; margin-top: 4mm; break-inside: avoid; }
.sign p { margin: 0 0 3mm; }
.seal { position: absolute; right: 4mm; top: 2mm; width: 40mm; height: 40mm; border-radius: 50%;
        border: 0.8pt dashed #8c8c8c; color: #8c8c8c; font-size: 8.5pt; text-align: center;
        display: flex; flex-direction: column; justify-content: center; }
.foot { position: fixed; bottom: 0; left: 0; right: 0; font-size: 8.5pt; color: #333; text-align: center; }
"#;

/// The 受理回执 of `d` as an HTML page: the same fields, table, tips, codes and seal as the PDF.
fn receipt_html(d: &RequestDetail, item: &ItemDetail, at: NaiveDateTime) -> String {
    let v = &d.view;
    let hall = format!("{}便民服务中心", v.town);
    let form_no = format!("HZ-{}", v.number);
    let place = format!("{hall}{}", item.summary.post);
    let accepted = cn_date(v.accepted_on.unwrap_or(v.created_on));
    let due = match v.due {
        Some(due) => format!(
            "{}前（承诺时限 {}，遇法定节假日顺延）",
            cn_date(due),
            item.summary.promised
        ),
        None => item.summary.promised.clone(),
    };
    let clerk_no = d
        .timeline
        .first()
        .map(|e| e.staff_no.as_str())
        .unwrap_or("");
    let mut h = String::with_capacity(16 * 1024);
    let _ = write!(
        h,
        r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>受理回执 {number}</title><style>{CSS}</style></head><body>
<div class="head"><div class="no">编号：{form_no}</div>{qr}<div class="qrno">{number}</div>
<div class="bar">{bar}</div><div class="barno">{number}</div>
<div class="hall">{hall}</div><h1>受理回执</h1></div>
<table class="kv">"#,
        number = esc(&v.number),
        form_no = esc(&form_no),
        qr = qr_svg(&v.number, 22.0),
        bar = code128_svg(&v.number, 62.0, 8.0),
        hall = esc(&hall),
    );
    let rows = [
        ("办件编号", v.number.clone()),
        (
            "申请事项",
            format!("{}（事项编码 {}）", v.item_name, v.item),
        ),
        ("申请人", v.applicant_name.clone().unwrap_or_default()),
        (
            "证件号码",
            v.applicant_id_masked
                .clone()
                .unwrap_or_else(|| "（未登记）".into()),
        ),
        ("联系电话", v.phone_masked.clone().unwrap_or_default()),
        ("受理日期", accepted.clone()),
        ("承诺办结", due),
        ("实施主体", item.summary.department.clone()),
        ("取件地点", place.clone()),
        ("收费标准", item.fee.clone()),
    ];
    for (k, val) in rows {
        let _ = write!(h, "<tr><td>{k}</td><td>{}</td></tr>", esc(&val));
    }
    h.push_str(
        r#"</table><h2>收取材料</h2><table><tr><th class="c" style="width:12mm">序号</th><th>材料名称</th><th class="c" style="width:28mm">形式</th><th class="c" style="width:14mm">份数</th><th class="c" style="width:26mm">收取情况</th></tr>"#,
    );
    for m in &d.materials {
        let state = if m.received {
            "已收"
        } else if m.mandatory {
            "未收"
        } else {
            "未收（非必需）"
        };
        let _ = write!(
            h,
            r#"<tr><td class="c">{}</td><td>{}</td><td class="c">{}</td><td class="c">{}</td><td class="c">{state}</td></tr>"#,
            m.seq,
            esc(&m.name),
            m.form.label(),
            m.copies
        );
    }
    let _ = write!(
        h,
        r#"</table><div class="tips"><p>温馨提示：1. 请妥善保管本回执，凭本回执和本人身份证件到{place}取件；他人代领的，请携带代领人身份证件和委托书。</p><p>2. 可凭办件编号 {number} 或扫描右上角二维码查询办理进度。</p><p>3. 办结日期按工作日计算；如需补充材料，工作人员将电话告知。</p></div>
<div class="sign"><p>受理人：{clerk}（工号 {clerk_no}）</p><p>受理日期：{accepted}</p><p>申请人签名：{line}</p><div class="seal"><div>{hall}</div><div>（盖章）</div></div></div>
<div class="foot">表单编号 {form_no}　打印时间 {time}　第 1 份</div></body></html>"#,
        place = esc(&place),
        number = esc(&v.number),
        clerk = esc(&v.clerk),
        clerk_no = esc(clerk_no),
        line = "＿".repeat(8),
        hall = esc(&hall),
        form_no = esc(&form_no),
        time = at.format("%Y-%m-%d %H:%M"),
    );
    h
}

/// Everything the web route does per receipt: read the request and item, template the HTML,
/// write it, and have a fresh headless Chromium print it. Returns the PDF's size.
fn chromium_receipt(store: &mut SqliteStore, number: &str, work: &Path) -> Result<usize, String> {
    let d = request::show(store, number, today()).map_err(|e| e.to_string())?;
    let item =
        item_detail(store, Some(&d.view.town), &d.view.item, today()).map_err(|e| e.to_string())?;
    let html = work.join("receipt.html");
    let pdf = work.join("receipt.pdf");
    let profile = work.join("profile");
    std::fs::write(&html, receipt_html(&d, &item, at())).map_err(|e| e.to_string())?;
    let out = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            &format!("--user-data-dir={}", profile.display()),
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
            &format!("file://{}", html.display()),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot start {CHROMIUM}: {e}"))?;
    let size = std::fs::metadata(&pdf)
        .map(|m| m.len() as usize)
        .unwrap_or(0);
    if !out.status.success() || size == 0 {
        return Err(format!(
            "{CHROMIUM} exited with {} and wrote {size} bytes: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(size)
}

/// One whole `bianmin form NUMBER --kind receipt` process of the binary `bin` on the database
/// `db`, writing `out`. Returns the PDF's size.
fn bianmin_process(bin: &Path, db: &Path, number: &str, out: &Path) -> Result<usize, String> {
    let run = Command::new(bin)
        .arg("--db")
        .arg(db)
        .args(["form", number, "--kind", "receipt", "--out"])
        .arg(out)
        .env("BIANMIN_TODAY", today().to_string())
        .env_remove("BIANMIN_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    if !run.status.success() {
        return Err(format!(
            "{} exited with {}: {}",
            bin.display(),
            run.status,
            String::from_utf8_lossy(&run.stderr).trim()
        ));
    }
    std::fs::metadata(out)
        .map(|m| m.len() as usize)
        .map_err(|e| e.to_string())
}

/// Criterion's median estimate of one benchmark, from its output folder, in seconds.
fn criterion_median(group: &str, function: &str) -> Option<f64> {
    let root = std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("CARGO_TARGET_DIR").map(|t| PathBuf::from(t).join("criterion"))
        })
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/criterion")
        });
    let path = root
        .join(group)
        .join(function.replace('/', "_"))
        .join("new/estimates.json");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    Some(v["median"]["point_estimate"].as_f64()? / 1e9)
}

fn main() {
    // The font is loaded once per process: time that once, before anything else touches it.
    let t = Instant::now();
    let font = forms::form_font().expect("the form font (fonts-noto-cjk, scripts/setup.sh)");
    let font_parse = t.elapsed();
    println!(
        "one-off font load: {font_parse:.1?} ({} face {}), paid once per process",
        font.path.display(),
        font.face
    );

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("forms.db");
    let mut store = SqliteStore::open(&db).unwrap();
    demo::load(&mut store, today()).unwrap();
    let id = "11010519491231002X";
    let receipt = intake(
        &mut store,
        "MZ-006",
        "王喆赟",
        id,
        Some(&["1", "2", "3", "4", "5"]),
    );
    assert!(
        receipt.materials.iter().all(|m| m.received),
        "every material of MZ-006 should be received"
    );
    let number = receipt.view.number.clone();

    // Sizes (and one-shot medians) of every form, from the same store.
    let notice = intake(&mut store, "MZ-002", "李玥", id, Some(&["1"]))
        .view
        .number;
    let refusal = intake(&mut store, "GA-201", "张赟", id, None).view.number;
    let forwarded = intake(&mut store, "RS-101", "赵喆", id, None).view.number;
    request::step(
        &mut store,
        &forwarded,
        "DF0013",
        &Step::Forward {
            department: None,
            due: None,
            reason: None,
        },
        NOW,
    )
    .unwrap();
    let department = request::show(&mut store, &forwarded, today())
        .unwrap()
        .view
        .forwarded_to
        .unwrap();
    let receipt_a4 = forms::request_form(&mut store, &number, FormKind::Receipt, Paper::A4, at())
        .unwrap()
        .bytes
        .len();
    assert!(
        receipt_a4 <= MAX_RECEIPT_BYTES,
        "REGRESSION: the A4 receipt is {receipt_a4} bytes, over the goal of {MAX_RECEIPT_BYTES} bytes (100 KB)"
    );
    // BIANMIN_BENCH_OUT=DIR keeps every PDF (and Chromium's HTML) there for a look.
    let keep = std::env::var_os("BIANMIN_BENCH_OUT").map(PathBuf::from);
    if let Some(out) = &keep {
        std::fs::create_dir_all(out).unwrap();
    }
    println!("\nPDF sizes (bianmin; time is the median of 21 warm runs, store read included)");
    let mut cases: Vec<(String, MakeForm)> = Vec::new();
    for (label, no, kind, paper) in [
        ("receipt A4", number.clone(), FormKind::Receipt, Paper::A4),
        ("receipt A5", number.clone(), FormKind::Receipt, Paper::A5),
        ("notice A4", notice.clone(), FormKind::Notice, Paper::A4),
        ("refusal A4", refusal.clone(), FormKind::Refusal, Paper::A4),
    ] {
        cases.push((
            format!("{label} ({no})"),
            Box::new(move |s: &mut SqliteStore| {
                forms::request_form(s, &no, kind, paper, at()).unwrap()
            }),
        ));
    }
    cases.push((
        format!("handover A4 ({department})"),
        Box::new(move |s: &mut SqliteStore| {
            forms::handover_form(s, Some("东风镇"), &department, today(), Paper::A4, at()).unwrap()
        }),
    ));
    cases.push((
        "staffing report A4 landscape (东风镇)".into(),
        Box::new(|s: &mut SqliteStore| {
            forms::staffing_form(s, Some("东风镇"), today(), at()).unwrap()
        }),
    ));
    cases.push((
        "staffing report, all towns".into(),
        Box::new(|s: &mut SqliteStore| forms::staffing_form(s, None, today(), at()).unwrap()),
    ));
    for (i, (label, make)) in cases.iter().enumerate() {
        let form = make(&mut store);
        let time = median_of(21, || {
            black_box(make(&mut store));
        });
        if let Some(out) = &keep {
            std::fs::write(
                out.join(format!("bianmin-{}-{}.pdf", i + 1, form.form_no)),
                &form.bytes,
            )
            .unwrap();
        }
        println!(
            "  {} {}  {} page(s)  {time:>9.2?}",
            pad(label, 44),
            kb(form.bytes.len()),
            form.pages
        );
    }

    // The web route, once, to check it works and to see its size.
    let chromium = if !Path::new(CHROMIUM).exists() {
        println!(
            "\nNOTE: {CHROMIUM} is not installed (scripts/setup.sh installs it): chromium/print-to-pdf is skipped"
        );
        false
    } else {
        let work = tempfile::tempdir().unwrap();
        let t = Instant::now();
        match chromium_receipt(&mut store, &number, work.path()) {
            Ok(size) => {
                if let Some(out) = &keep {
                    for f in ["receipt.html", "receipt.pdf"] {
                        std::fs::copy(work.path().join(f), out.join(format!("chromium-{f}")))
                            .unwrap();
                    }
                }
                println!(
                    "  {} {}  (first run {:.2?})",
                    pad("chromium receipt A4 (same content, HTML)", 44),
                    kb(size),
                    t.elapsed()
                );
                true
            }
            Err(e) => {
                println!("\nNOTE: chromium/print-to-pdf is skipped: {e}");
                false
            }
        }
    };

    // Whole processes, once each, to check they work: this crate's binary, and the baseline's.
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_bianmin"));
    let baseline = std::env::var_os("BIANMIN_BENCH_BASELINE").map(PathBuf::from);
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("receipt.pdf");
    let mut processes = vec![("bianmin form process", &bin)];
    processes.extend(
        baseline
            .iter()
            .map(|b| ("baseline bianmin form process", b)),
    );
    for (label, bin) in processes {
        let t = Instant::now();
        let size =
            bianmin_process(bin, &db, &number, &out).unwrap_or_else(|e| panic!("{label}: {e}"));
        println!(
            "  {} {}  (first run {:.2?}, {})",
            pad(label, 44),
            kb(size),
            t.elapsed(),
            bin.display()
        );
    }
    println!();

    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(12))
        .configure_from_args();
    let mut g = c.benchmark_group("receipt");
    g.sampling_mode(SamplingMode::Flat);
    g.bench_function("bianmin/request_form", |b| {
        b.iter(|| {
            forms::request_form(
                &mut store,
                black_box(&number),
                FormKind::Receipt,
                Paper::A4,
                at(),
            )
            .unwrap()
        })
    });
    g.bench_function("bianmin/process", |b| {
        b.iter(|| bianmin_process(&bin, &db, &number, &out).unwrap())
    });
    if let Some(baseline) = &baseline {
        g.bench_function("baseline/process", |b| {
            b.iter(|| bianmin_process(baseline, &db, &number, &out).unwrap())
        });
    }
    if chromium {
        g.bench_function("chromium/print-to-pdf", |b| {
            b.iter_batched(
                || tempfile::tempdir().unwrap(),
                |work| {
                    chromium_receipt(&mut store, &number, work.path()).unwrap();
                    work // removed after the timing
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
    c.final_summary();

    let median = |function: &str| criterion_median("receipt", function);
    let show = |function: &str, note: &str| {
        if let Some(m) = median(function) {
            println!(
                "  {function:<24} {:>10.2?}  {note}",
                Duration::from_secs_f64(m)
            );
        }
    };
    println!("\nmedians (criterion)");
    show(
        "bianmin/request_form",
        &format!(
            "{}  in one process, font already loaded ({font_parse:.1?} once)",
            kb(receipt_a4)
        ),
    );
    show("bianmin/process", "a whole `bianmin form` process");
    // Only what ran in this run: criterion's folder keeps every earlier run's estimates.
    if baseline.is_some() {
        show("baseline/process", "the same, BIANMIN_BENCH_BASELINE");
    }
    if chromium {
        show("chromium/print-to-pdf", "a whole Chromium process");
    }
    let web = median("chromium/print-to-pdf").filter(|_| chromium);
    let ours = median("bianmin/process");
    let theirs = median("baseline/process").filter(|_| baseline.is_some());
    if let (Some(w), Some(o)) = (web, ours) {
        println!(
            "  chromium / bianmin process = {:.0}x (goal: at least 20x)",
            w / o
        );
    }
    if let (Some(w), Some(b)) = (web, theirs) {
        println!("  chromium / baseline process = {:.0}x", w / b);
    }
    if let (Some(o), Some(b)) = (ours, theirs) {
        println!("  baseline process / bianmin process = {:.1}x", b / o);
    }
}
