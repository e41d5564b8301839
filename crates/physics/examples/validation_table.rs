//! Print the validation table as Markdown:
//! `cargo run -p needlebench-physics --example validation_table`.

fn main() {
    println!("| case | published | model | tolerance | verdict | reason |");
    println!("|---|---|---|---|---|---|");
    for r in needlebench_physics::validate() {
        let cal = if r.case.calibration { " (cal.)" } else { "" };
        println!(
            "| {}{} | {} | {} | {} | {:?} | {} |",
            r.case.id,
            cal,
            r.published,
            r.model,
            r.tolerance,
            r.verdict,
            r.reason.as_deref().unwrap_or("")
        );
    }
}
