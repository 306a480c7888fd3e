//! Applicant identity as parsed types: once you hold one, it is valid (parse, don't validate).
//!
//! - [`IdNumber`]: the resident identity number of GB 11643-1999, 18 characters (region, a real
//!   birth date, sequence, MOD 11-2 check character); a 15-digit first-generation number is
//!   accepted only by converting it.
//! - [`CreditCode`]: the unified social credit code of GB 32100-2015: alphabet, area code and
//!   MOD 31 check character.
//! - [`Mobile`]: a mainland mobile number.
//! - [`Applicant`]: who a request is for, a person by ID number or an organisation by code.
//!
//! Each masks itself for screens, JSON, paper and logs.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use crate::{Error, Result};

const WEIGHTS_11: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_11: &[u8; 11] = b"10X98765432";

/// Province-level codes in use (the first two digits of a region code).
const PROVINCES: &[u32] = &[
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdNumber(String);

fn check_char(first17: &[u8]) -> u8 {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS_11)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    CHECK_11[(sum % 11) as usize]
}

impl IdNumber {
    /// Parses an 18-character number (a trailing x is read as X), or converts a 15-digit one.
    /// `today` bounds the birth date. Refusals name `field`.
    pub fn parse(field: &'static str, text: &str, today: NaiveDate) -> Result<IdNumber> {
        let bad = |why: &str| Error::invalid(field, format!("身份证号{why}"));
        // Full-width digits and X (a Chinese input method's) are the same characters.
        let t: String = text
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' | 'Ｘ' | 'ｘ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                c => c,
            })
            .collect::<String>()
            .to_ascii_uppercase();
        let b = t.as_bytes();
        let digits17 = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
        // Counted in characters, not bytes: "李" is one character of three bytes.
        let full: Vec<u8> = match t.chars().count() {
            18 if b.len() == 18
                && digits17(&b[..17])
                && (b[17].is_ascii_digit() || b[17] == b'X') =>
            {
                b.to_vec()
            }
            15 if b.len() == 15 && digits17(b) => {
                // First generation: insert the century and compute the check character.
                let mut v = b[..6].to_vec();
                v.extend_from_slice(b"19");
                v.extend_from_slice(&b[6..]);
                let c = check_char(&v);
                v.push(c);
                v
            }
            18 | 15 => return Err(bad("只能由数字组成，18 位号码的最后一位可以是 X")),
            n => {
                return Err(bad(&format!(
                    "应为 18 位（或第一代的 15 位），这里是 {n} 位"
                )))
            }
        };
        let province: u32 = std::str::from_utf8(&full[..2])
            .unwrap()
            .parse()
            .unwrap_or(0);
        if !PROVINCES.contains(&province) {
            return Err(bad(&format!(
                "前两位“{province:02}”不是有效的省级行政区划代码"
            )));
        }
        let birth = std::str::from_utf8(&full[6..14]).unwrap();
        match NaiveDate::parse_from_str(birth, "%Y%m%d") {
            Err(_) => return Err(bad(&format!("中的出生日期“{birth}”不是真实存在的日期"))),
            Ok(d) if d > today => {
                return Err(bad(&format!("中的出生日期“{birth}”在今天（{today}）之后")))
            }
            Ok(d) if d.year() < 1900 => {
                return Err(bad(&format!("中的出生日期“{birth}”早于 1900 年")))
            }
            Ok(_) => {}
        }
        if b.len() == 18 && check_char(&full[..17]) != full[17] {
            return Err(bad(&format!(
                "校验位错误：按 GB 11643 计算，最后一位应为“{}”，请核对号码",
                check_char(&full[..17]) as char
            )));
        }
        Ok(IdNumber(String::from_utf8(full).expect("ASCII")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The last six characters, by which a clerk often searches.
    pub fn last_six(&self) -> &str {
        &self.0[12..]
    }

    pub fn birth_date(&self) -> NaiveDate {
        NaiveDate::parse_from_str(&self.0[6..14], "%Y%m%d").expect("checked at parse")
    }

    /// As DESIGN.md shows it: `5201**********123X`.
    pub fn masked(&self) -> String {
        mask(&self.0, 4, 4)
    }

    /// 男 or 女, from the sequence digit (odd for men).
    pub fn gender(&self) -> &'static str {
        if (self.0.as_bytes()[16] - b'0') % 2 == 1 {
            "男"
        } else {
            "女"
        }
    }
}

/// What a counter sees beside an ID number once it is typed: the birth date, the age and the
/// sex the number gives (age decides items such as 高龄津贴), and the number masked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct IdFacts {
    #[ts(type = "string")]
    pub birth_date: NaiveDate,
    /// Full years on `today` (周岁): one more on each birthday; born on 29 February, on 1 March
    /// of a common year.
    pub age: u32,
    /// 男 or 女.
    pub sex: &'static str,
    pub masked: String,
}

impl IdFacts {
    /// Checks `text` as [`IdNumber::parse`] does (refusals name `field`) and reads its facts.
    pub fn of(field: &'static str, text: &str, today: NaiveDate) -> Result<IdFacts> {
        let id = IdNumber::parse(field, text, today)?;
        let birth = id.birth_date();
        Ok(IdFacts {
            birth_date: birth,
            age: full_years(birth, today),
            sex: id.gender(),
            masked: id.masked(),
        })
    }
}

/// Full years from `birth` to `on` (0 before the first birthday).
pub fn full_years(birth: NaiveDate, on: NaiveDate) -> u32 {
    let years = on.year() - birth.year();
    let before_birthday = (on.month(), on.day()) < (birth.month(), birth.day());
    u32::try_from(years - i32::from(before_birthday)).unwrap_or(0)
}

/// Keeps `head` and `tail` characters and stars the rest.
pub fn mask(s: &str, head: usize, tail: usize) -> String {
    // Every row a search returns masks its numbers: one pass, one allocation.
    let count = s.chars().count();
    let mut out = String::with_capacity(s.len());
    if count <= head + tail {
        out.extend(std::iter::repeat_n('*', count));
        return out;
    }
    for (i, ch) in s.chars().enumerate() {
        out.push(if i < head || i >= count - tail {
            ch
        } else {
            '*'
        });
    }
    out
}

/// Never print a full ID by accident: Debug shows the masked form.
impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}

const USCC_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CreditCode {
    code: String,
}

impl CreditCode {
    /// Parses an 18-character code of GB 32100-2015: the alphabet (no I, O, S, V, Z), the six
    /// digits of the registering authority's area code (characters 3 to 8) and the check
    /// character (MOD 31 over the first 17 with weights 3^(i−1) mod 31). Each failure names
    /// what is wrong.
    pub fn parse(field: &'static str, text: &str) -> Result<CreditCode> {
        let t = text.trim().to_ascii_uppercase();
        let n = t.chars().count();
        if n != 18 {
            return Err(Error::invalid(
                field,
                format!("统一社会信用代码应为 18 位，这里是 {n} 位"),
            ));
        }
        if let Some(c) = t.chars().find(|c| !USCC_CHARS.contains(*c)) {
            return Err(Error::invalid(
                field,
                format!("统一社会信用代码含有不允许的字符“{c}”（不使用 I、O、S、V、Z）"),
            ));
        }
        if !t[2..8].bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::invalid(
                field,
                format!(
                    "统一社会信用代码第 3 至 8 位是登记管理机关的行政区划码，应为 6 位数字，这里是“{}”",
                    &t[2..8]
                ),
            ));
        }
        let values: Vec<u32> = t
            .chars()
            .map(|c| USCC_CHARS.find(c).expect("checked above") as u32)
            .collect();
        let sum: u32 = values[..17]
            .iter()
            .zip(USCC_WEIGHTS)
            .map(|(v, w)| v * w)
            .sum();
        let expected = (31 - sum % 31) % 31;
        if values[17] != expected {
            return Err(Error::invalid(
                field,
                "统一社会信用代码的校验位（第 18 位）与前 17 位不符（GB 32100），请与营业执照逐位核对",
            ));
        }
        Ok(CreditCode { code: t })
    }

    pub fn as_str(&self) -> &str {
        &self.code
    }

    pub fn masked(&self) -> String {
        mask(&self.code, 8, 4)
    }
}

impl fmt::Debug for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CreditCode({})", self.masked())
    }
}

/// Who a request is for: a person by resident ID number (个人) or an organisation by unified
/// social credit code (法人). `Debug` shows the masked number, as the inner types do.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum Applicant {
    Person(IdNumber),
    Org(CreditCode),
}

impl Applicant {
    /// "person" or "org", as the store's `applicant_kind` column keeps it.
    pub fn kind(&self) -> &'static str {
        match self {
            Applicant::Person(_) => "person",
            Applicant::Org(_) => "org",
        }
    }

    /// The whole number or code: for the store, a search by full number and the audited
    /// `read_full_id`; never for a screen.
    pub fn as_str(&self) -> &str {
        match self {
            Applicant::Person(id) => id.as_str(),
            Applicant::Org(code) => code.as_str(),
        }
    }

    /// The last six characters, which the store keeps indexed for search.
    pub fn last_six(&self) -> &str {
        let s = self.as_str();
        &s[s.len().saturating_sub(6)..]
    }

    /// As screens and paper show it: `5201**********123X`, `91520102*******0X1`.
    pub fn masked(&self) -> String {
        match self {
            Applicant::Person(id) => id.masked(),
            Applicant::Org(code) => code.masked(),
        }
    }

    /// Reads back what [`Applicant::kind`] and [`Applicant::as_str`] wrote, or `None`. A stored
    /// ID number was fully checked when it was taken in; here (on every row a search returns)
    /// its form and check digit are checked again, which catches a damaged or hand-edited value
    /// without re-reading the birth date, and the text becomes the number without a copy. What
    /// does not read back is handed back as `Err`.
    pub fn from_stored(kind: &str, text: String) -> std::result::Result<Applicant, String> {
        match kind {
            "person" => {
                let b = text.as_bytes();
                let well_formed = b.len() == 18
                    && b[..17].iter().all(u8::is_ascii_digit)
                    && (b[17].is_ascii_digit() || b[17] == b'X')
                    && check_char(&b[..17]) == b[17];
                if well_formed {
                    Ok(Applicant::Person(IdNumber(text)))
                } else {
                    Err(text)
                }
            }
            // By form only: codes taken in before the check character was enforced (issue 16)
            // stay readable.
            "org" => {
                let well_formed =
                    text.chars().count() == 18 && text.chars().all(|c| USCC_CHARS.contains(c));
                if well_formed {
                    Ok(Applicant::Org(CreditCode { code: text }))
                } else {
                    Err(text)
                }
            }
            _ => Err(text),
        }
    }
}

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Mobile(String);

impl Mobile {
    /// An 11-digit mainland mobile number starting 13–19; spaces and dashes are dropped.
    pub fn parse(field: &'static str, text: &str) -> Result<Mobile> {
        let digits: String = text.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let ok = digits.len() == 11
            && digits.bytes().all(|b| b.is_ascii_digit())
            && digits.starts_with('1')
            && (b'3'..=b'9').contains(&digits.as_bytes()[1]);
        if ok {
            Ok(Mobile(digits))
        } else {
            Err(Error::invalid(
                field,
                format!("手机号“{text}”无效：应为 11 位数字，以 13 至 19 开头"),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `138****5678`.
    pub fn masked(&self) -> String {
        mask(&self.0, 3, 4)
    }
}

impl fmt::Debug for Mobile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mobile({})", self.masked())
    }
}

/// Builds a valid ID number from its first 17 characters (for tests, demos and generators).
pub fn with_check_char(first17: &str) -> String {
    assert!(first17.len() == 17 && first17.bytes().all(|b| b.is_ascii_digit()));
    let mut s = first17.to_string();
    s.push(check_char(first17.as_bytes()) as char);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    /// Issue 16, defect 19: lengths are counted in characters, full-width digits (a Chinese
    /// input method's) are read as digits, and a birth date after today is called that, not
    /// "not a real date".
    #[test]
    fn id_messages_count_characters_and_say_what_is_wrong_with_the_birth_date() {
        let good = with_check_char("52020319850312123");
        let wide: String = good
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
            .collect();
        assert_eq!(
            IdNumber::parse("id", &wide, today()).unwrap().as_str(),
            good
        );
        let message = |text: &str| match IdNumber::parse("id", text, today()) {
            Err(Error::Invalid {
                field: "id",
                message,
            }) => message,
            other => panic!("{text}: {other:?}"),
        };
        assert!(
            message("李李李").contains("这里是 3 位"),
            "{}",
            message("李李李")
        );
        assert!(message("５２０３０３").contains("这里是 6 位"));
        let with_han = format!("{}李", &good[..17]);
        assert!(
            message(&with_han).contains("只能由数字组成"),
            "{}",
            message(&with_han)
        );
        let future = with_check_char("52020320300101123");
        assert!(message(&future).contains("在今天"), "{}", message(&future));
        assert!(!message(&future).contains("不是真实存在"));
        let feb30 = with_check_char("52020319850230123");
        assert!(message(&feb30).contains("不是真实存在的日期"));
        let old = with_check_char("52020318991231123");
        assert!(message(&old).contains("早于 1900 年"), "{}", message(&old));
    }

    #[test]
    fn a_published_example_number_passes() {
        // The worked example of GB 11643-1999: check character X.
        let id = IdNumber::parse("id", "11010519491231002x", today()).unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(id.masked(), "1101**********002X");
        assert_eq!(id.last_six(), "31002X");
        assert_eq!(format!("{id:?}"), "IdNumber(1101**********002X)");
    }

    #[test]
    fn an_applicant_masks_itself_and_reads_back_only_what_it_wrote() {
        let full = with_check_char("52020119900101123");
        let person = Applicant::Person(IdNumber::parse("id", &full, today()).unwrap());
        assert_eq!(person.kind(), "person");
        assert_eq!(person.last_six(), &full[12..]);
        assert_eq!(person.masked(), mask(&full, 4, 4));
        assert!(!format!("{person:?}").contains(&full), "{person:?}");
        assert_eq!(
            Applicant::from_stored("person", full.clone()).ok(),
            Some(person)
        );

        let org = Applicant::Org(CreditCode::parse("c", "91520102MA6DM0A0XE").unwrap());
        assert_eq!(org.masked(), "91520102******A0XE");
        assert!(!format!("{org:?}").contains("91520102MA6DM0A0XE"));
        assert_eq!(
            Applicant::from_stored("org", org.as_str().to_string()).ok(),
            Some(org)
        );
        // Taken in before the check character was enforced: still read back.
        assert!(Applicant::from_stored("org", "91520102MA6DM0A0X1".into()).is_ok());

        for (kind, text) in [
            ("person", "110105491231002"),
            ("person", "110105194912310021"),
            ("person", ""),
            ("org", "91520102ma6dm0a0xe"),
            ("org", "91520102MA6DM0A0XI"),
            ("person", "52020119900101123x"),
            ("company", full.as_str()),
        ] {
            assert_eq!(
                Applicant::from_stored(kind, text.to_string()).ok(),
                None,
                "{kind} {text}"
            );
        }
    }

    /// GB 11643: the 17th digit, the sequence code, is odd for men and even for women.
    #[test]
    fn the_sequence_digit_gives_the_sex() {
        for (first17, sex) in [
            ("11010519491231001", "男"),
            ("11010519491231002", "女"),
            ("52020319850312123", "男"),
            ("52020319900101120", "女"),
            ("52020319900101129", "男"),
        ] {
            let id = IdNumber::parse("id", &with_check_char(first17), today()).unwrap();
            assert_eq!(id.gender(), sex, "{first17}");
        }
    }

    #[test]
    fn first_generation_numbers_are_converted() {
        let id = IdNumber::parse("id", "110105491231002", today()).unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
    }

    #[test]
    fn bad_numbers_are_refused_naming_the_field() {
        for (bad, words) in [
            ("110105194912310021", "校验位错误"),
            ("110105194902300026", "出生日期"),
            ("110105203001010026", "出生日期"),
            ("990105194912310021", "行政区划代码"),
            ("11010519491231002", "18 位"),
            ("11010519491231002Y", "只能由数字组成"),
            ("'; DROP TABLE request;--", "18 位"),
        ] {
            match IdNumber::parse("id", bad, today()) {
                Err(Error::Invalid { field, message }) => {
                    assert_eq!(field, "id");
                    assert!(
                        message.contains("身份证号") && message.contains(words),
                        "{bad}: {message}"
                    );
                }
                other => panic!("{bad} gave {other:?}"),
            }
        }
    }

    /// Issue 16, defect 13: the codes the review found accepted are refused, naming the field.
    #[test]
    fn credit_codes_with_a_wrong_check_character_or_area_code_are_refused() {
        for (code, why) in [
            ("ABCDEFGHJKLMNPQRTU", "行政区划码"),
            ("91350100M000100Y44", "校验位"),
            ("91520102MA6DM0AOXX", "不允许的字符“O”"),
            ("9152", "18 位"),
        ] {
            match CreditCode::parse("credit_code", code) {
                Err(Error::Invalid { field, message }) => {
                    assert_eq!(field, "credit_code");
                    assert!(message.contains(why), "{code}: {message}");
                }
                other => panic!("{code}: {other:?}"),
            }
        }
    }

    /// GB 32100's check character worked out here from the standard's definition (weights
    /// 3^(i-1) mod 31, check 31 − sum mod 31, 31 read as 0), not from the code's table: a code
    /// carrying it is accepted, any other check character is refused; `Debug` shows only the
    /// masked code.
    #[test]
    fn credit_code_check_characters_follow_gb_32100() {
        let alphabet: Vec<char> = "0123456789ABCDEFGHJKLMNPQRTUWXY".chars().collect();
        for prefix in [
            "91520102MA6DM0A0X",
            "91110108MA01AB2CD",
            "12520000429200001",
            "52520102MA6HX0B1Y",
        ] {
            let sum: u32 = prefix
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    let v = alphabet.iter().position(|a| *a == c).unwrap() as u32;
                    v * (3u32.pow(i as u32) % 31)
                })
                .sum();
            let check = alphabet[((31 - sum % 31) % 31) as usize];
            let good = format!("{prefix}{check}");
            let c = CreditCode::parse("credit_code", &good).unwrap();
            assert_eq!(c.as_str(), good);
            assert_eq!(c.masked(), format!("{}******{}", &good[..8], &good[14..]));
            assert_eq!(format!("{c:?}"), format!("CreditCode({})", c.masked()));
            assert!(!format!("{c:?}").contains(&good));
            for other in alphabet.iter().filter(|a| **a != check) {
                let bad = format!("{prefix}{other}");
                assert!(CreditCode::parse("credit_code", &bad).is_err(), "{bad}");
            }
        }
    }

    #[test]
    fn mobiles() {
        assert_eq!(
            Mobile::parse("phone", "138 0851 2345").unwrap().masked(),
            "138****2345"
        );
        for bad in ["12345678901", "1380851234", "138085123456", "电话"] {
            assert!(Mobile::parse("phone", bad).is_err(), "{bad}");
        }
    }

    proptest! {
        /// A masked text keeps its first `head` and last `tail` characters (characters, not
        /// bytes: names and addresses are Chinese) and stars the rest; one too short to keep
        /// both is all stars, as long as it was.
        #[test]
        fn masking_keeps_the_ends_and_stars_the_middle(
            s in "[0-9X李玥镇A-Z]{0,24}", head in 0usize..10, tail in 0usize..10,
        ) {
            let chars: Vec<char> = s.chars().collect();
            let masked: Vec<char> = mask(&s, head, tail).chars().collect();
            prop_assert_eq!(masked.len(), chars.len());
            for (i, (m, c)) in masked.iter().zip(&chars).enumerate() {
                let kept = chars.len() > head + tail && (i < head || i >= chars.len() - tail);
                prop_assert_eq!(*m, if kept { *c } else { '*' }, "at {}", i);
            }
        }

        /// Any 17 digits with a valid region and birth date, completed by their check
        /// character, parse; changing the check character makes them fail.
        #[test]
        fn check_characters_round_trip(
            province in prop::sample::select(PROVINCES.to_vec()),
            rest in 0u32..10_000, days in 0i64..40_000, seq in 0u32..1000, delta in 1u8..11,
        ) {
            let birth = NaiveDate::from_ymd_opt(1920, 1, 1).unwrap() + chrono::Duration::days(days);
            prop_assume!(birth <= today());
            let first17 = format!("{province:02}{rest:04}{}{seq:03}", birth.format("%Y%m%d"));
            let good = with_check_char(&first17);
            prop_assert!(IdNumber::parse("id", &good, today()).is_ok());
            let idx = CHECK_11.iter().position(|c| *c == good.as_bytes()[17]).unwrap();
            let wrong = CHECK_11[(idx + delta as usize) % 11] as char;
            let bad = format!("{first17}{wrong}");
            prop_assert!(IdNumber::parse("id", &bad, today()).is_err());
        }

        /// GB 11643's check character worked out here from the standard's own definition
        /// (weights 2^(17-i) mod 11, check (12 - sum mod 11) mod 11, 10 written X), not from
        /// the code's tables; and a valid number with any one of its first 17 digits changed
        /// is refused, naming the field (MOD 11-2 catches every single substitution).
        #[test]
        fn one_digit_changed_is_refused(
            province in prop::sample::select(PROVINCES.to_vec()),
            rest in 0u32..10_000, days in 0i64..40_000, seq in 0u32..1000,
            at in 0usize..17, delta in 1u8..10,
        ) {
            let birth = NaiveDate::from_ymd_opt(1920, 1, 1).unwrap() + chrono::Duration::days(days);
            prop_assume!(birth <= today());
            let first17 = format!("{province:02}{rest:04}{}{seq:03}", birth.format("%Y%m%d"));
            let sum: u32 = first17
                .bytes()
                .enumerate()
                .map(|(i, b)| u32::from(b - b'0') * (2u32.pow(17 - i as u32) % 11))
                .sum();
            let check = match (12 - sum % 11) % 11 {
                10 => 'X',
                n => char::from_digit(n, 10).unwrap(),
            };
            let good = format!("{first17}{check}");
            prop_assert_eq!(with_check_char(&first17), good.clone());
            prop_assert!(IdNumber::parse("id", &good, today()).is_ok());
            let mut bytes = good.clone().into_bytes();
            bytes[at] = b'0' + (bytes[at] - b'0' + delta) % 10;
            let bad = String::from_utf8(bytes).unwrap();
            let refused = IdNumber::parse("id", &bad, today());
            prop_assert!(
                matches!(refused, Err(crate::Error::Invalid { field: "id", .. })),
                "{} accepted", bad
            );
        }

        #[test]
        fn parsing_never_panics(s in "\\PC{0,40}") {
            let _ = IdNumber::parse("id", &s, today());
            let _ = CreditCode::parse("credit_code", &s);
            let _ = Mobile::parse("phone", &s);
        }
    }
}

#[cfg(test)]
mod facts_tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Age in full years, each side of the birthday, and for a 29 February birth in common
    /// and leap years, against dates written out by hand.
    #[test]
    fn full_years_turn_on_the_birthday() {
        let table = [
            (d(1949, 12, 31), d(2026, 12, 30), 76),
            (d(1949, 12, 31), d(2026, 12, 31), 77),
            (d(1946, 11, 28), d(2026, 11, 27), 79),
            (d(1946, 11, 28), d(2026, 11, 28), 80),
            (d(2000, 2, 29), d(2026, 2, 28), 25),
            (d(2000, 2, 29), d(2026, 3, 1), 26),
            (d(2000, 2, 29), d(2028, 2, 29), 28),
            (d(2026, 11, 28), d(2026, 11, 28), 0),
        ];
        for (birth, on, age) in table {
            assert_eq!(full_years(birth, on), age, "{birth} on {on}");
        }
    }

    #[test]
    fn the_facts_of_an_id_number_are_its_birth_date_age_sex_and_mask() {
        let today = d(2026, 11, 28);
        // 1946-11-28, sequence 002 (even: a woman); 80 today, so 高龄津贴 applies.
        let id = with_check_char("52020319461128002");
        let f = IdFacts::of("id", &id, today).unwrap();
        assert_eq!(f.birth_date, d(1946, 11, 28));
        assert_eq!(f.age, 80);
        assert_eq!(f.sex, "女");
        assert_eq!(f.masked, format!("5202**********{}", &id[14..]));
        let man = IdFacts::of("id", &with_check_char("52020319850312123"), today).unwrap();
        assert_eq!((man.age, man.sex), (41, "男"));
        // A wrong check character is refused naming the field, as intake refuses it.
        let mut wrong = id.clone();
        wrong.replace_range(17.., if id.ends_with('1') { "2" } else { "1" });
        match IdFacts::of("id", &wrong, today) {
            Err(Error::Invalid {
                field: "id",
                message,
            }) => {
                assert!(message.contains("校验位"), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }
}
