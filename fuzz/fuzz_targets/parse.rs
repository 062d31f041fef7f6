//! `day23::grid::parse` on arbitrary bytes: `Ok` or a `ParseError`, never a
//! panic, and exactly what a naive parser says (the same elves, or the same
//! error at the same line and column). On `Ok`, `points()` yields exactly
//! `len()` points.
#![no_main]

use day23::grid::{Point2D, parse};
use day23_fuzz::reference_parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let expected = reference_parse(data);
    match parse(data) {
        Ok(elves) => {
            let points: Vec<Point2D> = elves.points().collect();
            assert_eq!(
                points.len(),
                elves.len(),
                "points() must yield len() points"
            );
            assert!(!elves.is_empty());
            let points: Vec<(i32, i32)> = points.iter().map(|p| (p.x, p.y)).collect();
            assert_eq!(Ok(points), expected, "input {data:?}");
        }
        Err(e) => {
            assert_eq!(Err(e.clone()), expected, "input {data:?}");
            // Every error renders a message (Display must not panic either).
            assert!(!e.to_string().is_empty());
        }
    }
});
