"""Tests of engine/cli/."""
