//! The two queues a session fills: events for the application, effects for the I/O layer.
//! A call only appends to them, so undoing a failed call is cutting them back to their length
//! when it started.

use std::collections::VecDeque;

use crate::event::{Effect, Event};

/// The session's outgoing queues.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Queues {
    events: VecDeque<Event>,
    effects: VecDeque<Effect>,
}

/// The queues' lengths when a call started.
#[derive(Clone, Copy, Debug)]
pub(crate) struct QueueMark {
    events: usize,
    effects: usize,
}

impl Queues {
    /// Queues an application event.
    pub(crate) fn event(&mut self, event: Event) {
        self.events.push_back(event);
    }

    /// Queues events in order.
    pub(crate) fn events(&mut self, events: impl IntoIterator<Item = Event>) {
        self.events.extend(events);
    }

    /// Queues an I/O effect.
    pub(crate) fn effect(&mut self, effect: Effect) {
        self.effects.push_back(effect);
    }

    /// Queues effects in order.
    pub(crate) fn effects(&mut self, effects: impl IntoIterator<Item = Effect>) {
        self.effects.extend(effects);
    }

    /// The oldest event.
    pub(crate) fn next_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// The oldest effect.
    pub(crate) fn next_effect(&mut self) -> Option<Effect> {
        self.effects.pop_front()
    }

    /// Where the queues end now.
    pub(crate) fn mark(&self) -> QueueMark {
        QueueMark {
            events: self.events.len(),
            effects: self.effects.len(),
        }
    }

    /// Drops what was queued after `mark` (a call failed).
    pub(crate) fn cut_back(&mut self, mark: QueueMark) {
        self.events.truncate(mark.events);
        self.effects.truncate(mark.effects);
    }
}
