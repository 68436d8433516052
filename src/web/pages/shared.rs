//! Pages a citizen sees of their own data and a counsellor of a mandated citizen's: the overview,
//! a claim's history, a proposal and its acceptance, an arrangement, and declaring an attachment
//! or another arrangement. A counsellor's pages name the citizen by mandate id, never by BSN.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::debt_help::{self, Posted, StatementForm, TrajectoryForms};
use super::{Field, Layout, confirmation, household_fields, html, html_status, posted, see_other};
use crate::api::caller::{may, own_person};
use crate::domain::arrangement::check_ending_reason;
use crate::domain::attachment::{
    Attachment, AttachmentChange, AttachmentTerms, DeclaredArrangement, DeclaredArrangementChange,
    NewAttachment, NewDeclaredArrangement, check_end, check_income_source, check_monthly_amount,
    check_party_name, check_reference,
};
use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::domain::digest::lower_hex;
use crate::domain::mandate::Mandate;
use crate::domain::money::Money;
use crate::domain::overview::Addressee;
use crate::domain::planner::first_due_after;
use crate::domain::validation::FieldIssue;
use crate::service::arrangements::Acceptance;
use crate::service::attachments::Corrected;
use crate::service::{
    ServiceError, Whom, arrangements, attachments, claims, overview, schuldhulptrajecten,
};
use crate::web::error::PageError;
use crate::web::form::{self, Errors, FormData, Reader, typed_amount, typed_date};
use crate::web::session::Session;
use crate::web::view::{
    self, ClaimView, EndedTrajectoryView, EventView, OverviewView, ProposalView, RegelingView,
    TrajectoryView,
};

/// Whose data a page shows: the citizen's own, or a mandated citizen's.
#[derive(Debug, Clone)]
pub enum Subject {
    Own,
    Mandate(String),
}

impl Subject {
    pub fn whom(&self, caller: &Caller) -> Result<Whom, PageError> {
        match self {
            Subject::Own => Ok(own_person(caller)?),
            Subject::Mandate(id) => Ok(Whom::Mandate(id.clone())),
        }
    }

    /// Whom its pages speak to: the person, or their counsellor about the client.
    pub fn addressee(&self) -> Addressee {
        match self {
            Subject::Own => Addressee::Person,
            Subject::Mandate(_) => Addressee::Counsellor,
        }
    }

    /// The start of this subject's page addresses.
    pub fn base(&self) -> String {
        match self {
            Subject::Own => "/mijn".to_owned(),
            Subject::Mandate(id) => format!("/schuldhulp/clienten/{id}"),
        }
    }

    pub fn own(&self) -> bool {
        matches!(self, Subject::Own)
    }

    /// Whom the page is about, once [`check`](Self::check) found that the caller may act for
    /// them at all.
    pub async fn checked_whom(
        &self,
        state: &crate::api::AppState,
        caller: &Caller,
    ) -> Result<Whom, PageError> {
        self.check(state, caller).await?;
        self.whom(caller)
    }

    /// For a page that shows no data yet (a form): the caller may act for this subject at all.
    /// A mandate id that is not the counsellor's own live mandate is "not found". Gives the
    /// counsellor's mandate, which a citizen's own pages have none of.
    pub async fn check(
        &self,
        state: &crate::api::AppState,
        caller: &Caller,
    ) -> Result<Option<Mandate>, PageError> {
        match self {
            Subject::Own => own_person(caller).map(|_| None).map_err(PageError::from),
            // Only a counsellor has clients: for anyone else the address does not exist.
            Subject::Mandate(_) if caller.counsellor().is_none() => Err(PageError::not_found()),
            Subject::Mandate(id) => {
                let (caller, id) = (caller.clone(), id.clone());
                let mandate = state
                    .services
                    .read(move |uow| crate::service::mandates::client_mandate(uow, &caller, &id))
                    .await?;
                Ok(Some(mandate))
            }
        }
    }
}

#[derive(Template)]
#[template(path = "overzicht.html")]
struct OverviewPage {
    layout: Layout,
    base: String,
    own: bool,
    /// The counsellor's own dossier reference for its client, when it gave one.
    reference: Option<String>,
    /// Without one, how the list of clients names this client.
    unnamed: Option<String>,
    csrf: String,
    o: OverviewView,
    trajectory: Option<TrajectoryView>,
    /// The ended ones the reader may see: a citizen all, a counsellor those it registered.
    ended_trajectories: Vec<EndedTrajectoryView>,
    /// The counsellor's forms for the trajectory; a citizen has none.
    trajectory_forms: Option<TrajectoryForms>,
    statement: StatementForm,
    /// The confirmations of the change that led here: of the trajectory, of a declaration.
    trajectory_notice: Option<String>,
    declaration_notice: Option<String>,
}

pub async fn overview_page(req: &HttpRequest, subject: Subject) -> Result<HttpResponse, PageError> {
    render_overview(req, subject, Posted::Nothing, StatusCode::OK).await
}

/// The overview, with the problems of a form of it that was posted.
pub async fn render_overview(
    req: &HttpRequest,
    subject: Subject,
    posted: Posted,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let state = super::state(req)?;
    let (session, caller) = super::logged_in(req).await?;
    let mandate = subject.check(&state, &caller).await?;
    let whom = subject.whom(&caller)?;
    let organisation = caller.counsellor().map(str::to_owned);
    let (result, ended, counsellors) = state
        .services
        .read(move |uow| {
            let result = overview::read(uow, &caller, &whom)?;
            let ended = schuldhulptrajecten::ended_of(uow, &caller, &whom)?;
            Ok((result, ended, crate::service::counsellors::list(uow)))
        })
        .await?;
    // The registry the overview was read with.
    let creditors = &result.creditors;
    let title = if subject.own() {
        "Mijn overzicht"
    } else {
        "Overzicht van uw cliënt"
    };
    let today = state.services.now().today;
    let trajectory_forms = (!subject.own()).then(|| {
        debt_help::trajectory_forms(
            &posted,
            result.trajectory.as_ref(),
            organisation.as_deref(),
            today,
        )
    });
    let o = view::overview(&result, creditors, &counsellors, subject.own());
    let page = OverviewPage {
        layout: Layout::new(title, Some(&session), req).refused(status.is_client_error()),
        base: subject.base(),
        own: subject.own(),
        unnamed: mandate
            .as_ref()
            .filter(|m| m.counsellor_reference.is_none())
            .map(view::client_label),
        reference: mandate.and_then(|m| m.counsellor_reference),
        csrf: session.csrf().to_owned(),
        trajectory: result
            .trajectory
            .as_ref()
            .map(|t| view::trajectory(t, &counsellors, creditors)),
        ended_trajectories: ended
            .iter()
            .map(|t| view::ended_trajectory(t, &counsellors))
            .collect(),
        trajectory_forms,
        statement: debt_help::statement_form(&posted),
        trajectory_notice: confirmation::trajectory(req, &subject, result.trajectory.as_ref()),
        declaration_notice: confirmation::declaration(req, &o.attachments, &o.declared),
        o,
    };
    html_status(status, &page, None, req)
}

/// The registers pages name parties from: creditors and counsellor organisations.
pub async fn registry(
    state: &crate::api::AppState,
) -> Result<
    (
        Vec<crate::domain::creditor::Creditor>,
        Vec<crate::domain::counsellor::CounsellorOrganisation>,
    ),
    PageError,
> {
    // From memory: a read, which takes no write lock.
    Ok(state
        .services
        .read(|uow| {
            Ok((
                crate::service::creditors::list(uow),
                crate::service::counsellors::list(uow),
            ))
        })
        .await?)
}

#[derive(Template)]
#[template(path = "vordering.html")]
struct ClaimPage {
    layout: Layout,
    base: String,
    claim: ClaimView,
    events: Vec<EventView>,
}

pub async fn claim_page(
    req: &HttpRequest,
    subject: Subject,
    id: String,
) -> Result<HttpResponse, PageError> {
    let state = super::state(req)?;
    let (session, caller) = super::logged_in(req).await?;
    let whom = subject.checked_whom(&state, &caller).await?;
    let detail = state
        .services
        .read(move |uow| claims::detail_of(uow, &caller, &whom, &id))
        .await?;
    let (creditors, _) = registry(&state).await?;
    let claim = view::claim(&detail.claim, &creditors);
    let page = ClaimPage {
        layout: Layout::new(&format!("Vordering {}", claim.key), Some(&session), req),
        base: subject.base(),
        claim,
        events: view::events(&detail.events),
    };
    html(&page, None, req)
}

#[derive(Template)]
#[template(path = "voorstel.html")]
struct ProposalForm {
    layout: Layout,
    base: String,
    csrf: String,
    own: bool,
    fields: Vec<Field>,
    invalid: bool,
    problems: Vec<String>,
}

fn proposal_form(
    req: &HttpRequest,
    session: &Session,
    subject: &Subject,
    form: &FormData,
    errors: &Errors,
) -> ProposalForm {
    let fields = household_fields(form, errors, false, subject.addressee());
    ProposalForm {
        layout: Layout::new("Betalingsregeling aanvragen", Some(session), req)
            .refused(!errors.is_empty()),
        base: subject.base(),
        csrf: session.csrf().to_owned(),
        own: subject.own(),
        problems: super::other_problems(errors, &fields),
        fields,
        invalid: !errors.is_empty(),
    }
}

pub async fn proposal_form_page(
    req: &HttpRequest,
    subject: Subject,
) -> Result<HttpResponse, PageError> {
    let state = super::state(req)?;
    let (session, caller) = super::logged_in(req).await?;
    may(&caller, Operation::Propose)?;
    subject.check(&state, &caller).await?;
    let page = proposal_form(
        req,
        &session,
        &subject,
        &FormData::default(),
        &Errors::default(),
    );
    html(&page, None, req)
}

#[derive(Template)]
#[template(path = "voorstel_uitkomst.html")]
struct ProposalPage {
    layout: Layout,
    base: String,
    csrf: String,
    own: bool,
    p: ProposalView,
    norm: view::NormView,
}

/// Making a proposal is a question: its answer is shown at once (the proposal is kept so that it
/// can be accepted; accepting is the change, and redirects).
pub async fn propose(
    req: &HttpRequest,
    subject: Subject,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let state = super::state(req)?;
    let (session, caller, form) = posted(req, body).await?;
    may(&caller, Operation::Propose)?;
    let whom = subject.checked_whom(&state, &caller).await?;
    let first_due = first_due_after(state.services.now().today);
    let situation = match form::household(&form, Some(first_due), first_due) {
        Ok(situation) => situation,
        Err(errors) => {
            let page = proposal_form(req, &session, &subject, &form, &errors);
            return html_status(StatusCode::BAD_REQUEST, &page, None, req);
        }
    };
    let proposed = match state
        .services
        .run(move |uow| arrangements::propose(uow, &caller, &whom, &situation))
        .await
    {
        Ok(proposed) => proposed,
        Err(ServiceError::Invalid(issues)) => {
            let page = proposal_form(req, &session, &subject, &form, &Errors(issues));
            return html_status(StatusCode::BAD_REQUEST, &page, None, req);
        }
        Err(other) => return Err(other.into()),
    };
    let settings = &state.services.settings;
    let p = view::proposal(
        &proposed,
        &settings.coordinator,
        settings.policy.split.code(),
        subject.own(),
    );
    // The title says what the heading says.
    let title = match (p.schedule.is_some(), subject.own()) {
        (false, _) => "Een betalingsregeling is niet mogelijk",
        (true, true) => "Uw voorstel voor een Betalingsregeling Rijk",
        (true, false) => "Voorstel voor uw cliënt voor een Betalingsregeling Rijk",
    };
    let page = ProposalPage {
        layout: Layout::new(title, Some(&session), req),
        base: subject.base(),
        csrf: session.csrf().to_owned(),
        own: subject.own(),
        norm: view::norm(&proposed.assessment.norm, subject.addressee()),
        p,
    };
    html(&page, None, req)
}

pub async fn accept(
    req: &HttpRequest,
    subject: Subject,
    proposal: String,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let state = super::state(req)?;
    let (session, caller, _) = posted(req, body).await?;
    may(&caller, Operation::AcceptProposal)?;
    let whom = subject.checked_whom(&state, &caller).await?;
    // A second click finds the arrangement the first one started, and shows it.
    let arrangement = match state
        .services
        .run(move |uow| arrangements::accept(uow, &caller, Some(&whom), &proposal))
        .await
    {
        Ok(Acceptance::Started(view)) => view.arrangement.id,
        Ok(Acceptance::Earlier(arrangement)) => arrangement,
        // The proposal no longer holds (something changed, it expired): the form for a new one,
        // saying why.
        Err(refused) => {
            let (status, issues) = super::form_problem(refused)?;
            let issues = issues
                .into_iter()
                .map(|i| FieldIssue::new("", i.code, i.reason))
                .collect();
            let page = proposal_form(
                req,
                &session,
                &subject,
                &FormData::default(),
                &Errors(issues),
            );
            return html_status(status, &page, None, req);
        }
    };
    Ok(see_other(&confirmation::address(
        &format!("{}/regelingen/{arrangement}", subject.base()),
        "regeling-gestart",
        None,
        "inhoud",
    )))
}

#[derive(Template)]
#[template(path = "regelingen.html")]
struct ArrangementsPage {
    layout: Layout,
    base: String,
    own: bool,
    arrangements: Vec<RegelingView>,
}

/// Every Betalingsregeling Rijk of the person, running and ended, the latest started first.
pub async fn arrangements_page(
    req: &HttpRequest,
    subject: Subject,
) -> Result<HttpResponse, PageError> {
    let state = super::state(req)?;
    let (session, caller) = super::logged_in(req).await?;
    let whom = subject.checked_whom(&state, &caller).await?;
    let views = state
        .services
        .read(move |uow| arrangements::of_person(uow, &caller, &whom))
        .await?;
    let (creditors, counsellors) = registry(&state).await?;
    let title = subject.addressee().say(
        "Mijn betalingsregelingen",
        "Betalingsregelingen van uw cliënt",
    );
    let page = ArrangementsPage {
        layout: Layout::new(title, Some(&session), req),
        base: subject.base(),
        own: subject.own(),
        arrangements: views
            .iter()
            .map(|v| view::regeling(v, &creditors, &counsellors, subject.own()))
            .collect(),
    };
    html(&page, None, req)
}

#[derive(Template)]
#[template(path = "regeling.html")]
struct ArrangementPage {
    layout: Layout,
    base: String,
    csrf: String,
    /// The confirmation of accepting or stopping it (see [`confirmation::arrangement`]).
    notice: Option<String>,
    r: RegelingView,
    invalid: bool,
    problems: Vec<String>,
    /// The ending's one field, its reason.
    fields: Vec<Field>,
}

pub async fn arrangement_page(
    req: &HttpRequest,
    subject: Subject,
    id: String,
) -> Result<HttpResponse, PageError> {
    let state = super::state(req)?;
    let (session, caller) = super::logged_in(req).await?;
    let whom = subject.checked_whom(&state, &caller).await?;
    let v = state
        .services
        .read(move |uow| arrangements::get(uow, &caller, Some(&whom), &id))
        .await?;
    let (creditors, counsellors) = registry(&state).await?;
    render_arrangement(
        req,
        &session,
        &subject,
        view::regeling(&v, &creditors, &counsellors, subject.own()),
        &Errors::default(),
        &FormData::default(),
        StatusCode::OK,
    )
}

fn render_arrangement(
    req: &HttpRequest,
    session: &Session,
    subject: &Subject,
    r: RegelingView,
    errors: &Errors,
    form: &FormData,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let page = ArrangementPage {
        layout: Layout::new("Betalingsregeling Rijk", Some(session), req)
            .refused(!errors.is_empty()),
        base: subject.base(),
        csrf: session.csrf().to_owned(),
        notice: confirmation::arrangement(req, &r),
        r,
        invalid: !errors.is_empty(),
        problems: errors.other(&["reden"]),
        fields: vec![
            Field::new("text", "reden", "Waarom stopt u de regeling?")
                .hint(
                    "Alle organisaties in de regeling krijgen deze tekst. Een korte reden is \
                     genoeg, bijvoorbeeld: ik ga naar de schuldhulpverlening. Schrijf er niets \
                     in over gezondheid, gezin of andere persoonlijke omstandigheden.",
                )
                .from(form, errors),
        ],
    };
    html_status(status, &page, None, req)
}

#[derive(Template)]
#[template(path = "regeling_stoppen.html")]
struct StopArrangementPage {
    layout: Layout,
    csrf: String,
    action: String,
    back: String,
    reason: String,
    r: RegelingView,
}

/// Stopping an arrangement asks once more, saying what follows, before anything changes: the
/// creditors may collect again, and it cannot be undone. The form's reason is checked first, so
/// a refused one comes back at the form. Posted with `bevestigen=ja`, it stops.
pub async fn end_arrangement(
    req: &HttpRequest,
    subject: Subject,
    id: String,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let state = super::state(req)?;
    let (session, caller, form) = posted(req, body).await?;
    may(&caller, Operation::EndArrangement)?;
    subject.check(&state, &caller).await?;
    let reason = form.value("reden");
    let whom = subject.whom(&caller)?;
    if form.value("bevestigen") != "ja" {
        let (c, w, i) = (caller.clone(), whom.clone(), id.clone());
        let v = state
            .services
            .read(move |uow| arrangements::get(uow, &c, Some(&w), &i))
            .await?;
        let (creditors, counsellors) = registry(&state).await?;
        let r = view::regeling(&v, &creditors, &counsellors, subject.own());
        if let Some(issue) = check_ending_reason(&reason) {
            return render_arrangement(
                req,
                &session,
                &subject,
                r,
                &Errors(vec![issue]),
                &form,
                StatusCode::BAD_REQUEST,
            );
        }
        // An ended one has nothing to confirm: stopping it again is refused below.
        if r.running {
            let back = format!("{}/regelingen/{id}", subject.base());
            let title = subject.addressee().say(
                "Weet u zeker dat u de regeling wilt stoppen?",
                "Weet u zeker dat u de regeling van uw cliënt wilt stoppen?",
            );
            let page = StopArrangementPage {
                layout: Layout::new(title, Some(&session), req),
                csrf: session.csrf().to_owned(),
                action: format!("{back}/beeindigen"),
                back: format!("{back}#regeling-stoppen"),
                reason,
                r,
            };
            return html(&page, None, req);
        }
    }
    let (c, w, i) = (caller.clone(), whom.clone(), id.clone());
    match state
        .services
        .run(move |uow| arrangements::end(uow, &c, Some(&w), &i, &reason))
        .await
    {
        Ok(_) => Ok(see_other(&confirmation::address(
            &format!("{}/regelingen/{id}", subject.base()),
            "regeling-gestopt",
            None,
            "inhoud",
        ))),
        Err(ServiceError::Invalid(issues)) => {
            let v = state
                .services
                .read(move |uow| arrangements::get(uow, &caller, Some(&whom), &id))
                .await?;
            let (creditors, counsellors) = registry(&state).await?;
            render_arrangement(
                req,
                &session,
                &subject,
                view::regeling(&v, &creditors, &counsellors, subject.own()),
                &Errors(issues),
                &form,
                StatusCode::BAD_REQUEST,
            )
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "opgeven.html")]
struct DeclarePage {
    layout: Layout,
    base: String,
    csrf: String,
    /// Where the form posts, under `base`.
    action: String,
    heading: &'static str,
    intro: String,
    button: &'static str,
    /// For a correction: the digest of the values it was filled in with.
    stand: Option<String>,
    fields: Vec<Field>,
    invalid: bool,
    problems: Vec<String>,
}

const ATTACHMENT_FIELDS: [&str; 9] = [
    "beslaglegger",
    "beslagkenmerk",
    "inkomstenbron",
    "nettoInkomenBron",
    "maandbedrag",
    "beslagvrijeVoet",
    "startdatum",
    "einddatum",
    "executoriaal",
];

fn attachment_fields(form: &FormData, errors: &Errors, addressee: Addressee) -> Vec<Field> {
    vec![
        // The name reaches the other attaching parties (art. 478 Rv): said where it is typed.
        Field::new("text", "beslaglegger", "Wie legde het beslag?").hint(
            "Bijvoorbeeld de deurwaarder en voor wie die werkt. Organisaties die ook beslag leggen \
             op dit inkomen zien deze naam, want de wet bepaalt wie van hen de beslagen regelt. \
             Schrijf alleen de naam, niet waarvoor de schuld is.",
        ),
        Field::new(
            "text",
            "beslagkenmerk",
            "Kenmerk van het beslag (niet verplicht)",
        )
        .hint("Staat op de brief van de beslaglegger."),
        Field::new("text", "inkomstenbron", "Op welk inkomen ligt het beslag?").hint(
            addressee.say(
                "Bijvoorbeeld uw werkgever of uitkering.",
                "Bijvoorbeeld de werkgever of uitkering van uw cliënt.",
            ),
        ),
        Field::new(
            "amount",
            "nettoInkomenBron",
            "Netto-inkomen uit deze bron per maand (niet verplicht)",
        )
        .hint(addressee.say(
            "Daarmee kunnen wij nagaan of u genoeg overhoudt.",
            "Daarmee kunnen wij nagaan of uw cliënt genoeg overhoudt.",
        )),
        Field::new(
            "amount",
            "maandbedrag",
            "Hoeveel wordt er per maand ingehouden?",
        ),
        Field::new(
            "amount",
            "beslagvrijeVoet",
            "Beslagvrije voet volgens de beslaglegger (niet verplicht)",
        )
        .hint("Staat op de brief."),
        Field::new("text", "startdatum", "Sinds wanneer?").hint("Bijvoorbeeld 1-6-2026."),
        Field::new("text", "einddatum", "Tot wanneer? (niet verplicht)").hint(addressee.say(
            "Laat leeg als u het niet weet. Bijvoorbeeld 31-12-2026.",
            "Laat leeg als het niet bekend is. Bijvoorbeeld 31-12-2026.",
        )),
        Field::new("radio", "executoriaal", "Is het een executoriaal beslag?")
            .hint("Executoriaal: er is een vonnis of dwangbevel. Weet u het niet? Kies dan ja.")
            .options(&[("ja", "Ja"), ("nee", "Nee, conservatoir")]),
    ]
    .into_iter()
    .map(|f| f.from(form, errors))
    .collect()
}

const DECLARED_FIELDS: [&str; 4] = ["partij", "maandbedrag", "startdatum", "einddatum"];

fn declared_fields(form: &FormData, errors: &Errors, addressee: Addressee) -> Vec<Field> {
    vec![
        Field::new(
            "text",
            "partij",
            addressee.say(
                "Met wie heeft u de regeling?",
                "Met wie heeft uw cliënt de regeling?",
            ),
        )
        .hint(addressee.say(
            "Bijvoorbeeld uw verhuurder of energieleverancier.",
            "Bijvoorbeeld de verhuurder of energieleverancier.",
        )),
        Field::new(
            "amount",
            "maandbedrag",
            addressee.say(
                "Hoeveel betaalt u per maand?",
                "Hoeveel betaalt uw cliënt per maand?",
            ),
        ),
        Field::new("text", "startdatum", "Sinds wanneer?").hint("Bijvoorbeeld 1-6-2026."),
        Field::new("text", "einddatum", "Laatste termijn (niet verplicht)").hint(addressee.say(
            "Laat leeg als u het niet weet. Bijvoorbeeld 31-12-2026.",
            "Laat leeg als het niet bekend is. Bijvoorbeeld 31-12-2026.",
        )),
    ]
    .into_iter()
    .map(|f| f.from(form, errors))
    .collect()
}

#[derive(Clone, Copy)]
pub enum Declaration {
    Attachment,
    Arrangement,
}

/// A declaration being corrected: its id, and what it is in one line.
struct Correcting<'a> {
    id: &'a str,
    line: &'a str,
    /// The digest of the values it was filled in with (see [`fingerprint`]).
    stand: String,
}

/// A declaration as a page reads it.
struct Described {
    /// In one line.
    line: String,
    /// Whether it may be ended or corrected here.
    changeable: bool,
    /// It is the person's own and has ended.
    ended: bool,
    /// Its values as its form shows them.
    form: FormData,
}

impl Declaration {
    /// The form declaring one, or with `correcting` the form correcting that one (an
    /// attachment's party stays: it is a new attachment if it is another).
    fn page(
        self,
        req: &HttpRequest,
        session: &Session,
        subject: &Subject,
        (form, errors): (&FormData, &Errors),
        correcting: Option<Correcting<'_>>,
    ) -> DeclarePage {
        let addressee = subject.addressee();
        let (action, heading, intro, mut fields, names): (_, _, _, _, &[&str]) = match self {
            Declaration::Attachment => (
                "beslag",
                "Beslag opgeven",
                addressee.say(
                    "Ligt er beslag op uw inkomen van een partij die niet in dit overzicht staat, zoals een deurwaarder? Geef het hier op. Dan rekenen we het mee bij uw betalingsregeling en zien we of u genoeg overhoudt.",
                    "Ligt er beslag op het inkomen van uw cliënt van een partij die niet in dit overzicht staat, zoals een deurwaarder? Geef het hier op. Dan rekenen we het mee bij de betalingsregeling en zien we of uw cliënt genoeg overhoudt.",
                ),
                attachment_fields(form, errors, addressee),
                &ATTACHMENT_FIELDS,
            ),
            Declaration::Arrangement => (
                "andere-regeling",
                "Andere regeling opgeven",
                addressee.say(
                    "Betaalt u al elke maand af aan een andere partij, bijvoorbeeld uw verhuurder? Geef het hier op. Dan rekenen we het mee.",
                    "Betaalt uw cliënt al elke maand af aan een andere partij, bijvoorbeeld de verhuurder? Geef het hier op. Dan rekenen we het mee.",
                ),
                declared_fields(form, errors, addressee),
                &DECLARED_FIELDS,
            ),
        };
        let stand = correcting.as_ref().map(|c| c.stand.clone());
        let (action, heading, intro, button) = match correcting {
            None => (action.to_owned(), heading, intro.to_owned(), "Opgeven"),
            Some(c) => {
                if matches!(self, Declaration::Attachment) {
                    fields.retain(|f| f.name != "beslaglegger");
                }
                let (kind, heading) = match self {
                    Declaration::Attachment => ("beslagen", "Beslag wijzigen"),
                    Declaration::Arrangement => ("andere-regelingen", "Regeling wijzigen"),
                };
                let party = match self {
                    Declaration::Attachment => {
                        " De beslaglegger verandert hier niet: legt een andere partij beslag, beëindig dan dit beslag en geef dat andere op."
                    }
                    Declaration::Arrangement => "",
                };
                let intro = format!(
                    "{} Klopt er iets niet? Verbeter het hier.{party} {}",
                    c.line,
                    addressee.say(
                        "Daarna rekenen we opnieuw na of u genoeg overhoudt.",
                        "Daarna rekenen we opnieuw na of uw cliënt genoeg overhoudt.",
                    )
                );
                (
                    format!("{kind}/{}/wijzigen", c.id),
                    heading,
                    intro,
                    "Opslaan",
                )
            }
        };
        DeclarePage {
            layout: Layout::new(heading, Some(session), req).refused(!errors.is_empty()),
            base: subject.base(),
            csrf: session.csrf().to_owned(),
            action,
            heading,
            intro,
            button,
            stand,
            fields,
            invalid: !errors.is_empty(),
            problems: errors.other(names),
        }
    }
}

#[derive(Template)]
#[template(path = "beeindigen_opgave.html")]
struct EndDeclarationPage {
    layout: Layout,
    base: String,
    csrf: String,
    action: String,
    heading: &'static str,
    /// The declaration in one line.
    what: String,
    fields: Vec<Field>,
    invalid: bool,
    problems: Vec<String>,
}

impl Declaration {
    /// The confirmation codes of declaring and of ending one (see [`confirmation::declaration`]).
    fn declared_code(self) -> &'static str {
        match self {
            Declaration::Attachment => "beslag-opgegeven",
            Declaration::Arrangement => "regeling-opgegeven",
        }
    }

    fn ended_code(self) -> &'static str {
        match self {
            Declaration::Attachment => "beslag-beeindigd",
            Declaration::Arrangement => "regeling-beeindigd",
        }
    }

    fn corrected_code(self, corrected: Corrected) -> &'static str {
        match (self, corrected) {
            (Declaration::Attachment, Corrected::Changed) => "beslag-gewijzigd",
            (Declaration::Attachment, Corrected::AlreadySo) => "beslag-ongewijzigd",
            (Declaration::Arrangement, Corrected::Changed) => "regeling-gewijzigd",
            (Declaration::Arrangement, Corrected::AlreadySo) => "regeling-ongewijzigd",
        }
    }

    /// The address of ending declaration `id` on `subject`'s pages.
    fn end_path(self, subject: &Subject, id: &str) -> String {
        let kind = match self {
            Declaration::Attachment => "beslagen",
            Declaration::Arrangement => "andere-regelingen",
        };
        format!("{}/{kind}/{id}/beeindigen", subject.base())
    }

    /// Reads declaration `id` of the person `subject` is about: see [`Described`].
    async fn describe(
        self,
        state: &crate::api::AppState,
        caller: Caller,
        whom: Whom,
        id: String,
        own: bool,
    ) -> Result<Described, PageError> {
        let today = state.services.now().today;
        Ok(match self {
            Declaration::Attachment => {
                let (a, creditors, counsellors) = state
                    .services
                    .read(move |uow| {
                        let a = attachments::attachment_of(uow, &caller, &whom, &id)?;
                        Ok((
                            a,
                            crate::service::creditors::list(uow),
                            crate::service::counsellors::list(uow),
                        ))
                    })
                    .await?;
                let form = attachment_form(&a);
                let ended = a.self_declared() && !a.stands(today);
                let a = view::attachment(&a, &creditors, &counsellors, own, today);
                let line = format!(
                    "Beslag van {} op {}, {}, {} per maand.",
                    a.party, a.income_source, a.period, a.monthly
                );
                Described {
                    line,
                    changeable: a.changeable,
                    ended,
                    form,
                }
            }
            Declaration::Arrangement => {
                let d = state
                    .services
                    .read(move |uow| attachments::declared_of(uow, &caller, &whom, &id))
                    .await?;
                let form = declared_form(&d);
                let d = view::declared(&d, today);
                let line = format!(
                    "Regeling met {}, {}, {} per maand.",
                    d.party, d.period, d.monthly
                );
                Described {
                    line,
                    changeable: d.changeable,
                    ended: !d.changeable,
                    form,
                }
            }
        })
    }

    /// The form ending the record `id`, which `what` describes.
    fn end_page(
        self,
        req: &HttpRequest,
        session: &Session,
        subject: &Subject,
        (id, what): (&str, String),
        form: &FormData,
        errors: &Errors,
    ) -> EndDeclarationPage {
        let (heading, label) = match self {
            Declaration::Attachment => ("Beslag beëindigen", "Laatste dag van het beslag"),
            Declaration::Arrangement => ("Regeling beëindigen", "Laatste betaling"),
        };
        let fields = vec![
            Field::new("text", "einddatum", label)
                .hint("Bijvoorbeeld 15-6-2026.")
                .from(form, errors),
        ];
        EndDeclarationPage {
            layout: Layout::new(heading, Some(session), req).refused(!errors.is_empty()),
            base: subject.base(),
            csrf: session.csrf().to_owned(),
            action: self.end_path(subject, id),
            heading,
            what,
            invalid: !errors.is_empty(),
            problems: super::other_problems(errors, &fields),
            fields,
        }
    }
}

/// The form to end a declaration of the person the page is about.
pub async fn end_declaration_form(
    req: &HttpRequest,
    subject: Subject,
    what: Declaration,
    id: String,
) -> Result<HttpResponse, PageError> {
    let state = super::state(req)?;
    let (session, caller) = super::logged_in(req).await?;
    let whom = subject.checked_whom(&state, &caller).await?;
    let Described {
        line,
        changeable,
        ended,
        ..
    } = what
        .describe(&state, caller, whom, id.clone(), subject.own())
        .await?;
    if !changeable {
        return Err(not_changeable(what, ended));
    }
    let page = what.end_page(
        req,
        &session,
        &subject,
        (&id, line),
        &FormData::default(),
        &Errors::default(),
    );
    html(&page, None, req)
}

/// A posted change of a declaration: the session, caller, the person the page is about (the
/// caller may change their declarations) and the form.
async fn posted_change(
    req: &HttpRequest,
    subject: &Subject,
    what: Declaration,
    body: web::Form<Vec<(String, String)>>,
) -> Result<(Session, Caller, Whom, FormData), PageError> {
    let state = super::state(req)?;
    let (session, caller, form) = posted(req, body).await?;
    let operation = match what {
        Declaration::Attachment => Operation::ChangeAttachment,
        Declaration::Arrangement => Operation::ChangeDeclaredArrangement,
    };
    may(&caller, operation)?;
    let whom = subject.checked_whom(&state, &caller).await?;
    Ok((session, caller, whom, form))
}

/// Ends a declaration of the person the page is about on the posted day.
pub async fn end_declaration(
    req: &HttpRequest,
    subject: Subject,
    what: Declaration,
    id: String,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let state = super::state(req)?;
    let (session, caller, whom, form) = posted_change(req, &subject, what, body).await?;
    let mut r = Reader::new(&form);
    let end = r.date("einddatum", true).flatten();
    let result = match end {
        Some(end) if r.issues.is_empty() => {
            let (c, w, i) = (caller.clone(), whom.clone(), id.clone());
            state
                .services
                .run(move |uow| match what {
                    Declaration::Attachment => {
                        attachments::end_attachment_of(uow, &c, &w, &i, end).map(drop)
                    }
                    Declaration::Arrangement => {
                        attachments::end_declared_of(uow, &c, &w, &i, end).map(drop)
                    }
                })
                .await
        }
        _ => Err(ServiceError::Invalid(r.issues)),
    };
    match result {
        Ok(()) => Ok(see_other(&confirmation::address(
            &subject.base(),
            what.ended_code(),
            Some(&id),
            "beslagen",
        ))),
        Err(error) => {
            let (status, issues) = super::form_problem(error)?;
            let line = what
                .describe(&state, caller, whom, id.clone(), subject.own())
                .await?
                .line;
            let page = what.end_page(req, &session, &subject, (&id, line), &form, &Errors(issues));
            html_status(status, &page, None, req)
        }
    }
}

/// The form correcting a declaration of the person the page is about, filled in as it stands.
pub async fn correct_declaration_form(
    req: &HttpRequest,
    subject: Subject,
    what: Declaration,
    id: String,
) -> Result<HttpResponse, PageError> {
    let state = super::state(req)?;
    let (session, caller) = super::logged_in(req).await?;
    let whom = subject.checked_whom(&state, &caller).await?;
    let described = what
        .describe(&state, caller, whom, id.clone(), subject.own())
        .await?;
    if !described.changeable {
        return Err(not_changeable(what, described.ended));
    }
    let shown = Shown {
        session: &session,
        subject: &subject,
        status: StatusCode::OK,
    };
    let current = (&described.form, &Errors::default());
    correction_page(req, shown, (what, &id), &described, current)
}

/// How a page is shown: to whom, about whom, with which status.
struct Shown<'a> {
    session: &'a Session,
    subject: &'a Subject,
    status: StatusCode,
}

/// The correction form of the declaration `described`, showing `form` with `errors`.
fn correction_page(
    req: &HttpRequest,
    shown: Shown<'_>,
    (what, id): (Declaration, &str),
    described: &Described,
    (form, errors): (&FormData, &Errors),
) -> Result<HttpResponse, PageError> {
    let correcting = Correcting {
        id,
        line: &described.line,
        stand: fingerprint(&described.form, what),
    };
    let page = what.page(
        req,
        shown.session,
        shown.subject,
        (form, errors),
        Some(correcting),
    );
    html_status(shown.status, &page, None, req)
}

/// The declaring form of attachment `a`, filled in as it stands.
fn attachment_form(a: &Attachment) -> FormData {
    let typed = |m: Option<Money>| m.map(typed_amount).unwrap_or_default();
    let executorial = if a.terms.executorial { "ja" } else { "nee" };
    FormData::new(vec![
        (
            "beslagkenmerk".into(),
            a.reference.clone().unwrap_or_default(),
        ),
        ("inkomstenbron".into(), a.terms.income_source.clone()),
        ("nettoInkomenBron".into(), typed(a.terms.known_net_income)),
        ("maandbedrag".into(), typed_amount(a.terms.monthly_amount)),
        ("beslagvrijeVoet".into(), typed(a.terms.applied_bvv)),
        ("startdatum".into(), typed_date(a.terms.start)),
        (
            "einddatum".into(),
            a.terms.end.map(typed_date).unwrap_or_default(),
        ),
        ("executoriaal".into(), executorial.into()),
    ])
}

/// The declaring form of arrangement `d`, filled in as it stands.
fn declared_form(d: &DeclaredArrangement) -> FormData {
    FormData::new(vec![
        ("partij".into(), d.party.clone()),
        ("maandbedrag".into(), typed_amount(d.monthly_amount)),
        ("startdatum".into(), typed_date(d.start)),
        (
            "einddatum".into(),
            d.end.map(typed_date).unwrap_or_default(),
        ),
    ])
}

/// The values a correction form was filled in with, as one digest: posted back with it, it
/// tells whether the record changed since (in another tab, or by another person).
fn fingerprint(form: &FormData, what: Declaration) -> String {
    let names: &[&str] = match what {
        Declaration::Attachment => &ATTACHMENT_FIELDS,
        Declaration::Arrangement => &DECLARED_FIELDS,
    };
    let mut digest = Sha256::new();
    for name in names {
        let value = form.value(name);
        digest.update((value.len() as u64).to_be_bytes());
        digest.update(value.as_bytes());
    }
    lower_hex(&digest.finalize().into())
}

/// An agency's own attachment is not the person's to change here ("not found"); one that has
/// ended stays as it ran.
fn not_changeable(what: Declaration, ended: bool) -> PageError {
    let (record, ended_text) = match what {
        Declaration::Attachment => (attachments::ATTACHMENT, attachments::ATTACHMENT_ENDED),
        Declaration::Arrangement => (attachments::DECLARED, attachments::DECLARED_ENDED),
    };
    PageError::from(if ended {
        ServiceError::Conflict {
            detail: ended_text.into(),
            issues: Vec::new(),
        }
    } else {
        ServiceError::NotFound(record)
    })
}

/// Corrects a declaration of the person the page is about to what the form now holds, if it
/// still stands as the form was filled in with; otherwise the form shows it as it now stands.
pub async fn correct_declaration(
    req: &HttpRequest,
    subject: Subject,
    what: Declaration,
    id: String,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let state = super::state(req)?;
    let (session, caller, whom, form) = posted_change(req, &subject, what, body).await?;
    let described = what
        .describe(
            &state,
            caller.clone(),
            whom.clone(),
            id.clone(),
            subject.own(),
        )
        .await?;
    if !described.changeable {
        return Err(not_changeable(what, described.ended));
    }
    let shown = |status| Shown {
        session: &session,
        subject: &subject,
        status,
    };
    let stale_page = |described: &Described| {
        let stale = Errors(vec![FieldIssue::new(
            "",
            "gewijzigd",
            format!(
                "{} Hieronder staat het zoals het nu is; verbeter het zo nodig opnieuw.",
                attachments::CHANGED_MEANWHILE
            ),
        )]);
        let current = (&described.form, &stale);
        correction_page(
            req,
            shown(StatusCode::CONFLICT),
            (what, &id),
            described,
            current,
        )
    };
    // Whether it still stands as the form showed it is checked where the correction is
    // written, on the version it is written over.
    let stand = form.value("stand").to_owned();
    let (c, w, i) = (caller.clone(), whom.clone(), id.clone());
    let result = match what {
        Declaration::Attachment => {
            let mut r = Reader::new(&form);
            match read_attachment_terms(&mut r).filter(|_| r.issues.is_empty()) {
                Some((reference, terms)) => {
                    let correction = AttachmentChange::correcting(reference, terms);
                    let as_shown =
                        move |a: &Attachment| fingerprint(&attachment_form(a), what) == stand;
                    state
                        .services
                        .run(move |uow| {
                            attachments::correct_attachment_of(
                                uow,
                                &c,
                                &w,
                                &i,
                                &correction,
                                &as_shown,
                            )
                        })
                        .await
                }
                None => Err(ServiceError::Invalid(r.issues)),
            }
        }
        Declaration::Arrangement => match read_declared(&form) {
            Ok(new) => {
                let correction = DeclaredArrangementChange::correcting(new);
                let as_shown =
                    move |d: &DeclaredArrangement| fingerprint(&declared_form(d), what) == stand;
                state
                    .services
                    .run(move |uow| {
                        attachments::correct_declared_of(uow, &c, &w, &i, &correction, &as_shown)
                    })
                    .await
            }
            Err(errors) => Err(ServiceError::Invalid(errors.0)),
        },
    };
    match result {
        Ok(corrected) => Ok(see_other(&confirmation::address(
            &subject.base(),
            what.corrected_code(corrected),
            Some(&id),
            "beslagen",
        ))),
        Err(ServiceError::Conflict { detail, .. }) if detail == attachments::CHANGED_MEANWHILE => {
            let now = what
                .describe(&state, caller, whom, id.clone(), subject.own())
                .await?;
            stale_page(&now)
        }
        Err(error) => {
            let (status, issues) = super::form_problem(error)?;
            let posted = (&form, &Errors(issues));
            correction_page(req, shown(status), (what, &id), &described, posted)
        }
    }
}

pub async fn declare_form(
    req: &HttpRequest,
    subject: Subject,
    what: Declaration,
) -> Result<HttpResponse, PageError> {
    let state = super::state(req)?;
    let (session, caller) = super::logged_in(req).await?;
    subject.check(&state, &caller).await?;
    html(
        &what.page(
            req,
            &session,
            &subject,
            (&FormData::default(), &Errors::default()),
            None,
        ),
        None,
        req,
    )
}

fn read_attachment(form: &FormData) -> Result<NewAttachment, Errors> {
    let mut r = Reader::new(form);
    let party = r.required_text("beslaglegger");
    let terms = read_attachment_terms(&mut r);
    r.issues.extend(
        party
            .as_deref()
            .and_then(|name| check_party_name("beslaglegger", name)),
    );
    match (party, terms) {
        (Some(party), Some((reference, terms))) if r.issues.is_empty() => Ok(NewAttachment {
            party_name: Some(party),
            reference,
            assumed_household: None,
            terms,
        }),
        _ => Err(Errors(r.issues)),
    }
}

/// What the attachment form holds but its party: the reference and the terms, its problems
/// added to `r`.
fn read_attachment_terms(r: &mut Reader<'_>) -> Option<(Option<String>, AttachmentTerms)> {
    let reference = r.optional_text("beslagkenmerk");
    let income_source = r.required_text("inkomstenbron");
    let known_net_income = r.money("nettoInkomenBron", false);
    let monthly = r.money("maandbedrag", true).flatten();
    let bvv = r.money("beslagvrijeVoet", false);
    let start = r.date("startdatum", true).flatten();
    let end = r.date("einddatum", false);
    let executorial = match r.yes_no("executoriaal") {
        Some(Some(value)) => Some(value),
        Some(None) => {
            r.issues.push(FieldIssue::new(
                "executoriaal",
                "verplicht",
                "kies ja of nee",
            ));
            None
        }
        None => None,
    };
    rules_of_what_was_read(r, monthly, start, end.flatten());
    r.issues.extend(check_reference(reference.as_deref()));
    r.issues
        .extend(income_source.as_deref().and_then(check_income_source));
    let terms = AttachmentTerms {
        income_source: income_source?,
        known_net_income: known_net_income?,
        taxable_yearly_income: None,
        children: None,
        partner_income: None,
        monthly_amount: monthly?,
        applied_bvv: bvv?,
        start: start?,
        end: end?,
        executorial: executorial?,
        claim_keys: Vec::new(),
    };
    Some((reference, terms))
}

/// The rules on an amount and a period that hold for both declarations, for what could be read,
/// so that they are reported with the fields that could not be read, all at once.
fn rules_of_what_was_read(
    r: &mut Reader<'_>,
    monthly: Option<Money>,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
) {
    r.issues.extend(monthly.and_then(check_monthly_amount));
    r.issues
        .extend(start.and_then(|start| check_end(start, end)));
}

fn read_declared(form: &FormData) -> Result<NewDeclaredArrangement, Errors> {
    let mut r = Reader::new(form);
    let party = r.required_text("partij");
    let monthly = r.money("maandbedrag", true).flatten();
    let start: Option<NaiveDate> = r.date("startdatum", true).flatten();
    let end = r.date("einddatum", false);
    rules_of_what_was_read(&mut r, monthly, start, end.flatten());
    r.issues.extend(
        party
            .as_deref()
            .and_then(|name| check_party_name("partij", name)),
    );
    let new = (|| {
        Some(NewDeclaredArrangement {
            party: party?,
            monthly_amount: monthly?,
            start: start?,
            end: end?,
        })
    })();
    match new {
        Some(new) if r.issues.is_empty() => Ok(new),
        _ => Err(Errors(r.issues)),
    }
}

pub async fn declare(
    req: &HttpRequest,
    subject: Subject,
    what: Declaration,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let state = super::state(req)?;
    let (session, caller, form) = posted(req, body).await?;
    let operation = match what {
        Declaration::Attachment => Operation::RegisterAttachment,
        Declaration::Arrangement => Operation::DeclareArrangement,
    };
    may(&caller, operation)?;
    let whom = subject.checked_whom(&state, &caller).await?;
    let result = match what {
        Declaration::Attachment => match read_attachment(&form) {
            Ok(new) => state
                .services
                .run(move |uow| attachments::register(uow, &caller, &whom, &new))
                .await
                .map(|(read, _)| read.attachment.id),
            Err(errors) => Err(ServiceError::Invalid(errors.0)),
        },
        Declaration::Arrangement => match read_declared(&form) {
            Ok(new) => state
                .services
                .run(move |uow| attachments::declare(uow, &caller, &whom, &new))
                .await
                .map(|(d, _)| d.id),
            Err(errors) => Err(ServiceError::Invalid(errors.0)),
        },
    };
    match result {
        Ok(id) => Ok(see_other(&confirmation::address(
            &subject.base(),
            what.declared_code(),
            Some(&id),
            "beslagen",
        ))),
        Err(ServiceError::Invalid(issues)) => html_status(
            StatusCode::BAD_REQUEST,
            &what.page(req, &session, &subject, (&form, &Errors(issues)), None),
            None,
            req,
        ),
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(fields: &[(&str, &str)]) -> FormData {
        FormData::new(
            fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    fn fields(errors: &Errors) -> Vec<&str> {
        errors.0.iter().map(|i| i.field.as_str()).collect()
    }

    #[test]
    fn a_problem_on_a_field_the_proposal_form_does_not_show_reaches_its_summary() {
        let errors = Errors(vec![
            FieldIssue::new(
                "peildatum",
                "voor_eerste_tabel",
                "ligt voor de eerste normtabel",
            ),
            FieldIssue::new("nettoInkomen", "verplicht", "is verplicht"),
        ]);
        let fields = household_fields(&FormData::default(), &errors, false, Addressee::Person);
        assert_eq!(
            super::super::other_problems(&errors, &fields),
            ["peildatum: ligt voor de eerste normtabel"]
        );
    }

    #[test]
    fn a_declaration_reports_a_text_too_long_beside_a_field_missing_all_at_once() {
        let long = "x".repeat(201);
        let attachment = form(&[
            ("beslaglegger", long.as_str()),
            ("inkomstenbron", long.as_str()),
            ("startdatum", "1-6-2026"),
            ("executoriaal", "ja"),
        ]);
        let errors = read_attachment(&attachment).unwrap_err();
        assert_eq!(
            fields(&errors),
            ["maandbedrag", "inkomstenbron", "beslaglegger"]
        );
        let declared = form(&[("partij", long.as_str()), ("startdatum", "1-6-2026")]);
        let errors = read_declared(&declared).unwrap_err();
        assert_eq!(fields(&errors), ["maandbedrag", "partij"]);
    }
}
