//! # Points and directions
//!
//! x grows to the right and **y grows downward**, as the puzzle's input reads:
//! north is `y - 1`. Coordinates are `i32`: an input is at most a few thousand
//! cells across, and elves spread by at most one cell per round.

use core::hash::{Hash, Hasher};
use core::ops::Add;

/// A cell of the unbounded grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Point2D {
    /// Column, growing to the right.
    pub x: i32,
    /// Row, growing downward.
    pub y: i32,
}

impl Point2D {
    /// The point `(x, y)`.
    #[must_use]
    pub const fn new(x: i32, y: i32) -> Self {
        Self { x, y }
    }

    /// Both coordinates in one `u64` (x in the high half), the key the hash
    /// set hashes: one word, one multiply.
    #[must_use]
    #[inline]
    pub const fn packed(self) -> u64 {
        ((self.x as u32 as u64) << 32) | self.y as u32 as u64
    }

    /// Adds with wrap-around; the simulation never comes near `i32::MAX`.
    #[must_use]
    #[inline]
    pub const fn wrapping_add(self, d: Self) -> Self {
        Self::new(self.x.wrapping_add(d.x), self.y.wrapping_add(d.y))
    }
}

impl Add for Point2D {
    type Output = Self;

    #[inline]
    fn add(self, d: Self) -> Self {
        self.wrapping_add(d)
    }
}

impl Hash for Point2D {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.packed());
    }
}

/// North: one row up.
pub const NORTH: Point2D = Point2D::new(0, -1);
/// South: one row down.
pub const SOUTH: Point2D = Point2D::new(0, 1);
/// West: one column left.
pub const WEST: Point2D = Point2D::new(-1, 0);
/// East: one column right.
pub const EAST: Point2D = Point2D::new(1, 0);

/// The eight neighbours, clockwise from north-west. Bit `i` of a neighbour mask
/// is `NEIGHBOURS[i]`.
pub const NEIGHBOURS: [Point2D; 8] = [
    Point2D::new(-1, -1), // 0 NW
    Point2D::new(0, -1),  // 1 N
    Point2D::new(1, -1),  // 2 NE
    Point2D::new(1, 0),   // 3 E
    Point2D::new(1, 1),   // 4 SE
    Point2D::new(0, 1),   // 5 S
    Point2D::new(-1, 1),  // 6 SW
    Point2D::new(-1, 0),  // 7 W
];

/// The four directions in the puzzle's starting order: N, S, W, E.
pub const DIRECTIONS: [Point2D; 4] = [NORTH, SOUTH, WEST, EAST];

/// For each of [`DIRECTIONS`], the neighbour-mask bits of the three cells on
/// that side (N: NW, N, NE; S: SE, S, SW; W: NW, W, SW; E: NE, E, SE).
pub const SIDE_MASKS: [u8; 4] = [0b0000_0111, 0b0111_0000, 0b1100_0001, 0b0001_1100];
