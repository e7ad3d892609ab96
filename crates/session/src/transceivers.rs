//! The transceiver part of the session: every transceiver ever created (removed ones stay, as
//! objects do in JavaScript), the SSRCs and mids ever used (never reused), and the journal
//! that makes a failed call leave them untouched.
//!
//! Invariants this part owns:
//! - a [`TransceiverId`] is the index of its transceiver in the list, and never changes;
//! - an SSRC is handed out once per session (stop-semantics §6 item 12: a stopped sender's
//!   SSRCs are never reused), and so is a mid (RFC 9429 §5.2.2 "a new MID value");
//! - while a call runs, the first write to a transceiver saves its previous value, so
//!   [`Transceivers::rollback`] puts back exactly what the call changed (docs/decisions/0005).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use tacet_track::{EndedPolicy, Track, TrackKind};
use tacet_transceiver_fsm::{Direction, Transceiver};

use crate::error::Error;
use crate::rng::Rng;
use crate::transceiver::{Origin, RtpReceiver, RtpSender, RtpTransceiver, TransceiverId};

/// What a running call changed, to undo it if the call fails.
#[derive(Clone, Debug, Default)]
struct Journal {
    /// The call's number: an entry saved in this call has `saved_in[index] == call`.
    call: u64,
    /// The list's length when the call started: later entries are the call's own.
    len: usize,
    /// The previous value of each entry the call wrote to, once.
    saved: Vec<(usize, RtpTransceiver)>,
    ssrcs: Vec<u32>,
    mids: Vec<Arc<str>>,
    next_mid: u32,
}

/// Every transceiver of the session, and the identifiers it used.
#[derive(Clone, Debug, Default)]
pub(crate) struct Transceivers {
    /// The session's tag in every id it hands out.
    session: u64,
    list: Vec<RtpTransceiver>,
    used_ssrcs: BTreeSet<u32>,
    /// Shared with the journal of the call that added a mid: one allocation per mid.
    used_mids: BTreeSet<Arc<str>>,
    next_mid: u32,
    /// Parallel to `list`: the number of the call that last saved each entry.
    saved_in: Vec<u64>,
    /// The calls started so far.
    calls: u64,
    /// `Some` while a call runs.
    journal: Option<Journal>,
}

/// Two sets are equal when they hold the same transceivers and identifiers; the journal is
/// bookkeeping of the call in progress.
impl PartialEq for Transceivers {
    fn eq(&self, other: &Self) -> bool {
        self.session == other.session
            && self.list == other.list
            && self.used_ssrcs == other.used_ssrcs
            && self.used_mids == other.used_mids
            && self.next_mid == other.next_mid
    }
}

impl Eq for Transceivers {}

impl Transceivers {
    /// An empty set whose ids carry the tag `session`.
    pub(crate) fn new(session: u64) -> Self {
        Self {
            session,
            ..Self::default()
        }
    }

    // ---- reading -----------------------------------------------------------------------

    /// Every transceiver ever created, removed ones included, in creation order.
    pub(crate) fn all(&self) -> &[RtpTransceiver] {
        &self.list
    }

    /// The set of transceivers (`getTransceivers()`): removed ones are not in it.
    pub(crate) fn in_set(&self) -> impl DoubleEndedIterator<Item = &RtpTransceiver> {
        self.list.iter().filter(|t| t.fsm.rules().in_set)
    }

    /// One transceiver, also after its removal.
    pub(crate) fn get(&self, id: TransceiverId) -> Result<&RtpTransceiver, Error> {
        self.index_of(id).map(|index| &self.list[index])
    }

    /// Where `id` is in the list: refused when another session made it.
    fn index_of(&self, id: TransceiverId) -> Result<usize, Error> {
        if id.session() != self.session {
            return Err(Error::ForeignTransceiver(id));
        }
        let index = id.index();
        if index < self.list.len() {
            Ok(index)
        } else {
            Err(Error::UnknownTransceiver(id))
        }
    }

    /// The associated transceivers by mid, for loops over m-sections (one pass instead of a
    /// scan of the set per section).
    pub(crate) fn by_mid(&self) -> HashMap<String, TransceiverId> {
        self.in_set()
            .filter_map(|t| t.mid().map(|mid| (mid.as_str().to_owned(), t.id)))
            .collect()
    }

    /// The transceiver in the set associated with `mid`.
    pub(crate) fn with_mid(&self, mid: &str) -> Option<&RtpTransceiver> {
        self.in_set()
            .find(|t| t.mid().is_some_and(|m| m.as_str() == mid))
    }

    // ---- writing -----------------------------------------------------------------------

    /// One transceiver, to change it. The first write in a call saves it for
    /// [`rollback`](Self::rollback).
    pub(crate) fn get_mut(&mut self, id: TransceiverId) -> Result<&mut RtpTransceiver, Error> {
        let index = self.index_of(id)?;
        let entry = &mut self.list[index];
        if let Some(journal) = &mut self.journal
            && index < journal.len
            && self.saved_in[index] != journal.call
        {
            self.saved_in[index] = journal.call;
            journal.saved.push((index, entry.clone()));
        }
        Ok(entry)
    }

    /// "Create an RTCRtpTransceiver": a sender with fresh SSRCs (RTX too for video), a live
    /// receiver track, `[[Direction]]` = `direction`.
    pub(crate) fn create(
        &mut self,
        kind: TrackKind,
        direction: Direction,
        origin: Origin,
        rng: &mut Rng,
        ended_policy: EndedPolicy,
    ) -> TransceiverId {
        let id = TransceiverId::at(self.session, self.list.len());
        let ssrc = self.new_ssrc(rng);
        let rtx_ssrc = (kind == TrackKind::Video).then(|| self.new_ssrc(rng));
        let track_id = rng.id();
        self.list.push(RtpTransceiver {
            id,
            kind,
            fsm: Transceiver::new(direction),
            sender: RtpSender {
                transceiver: id,
                track: None,
                streams: Vec::new(),
                ssrc,
                rtx_ssrc,
                sent: false,
            },
            receiver: RtpReceiver {
                transceiver: id,
                track: Track::new_receiver(kind, track_id).with_ended_policy(ended_policy),
                remote_streams: Vec::new(),
                stable_remote_streams: Vec::new(),
            },
            origin,
            add_track_touched: false,
            codecs: Arc::from([]),
        });
        // A new entry is the call's own: rollback truncates it, nothing to save.
        self.saved_in
            .push(self.journal.as_ref().map_or(0, |j| j.call));
        id
    }

    /// A fresh SSRC: random, never used before in this session.
    fn new_ssrc(&mut self, rng: &mut Rng) -> u32 {
        loop {
            let ssrc = rng.next_u32();
            if ssrc != 0 && self.used_ssrcs.insert(ssrc) {
                if let Some(journal) = &mut self.journal {
                    journal.ssrcs.push(ssrc);
                }
                return ssrc;
            }
        }
    }

    /// A new mid: the next number no description of this session has used.
    pub(crate) fn new_mid(&mut self) -> String {
        loop {
            let mid = self.next_mid.to_string();
            self.next_mid += 1;
            if !self.used_mids.contains(mid.as_str()) {
                return mid;
            }
        }
    }

    /// A description of this session (local or remote) used `mid`: it is never handed out.
    pub(crate) fn mid_used(&mut self, mid: &str) {
        if self.used_mids.contains(mid) {
            return;
        }
        let mid: Arc<str> = Arc::from(mid);
        if let Some(journal) = &mut self.journal {
            journal.mids.push(Arc::clone(&mid));
        }
        self.used_mids.insert(mid);
    }

    // ---- the journal ---------------------------------------------------------------------

    /// A call starts: from now on every change is journaled.
    pub(crate) fn begin(&mut self) {
        self.calls += 1;
        self.journal = Some(Journal {
            call: self.calls,
            len: self.list.len(),
            next_mid: self.next_mid,
            ..Journal::default()
        });
    }

    /// The call succeeded: keep its changes.
    pub(crate) fn commit(&mut self) {
        self.journal = None;
    }

    /// The call failed: put back what it changed.
    pub(crate) fn rollback(&mut self) {
        let Some(journal) = self.journal.take() else {
            return;
        };
        self.list.truncate(journal.len);
        self.saved_in.truncate(journal.len);
        for (index, previous) in journal.saved {
            self.list[index] = previous;
        }
        for ssrc in &journal.ssrcs {
            self.used_ssrcs.remove(ssrc);
        }
        for mid in &journal.mids {
            self.used_mids.remove(&**mid);
        }
        self.next_mid = journal.next_mid;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set_with(n: usize, rng: &mut Rng) -> Transceivers {
        let mut set = Transceivers::new(9);
        for _ in 0..n {
            set.create(
                TrackKind::Video,
                Direction::SendRecv,
                Origin::Local,
                rng,
                EndedPolicy::default(),
            );
        }
        set
    }

    #[test]
    fn a_rolled_back_call_leaves_the_set_as_it_was() {
        let mut rng = Rng::new(7);
        let mut set = set_with(3, &mut rng);
        let before = set.clone();
        set.begin();
        let first = TransceiverId::at(9, 0);
        set.get_mut(first).unwrap().add_track_touched = true;
        // A second write in the same call must not overwrite the saved original.
        set.get_mut(first).unwrap().origin = Origin::RemoteOffer;
        set.create(
            TrackKind::Audio,
            Direction::RecvOnly,
            Origin::Local,
            &mut rng,
            EndedPolicy::default(),
        );
        let mid = set.new_mid();
        set.mid_used(&mid);
        set.mid_used("remote-mid");
        assert_ne!(set, before);
        set.rollback();
        assert_eq!(set, before);
    }

    #[test]
    fn a_committed_call_keeps_its_changes_and_the_next_call_journals_afresh() {
        let mut rng = Rng::new(7);
        let mut set = set_with(2, &mut rng);
        set.begin();
        set.get_mut(TransceiverId::at(9, 1))
            .unwrap()
            .add_track_touched = true;
        set.commit();
        let after_first = set.clone();
        set.begin();
        set.get_mut(TransceiverId::at(9, 1)).unwrap().origin = Origin::RemoteOffer;
        set.rollback();
        assert_eq!(set, after_first);
        assert!(set.all()[1].add_track_touched);
    }

    #[test]
    fn another_sessions_id_is_refused_as_foreign() {
        let mut rng = Rng::new(3);
        let set = set_with(1, &mut rng);
        let foreign = TransceiverId::at(10, 0);
        assert_eq!(set.get(foreign), Err(Error::ForeignTransceiver(foreign)));
        let unknown = TransceiverId::at(9, 5);
        assert_eq!(set.get(unknown), Err(Error::UnknownTransceiver(unknown)));
    }

    #[test]
    fn ssrcs_and_mids_are_never_handed_out_twice() {
        let mut rng = Rng::new(1);
        let mut set = set_with(50, &mut rng);
        let ssrcs: BTreeSet<u32> = set.all().iter().flat_map(|t| t.sender.ssrcs()).collect();
        assert_eq!(ssrcs.len(), 100, "video: media and RTX SSRCs, all distinct");
        set.mid_used("0");
        set.mid_used("2");
        assert_eq!([set.new_mid(), set.new_mid()], ["1", "3"]);
    }
}
