//! The 取号凭条: the slip a resident takes away with a ticket (issue 19), printed on a thermal
//! roll 58 or 80 mm wide. One page exactly as tall as what it prints: the hall, the number in
//! very large type, the business, how many wait ahead, when it was taken, the 绿色通道 when
//! asked for, and what to do when called or skipped ([`RETURN_MINUTES`]).
//!
//! Drawn with the forms' [`Canvas`] and font (a subset embedded, every character checked first);
//! pure: the ticket in, PDF bytes out.

use chrono::NaiveDateTime;

use super::canvas::Canvas;
use super::font::{form_font, MM_PER_PT};
use crate::error::{Error, Result};
use crate::front::{Taken, RETURN_MINUTES};

/// The width of the thermal paper a slip prints on: the two rolls kiosks and receipt printers
/// take.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub enum SlipWidth {
    /// 58 mm paper, 48 mm printed (a 384-dot head at 8 dots per mm).
    Mm58,
    /// 80 mm paper, 72 mm printed (a 576-dot head); the default.
    #[default]
    Mm80,
}

impl SlipWidth {
    /// The paper's width in millimetres.
    pub fn mm(self) -> u32 {
        match self {
            SlipWidth::Mm58 => 58,
            SlipWidth::Mm80 => 80,
        }
    }

    /// The margin left and right of what the head prints, in mm.
    fn margin(self) -> f32 {
        match self {
            SlipWidth::Mm58 => 5.0,
            SlipWidth::Mm80 => 4.0,
        }
    }

    /// The paper of `mm` millimetres; any other width is refused naming `width`.
    pub fn from_mm(mm: u32) -> Result<SlipWidth> {
        match mm {
            58 => Ok(SlipWidth::Mm58),
            80 => Ok(SlipWidth::Mm80),
            _ => Err(refused(&mm.to_string())),
        }
    }

    /// Reads a width as typed: `58`, `80`, `80mm`, `80 毫米`; anything else is refused naming
    /// `width`.
    pub fn parse(text: &str) -> Result<SlipWidth> {
        let t = text.trim();
        let digits = t
            .strip_suffix("毫米")
            .or_else(|| t.strip_suffix("mm"))
            .or_else(|| t.strip_suffix("MM"))
            .unwrap_or(t)
            .trim();
        match digits.parse::<u32>() {
            Ok(mm) => SlipWidth::from_mm(mm).map_err(|_| refused(t)),
            Err(_) => Err(refused(t)),
        }
    }
}

fn refused(typed: &str) -> Error {
    Error::invalid(
        "width",
        format!("凭条纸宽“{typed}”无效：热敏纸只有 58 和 80 毫米两种，请写 58 或 80"),
    )
}

/// Type sizes (points) for a paper width.
struct Sizes {
    hall: f32,
    number: f32,
    body: f32,
    small: f32,
}

fn sizes(width: SlipWidth) -> Sizes {
    match width {
        SlipWidth::Mm58 => Sizes {
            hall: 10.0,
            number: 44.0,
            body: 10.5,
            small: 7.5,
        },
        SlipWidth::Mm80 => Sizes {
            hall: 12.0,
            number: 60.0,
            body: 12.0,
            small: 8.5,
        },
    }
}

/// The 绿色通道 line of a priority ticket: the kind asked for, or the channel alone when the
/// kiosk did not say which (short enough for one line of 58 mm paper).
fn green_channel(priority: &str) -> String {
    if priority == "绿色通道" {
        "绿色通道".to_string()
    } else {
        format!("绿色通道（{priority}）")
    }
}

/// What the resident is asked to do, from the 过号 rule.
fn advice() -> String {
    format!(
        "请留意等候区大屏，注意听叫号。如过号，{RETURN_MINUTES} 分钟内可到窗口说明后重新排队；超过 {RETURN_MINUTES} 分钟请重新取号。"
    )
}

/// Lines of `text` wrapped to the printed width, each centred, from the current y.
fn centred(c: &mut Canvas, text: &str, size: f32, bold: bool) {
    let lh = Canvas::leading(size);
    let cx = c.width / 2.0;
    for line in c.wrap(text, c.inner(), size) {
        c.y += lh;
        c.text_center(cx, c.y - lh * 0.3, size, &line, bold);
    }
}

/// A dashed rule across the printed width, as a tear line reads.
fn rule(c: &mut Canvas) {
    c.y += 1.5;
    c.dashed(true);
    c.line(c.margin, c.y, c.width - c.margin, c.y, 0.5);
    c.dashed(false);
    c.y += 1.5;
}

/// Draws the slip from the top; leaves `c.y` at the end of what it printed.
fn draw(c: &mut Canvas, t: &Taken, taken_at: NaiveDateTime, s: &Sizes) {
    let v = &t.view;
    centred(c, &super::hall_name(&t.town), s.hall, true);
    centred(c, "排队取号凭条", s.small, false);
    rule(c);
    // The number as large as the width allows, up to its size: it is what the screen shows.
    let size = s
        .number
        .min(c.inner() * 0.9 / c.text_width(&v.ticket, 1.0).max(0.1));
    let cap = size * MM_PER_PT;
    c.y += cap * 0.85;
    let cx = c.width / 2.0;
    c.text_center(cx, c.y, size, &v.ticket, true);
    c.y += cap * 0.2;
    centred(c, &format!("办理业务：{}", v.post), s.body, false);
    if let Some(p) = &v.priority {
        centred(c, &green_channel(p), s.body, true);
    }
    centred(c, &format!("前面还有 {} 人等候", t.waiting), s.body, true);
    centred(
        c,
        &format!("取号时间：{}", taken_at.format("%Y-%m-%d %H:%M")),
        s.small,
        false,
    );
    rule(c);
    let lh = Canvas::leading(s.small);
    let x = c.margin;
    for line in c.wrap(&advice(), c.inner(), s.small) {
        c.y += lh;
        c.text(x, c.y - lh * 0.3, s.small, &line);
    }
}

/// The 取号凭条 of the ticket just taken, on thermal paper `width` wide: a single page just tall
/// enough for what it prints. Refused, naming the field, when the font lacks a character of the
/// town's, post's or 绿色通道's name, or the ticket's time is not one the store wrote.
pub fn ticket_slip(taken: &Taken, width: SlipWidth) -> Result<Vec<u8>> {
    let font = form_font()?;
    let v = &taken.view;
    font.check("town", "乡镇名称", &taken.town)?;
    font.check("post", "窗口名称", &v.post)?;
    font.check("priority", "绿色通道", v.priority.as_deref().unwrap_or(""))?;
    font.check("ticket", "号码", &v.ticket)?;
    let taken_at = crate::date::parse_stamp(&v.taken_at)
        .ok_or_else(|| Error::invalid("taken_at", format!("取号时间“{}”无法识别", v.taken_at)))?;
    let s = sizes(width);
    let paper = width.mm() as f32;
    let title = format!("取号凭条 {}", v.ticket);
    // Laid out once on a page taller than any slip to learn its height, then on its own page.
    let mut measure = Canvas::sized(font, &title, (paper, 1000.0), width.margin());
    draw(&mut measure, taken, taken_at, &s);
    let height = measure.y + width.margin();
    let mut c = Canvas::sized(font, &title, (paper, height), width.margin());
    draw(&mut c, taken, taken_at, &s);
    Ok(c.finish_bare(taken_at)?.0)
}
