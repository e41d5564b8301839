//! Single-use cartridge lockout: a small fixed table of the cartridge ids seen, with how
//! long and how many strokes each has run. It models the pen's flash: it survives a new
//! bench session ([`crate::Firmware::on_session_start`]).

/// Entries in the lockout table. When a 17th id is seen, the least recently used entry is
/// evicted (so a cartridge is only remembered while it is among the last 16 used).
pub const CARTRIDGE_TABLE_LEN: usize = 16;

/// Usage recorded for one cartridge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CartridgeUsage {
    /// Cartridge id (0 = a cartridge without an id, counted per seating).
    pub id: u32,
    /// Time the motor ran with this cartridge seated, µs.
    pub run_us: u64,
    /// Strokes run, in millionths of a stroke (integrated from the measured stroke frequency
    /// every tick).
    pub micro_strokes: u64,
}

impl CartridgeUsage {
    /// A fresh record for `id`.
    pub fn new(id: u32) -> Self {
        Self {
            id,
            ..Self::default()
        }
    }

    /// Whole strokes run.
    pub fn strokes(&self) -> u64 {
        self.micro_strokes / 1_000_000
    }

    /// Whether either limit is reached.
    pub fn is_expired(&self, max_run_us: u64, max_strokes: u64) -> bool {
        self.run_us >= max_run_us || self.strokes() >= max_strokes
    }

    /// Adds one tick of running.
    pub fn add(&mut self, run_us: u64, micro_strokes: u64) {
        self.run_us = self.run_us.saturating_add(run_us);
        self.micro_strokes = self.micro_strokes.saturating_add(micro_strokes);
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    usage: CartridgeUsage,
    last_used: u32,
}

/// The lockout table (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct CartridgeTable {
    slots: [Option<Slot>; CARTRIDGE_TABLE_LEN],
    clock: u32,
}

impl CartridgeTable {
    /// Usage recorded for `id`, if it is in the table.
    pub fn get(&self, id: u32) -> Option<CartridgeUsage> {
        self.slots
            .iter()
            .flatten()
            .find(|slot| slot.usage.id == id)
            .map(|slot| slot.usage)
    }

    /// The slot holding `id`, inserting a fresh record (evicting the least recently used one
    /// when full); marks it most recently used.
    pub fn touch(&mut self, id: u32) -> usize {
        self.clock = self.clock.wrapping_add(1);
        let clock = self.clock;
        if let Some(index) = self.find(id) {
            if let Some(slot) = self.slots[index].as_mut() {
                slot.last_used = clock;
            }
            return index;
        }
        let index = self
            .slots
            .iter()
            .position(Option::is_none)
            .unwrap_or_else(|| self.least_recently_used());
        self.slots[index] = Some(Slot {
            usage: CartridgeUsage::new(id),
            last_used: clock,
        });
        index
    }

    /// Usage in slot `index` (from [`CartridgeTable::touch`]).
    pub fn slot_mut(&mut self, index: usize) -> Option<&mut CartridgeUsage> {
        self.slots
            .get_mut(index)
            .and_then(Option::as_mut)
            .map(|slot| &mut slot.usage)
    }

    /// Ids in the table with their usage, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = CartridgeUsage> + '_ {
        self.slots.iter().flatten().map(|slot| slot.usage)
    }

    fn find(&self, id: u32) -> Option<usize> {
        self.slots
            .iter()
            .position(|slot| slot.is_some_and(|s| s.usage.id == id))
    }

    fn least_recently_used(&self) -> usize {
        let clock = self.clock;
        self.slots
            .iter()
            .enumerate()
            .max_by_key(|(_, slot)| slot.map_or(u32::MAX, |s| clock.wrapping_sub(s.last_used)))
            .map_or(0, |(index, _)| index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seventeenth_id_evicts_least_recently_used() {
        let mut table = CartridgeTable::default();
        for id in 1..=CARTRIDGE_TABLE_LEN as u32 {
            table.touch(id);
        }
        table.touch(1); // 2 is now the least recently used
        table.touch(100);
        assert!(table.get(2).is_none());
        assert!(table.get(1).is_some());
        assert!(table.get(100).is_some());
        assert_eq!(table.iter().count(), CARTRIDGE_TABLE_LEN);
    }

    #[test]
    fn usage_accumulates_and_expires_on_either_limit() {
        let mut table = CartridgeTable::default();
        let slot = table.touch(9);
        let usage = table.slot_mut(slot).unwrap();
        usage.add(1000, 2_500_000);
        usage.add(1000, 2_500_000);
        assert_eq!(usage.strokes(), 5);
        assert!(!usage.is_expired(3000, 6));
        assert!(usage.is_expired(2000, 6));
        assert!(usage.is_expired(3000, 5));
        assert_eq!(table.get(9).unwrap().run_us, 2000);
    }
}
