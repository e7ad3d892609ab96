//! Shared by the snapshot and property tests: representative inputs and a compact state line.

#![allow(dead_code, reason = "each test binary uses a different part")]

use tacet_transceiver_fsm::{
    DescriptionKind, Direction, Input, RollbackAction, Section, Transceiver,
};

/// A compact, complete description of a transceiver's observable state.
pub(crate) fn summary(t: &Transceiver) -> String {
    let opt = |d: Option<String>| d.unwrap_or_else(|| "-".to_owned());
    format!(
        "{:?} dir={} cur={} neg={} fired={} rcpt={} mid={} reuse={} send={} recv={} conn={:?}",
        t.phase(),
        t.direction(),
        opt(t.current_direction().map(|d| d.to_string())),
        opt(t.negotiated_direction().map(|d| d.to_string())),
        opt(t.fired_direction().map(|d| d.to_string())),
        u8::from(t.receptive()),
        opt(t.mid().map(|m| m.to_string())),
        u8::from(t.reusable_by_add_track()),
        u8::from(t.may_send()),
        u8::from(t.may_receive()),
        t.connection(),
    )
}

/// Every input with representative data. Mid "0" is the transceiver's own; "9" is another.
pub(crate) fn inputs() -> Vec<Input> {
    use DescriptionKind::*;
    let mut all = vec![Input::Stop];
    all.extend(Direction::ALL.map(Input::SetDirection));
    all.extend([
        Input::AddTrack,
        Input::RemoveTrack,
        Input::ReplaceTrack,
        Input::SetParameters,
        Input::InsertDtmf,
    ]);
    for kind in [Offer, Pranswer, Answer] {
        for direction in [
            Direction::SendRecv,
            Direction::RecvOnly,
            Direction::SendOnly,
        ] {
            all.push(Input::LocalDescription {
                kind,
                section: Section::live("0", direction),
            });
            all.push(Input::RemoteDescription {
                kind,
                section: Section::live("0", direction),
            });
        }
        all.push(Input::LocalDescription {
            kind,
            section: Section::rejected("0", Direction::Inactive),
        });
        all.push(Input::RemoteDescription {
            kind,
            section: Section::rejected("0", Direction::Inactive),
        });
    }
    all.push(Input::RemoteDescription {
        kind: Offer,
        section: Section::rejected("9", Direction::SendRecv),
    });
    all.push(Input::Recycled);
    for action in [
        RollbackAction::Keep,
        RollbackAction::Disassociate,
        RollbackAction::Remove,
    ] {
        for remote_offer in [false, true] {
            all.push(Input::Rollback {
                action,
                remote_offer,
            });
        }
    }
    all.extend([
        Input::AnswerApplied { rejected: false },
        Input::AnswerApplied { rejected: true },
        Input::DropUnassociated,
        Input::Close { disappear: false },
        Input::Close { disappear: true },
        Input::RtpReceived,
        Input::RtcpByeReceived,
    ]);
    all
}

/// Representative states, each reached from a new transceiver by real inputs.
pub(crate) fn states() -> Vec<(&'static str, Transceiver)> {
    use DescriptionKind::*;
    use Direction::*;
    let offer = |d| Input::LocalDescription {
        kind: Offer,
        section: Section::live("0", d),
    };
    let answer = |d| Input::RemoteDescription {
        kind: Answer,
        section: Section::live("0", d),
    };
    let rejected_offer = Input::RemoteDescription {
        kind: Offer,
        section: Section::rejected("0", SendRecv),
    };
    let rejected_answer = Input::LocalDescription {
        kind: Answer,
        section: Section::rejected("0", Inactive),
    };
    let paths: Vec<(&'static str, Direction, Vec<Input>)> = vec![
        ("new sendrecv", SendRecv, vec![]),
        ("new recvonly", RecvOnly, vec![]),
        ("offered", SendRecv, vec![offer(SendRecv)]),
        (
            "negotiated sendrecv",
            SendRecv,
            vec![offer(SendRecv), answer(SendRecv)],
        ),
        (
            "negotiated recvonly",
            RecvOnly,
            vec![offer(RecvOnly), answer(SendOnly)],
        ),
        (
            "negotiated inactive",
            SendRecv,
            vec![offer(SendRecv), answer(Inactive)],
        ),
        ("stopping unassociated", SendRecv, vec![Input::Stop]),
        (
            "stopping negotiated",
            SendRecv,
            vec![offer(SendRecv), answer(SendRecv), Input::Stop],
        ),
        (
            "stopped by remote offer",
            RecvOnly,
            vec![rejected_offer.clone()],
        ),
        (
            "stopped disassociated",
            RecvOnly,
            vec![rejected_offer.clone(), Input::Recycled],
        ),
        (
            "removed",
            RecvOnly,
            vec![
                rejected_offer.clone(),
                rejected_answer,
                Input::AnswerApplied { rejected: true },
            ],
        ),
        (
            "closed",
            SendRecv,
            vec![
                offer(SendRecv),
                answer(SendRecv),
                Input::Close { disappear: false },
            ],
        ),
        (
            "removed then closed",
            RecvOnly,
            vec![
                rejected_offer,
                Input::AnswerApplied { rejected: true },
                Input::Close { disappear: false },
            ],
        ),
    ];
    paths
        .into_iter()
        .map(|(name, direction, path)| {
            let mut t = Transceiver::new(direction);
            for input in path {
                t.handle(input.clone())
                    .unwrap_or_else(|e| panic!("path of {name:?}: {input:?} refused: {e}"));
            }
            while t.poll_effect().is_some() {}
            (name, t)
        })
        .collect()
}
