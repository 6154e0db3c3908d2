//! `POST /cds-services/{id}/feedback`: what the clinician did with a card,
//! appended to the audit log (`--audit FILE`) as JSON Lines. A line holds
//! the card id, the outcome, the accepted suggestions, the override
//! reason's code, the times, the sha256 of the feedback request and of the
//! rule set; never a name or a free-text comment (it could hold one).
//! The card id is derived from the sha256 of the hook request that made it,
//! so a line leads back to that request.

use serde_json::{Value, json};
use std::io::Write;
use std::path::Path;

/// The audit lines of a feedback body, or why the body is not feedback.
pub(crate) fn lines(
    body: &Value,
    service: &str,
    now: &str,
    request_sha256: &str,
    rules_sha256: &str,
) -> Result<Vec<Value>, String> {
    let items = body
        .get("feedback")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
        .ok_or("the body needs a non-empty `feedback` array")?;
    let mut out = Vec::with_capacity(items.len());
    for (i, f) in items.iter().enumerate() {
        let card = f
            .get("card")
            .and_then(Value::as_str)
            .filter(|c| !c.is_empty() && c.len() <= 128)
            .ok_or_else(|| format!("feedback[{i}].card: a card id is needed"))?;
        let outcome = f
            .get("outcome")
            .and_then(Value::as_str)
            .filter(|o| matches!(*o, "accepted" | "overridden"))
            .ok_or_else(|| format!("feedback[{i}].outcome: accepted or overridden"))?;
        let accepted: Vec<&str> = f
            .get("acceptedSuggestions")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.get("id").and_then(Value::as_str))
                    .collect()
            })
            .unwrap_or_default();
        if outcome == "accepted" && accepted.is_empty() {
            return Err(format!(
                "feedback[{i}].acceptedSuggestions: needed when the outcome is accepted"
            ));
        }
        let reason = f
            .get("overrideReason")
            .and_then(|r| r.get("reason"))
            .and_then(|r| r.get("code"))
            .and_then(Value::as_str);
        let line = json!({
            "time": now,
            "service": service,
            "card": card,
            "outcome": outcome,
            "accepted_suggestions": accepted,
            "override_reason": reason,
            "outcome_time": f.get("outcomeTimestamp").and_then(Value::as_str),
            "request_sha256": request_sha256,
            "rules_sha256": rules_sha256,
        });
        out.extend(super::wire::clean(line));
    }
    Ok(out)
}

/// Appends the lines to the audit file in one write, then syncs it.
pub(crate) fn append(path: &Path, lines: &[Value]) -> std::io::Result<()> {
    let mut text = String::new();
    for l in lines {
        text.push_str(&l.to_string());
        text.push('\n');
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_data()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feedback_becomes_audit_lines_without_free_text() {
        let body = json!({"feedback": [
            {"card": "c1", "outcome": "accepted", "acceptedSuggestions": [{"id": "s1"}],
             "outcomeTimestamp": "2026-12-08T10:00:00Z"},
            {"card": "c2", "outcome": "overridden",
             "overrideReason": {"reason": {"code": "clinical-judgement", "system": "x"},
                                "userComment": "Dr Jane Smith disagrees"},
             "outcomeTimestamp": "2026-12-08T10:01:00Z"}]});
        let out = lines(
            &body,
            "gh-dose-order-sign",
            "2026-12-08T10:02:00Z",
            "aa",
            "bb",
        )
        .unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(out[0]["accepted_suggestions"], json!(["s1"]));
        assert_eq!(out[1]["override_reason"], "clinical-judgement");
        assert_eq!(out[1]["rules_sha256"], "bb");
        assert!(!out[1].to_string().contains("Smith"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        append(&path, &out).unwrap();
        append(&path, &out[..1]).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 3);
    }

    #[test]
    fn bad_feedback_is_named() {
        let bad = |b: Value| lines(&b, "s", "t", "a", "b").unwrap_err();
        assert!(bad(json!({})).contains("feedback"));
        assert!(bad(json!({"feedback": [{"card": "c", "outcome": "maybe"}]})).contains("outcome"));
        assert!(
            bad(json!({"feedback": [{"card": "c", "outcome": "accepted"}]}))
                .contains("acceptedSuggestions")
        );
    }
}
