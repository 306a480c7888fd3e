//! "Each name and initials search is first checked to give exactly what its baseline gives": the
//! intake bench does it on a million requests before it times anything; here the same comparison
//! runs in the test command on generated requests. For every town and a spread of residents,
//! the indexed search by whole name, by part of a name and by pinyin initials returns the same
//! requests, newest first, as a scan of the table without the index (`LIKE '%part%'`, or the
//! initials compared as an expression), at most 50.

use bianmin_core::store::SqliteStore;
use bianmin_core::{demo, generate, request};
use chrono::NaiveDate;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

#[test]
fn name_and_initials_searches_find_what_a_scan_finds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut store = SqliteStore::open(&path).unwrap();
    demo::load(&mut store, today()).unwrap();
    generate::fill_requests(&mut store, 4_000, today()).unwrap();
    // One resident who came 55 times, so that a page fills and the limit and order count.
    let at = today().and_hms_opt(9, 30, 0).unwrap();
    for k in 0..55 {
        let input = request::NewRequest {
            staff: "DF0013".into(),
            item: ["MZ-001", "MZ-002", "MZ-003"][k % 3].into(),
            name: "欧阳喆赟".into(),
            id: Some(bianmin_core::identity::with_check_char("11010519491231002")),
            materials: (k % 4 == 0).then(Vec::new),
            ..Default::default()
        };
        request::new_request(&mut store, &input, at).unwrap();
    }
    let raw = rusqlite::Connection::open(&path).unwrap();

    let scan = |town: i64, sql: &str, value: &str| -> Vec<String> {
        let mut st = raw
            .prepare(&format!(
                "SELECT number FROM request WHERE town_id = ?1 AND {sql} ORDER BY id DESC LIMIT 50"
            ))
            .unwrap();
        st.query_map(rusqlite::params![town, value], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    // Residents spread over the table: whole names of two to four characters and their parts.
    let probes: Vec<(i64, String, String, String)> = {
        let mut st = raw
            .prepare(
                "SELECT r.town_id, t.name, r.applicant_name, r.name_initials FROM request r
                 JOIN town t ON t.id = r.town_id
                 WHERE r.id % 97 = 0 OR r.id = (SELECT max(id) FROM request) ORDER BY r.id",
            )
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert!(probes.len() >= 30, "{} probes", probes.len());
    let mut compared = 0;
    let mut full_pages = 0;
    for (town_id, town, name, initials) in &probes {
        let chars: Vec<char> = name.chars().collect();
        let mut queries = vec![(name.clone(), "applicant_name LIKE ?2", format!("%{name}%"))];
        if chars.len() >= 3 {
            let part: String = chars[1..].iter().collect();
            queries.push((part.clone(), "applicant_name LIKE ?2", format!("%{part}%")));
        }
        queries.push((
            initials.clone(),
            "name_initials || '' = ?2",
            initials.clone(),
        ));
        for (q, sql, value) in queries {
            let found: Vec<String> = request::search(&mut store, Some(town), &q, today())
                .unwrap()
                .into_iter()
                .map(|r| r.number)
                .collect();
            let scanned = scan(*town_id, sql, &value);
            assert!(!scanned.is_empty(), "{town} {q}: the scan finds nothing");
            assert_eq!(found, scanned, "{town} “{q}”: search and scan disagree");
            compared += 1;
            full_pages += usize::from(found.len() == 50);
        }
    }
    assert!(compared >= 90, "{compared} comparisons");
    assert!(full_pages > 0, "no search filled a page of 50");
}
