//! Fixed-capacity event ring: drop-oldest, with an overflow count.

use needlebench_protocol::Event;

/// How many events the firmware holds between two polls.
pub const EVENT_CAPACITY: usize = 32;

/// A ring of [`Event`]s. When full, a push drops the oldest event and counts it, so the
/// newest events (the ones that explain the present state) always survive.
#[derive(Debug, Clone)]
pub struct EventQueue {
    slots: [Option<Event<'static>>; EVENT_CAPACITY],
    head: usize,
    len: usize,
    dropped: u32,
}

impl Default for EventQueue {
    fn default() -> Self {
        Self {
            slots: [None; EVENT_CAPACITY],
            head: 0,
            len: 0,
            dropped: 0,
        }
    }
}

impl EventQueue {
    /// Appends `event`, dropping (and counting) the oldest one when full.
    pub fn push(&mut self, event: Event<'static>) {
        if self.len == EVENT_CAPACITY {
            self.head = (self.head + 1) % EVENT_CAPACITY;
            self.len -= 1;
            self.dropped = self.dropped.saturating_add(1);
        }
        let slot = (self.head + self.len) % EVENT_CAPACITY;
        self.slots[slot] = Some(event);
        self.len += 1;
    }

    /// Takes the oldest event.
    pub fn pop(&mut self) -> Option<Event<'static>> {
        if self.len == 0 {
            return None;
        }
        let event = self.slots[self.head].take();
        self.head = (self.head + 1) % EVENT_CAPACITY;
        self.len -= 1;
        event
    }

    /// Events waiting.
    pub fn len(&self) -> usize {
        self.len
    }

    /// No event waiting.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Events dropped because the ring was full (saturating).
    pub fn dropped(&self) -> u32 {
        self.dropped
    }

    /// Empties the ring and zeroes the drop count.
    pub fn clear(&mut self) {
        *self = Self::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use needlebench_protocol::{FaultCode, LogLevel};

    fn log(tick: u32) -> Event<'static> {
        Event::Log {
            tick,
            level: LogLevel::Info,
            text: "x",
        }
    }

    #[test]
    fn full_ring_drops_oldest_and_counts() {
        let mut queue = EventQueue::default();
        for tick in 0..(EVENT_CAPACITY as u32 + 3) {
            queue.push(log(tick));
        }
        assert_eq!(queue.dropped(), 3);
        assert_eq!(queue.len(), EVENT_CAPACITY);
        assert_eq!(queue.pop(), Some(log(3)));
    }

    #[test]
    fn pops_in_push_order() {
        let mut queue = EventQueue::default();
        queue.push(log(1));
        queue.push(Event::FaultRaised {
            tick: 2,
            code: FaultCode::Stall,
        });
        assert_eq!(queue.pop(), Some(log(1)));
        assert!(matches!(
            queue.pop(),
            Some(Event::FaultRaised { tick: 2, .. })
        ));
        assert_eq!(queue.pop(), None);
        assert!(queue.is_empty());
    }
}
