//! Every number of a table file against the band of its key
//! ([`crate::bands`]), with the position of the number itself: finite, inside
//! the band, and no table longer than [`MAX_ROWS`]. Every text (a string or
//! a key) holds no control character: a name, message or note with a line
//! break or a terminal escape would reach a report, a screen or a record. Runs after the typed
//! parse (which reports misspelt keys and wrong types) and before
//! compilation, so no compiled table ever holds `nan`, `inf` or a number no
//! patient, pen or calendar can have.

use crate::bands::{Band, FieldBand, MAX_ROWS};
use crate::diagnostic::{Cx, R};
use std::collections::HashMap;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Checks every number of `cx`'s text against `fields` (a key without a
/// band is refused too: every numeric key must have one).
pub(super) fn check(cx: &Cx, fields: &[FieldBand]) -> R<()> {
    let doc = DeTable::parse(cx.text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        cx.err(&span, e.message().trim_end().replace('\n', " "))
    })?;
    let walk = Walk {
        cx,
        bands: fields.iter().map(|(k, b)| (*k, *b)).collect(),
    };
    walk.table(doc.get_ref(), &mut String::new())
}

struct Walk<'a> {
    cx: &'a Cx<'a>,
    bands: HashMap<&'static str, Band>,
}

impl Walk<'_> {
    fn table(&self, t: &DeTable, path: &mut String) -> R<()> {
        for (key, value) in t.iter() {
            self.text(key.get_ref(), &key.span(), path)?;
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(key.get_ref());
            self.value(value, path)?;
            path.truncate(len);
        }
        Ok(())
    }

    fn value(&self, v: &Spanned<DeValue>, path: &mut String) -> R<()> {
        match v.get_ref() {
            DeValue::Table(t) => self.table(t, path),
            DeValue::Array(items) => {
                if let Some(extra) = items.get(MAX_ROWS) {
                    return Err(self.cx.err(
                        &extra.span(),
                        format!(
                            "{path} has more than {MAX_ROWS} rows (a table file holds a protocol or a formulary, not a database)"
                        ),
                    ));
                }
                items.iter().try_for_each(|item| self.value(item, path))
            }
            DeValue::Float(f) => self.number(path, f.as_str().parse().ok(), f.as_str(), v),
            DeValue::Integer(i) => {
                let x = i128::from_str_radix(i.as_str(), i.radix())
                    .ok()
                    .map(|n| n as f64);
                self.number(path, x, &i.to_string(), v)
            }
            DeValue::String(text) => self.text(text, &v.span(), path),
            DeValue::Boolean(_) | DeValue::Datetime(_) => Ok(()),
        }
    }

    /// A key or string without control characters (line breaks, tabs,
    /// escapes, C1 controls).
    fn text(&self, text: &str, span: &std::ops::Range<usize>, path: &str) -> R<()> {
        let Some((at, c)) = text.chars().enumerate().find(|(_, c)| c.is_control()) else {
            return Ok(());
        };
        let what = if path.is_empty() { "a key" } else { path };
        Err(self.cx.err(
            span,
            format!(
                "{what}: a text may not hold a control character (U+{:04X} at character {})",
                u32::from(c),
                at + 1
            ),
        ))
    }

    fn number(&self, path: &str, x: Option<f64>, raw: &str, v: &Spanned<DeValue>) -> R<()> {
        let Some(band) = self.bands.get(path) else {
            return Err(self.cx.err(
                &v.span(),
                format!("{path}: no plausibility band is defined for this number"),
            ));
        };
        if x.is_some_and(|x| band.holds(x)) {
            return Ok(());
        }
        let unit = if band.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", band.unit)
        };
        Err(self.cx.err(
            &v.span(),
            format!(
                "{path} must be a finite number between {} and {}{unit} (got {raw})",
                band.lo, band.hi
            ),
        ))
    }
}

#[cfg(test)]
mod tests;
