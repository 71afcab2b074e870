"""checks: arithmetic consistency of parsed documents."""
from budgetqa.checks.closure import Check, closure_checks, closure_summary

__all__ = ["Check", "closure_checks", "closure_summary"]
