//! The line a decision appends to the record (`start`/`titrate --record`),
//! built from the typed outcome and the facts of the request that the
//! outcome does not carry: the date, the command, the patient's identity,
//! the tables in use and what came from the record.

use super::visit::{
    Decision, GivenDose, Identity, Igf1Given, Measurements, PatientFacts, Provenance, RECORD_KIND,
    RECORD_VERSION, RulesUsed, VisitLine, Window,
};
use crate::dosing::{Outcome, PatientEcho, Recommendation};
use crate::rules::RuleSet;
use crate::units::NgPerKg;
use crate::vocab::{Action, FlagCode, Region};
use chrono::NaiveDate;

/// The gh-dose version a line names: the running one.
const GH_DOSE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// What a line says that the outcome does not.
#[derive(Debug, Clone)]
pub(crate) struct Facts<'a> {
    /// The visit (decision) date.
    pub date: NaiveDate,
    /// `start` or `titrate`.
    pub command: &'static str,
    /// The patient the record is for.
    pub identity: Identity,
    /// The device the current dose was given on, and what came from the
    /// record.
    pub how: &'a Provenance,
    /// The conditions and treatment facts after the visit (given or
    /// carried from the record).
    pub patient: &'a PatientFacts,
}

impl RulesUsed {
    /// The rule and product tables in use.
    pub(crate) fn of(rules: &RuleSet) -> RulesUsed {
        RulesUsed {
            source: rules.origin.source.clone(),
            version: rules.origin.version.clone(),
            sha256: rules.origin.sha256.clone(),
            products_sha256: rules.products.as_ref().map(|p| p.origin.sha256.clone()),
        }
    }
}

/// The visit a decision records.
pub(crate) fn visit(outcome: &Outcome, facts: &Facts, rules: &RuleSet) -> VisitLine {
    let p = &outcome.patient;
    let how = facts.how;
    let r = &outcome.recommendation;
    let product = outcome.product.as_ref();
    let region = product.map_or(Region::Us, |p| p.region);
    let product_id = product.map(|p| p.id.clone());
    let dose_before = r.current_dose.as_ref().map(|c| GivenDose {
        product: product_id.clone(),
        device: how.device_before.clone(),
        region,
        injections_per_week: c.injections_per_week,
        injections_per_dose: 1,
        mg_per_injection: c.mg_per_injection.mg(),
        mg_per_week: c.mg_per_week.mg(),
        mg_per_kg_per_week: None,
    });
    let dose = dose_given(r, product_id, region, &dose_before);
    let flags: Vec<FlagCode> = outcome.flags.iter().map(|f| f.code).collect();
    let reduced_for_igf1 =
        r.action == Action::Decrease && flags.contains(&FlagCode::Igf1AboveRange);
    VisitLine {
        record: RECORD_KIND.to_string(),
        record_version: RECORD_VERSION,
        date: facts.date,
        command: facts.command.to_string(),
        patient: facts.identity,
        indication: outcome.indication.id.clone(),
        measurements: Measurements {
            weight_kg: p.weight_kg,
            height_cm: p.height_cm,
            height_sds: p.height_sds,
            height_sds_source: p.height_sds_source.clone(),
            bmi: p.bmi,
            pubertal: p.pubertal,
            confirmed: p.confirmed.clone(),
        },
        patient_facts: Some(facts.patient.clone()),
        igf1: igf1_of(p, facts.date),
        dose_before,
        dose,
        decision: Decision {
            action: r.action,
            change_percent: r.change.as_ref().map(|c| c.percent),
            reduced_for_igf1,
            flags,
            next_review: r.next_review.as_ref().map(|n| Window {
                earliest: n.earliest,
                latest: n.latest,
            }),
            from_record: how.from_record.iter().map(|(f, _)| f.clone()).collect(),
            overridden: how.overridden.clone(),
        },
        rules: RulesUsed::of(rules),
        gh_dose_version: GH_DOSE_VERSION.to_string(),
    }
}

/// The dose the decision gives: on the device when one delivers it, the
/// dose before for a recheck, none for a stop.
fn dose_given(
    r: &Recommendation,
    product_id: Option<String>,
    region: Region,
    dose_before: &Option<GivenDose>,
) -> Option<GivenDose> {
    match (&r.dose, r.action) {
        (_, a) if a.stops() => None,
        (Some(d), _) => Some(match &d.deliverable {
            Some(dl) => GivenDose {
                product: product_id,
                device: Some(dl.device.clone()),
                region,
                injections_per_week: d.injections_per_week,
                injections_per_dose: dl.injections_per_dose,
                mg_per_injection: dl.mg_per_injection.mg(),
                mg_per_week: dl.mg_per_week.mg(),
                mg_per_kg_per_week: dl.mg_per_kg_per_week.map(NgPerKg::mg_per_kg),
            },
            None => GivenDose {
                product: product_id,
                device: None,
                region,
                injections_per_week: d.injections_per_week,
                injections_per_dose: 1,
                mg_per_injection: d.mg_per_injection.mg(),
                mg_per_week: d.mg_per_week.mg(),
                mg_per_kg_per_week: d.mg_per_kg_per_week.map(NgPerKg::mg_per_kg),
            },
        }),
        // A recheck keeps the dose the patient is on.
        (None, _) => dose_before.clone(),
    }
}

/// The IGF-1 as given and as the decision read it; dated by its sample, or
/// by the visit when no sampling date was given.
fn igf1_of(p: &PatientEcho, as_of: NaiveDate) -> Option<Igf1Given> {
    let given = match (&p.igf1_input, p.igf1_ng_ml, p.igf1_sds) {
        (Some(text), _, _) => text.clone(),
        (None, Some(ng), _) => format!("{ng} ng/mL"),
        (None, None, Some(sds)) => format!("{sds:+} SDS"),
        (None, None, None) => return None,
    };
    Some(Igf1Given {
        given,
        ng_ml: p.igf1_ng_ml,
        sds: p.igf1_sds,
        method: p.igf1_sds_method.map(str::to_string),
        reference: p.igf1_reference.clone(),
        date: Some(p.igf1_date.unwrap_or(as_of)),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::{Facts, RulesUsed, visit};
    use crate::dosing::{
        self, AgeInput, CurrentDose, Igf1Input, Measured, PatientInput, StartRequest, Subject,
        TitrateRequest,
    };
    use crate::record::{Identity, PatientFacts, Provenance};
    use crate::rules::RuleSet;
    use crate::vocab::Sex;
    use chrono::NaiveDate;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn who() -> Identity {
        Identity {
            sex: Sex::Female,
            birth_date: date("2018-03-01"),
        }
    }

    fn subject(as_of: &str, weight: f64, height: f64) -> Subject {
        let mut s = Subject::new(
            "turner",
            date(as_of),
            PatientInput {
                weight_kg: Some(Measured::plain(weight, dosing::Field::WeightKg)),
                height_cm: Some(Measured::plain(height, dosing::Field::HeightCm)),
                age: Some(AgeInput::BirthDate(who().birth_date)),
                sex: Some(who().sex),
                ..Default::default()
            },
        );
        s.product.product = Some("norditropin".to_string());
        s
    }

    fn line(o: &dosing::Outcome, command: &'static str, as_of: &str, how: &Provenance) -> String {
        let rules = RuleSet::built_in().unwrap();
        let facts = Facts {
            date: date(as_of),
            command,
            identity: who(),
            how,
            patient: &PatientFacts {
                conditions: vec![crate::vocab::Condition::Scoliosis],
                ..PatientFacts::default()
            },
        };
        serde_json::to_string(&visit(o, &facts, &rules)).unwrap()
    }

    /// The end of every line: the tables in use and the version.
    fn tail() -> String {
        let rules = RuleSet::built_in().unwrap();
        format!(
            r#""rules":{},"gh_dose_version":"{}"}}"#,
            serde_json::to_string(&RulesUsed::of(&rules)).unwrap(),
            env!("CARGO_PKG_VERSION")
        )
    }

    #[test]
    fn the_tables_are_named_by_their_origin_and_hash() {
        let rules = RuleSet::built_in().unwrap();
        let used = RulesUsed::of(&rules);
        assert_eq!(used.source, "built-in");
        assert_eq!(used.sha256, rules.origin.sha256);
        assert_eq!(used.sha256.len(), 64);
        let products = rules.products.as_ref().unwrap();
        assert_eq!(
            used.products_sha256.as_deref(),
            Some(&*products.origin.sha256)
        );
    }

    #[test]
    fn a_start_records_the_dose_on_the_pen_and_the_tables() {
        let rules = RuleSet::built_in().unwrap();
        let req = StartRequest::new(subject("2026-01-10", 24.0, 118.0));
        let o = dosing::start(&req, &rules).unwrap();
        let got = line(&o, "start", "2026-01-10", &Provenance::default());
        let want = r#"{"record":"gh-dose-visit","record_version":1,"date":"2026-01-10","command":"start","patient":{"sex":"female","birth_date":"2018-03-01"},"indication":"turner","measurements":{"weight_kg":24.0,"height_cm":118.0,"height_sds":1.531,"height_sds_source":"turner-lyon1985-height","bmi":17.2,"pubertal":false,"confirmed":[]},"patient_facts":{"conditions":["scoliosis"],"oral_estrogen":false,"diabetes":false,"obesity":false,"resolved":[]},"igf1":null,"dose_before":null,"dose":{"product":"norditropin","device":"flexpro-10","region":"US","injections_per_week":7,"injections_per_dose":1,"mg_per_injection":1.15,"mg_per_week":8.05,"mg_per_kg_per_week":0.335},"decision":{"action":"start","change_percent":null,"reduced_for_igf1":false,"flags":["GLUCOSE_MONITORING","FUNDOSCOPY"],"next_review":{"earliest":"2026-04-10","latest":"2026-07-10"},"from_record":[],"overridden":[]},"#;
        assert_eq!(got, format!("{want}{}", tail()));
    }

    #[test]
    fn a_reduction_for_a_high_igf1_is_marked_with_the_dose_before_and_the_record_s_fields() {
        let rules = RuleSet::built_in().unwrap();
        let mut req = TitrateRequest::new(subject("2026-07-10", 26.0, 122.0));
        req.current = Some(CurrentDose::PerWeek(8.05));
        req.igf1 = Some(Igf1Input::Sds(2.6));
        req.last_dose_change = Some(date("2026-01-10"));
        let o = dosing::titrate(&req, &rules).unwrap();
        let how = Provenance {
            device_before: Some("norditropin-flexpro-10".to_string()),
            from_record: vec![
                ("sex".to_string(), 1),
                ("current_mg_per_week".to_string(), 1),
            ],
            overridden: vec!["region".to_string()],
        };
        let got = line(&o, "titrate", "2026-07-10", &how);
        let want = r#"{"record":"gh-dose-visit","record_version":1,"date":"2026-07-10","command":"titrate","patient":{"sex":"female","birth_date":"2018-03-01"},"indication":"turner","measurements":{"weight_kg":26.0,"height_cm":122.0,"height_sds":1.8455,"height_sds_source":"turner-lyon1985-height","bmi":17.5,"pubertal":false,"confirmed":[]},"patient_facts":{"conditions":["scoliosis"],"oral_estrogen":false,"diabetes":false,"obesity":false,"resolved":[]},"igf1":{"given":"+2.6 SDS","ng_ml":null,"sds":2.6,"method":"reported","reference":null,"date":"2026-07-10"},"dose_before":{"product":"norditropin","device":"norditropin-flexpro-10","region":"US","injections_per_week":7,"injections_per_dose":1,"mg_per_injection":1.15,"mg_per_week":8.05,"mg_per_kg_per_week":null},"dose":{"product":"norditropin","device":"flexpro-5","region":"US","injections_per_week":7,"injections_per_dose":1,"mg_per_injection":0.975,"mg_per_week":6.825,"mg_per_kg_per_week":0.263},"decision":{"action":"decrease","change_percent":-15.2,"reduced_for_igf1":true,"flags":["DOSE_BELOW_RANGE","IGF1_ABOVE_RANGE","GLUCOSE_MONITORING"],"next_review":{"earliest":"2026-10-10","latest":"2027-01-10"},"from_record":["sex","current_mg_per_week"],"overridden":["region"]},"#;
        assert_eq!(got, format!("{want}{}", tail()));
    }

    #[test]
    fn a_stop_records_no_dose_and_its_flags() {
        let rules = RuleSet::built_in().unwrap();
        let mut s = subject("2026-07-10", 26.0, 122.0);
        s.patient.symptoms = vec![crate::vocab::Symptom::Papilledema];
        let mut req = TitrateRequest::new(s);
        req.current = Some(CurrentDose::PerWeek(8.05));
        let o = dosing::titrate(&req, &rules).unwrap();
        let got = line(&o, "titrate", "2026-07-10", &Provenance::default());
        let want = r#"{"record":"gh-dose-visit","record_version":1,"date":"2026-07-10","command":"titrate","patient":{"sex":"female","birth_date":"2018-03-01"},"indication":"turner","measurements":{"weight_kg":26.0,"height_cm":122.0,"height_sds":1.8455,"height_sds_source":"turner-lyon1985-height","bmi":17.5,"pubertal":false,"confirmed":[]},"patient_facts":{"conditions":["scoliosis"],"oral_estrogen":false,"diabetes":false,"obesity":false,"resolved":[]},"igf1":null,"dose_before":{"product":"norditropin","device":null,"region":"US","injections_per_week":7,"injections_per_dose":1,"mg_per_injection":1.15,"mg_per_week":8.05,"mg_per_kg_per_week":null},"dose":null,"decision":{"action":"stop","change_percent":null,"reduced_for_igf1":false,"flags":["INTRACRANIAL_HYPERTENSION","DOSE_BELOW_RANGE","GLUCOSE_MONITORING"],"next_review":null,"from_record":[],"overridden":[]},"#;
        assert_eq!(got, format!("{want}{}", tail()));
    }
}
