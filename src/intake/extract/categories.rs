//! Categories (art. 1) from keywords, the serious ones (art. 1.4) first.

use std::sync::LazyLock;

use regex::Regex;

use super::services::{normalise, word_matches};
use super::{ServiceCatalogue, re};
use crate::domain::Category;

/// The categories in order of priority: the serious ones first.
static CATEGORIES: LazyLock<Vec<(Category, Regex)>> = LazyLock::new(|| {
    vec![
        (
            Category::SexualHarassment,
            re(
                r"\bseksuele?\s+(?:intimidatie|toespeling|opmerking|grensoverschrijd|getint|intimiderend)|\bseksueel\s+(?:getint|overschrijdend|intimiderend)|\bsexual(?:ly)?\s+(?:explicit|suggestive|comments|remarks|jokes)|\bongewenste\s+intimiteit|\bsexual(?:ly)?\s+harass|\bsexual\s+misconduct|\baangerand|\baanranding|\bbetast\b|\bunwanted\s+(?:sexual\s+)?advances|\bgroped\b",
            ),
        ),
        (
            Category::Discrimination,
            re(
                r"\bdiscrimin|\bgediscrimineerd|\bracis|\bracist|\bseksist|\bsexist|\bhomofob|\bhomophob",
            ),
        ),
        (
            Category::Violence,
            re(
                r"\bgeweld\b|\bgewelddadig|\bgeslagen\b|\bsloeg\s+(?:mij|me|hem|haar)\b|\bmishandel|\bgeschopt\b|\bgeduwd\b|\bvastgepakt\b|\baangevallen\b|\bfysiek\s+geweld|\bviolen(?:ce|t)\b|\bassault|\bphysically\s+attacked",
            ),
        ),
        (
            Category::Aggression,
            re(
                r"\bagressi|\bagressief|\bagressieve|\bbedreig|\bscheld|\bschold|\buitgescholden|\baggressi|\bthreaten|\bshouted\s+at|\bschreeuwde\s+(?:tegen|naar)",
            ),
        ),
        (
            Category::Bullying,
            re(
                r"\bpesten\b|\bgepest\b|\bpestte|\bpestgedrag|\bpesterij|\bbull(?:y|ying|ied|ies)\b",
            ),
        ),
        (
            Category::Intimidation,
            re(
                r"\bintimidatie\b|\bge(?:ï|i\x{308}|i)ntimideerd|\bintimiderend|\bintimid(?:ated|ating|ation)\b",
            ),
        ),
        (
            Category::Assessment,
            re(
                r"\bbeoordel|\bbeoordeeld|\bcijfer|\bcertifica|\bexamen|\bexamin|\btoets(?:en|ing)?\b|\bassessment|\bgrade[ds]?\b|\bgrading\b|\bdiploma|\bgezakt\b|\bniet\s+geslaagd|\bfailed\s+(?:me|the\s+exam)",
            ),
        ),
        (
            Category::Delivery,
            re(
                r"\btrainer|\btrainster|\bdocent|\bmanier\s+van\s+lesgeven|\blesgeven\b|\buitleg|\bte\s+laat\b|\bonvoorbereid|\bteacher|\binstructor|\bunprepared|\bexplanation|\bdidacti",
            ),
        ),
        (
            Category::Organisation,
            re(
                r"\blocatie|\bplanning\b|\brooster|\bgeannuleerd|\bannuler|\bverplaatst|\blokaal\b|\bfactu(?:ur|ren|ratie)|\binschrijving|\borganisatie|\bcatering|\bparkeer|\bcancel|\bvenue\b|\binvoice|\bschedul|\blocation\b|\bregistration\b|\borgani[sz]ation\b|\bafgezegd|\bniet\s+(?:komen\s+)?(?:op\s+)?(?:komen\s+)?opdagen|\bno\s+show|\bdid\s+not\s+show\s+up|\bcancelled\b|\bafspraken\s+(?:afgezegd|verzet)",
            ),
        ),
        (
            Category::Content,
            re(
                r"\binhoud|\blesstof|\bmateria(?:al|l|len)\b|\blesmateriaal|\bverouderd|\bniet\s+wat\s+(?:er\s+)?(?:werd\s+)?beloofd|\bcontent\b|\boutdated\b|\bcourse\s+material|\bsyllabus\b|\bherhaling\b|\bniveau\b|\bte\s+basaal|\boppervlakkig|\bniets\s+nieuws",
            ),
        ),
    ]
});

/// The category from keywords, the serious ones first. The names of the catalogue's
/// services do not count ("Training Omgaan met Agressie" is no aggression).
pub(super) fn category(texts: &[&str], catalogue: &ServiceCatalogue) -> Option<Category> {
    let mut hay = String::new();
    for t in texts {
        hay.push_str(&normalise(t));
        hay.push('\n');
    }
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for service in &catalogue.services {
        for name in std::iter::once(&service.name).chain(&service.aliases) {
            spans.extend(word_matches(&hay, &normalise(name)));
        }
    }
    if !spans.is_empty() {
        let mut blanked = String::with_capacity(hay.len());
        for (i, c) in hay.char_indices() {
            let inside = spans.iter().any(|(s, e)| (*s..*e).contains(&i));
            blanked.push(if inside { ' ' } else { c });
        }
        hay = blanked;
    }
    CATEGORIES
        .iter()
        .find(|(_, pattern)| pattern.is_match(&hay))
        .map(|(c, _)| *c)
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
}
