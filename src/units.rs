//! # Human-readable byte counts

/// `bytes` in the largest binary unit that keeps it whole, else with one
/// decimal: `4096` is `4 KiB`, `36880` is `36.0 KiB`.
#[must_use]
pub fn human_bytes(bytes: usize) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut unit = 0;
    let mut value = bytes as f64;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else if value.fract() == 0.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// `n` with `,` between groups of three digits.
#[must_use]
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `n` and `noun`, plural unless `n` is 1: `1 round`, `2 rounds`,
/// `3 strategies`.
#[must_use]
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {}", noun_for(n, noun))
}

/// `noun`, plural unless `n` is 1.
fn noun_for(n: usize, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => noun.to_owned(),
        (_, Some(stem)) => format!("{stem}ies"),
        (_, None) => format!("{noun}s"),
    }
}

/// [`count`] with `,` between groups of three digits: `1 round`,
/// `2,637 rounds`, `4,194,304 bytes`.
#[must_use]
pub fn count_grouped(n: usize, noun: &str) -> String {
    format!("{} {}", thousands(n as u64), noun_for(n, noun))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(count(1, "round"), "1 round");
        assert_eq!(count(0, "round"), "0 rounds");
        assert_eq!(count(2, "buffer"), "2 buffers");
        assert_eq!(count(2, "strategy"), "2 strategies");
        assert_eq!(count_grouped(1, "byte"), "1 byte");
        assert_eq!(count_grouped(4_194_304, "byte"), "4,194,304 bytes");
        assert_eq!(count_grouped(2637, "round"), "2,637 rounds");
    }

    #[test]
    fn formats_bytes_sizes_and_groups() {
        assert_eq!(human_bytes(1000), "1000 B");
        assert_eq!(human_bytes(4096), "4 KiB");
        assert_eq!(human_bytes(36_880), "36.0 KiB");
        assert_eq!(human_bytes(4 << 20), "4 MiB");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(123), "123");
    }
}
