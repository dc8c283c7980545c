"""Find and load framework YAML files (shipped ones by id, or a user's file by path)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from nhs_oversight.errors import FrameworkError, OptionError
from nhs_oversight.frameworks.model import Framework

DEFAULT_FRAMEWORK = "nof-2025-26"


def available_frameworks() -> list[str]:
    """Ids of the frameworks shipped with the package."""
    folder = resources.files("nhs_oversight.frameworks")
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


@lru_cache(maxsize=16)
def _load_text(text: str, origin: str) -> Framework:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 10x faster
    try:
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise FrameworkError(f"{origin}: not valid YAML: {exc}") from None
    try:
        return Framework.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise FrameworkError(f"{origin}: {where}: {first['msg']}") from None


def load_framework(name_or_path: str | Path | Framework = DEFAULT_FRAMEWORK) -> Framework:
    """Load a shipped framework by id (``nof-2025-26``) or a YAML file by path."""
    if isinstance(name_or_path, Framework):
        return name_or_path
    name = str(name_or_path)
    path = Path(name)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        return _load_text(path.read_text(encoding="utf-8"), str(path))
    if name not in available_frameworks():
        raise OptionError(
            f"unknown framework {name!r}; choose one of {', '.join(available_frameworks())} or give a YAML path"
        )
    text = resources.files("nhs_oversight.frameworks").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return _load_text(text, f"{name}.yaml")
