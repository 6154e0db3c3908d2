use super::*;

#[test]
fn flags_resolve_most_severe_first_and_cite_their_sources() {
    let rules = RuleSet::built_in().unwrap();
    let mut n = Notes::default();
    n.raise(FlagCode::Fundoscopy);
    n.raise(FlagCode::ActiveMalignancy);
    n.raise(FlagCode::Fundoscopy);
    n.why("x");
    assert_eq!(n.raised.blocks(&rules), vec![FlagCode::ActiveMalignancy]);
    let (flags, why, sources) = n.finish(&rules);
    let codes: Vec<FlagCode> = flags.iter().map(|f| f.code).collect();
    assert_eq!(codes, [FlagCode::ActiveMalignancy, FlagCode::Fundoscopy]);
    assert_eq!(why, ["x"]);
    let ids: Vec<&str> = sources.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["us-pi-4-contraindications", "us-pi-2-fundoscopy"]);
}

#[test]
fn a_flag_taken_back_is_gone_and_the_others_stay() {
    let mut r = Raised::default();
    r.raise(FlagCode::DeviceCannotDeliver);
    r.raise(FlagCode::Fundoscopy);
    r.lower(FlagCode::DeviceCannotDeliver);
    assert!(!r.has(FlagCode::DeviceCannotDeliver));
    assert!(r.has(FlagCode::Fundoscopy));
}

#[test]
fn sources_are_listed_once_in_first_use_order() {
    let rules = RuleSet::built_in().unwrap();
    let mut s = SourceList::default();
    let a = ["pes-2016".to_string(), "aace-2019".to_string()];
    s.add(&a);
    s.add(&a[..1]);
    assert_eq!(s.cite(&a[1..]), ["aace-2019"]);
    let ids: Vec<String> = s.resolve(&rules).into_iter().map(|r| r.id).collect();
    assert_eq!(ids, ["pes-2016", "aace-2019"]);
}
