//! The layouts of the forms: facts in, PDF bytes out. Nothing here reads the store.

use chrono::{Datelike, NaiveDate};
use printpdf::PaintMode;

use super::canvas::{Align, Canvas, Column, Paper, BLACK};
use super::font::form_font;
use super::{FormKind, HandoverFacts, Issue, RequestFacts};
use crate::catalog::TimeLimit;
use crate::error::Result;
use crate::staffing::{Figures, StaffingReport};

/// 2026年11月28日
pub fn cn_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn opt_date(d: Option<NaiveDate>) -> String {
    d.map(cn_date).unwrap_or_default()
}

/// Sizes that differ between A4 and A5.
struct Scale {
    body: f32,
    title: f32,
    small: f32,
    qr: f32,
}

fn scale(paper: Paper) -> Scale {
    match paper {
        Paper::A5 => Scale {
            body: 8.5,
            title: 15.0,
            small: 7.0,
            qr: 17.0,
        },
        _ => Scale {
            body: 10.5,
            title: 20.0,
            small: 8.5,
            qr: 22.0,
        },
    }
}

fn footer(form_no: &str, issue: &Issue) -> String {
    let copy = if issue.copy == 1 {
        "第 1 份".to_string()
    } else {
        format!("补打，第 {} 份", issue.copy)
    };
    format!(
        "表单编号 {form_no}　打印时间 {}　{copy}",
        issue.at.format("%Y-%m-%d %H:%M")
    )
}

/// The top of a form: hall name, title, form number, the code as QR and Code128.
fn head(
    c: &mut Canvas,
    hall: &str,
    title: &str,
    form_no: &str,
    (code, qr): (&str, &str),
    s: &Scale,
) -> Result<()> {
    let m = c.margin;
    let right = c.width - m;
    c.qr(right - s.qr, m, s.qr, qr)?;
    c.text(m, m + 3.5, s.small, &format!("编号：{form_no}"));
    let cx = c.width / 2.0;
    let bar_w = if c.paper == Paper::A5 {
        c.inner() * 0.28
    } else {
        (c.inner() * 0.36).min(62.0)
    };
    // A long title (不予行政许可决定书) is set smaller to keep clear of the barcode and the QR code.
    let room = 2.0 * (cx - (m + bar_w)).min(right - s.qr - cx) - 4.0;
    let wide = c.text_width(title, s.title);
    let size = if wide > room {
        s.title * room / wide
    } else {
        s.title
    };
    c.text_center(cx, m + 10.0, s.body + 2.0, hall, false);
    c.text_center(cx, m + 10.0 + s.title * 0.55, size, title, true);
    let bar_y = m + s.qr - 8.0;
    c.code128(m, bar_y - 4.0, bar_w, 8.0, code)?;
    c.text(m, bar_y + 7.0, s.small, code);
    c.text_center(
        right - s.qr / 2.0,
        m + s.qr + 3.5,
        s.small - 1.0,
        code,
        false,
    );
    c.y = m + s.qr + 8.0;
    c.line(m, c.y, right, c.y, 1.2);
    c.y += 3.0;
    c.running_head = format!("{hall} {title} {form_no}");
    c.footer = String::new();
    Ok(())
}

/// Signature lines on the left and a seal circle on the right, kept together on one page.
fn sign_and_seal(c: &mut Canvas, lines: &[String], seal: &str, s: &Scale) {
    let seal_d = if c.paper == Paper::A5 { 22.0 } else { 34.0 };
    c.keep(seal_d + 6.0);
    c.y += 3.0;
    let top = c.y;
    let lh = Canvas::leading(s.body) * 1.4;
    for (i, l) in lines.iter().enumerate() {
        c.text(c.margin, top + (i as f32 + 1.0) * lh, s.body, l);
    }
    let cx = c.width - c.margin - seal_d / 2.0 - 4.0;
    let cy = top + seal_d / 2.0 + 2.0;
    c.stroke_grey(0.55);
    c.dashed(true);
    circle(c, cx, cy, seal_d / 2.0);
    c.dashed(false);
    c.stroke_grey(BLACK);
    c.fill_grey(0.55);
    c.text_center(cx, cy - 1.0, s.small, seal, false);
    c.text_center(cx, cy + 4.0, s.small, "（盖章）", false);
    c.fill_grey(BLACK);
    c.y = top + (lines.len() as f32 * lh).max(seal_d + 3.0);
}

/// The opening of a notice: whom it addresses, and what was decided about which request.
fn salutation(c: &mut Canvas, s: &Scale, f: &RequestFacts, outcome: &str) {
    let v = &f.detail.view;
    let name = v.applicant_name.as_deref().unwrap_or_default();
    let id = v.applicant_id_masked.as_deref().unwrap_or("（未登记）");
    c.y += 2.0;
    c.para(s.body, &format!("{name}（证件号码 {id}）："));
    c.para(
        s.body,
        &format!(
            "　　您于{}申请办理的“{}”（办件编号 {}），经审查，{outcome}",
            cn_date(v.created_on),
            v.item_name,
            v.number
        ),
    );
}

/// The opening of a notice about an accepted request: whom it addresses, that the acting body
/// accepted it on its day, then `what` follows.
fn accepted_then(c: &mut Canvas, s: &Scale, f: &RequestFacts, what: &str) {
    let v = &f.detail.view;
    salutation(
        c,
        s,
        f,
        &format!(
            "{}已于{}受理。{what}",
            f.speaker.named(),
            opt_date(v.accepted_on.or(Some(v.created_on)))
        ),
    );
}

/// The clerk's signature lines of a request form: (who, date, resident) labels and the date.
fn clerk_signs(
    c: &mut Canvas,
    s: &Scale,
    f: &RequestFacts,
    labels: (&str, &str, &str),
    day: NaiveDate,
) {
    let v = &f.detail.view;
    let (who, date, resident) = labels;
    let lines = [
        format!("{who}：{}（工号 {}）", v.clerk, f.clerk_no),
        format!("{date}：{}", cn_date(day)),
        format!("{resident}：{}", "＿".repeat(8)),
    ];
    sign_and_seal(c, &lines, &f.speaker.body, s);
}

/// Who took the step a notice reports (from the timeline; the clerk when none is recorded) and
/// when, with the applicant's receipt line, beside the acting body's seal.
fn step_signs(c: &mut Canvas, s: &Scale, f: &RequestFacts, who: &str, date: &str) {
    let v = &f.detail.view;
    let (name, no, day) = f
        .decided
        .clone()
        .unwrap_or_else(|| (v.clerk.clone(), f.clerk_no.clone(), v.created_on));
    let lines = [
        format!("{who}：{name}（工号 {no}）"),
        format!("{date}：{}", cn_date(day)),
        format!("申请人签收：{}", "＿".repeat(8)),
    ];
    sign_and_seal(c, &lines, &f.speaker.body, s);
}

fn circle(c: &mut Canvas, cx: f32, cy: f32, r: f32) {
    // Four Bézier quarters; k is the usual control-point distance.
    let k = 0.552_284_8 * r;
    let pts = [
        (cx + r, cy, false),
        (cx + r, cy + k, true),
        (cx + k, cy + r, true),
        (cx, cy + r, false),
        (cx - k, cy + r, true),
        (cx - r, cy + k, true),
        (cx - r, cy, false),
        (cx - r, cy - k, true),
        (cx - k, cy - r, true),
        (cx, cy - r, false),
        (cx + k, cy - r, true),
        (cx + r, cy - k, true),
        (cx + r, cy, false),
    ];
    c.curve(&pts, 0.8);
}

fn section(c: &mut Canvas, title: &str, s: &Scale) {
    c.keep(Canvas::leading(s.body) * 4.0);
    c.y += 2.0;
    c.labelled(title, s.body + 0.5, "");
    c.y += 0.5;
}

fn due_text(f: &RequestFacts) -> String {
    let v = &f.detail.view;
    match (f.item.promised, v.due) {
        (TimeLimit::OnTheSpot, _) => "当场办结".into(),
        (TimeLimit::WorkingDays(n), Some(due)) => {
            let mut t = format!(
                "{}前（承诺时限 {n} 个工作日，遇法定节假日顺延）",
                cn_date(due)
            );
            if !v.calendar_complete {
                t.push_str("；该年节假日安排尚未公布，日期以窗口通知为准");
            }
            t
        }
        (TimeLimit::WorkingDays(n), None) => format!("承诺时限 {n} 个工作日"),
    }
}

/// 受理回执, 一次性告知书 or 不予受理通知书.
pub fn request(
    kind: FormKind,
    f: &RequestFacts,
    issue: &Issue,
    paper: Paper,
) -> Result<(Vec<u8>, usize)> {
    let font = form_font()?;
    let s = scale(paper);
    let v = &f.detail.view;
    let title = match kind {
        FormKind::Decision => decision_title(&f.item.item_type, v.result == Some("approved")),
        _ => kind.label().to_string(),
    };
    let mut c = Canvas::new(font, &format!("{title} {}", v.number), paper);
    // A notice and a refusal are the acting body's documents; the receipt is the hall's slip.
    let heading = match kind {
        FormKind::Receipt | FormKind::Collection | FormKind::Guide => &f.hall,
        _ => &f.speaker.body,
    };
    head(&mut c, heading, &title, &f.form_no, (&v.number, &f.qr), &s)?;
    c.footer = footer(&f.form_no, issue);
    let name = v.applicant_name.clone().unwrap_or_default();
    let id = v
        .applicant_id_masked
        .clone()
        .unwrap_or_else(|| "（未登记）".into());
    let place = format!("{}{}", f.hall, f.item.post);
    let label_w = if paper == Paper::A5 { 24.0 } else { 30.0 };
    let kv = |rows: Vec<(&str, String)>| -> Vec<Vec<String>> {
        rows.into_iter()
            .map(|(k, v)| vec![k.to_string(), v])
            .collect()
    };
    let kv_cols = [
        Column {
            title: "项目",
            width: label_w,
            align: Align::Left,
        },
        Column {
            title: "内容",
            width: c.inner() - label_w,
            align: Align::Left,
        },
    ];
    match kind {
        FormKind::Receipt | FormKind::Collection => {
            // A 收件凭证 (issue 16, point 3): the township receives for the department, which
            // accepts; the statutory clock starts then, so no 受理日期 and no due date here.
            let collecting = kind == FormKind::Collection;
            // Received to be examined (第三十二条): the slip proves the day of receipt, from which
            // acceptance counts if no one examines the materials in time.
            let examining = v
                .examine_by
                .filter(|_| v.state == crate::request::State::Received);
            let department = &f.item.department;
            let (date_label, limit_label, limit) = if let Some(by) = examining {
                (
                    "收件日期",
                    "审查期限",
                    format!(
                        "{}前审查：材料齐全的予以受理，不齐全的一次性告知补正",
                        cn_date(by)
                    ),
                )
            } else if collecting {
                (
                    "收件日期",
                    "办理时限",
                    match (v.department_accepted_on, v.department_due) {
                        (Some(on), Some(due)) => format!(
                            "{department}已于{}受理，{}前办结（承诺时限：{}，自受理之日起计算）",
                            cn_date(on),
                            cn_date(due),
                            f.item.promised.display()
                        ),
                        _ => format!(
                            "自{department}受理之日起计算（承诺时限：{}）",
                            f.item.promised.display()
                        ),
                    },
                )
            } else {
                ("受理日期", "承诺办结", due_text(f))
            };
            let mut rows = kv(vec![
                ("办件编号", v.number.clone()),
                (
                    "申请事项",
                    format!("{}（事项编码 {}）", v.item_name, v.item),
                ),
                ("申请人", name.clone()),
                ("证件号码", id),
                (
                    "代办人",
                    v.agent
                        .as_ref()
                        .map(|a| format!("{}（{}）", a.name, a.relation))
                        .unwrap_or_default(),
                ),
                (
                    "代办人证件",
                    v.agent
                        .as_ref()
                        .map(|a| a.id_masked.clone())
                        .unwrap_or_default(),
                ),
                ("联系电话", v.phone_masked.clone().unwrap_or_default()),
                (date_label, opt_date(v.accepted_on.or(Some(v.created_on)))),
                (limit_label, limit),
                ("实施主体", f.item.department.clone()),
                ("取件地点", place.clone()),
                ("收费标准", f.item.fee.clone()),
            ]);
            // A row with nothing to say (no phone given) is left out.
            rows.retain(|r| !r[1].is_empty());
            // Both papers pair the short rows, two to a line, so that the receipt keeps to one
            // page: unpaired, an A4 receipt with a phone number and six materials (临时救助)
            // pushed its signatures and seal onto a second page.
            {
                let short = [
                    "办件编号",
                    date_label,
                    "申请人",
                    "证件号码",
                    "代办人",
                    "代办人证件",
                    "联系电话",
                    "收费标准",
                ];
                let (mut pairs, long): (Vec<_>, Vec<_>) = rows
                    .into_iter()
                    .partition(|r| short.contains(&r[0].as_str()));
                pairs.sort_by_key(|r| short.iter().position(|k| *k == r[0]));
                let half = (c.inner() - 2.0 * label_w) / 2.0;
                let col = |title, width| Column {
                    title,
                    width,
                    align: Align::Left,
                };
                let four = [
                    col("项目", label_w),
                    col("内容", half),
                    col("项目", label_w),
                    col("内容", half),
                ];
                let paired: Vec<Vec<String>> = pairs
                    .chunks(2)
                    .map(|p| {
                        let mut row = p[0].clone();
                        row.extend(p.get(1).cloned().unwrap_or_else(|| vec![String::new(); 2]));
                        row
                    })
                    .collect();
                c.table_rows(&four, &paired, s.body);
                c.table_rows(&kv_cols, &long, s.body);
            }
            section(&mut c, "收取材料", &s);
            let cols = material_columns(&c, paper);
            let rows = material_rows(f, |m| {
                if m.received {
                    "已收"
                } else if m.mandatory {
                    "未收"
                } else {
                    "非必需，未收"
                }
            });
            c.table(&cols, &rows, s.body);
            c.y += 2.0;
            if let Some(by) = examining {
                c.para(
                    s.body,
                    &format!(
                        "　　{}已收到以上材料，将于{}前审查。本凭证只证明收件，不是受理通知书；逾期未告知补正的，自收件之日起即为受理（《中华人民共和国行政许可法》第三十二条）。",
                        f.speaker.body,
                        cn_date(by)
                    ),
                );
            } else if collecting {
                c.para(
                    s.body,
                    &format!(
                        "　　{}已代{department}收取以上材料，将转报{department}。本凭证只证明收件，不是受理通知书：是否受理由{department}决定，办理时限自其受理之日起计算。",
                        f.speaker.body
                    ),
                );
            }
            let tips = format!(
                    "温馨提示：1. 请妥善保管本回执，凭本回执和本人身份证件到{place}取件；他人代领的，请携带代领人身份证件和委托书。\n2. 查询、取件请报办件编号 {}（即左上角条形码）；右上角二维码含编号和本中心的校验码，窗口扫码即可调出本件并核验回执，在大厅评价器上扫码可评价本次服务。\n3. 办结日期按工作日计算；如需补充材料，工作人员将电话告知。",
                    v.number
            );
            let tips = if collecting {
                tips.replace("本回执", "本凭证")
                    .replace("核验回执", "核验凭证")
            } else {
                tips
            };
            c.para(s.small + 0.5, &tips);
            let day = v.accepted_on.unwrap_or(v.created_on);
            let signs = if collecting {
                ("收件人", "收件日期", "申请人签名")
            } else {
                ("受理人", "受理日期", "申请人签名")
            };
            clerk_signs(&mut c, &s, f, signs, day);
        }
        FormKind::Notice => {
            salutation(
                &mut c,
                &s,
                f,
                &format!("申请材料尚不齐全。现将需要补正的全部材料一次性告知如下，请补齐后到{place}提交："),
            );
            c.y += 2.0;
            let cols = [
                Column {
                    title: "序号",
                    width: 12.0,
                    align: Align::Center,
                },
                Column {
                    title: "需补正的材料",
                    width: c.inner() - 12.0 - 42.0 - 40.0,
                    align: Align::Left,
                },
                Column {
                    title: "要求",
                    width: 42.0,
                    align: Align::Left,
                },
                Column {
                    title: "提交地点",
                    width: 40.0,
                    align: Align::Left,
                },
            ];
            let missing: Vec<Vec<String>> = f
                .detail
                .materials
                .iter()
                .filter(|m| m.mandatory && !m.received)
                .enumerate()
                .map(|(i, m)| {
                    vec![
                        (i + 1).to_string(),
                        m.name.clone(),
                        format!("{} {} 份", m.form.label(), m.copies),
                        place.clone(),
                    ]
                })
                .collect();
            c.table(&cols, &missing, s.body);
            let received: Vec<&str> = f
                .detail
                .materials
                .iter()
                .filter(|m| m.received)
                .map(|m| m.name.as_str())
                .collect();
            c.y += 2.0;
            let got = if received.is_empty() {
                "无".to_string()
            } else {
                received.join("、")
            };
            c.para(s.body, &format!("　　已收取的材料：{got}。"));
            c.para(s.body,
                &format!(
                    "　　以上为需补正的全部材料，{}不再另行要求其他材料。材料补齐之日即予受理，办结时限自受理之日起计算（承诺时限：{}）。",
                    f.speaker.body,
                    f.item.promised.display()
                ),
            );
            clerk_signs(
                &mut c,
                &s,
                f,
                ("告知人", "告知日期", "申请人签收"),
                v.created_on,
            );
        }
        FormKind::Refusal => {
            salutation(
                &mut c,
                &s,
                f,
                &format!("{}决定不予受理。", f.speaker.named()),
            );
            c.y += 2.0;
            c.labelled(
                "不予受理理由：",
                s.body,
                v.reason.as_deref().unwrap_or("该事项不属于本机关受理范围"),
            );
            c.labelled(
                "依据：",
                s.body,
                f.refusal_basis.as_deref().unwrap_or(&f.item.legal_basis),
            );
            c.labelled(
                "请到此办理：",
                s.body,
                v.alternative.as_deref().unwrap_or(&f.item.department),
            );
            c.y += 2.0;
            c.para(s.body, &f.speaker.appeal("通知书"));
            clerk_signs(
                &mut c,
                &s,
                f,
                ("经办人", "日期", "申请人签收"),
                v.created_on,
            );
        }
        FormKind::Decision => {
            let approved = v.result == Some("approved");
            let act = decision_act(&f.item.item_type);
            salutation(&mut c, &s, f, &format!("{}决定如下：", f.speaker.named()));
            c.para(
                s.body,
                &format!("　　{}{act}。", if approved { "准予" } else { "不予" }),
            );
            c.y += 2.0;
            if approved {
                if let Some(amount) = &v.amount {
                    c.labelled("给付金额：", s.body, amount);
                }
                c.labelled(
                    "审批意见：",
                    s.body,
                    v.opinion.as_deref().unwrap_or("同意。"),
                );
                c.labelled("依据：", s.body, &f.item.legal_basis);
            } else {
                c.labelled("理由：", s.body, v.opinion.as_deref().unwrap_or_default());
                c.labelled("依据：", s.body, &f.item.legal_basis);
                c.y += 2.0;
                c.para(s.body, &f.speaker.appeal("决定书"));
            }
            step_signs(&mut c, &s, f, "审批人", "决定日期");
        }
        FormKind::Extension => {
            let days = v.extended_days.unwrap_or_default();
            let licence = f.item.item_type == "行政许可";
            accepted_then(&mut c, &s, f, "因下列理由，不能在原定期限内作出决定：");
            c.y += 2.0;
            c.labelled(
                "延期理由：",
                s.body,
                v.extension_reason.as_deref().unwrap_or_default(),
            );
            // The 镇领导 approves: the 负责人 of the township, which acts in the department's
            // name under entrustment.
            let approver = match &f.speaker.entrusted {
                Some(_) => format!(
                    "受委托的{}负责人",
                    crate::domain::speaker::town_government(&f.town)
                ),
                None => "本机关负责人".to_string(),
            };
            let basis = if licence {
                format!("根据《中华人民共和国行政许可法》第四十二条，经{approver}批准")
            } else {
                format!("经{approver}批准")
            };
            c.para(
                s.body,
                &format!(
                    "　　{basis}，办理期限延长 {days} 个工作日，办结期限延至{}（遇法定节假日顺延）。特此告知。",
                    opt_date(v.due)
                ),
            );
            step_signs(&mut c, &s, f, "批准人", "告知日期");
        }
        FormKind::Suspension => {
            let reason = v.suspension_reason.as_deref().unwrap_or_default();
            accepted_then(&mut c, &s, f, "办理该事项依法需要下列程序：");
            c.y += 2.0;
            c.labelled("需要的程序：", s.body, reason);
            c.labelled(
                "暂停计时之日：",
                s.body,
                &opt_date(v.suspended_on.or(f.decided.as_ref().map(|d| d.2))),
            );
            let time = match v.suspension_days {
                Some(n) => format!("预计 {n} 个工作日，以该程序实际所需时间为准"),
                None => "以该程序实际所需时间为准，程序结束时另行告知".into(),
            };
            c.labelled("所需时间：", s.body, &time);
            c.para(
                s.body,
                &format!(
                    "　　根据《中华人民共和国行政许可法》第四十五条，上述程序所需时间不计算在办理期限内。程序结束之日起恢复计时，办结期限（原为{}）按暂停的工作日数顺延。特此告知。",
                    opt_date(v.due)
                ),
            );
            step_signs(&mut c, &s, f, "经办人", "告知日期");
        }
        FormKind::Pledge => {
            let body = f.speaker.named();
            salutation(
                &mut c,
                &s,
                f,
                &format!("{body}对该事项实行告知承诺制。现将有关事项告知如下："),
            );
            c.y += 2.0;
            let conditions = if f.item.listing.conditions.is_empty() {
                format!("符合{}规定的条件和标准", f.item.legal_basis)
            } else {
                f.item.listing.conditions.clone()
            };
            c.labelled("一、办理条件：", s.body, &conditions);
            c.labelled(
                "二、以承诺代替的材料：",
                s.body,
                &format!("{}。", v.pledged.join("、")),
            );
            c.labelled(
                "三、核查：",
                s.body,
                &format!(
                    "{body}将于{}前对承诺内容进行核查，申请人应当配合。",
                    opt_date(v.pledge_due)
                ),
            );
            c.labelled(
                "四、不实承诺的责任：",
                s.body,
                "经核查承诺不实的，依法撤销作出的决定，申请人依法承担相应法律责任，有关情况记入信用记录。",
            );
            c.y += 2.0;
            c.para(
                s.body,
                "　　申请人承诺：本人已知晓上述告知的全部内容，所填写的信息和所作承诺真实、准确；本人符合上述办理条件，并将按期提交上述材料或配合核查；如有不实，愿意承担相应的法律责任。",
            );
            let lines = [
                format!("申请人签名：{}", "＿".repeat(8)),
                format!("日期：{}", opt_date(v.accepted_on.or(Some(v.created_on)))),
                format!("经办人：{}（工号 {}）", v.clerk, f.clerk_no),
            ];
            sign_and_seal(&mut c, &lines, &f.speaker.body, &s);
        }
        FormKind::Guide => {
            let item = &f.item;
            let ask = |text: &str| {
                if text.is_empty() {
                    format!("请向{}咨询", item.department)
                } else {
                    text.to_string()
                }
            };
            let city_only = item.mode == crate::catalog::Mode::CityOnly;
            let here = match item.mode {
                // The directions the clerk gave, as the resident reads them.
                _ if city_only => v
                    .alternative
                    .as_deref()
                    .map(|a| a.replace("请群众到", "请到"))
                    .unwrap_or_else(|| format!("请到{}办理", item.department)),
                crate::catalog::Mode::Delegated | crate::catalog::Mode::Empowered => {
                    format!("本镇可受理并办结，请带齐材料到{place}办理")
                }
                _ => format!(
                    "本镇可受理，请带齐材料到{place}办理；由{}决定",
                    item.department
                ),
            };
            let mut rows = kv(vec![
                ("编号", v.number.clone()),
                (
                    "咨询事项",
                    format!("{}（事项编码 {}）", v.item_name, v.item),
                ),
                ("咨询人", name.clone()),
                ("实施主体", item.department.clone()),
                ("办理地点", ask(&item.office.place)),
                ("办理时间", ask(&item.office.hours)),
                ("咨询电话", ask(&item.office.phone)),
                ("办理时限", item.promised.display()),
                ("收费标准", item.fee.clone()),
                ("设定依据", item.legal_basis.clone()),
                ("本镇能否办理", here),
            ]);
            rows.retain(|r| !r[1].is_empty());
            c.table_rows(&kv_cols, &rows, s.body);
            section(&mut c, "需要准备的材料", &s);
            let mut cols = material_columns(&c, paper);
            cols[4].title = "是否必需";
            let materials = material_rows(f, |m| if m.mandatory { "必需" } else { "视情况" });
            c.table(&cols, &materials, s.body);
            c.y += 2.0;
            if city_only {
                c.para(
                    s.body,
                    &format!(
                        "　　本事项由{}办理，依法不属于{}的职权范围，本镇不能受理。本指引只作告知，不是不予受理决定；如需书面的不予受理决定，可以在窗口提出申请并出示身份证件，窗口将依法出具不予受理通知书（《中华人民共和国行政许可法》第三十二条）。",
                        item.department,
                        crate::domain::speaker::town_government(&f.town)
                    ),
                );
            }
            c.para(
                s.small + 0.5,
                "温馨提示：办理地点、时间和材料以实施主体公布的为准；出发前可先电话咨询。",
            );
            let lines = [
                format!("接待人：{}（工号 {}）", v.clerk, f.clerk_no),
                format!("日期：{}", cn_date(v.created_on)),
            ];
            sign_and_seal(&mut c, &lines, &f.hall, &s);
        }
        FormKind::Handover | FormKind::Staffing | FormKind::Closing | FormKind::Report => {
            unreachable!("not a request form")
        }
    }
    c.finish(issue.at)
}

/// What a decision grants or refuses, after 准予 / 不予: the item's type where it names an
/// administrative act (行政许可, 行政给付, 行政确认), otherwise 办理.
pub fn decision_act(item_type: &str) -> &str {
    if item_type.starts_with("行政") {
        item_type
    } else {
        "办理"
    }
}

/// A decision's title: 准予行政许可决定书, 不予行政给付决定书, 准予办理决定书.
pub fn decision_title(item_type: &str, approved: bool) -> String {
    format!(
        "{}{}决定书",
        if approved { "准予" } else { "不予" },
        decision_act(item_type)
    )
}

/// A request form's material rows: number, name, form, copies, and what `last` says of each.
fn material_rows(
    f: &RequestFacts,
    last: impl Fn(&crate::request::RequestMaterialView) -> &'static str,
) -> Vec<Vec<String>> {
    f.detail
        .materials
        .iter()
        .map(|m| {
            vec![
                m.seq.to_string(),
                m.name.clone(),
                m.form.label().to_string(),
                m.copies.to_string(),
                last(m).to_string(),
            ]
        })
        .collect()
}

fn material_columns(c: &Canvas, paper: Paper) -> [Column<'static>; 5] {
    // Wide enough that 原件和复印件 and 非必需，未收 keep to one line.
    let (form_w, copies_w, state_w) = if paper == Paper::A5 {
        (23.0, 9.0, 24.0)
    } else {
        (26.0, 12.0, 28.0)
    };
    [
        Column {
            title: "序号",
            width: 12.0,
            align: Align::Center,
        },
        Column {
            title: "材料名称",
            width: c.inner() - 12.0 - form_w - copies_w - state_w,
            align: Align::Left,
        },
        Column {
            title: "形式",
            width: form_w,
            align: Align::Center,
        },
        Column {
            title: "份数",
            width: copies_w,
            align: Align::Center,
        },
        Column {
            title: "收取情况",
            width: state_w,
            align: Align::Center,
        },
    ]
}

/// 转报交接单: the requests forwarded to one department on one day, with signature lines.
pub fn handover(f: &HandoverFacts, issue: &Issue, paper: Paper) -> Result<(Vec<u8>, usize)> {
    let font = form_font()?;
    let s = scale(paper);
    let mut c = Canvas::new(font, &format!("转报交接单 {}", f.form_no), paper);
    head(
        &mut c,
        &f.hall,
        "转报交接单",
        &f.form_no,
        (&f.form_no, &f.form_no),
        &s,
    )?;
    c.footer = footer(&f.form_no, issue);
    c.para(
        s.body,
        &format!(
            "移交单位：{}　　接收单位：{}　　转报日期：{}",
            f.hall,
            f.department,
            cn_date(f.on)
        ),
    );
    c.y += 2.0;
    let w = c.inner();
    let cols = [
        Column {
            title: "序号",
            width: 10.0,
            align: Align::Center,
        },
        Column {
            title: "办件编号",
            width: w * 0.19,
            align: Align::Left,
        },
        Column {
            title: "事项名称",
            width: w - 10.0 - w * 0.19 - w * 0.12 - w * 0.2 - w * 0.14 - w * 0.09,
            align: Align::Left,
        },
        Column {
            title: "申请人",
            width: w * 0.12,
            align: Align::Left,
        },
        Column {
            title: "证件号码",
            width: w * 0.2,
            align: Align::Left,
        },
        Column {
            title: "部门办结期限",
            width: w * 0.14,
            align: Align::Center,
        },
        Column {
            title: "材料",
            width: w * 0.09,
            align: Align::Center,
        },
    ];
    let rows: Vec<Vec<String>> = f
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                (i + 1).to_string(),
                r.number.clone(),
                r.item_name.clone(),
                r.applicant.clone(),
                r.id_masked.clone(),
                r.department_due.map(|d| d.to_string()).unwrap_or_default(),
                r.materials.clone(),
            ]
        })
        .collect();
    c.table(&cols, &rows, s.small + 0.5);
    c.y += 2.0;
    c.para(s.body,
        &format!("　　以上共 {} 件，材料随件移交。接收单位请核对后签收，并在部门办结期限内将办理结果反馈本中心。", f.rows.len()),
    );
    let blank = "＿".repeat(7);
    sign_and_seal(
        &mut c,
        &[
            format!("移交人（签字）：{blank}　日期：{blank}"),
            format!("接收人（签字）：{blank}　日期：{blank}"),
            format!("接收单位：{}", f.department),
        ],
        &f.hall,
        &s,
    );
    c.finish(issue.at)
}

/// What the daily closing sheet (日结单) prints: a town's requests of the day by state and the
/// audit log's head as it verified at printing.
pub struct ClosingFacts {
    pub form_no: String,
    pub hall: String,
    pub on: NaiveDate,
    /// State label and count, the states with requests only, in the lifecycle's order.
    pub by_state: Vec<(&'static str, usize)>,
    pub total: usize,
    pub audit: crate::store::audit::Verification,
}

/// The daily closing sheet: the day's requests by state, the audit log's head (records and the
/// newest hash, in groups of eight for reading aloud and checking by eye), the command that
/// checks it later, and the signatures of who closed the day.
pub fn closing(f: &ClosingFacts, issue: &Issue) -> Result<(Vec<u8>, usize)> {
    let font = form_font()?;
    let s = scale(Paper::A4);
    let mut c = Canvas::new(font, &format!("日结单 {}", f.form_no), Paper::A4);
    head(
        &mut c,
        &f.hall,
        "日结单",
        &f.form_no,
        (&f.form_no, &f.form_no),
        &s,
    )?;
    c.footer = footer(&f.form_no, issue);
    c.para(
        s.body,
        &format!(
            "日期：{}　　当日收件共 {} 件，按目前状态统计如下：",
            cn_date(f.on),
            f.total
        ),
    );
    c.y += 2.0;
    let w = c.inner();
    let cols = [
        Column {
            title: "状态",
            width: w * 0.6,
            align: Align::Left,
        },
        Column {
            title: "件数",
            width: w * 0.4,
            align: Align::Center,
        },
    ];
    let mut rows: Vec<Vec<String>> = f
        .by_state
        .iter()
        .map(|(label, n)| vec![label.to_string(), n.to_string()])
        .collect();
    rows.push(vec!["合计".into(), f.total.to_string()]);
    c.table(&cols, &rows, s.body);
    c.y += 4.0;
    let a = &f.audit;
    match (&a.head, a.ok) {
        (Some(head), true) => {
            let groups: Vec<&str> = (0..head.len())
                .step_by(8)
                .map(|i| &head[i..(i + 8).min(head.len())])
                .collect();
            c.para(
                s.body,
                &format!(
                    "审计日志：打印时共 {} 条记录，哈希链完好。最新记录的哈希（头）：",
                    a.records
                ),
            );
            c.para(s.body + 1.0, &groups.join(" "));
            c.para(
                s.body,
                &format!(
                    "　　本单请签字后存放在本机以外（纸质归档）。日后核对：bianmin audit verify --expect {}:{head}，日志被截短或改写即核对失败。",
                    a.records
                ),
            );
        }
        (None, true) => c.para(s.body, "审计日志：尚无记录。"),
        (_, false) => c.para(
            s.body,
            &format!(
                "审计日志核验未通过：{}。请立即报告中心负责人，勿再使用本机办件。",
                a.problem.as_deref().unwrap_or("")
            ),
        ),
    }
    let blank = "＿".repeat(7);
    sign_and_seal(
        &mut c,
        &[
            format!("日结人（签字）：{blank}　时间：{blank}"),
            format!("复核人（签字）：{blank}　时间：{blank}"),
        ],
        &f.hall,
        &s,
    );
    c.finish(issue.at)
}

/// The staffing report: per town a table of units and a bar chart of quota, on roll and on duty.
pub fn staffing(report: &StaffingReport, form_no: &str, issue: &Issue) -> Result<(Vec<u8>, usize)> {
    let font = form_font()?;
    let s = scale(Paper::A4Landscape);
    let mut c = Canvas::new(
        font,
        &format!("编制与在岗情况表 {form_no}"),
        Paper::A4Landscape,
    );
    for (ti, town) in report.towns.iter().enumerate() {
        if ti > 0 {
            c.running_head.clear();
            c.new_page();
        }
        let hall = format!("{}人民政府", town.name);
        head(
            &mut c,
            &hall,
            &format!("{}编制与在岗情况表", town.name),
            form_no,
            (form_no, form_no),
            &s,
        )?;
        c.footer = footer(form_no, issue);
        let f = &town.figures;
        c.para(
            s.body,
            &format!(
                "统计日期：{}　　编制 {} 名，在编 {} 人，借调入 {} 人，在岗 {} 人，空编 {} 名，空编率 {}。",
                cn_date(report.date),
                f.quota,
                f.on_roll,
                f.seconded_in,
                f.on_duty,
                f.vacancies,
                f.vacancy_rate_text()
            ),
        );
        c.y += 1.5;
        let w = c.inner();
        let num = (w - 64.0 - 14.0) / (Figures::LABELS.len() + 3) as f32;
        let titles = Figures::LABELS.iter().copied().chain([
            Figures::VACANCY_RATE,
            Figures::ENFORCEMENT,
            Figures::OVER_QUOTA,
        ]);
        let mut cols = vec![
            Column {
                title: Figures::UNIT,
                width: 64.0,
                align: Align::Left,
            },
            Column {
                title: Figures::KIND,
                width: 14.0,
                align: Align::Center,
            },
        ];
        cols.extend(titles.map(|title| Column {
            title,
            width: num,
            align: Align::Right,
        }));
        let fig_row = |name: &str, kind: &str, f: &Figures, enforcement: &str| {
            let mut row = vec![name.to_string(), kind.to_string()];
            row.extend(f.counts().iter().map(i64::to_string));
            row.push(f.vacancy_rate_text());
            row.push(enforcement.to_string());
            row.push(
                if f.over_quota {
                    Figures::OVER_QUOTA
                } else {
                    ""
                }
                .to_string(),
            );
            row
        };
        let mut rows: Vec<Vec<String>> = town
            .units
            .iter()
            .map(|u| fig_row(&u.name, &u.kind, &u.figures, u.enforcement_label()))
            .collect();
        rows.push(fig_row("合计", "", f, ""));
        c.table(&cols, &rows, s.small);
        let flagged: Vec<&str> = town
            .units
            .iter()
            .filter(|u| !u.enforcement_ok)
            .map(|u| u.name.as_str())
            .collect();
        if !flagged.is_empty() {
            c.y += 1.5;
            c.para(
                s.small,
                &format!(
                    "执法力量不足：{}留在一线的持证执法人员不足两人，不能开展执法检查。",
                    flagged.join("、")
                ),
            );
        }
        bar_chart(&mut c, town, &s);
        alerts(&mut c, town, &s);
    }
    c.finish(issue.at)
}

/// Credentials about to end and people about to retire, when there are any.
fn alerts(c: &mut Canvas, town: &crate::staffing::TownStaffing, s: &Scale) {
    let cards: Vec<Vec<String>> = town
        .credentials_expiring
        .iter()
        .map(|a| {
            let card = format!("{} {}", a.kind, a.number);
            let (to, left) = (a.valid_to.to_string(), a.days_left.to_string());
            vec![
                a.staff_no.clone(),
                a.name.clone(),
                a.unit.clone(),
                card,
                to,
                left,
            ]
        })
        .collect();
    let first = [("工号", 30.0), ("姓名", 30.0), ("单位", 60.0)];
    let headers = [("证件", 70.0), ("有效期至", 35.0), ("剩余天数", 25.0)];
    alert_table(c, s, "60 日内到期的证件", &first, &headers, &cards);
    let retiring: Vec<Vec<String>> = town
        .retiring_within_a_year
        .iter()
        .map(|a| {
            let born = format!("{}（{}）", a.birth_date, a.track);
            // Past the age yet on the roll: the roster lacks a 退休 period, to be checked.
            let due = if a.past {
                format!("{}（已到龄，请核实）", a.retires_on)
            } else {
                a.retires_on.to_string()
            };
            vec![
                a.staff_no.clone(),
                a.name.clone(),
                a.unit.clone(),
                born,
                due,
            ]
        })
        .collect();
    let headers = [("出生日期（退休类别）", 35.0), ("到龄日期", 35.0)];
    alert_table(c, s, "一年内到龄退休及已到龄", &first, &headers, &retiring);
}

/// A titled table of people, skipped when empty.
fn alert_table(
    c: &mut Canvas,
    s: &Scale,
    title: &str,
    first: &[(&'static str, f32)],
    rest: &[(&'static str, f32)],
    rows: &[Vec<String>],
) {
    if rows.is_empty() {
        return;
    }
    c.keep(30.0);
    c.y += 3.0;
    c.labelled(title, s.body, "");
    let cols: Vec<Column<'_>> = first
        .iter()
        .chain(rest)
        .map(|&(title, width)| Column {
            title,
            width,
            align: Align::Left,
        })
        .collect();
    c.table(&cols, rows, s.small);
}

/// Grouped bars per unit: quota, on roll, on duty.
fn bar_chart(c: &mut Canvas, town: &crate::staffing::TownStaffing, s: &Scale) {
    let chart_h = 70.0;
    c.keep(chart_h + 24.0);
    c.y += 4.0;
    c.text_bold(
        c.margin,
        c.y + 4.0,
        s.body,
        &format!("{}各单位编制、在编、在岗人数", town.name),
    );
    // Legend.
    let series = [("编制", 0.82), ("在编", 0.55), ("在岗", 0.2)];
    let mut lx = c.width - c.margin - 80.0;
    for (name, g) in series {
        c.fill_grey(g);
        c.rect(lx, c.y + 1.0, 6.0, 3.5, PaintMode::Fill);
        c.fill_grey(BLACK);
        c.text(lx + 7.5, c.y + 4.0, s.small, name);
        lx += 26.0;
    }
    c.y += 8.0;
    let top = c.y;
    let axis_x = c.margin + 10.0;
    let base = top + chart_h;
    let max = town
        .units
        .iter()
        .map(|u| u.figures.quota.max(u.figures.on_roll))
        .max()
        .unwrap_or(1)
        .max(1);
    let step = nice_step(max);
    let ymax = max.div_ceil(step) * step;
    let scale_y = chart_h / ymax as f32;
    c.stroke_grey(0.75);
    let mut tick = 0;
    while tick <= ymax {
        let y = base - tick as f32 * scale_y;
        c.line(axis_x, y, c.width - c.margin, y, 0.3);
        c.text_right(axis_x - 1.5, y + 1.2, s.small - 1.0, &tick.to_string());
        tick += step;
    }
    c.stroke_grey(BLACK);
    c.line(axis_x, top, axis_x, base, 0.6);
    let n = town.units.len().max(1);
    let slot = (c.width - c.margin - axis_x) / n as f32;
    let bar = (slot * 0.8 / 3.0).min(9.0);
    for (i, u) in town.units.iter().enumerate() {
        let x0 = axis_x + i as f32 * slot + (slot - bar * 3.0) / 2.0;
        for (j, (value, (_, g))) in [u.figures.quota, u.figures.on_roll, u.figures.on_duty]
            .iter()
            .zip(series)
            .enumerate()
        {
            let h = *value as f32 * scale_y;
            c.fill_grey(g);
            c.rect(x0 + j as f32 * bar, base - h, bar, h, PaintMode::Fill);
            c.fill_grey(BLACK);
            c.text_center(
                x0 + j as f32 * bar + bar / 2.0,
                base - h - 1.0,
                s.small - 2.0,
                &value.to_string(),
                false,
            );
        }
        let label_lines = c.wrap(&u.name, slot - 1.0, s.small - 1.5);
        for (k, l) in label_lines.iter().take(2).enumerate() {
            c.text_center(
                axis_x + i as f32 * slot + slot / 2.0,
                base + 4.0 + k as f32 * 3.2,
                s.small - 1.5,
                l,
                false,
            );
        }
    }
    c.y = base + 11.0;
}

/// A tick step giving at most about six lines.
fn nice_step(max: u32) -> u32 {
    for step in [1, 2, 5, 10, 20, 25, 50, 100, 200, 500] {
        if max / step <= 6 {
            return step;
        }
    }
    1000
}

/// A table's columns: fixed widths in mm, the first column taking what is left of the line.
fn columns_of<'a>(c: &Canvas, titles: &[&'a str], fixed: &[f32]) -> Vec<Column<'a>> {
    let rest = c.inner() - fixed.iter().sum::<f32>();
    titles
        .iter()
        .enumerate()
        .map(|(i, &title)| Column {
            title,
            width: if i == 0 { rest } else { fixed[i - 1] },
            align: if i == 0 { Align::Left } else { Align::Right },
        })
        .collect()
}

/// The performance report (办件绩效报表, issue 20), A4 portrait, in the words of
/// [`crate::report::words`]: the heading and every figure; the rates, each with its numerator
/// and denominator; every request overdue now (the table runs on over as many pages as it needs,
/// its header repeated); the departments with their score's rule under them; the posts with
/// their staffing beside and why a short one is short; the clerks; the weeks; the towns (the
/// county's view); 好差评.
pub fn report(
    r: &crate::report::Report,
    form_no: &str,
    at: chrono::NaiveDateTime,
) -> Result<(Vec<u8>, usize)> {
    use crate::report::words as w;
    use crate::report::Figure;
    let font = form_font()?;
    let s = scale(Paper::A4);
    let mut c = Canvas::new(font, &format!("{} {form_no}", w::TITLE), Paper::A4);
    head(
        &mut c,
        &w::hall(&r.town),
        w::TITLE,
        form_no,
        (form_no, form_no),
        &s,
    )?;
    c.footer = format!(
        "表单编号 {form_no}　打印时间 {}",
        at.format("%Y-%m-%d %H:%M")
    );
    let size = s.small;
    c.para(s.body, &w::heading(r));

    section(&mut c, w::OVERVIEW, &s);
    c.para(s.body, &w::summary(r));
    c.y += 1.5;
    let pair = [w::ITEM_COLUMN, w::COUNT];
    let titles: Vec<&str> = pair.iter().copied().cycle().take(6).collect();
    let third = c.inner() / 3.0;
    let cols: Vec<Column<'_>> = titles
        .iter()
        .enumerate()
        .map(|(i, &title)| Column {
            title,
            width: if i % 2 == 0 { third - 18.0 } else { 18.0 },
            align: if i % 2 == 0 {
                Align::Left
            } else {
                Align::Right
            },
        })
        .collect();
    let rows: Vec<Vec<String>> = Figure::ALL
        .chunks(3)
        .map(|chunk| {
            let mut row: Vec<String> = chunk
                .iter()
                .flat_map(|f| [f.label().to_string(), r.counts.get(*f).to_string()])
                .collect();
            row.resize(6, String::new());
            row
        })
        .collect();
    c.table(&cols, &rows, size);
    c.y += 2.0;
    let cols = columns_of(
        &c,
        &[w::ITEM_COLUMN, w::VALUE, w::NUMERATOR, w::DENOMINATOR],
        &[58.0, 42.0, 42.0],
    );
    let rows: Vec<Vec<String>> = r
        .rates
        .iter()
        .map(|x| {
            vec![
                x.label.clone(),
                w::rate(&x.rate),
                format!("{} {}", x.numerator.label(), x.rate.numerator),
                format!("{} {}", x.denominator.label(), x.rate.denominator),
            ]
        })
        .collect();
    c.table(&cols, &rows, size);

    section(&mut c, &w::overdue_heading(r), &s);
    if r.overdue.is_empty() {
        c.para(s.body, w::NONE);
    } else {
        let titles = [
            w::SEQ,
            w::NUMBER,
            w::ITEM,
            w::POST,
            w::DUE,
            w::DEPARTMENT,
            w::REASON,
        ];
        let widths = [9.0, 31.0, 32.0, 20.0, 19.0, 26.0];
        let last = c.inner() - widths.iter().sum::<f32>();
        let cols: Vec<Column<'_>> = titles
            .iter()
            .zip(widths.iter().chain([&last]))
            .enumerate()
            .map(|(i, (&title, &width))| Column {
                title,
                width,
                align: if i == 0 || i == 4 {
                    Align::Center
                } else {
                    Align::Left
                },
            })
            .collect();
        let rows: Vec<Vec<String>> = r
            .overdue
            .iter()
            .enumerate()
            .map(|(i, o)| {
                vec![
                    (i + 1).to_string(),
                    o.number.clone(),
                    o.item_name.clone(),
                    o.post.clone(),
                    w::due(o),
                    o.department.clone().unwrap_or_default(),
                    w::reason(o).to_string(),
                ]
            })
            .collect();
        c.table(&cols, &rows, size);
    }

    if !r.by_department.is_empty() {
        section(&mut c, w::DEPARTMENT, &s);
        let cols = columns_of(
            &c,
            &w::DEPARTMENT_COLUMNS,
            &[12.0, 18.0, 15.0, 18.0, 15.0, 15.0, 12.0],
        );
        let rows: Vec<Vec<String>> = r
            .by_department
            .iter()
            .map(|d| w::department_cells(d).to_vec())
            .collect();
        c.table(&cols, &rows, size);
        c.y += 1.0;
        c.para(size, &format!("{}：{}", w::SCORE_RULE, r.department_score));
        c.para(size, w::DAYS_RULE);
    }

    let group_widths = [11.0, 11.0, 11.0, 14.0, 14.0, 34.0];
    section(&mut c, &format!("{}{}", w::BY, w::POST), &s);
    let mut titles = w::group_columns(w::POST);
    titles.extend(w::STAFFING_COLUMNS);
    let mut widths = group_widths.to_vec();
    widths.extend([20.0, 14.0, 14.0]);
    let cols = columns_of(&c, &titles, &widths);
    let rows: Vec<Vec<String>> = r
        .by_post
        .iter()
        .map(|g| {
            let mut row = w::group_cells(g);
            row.extend(w::staffing_cells(w::staffing_of(r, &g.key)));
            row
        })
        .collect();
    c.table(&cols, &rows, size);
    if !r.post_staffing.is_empty() {
        c.y += 1.0;
        c.para(size, &w::staffing_note(r));
        for p in r.post_staffing.iter().filter(|p| !p.short.is_empty()) {
            c.para(size, &w::short_line(r, p));
        }
    }

    for (name, groups) in [
        (w::CLERK, &r.by_clerk),
        (w::WEEK, &r.by_week),
        (w::TOWN, &r.by_town),
    ] {
        if groups.is_empty() {
            continue;
        }
        section(&mut c, &format!("{}{name}", w::BY), &s);
        let cols = columns_of(&c, &w::group_columns(name), &group_widths);
        let rows: Vec<Vec<String>> = groups.iter().map(w::group_cells).collect();
        c.table(&cols, &rows, size);
    }

    // 好差评 and its few grades kept on one page.
    let row_h = Canvas::leading(size) + 3.0;
    c.keep(Canvas::leading(s.body) * 4.0 + (r.satisfaction.grades.len() + 1) as f32 * row_h + 6.0);
    section(&mut c, w::SATISFACTION, &s);
    c.para(s.body, &w::satisfaction_line(&r.satisfaction));
    c.y += 1.5;
    let cols = [
        Column {
            title: w::RATINGS,
            width: 50.0,
            align: Align::Left,
        },
        Column {
            title: w::ENTRIES,
            width: 25.0,
            align: Align::Right,
        },
    ];
    let rows: Vec<Vec<String>> = r
        .satisfaction
        .grades
        .iter()
        .map(|(_, label, n)| vec![label.clone(), n.to_string()])
        .collect();
    c.table(&cols, &rows, size);
    c.finish(at)
}
