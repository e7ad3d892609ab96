//! One transceiver through a stop, printed as a timeline: negotiate, stop (media stops at
//! once), renegotiate (the rejected m-section makes it stopped, then removed). Each step checks
//! its outcome against the spec and the example exits non-zero on the first difference.
//!
//! `cargo run -p tacet-tests --example stop-timeline`

#![allow(clippy::print_stdout, reason = "an example prints its timeline")]

use std::process::ExitCode;

use tacet_tests::receiver::MediaLine;
use tacet_track::{ReadyState, TrackKind};
use tacet_transceiver_fsm::{DescriptionKind, Direction, Input, Section, TransceiverDirection};

struct Line {
    line: MediaLine,
    step: usize,
}

impl Line {
    /// Applies `input`, prints what happened, and checks `expect` on the result.
    fn step(
        &mut self,
        what: &str,
        input: Input,
        expect: impl FnOnce(&Self) -> Result<(), String>,
    ) -> Result<(), String> {
        self.step += 1;
        let seen = self.line.effects.len();
        let result = self.line.handle(input);
        let effects: Vec<String> = self.line.effects[seen..]
            .iter()
            .map(ToString::to_string)
            .collect();
        let t = &self.line.transceiver;
        println!("{:>2}. {what}", self.step);
        match &result {
            Ok(()) => println!("      effects: [{}]", effects.join(", ")),
            Err(e) => println!("      refused: {e}"),
        }
        println!(
            "      phase {:?}, direction {}, currentDirection {}, mid {}, receiver track {:?}",
            t.phase(),
            t.direction(),
            t.current_direction()
                .map_or("null".into(), |d| d.to_string()),
            t.mid().map_or("null".into(), |m| m.to_string()),
            self.line.receiver_track.ready_state(),
        );
        expect(self).map_err(|e| format!("step {}: {what}: {e}", self.step))
    }
}

fn check(ok: bool, what: &str) -> Result<(), String> {
    if ok { Ok(()) } else { Err(what.to_owned()) }
}

fn run() -> Result<(), String> {
    let mut line = Line {
        line: MediaLine::new(TrackKind::Video, Direction::SendRecv),
        step: 0,
    };
    let offer = |section| Input::LocalDescription {
        kind: DescriptionKind::Offer,
        section,
    };
    let answer = |section| Input::RemoteDescription {
        kind: DescriptionKind::Answer,
        section,
    };

    line.step(
        "local offer, m=video mid 0 sendrecv",
        offer(Section::live("0", Direction::SendRecv)),
        |l| {
            check(
                l.line.transceiver.mid().is_some(),
                "the offer associates mid 0",
            )
        },
    )?;
    line.step(
        "remote answer, sendrecv",
        answer(Section::live("0", Direction::SendRecv)),
        |l| {
            check(
                l.line.transceiver.current_direction() == Some(TransceiverDirection::SendRecv),
                "currentDirection is sendrecv",
            )
        },
    )?;
    line.step("transceiver.stop()", Input::Stop, |l| {
        check(
            l.line.transceiver.direction() == TransceiverDirection::Stopped,
            "direction reads stopped",
        )?;
        check(
            l.line.transceiver.current_direction() == Some(TransceiverDirection::SendRecv),
            "currentDirection unchanged until negotiated",
        )?;
        check(
            !l.line.transceiver.may_send(),
            "nothing is sent from now on",
        )?;
        check(
            l.line.receiver_track.ready_state() == ReadyState::Ended,
            "the receiver track ended",
        )
    })?;
    line.step(
        "direction = recvonly (refused)",
        Input::SetDirection(Direction::RecvOnly),
        |l| check(l.line.transceiver.is_stopping(), "still stopping"),
    )?;
    line.step(
        "local re-offer: m=video 0 (port 0), mid 0 kept, a=inactive",
        offer(Section::rejected("0", Direction::Inactive)),
        |l| {
            check(
                !l.line.transceiver.is_stopped(),
                "a local offer never stops",
            )
        },
    )?;
    line.step(
        "remote answer: m=video 0",
        answer(Section::rejected("0", Direction::Inactive)),
        |l| {
            check(
                l.line.transceiver.current_direction() == Some(TransceiverDirection::Stopped),
                "currentDirection reads stopped",
            )
        },
    )?;
    line.step(
        "answer settled: rejected in the current descriptions",
        Input::AnswerSettled { rejected: true },
        |l| {
            check(l.line.transceiver.is_removed(), "removed")?;
            check(l.line.transceiver.mid().is_none(), "mid is null")
        },
    )?;
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => {
            println!("every step matched the spec");
            ExitCode::SUCCESS
        }
        Err(e) => {
            println!("MISMATCH: {e}");
            ExitCode::FAILURE
        }
    }
}
