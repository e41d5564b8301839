//! A suite: the scenario files found under some paths, each expanded into the scenarios it
//! holds (one, or one per matrix variant). `regress` runs its units, `list` prints them.
//!
//! Files are sorted by path; a matrix file's variants follow in the matrix's order. The
//! position of a unit in that list is what `--shard` and merged reports go by.

use crate::exit::{self, Coded, Failure};
use needlebench_report::{VariantInfo, VariantValue};
use needlebench_scenario::{
    ExpandOptions, Scenario, ScenarioError, ScenarioFile, Variant, find_scenarios,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One scenario to run: a file's own scenario, one of its variants, or a file that could not
/// be read or expanded (it is reported as not run).
#[derive(Clone)]
pub struct Unit {
    /// The file (shared by the variants of a matrix file).
    pub path: Arc<Path>,
    /// The file read, or why it could not be.
    pub file: Result<Arc<ScenarioFile>, Arc<ScenarioError>>,
    /// The variant's position in the file's list, for a matrix file.
    pub variant: Option<usize>,
}

impl Unit {
    /// The variant, for a matrix file (built on each call: keep it if needed twice).
    pub fn variant(&self) -> Option<Variant> {
        let file = self.file.as_ref().ok()?;
        file.variant_at(self.variant?)
    }

    /// Its name as known without validating it: the variant's name, else the file stem.
    pub fn name_hint(&self) -> String {
        match self.variant() {
            Some(v) => v.name.clone(),
            None => self.path.file_stem().map_or_else(
                || self.path.display().to_string(),
                |s| s.to_string_lossy().into_owned(),
            ),
        }
    }

    /// Its scenario, validated.
    pub fn scenario(&self) -> Result<Scenario, Failure> {
        let file = self.file.as_ref().map_err(|e| Failure {
            code: exit::BAD_INPUT,
            error: anyhow::anyhow!("{e}"),
        })?;
        file.unit(self.variant.unwrap_or(0)).coded()
    }
}

/// The recording directory name of `scenario`: a variant's [`Variant::dir_name`], else its
/// name.
pub fn dir_name(scenario: &Scenario) -> String {
    scenario
        .variant
        .as_ref()
        .map_or_else(|| scenario.name.clone(), Variant::dir_name)
}

/// The report's description of a variant.
pub fn variant_info(v: &Variant) -> VariantInfo {
    VariantInfo {
        base_name: v.base_name.clone(),
        seed: v.seed,
        values: v
            .values
            .iter()
            .map(|m| VariantValue {
                key: m.key.clone(),
                value: serde_json::to_value(&m.value).unwrap_or(serde_json::Value::Null),
                in_name: m.in_name,
            })
            .collect(),
    }
}

/// Every unit under `paths` (default `scenarios/`), in suite order. Errors when nothing is
/// found or a path cannot be read; a file that does not expand is a unit of its own.
pub fn units(paths: &[PathBuf], options: ExpandOptions) -> Result<Vec<Unit>, Failure> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from("scenarios")]
    } else {
        paths.to_vec()
    };
    let files = find_scenarios(&paths).coded()?;
    if files.is_empty() {
        let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(Failure {
            code: exit::BAD_INPUT,
            error: anyhow::anyhow!("no scenario files (*.toml) in {}", list.join(", ")),
        });
    }
    let mut units = Vec::new();
    for path in files {
        let path: Arc<Path> = Arc::from(path);
        match ScenarioFile::read(&path, options) {
            Ok(file) => {
                let file = Arc::new(file);
                match file.variant_count() {
                    Some(n) => units.extend((0..n).map(|i| Unit {
                        path: Arc::clone(&path),
                        file: Ok(Arc::clone(&file)),
                        variant: Some(i),
                    })),
                    None => units.push(Unit {
                        path: path.clone(),
                        file: Ok(file),
                        variant: None,
                    }),
                }
            }
            Err(e) => units.push(Unit {
                path: path.clone(),
                file: Err(Arc::new(e)),
                variant: None,
            }),
        }
    }
    Ok(units)
}

/// Two files with the same `name` (a scenario's, or a matrix's base name) would write the
/// same recording directories: refuse the run before anything is written, naming both files.
/// (The variants of one matrix never share a name: the matrix refuses that.) A file that does
/// not validate is left for its job to report.
pub fn refuse_duplicate_names(units: &[Unit]) -> Result<(), Failure> {
    let mut seen: std::collections::HashMap<String, &Path> = std::collections::HashMap::new();
    let mut last: Option<&Path> = None;
    for u in units {
        // One check per file: its first unit.
        if last.is_some_and(|p| *p == *u.path) {
            continue;
        }
        last = Some(&u.path);
        let name = match (u.variant(), &u.file) {
            (Some(v), _) => v.base_name,
            (None, Ok(file)) => match file.scenario() {
                Ok(s) => s.name,
                Err(_) => continue,
            },
            (None, Err(_)) => continue,
        };
        if let Some(first) = seen.insert(name.clone(), &u.path) {
            return Err(Failure {
                code: exit::BAD_INPUT,
                error: anyhow::anyhow!(
                    "{} and {} both have name = \"{name}\": their recordings would overwrite \
                     each other; give each scenario its own name",
                    first.display(),
                    u.path.display(),
                ),
            });
        }
    }
    Ok(())
}
