//! The leader's performance report through the server (issue 20): `report` and the requests
//! behind any of its figures (`report_requests`), for a town the account may read; and the same
//! report as the A4 PDF (`report_pdf`) and the workbook (`report_xlsx`), their bytes in base64
//! for the client to save where its person chooses.

use base64::Engine;
use bianmin_core::accounts::Permission;
use bianmin_core::report::{self, BehindRow, ReportAsk};
use bianmin_core::store::AnyStore;
use bianmin_core::{date, forms, report_xlsx, Result};
use chrono::NaiveDate;
use serde::Deserialize;

use super::leader::FileBytes;
use super::town_for;
use crate::api::{Authorized, Needs, Operation};

fn ask(
    store: &mut AnyStore,
    who: &Authorized,
    town: Option<&str>,
    from: &str,
    to: &str,
    what: &str,
) -> Result<ReportAsk> {
    let from: NaiveDate = date::parse_date("from", from)?;
    let to: NaiveDate = date::parse_date("to", to)?;
    let town = town_for(store, who, town, what)?;
    ReportAsk::new(town, from, to, date::today()?)
}

/// 办件绩效报表 (`report`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    town: Option<String>,
    from: String,
    to: String,
}

impl Operation for Report {
    const NAME: &'static str = "report";
    const WHAT: &'static str = "办件绩效报表";
    type Answer = report::Report;
    const NEEDS: Needs = Needs::Permission(Permission::ViewStaffing);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Self::Answer> {
        let ask = ask(
            store,
            who,
            self.town.as_deref(),
            &self.from,
            &self.to,
            Self::WHAT,
        )?;
        report::report(store, &ask)
    }
}

/// The requests behind a figure of the report (`report_requests`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportRequests {
    town: Option<String>,
    from: String,
    to: String,
    figure: String,
    dimension: Option<String>,
    key: Option<String>,
}

impl Operation for ReportRequests {
    const NAME: &'static str = "report_requests";
    const WHAT: &'static str = "办件绩效明细";
    type Answer = Vec<BehindRow>;
    const NEEDS: Needs = Needs::Permission(Permission::ViewStaffing);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Self::Answer> {
        let ask = ask(
            store,
            who,
            self.town.as_deref(),
            &self.from,
            &self.to,
            Self::WHAT,
        )?;
        let group = match (self.dimension.as_deref(), self.key.as_deref()) {
            (Some(d), Some(k)) => Some((d, k)),
            _ => None,
        };
        report::requests_behind(store, &ask, &self.figure, group)
    }
}

/// The report a file operation prints or exports, for a town the account may read.
fn report_of(
    store: &mut AnyStore,
    who: &Authorized,
    town: Option<String>,
    from: &str,
    to: &str,
    what: &str,
) -> Result<report::Report> {
    let ask = ask(store, who, town.as_deref(), from, to, what)?;
    report::report(store, &ask)
}

/// A file as the answer carries it.
fn file(name: String, bytes: &[u8]) -> FileBytes {
    FileBytes {
        name,
        base64: base64::engine::general_purpose::STANDARD.encode(bytes),
    }
}

/// The report of a range as its A4 PDF (`report_pdf`): the file's name and bytes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportPdf {
    town: Option<String>,
    from: String,
    to: String,
}

impl Operation for ReportPdf {
    const NAME: &'static str = "report_pdf";
    const WHAT: &'static str = "打印办件绩效报表";
    type Answer = FileBytes;
    const NEEDS: Needs = Needs::Permission(Permission::ViewStaffing);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Self::Answer> {
        let report = report_of(store, who, self.town, &self.from, &self.to, Self::WHAT)?;
        let form = forms::report_form(store, &report, date::now()?)?;
        Ok(file(form.file_name(), &form.bytes))
    }
}

/// The report of a range as a workbook (`report_xlsx`): the file's name and bytes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportXlsx {
    town: Option<String>,
    from: String,
    to: String,
}

impl Operation for ReportXlsx {
    const NAME: &'static str = "report_xlsx";
    const WHAT: &'static str = "导出办件绩效报表";
    type Answer = FileBytes;
    const NEEDS: Needs = Needs::Permission(Permission::ViewStaffing);
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Self::Answer> {
        let report = report_of(store, who, self.town, &self.from, &self.to, Self::WHAT)?;
        let bytes = report_xlsx::xlsx(&report)?;
        Ok(file(report_xlsx::file_name(&report), &bytes))
    }
}
