//! The `klachtd` command: its arguments, which module runs each command, and the only
//! place that turns errors into exit codes.

mod calendar;
mod case;
mod cases;
mod check;
mod export;
mod history;
mod import;
mod init;
mod purge;
mod rebuild;
mod report;
mod run;
mod status;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use klachtd::clock::Clock;
use klachtd::config::Config;
use klachtd::control::{self, Request, Response};
use klachtd::domain::CaseNumber;
use klachtd::registry::Registry;

/// The configuration used when none is given: the embedded default (config/demo.toml).
const DEFAULT_CONFIG: &str = include_str!("../../config/demo.toml");

/// The exit code for a config (or template) that is wrong: EX_CONFIG of sysexits.h. The
/// systemd unit does not restart on it (`RestartPreventExitStatus=78`).
const EXIT_CONFIG: u8 = 78;

/// The exit code of `klachtd check` for a file that is not a mail at all.
const EXIT_NOT_A_MAIL: u8 = 2;

#[derive(Parser)]
#[command(
    name = "klachtd",
    version,
    about = "Runs a complaints procedure over e-mail"
)]
struct Cli {
    /// How logs (stderr) are written: for a person, or one JSON object a line. Wins over
    /// the config's `[log] format` (text when neither says).
    #[arg(long, global = true, value_enum)]
    log_format: Option<LogFormat>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Reads one mail file offline and shows what klachtd makes of it.
    Check {
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
        /// The config whose service catalogue and own addresses to use.
        #[arg(long)]
        config: Option<PathBuf>,
        /// The .eml file.
        file: PathBuf,
    },
    /// Writes a commented config, the password files (0600) to fill in and the key of the
    /// owner's commands by mail. Nothing that exists is overwritten.
    Init {
        /// Where to write them.
        #[arg(long, default_value = "/etc/klachtd")]
        dir: PathBuf,
        /// Write only a new key of the owner's commands by mail (`[owner_commands]
        /// key_file`: 64 random hexadecimal characters, 0600), to this file.
        #[arg(long)]
        key_file: Option<PathBuf>,
    },
    /// The config file: `klachtd config check` tries everything it names.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Runs the daemon: takes in new mail, answers, keeps watching.
    Run {
        #[arg(long)]
        config: Option<PathBuf>,
        /// One pass over the inbox and the outbox, then exit.
        #[arg(long)]
        once: bool,
    },
    /// Shows the cases.
    Cases {
        #[arg(long, global = true)]
        config: Option<PathBuf>,
        #[command(subcommand)]
        command: CasesCommand,
    },
    /// Shows the deadlines for a case received on a given day, and the days off in between.
    Calendar {
        /// The day of receipt, YYYY-MM-DD.
        #[arg(long)]
        received: chrono::NaiveDate,
        #[arg(long)]
        json: bool,
        /// The config whose [calendar] to use (holidays switched off, closing days).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Acts on a case as the owner (art. 4 and 5). Actions that send a letter put the
    /// owner's text in it: from --text-file, --text, or stdin.
    Case {
        /// The case number, KL-YYYY-NNNN.
        number: CaseNumber,
        /// What to do.
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(case::ACTION_NAMES))]
        action: String,
        /// The owner's text (the report, the decision, the reasons...) from a file.
        #[arg(long, conflicts_with = "text")]
        text_file: Option<PathBuf>,
        /// The owner's text, given inline.
        #[arg(long)]
        text: Option<String>,
        /// extend: the date the complainant can expect the decision, YYYY-MM-DD.
        #[arg(long)]
        until: Option<chrono::NaiveDate>,
        /// hearing: the day the complainant was heard (default: today); invite: the
        /// proposed day of the conversation; YYYY-MM-DD.
        #[arg(long)]
        at: Option<chrono::NaiveDate>,
        /// invite: the proposed time of the conversation, HH:MM.
        #[arg(long)]
        time: Option<chrono::NaiveTime>,
        /// extend: send the extension even though the decision deadline has passed.
        #[arg(long)]
        force: bool,
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// How the daemon is doing: connection, last poll, outbox, cases due and overdue,
    /// mails set aside (from the running daemon, or the store).
    Status {
        #[arg(long)]
        json: bool,
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Erases the cases closed more than 2 years ago (the retention period).
    Purge {
        /// Only show what would be erased.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// The yearly overview for quality (art. 2.3).
    Report {
        /// The year of receipt (default: this year).
        #[arg(long)]
        year: Option<i32>,
        #[arg(long, value_enum, default_value_t = report::Format::Text)]
        format: report::Format,
        /// Write to this file instead of stdout.
        #[arg(long)]
        output: Option<PathBuf>,
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Takes in, quietly, the mail older than `[mailbox] since` that the daemon left in
    /// the mailbox: cases registered (historical), no letters, no reminders. Stop the
    /// daemon first.
    History {
        /// The oldest day of mail to take in, YYYY-MM-DD.
        #[arg(long)]
        since: chrono::NaiveDate,
        /// Only show what would be taken in.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Re-creates a lost store from the mail server (Sent, processed and set-aside
    /// folders), reading only; the store must be empty. Stop the daemon first.
    Rebuild {
        /// The report as JSON.
        #[arg(long)]
        json: bool,
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Writes the whole store (cases, mails, letters, outbox, marks, sync state) to one
    /// archive file (0600), through the running daemon or from the store.
    Export {
        /// The archive to write (outside the store directory).
        #[arg(long)]
        output: PathBuf,
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Restores an archive of `klachtd export` into the config's store, which must be
    /// empty. Stop the daemon first.
    Import {
        /// The archive.
        file: PathBuf,
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Measures the intake pipeline and the daemon on a corpus of mails.
    Bench {
        /// Folders of .eml files (default: tests/fixtures/mails).
        dirs: Vec<PathBuf>,
        /// Mails to put through the pure pipeline.
        #[arg(long, default_value_t = 20_000)]
        mails: usize,
        /// Also run the daemon once over a Maildir of this many mails (0: skip).
        #[arg(long, default_value_t = 0)]
        daemon: usize,
        /// Instead: grade the reading of every mail that has a NAME.expect.json beside it
        /// (per-key accuracy and mails fully right).
        #[arg(long)]
        accuracy: bool,
        /// With --accuracy: also list every expectation that was missed.
        #[arg(long)]
        verbose: bool,
        /// Instead: take this many cases into a store, then time `export` and `import`
        /// of it (and their peak memory).
        #[arg(long)]
        archive: Option<usize>,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Validates the config, then tries the mailbox, the mail server, the store, the key
    /// files, the letters and the owner: one line each, with what to fix. Exit 0 only
    /// when all pass.
    Check {
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum CasesCommand {
    /// All cases, one line each.
    List {
        #[arg(long)]
        json: bool,
    },
    /// One case: its fields, events and mails.
    Show {
        number: CaseNumber,
        #[arg(long)]
        json: bool,
    },
}

impl Command {
    /// The `--config` this command was given, if it reads one.
    fn config_arg(&self) -> Option<&Path> {
        match self {
            Command::Check { config, .. }
            | Command::Config {
                command: ConfigCommand::Check { config },
            }
            | Command::Run { config, .. }
            | Command::Cases { config, .. }
            | Command::Calendar { config, .. }
            | Command::Case { config, .. }
            | Command::History { config, .. }
            | Command::Status { config, .. }
            | Command::Purge { config, .. }
            | Command::Report { config, .. }
            | Command::Rebuild { config, .. }
            | Command::Export { config, .. }
            | Command::Import { config, .. } => config.as_deref(),
            Command::Init { .. } | Command::Bench { .. } => None,
        }
    }

    /// Whether this command reads a config at all (else `$KLACHTD_CONFIG` says nothing
    /// about its logs).
    fn reads_config(&self) -> bool {
        !matches!(self, Command::Init { .. } | Command::Bench { .. })
    }
}

/// The flag, else the config's `[log] format`, else text.
fn log_format(cli: &Cli) -> LogFormat {
    if let Some(f) = cli.log_format {
        return f;
    }
    let from_config = cli
        .command
        .reads_config()
        .then(|| locate(cli.command.config_arg()))
        .flatten()
        .and_then(|(file, _)| Config::log_format_in(&file));
    match from_config {
        Some(klachtd::config::LogFormat::Json) => LogFormat::Json,
        _ => LogFormat::Text,
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // Whatever a command writes (the store, a key, a report) is for this user alone.
    klachtd::config::restrict_umask();
    let format = log_format(&cli);
    let filter = || {
        tracing_subscriber::EnvFilter::try_from_env("KLACHTD_LOG").unwrap_or_else(|_| "info".into())
    };
    JSON_LOGS.store(
        format == LogFormat::Json,
        std::sync::atomic::Ordering::Relaxed,
    );
    match format {
        LogFormat::Text => tracing_subscriber::fmt()
            .with_env_filter(filter())
            .with_writer(std::io::stderr)
            // colours for a person at a terminal, plain text for files and journald
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
        LogFormat::Json => tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter())
            .with_writer(std::io::stderr)
            .init(),
    }
    match execute(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("klachtd: {e:#}");
            if e.is::<check::NotAMailFile>() {
                ExitCode::from(EXIT_NOT_A_MAIL)
            } else if e.chain().any(|c| {
                c.is::<klachtd::config::ConfigError>()
                    || c.is::<klachtd::letters::LetterError>()
                    || c.downcast_ref::<klachtd::store::StoreError>()
                        .is_some_and(klachtd::store::StoreError::is_key_file)
            }) {
                // systemd's RestartPreventExitStatus: restarting cannot fix the config
                ExitCode::from(EXIT_CONFIG)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

fn execute(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Check { json, config, file } => {
            check::run(&load_config_or_demo(config.as_deref())?, &file, json)
        }
        Command::Init { dir, key_file } => match key_file {
            Some(file) => init::key(&file),
            None => init::run(&dir),
        },
        Command::Config {
            command: ConfigCommand::Check { config },
        } => init::check(config.as_deref()),
        Command::Run { config, once } => run::run(load_config(config.as_deref())?, once),
        Command::Cases { config, command } => {
            let config = load_config(config.as_deref())?;
            match command {
                CasesCommand::List { json } => cases::list(&config, json),
                CasesCommand::Show { number, json } => cases::show(&config, number, json),
            }
        }
        Command::Calendar {
            received,
            json,
            config,
        } => calendar::run(&load_config_or_demo(config.as_deref())?, received, json),
        Command::Case {
            number,
            action,
            text_file,
            text,
            until,
            at,
            time,
            force,
            config,
        } => {
            let config = load_config(config.as_deref())?;
            let words = case::Words {
                action,
                text,
                text_file,
                until,
                at,
                time,
                force,
            };
            case::run(&config, number, words)
        }
        Command::History {
            since,
            dry_run,
            config,
        } => history::run(&load_config(config.as_deref())?, since, dry_run),
        Command::Rebuild { json, config } => rebuild::run(&load_config(config.as_deref())?, json),
        Command::Status { json, config } => status::run(&load_config(config.as_deref())?, json),
        Command::Purge { dry_run, config } => purge::run(&load_config(config.as_deref())?, dry_run),
        Command::Report {
            year,
            format,
            output,
            config,
        } => report::run(
            &load_config(config.as_deref())?,
            year,
            format,
            output.as_deref(),
        ),
        Command::Export { output, config } => {
            export::run(&load_config(config.as_deref())?, &output)
        }
        Command::Import { file, config } => import::run(&load_config(config.as_deref())?, &file),
        Command::Bench {
            dirs,
            mails,
            daemon,
            accuracy,
            verbose,
            archive,
        } => {
            let dirs = if dirs.is_empty() {
                vec![PathBuf::from("tests/fixtures/mails")]
            } else {
                dirs
            };
            if let Some(n) = archive {
                return klachtd::bench::archive(&dirs, n);
            }
            if accuracy {
                let ctx = load_config(None)?.intake_context();
                // The fixtures' fixed "now" (tests/it/support.rs), for mails without dates.
                let now: chrono::DateTime<chrono::Utc> = "2026-11-24T12:00:00Z".parse()?;
                let report = |raw: &[u8]| check::report(raw, now, &ctx);
                return klachtd::bench::accuracy(&dirs, &report, verbose);
            }
            klachtd::bench::run(&dirs, mails, daemon)
        }
    }
}

/// `--log-format json`: what the CLI says on stderr goes as log events too.
static JSON_LOGS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// A note to the person on stderr: a plain line, or with `--log-format json` a log event.
fn note(text: &str) {
    if JSON_LOGS.load(std::sync::atomic::Ordering::Relaxed) {
        tracing::info!("{text}");
    } else {
        eprintln!("klachtd: {text}");
    }
}

/// The config every command reads when none is given: where `klachtd init` writes it.
const SYSTEM_CONFIG: &str = "/etc/klachtd/klachtd.toml";

/// Where the config is: `--config`, else `$KLACHTD_CONFIG`, else [`SYSTEM_CONFIG`] when
/// it exists; with how it was found.
fn locate(given: Option<&Path>) -> Option<(PathBuf, &'static str)> {
    if let Some(p) = given {
        return Some((p.to_path_buf(), "--config"));
    }
    if let Some(p) = std::env::var_os("KLACHTD_CONFIG").filter(|p| !p.is_empty()) {
        return Some((PathBuf::from(p), "$KLACHTD_CONFIG"));
    }
    let system = Path::new(SYSTEM_CONFIG);
    system
        .exists()
        .then(|| (system.to_path_buf(), "the default place"))
}

/// The config found by [`locate`], read and checked; says on stderr which file it is.
fn load_config(given: Option<&Path>) -> anyhow::Result<Config> {
    let Some((path, how)) = locate(given) else {
        anyhow::bail!(
            "no config: give --config FILE, set KLACHTD_CONFIG, or write {SYSTEM_CONFIG} (klachtd init)"
        );
    };
    note(&format!("config {} (from {how})", path.display()));
    Ok(Config::load(&path)?)
}

/// As [`load_config`], but the offline commands (`check`, `calendar`) fall back to the
/// embedded demo config (config/demo.toml) when there is none.
fn load_config_or_demo(given: Option<&Path>) -> anyhow::Result<Config> {
    if locate(given).is_some() {
        return load_config(given);
    }
    note("no config found; using the built-in demo config");
    Ok(Config::parse(
        DEFAULT_CONFIG,
        Path::new("config/demo.toml"),
    )?)
}

/// One thread is plenty: the daemon's loops are joined on one task anyway (see
/// ARCHITECTURE.md), and each extra thread costs the allocator an arena of its own.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

/// Asks the running daemon, or, when none runs, the store directly.
fn ask(config: &Config, request: &Request) -> anyhow::Result<Response> {
    Ok(ask_via(config, request)?.0)
}

/// As [`ask`]; also says whether a running daemon answered.
fn ask_via(config: &Config, request: &Request) -> anyhow::Result<(Response, bool)> {
    let rt = runtime()?;
    let (answer, via_daemon) = match rt.block_on(control::request(&config.store.path, request))? {
        Some(answer) => (answer, true),
        None => {
            let registry = Registry::open(config, Clock::system())
                .with_context(|| format!("opening the store of {}", config.file.display()))?;
            (control::handle(&registry, request), false)
        }
    };
    Ok((answer?, via_daemon))
}

/// An answer that is not the one to the request asked (a daemon of another version).
fn unexpected(answer: &Response) -> anyhow::Error {
    let kind = match answer {
        Response::Cases(_) => "cases",
        Response::Case(_) => "case",
        Response::Acted(_) => "acted",
        Response::Purged(_) => "purged",
        Response::Overview(_) => "overview",
        Response::Status(_) => "status",
        Response::Exported(_) => "exported",
    };
    anyhow::anyhow!("unexpected answer ({kind}) from the daemon")
}

/// A value as the CLI prints JSON: through `serde_json::Value`, whose objects keep their
/// keys sorted, as `--json` has always printed them.
fn json_value(value: &impl serde::Serialize) -> anyhow::Result<serde_json::Value> {
    Ok(serde_json::to_value(value)?)
}
