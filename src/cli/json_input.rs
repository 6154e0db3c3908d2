//! Requests as JSON (`--input`, `batch`) and CSV rows (`batch --input-format
//! csv`): the same field names as the command-line flags, in snake_case, read
//! into the same argument types, so both paths share every later check.
//!
//! Unknown fields are errors, and so are fields the command line would refuse
//! together (read from the clap definition, not repeated here).

use super::InputError;
use super::{StartArgs, TitrateArgs, command};
use crate::strict_json::shorten;
use chrono::NaiveDate;
use serde_json::{Map, Value};

/// A dosing request read from JSON.
#[derive(Debug)]
pub(crate) enum Request {
    Start(Box<StartArgs>),
    Titrate(Box<TitrateArgs>),
    Growth(Box<super::growth::GrowthArgs>),
}

/// A request with its own decision date, when it gives one.
#[derive(Debug)]
pub(crate) struct JsonRequest {
    pub(crate) request: Request,
    pub(crate) as_of: Option<NaiveDate>,
}

/// Fields every request may carry besides its command's flags.
const EXTRA: [&str; 2] = ["as_of", "command"];

/// Flags that are not part of a request: where it comes from and how the
/// result is written.
const NOT_FIELDS: [&str; 7] = [
    "input", "help", "as_of", "format", "color", "rules", "products",
];

/// The field names a command accepts (its flags' ids) and the conflicts between them.
pub(crate) struct Fields {
    start: Schema,
    titrate: Schema,
    growth: Schema,
}

struct Schema {
    names: std::collections::HashSet<String>,
    conflicts: Vec<(String, String)>,
}

impl Schema {
    fn of(name: &str) -> Schema {
        let cli = command();
        let Some(cmd) = cli.find_subcommand(name) else {
            return Schema {
                names: std::collections::HashSet::new(),
                conflicts: Vec::new(),
            };
        };
        let args: Vec<&clap::Arg> = cmd
            .get_arguments()
            .filter(|a| !NOT_FIELDS.contains(&a.get_id().as_str()))
            .collect();
        let names: std::collections::HashSet<String> =
            args.iter().map(|a| a.get_id().to_string()).collect();
        let mut conflicts = Vec::new();
        for a in &args {
            for b in cmd.get_arg_conflicts_with(a) {
                let pair = (a.get_id().to_string(), b.get_id().to_string());
                if names.contains(&pair.1) {
                    conflicts.push(pair);
                }
            }
        }
        Schema { names, conflicts }
    }
}

impl Default for Fields {
    fn default() -> Self {
        Fields::new()
    }
}

impl Fields {
    /// Reads the command-line definition once.
    pub(crate) fn new() -> Fields {
        Fields {
            start: Schema::of("start"),
            titrate: Schema::of("titrate"),
            growth: Schema::of("growth"),
        }
    }

    /// The first CSV column that is a field of no request (start, titrate,
    /// growth, or `command`/`as_of`): refused for the whole batch, since an
    /// empty cell would otherwise hide it on every row. A column of another
    /// command than a row's is refused on that row only when its cell holds
    /// a value (a batch may mix commands).
    pub(crate) fn unknown_column<'h>(&self, headers: &'h csv::StringRecord) -> Option<&'h str> {
        headers.iter().find(|name| {
            !EXTRA.contains(name)
                && ![&self.start, &self.titrate, &self.growth]
                    .iter()
                    .any(|s| s.names.contains(*name))
        })
    }

    /// A request from a JSON object; `command` is the one the caller runs, or
    /// `None` when the object names it (`"command": "start"`).
    pub(crate) fn request(
        &self,
        value: Value,
        command: Option<&str>,
    ) -> Result<JsonRequest, InputError> {
        let Value::Object(mut map) = value else {
            return Err(InputError::new("a request must be a JSON object"));
        };
        let command = command_of(command, map.remove("command"))?;
        let schema = match command.as_str() {
            "start" => &self.start,
            "titrate" => &self.titrate,
            "growth" => &self.growth,
            other => {
                return Err(InputError::new(format!(
                    "command \"{}\" is not one of: start, titrate, growth",
                    shorten(other)
                )));
            }
        };
        // An unknown field is refused even when its value is null.
        for key in map.keys() {
            if !schema.names.contains(key) && !EXTRA.contains(&key.as_str()) {
                return Err(InputError::field(
                    &shorten(key),
                    format!(
                        "unknown field '{}' for {command} (fields are the flags' names in snake_case, e.g. weight_kg)",
                        shorten(key)
                    ),
                ));
            }
        }
        map.retain(|_, v| !v.is_null());
        let from_record = command == "titrate" && map.contains_key("record");
        if command != "growth" && !map.contains_key("indication") && !from_record {
            return Err(InputError::field(
                "indication",
                format!("indication is required for {command}"),
            ));
        }
        for (a, b) in &schema.conflicts {
            if map.contains_key(a) && map.contains_key(b) {
                return Err(InputError::field(a, format!("{a} cannot be used with {b}")));
            }
        }
        let as_of = match map.remove("as_of") {
            None => None,
            Some(v) => Some(field::<NaiveDate>(v, "as_of")?),
        };
        let request = match command.as_str() {
            "start" => Request::Start(Box::new(fields::<StartArgs>(map)?)),
            "growth" => Request::Growth(Box::new(fields::<super::growth::GrowthArgs>(map)?)),
            _ => Request::Titrate(Box::new(fields::<TitrateArgs>(map)?)),
        };
        Ok(JsonRequest { request, as_of })
    }
}

/// The command a JSON request runs: the caller's, or the one the object
/// names (`"command"`), which must agree when both are given.
fn command_of(command: Option<&str>, named: Option<Value>) -> Result<String, InputError> {
    let named = match named {
        None => None,
        Some(Value::String(s)) => Some(s),
        Some(other) => {
            return Err(InputError::new(format!(
                "command must be \"start\" or \"titrate\" (got {})",
                shorten(&other.to_string())
            )));
        }
    };
    let command = match (command, named.as_deref()) {
        (Some(c), None) => c.to_string(),
        (Some(c), Some(n)) if c == n => c.to_string(),
        (Some(c), Some(n)) => {
            return Err(InputError::new(format!(
                "command \"{}\" does not match gh-dose {c}",
                shorten(n)
            )));
        }
        (None, Some(n)) => n.to_string(),
        (None, None) => {
            return Err(InputError::new(
                "command is required (\"start\" or \"titrate\")",
            ));
        }
    };
    Ok(command)
}

/// Deserializes with the failing field's name in the message.
fn field<T: serde::de::DeserializeOwned>(v: Value, name: &str) -> Result<T, InputError> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        let at = if name.is_empty() {
            path
        } else {
            name.to_string()
        };
        InputError::field(&at, format!("{at}: {}", e.inner()))
    })
}

/// Deserializes a request object. Flattened structs hide the failing
/// field's name from serde, so on failure each field is tried alone to name it.
fn fields<T: for<'de> serde::Deserialize<'de>>(map: Map<String, Value>) -> Result<T, InputError> {
    let whole = Value::Object(map);
    match T::deserialize(&whole) {
        Ok(v) => Ok(v),
        Err(e) => {
            let Value::Object(map) = whole else {
                return Err(InputError::new(format!("{e}")));
            };
            let whole = e;
            for (key, value) in map {
                let one = Value::Object(Map::from_iter([(key.clone(), value)]));
                if let Err(e) = T::deserialize(&one) {
                    return Err(InputError::field(&key, format!("{key}: {e}")));
                }
            }
            Err(InputError::new(format!("{whole}")))
        }
    }
}

/// Fields that take several values: one cell holds them separated by `;`.
const LISTS: [&str; 4] = ["condition", "symptom", "confirm", "resolved"];

/// A JSON object from a CSV row: empty cells are absent, `true`/`false` are
/// booleans, whole numbers are integers (`28` for `supply_days`), other
/// numbers are floats, list fields split on `;`.
pub(crate) fn csv_row(headers: &csv::StringRecord, row: &csv::StringRecord) -> Value {
    let mut map = Map::new();
    for (key, cell) in headers.iter().zip(row.iter()) {
        let key = key.trim();
        let cell = cell.trim();
        if cell.is_empty() {
            continue;
        }
        let value = if LISTS.contains(&key) {
            Value::Array(
                cell.split(';')
                    .map(|s| Value::String(s.trim().to_string()))
                    .collect(),
            )
        } else if cell == "true" || cell == "false" {
            Value::Bool(cell == "true")
        } else if let Ok(n) = cell.parse::<i64>() {
            Value::Number(n.into())
        } else if let Ok(n) = cell.parse::<u64>() {
            Value::Number(n.into())
        } else if let Some(n) = cell
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
        {
            Value::Number(n)
        } else {
            Value::String(cell.to_string())
        };
        map.insert(key.to_string(), value);
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests;
