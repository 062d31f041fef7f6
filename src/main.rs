//! `day23`: the command-line entry point. Parses the flags, runs, and maps
//! the outcome to an exit code (see [`day23::cli::args::ExitCode`]).

use day23::cli::args::{ExitCode, parse};
use day23::cli::{colors, eprint_line, run};

fn main() -> std::process::ExitCode {
    let cli = parse();
    let colors = colors(cli.color);
    let code = match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprint_line(format_args!("{}: {e:#}", colors.error_label()));
            ExitCode::Failure
        }
    };
    std::process::ExitCode::from(code as u8)
}
