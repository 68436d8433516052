//! The legal beslagvrije voet (BVV) of art. 475da–475dc Wetboek van Burgerlijke Rechtsvordering
//! (Rv), as those articles read since 1 January 2026, in full: the formula of art. 475da lid 2 per
//! situation, the cap of lid 3, the maxima of lid 1, the housing raise of lid 5, the reduction for
//! the spouse's income of art. 475db and the cap of art. 475dc, computed exactly and rounded once.
//!
//! Pure code: no I/O. Parameters live in dated tables ([`NormTable`]), every value with its
//! source; [`seed_tables`] holds the confirmed tables. [`lid8_self_check`] checks a table against
//! the maxima it publishes (art. 475da lid 8 Rv). The law, the decisions where its text leaves a
//! choice, and every figure with its source are described in `docs/beslagvrije-voet.md`.

mod engine;
mod exact;
mod explanation;
mod input;
mod parameters;
mod self_check;
mod table_check;
mod tables;
mod terms;

pub use engine::{
    NormError, NormRange, NormResult, amounts_change_between, compute, compute_later, range,
};
pub use explanation::{NotComputed, Step, UsedParameter, Warning, step};
pub use input::{NormInput, Situation, check_household, field, law_in_force};
pub use parameters::{NormTable, Parameter, ParameterValue, Unit};
pub use self_check::{SelfCheck, lid8_self_check};
pub use table_check::{add_table, validate_new_table};
pub use tables::seed_tables;

#[cfg(test)]
mod tests;
