"""Framework specifications load into frozen, validated models."""

from __future__ import annotations

import pydantic
import pytest
import yaml

from nhs_oversight.errors import FrameworkError, OptionError
from nhs_oversight.frameworks import available_frameworks, load_framework
from nhs_oversight.frameworks.model import RankedScoring


def test_shipped_framework_loads_with_every_rule_evidenced():
    fw = load_framework("nof-2025-26")
    assert "nof-2025-26" in available_frameworks()
    assert len(fw.metrics) >= 30
    for m in fw.metrics:
        assert m.evidence, m.id
    assert fw.segmentation.evidence and fw.financial_override.evidence and fw.league_table.evidence


def test_infection_weights_are_one_third():
    fw = load_framework()
    weights = {m.id: m.weight for m in fw.metrics if m.weight != 1}
    assert weights == pytest.approx({"OF0020": 1 / 3, "OF0048": 1 / 3, "OF0088": 1 / 3})


def test_standards_and_floors():
    fw = load_framework()
    four_hour = fw.metric("OF0013").scoring
    assert isinstance(four_hour, RankedScoring) and four_hour.variant == "B"
    assert (four_hour.standard.op, four_hour.standard.value) == (">=", 78.0)
    assert fw.metric("OF1057").scoring.variant == "C"
    assert fw.metric("OF0023").scoring.variant == "A"


def test_models_are_frozen():
    fw = load_framework()
    with pytest.raises(pydantic.ValidationError):
        fw.metrics[0].weight = 2.0


def test_variant_is_a_renamed_copy():
    fw = load_framework()
    v = fw.variant("no-override", financial_override=None)
    assert v.id == "nof-2025-26+no-override" and v.financial_override is None
    assert fw.financial_override is not None


def test_invalid_yaml_names_the_field(tmp_path):
    data = yaml.safe_load((load_framework.__globals__["resources"].files("nhs_oversight.frameworks") / "nof-2025-26.yaml").read_text())
    data["metrics"][0]["direction"] = "sideways"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(FrameworkError, match="direction"):
        load_framework(str(path))


def test_unknown_framework():
    with pytest.raises(OptionError, match="unknown framework"):
        load_framework("nof-1999")
