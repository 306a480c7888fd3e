//! Printed forms: the resident's 受理回执, 一次性告知书 and 不予受理通知书, the department's
//! 转报交接单, the leaders' staffing report and performance report (办件绩效报表), as PDF with the
//! form font embedded as a subset; and the queue's 取号凭条 on thermal paper (`slip`).
//!
//! `render` holds the layouts (pure: facts in, bytes out); this module gathers the facts from the
//! store, checks that the request is in a state the form belongs to and that the font can draw
//! every character, and records each issue of a form (`record_issue`).

pub mod canvas;
pub mod font;
pub mod layout;
pub mod render;
pub mod slip;

use crate::ids::TownId;
use chrono::NaiveDate;
use serde::Serialize;

pub use canvas::Paper;
pub use font::{form_font, FormFont};
pub use slip::{ticket_slip, SlipWidth};

use crate::audit::{os_user, AuditEntry};
use crate::catalog::initials;
use crate::catalog::Item;
use crate::domain::speaker::{speaker, Speaker};
use crate::error::{Error, Result};
use crate::request::record::{PrintRecord, RequestQuery};
pub use crate::request::FormKind;
use crate::request::State;
use crate::request::{show, town_code, RequestDetail};
use crate::staffing::staffing_report;
use crate::store::Store;
use crate::town::resolve_town;

/// A rendered form, ready to save, preview or print.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Form {
    pub kind: FormKind,
    pub kind_label: &'static str,
    pub form_no: String,
    pub town_id: TownId,
    pub request_number: Option<String>,
    pub department: Option<String>,
    /// Which issue of this form number it is: 1, or 2 and up for a reprint.
    pub copy: u32,
    pub pages: usize,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

impl Form {
    /// A file name for saving: the form's label and number.
    pub fn file_name(&self) -> String {
        format!("{}-{}.pdf", self.kind_label, self.form_no)
    }
}

/// When and which copy a form is printed: what goes in its footer.
#[derive(Debug, Clone)]
pub struct Issue {
    pub on: NaiveDate,
    pub at: chrono::NaiveDateTime,
    pub copy: u32,
}

/// What the request forms print, gathered from the store.
#[derive(Debug, Clone)]
pub struct RequestFacts {
    pub hall: String,
    pub town: String,
    pub form_no: String,
    pub detail: RequestDetail,
    pub item: Item,
    pub clerk_no: String,
    /// The basis given when the request was refused.
    pub refusal_basis: Option<String>,
    /// In whose name the form speaks, and where to appeal (never the service centre).
    pub speaker: Speaker,
    /// Who took the township's decision (name, staff number) and on which day.
    pub decided: Option<(String, String, NaiveDate)>,
    /// What the QR code of a request's form holds: the number and its check value
    /// ([`receipt_code`]).
    pub qr: String,
}

/// The separator between a request number and its check value in a receipt's QR code.
pub const CHECK_SEPARATOR: char = '*';

/// Crockford's base-32 digits: no I, L, O or U to misread.
const CHECK_DIGITS: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The check value of a request number under the hall's key: HMAC-SHA256, its first 40 bits as
/// eight base-32 digits. Only a database holding the key makes it, so a receipt whose code
/// checks was printed by this hall for that number.
pub fn check_value(key_hex: &str, number: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key_hex.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(number.as_bytes());
    let tag = mac.finalize().into_bytes();
    let bits = tag[..5]
        .iter()
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    (0..8)
        .rev()
        .map(|i| CHECK_DIGITS[((bits >> (i * 5)) & 31) as usize] as char)
        .collect()
}

/// What a request's receipt carries in its QR code: `number*CHECK`.
pub fn receipt_code(key_hex: &str, number: &str) -> String {
    format!("{number}{CHECK_SEPARATOR}{}", check_value(key_hex, number))
}

/// A scanned receipt code (`number*CHECK`) read back: the number when its check value is this
/// hall's, `None` when the text is no receipt code at all, and a refusal naming `field` when the
/// check value does not match (not printed here, or the number was altered).
pub fn read_receipt_code(key_hex: &str, field: &'static str, text: &str) -> Result<Option<String>> {
    let Some((number, check)) = text.trim().split_once(CHECK_SEPARATOR) else {
        return Ok(None);
    };
    let (number, check) = (number.trim(), check.trim().to_ascii_uppercase());
    if number.is_empty() || check.len() != 8 {
        return Ok(None);
    }
    if check_value(key_hex, number) != check {
        return Err(Error::invalid(
            field,
            format!(
                "回执二维码的校验码不符：编号 {number} 的回执不是本中心打印的，或编号被改动过。请核对申请人手中的回执。"
            ),
        ));
    }
    Ok(Some(number.to_string()))
}

fn hall_name(town: &str) -> String {
    format!("{town}便民服务中心")
}

fn issue_of(
    q: &dyn crate::store::Queries,
    form_no: &str,
    at: chrono::NaiveDateTime,
) -> Result<Issue> {
    Ok(Issue {
        on: at.date(),
        at,
        copy: q.prints(form_no)?.len() as u32 + 1,
    })
}

/// Which form to print: a request's (by number), a department's hand-over list, or the
/// staffing report. The one parser of a form target, which the CLI's `form` and the app's
/// preview, print and save all build through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormTarget {
    Request {
        number: String,
        kind: FormKind,
    },
    Handover {
        department: String,
    },
    Staffing,
    /// The daily closing sheet of a town (日结单).
    Closing,
}

impl FormTarget {
    /// What a form needs besides [`Permission::Print`] (issue 17, point 8): the staffing report
    /// is the leaders' (`ViewStaffing`), a hand-over list the counter's (`Intake`), a request's
    /// form reading that request (`ReadRequests`).
    pub fn permission(&self) -> crate::accounts::Permission {
        use crate::accounts::Permission;
        match self {
            FormTarget::Request { .. } | FormTarget::Closing => Permission::ReadRequests,
            FormTarget::Handover { .. } => Permission::Intake,
            FormTarget::Staffing => Permission::ViewStaffing,
        }
    }
}

/// The longest request number and department name a form target accepts.
const NUMBER_MAX: usize = 40;
const DEPARTMENT_MAX: usize = 60;

impl FormTarget {
    /// Reads a form kind (`kind`) with the request number (`number`) or receiving department
    /// (`department`) it needs; blank values count as not given.
    pub fn parse(kind: &str, number: Option<&str>, department: Option<&str>) -> Result<FormTarget> {
        let kind = FormKind::parse("kind", kind)?;
        fn given(v: Option<&str>) -> Option<&str> {
            v.map(str::trim).filter(|v| !v.is_empty())
        }
        let (number, department) = (given(number), given(department));
        let limit = |field: &'static str, label: &str, text: &str, max: usize| {
            let n = text.chars().count();
            if n > max {
                return Err(Error::invalid(
                    field,
                    format!("{label}过长：{n} 个字符，最多 {max} 个"),
                ));
            }
            Ok(())
        };
        Ok(match kind {
            FormKind::Handover => {
                if number.is_some() {
                    return Err(Error::invalid(
                        "number",
                        "转报交接单按部门打印，不需要办件编号",
                    ));
                }
                let department = department
                    .ok_or_else(|| Error::invalid("department", "打印转报交接单需要接收部门"))?;
                limit("department", "接收部门", department, DEPARTMENT_MAX)?;
                FormTarget::Handover {
                    department: department.to_string(),
                }
            }
            FormKind::Staffing => FormTarget::Staffing,
            FormKind::Closing => {
                if number.is_some() || department.is_some() {
                    return Err(Error::invalid(
                        if number.is_some() {
                            "number"
                        } else {
                            "department"
                        },
                        "日结单按乡镇和日期打印，不需要办件编号或部门",
                    ));
                }
                FormTarget::Closing
            }
            kind => {
                let number =
                    number.ok_or_else(|| Error::invalid("number", "请给出要打印表单的办件编号"))?;
                limit("number", "办件编号", number, NUMBER_MAX)?;
                FormTarget::Request {
                    number: number.to_string(),
                    kind,
                }
            }
        })
    }

    pub fn kind(&self) -> FormKind {
        match self {
            FormTarget::Request { kind, .. } => *kind,
            FormTarget::Handover { .. } => FormKind::Handover,
            FormTarget::Staffing => FormKind::Staffing,
            FormTarget::Closing => FormKind::Closing,
        }
    }
}

/// The 受理回执, 一次性告知书 or 不予受理通知书 of a request.
pub fn request_form<S: Store>(
    store: &mut S,
    number: &str,
    kind: FormKind,
    paper: Paper,
    at: chrono::NaiveDateTime,
) -> Result<Form> {
    let number = number.trim();
    let detail = show(store, number, at.date())?;
    let state = detail.view.state;
    let fits = detail.view.forms.first().copied();
    if !matches!(
        kind,
        FormKind::Receipt
            | FormKind::Collection
            | FormKind::Notice
            | FormKind::Refusal
            | FormKind::Decision
            | FormKind::Extension
            | FormKind::Suspension
            | FormKind::Guide
            | FormKind::Pledge
    ) {
        return Err(Error::invalid(
            "kind",
            "办件只能打印 receipt、collection、notice、refusal、decision、extension、suspension、guide 或 pledge",
        ));
    }
    if !detail.view.forms.contains(&kind) {
        let hint = match fits {
            Some(k) => format!("，此办件应打印{}（{}）", k.label(), k.key()),
            None => "，此状态的办件没有可打印的表单".into(),
        };
        // Why not: the state, or (a receipt asked of a request taken in to be forwarded) the
        // way it was taken in, or (a 决定书) that the township has not decided it.
        let why = match (kind, fits) {
            (FormKind::Receipt, Some(FormKind::Collection)) => {
                "是收件转报的办件（代部门收件，不是受理）".to_string()
            }
            (FormKind::Decision, _) if state != State::Refused => {
                "还没有本镇的审批决定".to_string()
            }
            _ => format!("的状态是“{}”", state.label()),
        };
        return Err(Error::invalid(
            "kind",
            format!("办件 {number} {why}，不能打印{}{hint}", kind.label()),
        ));
    }
    let form_no = format!("{}-{number}", kind.prefix());
    let (facts, issue, town_id) = store.read(|q| {
        let row = q
            .request(number)?
            .ok_or_else(|| Error::invalid("number", format!("办件编号“{number}”不存在")))?;
        let item = q
            .item(row.town_id, &row.item_code)?
            .ok_or_else(|| Error::invalid("item", format!("事项编码“{}”不存在", row.item_code)))?;
        let events = q.request_events(row.id)?;
        let clerk_no = events
            .first()
            .map(|e| e.staff_no.clone())
            .unwrap_or_default();
        let refusal_basis = events
            .iter()
            .rev()
            .find(|e| !e.basis.is_empty())
            .map(|e| e.basis.clone());
        // Who took the step the form reports, and when: the last 审批决定 of the timeline (the
        // last 延期 for its notice, the last 暂停计时 for the 特别程序告知书).
        let reported = match kind {
            FormKind::Extension => crate::request::StepKind::Extend,
            FormKind::Suspension => crate::request::StepKind::Suspend,
            _ => crate::request::StepKind::Decide,
        };
        let decided = events
            .iter()
            .rev()
            .find(|e| e.step == reported.label())
            .map(|e| (e.staff_name.clone(), e.staff_no.clone(), e.at.date()));
        let town = detail.view.town.clone();
        let letters = q.letters(row.town_id)?;
        let superior = q
            .towns()?
            .into_iter()
            .find(|t| t.id == row.town_id)
            .map(|t| t.superior)
            .unwrap_or_default();
        let speaker = speaker(&town, &superior, &item, &letters, detail.view.created_on);
        let facts = RequestFacts {
            hall: hall_name(&town),
            speaker,
            town,
            form_no: form_no.clone(),
            detail: detail.clone(),
            item,
            clerk_no,
            refusal_basis,
            decided,
            qr: receipt_code(&q.hall_key()?, number),
        };
        Ok((facts, issue_of(q, &form_no, at)?, row.town_id))
    })?;
    check_request_glyphs(&facts)?;
    let (bytes, pages) = render::request(kind, &facts, &issue, paper)?;
    Ok(Form {
        kind,
        kind_label: kind.label(),
        form_no,
        town_id,
        request_number: Some(number.to_string()),
        department: None,
        copy: issue.copy,
        pages,
        bytes,
    })
}

fn check_request_glyphs(f: &RequestFacts) -> Result<()> {
    let font = form_font()?;
    let v = &f.detail.view;
    font.check(
        "applicant_name",
        "申请人姓名",
        v.applicant_name.as_deref().unwrap_or(""),
    )?;
    font.check("item", "事项名称", &f.item.name)?;
    font.check("department", "实施主体", &f.item.department)?;
    font.check("post", "办理窗口", &f.item.post)?;
    font.check("clerk", "经办人姓名", &v.clerk)?;
    font.check("reason", "不予受理理由", v.reason.as_deref().unwrap_or(""))?;
    font.check(
        "alternative",
        "办理去处",
        v.alternative.as_deref().unwrap_or(""),
    )?;
    font.check("basis", "依据", f.refusal_basis.as_deref().unwrap_or(""))?;
    font.check("opinion", "审批意见", v.opinion.as_deref().unwrap_or(""))?;
    for (field, label, text) in [
        ("extension_reason", "延期理由", &v.extension_reason),
        ("suspension_reason", "暂停计时理由", &v.suspension_reason),
    ] {
        font.check(field, label, text.as_deref().unwrap_or(""))?;
    }
    if let Some(a) = &v.agent {
        font.check("agent_name", "代办人姓名", &a.name)?;
        font.check("agent_relation", "代办人与申请人的关系", &a.relation)?;
    }
    for (field, label, text) in [
        ("place", "办理地点", &f.item.office.place),
        ("hours", "办理时间", &f.item.office.hours),
        ("phone", "咨询电话", &f.item.office.phone),
    ] {
        font.check(field, label, text)?;
    }
    for m in &f.item.materials {
        font.check("materials", "材料名称", &m.name)?;
    }
    Ok(())
}

/// One row of a 转报交接单.
#[derive(Debug, Clone)]
pub struct HandoverRow {
    pub number: String,
    pub item_name: String,
    pub applicant: String,
    pub id_masked: String,
    pub forwarded_on: Option<NaiveDate>,
    pub department_due: Option<NaiveDate>,
    pub materials: String,
}

/// What a 转报交接单 prints.
#[derive(Debug, Clone)]
pub struct HandoverFacts {
    pub hall: String,
    pub town: String,
    pub department: String,
    pub form_no: String,
    pub on: NaiveDate,
    pub rows: Vec<HandoverRow>,
}

/// The hand-over list of the requests forwarded to one department on `on`.
pub fn handover_form<S: Store>(
    store: &mut S,
    town: Option<&str>,
    department: &str,
    on: NaiveDate,
    paper: Paper,
    at: chrono::NaiveDateTime,
) -> Result<Form> {
    let department = department.trim();
    if department.is_empty() {
        return Err(Error::invalid("department", "请填写接收部门"));
    }
    if department.chars().count() > 60 {
        return Err(Error::invalid(
            "department",
            "接收部门名称过长（最多 60 个字）",
        ));
    }
    let (facts, issue, town_id) = store.read(|q| {
        // Without a town, the one town that forwarded to this department on that day.
        let candidates = match town {
            Some(_) => vec![resolve_town(q, town)?],
            None => q.towns()?,
        };
        let mut found = Vec::new();
        let mut departments = std::collections::BTreeSet::new();
        for t in candidates {
            let rows = q.requests(
                t.id,
                &RequestQuery::InStates(vec![State::Forwarded]),
                10_000,
            )?;
            let mut mine = Vec::new();
            for row in rows.into_iter().rev() {
                let Some(dept) = row.forwarded_to.as_deref() else {
                    continue;
                };
                departments.insert(dept.to_string());
                if dept == department && row.forwarded_on == Some(on) {
                    mine.push(row);
                }
            }
            if !mine.is_empty() {
                found.push((t, mine));
            }
        }
        if found.len() > 1 {
            let names: Vec<&str> = found.iter().map(|(t, _)| t.name.as_str()).collect();
            return Err(Error::invalid(
                "town",
                format!(
                    "{}都有转报到“{department}”的办件，请指定乡镇",
                    names.join("、")
                ),
            ));
        }
        let Some((t, rows)) = found.pop() else {
            let known = if departments.is_empty() {
                "目前没有转报中的办件".to_string()
            } else {
                format!(
                    "有转报中办件的部门：{}",
                    departments.into_iter().collect::<Vec<_>>().join("、")
                )
            };
            return Err(Error::invalid(
                "department",
                format!("{on} 没有转报到“{department}”的办件；{known}"),
            ));
        };
        let form_no = format!(
            "JJ-{}-{}-{}",
            town_code(&t.name),
            on.format("%Y%m%d"),
            initials(department).to_uppercase()
        );
        let mut out = Vec::new();
        for row in rows {
            let item = q.item(row.town_id, &row.item_code)?;
            let (item_name, count) = match &item {
                Some(i) => {
                    let received = i
                        .materials
                        .iter()
                        .filter(|m| row.received.contains(&m.seq))
                        .count();
                    (i.name.clone(), format!("{received} 件"))
                }
                None => (row.item_code.clone(), String::new()),
            };
            out.push(HandoverRow {
                number: row.number.clone(),
                item_name,
                applicant: row.applicant_name.clone().unwrap_or_default(),
                id_masked: row.id_masked().unwrap_or_default(),
                forwarded_on: row.forwarded_on,
                department_due: row.department_due,
                materials: count,
            });
        }
        let facts = HandoverFacts {
            hall: hall_name(&t.name),
            town: t.name.clone(),
            department: department.to_string(),
            form_no: form_no.clone(),
            on,
            rows: out,
        };
        Ok((facts, issue_of(q, &form_no, at)?, t.id))
    })?;
    let font = form_font()?;
    font.check("department", "接收部门", department)?;
    for r in &facts.rows {
        font.check("applicant_name", "申请人姓名", &r.applicant)?;
        font.check("item", "事项名称", &r.item_name)?;
    }
    let (bytes, pages) = render::handover(&facts, &issue, paper)?;
    Ok(Form {
        kind: FormKind::Handover,
        kind_label: FormKind::Handover.label(),
        form_no: facts.form_no,
        town_id,
        request_number: None,
        department: Some(department.to_string()),
        copy: issue.copy,
        pages,
        bytes,
    })
}

/// The staffing report of one town (or every town, a page each) on a date, A4 landscape.
pub fn staffing_form<S: Store>(
    store: &mut S,
    town: Option<&str>,
    on: NaiveDate,
    at: chrono::NaiveDateTime,
) -> Result<Form> {
    let report = staffing_report(store, town, on)?;
    let first = report.towns.first().ok_or_else(|| {
        Error::invalid(
            "town",
            "数据库中还没有乡镇，可先运行 bianmin init --demo 载入演示数据",
        )
    })?;
    let code = if report.towns.len() == 1 {
        town_code(&first.name)
    } else {
        "ALL".into()
    };
    let form_no = format!("BZ-{code}-{}", on.format("%Y%m%d"));
    let (issue, town_id) = store.read(|q| {
        let t = resolve_town(q, Some(&first.name))?;
        Ok((issue_of(q, &form_no, at)?, t.id))
    })?;
    let font = form_font()?;
    for t in &report.towns {
        for u in &t.units {
            font.check("unit", "单位名称", &u.name)?;
        }
    }
    let (bytes, pages) = render::staffing(&report, &form_no, &issue)?;
    Ok(Form {
        kind: FormKind::Staffing,
        kind_label: FormKind::Staffing.label(),
        form_no,
        town_id,
        request_number: None,
        department: None,
        copy: issue.copy,
        pages,
        bytes,
    })
}

/// The performance report (办件绩效报表, issue 20) of a town or of the county over a range, A4:
/// numbered `JX-` town code (`ALL` for the county), first and last day; its hall's name; every
/// figure, each rate with both its numbers, every overdue request, the departments with their
/// score's rule, the posts with their staffing, the clerks, the weeks, 好差评, in the words of
/// [`crate::report::words`]. Every character it prints is checked against the font first,
/// naming what holds one the font lacks. Not recorded in the print log: it is no form issued to
/// anyone, and its footer carries no copy number.
pub fn report_form<S: Store>(
    store: &mut S,
    report: &crate::report::Report,
    at: chrono::NaiveDateTime,
) -> Result<Form> {
    use crate::report::{words, COUNTY};
    let county = report.town == COUNTY;
    let town_id = store.read(|q| {
        if county {
            q.towns()?.first().map(|t| t.id).ok_or_else(|| {
                Error::invalid(
                    "town",
                    "数据库中还没有乡镇，可先运行 bianmin init --demo 载入演示数据",
                )
            })
        } else {
            Ok(resolve_town(q, Some(&report.town))?.id)
        }
    })?;
    let code = if county {
        "ALL".to_string()
    } else {
        town_code(&report.town)
    };
    let form_no = format!(
        "{}-{code}-{}-{}",
        FormKind::Report.prefix(),
        report.from.format("%Y%m%d"),
        report.to.format("%Y%m%d")
    );
    let font = form_font()?;
    font.check("report", "报表文字", &words::fixed_words(report))?;
    font.check("town", "乡镇名称", &report.town)?;
    for o in &report.overdue {
        let of = |what: &str| format!("超期办件 {} 的{what}", o.number);
        font.check("number", "办件编号", &o.number)?;
        font.check("item", &of("事项名称"), &o.item_name)?;
        font.check("post", &of("窗口"), &o.post)?;
        font.check("clerk", &of("经办人"), &o.clerk)?;
        font.check(
            "department",
            &of("转报部门"),
            o.department.as_deref().unwrap_or(""),
        )?;
        font.check("reason", &of("超期说明"), o.reason.as_deref().unwrap_or(""))?;
    }
    for d in &report.by_department {
        font.check("department", "转报部门", &d.department)?;
    }
    for (field, label, groups) in [
        ("post", "窗口", &report.by_post),
        ("clerk", "人员", &report.by_clerk),
        ("week", "周", &report.by_week),
        ("town", "乡镇", &report.by_town),
    ] {
        for g in groups {
            font.check(field, label, &g.name)?;
        }
    }
    for p in &report.post_staffing {
        font.check("post", "窗口", &words::short_line(report, p))?;
    }
    for (_, label, _) in &report.satisfaction.grades {
        font.check("grade", "评价", label)?;
    }
    let (bytes, pages) = render::report(report, &form_no, at)?;
    Ok(Form {
        kind: FormKind::Report,
        kind_label: FormKind::Report.label(),
        form_no,
        town_id,
        request_number: None,
        department: None,
        copy: 1,
        pages,
        bytes,
    })
}

/// The daily closing sheet (日结单) of a town: its requests taken in on `on` by the state each is
/// in now, and the audit log's head as it verifies at printing (records and the newest hash),
/// to be signed and filed away from the PC. `bianmin audit verify --expect RECORDS:HEAD` later
/// fails if the log no longer extends that head (issue 17, point 4).
pub fn closing_form<S: Store>(
    store: &mut S,
    town: Option<&str>,
    on: NaiveDate,
    at: chrono::NaiveDateTime,
) -> Result<Form> {
    let (facts, issue, town_id) = store.read(|q| {
        let t = resolve_town(q, town)?;
        let rows = q.requests(t.id, &RequestQuery::CreatedOn(on), 1_000_000)?;
        let by_state: Vec<(&'static str, usize)> = State::ALL
            .iter()
            .map(|s| (s.label(), rows.iter().filter(|r| r.state == *s).count()))
            .filter(|(_, n)| *n > 0)
            .collect();
        let form_no = format!("RJ-{}-{}", town_code(&t.name), on.format("%Y%m%d"));
        let audit = q.audit_verification()?;
        let hall = hall_name(&t.name);
        Ok((
            render::ClosingFacts {
                form_no: form_no.clone(),
                hall,
                on,
                by_state,
                total: rows.len(),
                audit,
            },
            issue_of(q, &form_no, at)?,
            t.id,
        ))
    })?;
    let (bytes, pages) = render::closing(&facts, &issue)?;
    Ok(Form {
        kind: FormKind::Closing,
        kind_label: FormKind::Closing.label(),
        form_no: facts.form_no,
        town_id,
        request_number: None,
        department: None,
        copy: issue.copy,
        pages,
        bytes,
    })
}

/// Records that `form` was issued (printed, or written to a file): who, when, where to, and
/// which copy. Returns the copy number. The staff number, when given, must exist.
pub fn record_issue<S: Store>(
    store: &mut S,
    form: &Form,
    staff_no: Option<&str>,
    route: &str,
    at: chrono::NaiveDateTime,
) -> Result<u32> {
    let at = crate::date::stamp(at);
    store.write(|c| {
        if let Some(no) = staff_no {
            if c.staff_profile(no)?.is_none() {
                return Err(Error::invalid("staff", format!("工号“{no}”不存在")));
            }
        }
        let copy = c.add_print(&PrintRecord {
            form_no: form.form_no.clone(),
            kind: form.kind.key().into(),
            town_id: form.town_id,
            request_number: form.request_number.clone(),
            department: form.department.clone(),
            staff_no: staff_no.map(str::to_string),
            os_user: os_user(),
            at: at.clone(),
            copy: 0,
            route: route.to_string(),
            pages: form.pages as u32,
            bytes: form.bytes.len() as i64,
        })?;
        c.add_audit(&AuditEntry {
            at: at.clone(),
            os_user: os_user(),
            staff_no: staff_no.map(str::to_string),
            action: if copy == 1 { "print" } else { "reprint" }.into(),
            request_number: form.request_number.clone(),
            item_code: None,
            allowed: true,
            basis: format!("{} {}", form.kind_label, form.form_no),
            detail: Some(format!("第 {copy} 份，{route}")),
        })?;
        Ok(copy)
    })
}

/// A form as a screen or a client asks for it: what, for which town and day, on which paper
/// (blank values count as not given: the account's own town, today, A4).
#[derive(Debug, Clone)]
pub struct FormAsk {
    pub target: FormTarget,
    pub town: Option<String>,
    pub on: NaiveDate,
    pub paper: Paper,
}

impl FormAsk {
    /// Reads the arguments every front end takes for a form; refusals name `kind`, `number`,
    /// `department`, `on` or `paper`.
    pub fn parse(
        kind: &str,
        number: Option<&str>,
        department: Option<&str>,
        town: Option<&str>,
        on: Option<&str>,
        paper: Option<&str>,
    ) -> Result<FormAsk> {
        fn given(v: Option<&str>) -> Option<&str> {
            v.map(str::trim).filter(|v| !v.is_empty())
        }
        Ok(FormAsk {
            target: FormTarget::parse(kind, number, department)?,
            town: given(town).map(str::to_string),
            on: match given(on) {
                Some(s) => crate::date::parse_date("on", s)?,
                None => crate::date::today()?,
            },
            paper: match given(paper) {
                Some(p) => Paper::parse("paper", p)?,
                None => Paper::A4,
            },
        })
    }

    /// The paper name CUPS knows, for `-o media=`: the staffing report and the day's closing
    /// are A4 whatever was asked.
    pub fn media(&self) -> &'static str {
        match (&self.target, self.paper) {
            (FormTarget::Staffing | FormTarget::Closing, _) => "A4",
            (_, Paper::A5) => "A5",
            _ => "A4",
        }
    }

    /// [`render_for`] of this form.
    pub fn render_for<S: Store>(
        &self,
        store: &mut S,
        account: &crate::accounts::Account,
        at: chrono::NaiveDateTime,
    ) -> Result<Form> {
        render_for(
            store,
            account,
            &self.target,
            self.town.as_deref(),
            self.on,
            self.paper,
            at,
        )
    }
}

/// The form `target` as `account` may have it, for the town it asked for (`town`, a town's
/// forms; `None`: the account's own): a request's form only of a request in a town the account
/// may read, a town's form (hand-over, staffing, closing) of its own town (the county role's:
/// any). Refusals are recorded. The app and the hall server render every form through this.
pub fn render_for<S: Store>(
    store: &mut S,
    account: &crate::accounts::Account,
    target: &FormTarget,
    town: Option<&str>,
    on: NaiveDate,
    paper: Paper,
    at: chrono::NaiveDateTime,
) -> Result<Form> {
    use crate::accounts::see_town;
    const WHAT: &str = "打印表单";
    let town = match target {
        FormTarget::Request { .. } => None,
        _ => see_town(store, account, town, WHAT, at)?,
    };
    let town = town.as_deref();
    let form = match target {
        FormTarget::Request { number, kind } => request_form(store, number, *kind, paper, at)?,
        FormTarget::Handover { department } => {
            handover_form(store, town, department, on, paper, at)?
        }
        FormTarget::Staffing => staffing_form(store, town, on, at)?,
        FormTarget::Closing => closing_form(store, town, on, at)?,
    };
    if let FormTarget::Request { .. } = target {
        let name = store
            .read(|q| q.towns())?
            .into_iter()
            .find(|t| t.id == form.town_id)
            .map(|t| t.name);
        see_town(store, account, name.as_deref(), WHAT, at)?;
    }
    Ok(form)
}

/// Every issue of a form, first copy first.
pub fn issues_of<S: Store>(store: &mut S, form_no: &str) -> Result<Vec<PrintRecord>> {
    store.read(|q| q.prints(form_no.trim()))
}

/// One issue of a form, with the name of who issued it.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct IssueEntry {
    #[serde(flatten)]
    pub record: PrintRecord,
    /// The name of the person who printed it, when the staff number is known.
    pub staff_name: Option<String>,
}

/// Every issue of a form, first copy first, with who printed it (the print log's screen).
pub fn issues_named<S: Store>(
    store: &mut S,
    form_no: &str,
    today: NaiveDate,
) -> Result<Vec<IssueEntry>> {
    let records = issues_of(store, form_no)?;
    let mut out = Vec::with_capacity(records.len());
    for record in records {
        let staff_name = match record.staff_no.as_deref() {
            Some(no) => crate::staff::find_staff(store, "staff", no, today)
                .ok()
                .map(|p| p.name),
            None => None,
        };
        out.push(IssueEntry { record, staff_name });
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
