//! Outcome to CDS Hooks cards, and the proposed `MedicationRequest` a card's
//! suggestion carries.
//!
//! One card per decision. `indicator` from the worst flag (a `block`, a
//! withhold or a stop is `critical`); `summary` under 140 characters;
//! `source` names gh-dose, its version and the label or guideline the
//! number came from; `detail` is Markdown with the dose, the rationale and
//! the sources. A dose to order (start, increase, decrease) comes with one
//! suggestion holding one action with the whole proposed resource and
//! `selectionBehavior: at-most-one`; a withhold, a stop and a refusal are
//! `critical` cards without one.
//!
//! The proposed resource is the `MedicationRequest` the FHIR adapter
//! writes (`crate::fhir::decision_bundle`, as `--format fhir` does); the
//! hook hands it in.

use crate::dosing::{Dose, Outcome};
use crate::vocab::{Action, Severity};
use serde_json::{Value, json};

/// CDS Hooks: "summary: <140-character summary message".
pub(crate) const MAX_SUMMARY_CHARS: usize = 139;
const VERSION: &str = env!("CARGO_PKG_VERSION");
const OVERRIDE_SYSTEM: &str = "urn:gh-dose:override-reason";

/// What a card is built with besides the outcome.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CardContext<'a> {
    /// The card's id (echoed in feedback).
    pub(crate) uuid: &'a str,
    /// The suggestion's id.
    pub(crate) suggestion_uuid: &'a str,
    /// Whether the suggestion updates a draft (the order hooks) or creates
    /// a new proposal (at a visit, where there is no draft).
    pub(crate) update: bool,
    /// The proposed `MedicationRequest`, when a dose is proposed.
    pub(crate) proposed: Option<&'a Value>,
    /// The rule set's sha256.
    pub(crate) rules_sha256: &'a str,
}

/// The card of one decision.
pub(crate) fn card(outcome: &Outcome, cx: &CardContext<'_>) -> Value {
    let action = outcome.recommendation.action;
    let dose = outcome.recommendation.dose.as_ref();
    let stops = action.stops();
    let indicator = if stops {
        "critical"
    } else {
        match outcome.flags.iter().map(|f| f.severity).min() {
            Some(Severity::Block) => "critical",
            Some(Severity::Warning) => "warning",
            _ => "info",
        }
    };
    let product = outcome
        .product
        .as_ref()
        .map_or("growth hormone", |p| p.name.as_str());
    let headline = match (action, dose) {
        (Action::Withhold | Action::Stop, _) => format!(
            "{}: no {product} dose ({})",
            action.as_str(),
            outcome
                .flags
                .iter()
                .filter(|f| f.severity == Severity::Block)
                .map(|f| f.code.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        (_, Some(d)) => format!("{}: {product} {}", action.as_str(), dose_words(d)),
        (_, None) => format!("{}: {product}", action.as_str()),
    };
    let summary = fit(&format!("{headline} · {}", outcome.indication.name));
    let suggestion = match (action, dose, cx.proposed) {
        (Action::Start | Action::Increase | Action::Decrease, Some(d), Some(resource)) => {
            let (kind, verb) = if cx.update {
                ("update", "Replace the draft with")
            } else {
                ("create", "Propose")
            };
            Some(json!([{
                "label": fit(&format!("{verb} {product} {}", dose_words(d))),
                "uuid": cx.suggestion_uuid,
                "isRecommended": true,
                "actions": [{
                    "type": kind,
                    "description": fit(&format!("{verb} {product} {}", dose_words(d))),
                    "resource": resource,
                }],
            }]))
        }
        _ => None,
    };
    let mut card = json!({
        "uuid": cx.uuid,
        "summary": summary,
        "indicator": indicator,
        "detail": detail(outcome, cx.rules_sha256),
        "source": source(outcome),
    });
    if let Some(s) = suggestion {
        card["suggestions"] = s;
        card["selectionBehavior"] = json!("at-most-one");
        card["overrideReasons"] = json!([
            {"system": OVERRIDE_SYSTEM, "code": "clinical-judgement", "display": "Clinical judgement"},
            {"system": OVERRIDE_SYSTEM, "code": "other-product-or-device", "display": "Another product or device is prescribed"},
            {"system": OVERRIDE_SYSTEM, "code": "chart-values-out-of-date", "display": "The chart's measurements are out of date"},
        ]);
    }
    card
}

/// The card of a request gh-dose refused (a value it cannot dose on, or a
/// chart value it cannot read): critical, no suggestion.
pub(crate) fn refusal(why: &str, uuid: &str) -> Value {
    json!({
        "uuid": uuid,
        "summary": fit(&format!("No dose: {why}")),
        "indicator": "critical",
        "detail": format!("**gh-dose cannot compute a dose.**\n\n{}\n\nCorrect the chart value or decide without gh-dose.", md(why)),
        "source": {"label": format!("gh-dose {VERSION}")},
    })
}

/// The dose in words: per injection, schedule, and the weekly total.
fn dose_words(d: &Dose) -> String {
    let (per, week) = match &d.deliverable {
        Some(x) => (x.mg_per_injection, x.mg_per_week),
        None => (d.mg_per_injection, d.mg_per_week),
    };
    let schedule = match d.injections_per_week {
        7 => "daily".to_string(),
        1 => "weekly".to_string(),
        n => format!("{n}x/week"),
    };
    format!("{} mg {schedule} ({} mg/week)", mg(per), mg(week))
}

fn mg(m: crate::units::Micrograms) -> String {
    serde_json::to_string(&m).unwrap_or_else(|_| m.mg().to_string())
}

/// `source`: gh-dose, its version and the first source the numbers cite.
fn source(outcome: &Outcome) -> Value {
    // The product's own label when one was used, else the first source cited.
    let first = outcome
        .product
        .as_ref()
        .and_then(|p| outcome.sources.iter().find(|s| s.id.starts_with(&p.id)))
        .or_else(|| outcome.sources.first());
    let label = match first {
        Some(s) => format!("gh-dose {VERSION} · {}", s.id),
        None => format!("gh-dose {VERSION}"),
    };
    json!({
        "label": fit(&label),
        "url": first.and_then(|s| s.url.clone()),
    })
}

/// The Markdown detail: dose, range, flags, rationale, sources, rule set.
fn detail(outcome: &Outcome, rules_sha256: &str) -> String {
    let r = &outcome.recommendation;
    let mut out = format!(
        "**{}** · {}\n\n",
        r.action.as_str(),
        md(&outcome.indication.name)
    );
    if let Some(d) = &r.dose {
        out.push_str(&format!("**Dose:** {}", dose_words(d)));
        if let Some(x) = &d.deliverable {
            out.push_str(&format!(" on {}", md(&x.device_name)));
        }
        out.push_str("\n\n");
    }
    if let Some(c) = &r.change {
        out.push_str(&format!(
            "**Change:** to {} mg/week\n\n",
            mg(c.to_mg_per_week)
        ));
    }
    if let Some(n) = &r.next_review {
        out.push_str(&format!(
            "**Next review:** {} to {}\n\n",
            n.earliest, n.latest
        ));
    }
    if !outcome.flags.is_empty() {
        out.push_str("**Flags**\n\n");
        for f in &outcome.flags {
            out.push_str(&format!(
                "- {} ({}): {}\n",
                f.code.as_str(),
                f.severity.as_str(),
                md(&f.message)
            ));
        }
        out.push('\n');
    }
    if !outcome.rationale.is_empty() {
        out.push_str("**Rationale**\n\n");
        for line in &outcome.rationale {
            out.push_str(&format!("- {}\n", md(line)));
        }
        out.push('\n');
    }
    if !outcome.sources.is_empty() {
        out.push_str("**Sources**\n\n");
        for s in &outcome.sources {
            out.push_str(&format!(
                "- {} (grade {}): {}",
                s.id,
                s.grade.as_str(),
                md(&s.citation)
            ));
            if let Some(u) = &s.url {
                out.push_str(&format!(" <{u}>"));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "gh-dose {VERSION}, rule set sha256 `{rules_sha256}`. It supports the clinician's decision; it does not replace it, the product label or the local protocol."
    ));
    out
}

/// Text cut to fit a summary (on a character boundary, with an ellipsis).
pub(crate) fn fit(s: &str) -> String {
    if s.chars().count() <= MAX_SUMMARY_CHARS {
        return s.to_string();
    }
    let mut out: String = s.chars().take(MAX_SUMMARY_CHARS - 1).collect();
    out.push('…');
    out
}

/// Text made safe inside Markdown: control characters to spaces, and the
/// characters that start markup escaped.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            c if c.is_control() => out.push(' '),
            '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
