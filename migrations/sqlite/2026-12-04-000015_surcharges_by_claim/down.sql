DROP INDEX claim_surcharges_by_claim;
