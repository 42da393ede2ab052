#!/usr/bin/python3
"""Golden run ids for Tests/ExperimentsTests/SweepExpansionTests.swift, computed independently
of the Swift code: SPEC.md's defaults written out by hand, RFC 8785 canonical JSON (keys
sorted, no spaces, ECMAScript number text) and hashlib's SHA-256.

    /usr/bin/python3 scripts/config-golden.py
"""
import copy, hashlib, json

def es_number(d):
    """ECMAScript Number::toString from Python's shortest repr (RFC 8785 3.2.2.3)."""
    if d == 0:
        return "0"
    sign = "-" if d < 0 else ""
    mantissa, _, exp = repr(abs(d)).partition("e")
    whole, _, frac = mantissa.partition(".")
    digits, n = whole + frac, len(whole) + (int(exp) if exp else 0)
    while digits.startswith("0"):
        digits, n = digits[1:], n - 1
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * -n + digits
    e = n - 1
    return sign + (digits if k == 1 else digits[0] + "." + digits[1:]) + "e" + ("-" if e < 0 else "+") + str(abs(e))

def canonical(v):
    if isinstance(v, dict):
        items = sorted(v.items(), key=lambda kv: kv[0].encode("utf-16-be"))
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical(x) for k, x in items) + "}"
    if isinstance(v, list):
        return "[" + ",".join(canonical(x) for x in v) + "]"
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, int):
        return str(v)
    return es_number(v)

DEFAULTS = {
    "dataset": {"name": "mnist", "path": None, "train_images": None, "train_labels": None,
                "test_images": None, "test_labels": None, "normalize": "standardize",
                "train_limit": None, "test_limit": None, "validation": 0},
    "model": {"architecture": "lenet5", "layers": None, "bn": "after", "residual": False,
              "blocks_per_stage": 1, "activation": "relu", "init": "pytorch",
              "bn_momentum": 0.1, "bn_epsilon": 1e-5, "bn_inference": "running"},
    "training": {"epochs": 5, "batch_size": 64, "learning_rate": 0.1, "learning_rate_scaling": None,
                 "momentum": 0.0, "weight_decay": 0.0, "schedule": {"type": "constant"},
                 "warmup_epochs": 0, "shuffle": True, "drop_last": False, "loss_reduction": "mean",
                 "threads": None},
    "exports": {"weights_every": 1, "kernels_every": 1, "activations_every": 1,
                "activation_images": [0, 1, 2, 3, 4, 5, 6, 7]},
    "plugins": [],
}
OBSERVERS = {"metrics-hdf5", "weights-hdf5", "kernels-png", "activations-png", "progress", "diagnostics"}

def run_id(config):
    c = copy.deepcopy(config)
    del c["dataset"]["path"], c["training"]["threads"], c["exports"]
    c["plugins"] = [p for p in c["plugins"] if p["name"] not in OBSERVERS]
    return hashlib.sha256(canonical(c).encode()).hexdigest()[:8]

def config(seed, **changes):
    c = copy.deepcopy(DEFAULTS)
    for key, value in changes.items():
        section, leaf = key.split("__") if "__" in key else (key, None)
        if leaf: c[section][leaf] = value
        else: c[section] = value
    c["seed"] = seed
    return c

print("defaults, seed 0:", run_id(config(0)))
print("canonical:", canonical({k: v for k, v in config(0).items()}))
# batchsize sweep: base training.epochs 1; grid batch_size [16, 64] x bn [after, none]; seeds [0, 1]
for bs in (16, 64):
    for bn in ("after", "none"):
        for seed in (0, 1):
            c = config(seed, training__epochs=1, training__batch_size=bs, model__bn=bn)
            print(f"bn={bn},batch_size={bs},seed={seed}-{run_id(c)}")
# observers and excluded keys do not count; early-stopping does
c = config(0, plugins=[{"name": "progress", "enabled": False}, {"name": "early-stopping", "patience": 2}],
           dataset__path="/data/mnist", training__threads=4,
           exports={"weights_every": 0, "kernels_every": 2, "activations_every": 3, "activation_images": [5]})
print("early-stopping patience 2 (+ observers, path, threads, exports):", run_id(c))
