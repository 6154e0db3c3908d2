use super::*;
use crate::dosing::device::OnProduct;
use crate::dosing::patient::validate;
use crate::dosing::test_support::{RULES, child};
use crate::dosing::trail::Notes;
use crate::rules::products::BUILT_IN_PRODUCTS;

/// The regimen kind of an indication on an optional product (US label).
fn on<'a>(rules: &'a RuleSet, ind: &str, product: Option<&str>) -> Option<OnProduct<'a>> {
    let p = rules.product(product?)?;
    Some(OnProduct {
        product: p,
        device: None,
        label: p.label(ind, crate::vocab::Region::Us),
    })
}

#[test]
fn each_regimen_has_its_igf1_ceiling_and_after_change_review() {
    let r = &*RULES;
    let ind = |id: &str| r.indication(id).unwrap();
    let cases: [(&str, Option<&str>, f64, &str); 5] = [
        ("ghd", None, 2.0, "pediatric"),
        ("adult-ghd", None, 2.0, "adult-after-change"),
        ("ghd", Some("ngenla"), 2.0, "pediatric"),
        ("ghd", Some("skytrofa"), 2.0, "pediatric"),
        (
            "adult-ghd",
            Some("sogroya"),
            2.0,
            "weekly-adult-after-change",
        ),
    ];
    for (id, product, ceiling, review) in cases {
        let o = on(r, id, product);
        let kind = Kind::of(ind(id), o.as_ref());
        assert_eq!(igf1_ceiling(kind, r), ceiling, "{id} {product:?}");
        assert_eq!(after_change(kind, r), review, "{id} {product:?}");
    }
}

#[test]
fn a_weekly_adult_label_sets_its_own_ceiling() {
    // A product table whose Sogroya target band ends at +1.5: the
    // ceiling follows the label, not the daily table's +2.
    let text = BUILT_IN_PRODUCTS.replacen(
        "target_sds = { min = 0.0, max = 2.0 }",
        "target_sds = { min = 0.0, max = 1.5 }",
        1,
    );
    assert!(
        text != BUILT_IN_PRODUCTS,
        "the product table changed its Sogroya target"
    );
    let r = RuleSet::parse(crate::rules::BUILT_IN, "built-in")
        .unwrap()
        .with_products(&text, "test products")
        .unwrap();
    let o = on(&r, "adult-ghd", Some("sogroya"));
    let kind = Kind::of(r.indication("adult-ghd").unwrap(), o.as_ref());
    assert_eq!(igf1_ceiling(kind, &r), 1.5);
}

#[test]
fn an_explicit_intensity_on_a_label_is_capped_by_puberty() {
    // Nutropin AQ (US): 0.3 mg/kg/week, 0.7 in puberty.
    let r = &*RULES;
    let req = child("ghd", 30.0);
    let ind = r.indication("ghd").unwrap();
    let o = on(r, "ghd", Some("nutropin-aq"));
    let Regimen::WeightBased(wb) = &ind.regimen else {
        panic!("ghd is weight-based");
    };
    let mut notes = Notes::default();
    let cx = Ctx {
        rules: r,
        ind,
        subject: &req.subject,
        on: o.as_ref(),
        notes: &mut notes,
    };
    let mut p = validate(&req.subject.patient, req.subject.as_of, r).unwrap();
    let ceiling = |p: &Patient| child_ceiling(&cx, wb, p, IntensityOrigin::Explicit).0;
    assert_eq!(ceiling(&p), NgPerKg(300_000));
    p.pubertal = true;
    assert_eq!(ceiling(&p), NgPerKg(700_000));
}
