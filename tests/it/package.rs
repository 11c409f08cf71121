//! The service as it is installed (issue 8.3): the systemd unit's hardening, the Debian
//! package's metadata, and the package itself, built with cargo-deb from the release
//! profile (tests/all.sh installs cargo-deb when missing and builds the package once)
//! and read back with dpkg-deb.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_klachtd");

fn klachtd(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("KLACHTD_LOG", "warn")
        .env_remove("KLACHTD_CONFIG")
        .output()
        .expect("run klachtd")
}

/// The directives of a systemd unit file: (key, value) in order, comments left out.
fn directives(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('['))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// The unit's hardening (issue 8.3): what the repo's unit and the packaged one must say.
fn assert_hardened(unit: &str) {
    let d = directives(unit);
    let get = |key: &str| -> Vec<&str> {
        d.iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    for (key, value) in [
        ("Type", "notify"),
        ("User", "klachtd"),
        ("ProtectSystem", "strict"),
        ("ProtectHome", "yes"),
        ("PrivateTmp", "yes"),
        ("NoNewPrivileges", "yes"),
        ("UMask", "0077"),
        ("Restart", "on-failure"),
        ("RestartPreventExitStatus", "78"),
        ("StateDirectory", "klachtd"),
        ("ReadWritePaths", "/var/lib/klachtd"),
        ("ExecReload", "/bin/kill -HUP $MAINPID"),
    ] {
        assert_eq!(get(key), [value], "{key}");
    }
    // a watchdog, the daemon started on the installed config
    let watchdog: u64 = get("WatchdogSec")[0]
        .parse()
        .expect("WatchdogSec in seconds");
    assert!(watchdog > 0);
    assert_eq!(
        get("ExecStart"),
        ["/usr/bin/klachtd run --config /etc/klachtd/klachtd.toml"]
    );
    // the store is the only writable path
    assert_eq!(get("ReadWritePaths").len(), 1);
    assert!(get("CapabilityBoundingSet") == [""], "no capabilities");
}

#[test]
fn the_systemd_unit_is_hardened() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_hardened(&std::fs::read_to_string(root.join("dist/klachtd.service")).unwrap());

    // RestartPreventExitStatus=78 is what klachtd exits with on a bad config
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    crate::support::TestConfig::default()
        .mailbox("kind = \"maildir\"\npath = \"m\"\nsince = \"soon\"")
        .write(&bad);
    let out = klachtd(&["run", "--once", "--config", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(78), "{out:?}");
}

/// The Debian package's metadata (`[package.metadata.deb]`, for cargo-deb): the binary,
/// the unit, the config under /etc/klachtd (a conffile), the templates, the system user.
#[test]
fn the_debian_package_holds_the_service() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest: toml::Value =
        toml::from_str(&std::fs::read_to_string(root.join("Cargo.toml")).unwrap()).unwrap();
    let deb = &manifest["package"]["metadata"]["deb"];
    let assets: Vec<(String, String, String)> = deb["assets"]
        .as_array()
        .expect("assets")
        .iter()
        .map(|a| {
            let a = a.as_array().expect("an asset: [source, target, mode]");
            let s = |i: usize| a[i].as_str().unwrap().to_string();
            (s(0), s(1), s(2))
        })
        .collect();
    let target_of = |source: &str| {
        assets
            .iter()
            .find(|(s, _, _)| s == source)
            .unwrap_or_else(|| panic!("no asset {source}: {assets:?}"))
            .clone()
    };
    assert_eq!(
        target_of("target/release/klachtd"),
        (
            "target/release/klachtd".into(),
            "usr/bin/klachtd".into(),
            "755".into()
        )
    );
    assert_eq!(
        target_of("dist/klachtd.service").1,
        "lib/systemd/system/klachtd.service"
    );
    assert_eq!(
        target_of("dist/klachtd.sysusers").1,
        "usr/lib/sysusers.d/klachtd.conf"
    );
    assert_eq!(
        target_of("config/klachtd.toml").1,
        "etc/klachtd/klachtd.toml"
    );
    assert_eq!(target_of("templates/*").1, "usr/share/klachtd/templates/");
    assert_eq!(
        target_of("templates/en/*").1,
        "usr/share/klachtd/templates/en/"
    );
    // the config for the daemon's user alone: it refuses one others can read
    assert_eq!(target_of("config/klachtd.toml").2, "600");
    assert_eq!(
        deb["conf-files"].as_array().unwrap()[0].as_str(),
        Some("/etc/klachtd/klachtd.toml")
    );
    // every file named is in the repository (the binary is built by cargo deb)
    for (source, _, _) in &assets {
        if source.starts_with("target/") {
            continue;
        }
        let path = source.trim_end_matches("/*");
        assert!(root.join(path).exists(), "{source} missing");
    }
    assert!(
        std::fs::read_dir(root.join("templates")).unwrap().count() > 10,
        "the templates"
    );
    // the system user, and the maintainer script that creates it
    let sysusers = std::fs::read_to_string(root.join("dist/klachtd.sysusers")).unwrap();
    assert!(
        sysusers.lines().any(|l| l.starts_with("u klachtd ")),
        "{sysusers}"
    );
    let scripts = deb["maintainer-scripts"].as_str().unwrap();
    let postinst = std::fs::read_to_string(root.join(scripts).join("postinst")).unwrap();
    assert!(
        postinst.contains("systemd-sysusers klachtd.conf"),
        "{postinst}"
    );
    let mode = std::fs::metadata(root.join(scripts).join("postinst"))
        .unwrap()
        .permissions()
        .mode();
    assert!(mode & 0o111 != 0, "postinst is executable");
    // the shipped config is the one `klachtd init` writes, and it loads
    klachtd::config::Config::load(&root.join("config/klachtd.toml")).expect("shipped config");
}

/// The .deb: tests/all.sh builds it once before the tests (`cargo deb --locked --strip`,
/// the release profile, stripped); run on its own, or when what it packages changed since, the test
/// builds it. Fails, with what to do, when cargo-deb is missing: never skipped.
fn build_deb() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let deb = root.join("target/debian/klachtd.deb");
    let built = std::fs::metadata(&deb).and_then(|m| m.modified()).ok();
    let packaged = [
        "Cargo.toml",
        "Cargo.lock",
        "src",
        "templates",
        "dist",
        "config",
        "README.md",
    ];
    let newest = packaged
        .iter()
        .filter_map(|p| newest_change(&root.join(p)))
        .max();
    if built.is_some() && built >= newest {
        return deb;
    }
    let out = Command::new("cargo")
        .args(["deb", "--locked", "--strip", "--output"])
        .arg(&deb)
        .current_dir(root)
        .output()
        .expect("run cargo");
    assert!(
        out.status.success(),
        "cargo deb failed (cargo-deb missing? tests/all.sh installs it: cargo install \
         cargo-deb --locked):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    deb
}

/// When `path`, or anything under it, last changed.
fn newest_change(path: &Path) -> Option<std::time::SystemTime> {
    let meta = std::fs::metadata(path).ok()?;
    let mut newest = meta.modified().ok();
    if meta.is_dir() {
        for e in std::fs::read_dir(path).ok()?.flatten() {
            newest = newest.max(newest_change(&e.path()));
        }
    }
    newest
}

fn dpkg_deb(args: &[&str], deb: &Path) -> String {
    let out = Command::new("dpkg-deb")
        .args(args)
        .arg(deb)
        .output()
        .expect("run dpkg-deb");
    assert!(out.status.success(), "dpkg-deb {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The built package: the binary (it runs), the hardened unit, the system user, the
/// config under /etc/klachtd as a conffile for the daemon's user alone, the templates
/// in both languages, and the maintainer script that gives the config to the user.
#[test]
fn the_built_debian_package_holds_the_hardened_service() {
    let deb = build_deb();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));

    let info = dpkg_deb(&["-I"], &deb);
    for want in ["Package: klachtd", "Section: mail", "conffiles", "postinst"] {
        assert!(info.contains(want), "{want} not in dpkg-deb -I:\n{info}");
    }
    let conffiles = dpkg_deb(&["--info"], &deb);
    assert!(conffiles.contains("conffiles"), "{conffiles}");

    // the listing: every file, and the config's mode
    let list = dpkg_deb(&["-c"], &deb);
    let mut wanted = vec![
        "./usr/bin/klachtd".to_string(),
        "./lib/systemd/system/klachtd.service".into(),
        "./usr/lib/sysusers.d/klachtd.conf".into(),
        "./etc/klachtd/klachtd.toml".into(),
        "./usr/share/doc/klachtd/README.md".into(),
    ];
    for dir in ["templates", "templates/en"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_file() {
                wanted.push(format!(
                    "./usr/share/klachtd/{dir}/{}",
                    e.file_name().to_string_lossy()
                ));
            }
        }
    }
    for path in &wanted {
        assert!(
            list.lines().any(|l| l.ends_with(path.as_str())),
            "{path} not in the .deb:\n{list}"
        );
    }
    let config_line = list
        .lines()
        .find(|l| l.ends_with("./etc/klachtd/klachtd.toml"))
        .unwrap();
    assert!(config_line.starts_with("-rw-------"), "{config_line}");
    let bin_line = list
        .lines()
        .find(|l| l.ends_with("./usr/bin/klachtd"))
        .unwrap();
    assert!(bin_line.starts_with("-rwxr-xr-x"), "{bin_line}");

    // the files themselves
    let x = tempfile::tempdir().unwrap();
    let out = Command::new("dpkg-deb")
        .arg("-x")
        .arg(&deb)
        .arg(x.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let unit =
        std::fs::read_to_string(x.path().join("lib/systemd/system/klachtd.service")).unwrap();
    assert_hardened(&unit);
    let sysusers =
        std::fs::read_to_string(x.path().join("usr/lib/sysusers.d/klachtd.conf")).unwrap();
    assert!(
        sysusers.lines().any(|l| l.starts_with("u klachtd ")),
        "{sysusers}"
    );
    let config = x.path().join("etc/klachtd/klachtd.toml");
    assert_eq!(
        std::fs::metadata(&config).unwrap().permissions().mode() & 0o777,
        0o600
    );
    klachtd::config::Config::load(&config).expect("the packaged config loads");
    let version = Command::new(x.path().join("usr/bin/klachtd"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(version.status.success(), "{version:?}");
    assert!(String::from_utf8_lossy(&version.stdout).contains(env!("CARGO_PKG_VERSION")));
    // stripped: the server gets the binary without its symbol tables
    let sections = Command::new("readelf")
        .arg("-S")
        .arg(x.path().join("usr/bin/klachtd"))
        .output()
        .expect("readelf (binutils, which cargo deb --strip uses too)");
    let sections = String::from_utf8_lossy(&sections.stdout);
    assert!(
        sections.contains(".text") && !sections.contains(".debug_info"),
        "the packaged binary carries debug info: cargo deb --strip\n{sections}"
    );

    // the maintainer script: the user, and the config and passwords for it alone
    let ctrl = tempfile::tempdir().unwrap();
    let out = Command::new("dpkg-deb")
        .arg("-e")
        .arg(&deb)
        .arg(ctrl.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let postinst = std::fs::read_to_string(ctrl.path().join("postinst")).unwrap();
    for want in [
        "systemd-sysusers klachtd.conf",
        "chown klachtd:klachtd /etc/klachtd/klachtd.toml",
        "chmod 0600 /etc/klachtd/klachtd.toml",
        "install -m 0600 -o klachtd -g klachtd",
    ] {
        assert!(
            postinst.contains(want),
            "{want} not in postinst:\n{postinst}"
        );
    }
    let conffiles = std::fs::read_to_string(ctrl.path().join("conffiles")).unwrap();
    assert!(
        conffiles.lines().any(|l| l == "/etc/klachtd/klachtd.toml"),
        "{conffiles}"
    );
}
