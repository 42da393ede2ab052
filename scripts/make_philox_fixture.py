#!/usr/bin/env python3
"""Known-answer fixture for PhiloxStream from PyPI's randomgen (an independent Philox4x32-10).

    python3 -m venv /tmp/rgvenv && /tmp/rgvenv/bin/pip install randomgen numpy
    /tmp/rgvenv/bin/python scripts/make_philox_fixture.py

writes Tests/Fixtures/philox/randomgen.json, read by Tests/TensorTests/PhiloxTests.swift (the
tests do not need randomgen). Mapping: PhiloxStream(seed, stream, blockIndex) uses key = seed
(low word first) and counter = (blockIndex low, high, stream low, high); randomgen's
Philox(number=4, width=32, key=seed, counter=c) increments its 128-bit counter before each
block, so it is started at c = (stream << 64 | blockIndex) - 1 (mod 2^128). (A PhiloxStream wraps
its block index within its stream after 2^64 blocks, where randomgen would carry into the stream
words; the last case ends exactly at the last block of the last stream.)
"""
import json, pathlib
import randomgen
from randomgen import Philox

cases = [(0, 0, 0), (42, 0, 0), (0x89ABCDEF01234567, 7, 0), (2024, (2 << 32) | 3, 0),
         (1, 1 << 32, 5), (0xFFFFFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFF0)]
out = {"generator": f"randomgen {randomgen.__version__} Philox(number=4, width=32)",
       "script": "scripts/make_philox_fixture.py", "cases": []}
for seed, stream, block in cases:
    counter = ((stream << 64) | block) - 1
    g = Philox(number=4, width=32, key=seed, counter=counter % (1 << 128))
    words = [int(x) for x in g.random_raw(64)]
    out["cases"].append({"seed": str(seed), "stream": str(stream), "block_index": str(block), "words": words})
path = pathlib.Path(__file__).resolve().parent.parent / "Tests/Fixtures/philox/randomgen.json"
path.write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {path}: {sum(len(c['words']) for c in out['cases'])} words")
