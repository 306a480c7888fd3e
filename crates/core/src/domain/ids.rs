//! Row ids as types of their own, so that a town's id cannot stand where an item's is meant
//! (`set_mode(town, item)` does not compile with the two swapped). Each is the database's
//! integer, shown and serialised as that integer.

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        /// In TypeScript the id is the integer it is (`number`), so the UI's types stay as
        /// they were.
        impl ts_rs::TS for $name {
            type WithoutGenerics = Self;
            type OptionInnerType = Self;
            fn name(cfg: &ts_rs::Config) -> String {
                <i64 as ts_rs::TS>::name(cfg)
            }
            fn inline(cfg: &ts_rs::Config) -> String {
                <i64 as ts_rs::TS>::inline(cfg)
            }
        }
    )*};
}

ids! {
    /// A town (镇).
    TownId,
    /// A unit of a town (单位).
    UnitId,
    /// A member of staff (人员).
    StaffId,
    /// A service item of the catalogue (事项).
    ItemId,
    /// A hall post (窗口岗位).
    PostId,
    /// A service request (办件).
    RequestId,
    /// A login account.
    AccountId,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An id is its integer on the wire and in TypeScript (the app's types: `number`).
    #[test]
    fn an_id_is_its_integer_in_json_and_typescript() {
        assert_eq!(serde_json::to_string(&TownId(7)).unwrap(), "7");
        assert_eq!(serde_json::from_str::<ItemId>("12").unwrap(), ItemId(12));
        assert_eq!(StaffId(3).to_string(), "3");
        let cfg = ts_rs::Config::new().with_large_int("number");
        assert_eq!(<RequestId as ts_rs::TS>::inline(&cfg), "number");
        assert_eq!(
            <Option<AccountId> as ts_rs::TS>::inline(&cfg),
            "number | null"
        );
    }
}
