use super::fixtures::*;
use crate::domain::attachment::Attachment;
use crate::domain::beslagvrije_voet::NormInput;
use crate::domain::household::HouseholdType;
use crate::domain::samenloop::{BasisSource, DeclaredSituation, choose_basis};

fn with_data(
    id: &str,
    start: (i32, u32, u32),
    income: &str,
    household: HouseholdType,
) -> Attachment {
    let mut attachment = attachment(id, creditor("CJIB"), "10.00");
    attachment.terms.start = day(start.0, start.1, start.2);
    attachment.terms.known_net_income = Some(eur(income));
    attachment.assumed_household = Some(household);
    attachment
}

fn declared(household: HouseholdType, income: &str, taxable: Option<&str>) -> DeclaredSituation {
    DeclaredSituation {
        input: NormInput {
            peildatum: day(2025, 11, 3),
            household,
            children: None,
            pension_age: false,
            net_income: eur(income),
            taxable_yearly_income: taxable.map(eur),
            housing_costs: None,
            housing_correction: false,
            partner_income: None,
        },
        declared_on: day(2025, 11, 3),
    }
}

#[test]
fn a_declared_situation_wins_over_attachment_data() {
    let declared = declared(HouseholdType::SingleParent, "1650.00", Some("24000.00"));
    let attachments = [with_data(
        "B1",
        (2026, 1, 1),
        "2100.00",
        HouseholdType::Single,
    )];
    let basis = choose_basis(Some(&declared), &attachments, today()).expect("basis");
    assert_eq!(basis.household, HouseholdType::SingleParent);
    assert_eq!(basis.net_income, eur("1650.00"));
    assert_eq!(basis.taxable_yearly_income, Some(eur("24000.00")));
    assert_eq!(
        basis.source,
        BasisSource::Declared {
            declared_on: day(2025, 11, 3)
        }
    );
    let explanation = basis.explanation(&[], Addressee::Person);
    assert!(
        explanation.contains("op 3 november 2025 is opgegeven in het voorstel"),
        "{explanation}"
    );
    assert!(
        explanation.contains(
            "alleenstaande ouder, netto-inkomen € 1.650,00 per maand, belastbaar inkomen € 24.000,00 per jaar"
        ),
        "{explanation}"
    );
}

#[test]
fn an_unknown_taxable_income_is_named_in_the_explanation() {
    let declared = declared(HouseholdType::Single, "1300.00", None);
    let basis = choose_basis(Some(&declared), &[], today()).expect("basis");
    assert_eq!(basis.taxable_yearly_income, None);
    assert!(
        basis
            .explanation(&[], Addressee::Person)
            .contains("belastbaar jaarinkomen onbekend")
    );
}

#[test]
fn an_attachment_brings_what_its_party_knows_of_the_taxable_income_and_children() {
    let mut known = with_data(
        "B1",
        (2025, 1, 1),
        "2100.00",
        HouseholdType::MarriedOrCohabiting,
    );
    known.terms.taxable_yearly_income = Some(eur("31000.00"));
    known.terms.children = Some(true);
    known.terms.partner_income = Some(eur("400.00"));
    let basis = choose_basis(None, &[known], today()).expect("basis");
    assert_eq!(
        (
            basis.taxable_yearly_income,
            basis.children,
            basis.partner_income
        ),
        (Some(eur("31000.00")), Some(true), Some(eur("400.00")))
    );
}

#[test]
fn without_a_declaration_the_most_recent_running_attachment_with_income_and_household_is_used() {
    let mut incomplete = with_data("B3", (2026, 3, 1), "900.00", HouseholdType::Single);
    incomplete.assumed_household = None;
    let mut not_started = with_data("B4", (2026, 4, 1), "800.00", HouseholdType::Single);
    not_started.terms.start = day(2026, 4, 1);
    let mut ended = with_data("B5", (2026, 2, 1), "700.00", HouseholdType::Single);
    ended.terms.end = Some(day(2026, 3, 1));
    let attachments = [
        with_data("B1", (2025, 1, 1), "2100.00", HouseholdType::Single),
        with_data(
            "B2",
            (2025, 9, 1),
            "1900.00",
            HouseholdType::MarriedOrCohabiting,
        ),
        incomplete,
        not_started,
        ended,
    ];
    let basis = choose_basis(None, &attachments, today()).expect("basis");
    assert_eq!(basis.net_income, eur("1900.00"));
    assert_eq!(basis.household, HouseholdType::MarriedOrCohabiting);
    let BasisSource::Attachment {
        attachment_id,
        party,
        since,
        ..
    } = &basis.source
    else {
        panic!("expected an attachment source, got {:?}", basis.source);
    };
    assert_eq!(
        (attachment_id.as_str(), party, *since),
        ("B2", &creditor("CJIB"), day(2025, 9, 1))
    );
    let explanation = basis.explanation(&registry(), Addressee::Person);
    assert!(
        explanation.contains(
            "het beslag van Centraal Justitieel Incassobureau op Werkgever BV, sinds 1 september 2025"
        ),
        "{explanation}"
    );
    assert!(
        !explanation.contains("B2"),
        "no id for the person: {explanation}"
    );
    assert!(
        explanation.contains("belastbaar jaarinkomen onbekend"),
        "{explanation}"
    );
}

#[test]
fn equal_start_dates_pick_the_attachment_with_the_lowest_id() {
    let attachments = [
        with_data("B9", (2025, 9, 1), "1900.00", HouseholdType::Single),
        with_data("B10", (2025, 9, 1), "1800.00", HouseholdType::Single),
    ];
    let basis = choose_basis(None, &attachments, today()).expect("basis");
    assert_eq!(basis.net_income, eur("1800.00"));
}

#[test]
fn attachments_on_other_income_sources_are_named_as_not_counted() {
    let mut benefit = with_data("B2", (2024, 1, 1), "900.00", HouseholdType::Single);
    benefit.terms.income_source = "UWV WW-uitkering".to_owned();
    let mut same_source_other_spelling = attachment("B3", creditor("DUO"), "10.00");
    same_source_other_spelling.terms.income_source = "werkgever  bv".to_owned();
    let attachments = [
        with_data("B1", (2025, 1, 1), "2100.00", HouseholdType::Single),
        benefit,
        same_source_other_spelling,
    ];
    let basis = choose_basis(None, &attachments, today()).expect("basis");
    let BasisSource::Attachment {
        other_income_sources,
        ..
    } = &basis.source
    else {
        panic!("expected an attachment source");
    };
    assert_eq!(other_income_sources, &["UWV WW-uitkering"]);
    assert!(
        basis
            .explanation(&[], Addressee::Person)
            .contains("er ligt ook beslag op UWV WW-uitkering")
    );
    assert!(basis.explanation(&[], Addressee::Counsellor).ends_with(
        "Geef het volledige inkomen van uw cliënt op in een voorstel voor een juiste berekening."
    ));
}

#[test]
fn nothing_usable_known_gives_no_basis() {
    let mut income_only = attachment("B1", creditor("CJIB"), "10.00");
    income_only.terms.known_net_income = Some(eur("1500.00"));
    let mut household_only = attachment("B2", creditor("DUO"), "10.00");
    household_only.assumed_household = Some(HouseholdType::Single);
    let mut ended = with_data("B3", (2025, 1, 1), "1500.00", HouseholdType::Single);
    ended.terms.end = Some(day(2026, 3, 14));
    assert_eq!(
        choose_basis(None, &[income_only, household_only, ended], today()),
        None
    );
    assert_eq!(choose_basis(None, &[], today()), None);
}
