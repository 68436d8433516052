//! The domain: pure rules over plain types. No I/O, no async, no database, no HTTP.

pub mod access;
pub mod arrangement;
pub mod attachment;
pub mod attention;
pub mod audit;
pub mod authorization;
pub mod beslagvrije_voet;
pub mod bsn;
pub mod caller;
pub mod claims;
pub mod counsellor;
pub mod creditor;
pub mod decision;
pub mod digest;
pub mod household;
pub mod mandate;
pub mod money;
pub mod notification;
pub mod overview;
pub mod patch;
pub mod person;
pub mod planner;
pub mod saldo_opgave;
pub mod samenloop;
pub mod schuldhulptraject;
#[cfg(test)]
pub mod testing;
pub mod text;
pub mod time;
pub mod validation;
pub mod webhook;
