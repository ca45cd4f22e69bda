"""Retraining on the same answers gives the same coder in any process, whatever the hash seed.

Two things used to make training depend on the process: the per-theme SVMs were fitted in threads,
and liblinear draws from one random generator per process, so concurrent fits took numbers from each
other's sequence; and the rules walked a set of strings (a word's stems) in hash order. So training
runs here in two fresh processes with different PYTHONHASHSEED values and the default two jobs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]

TRAIN_AND_CODE = """
import json
from analysis.coding.codebook import load_codebook
from analysis.coding.engine import ThemeCoder
from analysis.coding.learned import CoderSettings
from tests.analysis.coding.conftest import synthetic

texts, Y, keys = synthetic(300, seed=11)
unseen, _, _ = synthetic(60, seed=12)
coder = ThemeCoder(load_codebook(), keys, CoderSettings(folds=3)).fit(texts, Y)
P, D = coder.probabilities(unseen)
print(json.dumps({
    "probabilities": P.tolist(),
    "codes": D.tolist(),
    "thresholds": coder.thresholds.tolist(),
    "evidence": [r.evidence for r in coder.code(unseen)],
}))
"""


def _train_in_a_fresh_process(hash_seed: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(  # noqa: S603 - our own code, in a child process
        [sys.executable, "-c", TRAIN_AND_CODE], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_training_gives_the_same_codes_and_probabilities_whatever_the_process() -> None:
    first = _train_in_a_fresh_process("1")
    second = _train_in_a_fresh_process("2")
    assert first["codes"] == second["codes"]
    assert first["probabilities"] == second["probabilities"]  # exactly, not approximately
    assert first["thresholds"] == second["thresholds"]
    assert first["evidence"] == second["evidence"]
