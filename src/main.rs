//! The `klachtd` command: the only place that turns errors into exit codes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use klachtd::cases::CaseNumber;
use klachtd::clock::Clock;
use klachtd::config::Config;
use klachtd::control::{self, Request};
use klachtd::intake::{self, Arrival};
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

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
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
            let report = klachtd::rules::deadlines::calendar_report(received, &calendar);
            if json {
                println!("{}", serde_json::to_string(&report)?);
            } else {
                print!("{report}");
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
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let answer = match rt.block_on(control::request(&config.store.path, request))? {
        Some(answer) => answer,
        None => {
            let registry = Registry::open(config, Clock::system())
                .with_context(|| format!("opening the store of {}", config.file.display()))?;
            control::handle(&registry, request)
        }
    };
    answer.map_err(|e| anyhow::anyhow!(e))
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

fn print_case(c: &serde_json::Value) {
    let s = |v: &serde_json::Value| match v {
        serde_json::Value::Null => "-".to_string(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
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
    println!("missing         {}", s(&c["missing"]));
    println!("fields:");
    for key in [
        "name",
        "address",
        "phone",
        "email",
        "service",
        "incident_date",
        "description",
    ] {
        println!(
            "  {key:<14}{}",
            s(&c["fields"][key]).replace('\n', "\n                ")
        );
    }
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
    let s = |v: &serde_json::Value| match v {
        serde_json::Value::Null => "-".to_string(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
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
    for key in [
        "name",
        "address",
        "phone",
        "email",
        "service",
        "incident_date",
        "description",
    ] {
        println!(
            "{key:<13}{}",
            s(&report["fields"][key]).replace('\n', "\n             ")
        );
    }
    Ok(ExitCode::SUCCESS)
}
