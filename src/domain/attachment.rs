//! Attachments (beslagen) on a person's income, laid by an agency or declared by the citizen or
//! their counsellor for a private party, and arrangements with other parties the person declared:
//! the records, their rules, and the changes they decide.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::access::{Action, Actor, Role};
use super::authorization::Access;
use super::beslagvrije_voet;
use super::caller::Caller;
use super::claims::{Claim, check_key};
use super::creditor::Creditor;
use super::decision::{AccessRecord, Decision, Effects, Write};
use super::household::HouseholdType;
use super::money::Money;
use super::overview::Addressee;
use super::patch::Patch;
use super::person::PersonId;
use super::samenloop::Party;
use super::text;
use super::validation::{FieldIssue, check_not_negative, check_text};

/// What an attachment withholds, from which income, since when and for which claims.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AttachmentTerms {
    /// The income attached (`inkomstenbron`), e.g. an employer or a benefit.
    pub income_source: String,
    /// Monthly net income of that source as the attaching party knows it.
    pub known_net_income: Option<Money>,
    /// The person's taxable income per year (C of art. 475da lid 2 Rv) as the attaching party
    /// knows it.
    pub taxable_yearly_income: Option<Money>,
    /// For a couple: whether there are children, as the attaching party knows it.
    pub children: Option<bool>,
    /// The spouse's monthly income not under attachment (art. 475db Rv), as the party knows it.
    pub partner_income: Option<Money>,
    /// Withheld per month.
    pub monthly_amount: Money,
    /// The beslagvrije voet the attaching party applies.
    pub applied_bvv: Option<Money>,
    pub start: NaiveDate,
    /// Last day on which it runs (inclusive); `None` while open-ended.
    pub end: Option<NaiveDate>,
    /// Executorial (enforceable) rather than conservatory (protective).
    pub executorial: bool,
    /// The attaching creditor's own claim keys this attachment is for; empty when it did not
    /// say, which then counts for every claim of that creditor.
    pub claim_keys: Vec<String>,
}

/// Checks the terms: amounts sensible, the end not before the start, keys well formed. Each
/// rule is also a function of its own, so that a request can apply it as soon as the fields it
/// needs are read and report it beside any field that could not be read.
pub fn validate_terms(terms: &AttachmentTerms) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    issues.extend(check_income_source(&terms.income_source));
    issues.extend(check_monthly_amount(terms.monthly_amount));
    for (field, amount) in [
        ("beslagvrijeVoet", terms.applied_bvv),
        ("nettoInkomenBron", terms.known_net_income),
        ("belastbaarJaarinkomen", terms.taxable_yearly_income),
        ("partnerInkomen", terms.partner_income),
    ] {
        issues.extend(amount.and_then(|a| check_not_negative(field, a)));
    }
    issues.extend(check_end(terms.start, terms.end));
    issues.extend(check_claim_keys(&terms.claim_keys));
    issues
}

/// What the attaching party says of the person's household and of the income must fit
/// together, as the norm needs it (art. 475da–475db Rv: the same rules as a norm calculation),
/// else the common norm cannot later be computed from it; and nothing withholds more than the
/// income it attaches.
pub fn check_household_and_income(
    household: Option<HouseholdType>,
    terms: &AttachmentTerms,
) -> Vec<FieldIssue> {
    let mut issues: Vec<FieldIssue> = household
        .map(|household| {
            beslagvrije_voet::check_household(household, terms.children, terms.partner_income)
        })
        .unwrap_or_default();
    if let Some(income) = terms
        .known_net_income
        .filter(|income| terms.monthly_amount > *income)
    {
        issues.push(FieldIssue::new(
            "maandbedrag",
            "meer_dan_inkomen",
            format!(
                "is meer dan het netto-inkomen van de bron ({}): meer dan het inkomen kan niet worden ingehouden",
                text::euro(income)
            ),
        ));
    }
    issues
}

pub fn check_income_source(income_source: &str) -> Option<FieldIssue> {
    check_text("inkomstenbron", income_source, 200)
}

/// What is withheld or paid each month: more than nothing.
pub fn check_monthly_amount(amount: Money) -> Option<FieldIssue> {
    (!amount.is_positive())
        .then(|| FieldIssue::new("maandbedrag", "niet_positief", "moet meer dan € 0,00 zijn"))
}

/// The most claims one attachment names: more than any one debtor has with one creditor.
const MAX_CLAIM_KEYS: usize = 500;

/// Each key well formed and named once, and not more keys than [`MAX_CLAIM_KEYS`].
pub fn check_claim_keys(keys: &[String]) -> Vec<FieldIssue> {
    if keys.len() > MAX_CLAIM_KEYS {
        return vec![FieldIssue::new(
            "vorderingkenmerken",
            "te_veel",
            format!("mag hoogstens {MAX_CLAIM_KEYS} vorderingkenmerken noemen"),
        )];
    }
    let mut seen = HashSet::new();
    keys.iter()
        .enumerate()
        .filter_map(|(index, key)| {
            let field = format!("vorderingkenmerken[{index}]");
            check_key(&field, key).or_else(|| {
                (!seen.insert(key.as_str()))
                    .then(|| FieldIssue::new(field, "dubbel", "staat al eerder in de lijst"))
            })
        })
        .collect()
}

/// The attaching party's own key of the attachment, when it gives one.
pub fn check_reference(reference: Option<&str>) -> Option<FieldIssue> {
    reference.and_then(|r| check_key("beslagkenmerk", r))
}

pub fn check_end(start: NaiveDate, end: Option<NaiveDate>) -> Option<FieldIssue> {
    end.filter(|end| *end < start).map(|_| {
        FieldIssue::new(
            "einddatum",
            "voor_start",
            "mag niet vóór de startdatum liggen",
        )
    })
}

/// Checks an arrangement the citizen has with another party (not the Rijk).
pub fn validate_declared_arrangement(
    party: &str,
    monthly_amount: Money,
    start: NaiveDate,
    end: Option<NaiveDate>,
) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    issues.extend(check_party_name("partij", party));
    issues.extend(check_monthly_amount(monthly_amount));
    issues.extend(check_end(start, end));
    issues
}

/// What registering or declaring came to: a new record, or the one already recorded with the
/// same content (the same request sent again: a second click, a retried call), given back as it
/// is, so that nothing is counted twice.
#[derive(Debug)]
pub enum Recorded<T> {
    New(Decision<T>),
    Already(Decision<T>),
}

impl<T> Recorded<T> {
    /// The decision to commit, and whether it records something new.
    pub fn into_decision(self) -> (Decision<T>, bool) {
        match self {
            Recorded::New(decision) => (decision, true),
            Recorded::Already(decision) => (decision, false),
        }
    }
}

/// What registering or changing an attachment is checked against.
#[derive(Debug, Clone, Copy)]
pub struct Registration<'a> {
    /// The person's attachments.
    pub recorded: &'a [Attachment],
    /// The registering agency as the registry has it; `None` for a citizen or counsellor.
    pub agency: Option<&'a Creditor>,
    /// The person's claims (only an agency's registration needs them).
    pub claims: &'a [Claim],
    pub today: NaiveDate,
}

impl Registration<'_> {
    /// The keys of the claims the registering agency has outstanding on the person (one paid,
    /// remitted or withdrawn is nothing to attach for), when it is connected to the overview
    /// (it delivers its claims); `None` when there is nothing to check against.
    fn own_claim_keys(&self) -> Option<Vec<&str>> {
        let agency = self.agency.filter(|a| a.is_connected(self.today))?;
        Some(
            self.claims
                .iter()
                .filter(|c| c.creditor_code == agency.code && c.ledger.outstanding().is_positive())
                .map(|c| c.claim_key.as_str())
                .collect(),
        )
    }

    /// A connected agency attaches for claims it holds on the person, so that it cannot name
    /// just any key: each of `keys` not among `own` and not already named (`before`) is a
    /// problem at its place in `vorderingkenmerken`.
    fn foreign_claim_keys(keys: &[String], before: &[String], own: &[&str]) -> Vec<FieldIssue> {
        keys.iter()
            .enumerate()
            .map(|(index, key)| (format!("vorderingkenmerken[{index}]"), key))
            .filter(|(field, key)| {
                check_key(field, key).is_none()
                    && !own.contains(&key.as_str())
                    && !before.contains(key)
            })
            .map(|(field, _)| {
                FieldIssue::new(
                    field,
                    "onbekend",
                    "is geen openstaande vordering van u op deze burger",
                )
            })
            .collect()
    }

    /// Another attachment of the same party, not ended before today, already under the key
    /// `attachment` now has: a party's key names one attachment.
    fn reference_taken_by(&self, attachment: &Attachment) -> Option<&Attachment> {
        attachment.reference.as_ref()?;
        self.recorded
            .iter()
            .find(|a| a.id != attachment.id && a.records_the_same(attachment, self.today))
    }
}

/// Why an attachment is not registered or changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistrationError {
    #[error("invalid input")]
    Invalid(Vec<FieldIssue>),
    /// An agency connected to the overview attaches for claims it holds on the person; it has
    /// none here.
    #[error(
        "Uw organisatie heeft geen openstaande vordering op deze burger in dit overzicht. Lever \
         eerst de vordering aan waarvoor u beslag legt."
    )]
    NoClaimOnPerson,
    /// The party's own key for it names an attachment it has, with other terms.
    #[error(
        "Dit beslagkenmerk hoort al bij een beslag van deze partij, met andere gegevens (beslag {0}). \
         Wijzig dat beslag in plaats van het opnieuw te registreren."
    )]
    ReferenceTaken(String),
    /// A change gives it the party's key of another attachment of that party.
    #[error(
        "Dit beslagkenmerk hoort al bij een ander beslag van deze partij (beslag {0}); een \
         kenmerk hoort bij één beslag."
    )]
    ReferenceInUse(String),
}

/// Checks the name of a private party a citizen declares.
pub fn check_party_name(field: &str, name: &str) -> Option<FieldIssue> {
    check_text(field, name, 200)
}

/// An attachment of a person's income. Field order is the canonical sort order the samenloop
/// detector uses, so that equal inputs in any order give equal results.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Attachment {
    pub id: String,
    pub person: PersonId,
    pub party: Party,
    /// Who registered it: the attaching agency itself, or the citizen or a counsellor.
    pub declared_by: Actor,
    /// The attaching party's own key for it.
    pub reference: Option<String>,
    /// The household type the attaching party assumed for its BVV.
    pub assumed_household: Option<HouseholdType>,
    pub terms: AttachmentTerms,
    /// Optimistic concurrency: a change is written only over the version it was read at.
    pub version: i64,
}

/// An attachment as registered: by an agency (which is then the attaching party), or declared
/// by the citizen or a counsellor for a private party they name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    /// The private party that laid it; only for a declared attachment.
    pub party_name: Option<String>,
    pub reference: Option<String>,
    pub assumed_household: Option<HouseholdType>,
    pub terms: AttachmentTerms,
}

/// A partial change of an attachment (JSON merge patch); ending one is setting its `end`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttachmentChange {
    pub income_source: Patch<String>,
    pub known_net_income: Patch<Money>,
    pub taxable_yearly_income: Patch<Money>,
    pub children: Patch<bool>,
    pub partner_income: Patch<Money>,
    pub assumed_household: Patch<HouseholdType>,
    pub monthly_amount: Patch<Money>,
    pub applied_bvv: Patch<Money>,
    pub start: Patch<NaiveDate>,
    pub end: Patch<NaiveDate>,
    pub executorial: Patch<bool>,
    pub claim_keys: Patch<Vec<String>>,
    pub reference: Patch<String>,
}

impl Attachment {
    /// Declared by the citizen or a counsellor, not laid by an agency through this service.
    pub fn self_declared(&self) -> bool {
        self.declared_by.role != Role::Organisatie
    }

    /// The agency that registered it itself, if one did: only that agency changes it.
    pub fn laid_by(&self) -> Option<&str> {
        match (&self.party, self.self_declared()) {
            (Party::Creditor(code), false) => Some(code),
            _ => None,
        }
    }

    /// Whether the person (or their counsellor) may end it: one they declared themselves (an
    /// agency's own only the agency changes) that has not ended before `today`.
    pub fn endable_by_person(&self, today: NaiveDate) -> bool {
        self.self_declared() && self.stands(today)
    }

    /// Whether it has not ended before `today`: running, or still to come.
    pub fn stands(&self, today: NaiveDate) -> bool {
        stands_on(self.terms.end, today)
    }

    pub fn is_running(&self, today: NaiveDate) -> bool {
        runs_on(self.terms.start, self.terms.end, today)
    }

    /// Whether the wettelijke schuldsanering declared on `ruling` ended it: the attachments laid
    /// by the day of the ruling lapse from that day (art. 301 lid 3 Fw), also once the Wsnp has
    /// ended (one revives only under art. 301 lid 4, and its creditor then registers it anew).
    pub fn lapsed_by(&self, ruling: Option<NaiveDate>) -> bool {
        self.lapsed_on(ruling).is_some()
    }

    /// The day the Wsnp ruling of `ruling` lapsed it, when it did (see [`Attachment::lapsed_by`]).
    pub fn lapsed_on(&self, ruling: Option<NaiveDate>) -> Option<NaiveDate> {
        ruling.filter(|ruling| self.terms.start <= *ruling)
    }

    /// As it stands in law after the Wsnp ruling of `ruling`: one that lapsed runs until the
    /// day before the ruling at the latest, whatever its creditor registered.
    pub fn in_force(&self, ruling: Option<NaiveDate>) -> Attachment {
        let mut attachment = self.clone();
        if let Some(ruling) = self.lapsed_on(ruling) {
            let last_day = ruling.pred_opt().unwrap_or(ruling);
            attachment.terms.end = Some(self.terms.end.map_or(last_day, |end| end.min(last_day)));
        }
        attachment
    }

    /// Whether this attachment is for `claim_key` of its own creditor.
    pub fn covers_claim(&self, claim_key: &str) -> bool {
        let keys = &self.terms.claim_keys;
        keys.is_empty() || keys.iter().any(|key| key == claim_key)
    }

    /// Whether `other` records the same attachment as this one, which has not ended before
    /// `today`: by the same party, under the same key of that party's, or without one with the
    /// same content.
    fn records_the_same(&self, other: &Attachment, today: NaiveDate) -> bool {
        self.party.is_same_party(&other.party)
            && self.stands(today)
            && match (&self.reference, &other.reference) {
                (Some(mine), Some(theirs)) => mine == theirs,
                _ => self.has_content_of(other),
            }
    }

    fn has_content_of(&self, other: &Attachment) -> bool {
        self.reference == other.reference
            && self.assumed_household == other.assumed_household
            && self.terms == other.terms
    }

    /// Registers an attachment for `person`. An agency is the attaching party itself and names
    /// no other; a citizen or counsellor declares one a private party laid, and names it. One
    /// already `recorded` for the person (their attachments) is given back, not recorded twice,
    /// where it would count twice. `context` holds what the checks of an agency's registration
    /// need.
    pub fn register(
        caller: &Caller,
        access: &Access,
        person: &PersonId,
        id: String,
        new: NewAttachment,
        context: &Registration<'_>,
    ) -> Result<Recorded<Attachment>, RegistrationError> {
        let mut issues = validate_terms(&new.terms);
        issues.extend(check_household_and_income(
            new.assumed_household,
            &new.terms,
        ));
        issues.extend(check_reference(new.reference.as_deref()));
        let party = match (caller.creditor(), new.party_name) {
            (Some(code), None) => Some(Party::Creditor(code.to_owned())),
            (Some(_), Some(_)) => {
                issues.push(FieldIssue::new(
                    "beslaglegger",
                    "niet_van_toepassing",
                    "laat weg: de beslaglegger is uw organisatie",
                ));
                None
            }
            (None, Some(name)) => {
                issues.extend(check_party_name("beslaglegger", &name));
                Some(Party::Private(name))
            }
            (None, None) => {
                issues.push(FieldIssue::new(
                    "beslaglegger",
                    "verplicht",
                    "is verplicht: welke partij heeft het beslag gelegd?",
                ));
                None
            }
        };
        let claim_keys = new.terms.claim_keys.clone();
        let attachment = party.filter(|_| issues.is_empty()).map(|party| Attachment {
            id,
            person: person.clone(),
            party,
            declared_by: access.actor.clone(),
            reference: new.reference,
            assumed_household: new.assumed_household,
            terms: new.terms,
            version: 0,
        });
        let same = attachment.as_ref().and_then(|attachment| {
            context
                .recorded
                .iter()
                .find(|a| a.records_the_same(attachment, context.today))
        });
        // Sent again, it gets what was recorded, also when the claims it names have been paid
        // since: they were checked when it was first registered.
        if let (Some(attachment), Some(same)) = (&attachment, same)
            && same.has_content_of(attachment)
        {
            return Ok(Recorded::Already(same.clone().read(access)));
        }
        // An agency that delivers its claims to the overview attaches for claims it holds on
        // the person: it cannot name just any citizen and learn from what it is told back.
        if let Some(own) = context.own_claim_keys() {
            if own.is_empty() {
                return Err(RegistrationError::NoClaimOnPerson);
            }
            issues.extend(Registration::foreign_claim_keys(&claim_keys, &[], &own));
        }
        let attachment = match attachment {
            Some(attachment) if issues.is_empty() => attachment,
            _ => return Err(RegistrationError::Invalid(issues)),
        };
        match same {
            Some(same) => Err(RegistrationError::ReferenceTaken(same.id.clone())),
            None => Ok(Recorded::New(attachment.changed(
                access,
                Action::AttachmentRegistered,
                Write::NewAttachment,
            ))),
        }
    }

    /// Applies a partial change; every rule the result breaks is reported. The rules of a
    /// registration hold for what the change names anew (`context`): a connected agency's new
    /// claim keys are its own on the person, and a new `beslagkenmerk` (or the key of an ended
    /// attachment brought back) is not one the party uses for another standing attachment. Keys
    /// named before stay, so that an attachment for a claim since gone can still be ended.
    pub fn change(
        mut self,
        access: &Access,
        change: AttachmentChange,
        context: &Registration<'_>,
    ) -> Result<Decision<Attachment>, RegistrationError> {
        let before = self.clone();
        let keys_before = self.terms.claim_keys.clone();
        let reference_before = self.reference.clone();
        let stood_before = self.stands(context.today);
        let t = &mut self.terms;
        t.income_source = change.income_source.apply_required(t.income_source.clone());
        t.known_net_income = change.known_net_income.apply(t.known_net_income);
        t.taxable_yearly_income = change.taxable_yearly_income.apply(t.taxable_yearly_income);
        t.children = change.children.apply(t.children);
        t.partner_income = change.partner_income.apply(t.partner_income);
        t.monthly_amount = change.monthly_amount.apply_required(t.monthly_amount);
        t.applied_bvv = change.applied_bvv.apply(t.applied_bvv);
        t.start = change.start.apply_required(t.start);
        t.end = change.end.apply(t.end);
        t.executorial = change.executorial.apply_required(t.executorial);
        t.claim_keys = change
            .claim_keys
            .apply(Some(std::mem::take(&mut t.claim_keys)))
            .unwrap_or_default();
        self.assumed_household = change.assumed_household.apply(self.assumed_household);
        self.reference = change.reference.apply(self.reference.take());
        let mut issues = validate_terms(&self.terms);
        issues.extend(check_household_and_income(
            self.assumed_household,
            &self.terms,
        ));
        issues.extend(check_reference(self.reference.as_deref()));
        if let Some(own) = context.own_claim_keys() {
            issues.extend(Registration::foreign_claim_keys(
                &self.terms.claim_keys,
                &keys_before,
                &own,
            ));
        }
        if !issues.is_empty() {
            return Err(RegistrationError::Invalid(issues));
        }
        // A key taken anew, or kept by an ended attachment brought back, must be free.
        if self.stands(context.today)
            && (self.reference != reference_before || !stood_before)
            && let Some(taken) = context.reference_taken_by(&self)
        {
            return Err(RegistrationError::ReferenceInUse(taken.id.clone()));
        }
        // Claims are kept, and read back, in key order: another order names the same claims.
        self.terms.claim_keys.sort();
        // Saving what already stands changes nothing: nothing is written, nobody is told, and
        // the access log says it was read, as it was.
        if self == before {
            return Ok(self.read(access));
        }
        Ok(self.changed(access, Action::AttachmentChanged, Write::ChangedAttachment))
    }

    /// Reading it writes nothing but the access-log row.
    pub fn read(self, access: &Access) -> Decision<Attachment> {
        let record =
            AccessRecord::new(&self.person, access, Action::AttachmentRead, Some(&self.id));
        Decision::read(self, record)
    }

    fn changed(
        self,
        access: &Access,
        action: Action,
        write: fn(Attachment) -> Write,
    ) -> Decision<Attachment> {
        let record = AccessRecord::new(&self.person, access, action, Some(&self.id));
        Decision {
            writes: vec![write(self.clone())],
            value: self,
            effects: Effects::changed(record),
        }
    }
}

/// An attachment the person (or their counsellor) declared for a party whose name spells a
/// registered creditor, while that creditor has registered an attachment on the person itself:
/// perhaps one attachment, then counted twice in what the person keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PossibleDuplicate {
    pub declared_id: String,
    /// The creditor's code.
    pub creditor: String,
    /// What the reader is asked to check, and why.
    pub explanation: String,
}

/// The person's declared attachments, not ended, that may duplicate a creditor's own
/// registration (see [`PossibleDuplicate`]). Whether they are one attachment only the person
/// knows (a creditor may attach two incomes), so nothing is ended for them: they are asked.
pub fn possible_duplicates(
    attachments: &[Attachment],
    creditors: &[Creditor],
    today: NaiveDate,
    addressee: Addressee,
) -> Vec<PossibleDuplicate> {
    attachments
        .iter()
        .filter(|a| a.self_declared() && a.stands(today))
        .filter_map(|declared| {
            let creditor = creditors
                .iter()
                .find(|c| declared.party.spells_creditor(c))?;
            let sources: Vec<&str> = attachments
                .iter()
                .filter(|a| a.laid_by() == Some(creditor.code.as_str()) && a.stands(today))
                .map(|a| a.terms.income_source.as_str())
                .collect();
            if sources.is_empty() {
                return None;
            }
            let party = match &declared.party {
                Party::Private(name) => name.as_str(),
                Party::Creditor(code) => code.as_str(),
            };
            let (opening, whose, keeps) = match addressee {
                Addressee::Person => (
                    format!(
                        "{} een beslag van {party} op.",
                        if declared.declared_by.role == Role::Burger {
                            "U gaf"
                        } else {
                            "Uw schuldhulpverlener gaf"
                        }
                    ),
                    "uw inkomen",
                    "u overhoudt",
                ),
                Addressee::Counsellor => (
                    format!("Voor uw cliënt is een beslag van {party} opgegeven."),
                    "het inkomen van uw cliënt",
                    "uw cliënt overhoudt",
                ),
            };
            Some(PossibleDuplicate {
                declared_id: declared.id.clone(),
                creditor: creditor.code.clone(),
                explanation: format!(
                    "{opening} {} heeft zelf ook beslag op {whose} geregistreerd (op {}). Is \
                     dat hetzelfde beslag? Beëindig dan de opgave: nu telt het twee keer mee bij \
                     wat {keeps}.",
                    creditor.name,
                    text::list(&sources)
                ),
            })
        })
        .collect()
}

/// A payment arrangement the person has with another party (not the Rijk), as they or their
/// counsellor declared it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredArrangement {
    pub id: String,
    pub person: PersonId,
    pub party: String,
    pub monthly_amount: Money,
    pub start: NaiveDate,
    /// Last instalment (inclusive); `None` when unknown.
    pub end: Option<NaiveDate>,
    pub declared_by: Actor,
}

/// A declared arrangement as declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDeclaredArrangement {
    pub party: String,
    pub monthly_amount: Money,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeclaredArrangementChange {
    pub party: Patch<String>,
    pub monthly_amount: Patch<Money>,
    pub start: Patch<NaiveDate>,
    pub end: Patch<NaiveDate>,
}

impl AttachmentChange {
    /// A correction on the pages: every field the declaring form shows set as given (an optional
    /// one left empty cleared); what the form does not show (the household data an agency gave,
    /// the claims named) kept.
    pub fn correcting(reference: Option<String>, terms: AttachmentTerms) -> AttachmentChange {
        AttachmentChange {
            reference: optional(reference),
            income_source: Patch::Set(terms.income_source),
            known_net_income: optional(terms.known_net_income),
            monthly_amount: Patch::Set(terms.monthly_amount),
            applied_bvv: optional(terms.applied_bvv),
            start: Patch::Set(terms.start),
            end: optional(terms.end),
            executorial: Patch::Set(terms.executorial),
            ..AttachmentChange::default()
        }
    }
}

impl DeclaredArrangementChange {
    /// A correction on the pages: every field of the declaring form set as given.
    pub fn correcting(new: NewDeclaredArrangement) -> DeclaredArrangementChange {
        DeclaredArrangementChange {
            party: Patch::Set(new.party),
            monthly_amount: Patch::Set(new.monthly_amount),
            start: Patch::Set(new.start),
            end: optional(new.end),
        }
    }
}

/// An optional field a form left empty clears it.
fn optional<T>(value: Option<T>) -> Patch<T> {
    value.map_or(Patch::Clear, Patch::Set)
}

impl DeclaredArrangement {
    /// Whether it may still be ended: it has not ended before `today`.
    pub fn endable(&self, today: NaiveDate) -> bool {
        stands_on(self.end, today)
    }

    pub fn is_running(&self, today: NaiveDate) -> bool {
        runs_on(self.start, self.end, today)
    }

    /// Declares an arrangement for `person`. One already `recorded` for the person (their
    /// declared arrangements) with the same party, amount and dates, not ended before `today`,
    /// is given back, not recorded twice.
    pub fn declare(
        access: &Access,
        person: &PersonId,
        id: String,
        new: NewDeclaredArrangement,
        recorded: &[DeclaredArrangement],
        today: NaiveDate,
    ) -> Result<Recorded<DeclaredArrangement>, Vec<FieldIssue>> {
        let same = recorded.iter().find(|d| {
            d.endable(today)
                && Party::Private(d.party.clone()).is_same_party(&Party::Private(new.party.clone()))
                && (d.monthly_amount, d.start, d.end) == (new.monthly_amount, new.start, new.end)
        });
        if let Some(same) = same {
            let record = AccessRecord::new(
                person,
                access,
                Action::DeclaredArrangementRead,
                Some(&same.id),
            );
            return Ok(Recorded::Already(Decision::read(same.clone(), record)));
        }
        let arrangement = DeclaredArrangement {
            id,
            person: person.clone(),
            party: new.party,
            monthly_amount: new.monthly_amount,
            start: new.start,
            end: new.end,
            declared_by: access.actor.clone(),
        };
        arrangement
            .checked(
                access,
                Action::ArrangementDeclared,
                Write::NewDeclaredArrangement,
            )
            .map(Recorded::New)
    }

    pub fn change(
        mut self,
        access: &Access,
        change: DeclaredArrangementChange,
    ) -> Result<Decision<DeclaredArrangement>, Vec<FieldIssue>> {
        let before = self.clone();
        self.party = change.party.apply_required(std::mem::take(&mut self.party));
        self.monthly_amount = change.monthly_amount.apply_required(self.monthly_amount);
        self.start = change.start.apply_required(self.start);
        self.end = change.end.apply(self.end);
        // As an attachment's: saving what already stands writes nothing and tells nobody.
        if self == before {
            return Ok(self.read(access));
        }
        self.checked(
            access,
            Action::DeclaredArrangementChanged,
            Write::ChangedDeclaredArrangement,
        )
    }

    /// Reading it writes nothing but the access-log row.
    pub fn read(self, access: &Access) -> Decision<DeclaredArrangement> {
        let record = AccessRecord::new(
            &self.person,
            access,
            Action::DeclaredArrangementRead,
            Some(&self.id),
        );
        Decision::read(self, record)
    }

    fn checked(
        self,
        access: &Access,
        action: Action,
        write: fn(DeclaredArrangement) -> Write,
    ) -> Result<Decision<DeclaredArrangement>, Vec<FieldIssue>> {
        let issues =
            validate_declared_arrangement(&self.party, self.monthly_amount, self.start, self.end);
        if !issues.is_empty() {
            return Err(issues);
        }
        let record = AccessRecord::new(&self.person, access, action, Some(&self.id));
        Ok(Decision {
            writes: vec![write(self.clone())],
            value: self,
            effects: Effects::changed(record),
        })
    }
}

/// Checks an ending of a declaration that may already have an end (`current`): an ending brings
/// the end forward or sets it, never moves it later (that would bring an ended one back).
pub fn check_ending(current: Option<NaiveDate>, end: NaiveDate) -> Option<FieldIssue> {
    current.filter(|current| end > *current).map(|current| {
        FieldIssue::new(
            "einddatum",
            "na_einde",
            format!(
                "mag niet na het einde liggen dat al is vastgelegd ({})",
                super::text::date(current)
            ),
        )
    })
}

/// Whether something that starts on `start` and runs through `end` (inclusive; open-ended when
/// `None`) runs on `today`.
pub fn runs_on(start: NaiveDate, end: Option<NaiveDate>, today: NaiveDate) -> bool {
    start <= today && stands_on(end, today)
}

/// Whether something whose last day is `end` (open-ended when `None`) has not ended before
/// `today`: running, or still to come.
fn stands_on(end: Option<NaiveDate>, today: NaiveDate) -> bool {
    end.is_none_or(|end| today <= end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::d;

    fn terms() -> AttachmentTerms {
        AttachmentTerms {
            income_source: "Loon, Bakkerij De Korenschoof".into(),
            known_net_income: Some(Money::from_cents(210_000)),
            taxable_yearly_income: None,
            children: None,
            partner_income: None,
            monthly_amount: Money::from_cents(35_000),
            applied_bvv: Some(Money::from_cents(133_143)),
            start: d(2026, 3, 1),
            end: None,
            executorial: true,
            claim_keys: vec!["CJIB-1".into()],
        }
    }

    #[test]
    fn sensible_terms_pass() {
        assert!(validate_terms(&terms()).is_empty());
        assert!(check_household_and_income(Some(HouseholdType::Single), &terms()).is_empty());
    }

    #[test]
    fn a_household_the_norm_cannot_be_computed_from_is_refused_as_a_norm_calculation_would_be() {
        let fields = |household, terms: AttachmentTerms| -> Vec<String> {
            check_household_and_income(Some(household), &terms)
                .into_iter()
                .map(|i| i.field)
                .collect()
        };
        let children = AttachmentTerms {
            children: Some(true),
            ..terms()
        };
        assert_eq!(
            fields(HouseholdType::Single, children.clone()),
            ["kinderen"]
        );
        assert!(fields(HouseholdType::SingleParent, children).is_empty());
        let partner = AttachmentTerms {
            partner_income: Some(Money::from_cents(30_000)),
            ..terms()
        };
        assert_eq!(
            fields(HouseholdType::SingleParent, partner.clone()),
            ["partnerInkomen"]
        );
        assert!(fields(HouseholdType::MarriedOrCohabiting, partner).is_empty());
        // Without a household said, there is nothing to contradict.
        let unknown = AttachmentTerms {
            children: Some(true),
            ..terms()
        };
        assert!(check_household_and_income(None, &unknown).is_empty());
    }

    #[test]
    fn nothing_withholds_more_than_the_income_it_attaches() {
        let all = AttachmentTerms {
            monthly_amount: Money::from_cents(210_000),
            ..terms()
        };
        assert!(
            check_household_and_income(None, &all).is_empty(),
            "all of it, at most"
        );
        let more = AttachmentTerms {
            monthly_amount: Money::from_cents(210_001),
            ..terms()
        };
        let issues = check_household_and_income(None, &more);
        assert_eq!(issues.len(), 1);
        assert_eq!(
            (issues[0].field.as_str(), issues[0].code),
            ("maandbedrag", "meer_dan_inkomen")
        );
        assert!(
            issues[0].reason.contains("€ 2.100,00"),
            "{}",
            issues[0].reason
        );
    }

    #[test]
    fn every_bad_term_is_reported() {
        let bad = AttachmentTerms {
            income_source: " ".into(),
            known_net_income: Some(Money::from_cents(-1)),
            monthly_amount: Money::ZERO,
            applied_bvv: Some(Money::from_cents(-1)),
            end: Some(d(2026, 2, 28)),
            claim_keys: vec![String::new()],
            ..terms()
        };
        let fields: Vec<_> = validate_terms(&bad).into_iter().map(|i| i.field).collect();
        assert_eq!(
            fields,
            [
                "inkomstenbron",
                "maandbedrag",
                "beslagvrijeVoet",
                "nettoInkomenBron",
                "einddatum",
                "vorderingkenmerken[0]"
            ]
        );
    }

    fn register_as_cjib(
        new: NewAttachment,
        recorded: &[Attachment],
    ) -> Result<Recorded<Attachment>, RegistrationError> {
        register_in(
            new,
            &Registration {
                recorded,
                agency: None,
                claims: &[],
                today: d(2026, 6, 15),
            },
        )
    }

    /// CJIB as the registry has it, delivering its claims to the overview since 1 January.
    fn connected_cjib() -> Creditor {
        Creditor {
            code: "CJIB".into(),
            name: "CJIB".into(),
            claim_type_prefix: "cjib".into(),
            brr_from: None,
            connected_from: Some(d(2026, 1, 1)),
            contact: Default::default(),
            preference_rank: None,
        }
    }

    fn cjib_access() -> Access {
        Access {
            actor: Actor::organisation(Role::Organisatie, "CJIB"),
            mandate_id: None,
        }
    }

    fn register_in(
        new: NewAttachment,
        context: &Registration<'_>,
    ) -> Result<Recorded<Attachment>, RegistrationError> {
        let caller = Caller::Agency {
            creditor: "CJIB".into(),
        };
        let access = cjib_access();
        let person = crate::domain::testing::person("burger-1");
        Attachment::register(&caller, &access, &person, "B-2".into(), new, context)
    }

    #[test]
    fn a_connected_agency_attaches_only_for_its_own_claims_on_the_person() {
        let cjib = connected_cjib();
        let person = crate::domain::testing::person("burger-1");
        let claim = |creditor: &str, key: &str| {
            crate::domain::testing::claim("V-1", &person, creditor, key, "100.00")
        };
        let new = |keys: &[&str]| NewAttachment {
            party_name: None,
            reference: None,
            assumed_household: None,
            terms: AttachmentTerms {
                claim_keys: keys.iter().map(|k| (*k).to_owned()).collect(),
                ..terms()
            },
        };
        fn with<'a>(claims: &'a [Claim], agency: Option<&'a Creditor>) -> Registration<'a> {
            Registration {
                recorded: &[],
                agency,
                claims,
                today: d(2026, 6, 15),
            }
        }
        let others = [claim("DUO", "CJIB-1")];
        assert_eq!(
            register_in(new(&[]), &with(&others, Some(&cjib))).err(),
            Some(RegistrationError::NoClaimOnPerson),
            "DUO's claim is not CJIB's"
        );
        let own = [claim("CJIB", "CJIB-1")];
        assert!(matches!(
            register_in(new(&["CJIB-1"]), &with(&own, Some(&cjib))),
            Ok(Recorded::New(_))
        ));
        match register_in(new(&["CJIB-1", "CJIB-9"]), &with(&own, Some(&cjib))) {
            Err(RegistrationError::Invalid(issues)) => {
                assert_eq!(issues.len(), 1);
                assert_eq!(issues[0].field, "vorderingkenmerken[1]");
            }
            other => panic!("an unknown key is named: {other:?}"),
        }
        let unconnected = Creditor {
            connected_from: None,
            ..cjib.clone()
        };
        assert!(
            matches!(
                register_in(new(&["CJIB-9"]), &with(&[], Some(&unconnected))),
                Ok(Recorded::New(_))
            ),
            "an agency not connected delivers no claims to check against"
        );
    }

    fn registered(reference: Option<&str>, terms: AttachmentTerms) -> Attachment {
        match register_as_cjib(
            NewAttachment {
                party_name: None,
                reference: reference.map(str::to_owned),
                assumed_household: None,
                terms,
            },
            &[],
        ) {
            Ok(Recorded::New(decision)) => Attachment {
                id: "B-1".into(),
                ..decision.value
            },
            other => panic!("a first registration is new: {other:?}"),
        }
    }

    #[test]
    fn the_same_attachment_registered_again_is_given_back_not_counted_twice() {
        let first = registered(None, terms());
        let again = |reference: Option<&str>, terms: AttachmentTerms| {
            register_as_cjib(
                NewAttachment {
                    party_name: None,
                    reference: reference.map(str::to_owned),
                    assumed_household: None,
                    terms,
                },
                std::slice::from_ref(&first),
            )
        };
        match again(None, terms()) {
            Ok(Recorded::Already(decision)) => {
                assert_eq!(decision.value.id, "B-1");
                assert!(decision.writes.is_empty(), "nothing is written");
            }
            other => panic!("given back: {other:?}"),
        }
        let other_amount = AttachmentTerms {
            monthly_amount: Money::from_cents(20_000),
            ..terms()
        };
        assert!(
            matches!(again(None, other_amount.clone()), Ok(Recorded::New(_))),
            "another attachment"
        );

        let keyed = registered(Some("CJIB-B-77"), terms());
        let again_keyed = register_as_cjib(
            NewAttachment {
                party_name: None,
                reference: Some("CJIB-B-77".into()),
                assumed_household: None,
                terms: other_amount,
            },
            std::slice::from_ref(&keyed),
        );
        assert_eq!(
            again_keyed.err(),
            Some(RegistrationError::ReferenceTaken("B-1".into()))
        );

        let ended = Attachment {
            terms: AttachmentTerms {
                end: Some(d(2026, 6, 14)),
                ..terms()
            },
            ..keyed
        };
        let after_it_ended = register_as_cjib(
            NewAttachment {
                party_name: None,
                reference: Some("CJIB-B-77".into()),
                assumed_household: None,
                terms: terms(),
            },
            &[ended],
        );
        assert!(
            matches!(after_it_ended, Ok(Recorded::New(_))),
            "an ended one is history"
        );
    }

    #[test]
    fn a_change_keeps_the_rules_of_a_registration_for_what_it_names_anew() {
        let cjib = connected_cjib();
        let access = cjib_access();
        let person = crate::domain::testing::person("burger-1");
        let claims = [crate::domain::testing::claim(
            "V-1", &person, "CJIB", "CJIB-1", "100.00",
        )];
        let first = Attachment {
            id: "B-1".into(),
            ..registered(Some("CJIB-B-1"), terms())
        };
        let second = Attachment {
            id: "B-2".into(),
            ..registered(
                Some("CJIB-B-2"),
                AttachmentTerms {
                    claim_keys: vec!["CJIB-0".into()],
                    ..terms()
                },
            )
        };
        let recorded = [first.clone(), second.clone()];
        let context = Registration {
            recorded: &recorded,
            agency: Some(&cjib),
            claims: &claims,
            today: d(2026, 6, 15),
        };
        let change = |change: AttachmentChange| second.clone().change(&access, change, &context);

        let foreign = change(AttachmentChange {
            claim_keys: Patch::Set(vec!["CJIB-0".into(), "CJIB-1".into(), "DUO-7".into()]),
            ..AttachmentChange::default()
        });
        match foreign {
            Err(RegistrationError::Invalid(issues)) => {
                let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
                assert_eq!(fields, ["vorderingkenmerken[2]"], "CJIB-0 was named before");
            }
            other => panic!("a key not of CJIB's is refused: {other:?}"),
        }
        assert_eq!(
            change(AttachmentChange {
                reference: Patch::Set("CJIB-B-1".into()),
                ..AttachmentChange::default()
            })
            .err(),
            Some(RegistrationError::ReferenceInUse("B-1".into()))
        );
        assert!(
            change(AttachmentChange {
                monthly_amount: Patch::Set(Money::from_cents(5_000)),
                ..AttachmentChange::default()
            })
            .is_ok(),
            "a change that names nothing anew needs no claim"
        );

        let ended = Attachment {
            terms: AttachmentTerms {
                end: Some(d(2026, 6, 14)),
                ..terms()
            },
            ..first
        };
        let recorded = [ended.clone(), second.clone()];
        let after_it_ended = second.clone().change(
            &access,
            AttachmentChange {
                reference: Patch::Set("CJIB-B-1".into()),
                ..AttachmentChange::default()
            },
            &Registration {
                recorded: &recorded,
                ..context
            },
        );
        assert!(after_it_ended.is_ok(), "an ended attachment's key is free");

        let taken_over = Attachment {
            reference: Some("CJIB-B-1".into()),
            ..second.clone()
        };
        let recorded = [ended.clone(), taken_over];
        let reopened = ended.change(
            &access,
            AttachmentChange {
                end: Patch::Clear,
                ..AttachmentChange::default()
            },
            &Registration {
                recorded: &recorded,
                ..context
            },
        );
        assert_eq!(
            reopened.err(),
            Some(RegistrationError::ReferenceInUse("B-2".into())),
            "brought back, it would share its key with the one that took it"
        );
    }

    #[test]
    fn a_declaration_spelling_a_creditor_that_registered_its_own_is_asked_about() {
        let own = registered(None, terms());
        let declared = |id: &str, party: &str, end: Option<NaiveDate>| Attachment {
            id: id.into(),
            party: Party::Private(party.into()),
            declared_by: Actor::citizen(),
            terms: AttachmentTerms { end, ..terms() },
            ..own.clone()
        };
        let today = d(2026, 6, 15);
        let creditors = [connected_cjib()];
        let asked = |attachments: &[Attachment], addressee| {
            possible_duplicates(attachments, &creditors, today, addressee)
        };
        let all = [
            own.clone(),
            declared("D-1", "cjib", None),
            declared("D-2", "Deurwaarder Jansen", None),
            declared("D-3", "CJIB", Some(d(2026, 6, 14))),
        ];
        let found = asked(&all, Addressee::Person);
        assert_eq!(
            found
                .iter()
                .map(|f| (f.declared_id.as_str(), f.creditor.as_str()))
                .collect::<Vec<_>>(),
            [("D-1", "CJIB")],
            "another party's name, or an ended declaration, is not asked about"
        );
        assert!(
            found[0]
                .explanation
                .starts_with("U gaf een beslag van cjib op. CJIB heeft zelf")
                && found[0].explanation.contains("bij wat u overhoudt"),
            "{}",
            found[0].explanation
        );
        let by_counsellor = Attachment {
            declared_by: Actor::organisation(Role::Schuldhulpverlener, "GKB"),
            ..declared("D-1", "cjib", None)
        };
        assert!(
            asked(&[own.clone(), by_counsellor], Addressee::Person)[0]
                .explanation
                .starts_with("Uw schuldhulpverlener gaf een beslag van cjib op."),
            "the person did not declare it"
        );
        let counsellor = asked(&all, Addressee::Counsellor);
        assert!(
            counsellor[0]
                .explanation
                .contains("op het inkomen van uw cliënt"),
            "{}",
            counsellor[0].explanation
        );
        let ended_own = Attachment {
            terms: AttachmentTerms {
                end: Some(d(2026, 6, 1)),
                ..terms()
            },
            ..own.clone()
        };
        assert!(
            asked(
                &[ended_own, declared("D-1", "CJIB", None)],
                Addressee::Person
            )
            .is_empty(),
            "nothing to count twice once CJIB's own has ended"
        );
    }

    #[test]
    fn the_same_arrangement_declared_again_is_given_back_whatever_the_spacing_of_its_party() {
        let access = Access {
            actor: Actor::citizen(),
            mandate_id: None,
        };
        let person = crate::domain::testing::person("burger-1");
        let new = |party: &str| NewDeclaredArrangement {
            party: party.into(),
            monthly_amount: Money::from_cents(7_500),
            start: d(2026, 2, 1),
            end: None,
        };
        let declare = |party: &str, recorded: &[DeclaredArrangement]| {
            DeclaredArrangement::declare(
                &access,
                &person,
                "R-2".into(),
                new(party),
                recorded,
                d(2026, 6, 15),
            )
        };
        let Ok(Recorded::New(first)) = declare("Woonstad", &[]) else {
            panic!("new");
        };
        let recorded = [first.value];
        assert!(
            matches!(declare("  woonstad ", &recorded), Ok(Recorded::Already(d)) if d.value.id == "R-2")
        );
        assert!(matches!(declare("Eneco", &recorded), Ok(Recorded::New(_))));
    }

    #[test]
    fn a_person_ends_only_what_they_declared_and_what_has_not_ended() {
        let today = d(2026, 6, 15);
        let agencys = registered(None, terms());
        assert!(
            !agencys.endable_by_person(today),
            "only the agency changes its own"
        );
        let declared = Attachment {
            declared_by: Actor::citizen(),
            ..agencys
        };
        assert!(declared.endable_by_person(today));
        let ended = Attachment {
            terms: AttachmentTerms {
                end: Some(d(2026, 6, 14)),
                ..terms()
            },
            ..declared.clone()
        };
        assert!(!ended.endable_by_person(today));
        let arrangement = DeclaredArrangement {
            id: "R-1".into(),
            person: crate::domain::testing::person("burger-1"),
            party: "Woonstad".into(),
            monthly_amount: Money::from_cents(7_500),
            start: d(2026, 2, 1),
            end: Some(today),
            declared_by: Actor::citizen(),
        };
        assert!(arrangement.endable(today), "its last day is today");
        assert!(!arrangement.endable(d(2026, 6, 16)));
    }

    #[test]
    fn an_ending_brings_an_end_forward_never_later() {
        assert_eq!(check_ending(None, d(2026, 6, 15)), None);
        assert_eq!(check_ending(Some(d(2026, 6, 30)), d(2026, 6, 15)), None);
        let later = check_ending(Some(d(2026, 3, 31)), d(2030, 12, 31)).expect("refused");
        assert_eq!(later.field, "einddatum");
        assert!(later.reason.contains("31 maart 2026"), "{}", later.reason);
    }

    #[test]
    fn a_declared_arrangement_needs_a_party_a_positive_amount_and_a_sensible_end() {
        assert!(
            validate_declared_arrangement("Woonstad", Money::from_cents(5000), d(2026, 1, 1), None)
                .is_empty()
        );
        let issues =
            validate_declared_arrangement("", Money::ZERO, d(2026, 1, 1), Some(d(2025, 1, 1)));
        assert_eq!(issues.len(), 3);
    }
}
