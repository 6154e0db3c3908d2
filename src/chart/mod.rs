//! Placeholder until the chart module lands.
use crate::record::Course;
use crate::rules::RuleSet;
pub struct Parents {
    pub father_cm: f64,
    pub mother_cm: f64,
}
pub struct Band {
    pub low_sds: f64,
    pub high_sds: f64,
    pub ceiling_sds: f64,
    pub label: String,
}
#[derive(Debug)]
pub struct ChartError(pub String);
impl std::fmt::Display for ChartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
pub fn growth_svg(_: &Course, _: &RuleSet, _: Option<&Parents>) -> Result<String, ChartError> {
    Err(ChartError("todo".into()))
}
pub fn titration_svg(_: &Course, _: &RuleSet, _: &Band) -> Result<String, ChartError> {
    Err(ChartError("todo".into()))
}
