//! The counsellor's pages, under `/schuldhulp`: the citizens who mandated the organisation, each
//! by the organisation's own dossier reference, and their pages by mandate id. A BSN is typed only
//! in a form body (POST) to look a citizen up; it never appears in an address.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use uuid::Uuid;

use super::debt_help::{self, TrajectoryAction};
use super::shared::{self, Declaration, Subject};
use super::{Field, Layout, confirmation, html, html_status, posted, see_other};
use crate::api::caller::may;
use crate::domain::attention::Attention;
use crate::domain::authorization::Operation;
use crate::domain::bsn::Bsn;
use crate::domain::mandate::Mandate;
use crate::domain::validation::FieldIssue;
use crate::service::{ServiceError, Whom, mandates, notifications};
use crate::web::error::PageError;
use crate::web::form::Errors;
use crate::web::session::Session;
use crate::web::view;

type Form = web::Form<Vec<(String, String)>>;
type Ids = web::Path<(Uuid, Uuid)>;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/schuldhulp", web::get().to(clients))
        .route("/schuldhulp/meldingen", web::get().to(notifications))
        .route("/schuldhulp/opzoeken", web::post().to(look_up))
        .route(
            "/schuldhulp/clienten/{m}/kenmerk",
            web::post().to(set_reference),
        )
        .route("/schuldhulp/clienten/{m}", web::get().to(overview))
        .route(
            "/schuldhulp/clienten/{m}/vorderingen/{id}",
            web::get().to(claim),
        )
        .route(
            "/schuldhulp/clienten/{m}/voorstel",
            web::get().to(proposal_form),
        )
        .route("/schuldhulp/clienten/{m}/voorstel", web::post().to(propose))
        .route(
            "/schuldhulp/clienten/{m}/voorstellen/{id}/accepteren",
            web::post().to(accept),
        )
        .route(
            "/schuldhulp/clienten/{m}/regelingen",
            web::get().to(arrangements),
        )
        .route(
            "/schuldhulp/clienten/{m}/regelingen/{id}",
            web::get().to(arrangement),
        )
        .route(
            "/schuldhulp/clienten/{m}/regelingen/{id}/beeindigen",
            web::post().to(end),
        )
        .route(
            "/schuldhulp/clienten/{m}/beslag",
            web::get().to(attachment_form),
        )
        .route(
            "/schuldhulp/clienten/{m}/beslag",
            web::post().to(attachment),
        )
        .route(
            "/schuldhulp/clienten/{m}/andere-regeling",
            web::get().to(declared_form),
        )
        .route(
            "/schuldhulp/clienten/{m}/andere-regeling",
            web::post().to(declared),
        )
        .route(
            "/schuldhulp/clienten/{m}/schuldhulptraject",
            web::post().to(debt_help::register),
        )
        .route(
            "/schuldhulp/clienten/{m}/schuldhulptraject/{id}/fase",
            web::post().to(change_phase),
        )
        .route(
            "/schuldhulp/clienten/{m}/schuldhulptraject/{id}/beeindigen",
            web::post().to(end_trajectory),
        )
        .route(
            "/schuldhulp/clienten/{m}/saldo-opgaven",
            web::get().to(statements),
        )
        .route(
            "/schuldhulp/clienten/{m}/saldo-opgaven",
            web::post().to(make_statement),
        )
        .route(
            "/schuldhulp/clienten/{m}/saldo-opgaven/{id}",
            web::get().to(statement),
        );
    for (kind, what) in [
        ("beslagen", Declaration::Attachment),
        ("andere-regelingen", Declaration::Arrangement),
    ] {
        let (end, correct) = (
            format!("/schuldhulp/clienten/{{m}}/{kind}/{{id}}/beeindigen"),
            format!("/schuldhulp/clienten/{{m}}/{kind}/{{id}}/wijzigen"),
        );
        cfg.route(
            &end,
            web::get().to(move |req: HttpRequest, ids: Ids| async move {
                let (m, id) = ids.into_inner();
                shared::end_declaration_form(&req, subject(m.to_string()), what, id.to_string())
                    .await
            }),
        )
        .route(
            &end,
            web::post().to(move |req: HttpRequest, ids: Ids, form: Form| async move {
                let (m, id) = ids.into_inner();
                let subject = subject(m.to_string());
                shared::end_declaration(&req, subject, what, id.to_string(), form).await
            }),
        )
        .route(
            &correct,
            web::get().to(move |req: HttpRequest, ids: Ids| async move {
                let (m, id) = ids.into_inner();
                let subject = subject(m.to_string());
                shared::correct_declaration_form(&req, subject, what, id.to_string()).await
            }),
        )
        .route(
            &correct,
            web::post().to(move |req: HttpRequest, ids: Ids, form: Form| async move {
                let (m, id) = ids.into_inner();
                let subject = subject(m.to_string());
                shared::correct_declaration(&req, subject, what, id.to_string(), form).await
            }),
        );
    }
}

pub struct ClientView {
    pub mandate: String,
    pub reference: Option<String>,
    /// How the pages name the client: the dossier reference, else its mandate (see
    /// [`view::client_label`]).
    pub label: String,
    pub valid_from: String,
    pub valid_until: String,
    pub status: &'static str,
    pub live: bool,
    /// What asks for attention, in the words of the client's overview.
    pub attention: Vec<String>,
    pub field: Field,
}

#[derive(Template)]
#[template(path = "clienten.html")]
struct ClientsPage {
    layout: Layout,
    csrf: String,
    clients: Vec<ClientView>,
    /// The confirmation of the dossier reference that led here.
    notice: Option<String>,
    invalid: bool,
    problems: Vec<String>,
    /// The look-up's one field, the burgerservicenummer.
    fields: Vec<Field>,
}

/// A dossier reference just typed for one client and refused: shown in that client's row, and
/// kept there so that it can be corrected.
struct RefusedReference {
    mandate: String,
    typed: String,
    why: String,
}

fn client(
    (m, attention): &(Mandate, Attention),
    today: chrono::NaiveDate,
    refused: Option<&RefusedReference>,
) -> ClientView {
    let mut field = Field::new("text", "dossierkenmerk", "Uw dossierkenmerk");
    field.value = m.counsellor_reference.clone().unwrap_or_default();
    if let Some(refused) = refused.filter(|r| r.mandate == m.id) {
        field.value = refused.typed.clone();
        field.error = Some(refused.why.clone());
    }
    ClientView {
        mandate: m.id.clone(),
        reference: m.counsellor_reference.clone(),
        label: view::client_label(m),
        valid_from: crate::domain::text::date(m.valid_from),
        valid_until: crate::domain::text::date(m.valid_until),
        status: view::mandate_status(m.status(today)),
        live: m.is_live(today),
        attention: view::attention(attention, today),
        field,
    }
}

async fn render_clients(
    req: &HttpRequest,
    session: &Session,
    errors: &Errors,
    refused: Option<RefusedReference>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let state = super::state(req)?;
    let caller = session.caller().ok_or(PageError::LoginRequired)?;
    may(&caller, Operation::ManageClients)?;
    let list = state
        .services
        .read(move |uow| mandates::clients_by_attention(uow, &caller))
        .await?;
    let today = state.services.now().today;
    let mut bsn = Field::new(
        "text",
        "burgerservicenummer",
        "Burgerservicenummer van de burger",
    )
    .hint("Negen cijfers. U ziet de burger alleen als die uw organisatie heeft gemachtigd.")
    .autocomplete("off");
    bsn.error = errors.of("burgerservicenummer");
    let clients: Vec<ClientView> = list
        .iter()
        .map(|m| client(m, today, refused.as_ref()))
        .collect();
    // A refused dossier reference is shown in its client's row, and named in the summary as
    // the table names the client.
    let mut problems = errors.other(&["burgerservicenummer", "dossierkenmerk"]);
    problems.extend(clients.iter().filter_map(|c| {
        let why = c.field.error.as_ref()?;
        Some(format!("Dossierkenmerk van {}: {why}", c.label))
    }));
    let page = ClientsPage {
        layout: Layout::new("Mijn cliënten", Some(session), req).refused(!errors.is_empty()),
        csrf: session.csrf().to_owned(),
        notice: confirmation::reference(req, &clients),
        clients,
        invalid: !errors.is_empty(),
        problems,
        fields: vec![bsn],
    };
    html_status(status, &page, None, req)
}

#[derive(Template)]
#[template(path = "meldingen.html")]
struct NotificationsPage {
    layout: Layout,
    notifications: Vec<view::NotificationView>,
    /// Where the older ones start.
    older: Option<i64>,
    /// Showing older ones, not the newest.
    paged: bool,
}

/// Notifications per page.
const NOTIFICATIONS_PAGE: usize = 50;

#[derive(serde::Deserialize)]
struct NotificationsQuery {
    voor: Option<i64>,
}

/// What the service told the organisation about its clients, newest first: the same feed its
/// own system reads through the API or a webhook, for an organisation that has none.
async fn notifications(req: HttpRequest) -> Result<HttpResponse, PageError> {
    let state = super::state(&req)?;
    let (session, caller) = super::logged_in(&req).await?;
    may(&caller, Operation::ReadFeed)?;
    let before = web::Query::<NotificationsQuery>::from_query(req.query_string())
        .map_err(|_| PageError::unreadable_address())?
        .voor;
    let page = state
        .services
        .read(move |uow| {
            notifications::recent_for_counsellor(uow, &caller, before, NOTIFICATIONS_PAGE)
        })
        .await?;
    let today = state.services.now().today;
    let (creditors, _) = shared::registry(&state).await?;
    let view = NotificationsPage {
        layout: Layout::new("Meldingen over uw cliënten", Some(&session), &req),
        notifications: page
            .items
            .iter()
            .map(|(item, mandate)| view::notification(item, mandate.as_ref(), &creditors, today))
            .collect(),
        older: page.older,
        paged: before.is_some(),
    };
    html(&view, None, &req)
}

async fn clients(req: HttpRequest) -> Result<HttpResponse, PageError> {
    let (session, _) = super::logged_in(&req).await?;
    render_clients(&req, &session, &Errors::default(), None, StatusCode::OK).await
}

/// A citizen named by BSN in the form body: to the pages of the organisation's live mandate.
async fn look_up(req: HttpRequest, form: Form) -> Result<HttpResponse, PageError> {
    let state = super::state(&req)?;
    let (session, caller, form) = posted(&req, form).await?;
    may(&caller, Operation::ManageClients)?;
    let bsn = match form.text("burgerservicenummer").map(Bsn::parse) {
        Some(Ok(bsn)) => bsn,
        other => {
            let reason = match other {
                Some(Err(e)) => e.to_string(),
                _ => "is verplicht".to_owned(),
            };
            let errors = Errors(vec![FieldIssue::new(
                "burgerservicenummer",
                "ongeldig",
                reason,
            )]);
            return render_clients(&req, &session, &errors, None, StatusCode::BAD_REQUEST).await;
        }
    };
    let whom = Whom::Person(state.pseudonymizer.person_id(&bsn));
    let mandate = state
        .services
        .read(move |uow| mandates::live_mandate_for(uow, &caller, &whom))
        .await?;
    Ok(see_other(&format!("/schuldhulp/clienten/{}", mandate.id)))
}

async fn set_reference(
    req: HttpRequest,
    m: web::Path<Uuid>,
    form: Form,
) -> Result<HttpResponse, PageError> {
    let state = super::state(&req)?;
    let (session, caller, form) = posted(&req, form).await?;
    may(&caller, Operation::ManageClients)?;
    let id = m.into_inner().to_string();
    let reference = form.value("dossierkenmerk");
    let (mandate, typed) = (id.clone(), reference.clone());
    match state
        .services
        .run(move |uow| mandates::set_reference(uow, &caller, &id, &reference))
        .await
    {
        Ok(_) => Ok(see_other(&confirmation::address(
            "/schuldhulp",
            "kenmerk-vastgelegd",
            Some(&mandate),
            "clienten",
        ))),
        Err(ServiceError::Invalid(issues)) => {
            let errors = Errors(issues);
            let refused = RefusedReference {
                mandate,
                typed,
                why: errors.of("dossierkenmerk").unwrap_or_default(),
            };
            render_clients(
                &req,
                &session,
                &errors,
                Some(refused),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

fn subject(m: String) -> Subject {
    Subject::Mandate(m)
}

async fn overview(req: HttpRequest, m: web::Path<Uuid>) -> Result<HttpResponse, PageError> {
    shared::overview_page(&req, subject(m.into_inner().to_string())).await
}

async fn claim(req: HttpRequest, ids: Ids) -> Result<HttpResponse, PageError> {
    let (m, id) = ids.into_inner();
    let (m, id) = (m.to_string(), id.to_string());
    shared::claim_page(&req, subject(m), id).await
}

async fn proposal_form(req: HttpRequest, m: web::Path<Uuid>) -> Result<HttpResponse, PageError> {
    shared::proposal_form_page(&req, subject(m.into_inner().to_string())).await
}

async fn propose(
    req: HttpRequest,
    m: web::Path<Uuid>,
    form: Form,
) -> Result<HttpResponse, PageError> {
    shared::propose(&req, subject(m.into_inner().to_string()), form).await
}

async fn accept(req: HttpRequest, ids: Ids, form: Form) -> Result<HttpResponse, PageError> {
    let (m, id) = ids.into_inner();
    let (m, id) = (m.to_string(), id.to_string());
    shared::accept(&req, subject(m), id, form).await
}

async fn arrangements(req: HttpRequest, m: web::Path<Uuid>) -> Result<HttpResponse, PageError> {
    shared::arrangements_page(&req, subject(m.into_inner().to_string())).await
}

async fn arrangement(req: HttpRequest, ids: Ids) -> Result<HttpResponse, PageError> {
    let (m, id) = ids.into_inner();
    let (m, id) = (m.to_string(), id.to_string());
    shared::arrangement_page(&req, subject(m), id).await
}

async fn end(req: HttpRequest, ids: Ids, form: Form) -> Result<HttpResponse, PageError> {
    let (m, id) = ids.into_inner();
    let (m, id) = (m.to_string(), id.to_string());
    shared::end_arrangement(&req, subject(m), id, form).await
}

async fn attachment_form(req: HttpRequest, m: web::Path<Uuid>) -> Result<HttpResponse, PageError> {
    shared::declare_form(
        &req,
        subject(m.into_inner().to_string()),
        Declaration::Attachment,
    )
    .await
}

async fn attachment(
    req: HttpRequest,
    m: web::Path<Uuid>,
    form: Form,
) -> Result<HttpResponse, PageError> {
    shared::declare(
        &req,
        subject(m.into_inner().to_string()),
        Declaration::Attachment,
        form,
    )
    .await
}

async fn declared_form(req: HttpRequest, m: web::Path<Uuid>) -> Result<HttpResponse, PageError> {
    shared::declare_form(
        &req,
        subject(m.into_inner().to_string()),
        Declaration::Arrangement,
    )
    .await
}

async fn declared(
    req: HttpRequest,
    m: web::Path<Uuid>,
    form: Form,
) -> Result<HttpResponse, PageError> {
    shared::declare(
        &req,
        subject(m.into_inner().to_string()),
        Declaration::Arrangement,
        form,
    )
    .await
}

async fn change_phase(req: HttpRequest, ids: Ids, form: Form) -> Result<HttpResponse, PageError> {
    debt_help::change(req, ids, form, TrajectoryAction::Phase).await
}

async fn end_trajectory(req: HttpRequest, ids: Ids, form: Form) -> Result<HttpResponse, PageError> {
    debt_help::change(req, ids, form, TrajectoryAction::End).await
}

async fn make_statement(
    req: HttpRequest,
    m: web::Path<Uuid>,
    form: Form,
) -> Result<HttpResponse, PageError> {
    debt_help::make_statement(&req, subject(m.into_inner().to_string()), form).await
}

async fn statements(req: HttpRequest, m: web::Path<Uuid>) -> Result<HttpResponse, PageError> {
    debt_help::statements_page(&req, subject(m.into_inner().to_string())).await
}

async fn statement(req: HttpRequest, ids: Ids) -> Result<HttpResponse, PageError> {
    let (m, id) = ids.into_inner();
    debt_help::statement_page(&req, subject(m.to_string()), id.to_string()).await
}
