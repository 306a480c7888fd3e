//! Benchmarks of the authority decision and of catalogue search over 5,000 items.
//! Run with `cargo bench -p bianmin-core --bench catalog`.

use std::hint::black_box;

use bianmin_core::authority::{decide, Action, Situation};
use bianmin_core::catalog::{initials, search, Item, Letter, Mode, TimeLimit};
use bianmin_core::staff::{Credential, Role, StaffProfile, ENFORCEMENT_CARD};
use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};

const SUBJECTS: &[&str] = &[
    "临时救助",
    "最低生活保障",
    "林木采伐",
    "宅基地",
    "乡村建设规划",
    "养老保险",
    "医疗救助",
    "残疾人补贴",
    "高龄津贴",
    "就业登记",
    "农机购置",
    "危房改造",
    "生育登记",
    "退役军人",
    "孤儿生活费",
    "法律援助",
    "个体工商户",
    "动物防疫",
    "农药经营",
    "种子经营",
];
const VERBS: &[&str] = &[
    "申请",
    "审核确认",
    "核发",
    "变更",
    "注销",
    "补办",
    "年度审验",
    "备案",
    "延续",
    "查询",
];
const PLACES: &[&str] = &[
    "",
    "（本镇户籍）",
    "（外出务工人员）",
    "（困难家庭）",
    "（村集体）",
    "（企业）",
    "（个人）",
    "（首次）",
    "（跨县迁入）",
    "（紧急情况）",
    "（网上预约）",
    "（代办）",
    "（老年人）",
    "（学生）",
    "（农户）",
    "（合作社）",
    "（林农）",
    "（外籍人员）",
    "（军属）",
    "（其他）",
    "（补正后）",
    "（复审）",
    "（到期换发）",
    "（遗失补办）",
    "（信息更正）",
];

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// 5,000 distinct items: 20 subjects × 10 verbs × 25 variants.
fn catalogue() -> Vec<Item> {
    let mut items = Vec::new();
    for (s, subject) in SUBJECTS.iter().enumerate() {
        for (v, verb) in VERBS.iter().enumerate() {
            for (p, place) in PLACES.iter().enumerate() {
                let name = format!("{subject}{verb}{place}");
                items.push(Item {
                    code: format!("B{s:02}-{v:02}-{p:02}"),
                    initials: initials(&name),
                    name,
                    item_type: "行政许可".into(),
                    department: "市林业局".into(),
                    legal_basis: "《中华人民共和国森林法》第五十六条".into(),
                    statutory: TimeLimit::WorkingDays(20),
                    promised: TimeLimit::WorkingDays(10),
                    fee: "不收费".into(),
                    post: "综合窗口".into(),
                    mode: Mode::ALL[(s + v + p) % 4],
                    grant: None,
                    office: Default::default(),
                    listing: Default::default(),
                    materials: vec![],
                });
            }
        }
    }
    assert_eq!(items.len(), 5000);
    items
}

fn bench_decision(c: &mut Criterion) {
    let items = catalogue();
    let item = items.iter().find(|i| i.mode == Mode::Entrusted).unwrap();
    let letters: Vec<Letter> = (0..20)
        .map(|k| Letter {
            number: format!("委〔2026〕{k}号"),
            issuer: "市林业局".into(),
            items: items
                .iter()
                .skip(k * 50)
                .take(50)
                .map(|i| i.code.clone())
                .collect(),
            valid_from: d("2025-01-01"),
            valid_to: d("2027-12-31"),
        })
        .collect();
    let staff = StaffProfile {
        id: bianmin_core::ids::StaffId(1),
        no: "DF0002".into(),
        name: "罗玉兰".into(),
        unit: "综合办公室".into(),
        town: "东风镇".into(),
        roles: vec![Role::Approver],
        credentials: vec![Credential {
            kind: ENFORCEMENT_CARD.into(),
            number: "黔执010001".into(),
            scope: "市林业局".into(),
            valid_from: d("2023-01-01"),
            valid_to: d("2028-12-31"),
        }],
        at_work: true,
    };
    let situation = Situation {
        item,
        letters: &letters,
        certified_officers: 2,
    };
    let on = d("2026-11-28");
    c.bench_function("authority decision (approve, entrusted, 20 letters)", |b| {
        b.iter(|| {
            decide(
                black_box(&staff),
                black_box(&situation),
                Action::Approve,
                on,
            )
        })
    });
}

fn bench_search(c: &mut Criterion) {
    let items = catalogue();
    let mut g = c.benchmark_group("catalogue search over 5000 items");
    for query in ["lsjz", "林木采伐", "B07-03", "审核"] {
        g.bench_function(query, |b| {
            b.iter(|| search(black_box(&items), black_box(query)).len())
        });
    }
    g.finish();
}

criterion_group!(benches, bench_decision, bench_search);
criterion_main!(benches);
