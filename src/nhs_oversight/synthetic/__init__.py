"""Synthetic data for demonstrations and tests: NOF inputs (:mod:`.nof`) and ECDS attendances (:mod:`.ecds`).

Nothing here is real; both generators are seeded, so the same call gives the same data.
"""
