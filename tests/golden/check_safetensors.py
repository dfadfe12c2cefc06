#!/usr/bin/env python3
"""Reads or writes a safetensors file with nothing but the Python standard library.

An independent check of Digits' model files against the format spec
(https://github.com/huggingface/safetensors, README "Format"), for machines without
the safetensors or numpy packages. Not part of the test suite; run it by hand:

    python3 tests/golden/check_safetensors.py MODEL.safetensors   # validate, print a JSON summary
    python3 tests/golden/check_safetensors.py --write OUT.safetensors  # write a sample for Digits to read

The summary gives each tensor's dtype, shape and the sum of its elements, to compare
with what the C# side wrote.
"""
import json
import struct
import sys

FORMATS = {"F32": ("f", 4), "F64": ("d", 8), "I32": ("i", 4), "I64": ("q", 8), "U8": ("B", 1)}


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    assert n % 8 == 0, f"header length {n} is not a multiple of 8"
    assert 8 + n <= len(data), f"truncated: header says {8 + n} bytes, file has {len(data)}"
    header = json.loads(data[8 : 8 + n].decode("utf-8"))
    body = data[8 + n :]
    metadata = header.pop("__metadata__", {})
    assert all(isinstance(v, str) for v in metadata.values()), "metadata values must be strings"
    end = 0
    tensors = {}
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"]):
        begin, stop = info["data_offsets"]
        assert begin == end, f"tensor {name!r} starts at {begin}, expected {end}"
        code, size = FORMATS[info["dtype"]]
        count = 1
        for d in info["shape"]:
            count *= d
        assert stop - begin == count * size, f"tensor {name!r}: shape {info['shape']} does not match offsets"
        assert begin % size == 0, f"tensor {name!r} is not aligned to its element size"
        values = struct.unpack(f"<{count}{code}", body[begin:stop])
        tensors[name] = {"dtype": info["dtype"], "shape": info["shape"], "sum": sum(values)}
        end = stop
    assert end == len(body), f"{len(body) - end} bytes after the last tensor"
    return {"metadata": metadata, "tensors": tensors}


def write(path):
    """Lays tensors out the way the reference writer does: larger dtypes first, header padded with spaces."""
    tensors = [
        ("weight", "F32", [2, 3], struct.pack("<6f", 0.5, -1.0, 2.0, 0.25, 3.0, -0.125)),
        ("steps", "I64", [2], struct.pack("<2q", 7, -9)),
        ("pixels", "U8", [3], bytes([0, 128, 255])),
    ]
    tensors.sort(key=lambda t: -FORMATS[t[1]][1])
    header = {"__metadata__": {"format": "python-sample", "note": "written by check_safetensors.py"}}
    offset = 0
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(t[3] for t in tensors))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--write":
        write(sys.argv[2])
    elif len(sys.argv) == 2:
        print(json.dumps(read(sys.argv[1]), indent=1))
    else:
        sys.exit(__doc__)
