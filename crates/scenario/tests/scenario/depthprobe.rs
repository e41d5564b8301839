use needlebench_physics::*;
#[test]
fn depth_table() {
    for site in ["forehead","periorbital","cheek","upper_lip","neck","abdomen","chin","nose","temple","glabella"] {
        let s = Site::builtin(site).unwrap();
        let b = s.boundaries_um();
        print!("{site:12} bounds {:?}\n   ", b.iter().map(|x| *x as i64).collect::<Vec<_>>());
        for e in [250.0, 500.0, 750.0, 1000.0, 1500.0, 2000.0, 2500.0] {
            for f in [2.0, 4.0] {
            let r = stroke(&StrokeInput { site: &s, needle: Needle::STANDARD, exposure_um: e,
                tip_speed_m_s: std::f64::consts::PI*150.0*3e-3, hand_force_n: f, tilt_deg: 0.0, lever_mm: 3.0, precompression_um: 0.0 }).unwrap();
            print!(" {e}/{f}N:{:.0}{}", r.reached_depth_um, &r.layer.name()[..4]);
            }
        }
        println!();
    }
}
