#!/usr/bin/env python3
"""Writes experiments/schema.json, the JSON Schema (draft 2020-12) of sweep files.

The keys, defaults and allowed values mirror SPEC.md's table as implemented in
Sources/Experiments/Configuration/ConfigurationKeys.swift; Tests/ExperimentsTests/SchemaTests.swift
checks that the two agree. Rerun after changing a key:  python3 scripts/make_schema.py
"""
import json, pathlib

def enum(values, default): return {"enum": values, "default": default}
MAXIMUM_EPOCHS = 100_000  # ConfigurationKeys.maximumEpochs
def integer(minimum, default, nullable=False, maximum=None):
    t = {"type": ["integer", "null"] if nullable else "integer", "minimum": minimum}
    if maximum is not None: t["maximum"] = maximum
    t["default"] = default
    return t
def number(default, **bounds): return {"type": "number", "default": default, **bounds}
def string_or_null(desc): return {"type": ["string", "null"], "default": None, "description": desc}

layer = {"type": "object", "required": ["type"], "properties": {
    "type": {"enum": ["conv", "relu", "leaky_relu", "tanh", "sigmoid", "batch_norm", "maxpool", "flatten", "fc", "shortcut"]},
    "out": {"type": "integer", "minimum": 1}, "k": {"type": "integer", "minimum": 1},
    "s": {"type": "integer", "minimum": 1}, "p": {"type": "integer", "minimum": 0},
    "span": {"type": "integer", "minimum": 1}}, "additionalProperties": False}

sections = {
  "dataset": {
    "name": enum(["mnist", "fashion-mnist", "idx"], "mnist"),
    "path": string_or_null("directory searched first; then $EXP_DATA_DIR/<name>, ./data/<name>"),
    "train_images": string_or_null("IDX file, for idx"), "train_labels": string_or_null("IDX file, for idx"),
    "test_images": string_or_null("IDX file, for idx"), "test_labels": string_or_null("IDX file, for idx"),
    "normalize": enum(["standardize", "unit", "none"], "standardize"),
    "train_limit": integer(1, None, True), "test_limit": integer(1, None, True),
    "validation": integer(0, 0)},
  "model": {
    "architecture": enum(["lenet5", "lenet5-residual", "layers"], "lenet5"),
    "layers": {"type": ["array", "null"], "items": layer, "default": None},
    "bn": enum(["after", "before", "none"], "after"),
    "residual": {"type": "boolean", "default": False},
    "blocks_per_stage": integer(1, 1),
    "activation": enum(["relu", "leaky_relu", "tanh", "sigmoid"], "relu"),
    "init": enum(["pytorch", "he-normal", "xavier-uniform"], "pytorch"),
    "bn_momentum": number(0.1, minimum=0, maximum=1),
    "bn_epsilon": number(1e-5, exclusiveMinimum=0),
    "bn_inference": enum(["running", "population"], "running")},
  "training": {
    "epochs": integer(1, 5, maximum=MAXIMUM_EPOCHS), "batch_size": integer(1, 64),
    "learning_rate": number(0.1, exclusiveMinimum=0),
    "learning_rate_scaling": {"type": ["object", "null"], "default": None, "properties": {
        "rule": {"const": "linear"}, "base_batch_size": {"type": "integer", "minimum": 1}},
        "required": ["rule"], "additionalProperties": False},
    "momentum": number(0, minimum=0, exclusiveMaximum=1),
    "weight_decay": number(0, minimum=0),
    "schedule": {"type": "object", "default": {"type": "constant"}, "oneOf": [
        {"properties": {"type": {"const": "constant"}}, "required": ["type"], "additionalProperties": False},
        {"properties": {"type": {"const": "step"}, "step_epochs": {"type": "integer", "minimum": 1, "maximum": MAXIMUM_EPOCHS},
                        "gamma": {"type": "number", "exclusiveMinimum": 0}},
         "required": ["type", "step_epochs"], "additionalProperties": False},
        {"properties": {"type": {"const": "cosine"}, "min_lr": {"type": "number", "minimum": 0}},
         "required": ["type"], "additionalProperties": False}]},
    "warmup_epochs": integer(0, 0, maximum=MAXIMUM_EPOCHS),
    "shuffle": {"type": "boolean", "default": True}, "drop_last": {"type": "boolean", "default": False},
    "loss_reduction": enum(["mean", "sum"], "mean"),
    "threads": integer(1, None, True)},
  "exports": {
    "weights_every": integer(0, 1), "kernels_every": integer(0, 1), "activations_every": integer(0, 1),
    "activation_images": {"type": "array", "items": {"type": "integer", "minimum": 0},
                          "default": [0, 1, 2, 3, 4, 5, 6, 7]}},
}

def section(props):
    return {"type": "object", "properties": props, "additionalProperties": False}

plugins = {"type": "array", "default": [], "items": {"type": "object", "required": ["name"], "properties": {
    "name": {"type": "string", "description": "metrics-hdf5, weights-hdf5, kernels-png, activations-png, progress, "
             "divergence-guard, early-stopping, diagnostics, or a user plugin"},
    "enabled": {"type": "boolean"}}}}

dotted = [f"{s}.{k}" for s, props in sections.items() for k in props] + ["plugins"]
schema = {
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "experiments/schema.json",
  "title": "exp sweep file",
  "description": "A sweep for `exp run` (docs/SWEEPS.md). Generated by scripts/make_schema.py.",
  "type": "object", "required": ["name"], "additionalProperties": False,
  "properties": {
    "name": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]*$"},
    "description": {"type": "string"},
    "base": {"type": "object", "additionalProperties": False,
             "properties": {**{s: section(p) for s, p in sections.items()}, "plugins": plugins}},
    "seeds": {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 1, "uniqueItems": True,
              "default": [0]},
    "grid": {"type": "object", "propertyNames": {"enum": dotted},
             "additionalProperties": {"type": "array", "minItems": 1}},
    "zip": {"type": "array", "minItems": 1,
            "items": {"type": "object", "propertyNames": {"enum": dotted}}},
  },
}
out = pathlib.Path(__file__).resolve().parent.parent / "experiments" / "schema.json"
out.write_text(json.dumps(schema, indent=2) + "\n")
print(f"wrote {out} ({len(dotted)} keys)")
