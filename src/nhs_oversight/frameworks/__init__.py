"""Framework versions as data: one YAML file per version, loaded into frozen pydantic models."""

from nhs_oversight.frameworks.loader import available_frameworks, load_framework
from nhs_oversight.frameworks.model import Framework, Metric

__all__ = ["Framework", "Metric", "available_frameworks", "load_framework"]
