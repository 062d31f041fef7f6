//! # SVG: bytes in use per round, every strategy on one chart
//!
//! Drawn with `plotters`' SVG backend only (no bitmap backend, no system
//! fonts: the text is SVG `<text>` in `sans-serif`, laid out by the viewer).
//! One line per strategy (the sum over its buffers), a cross where a strategy
//! ran out of memory, and a horizontal line at the buffer size. A line that
//! a later strategy's line covers exactly (tempcopy and pingpong use the same
//! bytes) is drawn wider underneath, and its label says so. When the
//! values span an order of magnitude or more, the y axis is logarithmic in
//! powers of two, so every line stays readable.

use anyhow::{Result, anyhow};
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;

use crate::export::Exporter;
use crate::export::table::outcome_text;
use crate::report::{Comparison, Outcome};
use crate::units::{human_bytes, thousands};

/// The plot, `width` x `height` pixels.
#[derive(Debug, Clone, Copy)]
pub struct SvgExporter {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Default for SvgExporter {
    fn default() -> Self {
        Self {
            width: 960,
            height: 540,
        }
    }
}

/// Each strategy's colour (others: grey): [`crate::export::palette::rgb`].
#[must_use]
pub fn color(strategy: &str) -> RGBColor {
    let (r, g, b) = crate::export::palette::rgb(strategy);
    RGBColor(r, g, b)
}

/// The colour of the buffer-size line.
pub const BUFFER_LINE: RGBColor = RGBColor(0x55, 0x55, 0x55);

/// A y-axis label: binary units for whole KiB, else exact bytes.
fn y_label(v: f64) -> String {
    let v = v.round().max(0.0) as usize;
    if v >= 1024 && v.is_multiple_of(1024) {
        human_bytes(v)
    } else {
        format!("{} B", thousands(v as u64))
    }
}

impl Exporter for SvgExporter {
    fn serialize(&self, c: &Comparison) -> Result<Vec<u8>> {
        let max_round = c
            .strategies
            .iter()
            .flat_map(|r| {
                let oom = match r.outcome {
                    Outcome::OutOfMemory { round, .. } => Some(round),
                    _ => None,
                };
                r.rounds_completed().into_iter().chain(oom)
            })
            .max()
            .unwrap_or(0)
            .max(1);
        let values = c
            .strategies
            .iter()
            .flat_map(|r| r.rounds.iter().map(|s| s.bytes_in_use))
            .chain([c.buffer_size_bytes]);
        let (min, max) = values.fold((usize::MAX, 0), |(lo, hi), v| {
            (if v > 0 { lo.min(v) } else { lo }, hi.max(v))
        });
        let (min, max) = (min.min(max).max(1) as f64, max.max(1) as f64);
        let mut svg = String::new();
        {
            let root =
                SVGBackend::with_string(&mut svg, (self.width, self.height)).into_drawing_area();
            if max / min >= 10.0 {
                let lo = min.log2().floor().exp2();
                // Headroom above the top value, for the legend and the marker.
                let hi = (max * 1.25).log2().ceil().exp2().max(lo * 2.0);
                let labels = (hi / lo).log2().round() as usize + 1;
                draw(
                    &root,
                    c,
                    max_round,
                    (lo..hi).log_scale().base(2.0),
                    labels,
                    true,
                )?;
            } else {
                draw(&root, c, max_round, 0.0..max * 1.15, 10, false)?;
            }
            root.present()
                .map_err(|e| anyhow!("could not draw the plot: {e}"))?;
        }
        svg.push('\n');
        Ok(svg.into_bytes())
    }
}

fn draw<Y>(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    c: &Comparison,
    max_round: usize,
    y: Y,
    y_labels: usize,
    log: bool,
) -> Result<()>
where
    Y: AsRangedCoord<Value = f64>,
    Y::CoordDescType: ValueFormatter<f64>,
{
    let err = |e: DrawingAreaErrorKind<std::io::Error>| anyhow!("could not draw the plot: {e}");
    root.fill(&WHITE).map_err(err)?;
    let title = format!(
        "Bytes in use per round: {} ({} elves), buffers of {} each",
        c.input,
        thousands(c.elves as u64),
        human_bytes(c.buffer_size_bytes)
    );
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(84)
        .build_cartesian_2d(0..max_round, y)
        .map_err(err)?;
    let y_desc = if log {
        "bytes in use, all buffers of a strategy (log scale)"
    } else {
        "bytes in use, all buffers of a strategy"
    };
    chart
        .configure_mesh()
        .x_desc("round")
        .y_desc(y_desc)
        .y_labels(y_labels)
        .y_label_formatter(&|v| y_label(*v))
        .x_label_formatter(&|v| thousands(*v as u64))
        .axis_desc_style(("sans-serif", 15))
        .label_style(("sans-serif", 13))
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(BLACK.mix(0.08))
        .draw()
        .map_err(err)?;

    let size = c.buffer_size_bytes as f64;
    chart
        .draw_series(LineSeries::new(
            [(0, size), (max_round, size)],
            BUFFER_LINE.stroke_width(1),
        ))
        .map_err(err)?
        .label(format!(
            "buffer size: {} ({} B) each",
            human_bytes(c.buffer_size_bytes),
            thousands(c.buffer_size_bytes as u64)
        ))
        .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], BUFFER_LINE.stroke_width(1)));

    for (i, run) in c.strategies.iter().enumerate() {
        let col = color(run.strategy);
        // The bit grid's lines are a darker shade of the strategy's colour,
        // the Zig map's a lighter one.
        let col = match run.cells {
            "bitgrid" => RGBColor(col.0 / 2, col.1 / 2, col.2 / 2),
            "zigmap" => RGBColor(lighter(col.0), lighter(col.1), lighter(col.2)),
            _ => col,
        };
        // A line that a later one covers exactly is drawn wider, as a halo
        // around it, and its label says so.
        let covered_by = c.strategies[i + 1..]
            .iter()
            .find(|later| {
                later.rounds.len() == run.rounds.len()
                    && later
                        .rounds
                        .iter()
                        .zip(&run.rounds)
                        .all(|(a, b)| a.bytes_in_use == b.bytes_in_use)
            })
            .map(|later| later.name.as_str());
        let (width, note) = match covered_by {
            Some(other) => (6, format!(" (under {other})")),
            None => (2, String::new()),
        };
        let label = format!("{}: {}", run.name, outcome_text(&run.outcome));
        chart
            .draw_series(LineSeries::new(
                run.rounds.iter().map(|r| (r.round, r.bytes_in_use as f64)),
                col.stroke_width(width),
            ))
            .map_err(err)?
            .label(label + &note)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], col.stroke_width(width)));
        if let Outcome::OutOfMemory { round, .. } = run.outcome {
            chart
                .draw_series(std::iter::once(Cross::new(
                    (round, size),
                    7,
                    col.stroke_width(3),
                )))
                .map_err(err)?;
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .margin(12)
        .label_font(("sans-serif", 14))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.4))
        .draw()
        .map_err(err)?;
    Ok(())
}

/// A channel halfway to white.
fn lighter(channel: u8) -> u8 {
    channel + (255 - channel) / 2
}
