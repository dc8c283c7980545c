"""Readers and writers, one module per published format. Sources validate; they never score."""
