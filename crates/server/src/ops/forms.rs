//! Forms through the server: the server renders (it holds the facts), the counter previews,
//! prints or saves the PDF on its own PC and then has the copy recorded. Each form kind needs
//! printing and its own permission (a clerk prints no staffing report), both checked before
//! anything is read.

use base64::Engine;
use bianmin_core::accounts::Permission;
use bianmin_core::forms::{self, Form, FormAsk, FormTarget};
use bianmin_core::staff;
use bianmin_core::store::AnyStore;
use bianmin_core::{date, Error, Result};
use serde::{Deserialize, Serialize};

use super::acting;
use crate::api::{Authorized, Needs, Operation};

/// A form as every form operation names it.
pub struct Which<'a> {
    kind: &'a str,
    number: Option<&'a str>,
    department: Option<&'a str>,
    town: Option<&'a str>,
    on: Option<&'a str>,
    paper: Option<&'a str>,
}

/// The form an operation's arguments name (they share these six fields).
macro_rules! which {
    ($op:expr) => {
        Which {
            kind: &$op.kind,
            number: $op.number.as_deref(),
            department: $op.department.as_deref(),
            town: $op.town.as_deref(),
            on: $op.on.as_deref(),
            paper: $op.paper.as_deref(),
        }
    };
}

impl Which<'_> {
    fn ask(&self) -> Result<FormAsk> {
        FormAsk::parse(
            self.kind,
            self.number,
            self.department,
            self.town,
            self.on,
            self.paper,
        )
    }

    fn needs(&self) -> Result<Needs> {
        let target = FormTarget::parse(self.kind, self.number, self.department)?;
        Ok(Needs::Both(Permission::Print, target.permission()))
    }
}

/// A rendered form and its PDF (base64), with the paper name a printer takes.
#[derive(Serialize)]
pub struct Rendered {
    pub form: Form,
    pub pdf: String,
    pub media: &'static str,
}

/// Renders a form for the counter to preview, print or save (`form_render`); nothing recorded.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormRender {
    kind: String,
    number: Option<String>,
    department: Option<String>,
    town: Option<String>,
    on: Option<String>,
    paper: Option<String>,
}

impl Operation for FormRender {
    const NAME: &'static str = "form_render";
    const WHAT: &'static str = "打印表单";
    type Answer = Rendered;
    /// Printing, and the form kind's own permission ([`Self::needs`]).
    const NEEDS: Needs = Needs::Permission(Permission::Print);
    fn needs(&self) -> Result<Needs> {
        which!(self).needs()
    }
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Rendered> {
        let ask = which!(self).ask()?;
        let form = ask.render_for(store, who.account(), date::now()?)?;
        Ok(Rendered {
            pdf: base64::engine::general_purpose::STANDARD.encode(&form.bytes),
            media: ask.media(),
            form,
        })
    }
}

/// Records that the counter printed or saved a form (`form_record`): the server renders it
/// again for what it records (pages, size) and answers the copy's number.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormRecord {
    kind: String,
    number: Option<String>,
    department: Option<String>,
    town: Option<String>,
    on: Option<String>,
    paper: Option<String>,
    staff: Option<String>,
    /// `file`, or `printer:NAME`.
    route: String,
}

impl Operation for FormRecord {
    const NAME: &'static str = "form_record";
    const WHAT: &'static str = "打印";
    type Answer = u32;
    const NEEDS: Needs = Needs::Permission(Permission::Print);
    fn needs(&self) -> Result<Needs> {
        which!(self).needs()
    }
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<u32> {
        let route = self.route.trim();
        let known = route == "file"
            || route
                .strip_prefix("printer:")
                .is_some_and(|p| !p.trim().is_empty() && p.chars().count() <= 128);
        if !known {
            return Err(Error::invalid(
                "route",
                "去向应为 file 或 printer:打印机名称",
            ));
        }
        let staff = acting(store, who, self.staff.as_deref(), Self::WHAT)?;
        staff::find_staff(store, "staff", &staff, date::today()?)?;
        let at = date::now()?;
        let form = which!(self).ask()?.render_for(store, who.account(), at)?;
        forms::record_issue(store, &form, Some(&staff), route, at)
    }
}

/// Every issue of a form, with the name of who issued it (`form_issues`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormIssues {
    form_no: String,
}

impl Operation for FormIssues {
    const NAME: &'static str = "form_issues";
    const WHAT: &'static str = "打印记录";
    type Answer = Vec<forms::IssueEntry>;
    const NEEDS: Needs = Needs::Permission(Permission::Print);
    fn run(self, store: &mut AnyStore, _: &Authorized) -> Result<Self::Answer> {
        forms::issues_named(store, &self.form_no, date::today()?)
    }
}
