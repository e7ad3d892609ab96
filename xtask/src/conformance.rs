//! `cargo xtask conformance [--check]`: the WPT conformance table, checked against the tests.
//!
//! [`cases::cases`] lists every case of the WPT checklist for stopping media (77 numbered cases
//! from web-platform-tests `webrtc/`), each with its WPT titles and, per title, how tacet checks
//! it ([`table::Check`]): by named tests, by tests that show a session bug (ignored until it is
//! fixed), or not at all because it needs a real transport or a call tacet-session does not
//! have. The list is copied here so that nothing reads the reference directory outside the
//! repository at run time (decisions.md §7).
//!
//! The command lists the tests of `tacet-tests --test conformance` (`tests/tests/conformance/`,
//! one module per WPT file or part of one), runs them, writes `docs/conformance.md`, and fails
//! when the table claims what no test checks: a title that names no test where it must (every
//! title of a passing or rewritten row), a named test that does not exist, one that is ignored
//! where it should run, or one marked as showing a session bug that runs. `--check` writes
//! nothing and fails when `docs/conformance.md` differs from what it would write
//! (`cargo xtask ci` runs it).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::{cargo, root, step};

/// The test file the rows point into, relative to the workspace root.
const TEST_FILE: &str = "tests/tests/conformance/main.rs";
/// The generated document, relative to the workspace root.
const DOC: &str = "docs/conformance.md";

mod cases;
mod cases_other;
mod cases_stop;
mod table;

use cases::{FILES, cases};
use table::{Case, Check, Found, Mark, RowStatus, missing_claims, row_status, table_errors};

/// Write `docs/conformance.md`, or only check that it is current.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Write,
    Check,
}

/// Parses `[--check]`.
pub(crate) fn mode(args: &[String]) -> Result<Mode, String> {
    match args {
        [] => Ok(Mode::Write),
        [flag] if flag == "--check" => Ok(Mode::Check),
        _ => Err(format!(
            "usage: cargo xtask conformance [--check], not {args:?}"
        )),
    }
}

/// Lists and runs the conformance tests, then writes (or checks) `docs/conformance.md`; fails
/// when the table claims what no test checks.
///
/// A table that is wrong in itself (a tested title without a test, a rewritten row with an
/// untested title) fails before anything runs. Failing tests stop everything before the
/// document is touched. Missing tests still let write mode write the document, with those rows
/// marked pending, so the gap is visible; the command fails all the same.
pub(crate) fn run(mode: Mode) -> Result<(), String> {
    let cases = cases();
    let errors = table_errors(&cases);
    if !errors.is_empty() {
        return Err(format!(
            "conformance: the table in xtask/src/conformance/ claims what no test checks:\n  {}",
            errors.join("\n  ")
        ));
    }
    let root = root();
    let test_file_exists = root.join(TEST_FILE).is_file();
    let found = if test_file_exists {
        let listed = list(&[])?;
        let ignored = list(&["--ignored"])?;
        let mut test = test_command(&[]);
        if mode == Mode::Check {
            // As in the CI test step: a new or changed snapshot fails instead of being written.
            test.env("INSTA_UPDATE", "no").env("CI", "true");
        }
        step("conformance tests", test)?;
        Found {
            runs: listed.difference(&ignored).cloned().collect(),
            ignored,
        }
    } else {
        Found::default()
    };

    let claimed: BTreeSet<&str> = cases
        .iter()
        .flat_map(|c| c.titles)
        .flat_map(|t| table::tests_of(t.check))
        .copied()
        .collect();
    let unclaimed: Vec<&String> = found
        .runs
        .iter()
        .chain(&found.ignored)
        .filter(|name| !claimed.contains(name.as_str()))
        .collect();
    if !unclaimed.is_empty() {
        eprintln!(
            "xtask conformance: note: tests that no case names (check the names against \
             xtask/src/conformance/cases_*.rs): {unclaimed:?}"
        );
    }

    let doc_path = root.join(DOC);
    let doc = render(&cases, &found);
    let current = match mode {
        Mode::Write => {
            write_if_changed(&doc_path, &doc)?;
            None
        }
        Mode::Check => Some(fs::read_to_string(&doc_path).unwrap_or_default()),
    };

    let missing = missing_claims(&cases, &found);
    if !missing.is_empty() {
        let why = if test_file_exists {
            String::new()
        } else {
            format!(" ({TEST_FILE} does not exist yet)")
        };
        return Err(format!(
            "conformance: {} named test(s) are not as the table says{why}:\n  {}",
            missing.len(),
            missing
                .iter()
                .map(|(number, name, problem)| format!("#{number} {name}: {problem}"))
                .collect::<Vec<_>>()
                .join("\n  ")
        ));
    }
    if let Some(current) = current {
        if current != doc {
            return Err(format!(
                "conformance: {DOC} is not what `cargo xtask conformance` writes; run it and \
                 commit the result"
            ));
        }
        eprintln!("xtask conformance: {DOC} is current");
    }
    Ok(())
}

/// `cargo test -p tacet-tests --test conformance --locked -- <test_args>`.
fn test_command(test_args: &[&str]) -> Command {
    let mut command = cargo();
    command
        .args([
            "test",
            "-p",
            "tacet-tests",
            "--test",
            "conformance",
            "--locked",
            "--",
        ])
        .args(test_args);
    command
}

/// The tests the binary lists (`--list`, plus `extra` such as `--ignored`).
fn list(extra: &[&str]) -> Result<BTreeSet<String>, String> {
    let mut args = vec!["--list"];
    args.extend_from_slice(extra);
    let mut command = test_command(&args);
    command.stderr(Stdio::inherit());
    eprintln!("\n==> conformance list: {command:?}");
    let output = command
        .output()
        .map_err(|e| format!("conformance list: could not start {command:?}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "conformance list failed ({}): {command:?}",
            output.status
        ));
    }
    Ok(parse_list(&String::from_utf8_lossy(&output.stdout)))
}

/// The test names in libtest's `--list` output (`name: test` lines; benchmarks and the summary
/// line are skipped).
pub(crate) fn parse_list(stdout: &str) -> BTreeSet<String> {
    stdout
        .lines()
        .filter_map(|line| line.trim_end().strip_suffix(": test"))
        .map(str::to_owned)
        .collect()
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if fs::read_to_string(path).ok().as_deref() == Some(text) {
        eprintln!("xtask conformance: {} is up to date", path.display());
    } else {
        fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("xtask conformance: wrote {}", path.display());
    }
    Ok(())
}

/// The whole of `docs/conformance.md`.
pub(crate) fn render(cases: &[Case], found: &Found) -> String {
    let mut out = String::new();
    out.push_str(HEADER);
    out.push('\n');
    out.push_str(&summary(cases, found));
    for (file, source) in FILES {
        let rows: Vec<&Case> = cases.iter().filter(|c| c.file == *file).collect();
        if rows.is_empty() {
            continue;
        }
        // `writeln!` into a String cannot fail.
        let _ = writeln!(out, "\n## `{file}`\n\n{source}\n");
        out.push_str("| # | WPT title | mark | tacet status |\n");
        out.push_str("|---|---|---|---|\n");
        for c in rows {
            let mark = match c.mark {
                Mark::S => "S",
                Mark::Legacy => "LEGACY",
            };
            let titles: Vec<&str> = c.titles.iter().map(|t| t.text).collect();
            let _ = writeln!(
                out,
                "| {} | {} | {mark} | {} |",
                c.number,
                cell(&titles.join(" / ")),
                cell(&status_text(c, found))
            );
        }
    }
    out
}

const HEADER: &str = "# WPT conformance

<!-- Generated by `cargo xtask conformance` from the tables in xtask/src/conformance/cases_*.rs; \
do not edit by hand. -->

Every case of the WPT (web-platform-tests `webrtc/`) checklist for stopping media, numbered 1 to
77, and what tacet does with it. A case has one WPT title or several (variants of one test,
joined by ` / `). The mark is the checklist's: **S** when the WPT expectation matches the current
W3C webrtc-pc text, **LEGACY** when it relies on the removed `transceiver.stopped` attribute, on
the semantics before w3c/webrtc-pc PR #2220, or otherwise expects what the current text does not
give; such cases are rewritten to the current spec (decisions.md §1). Line numbers `Lnnnn` refer
to webrtc-pc `webrtc.html` @1a2dfb478b3e.

Statuses:

- **pass** — the named tests in `tests/tests/conformance/` (`module::test`) follow the WPT call
  sequence of every title of the row and pass; one test covers both kinds of a `[kind]` case and
  may cover several titles;
- **legacy, rewritten** — the named tests follow the WPT call sequence of every title and check
  what the current spec gives instead; the note says what differs and the rule;
- **session bug** — the named test follows the WPT call sequence and shows tacet-session wrong;
  it is `#[ignore]`d until the session is fixed, and the note says what differs;
- **partial** — the titles named with tests pass; the others are out of tacet-session's reach
  (the call does not exist, or it needs a real transport), as the row says;
- **needs real transport** — needs RTP, ICE or DTLS (media flowing, transports, unmute on RTP);
- **pending** — a named test does not exist, or is ignored where it should run (the command
  fails while any row is pending).

`cargo xtask conformance` lists and runs `cargo test -p tacet-tests --test conformance`, then
writes this file. It fails when a test fails, and when the table claims what no test checks: a
passing or rewritten row with a title that names no test, a named test that does not exist or is
`#[ignore]`d, or a session-bug test that runs (the bug looks fixed). `cargo xtask conformance
--check`, part of `cargo xtask ci`, also fails when this file differs from what the command
would write.
";

fn summary(cases: &[Case], found: &Found) -> String {
    let count = |status| {
        cases
            .iter()
            .filter(|c| row_status(c, found) == status)
            .count()
    };
    let (pass, rewritten, bug) = (
        count(RowStatus::Pass),
        count(RowStatus::Rewritten),
        count(RowStatus::SessionBug),
    );
    let (partial, transport, pending) = (
        count(RowStatus::Partial),
        count(RowStatus::NeedsTransport),
        count(RowStatus::Pending),
    );
    format!(
        "**Summary:** {} cases — {pass} pass, {rewritten} legacy rewritten, {bug} session bug, \
         {partial} partial, {transport} need real transport, {pending} pending.\n",
        cases.len()
    )
}

/// `` `a`, `b` `` for the tests of a check.
fn test_list(tests: &[&str]) -> String {
    tests
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The distinct tests of a row's titles, in order.
fn row_tests(case: &Case) -> Vec<&'static str> {
    let mut tests: Vec<&'static str> = Vec::new();
    for title in case.titles {
        for test in table::tests_of(title.check) {
            if !tests.contains(test) {
                tests.push(test);
            }
        }
    }
    tests
}

/// What one title's check says, for a row whose titles are not all checked alike.
fn title_text(check: Check) -> String {
    match check {
        Check::Tests(tests) => format!("pass: {}", test_list(tests)),
        Check::SessionBug { tests, bug } => {
            format!("**session bug** ({}, ignored): {bug}", test_list(tests))
        }
        Check::NeedsTransport => "needs real transport".to_owned(),
        Check::NotInApi(why) => format!("not checked: {why}"),
    }
}

fn status_text(case: &Case, found: &Found) -> String {
    let tests = test_list(&row_tests(case));
    match row_status(case, found) {
        RowStatus::Pending => {
            let missing: Vec<String> = missing_claims(std::slice::from_ref(case), found)
                .into_iter()
                .map(|(_, name, problem)| format!("`{name}` {problem}"))
                .collect();
            format!("**pending**: {}", missing.join("; "))
        }
        RowStatus::Pass => format!("pass: {tests}"),
        RowStatus::Rewritten => format!(
            "legacy, rewritten ({tests}): {}",
            case.rewritten.unwrap_or_default()
        ),
        RowStatus::NeedsTransport => "needs real transport".to_owned(),
        status @ (RowStatus::SessionBug | RowStatus::Partial) => {
            let mut text = if let [title] = case.titles {
                title_text(title.check)
            } else {
                let label = if status == RowStatus::SessionBug {
                    "**session bug**"
                } else {
                    "partial"
                };
                let parts: Vec<String> = case
                    .titles
                    .iter()
                    .map(|t| format!("«{}» {}", t.text, title_text(t.check)))
                    .collect();
                format!("{label} — {}", parts.join("; "))
            };
            if let Some(note) = case.rewritten {
                let _ = write!(text, ". Rewritten: {note}");
            }
            text
        }
    }
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests;
