use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDateTime;

use super::*;
use crate::domain::access::{Actor, Role};
use crate::domain::attachment::AttachmentTerms;
use crate::domain::claims::{ImposedClaim, KeyedEvent, SurchargeCategory};
use crate::domain::creditor::Contact;
use crate::domain::testing::{self, arrangement, d, june_15, m};

fn now() -> Moment {
    june_15()
}

fn person() -> PersonId {
    testing::person("persoon")
}

fn counsellor_access() -> Access {
    Access {
        actor: Actor::organisation(Role::Schuldhulpverlener, "GKB"),
        mandate_id: Some("m-1".into()),
    }
}

fn mandate(id: &str, until: NaiveDate, revoked: Option<NaiveDateTime>) -> Mandate {
    Mandate {
        id: id.into(),
        person: person(),
        counsellor: "GKB".into(),
        valid_from: d(2026, 1, 1),
        valid_until: until,
        granted_at: d(2026, 1, 1).and_hms_opt(9, 0, 0).unwrap(),
        revoked_at: revoked,
        counsellor_reference: None,
    }
}

fn registry() -> CounsellorOrganisation {
    CounsellorOrganisation {
        id: "GKB".into(),
        name: "Gemeentelijke Kredietbank".into(),
        contact: Contact {
            website: Some("https://gkb.example".into()),
            phone: None,
        },
    }
}

fn claim(id: &str, creditor: &str, key: &str, amount: &str) -> Claim {
    crate::domain::testing::claim(id, &person(), creditor, key, amount)
}

/// The person's claims, and no arrangement.
fn debts(claims: &[Claim]) -> Debts<'_> {
    Debts {
        claims,
        arrangements: &[],
    }
}

/// GKB registers a trajectory in `phase` since 1 June, under a live mandate, with none running.
fn register_in(
    phase: TrajectoryPhase,
    ruling: Option<NaiveDate>,
    debts: Debts<'_>,
) -> Result<Decision<Trajectory>, TrajectoryError> {
    Trajectory::register(
        &counsellor_access(),
        &person(),
        "t-1".into(),
        Registration {
            phase,
            start: d(2026, 6, 1),
            ruling,
        },
        &mandate("m-1", d(2026, 12, 31), None),
        Some(&registry()),
        None,
        debts,
        now(),
    )
}

fn register(claims: &[Claim]) -> Decision<Trajectory> {
    register_in(TrajectoryPhase::Stabilisatie, None, debts(claims)).unwrap()
}

fn registered(claims: &[Claim]) -> Trajectory {
    register(claims).value
}

/// Each notification's recipient and kind.
fn told(notifications: &[Notification]) -> Vec<(Recipient, &'static str)> {
    notifications
        .iter()
        .map(|n| (n.recipient.clone(), n.message.kind()))
        .collect()
}

fn creditor(code: &str) -> Recipient {
    Recipient::Creditor(code.into())
}

fn trajectory_message(notification: &Notification) -> &SchuldhulptrajectMelding {
    match &notification.message {
        Melding::SchuldhulptrajectGestart(m)
        | Melding::SchuldhulptrajectGewijzigd(m)
        | Melding::SchuldhulptrajectBeeindigd(m) => m,
        other => panic!("not a trajectory notice: {other:?}"),
    }
}

#[test]
fn every_creditor_with_an_open_claim_is_told_of_its_own_claims_only_and_no_other() {
    let mut paid = claim("c3", "DUO", "DUO-9", "50.00");
    paid.ledger.paid = m("50.00");
    let claims = [
        claim("c1", "CJIB", "CJIB-1", "100.00"),
        claim("c2", "CJIB", "CJIB-2", "20.00"),
        paid,
        claim("c4", "CAK", "CAK-1", "75.00"),
    ];
    let decision = register(&claims);
    let notifications = &decision.effects.notifications;
    assert_eq!(
        told(notifications),
        [
            (creditor("CAK"), "SCHULDHULPTRAJECT_GESTART"),
            (creditor("CJIB"), "SCHULDHULPTRAJECT_GESTART"),
            (Recipient::PersonsCounsellors, "SCHULDHULPTRAJECT_GESTART"),
        ],
        "DUO has nothing open"
    );
    let cjib = trajectory_message(&notifications[1]);
    let keys: Vec<_> = cjib
        .uw_vorderingen
        .iter()
        .map(|c| (c.vorderingkenmerk.as_str(), c.openstaand))
        .collect();
    assert_eq!(keys, [("CJIB-1", m("100.00")), ("CJIB-2", m("20.00"))]);
    assert!(cjib.invordering_opschorten);
    assert_eq!(cjib.schuldhulpverlener.naam, "Gemeentelijke Kredietbank");
    assert!(cjib.geinformeerde_schuldeisers.is_empty());
    let to_counsellors = trajectory_message(&notifications[2]);
    assert_eq!(to_counsellors.geinformeerde_schuldeisers, ["CAK", "CJIB"]);
    assert!(to_counsellors.uw_vorderingen.is_empty());
    assert_eq!(
        decision.value.informed,
        BTreeSet::from(["CAK".to_owned(), "CJIB".to_owned()])
    );
    assert!(decision.writes.iter().any(|w| matches!(w,
        Write::TrajectoryCreditorsInformed { creditors, .. } if creditors == &["CAK", "CJIB"])));
}

#[test]
fn a_trajectory_starts_today_or_earlier_and_one_runs_per_person() {
    let register = |start, running: Option<&Trajectory>| {
        Trajectory::register(
            &counsellor_access(),
            &person(),
            "t-2".into(),
            Registration {
                phase: TrajectoryPhase::Wsnp,
                start,
                ruling: None,
            },
            &mandate("m-1", d(2026, 12, 31), None),
            None,
            running,
            debts(&[]),
            now(),
        )
    };
    assert!(matches!(
        register(d(2026, 6, 16), None),
        Err(TrajectoryError::Invalid(issues)) if issues[0].field == "startdatum"
    ));
    let running = registered(&[]);
    assert_eq!(
        register(d(2026, 6, 1), Some(&running)),
        Err(TrajectoryError::AlreadyRunning { ours: true })
    );
    assert!(register(d(2026, 6, 15), None).is_ok());
}

#[test]
fn a_phase_change_tells_every_creditor_told_before_and_every_creditor_with_an_open_claim() {
    let trajectory = registered(&[claim("c1", "CJIB", "CJIB-1", "100.00")]);
    let mut settled = claim("c1", "CJIB", "CJIB-1", "100.00");
    settled.ledger.paid = m("100.00");
    let now_claims = [settled, claim("c5", "UWV", "UWV-1", "30.00")];
    let live = mandate("m-1", d(2026, 12, 31), None);
    let decision = trajectory
        .change(
            TrajectoryActor::Counsellor(&live),
            &counsellor_access(),
            TrajectoryChange {
                phase: Some(TrajectoryPhase::Schuldregeling),
                end: None,
                ruling: None,
            },
            Some(&registry()),
            debts(&now_claims),
            now(),
        )
        .unwrap();
    assert_eq!(
        told(&decision.effects.notifications),
        [
            (creditor("CJIB"), "SCHULDHULPTRAJECT_GEWIJZIGD"),
            (creditor("UWV"), "SCHULDHULPTRAJECT_GEWIJZIGD"),
            (Recipient::PersonsCounsellors, "SCHULDHULPTRAJECT_GEWIJZIGD"),
        ]
    );
    assert!(
        trajectory_message(&decision.effects.notifications[0])
            .uw_vorderingen
            .is_empty(),
        "CJIB was told before; it has nothing open now"
    );
    assert_eq!(decision.value.phase, TrajectoryPhase::Schuldregeling);
    assert!(decision.writes.iter().any(|w| matches!(w,
        Write::TrajectoryCreditorsInformed { creditors, .. } if creditors == &["UWV"])));
}

#[test]
fn the_citizen_may_end_the_trajectory_but_not_change_its_phase_and_an_ended_one_stays_ended() {
    let trajectory = registered(&[claim("c1", "CJIB", "CJIB-1", "100.00")]);
    let citizen = Access {
        actor: Actor::citizen(),
        mandate_id: None,
    };
    let change = |trajectory: Trajectory, phase, end| {
        trajectory.change(
            TrajectoryActor::Citizen,
            &citizen,
            TrajectoryChange {
                phase,
                end,
                ruling: None,
            },
            None,
            debts(&[]),
            now(),
        )
    };
    assert_eq!(
        change(trajectory.clone(), Some(TrajectoryPhase::Wsnp), None),
        Err(TrajectoryError::OnlyCounsellorChangesPhase)
    );
    assert!(matches!(
        change(trajectory.clone(), None, Some(d(2026, 5, 31))),
        Err(TrajectoryError::Invalid(issues)) if issues[0].code == "voor_begin"
    ));
    assert!(matches!(
        change(trajectory.clone(), None, None),
        Err(TrajectoryError::Invalid(_))
    ));
    let ended = change(trajectory, None, Some(d(2026, 6, 14))).unwrap();
    assert!(!ended.value.is_running());
    let notice = trajectory_message(&ended.effects.notifications[0]);
    assert_eq!(
        ended.effects.notifications[0].message.kind(),
        "SCHULDHULPTRAJECT_BEEINDIGD"
    );
    assert!(!notice.invordering_opschorten);
    assert_eq!(notice.einddatum, Some(d(2026, 6, 14)));
    assert_eq!(
        change(ended.value, None, Some(d(2026, 6, 15))),
        Err(TrajectoryError::Ended)
    );
}

fn keyed(event_key: &str, claim_key: &str, event: ClaimEvent) -> KeyedEvent {
    KeyedEvent {
        event_key: event_key.into(),
        claim_key: claim_key.into(),
        event,
    }
}

/// A batch of CJIB's `events` on its stored claim CJIB-1 (id c1), keyed e1, e2, ….
fn on_cjib_1(events: Vec<ClaimEvent>) -> ClaimBatch {
    ClaimBatch {
        creditor: "CJIB".into(),
        new_claims: Vec::new(),
        updated_claims: vec![claim("c1", "CJIB", "CJIB-1", "100.00")],
        events: events
            .into_iter()
            .enumerate()
            .map(|(i, event)| (keyed(&format!("e{}", i + 1), "CJIB-1", event), "c1".into()))
            .collect(),
    }
}

fn surcharge(on: NaiveDate, amount: &str) -> ClaimEvent {
    ClaimEvent::Surcharge {
        category: SurchargeCategory::Verhoging,
        amount: m(amount),
        date: on,
        description: "Verhoging".into(),
    }
}

/// What `batch` sets off while the trajectories `running` run, with no phase stored before and
/// none ended.
fn signals_on_nothing_stored(
    batch: &ClaimBatch,
    running: &HashMap<PersonId, Trajectory>,
) -> Decision<()> {
    claim_batch_signals(
        batch,
        running,
        &HashMap::new(),
        &HashMap::new(),
        &[registry()],
        now().today,
    )
}

/// DUO's claim of 300.00 on the person, imposed on 10 June 2026 during the trajectory.
fn duo_imposed() -> ClaimEvent {
    ClaimEvent::Imposed(ImposedClaim {
        case_key: None,
        person: person(),
        claim_type: "duo_x".into(),
        description: "Studieschuld".into(),
        amount: m("300.00"),
        imposed_on: d(2026, 6, 10),
        due_date: d(2026, 7, 1),
    })
}

fn phase(phase: ClaimPhase) -> ClaimEvent {
    ClaimEvent::PhaseChange {
        phase,
        disputed: false,
    }
}

fn signals(notifications: &[Notification]) -> Vec<(Recipient, String, Option<String>)> {
    notifications
        .iter()
        .filter_map(|n| match &n.message {
            Melding::SignaalTijdensSchuldenpauze(s) => Some((
                n.recipient.clone(),
                s.signaal.clone(),
                s.vorderingkenmerk.clone(),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn surcharges_dated_in_the_pause_and_escalations_are_signalled_to_the_creditor_and_the_counsellors()
{
    let trajectory = registered(&[claim("c1", "CJIB", "CJIB-1", "100.00")]);
    let running = HashMap::from([(person(), trajectory)]);
    let batch = on_cjib_1(vec![
        surcharge(d(2026, 5, 31), "10.00"),
        surcharge(d(2026, 6, 1), "25.00"),
        phase(ClaimPhase::Aanmaning),
        phase(ClaimPhase::Aanmaning),
        phase(ClaimPhase::Inning),
        phase(ClaimPhase::Beslag),
    ]);
    let stored = HashMap::from([("c1".to_owned(), ClaimPhase::Inning)]);
    let decision = claim_batch_signals(
        &batch,
        &running,
        &HashMap::new(),
        &stored,
        &[registry()],
        now().today,
    );
    let cjib = Some("CJIB-1".to_owned());
    assert_eq!(
        signals(&decision.effects.notifications),
        [
            (creditor("CJIB"), "OPHOGING".into(), cjib.clone()),
            (
                Recipient::PersonsCounsellors,
                "OPHOGING".into(),
                cjib.clone()
            ),
            (creditor("CJIB"), "FASE_ESCALATIE".into(), cjib.clone()),
            (
                Recipient::PersonsCounsellors,
                "FASE_ESCALATIE".into(),
                cjib.clone()
            ),
            (creditor("CJIB"), "FASE_ESCALATIE".into(), cjib.clone()),
            (Recipient::PersonsCounsellors, "FASE_ESCALATIE".into(), cjib),
        ],
        "the surcharge before the start, the repeated phase and the step back are not signalled"
    );
    let Melding::SignaalTijdensSchuldenpauze(first) = &decision.effects.notifications[0].message
    else {
        unreachable!()
    };
    assert_eq!(first.bedrag, Some(m("25.00")));
    assert_eq!(first.categorie.as_deref(), Some("VERHOGING"));
    let Melding::SignaalTijdensSchuldenpauze(last) = &decision.effects.notifications[4].message
    else {
        unreachable!()
    };
    assert_eq!(
        (last.vorige_fase.as_deref(), last.fase.as_deref()),
        (Some("INNING"), Some("BESLAG"))
    );
}

#[test]
fn an_escalation_counts_from_the_phase_the_claim_was_stored_in() {
    let running = HashMap::from([(person(), registered(&[]))]);
    let batch = ClaimBatch {
        creditor: "CJIB".into(),
        new_claims: Vec::new(),
        updated_claims: vec![claim("c1", "CJIB", "CJIB-1", "100.00")],
        events: vec![(
            keyed("e1", "CJIB-1", phase(ClaimPhase::Dwangbevel)),
            "c1".into(),
        )],
    };
    let already = HashMap::from([("c1".to_owned(), ClaimPhase::Beslag)]);
    let decision = claim_batch_signals(
        &batch,
        &running,
        &HashMap::new(),
        &already,
        &[],
        now().today,
    );
    assert!(signals(&decision.effects.notifications).is_empty());
}

#[test]
fn a_creditor_whose_first_claim_arrives_during_the_trajectory_is_told_once() {
    let trajectory = registered(&[claim("c1", "CJIB", "CJIB-1", "100.00")]);
    let running = HashMap::from([(person(), trajectory.clone())]);
    let imposed = |id: &str, key: &str| {
        (
            keyed(&format!("{key}-o"), key, duo_imposed()),
            id.to_owned(),
        )
    };
    let batch = ClaimBatch {
        creditor: "DUO".into(),
        new_claims: vec![
            claim("c8", "DUO", "DUO-1", "300.00"),
            claim("c9", "DUO", "DUO-2", "300.00"),
        ],
        updated_claims: Vec::new(),
        events: vec![imposed("c8", "DUO-1"), imposed("c9", "DUO-2")],
    };
    let decision = signals_on_nothing_stored(&batch, &running);
    assert_eq!(
        told(&decision.effects.notifications),
        [(creditor("DUO"), "SCHULDHULPTRAJECT_GESTART")]
    );
    let keys: Vec<_> = trajectory_message(&decision.effects.notifications[0])
        .uw_vorderingen
        .iter()
        .map(|c| c.vorderingkenmerk.clone())
        .collect();
    assert_eq!(keys, ["DUO-1", "DUO-2"]);
    assert!(
        matches!(&decision.writes[..],
        [Write::ChangedTrajectory(changed), Write::TrajectoryCreditorsInformed { creditors, .. }]
            if changed == &trajectory && creditors == &["DUO"]),
        "whom it told moves the trajectory's version: {:?}",
        decision.writes
    );

    let informed = Trajectory {
        informed: BTreeSet::from(["CJIB".to_owned(), "DUO".to_owned()]),
        ..trajectory
    };
    let again = claim_batch_signals(
        &batch,
        &HashMap::from([(person(), informed)]),
        &HashMap::new(),
        &HashMap::new(),
        &[],
        now().today,
    );
    assert!(again.effects.notifications.is_empty() && again.writes.is_empty());
}

fn attachment(party: Party, start: NaiveDate) -> Attachment {
    let declared_by = match &party {
        Party::Creditor(code) => Actor::organisation(Role::Organisatie, code),
        Party::Private(_) => Actor::citizen(),
    };
    Attachment {
        id: "b-1".into(),
        person: person(),
        party,
        declared_by,
        reference: None,
        assumed_household: None,
        terms: AttachmentTerms {
            income_source: "Loon".into(),
            known_net_income: None,
            taxable_yearly_income: None,
            children: None,
            partner_income: None,
            monthly_amount: m("150.00"),
            applied_bvv: None,
            start,
            end: None,
            executorial: true,
            claim_keys: Vec::new(),
        },
        version: 0,
    }
}

#[test]
fn an_attachment_starting_in_the_pause_is_signalled_and_one_from_before_is_not() {
    let trajectory = registered(&[]);
    let laid = attachment(Party::Creditor("CJIB".into()), d(2026, 6, 10));
    let notifications = attachment_signal(&laid, std::slice::from_ref(&trajectory));
    assert_eq!(
        told(&notifications),
        [
            (creditor("CJIB"), "SIGNAAL_TIJDENS_SCHULDENPAUZE"),
            (
                Recipient::PersonsCounsellors,
                "SIGNAAL_TIJDENS_SCHULDENPAUZE"
            ),
        ]
    );
    let Melding::SignaalTijdensSchuldenpauze(signal) = &notifications[0].message else {
        unreachable!()
    };
    assert_eq!(
        (
            signal.signaal.as_str(),
            signal.bedrag,
            signal.beslag_id.as_deref()
        ),
        ("BESLAG", Some(m("150.00")), Some("b-1"))
    );
    let private = attachment(Party::Private("Deurwaarder".into()), d(2026, 6, 10));
    assert_eq!(
        told(&attachment_signal(
            &private,
            std::slice::from_ref(&trajectory)
        )),
        [(
            Recipient::PersonsCounsellors,
            "SIGNAAL_TIJDENS_SCHULDENPAUZE"
        )],
        "a private party is not in the system"
    );
    let earlier = attachment(Party::Creditor("CJIB".into()), d(2026, 5, 31));
    assert!(attachment_signal(&earlier, std::slice::from_ref(&trajectory)).is_empty());
}

#[test]
fn a_counsellor_whose_mandate_ends_is_told_once_and_a_renewed_mandate_is_watched_instead() {
    let trajectory = registered(&[]);
    let revoked = mandate("m-1", d(2026, 12, 31), Some(now().utc));
    let decision = trajectory.clone().mandate_ended(&revoked, now().today);
    assert_eq!(
        told(&decision.effects.notifications),
        [(
            Recipient::Counsellor {
                organisation: "GKB".into(),
                mandate: "m-1".into()
            },
            "MACHTIGING_BEEINDIGD"
        )]
    );
    let Melding::MachtigingBeeindigd(notice) = &decision.effects.notifications[0].message else {
        unreachable!()
    };
    assert_eq!(notice.reden, "INGETROKKEN");
    let [Write::ChangedTrajectory(told_once)] = &decision.writes[..] else {
        panic!("{:?}", decision.writes)
    };
    assert!(told_once.mandate_end_told && told_once.is_running());
    let again = told_once.clone().mandate_ended(&revoked, now().today);
    assert!(again.effects.notifications.is_empty());

    let expired = mandate("m-1", d(2026, 6, 14), None);
    let watched = trajectory
        .clone()
        .watch_mandate(std::slice::from_ref(&expired), now().today);
    let Melding::MachtigingBeeindigd(notice) = &watched.effects.notifications[0].message else {
        unreachable!()
    };
    assert_eq!(notice.reden, "VERLOPEN");

    let renewed = mandate("m-2", d(2027, 6, 30), None);
    let adopted = trajectory.watch_mandate(&[expired, renewed], now().today);
    assert!(adopted.effects.notifications.is_empty());
    let [Write::ChangedTrajectory(watching)] = &adopted.writes[..] else {
        panic!("{:?}", adopted.writes)
    };
    assert_eq!(
        (watching.mandate_id.as_str(), watching.mandate_valid_until),
        ("m-2", d(2027, 6, 30))
    );
}

#[test]
fn a_mandate_granted_to_start_later_is_watched_once_the_recorded_one_has_ended() {
    let trajectory = registered(&[]);
    let mut later = mandate("m-2", d(2027, 6, 30), None);
    later.valid_from = d(2026, 7, 1);
    let while_live = trajectory.clone().adopt_mandate(&later, now().today);
    assert!(
        while_live.writes.is_empty(),
        "the recorded mandate still runs: its end is what is told first"
    );

    let revoked = mandate("m-1", d(2026, 12, 31), Some(now().utc));
    let [Write::ChangedTrajectory(told_once)] =
        &trajectory.mandate_ended(&revoked, now().today).writes[..]
    else {
        panic!("the revocation is recorded as told")
    };
    let adopted = told_once.clone().adopt_mandate(&later, now().today);
    let [Write::ChangedTrajectory(watching)] = &adopted.writes[..] else {
        panic!("{:?}", adopted.writes)
    };
    assert_eq!(watching.mandate_id, "m-2");
    assert!(!watching.mandate_end_told);
    let revoked_later = Mandate {
        revoked_at: Some(now().utc),
        ..later
    };
    let told_again = watching
        .clone()
        .mandate_ended(&revoked_later, d(2026, 7, 2));
    assert_eq!(
        told(&told_again.effects.notifications),
        [(
            Recipient::Counsellor {
                organisation: "GKB".into(),
                mandate: "m-2".into()
            },
            "MACHTIGING_BEEINDIGD"
        )]
    );
}

#[test]
fn a_creditor_told_of_the_pause_in_a_batch_hears_of_it_before_a_signal_about_it() {
    let trajectory = registered(&[claim("c1", "CJIB", "CJIB-1", "100.00")]);
    let running = HashMap::from([(person(), trajectory)]);
    let batch = ClaimBatch {
        creditor: "DUO".into(),
        new_claims: vec![claim("c8", "DUO", "DUO-1", "310.00")],
        updated_claims: Vec::new(),
        events: vec![
            (keyed("o", "DUO-1", duo_imposed()), "c8".into()),
            (
                keyed("s", "DUO-1", surcharge(d(2026, 6, 12), "10.00")),
                "c8".into(),
            ),
        ],
    };
    let decision = signals_on_nothing_stored(&batch, &running);
    assert_eq!(
        told(&decision.effects.notifications),
        [
            (creditor("DUO"), "SCHULDHULPTRAJECT_GESTART"),
            (creditor("DUO"), "SIGNAAL_TIJDENS_SCHULDENPAUZE"),
            (
                Recipient::PersonsCounsellors,
                "SIGNAAL_TIJDENS_SCHULDENPAUZE"
            ),
        ],
        "told of the pause first, then of what happened during it"
    );
}

#[test]
fn a_surcharge_posted_late_but_dated_during_an_ended_trajectory_is_signalled() {
    let mut ended = registered(&[claim("c1", "CJIB", "CJIB-1", "100.00")]);
    ended.end = Some(d(2026, 6, 10));
    ended.ended_at = Some(now().utc);
    assert!(ended.covers(d(2026, 6, 1)) && ended.covers(d(2026, 6, 10)));
    assert!(!ended.covers(d(2026, 5, 31)) && !ended.covers(d(2026, 6, 11)));
    let batch = on_cjib_1(vec![
        surcharge(d(2026, 6, 5), "10.00"),
        surcharge(d(2026, 6, 12), "10.00"),
        phase(ClaimPhase::Beslag),
    ]);
    let ended = HashMap::from([(person(), vec![ended])]);
    let decision = claim_batch_signals(
        &batch,
        &HashMap::new(),
        &ended,
        &HashMap::new(),
        &[registry()],
        now().today,
    );
    let cjib = Some("CJIB-1".to_owned());
    assert_eq!(
        signals(&decision.effects.notifications),
        [
            (creditor("CJIB"), "OPHOGING".into(), cjib.clone()),
            (Recipient::PersonsCounsellors, "OPHOGING".into(), cjib),
        ],
        "only the surcharge dated within it; an escalation now is after it"
    );
    assert!(
        decision.writes.is_empty(),
        "nobody is told of a pause that is over"
    );
}

#[test]
fn an_escalation_received_on_the_last_day_of_an_ended_trajectory_is_signalled_as_a_surcharge_dated_then_is()
 {
    // Ended today, 15 June: its last day is today (inclusive), so an escalation received now falls
    // within it, as a surcharge dated today does.
    let mut ended = registered(&[claim("c1", "CJIB", "CJIB-1", "100.00")]);
    ended.end = Some(now().today);
    ended.ended_at = Some(now().utc);
    let batch = on_cjib_1(vec![
        phase(ClaimPhase::Dwangbevel),
        surcharge(now().today, "15.00"),
    ]);
    let stored = HashMap::from([("c1".to_owned(), ClaimPhase::Inning)]);
    let ended = HashMap::from([(person(), vec![ended])]);
    let decision = claim_batch_signals(
        &batch,
        &HashMap::new(),
        &ended,
        &stored,
        &[registry()],
        now().today,
    );
    let told: Vec<String> = signals(&decision.effects.notifications)
        .into_iter()
        .map(|(recipient, signal, key)| {
            assert_eq!(key.as_deref(), Some("CJIB-1"));
            let to = if recipient == creditor("CJIB") {
                "CJIB"
            } else {
                "hulpverlener"
            };
            format!("{signal} aan {to}")
        })
        .collect();
    assert_eq!(
        told,
        [
            "FASE_ESCALATIE aan CJIB",
            "FASE_ESCALATIE aan hulpverlener",
            "OPHOGING aan CJIB",
            "OPHOGING aan hulpverlener"
        ]
    );
    // The next day it is over: an escalation then is not.
    let tomorrow = now().today.succ_opt().expect("a day");
    let decision = claim_batch_signals(
        &on_cjib_1(vec![phase(ClaimPhase::Dwangbevel)]),
        &HashMap::new(),
        &ended,
        &stored,
        &[registry()],
        tomorrow,
    );
    assert!(signals(&decision.effects.notifications).is_empty());
}

#[test]
fn the_phase_it_has_changes_nothing_a_new_phase_or_an_end_does() {
    let trajectory = registered(&[]);
    let change = |phase: Option<TrajectoryPhase>, end: Option<NaiveDate>| TrajectoryChange {
        phase,
        end,
        ruling: None,
    };
    assert!(!trajectory.changes_anything(&change(Some(trajectory.phase), None)));
    assert!(trajectory.changes_anything(&change(Some(TrajectoryPhase::Wsnp), None)));
    assert!(trajectory.changes_anything(&change(Some(trajectory.phase), Some(d(2026, 6, 15)))));
}

/// The explanation each creditor got, by creditor.
fn explanations(notifications: &[Notification]) -> BTreeMap<String, String> {
    notifications
        .iter()
        .filter_map(|n| match &n.recipient {
            Recipient::Creditor(code) => {
                Some((code.clone(), trajectory_message(n).toelichting.clone()))
            }
            _ => None,
        })
        .collect()
}

fn counsellor_changes(
    trajectory: Trajectory,
    change: TrajectoryChange,
    debts: Debts<'_>,
) -> Decision<Trajectory> {
    let live = mandate("m-1", d(2026, 12, 31), None);
    trajectory
        .change(
            TrajectoryActor::Counsellor(&live),
            &counsellor_access(),
            change,
            Some(&registry()),
            debts,
            now(),
        )
        .unwrap()
}

/// The trajectory ends today.
fn ended_today() -> TrajectoryChange {
    TrajectoryChange {
        end: Some(d(2026, 6, 15)),
        ..TrajectoryChange::default()
    }
}

#[test]
fn in_the_wsnp_creditors_are_told_what_the_faillissementswet_says_and_at_its_end_not_simply_to_resume()
 {
    let claims = [claim("c1", "CJIB", "CJIB-1", "100.00")];
    let to_wsnp = counsellor_changes(
        registered(&claims),
        TrajectoryChange {
            phase: Some(TrajectoryPhase::Wsnp),
            ..TrajectoryChange::default()
        },
        debts(&claims),
    );
    let told = &explanations(&to_wsnp.effects.notifications)["CJIB"];
    assert!(told.contains("alleen nog via de bewindvoerder"), "{told}");
    assert!(told.contains("art. 299 lid 2 Faillissementswet"), "{told}");
    assert!(
        told.contains("beslagen die al gelegd waren, zijn vervallen"),
        "{told}"
    );
    assert!(told.contains("art. 301 lid 2 en 3"), "{told}");
    assert!(
        !told.contains("Schort"),
        "not the pause of municipal debt help: {told}"
    );

    let ended = counsellor_changes(to_wsnp.value, ended_today(), debts(&claims));
    let told = &explanations(&ended.effects.notifications)["CJIB"];
    assert!(told.contains("schone lei"), "{told}");
    assert!(told.contains("art. 358 lid 1 Faillissementswet"), "{told}");
    assert!(
        !told.contains("U kunt uw invordering hervatten"),
        "after a clean slate the rest is not enforceable: {told}"
    );

    let other_ended = counsellor_changes(registered(&claims), ended_today(), debts(&claims));
    assert!(
        explanations(&other_ended.effects.notifications)["CJIB"].starts_with(
            "Het schuldhulptraject van deze burger is beëindigd. U kunt uw invordering hervatten"
        )
    );
}

#[test]
fn at_the_end_creditors_are_not_told_to_resume_on_claims_in_a_running_arrangement() {
    // V-1 (CJIB-1) is in the running arrangement R-1; CJIB-2 and DUO-1 are not.
    let claims = [
        claim("V-1", "CJIB", "CJIB-1", "250.00"),
        claim("c2", "CJIB", "CJIB-2", "40.00"),
        claim("c3", "DUO", "DUO-1", "80.00"),
    ];
    let running = [crate::domain::testing::arrangement()];
    let with_arrangement = Debts {
        claims: &claims,
        arrangements: &running,
    };
    let ended = counsellor_changes(registered(&claims), ended_today(), with_arrangement);
    let told = explanations(&ended.effects.notifications);
    assert!(
        told["CJIB"].ends_with(
            "U kunt uw invordering hervatten, met inachtneming van de beslagvrije voet. Dat geldt \
             niet voor uw vordering CJIB-1: die valt onder een lopende Betalingsregeling Rijk, en \
             zolang die loopt, blijft uw eigen invordering daarop opgeschort."
        ),
        "{}",
        told["CJIB"]
    );
    assert!(!told["CJIB"].contains("CJIB-2"), "{}", told["CJIB"]);
    assert!(
        !told["DUO"].contains("Betalingsregeling"),
        "{}",
        told["DUO"]
    );

    let mut stopped = crate::domain::testing::arrangement();
    stopped.ending = Some(crate::domain::arrangement::Ending {
        at: d(2026, 6, 10).and_hms_opt(9, 0, 0).unwrap(),
        reason: "Gestopt".into(),
        by: Actor::citizen(),
    });
    let stopped = [stopped];
    let after_it_stopped = counsellor_changes(
        registered(&claims),
        ended_today(),
        Debts {
            claims: &claims,
            arrangements: &stopped,
        },
    );
    assert!(
        !explanations(&after_it_stopped.effects.notifications)["CJIB"].contains("Dat geldt niet"),
        "an ended arrangement suspends nothing"
    );

    let to_wsnp = counsellor_changes(
        registered(&claims),
        TrajectoryChange {
            phase: Some(TrajectoryPhase::Wsnp),
            ..TrajectoryChange::default()
        },
        with_arrangement,
    );
    assert!(
        !explanations(&to_wsnp.effects.notifications)["CJIB"].contains("Dat geldt niet"),
        "only at the end"
    );
}

#[test]
fn the_collector_coordinating_a_running_arrangement_is_told_when_the_wsnp_begins_even_without_a_claim()
 {
    let claims = [claim("c2", "DUO", "DUO-1", "80.00")];
    let coordinated_by_cjib = [arrangement()];
    let mut ended = arrangement();
    ended.id = "R-0".into();
    ended.ending = Some(crate::domain::arrangement::Ending {
        at: d(2026, 5, 1).and_hms_opt(9, 0, 0).unwrap(),
        reason: "Afgelost".into(),
        by: Actor::citizen(),
    });

    let stabilising = counsellor_changes(
        registered(&claims),
        TrajectoryChange {
            phase: Some(TrajectoryPhase::Schuldregeling),
            end: None,
            ruling: None,
        },
        Debts {
            claims: &claims,
            arrangements: &coordinated_by_cjib,
        },
    );
    assert_eq!(
        explanations(&stabilising.effects.notifications)
            .keys()
            .collect::<Vec<_>>(),
        ["DUO"],
        "outside the Wsnp the arrangement runs on and its coordinator is not concerned"
    );

    let both = [ended, arrangement()];
    let to_wsnp = counsellor_changes(
        registered(&claims),
        TrajectoryChange {
            phase: Some(TrajectoryPhase::Wsnp),
            end: None,
            ruling: None,
        },
        Debts {
            claims: &claims,
            arrangements: &both,
        },
    );
    let told = explanations(&to_wsnp.effects.notifications);
    assert_eq!(told.keys().collect::<Vec<_>>(), ["CJIB", "DUO"]);
    assert!(
        told["CJIB"].contains("U coördineert de Betalingsregeling Rijk R-1 van deze burger"),
        "only the running one: {}",
        told["CJIB"]
    );
    assert!(told["CJIB"].contains("art. 306 Faillissementswet"));
    assert!(told["CJIB"].contains("Int geen termijnen meer"));
    assert!(!told["DUO"].contains("coördineert"));
    let cjib = to_wsnp
        .effects
        .notifications
        .iter()
        .find(|n| n.recipient == creditor("CJIB"))
        .unwrap();
    assert!(trajectory_message(cjib).uw_vorderingen.is_empty());
    assert!(
        to_wsnp.value.informed.contains("CJIB"),
        "told of the end too"
    );
    assert!(to_wsnp.writes.iter().any(|w| matches!(w,
        Write::TrajectoryCreditorsInformed { creditors, .. } if creditors == &["CJIB"])));

    let registered_in_wsnp = register_in(
        TrajectoryPhase::Wsnp,
        None,
        Debts {
            claims: &claims,
            arrangements: &coordinated_by_cjib,
        },
    )
    .unwrap();
    assert!(
        explanations(&registered_in_wsnp.effects.notifications)["CJIB"]
            .contains("U coördineert de Betalingsregeling Rijk R-1")
    );
}

#[test]
fn the_day_of_the_wsnp_ruling_belongs_with_that_phase_and_recording_it_reevaluates_samenloop() {
    let claims = [claim("c1", "CJIB", "CJIB-1", "100.00")];
    let register_in = |phase, ruling| register_in(phase, ruling, debts(&claims));
    let issue = |result: Result<Decision<Trajectory>, TrajectoryError>| match result {
        Err(TrajectoryError::Invalid(issues)) => (issues[0].field.clone(), issues[0].code),
        other => panic!("not refused: {other:?}"),
    };
    assert_eq!(
        issue(register_in(
            TrajectoryPhase::Stabilisatie,
            Some(d(2026, 6, 10))
        )),
        ("uitspraakdatum".to_owned(), "alleen_bij_wsnp")
    );
    assert_eq!(
        issue(register_in(TrajectoryPhase::Wsnp, Some(d(2026, 6, 16)))),
        ("uitspraakdatum".to_owned(), "in_toekomst")
    );
    let without = register_in(TrajectoryPhase::Wsnp, None).unwrap();
    assert!(without.effects.circumstances_changed.is_empty());
    let ruled = register_in(TrajectoryPhase::Wsnp, Some(d(2026, 6, 10))).unwrap();
    assert_eq!(ruled.value.ruling, Some(d(2026, 6, 10)));
    assert_eq!(
        ruled.effects.circumstances_changed,
        BTreeSet::from([person()]),
        "the attachments it lapsed count no more"
    );
    let notice = trajectory_message(&ruled.effects.notifications[0]);
    assert_eq!(notice.uitspraakdatum, Some(d(2026, 6, 10)));
    assert!(
        notice.toelichting.contains("uitgesproken op 10 juni 2026"),
        "{}",
        notice.toelichting
    );

    let stabilising = registered(&claims);
    let ruling = |phase, ruling| TrajectoryChange {
        phase,
        end: None,
        ruling: Some(ruling),
    };
    let live = mandate("m-1", d(2026, 12, 31), None);
    let by_counsellor = |trajectory: Trajectory, change| {
        trajectory.change(
            TrajectoryActor::Counsellor(&live),
            &counsellor_access(),
            change,
            Some(&registry()),
            debts(&claims),
            now(),
        )
    };
    assert_eq!(
        issue(by_counsellor(
            stabilising.clone(),
            ruling(None, d(2026, 6, 10))
        )),
        ("uitspraakdatum".to_owned(), "alleen_bij_wsnp")
    );
    let to_wsnp = by_counsellor(
        stabilising,
        ruling(Some(TrajectoryPhase::Wsnp), d(2026, 6, 10)),
    )
    .unwrap();
    assert_eq!(to_wsnp.value.ruling, Some(d(2026, 6, 10)));
    assert!(!to_wsnp.effects.circumstances_changed.is_empty());
    let corrected = by_counsellor(to_wsnp.value.clone(), ruling(None, d(2026, 6, 9))).unwrap();
    assert_eq!(corrected.value.ruling, Some(d(2026, 6, 9)));
    assert_eq!(
        told(&corrected.effects.notifications)[0],
        (creditor("CJIB"), "SCHULDHULPTRAJECT_GEWIJZIGD")
    );
    let again = by_counsellor(corrected.value.clone(), ruling(None, d(2026, 6, 9))).unwrap();
    assert!(
        again.effects.notifications.is_empty() && again.effects.circumstances_changed.is_empty()
    );
    let citizen = Access {
        actor: Actor::citizen(),
        mandate_id: None,
    };
    assert_eq!(
        corrected.value.change(
            TrajectoryActor::Citizen,
            &citizen,
            ruling(None, d(2026, 6, 8)),
            None,
            debts(&[]),
            now(),
        ),
        Err(TrajectoryError::OnlyCounsellorChangesPhase)
    );
}

/// The explanation of each signal, in order.
fn signal_texts(notifications: &[Notification]) -> Vec<String> {
    notifications
        .iter()
        .filter(|n| n.recipient == creditor("CJIB"))
        .filter_map(|n| match &n.message {
            Melding::SignaalTijdensSchuldenpauze(s) => Some(s.toelichting.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn after_a_recorded_wsnp_ruling_the_signals_say_what_the_faillissementswet_says() {
    let mut wsnp = registered(&[claim("c1", "CJIB", "CJIB-1", "100.00")]);
    wsnp.phase = TrajectoryPhase::Wsnp;
    wsnp.ruling = Some(d(2026, 6, 10));
    let rente = ClaimEvent::Surcharge {
        category: SurchargeCategory::Rente,
        amount: m("2.00"),
        date: d(2026, 6, 12),
        description: "Rente".into(),
    };
    let batch = on_cjib_1(vec![
        surcharge(d(2026, 6, 5), "10.00"),
        surcharge(d(2026, 6, 10), "10.00"),
        rente,
        phase(ClaimPhase::Dwangbevel),
    ]);
    let decision = signals_on_nothing_stored(&batch, &HashMap::from([(person(), wsnp.clone())]));
    let texts = signal_texts(&decision.effects.notifications);
    assert!(
        texts[0].contains("Tijdens de schuldenpauze"),
        "before the ruling: {}",
        texts[0]
    );
    assert!(
        texts[1].contains("op of na de uitspraak") && texts[1].contains("art. 299 lid 2"),
        "on its day: {}",
        texts[1]
    );
    assert!(
        texts[2].contains("geen rente verschuldigd (art. 303 lid 1 Faillissementswet)"),
        "{}",
        texts[2]
    );
    assert!(
        texts[3].contains("tijdens de wettelijke schuldsanering")
            && texts[3].contains("art. 299 lid 2"),
        "{}",
        texts[3]
    );

    let laid_before = attachment(Party::Creditor("CJIB".into()), d(2026, 6, 5));
    let laid_after = attachment(Party::Creditor("CJIB".into()), d(2026, 6, 12));
    let texts =
        |laid: &Attachment| signal_texts(&attachment_signal(laid, std::slice::from_ref(&wsnp)));
    assert!(
        texts(&laid_before)[0]
            .contains("vervallen (art. 301 lid 3 Faillissementswet): beëindig het"),
        "{:?}",
        texts(&laid_before)
    );
    assert!(
        texts(&laid_after)[0].contains("begon na de uitspraak")
            && texts(&laid_after)[0].contains("art. 299 lid 2"),
        "{:?}",
        texts(&laid_after)
    );
    let pause = registered(&[]);
    assert!(
        signal_texts(&attachment_signal(
            &laid_after,
            std::slice::from_ref(&pause)
        ))[0]
            .contains("Tijdens de schuldenpauze")
    );
}
