//! The rebuild's report as text: what was rebuilt, what did not fit, and what cannot be
//! known. Case numbers, kinds and Message-IDs of our own letters only: no personal data.

use std::fmt::Write as _;

use super::{LetterNote, Rebuilt};

impl Rebuilt {
    /// The report for the owner, as `klachtd rebuild` prints it.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Rebuilt from the mail server: {} case(s); {} letter(s) in Sent found their place.",
            self.cases.len(),
            self.letters_matched
        );
        for c in &self.cases {
            let _ = writeln!(
                out,
                "  {}  {:<22} {} letter(s)",
                c.number, c.state, c.letters
            );
        }
        let _ = writeln!(
            out,
            "Follow-ups: {}. Set aside again: {}. Automated, kept: {}. The owner's mails, kept \
             and not carried out again: {}. Met twice: {}. Other mail in Sent: {}. Letters \
             known by their subject alone: {}.",
            self.follow_ups,
            self.set_aside,
            self.automated,
            self.owner_mails,
            self.duplicates,
            self.sent_not_ours,
            self.letters_by_subject
        );
        for (year, seq) in &self.sequences {
            let _ = writeln!(
                out,
                "Numbers of {year}: up to {seq}; the next case gets KL-{year}-{:04}.",
                seq + 1
            );
        }
        let notes = |out: &mut String, title: &str, list: &[LetterNote]| {
            if !list.is_empty() {
                let _ = writeln!(out, "{title}:");
                for n in list {
                    let case = n.case.map_or("-".to_string(), |c| c.to_string());
                    let _ = writeln!(out, "  {case}  {}  <{}>", n.kind, n.message_id);
                }
            }
        };
        notes(
            &mut out,
            "Letters of ours that matched no complaint (kept, so replies are recognised)",
            &self.letters_without_complaint,
        );
        if !self.complaints_without_letter.is_empty() {
            let list: Vec<String> = self
                .complaints_without_letter
                .iter()
                .map(ToString::to_string)
                .collect();
            let _ = writeln!(
                out,
                "Complaints with no letter of ours (numbered after the highest known): {}",
                list.join(", ")
            );
        }
        notes(
            &mut out,
            "Letters the procedure writes that are not in Sent (recorded as sent, NOT sent now: \
             check that the complainant has them)",
            &self.letters_not_in_sent,
        );
        if !self.letters_not_replayed.is_empty() {
            let _ = writeln!(
                out,
                "Letters recorded on their case as they went out, their action not replayed:"
            );
            for (n, why) in &self.letters_not_replayed {
                let case = n.case.map_or("-".to_string(), |c| c.to_string());
                let _ = writeln!(out, "  {case}  {}  <{}>: {why}", n.kind, n.message_id);
            }
        }
        let _ = writeln!(
            out,
            "Reminders to the owner whose time had come: {} marked done (not sent again); \
             escalations of deadlines already passed go out once a working day as before.",
            self.reminders_marked_done
        );
        let _ = writeln!(out, "What cannot be known:");
        for u in &self.unknowable {
            let _ = writeln!(out, "  - {u}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CaseNumber;
    use crate::rebuild::RebuiltCase;

    #[test]
    fn the_report_names_numbers_states_and_what_did_not_fit() {
        let n = |seq| CaseNumber { year: 2026, seq };
        let mut r = Rebuilt {
            cases: vec![RebuiltCase {
                number: n(1),
                state: "decided".into(),
                letters: 2,
            }],
            letters_matched: 2,
            ..Rebuilt::default()
        };
        r.sequences.insert(2026, 4);
        r.complaints_without_letter.push(n(4));
        r.letters_without_complaint.push(LetterNote {
            case: Some(n(3)),
            kind: "acknowledgement".into(),
            message_id: "klachtd.KL-2026-0003.acknowledgement.1@example.test".into(),
        });
        r.unknowable = crate::rebuild::UNKNOWABLE
            .iter()
            .map(|s| s.to_string())
            .collect();
        let text = r.text();
        for part in [
            "1 case(s); 2 letter(s)",
            "KL-2026-0001  decided",
            "the next case gets KL-2026-0005",
            "matched no complaint",
            "KL-2026-0003  acknowledgement  <klachtd.KL-2026-0003.acknowledgement.1@example.test>",
            "no letter of ours (numbered after the highest known): KL-2026-0004",
            "the owner's notes",
        ] {
            assert!(text.contains(part), "{part:?} not in:\n{text}");
        }
        assert!(
            !text.contains("not in Sent (recorded"),
            "nothing of that kind:\n{text}"
        );
    }
}
