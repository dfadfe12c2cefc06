#!/usr/bin/env python3
"""The HTTP bad-input table of docs/reliability.md, from a real run: each request below is sent with curl to a running
`digits serve` and its status and problem detail printed as a Markdown row.
Usage: digits serve --port 5098 &  then  python3 bench/http-bad-inputs.py http://127.0.0.1:5098  (from the repository root)"""
import base64, json, struct, subprocess, sys, tempfile, zlib, os

base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5098"
tmp = tempfile.mkdtemp()
data = open("samples/canvas-5.png", "rb").read()
def write(name, content, mode="wb"):
    path = os.path.join(tmp, name)
    with open(path, mode) as f:
        f.write(content)
    return path
half = write("half.png", data[: len(data) // 2])
big = write("big.bin", b"\0" * (5 * 1024 * 1024 + 1))
batch = write("batch257.json", json.dumps({"images": [base64.b64encode(data).decode()] * 257}), "w")
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
huge = write("huge-header.png", b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8000, 6000, 8, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(b"")))

predict, batch_url = base + "/api/predict", base + "/api/predict/batch"
cases = [
    ("empty image body", ["-H", "Content-Type: image/png", "--data-binary", "", predict]),
    ("no body, no content type", ["-X", "POST", predict]),
    ("random bytes as image/png", ["-H", "Content-Type: image/png", "--data-binary", "hello", predict]),
    ("a PNG cut in half", ["-H", "Content-Type: image/png", "--data-binary", "@" + half, predict]),
    ("JSON pixels of the wrong length", ["-H", "Content-Type: application/json", "-d", '{"pixels":[1,2,3]}', predict]),
    ("JSON pixel out of range", ["-H", "Content-Type: application/json", "-d", '{"pixels":[' + ",".join(["300"] + ["0"] * 783) + "]}", predict]),
    ("bad JSON", ["-H", "Content-Type: application/json", "-d", '{"pixels": [1,', predict]),
    ("JSON without image or pixels", ["-H", "Content-Type: application/json", "-d", '{"other": 1}', predict]),
    ("JSON image that is not base64", ["-H", "Content-Type: application/json", "-d", '{"image": "%%%"}', predict]),
    ("multipart form without an image field", ["-F", "file=@samples/canvas-5.png", predict]),
    ("body over 5 MB", ["-H", "Content-Type: image/png", "--data-binary", "@" + big, predict]),
    ("text/plain body", ["-H", "Content-Type: text/plain", "-d", "five", predict]),
    ("PNG header claiming 8000×6000", ["-H", "Content-Type: image/png", "--data-binary", "@" + huge, predict]),
    ("batch of 257 images", ["-H", "Content-Type: application/json", "--data-binary", "@" + batch, batch_url]),
    ("batch as a raw image", ["-H", "Content-Type: image/png", "--data-binary", "@samples/canvas-5.png", batch_url]),
    ("batch with an empty JSON list", ["-H", "Content-Type: application/json", "-d", '{"images": []}', batch_url]),
]
print("| request | status | detail (or title) |")
print("|---|---|---|")
for name, args in cases:
    out = subprocess.run(["curl", "-s", "-w", "\n%{http_code}"] + args, capture_output=True, text=True).stdout
    body, code = out.rsplit("\n", 1)
    problem = json.loads(body)
    detail = (problem.get("detail") or problem.get("title")).replace("|", "\\|")
    print(f"| {name} | {code} | `{detail}` |")
