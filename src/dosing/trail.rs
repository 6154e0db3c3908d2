//! The trail of a decision: the flags raised, the rationale lines and the
//! sources cited, gathered while a regimen computes and resolved once at the
//! end against the rule set (most severe flag first; sources in first-use
//! order, each once).

use crate::rules::RuleSet;
use crate::vocab::{FlagCode, Grade, Severity};
use serde::Serialize;

/// A safety or context flag.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Flag {
    pub code: FlagCode,
    pub severity: Severity,
    pub(crate) message: String,
    pub(crate) source: String,
}

/// A source behind a number in the outcome.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub(crate) struct SourceRef {
    pub(crate) id: String,
    pub(crate) citation: String,
    pub(crate) url: Option<String>,
    pub(crate) grade: Grade,
}

/// Flag codes in the order they were raised, without repeats.
#[derive(Debug, Default)]
pub(crate) struct Raised(Vec<FlagCode>);

impl Raised {
    pub(crate) fn raise(&mut self, code: FlagCode) {
        if !self.0.contains(&code) {
            self.0.push(code);
        }
    }

    pub(crate) fn raise_if(&mut self, cond: bool, code: FlagCode) {
        if cond {
            self.raise(code);
        }
    }

    /// Takes back a code raised by an earlier stage (a presentation found
    /// after all).
    pub(crate) fn lower(&mut self, code: FlagCode) {
        self.0.retain(|c| *c != code);
    }

    /// Whether a code was raised.
    pub(crate) fn has(&self, code: FlagCode) -> bool {
        self.0.contains(&code)
    }

    /// Resolved flags, most severe first (raising order within a severity).
    pub(crate) fn resolve(&self, rules: &RuleSet) -> Vec<Flag> {
        let mut out: Vec<Flag> = self
            .0
            .iter()
            .filter_map(|code| {
                rules.flag(*code).map(|def| Flag {
                    code: *code,
                    severity: def.severity,
                    message: def.message.clone(),
                    source: def.source.clone(),
                })
            })
            .collect();
        out.sort_by_key(|f| f.severity);
        out
    }

    /// The raised codes that are a `block` in this rule set.
    pub(crate) fn blocks(&self, rules: &RuleSet) -> Vec<FlagCode> {
        self.0
            .iter()
            .copied()
            .filter(|c| {
                rules
                    .flag(*c)
                    .is_some_and(|d| d.severity == Severity::Block)
            })
            .collect()
    }
}

/// Collects source ids in first-use order, without repeats.
#[derive(Debug, Default)]
pub(crate) struct SourceList(Vec<String>);

impl SourceList {
    /// Adds ids not yet listed.
    pub(crate) fn add<'a>(&mut self, ids: impl IntoIterator<Item = &'a String>) {
        for id in ids {
            if !self.0.contains(id) {
                self.0.push(id.clone());
            }
        }
    }

    /// Adds ids and returns them (for listings that show ids per row).
    pub(crate) fn cite(&mut self, ids: &[String]) -> Vec<String> {
        self.add(ids);
        ids.to_vec()
    }

    /// The listed sources with their citations, in first-use order.
    pub(crate) fn resolve(self, rules: &RuleSet) -> Vec<SourceRef> {
        self.0
            .iter()
            .filter_map(|id| rules.source(id))
            .map(|s| SourceRef {
                id: s.id.clone(),
                citation: s.citation.clone(),
                url: s.url.clone(),
                grade: s.grade,
            })
            .collect()
    }
}

/// Flags, rationale and sources gathered while computing.
#[derive(Debug, Default)]
pub(crate) struct Notes {
    pub(crate) raised: Raised,
    pub(crate) rationale: Vec<String>,
    pub(crate) sources: SourceList,
}

impl Notes {
    /// Adds a rationale line.
    pub(crate) fn why(&mut self, line: impl Into<String>) {
        self.rationale.push(line.into());
    }

    /// Where the next rationale line goes (to retract a span later).
    pub(crate) fn mark(&self) -> usize {
        self.rationale.len()
    }

    /// Replaces the rationale lines `span` (from two marks) with one line:
    /// the dose steps of an outcome that gives no dose are not shown.
    pub(crate) fn retract(&mut self, span: std::ops::Range<usize>, line: impl Into<String>) {
        let end = span.end.min(self.rationale.len());
        let start = span.start.min(end);
        self.rationale
            .splice(start..end, std::iter::once(line.into()));
    }

    /// Raises a flag.
    pub(crate) fn raise(&mut self, code: FlagCode) {
        self.raised.raise(code);
    }

    /// Cites source ids.
    pub(crate) fn cite<'a>(&mut self, ids: impl IntoIterator<Item = &'a String>) {
        self.sources.add(ids);
    }

    /// OFF_LABEL with the reason in the rationale.
    pub(crate) fn off_label(&mut self, why: String) {
        self.raise(FlagCode::OffLabel);
        self.why(why);
    }

    /// The flags (most severe first) and every source cited, flags' included.
    pub(crate) fn finish(mut self, rules: &RuleSet) -> (Vec<Flag>, Vec<String>, Vec<SourceRef>) {
        let flags = self.raised.resolve(rules);
        for f in &flags {
            self.sources.add(std::iter::once(&f.source));
        }
        (flags, self.rationale, self.sources.resolve(rules))
    }
}

#[cfg(test)]
mod tests;
