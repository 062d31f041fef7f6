//! Oracles for the fuzz targets, written apart from the tool: a naive parser
//! and a naive simulation (a `BTreeSet`, the rules read straight off the
//! puzzle statement). The targets compare `day23` against them.

use std::collections::BTreeSet;

use day23::grid::ParseError;

/// Elves as `(x, y)`, y growing downward.
pub type Elves = BTreeSet<(i32, i32)>;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What `day23::grid::parse` must return for `input`: the elves in reading
/// order, or the first error. Line and column are 1-based; the column counts
/// characters, which here is bytes since only ASCII can precede an error on
/// its line.
pub fn reference_parse(input: &[u8]) -> Result<Vec<(i32, i32)>, ParseError> {
    let body = input.strip_prefix(BOM).unwrap_or(input);
    if body.is_empty() {
        return Err(ParseError::Empty);
    }
    let mut elves = Vec::new();
    let lines: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
    let mut offset = 0;
    for (y, line) in lines.iter().enumerate() {
        let last_line = y + 1 == lines.len();
        for (x, &byte) in line.iter().enumerate() {
            let crlf = byte == b'\r' && x + 1 == line.len() && !last_line;
            match byte {
                b'#' => elves.push((x as i32, y as i32)),
                b'.' => {}
                _ if crlf => {}
                b'\r' => {
                    return Err(ParseError::LoneCarriageReturn {
                        line: y + 1,
                        column: x + 1,
                    });
                }
                _ => {
                    let (line, column) = (y + 1, x + 1);
                    let rest = &body[offset + x..];
                    let valid = rest.utf8_chunks().next().map_or("", |c| c.valid());
                    return Err(match valid.chars().next() {
                        Some(found) => ParseError::UnexpectedChar {
                            line,
                            column,
                            found,
                        },
                        None => ParseError::InvalidUtf8 { line, column },
                    });
                }
            }
        }
        offset += line.len() + 1;
    }
    if elves.is_empty() {
        return Err(ParseError::NoElves);
    }
    Ok(elves)
}

/// The puzzle's four directions in their starting order: the step, and the
/// three cells an elf looks at before proposing it (N, NE, NW for north...).
const DIRECTIONS: [((i32, i32), [(i32, i32); 3]); 4] = [
    ((0, -1), [(0, -1), (1, -1), (-1, -1)]),
    ((0, 1), [(0, 1), (1, 1), (-1, 1)]),
    ((-1, 0), [(-1, 0), (-1, -1), (-1, 1)]),
    ((1, 0), [(1, 0), (1, -1), (1, 1)]),
];

/// One round (1-based), literally: every elf with a neighbour proposes the
/// first free direction (starting from the round's first one); then each elf
/// moves if it was the only one to propose its target. Returns the elves
/// after the round and how many moved.
///
/// Occupancy and proposal counts live in two plain arrays over the elves'
/// bounding box plus a margin of one cell (every look and every target is
/// one step away): the fuzz targets' grids are small, and this is several
/// times faster than looking each neighbour up in the `BTreeSet`.
pub fn reference_round(elves: &Elves, round: usize) -> (Elves, usize) {
    let Some(area) = Area::around(elves) else {
        return (Elves::new(), 0);
    };
    let mut occupied = vec![false; area.cells()];
    for &(x, y) in elves {
        occupied[area.index(x, y)] = true;
    }
    let mut proposals: Vec<Option<(i32, i32)>> = Vec::with_capacity(elves.len());
    let mut proposers = vec![0u8; area.cells()];
    for &(x, y) in elves {
        // The eight adjacent positions, looked up once: near[dy + 1][dx + 1].
        let mut near = [[false; 3]; 3];
        for dy in -1..=1 {
            for dx in -1..=1 {
                near[(dy + 1) as usize][(dx + 1) as usize] =
                    (dx, dy) != (0, 0) && occupied[area.index(x + dx, y + dy)];
            }
        }
        let mut proposal = None;
        if near.iter().flatten().any(|&elf| elf) {
            for k in 0..4 {
                let (step, looks) = DIRECTIONS[(round - 1 + k) % 4];
                if looks
                    .iter()
                    .all(|&(dx, dy)| !near[(dy + 1) as usize][(dx + 1) as usize])
                {
                    let target = (x + step.0, y + step.1);
                    let count = &mut proposers[area.index(target.0, target.1)];
                    *count = count.saturating_add(1);
                    proposal = Some(target);
                    break;
                }
            }
        }
        proposals.push(proposal);
    }
    let mut moved = 0;
    let next = elves
        .iter()
        .zip(proposals)
        .map(|(&elf, proposal)| match proposal {
            Some(target) if proposers[area.index(target.0, target.1)] == 1 => {
                moved += 1;
                target
            }
            _ => elf,
        })
        .collect();
    (next, moved)
}

/// A rectangle of cells: the elves' bounding box grown by one on each side.
struct Area {
    x0: i32,
    y0: i32,
    width: usize,
    height: usize,
}

impl Area {
    fn around(elves: &Elves) -> Option<Self> {
        // The set is ordered by x first.
        let x0 = elves.first()?.0 - 1;
        let x1 = elves.last()?.0 + 1;
        let y0 = elves.iter().map(|e| e.1).min()? - 1;
        let y1 = elves.iter().map(|e| e.1).max()? + 1;
        let width = usize::try_from(x1 - x0 + 1).ok()?;
        let height = usize::try_from(y1 - y0 + 1).ok()?;
        Some(Self {
            x0,
            y0,
            width,
            height,
        })
    }

    fn cells(&self) -> usize {
        self.width * self.height
    }

    /// The cell's index; panics (a bug in the caller) outside the area.
    fn index(&self, x: i32, y: i32) -> usize {
        let column = usize::try_from(x - self.x0).expect("inside the area");
        let row = usize::try_from(y - self.y0).expect("inside the area");
        assert!(column < self.width && row < self.height, "inside the area");
        row * self.width + column
    }
}

/// Empty tiles in the smallest rectangle holding every elf.
pub fn reference_empty_ground(elves: &Elves) -> u64 {
    let x0 = elves.iter().map(|e| e.0).min().unwrap_or(0);
    let x1 = elves.iter().map(|e| e.0).max().unwrap_or(0);
    let y0 = elves.iter().map(|e| e.1).min().unwrap_or(0);
    let y1 = elves.iter().map(|e| e.1).max().unwrap_or(0);
    let area = (i64::from(x1) - i64::from(x0) + 1) * (i64::from(y1) - i64::from(y0) + 1);
    area as u64 - elves.len() as u64
}

/// A whole reference run.
#[derive(Debug)]
pub struct ReferenceRun {
    /// The elves after each round, round 0 (the input) first.
    pub elves: Vec<Elves>,
    /// How many moved in each round (0 for round 0).
    pub moved: Vec<usize>,
    /// Part 1 and part 2 after each round, as far as known then.
    pub answers: Vec<(Option<u64>, Option<usize>)>,
}

/// Plays until both answers are known or `max_rounds` rounds, whichever
/// comes first, exactly as `day23::engine::solve` decides when to stop.
pub fn reference_run(start: Elves, max_rounds: usize) -> ReferenceRun {
    let mut run = ReferenceRun {
        elves: vec![start],
        moved: vec![0],
        answers: vec![(None, None)],
    };
    let mut round = 0;
    loop {
        let (part1, part2) = run.answers[round];
        if (part1.is_some() && part2.is_some()) || round >= max_rounds {
            return run;
        }
        round += 1;
        let (next, moved) = reference_round(&run.elves[round - 1], round);
        let part2 = part2.or((moved == 0).then_some(round));
        let part1 = part1.or((round == 10).then(|| reference_empty_ground(&next)));
        run.elves.push(next);
        run.moved.push(moved);
        run.answers.push((part1, part2));
    }
}
