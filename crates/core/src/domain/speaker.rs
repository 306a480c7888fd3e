//! Who speaks in a form (issue 16, points 1 and 2): the body in whose name an act is done, and
//! where a resident who disagrees applies for administrative reconsideration.
//!
//! A township's service centre hosts the counters and decides nothing: it is not an
//! administrative body. The township's own acts (下放 items, and the receiving of everything
//! else) are the 镇人民政府's. An act under entrustment (委托) is the entrusting department's,
//! done by the township in its name (行政许可法 Art. 24, 行政处罚法 Art. 20), and the
//! department answers for it: it is the respondent (行政复议法 2023 Art. 19), so the
//! reconsideration body is the department's own government (Art. 24(1)); for the township's own
//! acts it is the county-level government above it (Art. 24(2)). The time limits are the
//! law's: 60 days to apply for reconsideration (行政复议法 Art. 20), six months to sue
//! (行政诉讼法 Art. 46).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::domain::catalog::{effective_mode, valid_letter, Item, Letter, Mode};

/// The body of a form and the route of appeal against what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Speaker {
    /// In whose name the act is done: 东风镇人民政府, or the entrusting department (市林业局).
    pub body: String,
    /// An entrusted act: the township that does it and the letter, said after the body
    /// ("委托东风镇人民政府办理，委托书 林委〔2025〕1号").
    pub entrusted: Option<String>,
    /// Where to apply for administrative reconsideration.
    pub review_body: String,
    /// A power given by a provincial decision (赋权), exercised in the township's own name:
    /// the decision, said after the body ("依据黔府发〔2021〕12号（2021年8月30日）赋权").
    pub empowered: Option<String>,
}

impl Speaker {
    /// The body with the entrustment said after it, as a form's sentence names it.
    pub fn named(&self) -> String {
        match self.entrusted.as_ref().or(self.empowered.as_ref()) {
            Some(e) => format!("{}（{e}）", self.body),
            None => self.body.clone(),
        }
    }

    /// The paragraph of appeal rights a decision or refusal ends with.
    pub fn appeal(&self, document: &str) -> String {
        format!(
            "　　如对本决定不服，可以自收到本{document}之日起六十日内依法向{}申请行政复议，也可以自收到本{document}之日起六个月内依法向人民法院提起行政诉讼。",
            self.review_body
        )
    }
}

/// The township government of `town` (东风镇 → 东风镇人民政府).
pub fn town_government(town: &str) -> String {
    format!("{town}人民政府")
}

/// The government of a department's own level, named up to the first level in its name:
/// 市林业局 → 市人民政府, 贵阳市林业局 → 贵阳市人民政府, 县农业农村局 → 县人民政府; a name without
/// a level is named through the department.
pub fn department_government(department: &str) -> String {
    const LEVELS: [char; 7] = ['省', '市', '州', '盟', '县', '区', '旗'];
    match department.char_indices().find(|(_, c)| LEVELS.contains(c)) {
        Some((i, c)) => format!("{}人民政府", &department[..i + c.len_utf8()]),
        None => format!("{department}的本级人民政府"),
    }
}

/// Who speaks for a request of `item` in `town` (whose superior government is `superior`,
/// empty when not named) taken in on `on`, with the town's `letters`.
pub fn speaker(
    town: &str,
    superior: &str,
    item: &Item,
    letters: &[Letter],
    on: NaiveDate,
) -> Speaker {
    let own = || Speaker {
        body: town_government(town),
        entrusted: None,
        review_body: if superior.trim().is_empty() {
            format!("{town}所在的县级人民政府")
        } else {
            superior.trim().to_string()
        },
        empowered: None,
    };
    match effective_mode(item, letters, on) {
        Mode::Entrusted => match valid_letter(letters, &item.code, on) {
            Some(l) => Speaker {
                body: l.issuer.clone(),
                entrusted: Some(format!(
                    "委托{}办理，委托书 {}",
                    town_government(town),
                    l.number
                )),
                review_body: department_government(&l.issuer),
                empowered: None,
            },
            None => own(),
        },
        // 赋权: the township's own act, which names the decision that gave it the power.
        Mode::Empowered => Speaker {
            empowered: Some(match &item.grant {
                Some(g) => format!(
                    "依据{}（{}年{}月{}日）赋权",
                    g.number,
                    g.on.year(),
                    g.on.month(),
                    g.on.day()
                ),
                None => "依据省级赋权决定".to_string(),
            }),
            ..own()
        },
        Mode::Delegated | Mode::Forward | Mode::CityOnly => own(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::TimeLimit;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn item(mode: Mode) -> Item {
        Item {
            code: "LY-101".into(),
            name: "林木采伐许可证核发".into(),
            initials: "lmcfxkzhf".into(),
            item_type: "行政许可".into(),
            department: "市林业局".into(),
            legal_basis: "《中华人民共和国森林法》第五十六条".into(),
            statutory: TimeLimit::WorkingDays(20),
            promised: TimeLimit::WorkingDays(10),
            fee: "不收费".into(),
            post: "农业窗口".into(),
            mode,
            grant: None,
            office: Default::default(),
            listing: Default::default(),
            materials: vec![],
        }
    }

    fn letter() -> Letter {
        Letter {
            number: "林委〔2025〕1号".into(),
            issuer: "市林业局".into(),
            items: vec!["LY-101".into()],
            valid_from: d("2025-01-01"),
            valid_to: d("2026-12-31"),
        }
    }

    /// Every mode, an entrusted item inside and outside its letter: the body, the entrustment
    /// said after it, and the reconsideration body. Never the service centre.
    #[test]
    fn who_speaks_and_where_to_appeal_by_mode() {
        let letters = [letter()];
        let own = ("东风镇人民政府", None, "东风镇所在的县级人民政府");
        let cases = [
            (Mode::Delegated, "2026-06-01", own),
            (Mode::Forward, "2026-06-01", own),
            (Mode::CityOnly, "2026-06-01", own),
            (
                Mode::Entrusted,
                "2026-06-01",
                (
                    "市林业局",
                    Some("委托东风镇人民政府办理，委托书 林委〔2025〕1号"),
                    "市人民政府",
                ),
            ),
            // The letter has ended: the township only receives, in its own name.
            (Mode::Entrusted, "2027-01-04", own),
        ];
        for (mode, on, (body, entrusted, review)) in cases {
            let s = speaker("东风镇", "", &item(mode), &letters, d(on));
            assert_eq!(
                (
                    s.body.as_str(),
                    s.entrusted.as_deref(),
                    s.review_body.as_str()
                ),
                (body, entrusted, review),
                "{mode:?} {on}"
            );
            assert!(!s.named().contains("中心"));
        }
        let s = speaker(
            "东风镇",
            "",
            &item(Mode::Entrusted),
            &letters,
            d("2026-06-01"),
        );
        assert_eq!(
            s.named(),
            "市林业局（委托东风镇人民政府办理，委托书 林委〔2025〕1号）"
        );
        let a = s.appeal("通知书");
        assert!(a.contains("六十日内依法向市人民政府申请行政复议"), "{a}");
        assert!(a.contains("六个月内依法向人民法院提起行政诉讼"), "{a}");
    }

    /// 赋权 (issue 16 point 6): the township acts in its own name, naming the provincial
    /// decision that gave the power; appeals go where the township's own acts go.
    #[test]
    fn an_empowered_act_is_the_townships_own_and_cites_the_decision() {
        let mut it = item(Mode::Empowered);
        it.grant = Some(crate::domain::catalog::Grant {
            number: "黔府发〔2021〕12号".into(),
            on: d("2021-08-30"),
        });
        let s = speaker("东风镇", "", &it, &[letter()], d("2026-06-01"));
        assert_eq!(
            (
                s.body.as_str(),
                s.entrusted.as_deref(),
                s.review_body.as_str()
            ),
            ("东风镇人民政府", None, "东风镇所在的县级人民政府")
        );
        assert_eq!(
            s.named(),
            "东风镇人民政府（依据黔府发〔2021〕12号（2021年8月30日）赋权）"
        );
    }

    /// A town that names its superior government sends appeals against its own acts there;
    /// an entrusted act still goes to the department's government.
    #[test]
    fn a_named_superior_government_hears_the_towns_own_acts() {
        let letters = [letter()];
        let s = speaker(
            "东风镇",
            "贵阳市乌当区人民政府",
            &item(Mode::Delegated),
            &letters,
            d("2026-06-01"),
        );
        assert_eq!(s.review_body, "贵阳市乌当区人民政府");
        assert!(s
            .appeal("决定书")
            .contains("六十日内依法向贵阳市乌当区人民政府申请行政复议"));
        let s = speaker(
            "东风镇",
            "贵阳市乌当区人民政府",
            &item(Mode::Entrusted),
            &letters,
            d("2026-06-01"),
        );
        assert_eq!(s.review_body, "市人民政府");
    }

    #[test]
    fn a_departments_government_is_of_its_own_level() {
        for (dept, gov) in [
            ("市林业局", "市人民政府"),
            ("县农业农村局", "县人民政府"),
            ("区市场监督管理局", "区人民政府"),
            ("贵阳市林业局", "贵阳市人民政府"),
            ("市公安局（户籍所在地派出所）", "市人民政府"),
            ("林业局", "林业局的本级人民政府"),
        ] {
            assert_eq!(department_government(dept), gov);
        }
    }
}
