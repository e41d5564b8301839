//! Hand-driven devices with no firmware: the derma roller and the derma stamp.
//!
//! Both are stepped by the runner with the hand state ([`HandState`]) and return punctures
//! with the needle's index and its offset on the skin (mm) from the device's reference point
//! (roller: the drum's contact line under its axis; stamp: the centre of the plate).
//!
//! # Force-limited insertion
//! A pen's cam drives its needles by position; a roller or stamp is held up by its own needles,
//! so each needle can push only its share of the hand force: `F_n = F_hand / needles in
//! contact`. A needle's travel is its length unless the force it needs at that travel exceeds
//! `F_n`, in which case the device sinks only until the two balance (found by bisection on
//! [`StrokeModel::run`]).
//!
//! # Roller: needles entering on an arc
//! A drum of radius `R` carries `rows` rows of needles of length `L` around its circumference,
//! rolling without slip at the hand speed `v` (angular speed `ω = v/R`). A needle enters the
//! skin when its row is within the contact half-angle `θ_e = acos(R/(R + L))` of the bottom
//! and reaches full depth under the axis. Its tip moves on the arc with vertical speed
//! `(R + L)·sin φ·ω`: the speed at entry, `(R + L)·sin θ_e·v/R`, is the stroke's (constant)
//! speed, a few mm/s to cm/s, so rollers meet quasi-static skin that tents far more than under
//! a pen. Rows in contact = those within ±θ_e. The puncture is reported when the row passes
//! the bottom. Tilt is not modelled for rollers.
//!
//! # Stamp: a flat array pressed by hand
//! The hand presses the plate at `speed_m_s` (a few mm/s to ~0.1 m/s). A press starts when the
//! force rises above [`STAMP_CONTACT_N`]; every needle strokes once at that speed with the
//! force shared among all needles; the stamp re-arms when the force drops below it.

use crate::error::{PhysicsError, check_range};
use crate::needle::{Needle, guard_gap_um};
use crate::plant::Puncture;
use crate::site::Site;
use crate::spread::SpreadDraw;
use crate::stroke::{StrokeModel, StrokeResult};
use std::f64::consts::TAU;

/// What treats the skin: a motorised pen (the default), a derma roller or a derma stamp. The
/// one definition every crate uses (scenario `[device] kind`, recording `[setup] device`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    /// A motorised pen: firmware, motor, cam, cartridge.
    #[default]
    Pen,
    /// A derma roller: a drum of needles rolled by hand; no firmware.
    Roller,
    /// A derma stamp: a flat needle array pressed by hand; no firmware.
    Stamp,
}

impl DeviceKind {
    /// Every kind.
    pub const ALL: [DeviceKind; 3] = [DeviceKind::Pen, DeviceKind::Roller, DeviceKind::Stamp];

    /// The snake_case name used in files.
    pub fn name(self) -> &'static str {
        match self {
            DeviceKind::Pen => "pen",
            DeviceKind::Roller => "roller",
            DeviceKind::Stamp => "stamp",
        }
    }

    /// Whether it has firmware to talk to (only a pen does).
    pub fn has_firmware(self) -> bool {
        self == DeviceKind::Pen
    }
}

/// Force below which a stamp is off the skin, N.
pub const STAMP_CONTACT_N: f64 = 0.2;

/// The hand's state for one step of a device.
#[derive(Debug, Clone, Copy)]
pub struct HandState<'a> {
    /// The skin under the device, or `None` when lifted.
    pub site: Option<&'a Site>,
    /// Distance travelled along the path, mm (roller: rolled distance).
    pub position_mm: f64,
    /// Roller: rolling speed along the path; stamp: pressing speed into the skin; m/s.
    pub speed_m_s: f64,
    /// Pressing force, N.
    pub force_n: f64,
    /// Tilt from the skin normal, degrees (stamp: lifts one edge; roller: ignored).
    pub tilt_deg: f64,
}

/// A puncture by a device needle, with where it lies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DevicePuncture {
    /// The puncture (needle index in the device's numbering).
    pub puncture: Puncture,
    /// Offset on the skin from the device's reference point, mm (x along the path).
    pub offset_mm: [f64; 2],
}

/// Roller geometry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RollerParams {
    /// Drum radius to the needle bases, mm.
    pub drum_radius_mm: f64,
    /// Needle length, µm.
    pub needle_length_um: f64,
    /// Rows around the circumference.
    pub rows: u16,
    /// Needles per row (along the drum axis).
    pub needles_per_row: u16,
    /// Pitch of the needles along the axis, mm.
    pub axial_pitch_mm: f64,
    /// Needle geometry.
    pub needle: Needle,
}

impl Default for RollerParams {
    /// A 192-needle roller like Kalluri 2011's DermaRoller: 24 rows × 8, 770 µm needles;
    /// drum radius 10 mm and axial pitch 2 mm are **estimates**.
    fn default() -> Self {
        RollerParams {
            drum_radius_mm: 10.0,
            needle_length_um: 770.0,
            rows: 24,
            needles_per_row: 8,
            axial_pitch_mm: 2.0,
            needle: Needle::ROLLER,
        }
    }
}

/// Force a needle needs at full `travel` — or the travel its share `f_n` allows — as a stroke.
fn force_limited(model: &StrokeModel, travel_um: f64, f_n: f64, scale: f64) -> StrokeResult {
    let full = model.run(travel_um, scale);
    if full.end_force_n <= f_n {
        return full;
    }
    let (mut lo, mut hi) = (0.0, travel_um);
    for _ in 0..24 {
        let mid = 0.5 * (lo + hi);
        if model.run(mid, scale).end_force_n <= f_n {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    model.run(lo, scale)
}

fn to_puncture(j: usize, r: &StrokeResult) -> Puncture {
    Puncture {
        needle_index: u16::try_from(j).unwrap_or(u16::MAX),
        depth_um: r.reached_depth_um,
        layer: r.layer,
        peak_force_n: r.peak_force_n,
        bleeding: r.bleeding,
        tenting_um: r.tenting_um,
        at_floor: r.at_floor,
    }
}

/// A derma roller (module docs).
#[derive(Debug, Clone)]
pub struct RollerPlant {
    params: RollerParams,
    last_row_turns: Option<f64>,
    seed: u64,
    strokes: u64,
    out: Vec<DevicePuncture>,
}

impl RollerPlant {
    /// A roller with `params`.
    pub fn new(params: RollerParams) -> Result<Self, PhysicsError> {
        check_range("roller.drum_radius_mm", params.drum_radius_mm, 1.0, 100.0)?;
        check_range(
            "roller.needle_length_um",
            params.needle_length_um,
            50.0,
            3000.0,
        )?;
        check_range("roller.rows", f64::from(params.rows), 1.0, 200.0)?;
        check_range(
            "roller.needles_per_row",
            f64::from(params.needles_per_row),
            1.0,
            200.0,
        )?;
        check_range("roller.axial_pitch_mm", params.axial_pitch_mm, 0.1, 20.0)?;
        params.needle.validate()?;
        Ok(RollerPlant {
            params,
            last_row_turns: None,
            seed: 0,
            strokes: 0,
            out: Vec::new(),
        })
    }

    /// Seed the per-puncture spread.
    pub fn set_spread_seed(&mut self, seed: u64) {
        self.seed = seed;
    }

    /// Contact half-angle `acos(R/(R + L))`, rad.
    pub fn contact_half_angle_rad(&self) -> f64 {
        let r = self.params.drum_radius_mm;
        (r / (r + self.params.needle_length_um * 1e-3)).acos()
    }

    /// Vertical tip speed at entry for rolling speed `speed_m_s`, m/s.
    pub fn entry_speed_m_s(&self, speed_m_s: f64) -> f64 {
        let r = self.params.drum_radius_mm;
        let l = self.params.needle_length_um * 1e-3;
        (r + l) * self.contact_half_angle_rad().sin() * speed_m_s.abs() / r
    }

    /// Advance to the hand state `hand`: every row that passed the bottom since the last step
    /// punctures. Returns the punctures of this step.
    pub fn step(&mut self, hand: &HandState<'_>) -> Result<&[DevicePuncture], PhysicsError> {
        check_range("hand_force_n", hand.force_n, 0.0, 50.0)?;
        check_range("speed_m_s", hand.speed_m_s, -2.0, 2.0)?;
        self.out.clear();
        let p = self.params;
        // Row phase in units of rows: row k is at the bottom when turns·rows = k.
        let turns = hand.position_mm / (TAU * p.drum_radius_mm) * f64::from(p.rows);
        let Some(site) = hand.site else {
            self.last_row_turns = None;
            return Ok(&self.out);
        };
        let last = self.last_row_turns.replace(turns).unwrap_or(turns);
        let (a, b) = if turns >= last {
            (last, turns)
        } else {
            (turns, last)
        };
        let crossings = (b.floor() - a.floor()) as i64;
        if crossings <= 0 {
            return Ok(&self.out);
        }
        let v = self.entry_speed_m_s(hand.speed_m_s);
        let model = StrokeModel::new(site, &p.needle, v, 0.0)?;
        let rows_in_contact =
            (2.0 * self.contact_half_angle_rad() / (TAU / f64::from(p.rows))).max(1.0);
        let f_n = hand.force_n / (rows_in_contact * f64::from(p.needles_per_row));
        for c in 0..crossings.min(i64::from(p.rows)) {
            let row = (a.floor() as i64 + 1 + c).rem_euclid(i64::from(p.rows)) as usize;
            self.strokes += 1;
            for k in 0..usize::from(p.needles_per_row) {
                let j = row * usize::from(p.needles_per_row) + k;
                let draw = SpreadDraw::new(self.seed, j as u64, self.strokes);
                let travel = (p.needle_length_um + draw.relief_um).min(p.needle_length_um);
                let r = force_limited(&model, travel, f_n * draw.force_scale, draw.thickness_scale);
                if r.punctured {
                    let y =
                        (k as f64 - (f64::from(p.needles_per_row) - 1.0) / 2.0) * p.axial_pitch_mm;
                    self.out.push(DevicePuncture {
                        puncture: to_puncture(j, &r),
                        offset_mm: [0.0, y],
                    });
                }
            }
        }
        Ok(&self.out)
    }
}

/// Stamp geometry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StampParams {
    /// Needles per side of the square grid.
    pub grid: u16,
    /// Needle pitch, mm.
    pub pitch_mm: f64,
    /// Needle length, µm.
    pub needle_length_um: f64,
    /// Needle geometry.
    pub needle: Needle,
}

impl Default for StampParams {
    /// A 6 × 6 stamp of 1.0 mm needles at 1 mm pitch (typical of sold derma stamps;
    /// **estimate**), standard needles.
    fn default() -> Self {
        StampParams {
            grid: 6,
            pitch_mm: 1.0,
            needle_length_um: 1000.0,
            needle: Needle::STANDARD,
        }
    }
}

/// A derma stamp (module docs).
#[derive(Debug, Clone)]
pub struct StampPlant {
    params: StampParams,
    pressed: bool,
    seed: u64,
    strokes: u64,
    out: Vec<DevicePuncture>,
}

impl StampPlant {
    /// A stamp with `params`.
    pub fn new(params: StampParams) -> Result<Self, PhysicsError> {
        check_range("stamp.grid", f64::from(params.grid), 1.0, 100.0)?;
        check_range("stamp.pitch_mm", params.pitch_mm, 0.1, 20.0)?;
        check_range(
            "stamp.needle_length_um",
            params.needle_length_um,
            50.0,
            3000.0,
        )?;
        params.needle.validate()?;
        Ok(StampPlant {
            params,
            pressed: false,
            seed: 0,
            strokes: 0,
            out: Vec::new(),
        })
    }

    /// Seed the per-puncture spread.
    pub fn set_spread_seed(&mut self, seed: u64) {
        self.seed = seed;
    }

    /// Advance to the hand state `hand`; a new press punctures with every needle.
    pub fn step(&mut self, hand: &HandState<'_>) -> Result<&[DevicePuncture], PhysicsError> {
        check_range("hand_force_n", hand.force_n, 0.0, 50.0)?;
        check_range("speed_m_s", hand.speed_m_s, 0.0, 2.0)?;
        check_range("tilt_deg", hand.tilt_deg, 0.0, 45.0)?;
        self.out.clear();
        let p = self.params;
        let Some(site) = hand.site.filter(|_| hand.force_n >= STAMP_CONTACT_N) else {
            self.pressed = false;
            return Ok(&self.out);
        };
        if self.pressed {
            return Ok(&self.out);
        }
        self.pressed = true;
        self.strokes += 1;
        let model = StrokeModel::new(site, &p.needle, hand.speed_m_s, 0.0)?;
        let n = usize::from(p.grid) * usize::from(p.grid);
        let f_n = hand.force_n / n as f64;
        let half = (f64::from(p.grid) - 1.0) / 2.0;
        for j in 0..n {
            let x = ((j % usize::from(p.grid)) as f64 - half) * p.pitch_mm;
            let y = ((j / usize::from(p.grid)) as f64 - half) * p.pitch_mm;
            let draw = SpreadDraw::new(self.seed, j as u64, self.strokes);
            // Tilt lifts the far edge: the lever is the distance from the near edge.
            let lift = if hand.tilt_deg > 0.0 {
                guard_gap_um(0.0, hand.tilt_deg, x + half * p.pitch_mm)
                    - guard_gap_um(0.0, 0.0, 0.0)
            } else {
                0.0
            };
            let travel =
                (p.needle_length_um - lift.max(0.0) + draw.relief_um).min(p.needle_length_um);
            let r = force_limited(&model, travel, f_n * draw.force_scale, draw.thickness_scale);
            if r.punctured {
                self.out.push(DevicePuncture {
                    puncture: to_puncture(j, &r),
                    offset_mm: [x, y],
                });
            }
        }
        Ok(&self.out)
    }
}
