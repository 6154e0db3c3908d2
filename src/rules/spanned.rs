//! A value with the byte range it was read from, for the on-disk rows of the
//! rule and product files ([`super::file`], [`super::products::file`]).
//!
//! Read from TOML it is exactly `toml::Spanned` (the same positions, the same
//! errors). It also reads and writes a compact binary form, the range then
//! the value: `build.rs` parses the built-in tables once and stores their
//! rows that way, so a command does not parse the built-in TOML again
//! (start-up cost). Like `toml::Spanned`, two values compare by their value
//! alone, whatever their positions.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::hash::{Hash, Hasher};
use std::ops::Range;

/// A value and the byte range of the file it was read from.
#[derive(Clone, Debug)]
pub(crate) struct Spanned<T> {
    span: Range<usize>,
    value: T,
}

impl<T> Spanned<T> {
    /// A value read from this byte range.
    pub(crate) fn new(span: Range<usize>, value: T) -> Spanned<T> {
        Spanned { span, value }
    }

    /// The byte range of the value in its file.
    pub(crate) fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// The value.
    pub(crate) fn get_ref(&self) -> &T {
        &self.value
    }
}

impl<T> AsRef<T> for Spanned<T> {
    fn as_ref(&self) -> &T {
        &self.value
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Eq> Eq for Spanned<T> {}

impl<T: Hash> Hash for Spanned<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<T: PartialOrd> PartialOrd for Spanned<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.value.partial_cmp(&other.value)
    }
}

impl<T: Ord> Ord for Spanned<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.cmp(&other.value)
    }
}

/// TOML (a human-readable format) gives the position itself, through
/// `toml::Spanned`; the binary form holds `(start, end, value)`.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let s = toml::Spanned::<T>::deserialize(d)?;
            Ok(Spanned::new(s.span(), s.into_inner()))
        } else {
            let (start, end, value) = <(usize, usize, T)>::deserialize(d)?;
            Ok(Spanned::new(start..end, value))
        }
    }
}

/// The value alone in a human-readable format (as `toml::Spanned`); the
/// range and the value in the binary form.
impl<T: Serialize> Serialize for Spanned<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            self.value.serialize(s)
        } else {
            (self.span.start, self.span.end, &self.value).serialize(s)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, Serialize)]
    struct Row {
        x: Spanned<f64>,
        name: Option<Spanned<String>>,
    }

    #[test]
    fn toml_gives_the_positions_of_toml_spanned() {
        let text = "x = 1.5\nname = \"a\"\n";
        let row: Row = toml::from_str(text).unwrap();
        assert_eq!(row.x.span(), 4..7);
        assert_eq!(*row.x.get_ref(), 1.5);
        let name = row.name.unwrap();
        assert_eq!(name.span(), 15..18);
        assert_eq!(name.get_ref(), "a");
        // The same error as `toml::Spanned`, at the same place.
        let e = toml::from_str::<Row>("x = \"no\"\n").unwrap_err();
        assert_eq!(e.span(), Some(4..8));
        assert!(e.message().contains("invalid type: string"), "{e}");
    }

    #[test]
    fn the_binary_form_keeps_the_range_and_the_exact_value() {
        let row = Row {
            x: Spanned::new(3..9, 0.1 + 0.2),
            name: Some(Spanned::new(12..20, "b".to_string())),
        };
        let bytes = postcard::to_stdvec(&row).unwrap();
        let back: Row = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back.x.span(), 3..9);
        assert_eq!(back.x.get_ref().to_bits(), (0.1f64 + 0.2).to_bits());
        assert_eq!(back.name.as_ref().map(Spanned::span), Some(12..20));
        // Compared by value, as `toml::Spanned`.
        assert_eq!(Spanned::new(0..1, 2u8), Spanned::new(5..6, 2u8));
        assert!(Spanned::new(0..1, 1u8) < Spanned::new(0..1, 2u8));
        // Human-readable output holds the value alone.
        assert_eq!(
            serde_json::to_string(&row.x).unwrap(),
            "0.30000000000000004"
        );
    }
}
