//! Every side's rounds do the work they are measured for: the texts have the expected sections
//! (checked by `renegotiation::check` in every `run_round`), the answerer really stops what the
//! offerer stopped, and round 3 adds live transceivers again. What differs between the
//! implementations is asserted, not hidden: webrtc-rs `rtc` offers a stopped transceiver as
//! `a=inactive` (never port 0, so its answerer stops nothing), and only tacet recycles.

use tacet_bench::renegotiation::{
    Endpoints, Exchange, Round, Rtc, SdpFacts, Str0m, Tacet, TacetChromium, check, stop_count,
    stopped_indices,
};

/// The mids of an SDP text, in m-line order.
fn mids(sdp: &str) -> Vec<String> {
    sdp.lines()
        .filter_map(|l| l.strip_prefix("a=mid:"))
        .map(str::to_owned)
        .collect()
}

/// Runs the three rounds at `n` and checks what every implementation must show.
fn rounds<E: Endpoints>(n: usize) -> [Exchange; 3] {
    let mut endpoints = E::new();
    let stopped = stop_count(n);

    let add = endpoints.round(Round::Add, n);
    check::<E>(Round::Add, n, &add);
    assert_eq!(
        endpoints.offerer_live(),
        n,
        "{} n={n}: live after round 1",
        E::NAME
    );
    assert_eq!(endpoints.answerer_stopped(), 0, "{} n={n}", E::NAME);

    let stop = endpoints.round(Round::Stop, n);
    check::<E>(Round::Stop, n, &stop);
    assert_eq!(
        endpoints.offerer_live(),
        n - stopped,
        "{} n={n}: live after round 2",
        E::NAME
    );
    // The stopped sections are the chosen ones, at the same indices, with the same mids.
    assert_eq!(
        mids(&stop.offer),
        mids(&add.offer),
        "{} n={n}: m-lines never move",
        E::NAME
    );
    let sections: Vec<&str> = stop.offer.split("\nm=").skip(1).collect();
    for index in stopped_indices(n) {
        let section = sections[index];
        if E::STOP_REJECTS {
            assert!(
                section.split(' ').nth(1) == Some("0"),
                "{} n={n}: section {index} port 0",
                E::NAME
            );
        } else {
            assert!(
                section.contains("\na=inactive"),
                "{} n={n}: section {index} inactive",
                E::NAME
            );
        }
    }
    let expected_remote = if E::STOP_REJECTS { stopped } else { 0 };
    assert_eq!(
        endpoints.answerer_stopped(),
        expected_remote,
        "{} n={n}: transceivers the answerer stopped",
        E::NAME
    );

    let readd = endpoints.round(Round::Readd, n);
    let facts = check::<E>(Round::Readd, n, &readd);
    assert_eq!(
        endpoints.offerer_live(),
        n,
        "{} n={n}: live after round 3",
        E::NAME
    );
    let old = mids(&stop.offer);
    let new = mids(&readd.offer);
    if E::RECYCLES {
        // The stopped slots carry new mids; every other section keeps its mid.
        for (index, (before, after)) in old.iter().zip(&new).enumerate() {
            let recycled = stopped_indices(n).any(|i| i == index);
            assert_eq!(
                before != after,
                recycled,
                "{} n={n}: mid at index {index}",
                E::NAME
            );
        }
        assert_eq!(facts.offer.sections, n);
    } else {
        assert_eq!(&new[..n], &old[..], "{} n={n}: old sections stay", E::NAME);
        assert_eq!(new.len(), n + stopped, "{} n={n}: appended", E::NAME);
    }
    // The new sections are live: sendrecv in the offer.
    let live_offered = readd.offer.lines().filter(|l| *l == "a=sendrecv").count();
    assert_eq!(
        live_offered,
        n,
        "{} n={n}: sendrecv sections in round 3",
        E::NAME
    );
    [add, stop, readd]
}

fn all_sizes<E: Endpoints>() {
    for n in [2, 20, 200] {
        rounds::<E>(n);
    }
}

#[test]
fn tacet_rounds() {
    all_sizes::<Tacet>();
}

#[test]
fn tacet_chromium_codecs_rounds() {
    all_sizes::<TacetChromium>();
}

#[test]
fn str0m_rounds() {
    all_sizes::<Str0m>();
}

#[test]
fn rtc_rounds() {
    all_sizes::<Rtc>();
}

/// The minimal configurations offer the same codecs on every side: Opus 111, VP8 96, RTX 97.
#[test]
fn same_codecs_on_every_side() {
    fn rtpmaps<E: Endpoints>() -> Vec<String> {
        let mut endpoints = E::new();
        let add = endpoints.round(Round::Add, 2);
        let mut maps: Vec<String> = add
            .offer
            .lines()
            .filter(|l| l.starts_with("a=rtpmap:"))
            .map(|l| l.to_ascii_lowercase())
            .collect();
        maps.sort();
        maps
    }
    let expected = [
        "a=rtpmap:111 opus/48000/2",
        "a=rtpmap:96 vp8/90000",
        "a=rtpmap:97 rtx/90000",
    ];
    for maps in [rtpmaps::<Tacet>(), rtpmaps::<Str0m>(), rtpmaps::<Rtc>()] {
        assert_eq!(maps, expected);
    }
    // The Chromium list offers more.
    assert!(rtpmaps::<TacetChromium>().len() > 3);
}

/// Sizes of the texts stay in the same range on every side (no side offers empty sections).
#[test]
fn offers_are_comparable_in_size() {
    fn per_section<E: Endpoints>() -> usize {
        let mut endpoints = E::new();
        let add = endpoints.round(Round::Add, 20);
        let facts = SdpFacts::of(&add.offer);
        facts.bytes / facts.sections
    }
    for bytes in [
        per_section::<Tacet>(),
        per_section::<Str0m>(),
        per_section::<Rtc>(),
    ] {
        assert!((500..1_000).contains(&bytes), "{bytes} bytes per m-section");
    }
}
