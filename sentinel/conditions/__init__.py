"""Conditions: the CEL expressions of rules' ``when:`` and detectors' ``where:``, compiled and evaluated.

Rules and detectors import this package; it imports neither.
"""
