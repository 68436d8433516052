//! The household situation the subsistence norm depends on.

/// Leefvorm as the Participatiewet distinguishes it for the bijstandsnorm.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum HouseholdType {
    /// ALLEENSTAANDE
    Single,
    /// ALLEENSTAANDE_OUDER
    SingleParent,
    /// GEHUWD_OF_SAMENWONEND
    MarriedOrCohabiting,
}

impl HouseholdType {
    pub const ALL: [HouseholdType; 3] = [
        HouseholdType::Single,
        HouseholdType::SingleParent,
        HouseholdType::MarriedOrCohabiting,
    ];

    /// The code used on the API and in storage.
    pub fn code(self) -> &'static str {
        match self {
            HouseholdType::Single => "ALLEENSTAANDE",
            HouseholdType::SingleParent => "ALLEENSTAANDE_OUDER",
            HouseholdType::MarriedOrCohabiting => "GEHUWD_OF_SAMENWONEND",
        }
    }

    pub fn from_code(code: &str) -> Option<HouseholdType> {
        HouseholdType::ALL.into_iter().find(|h| h.code() == code)
    }
}
