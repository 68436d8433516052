//! The Betalingsregeling Rijk planner (docs/choices.md): which claims may join, how much can be paid
//! each month without going below the norm, and how each month's instalment is split over the
//! creditors, exact to the cent.

mod changes;
mod eligibility;
mod policy;
mod progress;
mod schedule;
mod split;

pub use changes::{Change, changes};
pub use eligibility::{
    CandidateClaim, EligibleClaim, ExcludedClaim, ExclusionReason, Selection, participation, select,
};
pub use policy::{Policy, SplitStrategy, capacity};
pub use progress::{Progress, progress};
pub use schedule::{
    ClaimPayment, CreditorShare, Infeasibility, PlanOutcome, Schedule, ScheduledMonth,
    first_due_after, plan,
};
