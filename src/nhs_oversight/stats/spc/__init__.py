"""Statistical process control in the Making Data Count style (statistics.md section 1).

One module per step, like NHSRplotthedots: :mod:`.limits` (XmR limits), :mod:`.rules`
(special-cause rules), :mod:`.point_type`, :mod:`.icons` (variation and assurance), with
:mod:`.engine` running them over many series at once and :mod:`.table` / :mod:`.summary` as the
DataFrame front door. A plain per-series version, used to check the engine, is in the tests (``tests/reference_spc.py``).
"""

from nhs_oversight.stats.spc.icons import ASSURANCE_WORDS, VARIATION_WORDS
from nhs_oversight.stats.spc.options import RULE_SETS, SpcOptions
from nhs_oversight.stats.spc.summary import spc_summary
from nhs_oversight.stats.spc.table import METHOD, spc

__all__ = ["ASSURANCE_WORDS", "METHOD", "RULE_SETS", "VARIATION_WORDS", "SpcOptions", "spc", "spc_summary"]
