//! `RollbackEvents.https.html` (stop-semantics §5.10): the remote-track events a rollback
//! fires — `removetrack`/mute when it disassociates or reverts a direction, `track` again when
//! the offer is re-applied or the rollback restores reception. The receiver track object is
//! the same throughout (its id does not change).

use super::*;

/// The stream ids pc1 sends with: one stream, or none.
fn streams(with_stream: bool) -> Vec<String> {
    if with_stream {
        vec!["stream".into()]
    } else {
        Vec::new()
    }
}

fn track_events(events: &[Event], id: TransceiverId) -> Vec<Vec<String>> {
    super::track_events(events)
        .into_iter()
        .filter(|(t, _)| *t == id)
        .map(|(_, streams)| streams)
        .collect()
}

fn stream_events(events: &[Event], id: TransceiverId) -> (Vec<String>, Vec<String>) {
    let mut removed = Vec::new();
    let mut added = Vec::new();
    for e in events {
        match e {
            Event::StreamTrackRemoved {
                transceiver,
                stream,
            } if *transceiver == id => removed.push(stream.clone()),
            Event::StreamTrackAdded {
                transceiver,
                stream,
            } if *transceiver == id => added.push(stream.clone()),
            _ => {}
        }
    }
    (removed, added)
}

/// #67/#68: pc2 has an addTrack transceiver; pc1's offer pairs it; SRD(rollback)
/// disassociates it (it is kept: addTrack touched it) and the remote track leaves its stream
/// (or, without a stream, is muted); applying the offer again fires `track` again for the same
/// transceiver and track.
fn removal_due_to_disassociation_in_rollback(kind: TrackKind, with_stream: bool) {
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_track(kind, TrackId::from("t1"), streams(with_stream))
        .unwrap();
    let t2 = pair
        .session(Who::B)
        .add_track(kind, TrackId::from("t2"), vec!["other".into()])
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::B)
        .set_remote_description(offer.clone())
        .unwrap();
    let events = pair.b.take_events();
    assert_eq!(track_events(&events, t2), [streams(with_stream)]);
    let track_id = pair
        .b
        .session
        .transceiver(t2)
        .unwrap()
        .receiver()
        .track()
        .id()
        .clone();
    // No media can arrive yet (pc2 is not receptive before its answer), so the track is
    // still muted from its creation and the rollback leaves it muted without a new event.
    pair.session(Who::B)
        .transceiver_mut(t2)
        .and_then(|mut t| t.rtp_received())
        .unwrap();
    assert!(
        pair.b
            .session
            .transceiver(t2)
            .unwrap()
            .receiver()
            .track()
            .muted()
    );

    pair.session(Who::B)
        .set_remote_description(SessionDescription::rollback())
        .unwrap();
    let events = pair.b.take_events();
    let t = pair.b.session.transceiver(t2).unwrap();
    assert!(t.mid().is_none(), "disassociated");
    assert!(pair.b.session.transceivers().any(|t| t.id() == t2), "kept");
    assert!(t.receiver().remote_streams().is_empty());
    assert!(t.receiver().track().muted());
    assert_eq!(stream_events(&events, t2), (streams(with_stream), vec![]));
    assert!(track_events(&events, t2).is_empty());

    pair.session(Who::B).set_remote_description(offer).unwrap();
    let events = pair.b.take_events();
    assert_eq!(track_events(&events, t2), [streams(with_stream)]);
    assert_eq!(stream_events(&events, t2), (vec![], streams(with_stream)));
    let t = pair.b.session.transceiver(t2).unwrap();
    assert_eq!(
        t.receiver().track().id(),
        &track_id,
        "the same track object"
    );
    assert_eq!(t.receiver().remote_streams(), streams(with_stream));
}

// #67
// spec: 1.6f, 1.9a
#[test]
fn track_with_stream_removal_due_to_disassociation_in_rollback_and_then_add_it_back_again() {
    for kind in KINDS {
        removal_due_to_disassociation_in_rollback(kind, true);
    }
}

// #68
// spec: 1.6f, 1.9a
#[test]
fn track_without_stream_removal_due_to_disassociation_in_rollback_and_then_add_it_back() {
    for kind in KINDS {
        removal_due_to_disassociation_in_rollback(kind, false);
    }
}

/// #69/#70: negotiated pc1 -> pc2; pc1 stops sending (inactive) and offers; pc2's SRD(offer)
/// removes the remote track from its stream (or mutes it); SRD(rollback) restores the last
/// stable state and fires `track` again, with the same track.
fn removal_due_to_direction_changing_then_rollback(kind: TrackKind, with_stream: bool) {
    let mut pair = Pair::new();
    let t1 = pair
        .session(Who::A)
        .add_track(kind, TrackId::from("t1"), streams(with_stream))
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    let t2 = pair.b.session.transceivers().next().unwrap().id();
    let track_id = pair
        .b
        .session
        .transceiver(t2)
        .unwrap()
        .receiver()
        .track()
        .id()
        .clone();
    pair.session(Who::B)
        .transceiver_mut(t2)
        .and_then(|mut t| t.rtp_received())
        .unwrap();
    pair.b.take_events();

    pair.session(Who::A)
        .transceiver_mut(t1)
        .and_then(|mut t| t.set_direction(Direction::Inactive))
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::B).set_remote_description(offer).unwrap();
    let events = pair.b.take_events();
    assert!(events.contains(&Event::TrackMuted { transceiver: t2 }));
    assert_eq!(stream_events(&events, t2), (streams(with_stream), vec![]));
    assert!(track_events(&events, t2).is_empty());

    pair.session(Who::B)
        .set_remote_description(SessionDescription::rollback())
        .unwrap();
    let events = pair.b.take_events();
    assert_eq!(track_events(&events, t2), [streams(with_stream)]);
    assert_eq!(stream_events(&events, t2), (vec![], streams(with_stream)));
    let t = pair.b.session.transceiver(t2).unwrap();
    assert_eq!(
        t.receiver().track().id(),
        &track_id,
        "the same track object"
    );
    assert_eq!(t.receiver().track().ready_state(), ReadyState::Live);
}

// #69
// spec: 1.6f, 1.9c
#[test]
fn track_with_stream_removal_due_to_direction_changing_and_then_add_back_using_rollback() {
    for kind in KINDS {
        removal_due_to_direction_changing_then_rollback(kind, true);
    }
}

// #70
// spec: 1.6f, 1.9c
#[test]
fn track_without_stream_removal_due_to_direction_changing_and_then_add_back_using_rollback() {
    for kind in KINDS {
        removal_due_to_direction_changing_then_rollback(kind, false);
    }
}
