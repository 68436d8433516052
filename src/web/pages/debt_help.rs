//! The debt-help chain on the pages: a counsellor registers, changes and ends a client's
//! schuldhulptraject from the client's overview; the citizen and the counsellor make a
//! saldo-opgave and read it back as a printable page. Every change posts and redirects; a form
//! with problems comes back in the overview with the status code of the problem.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;

use super::shared::{self, Subject};
use super::{Field, Layout, confirmation, form_problem, html, posted, see_other};
use crate::api::caller::may;
use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::domain::saldo_opgave::check_reference_date;
use crate::domain::schuldhulptraject::{
    Registration, Trajectory, TrajectoryChange, TrajectoryPhase, check_start,
};
use crate::domain::validation::FieldIssue;
use crate::service::{ServiceError, Whom, saldo_opgaven, schuldhulptrajecten};
use crate::web::error::PageError;
use crate::web::form::{Errors, FormData, Reader, typed_date};
use crate::web::session::Session;
use crate::web::view::{self, KeptStatementView, StatementView};

type Form = web::Form<Vec<(String, String)>>;

/// Which of the overview's forms a posted form was, with what was posted and its problems.
#[derive(Default)]
pub enum Posted {
    #[default]
    Nothing,
    Trajectory(FormData, Errors),
    Statement(FormData, Errors),
}

impl Posted {
    fn of_trajectory(&self) -> (FormData, Errors) {
        match self {
            Posted::Trajectory(form, errors) => (form.clone(), errors.clone()),
            _ => Default::default(),
        }
    }

    fn of_statement(&self) -> (FormData, Errors) {
        match self {
            Posted::Statement(form, errors) => (form.clone(), errors.clone()),
            _ => Default::default(),
        }
    }
}

/// A form's problems for the summary above it (`_fouten.html`).
pub struct Problems {
    pub invalid: bool,
    pub fields: Vec<Field>,
    pub problems: Vec<String>,
}

impl Problems {
    /// The problems of `fields` (each named with its label, linked to the field) and those of
    /// no field in `names`.
    fn of(fields: &[&Field], errors: &Errors, names: &[&str]) -> Problems {
        Problems {
            invalid: !errors.is_empty(),
            fields: fields
                .iter()
                .filter_map(|f| {
                    let mut named = Field::new(f.kind, f.name, f.label);
                    named.error = Some(f.error.clone()?);
                    Some(named)
                })
                .collect(),
            problems: errors.other(names),
        }
    }
}

const TRAJECTORY_FIELDS: [&str; 4] = ["fase", "startdatum", "einddatum", "uitspraakdatum"];

/// The counsellor's forms for a client's trajectory: register one, or change its phase and end
/// it.
pub struct TrajectoryForms {
    /// Whether this organisation registered the running trajectory: only it changes it.
    pub may_change: bool,
    pub phase: Field,
    pub start: Field,
    pub end: Field,
    /// The day of the Wsnp ruling, on registering and with a change of phase.
    pub ruling: Field,
    pub problems: Problems,
}

/// The forms for the running trajectory `current` (if any), as organisation `organisation` sees
/// them.
pub fn trajectory_forms(
    posted: &Posted,
    current: Option<&Trajectory>,
    organisation: Option<&str>,
    today: NaiveDate,
) -> TrajectoryForms {
    let (form, errors) = posted.of_trajectory();
    // A date field left alone is today; one emptied and refused stays empty.
    let with_default = |field: Field, name: &str| {
        let mut field = field.from(&form, &errors);
        if form.text(name).is_none() && field.error.is_none() {
            field.value = typed_date(today);
        }
        field
    };
    let may_change = current.is_some_and(|t| Some(t.counsellor.as_str()) == organisation);
    let current = current.map(|t| t.phase);
    let mut phase = match current {
        None => Field::new("select", "fase", "In welke fase is de schuldhulp?"),
        Some(_) => Field::new("select", "fase", "Nieuwe fase"),
    };
    phase.options = std::iter::once((String::new(), "Kies een fase".to_owned()))
        .chain(
            view::trajectory_phase_options()
                .into_iter()
                .filter(|(code, _)| Some(code.as_str()) != current.map(TrajectoryPhase::code)),
        )
        .collect();
    let phase = phase.from(&form, &errors);
    let start = with_default(
        Field::new(
            "text",
            "startdatum",
            "Sinds wanneer krijgt uw cliënt schuldhulp?",
        )
        .hint("Niet na vandaag. Bijvoorbeeld 1-6-2026."),
        "startdatum",
    );
    let end = with_default(
        Field::new("text", "einddatum", "Laatste dag van de schuldhulp")
            .hint("Niet na vandaag. Bijvoorbeeld 30-6-2026."),
        "einddatum",
    );
    let ruling = Field::new(
        "text",
        "uitspraakdatum",
        "Uitspraakdatum van de wettelijke schuldsanering (niet verplicht)",
    )
    .hint(
        "Alleen bij de fase Wettelijke schuldsanering (Wsnp): de dag waarop de rechter die \
         uitsprak. Beslagen die toen al liepen, zijn op die dag vervallen (art. 301 lid 3 \
         Faillissementswet) en tellen dan niet meer mee. Bijvoorbeeld 28-5-2026.",
    )
    .from(&form, &errors);
    TrajectoryForms {
        may_change,
        problems: Problems::of(
            &[&phase, &start, &end, &ruling],
            &errors,
            &TRAJECTORY_FIELDS,
        ),
        phase,
        start,
        end,
        ruling,
    }
}

/// The form to make a saldo-opgave.
pub struct StatementForm {
    pub reference_date: Field,
    pub problems: Problems,
}

pub fn statement_form(posted: &Posted) -> StatementForm {
    let (form, errors) = posted.of_statement();
    let reference_date = Field::new("text", "peildatum", "Peildatum")
        .hint(
            "Van welke dag wilt u de bedragen zien? Laat leeg voor vandaag. Bijvoorbeeld 1-6-2026.",
        )
        .from(&form, &errors);
    StatementForm {
        problems: Problems::of(&[&reference_date], &errors, &["peildatum"]),
        reference_date,
    }
}

fn phase_of(r: &mut Reader<'_>) -> Option<TrajectoryPhase> {
    let code = r.required_text("fase")?;
    let phase = TrajectoryPhase::from_code(&code);
    if phase.is_none() {
        r.issues.push(FieldIssue::new(
            "fase",
            "ongeldig",
            "kies een fase uit de lijst",
        ));
    }
    phase
}

/// After a trajectory change: back to the client's overview, at the trajectory, with a
/// confirmation; or the overview again with the form's problems.
async fn after_trajectory_change(
    req: &HttpRequest,
    subject: Subject,
    form: FormData,
    result: Result<&str, ServiceError>,
) -> Result<HttpResponse, PageError> {
    match result {
        Ok(done) => Ok(see_other(&confirmation::address(
            &subject.base(),
            done,
            None,
            "schuldhulptraject",
        ))),
        Err(error) => {
            let (status, issues) = form_problem(error)?;
            shared::render_overview(
                req,
                subject,
                Posted::Trajectory(form, Errors(issues)),
                status,
            )
            .await
        }
    }
}

/// A counsellor registers that the client is in municipal debt help.
pub async fn register(
    req: HttpRequest,
    m: web::Path<uuid::Uuid>,
    body: Form,
) -> Result<HttpResponse, PageError> {
    let state = super::state(&req)?;
    let (_, caller, form) = posted(&req, body).await?;
    may(&caller, Operation::RegisterTrajectory)?;
    let subject = Subject::Mandate(m.into_inner().to_string());
    let whom = subject.checked_whom(&state, &caller).await?;
    let mut r = Reader::new(&form);
    let phase = phase_of(&mut r);
    let start = r.date("startdatum", true).flatten();
    let ruling = r.date("uitspraakdatum", false);
    // The domain's rule on what could be read, so it shows beside an unread phase.
    if phase.is_none() {
        r.issues
            .extend(start.and_then(|start| check_start(start, state.services.now().today)));
    }
    let result = match (phase, start, ruling) {
        (Some(phase), Some(start), Some(ruling)) if r.issues.is_empty() => {
            let registration = Registration {
                phase,
                start,
                ruling,
            };
            state
                .services
                .run(move |uow| schuldhulptrajecten::register(uow, &caller, &whom, &registration))
                .await
                .map(|_| "traject-geregistreerd")
        }
        _ => Err(ServiceError::Invalid(r.issues)),
    };
    after_trajectory_change(&req, subject, form, result).await
}

/// Which change a trajectory form asks for.
#[derive(Clone, Copy)]
pub enum TrajectoryAction {
    Phase,
    End,
}

/// The registering counsellor changes the phase of the client's trajectory, or ends it.
pub async fn change(
    req: HttpRequest,
    ids: web::Path<(uuid::Uuid, uuid::Uuid)>,
    body: Form,
    what: TrajectoryAction,
) -> Result<HttpResponse, PageError> {
    let state = super::state(&req)?;
    let (session, caller, form) = posted(&req, body).await?;
    may(&caller, Operation::ChangeTrajectory)?;
    let (m, id) = ids.into_inner();
    let subject = Subject::Mandate(m.to_string());
    let whom = subject.checked_whom(&state, &caller).await?;
    let id = id.to_string();
    let mut r = Reader::new(&form);
    let (change, done) = match what {
        TrajectoryAction::Phase => {
            // A ruling alone records or corrects the day of the Wsnp ruling; else a phase is
            // asked for.
            let ruling = r.date("uitspraakdatum", false);
            let phase = match (r.optional_text("fase"), ruling) {
                (None, Some(Some(_))) => Some(None),
                _ => phase_of(&mut r).map(Some),
            };
            let change = phase.zip(ruling).map(|(phase, ruling)| TrajectoryChange {
                phase,
                end: None,
                ruling,
            });
            let done = match change.as_ref().map(|c| c.phase) {
                Some(None) => "uitspraakdatum-vastgelegd",
                _ => "fase-gewijzigd",
            };
            (change, done)
        }
        TrajectoryAction::End => {
            let end = r.date("einddatum", true).flatten();
            if let Some(end) = end.filter(|_| r.issues.is_empty())
                && form.value("bevestigen") != "ja"
            {
                return confirm_end(&req, &session, subject, (caller, whom), id, end, form).await;
            }
            (
                end.map(|end| TrajectoryChange {
                    phase: None,
                    end: Some(end),
                    ruling: None,
                }),
                "traject-beeindigd",
            )
        }
    };
    let result = match change {
        Some(change) if r.issues.is_empty() => state
            .services
            .run(move |uow| schuldhulptrajecten::change_of(uow, &caller, &whom, &id, &change))
            .await
            .map(|(_, changed)| if changed { done } else { "fase-ongewijzigd" }),
        _ => Err(ServiceError::Invalid(r.issues)),
    };
    after_trajectory_change(&req, subject, form, result).await
}

#[derive(Template)]
#[template(path = "traject_beeindigen.html")]
struct EndTrajectoryPage {
    layout: Layout,
    csrf: String,
    action: String,
    back: String,
    /// The last day, as typed back into the form.
    end: String,
    /// The last day, written out.
    last_day: String,
    t: view::TrajectoryView,
}

/// Ending a trajectory asks once more, saying what follows, before anything changes: every
/// creditor told of it may collect again, and it cannot be undone. A last day the trajectory
/// cannot have comes back at the form first. Posted with `bevestigen=ja`, it ends.
async fn confirm_end(
    req: &HttpRequest,
    session: &Session,
    subject: Subject,
    (caller, whom): (Caller, Whom),
    id: String,
    end: NaiveDate,
    form: FormData,
) -> Result<HttpResponse, PageError> {
    let state = super::state(req)?;
    let i = id.clone();
    let trajectory = match state
        .services
        .read(move |uow| schuldhulptrajecten::to_end(uow, &caller, &whom, &i, end))
        .await
    {
        Ok(trajectory) => trajectory,
        Err(error) => return after_trajectory_change(req, subject, form, Err(error)).await,
    };
    let (creditors, counsellors) = shared::registry(&state).await?;
    let back = format!("{}#schuldhulptraject", subject.base());
    let page = EndTrajectoryPage {
        layout: Layout::new(
            "Weet u zeker dat u het schuldhulptraject van uw cliënt wilt beëindigen?",
            Some(session),
            req,
        ),
        csrf: session.csrf().to_owned(),
        action: format!("{}/schuldhulptraject/{id}/beeindigen", subject.base()),
        back,
        end: typed_date(end),
        last_day: crate::domain::text::date(end),
        t: view::trajectory(&trajectory, &counsellors, &creditors),
    };
    html(&page, None, req)
}

/// Makes a saldo-opgave (as of the posted date, or today) and shows it at its own address.
pub async fn make_statement(
    req: &HttpRequest,
    subject: Subject,
    body: Form,
) -> Result<HttpResponse, PageError> {
    let state = super::state(req)?;
    let (_, caller, form) = posted(req, body).await?;
    may(&caller, Operation::MakeBalanceStatement)?;
    let whom = subject.checked_whom(&state, &caller).await?;
    let mut r = Reader::new(&form);
    let date = r.date("peildatum", false).flatten();
    r.issues
        .extend(date.and_then(|d| check_reference_date(d, state.services.now().today)));
    let result = if r.issues.is_empty() {
        state
            .services
            .run(move |uow| saldo_opgaven::make(uow, &caller, &whom, date))
            .await
    } else {
        Err(ServiceError::Invalid(r.issues))
    };
    match result {
        // To the page's content: not to the form's section the request's address named.
        Ok(statement) => Ok(see_other(&format!(
            "{}/saldo-opgaven/{}#inhoud",
            subject.base(),
            statement.id
        ))),
        Err(error) => {
            let (status, issues) = form_problem(error)?;
            shared::render_overview(
                req,
                subject,
                Posted::Statement(form, Errors(issues)),
                status,
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "saldo_opgaven.html")]
struct StatementsPage {
    layout: Layout,
    base: String,
    own: bool,
    statements: Vec<KeptStatementView>,
}

/// The person's kept saldo-opgaven, newest first, each linking to its page.
pub async fn statements_page(
    req: &HttpRequest,
    subject: Subject,
) -> Result<HttpResponse, PageError> {
    let state = super::state(req)?;
    let (session, caller) = super::logged_in(req).await?;
    let whom = subject.checked_whom(&state, &caller).await?;
    let (kept, counsellors) = state
        .services
        .read(move |uow| {
            let kept = saldo_opgaven::list(uow, &caller, &whom)?;
            Ok((kept, crate::service::counsellors::list(uow)))
        })
        .await?;
    let page = StatementsPage {
        layout: Layout::new("Eerdere saldo-opgaven", Some(&session), req),
        base: subject.base(),
        own: subject.own(),
        statements: kept
            .iter()
            .map(|o| view::kept_statement(o, &counsellors, subject.own()))
            .collect(),
    };
    html(&page, None, req)
}

#[derive(Template)]
#[template(path = "saldo_opgave.html")]
struct StatementPage {
    layout: Layout,
    base: String,
    own: bool,
    s: StatementView,
}

/// A kept saldo-opgave, unchanged, as a printable page.
pub async fn statement_page(
    req: &HttpRequest,
    subject: Subject,
    id: String,
) -> Result<HttpResponse, PageError> {
    let state = super::state(req)?;
    let (session, caller) = super::logged_in(req).await?;
    let whom = subject.checked_whom(&state, &caller).await?;
    let (statement, counsellors) = state
        .services
        .read(move |uow| {
            let statement = saldo_opgaven::get_of(uow, &caller, &whom, &id)?;
            Ok((statement, crate::service::counsellors::list(uow)))
        })
        .await?;
    let s = view::statement(&statement, &counsellors, subject.own());
    let page = StatementPage {
        layout: Layout::new(
            &format!("Saldo-opgave van {}", s.reference_date),
            Some(&session),
            req,
        ),
        base: subject.base(),
        own: subject.own(),
        s,
    };
    html(&page, None, req)
}
