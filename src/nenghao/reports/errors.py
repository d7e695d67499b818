"""Errors of report generation."""

from __future__ import annotations


class ReportFontError(RuntimeError):
    """No Chinese (CJK) TrueType font was found to embed in a PDF report."""
