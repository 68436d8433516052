//! Cursor pagination: `?na={cursor}&aantal={n}`; each page names the cursor of the next.

use serde::Deserialize;
use utoipa::IntoParams;

use super::error::ApiError;
use crate::domain::validation::FieldIssue;

pub const DEFAULT_PAGE_SIZE: usize = 50;
pub const MAX_PAGE_SIZE: usize = 200;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Ga verder na deze cursor: de waarde `volgende` van de vorige pagina.
    na: Option<String>,
    /// Aantal resultaten per pagina, 1 tot en met 200; standaard 50.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    aantal: Option<String>,
}

impl PageQuery {
    /// The cursor, read with `cursor`, and the page size; all problems reported together.
    pub fn read<C>(
        &self,
        cursor: impl Fn(&str) -> Option<C>,
    ) -> Result<(Option<C>, usize), ApiError> {
        let mut issues = Vec::new();
        let after = match &self.na {
            None => None,
            Some(text) => {
                let parsed = cursor(text);
                if parsed.is_none() {
                    issues.push(FieldIssue::new(
                        "na",
                        "ongeldige_cursor",
                        "is geen cursor die deze API heeft gegeven",
                    ));
                }
                parsed
            }
        };
        let size = match &self.aantal {
            None => DEFAULT_PAGE_SIZE,
            Some(text) => match text.parse::<usize>() {
                Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => n,
                _ => {
                    issues.push(FieldIssue::new(
                        "aantal",
                        "buiten_bereik",
                        format!("moet een geheel getal van 1 tot en met {MAX_PAGE_SIZE} zijn"),
                    ));
                    DEFAULT_PAGE_SIZE
                }
            },
        };
        if issues.is_empty() {
            Ok((after, size))
        } else {
            Err(ApiError::invalid(issues))
        }
    }
}
