//! Rows that a query hands back as JSON (see `person_file`). PostgreSQL writes booleans as
//! `true`/`false` and timestamps with a `T`; SQLite, which has neither type, as 0/1 and with a
//! space, as diesel stored them. These read both.

use chrono::NaiveDateTime;
use serde::{Deserialize, Deserializer, de::Error};

#[derive(Deserialize)]
#[serde(untagged)]
enum Flag {
    Bool(bool),
    Int(i64),
}

impl From<Flag> for bool {
    fn from(flag: Flag) -> bool {
        match flag {
            Flag::Bool(b) => b,
            Flag::Int(i) => i != 0,
        }
    }
}

pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Flag::deserialize(d).map(bool::from)
}

pub fn optional_flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(Option::<Flag>::deserialize(d)?.map(bool::from))
}

fn parse_moment<E: Error>(text: &str) -> Result<NaiveDateTime, E> {
    NaiveDateTime::parse_from_str(&text.replacen(' ', "T", 1), "%Y-%m-%dT%H:%M:%S%.f")
        .map_err(|e| E::custom(format!("timestamp '{text}': {e}")))
}

pub fn moment<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
    parse_moment(&String::deserialize(d)?)
}

pub fn optional_moment<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
    Option::<String>::deserialize(d)?
        .map(|text| parse_moment(&text))
        .transpose()
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Row {
        #[serde(deserialize_with = "super::flag")]
        on: bool,
        #[serde(deserialize_with = "super::optional_flag")]
        maybe: Option<bool>,
        #[serde(deserialize_with = "super::moment")]
        at: chrono::NaiveDateTime,
        #[serde(deserialize_with = "super::optional_moment")]
        ended: Option<chrono::NaiveDateTime>,
    }

    #[test]
    fn both_backends_json_reads_the_same() {
        let postgres: Row = serde_json::from_str(
            r#"{"on": true, "maybe": false, "at": "2026-06-15T10:00:00.25", "ended": null}"#,
        )
        .unwrap();
        let sqlite: Row = serde_json::from_str(
            r#"{"on": 1, "maybe": 0, "at": "2026-06-15 10:00:00.25", "ended": null}"#,
        )
        .unwrap();
        for row in [postgres, sqlite] {
            assert!(row.on);
            assert_eq!(row.maybe, Some(false));
            assert_eq!(row.at.to_string(), "2026-06-15 10:00:00.250");
            assert_eq!(row.ended, None);
        }
    }
}
