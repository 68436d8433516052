//! The citizen's own pages, under `/mijn`: the overview and what follows from it, arrangements,
//! mandates for counsellors, and who looked at their data.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use uuid::Uuid;

use super::shared::{self, Declaration, Subject};
use super::{Field, Layout, confirmation, html, html_status, posted, see_other};
use crate::api::caller::{may, own_person};
use crate::domain::access::repeats;
use crate::domain::authorization::Operation;
use crate::domain::mandate::{Grant, check_validity};
use crate::service::{access_log, counsellors, creditors, mandates};
use crate::web::error::PageError;
use crate::web::form::{Errors, FormData, Reader};
use crate::web::session::Session;
use crate::web::view::{self, LogLine, MandateView};

type Form = web::Form<Vec<(String, String)>>;

/// The citizen's mandates page.
const MANDATES: &str = "/mijn/machtigingen";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/mijn", web::get().to(overview))
        .route("/mijn/vorderingen/{id}", web::get().to(claim))
        .route("/mijn/voorstel", web::get().to(proposal_form))
        .route("/mijn/voorstel", web::post().to(propose))
        .route("/mijn/voorstellen/{id}/accepteren", web::post().to(accept))
        .route("/mijn/regelingen", web::get().to(arrangements))
        .route("/mijn/regelingen/{id}", web::get().to(arrangement))
        .route("/mijn/regelingen/{id}/beeindigen", web::post().to(end))
        .route("/mijn/beslag", web::get().to(attachment_form))
        .route("/mijn/beslag", web::post().to(attachment))
        .route("/mijn/andere-regeling", web::get().to(declared_form))
        .route("/mijn/andere-regeling", web::post().to(declared))
        .route(MANDATES, web::get().to(mandates_page))
        .route(MANDATES, web::post().to(grant))
        .route("/mijn/machtigingen/{id}/intrekken", web::post().to(revoke))
        .route("/mijn/inzagelog", web::get().to(access_log_page))
        .route("/mijn/saldo-opgaven", web::get().to(statements))
        .route("/mijn/saldo-opgaven", web::post().to(make_statement))
        .route("/mijn/saldo-opgaven/{id}", web::get().to(statement));
    for (kind, what) in [
        ("beslagen", Declaration::Attachment),
        ("andere-regelingen", Declaration::Arrangement),
    ] {
        let (end, correct) = (
            format!("/mijn/{kind}/{{id}}/beeindigen"),
            format!("/mijn/{kind}/{{id}}/wijzigen"),
        );
        cfg.route(
            &end,
            web::get().to(move |req: HttpRequest, id: web::Path<Uuid>| async move {
                shared::end_declaration_form(&req, Subject::Own, what, id.to_string()).await
            }),
        )
        .route(
            &end,
            web::post().to(
                move |req: HttpRequest, id: web::Path<Uuid>, form: Form| async move {
                    shared::end_declaration(&req, Subject::Own, what, id.to_string(), form).await
                },
            ),
        )
        .route(
            &correct,
            web::get().to(move |req: HttpRequest, id: web::Path<Uuid>| async move {
                shared::correct_declaration_form(&req, Subject::Own, what, id.to_string()).await
            }),
        )
        .route(
            &correct,
            web::post().to(
                move |req: HttpRequest, id: web::Path<Uuid>, form: Form| async move {
                    let id = id.to_string();
                    shared::correct_declaration(&req, Subject::Own, what, id, form).await
                },
            ),
        );
    }
}

async fn overview(req: HttpRequest) -> Result<HttpResponse, PageError> {
    shared::overview_page(&req, Subject::Own).await
}

async fn claim(req: HttpRequest, id: web::Path<Uuid>) -> Result<HttpResponse, PageError> {
    shared::claim_page(&req, Subject::Own, id.into_inner().to_string()).await
}

async fn proposal_form(req: HttpRequest) -> Result<HttpResponse, PageError> {
    shared::proposal_form_page(&req, Subject::Own).await
}

async fn propose(req: HttpRequest, form: Form) -> Result<HttpResponse, PageError> {
    shared::propose(&req, Subject::Own, form).await
}

async fn accept(
    req: HttpRequest,
    id: web::Path<Uuid>,
    form: Form,
) -> Result<HttpResponse, PageError> {
    shared::accept(&req, Subject::Own, id.into_inner().to_string(), form).await
}

async fn arrangements(req: HttpRequest) -> Result<HttpResponse, PageError> {
    shared::arrangements_page(&req, Subject::Own).await
}

async fn arrangement(req: HttpRequest, id: web::Path<Uuid>) -> Result<HttpResponse, PageError> {
    shared::arrangement_page(&req, Subject::Own, id.into_inner().to_string()).await
}

async fn end(req: HttpRequest, id: web::Path<Uuid>, form: Form) -> Result<HttpResponse, PageError> {
    shared::end_arrangement(&req, Subject::Own, id.into_inner().to_string(), form).await
}

async fn attachment_form(req: HttpRequest) -> Result<HttpResponse, PageError> {
    shared::declare_form(&req, Subject::Own, Declaration::Attachment).await
}

async fn attachment(req: HttpRequest, form: Form) -> Result<HttpResponse, PageError> {
    shared::declare(&req, Subject::Own, Declaration::Attachment, form).await
}

async fn declared_form(req: HttpRequest) -> Result<HttpResponse, PageError> {
    shared::declare_form(&req, Subject::Own, Declaration::Arrangement).await
}

async fn declared(req: HttpRequest, form: Form) -> Result<HttpResponse, PageError> {
    shared::declare(&req, Subject::Own, Declaration::Arrangement, form).await
}

async fn make_statement(req: HttpRequest, form: Form) -> Result<HttpResponse, PageError> {
    super::debt_help::make_statement(&req, Subject::Own, form).await
}

async fn statements(req: HttpRequest) -> Result<HttpResponse, PageError> {
    super::debt_help::statements_page(&req, Subject::Own).await
}

async fn statement(req: HttpRequest, id: web::Path<Uuid>) -> Result<HttpResponse, PageError> {
    super::debt_help::statement_page(&req, Subject::Own, id.into_inner().to_string()).await
}

#[derive(Template)]
#[template(path = "machtigingen.html")]
struct MandatesPage {
    layout: Layout,
    csrf: String,
    mandates: Vec<MandateView>,
    /// The confirmation of the grant or revocation that led here.
    notice: Option<String>,
    fields: Vec<Field>,
    invalid: bool,
    problems: Vec<String>,
}

async fn render_mandates(
    req: &HttpRequest,
    session: &Session,
    form: &FormData,
    errors: &Errors,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let state = super::state(req)?;
    let caller = session.caller().ok_or(PageError::LoginRequired)?;
    let whom = own_person(&caller)?;
    let (list, registry) = state
        .services
        .read(move |uow| {
            let list = mandates::list(uow, &caller, &whom)?;
            Ok((list, counsellors::list(uow)))
        })
        .await?;
    let today = state.services.now().today;
    let mut counsellor = Field::new(
        "select",
        "schuldhulpverlener",
        "Welke organisatie machtigt u?",
    )
    .hint("Alleen organisaties voor schuldhulpverlening die bij ons bekend zijn.");
    counsellor.options = std::iter::once((String::new(), "Kies een organisatie".to_owned()))
        .chain(registry.iter().map(|c| (c.id.clone(), c.name.clone())))
        .collect();
    let fields = vec![
        counsellor.from(form, errors),
        Field::new("text", "geldigTot", "Tot en met welke dag mag de organisatie namens u handelen?")
            .hint("Bijvoorbeeld 31-12-2026. Hoogstens 5 jaar. U kunt de machtiging altijd eerder intrekken.")
            .from(form, errors),
    ];
    let mandates: Vec<MandateView> = list
        .iter()
        .map(|m| view::mandate(m, &registry, today))
        .collect();
    let page = MandatesPage {
        layout: Layout::new("Machtigingen", Some(session), req).refused(!errors.is_empty()),
        csrf: session.csrf().to_owned(),
        notice: confirmation::mandate(req, &mandates),
        mandates,
        fields,
        invalid: !errors.is_empty(),
        problems: errors.other(&["schuldhulpverlener", "geldigTot"]),
    };
    html_status(status, &page, None, req)
}

async fn mandates_page(req: HttpRequest) -> Result<HttpResponse, PageError> {
    let (session, caller) = super::logged_in(&req).await?;
    may(&caller, Operation::ManageMandates)?;
    render_mandates(
        &req,
        &session,
        &FormData::default(),
        &Errors::default(),
        StatusCode::OK,
    )
    .await
}

async fn grant(req: HttpRequest, form: Form) -> Result<HttpResponse, PageError> {
    let state = super::state(&req)?;
    let (session, caller, form) = posted(&req, form).await?;
    may(&caller, Operation::ManageMandates)?;
    let whom = own_person(&caller)?;
    let mut r = Reader::new(&form);
    let counsellor = r.required_text("schuldhulpverlener");
    let until = r.date("geldigTot", true).flatten();
    // The domain's date rules on what could be read, so they show beside an unread field.
    let today = state.services.now().today;
    if counsellor.is_none() {
        r.issues.extend(
            until
                .into_iter()
                .flat_map(|until| check_validity(today, until, today)),
        );
    }
    let grant = match (counsellor, until) {
        (Some(counsellor), Some(valid_until)) if r.issues.is_empty() => Grant {
            counsellor,
            valid_from: None,
            valid_until,
        },
        _ => {
            let errors = Errors(r.issues);
            return render_mandates(&req, &session, &form, &errors, StatusCode::BAD_REQUEST).await;
        }
    };
    match state
        .services
        .run(move |uow| mandates::grant(uow, &caller, &whom, &grant))
        .await
    {
        Ok(mandate) => Ok(see_other(&confirmation::address(
            MANDATES,
            "gemachtigd",
            Some(&mandate.id),
            "machtigingen",
        ))),
        // A second live mandate of the same organisation (409) too: shown beside the form.
        Err(error) => {
            let (status, issues) = super::form_problem(error)?;
            render_mandates(&req, &session, &form, &Errors(issues), status).await
        }
    }
}

#[derive(Template)]
#[template(path = "machtiging_intrekken.html")]
struct RevokePage {
    layout: Layout,
    csrf: String,
    action: String,
    m: MandateView,
    /// The trajectory the organisation registered that runs under the mandate.
    t: Option<view::TrajectoryView>,
}

/// Revoking a mandate in force asks once more, saying what follows, before anything changes: the
/// organisation can no longer act for the person, a trajectory it registered runs on without
/// anyone who may end it, and it cannot be undone. Posted with `bevestigen=ja`, it revokes; a
/// mandate no longer in force is revoked at once, as that changes nothing.
async fn revoke(
    req: HttpRequest,
    id: web::Path<Uuid>,
    form: Form,
) -> Result<HttpResponse, PageError> {
    let state = super::state(&req)?;
    let (session, caller, form) = posted(&req, form).await?;
    may(&caller, Operation::ManageMandates)?;
    let id = id.into_inner().to_string();
    if form.value("bevestigen") != "ja" {
        let (reader, read) = (caller.clone(), id.clone());
        let (mandate, trajectory) = state
            .services
            .read(move |uow| mandates::to_revoke(uow, &reader, &read))
            .await?;
        let (creditors, counsellors) = shared::registry(&state).await?;
        let m = view::mandate(&mandate, &counsellors, state.services.now().today);
        if m.revocable {
            let page = RevokePage {
                layout: Layout::new(
                    &format!(
                        "Weet u zeker dat u de machtiging van {} wilt intrekken?",
                        m.counsellor
                    ),
                    Some(&session),
                    &req,
                ),
                csrf: session.csrf().to_owned(),
                action: format!("{MANDATES}/{id}/intrekken"),
                t: trajectory.map(|t| view::trajectory(&t, &counsellors, &creditors)),
                m,
            };
            return html(&page, None, &req);
        }
    }
    let revoked = id.clone();
    state
        .services
        .run(move |uow| mandates::revoke(uow, &caller, &revoked))
        .await?;
    Ok(see_other(&confirmation::address(
        MANDATES,
        "ingetrokken",
        Some(&id),
        "machtigingen",
    )))
}

#[derive(Template)]
#[template(path = "inzagelog.html")]
struct AccessLogPage {
    layout: Layout,
    lines: Vec<LogLine>,
    next: Option<String>,
}

/// Entries of the access log read per page: repeats become one line, so a page shows fewer.
const LOG_PAGE: usize = 200;

#[derive(serde::Deserialize)]
struct LogQuery {
    na: Option<i64>,
}

async fn access_log_page(req: HttpRequest) -> Result<HttpResponse, PageError> {
    let state = super::state(&req)?;
    let (session, caller) = super::logged_in(&req).await?;
    let whom = own_person(&caller)?;
    let after = web::Query::<LogQuery>::from_query(req.query_string())
        .map_err(|_| PageError::unreadable_address())?
        .na;
    let (page, creditors, counsellors) = state
        .services
        .read(move |uow| {
            let page = access_log::page(uow, &caller, &whom, after, LOG_PAGE)?;
            Ok((page, creditors::list(uow), counsellors::list(uow)))
        })
        .await?;
    let view = AccessLogPage {
        layout: Layout::new("Wie keek mee", Some(&session), &req),
        lines: repeats(&page.items)
            .iter()
            .map(|run| view::log_line(run, &creditors, &counsellors))
            .collect(),
        next: page.next,
    };
    html(&view, None, &req)
}
