//! What a recording is checked against, and where that came from.
//!
//! By default a recording is checked against the exact copy of its scenario that it holds
//! (`scenario/scenario.toml`, with the copies of the files that scenario read), so the
//! verdict does not depend on the directory `check` runs in nor on whether the scenario file
//! changed since. `--scenario FILE` overrides the copy. A recording with neither (format 1,
//! a real pen's export) gets [`Expectations::none`]: every criterion that depends on the
//! scenario is [`Outcome::NotChecked`](crate::Outcome::NotChecked), never a pass.

use crate::error::CheckError;
use crate::verdict::ExpectationSource;
use crate::zones::PlannedZone;
use needlebench_recording::Recording;
use needlebench_scenario::{ExpandOptions, Expect, Scenario, ScenarioFile};
use std::path::Path;

/// The criteria judged without a scenario: they hold every recording to the same rules.
pub const SCENARIO_INDEPENDENT: [&str; 2] = ["firmware.no_motion_in_fault", "run.consistency"];

/// The expectations a recording is checked against, and their source.
#[derive(Debug, Clone)]
pub struct Expectations {
    /// The `[expect]` to apply; `None`: scenario-dependent criteria are not checked.
    pub expect: Option<Expect>,
    /// Where they came from (shown in every report).
    pub source: ExpectationSource,
    /// The scenario's treatment plan, as the zone checks need it ([`crate::zones`]); `None`
    /// when the scenario has no `[plan]` (or there is no scenario).
    pub plan: Option<Vec<PlannedZone>>,
}

impl Expectations {
    /// `expect`, which came from `source`.
    pub fn given(expect: Expect, source: ExpectationSource) -> Self {
        Expectations {
            expect: Some(expect),
            source,
            plan: None,
        }
    }

    /// These expectations with a treatment plan's steps.
    pub fn with_plan(self, plan: Vec<PlannedZone>) -> Self {
        Expectations {
            plan: Some(plan),
            ..self
        }
    }

    /// No expectations.
    pub fn none() -> Self {
        Expectations {
            expect: None,
            source: ExpectationSource::None,
            plan: None,
        }
    }

    /// The expectations for `recording`: those of the scenario file `scenario` if given,
    /// else those of the recording's own scenario copy, else none.
    ///
    /// Errors when the given file or the recording's copy does not parse (the message names
    /// the file, line and column).
    pub fn load(recording: &Recording, scenario: Option<&Path>) -> Result<Self, CheckError> {
        // A variant of a matrix scenario is selected by the name its recording stores.
        let variant = Some(recording.meta().scenario.variant.as_str()).filter(|v| !v.is_empty());
        if let Some(path) = scenario {
            let s =
                ScenarioFile::read(path, ExpandOptions { allow_large: true })?.select(variant)?;
            let plan = plan_of(&s);
            return Ok(Expectations {
                plan,
                ..Expectations::given(
                    s.expect,
                    ExpectationSource::File {
                        path: path.display().to_string(),
                    },
                )
            });
        }
        match recording.scenario_copy() {
            Some(copy) => {
                let s =
                    ScenarioFile::from_copy(&copy, &recording.scenario_files())?.select(variant)?;
                let plan = plan_of(&s);
                Ok(Expectations {
                    plan,
                    ..Expectations::given(
                        s.expect,
                        ExpectationSource::Recording {
                            path: copy.display().to_string(),
                        },
                    )
                })
            }
            None => Ok(Expectations::none()),
        }
    }
}

/// The steps of `s`'s `[plan]` (zone id and exposure), if it has one.
fn plan_of(s: &Scenario) -> Option<Vec<PlannedZone>> {
    s.plan.as_ref().map(|plan| {
        plan.zones
            .iter()
            .map(|step| PlannedZone {
                zone: plan.zone_of(step).id.clone(),
                exposure_mm: step.exposure_mm,
            })
            .collect()
    })
}
