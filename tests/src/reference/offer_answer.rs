//! What `createOffer` and `createAnswer` write, from RFC 9429 §5.2 and §5.3 and webrtc-pc
//! (stopping counts as stopped for createOffer only), with tacet's documented choices where
//! the spec leaves one (docs/stop-semantics.md §3.1, §3.2): where the BUNDLE tag goes, that
//! the data section is appended after new media sections, that any kind recycles any slot.
//!
//! New mids are the session's to choose (RFC 9429 §5.2.1 asks only for unique values, and a new
//! one for a recycled slot): the model predicts *where* a new mid goes and checks that the
//! session's choice is new, then learns it.

use tacet_session::{DomException, SignalingState};

use super::peer::{Life, Peer};
use super::sdp::{Desc, DescKind, Dir, Line, LineKind};
use super::{BundleRule, MsidRule};

/// A planned offer: its lines (new mids unknown until the session has chosen them), the
/// transceiver each line belongs to, and the BUNDLE group as line indexes, the tag first.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    pub(crate) lines: Vec<Line>,
    /// Lines whose mid is new (the session chooses it).
    pub(crate) fresh: Vec<bool>,
    pub(crate) owners: Vec<Option<usize>>,
    pub(crate) bundle: Vec<usize>,
}

impl Peer {
    /// `createOffer` then `setLocalDescription(offer)`: what the offer holds. Refused when closed
    /// and in have-remote-offer (an offer cannot be set there: JSEP §5.5 state machine).
    pub(crate) fn plan_offer(&self) -> Result<Plan, DomException> {
        if self.closed() || self.signaling == SignalingState::HaveRemoteOffer {
            return Err(DomException::InvalidStateError);
        }
        // RFC 9429 §5.2.2: a new offer keeps every m-line of the previous one (pending in
        // have-local-offer, else the current local description) in order, with its mid.
        let base: &[Line] = match (&self.pending_local, &self.current_local) {
            (Some(d), _) | (None, Some(d)) => &d.lines,
            (None, None) => &[],
        };
        // "If any RtpTransceiver has been added and there exists an m= section with a zero
        // port in the current local description or the current remote description, that m=
        // section MUST be recycled" — by a transceiver that is not stopping and has no mid, in
        // the order they were added (webrtc-pc: stopping counts as stopped for createOffer;
        // JSEP: a stopped transceiver without a section gets none).
        let rejected_in = |d: &Option<Desc>, i: usize| {
            d.as_ref()
                .and_then(|d| d.lines.get(i))
                .is_some_and(|l| l.rejected)
        };
        let mut waiting = self
            .in_set()
            .filter(|&i| {
                let t = &self.transceivers[i];
                t.mid.is_none() && t.life == Life::Active
            })
            .collect::<Vec<_>>()
            .into_iter()
            .peekable();
        let mut plan = Plan {
            lines: Vec::new(),
            fresh: Vec::new(),
            owners: Vec::new(),
            bundle: Vec::new(),
        };
        for (i, old) in base.iter().enumerate() {
            let owner = if old.is_media() {
                self.with_mid(&old.mid)
            } else {
                None
            };
            let recyclable =
                rejected_in(&self.current_local, i) || rejected_in(&self.current_remote, i);
            match (old.kind, owner) {
                (LineKind::Data, _) => plan.push(self.data_line(old.mid.clone()), false, None),
                (_, Some(t)) => plan.push(self.offer_line(t, old.mid.clone()), false, Some(t)),
                (LineKind::Media(_), None) => match waiting.next_if(|_| recyclable) {
                    Some(t) => plan.push(self.offer_line(t, String::new()), true, Some(t)),
                    // No transceiver takes it: the rejected section again.
                    None => plan.push(Line::rejected(old.mid.clone(), old.kind), false, None),
                },
            }
        }
        // The others are appended, in the order they were added.
        for t in waiting {
            plan.push(self.offer_line(t, String::new()), true, Some(t));
        }
        // RFC 9429 §5.2.1: "Lastly, if a data channel has been created", the data section.
        if self.data_channels > 0 && !base.iter().any(|l| l.kind == LineKind::Data) {
            plan.push(self.data_line(String::new()), true, None);
        }
        plan.bundle = self.offer_bundle(&plan.lines, base);
        Ok(plan)
    }

    /// The offered line of transceiver `t` (its mid `mid`, empty when new): port 0 and no msid
    /// once stopping (webrtc-pc createOffer; RFC 9429 §5.2.2), else live with `[[Direction]]`.
    fn offer_line(&self, t: usize, mid: String) -> Line {
        let model = &self.transceivers[t];
        let kind = LineKind::Media(model.kind);
        if model.life != Life::Active {
            return Line::rejected(mid, kind);
        }
        Line {
            msid: self.writes_msid(t, &mid),
            mid,
            kind,
            rejected: false,
            dir: model.direction,
        }
    }

    /// Whether transceiver `t`'s live section `mid` carries `a=msid` ([`MsidRule`]).
    fn writes_msid(&self, t: usize, mid: &str) -> bool {
        let model = &self.transceivers[t];
        match self.rules.msid {
            MsidRule::Jsep => {
                let kept = self
                    .current_local
                    .as_ref()
                    .and_then(|d| d.line(mid))
                    .is_some_and(|l| !l.rejected && l.msid);
                model.life < Life::Stopped && (model.direction.send || kept)
            }
            MsidRule::WithTrack => model.direction.send && model.has_track,
        }
    }

    fn data_line(&self, mid: String) -> Line {
        Line {
            mid,
            kind: LineKind::Data,
            rejected: false,
            dir: Dir::SENDRECV,
            msid: false,
        }
    }

    /// The offer's BUNDLE group: every live line (RFC 9429 §5.2.2: the previous group minus
    /// the rejected plus the new), the tag first. tacet keeps the current tag while its line
    /// is live and otherwise takes the first live line in m-line order
    /// (docs/stop-semantics.md §3.1, §4.2 "Where the BUNDLE tag moves").
    fn offer_bundle(&self, lines: &[Line], base: &[Line]) -> Vec<usize> {
        let previous_tag = match (&self.pending_local, self.current_answer()) {
            (Some(offer), _) => offer.bundle.first(),
            (None, Some(answer)) => answer.bundle.first(),
            (None, None) => None,
        };
        let live: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].rejected).collect();
        let tag = previous_tag
            .and_then(|mid| base.iter().position(|l| &l.mid == mid))
            .filter(|i| live.contains(i))
            .or_else(|| live.first().copied());
        let Some(tag) = tag else { return Vec::new() };
        std::iter::once(tag)
            .chain(live.into_iter().filter(|&i| i != tag))
            .collect()
    }

    /// The answer of the current exchange (ours or the peer's).
    fn current_answer(&self) -> Option<&Desc> {
        [&self.current_local, &self.current_remote]
            .into_iter()
            .flatten()
            .find(|d| d.kind == DescKind::Answer)
    }

    /// `createAnswer` then `setLocalDescription(answer)` in have-remote-offer (RFC 9429 §5.3.1):
    /// each offered line answered in order with the offer's mid; rejected when the offer
    /// rejects it, when its transceiver is **stopped** (a stopping one answers live with its
    /// `[[Direction]]`, inactive: webrtc-pc "will not affect createAnswer"), when the bundle
    /// policy excludes it, or when the offerer-tagged line of its group is rejected (then the
    /// whole group is: RFC 9143 §7.3.3). The serial is filled in when it is set.
    pub(crate) fn plan_answer(&self) -> Result<Desc, DomException> {
        let (false, Some(offer)) = (self.closed(), &self.pending_remote) else {
            return Err(DomException::InvalidStateError);
        };
        let mut lines: Vec<Line> = Vec::with_capacity(offer.lines.len());
        for offered in &offer.lines {
            let excluded = match self.rules.bundle {
                // max-bundle: a live section outside every offered group is rejected.
                BundleRule::MaxBundleRejectsUngrouped => {
                    !offered.rejected && !offer.bundle.contains(&offered.mid)
                }
            };
            let owner = self.with_mid(&offered.mid);
            let line = match (offered.kind, owner) {
                _ if offered.rejected || excluded => {
                    Line::rejected(offered.mid.clone(), offered.kind)
                }
                (LineKind::Data, _) => self.data_line(offered.mid.clone()),
                (LineKind::Media(_), Some(t)) if self.transceivers[t].life < Life::Stopped => {
                    let model = &self.transceivers[t];
                    Line {
                        mid: offered.mid.clone(),
                        kind: offered.kind,
                        rejected: false,
                        dir: model.direction.and(offered.dir.reversed()),
                        msid: self.writes_msid(t, &offered.mid),
                    }
                }
                (LineKind::Media(_), _) => Line::rejected(offered.mid.clone(), offered.kind),
            };
            lines.push(line);
        }
        let tag_rejected = offer
            .bundle
            .first()
            .and_then(|tag| lines.iter().find(|l| &l.mid == tag))
            .is_some_and(|l| l.rejected);
        if tag_rejected {
            for line in &mut lines {
                if offer.bundle.contains(&line.mid) && !line.rejected {
                    *line = Line::rejected(line.mid.clone(), line.kind);
                }
            }
        }
        let bundle = offer
            .bundle
            .iter()
            .filter(|mid| lines.iter().any(|l| &l.mid == *mid && !l.rejected))
            .cloned()
            .collect();
        Ok(Desc {
            kind: DescKind::Answer,
            author: self.who,
            serial: 0,
            answers: Some(offer.serial),
            lines,
            bundle,
        })
    }
}

impl Plan {
    fn push(&mut self, line: Line, fresh: bool, owner: Option<usize>) {
        self.lines.push(line);
        self.fresh.push(fresh);
        self.owners.push(owner);
    }
}
