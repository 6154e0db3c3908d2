//! JSON output: pretty documents for one request, compact lines for batch,
//! and the JSON Schema of the `start`/`titrate` document.
//!
//! Batch speed lives here, not in the model: [`JsonCache`] holds the JSON of
//! every source and flag of a rule set, serialized once, and
//! [`write_line`] writes a document with them instead of escaping the same
//! long citations and messages for every line.

use super::growth::GrowthDocument;
use super::{DecisionHeader, Document, Header, RulesInfo};
use crate::dosing::ReferenceRef;
use crate::dosing::{Flag, SourceRef};
use crate::rules::RuleSet;
use crate::vocab::FlagCode;
use serde::Serialize;
use serde::ser::{SerializeSeq, SerializeStruct};
use serde_json::value::RawValue;
use std::collections::{BTreeMap, HashMap};

/// Pretty JSON with a trailing newline.
pub(crate) fn to_json<T: Serialize>(doc: &T) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(doc).map(|s| s + "\n")
}

/// The JSON Schema (draft 2020-12) of the `start`/`titrate` document.
pub(crate) fn schema() -> Result<String, serde_json::Error> {
    schema_of::<Document>()
}

/// The JSON Schema (draft 2020-12) of the `growth` document.
pub(crate) fn growth_schema() -> Result<String, serde_json::Error> {
    schema_of::<super::growth::GrowthDocument>()
}

/// The JSON Schema (draft 2020-12) of one visit record line.
pub(crate) fn record_schema() -> Result<String, serde_json::Error> {
    schema_of::<crate::record::Entry>()
}

/// The JSON Schema of a document type. Every property is required: fields
/// that do not apply are null, never absent.
fn schema_of<T: schemars::JsonSchema>() -> Result<String, serde_json::Error> {
    let mut schema = serde_json::to_value(schemars::schema_for!(T))?;
    require_all(&mut schema);
    serde_json::to_string_pretty(&schema).map(|s| s + "\n")
}

/// Marks every property of every object schema as required.
fn require_all(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Object(props)) = map.get("properties") {
                let names: Vec<serde_json::Value> = props
                    .keys()
                    .cloned()
                    .map(serde_json::Value::String)
                    .collect();
                map.insert("required".to_string(), serde_json::Value::Array(names));
            }
            map.values_mut().for_each(require_all);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(require_all),
        _ => {}
    }
}

/// The JSON of every source and flag of one rule set, and of its `rules`
/// block, serialized once.
#[derive(Debug, Default)]
pub(crate) struct JsonCache {
    /// The provenance of the rule set the cache was built from.
    info: Option<RulesInfo>,
    rules: Option<Box<RawValue>>,
    sources: HashMap<String, Box<RawValue>>,
    flags: BTreeMap<FlagCode, Box<RawValue>>,
    /// The built-in growth references, by id.
    references: HashMap<String, Box<RawValue>>,
}

fn raw<T: Serialize>(v: &T) -> Option<Box<RawValue>> {
    serde_json::to_string(v)
        .ok()
        .and_then(|s| RawValue::from_string(s).ok())
}

impl JsonCache {
    /// Serializes the sources, flags and provenance of a rule set.
    pub(crate) fn of(rules: &RuleSet) -> JsonCache {
        let sources = rules
            .all_sources()
            .filter_map(|s| {
                let r = SourceRef {
                    id: s.id.clone(),
                    citation: s.citation.clone(),
                    url: s.url.clone(),
                    grade: s.grade,
                };
                raw(&r).map(|j| (s.id.clone(), j))
            })
            .collect();
        let flags = rules
            .flags
            .iter()
            .filter_map(|(code, def)| {
                let f = Flag {
                    code: *code,
                    severity: def.severity,
                    message: def.message.clone(),
                    source: def.source.clone(),
                };
                raw(&f).map(|j| (*code, j))
            })
            .collect();
        let info = RulesInfo::of(rules);
        let references = crate::growth::Builtin::ALL
            .iter()
            .filter_map(|b| b.reference().ok())
            .filter_map(|r| {
                let x = ReferenceRef {
                    id: r.info.id.clone(),
                    name: r.info.name.clone(),
                    citation: r.info.citation.clone(),
                    licence: r.info.licence.clone(),
                };
                raw(&x).map(|j| (r.info.id.clone(), j))
            })
            .collect();
        JsonCache {
            rules: raw(&info),
            info: Some(info),
            sources,
            flags,
            references,
        }
    }
}

/// Writes one compact document (no newline), with the cache when the
/// document comes from the rule set the cache was built from.
pub(crate) fn write_line(
    out: &mut Vec<u8>,
    doc: &Document,
    cache: &JsonCache,
) -> Result<(), serde_json::Error> {
    if cache.info.as_ref() == Some(&doc.head.rules) {
        serde_json::to_writer(out, &Cached { doc, cache })
    } else {
        serde_json::to_writer(out, doc)
    }
}

/// Writes one compact growth document (no newline), with the cache as
/// [`write_line`] does.
pub(crate) fn write_growth_line(
    out: &mut Vec<u8>,
    doc: &GrowthDocument,
    cache: &JsonCache,
) -> Result<(), serde_json::Error> {
    if cache.info.as_ref() == Some(&doc.head.rules) {
        serde_json::to_writer(out, &CachedGrowth { doc, cache })
    } else {
        serde_json::to_writer(out, doc)
    }
}

/// A growth document with cached parts; the same fields, in the same order,
/// as the derived serialization of [`GrowthDocument`] (a test holds them
/// together).
struct CachedGrowth<'a> {
    doc: &'a GrowthDocument,
    cache: &'a JsonCache,
}

impl Serialize for CachedGrowth<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (d, c) = (self.doc, self.cache);
        let mut st = s.serialize_struct("GrowthDocument", 12)?;
        write_head(&mut st, &d.head, c)?;
        st.serialize_field("patient", &d.patient)?;
        st.serialize_field("indication", &d.indication)?;
        st.serialize_field("growth", &d.growth)?;
        let references = List {
            items: &d.references,
            // A reference file of the user's cannot take a built-in id
            // (refused when it is read), so an id names one text.
            lookup: |r: &ReferenceRef| c.references.get(&r.id).map(|b| &**b),
        };
        st.serialize_field("references", &references)?;
        tail(&mut st, (&d.flags, &d.rationale, &d.sources), c)?;
        st.end()
    }
}

/// The fields every decision document opens with: the header, written
/// field by field as its derived serialization flattens it, and `rules` from
/// the cache.
fn write_head<M: SerializeStruct>(
    st: &mut M,
    head: &DecisionHeader,
    c: &JsonCache,
) -> Result<(), M::Error> {
    let Header {
        schema_version,
        gh_dose_version,
        command,
    } = &head.header;
    st.serialize_field("schema_version", schema_version)?;
    st.serialize_field("gh_dose_version", gh_dose_version)?;
    st.serialize_field("command", command)?;
    st.serialize_field("as_of", &head.as_of)?;
    match c.rules.as_deref() {
        Some(r) => st.serialize_field("rules", r),
        None => st.serialize_field("rules", &head.rules),
    }
}

/// The fields every document closes with: flags and sources from the cache.
fn tail<M: SerializeStruct>(
    st: &mut M,
    (flags, rationale, sources): (&[Flag], &[String], &[SourceRef]),
    c: &JsonCache,
) -> Result<(), M::Error> {
    let flags = List {
        items: flags,
        lookup: |f: &Flag| c.flags.get(&f.code).map(|b| &**b),
    };
    st.serialize_field("flags", &flags)?;
    st.serialize_field("rationale", rationale)?;
    let sources = List {
        items: sources,
        lookup: |x: &SourceRef| c.sources.get(&x.id).map(|b| &**b),
    };
    st.serialize_field("sources", &sources)
}

/// A document serialized with cached parts (only for documents of the cache's
/// rule set); the same fields, in the same order, as the derived
/// serialization of [`Document`] (a test holds them together).
struct Cached<'a> {
    doc: &'a Document,
    cache: &'a JsonCache,
}

/// A list serialized element by element from the cache when it has one.
struct List<'a, T, F> {
    items: &'a [T],
    lookup: F,
}

impl<'a, T: Serialize, F: Fn(&T) -> Option<&'a RawValue>> Serialize for List<'a, T, F> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.items.len()))?;
        for x in self.items {
            match (self.lookup)(x) {
                Some(r) => seq.serialize_element(r)?,
                None => seq.serialize_element(x)?,
            }
        }
        seq.end()
    }
}

impl Serialize for Cached<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (d, c) = (self.doc, self.cache);
        let mut st = s.serialize_struct("Document", 12)?;
        write_head(&mut st, &d.head, c)?;
        st.serialize_field("patient", &d.patient)?;
        st.serialize_field("indication", &d.indication)?;
        st.serialize_field("product", &d.product)?;
        st.serialize_field("recommendation", &d.recommendation)?;
        tail(&mut st, (&d.flags, &d.rationale, &d.sources), c)?;
        st.end()
    }
}

#[cfg(test)]
mod tests;
