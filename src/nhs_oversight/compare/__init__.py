"""Method comparison: the same quarter under two methods (two framework years, or a what-if switch).

>>> import nhs_oversight as no
>>> from nhs_oversight.compare import compare
>>> c = compare(no.synthetic_inputs(), "nof-2025-26", switches=["no-financial-override"])
>>> int(c.transition.to_numpy().sum()) == len(c.table)
True
"""

from nhs_oversight.compare.comparison import Comparison, compare
from nhs_oversight.compare.variants import SWITCHES, apply_switch, apply_switches

__all__ = ["SWITCHES", "Comparison", "apply_switch", "apply_switches", "compare"]
