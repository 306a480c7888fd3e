//! A page builder over printpdf in millimetres from the top-left corner, with the few things the
//! forms need: text (measured with the form font), wrapped paragraphs, tables whose header repeats
//! on every page they continue onto, rules, boxes, a QR code and a Code128 barcode.

use std::collections::BTreeSet;

use printpdf::{
    Color, FontId, Line, LineDashPattern, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFont,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem, TextMatrix,
    TextRenderingMode,
};

use super::font::{FormFont, MM_PER_PT};
use super::layout::wrap;
use crate::error::{Error, Result};

/// Paper sizes, portrait unless landscape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    A4,
    A5,
    A4Landscape,
}

impl Paper {
    pub fn size_mm(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::A5 => (148.0, 210.0),
            Paper::A4Landscape => (297.0, 210.0),
        }
    }

    pub fn parse(field: &'static str, s: &str) -> Result<Paper> {
        match s.trim().to_ascii_lowercase().as_str() {
            "a4" => Ok(Paper::A4),
            "a5" => Ok(Paper::A5),
            other => Err(Error::invalid(
                field,
                format!("纸张“{other}”无效：应为 A4 或 A5"),
            )),
        }
    }
}

/// Horizontal alignment of a table cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// One table column: title, width in mm, alignment.
pub struct Column<'a> {
    pub title: &'a str,
    pub width: f32,
    pub align: Align,
}

pub const BLACK: f32 = 0.0;

fn grey(level: f32) -> Color {
    Color::Rgb(Rgb {
        r: level,
        g: level,
        b: level,
        icc_profile: None,
    })
}

pub struct Canvas {
    font: &'static FormFont,
    /// The font's name in the document; the font itself is added when the document is finished,
    /// cut down to the characters printed (`chars`).
    font_id: FontId,
    chars: BTreeSet<char>,
    doc: PdfDocument,
    pub paper: Paper,
    pub width: f32,
    pub height: f32,
    pub margin: f32,
    /// Where the next block starts, in mm from the top of the page.
    pub y: f32,
    /// Printed small at the top of every continuation page.
    pub running_head: String,
    /// Printed at the bottom left of every page (the form number and when it was printed).
    pub footer: String,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
}

impl Canvas {
    pub fn new(font: &'static FormFont, title: &str, paper: Paper) -> Canvas {
        let doc = PdfDocument::new(title);
        let (width, height) = paper.size_mm();
        let margin = if paper == Paper::A5 { 12.0 } else { 18.0 };
        Canvas {
            font,
            font_id: FontId::new(),
            chars: BTreeSet::new(),
            doc,
            paper,
            width,
            height,
            margin,
            y: margin,
            running_head: String::new(),
            footer: String::new(),
            pages: Vec::new(),
            ops: Vec::new(),
        }
    }

    /// A page of any size, `width` × `height` mm with `margin` all round: a slip off a thermal
    /// roll, ended by [`Canvas::finish_bare`] (no footer, no page number). `paper` stays A5, the
    /// small forms' spacing.
    pub fn sized(
        font: &'static FormFont,
        title: &str,
        (width, height): (f32, f32),
        margin: f32,
    ) -> Canvas {
        let mut c = Canvas::new(font, title, Paper::A5);
        c.width = width;
        c.height = height;
        c.margin = margin;
        c.y = margin;
        c
    }

    pub fn font(&self) -> &'static FormFont {
        self.font
    }

    /// The usable width between the margins.
    pub fn inner(&self) -> f32 {
        self.width - 2.0 * self.margin
    }

    /// The lowest y a block may reach before the footer.
    pub fn bottom(&self) -> f32 {
        self.height - self.margin - 6.0
    }

    fn pt(&self, x: f32, y: f32) -> Point {
        Point {
            x: Pt(x / MM_PER_PT),
            y: Pt((self.height - y) / MM_PER_PT),
        }
    }

    pub fn text_width(&self, text: &str, size: f32) -> f32 {
        self.font.width_mm(text, size)
    }

    /// Draws one line of text with its baseline at `y`.
    pub fn text(&mut self, x: f32, y: f32, size: f32, text: &str) {
        self.text_styled(x, y, size, text, false);
    }

    /// Bold by stroking the outline as well as filling it (the font has one weight).
    pub fn text_bold(&mut self, x: f32, y: f32, size: f32, text: &str) {
        self.text_styled(x, y, size, text, true);
    }

    fn text_styled(&mut self, x: f32, y: f32, size: f32, text: &str, bold: bool) {
        if text.is_empty() {
            return;
        }
        self.chars.extend(text.chars());
        let p = self.pt(x, y);
        self.ops.push(Op::StartTextSection);
        if bold {
            self.ops.push(Op::SetTextRenderingMode {
                mode: TextRenderingMode::FillStroke,
            });
            self.ops.push(Op::SetOutlineThickness {
                pt: Pt(size / 30.0),
            });
        }
        self.ops.push(Op::SetFont {
            font: PdfFontHandle::External(self.font_id.clone()),
            size: Pt(size),
        });
        self.ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(p.x, p.y),
        });
        self.ops.push(Op::ShowText {
            items: vec![TextItem::Text(text.to_string())],
        });
        if bold {
            self.ops.push(Op::SetTextRenderingMode {
                mode: TextRenderingMode::Fill,
            });
            self.ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
        }
        self.ops.push(Op::EndTextSection);
    }

    pub fn text_center(&mut self, cx: f32, y: f32, size: f32, text: &str, bold: bool) {
        let w = self.text_width(text, size);
        self.text_styled(cx - w / 2.0, y, size, text, bold);
    }

    pub fn text_right(&mut self, right: f32, y: f32, size: f32, text: &str) {
        let w = self.text_width(text, size);
        self.text(right - w, y, size, text);
    }

    /// Line height for a font size, in mm.
    pub fn leading(size: f32) -> f32 {
        size * MM_PER_PT * 1.55
    }

    pub fn wrap(&self, text: &str, width: f32, size: f32) -> Vec<String> {
        let font = self.font;
        wrap(text, width, &|s: &str| font.width_mm(s, size))
    }

    /// A wrapped paragraph from the current y, continuing on a new page when it runs out.
    pub fn paragraph(&mut self, x: f32, width: f32, size: f32, text: &str) {
        let lh = Self::leading(size);
        for line in self.wrap(text, width, size) {
            if self.y + lh > self.bottom() {
                self.new_page();
            }
            self.y += lh;
            let baseline = self.y - lh * 0.3;
            self.text(x, baseline, size, &line);
        }
    }

    /// A wrapped paragraph across the whole width between the margins.
    pub fn para(&mut self, size: f32, text: &str) {
        self.paragraph(self.margin, self.inner(), size, text);
    }

    /// A label in bold followed by a wrapped value indented after it.
    pub fn labelled(&mut self, label: &str, size: f32, value: &str) {
        let x = self.margin;
        let lw = self.text_width(label, size);
        let lh = Self::leading(size);
        let lines = self.wrap(value, self.inner() - lw, size);
        if self.y + lh > self.bottom() {
            self.new_page();
        }
        self.text_bold(x, self.y + lh * 0.7, size, label);
        for line in lines {
            if self.y + lh > self.bottom() {
                self.new_page();
            }
            self.y += lh;
            self.text(x + lw, self.y - lh * 0.3, size, &line);
        }
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, thickness_pt: f32) {
        self.ops.push(Op::SetOutlineThickness {
            pt: Pt(thickness_pt),
        });
        self.ops.push(Op::DrawLine {
            line: Line {
                points: vec![
                    LinePoint {
                        p: self.pt(x1, y1),
                        bezier: false,
                    },
                    LinePoint {
                        p: self.pt(x2, y2),
                        bezier: false,
                    },
                ],
                is_closed: false,
            },
        });
    }

    pub fn dashed(&mut self, on: bool) {
        let dash = if on {
            LineDashPattern::new(0.0, &[3.0, 2.0])
        } else {
            LineDashPattern::solid()
        };
        self.ops.push(Op::SetLineDashPattern { dash });
    }

    /// A closed path through `points` (x, y, is-a-Bézier-control-point), stroked.
    pub fn curve(&mut self, points: &[(f32, f32, bool)], thickness_pt: f32) {
        self.ops.push(Op::SetOutlineThickness {
            pt: Pt(thickness_pt),
        });
        self.ops.push(Op::DrawLine {
            line: Line {
                points: points
                    .iter()
                    .map(|&(x, y, bezier)| LinePoint {
                        p: self.pt(x, y),
                        bezier,
                    })
                    .collect(),
                is_closed: true,
            },
        });
    }

    /// A rectangle with its top-left corner at (x, y).
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, mode: PaintMode) {
        let p = self.pt(x, y + h);
        let mut r = Rect::from_xywh(p.x, p.y, Pt(w / MM_PER_PT), Pt(h / MM_PER_PT));
        r.mode = Some(mode);
        self.ops.push(Op::DrawRectangle { rectangle: r });
    }

    pub fn fill_grey(&mut self, level: f32) {
        self.ops.push(Op::SetFillColor { col: grey(level) });
    }

    pub fn stroke_grey(&mut self, level: f32) {
        self.ops.push(Op::SetOutlineColor { col: grey(level) });
    }

    pub fn fill_rgb(&mut self, r: f32, g: f32, b: f32) {
        self.ops.push(Op::SetFillColor {
            col: Color::Rgb(Rgb {
                r,
                g,
                b,
                icc_profile: None,
            }),
        });
    }

    /// A QR code of `data`, `size` mm square, top-left at (x, y).
    pub fn qr(&mut self, x: f32, y: f32, size: f32, data: &str) -> Result<()> {
        let code = qrcode::QrCode::with_error_correction_level(data, qrcode::EcLevel::M)
            .map_err(|e| Error::invalid("number", format!("无法生成二维码：{e}")))?;
        let n = code.width();
        let module = size / n as f32;
        let colors = code.to_colors();
        self.fill_grey(BLACK);
        for row in 0..n {
            let mut col = 0;
            while col < n {
                if colors[row * n + col] == qrcode::Color::Dark {
                    let start = col;
                    while col < n && colors[row * n + col] == qrcode::Color::Dark {
                        col += 1;
                    }
                    let (rx, ry) = (x + start as f32 * module, y + row as f32 * module);
                    self.rect(
                        rx,
                        ry,
                        (col - start) as f32 * module,
                        module,
                        PaintMode::Fill,
                    );
                } else {
                    col += 1;
                }
            }
        }
        Ok(())
    }

    /// A Code128 barcode (character set B) of `data`, `w` × `h` mm, top-left at (x, y).
    pub fn code128(&mut self, x: f32, y: f32, w: f32, h: f32, data: &str) -> Result<()> {
        let code = barcoders::sym::code128::Code128::new(format!("\u{0181}{data}"))
            .map_err(|e| Error::invalid("number", format!("无法生成条形码：{e}")))?;
        let bars = code.encode();
        let module = w / bars.len() as f32;
        self.fill_grey(BLACK);
        let mut i = 0;
        while i < bars.len() {
            if bars[i] == 1 {
                let start = i;
                while i < bars.len() && bars[i] == 1 {
                    i += 1;
                }
                self.rect(
                    x + start as f32 * module,
                    y,
                    (i - start) as f32 * module,
                    h,
                    PaintMode::Fill,
                );
            } else {
                i += 1;
            }
        }
        Ok(())
    }

    /// Ends the current page and starts the next with the running head.
    pub fn new_page(&mut self) {
        let ops = std::mem::take(&mut self.ops);
        self.pages.push(ops);
        self.y = self.margin;
        if !self.running_head.is_empty() {
            let head = format!("{}（续）", self.running_head);
            self.text(self.margin, self.y + 3.5, 9.0, &head);
            self.stroke_grey(0.5);
            self.line(
                self.margin,
                self.y + 5.5,
                self.width - self.margin,
                self.y + 5.5,
                0.5,
            );
            self.stroke_grey(BLACK);
            self.y += 9.0;
        }
    }

    /// A table from the current y. Each row's cells wrap within their column; a row that does not
    /// fit moves to the next page, where the header is drawn again.
    pub fn table(&mut self, columns: &[Column<'_>], rows: &[Vec<String>], size: f32) {
        self.table_body(columns, rows, size, true);
    }

    /// A table without a header row (label and value pairs); the first column is shaded.
    pub fn table_rows(&mut self, columns: &[Column<'_>], rows: &[Vec<String>], size: f32) {
        self.table_body(columns, rows, size, false);
    }

    fn table_body(
        &mut self,
        columns: &[Column<'_>],
        rows: &[Vec<String>],
        size: f32,
        header: bool,
    ) {
        let lh = Self::leading(size);
        // A5's tables sit closer, so that a receipt of six materials stays on one page.
        let pad = if self.paper == Paper::A5 { 1.0 } else { 1.5 };
        let header_h = lh + 2.0 * pad;
        if header {
            self.table_header(columns, size, header_h);
        }
        for row in rows {
            let cells: Vec<Vec<String>> = columns
                .iter()
                .zip(row)
                .map(|(c, text)| self.wrap(text, c.width - 2.0 * pad, size))
                .collect();
            let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let row_h = lines as f32 * lh + 2.0 * pad;
            if self.y + row_h > self.bottom() {
                self.new_page();
                if header {
                    self.table_header(columns, size, header_h);
                }
            }
            let top = self.y;
            if !header {
                self.fill_grey(0.94);
                self.rect(self.margin, top, columns[0].width, row_h, PaintMode::Fill);
                self.fill_grey(BLACK);
            }
            let mut x = self.margin;
            for (col, lines) in columns.iter().zip(&cells) {
                for (i, line) in lines.iter().enumerate() {
                    let baseline = top + pad + (i as f32 + 1.0) * lh - lh * 0.3;
                    let inner = col.width - 2.0 * pad;
                    let lw = self.text_width(line, size);
                    let tx = match col.align {
                        Align::Left => x + pad,
                        Align::Center => x + pad + (inner - lw) / 2.0,
                        Align::Right => x + col.width - pad - lw,
                    };
                    self.text(tx, baseline, size, line);
                }
                x += col.width;
            }
            self.grid_row(columns, top, row_h);
            self.y = top + row_h;
        }
    }

    fn table_header(&mut self, columns: &[Column<'_>], size: f32, h: f32) {
        if self.y + h * 2.0 > self.bottom() {
            self.new_page();
        }
        let top = self.y;
        let total: f32 = columns.iter().map(|c| c.width).sum();
        self.fill_grey(0.9);
        self.rect(self.margin, top, total, h, PaintMode::Fill);
        self.fill_grey(BLACK);
        let mut x = self.margin;
        for c in columns {
            self.text_center(
                x + c.width / 2.0,
                top + h - 1.5 - Self::leading(size) * 0.3,
                size,
                c.title,
                true,
            );
            x += c.width;
        }
        self.grid_row(columns, top, h);
        self.y = top + h;
    }

    fn grid_row(&mut self, columns: &[Column<'_>], top: f32, h: f32) {
        let total: f32 = columns.iter().map(|c| c.width).sum();
        self.stroke_grey(BLACK);
        self.rect(self.margin, top, total, h, PaintMode::Stroke);
        let mut x = self.margin;
        for c in &columns[..columns.len().saturating_sub(1)] {
            x += c.width;
            self.line(x, top, x, top + h, 0.5);
        }
    }

    /// Moves down to a fresh page when less than `needed` mm are left.
    pub fn keep(&mut self, needed: f32) {
        if self.y + needed > self.bottom() {
            self.new_page();
        }
    }

    /// Writes the page footers ("第 i 页 共 n 页"), adds the font with the glyphs printed, and
    /// serializes the document.
    pub fn finish(mut self, created: chrono::NaiveDateTime) -> Result<(Vec<u8>, usize)> {
        let last = std::mem::take(&mut self.ops);
        self.pages.push(last);
        let n = self.pages.len();
        let (w, h, m) = (self.width, self.height, self.margin);
        let footer = self.footer.clone();
        let mut pages = Vec::with_capacity(n);
        for (i, ops) in std::mem::take(&mut self.pages).into_iter().enumerate() {
            self.ops = ops;
            let y = h - m + 2.0;
            self.stroke_grey(0.5);
            self.line(m, y - 4.0, w - m, y - 4.0, 0.5);
            self.stroke_grey(BLACK);
            self.text(m, y, 8.0, &footer);
            self.text_right(w - m, y, 8.0, &format!("第 {} 页 共 {n} 页", i + 1));
            pages.push(PdfPage::new(Mm(w), Mm(h), std::mem::take(&mut self.ops)));
        }
        Ok((self.save(pages, created)?, n))
    }

    /// Ends the document as drawn, adding nothing to its pages (a slip has no footer and no page
    /// number), and serializes it with the font as [`Canvas::finish`] does.
    pub fn finish_bare(mut self, created: chrono::NaiveDateTime) -> Result<(Vec<u8>, usize)> {
        let last = std::mem::take(&mut self.ops);
        self.pages.push(last);
        let (w, h) = (self.width, self.height);
        let pages: Vec<PdfPage> = std::mem::take(&mut self.pages)
            .into_iter()
            .map(|ops| PdfPage::new(Mm(w), Mm(h), ops))
            .collect();
        let n = pages.len();
        Ok((self.save(pages, created)?, n))
    }

    /// The document's dates and producer, its pages, and the font cut to the glyphs printed.
    fn save(mut self, pages: Vec<PdfPage>, created: chrono::NaiveDateTime) -> Result<Vec<u8>> {
        let stamp = pdf_date(created);
        self.doc.metadata.info.creation_date = stamp;
        self.doc.metadata.info.modification_date = stamp;
        self.doc.metadata.info.metadata_date = stamp;
        self.doc.metadata.info.producer = "Bianmin".into();
        self.doc.metadata.info.creator = "Bianmin".into();
        self.doc.with_pages(pages);
        let font = self
            .font
            .subset(&self.chars)
            .map_err(|m| Error::invalid("font", m))?;
        self.doc
            .resources
            .fonts
            .map
            .insert(self.font_id.clone(), PdfFont::new(font));
        let mut warnings = Vec::new();
        let opts = PdfSaveOptions {
            subset_fonts: true,
            ..Default::default()
        };
        Ok(china_time(self.doc.save(&opts, &mut warnings), created))
    }
}

/// printpdf writes every date with the offset `+00'00'` whatever it is given; the forms' dates are
/// China Standard Time, so they are marked `+08'00'` (the same length: no offset in the file
/// moves). Only the exact date strings of `at` are touched.
fn china_time(mut pdf: Vec<u8>, at: chrono::NaiveDateTime) -> Vec<u8> {
    let utc = format!("D:{}+00'00'", at.format("%Y%m%d%H%M%S")).into_bytes();
    let cst = format!("D:{}+08'00'", at.format("%Y%m%d%H%M%S")).into_bytes();
    let mut i = 0;
    while let Some(at) = pdf[i..]
        .windows(utc.len())
        .position(|w| w == utc.as_slice())
    {
        let start = i + at;
        pdf[start..start + cst.len()].copy_from_slice(&cst);
        i = start + cst.len();
    }
    pdf
}

fn pdf_date(at: chrono::NaiveDateTime) -> printpdf::OffsetDateTime {
    use chrono::{Datelike, Timelike};
    printpdf::OffsetDateTime {
        date: printpdf::date::Date {
            year: at.year(),
            month: at.month() as u8,
            day: at.day() as u8,
        },
        time: printpdf::date::Time {
            hour: at.hour() as u8,
            minute: at.minute() as u8,
            second: at.second() as u8,
            millisecond: 0,
        },
        offset: printpdf::date::Offset {
            hours: 8,
            minutes: 0,
            seconds: 0,
            milliseconds: 0,
        },
    }
}
