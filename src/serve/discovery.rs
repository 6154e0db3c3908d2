//! The services gh-dose offers (`GET /cds-services`) and the prefetch each
//! needs. The same prefetch keys are read by the FHIR adapter (`crate::fhir::read`).

use serde_json::{Value, json};

/// One service: its id, hook and the prefetch keys it cannot work without.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Service {
    pub(crate) id: &'static str,
    pub(crate) hook: &'static str,
    pub(crate) title: &'static str,
    pub(crate) description: &'static str,
    /// Keys a client must send (a key it cannot fill is answered 412; a key
    /// sent as `null`, "no data", is read as no data).
    pub(crate) required: &'static [&'static str],
}

const PATIENT: &str = "Patient/{{context.patientId}}";
const WEIGHT: &str = "Observation?patient={{context.patientId}}&code=http://loinc.org|29463-7,http://loinc.org|3141-9&_sort=-date&_count=2";
const HEIGHT: &str = "Observation?patient={{context.patientId}}&code=http://loinc.org|8302-2,http://loinc.org|8306-3&_sort=-date&_count=2";
const IGF1: &str = "Observation?patient={{context.patientId}}&code=http://loinc.org|73561-3,http://loinc.org|2484-4&_sort=-date&_count=2";
const CONDITIONS: &str = "Condition?patient={{context.patientId}}&clinical-status=active";
const MEDICATIONS: &str = "MedicationRequest?patient={{context.patientId}}&status=active";

pub(crate) const SERVICES: [Service; 3] = [
    Service {
        id: "gh-dose-order-select",
        hook: "order-select",
        title: "gh-dose: growth hormone starting dose",
        description: "When a growth hormone product is selected: the label-exact starting dose on the product's device, its range, safety flags and sources, and the proposed order.",
        required: &["patient", "weight", "height", "conditions"],
    },
    Service {
        id: "gh-dose-order-sign",
        hook: "order-sign",
        title: "gh-dose: growth hormone dose check before signing",
        description: "Before a growth hormone order is signed: the starting dose gh-dose computes from the chart, with the flags that withhold it.",
        required: &["patient", "weight", "height", "conditions"],
    },
    Service {
        id: "gh-dose-patient-view",
        hook: "patient-view",
        title: "gh-dose: growth hormone titration at a visit",
        description: "For a patient on growth hormone: the titration decision (increase, decrease, maintain, recheck, stop) from the active order, the latest weight, height and IGF-1.",
        required: &[
            "patient",
            "weight",
            "height",
            "igf1",
            "conditions",
            "medications",
        ],
    },
];

/// The service with this id.
pub(crate) fn service(id: &str) -> Option<&'static Service> {
    SERVICES.iter().find(|s| s.id == id)
}

/// The discovery document.
pub(crate) fn discovery() -> Value {
    let services: Vec<Value> = SERVICES
        .iter()
        .map(|s| {
            let mut prefetch = json!({
                "patient": PATIENT, "weight": WEIGHT, "height": HEIGHT, "conditions": CONDITIONS,
            });
            if s.hook == "patient-view" {
                prefetch["igf1"] = json!(IGF1);
                prefetch["medications"] = json!(MEDICATIONS);
            }
            json!({"hook": s.hook, "id": s.id, "title": s.title, "description": s.description,
                   "prefetch": prefetch})
        })
        .collect();
    json!({ "services": services })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_lists_three_hooks_with_their_prefetch() {
        let d = discovery();
        let hooks: Vec<&str> = d["services"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["hook"].as_str().unwrap())
            .collect();
        assert_eq!(hooks, ["order-select", "order-sign", "patient-view"]);
        for s in &SERVICES {
            let listed = d["services"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["id"] == s.id)
                .unwrap();
            for key in s.required {
                assert!(listed["prefetch"][key].is_string(), "{} {key}", s.id);
            }
        }
        assert!(super::super::wire::is_clean(&d));
        assert_eq!(
            service("gh-dose-patient-view").unwrap().hook,
            "patient-view"
        );
        assert!(service("nope").is_none());
    }
}
