"""How sure is a segment or a rank? Monte Carlo over the method, vectorised over trusts and draws.

>>> import nhs_oversight as no
>>> from nhs_oversight.uncertainty import simulate
>>> u = simulate(no.assess(no.synthetic_inputs()), draws=200, seed=1)
>>> bool(((u.table[[f"p_segment_{k}" for k in (1, 2, 3, 4)]].sum(axis=1) - 1).abs() < 1e-9).all())
True
"""

from nhs_oversight.uncertainty.published import PublishedAgreement
from nhs_oversight.uncertainty.result import Uncertainty
from nhs_oversight.uncertainty.simulate import METHODS, simulate
from nhs_oversight.uncertainty.summary import Labels

__all__ = ["METHODS", "Labels", "PublishedAgreement", "Uncertainty", "simulate"]
