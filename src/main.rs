//! The `klachtd` command. Its arguments, output and exit codes are in [`cli`]; the work
//! is the library's.

mod cli;

/// jemalloc, because it gives memory back: it returns freed pages to the system after a
/// short decay, where glibc's malloc keeps a heap that anything still alive at its top
/// pins. The reader's patterns, dropped when the reader thread ends after a quiet
/// minute, are megabytes that would otherwise stay resident for the daemon's life.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
