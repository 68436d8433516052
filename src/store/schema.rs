//! Diesel schema, shared by both backends (see `migrations/postgres` and `migrations/sqlite`).

diesel::table! {
    creditors (code) {
        code -> Text,
        name -> Text,
        claim_type_prefix -> Text,
        brr_from -> Nullable<Date>,
        connected_from -> Nullable<Date>,
        contact_website -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        updated_at -> Timestamp,
        preference_rank -> Nullable<Integer>,
    }
}

diesel::table! {
    audit_trail (id) {
        id -> BigInt,
        changed_at -> Timestamp,
        actor_role -> Text,
        actor_subject -> Nullable<Text>,
        register -> Text,
        entry_key -> Text,
        changes -> Text,
    }
}

diesel::table! {
    claims (id) {
        id -> Text,
        creditor_code -> Text,
        claim_key -> Text,
        case_key -> Nullable<Text>,
        person -> Text,
        claim_type -> Text,
        description -> Text,
        original_cents -> BigInt,
        surcharges_cents -> BigInt,
        paid_cents -> BigInt,
        remitted_cents -> BigInt,
        withdrawn_on -> Nullable<Date>,
        withdrawal_reason -> Nullable<Text>,
        phase -> Text,
        disputed -> Bool,
        imposed_on -> Date,
        due_date -> Date,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    claim_events (id) {
        id -> BigInt,
        creditor_code -> Text,
        event_key -> Text,
        claim_id -> Text,
        event_type -> Text,
        content_hash -> Text,
        amount_cents -> Nullable<BigInt>,
        event_date -> Nullable<Date>,
        category -> Nullable<Text>,
        description -> Nullable<Text>,
        phase -> Nullable<Text>,
        disputed -> Nullable<Bool>,
        received_at -> Timestamp,
        reverses_event_key -> Nullable<Text>,
    }
}

diesel::table! {
    mandates (id) {
        id -> Text,
        person -> Text,
        counsellor -> Text,
        valid_from -> Date,
        valid_until -> Date,
        granted_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        counsellor_reference -> Nullable<Text>,
    }
}

diesel::table! {
    access_log (id) {
        id -> BigInt,
        person -> Text,
        occurred_at -> Timestamp,
        actor_role -> Text,
        actor_organisation -> Nullable<Text>,
        action -> Text,
        subject_id -> Nullable<Text>,
    }
}

diesel::table! {
    proposals (id) {
        id -> Text,
        person -> Text,
        requested_by_role -> Text,
        requested_by_organisation -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        peildatum -> Date,
        household -> Text,
        pension_age -> Bool,
        net_income_cents -> BigInt,
        housing_costs_cents -> Nullable<BigInt>,
        capacity_cents -> BigInt,
        feasible -> Bool,
        accepted_as -> Nullable<Text>,
        children -> Nullable<Bool>,
        taxable_yearly_income_cents -> Nullable<BigInt>,
        housing_correction -> Bool,
        partner_income_cents -> Nullable<BigInt>,
    }
}

diesel::table! {
    proposal_claims (proposal_id, claim_id) {
        proposal_id -> Text,
        claim_id -> Text,
        outstanding_cents -> BigInt,
    }
}

diesel::table! {
    arrangements (id) {
        id -> Text,
        person -> Text,
        proposal_id -> Text,
        coordinator -> Text,
        capacity_cents -> BigInt,
        instalment_cents -> BigInt,
        max_term_months -> Integer,
        min_instalment_cents -> BigInt,
        split_strategy -> Text,
        first_due -> Date,
        started_on -> Date,
        started_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
        end_reason -> Nullable<Text>,
        ended_by_role -> Nullable<Text>,
        ended_by_organisation -> Nullable<Text>,
    }
}

diesel::table! {
    arrangement_claims (arrangement_id, claim_id) {
        arrangement_id -> Text,
        claim_id -> Text,
        creditor_code -> Text,
        claim_key -> Text,
        outstanding_cents -> BigInt,
        due_date -> Date,
        creditor_rank -> Nullable<Integer>,
    }
}

diesel::table! {
    arranged_claims (claim_id) {
        claim_id -> Text,
        arrangement_id -> Text,
    }
}

diesel::table! {
    notification_feeds (recipient_kind, recipient) {
        recipient_kind -> Text,
        recipient -> Text,
        last_position -> BigInt,
    }
}

diesel::table! {
    notifications (recipient_kind, recipient, position) {
        recipient_kind -> Text,
        recipient -> Text,
        position -> BigInt,
        event_id -> Text,
        kind -> Text,
        person -> Text,
        mandate_id -> Nullable<Text>,
        subject_id -> Text,
        payload -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    attachments (id) {
        id -> Text,
        person -> Text,
        creditor_code -> Nullable<Text>,
        party_name -> Nullable<Text>,
        declared_by_role -> Text,
        declared_by_organisation -> Nullable<Text>,
        reference -> Nullable<Text>,
        income_source -> Text,
        known_net_income_cents -> Nullable<BigInt>,
        assumed_household -> Nullable<Text>,
        monthly_amount_cents -> BigInt,
        applied_bvv_cents -> Nullable<BigInt>,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        executorial -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        taxable_yearly_income_cents -> Nullable<BigInt>,
        children -> Nullable<Bool>,
        partner_income_cents -> Nullable<BigInt>,
    }
}

diesel::table! {
    attachment_claims (attachment_id, claim_key) {
        attachment_id -> Text,
        claim_key -> Text,
    }
}

diesel::table! {
    declared_arrangements (id) {
        id -> Text,
        person -> Text,
        party_name -> Text,
        monthly_amount_cents -> BigInt,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        declared_by_role -> Text,
        declared_by_organisation -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    samenloop_states (person) {
        person -> Text,
        flags -> Text,
        evaluated_at -> Timestamp,
        evaluation -> Nullable<Text>,
    }
}

diesel::joinable!(claims -> creditors (creditor_code));
diesel::joinable!(attachment_claims -> attachments (attachment_id));
diesel::joinable!(proposal_claims -> proposals (proposal_id));
diesel::table! {
    pseudonym_key_check (id) {
        id -> Integer,
        fingerprint -> Text,
    }
}

diesel::joinable!(arrangement_claims -> arrangements (arrangement_id));
diesel::joinable!(arranged_claims -> arrangements (arrangement_id));
diesel::joinable!(claim_events -> claims (claim_id));

diesel::allow_tables_to_appear_in_same_query!(
    creditors,
    claims,
    claim_events,
    mandates,
    access_log
);
// The overview reads a person's claims with their arrangement membership in one query.
diesel::allow_tables_to_appear_in_same_query!(arranged_claims, claims);
diesel::allow_tables_to_appear_in_same_query!(arranged_claims, claim_events);
// A batch of claim events reads which of its claims are arranged, and who coordinates each.
diesel::allow_tables_to_appear_in_same_query!(arranged_claims, arrangements);

diesel::table! {
    norm_tables (valid_from) {
        valid_from -> Date,
        added_by -> Text,
        added_at -> Timestamp,
    }
}

diesel::table! {
    norm_parameters (valid_from, code) {
        valid_from -> Date,
        code -> Text,
        source -> Text,
        confirmed -> Bool,
        value -> Text,
    }
}

diesel::joinable!(norm_parameters -> norm_tables (valid_from));

diesel::table! {
    samenloop_checks (id) {
        id -> Integer,
        checked_through -> Date,
        pending_through -> Nullable<Date>,
        last_person -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    counsellor_organisations (id) {
        id -> Text,
        name -> Text,
        contact_website -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    declared_situations (person) {
        person -> Text,
        proposal_id -> Text,
        declared_on -> Date,
    }
}

diesel::table! {
    reference_versions (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::joinable!(declared_situations -> proposals (proposal_id));
diesel::allow_tables_to_appear_in_same_query!(declared_situations, proposals);

diesel::table! {
    sessions (id_hash) {
        id_hash -> Text,
        role -> Nullable<Text>,
        person -> Nullable<Text>,
        organisation -> Nullable<Text>,
        csrf_token -> Text,
        oidc_state -> Nullable<Text>,
        oidc_nonce -> Nullable<Text>,
        oidc_verifier -> Nullable<Text>,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    debt_help_trajectories (id) {
        id -> Text,
        person -> Text,
        counsellor -> Text,
        mandate_id -> Text,
        mandate_valid_until -> Date,
        mandate_end_told -> Bool,
        phase -> Text,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        registered_at -> Timestamp,
        changed_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
        version -> BigInt,
        ruling_date -> Nullable<Date>,
    }
}

diesel::table! {
    debt_help_trajectory_creditors (trajectory_id, creditor_code) {
        trajectory_id -> Text,
        creditor_code -> Text,
        informed_at -> Timestamp,
    }
}

diesel::joinable!(debt_help_trajectory_creditors -> debt_help_trajectories (trajectory_id));
diesel::allow_tables_to_appear_in_same_query!(
    debt_help_trajectories,
    debt_help_trajectory_creditors
);

diesel::table! {
    balance_statements (id) {
        id -> Text,
        person -> Text,
        reference_date -> Date,
        made_by_role -> Text,
        made_by_organisation -> Nullable<Text>,
        made_at -> Timestamp,
        content -> Text,
    }
}

diesel::table! {
    webhook_subscriptions (id) {
        id -> Text,
        recipient_kind -> Text,
        recipient -> Text,
        url -> Text,
        sealed_secret -> Text,
        created_at -> Timestamp,
        delivered_position -> BigInt,
        delivered_at -> Nullable<Timestamp>,
        failed_attempts -> Integer,
        next_attempt_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        last_error_at -> Nullable<Timestamp>,
        lease_holder -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
        stopped_at -> Nullable<Timestamp>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(webhook_subscriptions, notification_feeds);
