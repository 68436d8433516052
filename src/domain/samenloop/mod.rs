//! Samenloop: attachments (`beslagen`) and payment arrangements running at once for one person
//! (docs/domain.md), flagged so that nobody is pushed below the subsistence minimum unseen, and each
//! creditor is told only what concerns it.
//!
//! Flow: [`choose_basis`] picks the income and household data; the norm engine computes the norm
//! from it; [`detect`] evaluates the flags; [`view_for_creditor`] cuts a flag down to what one
//! creditor may see; [`Detection::keep_told`] keeps what the parties were told of while the data
//! no longer decides it; [`changes`] and [`notifications_for`] turn two evaluations into
//! notifications.

mod basis;
mod circumstances;
mod detect;
mod diff;
mod flags;
mod input;
mod text;
mod view;

pub use basis::{
    BasisSource, DeclaredSituation, IncomeAndNorm, NormBasis, NormBounds, choose_basis,
};
pub use circumstances::{Circumstances, Deductions};
pub use detect::{ComingShortfall, DataRequest, Detection, NotEvaluated, Uncertain, detect};
pub use diff::{
    ChangeKind, CreditorNotification, FlagChange, changes, new_requests, notifications_for,
};
pub use flags::{
    ArrangementDeduction, AttachmentDeduction, ClaimInArrangementAndAttachment, Concurrence,
    ConcurrentArrangements, DeviatingExemptAmount, Deviation, Flag, FlagCode, FlagKey,
    MultipleAttachingParties, NormCertainty, PartyAttachment, SubsistenceMinimumUndercut,
};
pub use input::{ArrangementKind, CreditorClaim, Party, RunningArrangement};
pub use view::{
    Coordination, CreditorFlagDetails, CreditorFlagView, OwnArrangement, OwnAttachment,
    OwnConcurrence, view_for_creditor,
};

#[cfg(test)]
mod tests;
