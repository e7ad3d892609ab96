//! Every peer parses the generated offer at every measured size, and what it writes re-parses
//! with the same number of m-sections.

use tacet_bench::peers::{Impl, SdpTypes, WebrtcRs, WebrtcSdp};
use tacet_bench::{SIZES, chromium_offer};

fn m_lines(sdp: &str) -> usize {
    sdp.lines().filter(|l| l.starts_with("m=")).count()
}

/// Parses each size up to `I::max_n()`, writes, re-parses what it wrote; returns, for the
/// largest size, the input lines the writer did not reproduce (a peer quirk, not a failure).
fn check<I: Impl>() -> Vec<String> {
    let mut missing = Vec::new();
    for n in SIZES.into_iter().filter(|&n| n <= I::max_n()) {
        let sdp = chromium_offer(n);
        let parsed = I::parse(&sdp).unwrap_or_else(|e| panic!("{} rejects n={n}: {e}", I::NAME));
        let written = I::write(&parsed);
        assert_eq!(
            m_lines(&written),
            n,
            "{} wrote a wrong m= count at n={n}",
            I::NAME
        );
        let reparsed = I::parse(&written)
            .unwrap_or_else(|e| panic!("{} rejects its own output at n={n}: {e}", I::NAME));
        assert_eq!(
            I::write(&reparsed),
            written,
            "{} write is not stable at n={n}",
            I::NAME
        );
        if n == 20 {
            let out: std::collections::HashSet<&str> = written.lines().collect();
            missing = sdp
                .lines()
                .filter(|l| !out.contains(l))
                .map(str::to_owned)
                .collect();
        }
    }
    missing
}

fn report<I: Impl>() {
    let missing = check::<I>();
    eprintln!(
        "{}: {} input lines of the n=20 offer not written back verbatim",
        I::NAME,
        missing.len()
    );
    let mut kinds: Vec<&str> = missing
        .iter()
        .map(|l| l.split([':', ' ']).next().unwrap_or(l))
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    for kind in kinds {
        let example = missing
            .iter()
            .find(|l| l.starts_with(kind))
            .expect("a line");
        eprintln!("  e.g. {example:?}");
    }
}

#[test]
fn sdp_types_parses_and_writes_every_size() {
    report::<SdpTypes>();
}

#[test]
fn webrtc_rs_sdp_parses_and_writes_every_size() {
    report::<WebrtcRs>();
}

#[test]
fn webrtc_sdp_parses_and_writes_up_to_200() {
    report::<WebrtcSdp>();
}

#[test]
fn tacet_sdp_parses_and_writes_every_size() {
    report::<tacet_bench::peers::Tacet>();
}
