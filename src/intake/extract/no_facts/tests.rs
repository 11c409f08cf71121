use crate::intake::extract::tests::ex;

#[test]
fn announcing_asking_or_handing_over_details_describes_nothing() {
    for text in [
        "Goedenavond,\n\nIk wil een klacht indienen over de training Effectief Communiceren. Hoe doe ik dat?\n\nGroet,\nRob",
        "Hello,\n\nI would like to file a complaint about the workshop. What is the procedure for this?\n\nThanks,\nEmily",
        "ik heb een klacht over de coaching. Kunt u mij bellen? 0612873465",
        "Hierbij mijn adres en telefoonnummer:\n\nVondelstraat 14\n6828 AM Arnhem\n06-22334455",
        "Zoals gevraagd aan de telefoon stuur ik u hierbij mijn gegevens.\n\nGert Jan Wolters\nDorpsstraat 55\n1741 AB Schagen",
        "Kunt u mij vertellen hoe ik een klacht kan indienen over de training? Moet dat via een formulier?",
        "Namens mijn team wil ik graag een klacht indienen over de workshop. Bij wie kan ik hiervoor terecht?",
        "I want to make a complaint about the coaching.",
        "Who should I send it to?",
        "Heeft u een klachtenformulier? Ik wil graag een klacht indienen over de coaching.",
        "It happened on 12 November.",
        "Het gebeurde op 12 november.",
    ] {
        assert_eq!(ex(text).fields.description, None, "{text}");
    }
    // An announcement with the facts is a description.
    for text in [
        "Ik wil een klacht indienen over de training, want de trainer kwam twee uur te laat.",
        "Ik wil een klacht indienen over de training omdat de trainer twee uur te laat kwam.",
        "I would like to file a complaint. The trainer left at noon and the rest was cancelled.",
        "Hoe kan ik nog vertrouwen hebben in een trainer die de hele dag op zijn telefoon zat en ons negeerde?",
    ] {
        assert!(ex(text).fields.description.is_some(), "{text}");
    }
}

#[test]
fn a_mail_that_asks_before_it_complains_describes_nothing() {
    for text in [
        "Ik heb via mijn werk de cursus Timemanagement gedaan en ben er niet zo tevreden over. Ik wil misschien een klacht indienen. Moet dat via mijn werkgever?",
        "I'm on the coaching programme and there are a few things I'm not happy about. I'm thinking about making a complaint. Before I do, is it confidential?",
        "Ich habe das Seminar besucht und bin nicht ganz zufrieden. Bevor ich mich beschwere: wer liest meine Beschwerde?",
        "Ik volg sinds maart het traject bij jullie. Voordat ik een klacht indien: krijgt mijn coach die te zien? Dat zou ik liever niet hebben.",
    ] {
        assert_eq!(ex(text).fields.description, None, "{text}");
    }
    // A fact stated keeps the description, hesitating or not.
    for text in [
        "Ik twijfel of ik een klacht indien. De trainer kwam twee keer te laat. Kan dat nog?",
        "I'm considering a complaint. The coach shouted at me during our session. Is that allowed?",
        "Ik overweeg een klacht. Op 12 oktober stonden we voor een dichte deur. Wat moet ik doen?",
        "Ik overweeg een klacht. Tijdens de training werden we uitgelachen. Mag dat zomaar?",
        "I'm considering a complaint. I couldn't find your form and the trainer never came. Can I still complain?",
    ] {
        assert!(ex(text).fields.description.is_some(), "{text}");
    }
}

#[test]
fn a_follow_up_that_supplies_details_describes_nothing() {
    for text in [
        "Excuses, dat was ik vergeten te vermelden. Het gaat om de workshop Timemanagement. De sessie waar mijn klacht over gaat was op maandag 2 november.",
        "Sorry voor het late antwoord, ik was ziek.\n\nMijn adres is Kerkstraat 4 in 3811 CV Amersfoort en mijn telefoonnummer is 033 461 22 90.",
        "Apologies for the late reply, I was travelling. My complaint is about the coaching programme.",
        "Bij deze de gevraagde gegevens.\n\n----- formulier -----\n----- einde formulier -----",
    ] {
        assert_eq!(ex(text).fields.description, None, "{text}");
    }
    // The details with what went wrong are a description.
    for text in [
        "Excuses, vergeten te melden: de trainer kwam die dag niet opdagen.",
        "Het gaat om de training die twee keer werd afgezegd.",
        "Sorry voor de late reactie. De sessie was op 2 november en de coach was er niet.",
    ] {
        assert!(ex(text).fields.description.is_some(), "{text}");
    }
}

#[test]
fn which_service_was_attended_says_nothing_of_the_complaint() {
    for text in [
        "Ik wil graag een klacht indienen over de training die ik vorige week bij jullie heb gevolgd. Hoe moet ik dat doen?",
        "Ik wil een klacht indienen over de cursus die mijn dochter in oktober heeft gevolgd. Wat is de procedure?",
        "I would like to make a complaint about the course that I attended in Utrecht last month. How do I do that?",
    ] {
        assert_eq!(ex(text).fields.description, None, "{text}");
    }
    // What went wrong in the same sentence is a description.
    for text in [
        "Ik wil een klacht indienen over de trainer die de hele dag op zijn telefoon zat en ons negeerde.",
        "I want to complain about the course that I attended, because the trainer never showed up.",
    ] {
        assert!(ex(text).fields.description.is_some(), "{text}");
    }
}

#[test]
fn questions_about_the_procedure_say_nothing() {
    for text in [
        "Ik wil graag een klacht indienen. Moet ik daar een formulier voor invullen?",
        "I would like to make a complaint about the Leadership course I attended on 4 November. What information do you need from me, and is there a form I should use?",
        "Ich möchte mich beschweren. Gibt es dafür ein Formular?",
        "Hallo, ik heb een klacht over de workshop. Welke gegevens hebben jullie van mij nodig?",
    ] {
        assert_eq!(ex(text).fields.description, None, "{text}");
    }
    // Discontent without a fact, and enquiries about a course, say nothing either.
    for text in [
        "I'm not happy with how my coaching sessions have been going and would like to file a complaint. What do you need from me?",
        "I am not happy with the coaching I received and I would like to make a formal complaint.",
        "Ik ben niet tevreden over de cursus en wil graag een klacht indienen. Hoe lang heb ik daarvoor?",
        "Wanneer start de volgende training Effectief Communiceren? Ik zou me graag aanmelden samen met een collega. Is er ook een avondvariant?",
        "When does the next Leadership course start? I would like to sign up with two colleagues.",
        "Hoe kan ik een klacht indienen? En binnen welke termijn moet dat?",
    ] {
        assert_eq!(ex(text).fields.description, None, "{text}");
    }
    // A question that tells what happened is a description.
    for text in [
        "Waarom kwam de trainer twee uur te laat en waarom kregen we geen formulier voor de evaluatie?",
        "Is it normal that the trainer left at noon because he had another appointment?",
    ] {
        assert!(ex(text).fields.description.is_some(), "{text}");
    }
}

#[test]
fn enquiries_context_and_complaints_to_follow_say_nothing() {
    for text in [
        // an enquiry about dates and prices, with a request to forward it
        "We willen met onze afdeling (ongeveer tien collega's) de training Effectief Communiceren volgen. Welke data zijn er in maart beschikbaar en wat kost een training op locatie?\n\nMocht dit niet het goede adres zijn, wilt u de mail dan doorsturen?",
        "We would like to book the Time Management workshop for our team. Could you let me know the prices and the available dates in February?",
        // a context sentence of discontent and questions about the procedure
        "Ik heb vorig jaar bij u een leertraject gedaan en ben er totaal niet tevreden over. Hoe dien ik een klacht in? Binnen welke termijn moet dat?",
        "Wir haben bei Ihnen ein Training gebucht und sind damit unzufrieden. Bevor ich mich beschwere, habe ich eine Frage:\n\n1. Kann ich die Beschwerde auf Englisch schicken?\n\nVielen Dank.",
        "I attended your coaching programme and I am not happy with it. Is there a form for complaints, and who handles them?",
        // someone else's complaint, its content withheld
        "Drie deelnemers hebben mij laten weten dat zij ontevreden zijn. Over de inhoud ga ik niet in. Ik heb twee vragen:\n- Moeten zij zelf een klacht indienen?\n- Mag ik bij het gesprek over de klacht zijn?",
        // details now, the complaint later
        "Zoals afgesproken stuur ik u hierbij mijn gegevens. Een dossiernummer heb ik nog niet, want ik heb nog geen bevestiging gehad. Mijn klacht volgt morgen.",
        "As discussed on the phone, please find my details below. I will send the complaint itself separately.\n\nTom Baker\n07700 900123",
    ] {
        assert_eq!(ex(text).fields.description, None, "{text}");
    }
    // A complaint that also asks a question, or says why it is unhappy, is described.
    for text in [
        "Ik heb bij u de workshop timemanagement gevolgd en ben daar niet tevreden over, want de trainer kwam een uur te laat. Hoe dien ik een klacht in?",
        "Ik ben niet tevreden: de trainer las alleen zijn slides voor. Binnen welke termijn krijg ik antwoord?",
        "Wir haben ein Training gebucht. Der Trainer ist nicht erschienen. Kann ich die Beschwerde auf Englisch schicken?",
        "Het is mij niet duidelijk waarom de coach drie afspraken heeft verzet zonder het te melden; welke termijn geldt voor een klacht?",
        "Zoals besproken stuur ik hierbij mijn klacht. De trainer heeft de deelnemers uitgelachen en de lunch was er niet.",
        "I am disappointed with the trainer who shouted at me in front of the group.",
        "Ik ben niet tevreden over de training omdat de trainer niet kwam opdagen.",
        "Ich bin mit dem Coaching nicht zufrieden, weil die Termine ständig verschoben wurden.",
    ] {
        assert!(ex(text).fields.description.is_some(), "{text}");
    }
}
#[test]
fn questions_and_hesitations_without_facts_say_nothing() {
    for text in [
        // may I complain myself, will my employer see it
        "Ik heb een vraag. Mijn leidinggevende heeft mij aangemeld voor de cursus timemanagement en ik loop daar tegen een paar dingen aan. Kan ik zelf een klacht indienen, of moet dat via mijn werkgever omdat die de cursus betaalt? En krijgt mijn werkgever een kopie?",
        // hesitating, with a deadline question
        "Ik heb op 2 november de workshop feedback gevolgd bij jullie in Gent. Het is niet helemaal verlopen zoals ik gehoopt had en ik twijfel of ik een klacht zal indienen. Tot wanneer kan dat nog? Mag dat per mail?",
        "I attended the leadership day in Utrecht last week. It didn't quite go as I expected and I'm not sure whether to file a complaint. Until when can I do that?",
        // numbered questions about the procedure for an in-company course
        "Wij hebben voor maart de training Effectief Communiceren geboekt voor twee teams. Onze directie heeft gevraagd hoe de klachtenregeling werkt:\n\n1. Kan een deelnemer zelf een klacht indienen?\n2. Worden wij als opdrachtgever ingelicht?\n\nWij willen dit graag opnemen in onze nieuwsbrief. Kunt u mij hierover informeren?",
        // an enquiry with bulleted questions
        "Sorry if this is the wrong address, I couldn't find a general one on your website.\n\nI'm a freelance translator and I'm interested in your time management workshop. Two questions:\n\n- Is there an online group planned for May?\n- If I book, can the invoice be made out to my company?",
        "Ich bin an Ihrem Coaching interessiert. Zwei Fragen:\n- Gibt es Termine im Januar?\n- Kann die Rechnung an meine Firma gehen?",
    ] {
        assert_eq!(ex(text).fields.description, None, "{text}");
    }
    // A complaint that also asks is described.
    for text in [
        "De trainer kwam een uur te laat. Kan ik zelf een klacht indienen, of moet dat via HR?",
        "Mag ik een klacht indienen omdat de trainer niet kwam opdagen?",
        "Krijg ik mijn geld terug nu de training twee keer is afgezegd?",
        "Is het de bedoeling dat een trainer de hele dag op zijn telefoon zit?",
        "Kan iemand mij uitleggen wat er misging op 3 november?",
        "Hoe kan een trainer die ons de hele dag uitlachte nog bij jullie werken?",
        "Het is niet helemaal gelopen zoals ik verwacht had: de trainer las alleen zijn slides voor. Tot wanneer kan ik een klacht indienen?",
        "Ik twijfel of ik een klacht zal indienen, want de trainer heeft mij voor de groep uitgelachen.",
        "I'm a participant who was shouted at by the trainer. How do I file a complaint?",
        "Sorry for the wrong address, but the coach cancelled three sessions without notice.",
        "Ik ben vergeten te melden dat de trainer ons tijdens de lunch uitschold.",
        "Is het waar dat de trainer na onze klacht gewoon weer is ingeroosterd?",
        "Wie betaalt mijn treinkaartje terug, nu de training is geschrapt?",
    ] {
        assert!(ex(text).fields.description.is_some(), "{text}");
    }
}

#[test]
fn follow_ups_that_only_schedule_correct_or_hand_over_say_nothing() {
    for text in [
        "Sorry, vergeten erbij te zetten. Hierbij:\n\nTelefoonnummer: 06-12345678",
        "Oops, I forgot this. Here it is:\n\nPhone: 07700 900456",
        "Dank voor de uitnodiging. Woensdag 9 december om 10.00 uur lukt mij helaas niet, ik heb dan een tandartsafspraak. Vrijdag 11 december kan ik de hele ochtend.\n\nZou u mij voortaan op mijn nieuwe nummer willen bellen? Dat is 06-11 22 33 44, het oude nummer vervalt per 1 januari.",
        "Thank you for the invitation. Tuesday 8 December at 15:00 works for me.",
        "Ik denk dat er iets niet goed is gegaan met de datum. 3 september was de startdatum van de cursus. Waar ik over klaag is gebeurd op de laatste les, dinsdag 27 oktober. Dus volgens mij ben ik wel binnen de maand.",
        "I think something went wrong with the date. What I'm complaining about happened on 29 October. So I am within the month.",
    ] {
        assert_eq!(ex(text).fields.description, None, "{text}");
    }
    // A follow-up that adds a fact describes it.
    for text in [
        "Sorry, vergeten erbij te zetten: de trainer heeft ook mijn naam verkeerd op het certificaat gezet.",
        "Donderdag lukt mij niet. Ik wil nog toevoegen dat de trainer tijdens de pauze tegen mij schreeuwde.",
        "Waar ik over klaag is gebeurd op 29 oktober: de trainer stuurde twee deelnemers weg.",
        "Op donderdag 12 november was de trainer niet beschikbaar en werd de les zonder bericht geschrapt.",
    ] {
        assert!(ex(text).fields.description.is_some(), "{text}");
    }
}

#[test]
fn a_mail_that_describes_no_complaint_has_no_category_unless_serious() {
    let e = ex(
        "Ik ben geïnteresseerd in de workshop timemanagement. Twee vragen:\n- Is er een groep in het voorjaar?\n- Kan de factuur op naam van mijn bedrijf?",
    );
    assert_eq!((e.fields.description, e.category), (None, None));
    // Serious words are flagged even when the facts are still to come.
    let e =
        ex("Ik wil een klacht indienen over seksuele intimidatie door de trainer. Hoe doe ik dat?");
    assert_eq!(e.fields.description, None);
    assert!(e.serious);
    assert!(e.category.is_some());
}

#[test]
fn asking_without_a_question_mark_or_how_to_complain_describes_nothing() {
    for text in [
        "Ik overweeg een klacht in te dienen over de coaching. Voordat ik dat doe, wil ik graag weten welke gegevens u nodig heeft.",
        "Een collega heeft een nare ervaring gehad tijdens de training. Hoe kan ik namens haar een klacht indienen?",
        "I had a bad experience with my coaching and I wonder how I can complain about it.",
        "Ik twijfel of ik een klacht indien. Krijgt de trainer mijn naam te zien? Ik wil niet dat het meteen zwaar wordt.",
        "Excuus, dat was ik vergeten. Het ging om de Training Effectief Communiceren op maandag 16 november in Zwolle.",
    ] {
        assert_eq!(ex(text).fields.description, None, "{text}");
    }
    // The same asking with a fact told keeps the description.
    for text in [
        "Ik heb een nare ervaring gehad: de trainer kwam een uur te laat. Hoe kan ik een klacht indienen?",
        "Before I complain I'd like to know one thing: the trainer cancelled our last session without notice.",
        "Het ging om de Training Effectief Communiceren op 16 november, die zonder bericht niet doorging.",
    ] {
        assert!(ex(text).fields.description.is_some(), "{text}");
    }
}

#[test]
fn a_withdrawal_the_commission_or_which_case_describes_nothing() {
    for text in [
        "Ik trek mijn klacht in, de zaak is opgelost.",
        "Ik wil mijn klacht intrekken. Het is inmiddels opgelost met de trainer.",
        "Hierbij trek ik mijn klacht in.",
        "I would like to withdraw my complaint, the matter has been resolved.",
        "Ich ziehe meine Beschwerde zurück, die Sache hat sich erledigt.",
        "Ik wil mijn klacht voorleggen aan de klachtencommissie.",
        "Ik ben het niet eens met uw besluit en wil naar de onafhankelijke klachtencommissie.",
        "I would like to take my complaint to the complaints commission.",
        "Ik heb besloten mijn klacht in te trekken.",
        "We have sorted it out with the coach, so I withdraw my complaint.",
        "Het ging over de coaching.",
        "Ik was vergeten te vermelden over welke opleiding het ging: het was de training Effectief Communiceren.",
        "Mijn adres is Kerkstraat 1, 3511 AB Utrecht; bellen heb ik liever niet.",
        "Over mijn klacht KL-2026-0048: mijn adres is Lindelaan 14, 6824 KP Arnhem.",
        "Betreft KL2026-0052. Mijn adres is Torenstraat 3, 5211 AB 's-Hertogenbosch.",
    ] {
        assert_eq!(ex(text).fields.description, None, "{text}");
    }
}

#[test]
fn an_announcement_or_a_verdict_without_facts_describes_nothing() {
    for text in [
        "Ik ben zeer ontevreden over de training Effectief Communiceren en wil een klacht indienen; belt u mij, dan licht ik het toe.",
        "Beneden alle peil en zonde van mijn tijd, ik wil mijn geld terug.",
        "Hoe gaat dat precies, moet ik een formulier invullen?",
        "Ik ben zeer ontevreden over de coaching. Belt u mij maar, dan licht ik het toe.",
        "Ik wil een klacht indienen over de workshop. Graag telefonisch contact.",
        "Dit was echt waardeloos. Ik wil mijn geld terug.",
        "Very disappointed, a waste of my time and money. I want a refund.",
        "Absolut unzumutbar, ich will mein Geld zurück.",
        "I'm very unhappy with the coaching and want to file a complaint. Please call me and I'll explain.",
        "Ich bin sehr unzufrieden mit dem Seminar und möchte mich beschweren. Rufen Sie mich bitte an, dann erkläre ich es.",
        "Dit is echt schandalig. Ik eis mijn geld terug!",
        "Waardeloze training, zonde van het geld.",
    ] {
        assert_eq!(ex(text).fields.description, None, "{text}");
    }
    // One fact is enough.
    for text in [
        "De trainer kwam een uur te laat en de zaal was koud.",
        "Beneden alle peil: de trainer kwam een uur te laat. Ik wil mijn geld terug.",
        "Ik trek mijn klacht niet in, want de trainer heeft nooit gereageerd.",
        "A waste of my time, the trainer read the slides aloud all day.",
        "De trainer was slecht voorbereid, zonde van mijn tijd.",
        "Ik ben zeer ontevreden. De trainer kwam niet opdagen.",
        "Terrible course. The trainer was 40 minutes late.",
    ] {
        assert!(ex(text).fields.description.is_some(), "{text}");
    }
}

#[test]
fn a_follow_up_tells_only_with_a_fault_an_act_or_an_event_in_the_past() {
    use super::follow_up_tells;
    for text in [
        "Mijn adres is Molenweg 3, 5671 CD Nuenen. Bellen heb ik liever niet, mailen is prima.",
        "Excuses, die was ik vergeten. Mijn adres is Populierenlaan 23, 7461 AB Rijssen.",
        "Het ging om de workshop timemanagement op woensdag 14 oktober in Amersfoort.",
        "Na het gesprek met de trainer is het voor mij opgelost, dus ik wil mijn klacht graag intrekken.",
        "It was about the communication training of 3 November. My phone is 06 12 34 56 78.",
        "Es ging um den Workshop Zeitmanagement am 4. November.",
        "Inmiddels heb ik met de trainer gesproken en voor mij is het zo goed.",
        "I have since talked to the coach, so please close my complaint.",
    ] {
        assert!(!follow_up_tells(text), "{text}");
    }
    for text in [
        "De trainer kwam die dag een uur te laat en de helft van de stof werd overgeslagen.",
        "Bij de sessie van 19 november vertelde de coach mijn leidinggevende wat ik hem had toevertrouwd.",
        "The room was locked and nobody from numun answered the phone.",
        "Die Trainerin hat uns ausgelacht, als wir Fragen stellten.",
        "Het materiaal ontbrak en de beamer deed het niet.",
    ] {
        assert!(follow_up_tells(text), "{text}");
    }
}

#[test]
fn displeasure_expectations_and_demands_describe_nothing() {
    for text in [
        "Goedemiddag,\n\nIk wil even laten weten dat ik echt super ontevreden ben over de training die ik bij jullie heb gedaan. Wat een teleurstelling, echt zonde van mijn tijd en geld. Ik had er veel meer van verwacht en ik ga jullie zeker niet aanraden bij collega's. Dit is gewoon niet professioneel.\n\nDoe er wat mee.\n\nDennis",
        "Ik ben echt heel ontevreden over jullie cursus. Totaal niet wat ik ervan verwacht had, zonde van mijn tijd en geld. Dit had ik echt niet van jullie verwacht. Ik wil dat jullie hier wat mee doen.",
        "Hallo,\n\nWeggegooid geld. Echt het geld niet waard. Bel me maar.",
        "Dear numun,\n\nI just want to let you know that I am extremely disappointed with the course. Not what I expected and I would not recommend it to anyone. I expect you to do something about it.\n\nRegards,\nTom",
        "Goedenavond\n\nIk wil graag een klacht indienen over de training Leidinggeven aan teams die ik via mijn werk bij jullie heb gedaan. Hoe gaat dat precies?\n\nGr. R",
    ] {
        assert_eq!(ex(text).fields.description, None, "{text}");
    }
    // Displeasure with what happened describes it.
    for text in [
        "Ik ben echt heel ontevreden over jullie cursus. De trainer kwam een uur te laat en de helft van de oefeningen is overgeslagen.",
        "Wat een teleurstelling. De zaal was ijskoud en er was geen koffie.",
        "Not what I expected: the trainer read the slides aloud all day.",
        "Ik had er veel meer van verwacht, want de praktijkdag is geschrapt zonder uitleg.",
        "Ik wil dat jullie hier wat mee doen. De docent schreeuwde tegen een deelnemer.",
    ] {
        assert!(ex(text).fields.description.is_some(), "{text}");
    }
}

#[test]
fn a_withdrawal_with_why_it_is_settled_describes_nothing() {
    use crate::intake::extract::tests::{d, ex};
    for text in [
        "Dag,\n\nIk had op 2 november een klacht ingediend over de opleiding Excel basis. Ondertussen heeft de lesgever mij zelf opgebeld en hebben we een extra sessie ingepland, dus voor mij is de zaak opgelost. Ge moogt de klacht als ingetrokken beschouwen.\n\nBedankt voor de snelle opvolging!\n\nGroetjes,\nJolien",
        "Naar aanleiding van mijn klacht heeft de trainer mij vorige week zelf gebeld. We hebben het goed uitgesproken en ik mag de tweede dag kosteloos opnieuw volgen. Wat mij betreft hoeft u de klacht dus niet verder te behandelen; ik trek hem hierbij in.",
        "The coach called me on Monday and apologised, and we have agreed on a new date. I withdraw my complaint.",
        "Der Trainer hat mich angerufen und wir haben einen neuen Termin vereinbart. Ich ziehe meine Beschwerde zurück.",
        "Gij moogt mijn klacht als afgesloten beschouwen, de lesgever heeft zich verontschuldigd.",
        "You may consider my complaint withdrawn.",
    ] {
        assert_eq!(ex(text).fields.description, None, "{text}");
    }
    // The day the complaint was filed is no date of the facts.
    let e = ex(
        "Ik had op 2 november een klacht ingediend over de opleiding Excel basis. Ge moogt de klacht als ingetrokken beschouwen.",
    );
    assert_eq!((e.fields.description, e.fields.incident_date), (None, None));
    // A fault told with the withdrawal is a fact all the same.
    let e = ex(
        "Op 9 november kwam de trainer niet opdagen. Inmiddels heeft hij mij gebeld en is het opgelost; ik trek mijn klacht in.",
    );
    assert!(e.fields.description.is_some());
    assert_eq!(e.fields.incident_date, Some(d(2026, 11, 9)));
    // A complaint that is not settled stays one.
    assert!(
        ex("De trainer heeft mij gebeld, maar hij schreeuwde en dreigde mij. Ik trek niets in.")
            .fields
            .description
            .is_some()
    );
}

#[test]
fn an_announcement_with_displeasure_describes_nothing() {
    for text in [
        "hallo ik wil een klacht indienen over de training timemanagement die ik bij jullie heb gedaan, hoe moet dat precies?? moet ik een formulier invullen of kan het gewoon via de mail. het was echt niet goed geregeld allemaal en ik ben er eerlijk gezegd best wel klaar mee.\n\nhoor graag",
        "Ik wil een klacht indienen over de workshop Excel. Het was slecht georganiseerd en ik ben het spuugzat.",
        "I want to make a complaint about the course. It was badly organised and I'm fed up with it.",
        "Ich möchte mich über das Seminar beschweren. Es war nicht gut organisiert, ich habe die Nase voll.",
        "Ik wil een klacht indienen over de training. Ik ben het zat.",
    ] {
        assert_eq!(ex(text).fields.description, None, "{text}");
    }
    // With what went wrong, it describes.
    for text in [
        "Ik wil een klacht indienen: het was slecht georganiseerd, want de zaal was dubbel geboekt en we stonden een uur buiten.",
        "I'm fed up: the trainer cancelled for the third time on 12 November.",
        "Ik ben er klaar mee. De trainer kwam weer te laat.",
    ] {
        assert!(ex(text).fields.description.is_some(), "{text}");
    }
}

#[test]
fn a_german_verdict_in_subject_verb_order_describes_nothing() {
    for text in [
        "Sehr geehrte Damen und Herren,\n\nDas Seminar war eine Enttäuschung.\n\nMit freundlichen Grüßen\nKlaus Becker",
        "Das Seminar Konfliktmanagement war eine einzige Enttäuschung.",
        "Das Seminar am 3. November war eine Enttäuschung, ich will mein Geld zurück.",
        "De training Timemanagement was een grote teleurstelling.",
        "Das Training war eine totale Katastrophe. So etwas habe ich noch nie erlebt.",
        "De workshop was waardeloos. Zoiets heb ik nog nooit meegemaakt.",
    ] {
        assert_eq!(ex(text).fields.description, None, "{text}");
    }
    for text in [
        "Das Seminar war eine Enttäuschung, weil der Trainer zwei Stunden zu spät kam.",
        "Das Seminar am 3. November war eine Enttäuschung. Der Raum war eiskalt und der Beamer fehlte.",
    ] {
        assert!(ex(text).fields.description.is_some(), "{text}");
    }
}

#[test]
fn withdrawals_and_announcements_in_other_words_describe_nothing() {
    for text in [
        "Please consider my complaint withdrawn. The issue has been resolved with the trainer.",
        "Beschouw mijn klacht als ingetrokken, de trainer heeft zijn excuses aangeboden.",
        "Ik wil mijn klacht graag intrekken. De trainer heeft zijn excuses aangeboden en ik ben tevreden met de oplossing.",
        "Ik wil een klacht indienen over de training Effectief communiceren. Het was een rommeltje en ik ben er helemaal klaar mee. Wat moet ik doen?",
    ] {
        assert_eq!(ex(text).fields.description, None, "{text}");
    }
    // Not withdrawn, not settled: it still describes.
    assert!(
        ex("Ik trek mijn klacht niet in. De trainer heeft mij gebeld maar het probleem is niet opgelost.")
            .fields
            .description
            .is_some()
    );
    // A mess told is a fact.
    assert!(
        ex("Het was een rommeltje: de zaal was dubbel geboekt en de trainer kwam niet.")
            .fields
            .description
            .is_some()
    );
}
