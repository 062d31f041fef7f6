//! Links the `day23` executable at a fixed address (`-no-pie`) on Linux with
//! glibc: a position-independent executable is relocated when it starts,
//! which on this binary writes about 4,000 pointers across 15 pages of
//! read-only data (copy-on-write page faults). Measured in
//! docs/performance.md ("Where the fixed cost went"): about 0.09 ms of
//! every run. Only the executable is affected: the library, the tests'
//! binaries and proc-macros keep the target's defaults.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo::rustc-link-arg-bin=day23=-no-pie");
    }
}
