//! Claims (vorderingen): the events agencies post and the ledger they fold into.

mod event;
mod ledger;

pub use event::{
    ClaimEvent, EventType, ImposedClaim, KeyedEvent, MAX_BATCH_SIZE, Phase, SurchargeCategory,
    ValidationContext, check_amount, check_claim_type_format, check_description, check_key,
    check_not_future, validate_batch,
};
pub use ledger::{ClaimStatus, Ledger, LedgerError, MAX_CLAIM_TOTAL_CENTS, Withdrawal};
