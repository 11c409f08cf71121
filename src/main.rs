//! The `klachtd` command: the only place that turns errors into exit codes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use klachtd::clock::Clock;
use klachtd::config::Config;
use klachtd::control::{self, Request};
use klachtd::domain::CaseNumber;
use klachtd::intake::{self, Arrival};
use klachtd::procedure::actions::{ACTION_NAMES, Action};
use klachtd::registry::Registry;
use tokio_util::sync::CancellationToken;

/// The configuration used when none is given: the embedded default (config/demo.toml).
const DEFAULT_CONFIG: &str = include_str!("../config/demo.toml");

#[derive(Parser)]
#[command(
    name = "klachtd",
    version,
    about = "Runs a complaints procedure over e-mail"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
    /// Runs the daemon: takes in new mail, answers, keeps watching.
    Run {
        #[arg(long)]
        config: PathBuf,
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
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(ACTION_NAMES))]
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
        /// hearing: the day the complainant was heard (default: today), YYYY-MM-DD.
        #[arg(long)]
        at: Option<chrono::NaiveDate>,
        /// extend: send the extension even though the decision deadline has passed.
        #[arg(long)]
        force: bool,
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
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// Write to this file instead of stdout.
        #[arg(long)]
        output: Option<PathBuf>,
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
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ReportFormat {
    Text,
    Csv,
    Html,
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

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KLACHTD_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        // colours for a person at a terminal, plain text for files and journald
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = Cli::parse();
    match execute(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("klachtd: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn load_config(path: Option<&Path>) -> anyhow::Result<Config> {
    match path {
        Some(p) => Ok(Config::load(p)?),
        None => Ok(Config::parse(
            DEFAULT_CONFIG,
            Path::new("config/demo.toml"),
        )?),
    }
}

/// One thread is plenty: the daemon's loops are joined on one task anyway (see
/// ARCHITECTURE.md), and each extra thread costs the allocator an arena of its own.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

fn execute(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Check { json, config, file } => check(&file, config.as_deref(), json),
        Command::Run { config, once } => {
            let config = Config::load(&config)?;
            let rt = runtime()?;
            rt.block_on(async {
                let cancel = CancellationToken::new();
                let on_signal = cancel.clone();
                tokio::spawn(async move {
                    shutdown_signal().await;
                    tracing::info!("shutting down");
                    on_signal.cancel();
                });
                klachtd::daemon::run(config, Clock::system(), once, cancel).await
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Cases { config, command } => {
            let config = load_config(config.as_deref())?;
            match command {
                CasesCommand::List { json } => {
                    let cases = ask(&config, &Request::ListCases)?;
                    if json {
                        println!("{}", serde_json::to_string_pretty(&cases)?);
                    } else {
                        print_case_list(&cases);
                    }
                }
                CasesCommand::Show { number, json } => {
                    let case = ask(&config, &Request::ShowCase { number })?;
                    if json {
                        println!("{}", serde_json::to_string_pretty(&case)?);
                    } else {
                        print_case(&case);
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Calendar {
            received,
            json,
            config,
        } => {
            let config = load_config(config.as_deref())?;
            let calendar = klachtd::rules::calendar::Calendar::new(&config.calendar);
            let report = klachtd::rules::deadlines::deadline_calendar(received, &calendar);
            if json {
                println!("{}", serde_json::to_string(&report)?);
            } else {
                print!("{report}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Case {
            number,
            action,
            text_file,
            text,
            until,
            at,
            force,
            config,
        } => {
            let config = load_config(config.as_deref())?;
            let text = match (text, text_file) {
                (Some(t), _) => t,
                (None, Some(f)) => std::fs::read_to_string(&f)
                    .with_context(|| format!("reading {}", f.display()))?,
                (None, None) => read_stdin()?,
            };
            let action = Action::from_cli(&action, text, until, at, force)
                .map_err(|e| anyhow::anyhow!(e))?;
            let (answer, via_daemon) = ask_via(&config, &Request::Act { number, action })?;
            print_action(&answer, via_daemon);
            Ok(ExitCode::SUCCESS)
        }
        Command::Purge { dry_run, config } => {
            let config = load_config(config.as_deref())?;
            let answer = ask(&config, &Request::Purge { dry_run })?;
            let empty = Vec::new();
            let cases = answer["cases"].as_array().unwrap_or(&empty);
            for c in cases {
                println!(
                    "{}  ended {}  retention ended {}",
                    c["number"].as_str().unwrap_or("?"),
                    c["ended"].as_str().unwrap_or("?"),
                    c["erase_from"].as_str().unwrap_or("?")
                );
            }
            match (dry_run, cases.len()) {
                (true, n) => println!("{n} case(s) would be erased (dry run: nothing was changed)"),
                (false, n) => println!("{n} case(s) erased"),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Report {
            year,
            format,
            output,
            config,
        } => {
            use chrono::Datelike;
            let config = load_config(config.as_deref())?;
            let year = year.unwrap_or_else(|| {
                klachtd::rules::calendar::local_date(Clock::system().now()).year()
            });
            let answer = ask(&config, &Request::Report { year })?;
            let overview: klachtd::report::Overview = serde_json::from_value(answer)?;
            let rendered = match format {
                ReportFormat::Text => klachtd::report::render_text(&overview),
                ReportFormat::Csv => klachtd::report::render_csv(&overview),
                ReportFormat::Html => {
                    klachtd::report::render_html(&overview).map_err(|e| anyhow::anyhow!(e))?
                }
            };
            match output {
                Some(path) => std::fs::write(&path, rendered)
                    .with_context(|| format!("writing {}", path.display()))?,
                None => print!("{rendered}"),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            dirs,
            mails,
            daemon,
        } => {
            let dirs = if dirs.is_empty() {
                vec![PathBuf::from("tests/fixtures/mails")]
            } else {
                dirs
            };
            klachtd::bench::run(&dirs, mails, daemon)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// Asks the running daemon, or, when none runs, the store directly.
fn ask(config: &Config, request: &Request) -> anyhow::Result<serde_json::Value> {
    Ok(ask_via(config, request)?.0)
}

/// As [`ask`]; also says whether a running daemon answered.
fn ask_via(config: &Config, request: &Request) -> anyhow::Result<(serde_json::Value, bool)> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (answer, via_daemon) = match rt.block_on(control::request(&config.store.path, request))? {
        Some(answer) => (answer, true),
        None => {
            let registry = Registry::open(config, Clock::system())
                .with_context(|| format!("opening the store of {}", config.file.display()))?;
            (control::handle(&registry, request), false)
        }
    };
    Ok((answer.map_err(|e| anyhow::anyhow!(e))?, via_daemon))
}

/// The owner's text from stdin (with a prompt when it is a terminal).
fn read_stdin() -> anyhow::Result<String> {
    use std::io::{IsTerminal, Read};
    let mut stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!("Type the text (empty if none), then Ctrl-D on a line of its own:");
    }
    let mut text = String::new();
    stdin
        .read_to_string(&mut text)
        .context("reading the text from stdin")?;
    Ok(text)
}

fn print_action(answer: &serde_json::Value, via_daemon: bool) {
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("?").to_string();
    println!(
        "{}: {} done; the case is now {}.",
        s(&answer["number"]),
        s(&answer["action"]),
        s(&answer["state"])
    );
    if !answer["extended_to"].is_null() {
        println!("The decision is due by {}.", s(&answer["decide_by"]));
    }
    let letters: Vec<String> = answer["letters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(s)
        .collect();
    if !letters.is_empty() {
        if via_daemon {
            println!(
                "Letter queued to the complainant ({}): the running daemon sends it shortly.",
                letters.join(", ")
            );
        } else {
            println!(
                "Letter queued to the complainant ({}). No daemon is running: it stays in the \
                 outbox and goes out with the next `klachtd run` (or `klachtd run --once`).",
                letters.join(", ")
            );
        }
    }
    if answer["letter_missing"].as_bool() == Some(true) {
        println!(
            "WARNING: the complainant has no usable e-mail address: the {} was NOT sent. \
             Send it another way; the case's log says so.",
            s(&answer["letter_expected"])
        );
    }
}

fn print_case_list(cases: &serde_json::Value) {
    let empty = Vec::new();
    let cases = cases.as_array().unwrap_or(&empty);
    if cases.is_empty() {
        println!("no cases");
    }
    for c in cases {
        println!(
            "{}  {:<22} received {}  decide by {}  window {:<7}{}{}",
            c["number"].as_str().unwrap_or("?"),
            c["state"].as_str().unwrap_or("?"),
            c["received"]
                .as_str()
                .unwrap_or("?")
                .get(..10)
                .unwrap_or("?"),
            c["decide_by"].as_str().unwrap_or("?"),
            c["window"].as_str().unwrap_or("?"),
            if c["serious"].as_bool() == Some(true) {
                "  SERIOUS"
            } else {
                ""
            },
            match c["missing"].as_array() {
                Some(m) if !m.is_empty() => format!(
                    "  missing: {}",
                    m.iter()
                        .filter_map(|v| v.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                _ => String::new(),
            }
        );
    }
}

/// A JSON value as the CLI prints it: strings bare, null as "-".
fn text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "-".to_string(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The fields of a complaint, one per line, a multi-line description indented.
fn print_fields(fields: &serde_json::Value, indent: &str) {
    const KEYS: [&str; 7] = [
        "name",
        "address",
        "phone",
        "email",
        "service",
        "incident_date",
        "description",
    ];
    let pad = format!("\n{indent}{:14}", "");
    for key in KEYS {
        println!(
            "{indent}{key:<14}{}",
            text(&fields[key]).replace('\n', &pad)
        );
    }
}

fn print_case(c: &serde_json::Value) {
    let s = text;
    println!("{}  {}", s(&c["number"]), s(&c["state"]));
    println!("received        {}", s(&c["received"]));
    println!("dagtekening     {}", s(&c["sent_date"]));
    println!("window          {}", s(&c["window"]));
    println!(
        "category        {}{}",
        s(&c["category"]),
        if c["serious"].as_bool() == Some(true) {
            " (SERIOUS)"
        } else {
            ""
        }
    );
    println!("acknowledge by  {}", s(&c["acknowledge_by"]));
    println!("target          {}", s(&c["target"]));
    println!("decide by       {}", s(&c["decide_by"]));
    for (label, key) in [
        ("extended to     ", "extended_to"),
        ("hearing         ", "hearing_at"),
        ("report sent     ", "report_at"),
        ("decided         ", "decided_at"),
        ("closed          ", "closed_at"),
        ("erase from      ", "retention_until"),
    ] {
        if !c[key].is_null() {
            println!("{label}{}", s(&c[key]));
        }
    }
    println!("missing         {}", s(&c["missing"]));
    println!("fields:");
    print_fields(&c["fields"], "  ");
    println!("mails:");
    for m in c["mails"].as_array().into_iter().flatten() {
        println!(
            "  {} {}  {}",
            s(&m["received"]),
            s(&m["direction"]),
            s(&m["subject"])
        );
    }
    println!("events:");
    for e in c["events"].as_array().into_iter().flatten() {
        let mut kind = e["kind"].clone();
        let name = kind["type"].take();
        println!(
            "  {} {:<11} {} {}",
            s(&e["at"]),
            s(&e["actor"]),
            s(&name),
            if e["detail"].is_null() {
                String::new()
            } else {
                s(&e["detail"])
            }
        );
    }
}

fn check(file: &Path, config: Option<&Path>, json: bool) -> anyhow::Result<ExitCode> {
    let config = load_config(config)?;
    let raw = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let now = Clock::system().now();
    let submission = match intake::read(&raw, Arrival::Unknown { now }, &config.intake_context()) {
        Ok(s) => s,
        Err(e) => {
            if json {
                println!("{}", serde_json::json!({ "error": e.to_string() }));
            }
            eprintln!("klachtd: {}: {e}", file.display());
            return Ok(ExitCode::from(2));
        }
    };
    let report = submission.check_report();
    if json {
        println!("{}", serde_json::to_string(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    let s = text;
    println!(
        "class        {} ({})",
        s(&report["class"]),
        s(&report["reason"])
    );
    if !report["case_ref"].is_null() {
        println!("case         {}", s(&report["case_ref"]));
    }
    println!("dagtekening  {}", s(&report["sent_date"]));
    println!("window       {}", s(&report["window"]));
    println!(
        "category     {}{}",
        s(&report["category"]),
        if report["serious"].as_bool() == Some(true) {
            " (SERIOUS)"
        } else {
            ""
        }
    );
    println!(
        "missing      {}",
        report["missing"]
            .as_array()
            .map(|m| m.iter().map(s).collect::<Vec<_>>().join(", "))
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| "nothing".into())
    );
    print_fields(&report["fields"], "");
    Ok(ExitCode::SUCCESS)
}
