//! `gh-dose serve` end to end: started on 127.0.0.1 port 0 with a fresh
//! P-384 key, called over plain HTTP/1.1, stopped with SIGTERM.

use base64::Engine;
use p384::ecdsa::signature::Signer;
use p384::ecdsa::{Signature, SigningKey};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

const ISS: &str = "https://ehr.example.org";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn fresh_key() -> SigningKey {
    let mut f = std::fs::File::open("/dev/urandom").unwrap();
    loop {
        let mut buf = [0u8; 48];
        f.read_exact(&mut buf).unwrap();
        if let Ok(k) = SigningKey::from_slice(&buf) {
            return k;
        }
    }
}

fn token(key: &SigningKey, aud: &str, jti: &str) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let head = json!({"alg": "ES384", "typ": "JWT", "kid": "k1"});
    let claims = json!({"iss": ISS, "aud": aud, "exp": now + 300, "iat": now, "jti": jti});
    let input = format!(
        "{}.{}",
        b64(head.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let sig: Signature = key.sign(input.as_bytes());
    format!("{input}.{}", b64(&sig.to_bytes()))
}

/// One request on a fresh connection: (status, body).
fn http(addr: &str, method: &str, path: &str, auth: Option<&str>, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    let auth = auth.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    // The server may answer (413) and close before an oversized body is
    // all written: the answer is read all the same.
    let _ = write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let out = String::from_utf8_lossy(&raw).into_owned();
    let status = out[9..12].parse().unwrap();
    let body = out
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str]) -> Server {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("gh-dose"))
        .arg("serve")
        .args(["--addr", "127.0.0.1:0"])
        .args(args)
        .env("GH_DOSE_TODAY", "2026-12-01")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    Server { child, addr }
}

fn turner_order() -> String {
    json!({"hook": "order-select", "hookInstance": "5b0c3a3e-7d6c-4c55-9f52-0d7a3a0c1e11",
      "context": {"userId": "Practitioner/1", "patientId": "p1", "selections": ["MedicationRequest/mr1"],
        "draftOrders": {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {
          "resourceType": "MedicationRequest", "id": "mr1", "status": "draft", "intent": "order",
          "subject": {"reference": "Patient/p1"},
          "medicationCodeableConcept": {"coding": [{"system": "urn:gh-dose:fhir:CodeSystem:product", "code": "norditropin"}]},
          "reasonCode": [{"coding": [{"system": "urn:gh-dose:fhir:CodeSystem:indication", "code": "turner"}]}]}}]}},
      "prefetch": {"patient": {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "2018-03-01"},
        "weight": {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": {"resourceType": "Observation",
          "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
          "effectiveDateTime": "2026-11-30", "valueQuantity": {"value": 24, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"}}}]},
        "height": {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": {"resourceType": "Observation",
          "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "8302-2"}]},
          "effectiveDateTime": "2026-11-30", "valueQuantity": {"value": 120, "unit": "cm", "system": "http://unitsofmeasure.org", "code": "cm"}}}]},
        "conditions": null}})
    .to_string()
}

#[test]
fn the_service_answers_authenticated_calls_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let key = fresh_key();
    let point = key.verifying_key().to_sec1_point(false);
    let p = point.as_bytes();
    let jwks = json!({"keys": [{"kty": "EC", "crv": "P-384", "kid": "k1",
        "x": b64(&p[1..49]), "y": b64(&p[49..97])}]});
    let jwks_path = dir.path().join("jwks.json");
    std::fs::write(&jwks_path, jwks.to_string()).unwrap();
    let audit = dir.path().join("audit.jsonl");
    let mut srv = start(&[
        "--jwks",
        jwks_path.to_str().unwrap(),
        "--issuer",
        ISS,
        "--audit",
        audit.to_str().unwrap(),
    ]);
    let base = format!("http://{}", srv.addr);
    let addr = srv.addr.clone();

    // Discovery needs a token too.
    let (status, _) = http(&addr, "GET", "/cds-services", None, "");
    assert_eq!(status, 401);
    let t = token(&key, &format!("{base}/cds-services"), "j1");
    let (status, body) = http(&addr, "GET", "/cds-services", Some(&t), "");
    assert_eq!(status, 200, "{body}");
    let d: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(d["services"].as_array().unwrap().len(), 3);
    // The same token again is a replay.
    assert_eq!(http(&addr, "GET", "/cds-services", Some(&t), "").0, 401);
    // A token for another endpoint is refused here.
    let path = "/cds-services/gh-dose-order-select";
    let other = token(&key, &format!("{base}/cds-services"), "j2");
    assert_eq!(
        http(&addr, "POST", path, Some(&other), &turner_order()).0,
        401
    );

    let t = token(&key, &format!("{base}{path}"), "j3");
    let (status, body) = http(&addr, "POST", path, Some(&t), &turner_order());
    assert_eq!(status, 200, "{body}");
    let cards: Value = serde_json::from_str(&body).unwrap();
    let card = &cards["cards"][0];
    assert!(
        card["summary"]
            .as_str()
            .unwrap()
            .starts_with("start: Norditropin 1.15 mg daily")
    );
    assert_eq!(
        card["suggestions"][0]["actions"][0]["resource"]["intent"],
        "proposal"
    );

    // Malformed 400, oversized 413, unknown service 404.
    let t = token(&key, &format!("{base}{path}"), "j4");
    assert_eq!(http(&addr, "POST", path, Some(&t), "{").0, 400);
    let t = token(&key, &format!("{base}{path}"), "j5");
    let big = format!("{{\"x\": \"{}\"}}", "a".repeat(2 << 20));
    assert_eq!(http(&addr, "POST", path, Some(&t), &big).0, 413);
    let t = token(&key, &format!("{base}/cds-services/nope"), "j6");
    assert_eq!(
        http(&addr, "POST", "/cds-services/nope", Some(&t), "{}").0,
        404
    );

    // Feedback is appended to the audit log.
    let fpath = format!("{path}/feedback");
    let t = token(&key, &format!("{base}{fpath}"), "j7");
    let fb = json!({"feedback": [{"card": card["uuid"], "outcome": "overridden",
        "overrideReason": {"reason": {"code": "clinical-judgement"}, "userComment": "Jane"},
        "outcomeTimestamp": "2026-12-01T10:00:00Z"}]});
    assert_eq!(
        http(&addr, "POST", &fpath, Some(&t), &fb.to_string()).0,
        200
    );
    let log = std::fs::read_to_string(&audit).unwrap();
    let line: Value = serde_json::from_str(log.lines().next().unwrap()).unwrap();
    assert_eq!(line["card"], card["uuid"]);
    assert_eq!(line["override_reason"], "clinical-judgement");
    assert!(!log.contains("Jane"));

    // SIGTERM: a clean exit.
    let pid = srv.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = srv.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn no_auth_is_refused_off_loopback_and_needs_no_token_on_it() {
    let out = Command::new(assert_cmd::cargo::cargo_bin!("gh-dose"))
        .args(["serve", "--no-auth", "--addr", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--no-auth") && err.contains("loopback"),
        "{err}"
    );
    let srv = start(&["--no-auth"]);
    let (status, body) = http(&srv.addr, "GET", "/cds-services", None, "");
    assert_eq!(status, 200, "{body}");
}
