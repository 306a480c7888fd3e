//! Service items, each town's mode for them, their materials and entrustment letters.

use crate::ids::{ItemId, TownId};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use super::super::conn::{args, conversion, Conn, Param, Row};
use crate::catalog::{
    Grant, Item, Letter, Listing, Material, MaterialForm, Mode, Office, TimeLimit,
};
use crate::{Error, Result};

const ITEM_COLUMNS: &str = "i.id, i.code, i.name, i.initials, i.item_type, i.department, \
     i.legal_basis, i.statutory_days, i.promised_days, i.fee, i.post, ti.mode, i.place, i.hours, \
     i.phone, i.grant_number, i.grant_date, i.basic_code, i.impl_code, i.case_kind, i.visits, \
     i.conditions, i.pledge";

pub(super) fn items(c: &dyn Conn, town_id: TownId) -> Result<Vec<Item>> {
    let mut items = c.all(
        &format!(
            "SELECT {ITEM_COLUMNS} FROM item i
             JOIN town_item ti ON ti.item_id = i.id AND ti.town_id = ?1 ORDER BY i.code"
        ),
        args![town_id],
        item_row,
    )?;
    let mut by_item: HashMap<ItemId, Vec<Material>> = HashMap::new();
    c.each(
        "SELECT m.item_id, m.seq, m.name, m.form, m.copies, m.mandatory, m.pledgeable
         FROM material m JOIN town_item ti ON ti.item_id = m.item_id AND ti.town_id = ?1
         ORDER BY m.item_id, m.seq",
        args![town_id],
        &mut |r| {
            let (item_id, m) = material_row(r)?;
            by_item.entry(item_id).or_default().push(m);
            Ok(())
        },
    )?;
    for (id, item) in items.iter_mut() {
        item.materials = by_item.remove(id).unwrap_or_default();
    }
    Ok(items.into_iter().map(|(_, i)| i).collect())
}

/// How many items one query reads for [`items_by_code`]: `i.code IN (?2, …, ?51)`.
pub(super) const ITEMS_AT_ONCE: usize = 50;

static ITEMS_BY_CODE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {ITEM_COLUMNS} FROM item i
         JOIN town_item ti ON ti.item_id = i.id AND ti.town_id = ?1
         WHERE i.code IN ({})",
        super::placeholders(2, ITEMS_AT_ONCE)
    )
});

static MATERIALS_BY_CODE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT m.item_id, m.seq, m.name, m.form, m.copies, m.mandatory, m.pledgeable
         FROM material m JOIN item i ON i.id = m.item_id
         JOIN town_item ti ON ti.item_id = i.id AND ti.town_id = ?1
         WHERE i.code IN ({}) ORDER BY m.item_id, m.seq",
        super::placeholders(2, ITEMS_AT_ONCE)
    )
});

/// The catalogue's items a SQLite store keeps between transactions, whole (with their
/// materials), by town and code, and each town's entrustment letters. Every page of a list or
/// search names its items, and reading them again was a third of a search's time; every
/// intake reads its item and the town's letters (issue 21). The catalogue changes only when an
/// administrator edits it. Kept true by: every change this connection makes to `item`,
/// `town_item`, `material`, `letter` or `letter_item` ([`upsert_item`], [`set_mode`],
/// [`replace_materials`], [`upsert_letter`]) empties it
/// and marks it so that the store empties it again when that transaction ends (committed or
/// not: what was read inside it may not stand); and `PRAGMA data_version`, which another
/// connection's commit changes, read at the start of every transaction of the store
/// ([`ItemCache::check`]).
#[derive(Default)]
pub(crate) struct ItemCache {
    items: RefCell<HashMap<TownId, HashMap<String, Arc<Item>>>>,
    /// Each town's entrustment letters, read by every intake and step's authority check;
    /// emptied with the items, and by [`upsert_letter`].
    letters: RefCell<HashMap<TownId, Vec<Letter>>>,
    /// This connection changed the catalogue in the transaction now open.
    changed: Cell<bool>,
    /// `PRAGMA data_version` when the items were last checked.
    version: Cell<Option<i64>>,
}

impl ItemCache {
    /// Forgets every item when another connection has committed since the last check
    /// (`data_version`, read inside the transaction just begun, differs).
    pub(crate) fn check(&self, data_version: i64) {
        if self.version.replace(Some(data_version)) != Some(data_version) {
            self.forget();
        }
    }

    fn forget(&self) {
        self.items.borrow_mut().clear();
        self.letters.borrow_mut().clear();
    }

    /// The connection changed the catalogue: forget every item, now and when the transaction
    /// ends ([`ItemCache::transaction_ended`]).
    fn changed(&self) {
        self.forget();
        self.changed.set(true);
    }

    /// Called by the store when a write transaction has ended, committed or rolled back.
    pub(crate) fn transaction_ended(&self) {
        if self.changed.replace(false) {
            self.forget();
        }
    }

    /// How many items are kept (for tests).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.items.borrow().values().map(HashMap::len).sum()
    }
}

fn catalogue_changed(c: &dyn Conn) {
    if let Some(cache) = c.item_cache() {
        cache.changed();
    }
}

/// The items with these codes as a town sees them, with the materials of those also in
/// `with_materials` (the others' left empty): at most two queries per `ITEMS_AT_ONCE` codes,
/// however many there are (a page of requests names up to 50 items).
pub(super) fn items_by_code(
    c: &dyn Conn,
    town_id: TownId,
    codes: &[&str],
    with_materials: &[&str],
) -> Result<Vec<Arc<Item>>> {
    let Some(cache) = c.item_cache() else {
        return Ok(read_items_by_code(c, town_id, codes, with_materials)?
            .into_iter()
            .map(Arc::new)
            .collect());
    };
    let mut out = Vec::with_capacity(codes.len());
    let mut missing = Vec::new();
    {
        let items = cache.items.borrow();
        let kept = items.get(&town_id);
        for &code in codes {
            match kept.and_then(|k| k.get(code)) {
                Some(item) => out.push(Arc::clone(item)),
                None => missing.push(code),
            }
        }
    }
    if !missing.is_empty() {
        // Read whole, with their materials, to be kept.
        let read = read_items_by_code(c, town_id, &missing, &missing)?;
        let mut items = cache.items.borrow_mut();
        let kept = items.entry(town_id).or_default();
        for item in read {
            let item = Arc::new(item);
            kept.insert(item.code.clone(), Arc::clone(&item));
            out.push(item);
        }
    }
    Ok(out)
}

fn read_items_by_code(
    c: &dyn Conn,
    town_id: TownId,
    codes: &[&str],
    with_materials: &[&str],
) -> Result<Vec<Item>> {
    // The town as ?1, then the codes, the unused places an empty code no item has.
    fn params<'a>(town_id: TownId, chunk: &[&'a str]) -> Vec<Param<'a>> {
        std::iter::once(Param::from(town_id))
            .chain((0..ITEMS_AT_ONCE).map(|k| Param::from(chunk.get(k).copied().unwrap_or(""))))
            .collect()
    }
    let mut out = Vec::new();
    for chunk in codes.chunks(ITEMS_AT_ONCE) {
        out.extend(c.all(&ITEMS_BY_CODE, &params(town_id, chunk), item_row)?);
    }
    let mut by_item: HashMap<ItemId, Vec<Material>> = HashMap::new();
    for chunk in with_materials.chunks(ITEMS_AT_ONCE) {
        c.each(&MATERIALS_BY_CODE, &params(town_id, chunk), &mut |r| {
            let (item_id, m) = material_row(r)?;
            by_item.entry(item_id).or_default().push(m);
            Ok(())
        })?;
    }
    Ok(out
        .into_iter()
        .map(|(id, mut item)| {
            item.materials = by_item.remove(&id).unwrap_or_default();
            item
        })
        .collect())
}

pub(super) fn item(c: &dyn Conn, town_id: TownId, code: &str) -> Result<Option<Item>> {
    if c.item_cache().is_some() {
        // Kept whole: the item every intake and step reads.
        return Ok(items_by_code(c, town_id, &[code], &[code])?
            .into_iter()
            .next()
            .map(Arc::unwrap_or_clone));
    }
    let found = c.first(
        &format!(
            "SELECT {ITEM_COLUMNS} FROM item i
             JOIN town_item ti ON ti.item_id = i.id AND ti.town_id = ?1 WHERE i.code = ?2"
        ),
        args![town_id, code],
        item_row,
    )?;
    let Some((id, mut item)) = found else {
        return Ok(None);
    };
    item.materials = c
        .all(
            "SELECT item_id, seq, name, form, copies, mandatory, pledgeable FROM material
             WHERE item_id = ?1 ORDER BY seq",
            args![id],
            material_row,
        )?
        .into_iter()
        .map(|(_, m)| m)
        .collect();
    Ok(Some(item))
}

pub(super) fn item_id(c: &dyn Conn, code: &str) -> Result<Option<ItemId>> {
    c.first("SELECT id FROM item WHERE code = ?1", args![code], |r| {
        r.get(0)
    })
}

pub(super) fn letters(c: &dyn Conn, town_id: TownId) -> Result<Vec<Letter>> {
    let Some(cache) = c.item_cache() else {
        return read_letters(c, town_id);
    };
    if let Some(kept) = cache.letters.borrow().get(&town_id) {
        return Ok(kept.clone());
    }
    let read = read_letters(c, town_id)?;
    cache.letters.borrow_mut().insert(town_id, read.clone());
    Ok(read)
}

fn read_letters(c: &dyn Conn, town_id: TownId) -> Result<Vec<Letter>> {
    let mut letters = c.all(
        "SELECT id, number, issuer, valid_from, valid_to FROM letter
         WHERE town_id = ?1 ORDER BY valid_from, number",
        args![town_id],
        |r| {
            Ok((
                r.get::<i64>(0)?,
                Letter {
                    number: r.get(1)?,
                    issuer: r.get(2)?,
                    items: Vec::new(),
                    valid_from: r.get(3)?,
                    valid_to: r.get(4)?,
                },
            ))
        },
    )?;
    for (id, letter) in &mut letters {
        letter.items = c.all(
            "SELECT i.code FROM letter_item li JOIN item i ON i.id = li.item_id
             WHERE li.letter_id = ?1 ORDER BY i.code",
            args![*id],
            |r| r.get(0),
        )?;
    }
    Ok(letters.into_iter().map(|(_, l)| l).collect())
}

pub(super) fn upsert_item(c: &dyn Conn, i: &Item) -> Result<ItemId> {
    catalogue_changed(c);
    c.value(
        "INSERT INTO item (code, name, initials, item_type, department, legal_basis,
                           statutory_days, promised_days, fee, post, place, hours, phone,
                           grant_number, grant_date, basic_code, impl_code, case_kind, visits,
                           conditions, pledge)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19, ?20, ?21)
         ON CONFLICT (code) DO UPDATE SET
           name = excluded.name, initials = excluded.initials,
           item_type = excluded.item_type, department = excluded.department,
           legal_basis = excluded.legal_basis, statutory_days = excluded.statutory_days,
           promised_days = excluded.promised_days, fee = excluded.fee, post = excluded.post,
           place = excluded.place, hours = excluded.hours, phone = excluded.phone,
           grant_number = excluded.grant_number, grant_date = excluded.grant_date,
           basic_code = excluded.basic_code, impl_code = excluded.impl_code,
           case_kind = excluded.case_kind, visits = excluded.visits,
           conditions = excluded.conditions, pledge = excluded.pledge
         RETURNING id",
        args![
            &i.code,
            &i.name,
            &i.initials,
            &i.item_type,
            &i.department,
            &i.legal_basis,
            i.statutory.days(),
            i.promised.days(),
            &i.fee,
            &i.post,
            &i.office.place,
            &i.office.hours,
            &i.office.phone,
            i.grant.as_ref().map(|g| g.number.as_str()),
            i.grant.as_ref().map(|g| g.on),
            &i.listing.basic_code,
            &i.listing.impl_code,
            &i.listing.case_kind,
            i.listing.visits.map(i64::from),
            &i.listing.conditions,
            i.listing.pledge
        ],
    )
}

pub(super) fn ensure_item(c: &dyn Conn, item: &Item) -> Result<(ItemId, bool)> {
    match item_id(c, &item.code)? {
        Some(id) => Ok((id, false)),
        None => Ok((upsert_item(c, item)?, true)),
    }
}

pub(super) fn set_mode(c: &dyn Conn, town_id: TownId, item_id: ItemId, mode: Mode) -> Result<()> {
    catalogue_changed(c);
    c.execute(
        "INSERT INTO town_item (town_id, item_id, mode) VALUES (?1, ?2, ?3)
         ON CONFLICT (town_id, item_id) DO UPDATE SET mode = excluded.mode",
        args![town_id, item_id, mode.key()],
    )?;
    Ok(())
}

pub(super) fn replace_materials(
    c: &dyn Conn,
    item_id: ItemId,
    materials: &[Material],
) -> Result<()> {
    catalogue_changed(c);
    c.execute("DELETE FROM material WHERE item_id = ?1", args![item_id])?;
    for m in materials {
        c.execute(
            "INSERT INTO material (item_id, seq, name, form, copies, mandatory, pledgeable)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            args![
                item_id,
                m.seq,
                &m.name,
                m.form.label(),
                m.copies,
                m.mandatory,
                m.pledgeable
            ],
        )?;
    }
    Ok(())
}

pub(super) fn upsert_letter(c: &dyn Conn, town_id: TownId, l: &Letter) -> Result<()> {
    catalogue_changed(c);
    let letter_id: i64 = c.value(
        "INSERT INTO letter (town_id, number, issuer, valid_from, valid_to)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (town_id, number) DO UPDATE SET
           issuer = excluded.issuer, valid_from = excluded.valid_from,
           valid_to = excluded.valid_to
         RETURNING id",
        args![town_id, &l.number, &l.issuer, l.valid_from, l.valid_to],
    )?;
    c.execute(
        "DELETE FROM letter_item WHERE letter_id = ?1",
        args![letter_id],
    )?;
    for code in &l.items {
        let added = c.execute(
            "INSERT INTO letter_item (letter_id, item_id) SELECT ?1, id FROM item WHERE code = ?2",
            args![letter_id, code],
        )?;
        if added != 1 {
            return Err(Error::invalid(
                "item",
                format!("委托书 {} 所列事项编码“{code}”不存在", l.number),
            ));
        }
    }
    Ok(())
}

fn item_row(r: &Row) -> Result<(ItemId, Item)> {
    let mode: String = r.get(11)?;
    Ok((
        r.get(0)?,
        Item {
            code: r.get(1)?,
            name: r.get(2)?,
            initials: r.get(3)?,
            item_type: r.get(4)?,
            department: r.get(5)?,
            legal_basis: r.get(6)?,
            statutory: TimeLimit::from_days(r.get(7)?),
            promised: TimeLimit::from_days(r.get(8)?),
            fee: r.get(9)?,
            post: r.get(10)?,
            mode: Mode::parse(&mode).ok_or_else(|| conversion(format!("unknown mode {mode}")))?,
            grant: match (r.get::<Option<String>>(15)?, r.get(16)?) {
                (Some(number), Some(on)) => Some(Grant { number, on }),
                _ => None,
            },
            office: Office {
                place: r.get(12)?,
                hours: r.get(13)?,
                phone: r.get(14)?,
            },
            listing: Listing {
                basic_code: r.get(17)?,
                impl_code: r.get(18)?,
                case_kind: r.get(19)?,
                visits: r.get::<Option<i64>>(20)?.map(|v| v.clamp(0, 9) as u8),
                conditions: r.get(21)?,
                pledge: r.get(22)?,
            },
            materials: Vec::new(),
        },
    ))
}

fn material_row(r: &Row) -> Result<(ItemId, Material)> {
    let form: String = r.get(3)?;
    Ok((
        r.get(0)?,
        Material {
            seq: r.get(1)?,
            name: r.get(2)?,
            form: MaterialForm::parse(&form)
                .ok_or_else(|| conversion(format!("unknown form {form}")))?,
            copies: r.get(4)?,
            mandatory: r.get(5)?,
            pledgeable: r.get(6)?,
        },
    ))
}
