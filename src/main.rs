//! The `klachtd` command. Its arguments, output and exit codes are in [`cli`]; the work
//! is the library's.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
