//! The one font every form prints with: parsed once per process, with its advance widths cached,
//! and a coverage check so a character the font lacks is refused rather than printed as a box.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

use printpdf::ParsedFont;

use crate::error::{Error, Result};

/// Where the font is looked for when `BIANMIN_FONT` is not set: Noto Sans CJK from Debian's
/// `fonts-noto-cjk` (SIL OFL 1.1). Face 2 of the collection is the Simplified Chinese one.
const KNOWN_FONTS: &[(&str, usize)] = &[
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    (
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
        2,
    ),
    ("C:\\Windows\\Fonts\\NotoSansSC-VF.ttf", 0),
];

/// A parsed font with per-character advances, ready to measure and print.
pub struct FormFont {
    pub(crate) parsed: ParsedFont,
    pub path: PathBuf,
    pub face: usize,
    units_per_em: f32,
    /// Advance of each Basic Multilingual Plane character, filled on first use (a cmap lookup
    /// costs microseconds, and a form uses a few hundred characters): 0 not looked up yet,
    /// 1 no glyph, otherwise the advance in font units + 2.
    bmp: Vec<AtomicU32>,
}

const UNKNOWN: u32 = 0;
const NO_GLYPH: u32 = 1;

impl FormFont {
    /// Reads and parses a font file (a face of a collection, or a single font).
    pub fn load(path: PathBuf, face: usize) -> std::result::Result<FormFont, String> {
        let bytes = std::fs::read(&path)
            .map_err(|e| format!("无法读取字体文件 {}：{e}", path.display()))?;
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(&bytes, face, &mut warnings)
            .ok_or_else(|| format!("无法解析字体文件 {}（字形 {face}）", path.display()))?;
        let units_per_em = f32::from(parsed.font_metrics.units_per_em.max(1));
        let bmp = (0..0x1_0000).map(|_| AtomicU32::new(UNKNOWN)).collect();
        Ok(FormFont {
            parsed,
            path,
            face,
            units_per_em,
            bmp,
        })
    }

    /// The advance of `c` in em, or None when the font has no glyph for it.
    pub fn advance(&self, c: char) -> Option<f32> {
        let cp = c as u32;
        let units = if cp < 0x1_0000 {
            let slot = &self.bmp[cp as usize];
            let mut v = slot.load(Ordering::Relaxed);
            if v == UNKNOWN {
                v = self.lookup(cp).map_or(NO_GLYPH, |w| u32::from(w) + 2);
                slot.store(v, Ordering::Relaxed);
            }
            (v != NO_GLYPH).then(|| (v - 2) as u16)
        } else {
            self.lookup(cp)
        }?;
        Some(f32::from(units) / self.units_per_em)
    }

    fn lookup(&self, cp: u32) -> Option<u16> {
        self.parsed
            .lookup_glyph_index(cp)
            .filter(|&g| g != 0)
            .map(|g| self.parsed.get_horizontal_advance(g))
    }

    pub fn has(&self, c: char) -> bool {
        c.is_whitespace() || c.is_control() || self.advance(c).is_some()
    }

    /// Width of `text` in millimetres at `size` points. Characters without a glyph count as one
    /// em (they are refused before printing anyway).
    pub fn width_mm(&self, text: &str, size: f32) -> f32 {
        let em: f32 = text.chars().map(|c| self.advance(c).unwrap_or(1.0)).sum();
        em * size * MM_PER_PT
    }

    /// Refuses text holding a character the font cannot draw, naming the field.
    pub fn check(&self, field: &'static str, label: &str, text: &str) -> Result<()> {
        let missing: Vec<char> = text.chars().filter(|&c| !self.has(c)).collect();
        if missing.is_empty() {
            return Ok(());
        }
        let list: Vec<String> = missing
            .iter()
            .take(5)
            .map(|c| format!("“{c}”（U+{:04X}）", *c as u32))
            .collect();
        Err(Error::invalid(
            field,
            format!(
                "{label}中的{}不在打印字体中，打印出来会是空框，已停止打印；请核对后改用规范汉字，或换用覆盖更全的字体（BIANMIN_FONT）",
                list.join("、")
            ),
        ))
    }
}

pub const MM_PER_PT: f32 = 25.4 / 72.0;

static FONT: OnceLock<std::result::Result<FormFont, String>> = OnceLock::new();

/// The process-wide form font, parsed on first use. `BIANMIN_FONT=path[#face]` overrides the
/// search of the known locations.
pub fn form_font() -> Result<&'static FormFont> {
    FONT.get_or_init(|| {
        if let Ok(spec) = std::env::var("BIANMIN_FONT") {
            let (path, face) = match spec.rsplit_once('#') {
                Some((p, f)) => (p.to_string(), f.parse().unwrap_or(0)),
                None => (spec, 0),
            };
            return FormFont::load(PathBuf::from(path), face);
        }
        for (path, face) in KNOWN_FONTS {
            if std::path::Path::new(path).exists() {
                return FormFont::load(PathBuf::from(path), *face);
            }
        }
        Err("找不到打印用的中文字体：请安装 fonts-noto-cjk（Debian/Ubuntu），或用 BIANMIN_FONT 指定字体文件".into())
    })
    .as_ref()
    .map_err(|m| Error::invalid("font", m.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_the_unified_ideographs_and_extension_a() {
        let font = form_font().expect("font");
        let lacking: Vec<u32> = (0x4E00..=0x9FA5u32)
            .chain(0x3400..=0x4DB5)
            .filter(|&cp| !font.has(char::from_u32(cp).unwrap()))
            .collect();
        assert!(
            lacking.is_empty(),
            "{} missing, first {:X?}",
            lacking.len(),
            &lacking[..lacking.len().min(5)]
        );
        for c in ['玥', '喆', '赟', '堃', '犇', '㛃', '䶮'] {
            assert!(font.has(c), "{c}");
        }
    }

    #[test]
    fn a_character_outside_the_font_is_refused_naming_the_field() {
        let font = form_font().unwrap();
        // U+E000 is private use: no CJK font draws it.
        let err = font
            .check("applicant_name", "申请人姓名", "王\u{E000}")
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("U+E000") && text.contains("申请人姓名"),
            "{text}"
        );
        assert!(font.check("applicant_name", "申请人姓名", "王喆赟").is_ok());
    }

    #[test]
    fn widths_are_full_for_hanzi_and_narrower_for_digits() {
        let font = form_font().unwrap();
        let han = font.advance('国').unwrap();
        let digit = font.advance('9').unwrap();
        assert!((han - 1.0).abs() < 0.01, "{han}");
        assert!(digit < 0.7 && digit > 0.3, "{digit}");
    }
}
