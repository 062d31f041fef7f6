//! # Sizes: the buffers' alignment and the CLI's size parser
//!
//! Sizes arrive as text (`--buffer-size 4MiB`, the page's buffer size
//! field) and are checked into `usize` once, here: on a 32-bit target
//! (`wasm32`, `i686`) a size that does not fit is an error naming the
//! limit, never a wrap.

/// Every buffer's first byte is aligned to this many bytes.
pub const BUFFER_ALIGN: usize = 64;

/// Parses a size in bytes: a whole number with an optional unit, `B`,
/// `K`/`KiB`, `M`/`MiB`, `G`/`GiB`, `T`/`TiB` (powers of 1024) or `kB`, `MB`,
/// `GB`, `TB` (powers of 1000), case-insensitive, e.g. `20000`, `64KiB`, `4MiB`.
///
/// # Errors
///
/// A message naming the problem when the text is not such a size or the value
/// does not fit in `usize`.
pub fn parse_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    if number.is_empty() {
        return Err(format!(
            "'{text}' is not a size: expected a whole number of bytes, optionally with a unit (e.g. 20000, 64KiB, 4MiB, 1GiB)"
        ));
    }
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        "t" | "tib" => 1 << 40,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "tb" => 1_000_000_000_000,
        other => {
            return Err(format!(
                "unknown unit '{other}' in '{text}': use B, KiB, MiB, GiB, TiB (or kB, MB, GB, TB)"
            ));
        }
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(multiplier))
        .ok_or_else(|| format!("'{text}' is too large a size"))
        .and_then(|n| {
            usize::try_from(n).map_err(|_| {
                format!(
                    "'{text}' is too large a size: at most {} bytes on this {}-bit target",
                    usize::MAX,
                    usize::BITS
                )
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_size_accepts_plain_and_binary_and_decimal_units() {
        assert_eq!(parse_size("20000"), Ok(20000));
        assert_eq!(parse_size("64KiB"), Ok(65536));
        assert_eq!(parse_size("4MiB"), Ok(4 << 20));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("4m"), Ok(4 << 20));
        assert_eq!(parse_size("2kB"), Ok(2000));
        assert_eq!(parse_size("0"), Ok(0));
        assert_eq!(parse_size(" 7 B "), Ok(7));
    }

    #[test]
    fn parse_size_rejects_garbage_and_overflow() {
        assert!(parse_size("").unwrap_err().contains("not a size"));
        assert!(parse_size("-1").unwrap_err().contains("not a size"));
        assert!(parse_size("1.5MiB").unwrap_err().contains("unknown unit"));
        assert!(
            parse_size("12parsecs")
                .unwrap_err()
                .contains("unknown unit")
        );
        assert!(
            parse_size("99999999999999999999")
                .unwrap_err()
                .contains("too large")
        );
        assert!(
            parse_size("17179869184TiB")
                .unwrap_err()
                .contains("too large")
        );
    }
}
