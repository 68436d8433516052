//! Pages for everyone: what the service is (and is not), and the calculator of the beslagvrije
//! voet with every step explained.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::{Field, Layout, check_csrf, household_fields, html, html_status};
use crate::domain::overview::Addressee;
use crate::service::{ServiceError, creditors, norms};
use crate::web::error::PageError;
use crate::web::form::{self, Errors, FormData};
use crate::web::view::{self, CreditorLine, NormView};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home))
        .route("/normberekening", web::get().to(calculator))
        .route("/normberekening", web::post().to(calculate));
}

#[derive(Template)]
#[template(path = "start.html")]
struct Home {
    layout: Layout,
    connected: Vec<CreditorLine>,
    not_connected: Vec<CreditorLine>,
    scope: &'static str,
}

async fn home(req: HttpRequest) -> Result<HttpResponse, PageError> {
    let state = super::state(&req)?;
    let session = super::session(&req).await?;
    let registry = state.services.read(|uow| Ok(creditors::list(uow))).await?;
    let today = state.services.now().today;
    let (connected, not_connected): (Vec<_>, Vec<_>) = registry
        .iter()
        .map(|c| view::creditor_line(c, today))
        .partition(|c| c.connected);
    let page = Home {
        layout: Layout::new(
            "Uw schulden bij de overheid op één plek",
            session.as_ref(),
            &req,
        ),
        connected,
        not_connected,
        scope: view::SCOPE,
    };
    html(&page, None, &req)
}

#[derive(Template)]
#[template(path = "normberekening.html")]
struct Calculator {
    layout: Layout,
    csrf: String,
    fields: Vec<Field>,
    invalid: bool,
    problems: Vec<String>,
    result: Option<NormView>,
}

async fn calculator(req: HttpRequest) -> Result<HttpResponse, PageError> {
    let session = super::session_or_new(&req).await?;
    let page = Calculator {
        layout: Layout::new("Beslagvrije voet berekenen", Some(&session), &req),
        csrf: session.csrf().to_owned(),
        fields: household_fields(
            &FormData::default(),
            &Errors::default(),
            true,
            Addressee::Person,
        ),
        invalid: false,
        problems: Vec::new(),
        result: None,
    };
    html(&page, Some(&session), &req)
}

/// Computing is a question, not a change: the answer is shown at once, nothing is stored.
async fn calculate(
    req: HttpRequest,
    posted: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let state = super::state(&req)?;
    let form = FormData::new(posted.into_inner());
    let session = super::session(&req).await?.ok_or_else(PageError::csrf)?;
    check_csrf(&session, &form)?;
    super::limit_public(&state, &req)?;
    let today = state.services.now().today;
    let outcome = match form::household(&form, None, today) {
        Ok(input) => {
            match state
                .services
                .read(move |uow| norms::compute(uow, &input))
                .await
            {
                Ok(result) => Ok(view::norm(&result, Addressee::Person)),
                Err(ServiceError::Invalid(issues)) => Err(Errors(issues)),
                Err(other) => return Err(other.into()),
            }
        }
        Err(errors) => Err(errors),
    };
    let (status, result, errors) = match outcome {
        Ok(result) => (StatusCode::OK, Some(result), Errors::default()),
        Err(errors) => (StatusCode::BAD_REQUEST, None, errors),
    };
    let fields = household_fields(&form, &errors, true, Addressee::Person);
    let page = Calculator {
        layout: Layout::new("Beslagvrije voet berekenen", Some(&session), &req)
            .refused(!errors.is_empty()),
        csrf: session.csrf().to_owned(),
        problems: super::other_problems(&errors, &fields),
        fields,
        invalid: !errors.is_empty(),
        result,
    };
    html_status(status, &page, None, &req)
}
