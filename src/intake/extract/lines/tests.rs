use crate::domain::Category;
use crate::intake::extract::tests::ex;

#[test]
fn labels_with_the_value_on_the_next_line() {
    let e = ex("Naam:
Karel van der Berg

Telefoonnummer:
020 - 123 45 67

Woonadres:
Laan van Meerdervoort 120-2
2517 AK Den Haag

Klacht:
Het lokaal was veel te klein voor twintig deelnemers en er was geen koffie.
");
    let f = &e.fields;
    assert_eq!(f.name.as_deref(), Some("Karel van der Berg"));
    assert_eq!(f.phone.as_deref(), Some("020 - 123 45 67"));
    assert_eq!(
        f.address.as_deref(),
        Some("Laan van Meerdervoort 120-2, 2517 AK Den Haag")
    );
    assert!(f.description.as_deref().unwrap().starts_with("Het lokaal"));
    assert_eq!(e.category, Some(Category::Organisation));
}

#[test]
fn label_spellings() {
    let cases = [
        ("Tel.: 0612345678", "0612345678"),
        ("Tel: 010 1234567", "010 1234567"),
        ("Mob.: 06 1234 5678", "06 1234 5678"),
        ("Mobiel: 06-12345678", "06-12345678"),
        ("GSM: 0499-123456", "0499-123456"),
        ("Telefoon : 020-1234567 (na 17 uur)", "020-1234567"),
        ("**Telefoon:** 06 12345678", "06 12345678"),
    ];
    for (line, want) in cases {
        assert_eq!(ex(line).fields.phone.as_deref(), Some(want), "{line}");
    }
    let e = ex("Naam: Dhr. P. (Pieter) van den Heuvel");
    assert_eq!(e.fields.name.as_deref(), Some("P. van den Heuvel"));
    let e = ex(
        "Volledige naam: Anna de Wit\nE-mailadres: anna@wit.nl\nCursus: Persoonlijk leiderschap",
    );
    assert_eq!(e.fields.name.as_deref(), Some("Anna de Wit"));
    assert_eq!(e.fields.email.as_deref(), Some("anna@wit.nl"));
    assert_eq!(
        e.fields.service.as_deref(),
        Some("Leertraject Persoonlijk Leiderschap")
    );
    let e = ex(
        "Voornaam: Anna\nTussenvoegsel: de\nAchternaam: Wit\nPostcode en woonplaats: 9712cp Groningen\nAdres: Vismarkt 1",
    );
    assert_eq!(e.fields.name.as_deref(), Some("Anna de Wit"));
    assert_eq!(
        e.fields.address.as_deref(),
        Some("Vismarkt 1, 9712 CP Groningen")
    );
    // A labelled service that is not in the catalogue is kept as written.
    let e = ex("Dienst: Workshop Presenteren, op 3 november");
    assert_eq!(e.fields.service.as_deref(), Some("Workshop Presenteren"));
    // Empty form fields are absent.
    let e = ex("Naam: \nTelefoon: n.v.t.\nAdres: [uw adres]\nE-mail: -\n");
    assert_eq!(e.fields.name.as_deref(), Some("Jan de Vries"));
    assert_eq!(e.fields.phone, None);
    assert_eq!(e.fields.address, None);
    assert_eq!(e.fields.email.as_deref(), Some("jan.devries@example.nl"));
}

#[test]
fn signature_after_each_closing() {
    for closing in [
        "Met vriendelijke groet,",
        "Met vriendelijke groeten,",
        "Vriendelijke groet",
        "Groet,",
        "Groeten,",
        "Hartelijke groet,",
        "Mvg,",
        "M.v.g.",
        "Met hartelijke groet,",
        "Kind regards,",
        "Best regards,",
        "Regards,",
        "Groetjes,",
        "--",
    ] {
        let text = format!(
            "Beste,\n\nDe training was slecht georganiseerd en de locatie was onvindbaar.\n\n{closing}\nMarieke el Amrani\nStationsweg 4\n3811 AB  Amersfoort\n06 1234 5678\nmarieke@example.com\n"
        );
        let e = ex(&text);
        let f = &e.fields;
        assert_eq!(f.name.as_deref(), Some("Marieke el Amrani"), "{closing}");
        assert_eq!(
            f.address.as_deref(),
            Some("Stationsweg 4, 3811 AB Amersfoort"),
            "{closing}"
        );
        assert_eq!(f.phone.as_deref(), Some("06 1234 5678"), "{closing}");
        assert_eq!(f.email.as_deref(), Some("marieke@example.com"), "{closing}");
        assert_eq!(
            f.description.as_deref(),
            Some("De training was slecht georganiseerd en de locatie was onvindbaar."),
            "{closing}"
        );
    }
}

#[test]
fn name_on_the_closing_line_and_trailing_block_without_closing() {
    let e = ex("Het materiaal was verouderd en klopte niet met de website.\n\nGroet, Kees Visser");
    assert_eq!(e.fields.name.as_deref(), Some("Kees Visser"));
    assert_eq!(e.category, Some(Category::Content));
    let e = ex(
        "Het materiaal was verouderd en klopte niet met de website.\n\nKees Visser\nVan Goghlaan 3a\n5611 XX Eindhoven\ntel 040-1234567",
    );
    assert_eq!(e.fields.name.as_deref(), Some("Kees Visser"));
    assert_eq!(
        e.fields.address.as_deref(),
        Some("Van Goghlaan 3a, 5611 XX Eindhoven")
    );
    assert_eq!(e.fields.phone.as_deref(), Some("040-1234567"));
    assert_eq!(
        e.fields.description.as_deref(),
        Some("Het materiaal was verouderd en klopte niet met de website.")
    );
    let e = ex(
        "Er ging van alles mis met mijn inschrijving.\n\nMvg,\nJan\nPostbus 55\n1000 AB Amsterdam",
    );
    assert_eq!(
        e.fields.address.as_deref(),
        Some("Postbus 55, 1000 AB Amsterdam")
    );
    // A first name in the signature: the sender's display name is fuller.
    assert_eq!(e.fields.name.as_deref(), Some("Jan de Vries"));
}

#[test]
fn details_introduced_before_the_closing_are_no_description() {
    for (text, lacks) in [
        (
            "Hi,\n\nThe trainer never showed up on Monday.\n\nMy details for your records:\nAmy Clarke\n14 Keizersgracht, 1015 CS Amsterdam\n\nRegards,\nAmy",
            "Keizersgracht",
        ),
        (
            "Hallo,\n\nDe coach kwam drie keer niet opdagen.\n\nMijn gegevens: Els Vos, Markt 3, 5611 EB Eindhoven, telefoon 040-2123456.\n\nGroet,\nEls Vos",
            "040-2123456",
        ),
        (
            "Guten Tag,\n\nDas Seminar wurde ohne Nachricht abgesagt.\n\nMeine Daten: Lena Wolf, Ringstraße 9, 50667 Köln\n\nGruß\nLena Wolf",
            "Ringstraße",
        ),
    ] {
        let d = ex(text).fields.description.expect(text);
        assert!(!d.contains(lacks), "{d}");
    }
    // Details told in a sentence of the complaint stay.
    let d = ex("Hallo,\n\nMijn gegevens: die zijn bij de inschrijving kwijtgeraakt, daardoor kreeg ik geen uitnodiging voor dag 2.\n\nGroet,\nPiet")
        .fields
        .description
        .unwrap();
    assert!(d.contains("kwijtgeraakt"), "{d}");
}

#[test]
fn framed_form_markers_are_no_text() {
    let e = ex(
        "Hallo,\n\nDe trainer was er niet.\n\n----- formulier -----\nTelefoonnummer: 06-12345678\n----- einde formulier -----\n\nGroet,\nJan",
    );
    assert_eq!(
        e.fields.description.as_deref(),
        Some("De trainer was er niet.")
    );
}

#[test]
fn description_excludes_greeting_labels_and_signature() {
    let e = ex(
        "Hallo,\n\nNaam: Jan de Vries\n\nIk wil klagen over de inhoud van de training.\n\nDe lesstof was verouderd.\n\nGroeten,\nJan de Vries\n06-12345678",
    );
    assert_eq!(
        e.fields.description.as_deref(),
        Some("Ik wil klagen over de inhoud van de training.\n\nDe lesstof was verouderd.")
    );
    // What follows the greeting on its line is content...
    let e = ex("Hallo, de training van vorige week begon twee uur te laat zonder bericht.");
    assert_eq!(
        e.fields.description.as_deref(),
        Some("de training van vorige week begon twee uur te laat zonder bericht.")
    );
    // ...but a complaint only announced describes nothing (issue 12).
    let e = ex("Hallo, ik wil graag een klacht indienen over de training van vorige week.");
    assert_eq!(e.fields.description, None);
    assert_eq!(
        ex("Beste,\n\nZie bijlage.\n\nGroet,\nJan")
            .fields
            .description,
        None
    );
    assert_eq!(ex("").fields.description, None);
}

#[test]
fn contact_blocks_and_foreign_sign_offs_stay_out_of_the_description() {
    let e = ex(
        "De coach is drie keer niet komen opdagen, steeds zonder bericht.\n\nMijn gegevens:\nLinda Jacobs\nBerkenlaan 21\n5612 AB Eindhoven\n06 38 29 10 47\n\nIk hoor graag van u.",
    );
    let d = e.fields.description.unwrap();
    assert!(
        !d.contains("Berkenlaan") && !d.contains("06 38") && !d.contains("Linda"),
        "{d}"
    );
    assert_eq!(
        e.fields.address.as_deref(),
        Some("Berkenlaan 21, 5612 AB Eindhoven")
    );
    for closing in [
        "Viele Grüße",
        "Mit freundlichen Grüßen",
        "Liebe Grüße",
        "Best wishes,",
        "All the best,",
        "Liefs,",
        "Take care,",
    ] {
        let e = ex(&format!(
            "Mein Termin am 11. November wurde eine Stunde vorher abgesagt, zum dritten Mal.\n\n{closing}\nSabine Hoffmann\nTel. 0049 211 5566778"
        ));
        let d = e.fields.description.unwrap();
        assert!(
            !d.contains("Sabine") && !d.contains("0049"),
            "{closing}: {d}"
        );
        assert_eq!(
            e.fields.phone.as_deref(),
            Some("0049 211 5566778"),
            "{closing}"
        );
    }
}

#[test]
fn legal_footers_and_signatures_after_them_stay_out_of_the_description() {
    let body = "De trainer kwam op 4 november een uur te laat en de oefeningen zijn overgeslagen.";
    for footer in [
        "Dit e-mailbericht is uitsluitend bestemd voor de geadresseerde. Indien u dit bericht onterecht ontvangt, wordt u verzocht het te verwijderen en de afzender te informeren. Wij aanvaarden geen aansprakelijkheid voor schade.",
        "Aan dit bericht kunnen geen rechten worden ontleend. Dit bericht kan vertrouwelijke informatie bevatten en is alleen bedoeld voor de geadresseerde; gebruik door anderen is niet toegestaan.",
        "This e-mail and any attachments are confidential and intended solely for the addressee. If you have received it in error, please notify the sender and delete it. Fenwick Ltd is registered in England and Wales, no. 01234567.",
        "Nordbau GmbH | Sitz: Köln | Amtsgericht Köln HRB 12345 | Geschäftsführer: Peter Lang, Eva Roth",
        "Diese E-Mail enthält vertrauliche Informationen. Wenn Sie nicht der richtige Adressat sind, informieren Sie bitte sofort den Absender und löschen Sie diese E-Mail.",
        // a disclaimer with the company's terms, in one long line
        "*** Dit bericht kan vertrouwelijke informatie bevatten. Bent u niet de beoogde ontvanger, verwijder het dan en informeer de afzender. Op al onze diensten zijn de Algemene Transportvoorwaarden van toepassing. ***",
        "Op al onze offertes en overeenkomsten zijn de Algemene Voorwaarden Bouw van toepassing, gedeponeerd bij de KvK onder nummer 12345678 en te vinden op onze website, die wij u op verzoek kosteloos toezenden.",
        "Our general terms and conditions apply to all our services; they are available on request from our office at no cost to you, in English and in Dutch.",
    ] {
        let e = ex(&format!(
            "{body}\n\nMet vriendelijke groet,\n\nKees Brandsma\nTeamleider Planning\nT 050 311 22 09\n\n{footer}"
        ));
        let d = e.fields.description.unwrap();
        assert_eq!(d, body, "{footer}");
        assert_eq!(e.fields.phone.as_deref(), Some("050 311 22 09"), "{footer}");
    }
    // A degree before the signed name is no part of the name.
    for signed in [
        "drs. Annelies Bakker",
        "Dr Annelies Bakker",
        "ir. Annelies Bakker",
    ] {
        let e = ex(&format!(
            "{body}\n\nMet vriendelijke groet,\n\n{signed}\nHR-adviseur"
        ));
        assert_eq!(
            e.fields.name.as_deref(),
            Some("Annelies Bakker"),
            "{signed}"
        );
    }
    // The same words about an invoice are a complaint.
    let e = ex(
        "Het is niet netjes als u onterecht een factuur stuurt en daarna dreigt met een incassobureau.\n\nGroet,\nKees",
    );
    assert!(e.fields.description.unwrap().contains("incassobureau"));
    // A complainant quoting such a clause is describing the complaint.
    let quoted = "In uw voorwaarden staat dat numun geen aansprakelijkheid aanvaardt, maar mijn laptop is in uw lokaal gestolen en volgens mij aanvaardt numun geen aansprakelijkheid ten onrechte.";
    let e = ex(&format!("{quoted}\n\nGroet,\nKees"));
    assert!(e.fields.description.unwrap().contains("laptop"));
}

#[test]
fn a_name_signed_above_the_dashes_is_part_of_the_signature() {
    for closing in ["Thanks in advance!", "Groeten,", "Best,"] {
        let e = ex(&format!(
            "The coach cancelled our last two sessions an hour before, without any reason.\n\n{closing}\n\nMarta\n\n--\nMarta Kowalska\nKowalska Consulting\n+31 6 4455 6677"
        ));
        assert_eq!(
            e.fields.description.as_deref(),
            Some("The coach cancelled our last two sessions an hour before, without any reason."),
            "{closing}"
        );
        assert_eq!(
            e.fields.phone.as_deref(),
            Some("+31 6 4455 6677"),
            "{closing}"
        );
    }
    // Without a closing above it, the line before the dashes is the text's.
    let e = ex("De coach heeft drie sessies afgezegd.\n\nMarta\n\n--\nMarta Kowalska");
    assert!(e.fields.description.unwrap().contains("Marta"));
}

#[test]
fn german_sign_offs_and_a_signature_paragraph_of_short_lines() {
    for closing in [
        "Mit freundlichen Grüßen",
        "Mit freundlichen Grüssen",
        "Grüße",
        "Freundliche Grüsse",
    ] {
        let e = ex(&format!(
            "Sehr geehrte Damen und Herren,\n\ndas Seminar am 3. November begann zwei Stunden zu spät.\n\n{closing}\n\nDr. Jana Krüger\nAm Markt 4\n47533 Kleve"
        ));
        assert_eq!(
            e.fields.description.as_deref(),
            Some("das Seminar am 3. November begann zwei Stunden zu spät."),
            "{closing}"
        );
    }
    // Without a closing: a name, a street written number first, postcode, phone.
    let e = ex(
        "The workshop of 9 November was cancelled an hour before it started.\n\nOliver Grant\n12-III Van Woustraat\n1073 LN Amsterdam\n+31 6 1122 3344",
    );
    assert_eq!(
        e.fields.description.as_deref(),
        Some("The workshop of 9 November was cancelled an hour before it started.")
    );
    // A last sentence written without a full stop stays in.
    let e = ex(
        "De trainer was er niet en niemand heeft ons gebeld\nPiet Hein\n3511 AB Utrecht\n06 12345678",
    );
    assert!(
        e.fields
            .description
            .unwrap()
            .contains("niemand heeft ons gebeld")
    );
}

#[test]
fn address_lines_with_a_label_or_the_postcode_first_stay_out_of_the_description() {
    for text in [
        "De coaching van dinsdag ging niet door en niemand liet iets weten.\n\nSem Willemsen\nwoonadres Dorpsstraat 4 6666 AB Heteren\nmobiel 06 30 58 12 77",
        "De coaching van dinsdag ging niet door en niemand liet iets weten.\n\nIlse Kamp\n8021 CK Zwolle, Assendorperstraat 88a\n06 55 21 70 34",
        "De coaching van dinsdag ging niet door en niemand liet iets weten.\nadres Hogeweg 211, 3815 CH Amersfoort",
    ] {
        let d = ex(text).fields.description.unwrap();
        assert_eq!(
            d, "De coaching van dinsdag ging niet door en niemand liet iets weten.",
            "{text}"
        );
    }
    // A sentence about an address is no address line.
    let d = ex("Het adres klopte niet en de zaal was dicht, de training ging niet door.")
        .fields
        .description
        .unwrap();
    assert!(d.starts_with("Het adres klopte niet"), "{d}");
}

#[test]
fn a_footer_after_dashes_under_a_signed_closing() {
    let e = ex(
        "Der Trainer hat nur Folien vorgelesen.\n\nViele Grüße\nHeike Lorenz\nRheinallee 7, 40545 Düsseldorf\n+49 (0)211 98 76 543\n\n--\nDiese Nachricht wurde von meinem Posteo-Postfach gesendet.",
    );
    assert_eq!(
        e.fields.description.as_deref(),
        Some("Der Trainer hat nur Folien vorgelesen.")
    );
    assert_eq!(e.fields.name.as_deref(), Some("Heike Lorenz"));
    // A "--" after a long text is still the signature's start when no closing is above.
    let e =
        ex("De trainer was te laat en onvoorbereid, de hele dag.\n--\nJan de Vries\n06-12345678");
    assert_eq!(
        e.fields.description.as_deref(),
        Some("De trainer was te laat en onvoorbereid, de hele dag.")
    );
}

#[test]
fn a_sentence_on_how_to_reach_her_at_the_end_is_no_description() {
    for (text, phone) in [
        (
            "Op 14 oktober kwam de trainer twee uur te laat en de oefeningen ontbraken.\n\nIk ben bereikbaar op 06-18273645, liefst na 17.00 uur.\n\nGroet,\nSanne",
            "06-18273645",
        ),
        (
            "De zaal was op 3 november dubbel geboekt en we stonden een uur op de gang. U kunt mij bellen op 06-12345678, het liefst 's avonds.",
            "06-12345678",
        ),
        (
            "The trainer cancelled the session on 4 November with ten minutes' notice.\n\nYou can reach me on +44 7700 900418 after 5pm. I look forward to hearing from you.",
            "+44 7700 900418",
        ),
        (
            "Der Trainer kam am 5. November eine Stunde zu spät und ging früher.\nTelefonisch bin ich unter 0211 4455667 erreichbar.",
            "0211 4455667",
        ),
        (
            "Het examen op 2 november werd zonder uitleg afgekeurd. Voor vragen ben ik bereikbaar op 0612345678.",
            "0612345678",
        ),
        (
            "Op 3 november kwam de trainer te laat en de zaal was koud.\n\nMocht u vragen hebben, dan ben ik bereikbaar op 06-12345678.",
            "06-12345678",
        ),
        (
            "Op 3 november kwam de trainer te laat en de zaal was koud. Bel gerust: 06-12345678.",
            "06-12345678",
        ),
        (
            "On 3 November the trainer was late and the room was cold. My mobile is +44 7700 900123.",
            "+44 7700 900123",
        ),
        (
            "Am 3. November kam der Trainer zu spät. Sie erreichen mich unter +49 211 123456.",
            "+49 211 123456",
        ),
    ] {
        let e = ex(text);
        let description = e.fields.description.unwrap_or_default();
        assert!(!description.is_empty(), "{text}");
        assert!(!description.contains(phone), "{description}");
        assert!(
            !["bereikbaar", "bellen", "reach me", "erreichbar"]
                .iter()
                .any(|w| description.contains(w)),
            "{description}"
        );
        assert!(
            e.fields.phone.is_some_and(|p| p.contains(&phone[..4])),
            "{text}"
        );
    }
    // A number someone else called her on is a fact of the complaint.
    let e = ex(
        "De trainer bleef mij bellen op 06-12345678, ook na tien uur 's avonds. Ik wil dat dit stopt.",
    );
    assert!(e.fields.description.unwrap().contains("bleef mij bellen"));
    // Reachable, told as a fact, stays.
    for text in [
        "Op 4 november was de zaal dicht. Ik ben de hele dag bereikbaar geweest, maar niemand belde terug.",
        "Op 4 november was de zaal dicht.\n\nIk ben bereikbaar op 06-12345678 maar niemand van jullie heeft gebeld.",
    ] {
        assert!(
            ex(text).fields.description.unwrap().contains("niemand"),
            "{text}"
        );
    }
    // Reachable in the middle of the facts stays where it is.
    let e = ex(
        "Ik was die dag niet bereikbaar omdat de trainer mijn telefoon had ingenomen. Daarna kwam hij niet meer terug.",
    );
    assert!(e.fields.description.unwrap().contains("niet bereikbaar"));
}

#[test]
fn a_last_reach_sentence_with_a_preference_and_a_phone_footer_are_no_description() {
    for text in [
        "Op 28 oktober legde de trainer twee keer zijn hand op mijn knie. Ik heb een screenshot van zijn bericht bewaard.\n\nU kunt mij mailen, of bellen op 06-51 73 20 96, maar ik heb liever eerst mail.\n\nIris\n\nVerstuurd vanaf mijn iPhone",
        "On 3 November the trainer shouted at me in front of the group.\n\nYou can call me on 06 12 34 56 78, but I prefer email.\n\nSent from my iPhone",
        "Am 3. November hat mich der Trainer vor der Gruppe angeschrien.\n\nSie können mich unter 0171 234 56 78 erreichen, aber lieber per Mail.\n\nVon meinem iPhone gesendet",
    ] {
        let d = ex(text).fields.description.unwrap();
        for lack in [
            "06-51", "06 12", "0171", "iPhone", "liever", "prefer", "lieber",
        ] {
            assert!(!d.contains(lack), "{lack} in {d}");
        }
    }
    // A reach sentence that goes on to tell a fact is kept.
    let d = ex("Op 3 november viel de les uit. U kunt mij bellen op 06 12 34 56 78, maar niemand belde mij terug toen ik dat vroeg.")
        .fields
        .description
        .unwrap();
    assert!(d.contains("niemand belde"), "{d}");
}
