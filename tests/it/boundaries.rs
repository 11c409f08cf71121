//! The crate's boundaries, kept by reading its sources (the way rust-analyzer's tidy
//! tests keep theirs): imports run one way, from the leaf of shared nouns through the
//! pure core to the adapters and the glue, and the pure core does no IO.
//!
//! The layers, lowest first. A module may import its own layer and the layers below.
//! Inside the pure core every module is a layer of its own, so the core is a chain.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// (layer, modules). The pure core is the first seven rows; the binary's CLI is the last.
const LAYERS: &[(&str, &[&str])] = &[
    ("leaf", &["domain"]),
    ("core", &["rules"]),
    ("core", &["intake"]),
    ("core", &["cases"]),
    ("core", &["letters"]),
    ("core", &["procedure"]),
    ("core", &["report"]),
    (
        "adapter",
        &[
            "clock", "faults", "secret", "config", "store", "mailbox", "outbox",
        ],
    ),
    (
        "glue",
        &[
            "registry",
            "retention",
            "scheduler",
            "control",
            "daemon",
            "history",
            "rebuild",
            "setup",
            "status",
            "bench",
        ],
    ),
    // The binary's own modules (src/cli): the command line, above everything it runs.
    ("glue", &["cli"]),
];

/// What the pure core never names: IO crates, the clock, the process's environment.
const FORBIDDEN_IN_CORE: &[&str] = &[
    "tokio",
    "sled",
    "lettre",
    "async_imap",
    "tokio_rustls",
    "rustls",
    "std::fs",
    "std::net",
    "std::process",
    "std::env",
    "std::os",
    "SystemTime",
    "Instant::now",
    "Utc::now",
    "Local::now",
];

fn layer_of(module: &str) -> Option<(usize, &'static str)> {
    LAYERS
        .iter()
        .enumerate()
        .find(|(_, (_, mods))| mods.contains(&module))
        .map(|(i, (kind, _))| (i, *kind))
}

/// The top-level module a source file belongs to (`src/intake/parse/mod.rs` -> intake).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap_or(file);
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    first
        .unwrap_or_default()
        .trim_end_matches(".rs")
        .to_string()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text without comments (doc comments name modules freely).
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The crate modules a file names: `crate::x`, and `crate::{x, y}` in a use.
fn crate_modules(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for part in group.split(',') {
                let name = ident(part.trim());
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// Every way a file breaks the rules; empty when it keeps them.
fn violations(module: &str, code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let Some((own, kind)) = layer_of(module) else {
        if !["main", "lib"].contains(&module) {
            out.push(format!("{module} is in no layer: add it to LAYERS"));
        }
        return out;
    };
    for used in crate_modules(code) {
        if used == module {
            continue;
        }
        match layer_of(&used) {
            Some((layer, _))
                if layer <= own && (kind == "adapter" || kind == "glue" || layer < own) => {}
            Some((_, used_kind)) => out.push(format!(
                "{module} ({kind}) imports {used} ({used_kind}), a layer above it"
            )),
            None => out.push(format!("{module} imports {used}, which is in no layer")),
        }
    }
    if kind == "leaf" || kind == "core" {
        for word in FORBIDDEN_IN_CORE {
            let found = code.match_indices(word).any(|(i, _)| {
                let before = code[..i].chars().next_back();
                let after = code[i + word.len()..].chars().next();
                !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                    && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            });
            if found {
                out.push(format!("{module} (pure core) names {word}"));
            }
        }
    }
    out
}

#[test]
fn imports_run_one_way_and_the_core_does_no_io() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 20, "found the sources");
    let mut problems: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let found = violations(&module_of(&src, file), &code(&text));
        if !found.is_empty() {
            problems.insert(file.display().to_string(), found);
        }
    }
    assert!(problems.is_empty(), "boundaries broken:\n{problems:#?}");
}

#[test]
fn the_adapters_and_the_glue_import_no_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let module = module_of(&src, file);
        let used = crate_modules(&code(&std::fs::read_to_string(file).unwrap()));
        graph
            .entry(module.clone())
            .or_default()
            .extend(used.into_iter().filter(|u| *u != module));
    }
    // Depth-first search for a back edge.
    fn visit<'a>(
        node: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|n| *n == node) {
            return Some(path[i..].iter().map(|s| s.to_string()).collect());
        }
        if !done.insert(node) {
            return None;
        }
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        let circle = visit(node, &graph, &mut Vec::new(), &mut done);
        assert!(circle.is_none(), "import circle: {circle:?}");
    }
}

/// The checker itself catches each kind of break (so the tests above can fail).
#[test]
fn the_boundary_check_sees_each_kind_of_break() {
    let cases = [
        ("intake", "use crate::store::Store;", "a layer above"),
        ("rules", "use crate::intake::Fields;", "a layer above"),
        ("cases", "use crate::{domain, letters};", "a layer above"),
        (
            "letters",
            "let t = std::time::SystemTime::now();",
            "SystemTime",
        ),
        ("procedure", "tokio::spawn(async {});", "tokio"),
        ("domain", "let _ = std::fs::read(\"x\");", "std::fs"),
        ("report", "use crate::clock::Clock;", "a layer above"),
        ("store", "use crate::registry::Registry;", "a layer above"),
        ("daemon", "use crate::cli::Cli;", "a layer above"),
        ("newroom", "", "no layer"),
    ];
    for (module, code, expect) in cases {
        let found = violations(module, code);
        assert!(
            found.iter().any(|v| v.contains(expect)),
            "{module}: {code:?} not caught: {found:?}"
        );
    }
    // What is allowed stays allowed.
    assert!(
        violations(
            "letters",
            "use crate::{cases::Case, domain::Outgoing, rules};"
        )
        .is_empty()
    );
    assert!(violations("store", "use crate::{cases::Case, faults};").is_empty());
    assert!(violations("cli", "use crate::{cli::check, control, report};").is_empty());
    assert!(
        violations(
            "intake",
            &code("// crate::store is named in a comment only")
        )
        .is_empty()
    );
    assert!(violations("rules", "fn now_utc() {} let sled_count = 1;").is_empty());
}
