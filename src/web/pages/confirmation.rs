//! The confirmation a page shows after a change that redirected to it (post, redirect, get), by
//! the code and the record id in the address. Only fixed texts and what the page itself read are
//! shown, nothing of the address, and only where the page's own data confirms it: a link made up
//! to confirm what did not happen shows nothing.

use actix_web::{HttpRequest, web};

use super::counsellor::ClientView;
use super::shared::Subject;
use crate::domain::schuldhulptraject::Trajectory;
use crate::web::view::{AttachmentView, DeclaredView, MandateView, RegelingView, Standing};

/// What a change names in the address it redirects to.
#[derive(serde::Deserialize)]
struct Done {
    gelukt: Option<String>,
    id: Option<String>,
}

fn done(req: &HttpRequest) -> Option<(String, Option<String>)> {
    let done = web::Query::<Done>::from_query(req.query_string())
        .ok()?
        .into_inner();
    Some((done.gelukt?, done.id))
}

/// The address to see `path` with the confirmation of `code` (for record `id`), at `anchor`.
pub fn address(path: &str, code: &str, id: Option<&str>, anchor: &str) -> String {
    match id {
        Some(id) => format!("{path}?gelukt={code}&id={id}#{anchor}"),
        None => format!("{path}?gelukt={code}#{anchor}"),
    }
}

/// After a counsellor's change of a trajectory: on a counsellor's page (only counsellors change
/// trajectories there), a trajectory registered or changed while one runs, one ended while none
/// does.
pub fn trajectory(
    req: &HttpRequest,
    subject: &Subject,
    running: Option<&Trajectory>,
) -> Option<String> {
    if subject.own() {
        return None;
    }
    let (code, _) = done(req)?;
    let text = match (code.as_str(), running.is_some()) {
        ("traject-geregistreerd", true) => {
            "Het schuldhulptraject is geregistreerd. De schuldeisers met een openstaande vordering hebben bericht gekregen."
        }
        ("fase-gewijzigd", true) => {
            "De fase is gewijzigd. De schuldeisers hebben bericht gekregen."
        }
        ("uitspraakdatum-vastgelegd", true) => {
            "De uitspraakdatum is vastgelegd. De schuldeisers hebben bericht gekregen."
        }
        ("fase-ongewijzigd", true) => {
            "Er is niets veranderd: het traject had deze fase en uitspraakdatum al. Niemand heeft bericht gekregen."
        }
        ("traject-beeindigd", false) => {
            "Het schuldhulptraject is beëindigd. De schuldeisers hebben daarvan bericht gekregen."
        }
        _ => return None,
    };
    Some(text.to_owned())
}

/// What a declaration's code says was done to it, as a confirmation begins.
fn done_word(code: &str) -> &'static str {
    if code.ends_with("-ongewijzigd") {
        "Niets gewijzigd, dit stond al zo vast"
    } else if code.ends_with("-gewijzigd") {
        "Gewijzigd"
    } else {
        "Opgegeven"
    }
}

/// After declaring, correcting or ending an attachment or another arrangement: the record named,
/// among those the overview lists, in the words of its row.
pub fn declaration(
    req: &HttpRequest,
    attachments: &[AttachmentView],
    declared: &[DeclaredView],
) -> Option<String> {
    let (code, id) = done(req)?;
    let id = id?;
    // Only an attachment the person or their counsellor declared can have been declared or
    // ended on these pages: an address naming an agency's own says nothing.
    // Saving what already stood is refused once it has ended: no such confirmation then.
    let unchanged = code.ends_with("-ongewijzigd");
    let attachment = || {
        attachments.iter().find(|a| {
            a.id == id && a.declared.is_some() && !(unchanged && a.standing == Standing::Ended)
        })
    };
    let arrangement = || {
        declared
            .iter()
            .find(|d| d.id == id && !(unchanged && d.standing == Standing::Ended))
    };
    // What was declared counts from its start through its last day; once that has passed, the
    // record stays listed but no longer counts.
    let counts = |pronoun: &str, standing: Standing| match standing {
        Standing::Ended => {
            format!("{pronoun} staat hieronder, maar is al afgelopen en telt dus niet meer mee.")
        }
        Standing::Open | Standing::Ends => format!("{pronoun} staat hieronder en telt mee."),
    };
    let runs = |standing: Standing| match standing {
        Standing::Ended => Some("liep"),
        Standing::Ends => Some("loopt"),
        Standing::Open => None,
    };
    match code.as_str() {
        "beslag-opgegeven" | "beslag-gewijzigd" | "beslag-ongewijzigd" => attachment().map(|a| {
            format!(
                "{}: beslag van {} op {}, {} per maand, {}. {}",
                done_word(&code),
                a.party,
                a.income_source,
                a.monthly,
                a.period,
                counts("Het", a.standing)
            )
        }),
        "regeling-opgegeven" | "regeling-gewijzigd" | "regeling-ongewijzigd" => {
            arrangement().map(|d| {
                format!(
                    "{}: regeling met {}, {} per maand, {}. {}",
                    done_word(&code),
                    d.party,
                    d.monthly,
                    d.period,
                    counts("Zij", d.standing)
                )
            })
        }
        "beslag-beeindigd" => attachment().and_then(|a| {
            runs(a.standing).map(|runs| {
                format!(
                    "Beëindigd: het beslag van {} op {} {runs} {}.",
                    a.party, a.income_source, a.period
                )
            })
        }),
        "regeling-beeindigd" => arrangement().and_then(|d| {
            runs(d.standing).map(|runs| {
                format!(
                    "Beëindigd: de regeling met {} {runs} {}.",
                    d.party, d.period
                )
            })
        }),
        _ => None,
    }
}

/// After granting or revoking a mandate: the mandate named, among the person's, in that state.
pub fn mandate(req: &HttpRequest, mandates: &[MandateView]) -> Option<String> {
    let (code, id) = done(req)?;
    let m = mandates.iter().find(|m| Some(&m.id) == id.as_ref())?;
    match code.as_str() {
        "gemachtigd" if m.revocable => Some(format!(
            "U heeft {} gemachtigd, van {} tot en met {}.",
            m.counsellor, m.valid_from, m.valid_until
        )),
        "ingetrokken" if m.revoked => Some(format!(
            "De machtiging van {} is ingetrokken. Die organisatie kan vanaf nu niets meer namens u zien of doen.",
            m.counsellor
        )),
        _ => None,
    }
}

/// After a counsellor set its dossier reference for a client: the client named, with it.
pub fn reference(req: &HttpRequest, clients: &[ClientView]) -> Option<String> {
    let (code, id) = done(req)?;
    let client = clients.iter().find(|c| Some(&c.mandate) == id.as_ref())?;
    match (code.as_str(), &client.reference) {
        ("kenmerk-vastgelegd", Some(reference)) => Some(format!(
            "Uw dossierkenmerk {reference} is vastgelegd. U vindt de cliënt in de lijst hieronder."
        )),
        _ => None,
    }
}

/// After accepting a proposal or stopping an arrangement, on the arrangement's page: what now,
/// where the arrangement is in that state.
pub fn arrangement(req: &HttpRequest, r: &RegelingView) -> Option<String> {
    let (code, _) = done(req)?;
    let (accepted, client) = if r.own {
        ("U heeft het voorstel aangenomen", "uw")
    } else {
        ("U heeft het voorstel namens uw cliënt aangenomen", "de")
    };
    match code.as_str() {
        "regeling-gestart" if r.running => Some(format!(
            "{accepted}: de Betalingsregeling Rijk loopt. De eerste betaling aan {} is uiterlijk \
             {}. De organisaties hebben bericht gekregen en stoppen hun eigen invordering van {client} \
             schulden in deze regeling.",
            r.coordinator, r.schedule.first_due
        )),
        "regeling-gestopt" if !r.running => Some(
            "De regeling is gestopt. De organisaties in de regeling hebben daarvan bericht \
             gekregen."
                .to_owned(),
        ),
        _ => None,
    }
}
