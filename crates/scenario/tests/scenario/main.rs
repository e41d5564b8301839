//! Probe.
use needlebench_scenario::Scenario;

const BASE: &str = r#"name = "t"
[skin]
site = "forehead"
[pen]
cartridge = "12"
exposure_mm = 0.5
speed_level = 6
[hand]
area = { rect = { x_mm = 0.0, y_mm = 0.0, width_mm = 20.0, height_mm = 10.0 } }
pattern = "straight"
"#;

#[test]
fn probe() {
    let cases = [
        format!("{BASE}glide_speed = 3\n"),
        format!("bogus = 1\n{BASE}"),
        BASE.replace("\"straight\"", "\"zigzag\""),
        BASE.replace("0.5", "3.5"),
        format!("{BASE}[[inject]]\nat_s = 1.0\nkind = \"link_drop\"\nduration_s = 1.0\nforce_n = 3.0\n"),
        format!("{BASE}[[inject]]\nat_s = 1.0\nkind = \"link_dro\"\nduration_s = 1.0\n"),
        format!("{BASE}[[inject]]\nat_s = 1.0\nkind = \"link_drop\"\n"),
        BASE.replace("[pen]\n", "[pen]\nfoo = 1\n"),
        BASE.replace("width_mm = 20.0,", "width_mm = 20.0, w = 1,"),
        BASE.replace("rect =", "circle ="),
        BASE.replace("name = \"t\"\n", ""),
        format!("{BASE}[expect]\nforbidden_layers = [\"fat\"]\nfaults=[\"stal\"]\n"),
        format!("{BASE}[expect]\nfaults=[\"stal\"]\n"),
        format!("{BASE}passes = 2.5\n"),
        format!("{BASE}[firmware]\nkind = \"serial\"\n"),
        BASE.replace("speed_level = 6", "speed_level = 6\nstroke_hz = 150.0"),
        BASE.replace("site = \"forehead\"", "[skin.custom]\nname = \"x\"\n[skin.custom.layers]\nstratum_corneum = { thickness_um = 10 }\nviable_epidermis = { thickness_um = 10 }\npapillary_dermis = { thickness_um = 0 }\nreticular_dermis = { thickness_um = 10 }\nhypodermis = { thickness_um = 10 }\n"),
        BASE.replace("{ rect = { x_mm = 0.0, y_mm = 0.0, width_mm = 20.0, height_mm = 10.0 } }", "{ polygon = [[0.0, 0.0], [1.0, 1.0]] }"),
        format!("{BASE}x = \n"),
        format!("{BASE}[[inject]]\nat_s = 1.0\nkind = \"sensor_noise\"\nsensor=\"hall\"\namplitude_mv = 3.0\nduration_s = 1.0\n"),
    ];
    for c in cases {
        match Scenario::from_str(&c, "s/t.toml".as_ref()) {
            Ok(_) => println!("OK"),
            Err(e) => println!("{e}"),
        }
    }
}
mod depthprobe;
