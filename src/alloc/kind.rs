//! # Which bump allocator the buffers are
//!
//! `--allocator`: Zig's `FixedBufferAllocator` over a fixed buffer (the
//! write-up's, the default), or Rust's `bumpalo::Bump`, which takes chunks
//! from the heap, capped at the same `--buffer-size`.

/// The bump allocator behind a strategy's buffers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AllocatorKind {
    /// Zig's FixedBufferAllocator over one fixed buffer each (the write-up's).
    #[default]
    Zig,
    /// bumpalo's Bump: chunks from the heap, each about twice the last,
    /// capped at --buffer-size each.
    Bumpalo,
}

impl AllocatorKind {
    /// Both, in the order `all` runs them.
    pub const ALL: [Self; 2] = [Self::Zig, Self::Bumpalo];

    /// The name users type.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Zig => "zig",
            Self::Bumpalo => "bumpalo",
        }
    }

    /// One line on what it is, for `--help`.
    #[must_use]
    pub const fn summary(self) -> &'static str {
        match self {
            Self::Zig => "Zig's FixedBufferAllocator over one fixed buffer each (the write-up's)",
            Self::Bumpalo => {
                "bumpalo's Bump: chunks from the heap, each about twice the last, capped at --buffer-size each"
            }
        }
    }
}
