//! What on a counsellor's list of clients asks for attention, so that among thirty clients the
//! one who keeps too little to live on is seen first, not found by opening every overview.

use chrono::{Days, NaiveDate};

use super::mandate::Mandate;
use super::samenloop::{Detection, FlagCode};

/// A mandate that ends within this many days is pointed out, so that the counsellor can ask
/// for a new one before its trajectory and signals are lost (a choice: about a month).
pub const MANDATE_ENDING_WITHIN_DAYS: u64 = 31;

/// What asks for attention about one client, as the last samenloop evaluation left it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attention {
    /// The samenloop flags that hold, each kind once, in the order the contract lists them.
    pub flags: Vec<FlagCode>,
    /// Without a shortfall today, the day a shortfall that deductions known now will cause
    /// begins.
    pub shortfall_from: Option<NaiveDate>,
    /// The mandate's last day, when it comes within [`MANDATE_ENDING_WITHIN_DAYS`].
    pub mandate_ends: Option<NaiveDate>,
}

impl Attention {
    /// From the client's last evaluation (`None`: never evaluated, nothing known) and mandate.
    pub fn of(detection: Option<&Detection>, mandate: &Mandate, today: NaiveDate) -> Attention {
        let mut flags: Vec<FlagCode> = detection
            .map(|d| d.flags.iter().map(|f| f.code()).collect())
            .unwrap_or_default();
        flags.sort_by_key(|code| FlagCode::ALL.iter().position(|c| c == code));
        flags.dedup();
        let soon = today.checked_add_days(Days::new(MANDATE_ENDING_WITHIN_DAYS));
        Attention {
            flags,
            shortfall_from: detection
                .and_then(|d| d.coming_shortfall.as_ref())
                .map(|c| c.from),
            mandate_ends: Some(mandate.valid_until).filter(|end| soon.is_none_or(|s| *end <= s)),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.flags.is_empty() && self.shortfall_from.is_none() && self.mandate_ends.is_none()
    }

    /// How pressing, lower first: too little to live on now, then soon, then any other flag,
    /// then a mandate about to end, then nothing.
    fn rank(&self) -> u8 {
        if self.flags.contains(&FlagCode::SubsistenceMinimumUndercut) {
            0
        } else if self.shortfall_from.is_some() {
            1
        } else if !self.flags.is_empty() {
            2
        } else if self.mandate_ends.is_some() {
            3
        } else {
            4
        }
    }
}

/// Puts the clients who need attention first, most pressing first; within each rank the order
/// they came in (the client order) stays.
pub fn in_attention_order<T>(clients: &mut [(T, Attention)]) {
    clients.sort_by_key(|(_, attention)| attention.rank());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Money;
    use crate::domain::samenloop::{ComingShortfall, NormCertainty};
    use crate::domain::testing::{d, mandate_until};

    fn day(month: u32, day: u32) -> NaiveDate {
        d(2026, month, day)
    }

    fn coming(from: NaiveDate) -> Detection {
        Detection {
            coming_shortfall: Some(ComingShortfall {
                from,
                shortfall: Money::from_cents(4849),
                certainty: NormCertainty::Exact,
            }),
            ..Detection::default()
        }
    }

    #[test]
    fn a_mandate_is_pointed_out_from_a_month_before_its_last_day() {
        let today = day(6, 15);
        let ends = |until| Attention::of(None, &mandate_until(until), today).mandate_ends;
        assert_eq!(ends(day(7, 16)), Some(day(7, 16)));
        assert_eq!(ends(day(7, 17)), None);
        assert_eq!(ends(day(6, 15)), Some(day(6, 15)));
    }

    #[test]
    fn nothing_known_asks_nothing() {
        let attention = Attention::of(None, &mandate_until(day(12, 31)), day(6, 15));
        assert!(attention.is_empty());
        let evaluated = Attention::of(
            Some(&Detection::default()),
            &mandate_until(day(12, 31)),
            day(6, 15),
        );
        assert!(evaluated.is_empty());
    }

    #[test]
    fn a_shortfall_coming_is_named_by_its_first_day() {
        let attention = Attention::of(
            Some(&coming(day(8, 1))),
            &mandate_until(day(12, 31)),
            day(6, 15),
        );
        assert_eq!(attention.shortfall_from, Some(day(8, 1)));
        assert!(!attention.is_empty());
    }

    #[test]
    fn the_most_pressing_come_first_and_the_rest_keep_their_order() {
        let with =
            |flags: Vec<FlagCode>, from: Option<NaiveDate>, ends: Option<NaiveDate>| Attention {
                flags,
                shortfall_from: from,
                mandate_ends: ends,
            };
        let mut clients = vec![
            ("plain-a", Attention::default()),
            ("ending", with(vec![], None, Some(day(7, 1)))),
            (
                "other-flag",
                with(vec![FlagCode::ConcurrentArrangements], None, None),
            ),
            ("plain-b", Attention::default()),
            ("coming", with(vec![], Some(day(8, 1)), None)),
            (
                "undercut",
                with(
                    vec![
                        FlagCode::SubsistenceMinimumUndercut,
                        FlagCode::MultipleAttachingParties,
                    ],
                    None,
                    None,
                ),
            ),
        ];
        in_attention_order(&mut clients);
        let order: Vec<&str> = clients.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            order,
            [
                "undercut",
                "coming",
                "other-flag",
                "ending",
                "plain-a",
                "plain-b"
            ]
        );
    }
}
