//! Test keys: a fresh EC P-384 key, its JWKS, and compact JWS tokens signed
//! with it (or made wrong on purpose).

use base64::Engine;
use p384::ecdsa::signature::Signer;
use p384::ecdsa::{Signature, SigningKey};
use serde_json::{Value, json};

pub(crate) fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A fresh P-384 key (from the system's random source).
pub(crate) fn fresh_key() -> SigningKey {
    use std::io::Read;
    let mut f = std::fs::File::open("/dev/urandom").unwrap();
    loop {
        let mut buf = [0u8; 48];
        f.read_exact(&mut buf).unwrap();
        if let Ok(k) = SigningKey::from_slice(&buf) {
            return k;
        }
    }
}

/// The JWKS with the key's public half under `kid`.
pub(crate) fn jwks(key: &SigningKey, kid: &str) -> Value {
    let point = key.verifying_key().to_sec1_point(false);
    let bytes = point.as_bytes();
    json!({"keys": [{"kty": "EC", "crv": "P-384", "kid": kid, "use": "sig", "alg": "ES384",
        "x": b64(&bytes[1..49]), "y": b64(&bytes[49..97])}]})
}

/// A compact JWS of `header` and `claims` signed ES384 with `key`.
pub(crate) fn sign(key: &SigningKey, header: &Value, claims: &Value) -> String {
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let sig: Signature = key.sign(input.as_bytes());
    format!("{input}.{}", b64(&sig.to_bytes()))
}
