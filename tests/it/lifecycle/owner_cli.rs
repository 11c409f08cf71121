//! The owner's command line, without a daemon and beside a running one.

use super::*;

#[test]
fn the_owners_command_line_without_a_daemon() {
    // The binary reads the system clock: this test lives in the present.
    let now = klachtd::clock::Clock::system().now();
    let received = now - Duration::minutes(5);
    let today = klachtd::rules::calendar::local_date(now);
    let until = (klachtd::rules::calendar::local_date(received) + Duration::days(42)).to_string();
    let office = Office::new(&now.to_rfc3339());
    let n = {
        let parts = office.parts();
        insert_case(&parts, received, SANNE, &[], 5)
    };
    let klachtd = env!("CARGO_BIN_EXE_klachtd");
    let config = office.config_file();
    let run = |args: &[&str], stdin: &str| {
        use std::io::Write;
        let mut child = std::process::Command::new(klachtd)
            .args(args)
            .arg("--config")
            .arg(&config)
            .env("KLACHTD_LOG", "warn")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let number = n.to_string();
    let (ok, out, err) = run(&["case", &number, "hearing"], "Telefonisch.");
    assert!(ok, "{out}{err}");
    let (ok, out, err) = run(
        &["case", &number, "report"],
        "U vertelde dat de trainer te laat kwam.\n",
    );
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("No daemon is running") && out.contains("klachtd run"),
        "{out}"
    );
    // Refused, with the reason, and nothing changed.
    let (ok, _, err) = run(&["case", &number, "close"], "Afgerond.");
    assert!(!ok && err.contains("decide first"), "{err}");
    let (ok, out, err) = run(&["case", &number, "extend", "--until", &until], "");
    assert!(ok && out.contains(&until), "{out}{err}");
    // The next run sends the queued report and extension.
    office.clock.set(now + Duration::minutes(1));
    office.run_once();
    let subjects: Vec<String> = office
        .letters_to(SANNE)
        .iter()
        .map(|t| subject(t))
        .collect();
    assert!(
        subjects.iter().any(|s| s.contains("Verslag"))
            && subjects.iter().any(|s| s.contains("meer tijd")),
        "{subjects:?}"
    );
    let (ok, out, _) = run(&["cases", "show", &number, "--json"], "");
    assert!(ok);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["decide_by"], until.as_str());
    assert_eq!(json["extended_to"], until.as_str());
    assert!(json["acknowledge_by"].is_string() && json["target"].is_string());
    assert_eq!(json["hearing_at"], today.to_string());
    let year = chrono::Datelike::year(&klachtd::rules::calendar::local_date(received)).to_string();
    let (ok, out, err) = run(&["report", "--year", &year, "--format", "csv"], "");
    assert!(ok && out.contains("total,received,1"), "{out}{err}");
    let (ok, out, err) = run(&["purge", "--dry-run"], "");
    assert!(
        ok && out.contains("0 case(s) would be erased"),
        "{out}{err}"
    );
}

#[test]
fn the_running_daemon_ticks_at_start_and_sends_what_is_due() {
    let office = Office::with_extra(&received().to_rfc3339(), "[schedule]\ntick_seconds = 1\n");
    {
        let parts = office.parts();
        insert_case(&parts, received(), SANNE, &[], 5);
        office.tick(&parts, received());
    }
    // Started on the day of the target's "before 7" reminder.
    office.clock.set(local("2026-11-16", "09:00"));
    let cancel = tokio_util::sync::CancellationToken::new();
    let stop = cancel.clone();
    let is_reminder =
        |t: &String| header(t, "Subject").is_some_and(|s| s.starts_with("HERINNERING"));
    let reminder_sent = runtime().block_on(async {
        let daemon = office.daemon(false, cancel.clone());
        let watch = async {
            for _ in 0..100 {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                let sent = office.letters_to(OWNER).iter().any(is_reminder);
                if sent {
                    stop.cancel();
                    return true;
                }
            }
            stop.cancel();
            false
        };
        let (result, sent) = tokio::join!(daemon, watch);
        result.unwrap();
        sent
    });
    assert!(reminder_sent, "{:?}", office.letters());
    let reminders = office
        .letters_to(OWNER)
        .iter()
        .filter(|t| is_reminder(t))
        .count();
    assert_eq!(reminders, 1);
}
