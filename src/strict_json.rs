//! JSON text to a `serde_json::Value`, refusing a key given twice in one
//! object at any depth. `serde_json::from_str` keeps the last of repeated
//! keys, so `{"condition": ["active-malignancy"], "condition": []}` would
//! silently drop a contraindication; here it is an error that names the key.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

/// Why a JSON text was refused, with the 1-based position the parser reached.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct JsonError {
    /// What is wrong, without the position (`expected value`,
    /// `weight_kg is given twice`).
    pub(crate) message: String,
    /// 1-based line.
    pub(crate) line: usize,
    /// 1-based column.
    pub(crate) column: usize,
    /// Whether a key was repeated (else the text is not JSON).
    pub(crate) repeated: bool,
    /// The top-level key at fault when a key is repeated (the repeated key
    /// itself, or the field that holds it).
    pub(crate) field: Option<String>,
}

impl JsonError {
    /// The problem in words, without the position: `weight_kg is given
    /// twice`, `not JSON: expected value`.
    pub(crate) fn what(&self) -> String {
        if self.repeated {
            self.message.clone()
        } else {
            format!("not JSON: {}", self.message)
        }
    }
}

/// Parses one JSON value; a repeated key or trailing text is an error.
pub(crate) fn parse(text: &str) -> Result<Value, JsonError> {
    let path = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Strict { path: &path }
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v));
    value.map_err(|e| match path.into_inner() {
        Some(segments) => repeated(segments, &e),
        None => JsonError {
            message: without_position(&e),
            line: e.line(),
            column: e.column(),
            repeated: false,
            field: None,
        },
    })
}

/// serde_json's message without its ` at line L column C` tail.
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let tail = format!(" at line {} column {}", e.line(), e.column());
    text.strip_suffix(&tail).unwrap_or(&text).to_string()
}

/// The error for a repeated key; `segments` run from the repeated key out
/// to the top-level field that holds it.
fn repeated(mut segments: Vec<Segment>, e: &serde_json::Error) -> JsonError {
    segments.reverse();
    let mut path = String::new();
    for s in &segments {
        match s {
            Segment::Key(k) if path.is_empty() => path.push_str(k),
            Segment::Key(k) => {
                path.push('.');
                path.push_str(k);
            }
            Segment::Index(i) => path.push_str(&format!("[{i}]")),
        }
    }
    let top = match segments.first() {
        Some(Segment::Key(k)) => Some(k.clone()),
        _ => None,
    };
    let plain = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.[]".contains(c));
    let shown = shorten(&path);
    let message = if plain {
        format!("{shown} is given twice")
    } else {
        // Quoted, so that a strange key cannot pass for the message's own words.
        format!("{:?} is given twice", shown.as_ref())
    };
    JsonError {
        message,
        line: e.line(),
        column: e.column(),
        repeated: true,
        field: top.map(|k| shorten(&k).into_owned()),
    }
}

/// One step of the path to a repeated key.
#[derive(Debug)]
enum Segment {
    Key(String),
    Index(usize),
}

/// Builds a `Value` like serde_json's own visitor, refusing repeated keys.
/// `path` is filled (innermost first) only on that error.
#[derive(Clone, Copy)]
struct Strict<'a> {
    path: &'a RefCell<Option<Vec<Segment>>>,
}

impl Strict<'_> {
    /// On the way out of a failed value: adds where it sat, when the failure
    /// is a repeated key.
    fn outer(self, segment: impl FnOnce() -> Segment) {
        if let Some(path) = self.path.borrow_mut().as_mut() {
            path.push(segment());
        }
    }
}

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            match seq.next_element_seed(self) {
                Ok(Some(v)) => items.push(v),
                Ok(None) => return Ok(Value::Array(items)),
                Err(e) => {
                    self.outer(|| Segment::Index(items.len()));
                    return Err(e);
                }
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                *self.path.borrow_mut() = Some(vec![Segment::Key(key)]);
                return Err(de::Error::custom("a key is given twice"));
            }
            match map.next_value_seed(self) {
                Ok(v) => {
                    object.insert(key, v);
                }
                Err(e) => {
                    self.outer(|| Segment::Key(key));
                    return Err(e);
                }
            }
        }
        Ok(Value::Object(object))
    }
}

/// A value echoed in a message, cut to 60 characters so that a hostile
/// input cannot fill the screen.
pub(crate) fn shorten(s: &str) -> Cow<'_, str> {
    match s.char_indices().nth(60) {
        None => Cow::Borrowed(s),
        Some((i, _)) => Cow::Owned(format!("{}... ({} bytes)", &s[..i], s.len())),
    }
}

#[cfg(test)]
mod tests;
