//! `klachtd report --year Y`: the yearly overview of art. 2.3, as text, CSV or HTML.

use std::path::Path;

use anyhow::Context as _;
use chrono::Datelike;
use klachtd::clock::Clock;
use klachtd::config::Config;
use klachtd::control::{Request, Response};
use klachtd::report::{render_csv, render_html, render_text};
use klachtd::rules::calendar::local_date;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Csv,
    Html,
}

pub fn run(
    config: &Config,
    year: Option<i32>,
    format: Format,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let year = year.unwrap_or_else(|| local_date(Clock::system().now()).year());
    let overview = match super::ask(config, &Request::Overview { year })? {
        Response::Overview(overview) => overview,
        other => return Err(super::unexpected(&other)),
    };
    let rendered = match format {
        Format::Text => render_text(&overview),
        Format::Csv => render_csv(&overview),
        Format::Html => render_html(&overview).map_err(|e| anyhow::anyhow!(e))?,
    };
    match output {
        Some(path) => {
            std::fs::write(path, rendered).with_context(|| format!("writing {}", path.display()))?
        }
        None => print!("{rendered}"),
    }
    Ok(())
}
