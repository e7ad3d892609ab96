//! Rules that need two descriptions: an answer against its offer, a description against the
//! one it follows. Strict rules are errors; what real peers get wrong harmlessly is a warning
//! (the session decides, by policy, what to tolerate).

use std::collections::HashSet;

use crate::error::{Error, Location, Warning, WarningKind};
use crate::model::SessionDescription;

impl SessionDescription {
    /// The rules within one description that [`SessionDescription::parse`] checks after
    /// parsing — unique mids (RFC 5888 §4), BUNDLE groups naming existing mids once
    /// (RFC 9143 §7), a mid on every section when BUNDLE is used — for a description built or
    /// edited in code. Errors carry no line numbers (there is no text).
    pub fn validate(&self) -> Result<(), Error> {
        crate::parse::validate(self, "")
    }

    /// Checks this answer against the `offer` it answers:
    ///
    /// - the same number of m-sections, and at each index the same media type and mid
    ///   (RFC 3264 §6, RFC 9429 §5.3.1);
    /// - a section rejected (port 0, not bundle-only) in the offer is rejected in the answer
    ///   (RFC 3264 §8.2);
    /// - every mid of an answer BUNDLE group is in one offered BUNDLE group (RFC 9143 §7.3.1:
    ///   the check that refuses aiortc 1.16's answer to a stop, as Chromium does with "A BUNDLE
    ///   group in answer contains a MID that was not in the offered group");
    /// - no rejected section is in an answer BUNDLE group (RFC 9143 §7.3.3);
    /// - the offerer-tagged section is not rejected while others of its group stay
    ///   (RFC 9143 §7.3.3: reject the whole group or none).
    pub fn check_answer(&self, offer: &Self) -> Result<(), Error> {
        let mismatch = |index: usize, reason: String, rule| Error::AnswerMismatch {
            at: Location::section(index, self.media.get(index).and_then(|m| m.mid())),
            reason,
            rule,
        };
        if self.media.len() != offer.media.len() {
            return Err(Error::AnswerMismatch {
                at: Location::default(),
                reason: format!(
                    "{} m-sections answer {} offered",
                    self.media.len(),
                    offer.media.len()
                ),
                rule: "RFC 3264 §6: the answer has exactly as many m= lines as the offer",
            });
        }
        for (index, (answer, offered)) in self.media.iter().zip(&offer.media).enumerate() {
            if answer.kind != offered.kind {
                return Err(mismatch(
                    index,
                    format!("media type {} answers {}", answer.kind, offered.kind),
                    "RFC 3264 §6: each answer m= line has the offer's media type",
                ));
            }
            if answer.mid() != offered.mid() {
                return Err(mismatch(
                    index,
                    format!(
                        "mid {:?} answers mid {:?}",
                        answer.mid().map(|m| m.as_str()),
                        offered.mid().map(|m| m.as_str())
                    ),
                    "RFC 9429 §5.3.1: the answer's a=mid is the offer's",
                ));
            }
        }
        let offered_groups: Vec<HashSet<&str>> =
            offer.bundle_groups().map(|g| g.mids().collect()).collect();
        for group in self.bundle_groups() {
            let mids: Vec<&str> = group.mids().collect();
            let Some(first) = mids.first() else { continue };
            let Some(offered) = offered_groups.iter().find(|g| g.contains(first)) else {
                return Err(not_offered(self, first));
            };
            if let Some(stray) = mids.iter().find(|m| !offered.contains(*m)) {
                return Err(not_offered(self, stray));
            }
            for mid in &mids {
                if let Some((index, m)) = self.media_by_mid(mid)
                    && m.is_rejected()
                {
                    return Err(mismatch(
                        index,
                        format!("rejected mid {mid} is in the answer's BUNDLE group"),
                        "RFC 9143 §7.3.3: a rejected m= section leaves the BUNDLE group",
                    ));
                }
            }
        }
        for (index, (answer, offered)) in self.media.iter().zip(&offer.media).enumerate() {
            if offered.is_rejected() && !answer.is_rejected() {
                return Err(mismatch(
                    index,
                    "a section rejected in the offer has a live port in the answer".into(),
                    "RFC 3264 §8.2: a stream removed with port 0 stays port 0 in the answer",
                ));
            }
        }
        // The offerer-tagged section: the first mid of each offered group.
        for group in offer.bundle_groups() {
            let Some(tag) = group.mids().next() else {
                continue;
            };
            let Some((index, answer)) = self.media_by_mid(tag) else {
                continue;
            };
            let offer_tag_live = offer
                .media_by_mid(tag)
                .is_some_and(|(_, m)| !m.is_rejected());
            let others_live = group.mids().skip(1).any(|mid| {
                self.media_by_mid(mid)
                    .is_some_and(|(_, m)| !m.is_rejected())
            });
            if offer_tag_live && answer.is_rejected() && others_live {
                return Err(mismatch(
                    index,
                    format!("the offerer-tagged section {tag} is rejected but its group lives on"),
                    "RFC 9143 §7.3.3: rejecting the offerer-tagged m= section rejects the whole group",
                ));
            }
        }
        Ok(())
    }

    /// Checks this description against the `previous` one from the same author:
    /// the origin stays the same except the version, which never decreases (error) and
    /// increases when the content changed (a warning when it does not: aiortc 1.16 never
    /// increases it). RFC 3264 §8.
    pub fn check_follows(&self, previous: &Self) -> Result<Vec<Warning>, Error> {
        let (o, p) = (&self.origin, &previous.origin);
        let at = Location::line(2);
        if (
            &o.username,
            &o.session_id,
            &o.nettype,
            &o.addrtype,
            &o.address,
        ) != (
            &p.username,
            &p.session_id,
            &p.nettype,
            &p.addrtype,
            &p.address,
        ) {
            return Err(Error::OriginMismatch {
                at,
                reason: "the o= line changed beyond its version".into(),
                rule: "RFC 3264 §8: only the version of the o= line changes",
            });
        }
        if o.session_version < p.session_version {
            return Err(Error::OriginMismatch {
                at,
                reason: format!(
                    "session version went down from {} to {}",
                    p.session_version, o.session_version
                ),
                rule: "RFC 3264 §8: the version increases",
            });
        }
        let mut warnings = Vec::new();
        if o.session_version == p.session_version && !self.same_content(previous) {
            warnings.push(Warning {
                at,
                kind: WarningKind::SessionVersionNotIncreased {
                    version: o.session_version,
                },
            });
        }
        Ok(warnings)
    }

    /// Equal apart from the origin's version.
    fn same_content(&self, other: &Self) -> bool {
        let Self {
            sdp_type: _,
            origin: _,
            session_name,
            info,
            uri,
            emails,
            phones,
            connection,
            bandwidths,
            times,
            time_zones,
            key,
            attributes,
            media,
        } = self;
        (session_name, info, uri, emails, phones, connection)
            == (
                &other.session_name,
                &other.info,
                &other.uri,
                &other.emails,
                &other.phones,
                &other.connection,
            )
            && (bandwidths, times, time_zones, key, attributes, media)
                == (
                    &other.bandwidths,
                    &other.times,
                    &other.time_zones,
                    &other.key,
                    &other.attributes,
                    &other.media,
                )
    }
}

fn not_offered(answer: &SessionDescription, mid: &str) -> Error {
    Error::AnswerMismatch {
        at: answer
            .media_by_mid(mid)
            .map(|(index, m)| Location::section(index, m.mid()))
            .unwrap_or_default(),
        reason: format!(
            "BUNDLE group in the answer contains mid {mid}, which was not in the offered group"
        ),
        rule: "RFC 9143 §7.3.1: the answerer only bundles m= sections the offer bundled",
    }
}
