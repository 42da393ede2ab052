#!/usr/bin/python3
"""Independent check of files written by the Swift HDF5 and PNG modules.

Usage: /usr/bin/python3 scripts/check_interop.py DIR

Run by the Swift tests HDF5Tests.InteropTests and PNGTests.InteropTests, which write the
files below into a temporary DIR. Whatever of them is present is checked against the
formulas the Swift tests used, re-derived here with numpy; at least one must be present.

  interop.h5            datasets of every dtype and rank, groups, string/numeric attributes
  interop_gray.png      13x7 gray,  pixel(y, x) = (17x + 29y) mod 256
  interop_rgb.png       5x11 RGB,   pixel(y, x) = (40x, 20y, 10(x+y)) mod 256
  interop_kernels.png   kernel grid of a 6x1x5x5 layer w[o,0,ky,kx] = (5ky + kx - 12)(o+1)

Needs h5py, numpy and PIL only (Debian: python3-h5py, python3-numpy, python3-pil).
Exits 0 when every check passes, 1 with a message otherwise.
"""
import json
import os
import sys

import h5py
import numpy as np
from PIL import Image


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def check_dataset(f, name, dtype, shape, values):
    expect(name in f, f"missing dataset {name}")
    d = f[name]
    expect(d.dtype == np.dtype(dtype), f"{name}: dtype {d.dtype}, expected {dtype}")
    expect(d.shape == tuple(shape), f"{name}: shape {d.shape}, expected {tuple(shape)}")
    data = d[()]
    expected = np.asarray(values, dtype=dtype).reshape(shape)
    expect(np.array_equal(data, expected), f"{name}: values differ:\n{data}\nexpected\n{expected}")
    return d


def check_hdf5(path):
    with h5py.File(path, "r") as f:
        a = f.attrs
        expect(isinstance(a["format"], str) and a["format"] == "exp-interop", f"format: {a['format']!r}")
        expect(isinstance(a["config_json"], str), f"config_json is {type(a['config_json'])}, not str")
        config = json.loads(a["config_json"])
        expect(config == {"name": "Boué", "lr": 0.1, "layers": [6, 16], "note": "μ ≥ 0 🧠"}, f"config_json: {config}")
        expect(a["format_version"] == 1 and a["format_version"].dtype == np.int64, f"format_version: {a['format_version']!r}")
        expect(a["learning_rate"] == 0.05 and a["learning_rate"].dtype == np.float64, f"learning_rate: {a['learning_rate']!r}")
        expect(np.array_equal(a["shape"], [6, 1, 5, 5]) and a["shape"].dtype == np.int64, f"shape: {a['shape']!r}")
        expect(np.array_equal(a["curve"], [0.5, 0.25]), f"curve: {a['curve']!r}")

        check_dataset(f, "f32/scalar", "float32", (), 3.5)
        check_dataset(f, "f32/vector", "float32", (7,), np.arange(7) * 0.5)
        check_dataset(f, "f64/matrix", "float64", (3, 4), np.arange(12) / 8)
        check_dataset(f, "i32/tensor4", "int32", (2, 3, 4, 5), np.arange(120) - 60)
        check_dataset(f, "i64/big", "int64", (3,), 2**40 + np.arange(3))
        check_dataset(f, "u8/image", "uint8", (28, 28), (np.arange(784) * 7) % 256)
        check_dataset(f, "empty", "float32", (0,), [])
        large = check_dataset(f, "f32/large", "float32", (64, 64), (np.arange(4096) % 97) * 0.125)
        expect(large.compression == "gzip" and large.compression_opts == 4 and large.shuffle,
               f"f32/large: compression {large.compression} {large.compression_opts} shuffle {large.shuffle}")
        expect(large.chunks == (64, 64), f"f32/large chunks {large.chunks}")
        expect(f["f32/vector"].compression is None, "small datasets are not compressed")

        expect(sorted(f.keys()) == ["empty", "epoch_0001", "f32", "f64", "i32", "i64", "u8"], f"root: {sorted(f.keys())}")
        w = check_dataset(f, "epoch_0001/P0/w", "float32", (6, 1, 5, 5), np.arange(150) / 150)
        expect(w.attrs["layer"] == "conv" and isinstance(w.attrs["layer"], str), f"layer: {w.attrs['layer']!r}")
        expect(w.attrs["index"] == 0, f"index: {w.attrs['index']!r}")
        expect(f["epoch_0001"].attrs["größe"] == "ä", "UTF-8 attribute name and value")
    return f"{os.path.basename(path)}: 9 datasets, 8 attributes"


def load_png(path, mode, size):
    image = Image.open(path)
    image.load()
    expect(image.mode == mode, f"{path}: mode {image.mode}, expected {mode}")
    expect(image.size == size, f"{path}: size {image.size}, expected {size}")
    return np.asarray(image)


def check_gray(path):
    pixels = load_png(path, "L", (13, 7))
    y, x = np.mgrid[0:7, 0:13]
    expect(np.array_equal(pixels, (17 * x + 29 * y) % 256), f"{path}: pixels differ")
    return f"{os.path.basename(path)}: 13x7 gray"


def check_rgb(path):
    pixels = load_png(path, "RGB", (5, 11))
    y, x = np.mgrid[0:11, 0:5]
    expected = np.stack([(40 * x) % 256, (20 * y) % 256, (10 * (x + y)) % 256], axis=-1)
    expect(np.array_equal(pixels, expected), f"{path}: pixels differ")
    return f"{os.path.basename(path)}: 5x11 RGB"


def check_kernels(path):
    # Borders around and between tiles: width 1 + 1*(5*8+1) = 42, height 1 + 6*41 = 247.
    pixels = load_png(path, "RGB", (42, 247))
    for o in range(6):
        top = 1 + 41 * o
        expect((pixels[top - 1, :] == 0).all(), f"border row above kernel {o} is not black")
        def cell(ky, kx):
            block = pixels[top + 8 * ky: top + 8 * ky + 8, 1 + 8 * kx: 1 + 8 * kx + 8]
            expect((block == block[0, 0]).all(), f"kernel {o} cell ({ky},{kx}) is not uniform")
            return tuple(int(v) for v in block[0, 0])
        # Per-kernel scale 12(o+1): value (5ky + kx - 12)/12 -> diverging map.
        expect(cell(4, 4) == (255, 0, 0), f"kernel {o}: max is {cell(4, 4)}, not pure red")
        expect(cell(0, 0) == (0, 0, 255), f"kernel {o}: min is {cell(0, 0)}, not pure blue")
        expect(cell(2, 2) == (255, 255, 255), f"kernel {o}: zero is {cell(2, 2)}, not white")
        expect(cell(3, 3) == (255, 128, 128), f"kernel {o}: +0.5 is {cell(3, 3)}")
        expect(cell(1, 1) == (128, 128, 255), f"kernel {o}: -0.5 is {cell(1, 1)}")
    expect((pixels[:, 0] == 0).all() and (pixels[:, 41] == 0).all(), "side borders are not black")
    return f"{os.path.basename(path)}: 42x247 kernel grid"


CHECKS = {
    "interop.h5": check_hdf5,
    "interop_gray.png": check_gray,
    "interop_rgb.png": check_rgb,
    "interop_kernels.png": check_kernels,
}


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    checked = 0
    for name, check in CHECKS.items():
        path = os.path.join(argv[1], name)
        if not os.path.exists(path):
            continue
        try:
            print("ok", check(path))
        except Exception as error:  # report every kind of failure as a failed check
            print(f"FAILED {name}: {type(error).__name__}: {error}", file=sys.stderr)
            return 1
        checked += 1
    if checked == 0:
        print(f"FAILED: none of {', '.join(CHECKS)} in {argv[1]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
