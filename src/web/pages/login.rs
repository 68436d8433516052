//! Logging in and out. With an OpenID provider configured: the authorization code flow with
//! PKCE (see `web::oidc`). Without one: a development login, clearly marked, that takes a BSN or
//! a counsellor organisation from the registry; refused in production mode. Every login starts a
//! new session (the old one is removed), and login attempts are limited per client address.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{Field, Layout, check_csrf, html, html_status, see_other};
use crate::api::AppState;
use crate::config::Convenience;
use crate::domain::bsn::Bsn;
use crate::domain::caller::Caller;
use crate::service::counsellors;
use crate::store::sessions::SessionRow;
use crate::web::error::PageError;
use crate::web::form::{Errors, FormData};
use crate::web::oidc::{self, Identity, OidcError, random_token};
use crate::web::session::{self, Session, constant_time};

/// Where the provider sends the browser back to.
pub const CALLBACK_PATH: &str = "/inloggen/oidc/terug";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/inloggen", web::get().to(login_page))
        .route("/inloggen/ontwikkeling", web::post().to(development_login))
        .route("/inloggen/oidc", web::get().to(oidc_start))
        .route(CALLBACK_PATH, web::get().to(oidc_callback))
        .route("/uitloggen", web::post().to(logout))
        .route("/uitgelogd", web::get().to(logged_out));
}

#[derive(Template)]
#[template(path = "inloggen.html")]
struct LoginPage {
    layout: Layout,
    csrf: String,
    oidc: bool,
    development: bool,
    acr: &'static str,
    /// Why sessions end, when the person came here from one that had (`?sessie=verlopen`).
    lapsed: Option<String>,
    invalid: bool,
    problems: Vec<String>,
    fields: Vec<Field>,
    counsellor: Field,
}

fn limit(state: &AppState, req: &HttpRequest) -> Result<(), PageError> {
    super::within(
        &state.web.login_limiter,
        "geprobeerd in te loggen",
        state,
        req,
    )
}

async fn counsellor_options(state: &AppState) -> Result<Vec<(String, String)>, PageError> {
    let registry = state
        .services
        .read(|uow| Ok(counsellors::list(uow)))
        .await?;
    Ok(registry.into_iter().map(|c| (c.id, c.name)).collect())
}

async fn render_login(
    req: &HttpRequest,
    session: &Session,
    errors: &Errors,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let state = super::state(req)?;
    let development = state.web.mode.permit(Convenience::DevelopmentLogin).is_ok();
    let mut counsellor = Field::new(
        "select",
        "organisatie",
        "Organisatie voor schuldhulpverlening",
    );
    counsellor.options = counsellor_options(&state).await?;
    let bsn = Field::new("text", "burgerservicenummer", "Burgerservicenummer")
        .hint("Negen cijfers. Alleen voor ontwikkeling en testen: gebruik nooit een echt burgerservicenummer.")
        .autocomplete("off");
    let page = LoginPage {
        layout: Layout::new("Inloggen", None, req).refused(!errors.is_empty()),
        csrf: session.csrf().to_owned(),
        oidc: state.web.oidc.is_some(),
        development,
        acr: state
            .web
            .config
            .oidc
            .as_ref()
            .map_or("", |o| oidc::acr::label(&o.acr_minimum)),
        lapsed: lapsed(req).then(|| {
            format!(
                "U bent niet ingelogd, of niet meer: een sessie eindigt vanzelf als u {} niets \
                 doet, en in elk geval na {}, zodat niemand anders met uw gegevens verder kan. \
                 Wat u nog niet had verstuurd, is niet opgeslagen. Log in om verder te gaan.",
                spoken(state.web.config.idle_timeout),
                spoken(state.web.config.absolute_timeout)
            )
        }),
        invalid: !errors.is_empty(),
        problems: Vec::new(),
        fields: vec![Field {
            error: errors.of("burgerservicenummer"),
            ..bsn
        }],
        counsellor: Field {
            error: errors.of("organisatie"),
            ..counsellor
        },
    };
    html_status(status, &page, Some(session), req)
}

/// Whether the login page was reached from a session that had ended (a fixed code: nothing of
/// the address is shown).
fn lapsed(req: &HttpRequest) -> bool {
    #[derive(Deserialize)]
    struct Query {
        sessie: Option<String>,
    }
    web::Query::<Query>::from_query(req.query_string())
        .is_ok_and(|q| q.sessie.as_deref() == Some("verlopen"))
}

/// A session's time limit in words: "15 minuten", "2 uur".
fn spoken(limit: std::time::Duration) -> String {
    let minutes = limit.as_secs() / 60;
    if minutes > 0 && minutes.is_multiple_of(60) {
        format!("{} uur", minutes / 60)
    } else {
        crate::domain::text::counted(minutes, "minuut", "minuten")
    }
}

async fn login_page(req: HttpRequest) -> Result<HttpResponse, PageError> {
    let session = super::session_or_new(&req).await?;
    render_login(&req, &session, &Errors::default(), StatusCode::OK).await
}

/// Ends `old` and starts a logged-in session in its place.
async fn rotate(
    state: &AppState,
    old: &SessionRow,
    fill: impl FnOnce(&mut SessionRow) + Send + 'static,
) -> Result<Session, PageError> {
    let store = super::sessions(state);
    store.end(old).await?;
    Ok(store.start(super::now(state), fill).await?)
}

fn logged_in_redirect(state: &AppState, session: &Session, to: &str) -> HttpResponse {
    let mut response = see_other(to);
    if let Some((name, value)) = super::sessions(state).cookie_header(session) {
        response.headers_mut().insert(name, value);
    }
    response
}

async fn development_login(
    req: HttpRequest,
    posted: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let state = super::state(&req)?;
    if state
        .web
        .mode
        .permit(Convenience::DevelopmentLogin)
        .is_err()
    {
        let mut problem = crate::api::ApiError::for_status(StatusCode::NOT_FOUND).problem();
        problem.detail = "De ontwikkel-login bestaat niet op deze omgeving: hier logt u in met \
                          DigiD of eHerkenning."
            .into();
        return Err(PageError::Problem(problem));
    }
    let form = FormData::new(posted.into_inner());
    let session = super::session(&req).await?.ok_or_else(PageError::csrf)?;
    check_csrf(&session, &form)?;
    limit(&state, &req)?;
    if let Some(organisation) = form.text("organisatie").map(str::to_owned) {
        let known = counsellor_options(&state)
            .await?
            .iter()
            .any(|(id, _)| *id == organisation);
        if !known {
            let errors = Errors(vec![crate::domain::validation::FieldIssue::new(
                "organisatie",
                "onbekend",
                "kies een organisatie uit de lijst",
            )]);
            return render_login(&req, &session, &errors, StatusCode::BAD_REQUEST).await;
        }
        tracing::info!(role = "schuldhulpverlener", "development login");
        let new = rotate(&state, &session.row, move |row| {
            row.role = Some("schuldhulpverlener".into());
            row.organisation = Some(organisation);
        })
        .await?;
        return Ok(logged_in_redirect(&state, &new, "/schuldhulp"));
    }
    let bsn = match form.text("burgerservicenummer").map(Bsn::parse) {
        Some(Ok(bsn)) => bsn,
        other => {
            let reason = match other {
                None => "is verplicht".to_owned(),
                Some(Err(e)) => e.to_string(),
                Some(Ok(_)) => String::new(),
            };
            let errors = Errors(vec![crate::domain::validation::FieldIssue::new(
                "burgerservicenummer",
                "ongeldig",
                reason,
            )]);
            return render_login(&req, &session, &errors, StatusCode::BAD_REQUEST).await;
        }
    };
    let person = state.pseudonymizer.person_id(&bsn);
    tracing::info!(role = "burger", "development login");
    let new = rotate(&state, &session.row, move |row| {
        row.role = Some("burger".into());
        row.person = Some(person.as_str().to_owned());
    })
    .await?;
    Ok(logged_in_redirect(&state, &new, "/mijn"))
}

async fn oidc_start(req: HttpRequest) -> Result<HttpResponse, PageError> {
    let state = super::state(&req)?;
    if state.web.oidc.is_none() {
        return Err(PageError::not_found());
    }
    limit(&state, &req)?;
    let (login_state, nonce, verifier) = (random_token(), random_token(), random_token());
    let store = super::sessions(&state);
    if let Some(old) = super::session(&req).await? {
        // Someone logged in is sent to their pages: following a link from anywhere (a GET,
        // without a CSRF token) must not end their session.
        match old.caller() {
            Some(Caller::Citizen { .. }) => return Ok(see_other("/mijn")),
            Some(Caller::Counsellor { .. }) => return Ok(see_other("/schuldhulp")),
            _ => store.end(&old.row).await?,
        }
    }
    let (s, n, v) = (login_state.clone(), nonce.clone(), verifier.clone());
    let session = store
        .start(super::now(&state), move |row| {
            row.oidc_state = Some(s);
            row.oidc_nonce = Some(n);
            row.oidc_verifier = Some(v);
        })
        .await?;
    let worker = state.clone();
    let url = web::block(move || {
        let client = worker
            .web
            .oidc
            .as_ref()
            .ok_or_else(|| OidcError::Unavailable("off".into()))?;
        client.authorization_url(&login_state, &nonce, &verifier)
    })
    .await?
    .map_err(provider_error)?;
    Ok(logged_in_redirect(&state, &session, &url))
}

#[derive(Deserialize)]
struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

fn provider_error(error: OidcError) -> PageError {
    match error {
        OidcError::Unavailable(reason) => {
            tracing::warn!(%reason, "OpenID provider unavailable");
            PageError::unavailable(
                "Inloggen lukt nu niet: de inlogdienst is niet bereikbaar. Probeer het over enkele \
                 minuten opnieuw.",
            )
        }
        OidcError::Refused(reason) => {
            tracing::info!(%reason, "login refused");
            let mut problem = crate::api::ApiError::unauthorized(
                "Inloggen is niet gelukt. Er is niets opgeslagen. Probeer het opnieuw.",
            )
            .problem();
            problem.status = 401;
            PageError::Problem(problem)
        }
        OidcError::AcrTooLow { actual } => {
            tracing::info!(
                acr = actual.as_deref().unwrap_or("none"),
                "login below the required assurance level"
            );
            PageError::forbidden(format!(
                "U bent ingelogd met {}. Voor Mijn Rijksincasso is een hoger betrouwbaarheidsniveau \
                 nodig, omdat het om uw schulden en uw inkomen gaat. Log opnieuw in, bijvoorbeeld \
                 met de DigiD app met identiteitscheck.",
                actual
                    .as_deref()
                    .map_or("een onbekend niveau", oidc::acr::label)
            ))
        }
    }
}

async fn oidc_callback(req: HttpRequest) -> Result<HttpResponse, PageError> {
    let state = super::state(&req)?;
    if state.web.oidc.is_none() {
        return Err(PageError::not_found());
    }
    let query = web::Query::<Callback>::from_query(req.query_string())
        .map_err(|_| provider_error(OidcError::Refused("unreadable callback".into())))?
        .into_inner();
    let session = super::session(&req)
        .await?
        .ok_or_else(|| provider_error(OidcError::Refused("no login session".into())))?;
    let row = session.row.clone();
    let (Some(expected), Some(nonce), Some(verifier)) = (
        row.oidc_state.clone(),
        row.oidc_nonce.clone(),
        row.oidc_verifier.clone(),
    ) else {
        return Err(provider_error(OidcError::Refused(
            "no login in progress".into(),
        )));
    };
    // One use only: the login's secrets are gone whatever happens next.
    let store = super::sessions(&state);
    store.end(&row).await?;
    if !query
        .state
        .as_deref()
        .is_some_and(|s| constant_time(s, &expected))
    {
        return Err(provider_error(OidcError::Refused("state differs".into())));
    }
    if let Some(error) = query.error {
        return Err(provider_error(OidcError::Refused(format!(
            "provider: {}",
            oidc::error_code(&error)
        ))));
    }
    let code = query
        .code
        .ok_or_else(|| provider_error(OidcError::Refused("no code".into())))?;
    let worker = state.clone();
    let identity = web::block(move || {
        let client = worker
            .web
            .oidc
            .as_ref()
            .ok_or_else(|| OidcError::Unavailable("off".into()))?;
        client.redeem(&code, &verifier, &nonce)
    })
    .await?
    .map_err(provider_error)?;
    let (role, person, organisation, to) = match identity {
        Identity::Citizen(bsn) => {
            let person = state.pseudonymizer.person_id(&bsn);
            ("burger", Some(person.as_str().to_owned()), None, "/mijn")
        }
        Identity::Counsellor(organisation) => (
            "schuldhulpverlener",
            None,
            Some(organisation),
            "/schuldhulp",
        ),
    };
    tracing::info!(role, "login");
    let fill = move |row: &mut SessionRow| {
        row.role = Some(role.to_owned());
        row.person = person;
        row.organisation = organisation;
    };
    let new = store.start(super::now(&state), fill).await?;
    Ok(logged_in_redirect(&state, &new, to))
}

async fn logout(
    req: HttpRequest,
    posted: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let state = super::state(&req)?;
    let form = FormData::new(posted.into_inner());
    let Some(session) = super::session(&req).await? else {
        return Ok(see_other("/uitgelogd"));
    };
    check_csrf(&session, &form)?;
    super::sessions(&state).end(&session.row).await?;
    let mut response = see_other("/uitgelogd");
    if let Ok(value) =
        header::HeaderValue::from_str(&session::clear_cookie(state.web.secure_cookies))
    {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

#[derive(Template)]
#[template(path = "uitgelogd.html")]
struct LoggedOut {
    layout: Layout,
}

async fn logged_out(req: HttpRequest) -> Result<HttpResponse, PageError> {
    html(
        &LoggedOut {
            layout: Layout::plain("U bent uitgelogd"),
        },
        None,
        &req,
    )
}

#[cfg(test)]
mod tests {
    use super::spoken;
    use std::time::Duration;

    #[test]
    fn a_sessions_time_limit_is_said_in_minutes_or_whole_hours() {
        let minutes = |m: u64| spoken(Duration::from_secs(m * 60));
        assert_eq!(minutes(15), "15 minuten");
        assert_eq!(minutes(1), "1 minuut");
        assert_eq!(minutes(120), "2 uur");
        assert_eq!(minutes(90), "90 minuten");
    }
}
