//! Structured logs with `tracing`, on standard error (standard output is for what a command
//! prints: the OpenAPI document, a token). JSON lines when standard error is not a terminal,
//! coloured text only on a terminal: a log file never holds colour codes. The level comes from
//! `RUST_LOG` (default `info`).

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One JSON object per line: timestamp, level, message, the event's fields and those of the
    /// request span it happened in.
    Json,
    Text,
}

/// Installs the process's logger. A second initialisation keeps the first.
pub fn init(format: Option<LogFormat>) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let terminal = std::io::stderr().is_terminal();
    let format = format.unwrap_or(if terminal {
        LogFormat::Text
    } else {
        LogFormat::Json
    });
    let _ = install(format, filter, std::io::stderr, terminal);
}

/// Installs a logger writing `format` to `writer`; `colour` only applies to text. Tests install
/// the same one with a writer of their own.
pub fn install<W>(
    format: LogFormat,
    filter: EnvFilter,
    writer: W,
    colour: bool,
) -> Result<(), tracing_subscriber::util::TryInitError>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    use tracing_subscriber::util::SubscriberInitExt;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_target(false);
    match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .finish()
            .try_init(),
        LogFormat::Text => builder.with_ansi(colour).finish().try_init(),
    }
}
