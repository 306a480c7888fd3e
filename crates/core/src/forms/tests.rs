//! Forms read back by tools that are not this code: text through poppler's `pdftotext`, fonts
//! through `pdffonts`, the QR codes and Code128 barcodes through zbar's `zbarimg` on a 300 dpi
//! `pdftoppm` page. Besides, pages rendered by `pdftoppm` are compared with reference images
//! (`tests/reference/forms/`): a change detector, not an oracle, since the references were drawn
//! by this same code and only reviewed by eye.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::identity::with_check_char;
use crate::request::{new_request, step, NewRequest, Step};
use crate::store::SqliteStore;

const NOW: NaiveDateTime = NaiveDate::from_ymd_opt(2026, 11, 28)
    .unwrap()
    .and_hms_opt(10, 0, 0)
    .unwrap();

fn at() -> NaiveDateTime {
    NOW
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn full_id() -> String {
    with_check_char("52020319850312123")
}

/// The key the forms' tests give the hall, so that a receipt's QR code is the same every run.
const TEST_KEY: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn demo() -> SqliteStore {
    let mut s = SqliteStore::open_in_memory().unwrap();
    crate::demo::load(&mut s, day()).unwrap();
    s.connection()
        .execute("UPDATE hall_key SET key = ?1", [TEST_KEY])
        .unwrap();
    s
}

fn intake(s: &mut SqliteStore, item: &str, name: &str, materials: Option<Vec<&str>>) -> String {
    let input = NewRequest {
        staff: "DF0013".into(),
        item: item.into(),
        name: name.into(),
        id: Some(full_id()),
        phone: Some("13812345678".into()),
        materials: materials.map(|m| m.into_iter().map(String::from).collect()),
        ..Default::default()
    };
    new_request(s, &input, NOW).unwrap().view.number
}

/// Forwards `number` to its item's department, as the clerk DF0013.
fn forward(s: &mut SqliteStore, number: &str) {
    let to_department = Step::Forward {
        department: None,
        due: None,
        reason: None,
    };
    step(s, number, "DF0013", &to_department, NOW).unwrap();
}

/// The four resident/department forms of the demo: receipt, notice, refusal and hand-over.
fn four_forms(s: &mut SqliteStore) -> Vec<Form> {
    let accepted = intake(s, "MZ-006", "王喆赟", None);
    let incomplete = intake(s, "MZ-002", "李玥", Some(vec!["1"]));
    let refused = intake(s, "GA-201", "张赟", None);
    let forwarded = intake(s, "RS-101", "赵喆", None);
    forward(s, &forwarded);
    vec![
        request_form(s, &accepted, FormKind::Receipt, Paper::A4, at()).unwrap(),
        request_form(s, &incomplete, FormKind::Notice, Paper::A4, at()).unwrap(),
        request_form(s, &refused, FormKind::Refusal, Paper::A5, at()).unwrap(),
        handover_form(s, None, "市人力资源和社会保障局", day(), Paper::A4, at()).unwrap(),
    ]
}

fn write_tmp(form: &Form) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("form.pdf");
    std::fs::write(&path, &form.bytes).unwrap();
    (dir, path)
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("{name} is needed (poppler-utils, installed by scripts/setup.sh): {e}")
    });
    assert!(
        out.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The text of a PDF (or of one page), lines kept, spaces dropped: pdftotext's spacing between
/// Chinese and digits follows glyph positions, not the string printed. Compare with [`sq`].
fn text_of(path: &Path, page: Option<usize>) -> String {
    let p = path.to_str().unwrap();
    let text = match page {
        Some(n) => tool(
            "pdftotext",
            &[
                "-layout",
                "-f",
                &n.to_string(),
                "-l",
                &n.to_string(),
                p,
                "-",
            ],
        ),
        None => tool("pdftotext", &["-layout", p, "-"]),
    };
    text.lines()
        .map(|l| l.split_whitespace().collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The whole text of a form as poppler reads it back, one line, spaces dropped (see [`text_of`]).
fn read_back(form: &Form) -> String {
    let (_d, path) = write_tmp(form);
    text_of(&path, None).replace('\n', "")
}

/// A wanted text without its spaces, to compare with [`text_of`].
fn sq(s: &str) -> String {
    s.split_whitespace().collect()
}

#[test]
fn the_receipt_reads_back_complete_with_a_masked_id_and_an_embedded_subset() {
    let mut s = demo();
    let form = four_forms(&mut s).remove(0);
    let (_d, path) = write_tmp(&form);
    let text = text_of(&path, None);
    let no = form.request_number.clone().unwrap();
    for want in [
        "东风镇便民服务中心",
        "受理回执",
        "王喆赟",
        "5202**********",
        "困难残疾人生活补贴和重度残疾人护理补贴申请",
        "2026年11月28日",
        "2026年12月18日前",
        "138****5678",
        "东风镇便民服务中心民政窗口",
        "残疾人两项补贴申请审批表",
        "已收",
        "受理人：",
        "（盖章）",
        "第 1 页 共 1 页",
        &format!("表单编号 HZ-{no}"),
    ] {
        assert!(text.contains(&sq(want)), "missing {want:?} in\n{text}");
    }
    // The request number, whole, several times: table, barcode caption, QR caption, footer.
    assert!(text.matches(no.as_str()).count() >= 3, "{text}");
    assert!(form.bytes.len() < 100 * 1024, "{} bytes", form.bytes.len());
    let fonts = tool("pdffonts", &[path.to_str().unwrap()]);
    let row = fonts.lines().nth(2).expect("one embedded font");
    // A subset's name carries a six-letter tag: ABCDEF+NotoSansCJKsc-Regular; emb yes, sub yes.
    assert!(row.contains('+') && row.contains("CID Type 0C"), "{fonts}");
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        &cols[cols.len() - 5..cols.len() - 2],
        &["yes", "yes", "yes"],
        "{fonts}"
    );
}

#[test]
fn no_form_shows_a_full_id_number() {
    let mut s = demo();
    let full = full_id();
    let mut forms = four_forms(&mut s);
    forms.push(staffing_form(&mut s, Some("东风镇"), day(), at()).unwrap());
    for form in &forms {
        let (_d, path) = write_tmp(form);
        let text = text_of(&path, None);
        assert!(!text.is_empty());
        let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(
            !digits.contains(&full),
            "{} shows the full ID:\n{text}",
            form.kind_label
        );
        // Nor the middle of it: birth date digits sit behind the mask.
        assert!(!text.contains("19850312"), "{}", form.kind_label);
        assert!(!text.contains("13812345678"), "{}", form.kind_label);
    }
}

#[test]
fn notice_lists_every_missing_material_and_where_to_bring_it() {
    let mut s = demo();
    let form = four_forms(&mut s).remove(1);
    let (_d, path) = write_tmp(&form);
    let text = text_of(&path, None);
    assert!(
        text.contains("一次性告知书") && text.contains("李玥"),
        "{text}"
    );
    let item = s
        .read(|q| q.item(q.towns()?[1].id, "MZ-002"))
        .unwrap()
        .unwrap();
    let missing: Vec<_> = item
        .materials
        .iter()
        .filter(|m| m.mandatory && m.seq != 1)
        .collect();
    assert!(!missing.is_empty());
    for m in missing {
        assert!(text.contains(&m.name), "missing {} in\n{text}", m.name);
    }
    assert!(
        text.contains("提交地点") && text.contains("东风镇便民服务中心"),
        "{text}"
    );
}

#[test]
fn refusal_gives_reason_basis_alternative_and_appeal_rights() {
    let mut s = demo();
    let form = four_forms(&mut s).remove(2);
    let (_d, path) = write_tmp(&form);
    let text = text_of(&path, None).replace('\n', "");
    for want in [
        "不予受理通知书",
        "不予受理理由",
        "依据",
        "市公安局",
        "六十日内",
        "行政复议",
        "六个月内",
        "行政诉讼",
    ] {
        assert!(text.contains(&sq(want)), "missing {want:?} in\n{text}");
    }
    // A5: 148 × 210 mm is 420 × 595 pt.
    let info = tool("pdfinfo", &[path.to_str().unwrap()]);
    assert!(
        info.contains("419.") || info.contains("420 x 595"),
        "{info}"
    );
}

/// Issue 16, points 1 and 2: a refusal is issued by the 镇人民政府 for the township's own acts
/// and by the entrusting department (citing its letter) for an entrusted item, never by "本中心";
/// the appeal goes to the county-level government for the first, to the department's own
/// government for the second. Read back with pdftotext.
#[test]
fn a_refusal_speaks_for_the_body_that_acts_and_names_its_appeal_route() {
    let mut s = demo();
    // The township's own act: a city-only item refused at intake.
    let own = intake(&mut s, "GA-201", "张赟", None);
    // An entrusted item (市林业局's letter), taken in incomplete and then refused.
    let entrusted = intake(&mut s, "LY-101", "李玥", Some(vec!["1"]));
    step(
        &mut s,
        &entrusted,
        "DF0013",
        &Step::Refuse {
            reason: "申请采伐的林木不在本镇辖区".into(),
        },
        NOW,
    )
    .unwrap();
    let letter = s
        .read(|q| {
            let town = q.towns()?.into_iter().find(|t| t.name == "东风镇").unwrap();
            Ok(q.letters(town.id)?
                .into_iter()
                .find(|l| l.items.iter().any(|i| i == "LY-101"))
                .unwrap())
        })
        .unwrap();
    for (number, body, review, not) in [
        (
            own.as_str(),
            "东风镇人民政府决定不予受理",
            "贵阳市乌当区人民政府申请行政复议",
            "市人民政府",
        ),
        (
            entrusted.as_str(),
            "市林业局（委托东风镇人民政府办理，委托书",
            "六十日内依法向市人民政府申请行政复议",
            "县级人民政府",
        ),
    ] {
        let form = request_form(&mut s, number, FormKind::Refusal, Paper::A4, at()).unwrap();
        let text = read_back(&form);
        for want in [body, review, "六个月内依法向人民法院提起行政诉讼"] {
            assert!(
                text.contains(&sq(want)),
                "{number}: missing {want:?} in\n{text}"
            );
        }
        assert!(!text.contains(&sq(not)), "{number}: {not:?} in\n{text}");
        assert!(
            !text.contains("本中心"),
            "{number}: the centre speaks in\n{text}"
        );
        if number == entrusted {
            assert!(text.contains(&sq(&letter.number)), "{text}");
        }
    }
}

/// Issue 16 point 5 (and issue 15's approver): a decision made here prints as a written decision
/// (行政许可法 Art. 38) titled by its result and the item's type, in the acting body's name; a
/// grant carries the amount and the approver's opinion, a refusal its reasons and the appeal
/// route; not printable before the decision. Read back with pdftotext.
#[test]
fn a_decision_prints_as_a_written_decision_with_its_opinion_amount_and_appeal_route() {
    let mut s = demo();
    let grant = intake(&mut s, "MZ-001", "李玥", None);
    let refuse = intake(&mut s, "LY-101", "张赟", None);
    let early = request_form(&mut s, &grant, FormKind::Decision, Paper::A4, at()).unwrap_err();
    assert!(
        matches!(early, Error::Invalid { field: "kind", .. }),
        "{early:?}"
    );
    assert!(
        early.to_string().contains("还没有本镇的审批决定"),
        "{early}"
    );
    step(
        &mut s,
        &grant,
        "DF0002",
        &Step::decide(
            true,
            "经入户核查，符合急难型临时救助条件，同意。",
            Some(120_000),
        ),
        NOW,
    )
    .unwrap();
    step(
        &mut s,
        &refuse,
        "DF0002",
        &Step::decide(
            false,
            "申请采伐的林木位于生态公益林内，不符合采伐条件",
            None,
        ),
        NOW,
    )
    .unwrap();
    let cases = [
        (
            grant.as_str(),
            vec![
                "东风镇人民政府",
                "准予行政给付决定书",
                "东风镇人民政府决定如下",
                "1,200.00元",
                "经入户核查，符合急难型临时救助条件，同意。",
                "审批人",
            ],
            "行政复议",
        ),
        (
            refuse.as_str(),
            vec![
                "市林业局",
                "不予行政许可决定书",
                "申请采伐的林木位于生态公益林内，不符合采伐条件",
                "六十日内依法向市人民政府申请行政复议",
                "六个月内依法向人民法院提起行政诉讼",
            ],
            "给付金额",
        ),
    ];
    for (number, wants, not) in cases {
        let shown = show(&mut s, number, day()).unwrap();
        assert!(shown.view.forms.contains(&FormKind::Decision), "{number}");
        let form = request_form(&mut s, number, FormKind::Decision, Paper::A4, at()).unwrap();
        assert_eq!(form.form_no, format!("JD-{number}"));
        let text = read_back(&form);
        for want in wants {
            assert!(
                text.contains(&sq(want)),
                "{number}: missing {want:?} in\n{text}"
            );
        }
        assert!(!text.contains(&sq(not)), "{number}: {not:?} in\n{text}");
        assert!(!text.contains("本中心"), "{text}");
    }
}

/// Issue 16 point 4: a consultation prints a 办事指引 without any ID number: the department,
/// its place, hours and phone from the catalogue, the materials; for a city-only item that the
/// township cannot take it in and that a written refusal is available on request (Art. 32),
/// for an item decided here where to bring the papers.
#[test]
fn a_consultation_prints_a_guide_with_the_department_its_office_and_the_materials() {
    let mut s = demo();
    let city = crate::request::consult(&mut s, "DF0013", "GA-201", None, NOW)
        .unwrap()
        .view;
    let own = crate::request::consult(&mut s, "DF0013", "MZ-001", Some("李玥"), NOW)
        .unwrap()
        .view;
    assert_eq!(city.forms, vec![FormKind::Guide]);
    let cases = [
        (
            city.number.as_str(),
            vec![
                "东风镇便民服务中心",
                "办事指引",
                "市公安局（户籍所在地派出所）",
                "户籍所在地派出所户籍窗口",
                "工作日上午8:30—12:00",
                "12345（政务服务便民热线）",
                "户口簿",
                "依法不属于东风镇人民政府的职权范围，本镇不能受理",
                "不是不予受理决定",
                "第三十二条",
                "接待人：谢喆赟（工号DF0013）",
            ],
            vec!["证件号码", "咨询人"],
        ),
        (
            own.number.as_str(),
            vec![
                "咨询人李玥",
                "镇便民服务中心民政窗口",
                "本镇可受理并办结",
                "临时救助申请书",
            ],
            vec!["第三十二条", "证件号码"],
        ),
    ];
    for (number, wants, nots) in cases {
        let form = request_form(&mut s, number, FormKind::Guide, Paper::A4, at()).unwrap();
        assert_eq!(form.form_no, format!("ZY-{number}"));
        let text = read_back(&form);
        for want in wants {
            assert!(
                text.contains(&sq(want)),
                "{number}: missing {want:?} in\n{text}"
            );
        }
        for not in nots {
            assert!(!text.contains(&sq(not)), "{number}: {not:?} in\n{text}");
        }
    }
    // A request taken in has no guide to print.
    let taken = intake(&mut s, "MZ-001", "张赟", None);
    let err = request_form(&mut s, &taken, FormKind::Guide, Paper::A4, at()).unwrap_err();
    assert!(
        matches!(err, Error::Invalid { field: "kind", .. }),
        "{err:?}"
    );
}

/// Issue 16 point 9: materials received to be examined get a 收件凭证 proving the day of
/// receipt, the examination deadline and that acceptance counts from receipt when it passes.
#[test]
fn materials_received_for_examination_get_a_collection_slip_with_the_deadline() {
    let mut s = demo();
    let input = NewRequest {
        staff: "DF0013".into(),
        item: "MZ-001".into(),
        name: "李玥".into(),
        id: Some(full_id()),
        examine_later: true,
        ..Default::default()
    };
    let v = new_request(&mut s, &input, NOW).unwrap().view;
    assert_eq!(v.forms, vec![FormKind::Collection]);
    let form = request_form(&mut s, &v.number, FormKind::Collection, Paper::A4, at()).unwrap();
    let text = read_back(&form);
    for want in [
        "收件凭证",
        "收件日期2026年11月28日",
        "审查期限2026年12月4日前审查",
        "东风镇人民政府已收到以上材料，将于2026年12月4日前审查",
        "自收件之日起即为受理",
        "第三十二条",
    ] {
        assert!(text.contains(&sq(want)), "missing {want:?} in\n{text}");
    }
    assert!(!text.contains(&sq("转报")), "{text}");
}

/// Issue 16 point 11: the receipt shows who acted for the applicant, the ID number masked, and
/// the 委托书 among what was received.
#[test]
fn a_receipt_shows_the_agent_masked() {
    let mut s = demo();
    let agent_id = with_check_char("52020319600101001");
    let input = NewRequest {
        staff: "DF0013".into(),
        item: "MZ-001".into(),
        name: "李玥".into(),
        id: Some(full_id()),
        agent_name: Some("王建国".into()),
        agent_id: Some(agent_id.clone()),
        agent_relation: Some("村委会代办员".into()),
        ..Default::default()
    };
    let number = new_request(&mut s, &input, NOW).unwrap().view.number;
    for paper in [Paper::A4, Paper::A5] {
        let form = request_form(&mut s, &number, FormKind::Receipt, paper, at()).unwrap();
        let text = read_back(&form);
        for want in [
            "代办人王建国（村委会代办员）".to_string(),
            format!("代办人证件5202**********{}", &agent_id[14..]),
        ] {
            assert!(
                text.contains(&sq(&want)),
                "{paper:?}: missing {want:?} in\n{text}"
            );
        }
        assert!(
            !text.contains(&agent_id),
            "{paper:?}: the full agent ID in\n{text}"
        );
        // A4 keeps to one page (its short rows paired, as A5's). An A5 receipt with an agent
        // and six materials still runs onto a second page: a known limit, in the closing note.
        if paper == Paper::A4 {
            assert_eq!(form.pages, 1);
        }
    }
}

/// Issue 16 point 10: the 告知承诺书 names the body, the conditions, the materials the pledge
/// stands for, the check's date, the liability for a false pledge and the applicant's pledge.
#[test]
fn a_pledge_form_prints_the_obligations_and_the_liability() {
    let mut s = demo();
    let input = NewRequest {
        staff: "DF0013".into(),
        item: "MZ-001".into(),
        name: "李玥".into(),
        id: Some(full_id()),
        materials: Some(vec!["1".into(), "2".into(), "3".into()]),
        pledge: Some(vec!["家庭收入及财产状况说明".into()]),
        ..Default::default()
    };
    let v = new_request(&mut s, &input, NOW).unwrap().view;
    let form = request_form(&mut s, &v.number, FormKind::Pledge, Paper::A4, at()).unwrap();
    assert_eq!(form.form_no, format!("CN-{}", v.number));
    let text = read_back(&form);
    for want in [
        "告知承诺书".to_string(),
        "东风镇人民政府对该事项实行告知承诺制".into(),
        "以承诺代替的材料：家庭收入及财产状况说明".into(),
        format!(
            "将于{}前对承诺内容进行核查",
            crate::forms::render::cn_date(v.pledge_due.unwrap())
        ),
        "依法撤销作出的决定".into(),
        "记入信用记录".into(),
        "愿意承担相应的法律责任".into(),
        "申请人签名".into(),
    ] {
        assert!(text.contains(&sq(&want)), "missing {want:?} in\n{text}");
    }
    assert!(!text.contains("本中心"), "{text}");
}

/// Issue 16 point 6: an empowered (赋权) item is decided in the township's own name, citing
/// the provincial decision; a refusal's appeal goes to the county-level government.
#[test]
fn an_empowered_decision_is_the_townships_own_and_cites_the_grant() {
    let mut s = demo();
    s.write(|c| {
        let town = crate::town::resolve_town(c, Some("东风镇"))?;
        let mut item = c.item(town.id, "LY-101")?.unwrap();
        item.grant = Some(crate::catalog::Grant {
            number: "黔府发〔2021〕12号".into(),
            on: NaiveDate::from_ymd_opt(2021, 8, 30).unwrap(),
        });
        let id = c.upsert_item(&item)?;
        c.set_mode(town.id, id, crate::catalog::Mode::Empowered)
    })
    .unwrap();
    let number = intake(&mut s, "LY-101", "张赟", None);
    let refusal = Step::decide(false, "采伐地块位于生态公益林内", None);
    step(&mut s, &number, "DF0002", &refusal, NOW).unwrap();
    let form = request_form(&mut s, &number, FormKind::Decision, Paper::A4, at()).unwrap();
    let text = read_back(&form);
    for want in [
        "东风镇人民政府（依据黔府发〔2021〕12号（2021年8月30日）赋权）决定如下",
        "不予行政许可决定书",
        "六十日内依法向贵阳市乌当区人民政府申请行政复议",
    ] {
        assert!(text.contains(&sq(want)), "missing {want:?} in\n{text}");
    }
    assert!(!text.contains("市林业局（委托"), "{text}");
}

/// Issue 16 points 7 and 8: the applicant is told in writing. The 延期告知书 gives the reason,
/// the days, the new due date, Art. 42 for a licence and who approved, in the acting body's name
/// (an entrusted licence: 市林业局, approved by the entrusted 镇人民政府's 负责人); the 特别程序告知书
/// names the procedure, the day the clock stopped, the expected time and Art. 45. Neither prints
/// before its step.
#[test]
fn extension_and_suspension_notices_say_what_the_law_requires_in_the_acting_bodys_name() {
    let mut s = demo();
    let licence = intake(&mut s, "LY-101", "张赟", None);
    let grant = intake(&mut s, "MZ-001", "李玥", None);
    for (number, kind) in [
        (&licence, FormKind::Extension),
        (&grant, FormKind::Suspension),
    ] {
        let early = request_form(&mut s, number, kind, Paper::A4, at()).unwrap_err();
        assert!(
            matches!(early, Error::Invalid { field: "kind", .. }),
            "{early:?}"
        );
    }
    let extend = Step::Extend {
        days: 5,
        reason: "需实地核查林权界址".into(),
    };
    step(&mut s, &licence, "DF0004", &extend, NOW).unwrap();
    let suspend = Step::Suspend {
        reason: "需委托第三方鉴定伤残等级".into(),
        days: Some(8),
    };
    step(&mut s, &grant, "DF0002", &suspend, NOW).unwrap();
    let due = show(&mut s, &licence, day()).unwrap().view.due.unwrap();
    let cases = [
        (
            licence.as_str(),
            FormKind::Extension,
            "YQ",
            vec![
                "市林业局".to_string(),
                "延期告知书".into(),
                "延期理由：需实地核查林权界址".into(),
                "根据《中华人民共和国行政许可法》第四十二条，经受委托的东风镇人民政府负责人批准，办理期限延长5个工作日".into(),
                format!("办结期限延至{}", crate::forms::render::cn_date(due)),
                "批准人：宋丹（工号DF0004）".into(),
            ],
        ),
        (
            grant.as_str(),
            FormKind::Suspension,
            "TB",
            vec![
                "东风镇人民政府".to_string(),
                "特别程序告知书".into(),
                "需要的程序：需委托第三方鉴定伤残等级".into(),
                "暂停计时之日：2026年11月28日".into(),
                "预计8个工作日".into(),
                "《中华人民共和国行政许可法》第四十五条，上述程序所需时间不计算在办理期限内".into(),
                "经办人：罗玉兰（工号DF0002）".into(),
            ],
        ),
    ];
    for (number, kind, prefix, wants) in cases {
        let form = request_form(&mut s, number, kind, Paper::A4, at()).unwrap();
        assert_eq!(form.form_no, format!("{prefix}-{number}"));
        let text = read_back(&form);
        for want in wants {
            assert!(
                text.contains(&sq(&want)),
                "{number}: missing {want:?} in\n{text}"
            );
        }
        assert!(
            !text.contains("本中心") && !text.contains("便民服务中心"),
            "{text}"
        );
    }
}

/// Issue 16 point 3: accept-and-forward is not acceptance. A request taken in to be forwarded
/// prints a 收件凭证 (received for the department; the clock starts when the department
/// accepts), never a 受理回执 with a 受理日期, before and after it is forwarded; an item the
/// township decides keeps its receipt.
#[test]
fn a_request_taken_in_to_be_forwarded_gets_a_collection_slip_not_a_receipt() {
    let mut s = demo();
    let sent = intake(&mut s, "RS-101", "赵喆", None);
    let own = intake(&mut s, "MZ-006", "王喆赟", None);
    assert_eq!(
        show(&mut s, &own, day()).unwrap().view.forms,
        vec![FormKind::Receipt]
    );
    for forwarded in [false, true] {
        if forwarded {
            forward(&mut s, &sent);
        }
        assert_eq!(
            show(&mut s, &sent, day()).unwrap().view.forms,
            vec![FormKind::Collection]
        );
        let err = request_form(&mut s, &sent, FormKind::Receipt, Paper::A4, at()).unwrap_err();
        assert!(
            err.to_string().contains("收件转报") && err.to_string().contains("collection"),
            "{err}"
        );
        let form = request_form(&mut s, &sent, FormKind::Collection, Paper::A4, at()).unwrap();
        assert_eq!(form.form_no, format!("SJ-{sent}"));
        let text = read_back(&form);
        for want in [
            "收件凭证",
            "收件日期",
            "自市人力资源和社会保障局受理之日起计算",
            "东风镇人民政府已代市人力资源和社会保障局收取以上材料",
            "不是受理通知书",
            "收件人",
        ] {
            assert!(text.contains(&sq(want)), "missing {want:?} in\n{text}");
        }
        for not in ["受理日期", "承诺办结", "受理回执", "本回执"] {
            assert!(!text.contains(&sq(not)), "{not:?} in\n{text}");
        }
    }
    // Once the department's acceptance is recorded, the slip says when and the due date.
    step(&mut s, &sent, "DF0013", &Step::DeptAccept { on: None }, NOW).unwrap();
    let due = show(&mut s, &sent, day())
        .unwrap()
        .view
        .department_due
        .unwrap();
    let form = request_form(&mut s, &sent, FormKind::Collection, Paper::A4, at()).unwrap();
    let text = read_back(&form);
    let want = format!(
        "市人力资源和社会保障局已于2026年11月28日受理，{}前办结",
        crate::forms::render::cn_date(due)
    );
    assert!(text.contains(&sq(&want)), "missing {want:?} in\n{text}");
}

#[test]
fn handover_lists_the_forwarded_requests_with_signature_lines() {
    let mut s = demo();
    let form = four_forms(&mut s).remove(3);
    let (_d, path) = write_tmp(&form);
    let text = text_of(&path, None);
    for want in [
        "转报交接单",
        "市人力资源和社会保障局",
        "赵喆",
        "移交人（签字）",
        "接收人（签字）",
        "共 1 件",
    ] {
        assert!(text.contains(&sq(want)), "missing {want:?} in\n{text}");
    }
    // Only today's requests for that department, refused for anyone else.
    let err = handover_form(&mut s, None, "市公安局", day(), Paper::A4, at()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Invalid {
                field: "department",
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn a_form_that_does_not_fit_the_state_is_refused() {
    let mut s = demo();
    let accepted = intake(&mut s, "MZ-006", "王喆赟", None);
    let err = request_form(&mut s, &accepted, FormKind::Refusal, Paper::A4, at()).unwrap_err();
    let Error::Invalid { field, message } = err else {
        panic!()
    };
    assert_eq!(field, "kind");
    assert!(message.contains("受理回执"), "{message}");
    let err = request_form(
        &mut s,
        "DF-20261128-9999",
        FormKind::Receipt,
        Paper::A4,
        at(),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Invalid {
                field: "number",
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn a_name_the_font_cannot_draw_is_refused_and_nothing_is_recorded() {
    let mut s = demo();
    // U+30000 (CJK Extension G) is a valid name character but outside Noto Sans CJK.
    let font = form_font().unwrap();
    assert!(!font.has('\u{30000}'));
    let no = intake(&mut s, "MZ-006", "王\u{30000}", None);
    let err = request_form(&mut s, &no, FormKind::Receipt, Paper::A4, at()).unwrap_err();
    let Error::Invalid { field, message } = err else {
        panic!()
    };
    assert_eq!(field, "applicant_name");
    assert!(message.contains("U+30000"), "{message}");
    assert!(issues_of(&mut s, &format!("HZ-{no}")).unwrap().is_empty());
}

#[test]
fn every_issue_is_recorded_and_a_reprint_says_so() {
    let mut s = demo();
    let no = intake(&mut s, "MZ-006", "王喆赟", None);
    let first = request_form(&mut s, &no, FormKind::Receipt, Paper::A4, at()).unwrap();
    assert_eq!(first.copy, 1);
    assert_eq!(
        record_issue(&mut s, &first, Some("DF0013"), "printer:前台", NOW).unwrap(),
        1
    );
    let second = request_form(&mut s, &no, FormKind::Receipt, Paper::A4, at()).unwrap();
    assert_eq!(second.copy, 2);
    let (_d, path) = write_tmp(&second);
    assert!(text_of(&path, None).contains("补打，第2份"));
    assert_eq!(
        record_issue(&mut s, &second, Some("DF0014"), "file", NOW).unwrap(),
        2
    );
    let log = issues_of(&mut s, &first.form_no).unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[1].staff_no.as_deref(), Some("DF0014"));
    assert_eq!(log[1].route, "file");
    // An unknown clerk is refused and nothing is written.
    let err = record_issue(&mut s, &second, Some("XX9999"), "file", NOW).unwrap_err();
    assert!(
        matches!(err, Error::Invalid { field: "staff", .. }),
        "{err:?}"
    );
    assert_eq!(issues_of(&mut s, &first.form_no).unwrap().len(), 2);
    let audit = s.dump_table_for_tests("audit_log");
    assert!(
        audit.contains("reprint") && audit.contains(&first.form_no),
        "{audit}"
    );
}

/// Facts for a request whose item has a very long name and many materials.
fn long_facts(paper: Paper) -> (RequestFacts, Issue) {
    let mut s = demo();
    let no = intake(&mut s, "MZ-006", "欧阳玥喆", None);
    let detail = show(&mut s, &no, day()).unwrap();
    let town_id = s.read(|q| Ok(q.towns()?[1].id)).unwrap();
    let mut item = s.read(|q| q.item(town_id, "MZ-006")).unwrap().unwrap();
    item.name = "困难残疾人生活补贴和重度残疾人护理补贴申请（含首次申请、变更、续发及因户籍迁移产生的跨区域转移接续）".into();
    let mut detail = detail;
    detail.view.item_name = item.name.clone();
    detail.materials = (1..=40)
        .map(|i| crate::request::RequestMaterialView {
            seq: i,
            name: format!("第{i}项材料：申请人及共同生活家庭成员在2025年9:00前开具的收入证明材料DF-20261128-{i:04}（原件须加盖单位公章）"),
            form: crate::catalog::MaterialForm::Original,
            copies: 1,
            mandatory: true,
            received: true,
        })
        .collect();
    let item_for_speaker = item.clone();
    let facts = RequestFacts {
        hall: "东风镇便民服务中心".into(),
        town: "东风镇".into(),
        form_no: format!("HZ-{no}"),
        detail,
        item,
        clerk_no: "DF0013".into(),
        refusal_basis: None,
        decided: None,
        speaker: crate::domain::speaker::speaker("东风镇", "", &item_for_speaker, &[], day()),
        qr: crate::forms::receipt_code(&"0".repeat(64), &no),
    };
    let _ = paper;
    (
        facts,
        Issue {
            on: day(),
            at: at(),
            copy: 1,
        },
    )
}

#[test]
fn many_materials_continue_on_later_pages_with_the_header_repeated() {
    for paper in [Paper::A4, Paper::A5] {
        let (facts, issue) = long_facts(paper);
        let (bytes, pages) = render::request(FormKind::Receipt, &facts, &issue, paper).unwrap();
        assert!(pages >= 2, "{paper:?}: {pages} pages");
        let form = Form {
            kind: FormKind::Receipt,
            kind_label: "受理回执",
            form_no: facts.form_no.clone(),
            town_id: crate::ids::TownId(1),
            request_number: None,
            department: None,
            copy: 1,
            pages,
            bytes,
        };
        let (_d, path) = write_tmp(&form);
        for page in 1..=pages {
            let text = text_of(&path, Some(page));
            assert!(text.contains(&format!("第{page}页共{pages}页")), "{text}");
            if page > 1 {
                assert!(text.contains("（续）"), "page {page}: {text}");
            }
        }
        let all = text_of(&path, None);
        // Every material once, each with its number whole on one line: never "DF-2026" | "1128".
        for i in 1..=40 {
            let code = format!("DF-20261128-{i:04}");
            assert!(
                all.contains(&code),
                "{paper:?}: {code} split or lost\n{all}"
            );
        }
        assert!(all.contains("9:00"), "{all}");
        // The table header repeats on every page that continues the table.
        let headers = (1..=pages)
            .filter(|&p| text_of(&path, Some(p)).contains("材料名称"))
            .count();
        assert!(
            headers >= 2,
            "{paper:?}: header on {headers} of {pages} pages"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Reference images

const REFERENCE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/forms");

/// Renders page 1 of a PDF in grey at 40 dpi and returns (width, height, pixels).
fn raster(pdf: &Path) -> (usize, usize, Vec<u8>) {
    let dir = pdf.parent().unwrap();
    let stem = dir.join("page");
    tool(
        "pdftoppm",
        &[
            "-r",
            "40",
            "-gray",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            pdf.to_str().unwrap(),
            stem.to_str().unwrap(),
        ],
    );
    read_pgm(&std::fs::read(dir.join("page.pgm")).unwrap())
}

/// A binary PGM (P5, 8-bit) as pdftoppm writes it.
fn read_pgm(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..i]).to_string());
    }
    assert_eq!(fields[0], "P5");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let data = bytes[i + 1..].to_vec();
    assert_eq!(data.len(), w * h);
    (w, h, data)
}

fn write_pgm(path: &Path, w: usize, h: usize, px: &[u8]) {
    let mut out = format!("P5\n{w} {h}\n255\n").into_bytes();
    out.extend_from_slice(px);
    std::fs::write(path, out).unwrap();
}

/// Where the reference pages are: `tests/reference/forms/`, or `BIANMIN_REFERENCE_DIR` (only
/// [`blessing_never_writes_the_deliberately_wrong_pages`] sets it, for the copy its child run uses).
fn reference_dir() -> PathBuf {
    std::env::var_os("BIANMIN_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(REFERENCE_DIR))
}

fn blessing() -> bool {
    std::env::var_os("BIANMIN_BLESS").is_some()
}

/// Writes page 1 of `form` as the reference `name`. Only [`bless_or_compare`] calls it, and only
/// the test of today's forms calls that: a page made wrong on purpose never reaches this. The
/// file is written beside and renamed into place, so a test comparing at the same time reads the
/// old reference or the new one, never half of one.
fn bless(name: &str, form: &Form) {
    let (_d, path) = write_tmp(form);
    let (w, h, px) = raster(&path);
    let dir = reference_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let partial = dir.join(format!(".{name}.pgm.partial"));
    write_pgm(&partial, w, h, &px);
    std::fs::rename(&partial, dir.join(format!("{name}.pgm"))).unwrap();
}

/// Blesses (`BIANMIN_BLESS=1`) or compares: for today's forms only. Review a blessed reference
/// before committing it (`pdftoppm -png` of the same form is easier to look at): blessing makes
/// whatever the code draws today the page every later run is held to.
fn bless_or_compare(name: &str, form: &Form) {
    if blessing() {
        bless(name, form);
    } else if let Some(change) = change_from_reference(name, form) {
        panic!(
            "{change}\n(The reference pages are a change detector, not an oracle: they were drawn \
             by this code and reviewed by eye. If the change is wanted, bless with \
             BIANMIN_BLESS=1, then review the new reference before committing it.)"
        );
    }
}

/// How page 1 of `form` differs from the reference `name` beyond tolerance, or `None` when it
/// does not. Never writes, blessing or not: the negative tests call this with pages that are wrong
/// on purpose. A missing reference is a failure of its own, not a difference.
///
/// The references are a change detector, not an oracle: they were drawn by the same code and
/// reviewed by eye once, so a match says the page has not changed since then, not that it is
/// right. What is right is asserted elsewhere, with readers that are not this code: the text by
/// `pdftotext`, the codes by `zbarimg`.
fn change_from_reference(name: &str, form: &Form) -> Option<String> {
    let (_d, path) = write_tmp(form);
    let (w, h, px) = raster(&path);
    let reference = reference_dir().join(format!("{name}.pgm"));
    let (rw, rh, rpx) = read_pgm(&std::fs::read(&reference).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run the test with BIANMIN_BLESS=1 to create it",
            reference.display()
        )
    }));
    if (w, h) != (rw, rh) {
        return Some(format!(
            "{name}: page size changed since the reference {}: {w} × {h} px, was {rw} × {rh}",
            reference.display()
        ));
    }
    // Within tolerance: fewer than 0.5 % of pixels differ by more than a quarter of the range,
    // and no 12 × 12 pixel tile (about 7.6 mm) has more than 2 % of its pixels changed. The
    // second catches a changed figure in one table cell, which is far below 0.5 % of a page;
    // anti-aliasing differences between poppler builds spread thinly and pass both.
    let differs = |i: usize| px[i].abs_diff(rpx[i]) > 64;
    let differing = (0..px.len()).filter(|&i| differs(i)).count();
    let share = differing as f64 / px.len() as f64;
    if share >= 0.005 {
        return Some(format!(
            "{name}: changed since the reference: {:.2} % of pixels differ from {}",
            share * 100.0,
            reference.display()
        ));
    }
    const TILE: usize = 12;
    for ty in (0..h).step_by(TILE) {
        for tx in (0..w).step_by(TILE) {
            let cells: Vec<usize> = (ty..(ty + TILE).min(h))
                .flat_map(|y| (tx..(tx + TILE).min(w)).map(move |x| y * w + x))
                .collect();
            let changed = cells.iter().filter(|&&i| differs(i)).count();
            if changed * 50 > cells.len() {
                return Some(format!(
                    "{name}: changed since the reference: the area at {:.0} mm, {:.0} mm from the \
                     top left differs from {}",
                    tx as f64 * 25.4 / 40.0,
                    ty as f64 * 25.4 / 40.0,
                    reference.display()
                ));
            }
        }
    }
    None
}

/// The staffing page as it was before hall staff were counted: deliberately wrong, differing from
/// today's page only in a few table cells (under 0.5 % of the page).
fn staffing_without_hall_staff(s: &mut SqliteStore) -> Form {
    let mut form = staffing_form(s, Some("东风镇"), day(), at()).unwrap();
    // Hall staff 0 everywhere: what the report printed before hall posts existed.
    let mut report = crate::staffing::staffing_report(s, Some("东风镇"), day()).unwrap();
    for t in &mut report.towns {
        for u in &mut t.units {
            u.figures.field_staff += u.figures.hall_staff;
            u.figures.hall_staff = 0;
        }
    }
    let issue = Issue {
        on: day(),
        at: at(),
        copy: 1,
    };
    form.bytes = render::staffing(&report, &form.form_no, &issue).unwrap().0;
    form
}

/// A receipt for another applicant: deliberately not the receipt of the reference.
fn receipt_of_another_applicant(s: &mut SqliteStore) -> Form {
    let no = intake(s, "MZ-004", "欧阳娜娜", None);
    request_form(s, &no, FormKind::Receipt, Paper::A4, at()).unwrap()
}

/// Negative test: the tile check must catch a few changed table cells. Runs when blessing too,
/// against the references as they are: the wrong page is only compared, never written.
#[test]
fn the_change_detector_catches_a_changed_table_cell() {
    let mut s = demo();
    let wrong = staffing_without_hall_staff(&mut s);
    assert!(
        change_from_reference("staffing", &wrong).is_some(),
        "a changed cell matched the staffing reference"
    );
}

/// Negative test: a receipt with another applicant must not pass as the receipt's reference.
#[test]
fn the_change_detector_catches_a_changed_form() {
    let mut s = demo();
    let other = receipt_of_another_applicant(&mut s);
    assert!(
        change_from_reference("receipt", &other).is_some(),
        "a different receipt matched the receipt reference"
    );
}

/// A change detector, not an oracle: today's pages against the reviewed references. A pass means
/// nothing drawn has moved since the references were blessed and looked at; whether the page is
/// right is for the tests that read it back (pdftotext, zbarimg). `BIANMIN_BLESS=1` rewrites the
/// references from today's pages; this is the only test that does.
#[test]
fn rendered_pages_are_unchanged_since_the_reviewed_references() {
    let mut s = demo();
    let forms = four_forms(&mut s);
    for (name, form) in ["receipt", "notice", "refusal-a5", "handover"]
        .iter()
        .zip(&forms)
    {
        bless_or_compare(name, form);
    }
    let staffing = staffing_form(&mut s, Some("东风镇"), day(), at()).unwrap();
    bless_or_compare("staffing", &staffing);
}

/// Blessing never writes a deliberately wrong page: the two negative tests run in a child process
/// of this test binary with `BIANMIN_BLESS=1`, against a copy of the references, and must pass
/// (still see the change) and leave every byte of the copy as it was. As a control, the same
/// child run of the blessing test writes a reference into an empty directory: the variable does
/// reach the child, so the unchanged copy is not for want of blessing being on.
#[test]
fn blessing_never_writes_the_deliberately_wrong_pages() {
    let child = |dir: &Path, tests: &[&str]| {
        let out = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "--test-threads=1", "--quiet"])
            .args(tests.iter().map(|t| format!("forms::tests::{t}")))
            .env("BIANMIN_BLESS", "1")
            .env("BIANMIN_REFERENCE_DIR", dir)
            .output()
            .unwrap();
        let report = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{tests:?} blessing:\n{report}");
        // `--exact` with a misspelt name runs nothing and succeeds: count what ran.
        assert!(
            report.contains(&format!("{} passed", tests.len())),
            "{tests:?}:\n{report}"
        );
    };
    let files = |dir: &Path| -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let copy = tempfile::tempdir().unwrap();
    for (name, bytes) in files(Path::new(REFERENCE_DIR)) {
        std::fs::write(copy.path().join(name), bytes).unwrap();
    }
    let before = files(copy.path());
    assert!(
        before.iter().any(|(n, _)| n == "staffing.pgm")
            && before.iter().any(|(n, _)| n == "receipt.pgm"),
        "{:?}",
        before.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
    child(
        copy.path(),
        &[
            "the_change_detector_catches_a_changed_table_cell",
            "the_change_detector_catches_a_changed_form",
        ],
    );
    let after = files(copy.path());
    assert_eq!(
        before.iter().map(|(n, _)| n).collect::<Vec<_>>(),
        after.iter().map(|(n, _)| n).collect::<Vec<_>>(),
        "blessing the negative tests added or removed a reference"
    );
    for ((name, was), (_, is)) in before.iter().zip(&after) {
        assert!(was == is, "blessing the negative tests rewrote {name}");
    }
    // Control: the same child run does bless when the test is the one that may.
    let empty = tempfile::tempdir().unwrap();
    child(
        empty.path(),
        &["rendered_pages_are_unchanged_since_the_reviewed_references"],
    );
    let blessed: Vec<String> = files(empty.path()).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        blessed,
        [
            "handover.pgm",
            "notice.pgm",
            "receipt.pgm",
            "refusal-a5.pgm",
            "staffing.pgm"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// The codes and the masked ID, read by tools that are not this code

/// Page 1 of a PDF at 300 dpi in grey, about what a counter scanner sees of a print. PGM rather
/// than PNG: the same pixels, and compressing a PNG of an A4 page at 300 dpi takes pdftoppm six
/// times as long as drawing it.
fn page_300dpi(pdf: &Path) -> PathBuf {
    let stem = pdf.with_file_name("scan");
    tool(
        "pdftoppm",
        &[
            "-r",
            "300",
            "-gray",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            pdf.to_str().unwrap(),
            stem.to_str().unwrap(),
        ],
    );
    stem.with_extension("pgm")
}

/// What zbar reads from page 1 of a form, with only QR codes and Code128 on: (QR payloads,
/// Code128 payloads), one per symbol found, none when it finds none.
fn scanned(form: &Form) -> (Vec<String>, Vec<String>) {
    let (_d, path) = write_tmp(form);
    let image = page_300dpi(&path);
    let out = Command::new("zbarimg")
        .args([
            "-q",
            "--nodbus",
            "-Sdisable",
            "-Sqrcode.enable",
            "-Scode128.enable",
        ])
        .arg(&image)
        .output()
        .unwrap_or_else(|e| {
            panic!("zbarimg is needed (zbar-tools, installed by scripts/setup.sh): {e}")
        });
    // 0: found something; 4: found nothing.
    assert!(
        matches!(out.status.code(), Some(0 | 4)),
        "zbarimg {}: {:?} {}",
        image.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    // Without --raw each symbol is one line, its type first: `QR-Code:DF-…`, `CODE-128:DF-…`.
    let (mut qr, mut bars) = (Vec::new(), Vec::new());
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        match line.split_once(':') {
            Some(("QR-Code", data)) => qr.push(data.to_string()),
            Some(("CODE-128", data)) => bars.push(data.to_string()),
            _ => panic!("zbarimg read something else: {line:?}"),
        }
    }
    (qr, bars)
}

/// The numbers the demo's forms must carry, written out from the documented rules rather than
/// taken from the code: a request number is town code, date and the day's sequence
/// (`DF-20261128-0001`, README), the four intakes of [`four_forms`] being the first four of
/// 东风镇 that day; a hand-over list is `JJ-` town code, date and the department's initials
/// (市人力资源和社会保障局: shi ren li zi yuan he she hui bao zhang ju); a staffing report `BZ-`
/// town code and date. The request forms' codes carry the request number, not the form number
/// (`HZ-`, `GZ-`, `BY-` + the request number), which is printed beside them.
/// What the request forms' QR codes carry besides the number: its check value under
/// [`TEST_KEY`], computed outside this crate (Python's `hmac` with SHA-256, the first 40 bits in
/// Crockford's base 32).
const EXPECTED_CHECKS: [(&str, &str); 3] = [
    ("DF-20261128-0001", "M1J0DEP7"),
    ("DF-20261128-0002", "668SRN5E"),
    ("DF-20261128-0003", "1S04BKWS"),
];

const EXPECTED_CODES: [(&str, &str); 5] = [
    ("receipt", "DF-20261128-0001"),
    ("notice", "DF-20261128-0002"),
    ("refusal-a5", "DF-20261128-0003"),
    ("handover", "JJ-DF-20261128-SRLZYHSHBZJ"),
    ("staffing", "BZ-DF-20261128"),
];

/// The request forms' own numbers, written out (README: 回执 HZ-, 告知书 GZ-, 不予受理决定 BY-).
const EXPECTED_FORM_NOS: [&str; 3] = [
    "HZ-DF-20261128-0001",
    "GZ-DF-20261128-0002",
    "BY-DF-20261128-0003",
];

/// zbar, not this crate, reads each form's QR code and Code128 barcode, and both must say the
/// number the form is for, and nothing else (one QR code, one barcode per page).
#[test]
fn zbar_reads_the_number_from_the_qr_code_and_the_barcode_of_every_form() {
    let mut s = demo();
    let mut forms = four_forms(&mut s);
    forms.push(staffing_form(&mut s, Some("东风镇"), day(), at()).unwrap());
    // A page takes about 0.4 s of rasterising and scanning: the five side by side.
    let reads: Vec<(Vec<String>, Vec<String>)> = std::thread::scope(|scope| {
        let scans: Vec<_> = forms.iter().map(|f| scope.spawn(|| scanned(f))).collect();
        scans.into_iter().map(|t| t.join().unwrap()).collect()
    });
    for ((form, (qr, bars)), (name, want)) in forms.iter().zip(reads).zip(EXPECTED_CODES) {
        match &form.request_number {
            Some(no) => {
                assert_eq!(
                    no, want,
                    "{name}: the intake numbered the request otherwise"
                );
                assert!(
                    EXPECTED_FORM_NOS.contains(&form.form_no.as_str())
                        && form.form_no.ends_with(want),
                    "{name}: form number {}",
                    form.form_no
                );
            }
            None => assert_eq!(form.form_no, want, "{name}: form number"),
        }
        // A request's form carries the number and the hall's check value in its QR code.
        let qr_want = match EXPECTED_CHECKS.iter().find(|(no, _)| **no == *want) {
            Some((no, check)) => format!("{no}*{check}"),
            None => want.to_string(),
        };
        assert_eq!(qr, [qr_want], "{name}: the QR code as zbar reads it");
        assert_eq!(bars, [want], "{name}: the Code128 barcode as zbar reads it");
    }
}

/// The applicant's ID as the forms must show it, built here by hand from the ID: its first four
/// and last four characters with the ten between starred.
fn masked_by_hand(id: &str) -> String {
    assert_eq!(id.len(), 18, "{id}");
    format!("{}{}{}", &id[..4], "*".repeat(10), &id[14..])
}

/// pdftotext reads the whole masked ID on every form that names the applicant, in one piece and
/// with nothing of the ID beside it, and the full ID nowhere: not in the text, not across line
/// breaks, not in the document's metadata.
#[test]
fn pdftotext_reads_the_whole_masked_id_and_never_the_full_one() {
    let full = full_id();
    let masked = masked_by_hand(&full);
    assert!(masked.starts_with("5202**********"), "{masked}");
    let mut s = demo();
    for (form, (name, _)) in four_forms(&mut s).iter().zip(EXPECTED_CODES) {
        let (_d, path) = write_tmp(form);
        // As laid out, spaces kept: in [`text_of`] a table's columns run together (the hand-over
        // list's ID meets the date after it).
        let text = tool("pdftotext", &["-layout", path.to_str().unwrap(), "-"]);
        let at: Vec<usize> = text.match_indices(&masked).map(|(i, _)| i).collect();
        assert!(!at.is_empty(), "{name}: no {masked} in\n{text}");
        // In one piece: the characters either side are not part of an ID (digit, X or star).
        let id_char =
            |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || c == 'X' || c == '*');
        for i in at {
            let before = text[..i].chars().next_back();
            let after = text[i + masked.len()..].chars().next();
            assert!(
                !id_char(before) && !id_char(after),
                "{name}: {masked} runs into {before:?} / {after:?} in\n{text}"
            );
        }
        let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(
            !squeezed.contains(&full),
            "{name} shows the full ID:\n{text}"
        );
        let info = tool("pdfinfo", &[path.to_str().unwrap()]);
        assert!(!info.contains(&full), "{name}: the full ID in\n{info}");
    }
}

/// The one parser of which form to print, by table: what it takes and what it refuses, naming
/// the field.
#[test]
fn form_targets_parse_by_table() {
    fn check(kind: &str, number: Option<&str>, department: Option<&str>, expect: &str) {
        let got = match FormTarget::parse(kind, number, department) {
            Ok(FormTarget::Request { number, kind }) => format!("request {number} {}", kind.key()),
            Ok(FormTarget::Handover { department }) => format!("handover {department}"),
            Ok(FormTarget::Staffing) => "staffing".to_string(),
            Ok(FormTarget::Closing) => "closing".to_string(),
            Err(crate::Error::Invalid { field, .. }) => format!("invalid {field}"),
            Err(e) => format!("error {e}"),
        };
        assert_eq!(got, expect, "{kind} {number:?} {department:?}");
    }
    check(
        "receipt",
        Some(" DF-20261128-0001 "),
        None,
        "request DF-20261128-0001 receipt",
    );
    check(
        "notice",
        Some("DF-1"),
        Some("ignored"),
        "request DF-1 notice",
    );
    check("refusal", None, None, "invalid number");
    check("refusal", Some("  "), None, "invalid number");
    check("receipt", Some(&"9".repeat(41)), None, "invalid number");
    check(
        "handover",
        None,
        Some("市人力资源和社会保障局"),
        "handover 市人力资源和社会保障局",
    );
    check("handover", Some("DF-1"), Some("市民政局"), "invalid number");
    check("handover", None, Some(" "), "invalid department");
    check(
        "handover",
        None,
        Some(&"局".repeat(61)),
        "invalid department",
    );
    check("staffing", None, None, "staffing");
    check("closing", None, None, "closing");
    check("closing", Some("DF-20261128-0001"), None, "invalid number");
    check("poster", Some("DF-1"), None, "invalid kind");
}

/// The font is mapped and parsed once per process, however many forms of whatever kind print.
#[test]
fn the_font_is_parsed_once_per_process() {
    let mut s = demo();
    for _ in 0..2 {
        for form in four_forms(&mut s) {
            assert!(form.bytes.starts_with(b"%PDF"));
        }
    }
    assert_eq!(
        super::font::LOADS.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "the font was loaded more than once in this process"
    );
}

/// The PDF's creation and modification dates are the print time in China Standard Time, marked
/// `+08'00'`: a reader in another zone (pdfinfo under TZ=UTC) shows the same instant eight
/// hours earlier, not the Chinese clock time as if it were UTC.
#[test]
fn the_pdf_dates_carry_china_standard_time() {
    let mut s = demo();
    let form = four_forms(&mut s).remove(0);
    let (_d, path) = write_tmp(&form);
    let raw = String::from_utf8_lossy(&form.bytes).to_string();
    // at() is 2026-11-28 10:00 in Beijing.
    let stamp = at().format("D:%Y%m%d%H%M%S+08'00'").to_string();
    assert!(
        raw.contains(&format!("CreationDate({stamp})")),
        "no {stamp}"
    );
    assert!(raw.contains(&format!("ModDate({stamp})")));
    assert!(!raw.contains("+00'00'"), "a date left in UTC");
    let out = Command::new("pdfinfo")
        .arg(&path)
        .env("TZ", "UTC")
        .output()
        .unwrap();
    let info = String::from_utf8(out.stdout).unwrap();
    let utc = (at() - chrono::Duration::hours(8))
        .format("%H:%M:%S")
        .to_string();
    let created = info
        .lines()
        .find(|l| l.starts_with("CreationDate:"))
        .unwrap();
    assert!(created.contains(&utc), "{created} is not {utc} UTC");
}

/// An A5 receipt of an item with six materials keeps to one page, with every field, every
/// material and the signature lines on it.
#[test]
fn an_a5_receipt_of_six_materials_fits_one_page() {
    let mut s = demo();
    let number = intake(&mut s, "MZ-001", "欧阳玥明", None);
    let form = request_form(&mut s, &number, FormKind::Receipt, Paper::A5, at()).unwrap();
    assert_eq!(form.pages, 1);
    let (_d, path) = write_tmp(&form);
    let info = tool("pdfinfo", &[path.to_str().unwrap()]);
    assert!(info.contains("Pages:           1"), "{info}");
    let text = text_of(&path, None);
    for want in [
        "办件编号",
        "受理日期",
        "申请人",
        "证件号码",
        "收费标准",
        "申请事项",
        "承诺办结",
        "实施主体",
        "取件地点",
        "临时救助申请书",
        "代办人身份证及委托书",
        "非必需，未收",
        "受理人",
        "申请人签名",
    ] {
        assert!(text.contains(&sq(want)), "missing {want:?} in\n{text}");
    }
    assert!(
        !text.contains(&sq("查询办理进度")),
        "the receipt promises a lookup that does not exist"
    );
}

/// A receipt's code reads back to its number under the hall's key, and not under another key or
/// with an altered number or check value; text that is no receipt code is left to the search.
#[test]
fn a_scanned_receipt_code_checks_only_with_the_halls_key() {
    let code = crate::forms::receipt_code(TEST_KEY, "DF-20261128-0001");
    assert_eq!(code, "DF-20261128-0001*M1J0DEP7");
    let read = |key: &str, text: &str| crate::forms::read_receipt_code(key, "query", text);
    assert_eq!(
        read(TEST_KEY, &code).unwrap().as_deref(),
        Some("DF-20261128-0001")
    );
    // A scanner that sends the check value in lower case still reads.
    assert_eq!(
        read(TEST_KEY, " DF-20261128-0001*m1j0dep7 ")
            .unwrap()
            .as_deref(),
        Some("DF-20261128-0001")
    );
    let other_key = "f".repeat(64);
    for (key, text) in [
        (other_key.as_str(), code.as_str()),
        (TEST_KEY, "DF-20261128-0002*M1J0DEP7"),
        (TEST_KEY, "DF-20261128-0001*M1J0DEP8"),
    ] {
        let e = read(key, text).unwrap_err();
        assert!(
            matches!(e, Error::Invalid { field: "query", .. })
                && e.to_string().contains("校验码不符"),
            "{text}: {e:?}"
        );
    }
    for text in ["DF-20261128-0001", "王喆赟", "*", "DF-1*ABC"] {
        assert_eq!(read(TEST_KEY, text).unwrap(), None, "{text}");
    }
}

/// The counter's search takes a scanned receipt code: the request when it checks, a refusal
/// naming the search box when it does not.
#[test]
fn the_search_finds_a_request_by_its_scanned_receipt_code() {
    let mut s = demo();
    let no = intake(&mut s, "MZ-006", "王喆赟", None);
    let code = crate::forms::receipt_code(TEST_KEY, &no);
    let found = crate::request::search(&mut s, Some("东风镇"), &code, day()).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].number, no);
    let forged = format!("{no}*00000000");
    let e = crate::request::search(&mut s, Some("东风镇"), &forged, day()).unwrap_err();
    assert!(matches!(e, Error::Invalid { field: "query", .. }), "{e:?}");
}

/// Issue 17, point 4: the 日结单 prints the town's requests of the day by state and the audit
/// log's head as it verified at printing; the head it prints is one that `--expect` later holds
/// the log to, after the sheet's own record and more work.
#[test]
fn the_closing_sheet_carries_the_days_counts_and_the_audit_head() {
    let mut s = demo();
    intake(&mut s, "MZ-006", "王喆赟", None);
    intake(&mut s, "GA-201", "张赟", None);
    let c = intake(&mut s, "RS-101", "赵喆", None);
    forward(&mut s, &c);
    let form = closing_form(&mut s, Some("东风镇"), day(), at()).unwrap();
    assert!(
        form.form_no.starts_with("RJ-DF-20261128"),
        "{}",
        form.form_no
    );
    let v = s.verify_audit().unwrap();
    let head = v.head.clone().unwrap();
    let text = read_back(&form);
    for want in [
        "日结单".to_string(),
        "当日收件共3件".to_string(),
        format!("打印时共{}条记录", v.records),
        head[..8].to_string(),
        format!("--expect{}:{head}", v.records),
        "已受理".to_string(),
        "不予受理".to_string(),
        "已转报".to_string(),
    ] {
        assert!(sq(&text).contains(&sq(&want)), "{want} not in {text}");
    }
    record_issue(&mut s, &form, None, "file", at()).unwrap();
    intake(&mut s, "MZ-006", "钱七", None);
    let kept = crate::store::audit::Head {
        id: v.records as i64,
        hash: head,
    };
    assert!(s.verify_audit_against(Some(&kept)).unwrap().ok);
}

// ---- the 取号凭条 (issue 19) ----

/// A page's width and height in points, as `pdfinfo` reads them, and its page count.
fn page_size(path: &Path) -> ((f32, f32), usize) {
    let info = tool("pdfinfo", &[path.to_str().unwrap()]);
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or_else(|| panic!("no {name} in\n{info}"))
            .trim()
            .to_string()
    };
    let size = field("Page size:");
    let mut numbers = size
        .split_whitespace()
        .filter_map(|w| w.parse::<f32>().ok());
    let (w, h) = (numbers.next().unwrap(), numbers.next().unwrap());
    ((w, h), field("Pages:").parse().unwrap())
}

/// How far right and how far down (points) the words `pdftotext -bbox` finds on a page reach.
fn words_reach(path: &Path) -> (f32, f32) {
    let html = tool("pdftotext", &["-bbox", path.to_str().unwrap(), "-"]);
    let attr = |l: &str, name: &str| {
        let at = l.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        let rest = &l[at..];
        rest[..rest.find('"').unwrap()].parse::<f32>().unwrap()
    };
    html.lines()
        .filter(|l| l.trim_start().starts_with("<word"))
        .map(|l| (attr(l, "xMax"), attr(l, "yMax")))
        .fold((0.0, 0.0), |(x, y), (wx, wy)| (x.max(wx), y.max(wy)))
}

/// Issue 19: the slip a ticket prints through the forms engine, on 58 and 80 mm thermal paper:
/// one page of the paper's width (±1 pt) just tall enough for its content, everything printed
/// inside the width, and poppler reads back the hall, the number, the business, how many wait
/// ahead, when it was taken, the 过号 advice with `RETURN_MINUTES` and, for a priority ticket
/// only, the 绿色通道 with its kind.
#[test]
fn a_ticket_slip_prints_the_number_business_and_queue_on_one_page_of_thermal_paper() {
    let mut s = demo();
    let monday = |m: u32| {
        NaiveDate::from_ymd_opt(2026, 11, 30)
            .unwrap()
            .and_hms_opt(9, m, 0)
            .unwrap()
    };
    let take = |s: &mut SqliteStore, m: u32, priority: Option<&str>| {
        crate::front::take(s, Some("东风镇"), "民政窗口", priority, monday(m)).unwrap()
    };
    for m in 0..3 {
        take(&mut s, m, None);
    }
    let plain = take(&mut s, 5, None);
    let elder = take(&mut s, 7, Some("老年人"));
    assert_eq!((plain.view.ticket.as_str(), plain.waiting), ("B004", 3));
    assert_eq!((elder.view.ticket.as_str(), elder.waiting), ("B005", 0));
    let dir = tempfile::tempdir().unwrap();
    for (width, mm) in [(SlipWidth::Mm58, 58.0), (SlipWidth::Mm80, 80.0)] {
        for (taken, green) in [(&plain, None), (&elder, Some("老年人"))] {
            let bytes = ticket_slip(taken, width).unwrap();
            let path = dir.path().join(format!("{}-{mm}.pdf", taken.view.ticket));
            std::fs::write(&path, &bytes).unwrap();
            let ((w, h), pages) = page_size(&path);
            let want = mm / 25.4 * 72.0;
            assert_eq!(pages, 1, "{mm} mm");
            assert!((w - want).abs() <= 1.0, "{mm} mm paper is {w} pt wide");
            // Cut off the roll just below the last line: everything inside the width, and no
            // more than 8 mm of paper under the lowest word (the margin and a descender).
            let (right, low) = words_reach(&path);
            assert!(right <= w, "{mm} mm: text reaches {right} pt of {w}");
            let tail = (h - low) * 25.4 / 72.0;
            assert!(
                (0.0..8.0).contains(&tail),
                "{mm} mm: {tail} mm left under the text"
            );
            let text = text_of(&path, None).replace('\n', "");
            let minutes = crate::front::RETURN_MINUTES;
            for want in [
                "东风镇便民服务中心".to_string(),
                taken.view.ticket.clone(),
                "民政窗口".to_string(),
                format!("前面还有{}人等候", taken.waiting),
                format!("取号时间：{}", &taken.view.taken_at[..16]),
                format!("{minutes}分钟内可到窗口"),
            ] {
                assert!(text.contains(&sq(&want)), "{mm} mm: {want} not in {text}");
            }
            match green {
                Some(kind) => assert!(
                    text.contains("绿色通道") && text.contains(kind),
                    "{mm} mm: {text}"
                ),
                None => assert!(!text.contains("绿色通道"), "{mm} mm: {text}"),
            }
        }
    }
}

/// Issue 19: thermal paper is 58 or 80 mm; any other width, typed or given as a number, is
/// refused naming `width` in Chinese, and the default is 80.
#[test]
fn a_slip_width_other_than_58_or_80_is_refused_naming_the_width() {
    for (typed, want) in [
        ("58", Some(58)),
        (" 80 ", Some(80)),
        ("80mm", Some(80)),
        ("58 毫米", Some(58)),
        ("72", None),
        ("0", None),
        ("-58", None),
        ("580", None),
        ("八十", None),
        ("", None),
    ] {
        match (SlipWidth::parse(typed), want) {
            (Ok(w), Some(mm)) => assert_eq!(w.mm(), mm, "{typed:?}"),
            (Err(Error::Invalid { field, message }), None) => {
                assert_eq!(field, "width", "{typed:?}");
                assert!(
                    message.contains("58") && message.contains("80") && message.contains("纸宽"),
                    "{typed:?}: {message}"
                );
            }
            (got, _) => panic!("{typed:?}: {got:?}"),
        }
    }
    assert!(matches!(
        SlipWidth::from_mm(76),
        Err(Error::Invalid { field: "width", .. })
    ));
    assert_eq!(SlipWidth::default(), SlipWidth::Mm80);
    assert_eq!(SlipWidth::from_mm(58).unwrap(), SlipWidth::Mm58);
}

/// The demo's four weeks before 2026-11-30 (as `report.rs`'s tests build them) and 东风镇's
/// report of November.
fn demo_month() -> (SqliteStore, crate::report::Report) {
    let end = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let mut s = SqliteStore::open_in_memory().unwrap();
    crate::demo::load(&mut s, end).unwrap();
    crate::demo::recent::load(&mut s, end).unwrap();
    let ask = crate::report::ReportAsk::new(
        Some("东风镇".into()),
        NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        end,
        end,
    )
    .unwrap();
    let r = crate::report::report(&mut s, &ask).unwrap();
    (s, r)
}

/// Issue 20: the performance report on A4, read back with pdftotext, says the report's figures
/// in the report's words: the heading; every figure (received, accepted, completed = on time +
/// late, …); each rate with both its numbers; every overdue request with its reason; each
/// department's row with its score, and the score's rule under them; each post's figures with
/// its staffing beside; each clerk; 好差评. Numbered `JX-` town code and range, after its hall.
#[test]
fn the_performance_report_reads_back_with_the_reports_figures() {
    use crate::report::words;
    let (mut s, r) = demo_month();
    let c = r.counts;
    assert!(c.late > 0 && c.overdue_now > 0 && !r.by_department.is_empty());
    let form = report_form(&mut s, &r, at()).unwrap();
    assert_eq!(form.form_no, "JX-DF-20261101-20261130");
    assert_eq!(form.file_name(), "办件绩效报表-JX-DF-20261101-20261130.pdf");
    let (_d, path) = write_tmp(&form);
    let text = text_of(&path, None).replace('\n', "");
    let mut wants = vec![
        "东风镇便民服务中心".to_string(),
        "办件绩效报表".to_string(),
        words::heading(&r),
        words::summary(&r),
        format!("收件 {}，", c.received),
        format!("办结 {}（按时办结 {}，", c.completed, c.on_time),
        format!("超期办结 {}）", c.late),
        format!("评分方法：{}", crate::report::DEPARTMENT_SCORE),
        words::satisfaction_line(&r.satisfaction),
        "表单编号 JX-DF-20261101-20261130".to_string(),
    ];
    // The figures' table, three to a row: 收件 N 咨询 N 受理 N.
    for row in crate::report::Figure::ALL.chunks(3) {
        let cells: Vec<String> = row
            .iter()
            .map(|f| format!("{}{}", f.label(), c.get(*f)))
            .collect();
        wants.push(cells.concat());
    }
    for x in &r.rates {
        // 按时办结率 84.0%（1486/1768）, both numbers the figures'.
        assert_eq!(x.rate.numerator, c.get(x.numerator));
        assert_eq!(x.rate.denominator, c.get(x.denominator));
        wants.push(words::rate_line(x));
    }
    for o in &r.overdue {
        wants.push(o.number.clone());
        wants.push(words::reason(o).to_string());
    }
    for d in &r.by_department {
        wants.push(words::department_cells(d).concat());
    }
    for g in &r.by_post {
        let mut row = words::group_cells(g);
        row.extend(words::staffing_cells(words::staffing_of(&r, &g.key)));
        wants.push(row.concat());
    }
    for g in r.by_clerk.iter().chain(&r.by_week) {
        wants.push(words::group_cells(g).concat());
    }
    for want in &wants {
        assert!(text.contains(&sq(want)), "missing {want:?} in\n{text}");
    }
    // A4 portrait: 210 × 297 mm is 595 × 842 pt.
    let info = tool("pdfinfo", &[path.to_str().unwrap()]);
    assert!(info.contains("595.") && info.contains("841."), "{info}");
    assert_eq!(
        info.lines().find(|l| l.starts_with("Pages:")).map(|l| l
            .split_whitespace()
            .last()
            .unwrap()
            .to_string()),
        Some(form.pages.to_string())
    );
}

/// A long overdue list runs on over the next pages with its header repeated, every request
/// listed; a reason the font cannot draw is refused naming it, before anything is drawn.
#[test]
fn the_performance_reports_overdue_list_runs_on_over_pages_with_its_header() {
    let (mut s, mut r) = demo_month();
    let first_pages = report_form(&mut s, &r, at()).unwrap().pages;
    let template = r.overdue[0].clone();
    for i in 0..150 {
        let mut o = template.clone();
        o.number = format!("DF-20261102-{:04}", 9000 + i);
        o.reason = (i % 3 != 0).then(|| format!("第 {i} 件：部门尚未答复"));
        r.overdue.push(o);
    }
    r.counts.overdue_now = r.overdue.len() as u32;
    let form = report_form(&mut s, &r, at()).unwrap();
    assert!(form.pages >= first_pages + 2, "{} pages", form.pages);
    let (_d, path) = write_tmp(&form);
    let all = text_of(&path, None).replace('\n', "");
    for o in &r.overdue {
        assert!(all.contains(&o.number), "{} missing", o.number);
    }
    assert!(all.contains(&sq(&crate::report::words::overdue_heading(&r))));
    // The table continues on page 2 under its header and the running head.
    let second = text_of(&path, Some(2));
    assert!(
        r.overdue.iter().any(|o| second.contains(&o.number)),
        "{second}"
    );
    assert!(
        second.contains("（续）") && second.contains("办件编号") && second.contains("超期说明"),
        "{second}"
    );

    r.overdue[3].reason = Some("已告知\u{30000}".into());
    let err = report_form(&mut s, &r, at()).unwrap_err();
    let Error::Invalid { field, message } = err else {
        panic!()
    };
    assert_eq!(field, "reason");
    assert!(
        message.contains("U+30000") && message.contains(&r.overdue[3].number),
        "{message}"
    );
}
