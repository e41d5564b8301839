//! Integration tests of needlebench-score: each formula on small hand-computed inputs, the
//! feedback's wording and timing, the comparison and the renderings.

mod compare;
mod feedback;
mod formulas;
mod render;
mod support;
