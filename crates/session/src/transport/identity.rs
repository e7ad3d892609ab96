//! Which transport a description describes (docs/decisions/0006): the facts that identify the
//! peer's end of an ICE transport, so that a re-tagged BUNDLE group's kept transport is told
//! apart from one the peer built anew (Chromium and Firefox do on a tag move,
//! interop-findings §5, §7).
//!
//! A transport is its sockets. What identifies one is the transport address the peer receives
//! on — (protocol, address, port) — of each candidate that can carry it. Everything else in a
//! candidate line repeats across transports or carries no information:
//! - `tcptype active` candidates never accept a connection and always carry port 9 (RFC 6544
//!   §4.5): both browsers write the same lines for every transport;
//! - the foundation, priority, `generation`, `network-id` and other extensions, and the
//!   related address (`raddr`/`rport`: the base of a srflx or relay candidate, `0.0.0.0 0`
//!   when the browser hides it, as draft-ietf-rtcweb-mdns-ice-candidates asks) describe how a
//!   candidate was found, not where it receives;
//! - placeholder addresses (`0.0.0.0`, `::`, port 0) are no address at all;
//! - an mDNS `.local` name stands for one host address for the lifetime of the page (the
//!   draft's -04 §5.3: names are "scoped by origin" with "the lifetime of the page"), so a new
//!   transport on the same host gets the same name and a new port: the name is not compared,
//!   the port is.
//!
//! The m-line port and `c=` address (the default candidate, RFC 8839) identify the
//! transport too unless they are JSEP's placeholders (port 9, `IN IP4 0.0.0.0`, RFC 9429
//! §5.2.1); they are consulted only when the section lists no identifying candidate, because
//! Chromium leaves a stale m-line port beside new candidates (OBSERVATIONS §5).

use std::collections::BTreeSet;
use std::net::IpAddr;

use tacet_sdp::{Candidate, DISCARD_PORT, SessionDescription};

/// A transport address the peer receives on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Endpoint {
    /// `udp` or `tcp` (lower case; candidate lines write either case).
    protocol: String,
    host: Host,
    port: u16,
}

/// The address part of an [`Endpoint`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Host {
    /// An IP address, parsed (so `fd00::2` and `fd00:0::2` are one address).
    Ip(IpAddr),
    /// An mDNS `.local` name: which one is not compared (module docs).
    Mdns,
    /// Another FQDN, lower case.
    Name(String),
}

impl Endpoint {
    /// The endpoint `protocol address port` names, or `None` for a placeholder.
    fn new(protocol: &str, address: &str, port: u16) -> Option<Self> {
        if port == 0 {
            return None;
        }
        let host = match address.parse::<IpAddr>() {
            Ok(ip) if ip.is_unspecified() => return None,
            Ok(ip) => Host::Ip(ip),
            Err(_) => {
                let name = address.to_ascii_lowercase();
                if name.ends_with(".local") {
                    Host::Mdns
                } else {
                    Host::Name(name)
                }
            }
        };
        Some(Self {
            protocol: protocol.to_ascii_lowercase(),
            host,
            port,
        })
    }

    /// What `candidate` identifies, or `None` when it identifies nothing (module docs).
    pub(crate) fn of_candidate(candidate: &Candidate) -> Option<Self> {
        if candidate.transport().eq_ignore_ascii_case("tcp") {
            // RFC 6544 §4.5: an active candidate's port is 9 and it never listens; a TCP
            // candidate on port 9 without a tcptype is the same placeholder.
            let active = candidate
                .extension("tcptype")
                .is_some_and(|t| t.eq_ignore_ascii_case("active"));
            if active || candidate.port() == DISCARD_PORT {
                return None;
            }
        }
        Self::new(candidate.transport(), candidate.address(), candidate.port())
    }
}

/// What one m-section says about the transport it carries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Described {
    /// The endpoints of its candidates that identify something.
    candidates: BTreeSet<Endpoint>,
    /// Its m-line port and `c=` address, unless they are placeholders.
    default: Option<Endpoint>,
}

impl Described {
    /// What section `index` of `description` says (its candidates, trickled ones included:
    /// `addIceCandidate` writes them into the remote description).
    pub(crate) fn section(description: &SessionDescription, index: usize) -> Self {
        let Some(section) = description.media.get(index) else {
            return Self::default();
        };
        let candidates = section
            .attributes
            .candidates()
            .filter_map(Endpoint::of_candidate)
            .collect();
        // RFC 9429 §5.2.1: port 9 (discard: nothing receives there) and `IN IP4 0.0.0.0`
        // stand for "no candidate yet", whichever of the two is written.
        let default = (section.port != DISCARD_PORT)
            .then(|| {
                section
                    .connections
                    .first()
                    .or(description.connection.as_ref())
            })
            .flatten()
            .and_then(|c| {
                let protocol = if section.proto.to_ascii_uppercase().starts_with("TCP") {
                    "tcp"
                } else {
                    "udp"
                };
                Endpoint::new(protocol, &c.address, section.port)
            });
        Self {
            candidates,
            default,
        }
    }

    /// A candidate trickled for the section before the description came, learnt as one of
    /// its lines.
    pub(crate) fn learn_candidate(&mut self, candidate: &Candidate) {
        self.candidates.extend(Endpoint::of_candidate(candidate));
    }
}

/// Every endpoint the session learnt a transport's remote end by: from each description
/// applied while it served a group, and from each candidate trickled to it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Known(BTreeSet<Endpoint>);

impl Described {
    /// Whether it lists a transport address among its candidates (else only its m-line's
    /// default address, if any, can tell which transport it is).
    pub(crate) fn lists_addresses(&self) -> bool {
        !self.candidates.is_empty()
    }
}

impl Known {
    /// What `described` says, learnt.
    pub(crate) fn learn(&mut self, described: &Described) {
        self.0.extend(described.candidates.iter().cloned());
        self.0.extend(described.default.iter().cloned());
    }

    /// A trickled candidate, learnt.
    pub(crate) fn learn_candidate(&mut self, candidate: &Candidate) {
        self.0.extend(Endpoint::of_candidate(candidate));
    }

    /// Whether `candidate` is a host candidate on an address the transport is known by, at a
    /// port it is not: a new socket on the same interface — a new transport, since a kept one
    /// gathers no new host candidate on an address it already has (a kept transport's late
    /// candidates are server-reflexive or relayed ones, or host ones on another interface).
    pub(crate) fn is_new_socket(&self, candidate: &Candidate) -> bool {
        let Some(endpoint) = Endpoint::of_candidate(candidate) else {
            return false;
        };
        candidate.kind().eq_ignore_ascii_case("host")
            && !self.0.contains(&endpoint)
            && self
                .0
                .iter()
                .any(|known| known.protocol == endpoint.protocol && known.host == endpoint.host)
    }

    /// Whether `new_tag`, the section a group's tag moved to, describes another transport than
    /// the one known by these endpoints (decision 0006):
    /// - a transport known by nothing yet cannot be told apart: kept;
    /// - a section with identifying candidates is the same transport when one of them is
    ///   known (one socket in common is one transport: a new one binds new sockets while the
    ///   old ones are still open, make-before-break), another transport when none is;
    /// - a section with none is judged by its m-line and `c=`: known, the same transport; a
    ///   real address not known, another; JSEP's placeholders, another — a kept transport is
    ///   described with the candidates and default address it already has (RFC 9429 §5.2.2,
    ///   §5.3.2: later descriptions carry the candidates gathered so far, as Chromium, Firefox
    ///   and tacet do), a new one has none yet.
    pub(crate) fn is_replaced_by(&self, new_tag: &Described) -> bool {
        if self.0.is_empty() {
            return false;
        }
        if !new_tag.candidates.is_empty() {
            return new_tag.candidates.is_disjoint(&self.0);
        }
        new_tag.default.as_ref().is_none_or(|d| !self.0.contains(d))
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "test code: a failed unwrap is a failed test"
    )]

    use super::*;

    fn endpoint(line: &str) -> Option<Endpoint> {
        Endpoint::of_candidate(&Candidate::new(line).unwrap())
    }

    #[test]
    fn an_endpoint_ignores_how_the_candidate_was_found() {
        assert_eq!(
            endpoint("1138791669 1 udp 2122194687 fd00::2 46425 typ host generation 0"),
            endpoint("9 1 UDP 2122252543 fd00:0::2 46425 typ host network-id 2"),
        );
        assert_eq!(
            endpoint("1 1 udp 1686052607 198.51.100.7 61000 typ srflx raddr 0.0.0.0 rport 0"),
            endpoint("2 1 udp 1686052351 198.51.100.7 61000 typ srflx raddr 192.0.2.2 rport 40296"),
        );
        assert_eq!(
            endpoint("1 1 udp 1 192.0.2.2 40296 typ host"),
            endpoint("1 2 udp 2 192.0.2.2 40296 typ host"),
        );
        assert_ne!(
            endpoint("1 1 udp 1 192.0.2.2 40296 typ host"),
            endpoint("1 1 tcp 1 192.0.2.2 40296 typ host tcptype passive"),
        );
    }

    #[test]
    fn active_tcp_and_placeholders_identify_nothing() {
        for line in [
            "3175759969 1 tcp 1518214911 192.0.2.2 9 typ host tcptype active generation 0",
            "4 1 TCP 2105327871 127.0.0.1 9 typ host tcptype active",
            "5 1 tcp 2105327871 127.0.0.1 50000 typ host tcptype ACTIVE",
            "1 1 udp 1 0.0.0.0 40000 typ host",
            "1 1 udp 1 :: 40000 typ host",
            "1 1 udp 1 192.0.2.2 0 typ host",
        ] {
            assert_eq!(endpoint(line), None, "{line}");
        }
        assert!(endpoint("6 1 tcp 1 192.0.2.2 9000 typ host tcptype passive").is_some());
        assert!(endpoint("7 1 tcp 1 192.0.2.2 9001 typ host tcptype so").is_some());
    }

    #[test]
    fn an_mdns_name_is_compared_by_port_only() {
        let a = endpoint("1 1 udp 1 3c2b8e1a-0d7f-4a55-9f0e-1b2c3d4e5f60.local 51000 typ host");
        let renamed =
            endpoint("1 1 udp 1 9D1E6A2B-77C4-4E0B-8A3F-0A1B2C3D4E5F.LOCAL 51000 typ host");
        let other_port =
            endpoint("1 1 udp 1 3c2b8e1a-0d7f-4a55-9f0e-1b2c3d4e5f60.local 51001 typ host");
        assert!(a.is_some());
        assert_eq!(a, renamed);
        assert_ne!(a, other_port);
    }
}
