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

diesel::joinable!(claims -> creditors (creditor_code));
diesel::joinable!(claim_events -> claims (claim_id));

diesel::allow_tables_to_appear_in_same_query!(
    creditors,
    claims,
    claim_events,
    mandates,
    access_log
);

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
        amount_cents -> BigInt,
        source -> Text,
        confirmed -> Bool,
    }
}

diesel::joinable!(norm_parameters -> norm_tables (valid_from));
