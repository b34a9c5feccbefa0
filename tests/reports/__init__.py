"""Tests of engine/reports/."""
