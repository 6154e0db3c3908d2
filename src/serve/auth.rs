//! The JWT every request carries (CDS Hooks 2.0, "Trusting CDS Clients"):
//! `Authorization: Bearer <JWT>`, signed ES384 (EC P-384) or RS384 (RSA);
//! `none` and HMAC are refused. The key is the one its `kid` names in the
//! local JWKS file (`--jwks`); a `jku` in the header is never fetched.
//! `iss` must be allowed (`--issuer`), `aud` must be the URL called,
//! `exp` and `iat` are checked with a small skew, `exp` may lie no further
//! ahead than [`MAX_TOKEN_SECONDS`], and a `jti` is taken once.

use super::replay::{Refused, Replay};
use crate::diagnostic::FileError;
use base64::Engine;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, errors::ErrorKind};
use std::collections::HashMap;

/// Clock skew allowed on `exp` and `iat`, in seconds.
pub(crate) const SKEW_SECONDS: u64 = 30;
/// The furthest ahead a token's `exp` may be, in seconds: it bounds how
/// long a `jti` is remembered.
pub(crate) const MAX_TOKEN_SECONDS: u64 = 3600;
/// The most token ids remembered at once.
pub(crate) const REPLAY_CAPACITY: usize = 100_000;
/// The longest `jti` taken.
const MAX_JTI_CHARS: usize = 256;

/// Why a request was not let in (HTTP 401, or 503 for a full replay cache).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Denied {
    Missing,
    Malformed(String),
    Algorithm(String),
    NoKid,
    UnknownKid,
    KeyMismatch,
    Signature,
    Issuer,
    Audience,
    Expired,
    TooLong,
    IssuedInFuture,
    Claim(String),
    Replayed,
    Busy,
}

impl std::fmt::Display for Denied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Denied::Missing => f.write_str("no bearer token (Authorization: Bearer <JWT>)"),
            Denied::Malformed(why) => write!(f, "the token is not a JWT: {why}"),
            Denied::Algorithm(alg) => write!(
                f,
                "the token is signed with {alg}: only ES384 and RS384 are accepted"
            ),
            Denied::NoKid => f.write_str("the token's header has no kid"),
            Denied::UnknownKid => f.write_str("the token's kid is not in the JWKS file"),
            Denied::KeyMismatch => {
                f.write_str("the token's alg does not match the key its kid names")
            }
            Denied::Signature => f.write_str("the token's signature does not verify"),
            Denied::Issuer => f.write_str("the token's iss is not an allowed issuer"),
            Denied::Audience => f.write_str("the token's aud is not the URL called"),
            Denied::Expired => f.write_str("the token has expired"),
            Denied::TooLong => write!(
                f,
                "the token's exp is more than {MAX_TOKEN_SECONDS} seconds ahead"
            ),
            Denied::IssuedInFuture => f.write_str("the token's iat is in the future"),
            Denied::Claim(name) => write!(f, "the token lacks a usable {name} claim"),
            Denied::Replayed => f.write_str("the token's jti was used before"),
            Denied::Busy => f.write_str("too many unexpired tokens: try again later"),
        }
    }
}

/// The keys of the JWKS file, by `kid`, each with the one algorithm it
/// verifies.
#[derive(Clone)]
pub(crate) struct Keys {
    by_kid: HashMap<String, (DecodingKey, Algorithm)>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut kids: Vec<&String> = self.by_kid.keys().collect();
        kids.sort();
        f.debug_struct("Keys").field("kids", &kids).finish()
    }
}

/// Reads a JWKS (`{"keys": [...]}`). Keys without a `kid`, and keys that
/// are neither EC P-384 nor RSA, are left out; a file with no usable key,
/// or one that is not a JWKS, is refused at its `file:line:col`.
pub(crate) fn keys(text: &str, name: &str) -> Result<Keys, FileError> {
    let at = |line: usize, col: usize, message: String| FileError {
        path: name.to_string(),
        line,
        col,
        message,
    };
    let set: JwkSet = serde_json::from_str(text)
        .map_err(|e| at(e.line(), e.column(), format!("not a JWKS: {e}")))?;
    let mut by_kid = HashMap::new();
    for jwk in &set.keys {
        let Some(kid) = jwk.common.key_id.clone() else {
            continue;
        };
        let Some(alg) = algorithm_of(jwk) else {
            continue;
        };
        let key = DecodingKey::from_jwk(jwk)
            .map_err(|e| at(1, 1, format!("key {kid:?} cannot be read: {e}")))?;
        if by_kid.insert(kid.clone(), (key, alg)).is_some() {
            return Err(at(1, 1, format!("kid {kid:?} is given twice")));
        }
    }
    if by_kid.is_empty() {
        return Err(at(
            1,
            1,
            "no usable key: the JWKS needs an EC P-384 (ES384) or RSA (RS384) key with a kid"
                .to_string(),
        ));
    }
    Ok(Keys { by_kid })
}

/// The algorithm a key verifies: ES384 for EC P-384, RS384 for RSA.
fn algorithm_of(jwk: &Jwk) -> Option<Algorithm> {
    match &jwk.algorithm {
        AlgorithmParameters::EllipticCurve(p) if p.curve == EllipticCurve::P384 => {
            Some(Algorithm::ES384)
        }
        AlgorithmParameters::RSA(_) => Some(Algorithm::RS384),
        _ => None,
    }
}

/// The claims checked beyond what the JWT library checks.
#[derive(serde::Deserialize)]
struct Claims {
    exp: Option<serde_json::Value>,
    iat: Option<serde_json::Value>,
    nbf: Option<serde_json::Value>,
    jti: Option<serde_json::Value>,
    iss: Option<String>,
}

/// The checks of every request's token.
#[derive(Debug)]
pub(crate) struct Verifier {
    keys: Keys,
    issuers: Vec<String>,
    replay: Replay,
}

impl Verifier {
    pub(crate) fn new(keys: Keys, issuers: Vec<String>) -> Verifier {
        Verifier {
            keys,
            issuers,
            replay: Replay::new(REPLAY_CAPACITY),
        }
    }

    /// Checks the `Authorization` header of a request to `audience` (the
    /// public URL of the endpoint called) at `now` (seconds since the epoch).
    pub(crate) fn check(
        &self,
        authorization: Option<&str>,
        audience: &str,
        now: u64,
    ) -> Result<(), Denied> {
        let token = bearer(authorization.ok_or(Denied::Missing)?)?;
        let header = header_of(token)?;
        let alg = header
            .get("alg")
            .and_then(|a| a.as_str())
            .ok_or_else(|| Denied::Malformed("the header has no alg".into()))?;
        let alg = match alg {
            "ES384" => Algorithm::ES384,
            "RS384" => Algorithm::RS384,
            other => return Err(Denied::Algorithm(crate::strict_json::shorten(other).into())),
        };
        let kid = header
            .get("kid")
            .and_then(|k| k.as_str())
            .ok_or(Denied::NoKid)?;
        let (key, key_alg) = self.keys.by_kid.get(kid).ok_or(Denied::UnknownKid)?;
        if *key_alg != alg {
            return Err(Denied::KeyMismatch);
        }
        let mut v = Validation::new(alg);
        // Times are checked below against `now`, not inside the library.
        v.validate_exp = false;
        v.validate_nbf = false;
        v.set_required_spec_claims(&["exp", "iss", "aud"]);
        v.set_issuer(&self.issuers);
        v.set_audience(&[audience]);
        let data = jsonwebtoken::decode::<Claims>(token, key, &v).map_err(|e| match e.kind() {
            ErrorKind::InvalidSignature => Denied::Signature,
            ErrorKind::ExpiredSignature => Denied::Expired,
            ErrorKind::InvalidIssuer => Denied::Issuer,
            ErrorKind::InvalidAudience => Denied::Audience,
            ErrorKind::InvalidAlgorithm => Denied::KeyMismatch,
            ErrorKind::MissingRequiredClaim(c) => Denied::Claim(c.clone()),
            ErrorKind::InvalidClaimFormat(c) => Denied::Claim(c.clone()),
            ErrorKind::ImmatureSignature => Denied::IssuedInFuture,
            other => Denied::Malformed(format!("{other:?}")),
        })?;
        let c = data.claims;
        let seconds = |v: &Option<serde_json::Value>| v.as_ref().and_then(|v| v.as_u64());
        let exp = seconds(&c.exp).ok_or_else(|| Denied::Claim("exp".into()))?;
        if exp.saturating_add(SKEW_SECONDS) < now {
            return Err(Denied::Expired);
        }
        if seconds(&c.nbf).is_some_and(|nbf| nbf > now.saturating_add(SKEW_SECONDS)) {
            return Err(Denied::IssuedInFuture);
        }
        if exp > now.saturating_add(MAX_TOKEN_SECONDS) {
            return Err(Denied::TooLong);
        }
        let iat = seconds(&c.iat).ok_or_else(|| Denied::Claim("iat".into()))?;
        if iat > now.saturating_add(SKEW_SECONDS) {
            return Err(Denied::IssuedInFuture);
        }
        let jti = c
            .jti
            .as_ref()
            .and_then(|j| j.as_str())
            .filter(|j| !j.is_empty() && j.chars().count() <= MAX_JTI_CHARS)
            .ok_or_else(|| Denied::Claim("jti".into()))?;
        // Ids are per issuer: two EHRs may both use counters.
        let id = format!("{}\u{0}{jti}", c.iss.unwrap_or_default());
        self.replay
            .take(&id, exp.saturating_add(SKEW_SECONDS), now)
            .map_err(|r| match r {
                Refused::Replayed => Denied::Replayed,
                Refused::Full => Denied::Busy,
            })
    }
}

/// The token of `Bearer <token>` (the scheme in any case).
fn bearer(header: &str) -> Result<&str, Denied> {
    let (scheme, token) = header
        .trim()
        .split_once(' ')
        .ok_or_else(|| Denied::Malformed("not `Bearer <token>`".into()))?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(Denied::Malformed("not `Bearer <token>`".into()));
    }
    Ok(token.trim())
}

/// The JOSE header of a compact JWS, read before anything is verified, to
/// refuse `none` and HMAC by name.
fn header_of(token: &str) -> Result<serde_json::Map<String, serde_json::Value>, Denied> {
    let mut parts = token.split('.');
    let (Some(head), Some(_), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Denied::Malformed("not three dot-separated parts".into()));
    };
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(head)
        .map_err(|_| Denied::Malformed("the header is not base64url".into()))?;
    match serde_json::from_slice(&bytes) {
        Ok(serde_json::Value::Object(m)) => Ok(m),
        _ => Err(Denied::Malformed("the header is not a JSON object".into())),
    }
}

#[cfg(test)]
mod tests;
