//! The record of every printed form.

use super::super::conn::{args, Conn};
use crate::request::record::PrintRecord;
use crate::Result;

pub(super) fn prints(c: &dyn Conn, form_no: &str) -> Result<Vec<PrintRecord>> {
    c.all(
        "SELECT p.form_no, p.kind, p.town_id, p.request_number, p.department, p.staff_no,
                p.os_user, p.at, p.copy, p.route, p.pages, p.bytes
         FROM form_print p WHERE p.form_no = ?1 ORDER BY p.copy",
        args![form_no],
        |r| {
            Ok(PrintRecord {
                form_no: r.get(0)?,
                kind: r.get(1)?,
                town_id: r.get(2)?,
                request_number: r.get(3)?,
                department: r.get(4)?,
                staff_no: r.get(5)?,
                os_user: r.get(6)?,
                at: r.get(7)?,
                copy: r.get(8)?,
                route: r.get(9)?,
                pages: r.get(10)?,
                bytes: r.get(11)?,
            })
        },
    )
}

/// Records an issue; the copy number is the next for its form number.
pub(super) fn add_print(c: &dyn Conn, p: &PrintRecord) -> Result<u32> {
    let copy: u32 = c.value(
        "SELECT coalesce(max(copy), 0) + 1 FROM form_print WHERE form_no = ?1",
        args![&p.form_no],
    )?;
    c.execute(
        "INSERT INTO form_print (form_no, kind, town_id, request_number, department,
            staff_no, os_user, at, copy, route, pages, bytes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        args![
            &p.form_no,
            &p.kind,
            p.town_id,
            &p.request_number,
            &p.department,
            &p.staff_no,
            &p.os_user,
            &p.at,
            copy,
            &p.route,
            p.pages,
            p.bytes
        ],
    )?;
    Ok(copy)
}
