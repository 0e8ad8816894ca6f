//! A JSON string field that borrows from the record.
//!
//! serde's `Cow<str>` impl always builds an owned `String`; derive only swaps in a borrowing reader
//! for a field typed exactly `Cow<str>`, not for one inside `Option` or `Vec`. Every string field
//! of every record therefore cost an allocation and a copy; [`JsonStr`] borrows unless the string
//! holds escapes.

use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsonStr<'a>(pub Cow<'a, str>);

/// An optional string member of a record.
pub type Text<'a> = Option<JsonStr<'a>>;

impl<'a> JsonStr<'a> {
    pub fn into_owned(self) -> String {
        self.0.into_owned()
    }

    pub fn into_cow(self) -> Cow<'a, str> {
        self.0
    }
}

impl Deref for JsonStr<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for JsonStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for JsonStr<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(StrVisitor)
    }
}

struct StrVisitor;

impl<'de> Visitor<'de> for StrVisitor {
    type Value = JsonStr<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(JsonStr(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(JsonStr(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(JsonStr(Cow::Owned(v)))
    }
}

/// The string a JSON string literal stands for, borrowed from `json` when it has no escapes.
pub fn parse_str(json: &str) -> Option<Cow<'_, str>> {
    serde_json::from_str::<JsonStr<'_>>(json)
        .ok()
        .map(JsonStr::into_cow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrows_plain_strings_and_unescapes_others() {
        let plain: JsonStr<'_> = serde_json::from_str(r#""abc""#).unwrap();
        assert!(matches!(plain.0, Cow::Borrowed("abc")));
        let escaped: JsonStr<'_> = serde_json::from_str(r#""a\"b""#).unwrap();
        assert_eq!(&*escaped, "a\"b");
        assert!(serde_json::from_str::<JsonStr<'_>>("12").is_err());
        let absent: Text<'_> = serde_json::from_str("null").unwrap();
        assert!(absent.is_none());
        assert_eq!(parse_str(r#""x\ny""#).as_deref(), Some("x\ny"));
    }
}
