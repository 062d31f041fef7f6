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
//! that many, then [`Elves::points`] yields them. Both read whole runs of
//! bytes without a branch per cell: a plain input (`.`, `#`, `\n`) is
//! checked and counted with vector compares, and the elves are found 64
//! cells at a time.

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
    /// A carriage return not followed by a line feed: classic Mac OS line
    /// endings, which the puzzle never has.
    #[error(
        "a carriage return alone at line {line} column {column}: expected a line ending '\\n' or '\\r\\n' (for classic Mac OS line endings, convert them: tr '\\r' '\\n')"
    )]
    LoneCarriageReturn {
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
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
    let count = match count_plain(body) {
        Some(count) => count,
        None => validate(body)?,
    };
    if count == 0 {
        return Err(ParseError::NoElves);
    }
    Ok(Elves { body, count })
}

/// The elves of `body` when it is plain: only `.`, `#` and `\n`, and fewer
/// than [`MAX_EXTENT`] bytes, so that no line or column can pass it. The
/// loop has no branch per byte, and compiles to vector compares (counts in
/// bytes, 255 at a time). `None` for anything else, which [`validate`]
/// then reads byte by byte: a `\r\n` input, or an error to place.
fn count_plain(body: &[u8]) -> Option<usize> {
    if body.len() >= MAX_EXTENT {
        return None;
    }
    let (mut count, mut other) = (0usize, 0u8);
    for chunk in body.chunks(255) {
        let (mut elves, mut odd) = (0u8, 0u8);
        for &b in chunk {
            elves += u8::from(b == b'#');
            odd |= u8::from(!matches!(b, b'.' | b'#' | b'\n'));
        }
        count += usize::from(elves);
        other |= odd;
    }
    (other == 0).then_some(count)
}

/// Validates `body` byte by byte and counts its elves: the path for line
/// endings of `\r\n`, and the one that places an error.
fn validate(body: &[u8]) -> Result<usize, ParseError> {
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
            b'\r' => {
                return Err(ParseError::LoneCarriageReturn {
                    line,
                    column: i - line_start + 1,
                });
            }
            _ => return Err(unexpected(body, line, line_start, i)),
        }
        i += 1;
    }
    Ok(count)
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

    /// The elves' positions, row by row, left to right. Each line is read
    /// 64 cells at a time as a word of bits (`cell_bits`), and the elves
    /// are that word's set bits: a few instructions per 64 cells and one
    /// per elf, with no branch on whether a cell holds an elf, and no
    /// question to the CPU about its vector instructions (which costs more
    /// than the whole scan on a VM, where each such question traps).
    pub fn points(&self) -> impl Iterator<Item = Point2D> + Clone + 'a {
        // The parser has checked that rows and columns fit in i32.
        self.body
            .split(|&b| b == b'\n')
            .zip(0i32..)
            .flat_map(|(line, y)| {
                line.chunks(64)
                    .zip((0i32..).step_by(64))
                    .flat_map(move |(cells, x)| {
                        Ones(cell_bits(cells)).map(move |i| Point2D::new(x + i, y))
                    })
            })
    }
}

/// Bit `i` set where `cells[i]` is `#`, for up to 64 cells. The loop over a
/// full 64 compiles to vector compares and mask moves (SSE2's `pmovmskb` on
/// the x86-64 baseline).
#[inline]
fn cell_bits(cells: &[u8]) -> u64 {
    let bits = |cells: &[u8]| {
        cells
            .iter()
            .enumerate()
            .fold(0u64, |acc, (i, &b)| acc | u64::from(b == b'#') << i)
    };
    match <&[u8; 64]>::try_from(cells) {
        Ok(full) => bits(full),
        Err(_) => bits(&cells[..cells.len().min(64)]),
    }
}

/// The positions of a word's set bits, lowest first.
#[derive(Clone)]
struct Ones(u64);

impl Iterator for Ones {
    type Item = i32;

    #[inline]
    fn next(&mut self) -> Option<i32> {
        if self.0 == 0 {
            return None;
        }
        let i = self.0.trailing_zeros();
        self.0 &= self.0 - 1;
        Some(i as i32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(input: &[u8]) -> ParseError {
        parse(input).unwrap_err()
    }

    /// The elves of `input`, one byte at a time.
    fn reference(input: &[u8]) -> Vec<Point2D> {
        let mut points = Vec::new();
        for (y, line) in input.split(|&b| b == b'\n').enumerate() {
            for (x, &b) in line.iter().enumerate() {
                if b == b'#' {
                    points.push(Point2D::new(x as i32, y as i32));
                }
            }
        }
        points
    }

    #[test]
    fn lines_of_every_length_list_their_elves_in_order() {
        // Lines of 0 to 200 cells (whole words of 64, and the rest), with
        // and without `\r\n`, elves at random: the word-at-a-time scan and
        // both counting paths against a byte-by-byte reference.
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut random = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        // Under Miri, the lengths around word boundaries only.
        let lens: Vec<usize> = if cfg!(miri) {
            vec![0, 1, 63, 64, 65, 128, 129, 200]
        } else {
            (0..=200).collect()
        };
        for crlf in [false, true] {
            let mut input = Vec::new();
            for &len in &lens {
                for _ in 0..len {
                    input.push(if random() % 3 == 0 { b'#' } else { b'.' });
                }
                input.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
            }
            let want = reference(&input);
            assert_eq!(count_plain(&input), (!crlf).then_some(want.len()));
            assert_eq!(validate(&input), Ok(want.len()));
            let elves = parse(&input).unwrap();
            assert_eq!(elves.len(), want.len());
            assert_eq!(elves.points().collect::<Vec<_>>(), want);
        }
        // Every cell of a full word, and a line of exactly 64.
        let full = [b'#'; 64];
        assert_eq!(cell_bits(&full), u64::MAX);
        assert_eq!(cell_bits(b"#..#"), 0b1001);
        assert_eq!(parse(&full).unwrap().points().count(), 64);
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
            ParseError::LoneCarriageReturn { line: 1, column: 2 }
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
