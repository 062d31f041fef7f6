//! # SIMD: which instruction set a kernel is compiled for
//!
//! A *kernel* ([`Kernel`]) is a plain-Rust loop written so that the compiler
//! vectorizes it. [`run`] calls it compiled for a [`Level`]: the target's
//! baseline (SSE2 on x86-64) or, when the CPU has it, AVX2 (256-bit lanes,
//! four `u64` words at a time) or AVX-512 with its population count. The
//! kernel's `run` is `#[inline(always)]`, so it is compiled again inside each
//! level's entry point with that level's features enabled: one source,
//! three machine-code paths, picked at run time by what the CPU reports
//! (`is_x86_feature_detected!`). Tests run every [available](Level::is_available)
//! level on the same inputs.
//!
//! This is the crate's only `unsafe` outside `src/alloc/`: the calls into
//! the AVX2 and AVX-512 entry points, each made only after the CPU was seen
//! to have the features it was compiled with.

/// The instruction sets a kernel can be compiled for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// The target's baseline (on x86-64: SSE2); always available.
    Baseline,
    /// x86-64 AVX2, where the CPU has it.
    Avx2,
    /// x86-64 AVX-512 with its 64-bit population count (`vpopcntq`: F, BW,
    /// VL and VPOPCNTDQ), where the CPU has it: the bit grid counts the
    /// elves that moved four or eight words at a time, where AVX2 spends
    /// about eight instructions per four words on it.
    Avx512,
}

impl Level {
    /// Every level, available or not.
    pub const ALL: [Level; 3] = [Level::Baseline, Level::Avx2, Level::Avx512];

    /// The fastest level this CPU runs.
    #[must_use]
    pub fn best() -> Level {
        if Level::Avx512.is_available() {
            Level::Avx512
        } else if Level::Avx2.is_available() {
            Level::Avx2
        } else {
            Level::Baseline
        }
    }

    /// Whether this CPU runs code compiled for this level.
    #[must_use]
    pub fn is_available(self) -> bool {
        match self {
            Level::Baseline => true,
            Level::Avx2 => has_avx2(),
            Level::Avx512 => has_avx512(),
        }
    }

    /// `baseline`, `avx2` or `avx512`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Level::Baseline => "baseline",
            Level::Avx2 => "avx2",
            Level::Avx512 => "avx512",
        }
    }
}

/// A loop to compile once per [`Level`]: implement `run` with
/// `#[inline(always)]` so that it is compiled into each level's entry point.
pub trait Kernel {
    /// What the loop returns.
    type Output;

    /// The loop.
    fn run(self) -> Self::Output;
}

/// Runs `kernel` compiled for `level`, or for the baseline when this CPU
/// lacks `level`.
#[inline]
pub fn run<K: Kernel>(level: Level, kernel: K) -> K::Output {
    #[cfg(target_arch = "x86_64")]
    if level == Level::Avx512 && has_avx512() {
        // SAFETY: `run_avx512` is compiled with AVX2 and the AVX-512 subsets
        // that `has_avx512` checks enabled, so it may only run on a CPU that
        // has them all, and `has_avx512` just saw that this one does.
        return unsafe { run_avx512(kernel) };
    }
    #[cfg(target_arch = "x86_64")]
    if level == Level::Avx2 && has_avx2() {
        // SAFETY: `run_avx2` is compiled with AVX2 enabled, so it may only run
        // on a CPU that has AVX2, and `has_avx2` just saw that this one does.
        return unsafe { run_avx2(kernel) };
    }
    let _ = level;
    kernel.run()
}

/// `kernel`, compiled with AVX2 enabled.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn run_avx2<K: Kernel>(kernel: K) -> K::Output {
    kernel.run()
}

/// `kernel`, compiled with AVX2 and AVX-512 (F, BW, VL, VPOPCNTDQ) enabled.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,avx512f,avx512bw,avx512vl,avx512vpopcntdq")]
fn run_avx512<K: Kernel>(kernel: K) -> K::Output {
    kernel.run()
}

/// Whether this CPU has AVX2 and the AVX-512 subsets of [`Level::Avx512`]
/// (std asks once, then caches the answers).
fn has_avx512() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        has_avx2()
            && std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512bw")
            && std::arch::is_x86_feature_detected!("avx512vl")
            && std::arch::is_x86_feature_detected!("avx512vpopcntdq")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Whether this CPU has AVX2 (std asks once, then caches the answer).
fn has_avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// The bytes of a 16-byte probe group equal to `byte` and those with their
/// top bit set, one bit per byte (bit `i` for `bytes[i]`): the two questions
/// a hash-table probe asks of its metadata. On x86-64 one `pcmpeqb` and two
/// `pmovmskb` (SSE2, which every x86-64 CPU has); on WebAssembly with SIMD
/// (the page is built with it) one `i8x16.eq` and two `i8x16.bitmask`;
/// elsewhere a loop.
#[inline(always)]
#[must_use]
pub fn match_group(bytes: &[u8; 16], byte: u8) -> (u32, u32) {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    {
        use core::arch::x86_64::{
            _mm_cmpeq_epi8, _mm_movemask_epi8, _mm_set_epi64x, _mm_set1_epi8,
        };
        let v = u128::from_le_bytes(*bytes);
        // SAFETY: these intrinsics need SSE2, and this code is compiled only
        // where the target has SSE2 (`target_feature = "sse2"`, part of the
        // x86-64 baseline); they take and return values, no memory.
        unsafe {
            let group = _mm_set_epi64x((v >> 64) as i64, v as i64);
            let equal = _mm_cmpeq_epi8(group, _mm_set1_epi8(byte as i8));
            (
                _mm_movemask_epi8(equal) as u32,
                _mm_movemask_epi8(group) as u32,
            )
        }
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::{u8x16, u8x16_bitmask, u8x16_eq, u8x16_splat};
        let b = bytes;
        let group = u8x16(
            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
            b[14], b[15],
        );
        (
            u32::from(u8x16_bitmask(u8x16_eq(group, u8x16_splat(byte)))),
            u32::from(u8x16_bitmask(group)),
        )
    }
    #[cfg(not(any(
        all(target_arch = "x86_64", target_feature = "sse2"),
        all(target_arch = "wasm32", target_feature = "simd128")
    )))]
    {
        bytes
            .iter()
            .enumerate()
            .fold((0, 0), |(equal, high), (i, &b)| {
                (
                    equal | u32::from(b == byte) << i,
                    high | u32::from(b >> 7) << i,
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Sum<'a>(&'a [u64]);

    impl Kernel for Sum<'_> {
        type Output = u64;

        #[inline(always)]
        fn run(self) -> u64 {
            self.0.iter().map(|x| u64::from(x.count_ones())).sum()
        }
    }

    #[test]
    fn match_group_reports_every_equal_byte_and_every_high_bit() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for round in 0..500 {
            let mut bytes = [0u8; 16];
            for b in &mut bytes {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Few distinct values, so that equal bytes are common.
                *b = [0x00, 0x80, 0x81, 0xff, 0x7f, 0x01][(x % 6) as usize];
            }
            let byte = bytes[round % 16];
            let (mut equal, mut high) = (0u32, 0u32);
            for (i, &b) in bytes.iter().enumerate() {
                equal |= u32::from(b == byte) << i;
                high |= u32::from(b >= 0x80) << i;
            }
            assert_eq!(match_group(&bytes, byte), (equal, high), "{bytes:?} {byte}");
        }
    }

    #[test]
    fn every_available_level_gives_the_same_result() {
        let words: Vec<u64> = (0..1000u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        let want: u64 = words.iter().map(|x| u64::from(x.count_ones())).sum();
        for level in Level::ALL {
            assert_eq!(run(level, Sum(&words)), want, "{level:?}");
        }
        assert!(Level::best().is_available());
        assert!(Level::Baseline.is_available());
    }
}
