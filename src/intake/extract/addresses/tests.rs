use super::*;
use crate::intake::extract::tests::ex;

#[test]
fn postcodes_normalised() {
    assert_eq!(
        normalise_postcodes("Kerkstraat 12, 1234ab Utrecht"),
        "Kerkstraat 12, 1234 AB Utrecht"
    );
    assert_eq!(normalise_postcodes("1234  AB"), "1234 AB");
    let e = ex("Ik woon aan de Kerkstraat 12, 1234AB Utrecht en ik wil klagen over de planning.");
    assert_eq!(
        e.fields.address.as_deref(),
        Some("Kerkstraat 12, 1234 AB Utrecht")
    );
}

#[test]
fn belgian_german_english_and_floor_suffixed_addresses() {
    let sig = |lines: &str| {
        ex(&format!(
            "De training werd zonder bericht geannuleerd.\n\nGroeten,\nAn Peeters\n{lines}"
        ))
        .fields
        .address
    };
    assert_eq!(
        sig("Meir 24\n2000 Antwerpen\nBelgië").as_deref(),
        Some("Meir 24, 2000 Antwerpen, België")
    );
    assert_eq!(
        sig("Kerkstraat 17 bus 2\n2000 Antwerpen").as_deref(),
        Some("Kerkstraat 17 bus 2, 2000 Antwerpen")
    );
    assert_eq!(
        sig("Stationsstraat 4-bis\n9000 Gent").as_deref(),
        Some("Stationsstraat 4-bis, 9000 Gent")
    );
    assert_eq!(
        sig("Bahnhofstraße 5a\n47533 Kleve\nDeutschland").as_deref(),
        Some("Bahnhofstraße 5a, 47533 Kleve, Deutschland")
    );
    assert_eq!(
        sig("Goethestraße 19, 50858 Köln").as_deref(),
        Some("Goethestraße 19, 50858 Köln")
    );
    assert_eq!(
        sig("Admiraal de Ruijterweg 112-III\n1056 GL Amsterdam").as_deref(),
        Some("Admiraal de Ruijterweg 112-III, 1056 GL Amsterdam")
    );
    assert_eq!(
        sig("Kinkerstraat 12 hs\n1053 DX Amsterdam").as_deref(),
        Some("Kinkerstraat 12 hs, 1053 DX Amsterdam")
    );
    assert_eq!(
        sig("Flat 2, 18 Prinsengracht\n1015 DV Amsterdam").as_deref(),
        Some("Flat 2, 18 Prinsengracht, 1015 DV Amsterdam")
    );
    // A postcode in parentheses after the town, in a sentence.
    let e = ex("Ik woon in Zwolle (8011 AB), Kerkstraat 3, en de coach kwam niet opdagen.");
    assert_eq!(
        e.fields.address.as_deref(),
        Some("Kerkstraat 3, 8011 AB Zwolle")
    );
    // Typed on a phone, all in lower case.
    let e = ex(
        "trainer zat op zn telefoon.\n\ntim bosman, hoofdweg 12, 9611 AA sappemeer, 0598-123456",
    );
    assert_eq!(
        e.fields.address.as_deref(),
        Some("hoofdweg 12, 9611 AA sappemeer")
    );
    // Four or five digits and a word in prose are no address.
    let e = ex("In 2026 Utrecht bezocht, de training was slecht.\nEr waren 12000 Euro kosten.");
    assert_eq!(e.fields.address, None);
}

#[test]
fn a_street_then_in_and_the_postcode() {
    for (text, want) in [
        (
            "Ik woon op de Kastanjelaan 8 in 5616 LZ Eindhoven. De training was slecht.",
            "Kastanjelaan 8, 5616 LZ Eindhoven",
        ),
        (
            "Mijn adres is Dorpsstraat 12a te 1741 AB Schagen en de cursus ging niet door.",
            "Dorpsstraat 12a, 1741 AB Schagen",
        ),
        (
            "Ik woon aan de Lindenlaan 3 in Utrecht en de training was slecht.",
            "Lindenlaan 3, Utrecht",
        ),
        (
            "De cursus ging niet door.\n\nRegards,\nAnna\n14 Willemsparkweg, 1071 HE Amsterdam",
            "Willemsparkweg 14, 1071 HE Amsterdam",
        ),
    ] {
        assert_eq!(ex(text).fields.address.as_deref(), Some(want), "{text}");
    }
}

#[test]
fn british_streets_with_more_words_and_table_cells() {
    let sig = |lines: &str| {
        ex(&format!(
            "The room was double booked and we waited an hour.\n\nBest wishes,\nTom Reed\n{lines}"
        ))
        .fields
        .address
    };
    for (lines, want) in [
        (
            "14 Harbour Road\nBristol BS1 5TY\nUnited Kingdom",
            "14 Harbour Road, Bristol BS1 5TY",
        ),
        (
            "Flat 3, 9 Kings Avenue\nLondon SW4 8DN",
            "Flat 3, 9 Kings Avenue, London SW4 8DN",
        ),
        (
            "52 Oak Street, Manchester M1 2AB",
            "52 Oak Street, Manchester M1 2AB",
        ),
        (
            "Bos en Lommerplein 7-II\n1055 EK Amsterdam",
            "Bos en Lommerplein 7-II, 1055 EK Amsterdam",
        ),
        (
            "Jan van Galenstraat 3\n1051 KM Amsterdam",
            "Jan van Galenstraat 3, 1051 KM Amsterdam",
        ),
    ] {
        assert_eq!(sig(lines).as_deref(), Some(want), "{lines}");
    }
    // A signature drawn as a table: the street and the town in two cells of a row.
    for (table, want) in [
        (
            "│Havenweg 8│3311 AA Dordrecht│",
            "Havenweg 8, 3311 AA Dordrecht",
        ),
        (
            "┃ Markt 1 ┃ 5611 EB Eindhoven ┃",
            "Markt 1, 5611 EB Eindhoven",
        ),
    ] {
        let text =
            format!("De cursus werd verplaatst zonder bericht.\n\nGroet,\nIlse Maas\n{table}\n");
        assert_eq!(ex(&text).fields.address.as_deref(), Some(want), "{table}");
    }
    // ... while a label and its value in two cells stay a label and its value.
    let text = "De cursus werd verplaatst.\n│ Adres │ Havenweg 8, 3311 AA Dordrecht │\n";
    assert_eq!(
        ex(text).fields.address.as_deref(),
        Some("Havenweg 8, 3311 AA Dordrecht")
    );
}

#[test]
fn belgian_and_german_addresses_in_a_sentence() {
    for (text, want) in [
        (
            "Ik woon in de Turnhoutsebaan 210 te 2140 Borgerhout. De trainer was grof.",
            "Turnhoutsebaan 210, 2140 Borgerhout",
        ),
        (
            "My address for your records is Kortrijksesteenweg 231, 9000 Gent.",
            "Kortrijksesteenweg 231, 9000 Gent",
        ),
        (
            "Mijn nieuwe adres is Lange Nieuwstraat 8, 2000 Antwerpen.",
            "Lange Nieuwstraat 8, 2000 Antwerpen",
        ),
        // A cue, and a street without a street's word.
        (
            "De sessie ging niet door. Mijn adres is Meir 24, 2000 Antwerpen.",
            "Meir 24, 2000 Antwerpen",
        ),
        (
            "Ich wohne in der Goethestraße 8, 47533 Kleve und war sehr enttäuscht.",
            "Goethestraße 8, 47533 Kleve",
        ),
    ] {
        assert_eq!(ex(text).fields.address.as_deref(), Some(want), "{text}");
    }
    // Four digits after a capitalised word and a number are a year or an amount
    // unless the word reads as a street or a cue announces it.
    for text in [
        "Wij kregen Module 3, 2026 Nieuwe Stijl toegestuurd en dat klopte niet.",
        "Het ging om Groep 2 in 2026 Utrecht, de training was slecht.",
    ] {
        assert_eq!(ex(text).fields.address, None, "{text}");
    }
}

#[test]
fn a_postcode_named_after_the_town() {
    for (text, want) in [
        (
            "Ik woon aan de Dorpsstraat 23a te Bunnik, postcode 3981 CA, bel gerust.",
            "Dorpsstraat 23a, 3981 CA Bunnik",
        ),
        (
            "Mijn adres is Brink 4 in Epe (postcode 8161AB) en de zaal was te klein.",
            "Brink 4, 8161 AB Epe",
        ),
        (
            "I live at Molenweg 9 in Harderwijk, postal code 3841 KL. The trainer left early.",
            "Molenweg 9, 3841 KL Harderwijk",
        ),
        (
            "Ik woon in de Kerkstraat 5 te Lier, met postcode 2500. De sessie viel uit.",
            "Kerkstraat 5, 2500 Lier",
        ),
        (
            "De cursus ging niet door.\n\nGroet,\nEls Wit\nLaan 3, postcode 1234 AB Ede\n",
            "Laan 3, 1234 AB Ede",
        ),
    ] {
        assert_eq!(ex(text).fields.address.as_deref(), Some(want), "{text}");
    }
}

#[test]
fn the_address_she_asks_for_beats_the_office_of_her_signature() {
    let office = "\n\nMet vriendelijke groet,\nNoor Bakker\nAdviseur\nGemeente Zeist\nStationsplein 4\n3701 AB Zeist\n";
    for (own, want) in [
        (
            "Post graag naar mijn huisadres: Vondellaan 51, 3521 GE Utrecht.",
            "Vondellaan 51, 3521 GE Utrecht",
        ),
        (
            "Mijn privéadres is Kerkweg 8, 3705 LA Zeist; daar wil ik uw brief.",
            "Kerkweg 8, 3705 LA Zeist",
        ),
        (
            "Please send letters to my home address:\nHoofdstraat 2\n3972 LA Driebergen",
            "Hoofdstraat 2, 3972 LA Driebergen",
        ),
        (
            "Mijn huisadres is Burg. de Withstraat 9, 4331 KH Middelburg. Stuur het daarheen.",
            "Burg. de Withstraat 9, 4331 KH Middelburg",
        ),
        // The same street in the signature, with its postcode: the fuller one.
        (
            "Ik woon aan de Stationsplein 4 in Zeist.",
            "Stationsplein 4, 3701 AB Zeist",
        ),
    ] {
        let text = format!("De trainer was grof tegen mij. {own}{office}");
        assert_eq!(ex(&text).fields.address.as_deref(), Some(want), "{own}");
    }
    // No address of her own in the text: the signature's; nor is the venue in the
    // sentence after she says where she lives.
    let text = format!("De trainer was grof tegen mij.{office}");
    assert_eq!(
        ex(&text).fields.address.as_deref(),
        Some("Stationsplein 4, 3701 AB Zeist")
    );
    let text = format!(
        "Ik woon zelf in Ede. De training was aan de Markt 3, 6711 AA Ede, en de trainer was grof.{office}"
    );
    assert_eq!(
        ex(&text).fields.address.as_deref(),
        Some("Stationsplein 4, 3701 AB Zeist")
    );
}

#[test]
fn the_english_order_a_bar_and_a_postcode_in_brackets() {
    for (text, want) in [
        (
            "My postal address is 41 Van Baerlestraat, 1071 AR Amsterdam (I moved here).",
            "Van Baerlestraat 41, 1071 AR Amsterdam",
        ),
        (
            "Sorry. My address is 14 Willemsparkweg, 1071 HE Amsterdam and my phone is 0612345678.",
            "Willemsparkweg 14, 1071 HE Amsterdam",
        ),
        (
            "The trainer never came.\n\nRebecca Lind\n56-II Ferdinand Bolstraat\n1072 LL Amsterdam\n",
            "Ferdinand Bolstraat 56-II, 1072 LL Amsterdam",
        ),
        (
            "De cursus ging niet door.\n\nMet vriendelijke groet,\nAnnelies Bakker\nStationsplein 4 | 3701 AB Zeist\n",
            "Stationsplein 4, 3701 AB Zeist",
        ),
        (
            "Ik woon aan de Vismarkt 7 in Groningen (9711 KT) en de docent was slecht.",
            "Vismarkt 7, 9711 KT Groningen",
        ),
    ] {
        assert_eq!(ex(text).fields.address.as_deref(), Some(want), "{text}");
    }
    assert!(reads_as_street("Hauptstr. 5"));
    assert!(!reads_as_street("Module 3"));
    assert_eq!(
        dutch_order("12-III Jan Pieter Heijestraat"),
        "Jan Pieter Heijestraat 12-III"
    );
    assert_eq!(
        dutch_order("Flat 2, 18 Prinsengracht"),
        "Flat 2, 18 Prinsengracht"
    );
}

#[test]
fn the_postcode_and_town_before_the_street() {
    let sig = |lines: &str| {
        ex(&format!(
            "De coach kwam niet opdagen en belde niet af.\n\nMet vriendelijke groet,\nIlse Kamp\n{lines}"
        ))
        .fields
        .address
    };
    for (lines, want) in [
        (
            "8021 CK Zwolle, Assendorperstraat 88a",
            "Assendorperstraat 88a, 8021 CK Zwolle",
        ),
        (
            "3512 AB Utrecht - Oudegracht 12bis",
            "Oudegracht 12bis, 3512 AB Utrecht",
        ),
        (
            "3512ab Utrecht, Oudegracht 12",
            "Oudegracht 12, 3512 AB Utrecht",
        ),
        (
            "2018 Antwerpen, Lange Kievitstraat 45 bus 3",
            "Lange Kievitstraat 45 bus 3, 2018 Antwerpen",
        ),
        (
            "adres: 2018 Antwerpen, Lange Kievitstraat 45 bus 3",
            "Lange Kievitstraat 45 bus 3, 2018 Antwerpen",
        ),
        (
            "47533 Kleve | Bahnhofstraße 5a",
            "Bahnhofstraße 5a, 47533 Kleve",
        ),
    ] {
        assert_eq!(sig(lines).as_deref(), Some(want), "{lines}");
    }
    assert_eq!(
        postcode_first("8021 CK Zwolle, Assendorperstraat 88a").as_deref(),
        Some("Assendorperstraat 88a, 8021 CK Zwolle")
    );
    // A postcode line alone, a street first, a date and a sentence: not this form.
    for line in [
        "8021 CK Zwolle",
        "Assendorperstraat 88a, 8021 CK Zwolle",
        "2026 Utrecht bezocht, en de Kerkstraat 3 ook",
        "Op 12 november, Kerkstraat 3",
    ] {
        assert_eq!(postcode_first(line), None, "{line}");
    }
    // "12bis" and "12ter" are house numbers.
    assert!(street_line("Oudegracht 12bis"));
    assert!(street_line("Meir 24ter"));
}

#[test]
fn a_label_without_a_colon_and_a_cue_with_a_comma() {
    for (text, want) in [
        (
            "De cursus ging niet door.\n\nMet vriendelijke groet,\nMarjolein de Graaf\nadres Hogeweg 211, 3815 CH Amersfoort\ntel 033 - 472 19 60",
            "Hogeweg 211, 3815 CH Amersfoort",
        ),
        (
            "De coaching ging niet door.\n\nSem Willemsen\nwoonadres Dorpsstraat 4 6666 AB Heteren\nmobiel 06 30 58 12 77",
            "Dorpsstraat 4, 6666 AB Heteren",
        ),
        (
            "U kunt mij schrijven op mijn huisadres, dat is Molenweg 17 in Deventer (postcode 7411 AB), of bellen.",
            "Molenweg 17, 7411 AB Deventer",
        ),
        (
            "Mijn adres, dat is Kerkweg 8 in Zeist, staat ook op de factuur.",
            "Kerkweg 8, Zeist",
        ),
        (
            "Please write to my home address, which is 14 Willemsparkweg, 1071 HE Amsterdam.",
            "Willemsparkweg 14, 1071 HE Amsterdam",
        ),
    ] {
        assert_eq!(ex(text).fields.address.as_deref(), Some(want), "{text}");
    }
    assert_eq!(without_label("adres Hogeweg 211"), "Hogeweg 211");
    assert_eq!(without_label("Woonadres: Hogeweg 211"), "Hogeweg 211");
    assert_eq!(without_label("Hogeweg 211"), "Hogeweg 211");
    // A cue with nothing of an address after it finds none.
    let e = ex("Mijn adres, dat is niet veranderd sinds de inschrijving, de training was slecht.");
    assert_eq!(e.fields.address, None);
}

#[test]
fn a_labelled_street_above_its_postcode_and_other_labels() {
    let sig = |lines: &str| {
        let e = ex(&format!(
            "De cursus ging niet door.\n\nGroet,\nSem Willemsen\n{lines}"
        ));
        assert_eq!(
            e.fields.description.as_deref(),
            Some("De cursus ging niet door."),
            "{lines}"
        );
        e.fields.address
    };
    for (lines, want) in [
        (
            "adres Dorpsstraat 4\n6666 AB Heteren",
            "Dorpsstraat 4, 6666 AB Heteren",
        ),
        (
            "Postadres: 9712 CP Groningen, Oude Boteringestraat 44",
            "Oude Boteringestraat 44, 9712 CP Groningen",
        ),
        (
            "woonadres: Dorpsstraat 4, 6666 AB Heteren",
            "Dorpsstraat 4, 6666 AB Heteren",
        ),
        (
            "Anschrift Hauptstraße 5, 47533 Kleve",
            "Hauptstraße 5, 47533 Kleve",
        ),
    ] {
        assert_eq!(sig(lines).as_deref(), Some(want), "{lines}");
    }
}

#[test]
fn a_german_town_with_its_tail_and_an_address_told_in_prose() {
    let sig = |lines: &str| {
        ex(&format!(
            "Der Workshop wurde ohne Nachricht nach Hengelo verlegt.\n\nMit freundlichen Grüßen\nBirgit Schulte\n{lines}"
        ))
        .fields
        .address
    };
    for lines in [
        "Mühlenweg 18\n48599 Gronau (Westf.)\nDeutschland",
        "Kirchstraße 4\n06108 Halle (Saale)",
        "Hauptstraße 12\n46446 Emmerich am Rhein",
        "Lindenallee 3\n48529 Nordhorn/Bentheim",
        "Mühlenweg 18, 48599 Gronau (Westf.)",
    ] {
        assert!(sig(lines).is_some(), "{lines}");
    }
    // the postcode in a clause of its own, after "en woon nu op"
    let e = ex(
        "Ik ben vorig jaar verhuisd en woon nu op de Kastanjelaan 14 in Amersfoort, de postcode is 3817 KB. De cursus begon te laat.",
    );
    assert_eq!(
        e.fields.address.as_deref(),
        Some("Kastanjelaan 14, 3817 KB Amersfoort")
    );
    let e = ex(
        "Wij wonen sinds kort in Zwolle. Ik woon nu aan de Esdoornstraat 3 te Zwolle, postcode: 8021 CD.",
    );
    assert_eq!(
        e.fields.address.as_deref(),
        Some("Esdoornstraat 3, 8021 CD Zwolle")
    );
    // "woon nu" without a street names no address
    assert_eq!(
        ex("Ik woon nu in Amersfoort en de cursus begon te laat.")
            .fields
            .address,
        None
    );
}
