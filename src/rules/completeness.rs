//! Art. 3.2: a complaint must contain at least name, address, phone number and e-mail
//! address of the complainant (a), the date (b, always present: the mail's date), the
//! service taken (c), and a description with facts and circumstances (d).

use serde::{Deserialize, Serialize};

use crate::domain::Fields;

/// A mandatory item of art. 3.2. Declared in alphabetical order, so a sorted list of
/// missing items reads the same everywhere (JSON, letters, the owner's mail).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Address,
    Description,
    Email,
    Name,
    Phone,
    Service,
}

impl Field {
    pub const ALL: [Field; 6] = [
        Field::Address,
        Field::Description,
        Field::Email,
        Field::Name,
        Field::Phone,
        Field::Service,
    ];

    /// The key used in JSON and templates.
    pub fn key(self) -> &'static str {
        match self {
            Field::Address => "address",
            Field::Description => "description",
            Field::Email => "email",
            Field::Name => "name",
            Field::Phone => "phone",
            Field::Service => "service",
        }
    }

    /// How the letters name the item, in Dutch.
    pub fn dutch(self) -> &'static str {
        match self {
            Field::Address => "uw adres",
            Field::Description => "een omschrijving van de klacht, met de feiten en omstandigheden",
            Field::Email => "uw e-mailadres",
            Field::Name => "uw naam",
            Field::Phone => "uw telefoonnummer",
            Field::Service => "de dienst (training, cursus of workshop) die u heeft afgenomen",
        }
    }

    pub fn english(self) -> &'static str {
        match self {
            Field::Address => "your address",
            Field::Description => {
                "a description of the complaint, with the facts and circumstances"
            }
            Field::Email => "your e-mail address",
            Field::Name => "your name",
            Field::Phone => "your phone number",
            Field::Service => "the service (training, course or workshop) you took",
        }
    }

    fn value(self, fields: &Fields) -> Option<&str> {
        match self {
            Field::Address => fields.address.as_deref(),
            Field::Description => fields.description.as_deref(),
            Field::Email => fields.email.as_deref(),
            Field::Name => fields.name.as_deref(),
            Field::Phone => fields.phone.as_deref(),
            Field::Service => fields.service.as_deref(),
        }
    }
}

/// The mandatory items absent from `fields`, sorted.
pub fn missing(fields: &Fields) -> Vec<Field> {
    Field::ALL
        .into_iter()
        .filter(|f| f.value(fields).is_none_or(|v| v.trim().is_empty()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_missing_from_empty_fields_sorted() {
        let m = missing(&Fields::default());
        assert_eq!(m, Field::ALL.to_vec());
        let keys: Vec<_> = m.iter().map(|f| f.key()).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
    }

    #[test]
    fn blank_counts_as_missing_and_present_does_not() {
        let f = Fields {
            name: Some("  ".into()),
            address: Some("Dorpsstraat 1, 1234 AB Ergens".into()),
            phone: Some("06-12345678".into()),
            email: Some("a@b.nl".into()),
            service: Some("Training".into()),
            description: Some("Het ging mis".into()),
            incident_date: None,
        };
        assert_eq!(missing(&f), vec![Field::Name]);
    }
}
