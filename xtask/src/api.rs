//! `cargo xtask api [--check]`: a listing of each public crate's API, checked in under
//! `docs/api/`, so that a change of the public API shows in review as a diff of that file.
//!
//! The listing comes from the crates' sources, parsed with `syn` and printed with
//! `prettyplease`: it works on the stable toolchain and gives the same text on every machine
//! and every day (rustdoc's JSON output needs nightly and changes format between nightlies).
//! [`tree`] reads the module tree and resolves paths, [`listing`] walks what a user can name
//! and lays out the markdown, [`render`] prints each item as a signature. `--check` writes
//! nothing and fails when a committed listing is not what the code gives (`cargo xtask ci`
//! runs it).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use crate::root;

mod listing;
mod render;
mod tree;

#[cfg(test)]
mod tests;

/// The public crates, by directory: one line each.
const CRATES: &[&str] = &[
    "crates/track",
    "crates/transceiver-fsm",
    "crates/sdp",
    "crates/session",
    "crates/rtc",
];

/// Where the listings go, relative to the workspace root: `<package name>.md` per crate.
const DIR: &str = "docs/api";

/// How every listing starts; a file in [`DIR`] that starts so and belongs to no crate of
/// [`CRATES`] is a leftover of a removed crate.
const TITLE: &str = "# Public API of `";

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err(format!("usage: cargo xtask api [--check], not {args:?}")),
    };
    let root = root();
    let dir = root.join(DIR);
    let read = |path: &Path| fs::read_to_string(path).ok();
    let mut stale = Vec::new();
    let mut written = BTreeSet::new();
    for krate in CRATES {
        let package = package_name(&root.join(krate).join("Cargo.toml"))?;
        let parsed = tree::Crate::load(&read, &root.join(krate).join("src/lib.rs"))
            .map_err(|e| format!("api: {e}"))?;
        let doc = listing::markdown(&parsed, &package, krate);
        let file = format!("{package}.md");
        let path = dir.join(&file);
        let current = fs::read_to_string(&path).ok();
        if current.as_deref() != Some(doc.as_str()) {
            if check {
                stale.push(format!("{DIR}/{file}"));
            } else {
                fs::create_dir_all(&dir).map_err(|e| format!("api: {}: {e}", dir.display()))?;
                fs::write(&path, &doc).map_err(|e| format!("api: {}: {e}", path.display()))?;
                eprintln!("xtask api: wrote {DIR}/{file}");
            }
        }
        written.insert(file);
    }
    for file in leftovers(&root.join(DIR), &written)? {
        if check {
            stale.push(format!(
                "{DIR}/{file} (no crate in xtask/src/api.rs CRATES has it)"
            ));
        } else {
            let path = dir.join(&file);
            fs::remove_file(&path).map_err(|e| format!("api: {}: {e}", path.display()))?;
            eprintln!("xtask api: removed {DIR}/{file}, whose crate is not listed");
        }
    }
    if !stale.is_empty() {
        return Err(format!(
            "api: the public API listing is stale: {}\n\
             The public API changed: run `cargo xtask api` and commit the result.",
            stale.join(", ")
        ));
    }
    eprintln!("xtask api: {DIR}/ is current ({} crates)", CRATES.len());
    Ok(())
}

/// The generated listings in `dir` that no listed crate writes.
fn leftovers(dir: &Path, written: &BTreeSet<String>) -> Result<Vec<String>, String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("api: {}: {e}", dir.display()))?
            .path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let generated = fs::read_to_string(&path).is_ok_and(|text| text.starts_with(TITLE));
        if name.ends_with(".md") && generated && !written.contains(name) {
            out.push(name.to_owned());
        }
    }
    out.sort();
    Ok(out)
}

/// The `name` of the `[package]` section of a Cargo.toml.
fn package_name(manifest: &Path) -> Result<String, String> {
    let text =
        fs::read_to_string(manifest).map_err(|e| format!("api: {}: {e}", manifest.display()))?;
    let mut in_package = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package
            && let Some(value) = line.strip_prefix("name").map(str::trim_start)
            && let Some(value) = value.strip_prefix('=')
        {
            return Ok(value.trim().trim_matches('"').to_owned());
        }
    }
    Err(format!("api: {}: no [package] name", manifest.display()))
}
