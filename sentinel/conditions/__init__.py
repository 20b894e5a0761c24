"""Conditions: the CEL expressions of rules' ``when:`` and detectors' ``where:``, compiled and evaluated.

Rules and detectors import this package; it imports neither.
"""

from sentinel.conditions.expr import ERROR, Expr, ExprError, Scope, compile_expr

__all__ = ["ERROR", "Expr", "ExprError", "Scope", "compile_expr"]
