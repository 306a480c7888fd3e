//! What the front ends ask of the catalogue: search, item pages, departments, letter alerts.

use chrono::NaiveDate;
use serde::Serialize;

use super::{
    effective_mode, search, Grant, Item, Letter, LetterState, Listing, Material, Mode, Office,
};
use crate::staffing::Town;
use crate::store::{Queries, Store};
use crate::town::resolve_town;
use crate::{Error, Result};

/// One line of a catalogue listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ItemSummary {
    pub code: String,
    pub name: String,
    pub item_type: String,
    pub department: String,
    /// The mode on the date asked about (an entrusted item without a valid letter: forward).
    pub mode: Mode,
    /// The mode the catalogue configures for the town.
    pub configured_mode: Mode,
    pub promised: String,
    pub post: String,
}

impl ItemSummary {
    fn new(item: &Item, letters: &[Letter], on: NaiveDate) -> Self {
        ItemSummary {
            code: item.code.clone(),
            name: item.name.clone(),
            item_type: item.item_type.clone(),
            department: item.department.clone(),
            mode: effective_mode(item, letters, on),
            configured_mode: item.mode,
            promised: item.promised.display(),
            post: item.post.clone(),
        }
    }
}

/// What to look for in the catalogue.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub query: String,
    /// Matches the mode that holds on the date.
    pub mode: Option<Mode>,
    pub department: Option<String>,
}

/// Search the town's catalogue by name, code or pinyin initials, with optional filters.
pub fn find_items<S: Store>(
    store: &mut S,
    town: Option<&str>,
    filter: &Filter,
    on: NaiveDate,
) -> Result<Vec<ItemSummary>> {
    store.read(|q| {
        let town = resolve_town(q, town)?;
        let items = q.items(town.id)?;
        let letters = q.letters(town.id)?;
        Ok(search(&items, &filter.query)
            .into_iter()
            .map(|i| ItemSummary::new(i, &letters, on))
            .filter(|s| filter.mode.is_none_or(|m| s.mode == m))
            .filter(|s| {
                filter
                    .department
                    .as_deref()
                    .is_none_or(|d| s.department == d)
            })
            .collect())
    })
}

/// The departments that appear in a town's catalogue, sorted.
pub fn departments<S: Store>(store: &mut S, town: Option<&str>) -> Result<Vec<String>> {
    store.read(|q| {
        let town = resolve_town(q, town)?;
        let mut d: Vec<String> = q
            .items(town.id)?
            .into_iter()
            .map(|i| i.department)
            .collect();
        d.sort();
        d.dedup();
        Ok(d)
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct LetterView {
    pub number: String,
    pub issuer: String,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub state: LetterState,
    pub days_left: i64,
}

/// An item's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ItemDetail {
    #[serde(flatten)]
    pub summary: ItemSummary,
    pub legal_basis: String,
    pub statutory: String,
    pub fee: String,
    pub materials: Vec<Material>,
    /// The town's letters that name this item.
    pub letters: Vec<LetterView>,
    /// 办理地点, 办理时间, 咨询电话.
    pub office: Office,
    /// The 实施清单's codes and terms; whether a pledge may stand for materials.
    pub listing: Listing,
    /// The provincial decision of an empowered item.
    pub grant: Option<Grant>,
}

/// Loads an item of a town, refusing an unknown code with a message naming `field`.
pub(crate) fn load_item(
    q: &dyn Queries,
    town: &Town,
    field: &'static str,
    code: &str,
) -> Result<Item> {
    q.item(town.id, code.trim())?.ok_or_else(|| {
        Error::invalid(
            field,
            format!("事项编码“{}”在{}的事项目录中不存在", code.trim(), town.name),
        )
    })
}

pub fn item_detail<S: Store>(
    store: &mut S,
    town: Option<&str>,
    code: &str,
    on: NaiveDate,
) -> Result<ItemDetail> {
    store.read(|q| {
        let town = resolve_town(q, town)?;
        let item = load_item(q, &town, "item", code)?;
        let letters = q.letters(town.id)?;
        Ok(ItemDetail {
            summary: ItemSummary::new(&item, &letters, on),
            legal_basis: item.legal_basis.clone(),
            statutory: item.statutory.display(),
            fee: item.fee.clone(),
            letters: letters
                .iter()
                .filter(|l| l.items.contains(&item.code))
                .map(|l| LetterView {
                    number: l.number.clone(),
                    issuer: l.issuer.clone(),
                    valid_from: l.valid_from,
                    valid_to: l.valid_to,
                    state: l.state(on),
                    days_left: l.days_left(on),
                })
                .collect(),
            office: item.office,
            listing: item.listing,
            grant: item.grant,
            materials: item.materials,
        })
    })
}

/// A letter the hall must hear about: ending within 30 days, or ended while some item it
/// covered has no other valid letter (so that item has fallen back to accept-and-forward).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct LetterAlert {
    pub number: String,
    pub issuer: String,
    pub valid_to: NaiveDate,
    pub days_left: i64,
    pub state: LetterState,
    /// Names of the items it covers.
    pub items: Vec<String>,
}

pub fn letter_alerts<S: Store>(
    store: &mut S,
    town: Option<&str>,
    on: NaiveDate,
) -> Result<Vec<LetterAlert>> {
    store.read(|q| {
        let town = resolve_town(q, town)?;
        let letters = q.letters(town.id)?;
        let items = q.items(town.id)?;
        let name_of = |code: &str| {
            items
                .iter()
                .find(|i| i.code == code)
                .map_or_else(|| code.to_string(), |i| i.name.clone())
        };
        let uncovered = |l: &Letter| {
            l.items
                .iter()
                .any(|c| !letters.iter().any(|other| other.covers(c, on)))
        };
        let mut alerts: Vec<LetterAlert> = letters
            .iter()
            .filter(|l| match l.state(on) {
                LetterState::Expiring => true,
                LetterState::Expired => uncovered(l),
                LetterState::Valid | LetterState::NotYet => false,
            })
            .map(|l| LetterAlert {
                number: l.number.clone(),
                issuer: l.issuer.clone(),
                valid_to: l.valid_to,
                days_left: l.days_left(on),
                state: l.state(on),
                items: l.items.iter().map(|c| name_of(c)).collect(),
            })
            .collect();
        alerts.sort_by_key(|a| a.days_left);
        Ok(alerts)
    })
}
