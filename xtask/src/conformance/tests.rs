//! The conformance table's own rules, and the generator's refusals.

use super::table::{case, not_in_api, rewritten, session_bug, tested, transport};
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

/// The part of a title a test is named after: without the variant prefix.
fn test_title(title: &str) -> &str {
    ["[kind] ", "addTrack - ", "addTransceiver - "]
        .iter()
        .find_map(|prefix| title.strip_prefix(prefix))
        .unwrap_or(title)
}

/// Every test of the conformance binary, running (none ignored).
fn all_running() -> Found {
    Found {
        runs: cases()
            .iter()
            .flat_map(|c| c.titles)
            .flat_map(|t| table::tests_of(t.check))
            .map(|t| (*t).to_owned())
            .collect(),
        ignored: BTreeSet::new(),
    }
}

/// What the real run finds: the session-bug tests ignored, the others running.
fn as_listed() -> Found {
    let mut found = all_running();
    for c in cases() {
        for title in c.titles {
            if let Check::SessionBug { tests, .. } = title.check {
                for t in tests {
                    found.runs.remove(*t);
                    found.ignored.insert((*t).to_owned());
                }
            }
        }
    }
    found
}

/// The file the synthetic cases of these tests name.
const FILE: &str = "RTCRtpTransceiver.https.html";

#[test]
fn every_case_from_1_to_77_is_listed_once_in_order() {
    let numbers: Vec<u32> = cases().iter().map(|c| c.number).collect();
    assert_eq!(numbers, (1..=77).collect::<Vec<_>>());
}

#[test]
fn files_are_known_and_their_cases_contiguous_in_file_order() {
    let order: Vec<usize> = cases()
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
fn the_table_claims_only_what_tests_check() {
    assert_eq!(table_errors(&cases()), Vec::<String>::new());
}

#[test]
fn test_names_are_a_title_of_their_row_in_snake_case_and_belong_to_one_row() {
    let mut owner: std::collections::BTreeMap<&str, u32> = std::collections::BTreeMap::new();
    for c in cases() {
        let names: Vec<String> = c
            .titles
            .iter()
            .map(|t| snake_case(test_title(t.text)))
            .collect();
        for title in c.titles {
            for path in table::tests_of(title.check) {
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
                assert!(
                    names.iter().any(|n| n == name),
                    "case {}: {name} is none of {names:?}",
                    c.number
                );
                let first = *owner.entry(path).or_insert(c.number);
                assert_eq!(first, c.number, "{path} named by two cases");
            }
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
    assert_eq!(
        test_title("addTrack - Calling removeTrack"),
        "Calling removeTrack"
    );
}

#[test]
fn the_generator_refuses_a_row_whose_claim_no_test_checks() {
    const BAD: &[Case] = &[
        // A rewritten (legacy) row must test every title, as case 27 once did not.
        rewritten(1, FILE, &[transport("checkStopAfterCreateAnswer")], "what"),
        // A passing title with an empty test list.
        case(2, FILE, Mark::S, &[tested("a", &[])]),
        // A rewritten row not marked LEGACY.
        Case {
            mark: Mark::S,
            ..rewritten(3, FILE, &[tested("b", &["m::b"])], "what")
        },
        // A session bug with no test.
        case(4, FILE, Mark::S, &[session_bug("c", &[], "why")]),
        // A row without titles.
        case(5, FILE, Mark::S, &[]),
    ];
    let errors = table_errors(BAD);
    for n in 1..=5 {
        assert!(
            errors.iter().any(|e| e.starts_with(&format!("#{n}:"))),
            "#{n} not refused: {errors:?}"
        );
    }
}

#[test]
fn a_row_passes_only_when_every_title_is_tested_by_a_running_test() {
    const ROW: Case = case(
        1,
        FILE,
        Mark::S,
        &[tested("a", &["m::a"]), tested("b", &["m::b"])],
    );
    let row = ROW;
    let found = |runs: &[&str], ignored: &[&str]| Found {
        runs: runs.iter().map(|s| (*s).to_owned()).collect(),
        ignored: ignored.iter().map(|s| (*s).to_owned()).collect(),
    };
    assert_eq!(
        row_status(&row, &found(&["m::a", "m::b"], &[])),
        RowStatus::Pass
    );
    assert_eq!(row_status(&row, &found(&["m::a"], &[])), RowStatus::Pending);
    assert_eq!(
        row_status(&row, &found(&["m::a"], &["m::b"])),
        RowStatus::Pending
    );
    const BUG: Case = case(
        2,
        FILE,
        Mark::S,
        &[tested("a", &["m::a"]), session_bug("b", &["m::b"], "why")],
    );
    let bug = BUG;
    assert_eq!(
        row_status(&bug, &found(&["m::a"], &["m::b"])),
        RowStatus::SessionBug
    );
    assert_eq!(
        row_status(&bug, &found(&["m::a", "m::b"], &[])),
        RowStatus::Pending,
        "a session-bug test that runs: the bug looks fixed"
    );
    const PARTIAL: Case = case(3, FILE, Mark::S, &[tested("a", &["m::a"]), transport("b")]);
    let partial = PARTIAL;
    assert_eq!(
        row_status(&partial, &found(&["m::a"], &[])),
        RowStatus::Partial
    );
    const LEGACY: Case = rewritten(4, FILE, &[tested("a", &["m::a"])], "what");
    let legacy = LEGACY;
    assert_eq!(
        row_status(&legacy, &found(&["m::a"], &[])),
        RowStatus::Rewritten
    );
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
fn missing_claims_name_case_test_and_problem() {
    let all = as_listed();
    assert!(missing_claims(&cases(), &all).is_empty());

    let first = "stopping::locally_stopped_transceiver_goes_from_stopping_to_stopped";
    let mut without_first = all.clone();
    without_first.runs.remove(first);
    assert_eq!(
        missing_claims(&cases(), &without_first),
        [(1, first.to_owned(), "does not exist")]
    );
    let mut ignored = without_first.clone();
    ignored.ignored.insert(first.to_owned());
    assert_eq!(
        missing_claims(&cases(), &ignored)[0].2.split(':').next(),
        Some("is #[ignore]d")
    );

    // A session-bug test that runs: the bug looks fixed and the table must say so.
    const BUG: &[Case] = &[case(
        1,
        FILE,
        Mark::S,
        &[session_bug("c", &["m::c"], "why")],
    )];
    let runs = Found {
        runs: BTreeSet::from(["m::c".to_owned()]),
        ignored: BTreeSet::new(),
    };
    let missing = missing_claims(BUG, &runs);
    assert_eq!(missing.len(), 1);
    assert!(
        missing[0]
            .2
            .starts_with("runs, so the session bug looks fixed")
    );
    assert_eq!(
        missing_claims(BUG, &Found::default())[0].2,
        "does not exist"
    );
}

#[test]
fn render_has_one_table_per_file_every_case_and_a_summary() {
    let found = as_listed();
    let doc = render(&cases(), &found);
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
    for c in cases() {
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
    assert!(doc.contains(
        "| 22 | checkCurrentDirection | LEGACY | legacy, rewritten \
         (`transceiver::check_current_direction`): "
    ));
    assert!(doc.contains("| 21 | checkMute | S | pass: `transceiver::check_mute` |"));
    assert!(doc.contains(
        "| 10 | A transceiver added and stopped should not crash when getting receiver's \
         transport | S | pass: `stop::a_transceiver_added_and_stopped_should_not_crash_when_\
         getting_receiver_s_transport` |"
    ));
    assert!(!doc.contains("**pending**: "));
    let pass = cases()
        .iter()
        .filter(|c| row_status(c, &found) == RowStatus::Pass)
        .count();
    assert!(doc.contains(&format!("**Summary:** 77 cases — {pass} pass, ")));
    assert!(doc.contains(", 0 pending.\n"));
}

#[test]
fn render_marks_missing_tests_pending() {
    let doc = render(&cases(), &Found::default());
    assert!(doc.contains(
        "| 2 | [kind] Locally stopping a transceiver ends the track | S | **pending**: \
         `stopping::locally_stopping_a_transceiver_ends_the_track` does not exist |"
    ));
    assert!(doc.contains("— 0 pass, 0 legacy rewritten, 0 session bug, "));
}

#[test]
fn a_partial_row_says_which_title_is_out_of_reach() {
    const ROW: Case = case(
        59,
        FILE,
        Mark::S,
        &[
            tested("Updating a thing", &["m::updating_a_thing"]),
            not_in_api(
                "Calling a missing method",
                "tacet-session has no missing method",
            ),
        ],
    );
    let mut found = Found::default();
    found.runs.insert("m::updating_a_thing".to_owned());
    assert_eq!(row_status(&ROW, &found), RowStatus::Partial);
    let doc = render(&[ROW], &found);
    assert!(doc.contains(
        "| 59 | Updating a thing / Calling a missing method | S | partial — «Updating a thing»"
    ));
    assert!(
        doc.contains("«Calling a missing method» not checked: tacet-session has no missing method")
    );
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
