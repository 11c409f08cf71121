use super::*;

#[test]
fn exams_assessments_and_learning_tracks_are_services() {
    for (text, want) in [
        (
            "On 12 November I sat the Project Management Foundation exam in Utrecht.",
            "Exam Project Management Foundation",
        ),
        (
            "Gisteren deed ik mijn BHV-praktijkexamen.",
            "BHV-praktijkexamen",
        ),
        ("Het VCA-examen werd afgezegd.", "VCA-examen"),
        (
            "Het examen Prince2 Foundation begon te laat.",
            "Examen Prince2 Foundation",
        ),
        (
            "Ich sollte die Prüfung zum Certified Scrum Master ablegen.",
            "Prüfung zum Certified Scrum Master",
        ),
        (
            "Ich war im Lehrgang zur Fachkraft für Arbeitssicherheit angemeldet.",
            "Lehrgang zur Fachkraft für Arbeitssicherheit",
        ),
        (
            "I signed up for the four-week learning track Agile Basics in May.",
            "Learning track Agile Basics",
        ),
        (
            "the Data Literacy learning path was a mess",
            "Learning path Data Literacy",
        ),
        (
            "I sat the ITIL 4 Foundation exam on Monday.",
            "Exam ITIL 4 Foundation",
        ),
        (
            "We did the Prince2 Practitioner exam.",
            "Exam Prince2 Practitioner",
        ),
        (
            "Ik was zaterdag bij de herhalingscursus EHBO in Hengelo.",
            "Herhalingscursus EHBO",
        ),
        (
            "De eindtoets Rekenen 3F was onleesbaar.",
            "Eindtoets Rekenen 3F",
        ),
        (
            "Die Abschlussprüfung Projektmanagement wurde verschoben.",
            "Abschlussprüfung Projektmanagement",
        ),
    ] {
        assert_eq!(free_service(text).as_deref(), Some(want), "{text}");
    }
    // The exam of a course, named after it: the course is the service.
    for (text, want) in [
        (
            "het afsluitende praktijkassessment van de leergang Projectmanagement Foundation",
            "Leergang Projectmanagement Foundation",
        ),
        (
            "het examen Scrum van de opleiding Agile Coach werd slecht beoordeeld",
            "Opleiding Agile Coach",
        ),
        (
            "the final exam of the Agile Basics learning track was graded wrongly",
            "Learning track Agile Basics",
        ),
    ] {
        assert_eq!(free_service(text).as_deref(), Some(want), "{text}");
    }
    // A bare exam, a compound without a name, a word that only ends like one: none.
    for text in [
        "Het examen was veel te moeilijk.",
        "De herhalingscursus was rommelig.",
        "Mijn praktijkexamen ging mis.",
        "Das war ein Diskurs ohne Ende.",
        "We had a discourse about it.",
        "Het zelf-assessment werkte niet.",
        "Yesterday's exam was a mess.",
        "Op 3 november 2026 exam gedaan.",
        "I failed the exam twice.",
    ] {
        assert_eq!(free_service(text), None, "{text}");
    }
    assert!(is_exam("Praktijkassessment") && is_exam("Prüfung") && is_exam("exam"));
    assert!(!is_exam("Leergang") && !is_exam("Course"));
}

#[test]
fn german_genitives_and_quotes() {
    for (text, want) in [
        (
            "zum Abschluss Ihres Lehrgangs Fachkraft für Lagerlogistik die Prüfung abgelegt",
            "Lehrgang Fachkraft für Lagerlogistik",
        ),
        (
            "am Ende des Kurses Buchhaltung für Einsteiger gab es keine Unterlagen",
            "Kurs Buchhaltung für Einsteiger",
        ),
        (
            "ich war für Ihren Kurs „Erste Hilfe Auffrischung“ angemeldet",
            "Kurs Erste Hilfe Auffrischung",
        ),
        (
            "der Workshop ‚Agiles Arbeiten‘ fiel aus",
            "Workshop Agiles Arbeiten",
        ),
    ] {
        assert_eq!(free_service(text).as_deref(), Some(want), "{text}");
    }
    assert_eq!(nominative("Lehrganges"), "Lehrgang");
    assert_eq!(nominative("Kurs"), "Kurs");
}

#[test]
fn an_aside_after_a_bare_kind_word_is_no_title() {
    for text in [
        "vanmorgen bij de training (2e dag, lokaal 3 in amersfoort) ging het mis",
        "Bij de cursus (dag 2) was de trainer er niet.",
        "During the course (Tuesday evening group, room 2.14) nobody came.",
        "de workshop (online, via Teams) viel uit",
        "De training (in Zwolle) begon te laat.",
        "tijdens de workshop Dag 2, in zaal 4, viel de beamer uit",
        "De training Maandag 10 november begon te laat.",
        "At the workshop Day 3 the trainer was absent.",
        "De cursus 3e bijeenkomst was rommelig.",
        "the training (see below) was cancelled",
    ] {
        assert_eq!(free_service(text), None, "{text}");
    }
    // Titles stay titles: in parentheses, before an aside, or starting with a word
    // that can tell when or where but is followed by a capital.
    for (text, want) in [
        (
            "I attended the conflict management training (Omgaan met conflicten) on Monday.",
            "Training Omgaan met conflicten",
        ),
        (
            "de training Omgaan met weerstand (dag 2, lokaal 3 in Amersfoort) ging mis",
            "Training Omgaan met weerstand",
        ),
        (
            "de cursus (Excel voor gevorderden) begon te laat",
            "Cursus Excel voor gevorderden",
        ),
        (
            "the course First Aid for Beginners was cancelled",
            "Course First Aid for Beginners",
        ),
        (
            "de training Online Marketing werd verplaatst",
            "Training Online Marketing",
        ),
        ("the course 7 Habits was a mess", "Course 7 Habits"),
    ] {
        assert_eq!(free_service(text).as_deref(), Some(want), "{text}");
    }
    for (words, parenthesised, want) in [
        ("2e dag, lokaal 3", true, true),
        ("online", true, true),
        ("Amersfoort, lokaal 3", true, true),
        ("Omgaan met conflicten", true, false),
        ("Dag 2", false, true),
        ("Day One", false, false),
        ("14 november", false, true),
    ] {
        assert_eq!(aside(words, parenthesised), want, "{words}");
    }
}

#[test]
fn a_dutch_adjective_before_the_kind_word_names_no_service() {
    for text in [
        "Afgezegde training 17 november + factuur",
        "Geannuleerde workshop en geen bericht",
        "Uitgevallen cursus van 3 november",
        "Mislukte training in Zwolle",
        "Tweedaagse training: klacht",
    ] {
        assert_eq!(free_service(text), None, "{text}");
    }
    // The name after the kind word is read as ever, up to what is done with it.
    assert_eq!(
        free_service("Op 17 november zou numun de Training Feedback geven en ontvangen verzorgen voor ons team.").as_deref(),
        Some("Training Feedback geven en ontvangen")
    );
    assert_eq!(
        free_service("Verplaatste training Omgaan met conflicten").as_deref(),
        Some("Training Omgaan met conflicten")
    );
    // English names before the kind word stay names.
    for (text, want) in [
        ("the Advanced Excel course", "Course Advanced Excel"),
        (
            "the Corporate Finance training",
            "Training Corporate Finance",
        ),
        (
            "our Change Management workshop",
            "Workshop Change Management",
        ),
    ] {
        assert_eq!(free_service(text).as_deref(), Some(want), "{text}");
    }
    for (word, want) in [
        ("Afgezegde", true),
        ("afgelaste", true),
        ("Gemiste", true),
        ("Betaalde", true),
        ("Opgeschoven", true),
        ("Complete", false),
        ("Corporate", false),
        ("Golden", false),
        ("Leadership", false),
    ] {
        assert_eq!(dutch_attribute(word), want, "{word}");
    }
}

#[test]
fn a_title_with_small_words_runs_up_to_a_relative_clause() {
    for (text, want) in [
        (
            "een klacht over de trainer van de cursus Eerste hulp bij kinderen die ik afgelopen zaterdag heb gevolgd",
            "Cursus Eerste hulp bij kinderen",
        ),
        (
            "de training Omgaan met agressie bij jongeren die we in maart deden",
            "Training Omgaan met agressie bij jongeren",
        ),
        (
            "de workshop Gespreksvoering bij ouderen en kinderen.",
            "Workshop Gespreksvoering bij ouderen en kinderen",
        ),
    ] {
        assert_eq!(free_service(text).as_deref(), Some(want), "{text}");
    }
    // A place, a time or a person after the small word ends the title as before.
    for (text, want) in [
        (
            "de cursus Excel bij ons op kantoor die ik volgde",
            "Cursus Excel",
        ),
        (
            "de training Timemanagement van vorige week",
            "Training Timemanagement",
        ),
        ("de cursus Excel bij Joyce die ik volgde", "Cursus Excel"),
        ("de cursus Presenteren van maandag", "Cursus Presenteren"),
        ("de cursus Excel bij collega's op het werk", "Cursus Excel"),
    ] {
        assert_eq!(free_service(text).as_deref(), Some(want), "{text}");
    }
    // A first day is a when, a first aid course a title.
    assert_eq!(free_service("de training Eerste dag was chaos"), None);
    assert_eq!(
        free_service("de workshop Eerste hulp voor baby's").as_deref(),
        Some("Workshop Eerste hulp voor baby's")
    );
}

#[test]
fn german_topic_compounds_and_a_reason_in_quotes() {
    for (text, want) in [
        (
            "ich beziehe mich auf das Kommunikationstraining in Venlo.",
            "Kommunikationstraining",
        ),
        (
            "wir haben den Erste-Hilfe-Kurs (1 Tag) gebucht.",
            "Erste-Hilfe-Kurs",
        ),
    ] {
        assert_eq!(free_service(text).as_deref(), Some(want), "{text}");
    }
    for text in [
        "Der Auffrischungstraining war chaotisch.",
        "We kregen een sms dat de training \"door omstandigheden\" niet doorging.",
        "The course was cancelled 'due to circumstances' again.",
    ] {
        assert_eq!(free_service(text), None, "{text}");
    }
}
