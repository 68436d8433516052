//! Tests by behaviour; the fixtures build running attachments and arrangements with little
//! noise.

mod basis;
mod claims_in_arrangement;
mod codes;
mod concurrent_arrangements;
mod deviating_exempt_amount;
mod diff;
mod fixtures;
mod multiple_parties;
mod properties;
mod subsistence_minimum;
mod told;
mod uncertain;
mod views;
