//! Everything a person has besides their claims, in one query: arrangements with their claims,
//! attachments with their claim keys, declared arrangements, the situation they declared, the
//! last samenloop evaluation and the running debt-help trajectory (with the day of the latest
//! Wsnp ruling). The database aggregates each
//! part as JSON (`json_agg` on PostgreSQL, `json_group_array` on SQLite), so the overview and a
//! proposal need one round trip for all of it instead of one or two per part. The overview and
//! a proposal also need the person's claims: [`load_with_claims`] reads them in the same
//! statement, their rows after the file's own.

use std::collections::BTreeSet;
use std::marker::PhantomData;
use std::sync::LazyLock;

use chrono::NaiveDate;
use diesel::backend::Backend;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{HasSqlType, Nullable, SqlType, Text};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::claims::{self as claim_rows, RECORD_COLUMNS, RecordLine, RecordSql};
use super::{
    DbConnection, StoreError, arrangements, attachments, declared_arrangements, proposals,
    samenloop_states, trajectories,
};
use crate::domain::arrangement::Arrangement;
use crate::domain::attachment::{Attachment, DeclaredArrangement};
use crate::domain::overview::ClaimRecord;
use crate::domain::person::PersonId;
use crate::domain::samenloop::{DeclaredSituation, Detection};
use crate::domain::schuldhulptraject::Trajectory;

pub struct PersonFile {
    /// Running and ended, the most recently started first.
    pub arrangements: Vec<Arrangement>,
    /// The oldest start first.
    pub attachments: Vec<Attachment>,
    /// The oldest start first.
    pub declared: Vec<DeclaredArrangement>,
    pub declared_situation: Option<DeclaredSituation>,
    /// The last evaluation; empty when the person was never evaluated.
    pub samenloop: Detection,
    pub trajectory: Option<Trajectory>,
    /// The latest day a wettelijke schuldsanering of the person was declared, as recorded with
    /// any of their trajectories, running or ended.
    pub schuldsanering_ruling: Option<NaiveDate>,
}

/// The columns of each table, named as the fields of its row type.
const ARRANGEMENT: [&str; 16] = [
    "id",
    "person",
    "proposal_id",
    "coordinator",
    "capacity_cents",
    "instalment_cents",
    "max_term_months",
    "min_instalment_cents",
    "split_strategy",
    "first_due",
    "started_on",
    "started_at",
    "ended_at",
    "end_reason",
    "ended_by_role",
    "ended_by_organisation",
];
const ARRANGEMENT_CLAIM: [&str; 7] = [
    "arrangement_id",
    "claim_id",
    "creditor_code",
    "claim_key",
    "outstanding_cents",
    "due_date",
    "creditor_rank",
];
const ATTACHMENT: [&str; 21] = [
    "id",
    "person",
    "creditor_code",
    "party_name",
    "declared_by_role",
    "declared_by_organisation",
    "reference",
    "income_source",
    "known_net_income_cents",
    "assumed_household",
    "monthly_amount_cents",
    "applied_bvv_cents",
    "starts_on",
    "ends_on",
    "executorial",
    "created_at",
    "updated_at",
    "version",
    "taxable_yearly_income_cents",
    "children",
    "partner_income_cents",
];
const DECLARED: [&str; 10] = [
    "id",
    "person",
    "party_name",
    "monthly_amount_cents",
    "starts_on",
    "ends_on",
    "declared_by_role",
    "declared_by_organisation",
    "created_at",
    "updated_at",
];
const PROPOSAL: [&str; 18] = [
    "id",
    "person",
    "requested_by_role",
    "requested_by_organisation",
    "created_at",
    "expires_at",
    "peildatum",
    "household",
    "pension_age",
    "net_income_cents",
    "housing_costs_cents",
    "children",
    "taxable_yearly_income_cents",
    "housing_correction",
    "partner_income_cents",
    "capacity_cents",
    "feasible",
    "accepted_as",
];
const SAMENLOOP_STATE: [&str; 2] = ["flags", "evaluation"];
const TRAJECTORY: [&str; 14] = [
    "id",
    "person",
    "counsellor",
    "mandate_id",
    "mandate_valid_until",
    "mandate_end_told",
    "phase",
    "starts_on",
    "ends_on",
    "registered_at",
    "changed_at",
    "ended_at",
    "version",
    "ruling_date",
];

/// Where the person's id is bound; every occurrence is a parameter of its own.
const PERSON: &str = "{person}";

#[derive(Clone, Copy, PartialEq)]
enum Dialect {
    Postgres,
    Sqlite,
}

impl Dialect {
    /// A JSON object of `columns` of the row `alias`, with `nested` values after them.
    fn object(self, alias: &str, columns: &[&str], nested: &[(&str, String)]) -> String {
        let function = match self {
            Dialect::Postgres => "json_build_object",
            Dialect::Sqlite => "json_object",
        };
        let pairs: Vec<String> = columns
            .iter()
            .map(|c| format!("'{c}', {alias}.{c}"))
            .chain(nested.iter().map(|(name, sql)| format!("'{name}', {sql}")))
            .collect();
        format!("{function}({})", pairs.join(", "))
    }

    /// A JSON array of `value` over the rows of `from` (a FROM with its WHERE), in `order`;
    /// empty, not null, without rows.
    fn array(self, value: &str, from: &str, order: &str) -> String {
        match self {
            Dialect::Postgres => {
                format!("(SELECT COALESCE(json_agg({value} ORDER BY {order}), '[]'::json) {from})")
            }
            // `json(...)`: a subquery's result is plain text to SQLite, which would nest it as
            // a string.
            Dialect::Sqlite => {
                format!("json((SELECT json_group_array({value} ORDER BY {order}) {from}))")
            }
        }
    }

    /// The JSON object of the one row of `from`, or null.
    fn one(self, object: &str, from: &str) -> String {
        format!("(SELECT {object} {from})")
    }

    fn sql(self) -> String {
        let arrangement_claims = self.array(
            &self.object("c", &ARRANGEMENT_CLAIM, &[]),
            "FROM arrangement_claims c WHERE c.arrangement_id = a.id",
            "c.claim_id",
        );
        let arrangements = self.array(
            &self.object("a", &ARRANGEMENT, &[("claims", arrangement_claims)]),
            &format!("FROM arrangements a WHERE a.person = {PERSON}"),
            "a.started_at DESC, a.id DESC",
        );
        let claim_keys = self.array(
            "k.claim_key",
            "FROM attachment_claims k WHERE k.attachment_id = t.id",
            "k.claim_key",
        );
        let attachments = self.array(
            &self.object("t", &ATTACHMENT, &[("claim_keys", claim_keys)]),
            &format!("FROM attachments t WHERE t.person = {PERSON}"),
            "t.starts_on, t.id",
        );
        let declared = self.array(
            &self.object("d", &DECLARED, &[]),
            &format!("FROM declared_arrangements d WHERE d.person = {PERSON}"),
            "d.starts_on, d.id",
        );
        let situation = self.one(
            &self.object("p", &PROPOSAL, &[("declared_on", "s.declared_on".into())]),
            &format!(
                "FROM declared_situations s JOIN proposals p ON p.id = s.proposal_id \
                 WHERE s.person = {PERSON}"
            ),
        );
        let samenloop = self.one(
            &self.object("l", &SAMENLOOP_STATE, &[]),
            &format!("FROM samenloop_states l WHERE l.person = {PERSON}"),
        );
        let informed = self.array(
            "i.creditor_code",
            "FROM debt_help_trajectory_creditors i WHERE i.trajectory_id = j.id",
            "i.creditor_code",
        );
        let running = self.one(
            &self.object("j", &TRAJECTORY, &[("informed", informed)]),
            &format!(
                "FROM debt_help_trajectories j WHERE j.person = {PERSON} AND j.ended_at IS NULL"
            ),
        );
        let running = match self {
            Dialect::Postgres => running,
            // As in `array`: else SQLite nests the object as a string.
            Dialect::Sqlite => format!("json({running})"),
        };
        let ruling = format!(
            "(SELECT max(r.ruling_date) FROM debt_help_trajectories r WHERE r.person = {PERSON})"
        );
        let trajectory = self.object("", &[], &[("running", running), ("ruling", ruling)]);
        let parts = [
            arrangements,
            attachments,
            declared,
            situation,
            samenloop,
            trajectory,
        ];
        let columns: Vec<String> = parts
            .iter()
            .map(|part| format!("CAST({part} AS TEXT)"))
            .collect();
        format!("SELECT {}", columns.join(", "))
    }

    /// The file's row, then a row per claim and surcharge: each row has the columns of both,
    /// the other's left empty.
    fn sql_with_claims(self) -> String {
        let nulls = |n: usize| vec!["NULL"; n].join(", ");
        format!(
            "{file}, {no_claim} UNION ALL SELECT {no_file}, {claims} {source} \
             WHERE claims.person = {PERSON}",
            file = self.sql(),
            no_claim = nulls(RECORD_COLUMNS.len()),
            no_file = nulls(FILE_PARTS),
            claims = RECORD_COLUMNS.join(", "),
            source = claim_rows::record_source(),
        )
    }
}

/// The parts of the file: arrangements, attachments, declared arrangements, the declared
/// situation, the samenloop state, the running trajectory with the latest Wsnp ruling.
const FILE_PARTS: usize = 6;

/// The query's text between the person's parameters.
fn pieces(sql: String) -> Vec<String> {
    sql.split(PERSON).map(str::to_owned).collect()
}

static POSTGRES: LazyLock<Vec<String>> = LazyLock::new(|| pieces(Dialect::Postgres.sql()));
static SQLITE: LazyLock<Vec<String>> = LazyLock::new(|| pieces(Dialect::Sqlite.sql()));
static POSTGRES_WITH_CLAIMS: LazyLock<Vec<String>> =
    LazyLock::new(|| pieces(Dialect::Postgres.sql_with_claims()));
static SQLITE_WITH_CLAIMS: LazyLock<Vec<String>> =
    LazyLock::new(|| pieces(Dialect::Sqlite.sql_with_claims()));

/// The query with the person bound, written so that diesel keeps it prepared per connection;
/// `ST` the SQL types of its rows.
struct FileQuery<'a, ST> {
    pieces: &'static [String],
    person: &'a str,
    row: PhantomData<ST>,
}

impl<ST> QueryId for FileQuery<'_, ST> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<ST: SqlType> Query for FileQuery<'_, ST> {
    type SqlType = ST;
}

type FileSql = (
    Text,
    Text,
    Text,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
);

/// The file's columns on the rows of [`load_with_claims`]: empty on a claim's row.
type FileColumnsSql = (
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
);

type FileColumns = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

impl<DB, ST> QueryFragment<DB> for FileQuery<'_, ST>
where
    DB: Backend + HasSqlType<Text>,
    str: diesel::serialize::ToSql<Text, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let (first, rest) = self.pieces.split_first().expect("the query has text");
        out.push_sql(first);
        for piece in rest {
            out.push_bind_param::<Text, str>(self.person)?;
            out.push_sql(piece);
        }
        Ok(())
    }
}

impl<Conn, ST> RunQueryDsl<Conn> for FileQuery<'_, ST> {}

type FileRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

#[derive(Deserialize)]
struct ArrangementJson {
    #[serde(flatten)]
    row: arrangements::ArrangementRow,
    claims: Vec<arrangements::ClaimRow>,
}

#[derive(Deserialize)]
struct AttachmentJson {
    #[serde(flatten)]
    row: attachments::Row,
    claim_keys: Vec<String>,
}

#[derive(Deserialize)]
struct SituationJson {
    #[serde(flatten)]
    row: proposals::ProposalRow,
    declared_on: NaiveDate,
}

#[derive(Deserialize)]
struct StateJson {
    flags: String,
    evaluation: Option<String>,
}

#[derive(Deserialize)]
struct TrajectoryJson {
    #[serde(flatten)]
    row: trajectories::Row,
    informed: BTreeSet<String>,
}

/// The running trajectory, and the latest day a wettelijke schuldsanering was declared, also of
/// one that has ended.
#[derive(Deserialize)]
struct DebtHelpJson {
    running: Option<TrajectoryJson>,
    ruling: Option<NaiveDate>,
}

fn parse<T: DeserializeOwned>(part: &str, json: &str) -> Result<T, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("{part}: {e}")))
}

fn parse_one<T: DeserializeOwned>(
    part: &str,
    json: Option<String>,
) -> Result<Option<T>, StoreError> {
    json.map(|json| parse(part, &json)).transpose()
}

/// The person's file, in one query.
pub fn load(conn: &mut DbConnection, person: &PersonId) -> Result<PersonFile, StoreError> {
    let person = person.as_str();
    let row: FileRow = match conn {
        DbConnection::Postgres(c) => query::<FileSql>(&POSTGRES, person).get_result(c)?,
        DbConnection::Sqlite(c) => query::<FileSql>(&SQLITE, person).get_result(c)?,
    };
    file_of(row)
}

/// The person's file and their claims as the overview and the proposals show them (each with
/// its surcharge lines and whether it is in a running arrangement, in id order), in one query.
pub fn load_with_claims(
    conn: &mut DbConnection,
    person: &PersonId,
) -> Result<(PersonFile, Vec<ClaimRecord>), StoreError> {
    type Sql = (FileColumnsSql, RecordSql);
    let person = person.as_str();
    let rows: Vec<(FileColumns, RecordLine)> = match conn {
        DbConnection::Postgres(c) => query::<Sql>(&POSTGRES_WITH_CLAIMS, person).load(c)?,
        DbConnection::Sqlite(c) => query::<Sql>(&SQLITE_WITH_CLAIMS, person).load(c)?,
    };
    let mut file = None;
    let mut claims = Vec::with_capacity(rows.len());
    for (columns, (claim, arranged, surcharge)) in rows {
        match (columns, claim) {
            ((Some(a), Some(b), Some(c), d, e, f), None) if file.is_none() => {
                file = Some((a, b, c, d, e, f));
            }
            ((None, None, None, None, None, None), Some(claim)) => {
                claims.push((claim, arranged, surcharge));
            }
            _ => return Err(StoreError::Corrupt("a row of the person file".into())),
        }
    }
    let file = file.ok_or_else(|| StoreError::Corrupt("no row of the person file".into()))?;
    Ok((file_of(file)?, claim_rows::records(claims)?))
}

fn query<'a, ST>(pieces: &'static [String], person: &'a str) -> FileQuery<'a, ST> {
    FileQuery {
        pieces,
        person,
        row: PhantomData,
    }
}

fn file_of(row: FileRow) -> Result<PersonFile, StoreError> {
    let (arrangements, attachments, declared, situation, samenloop, trajectory) = row;
    let arrangements: Vec<ArrangementJson> = parse("arrangements", &arrangements)?;
    let (rows, claims): (Vec<_>, Vec<_>) =
        arrangements.into_iter().map(|a| (a.row, a.claims)).unzip();
    let attachments: Vec<AttachmentJson> = parse("attachments", &attachments)?;
    let declared: Vec<declared_arrangements::Row> = parse("declared arrangements", &declared)?;
    let situation: Option<SituationJson> = parse_one("declared situation", situation)?;
    let samenloop: Option<StateJson> = parse_one("samenloop state", samenloop)?;
    let debt_help: Option<DebtHelpJson> = parse_one("debt help", trajectory)?;
    let (trajectory, ruling) = debt_help.map_or((None, None), |d| (d.running, d.ruling));
    Ok(PersonFile {
        arrangements: arrangements::assemble(rows, claims.into_iter().flatten().collect())?,
        attachments: attachments
            .into_iter()
            .map(|a| attachments::from_row(a.row, a.claim_keys))
            .collect::<Result<_, _>>()?,
        declared: declared
            .into_iter()
            .map(declared_arrangements::from_row)
            .collect::<Result<_, _>>()?,
        declared_situation: situation
            .map(|s| proposals::declared(s.row, s.declared_on))
            .transpose()?,
        samenloop: match samenloop {
            Some(state) => samenloop_states::detection(&state.flags, state.evaluation.as_deref())?,
            None => Detection::default(),
        },
        trajectory: trajectory
            .map(|t| trajectories::from_row(t.row, t.informed))
            .transpose()?,
        schuldsanering_ruling: ruling,
    })
}
