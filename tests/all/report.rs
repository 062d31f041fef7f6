//! `--report PATH.html`: one self-contained page, its data embedded once;
//! the moves it carries replay every round's elves, and its figures are the
//! JSON export's. (`tests/browser/` checks the page itself in Chromium.)

use base64::Engine as _;
use day23::grid::Point2D;
use day23::strategy::StrategyKind;
use serde_json::Value;

use crate::common::{day23, read, record};

fn temp_path(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("day23-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The page at `path` and the JSON embedded in it.
fn page(path: &std::path::Path) -> (String, Value) {
    let html = std::fs::read_to_string(path).unwrap();
    let open = r#"<script id="data" type="application/json">"#;
    let start = html.find(open).unwrap() + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    let data = serde_json::from_str(&html[start..end]).unwrap();
    (html, data)
}

/// Every round's elves, sorted by (y, x), from the page's first elves and moves.
fn replay(data: &Value) -> Vec<Vec<Point2D>> {
    const D: [(i32, i32); 4] = [(0, -1), (0, 1), (-1, 0), (1, 0)];
    let initial: Vec<i32> = serde_json::from_value(data["initial"].clone()).unwrap();
    let mut elves: Vec<Point2D> = initial
        .chunks(2)
        .map(|c| Point2D::new(c[0], c[1]))
        .collect();
    let n = elves.len();
    let sorted = |e: &[Point2D]| {
        let mut e = e.to_vec();
        e.sort_by_key(|p| (p.y, p.x));
        e
    };
    let mut rounds = vec![sorted(&elves)];
    for moves in data["moves"].as_array().unwrap() {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(moves.as_str().unwrap())
            .unwrap();
        let (bitmap, dirs) = bytes.split_at(n.div_ceil(8));
        let mut k = 0;
        for (i, elf) in elves.iter_mut().enumerate() {
            if bitmap[i / 8] & (1 << (i % 8)) != 0 {
                let d = (dirs[k / 4] >> (2 * (k % 4))) & 3;
                let (dx, dy) = D[usize::from(d)];
                *elf = Point2D::new(elf.x + dx, elf.y + dy);
                k += 1;
            }
        }
        assert_eq!(dirs.len(), k.div_ceil(4));
        rounds.push(sorted(&elves));
    }
    rounds
}

#[test]
fn report_moves_replay_every_rounds_elves() {
    let generated = day23::generate::generate(12, 12, 0.5, 1);
    let path = temp_path("generated.txt");
    std::fs::write(&path, &generated).unwrap();
    for (input, bytes) in [
        ("inputs/example.txt".to_owned(), read("example.txt")),
        (path.display().to_string(), generated),
    ] {
        let html = temp_path("replay.html");
        day23()
            .args(["-i", &input, "-s", "pingpong", "-q", "--report"])
            .arg(&html)
            .assert()
            .success();
        let (_, data) = page(&html);
        let expected = record(StrategyKind::PingPong, &bytes, 1 << 20, None, true).elves;
        assert_eq!(replay(&data), expected, "{input}");
    }
}

#[test]
fn report_is_self_contained_within_budget_and_its_figures_are_the_exports() {
    let html = temp_path("gen70.html");
    let json = temp_path("gen70.json");
    day23()
        .args(["-i", "inputs/gen-70x70-d50-s1.txt", "-s", "all", "-q"])
        .arg("--report")
        .arg(&html)
        .args(["-f", "json", "-o"])
        .arg(&json)
        .assert()
        .success();
    let (text, data) = page(&html);
    assert!(text.len() <= 1_500_000, "{} bytes", text.len());
    assert_eq!(text.matches("<script").count(), 2, "the data and the code");
    assert_eq!(text.matches(r#"type="application/json""#).count(), 1);
    for remote in ["http:", "https:", "<link", " src=", "@import", "url("] {
        assert!(!text.contains(remote), "{remote}");
    }
    let export: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let runs = data["runs"].as_array().unwrap();
    let strategies = export["strategies"].as_array().unwrap();
    assert_eq!(runs.len(), 5);
    for (run, strategy) in runs.iter().zip(strategies) {
        assert_eq!(run["name"], strategy["strategy"]);
        let rounds = strategy["rounds"].as_array().unwrap();
        let figures: Vec<Value> = rounds
            .iter()
            .map(|r| serde_json::json!([r["bytes_in_use"], r["live_bytes"], r["peak_bytes"]]))
            .collect();
        assert_eq!(run["rounds"].as_array().unwrap(), &figures);
        let buffers = run["buffers"].as_array().unwrap().len();
        let frames = run["frames"].as_array().unwrap().len();
        assert_eq!(frames, 3 * rounds.len() * buffers, "{}", run["name"]);
    }
    assert_eq!(data["moves"].as_array().unwrap().len(), 969);
    assert_eq!(runs[0]["outcome"], "out of memory in round 113");
}

#[test]
fn report_is_created_before_the_run_and_never_over_the_input() {
    day23()
        .args([
            "-i",
            "inputs/example.txt",
            "--report",
            "/nonexistent/r.html",
        ])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicates::str::contains(
            "could not create '/nonexistent/r.html'",
        ));
    day23()
        .args(["-i", "inputs/example.txt", "--report", "inputs/example.txt"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("for --report: it is the input"));
}
