"""Statistics for trends and fair comparison: SPC, funnel plots, culture and safety signals.

Pure computation: nothing here reads files or prints.
"""
