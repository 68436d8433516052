//! The codes a problem's `invalidParams` carry are a contract a client acts on: every one the
//! API can give is listed in `docs/architecture.md`.

use std::path::Path;

use regex::Regex;

/// The `.rs` files under `dir`, recursively.
fn sources(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a source directory") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn every_code_in_invalid_params_is_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = std::fs::read_to_string(root.join("docs/architecture.md")).expect("the docs");
    let table = docs
        .split("### The codes in `invalidParams`")
        .nth(1)
        .expect("the section on the codes");
    // A literal code as the second argument of `FieldIssue::new`, wherever the call is wrapped.
    let issue = Regex::new(r#"FieldIssue::new\(\s*[^;]*?,\s*"([a-z_]+)"\s*,"#).expect("a regex");
    let mut files = Vec::new();
    // The pages' own codes never reach the API.
    sources(&root.join("src"), &mut files);
    files.retain(|f| !f.starts_with(root.join("src/web")));
    let mut undocumented = std::collections::BTreeSet::new();
    let mut seen = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a source file");
        for code in issue.captures_iter(&text).map(|c| c[1].to_owned()) {
            seen += 1;
            if !table.contains(&format!("`{code}`")) {
                undocumented.insert(code);
            }
        }
    }
    assert!(seen > 50, "the scan found the calls ({seen})");
    assert!(
        undocumented.is_empty(),
        "not in docs/architecture.md: {undocumented:?}"
    );
}
