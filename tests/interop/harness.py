#!/usr/bin/env python3
"""gh-dose CDS Hooks interop harness: plays the EHR against `gh-dose serve`.

Starts the service on a free loopback port with a freshly generated P-384
key in a JWKS file, then: discovery; order-select and order-sign with
prefetch for a Turner girl, an adult, a weekly product and a withhold; a
patient-view titration; a draft that is not growth hormone; missing
prefetch (412); every bad token (none, no token, alg none, HS256 with the
public key as secret, wrong aud, unknown kid, expired, replayed jti) -> 401;
feedback. Every card is checked against the CDS Hooks card rules and every
FHIR resource in a card is parsed with fhir.resources (R4B) and its codes
checked (fhir.resources checks structure only, not bindings or nulls).

Usage: python3 tests/interop/harness.py path/to/gh-dose
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fhir.resources.R4B.medicationrequest import MedicationRequest

ISS = "https://ehr.example.org"
# gh-dose's code systems, as the FHIR adapter reads and writes them (data/fhir.toml).
PRODUCT = "urn:gh-dose:fhir:CodeSystem:product"
INDICATION = "urn:gh-dose:fhir:CodeSystem:indication"
CONDITION = "urn:gh-dose:fhir:CodeSystem:condition"
ATC = "http://www.whocc.no/atc"
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def b64(n, size):
    import base64
    return base64.urlsafe_b64encode(n.to_bytes(size, "big")).rstrip(b"=").decode()


class Ehr:
    def __init__(self, base, key, kid="k1"):
        self.base, self.key, self.kid = base, key, kid

    def token(self, path, **over):
        now = int(time.time())
        claims = {"iss": ISS, "aud": self.base + path, "exp": now + 300, "iat": now,
                  "jti": str(uuid.uuid4())}
        claims.update(over.pop("claims", {}))
        headers = {"kid": over.pop("kid", self.kid), "typ": "JWT"}
        return jwt.encode(claims, self.key, algorithm="ES384", headers=headers)

    def call(self, method, path, body=None, token="auto"):
        if token == "auto":
            token = self.token(path)
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if token is not None:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=20) as r:
                text = r.read().decode()
                return r.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as e:
            text = e.read().decode()
            try:
                return e.code, json.loads(text)
            except ValueError:
                return e.code, text


# ---- the chart ---------------------------------------------------------

def obs(loinc, date, value, unit):
    return {"resource": {"resourceType": "Observation", "status": "final",
                         "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
                         "effectiveDateTime": date,
                         "valueQuantity": {"value": value, "unit": unit,
                                           "system": "http://unitsofmeasure.org", "code": unit}}}


def bundle(entries):
    return {"resourceType": "Bundle", "type": "searchset", "entry": entries}


def order(hook, medication, indication, gender, birth, kg, cm, conditions=()):
    return {
        "hook": hook, "hookInstance": str(uuid.uuid4()),
        "fhirServer": "https://ehr.example.org/fhir",
        "context": {"userId": "Practitioner/1", "patientId": "p1",
                    "selections": ["MedicationRequest/mr1"],
                    "draftOrders": {"resourceType": "Bundle", "entry": [{"resource": {
                        "resourceType": "MedicationRequest", "id": "mr1", "status": "draft",
                        "intent": "order", "subject": {"reference": "Patient/p1"},
                        "medicationCodeableConcept": medication,
                        "reasonCode": [{"coding": [{"system": INDICATION,
                                                    "code": indication}]}]}}]}},
        "prefetch": {
            "patient": {"resourceType": "Patient", "id": "p1", "gender": gender, "birthDate": birth},
            "weight": bundle([obs("29463-7", "2026-11-30", kg, "kg")]),
            "height": bundle([obs("8302-2", "2026-11-30", cm, "cm")]),
            "conditions": bundle([{"resource": {
                "resourceType": "Condition", "clinicalStatus": {"coding": [{"code": "active"}]},
                "code": {"coding": [{"system": CONDITION, "code": c}]}}}
                for c in conditions]) if conditions else None}}


def product(pid):
    return {"coding": [{"system": PRODUCT, "code": pid}]}


def somatropin(pid):
    # An active order is read by its ATC code, its product by gh-dose's.
    return {"coding": [{"system": ATC, "code": "H01AC01"}, {"system": PRODUCT, "code": pid}]}


# ---- rules -------------------------------------------------------------

def no_null_or_empty(v, path="$"):
    if v is None or v == "" or v == [] or v == {}:
        check(False, f"null or empty at {path}")
        return
    if isinstance(v, dict):
        for k, x in v.items():
            no_null_or_empty(x, f"{path}.{k}")
    elif isinstance(v, list):
        for i, x in enumerate(v):
            no_null_or_empty(x, f"{path}[{i}]")


def check_medication_request(mr, where):
    try:
        MedicationRequest.model_validate(mr)
    except Exception as e:  # noqa: BLE001 - any validation error is a failure
        check(False, f"{where}: fhir.resources R4B refuses the MedicationRequest: {e}")
    check(mr.get("resourceType") == "MedicationRequest", f"{where}: resourceType")
    check(mr.get("status") == "draft", f"{where}: status draft")
    check(mr.get("intent") == "proposal", f"{where}: intent proposal")
    codings = mr.get("medicationCodeableConcept", {}).get("coding", [])
    check(any(c.get("system") == PRODUCT for c in codings), f"{where}: product coded")
    check(any(c.get("system") == ATC for c in codings), f"{where}: ATC coded")
    check(mr.get("subject", {}).get("reference") == "Patient/p1", f"{where}: subject Patient/p1")
    check("urn:uuid:" not in json.dumps(mr), f"{where}: no Bundle-local reference")
    dosage = mr.get("dosageInstruction", [])
    check(len(dosage) == 1, f"{where}: one dosageInstruction")
    for d in dosage:
        rates = d.get("doseAndRate", [])
        check(len(rates) >= 1, f"{where}: doseAndRate")
        types = [r["type"]["coding"][0]["code"] for r in rates]
        check(types[0] == "calculated" and set(types) <= {"calculated", "ordered"},
              f"{where}: doseAndRate types {types}")
        for r in rates:
            q = r["doseQuantity"]
            check(q.get("system") == "http://unitsofmeasure.org" and q.get("code") == "mg",
                  f"{where}: UCUM mg")
            check(isinstance(q.get("value"), (int, float)) and q["value"] > 0, f"{where}: dose value")
        unit = d.get("timing", {}).get("repeat", {}).get("periodUnit")
        check(unit in ("d", "wk"), f"{where}: periodUnit {unit}")


def check_cards(body, where):
    check(isinstance(body, dict) and isinstance(body.get("cards"), list), f"{where}: cards array")
    if body.get("cards") == []:
        return []
    no_null_or_empty(body, where)
    for i, c in enumerate(body["cards"]):
        w = f"{where} card {i}"
        s = c.get("summary", "")
        check(isinstance(s, str) and 0 < len(s) < 140, f"{w}: summary under 140 characters")
        check(c.get("indicator") in ("info", "warning", "critical"), f"{w}: indicator")
        check(isinstance(c.get("source", {}).get("label"), str), f"{w}: source.label")
        check(isinstance(c.get("uuid"), str), f"{w}: uuid")
        sugg = c.get("suggestions")
        if sugg is not None:
            check(c.get("selectionBehavior") == "at-most-one", f"{w}: selectionBehavior with suggestions")
            check(len(sugg) == 1, f"{w}: one suggestion")
            for s in sugg:
                check(isinstance(s.get("label"), str), f"{w}: suggestion label")
                acts = s.get("actions", [])
                check(len(acts) == 1, f"{w}: one action")
                for a in acts:
                    check(a.get("type") in ("create", "update", "delete"), f"{w}: action type")
                    check(isinstance(a.get("description"), str), f"{w}: action description")
                    check_medication_request(a.get("resource", {}), w)
        for r in c.get("overrideReasons", []):
            check(isinstance(r.get("display"), str), f"{w}: overrideReason display")
    return body["cards"]


# ---- the run -----------------------------------------------------------

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/debug/gh-dose"
    key = ec.generate_private_key(ec.SECP384R1())
    nums = key.public_key().public_numbers()
    jwk = {"kty": "EC", "crv": "P-384", "kid": "k1", "use": "sig", "alg": "ES384",
           "x": b64(nums.x, 48), "y": b64(nums.y, 48)}
    tmp = tempfile.mkdtemp()
    jwks_path = os.path.join(tmp, "jwks.json")
    with open(jwks_path, "w") as f:
        json.dump({"keys": [jwk]}, f)
    audit = os.path.join(tmp, "audit.jsonl")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    srv = subprocess.Popen([binary, "serve", "--addr", f"127.0.0.1:{port}", "--jwks", jwks_path,
                            "--issuer", ISS, "--audit", audit],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = srv.stdout.readline()
        check("listening on" in line, f"startup line: {line!r}")
        ehr = Ehr(base, key)

        status, d = ehr.call("GET", "/cds-services")
        check(status == 200, f"discovery status {status}")
        no_null_or_empty(d, "discovery")
        hooks = sorted(s["hook"] for s in d["services"])
        check(hooks == ["order-select", "order-sign", "patient-view"], f"hooks {hooks}")
        for s in d["services"]:
            check(all(isinstance(v, str) and "{{context.patientId}}" in v for v in s["prefetch"].values()),
                  f"{s['id']}: prefetch templates")

        cases = [
            ("turner girl", "gh-dose-order-select",
             order("order-select", product("norditropin"), "turner", "female", "2018-03-01", 24, 120),
             "warning", True),
            ("adult", "gh-dose-order-sign",
             order("order-sign", product("norditropin"), "adult-ghd", "male", "1980-01-01", 80, 180),
             "info", True),
            ("weekly product", "gh-dose-order-select",
             order("order-select", {"text": "Sogroya"}, "ghd", "male", "2017-05-01", 25, 118),
             None, True),
            ("withhold", "gh-dose-order-sign",
             order("order-sign", product("norditropin"), "turner", "female", "2018-03-01", 24, 120,
                   ["active-malignancy"]),
             "critical", False),
        ]
        first_card = None
        for name, sid, body, indicator, suggests in cases:
            status, resp = ehr.call("POST", f"/cds-services/{sid}", body)
            check(status == 200, f"{name}: status {status} {resp}")
            cards = check_cards(resp, name)
            check(len(cards) == 1, f"{name}: one card")
            if cards:
                c = cards[0]
                if indicator:
                    check(c["indicator"] == indicator, f"{name}: indicator {c['indicator']}")
                check(("suggestions" in c) == suggests, f"{name}: suggestion present = {suggests}")
                if suggests:
                    act = c["suggestions"][0]["actions"][0]
                    check(act["type"] == "update" and act["resource"].get("id") == "mr1",
                          f"{name}: update of the draft")
                first_card = first_card or c
        # The weekly product is dosed weekly.
        status, resp = ehr.call("POST", "/cds-services/gh-dose-order-select", cases[2][2])
        mr = resp["cards"][0]["suggestions"][0]["actions"][0]["resource"]
        check(mr["dosageInstruction"][0]["timing"]["repeat"]["periodUnit"] == "wk", "weekly: periodUnit wk")

        # patient-view: a titration of the active order.
        pv = {"hook": "patient-view", "hookInstance": str(uuid.uuid4()),
              "context": {"userId": "Practitioner/1", "patientId": "p1"},
              "prefetch": {
                  "patient": {"resourceType": "Patient", "id": "p1", "gender": "male", "birthDate": "2017-05-01"},
                  "weight": bundle([obs("29463-7", "2026-11-30", 27, "kg"), obs("29463-7", "2026-06-01", 25, "kg")]),
                  "height": bundle([obs("8302-2", "2026-11-30", 124, "cm")]),
                  "igf1": bundle([obs("73561-3", "2026-11-20", 2.8, "{Z-score}")]),
                  "conditions": None,
                  "medications": bundle([{"resource": {
                      "resourceType": "MedicationRequest", "id": "a1", "status": "active", "intent": "order",
                      "authoredOn": "2026-06-01", "medicationCodeableConcept": somatropin("norditropin"),
                      "reasonCode": [{"coding": [{"system": INDICATION, "code": "ghd"}]}],
                      "dosageInstruction": [{"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
                                             "doseAndRate": [{"doseQuantity": {"value": 0.9, "unit": "mg",
                                                              "system": "http://unitsofmeasure.org", "code": "mg"}}]}]}}])}}
        status, resp = ehr.call("POST", "/cds-services/gh-dose-patient-view", pv)
        check(status == 200, f"patient-view: status {status}")
        cards = check_cards(resp, "patient-view")
        check(len(cards) == 1 and cards[0]["summary"].startswith("decrease"), f"patient-view: {cards}")

        # Not growth hormone: no card.
        amlo = order("order-select", {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                                                  "code": "197361", "display": "Amlodipine 5 MG"}]},
                     "turner", "female", "2018-03-01", 24, 120)
        status, resp = ehr.call("POST", "/cds-services/gh-dose-order-select", amlo)
        check(status == 200 and resp == {"cards": []}, f"not GH: {status} {resp}")

        # Missing prefetch: 412.
        missing = order("order-select", product("norditropin"), "turner", "female", "2018-03-01", 24, 120)
        del missing["prefetch"]["weight"]
        status, _ = ehr.call("POST", "/cds-services/gh-dose-order-select", missing)
        check(status == 412, f"missing prefetch: {status}")
        status, _ = ehr.call("POST", "/cds-services/gh-dose-order-select", b"{not json")
        check(status == 400, f"malformed: {status}")

        # Every bad token: 401.
        path = "/cds-services/gh-dose-order-select"
        body = cases[0][2]
        now = int(time.time())
        pub_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                                serialization.PublicFormat.SubjectPublicKeyInfo)
        claims = {"iss": ISS, "aud": base + path, "exp": now + 300, "iat": now}

        def unsigned_none():
            import base64
            enc = lambda o: base64.urlsafe_b64encode(json.dumps(o).encode()).rstrip(b"=").decode()
            return f"{enc({'alg': 'none', 'typ': 'JWT', 'kid': 'k1'})}.{enc(dict(claims, jti=str(uuid.uuid4())))}."

        def hs256_with_public_key():
            import base64, hashlib, hmac
            enc = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
            head = enc(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "k1"}).encode())
            pay = enc(json.dumps(dict(claims, jti=str(uuid.uuid4()))).encode())
            sig = hmac.new(pub_pem, f"{head}.{pay}".encode(), hashlib.sha256).digest()
            return f"{head}.{pay}.{enc(sig)}"

        replayed = ehr.token(path)
        status, _ = ehr.call("POST", path, body, token=replayed)
        check(status == 200, f"first use of a token: {status}")
        bad = {
            "no token": None,
            "alg none": unsigned_none(),
            "HS256 with the public key as secret": hs256_with_public_key(),
            "wrong aud": ehr.token(path, claims={"aud": base + "/cds-services/gh-dose-order-sign"}),
            "unknown kid": ehr.token(path, kid="k9"),
            "expired": ehr.token(path, claims={"exp": now - 600, "iat": now - 900}),
            "replayed jti": replayed,
            "wrong issuer": ehr.token(path, claims={"iss": "https://evil.example"}),
            "another key": jwt.encode(dict(claims, jti=str(uuid.uuid4())),
                                      ec.generate_private_key(ec.SECP384R1()), algorithm="ES384",
                                      headers={"kid": "k1"}),
        }
        for name, tok in bad.items():
            status, resp = ehr.call("POST", path, body, token=tok)
            check(status == 401, f"bad token ({name}): {status} {resp}")
        status, _ = ehr.call("GET", "/cds-services", token=None)
        check(status == 401, f"discovery without a token: {status}")

        # Feedback goes to the audit log, without free text.
        if first_card:
            fb = {"feedback": [{"card": first_card["uuid"], "outcome": "overridden",
                                "overrideReason": {"reason": {"code": "clinical-judgement",
                                                              "system": "urn:gh-dose:override-reason"},
                                                   "userComment": "Dr Example disagrees"},
                                "outcomeTimestamp": "2026-12-01T10:00:00Z"}]}
            status, _ = ehr.call("POST", f"/cds-services/gh-dose-order-select/feedback", fb)
            check(status == 200, f"feedback: {status}")
            with open(audit) as f:
                lines = [json.loads(l) for l in f]
            check(len(lines) == 1 and lines[0]["card"] == first_card["uuid"]
                  and len(lines[0]["rules_sha256"]) == 64 and "Example" not in json.dumps(lines),
                  f"audit line: {lines}")
    finally:
        srv.terminate()
        try:
            code = srv.wait(timeout=20)
            check(code == 0, f"exit code after SIGTERM: {code}")
        except subprocess.TimeoutExpired:
            srv.kill()
            check(False, "the service did not stop on SIGTERM")
    if FAILURES:
        print(f"interop: {len(FAILURES)} failure(s)", file=sys.stderr)
        sys.exit(1)
    print("interop: all CDS Hooks checks passed")


if __name__ == "__main__":
    main()
