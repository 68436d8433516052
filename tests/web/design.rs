//! The NL Design System look: the committed design tokens are exactly what the script generates
//! from the locked package, and the stylesheet uses only tokens that exist.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_committed_design_tokens_are_what_the_script_generates_from_the_locked_package() {
    let output = Command::new("node")
        .arg("ops/generate-design-tokens")
        .arg("--check")
        .current_dir(root())
        .output()
        .expect("node must be installed to check the design tokens");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn names(css: &str, pattern: &str) -> BTreeSet<String> {
    css.match_indices(pattern)
        .map(|(at, _)| {
            css[at + pattern.len() - 2..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect()
        })
        .collect()
}

#[test]
fn every_token_the_stylesheet_uses_without_a_fallback_is_defined() {
    let tokens = std::fs::read_to_string(root().join("assets/design-tokens.css")).unwrap();
    let stylesheet = std::fs::read_to_string(root().join("assets/rijksincasso.css")).unwrap();
    let defined: BTreeSet<String> = tokens
        .lines()
        .filter_map(|l| l.trim().split_once(':'))
        .map(|(name, _)| name.to_owned())
        .filter(|n| n.starts_with("--"))
        .collect();
    let used = names(&stylesheet, "var(--");
    let with_fallback: BTreeSet<String> = stylesheet
        .match_indices("var(--")
        .filter(|(at, _)| {
            let rest = &stylesheet[at + 4..];
            let end = rest.find(')').unwrap_or(rest.len());
            rest[..end].contains(',')
        })
        .map(|(at, _)| {
            stylesheet[at + 4..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect()
        })
        .collect();
    let missing: Vec<&String> = used
        .iter()
        .filter(|u| !defined.contains(*u) && !with_fallback.contains(*u))
        .collect();
    assert!(used.len() > 50, "the scan found the stylesheet's tokens");
    assert!(missing.is_empty(), "undefined tokens: {missing:?}");
}

#[test]
fn the_binary_serves_the_committed_stylesheets() {
    let tokens = std::fs::read_to_string(root().join("assets/design-tokens.css")).unwrap();
    assert_eq!(rijksincasso::web::DESIGN_TOKENS, tokens);
    assert!(
        !rijksincasso::web::STYLESHEET.contains("@import"),
        "nothing is fetched at run time"
    );
}
