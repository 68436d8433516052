//! Per person the last samenloop evaluation: its flags (to tell creditors what changed) and the
//! rest of it (to show in the overview without evaluating again: reading changes nothing).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::schema::samenloop_states;
use super::{DbConnection, StoreError};
use crate::domain::money::Money;
use crate::domain::person::PersonId;
use crate::domain::samenloop::{
    ComingShortfall, DataRequest, Detection, Flag, NormBasis, NormBounds, NotEvaluated, Uncertain,
};

/// The evaluation beside its flags, as stored.
#[derive(Serialize, Deserialize)]
struct Rest {
    not_evaluated: Vec<NotEvaluated>,
    #[serde(default)]
    uncertain: Vec<Uncertain>,
    #[serde(default)]
    requests: Vec<DataRequest>,
    remaining_capacity: Option<Money>,
    basis: Option<NormBasis>,
    #[serde(default)]
    norm: Option<NormBounds>,
    #[serde(default)]
    told_undecided: Vec<Flag>,
    #[serde(default)]
    running: Vec<String>,
    #[serde(default)]
    coming_shortfall: Option<ComingShortfall>,
}

/// The advisory lock class of re-evaluations (any constant; "sl" in ASCII).
const REEVALUATION_LOCK: i32 = 0x736c;

/// Holds the person's evaluation until the transaction ends; taken before it is read. Two changes
/// of one person then re-evaluate one after the other, the later reading what the earlier
/// committed, so neither keeps an evaluation made without the other's change.
pub fn hold(conn: &mut DbConnection, person: &PersonId) -> Result<(), StoreError> {
    super::hold(conn, REEVALUATION_LOCK, person.as_str())
}

fn corrupt(e: serde_json::Error) -> StoreError {
    StoreError::Corrupt(format!("samenloop state: {e}"))
}

/// An evaluation from its stored flags and rest (read with the person's file, see
/// `person_file`).
pub(super) fn detection(flags: &str, rest: Option<&str>) -> Result<Detection, StoreError> {
    let flags: Vec<Flag> = serde_json::from_str(flags).map_err(corrupt)?;
    let rest: Option<Rest> = rest
        .map(serde_json::from_str)
        .transpose()
        .map_err(corrupt)?;
    Ok(match rest {
        Some(rest) => Detection {
            flags,
            not_evaluated: rest.not_evaluated,
            uncertain: rest.uncertain,
            requests: rest.requests,
            remaining_capacity: rest.remaining_capacity,
            basis: rest.basis,
            norm: rest.norm,
            told_undecided: rest.told_undecided,
            running: rest.running,
            hypothetical: false,
            coming_shortfall: rest.coming_shortfall,
        },
        None => Detection {
            flags,
            ..Detection::default()
        },
    })
}

/// The last evaluation of each of these persons that has one, by person.
pub fn of_persons(
    conn: &mut DbConnection,
    persons: &[&str],
) -> Result<HashMap<PersonId, Detection>, StoreError> {
    let mut found = HashMap::with_capacity(persons.len());
    for chunk in persons.chunks(super::IDS_PER_STATEMENT) {
        let rows: Vec<(String, String, Option<String>)> = samenloop_states::table
            .filter(samenloop_states::person.eq_any(chunk))
            .select((
                samenloop_states::person,
                samenloop_states::flags,
                samenloop_states::evaluation,
            ))
            .load(conn)?;
        for (person, flags, rest) in rows {
            found.insert(
                PersonId::from_stored(person),
                detection(&flags, rest.as_deref())?,
            );
        }
    }
    Ok(found)
}

pub fn save(
    conn: &mut DbConnection,
    person: &PersonId,
    detection: &Detection,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let flags = serde_json::to_string(&detection.flags).map_err(corrupt)?;
    let rest = serde_json::to_string(&Rest {
        not_evaluated: detection.not_evaluated.clone(),
        uncertain: detection.uncertain.clone(),
        requests: detection.requests.clone(),
        remaining_capacity: detection.remaining_capacity,
        basis: detection.basis.clone(),
        norm: detection.norm.clone(),
        told_undecided: detection.told_undecided.clone(),
        running: detection.running.clone(),
        coming_shortfall: detection.coming_shortfall,
    })
    .map_err(corrupt)?;
    let updated = diesel::update(samenloop_states::table.find(person.as_str()))
        .set((
            samenloop_states::flags.eq(&flags),
            samenloop_states::evaluation.eq(Some(&rest)),
            samenloop_states::evaluated_at.eq(now),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(samenloop_states::table)
            .values((
                samenloop_states::person.eq(person.as_str()),
                samenloop_states::flags.eq(&flags),
                samenloop_states::evaluation.eq(Some(&rest)),
                samenloop_states::evaluated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::samenloop::FlagCode;

    #[test]
    fn an_evaluation_stored_before_flags_were_kept_while_undecided_still_reads() {
        let rest = r#"{"not_evaluated":[{"code":"DeviatingExemptAmount","explanation":"x"}],
            "remaining_capacity":null,"basis":null}"#;
        let detection = detection("[]", Some(rest)).unwrap();
        assert_eq!(
            detection.not_evaluated[0].code,
            FlagCode::DeviatingExemptAmount
        );
        assert!(detection.not_evaluated[0].attachment_ids.is_empty());
        assert!(detection.told_undecided.is_empty());
    }
}
