#!/usr/bin/env python3
"""Load client for `gh-dose serve`: authenticated order-select card requests
at C concurrent keep-alive connections on loopback, each request with its own
freshly signed ES384 token (jti). Prints requests/s, p50/p99 latency and the
error count. Bounded: N requests, and at most LIMIT seconds.

Usage: cds_load.py BIN [N] [C]   (needs PyJWT and cryptography: the interop venv)
"""
import asyncio, json, os, socket, subprocess, sys, tempfile, time, uuid, base64

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "interop"))
import harness  # noqa: E402  (fixtures of the interop harness)
import jwt  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402

LIMIT = 120.0


async def worker(port, requests, lat, errors, deadline):
    r, w = await asyncio.open_connection("127.0.0.1", port)
    while requests and time.monotonic() < deadline:
        raw = requests.pop()
        t0 = time.perf_counter()
        w.write(raw)
        await w.drain()
        head = await r.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await r.readexactly(length)
        lat.append(time.perf_counter() - t0)
        if not head.startswith(b"HTTP/1.1 200"):
            errors.append(head.split(b"\r\n")[0])
    w.close()


def main():
    binary = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    c = int(sys.argv[3]) if len(sys.argv) > 3 else 32
    key = ec.generate_private_key(ec.SECP384R1())
    nums = key.public_key().public_numbers()
    tmp = tempfile.mkdtemp()
    jwks = os.path.join(tmp, "jwks.json")
    with open(jwks, "w") as f:
        json.dump({"keys": [{"kty": "EC", "crv": "P-384", "kid": "k1",
                             "x": harness.b64(nums.x, 48), "y": harness.b64(nums.y, 48)}]}, f)
    port = harness.free_port()
    srv = subprocess.Popen([binary, "serve", "--addr", f"127.0.0.1:{port}", "--jwks", jwks,
                            "--issuer", harness.ISS], stdout=subprocess.PIPE, text=True)
    srv.stdout.readline()
    path = "/cds-services/gh-dose-order-select"
    body = json.dumps(harness.order("order-select", harness.product("norditropin"), "turner",
                                    "female", "2018-03-01", 24, 120)).encode()
    now = int(time.time())
    print(f"signing {n} tokens ...", file=sys.stderr)
    reqs = []
    for _ in range(n):
        tok = jwt.encode({"iss": harness.ISS, "aud": f"http://127.0.0.1:{port}{path}", "exp": now + 900,
                          "iat": now, "jti": str(uuid.uuid4())}, key, algorithm="ES384",
                         headers={"kid": "k1"})
        reqs.append(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {tok}\r\n"
                    f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
    lat, errors = [], []
    start = time.perf_counter()

    async def run():
        deadline = time.monotonic() + LIMIT
        await asyncio.gather(*(worker(port, reqs, lat, errors, deadline) for _ in range(c)))
    try:
        asyncio.run(run())
        wall = time.perf_counter() - start
    finally:
        srv.terminate()
        srv.wait(timeout=30)
    lat.sort()
    pct = lambda p: lat[min(len(lat) - 1, int(len(lat) * p))] * 1000
    print(f"cds: {len(lat)} authenticated order-select requests at {c} connections in {wall:.1f} s: "
          f"{len(lat) / wall:.0f} req/s, p50 {pct(0.50):.1f} ms, p99 {pct(0.99):.1f} ms, "
          f"{len(errors)} errors{(' ' + str(errors[:3])) if errors else ''}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
