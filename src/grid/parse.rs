//! # Parsing the puzzle input
//!
//! Lines of `.` (empty) and `#` (elf). Lines may differ in length (cells past a
//! line's end are empty), end in `\n` or `\r\n`, and the last newline is
//! optional. A UTF-8 byte order mark at the very start is skipped, since
//! Windows editors add one. Anything else is a [`ParseError`] naming the line
//! and column (1-based, counted in characters).
//!
//! Parsing is two passes over the bytes, with no allocation: [`parse`]
//! validates and counts the elves, so that the set can be reserved for exactly
//! that many, then [`Elves::points`] yields them.

use super::Point2D;

/// What is wrong with an input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Zero bytes (or only a byte order mark).
    #[error("the input is empty: expected lines of '.' and '#'")]
    Empty,
    /// Only `.`, blank lines and line endings.
    #[error("the input has no elves: expected at least one '#'")]
    NoElves,
    /// A character other than `.`, `#` and line endings.
    #[error(
        "unexpected {found:?} at line {line} column {column}: expected '.', '#' or a line ending"
    )]
    UnexpectedChar {
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
        /// The character found.
        found: char,
    },
    /// Bytes that are not UTF-8.
    #[error("invalid UTF-8 at line {line} column {column}: expected '.', '#' or a line ending")]
    InvalidUtf8 {
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
    },
    /// Coordinates beyond what the simulation represents.
    #[error(
        "the input is too large at line {line} column {column}: at most {max} rows and columns are supported"
    )]
    TooLarge {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The largest row or column count.
        max: usize,
    },
}

/// The largest row or column count: elves may spread one cell per round in
/// every direction, so leave room below `i32::MAX`.
pub const MAX_EXTENT: usize = 1 << 30;

/// A validated input.
#[derive(Debug, Clone, Copy)]
pub struct Elves<'a> {
    body: &'a [u8],
    count: usize,
}

/// A UTF-8 byte order mark, skipped at the very start of an input.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether `b` can appear in a valid input after the byte order mark: `.`,
/// `#` or a line ending byte (a `\r` must still be followed by `\n`).
#[must_use]
pub const fn is_input_byte(b: u8) -> bool {
    matches!(b, b'.' | b'#' | b'\n' | b'\r')
}

/// Validates `input` and counts its elves.
///
/// # Errors
///
/// [`ParseError`] for an empty input, one without elves, an unexpected
/// character, bytes that are not UTF-8, or more than [`MAX_EXTENT`] rows or
/// columns.
///
/// # Examples
///
/// ```
/// use day23::grid::{parse, Point2D};
/// let elves = parse(b".#\n#.\n").unwrap();
/// assert_eq!(elves.len(), 2);
/// assert_eq!(elves.points().collect::<Vec<_>>(), [Point2D::new(1, 0), Point2D::new(0, 1)]);
/// ```
pub fn parse(input: &[u8]) -> Result<Elves<'_>, ParseError> {
    let body = input.strip_prefix(BOM).unwrap_or(input);
    if body.is_empty() {
        return Err(ParseError::Empty);
    }
    let mut count = 0usize;
    let (mut line, mut line_start) = (1usize, 0usize);
    let mut i = 0;
    while i < body.len() {
        let column = i - line_start + 1;
        if line > MAX_EXTENT || column > MAX_EXTENT {
            return Err(ParseError::TooLarge {
                line,
                column,
                max: MAX_EXTENT,
            });
        }
        match body[i] {
            b'#' => count += 1,
            b'.' => {}
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            b'\r' if body.get(i + 1) == Some(&b'\n') => {}
            _ => return Err(unexpected(body, line, line_start, i)),
        }
        i += 1;
    }
    if count == 0 {
        return Err(ParseError::NoElves);
    }
    Ok(Elves { body, count })
}

/// The error for the byte at `at`, which is not `.`, `#` or a line ending.
/// Only `.`/`#`/newlines precede it on its line, so its column in characters
/// is its byte distance from the line start.
fn unexpected(body: &[u8], line: usize, line_start: usize, at: usize) -> ParseError {
    let column = at - line_start + 1;
    match core::str::from_utf8(&body[at..body.len().min(at + 4)]) {
        Ok(s) => ParseError::UnexpectedChar {
            line,
            column,
            found: s.chars().next().unwrap_or('\u{FFFD}'),
        },
        Err(e) if e.valid_up_to() > 0 => {
            let s = core::str::from_utf8(&body[at..at + e.valid_up_to()]).unwrap_or("\u{FFFD}");
            ParseError::UnexpectedChar {
                line,
                column,
                found: s.chars().next().unwrap_or('\u{FFFD}'),
            }
        }
        Err(_) => ParseError::InvalidUtf8 { line, column },
    }
}

impl<'a> Elves<'a> {
    /// How many elves the input has (never 0).
    #[must_use]
    pub fn len(&self) -> usize {
        self.count
    }

    /// Always `false`: a valid input has elves.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The elves' positions, row by row, left to right. Only the `#` and
    /// newline bytes are visited (`memchr`'s vectorized search), so a large
    /// input with few elves is walked at memory speed; an input shorter than
    /// [`SCAN_BELOW`] bytes is scanned byte by byte instead.
    pub fn points(&self) -> impl Iterator<Item = Point2D> + Clone + 'a {
        let body = self.body;
        // (row, start of the row) as the scan goes; the parser has checked
        // that rows and columns fit in i32.
        let mut row = (0i32, 0usize);
        let hits = if body.len() < SCAN_BELOW {
            Hits::Scan(body.iter().enumerate())
        } else {
            Hits::Memchr(memchr::memchr2_iter(b'#', b'\n', body))
        };
        hits.filter_map(move |at| {
            if body[at] == b'\n' {
                row = (row.0.wrapping_add(1), at + 1);
                return None;
            }
            Some(Point2D::new((at - row.1) as i32, row.0))
        })
    }
}

/// Inputs shorter than this many bytes are scanned byte by byte: `memchr`'s
/// first call in a process picks its AVX2 or SSE2 routine by asking the CPU
/// (`std_detect`, about 0.1 ms where `cpuid` traps to a hypervisor), more
/// than scanning a small input costs (`docs/performance.md`, issue 22).
pub const SCAN_BELOW: usize = 1024;

/// The offsets of the `#` and newline bytes of an input, in order.
#[derive(Clone)]
enum Hits<'a> {
    /// `memchr`'s vectorized search.
    Memchr(memchr::Memchr2<'a>),
    /// A plain scan, for small inputs.
    Scan(core::iter::Enumerate<core::slice::Iter<'a, u8>>),
}

impl Iterator for Hits<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        match self {
            Hits::Memchr(hits) => hits.next(),
            Hits::Scan(bytes) => bytes
                .find(|&(_, &b)| b == b'#' || b == b'\n')
                .map(|(at, _)| at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(input: &[u8]) -> ParseError {
        parse(input).unwrap_err()
    }

    #[test]
    fn small_and_large_inputs_list_the_same_elves() {
        // The same rows below and above SCAN_BELOW bytes: the scan and
        // memchr give the same points.
        let row = b"#..#.##.\r\n.#......\n";
        let small: Vec<u8> = row.repeat(2);
        let large: Vec<u8> = row.repeat(SCAN_BELOW / row.len() + 1);
        assert!(small.len() < SCAN_BELOW && large.len() >= SCAN_BELOW);
        let (small, large) = (parse(&small).unwrap(), parse(&large).unwrap());
        let want = |rows: i32| -> Vec<Point2D> {
            (0..rows)
                .flat_map(|y| {
                    let xs: &[i32] = if y % 2 == 0 { &[0, 3, 5, 6] } else { &[1] };
                    xs.iter().map(move |&x| Point2D::new(x, y))
                })
                .collect()
        };
        assert_eq!(small.points().collect::<Vec<_>>(), want(4));
        let rows = 2 * (SCAN_BELOW / row.len() + 1) as i32;
        assert_eq!(large.points().collect::<Vec<_>>(), want(rows));
        assert_eq!(large.points().count(), large.len());
    }

    #[test]
    fn accepts_crlf_ragged_lines_and_missing_final_newline() {
        let elves = parse(b"#.\r\n.\r\n..#").unwrap();
        assert_eq!(
            elves.points().collect::<Vec<_>>(),
            [Point2D::new(0, 0), Point2D::new(2, 2)]
        );
    }

    #[test]
    fn skips_a_leading_byte_order_mark() {
        assert_eq!(parse(b"\xEF\xBB\xBF#").unwrap().len(), 1);
        assert_eq!(err(b"\xEF\xBB\xBF"), ParseError::Empty);
        assert_eq!(
            err(b"#\xEF\xBB\xBF"),
            ParseError::UnexpectedChar {
                line: 1,
                column: 2,
                found: '\u{FEFF}'
            }
        );
    }

    #[test]
    fn reports_each_error_class_with_its_position() {
        assert_eq!(err(b""), ParseError::Empty);
        assert_eq!(err(b"...\n\n.."), ParseError::NoElves);
        assert_eq!(
            err(b"..#\n.x."),
            ParseError::UnexpectedChar {
                line: 2,
                column: 2,
                found: 'x'
            }
        );
        assert_eq!(
            err(b"#\0"),
            ParseError::UnexpectedChar {
                line: 1,
                column: 2,
                found: '\0'
            }
        );
        assert_eq!(
            err("#é".as_bytes()),
            ParseError::UnexpectedChar {
                line: 1,
                column: 2,
                found: 'é'
            }
        );
        assert_eq!(
            err(b"#\n.\xff"),
            ParseError::InvalidUtf8 { line: 2, column: 2 }
        );
        assert_eq!(
            err(b"#\r.\n"),
            ParseError::UnexpectedChar {
                line: 1,
                column: 2,
                found: '\r'
            }
        );
        assert_eq!(
            err(b"# \n"),
            ParseError::UnexpectedChar {
                line: 1,
                column: 2,
                found: ' '
            }
        );
    }

    #[test]
    fn messages_name_line_column_and_expectation() {
        let msg = err(b"#\n.x").to_string();
        assert_eq!(
            msg,
            "unexpected 'x' at line 2 column 2: expected '.', '#' or a line ending"
        );
    }
}
