"""Detectors: pure, incremental, no I/O. See ``base.py`` for the interface."""
