//! The yearly overview for quality (art. 2.3: complaints are used to improve the
//! service): counts per category and per service, handling times, deadlines met, late
//! and withdrawn complaints. No personal data: categories, services, counts, days and at
//! most a case number.
//!
//! [`overview`] computes (pure); [`render_text`], [`render_csv`] and [`render_html`]
//! present. The HTML page is self-contained: inline CSS and SVG bar charts drawn with
//! plotters' SVG backend, no scripts, no network resources.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::cases::{Case, EventKind, State};
use crate::domain::CaseNumber;
use crate::domain::LetterKind;
use crate::rules::Window;
use crate::rules::calendar::{Calendar, local_date};
use crate::rules::deadlines::deadlines;

/// One row of a count: a stable key, a Dutch label, how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub key: String,
    pub label: String,
    pub count: usize,
}

/// Met, missed, or not (yet) done.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Met {
    pub in_time: usize,
    pub late: usize,
    /// Not done (yet): no acknowledgement recorded, no decision yet.
    pub not_done: usize,
}

/// The yearly overview of the complaints received in `year`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub year: i32,
    pub total: usize,
    /// Per category of art. 1, most frequent first.
    pub per_category: Vec<Count>,
    /// Per service taken (art. 3.2c), most frequent first.
    pub per_service: Vec<Count>,
    /// Cases with a handling time (decided, or ended without a decision).
    pub handled: usize,
    /// Receipt to decision (or to the end, for a case ended without one), calendar days.
    pub median_days: Option<f64>,
    pub longest_days: Option<i64>,
    pub longest_case: Option<CaseNumber>,
    /// Art. 4.1: receipt answered within 5 working days.
    pub acknowledgement: Met,
    /// Art. 5.1: decided within 4 weeks, or by the date of the extension; cases ended
    /// without a decision (withdrawn, declined) are not counted here.
    pub decision: Met,
    /// Extensions announced (art. 5.1).
    pub extended: usize,
    /// Cases whose complainant was invited to explain the complaint (art. 4.3).
    #[serde(default)]
    pub invited: usize,
    /// Cases whose complainant was sent the relevant information (art. 4.2).
    #[serde(default)]
    pub informed: usize,
    /// Submitted after the 1-month window (art. 3.1).
    pub late: usize,
    /// Of those, not handled (declined by the owner).
    pub late_declined: usize,
    /// Withdrawn, or no further need (art. 5 Afronding 1).
    pub withdrawn: usize,
    /// Taken to the independent commission (art. 5.2).
    pub referred: usize,
    /// Still open at the time of the overview.
    pub open: usize,
}

fn counted(map: BTreeMap<String, (String, usize)>) -> Vec<Count> {
    let mut rows: Vec<Count> = map
        .into_iter()
        .map(|(key, (label, count))| Count { key, label, count })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    rows
}

fn category_key(case: &Case) -> (String, String) {
    match case.category {
        Some(c) => (
            c.key().to_string(),
            crate::letters::category_label(c).to_string(),
        ),
        None => ("unknown".into(), "niet bepaald".into()),
    }
}

fn service_key(case: &Case) -> (String, String) {
    match case.fields.service.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => (s.to_lowercase(), s.to_string()),
        _ => ("unknown".into(), "niet bekend".into()),
    }
}

/// When receipt was first answered (art. 4.1): the first acknowledgement, request for
/// information or reply to a late complaint queued for the case.
fn answered_receipt(case: &Case) -> Option<NaiveDate> {
    case.events.iter().find_map(|e| match &e.kind {
        EventKind::Answered { letter, .. }
            if LetterKind::ALL
                .iter()
                .any(|k| k.answers_receipt() && k.key() == letter) =>
        {
            Some(local_date(e.at))
        }
        _ => None,
    })
}

/// The median of sorted values.
fn median(sorted: &[i64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2] as f64),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0),
    }
}

/// Art. 2.3: the overview of the complaints received in `year` (Amsterdam time).
pub fn overview(cases: &[Case], year: i32, calendar: &Calendar) -> Overview {
    let cases: Vec<&Case> = cases
        .iter()
        .filter(|c| local_date(c.received).year() == year)
        .collect();
    let mut categories = BTreeMap::new();
    let mut services = BTreeMap::new();
    let mut times: Vec<(i64, CaseNumber)> = Vec::new();
    let mut acknowledgement = Met::default();
    let mut decision = Met::default();
    let (mut extended, mut late, mut late_declined, mut withdrawn, mut referred, mut open) =
        (0, 0, 0, 0, 0, 0);
    let (mut invited, mut informed) = (0, 0);
    let did = |case: &Case, name: &str| {
        case.events
            .iter()
            .any(|e| matches!(&e.kind, EventKind::Action { action, .. } if action == name))
    };
    for case in &cases {
        let (key, label) = category_key(case);
        categories.entry(key).or_insert((label, 0)).1 += 1;
        let (key, label) = service_key(case);
        services.entry(key).or_insert((label, 0)).1 += 1;
        let received = local_date(case.received);
        let dl = deadlines(case.received, calendar, case.extended_to);
        match answered_receipt(case) {
            Some(day) if day <= dl.acknowledge_by => acknowledgement.in_time += 1,
            Some(_) => acknowledgement.late += 1,
            None => acknowledgement.not_done += 1,
        }
        match case.decided_at.map(local_date) {
            Some(day) if day <= dl.decide_by => decision.in_time += 1,
            Some(_) => decision.late += 1,
            None if case.state.is_open() => decision.not_done += 1,
            None => {}
        }
        if let Some(end) = case.decided_at.or(case.ended_at()) {
            let days = local_date(end).signed_duration_since(received).num_days();
            times.push((days, case.number));
        }
        extended += usize::from(case.extended_to.is_some());
        invited += usize::from(did(case, "invite"));
        informed += usize::from(did(case, "inform"));
        late += usize::from(case.window == Window::Late);
        late_declined += usize::from(case.state == State::Declined);
        withdrawn += usize::from(case.state == State::Withdrawn);
        referred += usize::from(case.state == State::Referred);
        open += usize::from(case.state.is_open());
    }
    times.sort();
    let days: Vec<i64> = times.iter().map(|(d, _)| *d).collect();
    let longest = times
        .iter()
        .max_by_key(|(d, n)| (*d, std::cmp::Reverse(*n)));
    Overview {
        year,
        total: cases.len(),
        per_category: counted(categories),
        per_service: counted(services),
        handled: times.len(),
        median_days: median(&days),
        longest_days: longest.map(|(d, _)| *d),
        longest_case: longest.map(|(_, n)| *n),
        acknowledgement,
        decision,
        extended,
        invited,
        informed,
        late,
        late_declined,
        withdrawn,
        referred,
        open,
    }
}

fn days(v: Option<f64>) -> String {
    match v {
        Some(d) if d.fract() == 0.0 => format!("{d:.0}"),
        Some(d) => format!("{d:.1}"),
        None => "-".into(),
    }
}

/// The overview as plain text (Dutch, like the letters).
pub fn render_text(o: &Overview) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Jaaroverzicht klachten {} (artikel 2.3)", o.year);
    let _ = writeln!(s, "{}", "=".repeat(40));
    let _ = writeln!(s, "Ontvangen klachten:          {}", o.total);
    let _ = writeln!(s, "Nog open:                    {}", o.open);
    let _ = writeln!(s, "\nPer categorie:");
    for c in &o.per_category {
        let _ = writeln!(s, "  {:<45} {:>4}", c.label, c.count);
    }
    let _ = writeln!(s, "\nPer dienst:");
    for c in &o.per_service {
        let _ = writeln!(s, "  {:<45} {:>4}", c.label, c.count);
    }
    let _ = writeln!(s, "\nBehandelduur (ontvangst tot beslissing of afronding):");
    let _ = writeln!(s, "  afgehandeld:                {}", o.handled);
    let _ = writeln!(s, "  mediaan (dagen):            {}", days(o.median_days));
    let _ = writeln!(
        s,
        "  langste (dagen):            {}{}",
        o.longest_days.map_or("-".into(), |d| d.to_string()),
        o.longest_case.map_or(String::new(), |n| format!(" ({n})"))
    );
    let _ = writeln!(s, "\nTermijnen:");
    let a = o.acknowledgement;
    let _ = writeln!(
        s,
        "  ontvangstbevestiging binnen 5 werkdagen (art. 4.1): {} op tijd, {} te laat, {} niet verzonden",
        a.in_time, a.late, a.not_done
    );
    let d = o.decision;
    let _ = writeln!(
        s,
        "  beslissing binnen 4 weken of verlenging (art. 5.1): {} op tijd, {} te laat, {} nog niet genomen",
        d.in_time, d.late, d.not_done
    );
    let _ = writeln!(s, "  verlengd (art. 5.1):         {}", o.extended);
    let _ = writeln!(s, "  uitgenodigd (art. 4.3):      {}", o.invited);
    let _ = writeln!(s, "  informatie gestuurd (4.2):   {}", o.informed);
    let _ = writeln!(s, "\nTe laat ingediend (art. 3.1): {}", o.late);
    let _ = writeln!(s, "  waarvan niet behandeld:     {}", o.late_declined);
    let _ = writeln!(s, "Ingetrokken (Afronding 1):    {}", o.withdrawn);
    let _ = writeln!(s, "Naar de klachtencommissie:    {}", o.referred);
    s
}

fn csv_field(v: &str) -> String {
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

/// The overview as CSV: `section,item,value`, one number a row.
pub fn render_csv(o: &Overview) -> String {
    let mut rows: Vec<(String, String, String)> = Vec::new();
    let mut row = |section: &str, item: &str, value: String| {
        rows.push((section.into(), item.into(), value));
    };
    row("year", "year", o.year.to_string());
    row("total", "received", o.total.to_string());
    row("total", "open", o.open.to_string());
    for c in &o.per_category {
        row("category", &c.key, c.count.to_string());
    }
    for c in &o.per_service {
        row("service", &c.label, c.count.to_string());
    }
    row("handling", "handled", o.handled.to_string());
    row(
        "handling",
        "median_days",
        o.median_days.map_or(String::new(), |d| d.to_string()),
    );
    row(
        "handling",
        "longest_days",
        o.longest_days.map_or(String::new(), |d| d.to_string()),
    );
    row(
        "handling",
        "longest_case",
        o.longest_case.map_or(String::new(), |n| n.to_string()),
    );
    for (section, met) in [
        ("acknowledgement", o.acknowledgement),
        ("decision", o.decision),
    ] {
        row(section, "in_time", met.in_time.to_string());
        row(section, "late", met.late.to_string());
        row(section, "not_done", met.not_done.to_string());
    }
    row("cases", "extended", o.extended.to_string());
    row("cases", "invited", o.invited.to_string());
    row("cases", "informed", o.informed.to_string());
    row("cases", "late", o.late.to_string());
    row("cases", "late_declined", o.late_declined.to_string());
    row("cases", "withdrawn", o.withdrawn.to_string());
    row("cases", "referred", o.referred.to_string());
    let mut s = String::from("section,item,value\n");
    for (a, b, c) in rows {
        let _ = writeln!(s, "{},{},{}", csv_field(&a), csv_field(&b), csv_field(&c));
    }
    s
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A horizontal bar chart as an SVG element (plotters' SVG backend; text as SVG text).
pub fn bar_chart(title: &str, rows: &[(String, usize)]) -> Result<String, String> {
    use plotters::prelude::*;
    let mut svg = String::new();
    {
        let n = rows.len().max(1) as u32;
        let root = SVGBackend::with_string(&mut svg, (760, 70 + 32 * n)).into_drawing_area();
        let e = |e: &dyn std::fmt::Display| e.to_string();
        root.fill(&WHITE).map_err(|x| e(&x))?;
        let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as u32;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(10)
            .x_label_area_size(28)
            .y_label_area_size(300)
            .build_cartesian_2d(0u32..max + 1, (0u32..n).into_segmented())
            .map_err(|x| e(&x))?;
        let label = |v: &SegmentValue<u32>| match v {
            SegmentValue::CenterOf(i) => rows
                .get(*i as usize)
                .map(|r| r.0.clone())
                .unwrap_or_default(),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(rows.len().max(1))
            .y_label_formatter(&label)
            .x_labels((max as usize + 1).min(10))
            .x_label_formatter(&|v| v.to_string())
            .draw()
            .map_err(|x| e(&x))?;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, (_, count))| {
                let i = i as u32;
                let mut bar = Rectangle::new(
                    [
                        (0, SegmentValue::Exact(i)),
                        (*count as u32, SegmentValue::Exact(i + 1)),
                    ],
                    RGBColor(0x2b, 0x6c, 0xb0).filled(),
                );
                bar.set_margin(5, 5, 0, 0);
                bar
            }))
            .map_err(|x| e(&x))?;
        root.present().map_err(|x| e(&x))?;
    }
    Ok(svg)
}

/// The overview as one self-contained HTML page (inline CSS and SVG, nothing fetched).
pub fn render_html(o: &Overview) -> Result<String, String> {
    let rows = |counts: &[Count]| -> Vec<(String, usize)> {
        counts.iter().map(|c| (c.label.clone(), c.count)).collect()
    };
    let categories = bar_chart("Klachten per categorie", &rows(&o.per_category))?;
    let services = bar_chart("Klachten per dienst", &rows(&o.per_service))?;
    let deadlines = bar_chart(
        "Termijnen gehaald",
        &[
            (
                "Ontvangst bevestigd op tijd".to_string(),
                o.acknowledgement.in_time,
            ),
            ("Ontvangst bevestigd te laat".into(), o.acknowledgement.late),
            ("Beslissing op tijd".into(), o.decision.in_time),
            ("Beslissing te laat".into(), o.decision.late),
        ],
    )?;
    let text = html_escape(&render_text(o));
    Ok(format!(
        r#"<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Jaaroverzicht klachten {year}</title>
<style>
body {{ font-family: sans-serif; max-width: 800px; margin: 2em auto; color: #222; }}
h1 {{ font-size: 1.5em; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
td, th {{ padding: 0.2em 0.8em; border-bottom: 1px solid #ddd; text-align: left; }}
td.n {{ text-align: right; }}
pre {{ background: #f6f6f6; padding: 1em; overflow-x: auto; }}
figure {{ margin: 1.5em 0; }}
</style>
</head>
<body>
<h1>Jaaroverzicht klachten {year}</h1>
<p>Artikel 2.3 van de klachtenprocedure: klachten worden gebruikt om de kwaliteit van de
dienstverlening te verbeteren. Dit overzicht bevat geen persoonsgegevens.</p>
<table>
<tr><th>Ontvangen</th><td class="n">{total}</td></tr>
<tr><th>Nog open</th><td class="n">{open}</td></tr>
<tr><th>Behandelduur, mediaan (dagen)</th><td class="n">{median}</td></tr>
<tr><th>Behandelduur, langste (dagen)</th><td class="n">{longest}</td></tr>
<tr><th>Ontvangst bevestigd binnen 5 werkdagen</th><td class="n">{ack_in} van {ack_all}</td></tr>
<tr><th>Beslissing binnen 4 weken of verlenging</th><td class="n">{dec_in} van {dec_all}</td></tr>
<tr><th>Verlengd</th><td class="n">{extended}</td></tr>
<tr><th>Uitgenodigd voor een gesprek (art. 4.3)</th><td class="n">{invited}</td></tr>
<tr><th>Informatie gestuurd (art. 4.2)</th><td class="n">{informed}</td></tr>
<tr><th>Te laat ingediend</th><td class="n">{late}</td></tr>
<tr><th>Ingetrokken</th><td class="n">{withdrawn}</td></tr>
<tr><th>Naar de klachtencommissie</th><td class="n">{referred}</td></tr>
</table>
<figure>{categories}</figure>
<figure>{services}</figure>
<figure>{deadlines}</figure>
<h2>Het overzicht als tekst</h2>
<pre>{text}</pre>
</body>
</html>
"#,
        year = o.year,
        total = o.total,
        open = o.open,
        median = days(o.median_days),
        longest = o.longest_days.map_or("-".into(), |d| d.to_string()),
        ack_in = o.acknowledgement.in_time,
        ack_all = o.acknowledgement.in_time + o.acknowledgement.late + o.acknowledgement.not_done,
        dec_in = o.decision.in_time,
        dec_all = o.decision.in_time + o.decision.late + o.decision.not_done,
        extended = o.extended,
        invited = o.invited,
        informed = o.informed,
        late = o.late,
        withdrawn = o.withdrawn,
        referred = o.referred,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::{Actor, Event};
    use crate::domain::Category;
    use crate::letters::sample_case;

    fn utc(s: &str) -> chrono::DateTime<chrono::Utc> {
        s.parse().unwrap()
    }

    fn answered(at: &str, letter: LetterKind) -> Event {
        Event {
            at: utc(at),
            actor: Actor::System,
            kind: EventKind::Answered {
                letter: letter.key().into(),
                message_id: "x".into(),
            },
            detail: None,
        }
    }

    /// Four cases of 2026 (received Mon 2 Nov: acknowledge by 9 Nov, decide by 30 Nov)
    /// and one of 2025.
    fn cases() -> Vec<Case> {
        let base = |seq: u32, category, service: &str| {
            let mut c = sample_case();
            c.number = CaseNumber { year: 2026, seq };
            c.received = utc("2026-11-02T10:00:00Z");
            c.category = category;
            c.fields.service = Some(service.into());
            c.events = vec![answered(
                "2026-11-02T10:00:00Z",
                LetterKind::Acknowledgement,
            )];
            c
        };
        let mut a = base(1, Some(Category::Delivery), "Coaching");
        a.state = State::Closed;
        a.decided_at = Some(utc("2026-11-20T10:00:00Z")); // 18 days
        a.closed_at = Some(utc("2026-11-25T10:00:00Z"));
        let mut b = base(
            2,
            Some(Category::Delivery),
            "Training Effectief Communiceren",
        );
        b.state = State::Decided;
        b.extended_to = Some("2026-12-14".parse().unwrap());
        b.decided_at = Some(utc("2026-12-10T10:00:00Z")); // 38 days, in time (extended)
        let mut c = base(3, Some(Category::Bullying), "Coaching");
        c.state = State::Withdrawn;
        c.window = Window::Late;
        c.closed_at = Some(utc("2026-11-06T10:00:00Z")); // 4 days
        c.events = vec![answered("2026-11-12T10:00:00Z", LetterKind::LateReply)];
        let mut d = base(4, None, "Coaching");
        d.state = State::Acknowledged;
        d.events.clear();
        let mut old = base(1, None, "Coaching");
        old.number.year = 2025;
        old.received = utc("2025-06-02T10:00:00Z");
        vec![a, b, c, d, old]
    }

    #[test]
    fn the_numbers() {
        let o = overview(&cases(), 2026, &Calendar::default());
        assert_eq!(o.total, 4);
        assert_eq!(o.open, 2);
        let counts = |v: &[Count]| -> Vec<(String, usize)> {
            v.iter().map(|c| (c.key.clone(), c.count)).collect()
        };
        assert_eq!(
            counts(&o.per_category),
            [
                ("delivery".to_string(), 2),
                ("bullying".to_string(), 1),
                ("unknown".to_string(), 1)
            ]
        );
        assert_eq!(o.per_service[0].label, "Coaching");
        assert_eq!(o.per_service[0].count, 3);
        assert_eq!(o.handled, 3);
        assert_eq!(o.median_days, Some(18.0));
        assert_eq!(o.longest_days, Some(38));
        assert_eq!(o.longest_case, Some(CaseNumber { year: 2026, seq: 2 }));
        assert_eq!(
            o.acknowledgement,
            Met {
                in_time: 2,
                late: 1,
                not_done: 1
            }
        );
        assert_eq!(
            o.decision,
            Met {
                in_time: 2,
                late: 0,
                not_done: 1
            }
        );
        assert_eq!((o.extended, o.late, o.withdrawn, o.referred), (1, 1, 1, 0));
        assert_eq!((o.invited, o.informed), (0, 0));
        assert_eq!(median(&[1, 2, 3, 10]), Some(2.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn invitations_and_information_are_counted_per_case() {
        let action = |name: &str| Event {
            at: utc("2026-11-05T10:00:00Z"),
            actor: Actor::Owner,
            kind: EventKind::Action {
                action: name.into(),
                by_mail: None,
            },
            detail: None,
        };
        let mut cases = cases();
        cases[0].events.push(action("invite"));
        cases[0].events.push(action("invite"));
        cases[1].events.push(action("inform"));
        cases[4].events.push(action("inform")); // 2025
        let o = overview(&cases, 2026, &Calendar::default());
        assert_eq!((o.invited, o.informed), (1, 1));
        assert!(render_text(&o).contains("uitgenodigd (art. 4.3):      1"));
        assert!(render_csv(&o).contains("cases,invited,1\n"));
        assert!(render_csv(&o).contains("cases,informed,1\n"));
    }

    #[test]
    fn text_csv_and_html() {
        let o = overview(&cases(), 2026, &Calendar::default());
        let text = render_text(&o);
        assert!(text.contains("Ontvangen klachten:          4"), "{text}");
        assert!(text.contains("mediaan (dagen):            18"), "{text}");
        let csv = render_csv(&o);
        assert!(csv.starts_with("section,item,value\n"));
        assert!(csv.contains("category,delivery,2\n"), "{csv}");
        assert!(csv.contains("decision,in_time,2\n"), "{csv}");
        assert!(csv.contains("handling,median_days,18\n"), "{csv}");
        let html = render_html(&o).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<svg"), "an inline SVG chart");
        assert!(html.contains("Coaching"));
        // Self-contained: nothing fetched (the SVG namespace is a name, not a fetch).
        for fetch in ["<script", "<link", "src=", "@import", "url("] {
            assert!(!html.contains(fetch), "{fetch}");
        }
        // Text from the store is escaped in the chart.
        let svg = bar_chart("t", &[("<b>&".into(), 1)]).unwrap();
        assert!(
            svg.contains("&lt;b&gt;&amp;") && !svg.contains("<b>"),
            "{svg}"
        );
    }
}
