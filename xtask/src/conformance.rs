//! `cargo xtask conformance [--check]`: the WPT conformance table, checked against the tests.
//!
//! [`CASES`] lists every case of the WPT checklist for stopping media (77 numbered cases from
//! web-platform-tests `webrtc/`), with its mark (the expectation matches the current W3C text,
//! or is legacy) and what tacet does with it. The list is copied here so that nothing reads
//! the reference directory outside the repository at run time (decisions.md §7).
//!
//! The command lists the tests of `tacet-tests --test conformance`
//! (`tests/tests/conformance/`, one module per WPT file), runs them, writes `docs/conformance.md`, and fails when a
//! [`Status::Pass`] names a test that does not exist or is `#[ignore]`d: the table can never
//! claim a missing test. `--check` writes nothing and fails when `docs/conformance.md` differs
//! from what it would write (`cargo xtask ci` runs it).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::{cargo, root, step};

/// The test file the `Pass` rows point into, relative to the workspace root.
const TEST_FILE: &str = "tests/tests/conformance/main.rs";
/// The generated document, relative to the workspace root.
const DOC: &str = "docs/conformance.md";

mod cases;

pub(crate) use cases::{CASES, Case, FILES, Mark, Status};

/// The `Pass` rows: (case number, test name).
pub(crate) fn pass_rows() -> Vec<(u32, &'static str)> {
    CASES
        .iter()
        .filter_map(|c| match c.status {
            Status::Pass(name) => Some((c.number, name)),
            _ => None,
        })
        .collect()
}

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
/// when a claimed test is missing or ignored.
///
/// Failing tests stop everything before the document is touched. A missing test file or missing
/// tests still let write mode write the document, with those rows marked pending, so the gap is
/// visible; the command fails all the same.
pub(crate) fn run(mode: Mode) -> Result<(), String> {
    let root = root();
    let test_file_exists = root.join(TEST_FILE).is_file();
    let existing = if test_file_exists {
        let listed = list(&[])?;
        let ignored = list(&["--ignored"])?;
        let mut test = test_command(&[]);
        if mode == Mode::Check {
            // As in the CI test step: a new or changed snapshot fails instead of being written.
            test.env("INSTA_UPDATE", "no").env("CI", "true");
        }
        step("conformance tests", test)?;
        listed.difference(&ignored).cloned().collect()
    } else {
        BTreeSet::new()
    };

    let claimed = pass_rows();
    let unclaimed: Vec<&String> = existing
        .iter()
        .filter(|name| !claimed.iter().any(|(_, c)| *c == name.as_str()))
        .collect();
    if !unclaimed.is_empty() {
        eprintln!(
            "xtask conformance: note: tests that no case claims (check the names against the \
             Pass rows in xtask/src/conformance/cases.rs): {unclaimed:?}"
        );
    }

    let doc_path = root.join(DOC);
    let doc = render(CASES, &existing);
    let current = match mode {
        Mode::Write => {
            write_if_changed(&doc_path, &doc)?;
            None
        }
        Mode::Check => Some(fs::read_to_string(&doc_path).unwrap_or_default()),
    };

    let missing = missing_claims(CASES, &existing);
    if !missing.is_empty() {
        let why = if test_file_exists {
            format!("{TEST_FILE} does not define them (or marks them #[ignore])")
        } else {
            format!("{TEST_FILE} does not exist yet")
        };
        return Err(format!(
            "conformance: {} case(s) claim a test that does not run: {why}.\nMissing tests:\n  {}",
            missing.len(),
            missing
                .iter()
                .map(|(number, name)| format!("#{number} {name}"))
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

/// The `Pass` claims whose test is not in `existing`, as (case number, test name).
pub(crate) fn missing_claims(cases: &[Case], existing: &BTreeSet<String>) -> Vec<(u32, String)> {
    cases
        .iter()
        .filter_map(|c| match c.status {
            Status::Pass(name) if !existing.contains(name) => Some((c.number, name.to_owned())),
            _ => None,
        })
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

/// The whole of `docs/conformance.md`. A `Pass` row whose test is not in `existing` is shown as
/// pending.
pub(crate) fn render(cases: &[Case], existing: &BTreeSet<String>) -> String {
    let mut out = String::new();
    out.push_str(HEADER);
    out.push('\n');
    out.push_str(&summary(cases, existing));
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
            let _ = writeln!(
                out,
                "| {} | {} | {mark} | {} |",
                c.number,
                cell(c.title),
                cell(&status_text(c.status, existing))
            );
        }
    }
    out
}

const HEADER: &str = "# WPT conformance

<!-- Generated by `cargo xtask conformance` from the table in xtask/src/conformance/cases.rs; do not \
edit by hand. -->

Every case of the WPT (web-platform-tests `webrtc/`) checklist for stopping media, numbered 1 to
77, and what tacet does with it. The mark is the checklist's: **S** when the WPT expectation
matches the current W3C webrtc-pc text, **LEGACY** when it relies on the removed
`transceiver.stopped` attribute or on the semantics before w3c/webrtc-pc PR #2220; legacy cases
are rewritten to the current spec (decisions.md §1). Line numbers `Lnnnn` refer to webrtc-pc
`webrtc.html` @1a2dfb478b3e.

Statuses:

- **pass** — the named test in `tests/tests/conformance/` (`module::test`) mirrors the case and passes; one
  test covers both kinds of a `[kind]` case and every title of its row;
- **pending** — a test is claimed but does not exist yet (the command fails while any row is
  pending);
- **needs real transport** — needs RTP, ICE or DTLS (media flowing, transports, unmute on RTP);
- **legacy, rewritten** — what tacet does instead, and the rule it follows.

`cargo xtask conformance` lists and runs `cargo test -p tacet-tests --test conformance`, then
writes this file; it fails when a test fails or when a row claims a test that does not exist (or
is `#[ignore]`d). `cargo xtask conformance --check`, part of `cargo xtask ci`, fails when this
file differs from what the command would write.
";

fn summary(cases: &[Case], existing: &BTreeSet<String>) -> String {
    let (mut pass, mut pending, mut transport, mut legacy) = (0, 0, 0, 0);
    for c in cases {
        match c.status {
            Status::Pass(name) if existing.contains(name) => pass += 1,
            Status::Pass(_) => pending += 1,
            Status::NeedsTransport => transport += 1,
            Status::Legacy(_) => legacy += 1,
        }
    }
    format!(
        "**Summary:** {} cases — {pass} pass, {pending} pending, {transport} need real \
         transport, {legacy} legacy rewritten.\n",
        cases.len()
    )
}

fn status_text(status: Status, existing: &BTreeSet<String>) -> String {
    match status {
        Status::Pass(name) if existing.contains(name) => format!("pass: `{name}`"),
        Status::Pass(name) => format!("**pending**: `{name}` (test missing or ignored)"),
        Status::NeedsTransport => "needs real transport".to_owned(),
        Status::Legacy(note) => format!("legacy, rewritten: {note}"),
    }
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// snake_case of a WPT title: words split at non-alphanumerics and at lower-to-upper case
    /// changes (`removeTrack` → `remove_track`, `InvalidStateError` → `invalid_state_error`).
    fn snake_case(title: &str) -> String {
        let mut words: Vec<String> = Vec::new();
        let mut word = String::new();
        let mut previous_lower = false;
        for ch in title.chars() {
            if !ch.is_ascii_alphanumeric() {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                previous_lower = false;
                continue;
            }
            if ch.is_ascii_uppercase() && previous_lower && !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            previous_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
            word.push(ch.to_ascii_lowercase());
        }
        if !word.is_empty() {
            words.push(word);
        }
        words.join("_")
    }

    /// The title a test is named after: the first of the row, without the variant prefix.
    fn test_title(title: &str) -> &str {
        let first = title.split(" / ").next().unwrap_or(title);
        first
            .strip_prefix("[kind] ")
            .or_else(|| first.strip_prefix("addTrack/addTransceiver - "))
            .unwrap_or(first)
    }

    #[test]
    fn every_case_from_1_to_77_is_listed_once_in_order() {
        let numbers: Vec<u32> = CASES.iter().map(|c| c.number).collect();
        assert_eq!(numbers, (1..=77).collect::<Vec<_>>());
    }

    #[test]
    fn files_are_known_and_their_cases_contiguous_in_file_order() {
        let order: Vec<usize> = CASES
            .iter()
            .map(|c| {
                FILES
                    .iter()
                    .position(|(f, _)| *f == c.file)
                    .unwrap_or_else(|| panic!("case {}: unknown file {}", c.number, c.file))
            })
            .collect();
        assert!(order.windows(2).all(|w| w[0] <= w[1]), "{order:?}");
        for (i, (file, _)) in FILES.iter().enumerate() {
            assert!(order.contains(&i), "{file} has no case");
        }
    }

    #[test]
    fn pass_names_are_the_snake_case_of_the_title_and_unique() {
        let mut seen = BTreeSet::new();
        for c in CASES {
            if let Status::Pass(path) = c.status {
                let (module, name) = path
                    .split_once("::")
                    .unwrap_or_else(|| panic!("case {}: {path} has no module", c.number));
                assert!(
                    module
                        .chars()
                        .all(|ch| ch.is_ascii_lowercase() || ch == '_'),
                    "case {}: {module}",
                    c.number
                );
                assert_eq!(name, snake_case(test_title(c.title)), "case {}", c.number);
                assert!(seen.insert(name), "case {}: {name} twice", c.number);
                assert!(
                    name.starts_with(|ch: char| ch.is_ascii_lowercase()),
                    "case {}: {name} is not an identifier",
                    c.number
                );
            }
        }
    }

    #[test]
    fn snake_case_splits_camel_case_and_punctuation() {
        assert_eq!(
            snake_case("setLocalDescription(answer): transceiver.currentDirection is recvonly"),
            "set_local_description_answer_transceiver_current_direction_is_recvonly"
        );
        assert_eq!(snake_case("InvalidStateError"), "invalid_state_error");
        assert_eq!(
            snake_case("Changing transceiver direction to 'sendrecv'"),
            "changing_transceiver_direction_to_sendrecv"
        );
        assert_eq!(snake_case("a no-op"), "a_no_op");
        assert_eq!(
            test_title("[kind] Locally stopping a transceiver ends the track"),
            "Locally stopping a transceiver ends the track"
        );
        assert_eq!(test_title("a / b"), "a");
    }

    #[test]
    fn statuses_are_consistent_with_marks_and_issues() {
        for c in CASES {
            match c.status {
                Status::Legacy(note) => {
                    assert_eq!(
                        c.mark,
                        Mark::Legacy,
                        "case {}: Legacy needs [LEGACY]",
                        c.number
                    );
                    assert!(!note.contains('|') && !note.is_empty(), "case {}", c.number);
                }
                Status::Pass(_) | Status::NeedsTransport => {}
            }
        }
    }

    #[test]
    fn parse_list_reads_libtest_list_output() {
        let stdout = "locally_stopping_a_transceiver_ends_the_track: test\n\
                      stop::nested_name: test\n\
                      some_bench: benchmark\n\
                      \n\
                      2 tests, 1 benchmark\n";
        let names: Vec<String> = parse_list(stdout).into_iter().collect();
        assert_eq!(
            names,
            [
                "locally_stopping_a_transceiver_ends_the_track",
                "stop::nested_name"
            ]
        );
        assert!(parse_list("0 tests, 0 benchmarks\n").is_empty());
    }

    #[test]
    fn missing_claims_name_case_and_test() {
        let existing: BTreeSet<String> = pass_rows()
            .iter()
            .skip(1)
            .map(|(_, name)| (*name).to_owned())
            .collect();
        assert_eq!(
            missing_claims(CASES, &existing),
            [(1, pass_rows()[0].1.to_owned())]
        );
        let all: BTreeSet<String> = pass_rows().iter().map(|(_, n)| (*n).to_owned()).collect();
        assert!(missing_claims(CASES, &all).is_empty());
    }

    #[test]
    fn render_has_one_table_per_file_every_case_and_a_summary() {
        let all: BTreeSet<String> = pass_rows().iter().map(|(_, n)| (*n).to_owned()).collect();
        let doc = render(CASES, &all);
        assert!(doc.starts_with("# WPT conformance\n"));
        assert!(doc.contains("`cargo xtask conformance`"));
        for (file, _) in FILES {
            assert_eq!(
                doc.matches(&format!("\n## `{file}`\n")).count(),
                1,
                "{file}"
            );
        }
        assert_eq!(
            doc.matches("| # | WPT title | mark | tacet status |")
                .count(),
            FILES.len()
        );
        for c in CASES {
            assert!(
                doc.contains(&format!("\n| {} | ", c.number)),
                "case {}",
                c.number
            );
        }
        assert!(doc.contains(
            "| 1 | [kind] Locally stopped transceiver goes from stopping to stopped | S | pass: \
             `stopping::locally_stopped_transceiver_goes_from_stopping_to_stopped` |"
        ));
        assert!(doc.contains("| 22 | checkCurrentDirection | LEGACY | legacy, rewritten: "));
        assert!(doc.contains("| 21 | checkMute | S | needs real transport |"));
        assert!(!doc.contains("**pending**: "));
        let pass = pass_rows().len();
        assert!(doc.contains(&format!("**Summary:** 77 cases — {pass} pass, 0 pending, ")));
    }

    #[test]
    fn render_marks_missing_tests_pending() {
        let doc = render(CASES, &BTreeSet::new());
        assert!(doc.contains(
            "| 2 | [kind] Locally stopping a transceiver ends the track | S | **pending**: \
             `stopping::locally_stopping_a_transceiver_ends_the_track` (test missing or ignored) |"
        ));
        assert!(doc.contains(&format!("0 pass, {} pending", pass_rows().len())));
    }

    #[test]
    fn cells_escape_pipes() {
        assert_eq!(cell("a | b\nc"), "a \\| b c");
    }

    #[test]
    fn mode_parses_check_and_refuses_the_rest() {
        assert_eq!(mode(&[]), Ok(Mode::Write));
        assert_eq!(mode(&["--check".to_owned()]), Ok(Mode::Check));
        assert!(mode(&["--write".to_owned()]).is_err());
    }
}
