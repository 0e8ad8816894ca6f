//! Single-pass deserialization that never fails on a value of an unexpected type.
//!
//! Invocation bodies are written by the caller as much as by Bedrock, so any field may hold any JSON
//! value. serde's derived impls reject the whole document on the first type mismatch or duplicate key;
//! here every reader accepts every JSON value and falls back to its default, so one odd field costs that
//! field only. Skipped values go through serde_json's non-recursive skipper and the readers here nest a
//! fixed, small number of levels, so even hostile nesting depth cannot reach serde_json's recursion
//! limit; only malformed JSON fails a body.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// A string that borrows from the body unless it contained escapes.
pub(super) type Str<'a> = Option<Cow<'a, str>>;

/// The text of a [`Str`], or "" when absent.
pub(super) fn text<'b>(s: &'b Str<'_>) -> &'b str {
    s.as_deref().unwrap_or("")
}

/// A JSON number as serde_json reports it.
#[derive(Clone, Copy)]
pub(super) enum Num {
    U(u64),
    I(i64),
    F(f64),
}

/// A type readable from any JSON value; each impl overrides only the JSON kinds it understands.
pub(super) trait FromJson<'de>: Sized + Default {
    /// Whether strings matter to this type; spares a copy of escaped strings that would be dropped.
    const WANTS_STR: bool = false;

    fn from_str(_v: Cow<'de, str>) -> Self {
        Self::default()
    }
    fn from_num(_v: Num) -> Self {
        Self::default()
    }
    fn from_bool(_v: bool) -> Self {
        Self::default()
    }
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Self::default())
    }
    fn from_seq<A: SeqAccess<'de>>(mut seq: A) -> Result<Self, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Self::default())
    }
    /// True when the value carries nothing; such sequence elements are not kept, so a hostile array
    /// of `{}` or `0` cannot make the parsed form far larger than the body.
    fn is_void(&self) -> bool {
        false
    }
    /// Reads this type as the value of a struct field (overridden to keep raw JSON text).
    fn read_field<A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        map.next_value_seed(Lenient::<Self>::new())
    }
}

/// Seed and visitor that route any JSON value to the matching [`FromJson`] hook.
pub(super) struct Lenient<T>(PhantomData<T>);

impl<T> Lenient<T> {
    pub(super) fn new() -> Self {
        Lenient(PhantomData)
    }
}

impl<'de, T: FromJson<'de>> DeserializeSeed<'de> for Lenient<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: FromJson<'de>> Visitor<'de> for Lenient<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        Ok(T::from_bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Ok(T::from_num(Num::I(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        Ok(T::from_num(Num::U(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        Ok(T::from_num(Num::F(v)))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<T, E> {
        Ok(T::from_str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(if T::WANTS_STR {
            T::from_str(Cow::Owned(v.to_owned()))
        } else {
            T::default()
        })
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
        Ok(T::from_str(Cow::Owned(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok(T::default())
    }
    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        Ok(T::default())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        T::from_seq(seq)
    }
}

/// Reads `json` as `T`; `None` only for malformed or too deeply nested JSON.
pub(super) fn parse<'a, T: FromJson<'a>>(json: &'a str) -> Option<T> {
    let mut de = serde_json::Deserializer::from_str(json);
    Lenient::<T>::new().deserialize(&mut de).ok()
}

impl<'de: 'a, 'a> FromJson<'de> for Str<'a> {
    const WANTS_STR: bool = true;
    fn from_str(v: Cow<'de, str>) -> Self {
        Some(v)
    }
    fn is_void(&self) -> bool {
        self.is_none()
    }
}

impl FromJson<'_> for Option<u64> {
    fn from_num(v: Num) -> Self {
        match v {
            Num::U(u) => Some(u),
            Num::I(i) => u64::try_from(i).ok(),
            // Token counts are integers, but some writers emit `12.0`.
            Num::F(f) if f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f < 1.8e19 => {
                Some(f as u64)
            }
            Num::F(_) => None,
        }
    }
    fn is_void(&self) -> bool {
        self.is_none()
    }
}

impl FromJson<'_> for Option<f64> {
    fn from_num(v: Num) -> Self {
        Some(match v {
            Num::U(u) => u as f64,
            Num::I(i) => i as f64,
            Num::F(f) => f,
        })
    }
    fn is_void(&self) -> bool {
        self.is_none()
    }
}

impl<'de, T: FromJson<'de>> FromJson<'de> for Vec<T> {
    fn from_seq<A: SeqAccess<'de>>(mut seq: A) -> Result<Self, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = seq.next_element_seed(Lenient::<T>::new())? {
            if !item.is_void() {
                out.push(item);
            }
        }
        Ok(out)
    }
    fn is_void(&self) -> bool {
        self.is_empty()
    }
}

/// Whether a key was present with any non-null value (for content kinds shown only as a marker).
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Present(pub(super) bool);

impl<'de> FromJson<'de> for Present {
    const WANTS_STR: bool = true;
    fn from_str(_v: Cow<'de, str>) -> Self {
        Present(true)
    }
    fn from_num(_v: Num) -> Self {
        Present(true)
    }
    fn from_bool(_v: bool) -> Self {
        Present(true)
    }
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Present(true))
    }
    fn from_seq<A: SeqAccess<'de>>(mut seq: A) -> Result<Self, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Present(true))
    }
    fn is_void(&self) -> bool {
        !self.0
    }
}

/// A value, and whether it was there at all: anything but `null` or absence counts.
#[derive(Debug, Default)]
pub(super) struct Seen<T>(pub(super) bool, pub(super) T);

impl<'de, T: FromJson<'de>> FromJson<'de> for Seen<T> {
    // An escaped string is still a value that was there.
    const WANTS_STR: bool = true;
    fn from_str(v: Cow<'de, str>) -> Self {
        Seen(true, T::from_str(v))
    }
    fn from_num(v: Num) -> Self {
        Seen(true, T::from_num(v))
    }
    fn from_bool(v: bool) -> Self {
        Seen(true, T::from_bool(v))
    }
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        Ok(Seen(true, T::from_map(map)?))
    }
    fn from_seq<A: SeqAccess<'de>>(seq: A) -> Result<Self, A::Error> {
        Ok(Seen(true, T::from_seq(seq)?))
    }
    fn is_void(&self) -> bool {
        !self.0
    }
}

/// A struct field read only to step over it, where its key alone is the fact.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Skipped;

impl<'de> FromJson<'de> for Skipped {
    fn read_field<A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        map.next_value::<IgnoredAny>()?;
        Ok(Skipped)
    }
}

/// The verbatim JSON text of a struct field, for parts parsed later or re-serialized for display.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Raw<'a>(pub(super) Option<&'a RawValue>);

impl<'de: 'a, 'a> FromJson<'de> for Raw<'a> {
    fn read_field<A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        let raw: &'de RawValue = map.next_value()?;
        Ok(Raw((raw.get() != "null").then_some(raw)))
    }
    fn is_void(&self) -> bool {
        self.0.is_none()
    }
}

/// Map keys of an object whose keys are data (guardrail ids), borrowed where possible.
pub(super) struct KeyedMap<'a, T>(pub(super) Vec<(Cow<'a, str>, T)>);

impl<T> Default for KeyedMap<'_, T> {
    fn default() -> Self {
        KeyedMap(Vec::new())
    }
}

impl<'de: 'a, 'a, T: FromJson<'de>> FromJson<'de> for KeyedMap<'a, T> {
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = map.next_key_seed(Lenient::<Str<'a>>::new())? {
            let value = T::read_field(&mut map)?;
            if let Some(key) = key.filter(|k| !k.is_empty()) {
                out.push((key, value));
            }
        }
        Ok(KeyedMap(out))
    }
    fn is_void(&self) -> bool {
        self.0.is_empty()
    }
}

/// Declares a struct read field-by-field from a JSON object with lenient field readers.
///
/// Unknown keys are skipped, a repeated key keeps its last value, and any non-object value yields the
/// default. An optional `other` field records whether any unknown key was seen.
macro_rules! lenient_struct {
    (@fields $name:ident [$($lt:lifetime)?] [$($other:ident)?]
        { $($field:ident : $ty:ty = $key:literal),* $(,)? }) => {
        #[derive(Default)]
        pub(super) struct $name $(<$lt>)? {
            $(pub(super) $field: $ty,)*
            $(pub(super) $other: bool,)?
        }

        impl<'de $(: $lt, $lt)?> $crate::ingest::invocation_body::lenient::FromJson<'de>
            for $name $(<$lt>)?
        {
            fn from_map<A: ::serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                #[allow(non_camel_case_types)]
                enum Field { $($field,)* Unknown }
                struct Key;
                impl ::serde::de::Visitor<'_> for Key {
                    type Value = Field;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("an object key")
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<Field, E> {
                        Ok(match v { $($key => Field::$field,)* _ => Field::Unknown })
                    }
                }
                impl<'k> ::serde::de::DeserializeSeed<'k> for Key {
                    type Value = Field;
                    fn deserialize<D: ::serde::Deserializer<'k>>(self, d: D) -> Result<Field, D::Error> {
                        d.deserialize_str(self)
                    }
                }
                let mut out = Self::default();
                while let Some(key) = map.next_key_seed(Key)? {
                    match key {
                        $(Field::$field => {
                            out.$field =
                                $crate::ingest::invocation_body::lenient::FromJson::read_field(&mut map)?;
                        })*
                        Field::Unknown => {
                            $(out.$other = true;)?
                            map.next_value::<::serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(out)
            }
            fn is_void(&self) -> bool {
                true $(&& $crate::ingest::invocation_body::lenient::FromJson::is_void(&self.$field))*
            }
        }
    };
    (struct $name:ident<$lt:lifetime> { $($body:tt)* }) => {
        lenient_struct!(@fields $name [$lt] [] { $($body)* });
    };
    (struct $name:ident<$lt:lifetime> { $($body:tt)* } other: $other:ident) => {
        lenient_struct!(@fields $name [$lt] [$other] { $($body)* });
    };
    (struct $name:ident { $($body:tt)* }) => {
        lenient_struct!(@fields $name [] [] { $($body)* });
    };
}

pub(super) use lenient_struct;
