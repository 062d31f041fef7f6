//! # Sizes: the buffers' alignment and the CLI's size parser
//!
//! Sizes arrive as text (`--buffer-size 4MiB`, the page's buffer size
//! field) and are checked into `usize` once, here: on a 32-bit target
//! (`wasm32`, `i686`) a size that does not fit is an error naming the
//! limit, never a wrap.

/// Every buffer's first byte is aligned to this many bytes.
pub const BUFFER_ALIGN: usize = 64;

/// The forms [`parse_size`] accepts, for help texts and messages.
pub const SIZE_FORMS: &str = "a number of bytes, optionally with a unit and a decimal fraction: \
20000, 64KiB, 1.5MiB; units B, KiB, MiB, GiB, TiB (powers of 1024; K, M, G, T alike) \
and kB, MB, GB, TB (powers of 1000), in any case";

/// Parses a size in bytes: a number with an optional unit, `B`, `K`/`KiB`,
/// `M`/`MiB`, `G`/`GiB`, `T`/`TiB` (powers of 1024) or `kB`, `MB`, `GB`,
/// `TB` (powers of 1000), case-insensitive, e.g. `20000`, `64KiB`, `4MiB`.
/// The number may have a decimal fraction (`1.5MiB`) when the size comes
/// to a whole number of bytes: the figures are exact, so nothing is
/// rounded.
///
/// # Errors
///
/// A message naming the problem and the accepted forms when the text is not
/// such a size, and naming the limit when the value does not fit in `usize`.
pub fn parse_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let number_len = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(number_len);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() || number.ends_with('.') || fraction.contains('.') {
        return Err(format!("'{text}' is not a size: expected {SIZE_FORMS}"));
    }
    let multiplier: u128 = match unit.trim().to_ascii_lowercase().as_str() {
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
                "unknown unit '{other}' in '{text}': expected {SIZE_FORMS}"
            ));
        }
    };
    let too_large = || {
        format!(
            "'{text}' is too large a size: at most {} bytes on this {}-bit target",
            usize::MAX,
            usize::BITS
        )
    };
    // whole.fraction * multiplier = (whole * 10^k + fraction) * multiplier / 10^k,
    // in u128 with every step checked.
    let scale = u32::try_from(fraction.len())
        .ok()
        .and_then(|k| 10u128.checked_pow(k))
        .ok_or_else(too_large)?;
    let digits = format!("{whole}{fraction}");
    let scaled = digits
        .parse::<u128>()
        .ok()
        .and_then(|n| n.checked_mul(multiplier))
        .ok_or_else(too_large)?;
    if scaled % scale != 0 {
        let part = format!("{:0width$}", scaled % scale, width = fraction.len());
        return Err(format!(
            "'{text}' is not a whole number of bytes: it comes to {}.{} bytes",
            scaled / scale,
            part.trim_end_matches('0')
        ));
    }
    usize::try_from(scaled / scale).map_err(|_| too_large())
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
        assert_eq!(parse_size("4K"), Ok(4096));
        assert_eq!(parse_size("4mb"), Ok(4_000_000));
        assert_eq!(parse_size("4b"), Ok(4));
    }

    #[test]
    fn parse_size_takes_fractions_that_come_to_whole_bytes() {
        assert_eq!(parse_size("1.5MiB"), Ok(3 << 19));
        assert_eq!(parse_size("0.5KiB"), Ok(512));
        assert_eq!(parse_size("2.25kB"), Ok(2250));
        assert_eq!(parse_size("1.0"), Ok(1));
        let err = parse_size("1.3KiB").unwrap_err();
        assert!(
            err.ends_with("not a whole number of bytes: it comes to 1331.2 bytes"),
            "{err}"
        );
        assert!(parse_size("0.5").unwrap_err().contains("whole number"));
        for bad in ["1.", ".5MiB", "1.2.3KiB", "1..5"] {
            assert!(parse_size(bad).unwrap_err().contains("not a size"), "{bad}");
        }
    }

    #[test]
    fn parse_size_rejects_garbage_and_overflow() {
        assert!(parse_size("").unwrap_err().contains("not a size"));
        assert!(parse_size("-1").unwrap_err().contains("not a size"));
        assert!(parse_size("-5").unwrap_err().contains("KiB, MiB"));
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
