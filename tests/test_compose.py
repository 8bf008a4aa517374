"""docker-compose.yml is valid YAML describing Chroma + the API with healthchecks, and every NOTES_RAG_ variable
it sets is a real setting (no Docker engine runs here; the tests start the same services directly)."""

from __future__ import annotations

from pathlib import Path

import yaml

from rag_service.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_compose_file(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"chroma", "api"}
    assert all("healthcheck" in s for s in services.values())
    assert services["api"]["depends_on"]["chroma"]["condition"] == "service_healthy"
    env = services["api"]["environment"]
    assert env["NOTES_RAG_CHROMA_HOST"] == "chroma"
    fields = {name.upper() for name in Settings.model_fields}
    for key in env:
        if key.startswith("NOTES_RAG_"):
            assert key.removeprefix("NOTES_RAG_").split("__")[0] in fields, key
    assert (ROOT / "Dockerfile").read_text().count("notes-rag") >= 1
    # the values parse as the settings they name (defaults of ${VAR:-default} substitutions taken)
    for key, value in env.items():
        if key.startswith("NOTES_RAG_"):
            monkeypatch.setenv(
                key, str(value).split(":-")[-1].rstrip("}") if str(value).startswith("${") else str(value)
            )
    settings = Settings()
    assert settings.chroma_host == "chroma" and "api" in settings.api.allowed_hosts


def test_dockerfile_copies_every_package_and_serves_on_all_interfaces() -> None:
    """The image installs the project from its copied sources: each package setuptools finds must be copied in
    (the `notes-rag` entry point lives in notes_rag/), and the server must listen beyond the container's loopback."""
    import tomllib

    docker = (ROOT / "Dockerfile").read_text()
    copied = {line.split()[1] for line in docker.splitlines() if line.startswith("COPY ")}
    include = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {p.rstrip("*") for p in include}
    assert packages <= copied, packages - copied
    assert all((ROOT / p / "__init__.py").is_file() for p in packages)
    assert '"--host", "0.0.0.0"' in docker and "EXPOSE 8000" in docker
