//! Reading request bodies so that *every* invalid field is reported at once: each field is read
//! leniently into a `Field`, then a `Checker` turns fields into values and collects the problems.
//! Reasons never repeat the submitted value (it might be a BSN).

use chrono::NaiveDate;
use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, Visitor};
use serde_json::Value;
use uuid::Uuid;

use super::error::ApiError;
use crate::domain::bsn::Bsn;
use crate::domain::claims::{Phase, SurchargeCategory};
use crate::domain::household::HouseholdType;
use crate::domain::money::Money;
use crate::domain::patch::Patch;
use crate::domain::schuldhulptraject::TrajectoryPhase;
use crate::domain::text;
use crate::domain::time::{EARLIEST_DATE, parse_full_date};
use crate::domain::validation::{FieldIssue, check_not_negative};

/// One field of a request body as it arrived.
#[derive(Debug, Clone, Default)]
pub enum Field<T> {
    /// Not present (only distinguishable from `Null` with `#[serde(default)]`).
    #[default]
    Missing,
    Null,
    Invalid(String),
    Valid(T),
}

/// A value that can be read from one JSON value, with a Dutch reason when it cannot. The value
/// is given, not lent, so that a text or a list is moved instead of copied.
pub trait FromJson: Sized {
    fn from_json(value: Value) -> Result<Self, String>;
}

impl<'de, T: FromJson> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: FromJson> Visitor<'de> for FieldVisitor<T> {
            type Value = Field<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_none<E>(self) -> Result<Field<T>, E> {
                Ok(Field::Null)
            }
            fn visit_unit<E>(self) -> Result<Field<T>, E> {
                Ok(Field::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Field<T>, D::Error> {
                let value = Value::deserialize(d)?;
                Ok(match value {
                    Value::Null => Field::Null,
                    value => match T::from_json(value) {
                        Ok(v) => Field::Valid(v),
                        Err(reason) => Field::Invalid(reason),
                    },
                })
            }
        }
        deserializer.deserialize_option(FieldVisitor(std::marker::PhantomData))
    }
}

fn as_text(value: &Value) -> Result<&str, String> {
    value
        .as_str()
        .ok_or_else(|| "moet een tekst zijn".to_owned())
}

impl FromJson for String {
    /// Any text: control characters other than tab and line breaks are refused here, for every
    /// field, so that none reaches a rule that forgot them or a database that cannot store them.
    fn from_json(value: Value) -> Result<String, String> {
        let Value::String(text) = value else {
            return Err("moet een tekst zijn".to_owned());
        };
        if text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        {
            return Err("mag geen stuurtekens bevatten".to_owned());
        }
        Ok(text)
    }
}

impl FromJson for Uuid {
    fn from_json(value: Value) -> Result<Uuid, String> {
        as_text(&value)?
            .parse()
            .map_err(|_| "is geen id dat deze API heeft gegeven (een UUID)".to_owned())
    }
}

impl FromJson for bool {
    fn from_json(value: Value) -> Result<bool, String> {
        value
            .as_bool()
            .ok_or_else(|| "moet true of false zijn".to_owned())
    }
}

impl FromJson for u32 {
    fn from_json(value: Value) -> Result<u32, String> {
        value
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| "moet een geheel getal van 0 of meer zijn".to_owned())
    }
}

impl FromJson for Money {
    fn from_json(value: Value) -> Result<Money, String> {
        let text = value
            .as_str()
            .ok_or_else(|| "moet een bedrag als tekst zijn, zoals \"12.50\"".to_owned())?;
        Money::parse(text).map_err(|e| e.to_string())
    }
}

impl FromJson for NaiveDate {
    fn from_json(value: Value) -> Result<NaiveDate, String> {
        let date = parse_full_date(as_text(&value)?)
            .ok_or_else(|| "moet een datum zijn in de vorm JJJJ-MM-DD".to_owned())?;
        if date < EARLIEST_DATE {
            return Err(format!("moet op of na {EARLIEST_DATE} liggen"));
        }
        Ok(date)
    }
}

impl FromJson for Bsn {
    fn from_json(value: Value) -> Result<Bsn, String> {
        let text = value
            .as_str()
            .ok_or_else(|| "moet een tekst van negen cijfers zijn".to_owned())?;
        Bsn::parse(text).map_err(|e| e.to_string())
    }
}

impl FromJson for Value {
    fn from_json(value: Value) -> Result<Value, String> {
        Ok(value)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Value) -> Result<Vec<T>, String> {
        let Value::Array(items) = value else {
            return Err("moet een lijst zijn".to_owned());
        };
        items.into_iter().map(T::from_json).collect()
    }
}

/// Implements `FromJson` for a domain enum read from its code.
macro_rules! from_code {
    ($type:ty) => {
        impl FromJson for $type {
            fn from_json(value: Value) -> Result<$type, String> {
                let allowed: Vec<&str> = <$type>::ALL.iter().map(|v| v.code()).collect();
                let reason = || format!("moet een van deze waarden zijn: {}", allowed.join(", "));
                value
                    .as_str()
                    .and_then(<$type>::from_code)
                    .ok_or_else(reason)
            }
        }
    };
}

from_code!(Phase);
from_code!(SurchargeCategory);
from_code!(HouseholdType);
from_code!(TrajectoryPhase);

/// Turns fields into values, collecting a problem for each missing or invalid one. Field names
/// are relative to the object being read.
#[derive(Debug, Default)]
pub struct Checker {
    issues: Vec<FieldIssue>,
}

impl Checker {
    pub fn new() -> Checker {
        Checker::default()
    }

    pub fn required<T>(&mut self, field: &str, value: Field<T>) -> Option<T> {
        match value {
            Field::Valid(v) => Some(v),
            Field::Missing | Field::Null => {
                self.issues
                    .push(FieldIssue::new(field, "verplicht", "is verplicht"));
                None
            }
            Field::Invalid(reason) => {
                self.issues.push(FieldIssue::new(field, "ongeldig", reason));
                None
            }
        }
    }

    /// An optional field: absent or null is `Some(None)`; invalid is `None` (and reported).
    pub fn optional<T>(&mut self, field: &str, value: Field<T>) -> Option<Option<T>> {
        match value {
            Field::Valid(v) => Some(Some(v)),
            Field::Missing | Field::Null => Some(None),
            Field::Invalid(reason) => {
                self.issues.push(FieldIssue::new(field, "ongeldig", reason));
                None
            }
        }
    }

    /// Reads a nested object with its own checker; its problems are named `field.name`.
    pub fn nested<T: DeserializeOwned, U>(
        &mut self,
        field: &str,
        value: Value,
        convert: impl FnOnce(T, &mut Checker) -> Option<U>,
    ) -> Option<U> {
        let mut inner = Checker::new();
        let converted = inner
            .object::<T>(&value)
            .and_then(|t| convert(t, &mut inner));
        self.absorb(field, inner);
        converted
    }

    /// Reads a list of objects, each with its own checker; problems are named `field[i].name`.
    pub fn list<T: DeserializeOwned, U>(
        &mut self,
        field: &str,
        items: &[Value],
        mut convert: impl FnMut(T, &mut Checker) -> Option<U>,
    ) -> Option<Vec<U>> {
        let mut converted = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let mut inner = Checker::new();
            converted.push(inner.object::<T>(item).and_then(|t| convert(t, &mut inner)));
            self.absorb(&format!("{field}[{index}]"), inner);
        }
        converted.into_iter().collect()
    }

    fn absorb(&mut self, prefix: &str, inner: Checker) {
        self.extend_at(prefix, inner.issues);
    }

    /// Adds problems found in the part of the body at `prefix` (field names relative to it).
    pub fn extend_at(&mut self, prefix: &str, issues: Vec<FieldIssue>) {
        self.issues
            .extend(issues.into_iter().map(|issue| issue.within(prefix)));
    }

    /// A field of a merge patch: absent keeps, `null` clears, a value sets. `None` when invalid.
    pub fn patch<T>(&mut self, field: &str, value: Field<T>) -> Option<Patch<T>> {
        match value {
            Field::Missing => Some(Patch::Keep),
            Field::Null => Some(Patch::Clear),
            Field::Valid(v) => Some(Patch::Set(v)),
            Field::Invalid(reason) => {
                self.issues.push(FieldIssue::new(field, "ongeldig", reason));
                None
            }
        }
    }

    /// A merge-patch field that cannot be cleared.
    pub fn patch_required<T>(&mut self, field: &str, value: Field<T>) -> Option<Patch<T>> {
        if matches!(value, Field::Null) {
            self.issues.push(FieldIssue::new(
                field,
                "verplicht",
                "kan niet worden leeggemaakt",
            ));
            return None;
        }
        self.patch(field, value)
    }

    /// An optional amount that may not be negative, checked as soon as it is read so that the
    /// rule shows beside every unreadable field. `None` when invalid.
    pub fn non_negative(&mut self, field: &str, value: Field<Money>) -> Option<Option<Money>> {
        let amount = self.optional(field, value)?;
        let issue = amount.and_then(|a| check_not_negative(field, a));
        let valid = issue.is_none();
        self.rule(issue);
        valid.then_some(amount)
    }

    /// Applies a domain rule to a field that was read; an unreadable field was reported already.
    pub fn check<T>(&mut self, value: &Option<T>, rule: impl FnOnce(&T) -> Option<FieldIssue>) {
        self.rule(value.as_ref().and_then(rule));
    }

    /// Applies a domain rule to the value a merge-patch field sets.
    pub fn check_patch<T>(
        &mut self,
        value: &Option<Patch<T>>,
        rule: impl FnOnce(&T) -> Option<FieldIssue>,
    ) {
        self.rule(value.as_ref().and_then(Patch::value).and_then(rule));
    }

    /// Adds the problem a domain rule found, if any.
    pub fn rule(&mut self, issue: Option<FieldIssue>) {
        self.issues.extend(issue);
    }

    /// Adds a problem whose field name is already complete.
    pub fn push(&mut self, issue: FieldIssue) {
        self.issues.push(issue);
    }

    /// Reads the object `value` into `T`, reporting a non-object and every unknown field: those
    /// a lenient `T` ignores, and those a `T` with `deny_unknown_fields` refuses (each is taken
    /// out and the object read again, so every one is named).
    pub fn object<T: DeserializeOwned>(&mut self, value: &Value) -> Option<T> {
        if !self.is_object(value) {
            return None;
        }
        let mut unknown = Vec::new();
        let mut value = std::borrow::Cow::Borrowed(value);
        let parsed = loop {
            let parsed = serde_ignored::deserialize(&*value, |path| unknown.push(path.to_string()));
            let denied = parsed
                .as_ref()
                .err()
                .and_then(|e| refused_field(&e.to_string()))
                .filter(|field| value.get(field).is_some());
            match denied {
                Some(field) => {
                    if let Some(object) = value.to_mut().as_object_mut() {
                        object.remove(&field);
                    }
                    unknown.push(field);
                }
                None => break parsed,
            }
        };
        self.read_object(unknown, parsed)
    }

    /// Reads the object `value` into `T` as [`Checker::object`] does, but takes it instead of
    /// borrowing it, so that no text is copied (a batch holds thousands). For a `T` without
    /// `deny_unknown_fields` only: its unknown fields are reported all the same.
    pub fn given_object<T: DeserializeOwned>(&mut self, value: Value) -> Option<T> {
        if !self.is_object(&value) {
            return None;
        }
        let mut unknown = Vec::new();
        let parsed = serde_ignored::deserialize(value, |path| unknown.push(path.to_string()));
        self.read_object(unknown, parsed)
    }

    fn is_object(&mut self, value: &Value) -> bool {
        let is_object = value.is_object();
        if !is_object {
            self.issues.push(FieldIssue::new(
                "",
                "geen_object",
                "moet een JSON-object zijn",
            ));
        }
        is_object
    }

    /// Reports the unknown fields and an unreadable object.
    fn read_object<T>(
        &mut self,
        unknown: Vec<String>,
        parsed: Result<T, serde_json::Error>,
    ) -> Option<T> {
        for field in unknown {
            self.issues.push(FieldIssue::new(
                text::without_long_numbers(&field),
                "onbekend_veld",
                "is geen veld van dit bericht (let op de schrijfwijze)",
            ));
        }
        match parsed {
            Ok(parsed) => Some(parsed),
            Err(_) => {
                self.issues.push(FieldIssue::new(
                    "",
                    "ongeldig",
                    "heeft niet de verwachte opbouw",
                ));
                None
            }
        }
    }

    pub fn has_issues(&self) -> bool {
        !self.issues.is_empty()
    }

    /// The problems found so far.
    pub fn into_issues(self) -> Vec<FieldIssue> {
        self.issues
    }

    /// The value if nothing was wrong, else a 400 listing every problem. A problem with the
    /// body as a whole is named `(body)`.
    pub fn finish<T>(self, value: Option<T>) -> Result<T, ApiError> {
        match value {
            Some(v) if self.issues.is_empty() => Ok(v),
            _ => Err(ApiError::invalid(
                self.issues
                    .into_iter()
                    .map(|i| {
                        if i.field.is_empty() {
                            FieldIssue {
                                field: "(body)".into(),
                                ..i
                            }
                        } else {
                            i
                        }
                    })
                    .collect(),
            )),
        }
    }
}

/// The field serde refused as unknown, from its message ``unknown field `x`, expected …``.
fn refused_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split_once('`').map(|(field, _)| field.to_owned())
}

/// A request body: lent, or given when nothing else needs it (see [`Checker::given_object`]).
pub trait Body {
    fn read<T: DeserializeOwned>(self, checker: &mut Checker) -> Option<T>;
}

impl Body for &Value {
    fn read<T: DeserializeOwned>(self, checker: &mut Checker) -> Option<T> {
        checker.object(self)
    }
}

impl Body for &actix_web::web::Json<Unique> {
    fn read<T: DeserializeOwned>(self, checker: &mut Checker) -> Option<T> {
        checker.object(&self.0.0)
    }
}

/// A request body as a JSON tree, read so that a member named twice in one object is refused
/// instead of the last one silently kept: a proxy, a log or a signature that reads the first
/// would see another request than the one carried out.
pub struct Unique(pub Value);

/// How a [`Unique`]'s refusal of a member named twice starts, before the member's name, so that
/// [`ApiError::invalid_json`] can tell it from broken JSON and name the field.
pub const NAMED_TWICE: &str = "dubbel_veld:";

impl<'de> Deserialize<'de> for Unique {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Unique, D::Error> {
        deserializer.deserialize_any(UniqueVisitor).map(Unique)
    }
}

struct UniqueVisitor;

impl<'de> Visitor<'de> for UniqueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JSON")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Unique(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(name) = map.next_key::<String>()? {
            if object.contains_key(&name) {
                return Err(serde::de::Error::custom(format!(
                    "{NAMED_TWICE}{}",
                    text::without_long_numbers(&name)
                )));
            }
            let Unique(value) = map.next_value()?;
            object.insert(name, value);
        }
        Ok(Value::Object(object))
    }
}

impl Body for Value {
    fn read<T: DeserializeOwned>(self, checker: &mut Checker) -> Option<T> {
        checker.given_object(self)
    }
}

/// Reads a request body into the request type `T` and converts it with `convert`, reporting the
/// problems of both steps together as one 400.
pub fn parse<T: DeserializeOwned, U>(
    body: impl Body,
    convert: impl FnOnce(T, &mut Checker) -> Option<U>,
) -> Result<U, ApiError> {
    let mut checker = Checker::new();
    let converted = body
        .read::<T>(&mut checker)
        .and_then(|request| convert(request, &mut checker));
    checker.finish(converted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Strict {
        #[serde(default)]
        naam: Field<String>,
    }

    #[test]
    fn a_member_named_twice_is_refused_at_any_depth_and_the_rest_read_as_json() {
        let read = |text: &str| serde_json::from_str::<Unique>(text).map(|u| u.0);
        let tree = read(r#"{"a": [1, -2, 2.5, "x", null, true, {"b": {}}], "c": {"a": 1}}"#);
        assert_eq!(
            tree.unwrap(),
            serde_json::json!({"a": [1, -2, 2.5, "x", null, true, {"b": {}}], "c": {"a": 1}})
        );
        for twice in [
            r#"{"bedrag": "1.00", "bedrag": "500.00"}"#,
            r#"{"g": [{"bedrag": "1.00", "x": 1, "bedrag": "500.00"}]}"#,
        ] {
            let refused = read(twice).unwrap_err().to_string();
            assert!(
                refused.starts_with(&format!("{NAMED_TWICE}bedrag at line ")),
                "{twice}: {refused}"
            );
        }
    }

    #[test]
    fn every_unknown_field_of_a_strict_message_is_named() {
        let mut checker = Checker::new();
        let value = serde_json::json!({"naam": "x", "nam": 1, "url": "y"});
        let parsed = checker
            .object::<Strict>(&value)
            .expect("read without the unknown fields");
        assert!(matches!(parsed.naam, Field::Valid(ref naam) if naam == "x"));
        let mut named: Vec<_> = checker
            .into_issues()
            .into_iter()
            .map(|i| (i.field, i.code))
            .collect();
        named.sort();
        assert_eq!(
            named,
            [
                ("nam".to_owned(), "onbekend_veld"),
                ("url".to_owned(), "onbekend_veld")
            ]
        );
    }

    #[test]
    fn an_unknown_field_named_by_a_bsn_is_not_repeated() {
        let mut checker = Checker::new();
        let value = serde_json::json!({"naam": "x", "999990019": 1, "veld2": {"12345678": 0}});
        checker.object::<Lenient>(&value).expect("readable");
        let mut named: Vec<_> = checker.into_issues().into_iter().map(|i| i.field).collect();
        named.sort();
        assert_eq!(named, ["(getal)", "veld2"].map(String::from));
    }

    #[derive(Debug, Deserialize)]
    struct Lenient {
        #[serde(default)]
        naam: Field<String>,
    }

    #[test]
    fn a_given_object_is_read_like_a_lent_one_with_every_unknown_field_named() {
        let value = serde_json::json!({"naam": "x", "nam": 1, "url": "y"});
        let mut lent = Checker::new();
        let from_lent = lent.object::<Lenient>(&value).expect("readable");
        let mut given = Checker::new();
        let from_given = given.given_object::<Lenient>(value).expect("readable");
        assert!(matches!(from_given.naam, Field::Valid(ref naam) if naam == "x"));
        assert!(matches!(from_lent.naam, Field::Valid(ref naam) if naam == "x"));
        let named = |c: Checker| {
            let mut named: Vec<_> = c.into_issues().into_iter().map(|i| i.field).collect();
            named.sort();
            named
        };
        assert_eq!(named(given), ["nam", "url"]);
        assert_eq!(named(lent), ["nam", "url"]);
        let mut not_an_object = Checker::new();
        assert!(
            not_an_object
                .given_object::<Lenient>(serde_json::json!([1]))
                .is_none()
        );
        assert_eq!(not_an_object.into_issues()[0].code, "geen_object");
    }
}
