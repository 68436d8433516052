//! One field of a partial update (JSON merge patch): keep it, clear it, or set it.

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Patch<T> {
    #[default]
    Keep,
    Clear,
    Set(T),
}

impl<T> Patch<T> {
    /// Applies the patch to an optional value.
    pub fn apply(self, current: Option<T>) -> Option<T> {
        match self {
            Patch::Keep => current,
            Patch::Clear => None,
            Patch::Set(value) => Some(value),
        }
    }

    /// The new value, if the patch sets one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Patch::Set(value) => Some(value),
            Patch::Keep | Patch::Clear => None,
        }
    }

    /// Applies the patch to a required value (the API refuses clearing it).
    pub fn apply_required(self, current: T) -> T {
        match self {
            Patch::Set(value) => value,
            Patch::Keep | Patch::Clear => current,
        }
    }
}
