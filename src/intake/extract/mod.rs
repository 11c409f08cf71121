//! The mandatory content of a complaint (art. 3.2), its category (art. 1) and the date of
//! the facts, from labelled fields and free text, in Dutch and English.
//!
//! How the text is read, in order of preference for every field:
//! 1. labelled fields ("Naam: ...", "Telefoon:", "E-mail:", a filled-in form, the value on
//!    the same or the next line);
//! 2. the signature block after a closing ("Met vriendelijke groet," and the lines after
//!    it), or a trailing block of contact lines when there is no closing;
//! 3. free text ("mijn naam is ...", "bereikbaar op x@y.nl", "de training X", a date in
//!    the description);
//! 4. the mail headers (the sender's address and display name).
//!
//! For a forwarded complaint the fields come from the forwarded text and the complainant is
//! the forwarded sender, not the forwarder, unless the forwarder files it herself (`names`).
//!
//! The values, as [`Fields`] holds them:
//! - `name`: as written, whitespace collapsed ("Jan de Vries"; "Vries, Jan de" as a
//!   display name becomes "Jan de Vries");
//! - `address`: "Street 12, 1234 AB Town": the street line and the postcode line joined
//!   with ", ", the postcode normalised to "1234 AB"; only the parts that are present;
//! - `phone`: as written, trimmed ("06-12345678", "+31 (0)6 12345678");
//! - `email`: as written;
//! - `service`: the catalogue's canonical name when the text names a service or one of its
//!   aliases, else the labelled value as written, else "Training X" for a free-text
//!   mention ("de training X");
//! - `description`: the complaint text without greeting, labelled fields and signature,
//!   blank-line runs collapsed; `None` when under 20 characters;
//! - `incident_date`: the latest date of the facts on or before the mail's date.
//!
//! Pure and total: no IO, no clock, never panics, linear in the size of the text; at most
//! the first 64 KB of the text are read (a complaint is never longer).
//!
//! One file per part of the reading: `lines` (the text as lines: forward headers,
//! greeting, closing and signature, labelled fields), `names`, `addresses`, `contacts`
//! (phone numbers and e-mail addresses), `services`, `dates` (the date of the facts) and
//! `categories`.

mod addresses;
mod categories;
mod contacts;
mod dates;
mod labels;
mod lines;
mod names;
mod no_facts;
mod periods;
mod services;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::parse::Message;
use crate::domain::{Category, Fields};
use categories::category;
pub use categories::{BUILTIN_LEXICON, Lexicon, LexiconEntry};

/// Whether a follow-up's description tells what went wrong (see `no_facts`).
pub fn follow_up_tells(description: &str) -> bool {
    no_facts::follow_up_tells(description)
}
use super::pattern::{Pattern, re};
use contacts::Ignored;
use lines::Doc;
use services::service;

/// The company's services, each with the aliases people use for it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCatalogue {
    pub services: Vec<Service>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extraction {
    pub fields: Fields,
    pub category: Option<Category>,
    pub serious: bool,
    /// The words of the lexicon of serious behaviour that raised the flag.
    pub serious_words: Vec<String>,
    /// The complaint's text without greeting and signature (for its language).
    pub body: String,
    /// The first and last day the facts can have been, when the mail names only a month
    /// ("in september") and no day: the window can be judged even so.
    pub incident_period: Option<(NaiveDate, NaiveDate)>,
}

/// A text without its closing and signature ("Met vriendelijke groet, ..."), as the
/// reader of complaints sees it: the owner's text of a command by mail.
pub fn without_signature(text: &str) -> String {
    lines::Doc::read(text)
        .before_signature()
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// `sent` is the mail's date (for dates written without a year). The built-in lexicon of
/// serious behaviour.
pub fn extract(message: &Message, catalogue: &ServiceCatalogue, sent: NaiveDate) -> Extraction {
    extract_with(message, catalogue, &Lexicon::default(), sent)
}

/// [`extract`] with a lexicon of serious behaviour of the owner's.
pub fn extract_with(
    message: &Message,
    catalogue: &ServiceCatalogue,
    lexicon: &Lexicon,
    sent: NaiveDate,
) -> Extraction {
    // A forwarder who files the complaint herself: her own mail, the forwarded text its note.
    let filed = names::filed_by_forwarder(message);
    let (message, facts) = filed
        .as_ref()
        .map_or((message, ""), |(m, f)| (m, f.as_str()));
    let forwarded = message.forwarded.as_ref();
    let mut text = head(
        forwarded.map_or(message.text.as_str(), |f| f.text.as_str()),
        MAX_TEXT,
    );
    // For a forward, the forwarding note (the new text of the mail) is a last resort.
    let mut note = if forwarded.is_some() {
        head(&message.text, MAX_NOTE)
    } else {
        head(facts, MAX_NOTE)
    };
    // A complaint written in an attached .txt, the mail itself only pointing at it ("zie
    // bijlage", "anbei meine Beschwerde als Textdatei, da sie länger geworden ist"): the
    // attachment is read as the complaint, the mail's text as its note.
    let attached = head(&message.attached_text, MAX_TEXT);
    if forwarded.is_none() && !attached.trim().is_empty() && complaint_attached(text, attached) {
        note = head(text, MAX_NOTE);
        text = attached;
    }
    let sender = forwarded
        .and_then(|f| f.from.as_ref())
        .or(message.from.as_ref());
    let mut subject = head(&message.subject, MAX_SUBJECT).to_string();
    if let Some(s) = forwarded.and_then(|f| f.subject.as_deref()) {
        subject.push('\n');
        subject.push_str(head(s, MAX_SUBJECT));
    }

    let unboxed;
    if text.contains(is_box) {
        unboxed = unbox(text);
        text = &unboxed;
    }
    let doc = Doc::read(text);
    let ignored = Ignored::new(message);

    let description = doc.description();
    let body = doc.body_text();
    // A complainant forwarding her own earlier mail signs the forward: her address and
    // phone there are hers (a colleague's forward is signed by the colleague).
    let own_forward = forwarded.is_some_and(|f| {
        f.from.as_ref().is_none_or(|ff| {
            message
                .from
                .as_ref()
                .is_some_and(|m| m.same_as(&ff.address))
        })
    });
    let note_doc = own_forward.then(|| Doc::read(note));
    // A complaint in a document klachtd does not read (a PDF, a Word file, a scan) that
    // the mail only points at: the complaint is described, there; the owner reads it.
    // (No PDF reader bounds what it decompresses: a small hostile PDF can expand to
    // gigabytes, so klachtd does not open one.)
    let unread: Vec<&str> = message
        .attachments
        .iter()
        .filter(|a| unread_document(&a.content_type, a.filename.as_deref()))
        .map(|a| a.filename.as_deref().unwrap_or("(zonder naam)"))
        .collect();
    let in_document = forwarded.is_none()
        && !unread.is_empty()
        && attached.trim().is_empty()
        && POINTS_AT_ATTACHMENT.is_match(text)
        && points_only(text);
    let description = if in_document {
        let pointer = format!(
            "In de bijlage, niet automatisch gelezen: {}",
            unread.join(", ")
        );
        Some(match description {
            Some(own) => format!("{own}\n\n({pointer})"),
            None => pointer,
        })
    } else {
        description
    };
    // A forwarded mail tells its facts as of its own writing ("gisteren" in a mail of
    // 13 October), not of the forward.
    let written = forwarded
        .and_then(|f| f.date)
        .map_or(sent, |d| d.date_naive().min(sent));
    let fields = Fields {
        name: doc.name(message, sender),
        address: doc
            .address()
            .or_else(|| note_doc.as_ref().and_then(Doc::address)),
        phone: doc
            .phone()
            .or_else(|| note_doc.as_ref().and_then(Doc::phone)),
        email: doc.email(message, sender, &ignored),
        service: service(&doc, &subject, &body, note, catalogue),
        incident_date: doc
            .incident_date(description.as_deref(), &body, &subject, written)
            // "hieronder leest u de mail die ik toen stuurde": the date in the mail below
            .or_else(|| {
                forwarded
                    .is_none()
                    .then(|| dates::in_the_mail_below(text, &message.history, written))
                    .flatten()
            }),
        description,
    };

    let incident_period = fields
        .incident_date
        .is_none()
        .then(|| doc.incident_period(fields.description.as_deref(), &body, written))
        .flatten();

    // The forwarder's signature ("Jan Smit | Trainer") says nothing about the complaint.
    let note_body = Doc::read(note).body_text();
    let (category, serious_words) = category(&[&subject, &note_body, &body], catalogue, lexicon);
    // A mail that describes no complaint (a question, an enquiry) has no category of
    // complaint; serious words are flagged all the same.
    let category = category.filter(|c| fields.description.is_some() || c.is_serious());
    Extraction {
        fields,
        category,
        serious: category.is_some_and(Category::is_serious),
        serious_words,
        incident_period,
        body,
    }
}

/// A box-drawing character (U+2500..U+257F): a table drawn in text.
fn is_box(c: char) -> bool {
    ('\u{2500}'..='\u{257f}').contains(&c)
}

/// A table drawn with box characters read as a form: rule lines dropped, a row of two
/// cells ("│ Naam │ Jan │") becomes "Naam: Jan", other rows their cells in a line.
fn unbox(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split('\n') {
        if !line.contains(is_box) {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let cells: Vec<&str> = line
            .split(|c: char| is_box(c) || c == '|')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        match cells.as_slice() {
            [] => continue,
            // A label has no digits: "Industrieweg 12 │ 5262 GJ Vught" is an address
            // over two cells, not a label and its value.
            [label, value]
                if !label.ends_with(':') && !label.contains(|c: char| c.is_ascii_digit()) =>
            {
                out.push_str(&format!("{label}: {value}"));
            }
            [street, town] if !street.ends_with(':') => {
                out.push_str(&format!("{street}, {town}"));
            }
            cells => out.push_str(&cells.join(" ")),
        }
        out.push('\n');
    }
    out
}

/// The mail's own text says nothing of the complaint: no description in it, or only a
/// line or two ("Zie bijlage.", "Please find my complaint attached.").
fn points_only(text: &str) -> bool {
    let doc = Doc::read(text);
    doc.description()
        .is_none_or(|d| d.split_whitespace().count() < POINTER_WORDS)
}

/// The complaint is in the attached text: the mail says nothing of it itself, or it
/// points at the attachment and the attachment says more than the mail.
fn complaint_attached(text: &str, attached: &str) -> bool {
    let words = |t: &str| {
        Doc::read(t)
            .description()
            .map_or(0, |d| d.split_whitespace().count())
    };
    points_only(text) || (POINTS_AT_ATTACHMENT.is_match(text) && words(attached) > words(text))
}

/// Words that point at an attachment: "zie bijlage", "please find attached", "anbei".
static POINTS_AT_ATTACHMENT: Pattern = Pattern::new(|| {
    re(
        r"(?i)\b(?:bijlage|bijgevoegd|bijgesloten|attach|enclosed|anbei|anhang|angeh(?:ä|ae)ngt|pdf\b|(?:mijn|de|het|my|the)\s+(?:brief|document|letter)\b)",
    )
});

/// A document a complaint can be written in that klachtd does not read itself.
fn unread_document(content_type: &str, filename: Option<&str>) -> bool {
    const TYPES: &[&str] = &[
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml",
        "application/vnd.oasis.opendocument.text",
        "application/rtf",
        "text/rtf",
        "application/vnd.apple.pages",
        "image/",
    ];
    const ENDINGS: &[&str] = &[
        ".pdf", ".doc", ".docx", ".odt", ".rtf", ".pages", ".jpg", ".jpeg", ".png", ".heic",
    ];
    let content_type = content_type.to_ascii_lowercase();
    let filename = filename.unwrap_or_default().to_ascii_lowercase();
    TYPES.iter().any(|t| content_type.starts_with(t))
        || ENDINGS.iter().any(|e| filename.ends_with(e))
}

/// Fewer words than this in a mail with an attached text: a pointer to the attachment.
const POINTER_WORDS: usize = 12;

/// How much of a mail's text is read (bytes). No complaint is longer; a longer text (a
/// pasted log, an attack) is read up to here so intake stays fast, also in debug builds.
/// The raw mail, complete, stays in the store for the owner.
const MAX_TEXT: usize = 64 * 1024;
const MAX_NOTE: usize = 16 * 1024;
const MAX_SUBJECT: usize = 1024;

/// The first `max` bytes of `s` at most, ending on a line end when there is one in the
/// second half, else on a char boundary.
fn head(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    match s[..end].rfind('\n') {
        Some(nl) if nl >= max / 2 => &s[..nl],
        _ => &s[..end],
    }
}

/// Collapses runs of whitespace.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn trim_punct(s: &str) -> &str {
    s.trim()
        .trim_end_matches(|c: char| ",.;:!".contains(c))
        .trim()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::parse::{Address, Forwarded};

    pub(super) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Friday 20 November 2026.
    pub(super) fn sent() -> NaiveDate {
        d(2026, 11, 20)
    }

    pub(super) fn catalogue() -> ServiceCatalogue {
        let s = |name: &str, aliases: &[&str]| Service {
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        };
        ServiceCatalogue {
            services: vec![
                s(
                    "Training Effectief Communiceren",
                    &[
                        "effectief communiceren",
                        "communicatietraining",
                        "communicatie training",
                    ],
                ),
                s(
                    "Leertraject Persoonlijk Leiderschap",
                    &["persoonlijk leiderschap", "leiderschapstraject"],
                ),
                s(
                    "Workshop Timemanagement",
                    &["timemanagement", "time management", "tijdmanagement"],
                ),
                s("Coaching", &["coachingstraject", "loopbaancoaching"]),
                s(
                    "Training Omgaan met Agressie",
                    &["omgaan met agressie", "agressietraining"],
                ),
            ],
        }
    }

    pub(super) fn addr(name: Option<&str>, address: &str) -> Address {
        Address {
            name: name.map(str::to_string),
            address: address.into(),
        }
    }

    pub(super) fn msg(text: &str) -> Message {
        Message {
            text: text.into(),
            from: Some(addr(Some("Jan de Vries"), "jan.devries@example.nl")),
            to: vec![addr(Some("Klachten numun"), "klacht@numun.nl")],
            ..Message::default()
        }
    }

    pub(super) fn ex(text: &str) -> Extraction {
        extract(&msg(text), &catalogue(), sent())
    }

    const FORM: &str = "Geachte heer/mevrouw,

Hierbij dien ik een klacht in.

Naam: Petra Jansen
Adres: Kerkstraat 12
Postcode: 1234ab
Woonplaats: Utrecht
Telefoon: 06-12345678
E-mail: petra.jansen@example.com
Training: communicatietraining
Datum voorval: 3 november 2026
Omschrijving: De trainer kwam een uur te laat en had de oefeningen niet voorbereid.
We hebben de helft van de dag niets gedaan.

Met vriendelijke groet,

Petra Jansen
";

    #[test]
    fn labelled_form_in_dutch() {
        let e = ex(FORM);
        let f = &e.fields;
        assert_eq!(f.name.as_deref(), Some("Petra Jansen"));
        assert_eq!(f.address.as_deref(), Some("Kerkstraat 12, 1234 AB Utrecht"));
        assert_eq!(f.phone.as_deref(), Some("06-12345678"));
        assert_eq!(f.email.as_deref(), Some("petra.jansen@example.com"));
        assert_eq!(
            f.service.as_deref(),
            Some("Training Effectief Communiceren")
        );
        assert_eq!(f.incident_date, Some(d(2026, 11, 3)));
        let desc = f.description.as_deref().unwrap();
        assert!(desc.starts_with("De trainer kwam"), "{desc}");
        assert!(desc.ends_with("niets gedaan."), "{desc}");
        assert!(!desc.contains("Petra"), "{desc}");
        assert_eq!(e.category, Some(Category::Delivery));
        assert!(!e.serious);
    }

    #[test]
    fn labelled_form_in_english_with_bullets_and_spaces() {
        let e = ex("Dear Sir or Madam,

* Name : Sarah Johnson
* Address : 14 Baker Street
- Phone : +31 6 1234 5678
- Email : sarah.j@example.org
- Course : Time Management
- Date : November 3, 2026
- Complaint : The venue was changed twice without notice and nobody told us where to go.

Kind regards,
Sarah Johnson
");
        let f = &e.fields;
        assert_eq!(f.name.as_deref(), Some("Sarah Johnson"));
        assert_eq!(f.address.as_deref(), Some("14 Baker Street"));
        assert_eq!(f.phone.as_deref(), Some("+31 6 1234 5678"));
        assert_eq!(f.email.as_deref(), Some("sarah.j@example.org"));
        assert_eq!(f.service.as_deref(), Some("Workshop Timemanagement"));
        assert_eq!(f.incident_date, Some(d(2026, 11, 3)));
        assert!(
            f.description
                .as_deref()
                .unwrap()
                .starts_with("The venue was changed")
        );
        assert_eq!(e.category, Some(Category::Organisation));
    }

    #[test]
    fn forwarded_complaint_reads_the_forwarded_part() {
        let mut m =
            msg("Hoi Fatima, zie hieronder een klacht die bij mij binnenkwam. Groet, Sanne");
        m.from = Some(addr(Some("Sanne Collega"), "sanne@numun.nl"));
        m.forwarded = Some(Forwarded {
            from: Some(addr(Some("Bram Smit"), "bram.smit@example.org")),
            date: None,
            subject: Some("Klacht workshop".into()),
            text: "Beste Sanne,\n\nTijdens de workshop tijdmanagement op 9 november werd ik door de trainer uitgescholden waar iedereen bij was.\n\nGroet,\nBram Smit\n06-87654321\n".into(),
        });
        let e = extract(&m, &catalogue(), sent());
        assert_eq!(e.fields.name.as_deref(), Some("Bram Smit"));
        assert_eq!(e.fields.email.as_deref(), Some("bram.smit@example.org"));
        assert_eq!(e.fields.phone.as_deref(), Some("06-87654321"));
        assert_eq!(e.fields.service.as_deref(), Some("Workshop Timemanagement"));
        assert_eq!(e.fields.incident_date, Some(d(2026, 11, 9)));
        assert_eq!(e.category, Some(Category::Aggression));
        assert!(e.serious);
    }

    #[test]
    fn a_complainant_forwarding_her_own_mail_signs_with_her_details() {
        let forward = |forwarder: &str| {
            let mut m = msg(
                "Hallo,\n\nZie hieronder mijn mail van vorige week, ik kreeg geen antwoord.\n\nLisa Vos\nLindenlaan 8, 3581 KA Utrecht\n06-11223344\n",
            );
            m.from = Some(addr(Some("Lisa Vos"), forwarder));
            m.forwarded = Some(Forwarded {
                from: Some(addr(Some("Lisa Vos"), "lisa.vos@example.nl")),
                date: None,
                subject: Some("Klacht".into()),
                text: "Beste trainer,\n\nTijdens de workshop Timemanagement op 9 november begon u een uur te laat.\n\nLisa\n".into(),
            });
            extract(&m, &catalogue(), sent()).fields
        };
        let own = forward("Lisa.Vos@example.nl");
        assert_eq!(
            own.address.as_deref(),
            Some("Lindenlaan 8, 3581 KA Utrecht")
        );
        assert_eq!(own.phone.as_deref(), Some("06-11223344"));
        // A colleague's forward: her signature is not the complainant's.
        let colleague = forward("collega@numun.nl");
        assert_eq!(colleague.address, None);
        assert_eq!(colleague.phone, None);
    }

    #[test]
    fn web_forms_letter_dates_and_odd_closings() {
        // A web form: the sender is a no-reply address, the form names the complainant.
        let mut m = msg(
            "Naam: Lisa Vermeer\nE-mail: lisa.vermeer@example.nl\nTelefoon: 0612345678\nDienst (training, cursus of workshop): Effectief communiceren\nBericht: De docent was er niet en niemand liet iets weten, we hebben een uur gewacht.",
        );
        m.from = Some(addr(Some("numun website"), "noreply@numun.nl"));
        let e = extract(&m, &catalogue(), sent());
        assert_eq!(e.fields.name.as_deref(), Some("Lisa Vermeer"));
        assert_eq!(e.fields.email.as_deref(), Some("lisa.vermeer@example.nl"));
        assert_eq!(
            e.fields.service.as_deref(),
            Some("Training Effectief Communiceren")
        );
        assert!(
            e.fields
                .description
                .as_deref()
                .unwrap()
                .starts_with("De docent was er niet")
        );
        // Without an address in the form, a no-reply sender is no contact address.
        m.text = "Bericht: De docent was er niet en niemand liet iets weten.".into();
        assert_eq!(extract(&m, &catalogue(), sent()).fields.email, None);
        // "Datum:" with the day of the mail heads a letter: the text says when it happened.
        let e =
            ex("Datum: 20-11-2026\n\nOp 2 november werd de training zonder bericht geannuleerd.");
        assert_eq!(e.fields.incident_date, Some(d(2026, 11, 2)));
        let e =
            ex("Datum: 2-11-2026\n\nDe training werd zonder bericht geannuleerd, op 20 november.");
        assert_eq!(e.fields.incident_date, Some(d(2026, 11, 2)));
        // Closings with more on the line.
        let e = ex(
            "De trainer was onvoorbereid en de lesstof was verouderd.\n\nMet vriendelijke groet / Kind regards,\nFemke Mol\nf.mol@example.nl",
        );
        assert_eq!(e.fields.name.as_deref(), Some("Femke Mol"));
        assert_eq!(e.fields.email.as_deref(), Some("f.mol@example.nl"));
        assert_eq!(
            e.fields.description.as_deref(),
            Some("De trainer was onvoorbereid en de lesstof was verouderd.")
        );
        let e = ex(
            "De trainer was onvoorbereid en de lesstof was verouderd.\n\nMet vriendelijke groet, Femke Mol (06-11112222)",
        );
        assert_eq!(e.fields.name.as_deref(), Some("Femke Mol"));
        assert_eq!(e.fields.phone.as_deref(), Some("06-11112222"));
        let e = ex(
            "De trainer was onvoorbereid en de lesstof was verouderd.\n\nMet vriendelijke groet en alvast bedankt,\nFemke Mol",
        );
        assert_eq!(e.fields.name.as_deref(), Some("Femke Mol"));
        // An address in a sentence, without a postcode.
        let e =
            ex("Ik woon op de Kerkstraat 12 in Utrecht en de training was slecht georganiseerd.");
        assert_eq!(e.fields.address.as_deref(), Some("Kerkstraat 12, Utrecht"));
        // Quoted lines are old mail, never content.
        let e = ex(
            "De trainer was onvoorbereid, dat wil ik melden.\n> Naam: Oud Bericht\n> Telefoon: 06-99999999",
        );
        assert_eq!(e.fields.phone, None);
        assert_eq!(e.fields.name.as_deref(), Some("Jan de Vries"));
    }

    #[test]
    fn a_complaint_in_a_document_klachtd_does_not_read_is_described_there() {
        use crate::intake::parse::Attachment;
        let with = |text: &str, content_type: &str, name: &str| {
            let mut m = msg(text);
            m.attachments.push(Attachment {
                filename: Some(name.into()),
                content_type: content_type.into(),
                size: 40_000,
            });
            extract(&m, &catalogue(), sent()).fields.description
        };
        for (text, content_type, name) in [
            ("Zie bijlage.\n\nWim", "application/pdf", "klacht.pdf"),
            (
                "Please find my complaint attached.\n\nEmily",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "complaint.docx",
            ),
            (
                "Anbei meine Beschwerde.",
                "application/octet-stream",
                "Beschwerde.pdf",
            ),
            (
                "Mijn klacht zit in de bijgevoegde scan.",
                "image/jpeg",
                "scan.jpg",
            ),
        ] {
            let d = with(text, content_type, name).unwrap_or_else(|| panic!("{text}"));
            assert!(d.contains(name), "{d}");
        }
        // A mail that points at nothing, with a logo in its signature: no description.
        assert_eq!(
            with(
                "Hoe kan ik een klacht indienen?",
                "image/png",
                "image001.png"
            ),
            None
        );
        // A mail that describes it itself keeps its own text.
        let d = with("De trainer kwam op 3 november een uur te laat en de oefeningen waren niet voorbereid. Zie ook de bijlage.", "application/pdf", "foto.pdf").unwrap();
        assert!(d.starts_with("De trainer"), "{d}");
    }

    #[test]
    fn a_complaint_in_an_attached_text_is_read_when_the_mail_only_points_at_it() {
        let mut m = msg("Zie bijlage.\n\nWim");
        m.attached_text = "Op 11 november was de workshop timemanagement een chaos: de trainer was onvoorbereid.\n\nNaam: Wim Gerritsen\nTelefoon: 030-2291100\n".into();
        let e = extract(&m, &catalogue(), sent());
        assert_eq!(e.fields.name.as_deref(), Some("Wim Gerritsen"));
        assert_eq!(e.fields.phone.as_deref(), Some("030-2291100"));
        assert_eq!(e.fields.service.as_deref(), Some("Workshop Timemanagement"));
        assert_eq!(e.fields.incident_date, Some(d(2026, 11, 11)));
        assert!(
            e.fields
                .description
                .as_deref()
                .unwrap()
                .contains("onvoorbereid")
        );
        // More than a line, but only about the attachment: the attachment says more.
        let mut m = msg(
            "Anbei sende ich Ihnen meine Beschwerde als Textdatei, da sie etwas länger geworden ist. Für Rückfragen erreichen Sie mich per E-Mail.\n\nJonas",
        );
        m.attached_text = "Jonas Albrecht\nKaiserstraße 112\n52062 Aachen\nTel.: +49 (0)241 4470218\n\nAachen, 19.11.2026\n\nDas letzte Modul am 29. Oktober 2026 war veraltet, das angekündigte Thema Feedback fehlte ganz und die Reader waren kopiert.\n".into();
        let e = extract(&m, &catalogue(), sent());
        assert_eq!(
            e.fields.address.as_deref(),
            Some("Kaiserstraße 112, 52062 Aachen")
        );
        assert_eq!(e.fields.phone.as_deref(), Some("+49 (0)241 4470218"));
        assert_eq!(e.fields.incident_date, Some(d(2026, 10, 29)));
        // A mail that says it all itself keeps its own text; the attachment is extra.
        let mut m = msg(
            "De trainer kwam op 3 november een uur te laat en had de oefeningen niet voorbereid, dat wil ik graag melden.",
        );
        m.attached_text = "1. A. de Boer\n2. B. Smit".into();
        let e = extract(&m, &catalogue(), sent());
        assert!(
            e.fields
                .description
                .as_deref()
                .unwrap()
                .starts_with("De trainer kwam")
        );
        assert_eq!(e.fields.incident_date, Some(d(2026, 11, 3)));
    }

    #[test]
    fn a_table_drawn_with_box_characters_is_read_as_a_form() {
        let e = ex(
            "Op 17 november was de workshop timemanagement een chaos, de trainer was er niet.

┌──────────┬──────────────────┐
│ Naam     │ Monique Willems  │
├──────────┼──────────────────┤
│ Adres    │ Marktstraat 4    │
│ Postcode │ 7511 GE Enschede │
│ Telefoon │ 053-4301122      │
└──────────┴──────────────────┘
",
        );
        assert_eq!(e.fields.name.as_deref(), Some("Monique Willems"));
        assert_eq!(
            e.fields.address.as_deref(),
            Some("Marktstraat 4, 7511 GE Enschede")
        );
        assert_eq!(e.fields.phone.as_deref(), Some("053-4301122"));
        let d = e.fields.description.unwrap();
        assert!(!d.contains('│') && !d.contains("Marktstraat"), "{d}");
        assert_eq!(unbox("┌─┐\n│ a │ b │ c │"), "a b c\n");
    }

    #[test]
    fn nothing_panics_on_odd_input() {
        let digits = "0123456789".repeat(10_000);
        let dashes = "06-".repeat(30_000);
        let emoji =
            "😀 Klacht 💥 06-12345678 🎉 op 3 november 😡\nMet vriendelijke groet,\n👤 Jan 👤"
                .to_string();
        let mixed = "Имя: Иван Петров\nالاسم: محمد\n名前: 山田太郎\nTelefoon: ٠٦١٢٣٤٥٦٧٨\nDatum: 31-02-2026\nAdres: İstanbul Cd. 5, 1234 ĞÜ İzmir".to_string();
        let odd = [
            String::new(),
            " \n\t\r\n   ".into(),
            digits,
            dashes,
            emoji,
            mixed,
            "Naam:".into(),
            "Naam:\n".into(),
            "Omschrijving:".into(),
            "Adres:\n\n".into(),
            "+".into(),
            "+31".into(),
            "0031".into(),
            "(0".into(),
            "é0612345678é".into(),
            "31/12/99999 0/0 00-00-0000 2026-13-45 99 december 0 mei".into(),
            "Groet,".into(),
            "--\n--\n--".into(),
            "x@y".into(),
            "a@b.c".into(),
            "\u{0}\u{1}\u{7f}\u{feff}".into(),
            "e\u{301}\u{301}\u{301} gi\u{308}ntimideerd".into(),
            "vorige week zondag gisteren eergisteren vandaag afgelopen maandag 3".into(),
            "Van: a\nAan: b\nDatum: c\nOnderwerp: d".into(),
            "training 'abc".into(),
            "de training \u{201c}".into(),
        ];
        for text in &odd {
            let e = ex(text);
            let _ = format!("{e:?}");
            let mut m = msg(text);
            m.from = None;
            m.subject = text.clone();
            m.forwarded = Some(Forwarded {
                from: None,
                date: None,
                subject: Some(text.clone()),
                text: text.clone(),
            });
            let _ = extract(&m, &catalogue(), sent());
            let _ = extract(&m, &ServiceCatalogue::default(), NaiveDate::MIN);
            let _ = extract(&m, &catalogue(), NaiveDate::MAX);
        }
    }

    #[test]
    fn long_texts_are_read_up_to_a_limit() {
        assert_eq!(head("abc", 10), "abc");
        assert_eq!(head("ééééé", 3), "é");
        let text = format!("{}\n{}", "a".repeat(40), "b".repeat(40));
        assert_eq!(head(&text, 60), "a".repeat(40));
        // A complaint followed by a megabyte of pasted junk keeps its fields.
        let text = format!("{FORM}\n{}", "x".repeat(1 << 20));
        let e = ex(&text);
        assert_eq!(e.fields.name.as_deref(), Some("Petra Jansen"));
        assert_eq!(e.fields.phone.as_deref(), Some("06-12345678"));
    }

    #[test]
    fn a_very_long_complaint_is_read() {
        // Its speed is measured by `klachtd bench`; here only that it is read at all.
        let text = format!(
            "{FORM}\n{}",
            "De trainer was te laat en het lokaal te klein. ".repeat(2_000)
        );
        assert!(ex(&text).fields.description.is_some());
    }
}
