//! The config: parsing, errors naming file and key, the shipped configs.

use super::*;

#[test]
fn relative_paths_resolve_against_the_config_file() {
    let c = Config::parse(MINIMAL_MAILDIR, Path::new("/etc/klachtd/k.toml")).unwrap();
    assert_eq!(
        c.mailbox.path.as_deref().unwrap(),
        Path::new("/etc/klachtd/Maildir")
    );
    assert_eq!(c.store.path, Path::new("/etc/klachtd/store"));
    assert_eq!(c.from_address(), "klacht@numun.nl");
}

#[test]
fn the_owner_adds_words_of_serious_behaviour() {
    let text = format!(
        "{MINIMAL_MAILDIR}\n[[serious]]\ncategory = \"intimidation\"\nwords = ['\\bopgewacht']\n"
    );
    let c = Config::parse(&text, Path::new("/x/k.toml")).unwrap();
    let ctx = c.intake_context();
    let raw = b"From: a@example.nl\r\nTo: klacht@example.test\r\nSubject: x\r\nDate: Mon, 16 Nov 2026 09:00:00 +0100\r\n\r\nHij heeft mij na de training bij de auto opgewacht.\r\n";
    let now = "2026-11-16T09:00:00Z".parse().unwrap();
    let s = intake::read(raw, intake::Arrival::At(now), &ctx).unwrap();
    assert!(s.serious);
    assert_eq!(s.serious_words, vec!["opgewacht".to_string()]);
    // A word that is no regex, or a category that is not serious: refused at start.
    for bad in [
        "[[serious]]\ncategory = \"bullying\"\nwords = [\"(\"]",
        "[[serious]]\ncategory = \"delivery\"\nwords = [\"x\"]",
    ] {
        let e = Config::parse(
            &format!("{MINIMAL_MAILDIR}\n{bad}\n"),
            Path::new("/x/k.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("serious"), "{e}");
    }
}

#[test]
fn errors_name_the_file_and_the_key() {
    let text = MINIMAL_MAILDIR.replace("[store]", "[store]\ncolour = \"blue\"");
    let e = Config::parse(&text, Path::new("/x/k.toml"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("/x/k.toml") && e.contains("colour"), "{e}");

    let text = MINIMAL_MAILDIR.replace("addresses = [\"eigenaar@numun.nl\"]", "addresses = []");
    let e = Config::parse(&text, Path::new("/x/k.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("/x/k.toml") && e.contains("owner.addresses"),
        "{e}"
    );

    let text = MINIMAL_MAILDIR.replace(
        "kind = \"maildir\"\npath = \"Maildir\"",
        "kind = \"imap\"\nhost = \"mail.example.com\"\nuser = \"k\"\ntls = \"none\"\npassword_env = \"PW\"",
    );
    let e = Config::parse(&text, Path::new("/x/k.toml"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("mailbox.tls") && e.contains("loopback"), "{e}");
}

#[test]
fn the_backup_section_is_checked() {
    let with = |backup: &str| {
        Config::parse(
            &format!("{MINIMAL_MAILDIR}\n[backup]\n{backup}\n"),
            Path::new("/x/k.toml"),
        )
    };
    let off = Config::parse(MINIMAL_MAILDIR, Path::new("/x/k.toml")).unwrap();
    assert_eq!(
        (off.backup.dir, off.backup.keep),
        (None, 7),
        "off, 7 by default"
    );
    let on = with("dir = \"backups\"\nkeep = 3").unwrap();
    assert_eq!(on.backup.dir.as_deref(), Some(Path::new("/x/backups")));
    assert_eq!(on.backup.keep, 3);
    let file = tempfile::NamedTempFile::new().unwrap();
    for (bad, key) in [
        ("dir = \"b\"\nkeep = 0", "backup.keep"),
        ("dir = \"store/backups\"", "backup.dir"),
        ("dir = \"/x\"", "backup.dir"),
        (&format!("dir = {:?}", file.path()), "backup.dir"),
        ("dir = \"b\"\ncount = 3", "count"),
        ("keep = -1", "keep"),
    ] {
        let e = with(bad).unwrap_err().to_string();
        assert!(e.contains("/x/k.toml") && e.contains(key), "{bad}: {e}");
    }
}

#[test]
fn two_secret_sources_are_an_error() {
    let text = MINIMAL_MAILDIR.replace(
        "kind = \"maildir\"\npath = \"Maildir\"",
        "kind = \"imap\"\nhost = \"127.0.0.1\"\nuser = \"k\"\npassword_env = \"PW\"\npassword_file = \"pw\"",
    );
    let e = Config::parse(&text, Path::new("/x/k.toml"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("mailbox.password"), "{e}");
}

#[test]
fn both_server_sections_read_the_same_keys() {
    let text = MINIMAL_MAILDIR
        .replace(
            "kind = \"maildir\"\npath = \"Maildir\"",
            "kind = \"imap\"\nhost = \"127.0.0.1\"\nuser = \"k@example.test\"\nca_file = \"ca.pem\"\npassword_file = \"imap-pw\"",
        )
        .replace(
            "kind = \"maildir\"\npath = \"outbox\"",
            "kind = \"smtp\"\nhost = \"smtp.example.test\"\nport = 2525\ntls = \"implicit\"\nuser = \"k\"\ntoken_command = \"tok\"",
        );
    let c = Config::parse(&text, Path::new("/etc/klachtd/k.toml")).unwrap();
    let imap = &c.mailbox.server;
    assert_eq!(
        imap.ca_file.as_deref(),
        Some(Path::new("/etc/klachtd/ca.pem"))
    );
    assert_eq!(
        imap.endpoint(ServerDefaults::IMAP),
        Some(Endpoint {
            host: "127.0.0.1".into(),
            port: 993,
            tls: Tls::Implicit
        })
    );
    assert_eq!(
        c.mailbox_secret().unwrap(),
        Some(Secret::File("/etc/klachtd/imap-pw".into()))
    );
    assert_eq!(
        c.smtp.server.endpoint(ServerDefaults::SMTP),
        Some(Endpoint {
            host: "smtp.example.test".into(),
            port: 2525,
            tls: Tls::Implicit
        })
    );
    assert_eq!(
        c.smtp_secret().unwrap(),
        Some(Secret::TokenCommand("tok".into()))
    );
    assert_eq!(
        c.intake_context().own.addresses,
        ["klacht@numun.nl", "k@example.test"]
    );
}

#[test]
fn default_ports_follow_the_tls_mode() {
    let port = |tls, defaults| {
        let server = ServerConfig {
            host: Some("mail.example.test".into()),
            tls,
            ..ServerConfig::default()
        };
        server.endpoint(defaults).unwrap().port
    };
    assert_eq!(port(None, ServerDefaults::IMAP), 993);
    assert_eq!(port(Some(Tls::Starttls), ServerDefaults::IMAP), 143);
    assert_eq!(port(Some(Tls::None), ServerDefaults::IMAP), 143);
    assert_eq!(port(None, ServerDefaults::SMTP), 587);
    assert_eq!(port(Some(Tls::Implicit), ServerDefaults::SMTP), 465);
    assert_eq!(port(Some(Tls::None), ServerDefaults::SMTP), 25);
    assert_eq!(ServerConfig::default().endpoint(ServerDefaults::IMAP), None);
}

#[test]
fn the_smtp_section_is_checked_like_the_mailbox() {
    let error = |text: &str| {
        Config::parse(text, Path::new("/x/k.toml"))
            .unwrap_err()
            .to_string()
    };
    let smtp = |keys: &str| {
        MINIMAL_MAILDIR.replace(
            "kind = \"maildir\"\npath = \"outbox\"",
            &format!("kind = \"smtp\"\n{keys}"),
        )
    };
    let e = error(&MINIMAL_MAILDIR.replace("[smtp]", "[smtp]\ncolour = \"blue\""));
    assert!(e.contains("/x/k.toml") && e.contains("colour"), "{e}");
    let e = error(&smtp("port = 25"));
    assert!(e.contains("smtp.host") && e.contains("\"smtp\""), "{e}");
    let e = error(&smtp("host = \"smtp.example.com\"\ntls = \"none\""));
    assert!(e.contains("smtp.tls") && e.contains("loopback"), "{e}");
    let e = error(&smtp(
        "host = \"localhost\"\nuser = \"k\"\npassword = \"x\"\ntoken_command = \"t\"",
    ));
    assert!(e.contains("smtp.password"), "{e}");
    // SMTP, unlike IMAP, needs no user (a relay that takes mail without login)
    let c = Config::parse(
        &smtp("host = \"::1\"\ntls = \"none\""),
        Path::new("/x/k.toml"),
    );
    assert!(c.is_ok());
    let e = error(&MINIMAL_MAILDIR.replace(
        "kind = \"maildir\"\npath = \"Maildir\"",
        "kind = \"imap\"\nhost = \"127.0.0.1\"",
    ));
    assert!(e.contains("mailbox.user") && e.contains("\"imap\""), "{e}");
}

#[cfg(test)]
mod example_tests {
    use super::*;

    #[test]
    fn since_is_first_start_or_a_date() {
        let base = "[mailbox]\nkind = \"maildir\"\npath = \"m\"\n{}\n[smtp]\nkind = \"maildir\"\npath = \"o\"\nfrom = \"k@numun.nl\"\n[owner]\nname = \"O\"\naddresses = [\"o@numun.nl\"]\n[store]\npath = \"s\"\n";
        let parse = |line: &str| Config::parse(&base.replace("{}", line), Path::new("/etc/k.toml"));
        assert_eq!(parse("").unwrap().mailbox.since, Since::FirstStart);
        assert_eq!(
            parse("since = \"first-start\"").unwrap().mailbox.since,
            Since::FirstStart
        );
        let day = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
        let since = parse("since = \"2025-03-01\"").unwrap().mailbox.since;
        assert_eq!(since, Since::Date(day));
        let start = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
        assert_eq!(
            since.moment(start).to_rfc3339(),
            "2025-02-28T23:00:00+00:00"
        );
        assert_eq!(Since::FirstStart.moment(start), start);
        let err = parse("since = \"yesterday\"").unwrap_err().to_string();
        assert!(
            err.contains("/etc/k.toml") && err.contains("since"),
            "{err}"
        );
    }

    #[test]
    fn the_shipped_configs_load() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
        for name in ["demo.toml", "example.toml", "klachtd.toml"] {
            Config::load(&dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}

#[test]
fn the_log_format_is_text_or_json() {
    let c = Config::parse(MINIMAL_MAILDIR, Path::new("/x/k.toml")).unwrap();
    assert_eq!(c.log_format().unwrap(), LogFormat::Text);
    for (value, format) in [("text", LogFormat::Text), ("json", LogFormat::Json)] {
        let text = format!("{MINIMAL_MAILDIR}\n[log]\nformat = \"{value}\"\n");
        let c = Config::parse(&text, Path::new("/x/k.toml")).unwrap();
        assert_eq!(c.log_format().unwrap(), format);
    }
    for bad in ["\"xml\"", "\"JSON\"", "\"\"", "1"] {
        let text = format!("{MINIMAL_MAILDIR}\n[log]\nformat = {bad}\n");
        let e = Config::parse(&text, Path::new("/x/k.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("/x/k.toml"), "{e}");
        assert!(e.contains("format"), "{e}");
    }
    let text = format!("{MINIMAL_MAILDIR}\n[log]\nformat = \"xml\"\n");
    let e = Config::parse(&text, Path::new("/x/k.toml"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("log.format") && e.contains("\"json\""), "{e}");
}

#[test]
fn the_log_format_is_read_before_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("k.toml");
    std::fs::write(
        &file,
        format!("{MINIMAL_MAILDIR}\n[log]\nformat = \"json\"\n"),
    )
    .unwrap();
    assert_eq!(Config::log_format_in(&file), Some(LogFormat::Json));
    std::fs::write(&file, MINIMAL_MAILDIR).unwrap();
    assert_eq!(Config::log_format_in(&file), None);
    assert_eq!(Config::log_format_in(&dir.path().join("none.toml")), None);
}

#[test]
fn the_store_key_file_defaults_beside_the_store_and_must_lie_outside_it() {
    let c = Config::parse(MINIMAL_MAILDIR, Path::new("/etc/klachtd/k.toml")).unwrap();
    assert_eq!(c.store_key_file(), Path::new("/etc/klachtd/store.key"));
    let with = |line: &str| MINIMAL_MAILDIR.replace("[store]", &format!("[store]\n{line}"));
    let c = Config::parse(
        &with("key_file = \"keys/store.key\""),
        Path::new("/etc/klachtd/k.toml"),
    )
    .unwrap();
    assert_eq!(c.store_key_file(), Path::new("/etc/klachtd/keys/store.key"));
    for inside in ["store/master.key", "/etc/klachtd/store/keys/x", "store/"] {
        let e = Config::parse(
            &with(&format!("key_file = \"{inside}\"")),
            Path::new("/etc/klachtd/k.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("/etc/klachtd/k.toml")
                && e.contains("store.key_file")
                && e.contains("outside the store"),
            "{inside}: {e}"
        );
    }
}

#[test]
fn a_store_key_file_that_is_there_must_hold_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("k.toml");
    let key = dir.path().join("store.key");
    for bad in ["", "geheim\n", &"a".repeat(63), &"g".repeat(64)] {
        std::fs::write(&key, bad).unwrap();
        let e = Config::parse(MINIMAL_MAILDIR, &config)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(&config.display().to_string())
                && e.contains("store.key_file")
                && e.contains(&key.display().to_string())
                && e.contains("64 hexadecimal"),
            "{bad:?}: {e}"
        );
    }
    std::fs::write(&key, format!("{}\n", "0a".repeat(32))).unwrap();
    assert!(Config::parse(MINIMAL_MAILDIR, &config).is_ok());
    std::fs::remove_file(&key).unwrap();
    assert!(
        Config::parse(MINIMAL_MAILDIR, &config).is_ok(),
        "a missing key file is made at the first start"
    );
}
