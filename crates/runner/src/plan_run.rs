//! A treatment plan during a run: per tick, the force, tilt and exposure of the plan, the skin
//! under each needle (the face-map zone it stands on, or the nearest zone when it stands
//! outside every zone, scaled by the skin-thickness field at the pen), each puncture's zone,
//! and the plan's `zone_start` / `depth_change` events.

use crate::plan::PlanPath;
use needlebench_face::FaceMap;
use needlebench_physics::{NeedleSites, PhysicsError, Site};
use needlebench_recording::{EventRow, ZoneRef};
use std::sync::Arc;

/// A plan's event, due at a time.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Due {
    /// Step `step` (index into the plan) begins.
    ZoneStart { step: usize },
    /// Depth change `change` (index into the plan's changes) begins.
    DepthChange { change: usize },
}

/// A plan's state while it runs.
#[derive(Debug, Clone)]
pub(crate) struct PlanRun {
    pub(crate) path: PlanPath,
    face: Arc<FaceMap>,
    /// The exposure set on the pen now, µm.
    pub(crate) exposure_um: f64,
    /// The events, in time order, and how many were written.
    due: Vec<(f64, Due)>,
    next_due: usize,
    depth_change_s: f64,
    /// The skins under the pen this tick: slot 0 the pen's own zone, then each other zone a
    /// needle stands on; all scaled to the local thickness. Reused from tick to tick.
    sites: Vec<Site>,
    /// The zone of each slot of `sites`.
    slot_zone: Vec<usize>,
    /// The slot of each needle's skin this tick.
    of_needle: Vec<u16>,
}

impl PlanRun {
    pub(crate) fn new(path: PlanPath, face: Arc<FaceMap>, depth_change_s: f64) -> PlanRun {
        let mut due: Vec<(f64, Due)> = path
            .steps
            .iter()
            .map(|s| (s.start_s, Due::ZoneStart { step: s.step }))
            .chain(
                path.depth_changes
                    .iter()
                    .enumerate()
                    .map(|(change, c)| (c.start_s, Due::DepthChange { change })),
            )
            .collect();
        // in time order (a depth change always ends before its step's zone starts)
        due.sort_by(|a, b| a.0.total_cmp(&b.0));
        PlanRun {
            exposure_um: path.start_exposure_um,
            path,
            face,
            due,
            next_due: 0,
            depth_change_s,
            sites: Vec::new(),
            slot_zone: Vec::new(),
            of_needle: Vec::new(),
        }
    }

    /// Step `step` begins at `t_s` after all (a live session learns when the hand first
    /// touches the skin as it happens): its span starts there and its `zone_start` is due
    /// then. Only for a plan built without that step's event ([`PlanRun::without_events`]).
    pub(crate) fn start_step_at(&mut self, step: usize, t_s: f64) {
        if let Some(span) = self.path.steps.get_mut(step) {
            span.start_s = t_s;
            self.due.push((t_s, Due::ZoneStart { step }));
        }
    }

    /// [`PlanRun::new`] with no event due: the caller schedules them
    /// ([`PlanRun::start_step_at`]).
    pub(crate) fn without_events(
        path: PlanPath,
        face: Arc<FaceMap>,
        depth_change_s: f64,
    ) -> PlanRun {
        let mut run = PlanRun::new(path, face, depth_change_s);
        run.due.clear();
        run
    }

    /// The plan's events due by `t_s` (not written yet), as rows of tick `tick` at `t_us`.
    pub(crate) fn events_due(&mut self, t_s: f64, tick: u64, t_us: u64) -> Vec<EventRow> {
        let mut rows = Vec::new();
        while let Some(&(at, due)) = self.due.get(self.next_due)
            && at <= t_s
        {
            self.next_due += 1;
            rows.push(match due {
                Due::ZoneStart { step } => {
                    let span = self.path.steps[step];
                    let id = self.face.zones.get(span.zone).map_or("", |z| z.id.as_str());
                    EventRow::zone_start(tick, t_us, id, span.exposure_um / 1000.0, step + 1)
                }
                Due::DepthChange { change } => {
                    let c = self.path.depth_changes[change];
                    EventRow::depth_change(
                        tick,
                        t_us,
                        c.from_um / 1000.0,
                        c.to_um / 1000.0,
                        self.depth_change_s,
                    )
                }
            });
        }
        rows
    }

    /// The exposure the plan sets at `t_s`, if it differs from the one set now (then it is the
    /// one set now).
    pub(crate) fn exposure_change(&mut self, t_s: f64) -> Option<f64> {
        let e = self.path.exposure_um_at(t_s);
        (e.to_bits() != self.exposure_um.to_bits()).then(|| {
            self.exposure_um = e;
            e
        })
    }

    /// Find the skin under the pen at `pen_mm` and under each needle (cartridge `offsets_mm`
    /// from the pen), each scaled by `factor`. Returns the pen's skin and, where the needles
    /// stand on more than one skin, each needle's.
    pub(crate) fn skins(
        &mut self,
        pen_mm: [f64; 2],
        offsets_mm: &[[f64; 2]],
        factor: f64,
    ) -> Result<(&Site, Option<NeedleSites<'_>>), PhysicsError> {
        self.slot_zone.clear();
        self.of_needle.clear();
        self.slot_zone.push(self.face.nearest_zone(pen_mm));
        for o in offsets_mm {
            let zone = self.face.nearest_zone([pen_mm[0] + o[0], pen_mm[1] + o[1]]);
            let slot = match self.slot_zone.iter().position(|&z| z == zone) {
                Some(slot) => slot,
                None => {
                    self.slot_zone.push(zone);
                    self.slot_zone.len() - 1
                }
            };
            self.of_needle.push(u16::try_from(slot).unwrap_or(u16::MAX));
        }
        while self.sites.len() < self.slot_zone.len() {
            self.sites.push(self.face.zones[0].site.clone());
        }
        for (slot, &zone) in self.slot_zone.iter().enumerate() {
            self.face.zones[zone]
                .site
                .scale_into(factor, &mut self.sites[slot])?;
        }
        let single = self.of_needle.iter().all(|&k| k == self.of_needle[0]);
        let per_needle = (!single).then(|| NeedleSites {
            sites: &self.sites[..self.slot_zone.len()],
            of_needle: &self.of_needle,
        });
        let pen = if single {
            // every needle on one skin: that one is the pen's for the stroke
            &self.sites[usize::from(self.of_needle.first().copied().unwrap_or(0))]
        } else {
            &self.sites[0]
        };
        Ok((pen, per_needle))
    }

    /// The zone a puncture at `p_mm` lies in.
    pub(crate) fn zone_of(&self, p_mm: [f64; 2]) -> ZoneRef {
        self.face
            .zone_at(p_mm)
            .map_or(ZoneRef::OUTSIDE, ZoneRef::zone)
    }
}
