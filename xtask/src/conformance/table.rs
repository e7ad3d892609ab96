//! The shape of the conformance table: a case (one numbered row of the checklist) has one or
//! more WPT titles, and each title says how tacet checks it. What a row may claim follows from
//! its titles: it passes only when every title names tests that run and pass, and a rewritten
//! (legacy) row must name a test for every title too — a row never claims what no test checks.

use std::collections::BTreeSet;

/// Whether the WPT expectation matches the current spec (stop-semantics §5 notation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mark {
    /// `[S]`: matches the current W3C webrtc-pc text.
    S,
    /// `[LEGACY]`: relies on the removed `transceiver.stopped` attribute, on the semantics
    /// before w3c/webrtc-pc PR #2220, or otherwise expects what the current text does not give.
    Legacy,
}

/// How tacet checks one WPT title.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(
    dead_code,
    reason = "no row shows a session bug or lacks an API today; the generator keeps the words for when one does"
)]
pub(crate) enum Check {
    /// These tests of `tacet-tests --test conformance` (`module::name`) follow the title's call
    /// sequence; each must be listed, not ignored, and pass.
    Tests(&'static [&'static str]),
    /// These tests follow the call sequence and show tacet-session wrong; they are
    /// `#[ignore = "session bug: ..."]` until the session is fixed. `bug` says what differs.
    SessionBug {
        tests: &'static [&'static str],
        bug: &'static str,
    },
    /// Needs real RTP, ICE or DTLS (media flowing, transports, unmute on RTP).
    NeedsTransport,
    /// The call the title exercises does not exist in tacet-session; why.
    NotInApi(&'static str),
}

/// One WPT test title of a case and how tacet checks it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Title {
    pub(crate) text: &'static str,
    pub(crate) check: Check,
}

/// One numbered case of the checklist.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Case {
    pub(crate) number: u32,
    /// The WPT file, as a key of [`super::FILES`].
    pub(crate) file: &'static str,
    pub(crate) mark: Mark,
    /// The WPT titles of the row (one, or several variants of one test).
    pub(crate) titles: &'static [Title],
    /// For a case whose WPT expectation tacet does not follow: what the tests check instead,
    /// and the rule.
    pub(crate) rewritten: Option<&'static str>,
}

/// A title checked by `tests`.
pub(crate) const fn tested(text: &'static str, tests: &'static [&'static str]) -> Title {
    Title {
        text,
        check: Check::Tests(tests),
    }
}

/// A title that needs a real transport (no case needs one since tacet-rtc; the table keeps the
/// status so a new case can say it, and the tests check how it renders).
#[cfg(test)]
pub(crate) const fn transport(text: &'static str) -> Title {
    Title {
        text,
        check: Check::NeedsTransport,
    }
}

/// A title whose tests show a session bug (ignored until it is fixed).
#[allow(dead_code, reason = "no row shows a session bug today")]
pub(crate) const fn session_bug(
    text: &'static str,
    tests: &'static [&'static str],
    bug: &'static str,
) -> Title {
    Title {
        text,
        check: Check::SessionBug { tests, bug },
    }
}

/// A title whose call tacet-session does not have.
#[allow(
    dead_code,
    reason = "every title's call exists in tacet-session today (the generator's tests still use it)"
)]
pub(crate) const fn not_in_api(text: &'static str, why: &'static str) -> Title {
    Title {
        text,
        check: Check::NotInApi(why),
    }
}

/// A case whose expectation matches tacet's tests.
pub(crate) const fn case(
    number: u32,
    file: &'static str,
    mark: Mark,
    titles: &'static [Title],
) -> Case {
    Case {
        number,
        file,
        mark,
        titles,
        rewritten: None,
    }
}

/// A legacy case rewritten to the current spec: `note` says what the tests check instead.
pub(crate) const fn rewritten(
    number: u32,
    file: &'static str,
    titles: &'static [Title],
    note: &'static str,
) -> Case {
    Case {
        number,
        file,
        mark: Mark::Legacy,
        titles,
        rewritten: Some(note),
    }
}

/// The tests the run found: `runs` are listed and not ignored, `ignored` are listed and
/// `#[ignore]`d.
#[derive(Clone, Debug, Default)]
pub(crate) struct Found {
    pub(crate) runs: BTreeSet<String>,
    pub(crate) ignored: BTreeSet<String>,
}

/// What a row claims, from its titles and the tests found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RowStatus {
    /// Every title is tested by tests that run (S mark, or a legacy mark the tests read
    /// through the current attributes).
    Pass,
    /// Rewritten to the current spec; every title tested by tests that run.
    Rewritten,
    /// A title's tests show a session bug (ignored); the others are tested or out of reach.
    SessionBug,
    /// Some titles tested, others out of tacet-session's reach (no such call, or transport).
    Partial,
    /// No title within the session's reach.
    NeedsTransport,
    /// A named test is missing, ignored where it should run, or runs where it should be
    /// ignored: the command fails.
    Pending,
}

/// The tests a check names.
pub(crate) fn tests_of(check: Check) -> &'static [&'static str] {
    match check {
        Check::Tests(tests) | Check::SessionBug { tests, .. } => tests,
        Check::NeedsTransport | Check::NotInApi(_) => &[],
    }
}

/// Whether a title's tests are found as its check says: running for `Tests`, ignored for
/// `SessionBug`.
pub(crate) fn title_found(title: &Title, found: &Found) -> bool {
    match title.check {
        Check::Tests(tests) => tests.iter().all(|t| found.runs.contains(*t)),
        Check::SessionBug { tests, .. } => tests.iter().all(|t| found.ignored.contains(*t)),
        Check::NeedsTransport | Check::NotInApi(_) => true,
    }
}

/// A row's status.
pub(crate) fn row_status(case: &Case, found: &Found) -> RowStatus {
    let checks = || case.titles.iter().map(|t| t.check);
    if !case.titles.iter().all(|t| title_found(t, found)) {
        RowStatus::Pending
    } else if checks().any(|c| matches!(c, Check::SessionBug { .. })) {
        RowStatus::SessionBug
    } else if checks().all(|c| matches!(c, Check::Tests(_))) {
        match case.rewritten {
            Some(_) => RowStatus::Rewritten,
            None => RowStatus::Pass,
        }
    } else if checks().any(|c| matches!(c, Check::Tests(_))) {
        RowStatus::Partial
    } else {
        RowStatus::NeedsTransport
    }
}

/// The mistakes in the table itself, independent of the run: a tested title or a session bug
/// with no test, a rewritten (legacy) row with a title no test checks, a rewritten row not
/// marked legacy, an empty note or title, a row with no title.
pub(crate) fn table_errors(cases: &[Case]) -> Vec<String> {
    let mut errors = Vec::new();
    for c in cases {
        let n = c.number;
        if c.titles.is_empty() {
            errors.push(format!("#{n}: no title"));
        }
        for title in c.titles {
            if title.text.is_empty() {
                errors.push(format!("#{n}: an empty title"));
            }
            let claims_tests = matches!(title.check, Check::Tests(_) | Check::SessionBug { .. });
            if claims_tests && tests_of(title.check).is_empty() {
                errors.push(format!("#{n}: {:?} names no test", title.text));
            }
            if c.rewritten.is_some() && !claims_tests {
                errors.push(format!(
                    "#{n}: rewritten, but no test checks {:?} (a rewritten row claims what \
                     tacet does instead: every title needs a test)",
                    title.text
                ));
            }
        }
        match c.rewritten {
            Some(note) if note.is_empty() || note.contains('|') => {
                errors.push(format!("#{n}: the rewrite note is empty or has a '|'"));
            }
            Some(_) if c.mark != Mark::Legacy => {
                errors.push(format!("#{n}: rewritten but not marked LEGACY"));
            }
            _ => {}
        }
    }
    errors
}

/// The named tests of `cases` that are not found as their check says, as
/// (case number, test, what is wrong).
pub(crate) fn missing_claims(cases: &[Case], found: &Found) -> Vec<(u32, String, &'static str)> {
    let mut missing = Vec::new();
    for c in cases {
        for title in c.titles {
            for test in tests_of(title.check) {
                let problem = match title.check {
                    Check::Tests(_) if found.ignored.contains(*test) => {
                        Some("is #[ignore]d: a passing row needs it to run")
                    }
                    Check::Tests(_) if !found.runs.contains(*test) => Some("does not exist"),
                    Check::SessionBug { .. } if found.runs.contains(*test) => Some(
                        "runs, so the session bug looks fixed: make the title `tested` in \
                         xtask/src/conformance/cases.rs",
                    ),
                    Check::SessionBug { .. } if !found.ignored.contains(*test) => {
                        Some("does not exist")
                    }
                    _ => None,
                };
                if let Some(problem) = problem {
                    missing.push((c.number, (*test).to_owned(), problem));
                }
            }
        }
    }
    missing.dedup();
    missing
}
