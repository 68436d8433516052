//! Claims (vorderingen): the events agencies post and the ledger they fold into.

mod claim;
mod event;
mod ledger;

pub use claim::{
    ArrangedClaimChange, BatchError, BatchSummary, Claim, ClaimBatch, ReversiblePayment,
    apply_batch, apply_batch_of_new_claims,
};
pub use event::{
    BalanceChange, ClaimEvent, EventType, ImposedClaim, KeyedEvent, MAX_BATCH_SIZE, Phase,
    RecordedChange, RecordedEvent, SurchargeCategory, ValidationContext, check_amount,
    check_claim_type_format, check_description, check_key, check_not_future, validate_batch,
};
pub use ledger::{ClaimStatus, Ledger, LedgerError, MAX_CLAIM_TOTAL_CENTS, Withdrawal};
