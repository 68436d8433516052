//! The pages and what they share: the layout, the session of a request, rendering, redirects.

pub mod citizen;
pub mod confirmation;
pub mod counsellor;
pub mod debt_help;
pub mod login;
pub mod public;
pub mod shared;

use std::net::IpAddr;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use askama::Template;

use super::error::PageError;
use super::form::FormData;
use super::session::{CSRF_FIELD, Session, Store};
use super::settings::FooterLinks;
use crate::api::{ApiError, AppState};
use crate::domain::caller::Caller;
use crate::domain::overview::Addressee;
use crate::domain::validation::FieldIssue;
use crate::rate_limit::{KeyedLimiter, client_key};
use crate::service::ServiceError;

pub fn routes(cfg: &mut web::ServiceConfig) {
    public::routes(cfg);
    login::routes(cfg);
    citizen::routes(cfg);
    counsellor::routes(cfg);
}

/// What every page shows around its content.
#[derive(Clone)]
pub struct Layout {
    pub title: String,
    /// burger, schuldhulpverlener or empty for a visitor.
    pub role: &'static str,
    /// For the logout form.
    pub csrf: String,
    /// The address of the page shown, whose menu item is marked as the current page.
    pub path: String,
    /// The operator's pages the footer links to.
    pub footer: FooterLinks,
}

/// One item of the main menu.
pub struct MenuItem {
    pub href: &'static str,
    pub label: &'static str,
    /// The page shown: `aria-current="page"` (WCAG 2.4.8), and marked so for the eye too.
    pub current: bool,
}

impl Layout {
    /// A page for anyone, without the session's menu.
    pub fn plain(title: &str) -> Layout {
        Layout {
            title: title.to_owned(),
            role: "",
            csrf: String::new(),
            path: String::new(),
            footer: FooterLinks::default(),
        }
    }

    /// The page answering `req`, with the menu of the `session`'s role.
    pub fn new(title: &str, session: Option<&Session>, req: &HttpRequest) -> Layout {
        let role = match session.and_then(Session::caller) {
            Some(Caller::Citizen { .. }) => "burger",
            Some(Caller::Counsellor { .. }) => "schuldhulpverlener",
            _ => "",
        };
        Layout {
            title: title.to_owned(),
            role,
            csrf: session.map(|s| s.csrf().to_owned()).unwrap_or_default(),
            path: req.path().to_owned(),
            footer: state(req)
                .map(|s| s.web.config.footer.clone())
                .unwrap_or_default(),
        }
    }

    /// The main menu for the role.
    pub fn menu(&self) -> Vec<MenuItem> {
        let items: &[(&'static str, &'static str)] = match self.role {
            "burger" => &[
                ("/mijn", "Mijn overzicht"),
                ("/mijn/voorstel", "Betalingsregeling"),
                ("/mijn/regelingen", "Mijn regelingen"),
                ("/mijn/machtigingen", "Machtigingen"),
                ("/mijn/inzagelog", "Wie keek mee"),
            ],
            "schuldhulpverlener" => &[
                ("/schuldhulp", "Mijn cliënten"),
                ("/schuldhulp/meldingen", "Meldingen"),
                ("/normberekening", "Beslagvrije voet berekenen"),
            ],
            _ => &[
                ("/normberekening", "Beslagvrije voet berekenen"),
                ("/inloggen", "Inloggen"),
            ],
        };
        items
            .iter()
            .map(|&(href, label)| MenuItem {
                href,
                label,
                current: self.path == href,
            })
            .collect()
    }

    pub fn logged_in(&self) -> bool {
        !self.role.is_empty()
    }

    /// A form refused with problems: the title says so first, as the first thing a screen
    /// reader announces (WCAG 2.4.2, 3.3.1).
    pub fn refused(self, refused: bool) -> Layout {
        if refused {
            Layout {
                title: format!("Fout: {}", self.title),
                ..self
            }
        } else {
            self
        }
    }
}

impl From<ApiError> for PageError {
    fn from(error: ApiError) -> PageError {
        PageError::Problem(error.problem())
    }
}

pub fn state(req: &HttpRequest) -> Result<web::Data<AppState>, PageError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| PageError::Problem(ApiError::internal().problem()))
}

pub fn sessions(state: &AppState) -> Store {
    Store {
        db: state.services.db.clone(),
        lifetimes: super::session::Lifetimes {
            idle: state.web.config.idle_timeout,
            absolute: state.web.config.absolute_timeout,
        },
        secure: state.web.secure_cookies,
    }
}

/// Now, by the services' clock, as stored.
pub fn now(state: &AppState) -> chrono::NaiveDateTime {
    state.services.now().utc
}

/// The request's session, if live.
pub async fn session(req: &HttpRequest) -> Result<Option<Session>, PageError> {
    let state = state(req)?;
    let session = sessions(&state).load(req, now(&state)).await?;
    if let Some(session) = &session {
        keep_menu(req, session);
    }
    Ok(session)
}

/// Keeps the menu of the request's session with the request, so that an error page answering
/// it shows the person the menu every other page does (`super::page_headers`).
fn keep_menu(req: &HttpRequest, session: &Session) {
    let menu = Layout::new("", Some(session), req);
    req.extensions_mut().insert(menu);
}

/// The menu for an error page answering `req`: the one its page kept, or, for an error raised
/// before a page loaded its session (an unknown address, an id that cannot be read), the menu of
/// the session its cookie names. None for a visitor, or when the session cannot be read.
pub async fn menu_for_error(req: &HttpRequest) -> Option<Layout> {
    let kept = req.extensions().get::<Layout>().cloned();
    let menu = match kept {
        Some(menu) => menu,
        None => Layout::new("", session(req).await.ok()?.as_ref(), req),
    };
    Some(menu).filter(Layout::logged_in)
}

/// The request's session, or a new visitor's (for a form's CSRF token). A new one is stored, so
/// starting them counts against the client's quota of public requests, as the calculator does.
pub async fn session_or_new(req: &HttpRequest) -> Result<Session, PageError> {
    let state = state(req)?;
    let sessions = sessions(&state);
    let now = now(&state);
    if let Some(session) = sessions.load(req, now).await? {
        keep_menu(req, &session);
        return Ok(session);
    }
    limit_public(&state, req)?;
    Ok(sessions.start(now, |_| {}).await?)
}

/// The per-client limit of the public API endpoints, for the pages anyone may use.
pub fn limit_public(state: &AppState, req: &HttpRequest) -> Result<(), PageError> {
    within(
        &state.public_limiter,
        "een pagina geopend of een berekening gemaakt",
        state,
        req,
    )
}

/// A 429 page when the request's client has used up its quota of `limiter`; `attempted` says
/// what it did too often.
pub fn within(
    limiter: &KeyedLimiter<IpAddr>,
    attempted: &str,
    state: &AppState,
    req: &HttpRequest,
) -> Result<(), PageError> {
    limiter
        .check(&client_key(req, &state.trusted_proxies))
        .map_err(|too_many| PageError::too_many(attempted, too_many.retry_after.as_secs().max(1)))
}

/// The logged-in caller, or to the login page.
pub async fn logged_in(req: &HttpRequest) -> Result<(Session, Caller), PageError> {
    let session = session(req).await?.ok_or_else(|| {
        if had_session(req) {
            PageError::SessionLapsed
        } else {
            PageError::LoginRequired
        }
    })?;
    let caller = session.caller().ok_or(PageError::LoginRequired)?;
    Ok((session, caller))
}

/// Whether the request carries a session cookie, though no live session answers to it.
fn had_session(req: &HttpRequest) -> bool {
    let secure = state(req).is_ok_and(|s| s.web.secure_cookies);
    super::session::cookie_value(req, secure).is_some()
}

/// Refuses a form without this session's CSRF token.
pub fn check_csrf(session: &Session, form: &FormData) -> Result<(), PageError> {
    if session.csrf_matches(form.text(CSRF_FIELD)) {
        Ok(())
    } else {
        Err(PageError::csrf())
    }
}

/// A posted form and the logged-in caller, the CSRF token checked.
pub async fn posted(
    req: &HttpRequest,
    form: web::Form<Vec<(String, String)>>,
) -> Result<(Session, Caller, FormData), PageError> {
    let form = FormData::new(form.into_inner());
    let session = session(req).await?;
    // Without a session there is no token to match: the form is refused. One sent with the
    // cookie of a session that has ended was the person's own, left too long: they are asked
    // to log in again; without any, it is forged or stale.
    let session = session.ok_or_else(|| {
        if had_session(req) {
            PageError::session_ended()
        } else {
            PageError::csrf()
        }
    })?;
    check_csrf(&session, &form)?;
    let caller = session.caller().ok_or(PageError::LoginRequired)?;
    Ok((session, caller, form))
}

/// A page, with the cookie of a session that was just started.
pub fn html(
    template: &impl Template,
    session: Option<&Session>,
    req: &HttpRequest,
) -> Result<HttpResponse, PageError> {
    html_status(actix_web::http::StatusCode::OK, template, session, req)
}

pub fn html_status(
    status: actix_web::http::StatusCode,
    template: &impl Template,
    session: Option<&Session>,
    req: &HttpRequest,
) -> Result<HttpResponse, PageError> {
    let body = template.render().map_err(|e| {
        tracing::error!(error = %e, "page did not render");
        PageError::Problem(ApiError::internal().problem())
    })?;
    let mut response = HttpResponse::build(status);
    response.insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"));
    if let (Some(session), Ok(state)) = (session, state(req))
        && let Some(cookie) = sessions(&state).cookie_header(session)
    {
        response.insert_header(cookie);
    }
    Ok(response.body(body))
}

/// After a change: to the page that shows it (POST-redirect-GET).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_owned()))
        .finish()
}

/// One form field as NL Design System markup: label, description, error message, control.
#[derive(Template)]
#[template(path = "veld.html")]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub value: String,
    pub error: Option<String>,
    /// text, amount (text with a keyboard for numbers), date, radio, checkbox or select.
    pub kind: &'static str,
    pub options: Vec<(String, String)>,
    pub autocomplete: &'static str,
}

impl Field {
    pub fn new(kind: &'static str, name: &'static str, label: &'static str) -> Field {
        Field {
            name,
            label,
            hint: "",
            value: String::new(),
            error: None,
            kind,
            options: Vec::new(),
            autocomplete: "",
        }
    }

    pub fn hint(mut self, hint: &'static str) -> Field {
        self.hint = hint;
        self
    }

    pub fn options(mut self, options: &[(&str, &str)]) -> Field {
        self.options = options
            .iter()
            .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
            .collect();
        self
    }

    pub fn autocomplete(mut self, value: &'static str) -> Field {
        self.autocomplete = value;
        self
    }

    /// Filled in with what was posted, and its problems.
    pub fn from(mut self, form: &FormData, errors: &super::form::Errors) -> Field {
        self.value = form.value(self.name);
        self.error = errors.of(self.name);
        self
    }
}

/// The household and income fields of the calculator and of a proposal (which has no
/// peildatum: it uses the norm on its first due date).
pub fn household_fields(
    form: &FormData,
    errors: &super::form::Errors,
    with_peildatum: bool,
    addressee: Addressee,
) -> Vec<Field> {
    use crate::domain::beslagvrije_voet::field as f;
    let say = |person, counsellor| addressee.say(person, counsellor);
    let mut fields = vec![
        Field::new(
            "radio",
            f::LEEFVORM,
            say("Wat is uw leefsituatie?", "Wat is de leefsituatie van uw cliënt?"),
        )
        // The legal terms: art. 3 and 4 lid 1 Participatiewet, to which art. 475ab Rv refers.
        .hint(say(
            "Kinderen tellen mee als ze jonger zijn dan 18 en er kinderbijslag voor is. Woont u bij een \
             ouder of met een kind van 18 of ouder, dan telt dat niet als samenwonen.",
            "Kinderen tellen mee als ze jonger zijn dan 18 en er kinderbijslag voor is. Woont uw cliënt \
             bij een ouder of met een kind van 18 of ouder, dan telt dat niet als samenwonen.",
        ))
        .options(&[
            (
                "ALLEENSTAANDE",
                say(
                    "Ik heb geen partner en geen kinderen (alleenstaand)",
                    "Heeft geen partner en geen kinderen (alleenstaand)",
                ),
            ),
            (
                "ALLEENSTAANDE_OUDER",
                say(
                    "Ik heb geen partner en zorg voor mijn kind of kinderen (alleenstaande ouder)",
                    "Heeft geen partner en zorgt voor kind of kinderen (alleenstaande ouder)",
                ),
            ),
            (
                "GEHUWD_OF_SAMENWONEND",
                say(
                    "Ik ben getrouwd of geregistreerd partner, of woon samen met een partner",
                    "Is getrouwd of geregistreerd partner, of woont samen met een partner",
                ),
            ),
        ]),
        Field::new(
            "radio",
            f::KINDEREN,
            say(
                "Heeft u kinderen jonger dan 18 voor wie kinderbijslag is?",
                "Heeft uw cliënt kinderen jonger dan 18 voor wie kinderbijslag is?",
            ),
        )
        .hint(say(
            "Alleen nodig als u getrouwd bent of samenwoont.",
            "Alleen nodig als uw cliënt getrouwd is of samenwoont.",
        ))
        .options(&[("ja", "Ja"), ("nee", "Nee"), ("", "Niet van toepassing")]),
        Field::new("amount", f::NETTO_INKOMEN, "Netto-inkomen per maand").hint(say(
            "Wat u elke maand op uw rekening krijgt, zonder toeslagen, met het vakantiegeld verdeeld over \
             twaalf maanden. Bijvoorbeeld 1.850,00.",
            "Wat uw cliënt elke maand op de rekening krijgt, zonder toeslagen, met het vakantiegeld \
             verdeeld over twaalf maanden. Bijvoorbeeld 1.850,00.",
        )),
        Field::new(
            "amount",
            f::BELASTBAAR_JAARINKOMEN,
            say(
                "Belastbaar inkomen per jaar (van u en uw partner)",
                "Belastbaar inkomen per jaar (van uw cliënt en de partner)",
            ),
        )
        .hint(say(
            "Het inkomen waarover u belasting betaalt, omgerekend naar een jaar. Reken met uw inkomen van \
             nu: de jaaropgave gaat over vorig jaar. Meestal nodig als uw netto-inkomen hoger is dan de \
             bijstandsnorm.",
            "Het inkomen waarover belasting wordt betaald, omgerekend naar een jaar. Reken met het inkomen \
             van nu: de jaaropgave gaat over vorig jaar. Meestal nodig als het netto-inkomen hoger is dan \
             de bijstandsnorm.",
        )),
        // What art. 475ab Rv counts as woonkosten.
        Field::new("amount", f::WOONKOSTEN, "Woonkosten per maand").hint(
            "Huur: de kale huur, zoals voor de huurtoeslag. Eigen woning: hypotheekrente, erfpacht en andere \
             kosten van de woning; die andere kosten tellen mee tot 0,057% van de WOZ-waarde per maand.",
        ),
        Field::new(
            "checkbox",
            f::WOONKOSTENCORRECTIE,
            say(
                "Ik vraag de verhoging bij hoge woonkosten",
                "Mijn cliënt vraagt de verhoging bij hoge woonkosten",
            ),
        )
        .hint(say(
            "Zijn uw woonkosten minstens 10% hoger dan de maximale huurgrens van de huurtoeslag, dan mag u \
             meer overhouden (artikel 475da, vijfde lid, Rv).",
            "Zijn de woonkosten minstens 10% hoger dan de maximale huurgrens van de huurtoeslag, dan mag uw \
             cliënt meer overhouden (artikel 475da, vijfde lid, Rv).",
        )),
        Field::new(
            "amount",
            f::PARTNER_INKOMEN,
            say(
                "Inkomen van uw partner per maand",
                "Inkomen van de partner per maand",
            ),
        )
        .hint(say(
            "Alleen als u getrouwd bent of samenwoont: wat uw partner netto krijgt en waarop geen beslag \
             ligt, met het vakantiegeld verdeeld over twaalf maanden (artikel 475db Rv).",
            "Alleen als uw cliënt getrouwd is of samenwoont: wat de partner netto krijgt en waarop geen \
             beslag ligt, met het vakantiegeld verdeeld over twaalf maanden (artikel 475db Rv).",
        )),
    ];
    if with_peildatum {
        fields.push(
            Field::new("text", f::PEILDATUM, "Voor welke datum wilt u rekenen?")
                .hint("Laat leeg voor vandaag. Bijvoorbeeld 1-7-2026."),
        );
    }
    fields
        .into_iter()
        .map(|field| field.from(form, errors))
        .collect()
}

/// The problems on none of `fields`, for the summary above the form; a problem on a field is
/// shown beside it, so a problem on a field the form does not show (a proposal has no
/// peildatum) still reaches the summary.
pub fn other_problems(errors: &super::form::Errors, fields: &[Field]) -> Vec<String> {
    let shown: Vec<&str> = fields.iter().map(|f| f.name).collect();
    errors.other(&shown)
}

/// A refusal the form can show beside itself (invalid input, a conflict, an action this caller
/// may not take) as its status code and problems; anything else (not found) is an error page.
pub fn form_problem(error: ServiceError) -> Result<(StatusCode, Vec<FieldIssue>), PageError> {
    match error {
        ServiceError::Invalid(issues) => Ok((StatusCode::BAD_REQUEST, issues)),
        ServiceError::Forbidden(detail) => Ok((
            StatusCode::FORBIDDEN,
            vec![FieldIssue::new("", "geen_toegang", detail)],
        )),
        ServiceError::Conflict { detail, mut issues } => {
            issues.insert(0, FieldIssue::new("", "conflict", detail));
            Ok((StatusCode::CONFLICT, issues))
        }
        other => Err(other.into()),
    }
}
