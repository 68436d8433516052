//! What on a counsellor's list of clients asks for attention, so that among thirty clients the
//! one who keeps too little to live on is seen first, not found by opening every overview.

use chrono::{Days, NaiveDate};

use super::mandate::Mandate;
use super::samenloop::{Detection, FlagCode};

/// A mandate that ends within this many days is pointed out, so that the counsellor can plan
/// with the client, who can mandate the organisation again once it has ended, before the
/// trajectory's signals stop (a choice: about a month).
pub const MANDATE_ENDING_WITHIN_DAYS: u64 = 31;

/// What asks for attention about one client, as the last samenloop evaluation left it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attention {
    /// The samenloop flags that hold, each kind once, in the order the contract lists them.
    pub flags: Vec<FlagCode>,
    /// Without a shortfall today, the day a shortfall that deductions known now will cause
    /// begins.
    pub shortfall_from: Option<NaiveDate>,
    /// Flags the known data cannot decide (they hold for some norms it allows), each kind once.
    pub uncertain: Vec<FlagCode>,
    /// Flags that could not be judged at all for want of data, each kind once.
    pub not_evaluated: Vec<FlagCode>,
    /// The mandate's last day, when it comes within [`MANDATE_ENDING_WITHIN_DAYS`].
    pub mandate_ends: Option<NaiveDate>,
}

impl Attention {
    /// From the client's last evaluation (`None`: never evaluated, nothing known) and mandate.
    pub fn of(detection: Option<&Detection>, mandate: &Mandate, today: NaiveDate) -> Attention {
        let codes = |of: &dyn Fn(&Detection) -> Vec<FlagCode>| {
            let mut codes = detection.map(of).unwrap_or_default();
            codes.sort_by_key(|code| FlagCode::ALL.iter().position(|c| c == code));
            codes.dedup();
            codes
        };
        let soon = today.checked_add_days(Days::new(MANDATE_ENDING_WITHIN_DAYS));
        Attention {
            flags: codes(&|d| d.flags.iter().map(|f| f.code()).collect()),
            shortfall_from: detection
                .and_then(|d| d.coming_shortfall.as_ref())
                .map(|c| c.from),
            uncertain: codes(&|d| d.uncertain.iter().map(|u| u.code).collect()),
            not_evaluated: codes(&|d| d.not_evaluated.iter().map(|n| n.code).collect()),
            mandate_ends: Some(mandate.valid_until).filter(|end| soon.is_none_or(|s| *end <= s)),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rank() == Rank::Nothing
    }

    fn rank(&self) -> Rank {
        let undercut = FlagCode::SubsistenceMinimumUndercut;
        if self.flags.contains(&undercut) {
            Rank::Shortfall
        } else if self.shortfall_from.is_some() {
            Rank::ShortfallComing
        } else if self.uncertain.contains(&undercut) {
            Rank::ShortfallPossible
        } else if !self.flags.is_empty() {
            Rank::OtherFlag
        } else if !self.uncertain.is_empty() || !self.not_evaluated.is_empty() {
            Rank::Undecided
        } else if self.mandate_ends.is_some() {
            Rank::MandateEnding
        } else {
            Rank::Nothing
        }
    }
}

/// How pressing, most first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    /// Too little to live on now.
    Shortfall,
    /// Too little from a later day, by deductions known now.
    ShortfallComing,
    /// Too little on some of the norms the known data allows.
    ShortfallPossible,
    OtherFlag,
    /// Another flag the data cannot decide, or could not judge.
    Undecided,
    MandateEnding,
    Nothing,
}

/// Puts the clients who need attention first, most pressing first; mandates about to end by
/// their last day; otherwise the order they came in (the client order) stays.
pub fn in_attention_order<T>(clients: &mut [(T, Attention)]) {
    clients.sort_by_key(|(_, attention)| {
        let rank = attention.rank();
        let ends = (rank == Rank::MandateEnding).then_some(attention.mandate_ends);
        (rank, ends)
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Money;
    use crate::domain::samenloop::{ComingShortfall, NormCertainty, Uncertain};
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
    fn a_shortfall_the_known_data_cannot_decide_asks_for_attention() {
        let detection = Detection {
            uncertain: vec![Uncertain {
                code: FlagCode::SubsistenceMinimumUndercut,
                attachment_id: None,
                missing: vec!["belastbaarJaarinkomen".into()],
                explanation: String::new(),
            }],
            ..Detection::default()
        };
        let attention = Attention::of(Some(&detection), &mandate_until(day(12, 31)), day(6, 15));
        assert_eq!(attention.uncertain, [FlagCode::SubsistenceMinimumUndercut]);
        assert!(!attention.is_empty());
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
                ..Attention::default()
            };
        let undecided = |uncertain: Vec<FlagCode>, not_evaluated: Vec<FlagCode>| Attention {
            uncertain,
            not_evaluated,
            ..Attention::default()
        };
        let mut clients = vec![
            ("plain-a", Attention::default()),
            ("ending-later", with(vec![], None, Some(day(7, 10)))),
            ("ending", with(vec![], None, Some(day(7, 1)))),
            (
                "not-judged",
                undecided(vec![], vec![FlagCode::DeviatingExemptAmount]),
            ),
            (
                "other-flag",
                with(vec![FlagCode::ConcurrentArrangements], None, None),
            ),
            (
                "maybe-short",
                undecided(vec![FlagCode::SubsistenceMinimumUndercut], vec![]),
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
                "maybe-short",
                "other-flag",
                "not-judged",
                "ending",
                "ending-later",
                "plain-a",
                "plain-b"
            ]
        );
        assert!(clients[7].1.is_empty() && !clients[4].1.is_empty());
    }
}
