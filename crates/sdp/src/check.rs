//! Rules that need two descriptions: an answer against its offer, a description against the
//! one it follows. Strict rules are errors; what real peers get wrong harmlessly is a warning
//! (the session decides, by policy, what to tolerate).

use std::collections::HashSet;

use crate::attribute::{Attribute, Group};
use crate::error::{Error, Location, Warning, WarningKind};
use crate::model::SessionDescription;

impl SessionDescription {
    /// The rules within one description that [`SessionDescription::parse`] checks — every
    /// m= line well-formed (RFC 8866 §9: media type, protocol and formats are tokens), unique
    /// mids (RFC 5888 §4), BUNDLE groups naming existing mids once (RFC 9143 §7), a mid on
    /// every section when BUNDLE is used — for a description built or edited in code. Errors
    /// carry no line numbers (there is no text).
    pub fn validate(&self) -> Result<(), Error> {
        for (index, m) in self.media.iter().enumerate() {
            if let Some(message) =
                crate::parse::m_line_problem(m.kind.as_str(), &m.proto, &m.formats)
            {
                return Err(Error::Syntax {
                    at: Location::section(index, m.mid()),
                    message: message.to_owned(),
                });
            }
        }
        crate::parse::validate(self, "", &mut Vec::with_capacity(self.media.len()))
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
        let by_mid = self.mid_index();
        let offer_by_mid = offer.mid_index();
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
                if let Some((index, m)) = by_mid.get(mid)
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
            let Some((index, answer)) = by_mid.get(tag) else {
                continue;
            };
            let offer_tag_live = offer_by_mid.get(tag).is_some_and(|(_, m)| !m.is_rejected());
            let others_live = group
                .mids()
                .skip(1)
                .any(|mid| by_mid.get(mid).is_some_and(|(_, m)| !m.is_rejected()));
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

    /// Tolerant reading of an answer that keeps alive what its `offer` rejected, the way
    /// aiortc 1.16 answers a stop: each section rejected in the offer but live here is
    /// rejected (port 0), and each such mid is left out of this answer's BUNDLE groups, with
    /// one warning per change. Nothing else is touched: [`Self::check_answer`] still applies
    /// every other rule to the result. Returns no warning for a conforming answer.
    pub fn reject_what_the_offer_rejected(&mut self, offer: &Self) -> Vec<Warning> {
        let mut warnings = Vec::new();
        let mut removed: Vec<String> = Vec::new();
        for (index, section) in self.media.iter_mut().enumerate() {
            let Some(offered) = offer.media.get(index) else {
                break;
            };
            if !offered.is_rejected() || offered.kind != section.kind {
                continue;
            }
            let mid = section
                .mid()
                .map(|m| m.as_str().to_owned())
                .unwrap_or_default();
            if !section.is_rejected() {
                section.port = 0;
                section.attributes.0.retain(|a| *a != Attribute::BundleOnly);
                warnings.push(Warning {
                    at: Location::section(index, section.mid()),
                    kind: WarningKind::LivePortForRejectedSection { mid: mid.clone() },
                });
            }
            removed.push(mid);
        }
        let mut left_out: Vec<String> = Vec::new();
        let mut attributes = Vec::with_capacity(self.attributes.0.len());
        for attribute in std::mem::take(&mut self.attributes.0) {
            let Attribute::Group(group) = &attribute else {
                attributes.push(attribute);
                continue;
            };
            let (dropped, kept): (Vec<&str>, Vec<&str>) = group
                .mids()
                .partition(|m| group.is_bundle() && removed.iter().any(|r| r == m));
            if dropped.is_empty() {
                attributes.push(attribute);
                continue;
            }
            left_out.extend(dropped.iter().map(|m| (*m).to_owned()));
            // The kept mids are tokens of a parsed group, so the smaller group is valid too;
            // a group left with no mid is dropped.
            if !kept.is_empty()
                && let Ok(smaller) = Group::new(group.semantics(), kept)
            {
                attributes.push(Attribute::Group(smaller));
            }
        }
        self.attributes.0 = attributes;
        for mid in left_out {
            warnings.push(Warning {
                at: Location::default(),
                kind: WarningKind::RejectedMidInBundle { mid },
            });
        }
        warnings
    }

    /// Checks this description against the `previous` one from the same author (RFC 3264 §8:
    /// the o= line stays the same except its version, which increases when the content
    /// changes). A version that goes down is an error. What real peers get wrong harmlessly is
    /// a warning: a changed origin (aiortc 1.16 derives the session id and version from the
    /// clock for every description, so both change between descriptions a second apart; the
    /// versions are then not compared) and a changed description with the same version
    /// (aiortc 1.16 within one second).
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
            return Ok(vec![Warning {
                at,
                kind: WarningKind::OriginChanged {
                    from: p.session_id.clone(),
                    to: o.session_id.clone(),
                },
            }]);
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
