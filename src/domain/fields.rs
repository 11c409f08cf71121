//! What a complaint says about itself: the fields of art. 3.2 and the category of art. 1.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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
    pub const ALL: [Category; 10] = [
        Category::Organisation,
        Category::Content,
        Category::Delivery,
        Category::Assessment,
        Category::SexualHarassment,
        Category::Discrimination,
        Category::Aggression,
        Category::Violence,
        Category::Bullying,
        Category::Intimidation,
    ];

    /// The stable key, as in JSON: `delivery`, `sexual_harassment`, ...
    pub fn key(self) -> &'static str {
        match self {
            Category::Organisation => "organisation",
            Category::Content => "content",
            Category::Delivery => "delivery",
            Category::Assessment => "assessment",
            Category::SexualHarassment => "sexual_harassment",
            Category::Discrimination => "discrimination",
            Category::Aggression => "aggression",
            Category::Violence => "violence",
            Category::Bullying => "bullying",
            Category::Intimidation => "intimidation",
        }
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_serializes_as_its_key() {
        for category in Category::ALL {
            let json = serde_json::to_value(category).unwrap();
            assert_eq!(json, category.key(), "{category:?}");
            assert_eq!(serde_json::from_value::<Category>(json).unwrap(), category);
        }
    }
}
