#!/usr/bin/python3
"""Writes the malformed IDX fixtures of this directory (each a few dozen bytes); expected.json
says what error each must produce. Run from anywhere: /usr/bin/python3 make.py"""
import gzip, os, struct

os.chdir(os.path.dirname(os.path.abspath(__file__)))


def idx(dims, data, magic=None):
    m = magic if magic is not None else 0x800 | len(dims)
    return struct.pack(">I", m) + b"".join(struct.pack(">I", d) for d in dims) + bytes(data)


def gz(data):
    return gzip.compress(data, compresslevel=6, mtime=0)


good_images = idx([4, 3, 3], range(36))
good_labels = idx([4], [0, 1, 2, 1])
files = {
    # single files
    "wrong-magic-text.idx": b"this is not an IDX file\n",
    "wrong-magic-float.idx": idx([2, 2, 2], range(8), magic=0x00000D03),
    "wrong-magic-labels-as-images.idx": good_labels,
    "wrong-magic-rank0.idx": idx([], [7]),
    "empty.idx": b"",
    "header-cut-in-magic.idx": b"\x00\x00\x08",
    "header-cut-in-dimensions.idx": struct.pack(">I", 0x803) + struct.pack(">I", 4) + b"\x00\x00",
    "data-truncated.idx": idx([4, 3, 3], range(30)),
    "header-claims-billions.idx": idx([4000000000, 28, 28], range(100)),
    "header-product-overflows.idx": idx([0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF], range(16)),
    "trailing-data.idx": good_images + b"\x00" * 5,
    "gzip-truncated.idx.gz": gz(good_images)[:-12],
    "gzip-crc-mismatch.idx.gz": gz(good_images)[:-8] + b"\xde\xad\xbe\xef" + gz(good_images)[-4:],
    "gzip-corrupt-deflate.idx.gz": b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xff" * 20,
    "gzip-magic-only.idx.gz": b"\x1f\x8b",
    "gzip-header-claims-billions.idx.gz": gz(idx([4000000000, 28, 28], range(100))),
    "gzip-trailing-data.idx.gz": gz(good_images + b"\x01\x02"),
    # dataset pairs: good files and partners that do not fit them
    "good-images.idx": good_images,
    "good-labels.idx": good_labels,
    "non-square-images.idx": idx([4, 3, 4], range(48)),
    "zero-side-images.idx": idx([4, 0, 0], []),
    "three-labels.idx": idx([3], [0, 1, 2]),
    "labels-out-of-range.idx": idx([4], [0, 1, 2, 9]),
    "larger-images.idx": idx([4, 4, 4], range(64)),
}
for name, data in files.items():
    with open(name, "wb") as f:
        f.write(data)
