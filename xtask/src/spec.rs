//! `cargo xtask spec [--check]`: spec traceability.
//!
//! Lists the rules of the stop-semantics reference (§1, §3, §6; [`rules::RULES`]) and, for
//! each, the tests that cite it, then writes `docs/spec.md`. A test cites rules with a comment
//! line `// spec: 1.3c, 6.2` in the comment block right above it (attributes may sit between);
//! a citation that is not above a test, or that names no known rule, is an error, and so is a
//! rule that no test cites (write mode still writes the table, with the rule marked, so the gap
//! shows). `--check` writes nothing and fails on the same errors and when `docs/spec.md` is not
//! what the command would write (`cargo xtask ci` runs it), so the table never lies.
//!
//! Source code carries `// spec:` citations too, in free text (RFC 9429 sections, webrtc-pc
//! algorithm names) at transitions and checks; those are for readers and are not rule ids.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::root;

mod rules;

use rules::{RULES, SECTIONS};

/// The generated document, relative to the workspace root.
const DOC: &str = "docs/spec.md";

/// Where tests live: every `.rs` file under these directories is scanned.
const TEST_DIRS: &[&str] = &[
    "tests/tests",
    "crates/track",
    "crates/transceiver-fsm",
    "crates/sdp",
    "crates/session",
];

/// One test citing a rule: `path::function`.
type Citations = BTreeMap<&'static str, Vec<String>>;

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err(format!("usage: cargo xtask spec [--check], not {args:?}")),
    };
    let root = root();
    let mut files = Vec::new();
    for dir in TEST_DIRS {
        collect_rs(&root.join(dir), &mut files)?;
    }
    files.sort();
    let mut citations: Citations = RULES.iter().map(|r| (r.id, Vec::new())).collect();
    let mut errors = Vec::new();
    for file in &files {
        let text =
            fs::read_to_string(file).map_err(|e| format!("spec: {}: {e}", file.display()))?;
        let relative = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .display()
            .to_string();
        scan(&relative, &text, &mut citations, &mut errors);
    }
    if !errors.is_empty() {
        return Err(format!(
            "spec: {} bad citation(s):\n  {}",
            errors.len(),
            errors.join("\n  ")
        ));
    }
    let doc = render(&citations);
    let path = root.join(DOC);
    let cited = citations.values().filter(|v| !v.is_empty()).count();
    eprintln!(
        "xtask spec: {cited} of {} rules cited by at least one test",
        RULES.len()
    );
    let uncited = uncited(&citations);
    if check {
        let current = fs::read_to_string(&path).unwrap_or_default();
        if current != doc {
            return Err(format!(
                "spec: {DOC} is not what `cargo xtask spec` writes; run it and commit the result"
            ));
        }
        eprintln!("xtask spec: {DOC} is current");
    } else {
        fs::write(&path, doc).map_err(|e| format!("spec: writing {}: {e}", path.display()))?;
        eprintln!("xtask spec: wrote {}", path.display());
    }
    if uncited.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "spec: {} rule(s) no test cites; add a test with `// spec: <id>` right above it:\n  {}",
            uncited.len(),
            uncited.join("\n  ")
        ))
    }
}

/// The rules no test cites, as `id text`.
fn uncited(citations: &Citations) -> Vec<String> {
    RULES
        .iter()
        .filter(|rule| citations[rule.id].is_empty())
        .map(|rule| format!("{} {}", rule.id, rule.text))
        .collect()
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("spec: {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("spec: {}: {e}", dir.display()))?
            .path();
        if path.is_dir() {
            collect_rs(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// The rule ids of a `spec:` comment, when the comment cites rules (its first token is an id
/// like `1.3c` or `6.12`); free-text citations (`spec: RFC 9429 §5.2.2`) give `None`.
fn rule_ids(line: &str) -> Option<Vec<&str>> {
    let rest = line.trim_start().strip_prefix("//")?.trim_start();
    let rest = rest.strip_prefix("spec:")?.trim();
    let ids: Vec<&str> = rest.split([',', ' ']).filter(|t| !t.is_empty()).collect();
    let looks_like_id = |t: &str| {
        let mut parts = t.splitn(2, '.');
        let major = parts.next().unwrap_or_default();
        let minor = parts.next().unwrap_or_default();
        !major.is_empty()
            && major.bytes().all(|b| b.is_ascii_digit())
            && minor.bytes().next().is_some_and(|b| b.is_ascii_digit())
            && minor.bytes().all(|b| b.is_ascii_alphanumeric())
    };
    ids.first().is_some_and(|t| looks_like_id(t)).then_some(ids)
}

/// Finds the rule citations of one file and the test each belongs to: the first `fn` after
/// the comment block, which must be a `#[test]` (or inside `proptest!`).
fn scan(path: &str, text: &str, citations: &mut Citations, errors: &mut Vec<String>) {
    let lines: Vec<&str> = text.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        let Some(ids) = rule_ids(line) else {
            continue;
        };
        let at = format!("{path}:{}", index + 1);
        let mut is_test = false;
        let mut function = None;
        // Inside an attribute that spans lines (`#[ignore = "a long \` ... `"]`).
        let mut in_attribute = false;
        for next in &lines[index + 1..] {
            let t = next.trim_start();
            if in_attribute {
                in_attribute = !t.trim_end().ends_with(']');
                continue;
            }
            if t.starts_with("//") || t.is_empty() {
                continue;
            }
            if t.starts_with("#[") {
                is_test |= t.starts_with("#[test]");
                in_attribute = !t.trim_end().ends_with(']');
                continue;
            }
            function = t
                .strip_prefix("fn ")
                .or_else(|| t.strip_prefix("pub fn "))
                .and_then(|f| f.split(['(', '<']).next())
                .map(str::to_owned);
            break;
        }
        let Some(function) = function.filter(|_| is_test) else {
            errors.push(format!("{at}: `spec:` is not right above a #[test] fn"));
            continue;
        };
        for id in ids {
            match citations.iter_mut().find(|(rule, _)| **rule == id) {
                Some((_, tests)) => tests.push(format!("{path}::{function}")),
                None => errors.push(format!("{at}: no rule {id} in xtask/src/spec/rules.rs")),
            }
        }
    }
}

fn render(citations: &Citations) -> String {
    let cited = citations.values().filter(|v| !v.is_empty()).count();
    let mut doc = String::from(
        "# Spec traceability\n\n\
         Generated by `cargo xtask spec` — do not edit. Each rule of the stop-semantics reference \
         (§1 webrtc-pc, §3 JSEP and BUNDLE, §6 edge cases; the list lives in \
         `xtask/src/spec/rules.rs`) with the tests that cite it (`// spec: <id>` right above the \
         test). `cargo xtask ci` runs `cargo xtask spec --check`: a citation of an unknown rule, \
         a rule no test cites, or a stale table fails.\n\n",
    );
    let _ = writeln!(
        doc,
        "**{cited} of {} rules are cited by at least one test.**\n",
        RULES.len()
    );
    for (prefix, title) in SECTIONS {
        let _ = writeln!(
            doc,
            "## {title}\n\n| rule | says | cited by |\n|---|---|---|"
        );
        for rule in RULES.iter().filter(|r| r.id.starts_with(prefix)) {
            let tests = &citations[rule.id];
            let by = if tests.is_empty() {
                "**not cited**".to_owned()
            } else {
                tests
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join("<br>")
            };
            let _ = writeln!(
                doc,
                "| {} | {} | {by} |",
                rule.id,
                rule.text.replace('|', "\\|")
            );
        }
        doc.push('\n');
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_in_sections() {
        let mut seen = std::collections::BTreeSet::new();
        for rule in RULES {
            assert!(seen.insert(rule.id), "{} twice", rule.id);
            assert!(
                SECTIONS.iter().any(|(p, _)| rule.id.starts_with(p)),
                "{}",
                rule.id
            );
            assert!(rule_ids(&format!("// spec: {}", rule.id)).is_some());
        }
    }

    #[test]
    fn citations_are_read_only_from_rule_id_comments() {
        assert_eq!(rule_ids("// spec: 1.3c, 6.2"), Some(vec!["1.3c", "6.2"]));
        assert_eq!(rule_ids("    // spec: 6.12"), Some(vec!["6.12"]));
        assert_eq!(rule_ids("// spec: RFC 9429 §5.2.2"), None);
        assert_eq!(rule_ids("// spec: webrtc-pc stop()"), None);
        assert_eq!(rule_ids("// not a spec: 1.3c"), None);
    }

    #[test]
    fn a_rule_no_test_cites_is_an_error() {
        let mut citations: Citations = RULES
            .iter()
            .map(|r| (r.id, vec!["t.rs::x".into()]))
            .collect();
        assert!(uncited(&citations).is_empty());
        let first = RULES[0];
        citations.insert(first.id, Vec::new());
        assert_eq!(
            uncited(&citations),
            [format!("{} {}", first.id, first.text)]
        );
        assert!(render(&citations).contains(&format!("| {} | ", first.id)));
        assert!(render(&citations).contains("**not cited**"));
    }

    #[test]
    fn a_citation_belongs_to_the_test_below_it() {
        let text = "\
// spec: 1.3c
// more words
#[test]
fn stops() {}

// spec: 6.2
fn helper() {}

// spec: 9.9
#[test]
fn unknown() {}

// spec: 6.3
#[test]
#[ignore = \"session bug: a reason \\
            on two lines\"]
fn ignored_for_now() {}
";
        let mut citations: Citations = RULES.iter().map(|r| (r.id, Vec::new())).collect();
        let mut errors = Vec::new();
        scan("t.rs", text, &mut citations, &mut errors);
        assert_eq!(citations["1.3c"], ["t.rs::stops"]);
        assert_eq!(citations["6.3"], ["t.rs::ignored_for_now"]);
        assert!(citations["6.2"].is_empty());
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].contains("t.rs:6"));
        assert!(errors[1].contains("no rule 9.9"));
    }
}
