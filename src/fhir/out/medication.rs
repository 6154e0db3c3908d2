//! The draft `MedicationRequest` of a dose: the product coded, the device
//! named, the calculated and the ordered dose in UCUM mg.

use super::values::{mg, mg_quantity, schedule_words, timing};
use super::{Builder, Decision};
use serde_json::{Value, json};

/// The draft MedicationRequest of a dose.
pub(super) fn medication_request(
    b: &mut Builder<'_>,
    d: &Decision<'_>,
    dose: &crate::dosing::Dose,
) -> Result<Value, String> {
    let codes = b.codes;
    let molecule = d.product.map_or("somatropin", |p| p.molecule.as_str());
    let atc = codes.molecule(molecule).ok_or_else(|| {
        format!(
            "{}: no ATC code for molecule '{molecule}'",
            super::super::codes::FILE
        )
    })?;
    let mut coding =
        vec![json!({ "system": codes.systems.atc, "code": atc.atc, "display": atc.display })];
    if let Some(p) = d.product {
        coding.push(json!({ "system": codes.systems.product, "code": p.id, "display": p.name }));
    }
    let text = d.product.map_or_else(
        || atc.display.clone(),
        |p| format!("{} ({})", p.name, p.molecule),
    );
    let per_week = dose.injections_per_week;
    let mut dose_and_rate = vec![json!({
        "type": { "coding": [{ "system": codes.systems.dose_rate_type, "code": "calculated" }] },
        "doseQuantity": mg_quantity(codes, dose.mg_per_injection),
    })];
    let mut words = format!(
        "{} mg subcutaneously {}",
        crate::dosing::fmt_num(mg(dose.mg_per_injection)),
        schedule_words(per_week)
    );
    let mut extension = Vec::new();
    let mut notes = Vec::new();
    if let Some(del) = &dose.deliverable {
        dose_and_rate.push(json!({
            "type": { "coding": [{ "system": codes.systems.dose_rate_type, "code": "ordered" }] },
            "doseQuantity": mg_quantity(codes, del.mg_per_injection),
        }));
        words = format!(
            "{} mg subcutaneously {} with {} (calculated {} mg)",
            crate::dosing::fmt_num(mg(del.mg_per_injection)),
            schedule_words(per_week),
            del.device_name,
            crate::dosing::fmt_num(mg(dose.mg_per_injection)),
        );
        if del.injections_per_dose > 1 {
            words.push_str(&format!(
                "; each dose given as {} injections",
                del.injections_per_dose
            ));
        }
        extension.push(json!({
            "url": codes.systems.device_extension,
            "valueCoding": { "system": codes.systems.device, "code": del.device, "display": del.device_name },
        }));
        notes.push(json!({ "text": format!("Device: {} ({})", del.device_name, del.device) }));
    } else {
        notes.push(json!({ "text": "No product or device: the dose is not rounded to a pen or cartridge." }));
    }
    if let Some(i) = dose.mg_per_kg_per_week {
        words.push_str(&format!(
            "; target {} mg/kg/week",
            crate::dosing::fmt_num(i.mg_per_kg())
        ));
    }
    let given = dose.given_per_week();
    words.push_str(&format!("; {} mg/week", crate::dosing::fmt_num(mg(given))));
    notes.extend(d.rationale.iter().map(|line| json!({ "text": line })));
    let order = json!({
        "resourceType": "MedicationRequest",
        "extension": extension,
        "status": "draft",
        "intent": "proposal",
        "medicationCodeableConcept": { "coding": coding, "text": text },
        "subject": b.patient,
        "authoredOn": d.as_of.to_string(),
        "reasonCode": [{ "text": d.indication.name }],
        "note": notes,
        "dosageInstruction": [{
            "text": words,
            "timing": timing(per_week),
            "route": { "text": "subcutaneous" },
            "doseAndRate": dose_and_rate,
        }],
    });
    Ok(b.add("MedicationRequest", order))
}
