//! A synthetic trace of day23's `FixedBufferAllocator`, for the events a
//! solver run never produces: in-place grow and shrink (hashbrown never
//! resizes a table in place), frees of blocks that are not the last, zero-size
//! blocks, alignments from 1 to 64, growth that fails and moves the block,
//! out-of-memory, and resets, over two interleaved buffers.
//!
//! Built by check.sh against the day23 library it has just built:
//!   rustc --edition 2024 -O -C panic=abort synth.rs \
//!         --extern day23=target/release/libday23.rlib \
//!         -L dependency=target/release/deps -o synth
//!   synth SEED OPS > trace.txt      (buffers of SYNTH_BUFFER_SIZE bytes)
//!
//! Only the allocator's public API is used (`allocator_api2::Allocator`, as
//! re-exported by `day23::alloc`), through the same calls hashbrown makes;
//! `grow`/`shrink` keep the block's alignment, as Zig's `realloc` does.

use core::mem::MaybeUninit;
use core::ptr::NonNull;
use day23::alloc::{Allocator, FixedBufferAllocator, Layout, Trace};

const SYNTH_BUFFER_SIZE: usize = 2048;

#[repr(C, align(64))]
struct Aligned([MaybeUninit<u8>; SYNTH_BUFFER_SIZE]);

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn size(rng: &mut Rng) -> usize {
    match rng.below(10) {
        0 => 0,
        1 => 300 + rng.below(1200), // large: often out of memory
        _ => 1 + rng.below(120),
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let seed: u64 = args.next().and_then(|s| s.parse().ok()).expect("usage: synth SEED OPS");
    let ops: usize = args.next().and_then(|s| s.parse().ok()).expect("usage: synth SEED OPS");
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);

    let trace = Trace::new();
    let mut bufs = [
        Box::new(Aligned([MaybeUninit::uninit(); SYNTH_BUFFER_SIZE])),
        Box::new(Aligned([MaybeUninit::uninit(); SYNTH_BUFFER_SIZE])),
    ];
    let [b0, b1] = &mut bufs;
    let fbas = [
        FixedBufferAllocator::new(&mut b0.0).with_name("a").with_trace(trace.clone()),
        FixedBufferAllocator::new(&mut b1.0).with_name("b").with_trace(trace.clone()),
    ];
    // Live blocks of each buffer, in allocation order.
    let mut live: [Vec<(NonNull<u8>, Layout)>; 2] = [Vec::new(), Vec::new()];

    for _ in 0..ops {
        let b = rng.below(2);
        let fba = &fbas[b];
        let blocks = &mut live[b];
        // Pick the newest live block half of the time (usually the last one,
        // so frees and resizes act), any live block otherwise.
        let pick = |rng: &mut Rng, n: usize| if rng.below(2) == 0 { n - 1 } else { rng.below(n) };
        match rng.below(100) {
            0..40 => {
                let layout = Layout::from_size_align(size(&mut rng), 1 << rng.below(7)).unwrap();
                if let Ok(p) = fba.allocate(layout) {
                    blocks.push((p.cast(), layout));
                }
            }
            40..65 if !blocks.is_empty() => {
                let (p, layout) = blocks.remove(pick(&mut rng, blocks.len()));
                // SAFETY: a live block of this allocator, with its layout.
                unsafe { fba.deallocate(p, layout) };
            }
            65..80 if !blocks.is_empty() => {
                let i = pick(&mut rng, blocks.len());
                let (p, old) = blocks[i];
                let new = Layout::from_size_align(old.size() + 1 + rng.below(200), old.align()).unwrap();
                // SAFETY: a live block of this allocator, with its layout; new >= old.
                if let Ok(q) = unsafe { fba.grow(p, old, new) } {
                    // Moved blocks are newest now; keep allocation order.
                    blocks.remove(i);
                    blocks.push((q.cast(), new));
                }
            }
            80..95 if !blocks.is_empty() => {
                let i = pick(&mut rng, blocks.len());
                let (p, old) = blocks[i];
                let new = Layout::from_size_align(rng.below(old.size() + 1), old.align()).unwrap();
                // SAFETY: a live block of this allocator, with its layout; new <= old.
                if let Ok(q) = unsafe { fba.shrink(p, old, new) } {
                    blocks[i] = (q.cast(), new);
                }
            }
            95..100 => {
                // Free everything (newest first, so most of it is reclaimed) and reset.
                while let Some((p, layout)) = blocks.pop() {
                    // SAFETY: a live block of this allocator, with its layout.
                    unsafe { fba.deallocate(p, layout) };
                }
                fba.try_reset().expect("no live blocks");
            }
            _ => {}
        }
    }
    for event in trace.take() {
        println!("{event}");
    }
}
