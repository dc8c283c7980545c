"""Neutral helpers every layer may use: JSON-ready values, atomic file writes, the dataset label.

They import nothing else of the package but ``errors``, so results (engine, explain, brief,
compare, stats...) can be made JSON-ready or written without importing ``render``.
"""
