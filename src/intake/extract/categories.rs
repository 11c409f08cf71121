//! Categories (art. 1): the serious ones (art. 1.4) from the behaviour described, with
//! a lexicon that is data (`config/serious.toml`, [`lexicon`]); the others from keywords.

mod lexicon;
mod ordinary;

pub use lexicon::{BUILTIN_LEXICON, Lexicon, LexiconEntry};

use super::ServiceCatalogue;
use super::services::{normalise, word_matches};
use crate::domain::Category;

/// Where `hay` holds a compound that starts with `word` and goes on for four letters or
/// more ("agressiepiramide", "agressieregulatie"): a noun of the topic, where a short
/// tail is an inflection of the behaviour's adjective ("agressief", "agressieve").
fn compounds_of(hay: &str, word: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for (start, _) in hay.match_indices(word) {
        let starts_word = hay[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let tail = hay[start + word.len()..]
            .char_indices()
            .find(|(_, c)| !c.is_alphanumeric())
            .map_or(hay.len() - start - word.len(), |(i, _)| i);
        if starts_word && hay[start + word.len()..][..tail].chars().count() >= 4 {
            found.push((start, start + word.len() + tail));
        }
    }
    found
}

/// The category from the behaviour described (the lexicon, serious first) and then from
/// keywords, with the lexicon's words that matched. The names of the catalogue's
/// services do not count ("Training Omgaan met Agressie" is no aggression).
pub(super) fn category(
    texts: &[&str],
    catalogue: &ServiceCatalogue,
    lexicon: &Lexicon,
) -> (Option<Category>, Vec<String>) {
    let mut hay = String::new();
    for t in texts {
        hay.push_str(&normalise(t));
        hay.push('\n');
    }
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for service in &catalogue.services {
        let names: Vec<String> = std::iter::once(&service.name)
            .chain(&service.aliases)
            .map(|name| normalise(name))
            .collect();
        let mut named = false;
        for name in &names {
            let found = word_matches(&hay, name);
            named |= !found.is_empty();
            spans.extend(found);
        }
        // A mail about a service speaks of its topic: "aggression is aggression", said of
        // the aggression training's content, is no aggression. The topic's own words
        // alone do not count; the behaviour's words ("agressief", "threatened") still do.
        if named {
            for word in names
                .iter()
                .flat_map(|name| name.split(' '))
                .filter(|word| word.chars().count() >= 6)
            {
                spans.extend(word_matches(&hay, word));
                spans.extend(compounds_of(&hay, word));
            }
        }
    }
    for phrase in &lexicon.compiled().harmless {
        spans.extend(phrase.find_iter(&hay).map(|m| (m.start(), m.end())));
    }
    let as_written = hay.clone();
    if !spans.is_empty() {
        let mut blanked = String::with_capacity(hay.len());
        for (i, c) in hay.char_indices() {
            let inside = spans.iter().any(|(s, e)| (*s..*e).contains(&i));
            blanked.push(if inside { ' ' } else { c });
        }
        hay = blanked;
    }
    if let Some((category, words)) = lexicon.find(&hay) {
        return (Some(category), words);
    }
    (ordinary::most_said(&as_written), Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::extract::tests::ex;

    #[test]
    fn categories_and_serious_flags() {
        let cases = [
            (
                "Ik werd door een medecursist seksueel geïntimideerd, ongewenste intimiteiten.",
                Some(Category::SexualHarassment),
            ),
            (
                "Er was sprake van seksuele intimidatie door de trainer.",
                Some(Category::SexualHarassment),
            ),
            (
                "Ik voelde me gediscrimineerd vanwege mijn afkomst.",
                Some(Category::Discrimination),
            ),
            (
                "Hij maakte racistische opmerkingen.",
                Some(Category::Discrimination),
            ),
            (
                "Een deelnemer heeft mij geslagen.",
                Some(Category::Violence),
            ),
            (
                "De trainer werd agressief en scheldde mij uit.",
                Some(Category::Aggression),
            ),
            (
                "Ik werd bedreigd door een deelnemer.",
                Some(Category::Aggression),
            ),
            (
                "Ik werd de hele week gepest door twee deelnemers.",
                Some(Category::Bullying),
            ),
            (
                "I was bullied by another participant.",
                Some(Category::Bullying),
            ),
            (
                "Ik voelde me geïntimideerd door de trainer.",
                Some(Category::Intimidation),
            ),
            (
                "Er was sprake van intimidatie.",
                Some(Category::Intimidation),
            ),
            (
                "Mijn examen is onterecht beoordeeld en mijn certificaat ontbreekt.",
                Some(Category::Assessment),
            ),
            ("The trainer was unprepared.", Some(Category::Delivery)),
            (
                "De training werd zonder bericht geannuleerd.",
                Some(Category::Organisation),
            ),
            ("De lesstof was verouderd.", Some(Category::Content)),
            ("Het was een geweldige dag maar ik heb een vraag.", None),
            ("", None),
        ];
        for (text, want) in cases {
            let e = ex(text);
            assert_eq!(e.category, want, "{text}");
            assert_eq!(e.serious, want.is_some_and(Category::is_serious), "{text}");
        }
        // "Slecht georganiseerd" says the category, whoever else is named.
        let e = ex("De dag was slecht georganiseerd: geen lokaal en geen trainer tot half elf.");
        assert_eq!(e.category, Some(Category::Organisation));
        // The name of a service is no keyword.
        let e = ex("De training Omgaan met Agressie begon een uur te laat.");
        assert_eq!(e.category, Some(Category::Delivery));
        assert!(!e.serious);
        assert_eq!(
            e.fields.service.as_deref(),
            Some("Training Omgaan met Agressie")
        );
        // Serious keywords beat the others.
        let e = ex("De trainer was te laat en daarna werd ik gepest.");
        assert_eq!(e.category, Some(Category::Bullying));
        assert!(e.serious);
    }

    #[test]
    fn serious_behaviour_is_flagged_without_the_categorys_word() {
        let cases = [
            (
                "De trainer legde zijn hand op mijn bovenbeen, ook toen ik nee zei.",
                Category::SexualHarassment,
                "hand op mijn bovenbeen",
            ),
            (
                "My coach kept touching my back and asked whether I was single.",
                Category::SexualHarassment,
                "touching my",
            ),
            (
                "Een medewerker probeerde mij te zoenen bij het afscheid.",
                Category::SexualHarassment,
                "zoenen",
            ),
            (
                "De trainer duwde mij tegen de muur.",
                Category::Violence,
                "duwde",
            ),
            (
                "De coach greep mij bij mijn arm en hield me vast.",
                Category::Violence,
                "greep mij",
            ),
            (
                "Another participant hit me in the face.",
                Category::Violence,
                "hit me",
            ),
            (
                "Hij maakte een opmerking over mijn hoofddoek.",
                Category::Discrimination,
                "hoofddoek",
            ),
            (
                "The trainer joked about my skin colour.",
                Category::Discrimination,
                "skin colour",
            ),
            (
                "Hij zei dat mensen van mijn afkomst altijd te laat komen.",
                Category::Discrimination,
                "afkomst",
            ),
            (
                "De trainer heeft mij belachelijk gemaakt waar de hele groep bij was.",
                Category::Bullying,
                "belachelijk gemaakt",
            ),
            (
                "De coach maakte grappen over Turken en keek daarbij naar mij.",
                Category::Discrimination,
                "turken",
            ),
            (
                "De trainer zette mij voor de hele groep voor schut.",
                Category::Bullying,
                "voor schut",
            ),
            (
                "Een medewerker zat steeds aan mijn haar en zei dat ik er lekker uitzag.",
                Category::SexualHarassment,
                "aan mijn haar",
            ),
            (
                "The coach said he would make sure my employer heard of it if I complained.",
                Category::Intimidation,
                "make sure",
            ),
            (
                "De trainer stond tegen mij te schreeuwen met zijn gezicht vlak voor het mijne.",
                Category::Aggression,
                "schreeuwen",
            ),
            (
                "Een deelnemer werkte mij hard tegen de grond; ik heb een gekneusde pols.",
                Category::Violence,
                "tegen de grond",
            ),
            (
                "The trainer keeps sending me pictures of himself in his underwear.",
                Category::SexualHarassment,
                "underwear",
            ),
            (
                "De coach zei dat ik met mijn zware accent nooit leidinggevende zou worden.",
                Category::Discrimination,
                "zware accent",
            ),
            (
                "Ik werd door een deelnemer voor rotte vis uitgemaakt.",
                Category::Aggression,
                "uitgemaakt",
            ),
            (
                "De trainer sloeg steeds zijn arm om me heen en trok me op schoot.",
                Category::SexualHarassment,
                "arm om me heen",
            ),
            (
                "Another participant used a racial slur against me.",
                Category::Discrimination,
                "racial",
            ),
            (
                "Ik word buitengesloten: ze negeren me en lachen me uit.",
                Category::Bullying,
                "buitengesloten",
            ),
            (
                "The coach mocked my accent in front of the whole group.",
                Category::Bullying,
                "mocked",
            ),
            (
                "Hij zei dat hij wist waar ik woonde en dat ik moest oppassen.",
                Category::Intimidation,
                "moest oppassen",
            ),
        ];
        for (text, want, word) in cases {
            let e = ex(text);
            assert_eq!(e.category, Some(want), "{text}");
            assert!(e.serious, "{text}");
            assert!(
                e.serious_words.iter().any(|w| w.contains(word)),
                "{text}: {:?}",
                e.serious_words
            );
        }
    }

    #[test]
    fn german_discrimination_is_serious() {
        for text in [
            "Der Trainer hat mich wegen meiner türkischen Herkunft vor allen lächerlich gemacht.",
            "Er sagte, Ausländer wie ich würden das sowieso nicht verstehen.",
            "Die Referentin meinte, mit meinem Kopftuch könne ich nicht vorne stehen.",
            "Wegen meines starken Akzents durfte ich nicht präsentieren.",
            "Er sagte, ich solle doch zurück in die Türkei gehen, ich sei kein richtiger Deutscher.",
        ] {
            let e = ex(text);
            assert_eq!(e.category, Some(Category::Discrimination), "{text}");
            assert!(e.serious, "{text}");
        }
        let e = ex("Der Kurs begann eine Stunde zu spät und der Raum war kalt.");
        assert!(!e.serious);
    }

    #[test]
    fn ordinary_complaints_raise_no_serious_flag() {
        for text in [
            "De training begon drie kwartier later dan gepland en het laatste onderdeel werd overgeslagen.",
            "Het lokaal was ijskoud, de verwarming deed het niet en we zaten met onze jassen aan.",
            "The session started 40 minutes late and the room was freezing cold.",
            "De trainer gaf ons een hand en beloofde het materiaal na te sturen.",
            "We moesten twee onderdelen over te slaan en de trainer sloeg de pauze over.",
            "The mock exam was graded without feedback.",
            "Het was een geweldige dag maar de lunch ontbrak.",
            "Please keep in touch with me about a new date.",
            "De lunch was niet lekker en de zaal te klein.",
            "De andere deelnemers negeren mijn vragen en de trainer negeerde het.",
            "I had booked a hotel room in Utrecht for the training, which was then cancelled.",
            "The trainer made sure everyone had a handout.",
            "De training is niet geslaagd en de oefeningen werden overgeslagen.",
        ] {
            let e = ex(text);
            assert!(!e.serious, "{text}: {:?} {:?}", e.category, e.serious_words);
            assert!(e.serious_words.is_empty(), "{text}");
        }
    }

    #[test]
    fn the_lexicon_is_data_the_owner_can_extend() {
        let builtin = Lexicon::parse(BUILTIN_LEXICON).unwrap();
        assert!(
            builtin
                .entries
                .iter()
                .all(|(c, w)| c.is_serious() && !w.is_empty())
        );
        let mut lexicon = Lexicon::default();
        let entry = LexiconEntry {
            category: Category::Intimidation,
            words: vec![r"\bopgewacht".into()],
        };
        lexicon.extend(&entry).unwrap();
        let (c, words) = category(
            &["Hij heeft mij na afloop opgewacht."],
            &ServiceCatalogue::default(),
            &lexicon,
        );
        assert_eq!(c, Some(Category::Intimidation));
        assert_eq!(words, vec!["opgewacht".to_string()]);
        let (c, _) = category(
            &["Hij heeft mij na afloop opgewacht."],
            &ServiceCatalogue::default(),
            &Lexicon::default(),
        );
        assert_eq!(c, None);
        // A word that is no regex, or a category that is not serious, is refused.
        let bad = LexiconEntry {
            category: Category::Violence,
            words: vec!["(".into()],
        };
        assert!(lexicon.extend(&bad).unwrap_err().contains("violence"));
        let not_serious = LexiconEntry {
            category: Category::Delivery,
            words: vec!["x".into()],
        };
        assert!(lexicon.extend(&not_serious).is_err());
        assert!(Lexicon::parse("[[entry]]\ncategory = \"bullying\"\nwords = [\"(\"]").is_err());
    }

    #[test]
    fn harmless_phrases_and_the_category_most_said() {
        // Sales talk is no aggression; a push of a person is.
        for text in [
            "The trainer spent an hour aggressively pushing his own follow-up programme.",
            "Hij was agressieve verkoop aan het doen voor zijn eigen cursus.",
            "She kept pushing her own books on us during the breaks.",
        ] {
            assert!(!ex(text).serious, "{text}");
        }
        assert!(ex("The trainer pushed me against the wall.").serious);
        // One mention of the trainer does not outweigh a moved location and a cold room.
        let e =
            ex("De locatie was verplaatst, de verwarming deed het niet en de trainer was aardig.");
        assert_eq!(e.category, Some(Category::Organisation));
        let e = ex("De trainer was onvoorbereid, de uitleg was onduidelijk en de docent las voor.");
        assert_eq!(e.category, Some(Category::Delivery));
    }

    #[test]
    fn serious_behaviour_described_without_the_category_word() {
        for (text, want) in [
            (
                "He stood in front of my car door so I could not get in.",
                Category::Intimidation,
            ),
            (
                "De trainer versperde de uitgang en zei dat ik beter twee keer kon nadenken.",
                Category::Intimidation,
            ),
            (
                "He said I had better think twice before I complain.",
                Category::Intimidation,
            ),
            (
                "Hij appte me 's avonds laat dat ik er vandaag lekker uitzag.",
                Category::SexualHarassment,
            ),
            (
                "Hij stelde voor om de volgende keer bij hem thuis af te spreken.",
                Category::SexualHarassment,
            ),
            (
                "He put his hand on my lower back when I left.",
                Category::SexualHarassment,
            ),
            (
                "He asked me where I was 'really' from.",
                Category::Discrimination,
            ),
            (
                "He told the group that people from Africa are always late.",
                Category::Discrimination,
            ),
        ] {
            let e = ex(text);
            assert_eq!(e.category, Some(want), "{text}");
            assert!(e.serious, "{text}");
        }
    }

    #[test]
    fn more_behaviour_described_and_the_topic_of_a_training() {
        for (text, want) in [
            (
                "Hij ging zo dicht bij me staan dat ik tegen de muur stond. Ik durfde daarna niets meer te zeggen.",
                Category::Intimidation,
            ),
            (
                "He said that otherwise he would tell my employer I had not cooperated.",
                Category::Intimidation,
            ),
            (
                "Hij zei dat ik wel zou zien wat er in het eindverslag kwam te staan.",
                Category::Intimidation,
            ),
            (
                "Zijn mail van zaterdagavond ervaar ik als een dreigement.",
                Category::Intimidation,
            ),
            (
                "Ik durf de laatste sessie niet meer in.",
                Category::Intimidation,
            ),
            (
                "Een medecursist gaf me een duw en daarna een klap in mijn gezicht.",
                Category::Violence,
            ),
            (
                "I needed stitches after a blow to the head during the exercise.",
                Category::Violence,
            ),
            (
                "De coach ging tussen mij en de deur in staan.",
                Category::Intimidation,
            ),
            (
                "Hij kan ervoor zorgen dat mijn contract niet verlengd wordt, zei hij. Ik durf eigenlijk niet te mailen.",
                Category::Intimidation,
            ),
            (
                "Hij zei dat ik wel zou zien wat er gebeurt als ik ging klagen.",
                Category::Intimidation,
            ),
            (
                "She said I would see what happens: you'll see what happens.",
                Category::Intimidation,
            ),
        ] {
            let e = ex(text);
            assert_eq!(e.category, Some(want), "{text}");
            assert!(e.serious, "{text}");
        }
        // Aggression as what a training is about.
        for text in [
            "De training ging over omgaan met agressieve cliënten, maar de oefeningen waren verouderd.",
            "The course on dealing with aggressive customers had outdated material.",
        ] {
            assert!(!ex(text).serious, "{text}");
        }
        // Ordinary categories from what the text says most about.
        for (text, want) in [
            (
                "We zaten met 22 mensen in een zaal voor 12 en er waren niet genoeg stoelen.",
                Category::Organisation,
            ),
            (
                "Het programma was volledig algemeen, terwijl we een training op maat hadden afgesproken.",
                Category::Content,
            ),
            (
                "De coach zat de helft van het uur op haar telefoon.",
                Category::Delivery,
            ),
        ] {
            assert_eq!(ex(text).category, Some(want), "{text}");
        }
    }

    #[test]
    fn a_services_topic_and_a_creditors_tone_are_no_serious_behaviour() {
        // The topic of the service the mail is about, alone and in compounds.
        for text in [
            "De Training Omgaan met Agressie bestond uit de agressiepiramide en soorten agressie.",
            "Your Training Omgaan met Agressie only showed models of aggression, nothing about aggressive visitors.",
            "Wij werken met boze en agressieve burgers en wilden oefenen.",
        ] {
            assert!(!ex(text).serious, "{text}");
        }
        // The behaviour's words still count on the same service.
        let e =
            ex("Tijdens de Training Omgaan met Agressie werd de trainer zelf agressief tegen mij.");
        assert_eq!(e.category, Some(Category::Aggression));
        // A creditor's threat and the tone of letters.
        for text in [
            "Your office has been harassing me with invoices, the last one threatening legal action.",
            "In de aanmaning wordt gedreigd de zaak over te dragen aan een incassobureau.",
            "De herinneringen worden steeds agressiever van toon.",
            "Each reminder is more aggressive than the last.",
        ] {
            let e = ex(text);
            assert!(!e.serious, "{text}: {:?}", e.category);
        }
        assert!(ex("The trainer threatened me after the session.").serious);
        assert!(compounds_of("agressief agressieve", "agressie").is_empty());
        assert_eq!(
            compounds_of("de agressiepiramide", "agressie"),
            vec![(3, 19)]
        );
    }

    #[test]
    fn threats_through_the_job_mockery_and_pressure_to_withdraw_are_serious() {
        for (text, want) in [
            (
                "Hij zei dat mijn leidinggevende wel zou horen hoe ik me had opgesteld.",
                Category::Intimidation,
            ),
            (
                "He said he knows my boss personally and that remarks like that cost people their jobs.",
                Category::Intimidation,
            ),
            (
                "Er meinte, mein Chef würde davon erfahren, das könne mich den Job kosten.",
                Category::Intimidation,
            ),
            (
                "Hij zette zijn arm tegen de deurpost, tussen mij en de uitgang.",
                Category::Intimidation,
            ),
            (
                "Der Trainer stellte sich zwischen mich und die Tür und ließ mich erst vorbei, als jemand kam.",
                Category::Intimidation,
            ),
            (
                "Er legte den Arm gegen den Türrahmen, bis ich mich entschuldigte.",
                Category::Intimidation,
            ),
            (
                "Sie sagte, ich solle die Beschwerde besser zurückziehen.",
                Category::Intimidation,
            ),
            (
                "He told me I had better withdraw the complaint before it got out of hand.",
                Category::Intimidation,
            ),
            (
                "Twee deelnemers deden mij na met een piepstemmetje en de trainer lachte mee.",
                Category::Bullying,
            ),
            (
                "From then on he called me 'our slowpoke' and told me to learn to take a joke.",
                Category::Bullying,
            ),
            (
                "De trainer noemde mij vanaf dat moment steeds 'de slak'.",
                Category::Bullying,
            ),
        ] {
            assert_eq!(ex(text).category, Some(want), "{text}");
        }
    }

    #[test]
    fn the_writers_own_anger_about_things_is_no_serious_behaviour() {
        for text in [
            "De verbinding viel drie keer weg. Het voelde als pesterij, ik werd er bijna agressief van.",
            "The link came late and the sound kept failing; it made me almost aggressive.",
            "Die Verbindung brach ständig ab, ich wurde fast aggressiv.",
            "Ik wil mijn klacht intrekken, het is opgelost.",
        ] {
            let e = ex(text);
            assert!(!e.serious, "{text}: {:?}", e.category);
        }
    }

    #[test]
    fn discrimination_is_flagged_from_what_was_said() {
        for text in [
            "De trainer vroeg waar ik nou echt vandaan kwam, ook toen ik zei dat ik hier geboren ben.",
            "He asked where I was really from and said that in your culture women keep quiet.",
            "Ze zei dat iemand zoals jij dat niet zou begrijpen.",
            "De twee deelnemers met een migratieachtergrond moesten apart zitten.",
        ] {
            let e = ex(text);
            assert_eq!(e.category, Some(Category::Discrimination), "{text}");
            assert!(e.serious, "{text}");
        }
    }

    #[test]
    fn discrimination_by_age_or_disability_is_serious() {
        for text in [
            "De trainer zei tegen mij: op uw leeftijd hoeft u dit toch niet meer te leren. Daarna zei hij dat we in opa-tempo gingen.",
            "Hij vond mij te oud voor deze opleiding en noemde mij een boomer waar de hele groep bij was.",
            "The trainer told me I was too old for this and laughed at me in front of the group.",
            "Der Trainer sagte, ich sei mit 63 zu alt für so etwas, in Ihrem Alter lerne man das nicht mehr.",
            "Cliënte zit in een rolstoel; de zaal was niet toegankelijk en zij mocht niet deelnemen aan de praktijkonderdelen.",
            "My colleague uses a wheelchair and was turned away because the room was on the first floor without a lift.",
            "Die Teilnehmerin im Rollstuhl wurde abgewiesen, weil der Raum nicht barrierefrei war.",
            "Volgens ons is sprake van onderscheid op grond van handicap.",
            "De trainer zei: met zo'n rolstoel kunt u toch niet reanimeren.",
            "De trainer zei dat ik bij het rollenspel niet mocht meedoen, want dat werd te ingewikkeld met die rolstoel.",
            "I was not allowed to join the practical part because of my wheelchair, the trainer said.",
        ] {
            let e = ex(text);
            assert_eq!(e.category, Some(Category::Discrimination), "{text}");
            assert!(e.serious, "{text}");
        }
        // Harmless: age on an invoice, old material or laptops, a course about
        // accessibility, a room that was accessible, the ordinary complaints.
        for (text, want) in [
            (
                "Op de factuur stond mijn leeftijd en geboortedatum verkeerd, graag een nieuwe factuur.",
                Some(Category::Organisation),
            ),
            (
                "De laptops waren te oud om Excel op te draaien en het lesmateriaal was verouderd.",
                Some(Category::Content),
            ),
            (
                "De training Digitale toegankelijkheid begon een uur te laat en het lokaal was koud.",
                Some(Category::Organisation),
            ),
            (
                "De zaal was gelukkig rolstoeltoegankelijk, maar de training begon een uur te laat en het lokaal was ijskoud.",
                Some(Category::Organisation),
            ),
            (
                "The venue had been changed at the last minute and the new location was not accessible for my wheelchair.",
                Some(Category::Organisation),
            ),
            (
                "Er werd geen onderscheid gemaakt naar niveau en ik verwacht een gelijke behandeling bij de terugbetaling. De trainer las alles voor.",
                Some(Category::Delivery),
            ),
            (
                "Er gold een beperking van twaalf deelnemers, dus ik werd geweigerd toen de zaal vol was.",
                Some(Category::Organisation),
            ),
            (
                "People like him should not be trainers: he read the slides aloud all day.",
                Some(Category::Delivery),
            ),
            (
                "De trainer las de slides voor en beantwoordde geen vragen.",
                Some(Category::Delivery),
            ),
            (
                "Mijn examen is verkeerd beoordeeld en ik wil een herkansing.",
                Some(Category::Assessment),
            ),
        ] {
            let e = ex(text);
            assert_eq!(e.category, want, "{text}");
            assert!(!e.serious, "{text}");
        }
    }
}
