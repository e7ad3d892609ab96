//! Property tests: an arbitrary model writes and re-parses to itself; for arbitrary (mutated
//! real) text that parses, parse(write(parse(x))) is stable.

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use tacet_sdp::{
    Attribute, Attributes, Bandwidth, Candidate, Connection, Direction, ExtMap, Fingerprint, Fmtp,
    Group, IceOptions, IcePwd, IceUfrag, MediaKind, MediaSection, Msid, MsidSemantic, Origin, Rid,
    RidDirection, RtcpFb, RtpMap, SdpType, SessionDescription, Setup, Simulcast, Ssrc, SsrcGroup,
};

fn tok() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9][a-zA-Z0-9_.-]{0,7}"
}

fn ice(min: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[a-zA-Z0-9+/]{{{min},{}}}", min + 8))
        .expect("valid regex")
}

fn direction() -> impl Strategy<Value = Direction> {
    prop::sample::select(Direction::ALL.to_vec())
}

/// Attributes that may repeat in a section.
fn repeatable(pts: Vec<u8>) -> impl Strategy<Value = Attribute> {
    let pt = prop::sample::select(pts);
    prop_oneof![
        (pt.clone(), tok(), 1u32..200_000, option::of(1u16..8))
            .prop_map(|(pt, n, c, ch)| { Attribute::RtpMap(RtpMap::new(pt, &n, c, ch).unwrap()) }),
        (pt.clone(), vec((tok(), option::of(tok())), 1..4)).prop_map(|(pt, params)| {
            let params: Vec<(&str, Option<&str>)> = params
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_deref()))
                .collect();
            Attribute::Fmtp(Fmtp::new(pt, params).unwrap())
        }),
        (option::of(pt), tok(), option::of(tok())).prop_map(|(pt, k, p)| {
            Attribute::RtcpFb(RtcpFb::new(pt, &k, p.as_deref()).unwrap())
        }),
        (1u16..=255, option::of(direction()), tok()).prop_map(|(id, d, uri)| {
            Attribute::ExtMap(ExtMap::new(id, d, &format!("urn:{uri}")).unwrap())
        }),
        (any::<u32>(), tok(), option::of(tok()))
            .prop_map(|(s, a, v)| { Attribute::Ssrc(Ssrc::new(s, &a, v.as_deref()).unwrap()) }),
        (tok(), vec(any::<u32>(), 1..4))
            .prop_map(|(sem, ssrcs)| Attribute::SsrcGroup(SsrcGroup::new(&sem, &ssrcs).unwrap())),
        (tok(), option::of(tok()))
            .prop_map(|(s, t)| Attribute::Msid(Msid::new(&s, t.as_deref()).unwrap())),
        (ice(1), 1u16..=256, any::<u32>(), any::<u16>(), tok()).prop_map(|(f, c, p, port, t)| {
            let f = &f[..f.len().min(32)];
            Attribute::Candidate(
                Candidate::new(&format!("{f} {c} udp {p} 192.0.2.1 {port} typ {t}")).unwrap(),
            )
        }),
        (tok(), vec(any::<u8>(), 1..8))
            .prop_map(|(h, d)| { Attribute::Fingerprint(Fingerprint::new(&h, &d).unwrap()) }),
        ("[a-z0-9]{1,4}", any::<bool>()).prop_map(|(id, send)| {
            let d = if send {
                RidDirection::Send
            } else {
                RidDirection::Recv
            };
            Attribute::Rid(Rid::new(&id, d).unwrap())
        }),
        Just(Attribute::RtcpMux),
        Just(Attribute::RtcpRsize),
        Just(Attribute::EndOfCandidates),
        // Verbatim attributes: names outside the modelled set.
        ("x-[a-z]{1,6}", option::of("[ -~]{0,12}"))
            .prop_map(|(n, v)| { Attribute::other(&n, v.as_deref()).unwrap() }),
    ]
}

/// The attributes that may appear at most once in a section.
fn once() -> impl Strategy<Value = Vec<Attribute>> {
    (
        option::of(direction()),
        option::of((ice(4), ice(22))),
        option::of(prop::sample::select(vec![
            Setup::Active,
            Setup::Passive,
            Setup::ActPass,
            Setup::HoldConn,
        ])),
        option::of(any::<u16>()),
        option::of(any::<u64>()),
        option::of(vec("[a-z0-9]{1,3}", 1..3)),
        any::<bool>(),
    )
        .prop_map(|(d, cred, setup, port, size, sim, bundle_only)| {
            let mut out = Vec::new();
            out.extend(d.map(Attribute::Direction));
            if let Some((u, p)) = cred {
                out.push(Attribute::IceUfrag(IceUfrag::new(&u).unwrap()));
                out.push(Attribute::IcePwd(IcePwd::new(&p).unwrap()));
            }
            out.extend(setup.map(Attribute::Setup));
            out.extend(port.map(Attribute::SctpPort));
            out.extend(size.map(Attribute::MaxMessageSize));
            if let Some(rids) = sim {
                out.push(Attribute::Simulcast(
                    Simulcast::new(RidDirection::Send, rids.iter().map(String::as_str)).unwrap(),
                ));
            }
            if bundle_only {
                out.push(Attribute::BundleOnly);
            }
            out
        })
}

fn section(index: usize) -> impl Strategy<Value = MediaSection> {
    let kind = prop_oneof![
        Just(MediaKind::Audio),
        Just(MediaKind::Video),
        Just(MediaKind::Application),
        "[a-z]{3,6}".prop_map(MediaKind::Other),
    ];
    (
        kind,
        any::<u16>(),
        vec(0u8..128, 1..5),
        option::of("[ -~]{0,10}"),
    )
        .prop_flat_map(move |(kind, port, pts, title)| {
            let attrs = vec(repeatable(pts.clone()), 0..12);
            (
                Just((kind, port, pts, title)),
                attrs,
                once(),
                any::<prop::sample::Index>(),
            )
        })
        .prop_map(move |((kind, port, pts, title), mut attrs, once, at)| {
            let formats: Vec<String> = pts.iter().map(u8::to_string).collect();
            let mut m = MediaSection::new(
                kind,
                port,
                "UDP/TLS/RTP/SAVPF",
                formats.iter().map(String::as_str),
            )
            .unwrap();
            m.title = title.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
            m.bandwidths.push(Bandwidth {
                kind: "AS".into(),
                value: port.into(),
            });
            for a in once {
                let i = at.index(attrs.len() + 1);
                attrs.insert(i, a);
            }
            attrs.insert(0, Attribute::Mid(format!("m{index}").as_str().into()));
            m.attributes = Attributes(attrs);
            m
        })
}

fn description() -> impl Strategy<Value = SessionDescription> {
    (0usize..5)
        .prop_flat_map(|n| {
            let sections: Vec<_> = (0..n).map(section).collect();
            (
                sections,
                any::<u64>(),
                any::<u64>(),
                option::of(vec(tok(), 0..3)),
                option::of(vec(tok(), 1..3)),
                any::<bool>(),
                vec(any::<prop::sample::Index>(), 0..3),
            )
        })
        .prop_map(|(media, id, version, semantic, options, mixed, bundled)| {
            let mut sdp = SessionDescription::new(SdpType::Offer, Origin::new(id, version));
            if mixed {
                sdp.attributes.push(Attribute::ExtmapAllowMixed);
            }
            if let Some(ids) = semantic {
                sdp.attributes.push(Attribute::MsidSemantic(
                    MsidSemantic::new(ids.iter().map(String::as_str)).unwrap(),
                ));
            }
            if let Some(options) = options {
                sdp.attributes.push(Attribute::IceOptions(
                    IceOptions::new(options.iter().map(String::as_str)).unwrap(),
                ));
            }
            sdp.connection = Some(Connection::placeholder());
            let mut mids: Vec<String> = Vec::new();
            for i in bundled {
                if !media.is_empty() {
                    let mid = format!("m{}", i.index(media.len()));
                    if !mids.contains(&mid) {
                        mids.push(mid);
                    }
                }
            }
            if !mids.is_empty() {
                sdp.attributes.insert(
                    0,
                    Attribute::Group(
                        Group::new("BUNDLE", mids.iter().map(String::as_str)).unwrap(),
                    ),
                );
            }
            sdp.media = media;
            sdp
        })
}

const CORPUS: [&str; 4] = [
    include_str!("../../../tests/data/sdp/chromium-stopvideo-balanced-2-offer.sdp"),
    include_str!("../../../tests/data/sdp/chromium-simulcast-1-offer.sdp"),
    include_str!("../../../tests/data/sdp/aiortc-xchromium-stopvideo-2-answer.sdp"),
    include_str!("../../../tests/data/sdp/chromium-stopmedia-maxbundle-3-answer.sdp"),
];

#[derive(Clone, Debug)]
enum Mutation {
    DeleteLine(prop::sample::Index),
    DuplicateLine(prop::sample::Index),
    ReplaceByte(prop::sample::Index, char),
    InsertText(prop::sample::Index, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Mutation::DeleteLine),
        any::<prop::sample::Index>().prop_map(Mutation::DuplicateLine),
        (any::<prop::sample::Index>(), prop::char::range(' ', '~'))
            .prop_map(|(i, c)| Mutation::ReplaceByte(i, c)),
        (any::<prop::sample::Index>(), "[ -~]{0,6}|\r\n|\n|a=|m=")
            .prop_map(|(i, s)| Mutation::InsertText(i, s)),
    ]
}

fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut text = text.to_owned();
    for m in mutations {
        match m {
            Mutation::DeleteLine(i) | Mutation::DuplicateLine(i) => {
                let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
                if lines.is_empty() {
                    continue;
                }
                let at = i.index(lines.len());
                if matches!(m, Mutation::DeleteLine(_)) {
                    lines.remove(at);
                } else {
                    lines.insert(at, lines[at]);
                }
                text = lines.concat();
            }
            Mutation::ReplaceByte(..) | Mutation::InsertText(..) if text.is_empty() => {}
            Mutation::ReplaceByte(i, c) => {
                let at = i.index(text.len());
                if text.is_char_boundary(at) && text.is_char_boundary(at + 1) {
                    text.replace_range(at..=at, &c.to_string());
                }
            }
            Mutation::InsertText(i, s) => {
                let at = i.index(text.len());
                if text.is_char_boundary(at) {
                    text.insert_str(at, s);
                }
            }
        }
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn model_write_parse_is_identity(sdp in description()) {
        let text = sdp.write();
        let parsed = SessionDescription::parse(SdpType::Offer, &text)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&parsed.description, &sdp, "{}", text);
        prop_assert_eq!(parsed.description.write(), text);
    }

    #[test]
    fn parse_write_parse_is_stable(
        which in 0..CORPUS.len(),
        mutations in vec(mutation(), 1..4),
    ) {
        let text = mutate(CORPUS[which], &mutations);
        if let Ok(first) = SessionDescription::parse(SdpType::Offer, &text) {
            let written = first.description.write();
            let second = SessionDescription::parse(SdpType::Offer, &written)
                .map_err(|e| TestCaseError::fail(format!("written text refused: {e}\n{written}")))?;
            prop_assert_eq!(&second.description, &first.description);
            prop_assert_eq!(second.description.write(), written);
        }
    }
}
