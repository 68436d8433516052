//! What changed between two evaluations, and who must be told.

use std::collections::{BTreeMap, BTreeSet};

use super::detect::{DataRequest, Detection};
use super::flags::{Flag, FlagCode, FlagKey};
use super::view::{CreditorFlagView, view_for_creditor};
use crate::domain::money::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    Raised,
    Changed,
    Cleared,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlagChange {
    Raised(Flag),
    Changed { previous: Flag, current: Flag },
    Cleared(Flag),
}

impl FlagChange {
    pub fn kind(&self) -> ChangeKind {
        match self {
            FlagChange::Raised(_) => ChangeKind::Raised,
            FlagChange::Changed { .. } => ChangeKind::Changed,
            FlagChange::Cleared(_) => ChangeKind::Cleared,
        }
    }

    pub fn key(&self) -> FlagKey {
        match self {
            FlagChange::Raised(flag) | FlagChange::Cleared(flag) => flag.key(),
            FlagChange::Changed { current, .. } => current.key(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditorNotification {
    pub creditor: String,
    pub change: ChangeKind,
    pub view: CreditorFlagView,
    /// The flag still holds for others (a creditor whose part of it ended is told it is
    /// cleared for it, not that it is over).
    pub flag_stands: bool,
    /// The evaluation leaves a shortfall undecided: see [`Detection::shortfall_undecided`].
    pub shortfall_undecided: bool,
}

impl Detection {
    /// The flags the parties are told of: the certain ones, and those told before that the data
    /// no longer decides. Compare these with [`changes`], not `flags` alone.
    pub fn told(&self) -> Vec<Flag> {
        self.flags
            .iter()
            .chain(&self.told_undecided)
            .cloned()
            .collect()
    }

    /// Keeps as told the flags `previous` told of that this evaluation leaves undecided. Data
    /// that no longer decides a flag has not resolved it, so the parties are not told it is
    /// lifted; once decided again it is the same flag, changed at most. A flag decided not to
    /// hold, or whose attachment is gone, is not kept, and so is cleared. A shortfall is kept
    /// with only the deductions still running: a creditor whose attachment or arrangement ended
    /// is told it no longer concerns it, and once none runs, or what still runs leaves no
    /// shortfall, it is lifted.
    pub fn keep_told(&mut self, previous: &Detection) {
        let decided: BTreeSet<FlagKey> = self.flags.iter().map(Flag::key).collect();
        self.told_undecided = previous
            .told()
            .into_iter()
            .filter(|flag| !decided.contains(&flag.key()) && self.leaves_undecided(flag))
            .filter_map(|flag| self.still_running(flag))
            .collect();
    }

    /// The kept flag with only what still runs, if anything it is about does.
    fn still_running(&self, flag: Flag) -> Option<Flag> {
        let runs = |id: &String| self.running.binary_search(id).is_ok();
        match flag {
            Flag::SubsistenceMinimumUndercut(mut undercut) => {
                undercut.attachments.retain(|a| runs(&a.attachment_id));
                undercut.arrangements.retain(|a| runs(&a.arrangement_id));
                undercut
                    .shortfall()
                    .is_positive()
                    .then_some(Flag::SubsistenceMinimumUndercut(undercut))
            }
            Flag::DeviatingExemptAmount(deviation) => {
                runs(&deviation.attachment_id).then_some(Flag::DeviatingExemptAmount(deviation))
            }
            other => Some(other),
        }
    }

    /// Whether a shortfall is uncertain or not evaluated here: one the parties were told of and
    /// that is cleared then is no longer certain, but may still be there.
    pub fn shortfall_undecided(&self) -> bool {
        let code = FlagCode::SubsistenceMinimumUndercut;
        self.uncertain.iter().any(|u| u.code == code)
            || self.not_evaluated.iter().any(|n| n.code == code)
    }

    /// Whether the flag is uncertain or not evaluated here; a deviating BVV for its attachment.
    fn leaves_undecided(&self, flag: &Flag) -> bool {
        let attachment = match flag {
            Flag::DeviatingExemptAmount(deviation) => Some(deviation.attachment_id.as_str()),
            _ => None,
        };
        let uncertain = self
            .uncertain
            .iter()
            .any(|u| u.code == flag.code() && u.attachment_id.as_deref() == attachment);
        let not_evaluated = self.not_evaluated.iter().any(|n| {
            n.code == flag.code()
                && attachment.is_none_or(|id| n.attachment_ids.iter().any(|a| a == id))
        });
        uncertain || not_evaluated
    }
}

/// Flags matched by key: new keys are raised, vanished keys cleared, equal keys with other
/// figures changed. In key order. Each list is expected to hold a key once, as [`detect`]
/// produces it.
///
/// [`detect`]: super::detect::detect
pub fn changes(previous: &[Flag], current: &[Flag]) -> Vec<FlagChange> {
    let previous: BTreeMap<FlagKey, &Flag> = previous.iter().map(|f| (f.key(), f)).collect();
    let current: BTreeMap<FlagKey, &Flag> = current.iter().map(|f| (f.key(), f)).collect();
    let keys: BTreeSet<&FlagKey> = previous.keys().chain(current.keys()).collect();
    keys.into_iter()
        .filter_map(|key| match (previous.get(key), current.get(key)) {
            (None, Some(current)) => Some(FlagChange::Raised((*current).clone())),
            (Some(previous), None) => Some(FlagChange::Cleared((*previous).clone())),
            (Some(previous), Some(current)) if previous != current => Some(FlagChange::Changed {
                previous: (*previous).clone(),
                current: (*current).clone(),
            }),
            _ => None,
        })
        .collect()
}

/// The requests for data not made at the previous evaluation: each is made once.
pub fn new_requests<'a>(
    previous: &[DataRequest],
    current: &'a [DataRequest],
) -> impl Iterator<Item = &'a DataRequest> {
    let previous: Vec<&DataRequest> = previous.iter().collect();
    current.iter().filter(move |r| !previous.contains(r))
}

/// One notification per creditor per change that concerns it, ordered by creditor and then by
/// change. Seen from one creditor a changed flag can be new (it now concerns it: raised) or gone
/// (it no longer does: cleared); a change that leaves its own view as it was, for instance
/// another creditor's amount, is not sent to it at all. `shortfall_undecided`: see
/// [`Detection::shortfall_undecided`].
pub fn notifications_for(
    changes: &[FlagChange],
    remaining_capacity: Option<Money>,
    shortfall_undecided: bool,
) -> Vec<CreditorNotification> {
    let mut notifications = Vec::new();
    for change in changes {
        let (previous, current) = match change {
            FlagChange::Raised(flag) => (None, Some(flag)),
            FlagChange::Changed { previous, current } => (Some(previous), Some(current)),
            FlagChange::Cleared(flag) => (Some(flag), None),
        };
        let creditors: BTreeSet<String> = previous
            .into_iter()
            .chain(current)
            .flat_map(Flag::affected_creditors)
            .collect();
        for creditor in creditors {
            let before = previous.and_then(|f| view_for_creditor(f, &creditor, remaining_capacity));
            let after = current.and_then(|f| view_for_creditor(f, &creditor, remaining_capacity));
            let (change, view) = match (before, after) {
                (None, Some(after)) => (ChangeKind::Raised, after),
                (Some(before), None) => (ChangeKind::Cleared, before),
                (Some(before), Some(after)) if before != after => (ChangeKind::Changed, after),
                _ => continue,
            };
            notifications.push(CreditorNotification {
                creditor,
                change,
                view,
                flag_stands: current.is_some(),
                shortfall_undecided,
            });
        }
    }
    // Stable, so each creditor's notifications keep the order of the changes.
    notifications.sort_by(|a, b| a.creditor.cmp(&b.creditor));
    notifications
}
