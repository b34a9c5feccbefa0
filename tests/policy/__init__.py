"""Tests of engine/policy/."""
