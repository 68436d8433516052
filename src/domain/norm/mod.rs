//! The one common subsistence norm: the beslagvrije voet of art. 475da Rv (since 1 January 2021),
//! computed step by step from dated tables of bijstandsnormen. Proposals and the samenloop
//! detector use this engine; nothing else computes a norm.

mod engine;
mod table;

pub use engine::{
    Allowances, Correction, CorrectionCode, NormError, NormInput, NormResult, Step, Warning,
    compute,
};
pub use table::{NormTable, Parameter, ParameterValue, add_table, seed_tables, validate_new_table};
