use proptest::prelude::*;

use super::*;
use crate::domain::access::Role;
use crate::domain::claims::{ClaimEvent, ImposedClaim, Phase};
use crate::domain::creditor::Contact;
use crate::domain::schuldhulptraject::TrajectoryPhase;
use crate::domain::testing::{self, d, june_15, m};

fn now() -> Moment {
    june_15()
}

fn person() -> PersonId {
    testing::person("persoon")
}

fn access() -> Access {
    Access {
        actor: Actor::organisation(Role::Schuldhulpverlener, "GKB"),
        mandate_id: Some("m-1".into()),
    }
}

fn registry() -> Vec<Creditor> {
    [("CJIB", true), ("DUO", true), ("UWV", false)]
        .into_iter()
        .map(|(code, connected)| Creditor {
            code: code.into(),
            name: format!("Naam {code}"),
            claim_type_prefix: code.to_lowercase(),
            brr_from: None,
            connected_from: connected.then(|| d(2026, 1, 1)),
            contact: Contact::default(),
            preference_rank: None,
        })
        .collect()
}

fn received(on: NaiveDate) -> NaiveDateTime {
    on.and_hms_opt(9, 0, 0).unwrap()
}

fn event(kind: EventType, amount: Option<&str>, on: Option<NaiveDate>) -> RecordedEvent {
    RecordedEvent {
        event_key: format!("{kind:?}-{on:?}"),
        event_type: kind,
        amount: amount.map(m),
        date: on,
        category: (kind == EventType::OphogingOpgelegd).then_some(SurchargeCategory::Rente),
        description: Some("omschrijving".into()),
        phase: None,
        disputed: None,
        reverses: None,
        received_at: received(on.unwrap_or(d(2026, 6, 1))),
    }
}

/// A claim imposed on 1 March 2026 with its opgelegd event and `events` after it; the stored
/// ledger is the fold of all of them, as ingest keeps it.
fn history(id: &str, creditor: &str, original: &str, events: Vec<RecordedEvent>) -> ClaimHistory {
    let mut claim = Claim::imposed(
        id.into(),
        creditor,
        &format!("{creditor}-{id}"),
        &ImposedClaim {
            case_key: None,
            person: person(),
            claim_type: format!("{}_x", creditor.to_lowercase()),
            description: "Vordering".into(),
            amount: m(original),
            imposed_on: d(2026, 3, 1),
            due_date: d(2026, 4, 1),
        },
    );
    let mut all = vec![event(
        EventType::VorderingOpgelegd,
        Some(original),
        Some(d(2026, 3, 1)),
    )];
    for e in &events {
        let folded = match e.event_type {
            EventType::OphogingOpgelegd => ClaimEvent::Surcharge {
                category: SurchargeCategory::Rente,
                amount: e.amount.unwrap(),
                date: e.date.unwrap(),
                description: String::new(),
            },
            EventType::BetalingVerwerkt => ClaimEvent::Payment {
                amount: e.amount.unwrap(),
                date: e.date.unwrap(),
            },
            EventType::BetalingTeruggeboekt => ClaimEvent::PaymentReversal {
                payment_key: e.reverses.clone().unwrap(),
                amount: e.amount.unwrap(),
                date: e.date.unwrap(),
                reason: String::new(),
            },
            EventType::VorderingKwijtgescholden => ClaimEvent::Remission {
                amount: e.amount.unwrap(),
                date: e.date.unwrap(),
            },
            EventType::VorderingIngetrokken => ClaimEvent::Withdrawal {
                date: e.date.unwrap(),
                reason: String::new(),
            },
            EventType::FaseGewijzigd => ClaimEvent::PhaseChange {
                phase: e.phase.unwrap(),
                disputed: e.disputed.unwrap(),
            },
            EventType::VorderingOpgelegd => unreachable!(),
        };
        claim.ledger.apply(&folded).unwrap();
    }
    all.extend(events);
    ClaimHistory {
        claim,
        events: all,
        in_arrangement: false,
    }
}

fn make_on(date: NaiveDate, claims: Vec<ClaimHistory>) -> SaldoOpgave {
    make_during(date, claims, &[])
}

/// As [`make_on`], for a person with `trajectories`.
fn make_during(
    date: NaiveDate,
    claims: Vec<ClaimHistory>,
    trajectories: &[Trajectory],
) -> SaldoOpgave {
    make(
        &access(),
        &person(),
        Request {
            id: "s-1".into(),
            reference_date: date,
            counsellor_reference: Some("GKB-42".into()),
            creditors: &registry(),
            trajectories,
        },
        claims,
        now(),
    )
    .unwrap()
    .value
}

#[test]
fn a_surcharge_dated_while_a_trajectory_ran_is_marked_and_totalled_apart() {
    // Debt help from 1 June until 10 June: the surcharges of 31 May and 11 June fall outside.
    let mut ended = testing::trajectory(TrajectoryPhase::Stabilisatie);
    ended.end = Some(d(2026, 6, 10));
    let surcharge = |amount: &str, day: u32| {
        event(
            EventType::OphogingOpgelegd,
            Some(amount),
            Some(d(2026, if day > 20 { 5 } else { 6 }, day)),
        )
    };
    let claims = vec![history(
        "V1",
        "CJIB",
        "100.00",
        vec![
            surcharge("1.00", 31),
            surcharge("2.00", 1),
            surcharge("4.00", 10),
            surcharge("8.00", 11),
        ],
    )];
    let statement = make_during(d(2026, 6, 15), claims, &[ended]);
    let marked: Vec<(NaiveDate, bool)> = statement.schuldeisers[0].vorderingen[0]
        .ophogingen
        .iter()
        .map(|o| (o.datum, o.tijdens_schuldhulp))
        .collect();
    assert_eq!(
        marked,
        [
            (d(2026, 5, 31), false),
            (d(2026, 6, 1), true),
            (d(2026, 6, 10), true),
            (d(2026, 6, 11), false)
        ]
    );
    assert_eq!(statement.totaal.ophogingen, m("15.00"));
    assert_eq!(statement.totaal.ophogingen_tijdens_schuldhulp, m("6.00"));
    assert_eq!(
        statement.schuldeisers[0]
            .totaal
            .ophogingen_tijdens_schuldhulp,
        m("6.00")
    );
}

/// The line of a claim of 100.00 as of `date`: paid on the days `payments` give, then `back` of
/// the first booked back, on the day it gives.
fn booked_back_as_of(
    date: NaiveDate,
    payments: &[(&str, NaiveDate)],
    (back, back_on): (&str, NaiveDate),
) -> SaldoVordering {
    let mut events: Vec<RecordedEvent> = payments
        .iter()
        .enumerate()
        .map(|(n, (amount, on))| RecordedEvent {
            event_key: format!("B{n}"),
            ..event(EventType::BetalingVerwerkt, Some(amount), Some(*on))
        })
        .collect();
    events.push(RecordedEvent {
        reverses: Some("B0".into()),
        ..event(EventType::BetalingTeruggeboekt, Some(back), Some(back_on))
    });
    let claim = history("V1", "CJIB", "100.00", events);
    make_on(date, vec![claim]).schuldeisers[0].vorderingen[0].clone()
}

#[test]
fn a_payment_booked_back_is_owed_again_from_the_day_it_was_booked_back() {
    // 100.00, paid in full on 1 April; 40.00 of it booked back on 10 April.
    let paid = [("100.00", d(2026, 4, 1))];
    let line = |on| booked_back_as_of(on, &paid, ("40.00", d(2026, 4, 10)));
    let before = line(d(2026, 4, 9));
    assert_eq!(
        (before.betaald, before.openstaand, before.status.as_str()),
        (m("100.00"), m("0.00"), "VOLDAAN")
    );
    let after = line(d(2026, 4, 10));
    assert_eq!(
        (after.betaald, after.openstaand, after.status.as_str()),
        (m("60.00"), m("40.00"), "OPENSTAAND")
    );
}

#[test]
fn a_payment_booked_back_takes_back_only_what_that_payment_paid() {
    // 30.00 on 1 April, 50.00 on 5 April; the first booked back in full on 10 April.
    let paid = [("30.00", d(2026, 4, 1)), ("50.00", d(2026, 4, 5))];
    let line = |on| booked_back_as_of(on, &paid, ("30.00", d(2026, 4, 10)));
    assert_eq!(line(d(2026, 4, 3)).betaald, m("30.00"));
    assert_eq!(line(d(2026, 4, 9)).betaald, m("80.00"));
    let after = line(d(2026, 4, 10));
    assert_eq!((after.betaald, after.openstaand), (m("50.00"), m("50.00")));
}

#[test]
fn each_surcharge_is_a_line_of_its_own_and_the_totals_add_up_per_creditor_and_overall() {
    let statement = make_on(
        now().today,
        vec![
            history(
                "1",
                "CJIB",
                "239.00",
                vec![
                    event(
                        EventType::OphogingOpgelegd,
                        Some("59.75"),
                        Some(d(2026, 5, 1)),
                    ),
                    event(
                        EventType::OphogingOpgelegd,
                        Some("12.40"),
                        Some(d(2026, 6, 1)),
                    ),
                    event(
                        EventType::BetalingVerwerkt,
                        Some("100.00"),
                        Some(d(2026, 6, 2)),
                    ),
                ],
            ),
            history(
                "2",
                "CJIB",
                "50.00",
                vec![event(
                    EventType::VorderingIngetrokken,
                    None,
                    Some(d(2026, 6, 3)),
                )],
            ),
            history(
                "3",
                "DUO",
                "1200.00",
                vec![event(
                    EventType::VorderingKwijtgescholden,
                    Some("200.00"),
                    Some(d(2026, 6, 3)),
                )],
            ),
        ],
    );
    let cjib = &statement.schuldeisers[0];
    assert_eq!(cjib.code, "CJIB");
    let fine = &cjib.vorderingen[0];
    let lines: Vec<_> = fine
        .ophogingen
        .iter()
        .map(|l| (l.categorie.as_str(), l.bedrag))
        .collect();
    assert_eq!(lines, [("RENTE", m("59.75")), ("RENTE", m("12.40"))]);
    assert_eq!(fine.openstaand, m("211.15"), "239.00 + 72.15 − 100.00");
    let withdrawn = &cjib.vorderingen[1];
    assert_eq!(
        (withdrawn.ingetrokken, withdrawn.openstaand),
        (m("50.00"), m("0.00"))
    );
    assert_eq!(withdrawn.status, "INGETROKKEN");
    assert_eq!(cjib.totaal.openstaand, m("211.15"));
    assert_eq!(cjib.totaal.oorspronkelijk, m("289.00"));
    assert_eq!(statement.totaal.openstaand, m("1211.15"));
    assert_eq!(statement.totaal.kwijtgescholden, m("200.00"));
    let rente = statement
        .totaal
        .ophogingen_per_categorie
        .iter()
        .find(|c| c.categorie == "RENTE")
        .unwrap();
    assert_eq!(rente.bedrag, m("72.15"));
    assert_eq!(statement.totaal.ophogingen_per_categorie.len(), 4);
    assert_eq!(statement.aantal_vorderingen, 3);
    let missing: Vec<_> = statement
        .niet_aangesloten
        .iter()
        .map(|c| c.code.as_str())
        .collect();
    assert_eq!(missing, ["UWV"]);
    assert_eq!(
        statement.klantnummer_schuldhulpverlener.as_deref(),
        Some("GKB-42")
    );
    assert_eq!(statement.opgesteld_door, "schuldhulpverlener GKB");
}

#[test]
fn an_earlier_date_leaves_out_what_happened_after_it() {
    let claims = || {
        vec![history(
            "1",
            "CJIB",
            "239.00",
            vec![
                event(
                    EventType::OphogingOpgelegd,
                    Some("59.75"),
                    Some(d(2026, 5, 1)),
                ),
                event(
                    EventType::BetalingVerwerkt,
                    Some("100.00"),
                    Some(d(2026, 6, 2)),
                ),
                RecordedEvent {
                    phase: Some(Phase::Aanmaning),
                    disputed: Some(true),
                    ..event(EventType::FaseGewijzigd, None, None)
                },
            ],
        )]
    };
    let may = make_on(d(2026, 5, 15), claims());
    let claim = &may.schuldeisers[0].vorderingen[0];
    assert_eq!((claim.betaald, claim.openstaand), (m("0.00"), m("298.75")));
    assert_eq!((claim.fase.as_str(), claim.betwist), ("INNING", false));
    let june = make_on(now().today, claims());
    let claim = &june.schuldeisers[0].vorderingen[0];
    assert_eq!((claim.fase.as_str(), claim.betwist), ("AANMANING", true));
    let february = make_on(d(2026, 2, 28), claims());
    assert!(february.schuldeisers.is_empty(), "not yet imposed");
}

#[test]
fn payments_and_remissions_settle_what_was_owed_in_the_order_of_their_dates() {
    // 100.00 remitted on 10 March; 10.00 paid on 1 April toward the surcharge of 1 June (both
    // booked after the surcharge). On 1 April the remission had settled everything: the payment
    // was ahead, and the remission stays what it was on 10 March.
    let claims = || {
        vec![history(
            "1",
            "CJIB",
            "100.00",
            vec![
                event(
                    EventType::OphogingOpgelegd,
                    Some("10.00"),
                    Some(d(2026, 6, 1)),
                ),
                event(
                    EventType::VorderingKwijtgescholden,
                    Some("100.00"),
                    Some(d(2026, 3, 10)),
                ),
                event(
                    EventType::BetalingVerwerkt,
                    Some("10.00"),
                    Some(d(2026, 4, 1)),
                ),
            ],
        )]
    };
    let figures = |date: NaiveDate| {
        let opgave = make_on(date, claims());
        let c = &opgave.schuldeisers[0].vorderingen[0];
        (c.betaald, c.vooruitbetaald, c.kwijtgescholden, c.openstaand)
    };
    let zero = m("0.00");
    assert_eq!(figures(d(2026, 3, 10)), (zero, zero, m("100.00"), zero));
    assert_eq!(
        figures(d(2026, 4, 1)),
        (zero, m("10.00"), m("100.00"), zero)
    );
    assert_eq!(
        figures(d(2026, 6, 1)),
        (m("10.00"), zero, m("100.00"), zero)
    );
}

#[test]
fn a_date_after_today_is_refused() {
    let refused = make(
        &access(),
        &person(),
        Request {
            id: "s".into(),
            reference_date: d(2026, 6, 16),
            counsellor_reference: None,
            creditors: &[],
            trajectories: &[],
        },
        Vec::new(),
        now(),
    );
    assert!(matches!(refused, Err(issues) if issues[0].field == "peildatum"));
}

#[test]
fn a_list_of_kept_opgaven_keeps_their_order_and_totals_and_is_logged_once() {
    let kept = |id: &str, date| {
        let claims = vec![
            history("1", "CJIB", "239.00", Vec::new()),
            history("2", "DUO", "100.00", Vec::new()),
        ];
        let mut statement = make_on(date, claims);
        statement.id = id.into();
        StoredStatement {
            person: person(),
            made_by: access().actor,
            made_at: now().utc,
            statement,
        }
    };
    let newer = kept("s-2", d(2026, 6, 15));
    let older = kept("s-1", d(2026, 2, 28));
    assert_eq!(newer.statement.totaal.openstaand, m("339.00"));
    let decision = list(vec![newer, older], &person(), &access());
    let listed: Vec<(&str, NaiveDate, usize)> = decision
        .value
        .iter()
        .map(|s| (s.id.as_str(), s.peildatum, s.aantal_vorderingen))
        .collect();
    assert_eq!(
        listed,
        [("s-2", d(2026, 6, 15), 2), ("s-1", d(2026, 2, 28), 0)]
    );
    assert_eq!(decision.value[0].totaal_openstaand, m("339.00"));
    assert_eq!(decision.value[0].opgesteld_door, "schuldhulpverlener GKB");
    assert!(decision.only_reads());
    let logged: Vec<(Action, Option<&str>)> = decision
        .effects
        .access
        .iter()
        .map(|r| (r.action, r.subject_id.as_deref()))
        .collect();
    assert_eq!(
        logged,
        [(Action::BalanceStatementsListed, Some("m-1"))],
        "one row, naming the mandate it was read under"
    );
}

#[test]
fn the_dossier_reference_is_read_by_its_own_organisation_and_the_person_only() {
    let mut statement = make_on(d(2026, 6, 1), Vec::new());
    statement.klantnummer_schuldhulpverlener = Some("GKB-42".into());
    let stored = StoredStatement {
        person: person(),
        made_by: access().actor,
        made_at: now().utc,
        statement,
    };
    let reference = |actor: Actor| {
        let access = Access {
            actor,
            mandate_id: None,
        };
        read(stored.clone(), &access)
            .value
            .klantnummer_schuldhulpverlener
    };
    assert_eq!(reference(access().actor).as_deref(), Some("GKB-42"));
    assert_eq!(reference(Actor::citizen()).as_deref(), Some("GKB-42"));
    assert_eq!(
        reference(Actor::organisation(
            Role::Schuldhulpverlener,
            "SHV-ROTTERDAM"
        )),
        None,
        "another organisation the person mandated"
    );
}

#[derive(Debug, Clone)]
enum Step {
    Surcharge(i64, u8),
    Payment(u8),
    /// A payment of all that is owed, booked in order but dated the claim's first day, before
    /// the surcharges it pays.
    BackdatedPayment,
    Remission(u8),
    /// A share of what is paid so far booked back.
    Reversal(u8),
    Withdraw,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (1..50_000i64, 0..4u8).prop_map(|(c, k)| Step::Surcharge(c, k)),
        3 => (0..=100u8).prop_map(Step::Payment),
        1 => Just(Step::BackdatedPayment),
        1 => (0..=100u8).prop_map(Step::Remission),
        2 => (1..=100u8).prop_map(Step::Reversal),
        1 => Just(Step::Withdraw),
    ]
}

/// A claim whose ledger follows the steps as ingest would accept them: payments and
/// remissions at most what is outstanding (a share of it), a payment booked back at most what of
/// the latest one is left, nothing after a withdrawal.
fn claim_from(index: usize, creditor: &str, original: i64, steps: &[Step]) -> ClaimHistory {
    let mut outstanding = original;
    // The payments so far: event key and what of it is not booked back.
    let mut payments: Vec<(String, i64)> = Vec::new();
    let mut events = Vec::new();
    let mut day = d(2026, 3, 2);
    for step in steps {
        day = day.succ_opt().unwrap();
        let cents = |c: i64| Money::from_cents(c).to_string();
        let e = match step {
            Step::Surcharge(c, kind) => {
                outstanding += c;
                RecordedEvent {
                    category: Some(SurchargeCategory::ALL[usize::from(*kind)]),
                    ..event(EventType::OphogingOpgelegd, Some(&cents(*c)), Some(day))
                }
            }
            Step::Payment(_) | Step::Remission(_) | Step::BackdatedPayment => {
                let share = match step {
                    Step::Payment(share) | Step::Remission(share) => i64::from(*share),
                    _ => 100,
                };
                let amount = outstanding * share / 100;
                outstanding -= amount;
                let key = format!("E{}", events.len());
                if !matches!(step, Step::Remission(_)) {
                    payments.push((key.clone(), amount));
                }
                let (kind, dated) = match step {
                    Step::Payment(_) => (EventType::BetalingVerwerkt, day),
                    Step::BackdatedPayment => (EventType::BetalingVerwerkt, d(2026, 3, 2)),
                    _ => (EventType::VorderingKwijtgescholden, day),
                };
                RecordedEvent {
                    event_key: key,
                    received_at: received(day),
                    ..event(kind, Some(&cents(amount)), Some(dated))
                }
            }
            Step::Reversal(share) => {
                let Some((key, left)) = payments.last_mut() else {
                    continue;
                };
                let amount = *left * i64::from(*share) / 100;
                if amount == 0 {
                    continue;
                }
                *left -= amount;
                outstanding += amount;
                RecordedEvent {
                    reverses: Some(key.clone()),
                    received_at: received(day),
                    ..event(
                        EventType::BetalingTeruggeboekt,
                        Some(&cents(amount)),
                        Some(day),
                    )
                }
            }
            Step::Withdraw => {
                events.push(event(EventType::VorderingIngetrokken, None, Some(day)));
                break;
            }
        };
        events.push(e);
    }
    let mut history = history(
        &index.to_string(),
        creditor,
        &Money::from_cents(original).to_string(),
        Vec::new(),
    );
    for e in &events {
        match e.event_type {
            EventType::OphogingOpgelegd => history.claim.ledger.surcharges += e.amount.unwrap(),
            EventType::BetalingVerwerkt => history.claim.ledger.paid += e.amount.unwrap(),
            EventType::BetalingTeruggeboekt => history.claim.ledger.paid -= e.amount.unwrap(),
            EventType::VorderingKwijtgescholden => {
                history.claim.ledger.remitted += e.amount.unwrap()
            }
            EventType::VorderingIngetrokken => {
                history.claim.ledger.withdrawal = Some(Withdrawal {
                    date: e.date.unwrap(),
                    reason: String::new(),
                });
            }
            _ => {}
        }
    }
    history.events.extend(events);
    history
}

proptest! {
    #[test]
    fn a_saldo_opgave_adds_up_to_the_cent(
        claims in prop::collection::vec(
            (0..3usize, 1..10_000_000i64, prop::collection::vec(step(), 0..8)),
            0..12,
        )
    ) {
        let codes = ["CJIB", "DUO", "UWV"];
        let histories: Vec<ClaimHistory> = claims
            .iter()
            .enumerate()
            .map(|(i, (c, original, steps))| claim_from(i, codes[*c], *original, steps))
            .collect();
        let stored: Vec<Money> = histories.iter().map(|h| h.claim.ledger.outstanding()).collect();
        let statement = make_on(now().today, histories);
        let lines: Vec<&SaldoVordering> = statement.schuldeisers.iter().flat_map(|s| &s.vorderingen).collect();
        prop_assert_eq!(lines.len(), stored.len());
        let mut as_stored: Vec<Money> = stored;
        let mut as_stated: Vec<Money> = lines.iter().map(|l| l.openstaand).collect();
        as_stored.sort();
        as_stated.sort();
        prop_assert_eq!(as_stated, as_stored, "as of today the opgave says what the ledger says");
        for line in &lines {
            prop_assert_eq!(
                line.openstaand,
                line.oorspronkelijk_bedrag + line.totaal_ophogingen - line.betaald - line.kwijtgescholden - line.ingetrokken
            );
            prop_assert_eq!(line.totaal_ophogingen, line.ophogingen.iter().map(|o| o.bedrag).sum::<Money>());
        }
        let sums = |pick: fn(&Saldo) -> Money| statement.schuldeisers.iter().map(|s| pick(&s.totaal)).sum::<Money>();
        for pick in [
            (|s: &Saldo| s.oorspronkelijk) as fn(&Saldo) -> Money,
            |s| s.ophogingen,
            |s| s.betaald,
            |s| s.vooruitbetaald,
            |s| s.kwijtgescholden,
            |s| s.ingetrokken,
            |s| s.openstaand,
        ] {
            prop_assert_eq!(sums(pick), pick(&statement.totaal));
        }
        let total = &statement.totaal;
        prop_assert_eq!(total.openstaand, total.oorspronkelijk + total.ophogingen - total.betaald - total.kwijtgescholden - total.ingetrokken);
        prop_assert_eq!(total.ophogingen, total.ophogingen_per_categorie.iter().map(|c| c.bedrag).sum::<Money>());
        prop_assert!(total.vooruitbetaald.is_zero(), "as of today nothing was paid ahead of what is owed");
    }

    #[test]
    fn on_no_day_does_a_claim_or_a_total_read_below_zero_and_every_day_adds_up(
        claims in prop::collection::vec(
            (0..3usize, 1..10_000_000i64, prop::collection::vec(step(), 0..8)),
            1..6,
        ),
        days_after_first in 0..12i64,
    ) {
        let histories: Vec<ClaimHistory> = claims
            .iter()
            .enumerate()
            .map(|(i, (c, original, steps))| claim_from(i, ["CJIB", "DUO", "UWV"][*c], *original, steps))
            .collect();
        let paid: Money = histories
            .iter()
            .flat_map(|h| &h.events)
            .filter(|e| e.event_type == EventType::BetalingVerwerkt)
            .filter_map(|e| e.amount)
            .sum();
        let statement = make_on(d(2026, 3, 2) + chrono::Duration::days(days_after_first), histories);
        for line in statement.schuldeisers.iter().flat_map(|s| &s.vorderingen) {
            prop_assert!(!line.openstaand.is_negative() && !line.betaald.is_negative() && !line.kwijtgescholden.is_negative(), "{:?}", line);
            prop_assert_eq!(
                line.openstaand,
                line.oorspronkelijk_bedrag + line.totaal_ophogingen - line.betaald - line.kwijtgescholden - line.ingetrokken
            );
        }
        let total = &statement.totaal;
        prop_assert!(!total.openstaand.is_negative());
        prop_assert_eq!(total.openstaand, total.oorspronkelijk + total.ophogingen - total.betaald - total.kwijtgescholden - total.ingetrokken);
        prop_assert!(total.betaald + total.vooruitbetaald <= paid, "no payment counted twice");
        prop_assert!(!total.betaald.is_negative() && !total.vooruitbetaald.is_negative());
    }
}
