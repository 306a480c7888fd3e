//! The one font every form prints with: mapped once per process and read in place, with its
//! advance widths cached, and a coverage check so a character the font lacks is refused rather
//! than printed as a box.
//!
//! The font is Noto Sans CJK, a 19.5 MB collection of ten faces sharing one 15.5 MB CFF table
//! of 65,535 glyphs, and a form prints a few hundred of them. So nothing reads the file whole: it
//! is mapped, measuring reads the face's `cmap` and `hmtx` where they lie (ttf-parser, which
//! parses a table only when asked), and each form's PDF gets a font cut down to the glyphs it
//! prints ([`FormFont::subset`]) before printpdf parses it. Reading the file and handing printpdf
//! the whole face (`ParsedFont::from_bytes`, which copies all of it once more and builds owned
//! copies of its cmap and layout tables) took most of a `bianmin form` process's time and 65 MB
//! of memory (issue 21).

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use allsorts::tables::FontTableProvider;
use printpdf::ParsedFont;
use ttf_parser::cmap::Subtable;
use ttf_parser::{Face, GlyphId, PlatformId};

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

/// One face of a mapped font file, ready to measure, check and subset.
pub struct FormFont {
    pub path: PathBuf,
    pub face: usize,
    /// The whole file, mapped for the rest of the process (see [`map`]).
    data: &'static [u8],
    /// The face's tables, parsed lazily in place: `hmtx` for advances.
    parsed: Face<'static>,
    /// The face's Unicode `cmap` subtable, the one allsorts (and so printpdf) would choose.
    cmap: Subtable<'static>,
    units_per_em: f32,
    /// Advance of each Basic Multilingual Plane character, filled on first use (a form uses a
    /// few hundred characters): 0 not looked up yet, 1 no glyph, otherwise the advance in font
    /// units + 2.
    bmp: Vec<AtomicU32>,
}

const UNKNOWN: u32 = 0;
const NO_GLYPH: u32 = 1;

/// Maps `path` for the rest of the process. The form font is loaded once per process
/// ([`form_font`] keeps it in a static), so the mapping is never unmapped, and the tables parsed
/// from it can borrow it for `'static`.
fn map(path: &std::path::Path) -> std::result::Result<&'static [u8], String> {
    let file = std::fs::File::open(path)
        .map_err(|e| format!("无法读取字体文件 {}：{e}", path.display()))?;
    // SAFETY: the map is read-only and private. A font file is not rewritten while it is in use
    // (package managers replace a font by renaming a new file over it, which leaves this mapping
    // on the old one); were it truncated under us, reading would fault, as with every program
    // that maps its fonts (fontconfig, FreeType, printpdf's own font cache).
    let mapped = unsafe { mmapio::Mmap::map(&file) }
        .map_err(|e| format!("无法读取字体文件 {}：{e}", path.display()))?;
    Ok(&Box::leak(Box::new(mapped))[..])
}

impl FormFont {
    /// Maps a font file and finds a face in it (of a collection, or a single font's face 0).
    /// Reads the table directory and the few header tables only; the rest is read on use.
    fn load(path: PathBuf, face: usize) -> std::result::Result<FormFont, String> {
        #[cfg(test)]
        LOADS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let data = map(&path)?;
        let unreadable = || format!("无法解析字体文件 {}（字形 {face}）", path.display());
        let parsed = Face::parse(data, u32::try_from(face).map_err(|_| unreadable())?)
            .map_err(|_| unreadable())?;
        let cmap = unicode_cmap(&parsed).ok_or_else(unreadable)?;
        let units_per_em = f32::from(parsed.units_per_em().max(1));
        let bmp = (0..0x1_0000).map(|_| AtomicU32::new(UNKNOWN)).collect();
        Ok(FormFont {
            path,
            face,
            data,
            parsed,
            cmap,
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
                v = self.lookup(c).map_or(NO_GLYPH, |w| u32::from(w) + 2);
                slot.store(v, Ordering::Relaxed);
            }
            (v != NO_GLYPH).then(|| (v - 2) as u16)
        } else {
            self.lookup(c)
        }?;
        Some(f32::from(units) / self.units_per_em)
    }

    /// The glyph the face draws `c` with; None for none (glyph 0, .notdef, is none).
    fn glyph(&self, c: char) -> Option<GlyphId> {
        self.cmap.glyph_index(c as u32).filter(|g| g.0 != 0)
    }

    fn lookup(&self, c: char) -> Option<u16> {
        self.glyph(c)
            .map(|g| self.parsed.glyph_hor_advance(g).unwrap_or(0))
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

    /// A font of the face's glyphs for `chars` and nothing else, for printpdf to embed (it
    /// subsets once more, keeping all of them, and writes the CID-keyed CFF it finds). Cutting
    /// the glyphs out here, from the mapped file, spares printpdf parsing the whole face: the
    /// PDF is the same, down to the CIDs (allsorts keeps each glyph's CID through a subset).
    /// Characters without a glyph are left out, as printpdf leaves them out of its own subset.
    pub(crate) fn subset(&self, chars: &BTreeSet<char>) -> std::result::Result<ParsedFont, String> {
        let failed = |e: &dyn std::fmt::Display| {
            format!(
                "无法从字体文件 {} 取出表单用到的字形：{e}",
                self.path.display()
            )
        };
        let mapped: Vec<(u32, u16)> = chars
            .iter()
            .filter_map(|&c| self.glyph(c).map(|g| (c as u32, g.0)))
            .collect();
        // .notdef first, then each glyph once, in the face's order (what printpdf does too:
        // allsorts numbers the subset's glyphs in the order given).
        let glyphs: BTreeSet<u16> = mapped.iter().map(|&(_, g)| g).collect();
        let ids: Vec<u16> = std::iter::once(0).chain(glyphs).collect();
        let file = ReadScope::new(self.data)
            .read::<FontData<'_>>()
            .map_err(|e| failed(&e))?;
        let face = file.table_provider(self.face).map_err(|e| failed(&e))?;
        // allsorts builds the subset's cmap by walking the whole of the face's (tens of
        // thousands of mappings, each compared with every kept glyph); a cmap of just the
        // characters printed gives the same subset without the walk.
        let provider = WithCmap {
            face,
            cmap: cmap_of(&mapped),
        };
        let bytes =
            subset(&provider, &ids, &keep_tables(), CmapTarget::Unicode).map_err(|e| failed(&e))?;
        let mut warnings = Vec::new();
        ParsedFont::from_bytes(&bytes, 0, &mut warnings)
            .ok_or_else(|| failed(&format!("{warnings:?}")))
    }
}

/// The tables printpdf's subset keeps (allsorts' PDF profile), and `OS/2` as well: printpdf
/// reads the weight for the PDF's font descriptor (`/StemV`) from the font it is given.
fn keep_tables() -> SubsetProfile {
    use allsorts::tag;
    SubsetProfile::Custom(vec![
        tag::CMAP,
        tag::HEAD,
        tag::CVT,
        tag::FPGM,
        tag::HHEA,
        tag::HMTX,
        tag::MAXP,
        tag::NAME,
        tag::OS_2,
        tag::POST,
        tag::PREP,
    ])
}

/// The face's Unicode subtable, chosen in allsorts' order of preference (`read_cmap_subtable`)
/// so that a character measures with the glyph printpdf will print: Windows UCS-4, Windows BMP,
/// Unicode UCS-4, then any Unicode one.
fn unicode_cmap(face: &Face<'static>) -> Option<Subtable<'static>> {
    let subtables = face.tables().cmap?.subtables;
    let find = |platform: PlatformId, encoding: Option<u16>| {
        subtables
            .into_iter()
            .find(|t| t.platform_id == platform && encoding.is_none_or(|e| t.encoding_id == e))
    };
    find(PlatformId::Windows, Some(10))
        .or_else(|| find(PlatformId::Windows, Some(1)))
        .or_else(|| find(PlatformId::Unicode, Some(4)))
        .or_else(|| find(PlatformId::Unicode, None))
}

/// A `cmap` table of one format 12 subtable (Windows, UCS-4) mapping each character of
/// `mapped`, in ascending order, to its glyph.
fn cmap_of(mapped: &[(u32, u16)]) -> Vec<u8> {
    let groups = u32::try_from(mapped.len()).unwrap_or(u32::MAX);
    let mut t = Vec::with_capacity(28 + 12 * mapped.len());
    // Header: version 0, one encoding record (platform 3, encoding 10) at offset 12.
    for v in [0u16, 1, 3, 10] {
        t.extend_from_slice(&v.to_be_bytes());
    }
    t.extend_from_slice(&12u32.to_be_bytes());
    // Subtable: format 12, reserved, length, language, number of groups.
    t.extend_from_slice(&12u16.to_be_bytes());
    t.extend_from_slice(&0u16.to_be_bytes());
    for v in [16 + 12 * groups, 0, groups] {
        t.extend_from_slice(&v.to_be_bytes());
    }
    for &(c, g) in mapped {
        for v in [c, c, u32::from(g)] {
            t.extend_from_slice(&v.to_be_bytes());
        }
    }
    t
}

/// A face whose `cmap` is replaced; every other table is the face's own, borrowed.
struct WithCmap<P> {
    face: P,
    cmap: Vec<u8>,
}

impl<P: FontTableProvider> FontTableProvider for WithCmap<P> {
    fn table_data(
        &self,
        tag: u32,
    ) -> std::result::Result<Option<Cow<'_, [u8]>>, allsorts::error::ParseError> {
        if tag == allsorts::tag::CMAP {
            Ok(Some(Cow::Borrowed(&self.cmap)))
        } else {
            self.face.table_data(tag)
        }
    }

    fn has_table(&self, tag: u32) -> bool {
        tag == allsorts::tag::CMAP || self.face.has_table(tag)
    }

    fn table_tags(&self) -> Option<Vec<u32>> {
        self.face.table_tags()
    }
}

pub const MM_PER_PT: f32 = 25.4 / 72.0;

static FONT: OnceLock<std::result::Result<FormFont, String>> = OnceLock::new();

/// How many times this test process mapped and parsed a font.
#[cfg(test)]
pub(crate) static LOADS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

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
    fn a_subset_holds_the_glyphs_printed_with_their_advances() {
        let font = form_font().unwrap();
        let chars: BTreeSet<char> = "王喆赟 9㛃".chars().collect();
        let sub = font.subset(&chars).unwrap();
        // .notdef and one glyph for each of the six characters.
        assert_eq!(sub.num_glyphs, 7);
        let upm = f32::from(sub.pdf_font_metrics.units_per_em);
        for c in chars {
            let g = sub.lookup_glyph_index(c as u32).expect("mapped");
            let advance = f32::from(sub.get_horizontal_advance(g)) / upm;
            assert_eq!(Some(advance), font.advance(c), "{c}");
        }
        // A character the face lacks is left out rather than drawn as .notdef.
        let sub = font.subset(&BTreeSet::from(['王', '\u{E000}'])).unwrap();
        assert_eq!(sub.num_glyphs, 2);
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
