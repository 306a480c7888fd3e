//! Catalogue search by name, code and pinyin initials, over items held in memory.

use pinyin::ToPinyin;

use super::Item;

/// The pinyin initials of a name, lower case: 临时救助 → "lsjz". Latin letters and digits are
/// kept (lower-cased); other characters are dropped.
pub fn initials(name: &str) -> String {
    name.chars()
        .zip(name.to_pinyin())
        .filter_map(|(c, p)| match p {
            Some(p) => p.first_letter().chars().next(),
            None if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            None => None,
        })
        .collect()
}

/// How well an item matches; lower is better.
fn rank(item: &Item, q: &str, q_lower: &str) -> Option<u8> {
    let code = item.code.to_ascii_lowercase();
    if code == q_lower {
        Some(0)
    } else if item.name == q {
        Some(1)
    } else if item.initials.starts_with(q_lower) || code.starts_with(q_lower) {
        Some(2)
    } else if item.name.starts_with(q) {
        Some(3)
    } else if item.name.contains(q) || item.initials.contains(q_lower) || code.contains(q_lower) {
        Some(4)
    } else {
        None
    }
}

/// The items matching `query` (name, code or pinyin initials), best first, then by code.
/// An empty query matches everything.
pub fn search<'a>(items: &'a [Item], query: &str) -> Vec<&'a Item> {
    let q = query.trim();
    if q.is_empty() {
        return items.iter().collect();
    }
    let q_lower = q.to_lowercase();
    let mut hits: Vec<(u8, &Item)> = items
        .iter()
        .filter_map(|i| rank(i, q, &q_lower).map(|r| (r, i)))
        .collect();
    hits.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.code.cmp(&b.1.code)));
    hits.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::{Mode, TimeLimit};

    fn item(code: &str, name: &str) -> Item {
        Item {
            code: code.into(),
            name: name.into(),
            initials: initials(name),
            item_type: "行政给付".into(),
            department: "镇人民政府".into(),
            legal_basis: String::new(),
            statutory: TimeLimit::WorkingDays(10),
            promised: TimeLimit::WorkingDays(5),
            fee: "不收费".into(),
            post: "社会事务窗口".into(),
            mode: Mode::Delegated,
            grant: None,
            office: Default::default(),
            listing: Default::default(),
            materials: vec![],
        }
    }

    #[test]
    fn initials_of_names() {
        assert_eq!(initials("临时救助"), "lsjz");
        assert_eq!(initials("高龄津贴申领"), "gljtsl");
        assert_eq!(initials("60周岁以上"), "60zsys");
        assert_eq!(initials("(个体)登记"), "gtdj");
    }

    #[test]
    fn finds_by_initials_name_and_code() {
        let items = vec![
            item("MZ-002", "临时救助"),
            item("MZ-001", "高龄津贴申领"),
            item("LY-001", "林木采伐许可证核发"),
        ];
        let names = |q| {
            search(&items, q)
                .iter()
                .map(|i| i.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names("lsjz"), ["临时救助"]);
        assert_eq!(names("LSJZ"), ["临时救助"]);
        assert_eq!(names("救助"), ["临时救助"]);
        assert_eq!(names("mz-001"), ["高龄津贴申领"]);
        assert_eq!(names("MZ"), ["高龄津贴申领", "临时救助"]);
        assert!(names("不存在的事项").is_empty());
        assert_eq!(search(&items, "  ").len(), 3);
    }
}
