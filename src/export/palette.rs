//! # Each strategy's colour
//!
//! One palette for the SVG plot (`--plot`) and the HTML viewer (`--report`
//! and the page in the browser).

/// Each strategy's colour as red, green, blue (others: grey).
#[must_use]
pub fn rgb(strategy: &str) -> (u8, u8, u8) {
    match strategy {
        "leaky" => (0xd6, 0x27, 0x28),
        "tempcopy" => (0xff, 0x7f, 0x0e),
        "pingpong" => (0x1f, 0x77, 0xb4),
        "reuse" => (0x94, 0x67, 0xbd),
        "heap" => (0x2c, 0xa0, 0x2c),
        _ => (0x7f, 0x7f, 0x7f),
    }
}
