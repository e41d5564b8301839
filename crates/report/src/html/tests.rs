//! The page as a whole: what a QA lead must find on it.

use super::*;
use crate::fixture;
use crate::{PlotLimits, RunInfo};

fn page() -> String {
    html(&fixture::suite(), &fixture::run_info())
}

#[test]
fn one_of_each_plot_per_scenario_that_ran_with_all_heat_map_cells() {
    let page = page();
    assert_eq!(page.matches(r#"<svg class="plot heatmap""#).count(), 3);
    // 4×3 + 5×2 + 2×2 grid cells.
    assert_eq!(page.matches(r#"<rect class="cell"#).count(), 12 + 10 + 4);
    assert_eq!(page.matches(r#"<svg class="plot histogram""#).count(), 3);
    assert_eq!(page.matches(r#"<svg class="plot series""#).count(), 3);
}

#[test]
fn names_messages_and_the_command_line_are_escaped() {
    let page = page();
    assert!(page.contains("stall &lt;&amp;&gt; &quot;quoted&quot;"));
    assert!(!page.contains("stall <&>"));
    assert!(page.contains("unknown key `x` &lt;here&gt;"));
    assert!(page.contains("checks depth.max &lt;carefully&gt; &amp; well"));
    assert!(page.contains("--seed &lt;7&gt; &amp; more"));
    assert!(!page.contains("<carefully>") && !page.contains("<here>") && !page.contains("<7>"));
}

#[test]
fn the_run_is_described_at_the_top() {
    let page = page();
    let meta = &page[page.find(r#"<dl class="meta">"#).expect("run info")..];
    let meta = &meta[..meta.find("</dl>").expect("end")];
    for want in [
        "<dd>0.4.0</dd>",
        "<dd>bench-01</dd>",
        "<dd>2026-11-29T19:48:13Z</dd>",
        "<dd>12.5 s (2 parallel jobs)</dd>",
        "<dt>seeds</dt><dd>42</dd>",
        "needlebench regress scenarios/",
    ] {
        assert!(meta.contains(want), "{want} missing in {meta}");
    }
    let mut results = fixture::suite();
    if let Some(run) = &mut results[1].run {
        run.seed = 7;
    }
    let page = html(&results, &fixture::run_info());
    assert!(page.contains("<dd>7, 42 (per scenario in the table)</dd>"));
}

#[test]
fn durations_read_as_people_say_them() {
    assert_eq!(duration(12.54), "12.5 s");
    assert_eq!(duration(185.0), "3 min 05 s");
    assert_eq!(duration(3720.0), "1 h 02 min");
    assert_eq!(duration(f64::NAN), "unknown");
}

#[test]
fn failures_come_first_in_the_summary_and_the_sections() {
    let results = fixture::suite();
    let page = page();
    // Not run (2), fail (1), not checked (3), pass (0).
    let pos = |i: usize, what: &str| {
        let id = anchor(i, &results[i].name);
        page.find(&format!("{what}{id}\"")).expect(&id)
    };
    let links: Vec<usize> = [2, 1, 3, 0].iter().map(|&i| pos(i, "href=\"#")).collect();
    assert!(links.windows(2).all(|w| w[0] < w[1]), "{links:?}");
    let sections: Vec<usize> = [2, 1, 3, 0].iter().map(|&i| pos(i, "id=\"")).collect();
    assert!(sections.windows(2).all(|w| w[0] < w[1]), "{sections:?}");
    // Within the failing scenario: both failures before the acceptable criterion.
    let stall = &page[sections[1]..sections[2]];
    let (f1, f2, a) = (
        stall.find("<code>depth.max</code>").expect("depth"),
        stall
            .find("<code>firmware.fault_stop</code>")
            .expect("fault stop"),
        stall.find("<code>density.range</code>").expect("density"),
    );
    assert!(f1 < a && f2 < a);
}

#[test]
fn the_filter_hides_what_passed_without_script() {
    let page = page();
    let input = page
        .find(r#"<input type="checkbox" id="attention""#)
        .expect("filter");
    assert!(input < page.find(r#"<table class="summary""#).expect("summary"));
    assert!(page.contains("#attention:checked ~ .card tr.ok"));
    assert!(page.contains("#attention:checked ~ section.ok"));
    assert!(page.contains("#attention:checked ~ section tr.v-ok"));
    // Only the passing scenario is hidden; its passing and N/A criteria are.
    assert_eq!(
        page.matches(r#"<section class="card scenario ok""#).count(),
        1
    );
    assert_eq!(
        page.matches(r#"<section class="card scenario attn""#)
            .count(),
        3
    );
    assert_eq!(page.matches(r#"<tr class="pass ok">"#).count(), 1);
    assert!(page.contains(r#"<tr class="not-checked attn">"#));
    assert_eq!(page.matches(" v-ok\">").count(), 5, "3 pass, 2 N/A rows");
}

#[test]
fn not_applicable_and_not_checked_are_styled_apart() {
    let page = page();
    assert_eq!(
        page.matches(r#"<tr class="not_applicable v-ok"><td><span class="badge b-na">N/A</span>"#)
            .count(),
        2
    );
    assert_eq!(
        page.matches(
            r#"<tr class="not_checked"><td><span class="badge b-not-checked">NOT CHECKED</span>"#
        )
        .count(),
        1
    );
    assert_eq!(
        page.matches(r#"<tr class="fail"><td><span class="badge b-fail">FAIL</span>"#)
            .count(),
        2
    );
    assert_eq!(
        page.matches(r#"<tr class="acceptable"><td><span class="badge b-acceptable">"#)
            .count(),
        1
    );
    assert!(page.contains(".b-na{") && page.contains(".b-not-checked{"));
    assert!(page.contains("t = 1.250 s, x = 3.5 mm"));
}

#[test]
fn every_scenario_says_where_its_expectations_came_from() {
    let page = page();
    assert!(page.contains(
        "<b>Expectations:</b> the scenario copy in the recording (recordings/glabella/scenario.toml)"
    ));
    assert_eq!(
        page.matches(r#"<p class="unverified"><b>Expectations:</b> none"#)
            .count(),
        1
    );
}

#[test]
fn recordings_and_their_files_are_linked_from_the_page() {
    let page = page();
    assert!(page.contains(r#"<a href="../recordings/glabella">recordings/glabella</a>"#));
    assert!(page.contains(r#"<a href="../recordings/glabella/meta.toml">meta.toml</a>"#));
    let info = RunInfo {
        html_dir: "/srv/reports".to_owned(),
        ..fixture::run_info()
    };
    let mut results = fixture::suite();
    if let Ok(r) = &mut results[0].report {
        r.recording = "/srv/rec/a b#1".to_owned();
    }
    let page = html(&results, &info);
    assert!(
        page.contains(r#"href="../rec/a%20b%231/events.csv""#),
        "{page}"
    );
}

#[test]
fn events_are_in_words_and_limits_are_drawn() {
    let mut results = fixture::suite();
    results[0].limits = PlotLimits {
        density_per_cm2: Some([1500.0, 9000.0]),
        stroke_hz: Some([131.1, 144.9]),
        forbidden_layers: vec![3],
        ..PlotLimits::default()
    };
    if let Ok(r) = &mut results[0].report {
        r.verdicts[0].metrics.insert("limit_um".to_owned(), 240.0);
    }
    let page = html(&results, &fixture::run_info());
    assert!(page.contains(">fault raised: stall</text>"));
    assert!(!page.contains(">fault_raised"));
    // From the verdict's metric: on the histogram and the depth panel.
    assert_eq!(page.matches(">depth limit 240 µm<").count(), 2);
    assert!(page.contains(">forbidden layer 250 µm<"));
    assert!(page.contains("allowed 1500–9000 /cm²"));
    assert!(page.contains(">expected ≤ 144.9 Hz<"));
}

#[test]
fn self_contained_and_pure() {
    let page = page();
    assert!(!page.contains("<script"));
    assert!(!page.contains("src=\""));
    assert!(!page.contains("<link"));
    assert!(!page.contains("url(http") && !page.contains("@import"));
    assert_eq!(page, html(&fixture::suite(), &fixture::run_info()));
}
