//! PostgreSQL lookups of a batch's keys that probe a unique index once per key, kept prepared
//! per connection. Diesel's `sql_query` is parsed and planned anew on every execution (about
//! half a millisecond per lookup, two or three per ingested batch); this statement is prepared
//! once per connection, like diesel's own queries.

use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Array, Text, Untyped};
use diesel::{QueryResult, RunQueryDsl};

/// `sql` holds the keys (a text array) as `{keys}` and the creditor as `{creditor}`; rows are
/// read by column name, as from `sql_query`.
pub struct KeyProbe<'a> {
    pub sql: &'static str,
    pub keys: &'a [&'a str],
    pub creditor: Option<&'a str>,
}

impl QueryId for KeyProbe<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for KeyProbe<'_> {
    type SqlType = Untyped;
}

impl QueryFragment<Pg> for KeyProbe<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        let mut rest = self.sql;
        while let Some((before, after)) = rest.split_once('{') {
            out.push_sql(before);
            let (name, after) = after.split_once('}').expect("a placeholder is closed");
            match name {
                "keys" => out.push_bind_param::<Array<Text>, _>(&self.keys)?,
                "creditor" => match &self.creditor {
                    Some(creditor) => out.push_bind_param::<Text, _>(creditor)?,
                    None => unreachable!("the query names a creditor it was not given"),
                },
                other => unreachable!("no parameter {other}"),
            }
            rest = after;
        }
        out.push_sql(rest);
        Ok(())
    }
}

impl<Conn> RunQueryDsl<Conn> for KeyProbe<'_> {}
