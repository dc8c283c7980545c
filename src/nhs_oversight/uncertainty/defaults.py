"""The one set of defaults every surface uses, so that a figure is the same wherever it is shown.

The command line, the dashboard, the report and the briefing all run the uncertainty
simulation with these draws and this seed unless told otherwise; the segment cut points come
from the engine (national quartiles, or those implied by the published segments) on every surface.
"""

from __future__ import annotations

#: Monte Carlo draws of the uncertainty simulation: probabilities to about ±0.02.
UNCERTAINTY_DRAWS = 2000
#: Random seed of the uncertainty simulation: the same seed gives the same ranges everywhere.
UNCERTAINTY_SEED = 1
