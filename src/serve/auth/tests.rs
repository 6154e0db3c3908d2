use super::super::test_keys::{b64, fresh_key, jwks, sign};
use super::*;
use serde_json::{Value, json};

const AUD: &str = "https://cds.example.org/cds-services/gh-dose-order-sign";
const ISS: &str = "https://ehr.example.org";
const NOW: u64 = 1_800_000_000;

fn setup() -> (p384::ecdsa::SigningKey, Verifier) {
    let key = fresh_key();
    let set = jwks(&key, "k1").to_string();
    let v = Verifier::new(keys(&set, "jwks.json").unwrap(), vec![ISS.to_string()]);
    (key, v)
}

fn claims(jti: &str) -> Value {
    json!({"iss": ISS, "aud": AUD, "exp": NOW + 300, "iat": NOW, "jti": jti})
}

fn header() -> Value {
    json!({"alg": "ES384", "typ": "JWT", "kid": "k1"})
}

fn check(v: &Verifier, token: &str) -> Result<(), Denied> {
    v.check(Some(&format!("Bearer {token}")), AUD, NOW)
}

#[test]
fn a_good_token_passes_once() {
    let (key, v) = setup();
    let t = sign(&key, &header(), &claims("a"));
    assert_eq!(check(&v, &t), Ok(()));
    assert_eq!(check(&v, &t), Err(Denied::Replayed));
    // aud may be an array holding the URL.
    let mut c = claims("b");
    c["aud"] = json!(["https://other.example", AUD]);
    assert_eq!(check(&v, &sign(&key, &header(), &c)), Ok(()));
}

#[test]
fn no_token_is_refused() {
    let (_, v) = setup();
    assert_eq!(v.check(None, AUD, NOW), Err(Denied::Missing));
    assert!(matches!(
        v.check(Some("Basic abc"), AUD, NOW),
        Err(Denied::Malformed(_))
    ));
    assert!(matches!(check(&v, "a.b"), Err(Denied::Malformed(_))));
}

#[test]
fn alg_none_and_hmac_are_refused_by_name() {
    let (_, v) = setup();
    let none = format!(
        "{}.{}.",
        b64(json!({"alg": "none", "kid": "k1"}).to_string().as_bytes()),
        b64(claims("n").to_string().as_bytes())
    );
    assert_eq!(check(&v, &none), Err(Denied::Algorithm("none".into())));
    let hs = format!(
        "{}.{}.c2ln",
        b64(json!({"alg": "HS256", "kid": "k1"}).to_string().as_bytes()),
        b64(claims("h").to_string().as_bytes())
    );
    assert_eq!(check(&v, &hs), Err(Denied::Algorithm("HS256".into())));
    // RS384 named but the kid is an EC key.
    let (key, _) = setup();
    let rs = sign(&key, &json!({"alg": "RS384", "kid": "k1"}), &claims("r"));
    assert_eq!(check(&v, &rs), Err(Denied::KeyMismatch));
}

#[test]
fn an_unknown_kid_or_another_key_is_refused() {
    let (key, v) = setup();
    let t = sign(&key, &json!({"alg": "ES384", "kid": "k2"}), &claims("u"));
    assert_eq!(check(&v, &t), Err(Denied::UnknownKid));
    let t = sign(&key, &json!({"alg": "ES384"}), &claims("u"));
    assert_eq!(check(&v, &t), Err(Denied::NoKid));
    // Signed by another key under the same kid; a jku is never followed.
    let other = fresh_key();
    let t = sign(
        &other,
        &json!({"alg": "ES384", "kid": "k1", "jku": "https://evil.example/jwks"}),
        &claims("o"),
    );
    assert_eq!(check(&v, &t), Err(Denied::Signature));
}

#[test]
fn iss_aud_and_times_are_checked() {
    let (key, v) = setup();
    let with = |k: &str, val: Value, jti: &str| {
        let mut c = claims(jti);
        c[k] = val;
        check(&v, &sign(&key, &header(), &c))
    };
    assert_eq!(
        with("iss", json!("https://evil.example"), "1"),
        Err(Denied::Issuer)
    );
    assert_eq!(
        with("aud", json!("https://cds.example.org/cds-services"), "2"),
        Err(Denied::Audience)
    );
    assert_eq!(with("exp", json!(NOW - 120), "3"), Err(Denied::Expired));
    // Within the skew it still passes.
    assert_eq!(with("exp", json!(NOW - 10), "4"), Ok(()));
    assert_eq!(with("exp", json!(NOW + 7200), "5"), Err(Denied::TooLong));
    assert_eq!(
        with("iat", json!(NOW + 120), "6"),
        Err(Denied::IssuedInFuture)
    );
    assert_eq!(
        with("jti", json!(""), "7"),
        Err(Denied::Claim("jti".into()))
    );
    let mut c = claims("8");
    c.as_object_mut().unwrap().remove("iat");
    assert_eq!(
        check(&v, &sign(&key, &header(), &c)),
        Err(Denied::Claim("iat".into()))
    );
    let mut c = claims("9");
    c.as_object_mut().unwrap().remove("aud");
    assert_eq!(
        check(&v, &sign(&key, &header(), &c)),
        Err(Denied::Claim("aud".into()))
    );
}

#[test]
fn a_jwks_without_a_usable_key_is_refused_at_its_position() {
    let e = keys("{\"keys\": [", "j.json").unwrap_err();
    assert_eq!((e.path.as_str(), e.line), ("j.json", 1));
    let e = keys(
        r#"{"keys": [{"kty": "oct", "k": "c2VjcmV0", "kid": "h"}]}"#,
        "j.json",
    )
    .unwrap_err();
    assert!(e.message.contains("no usable key"), "{}", e.message);
}
