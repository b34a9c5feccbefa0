"""Tests of engine/catalog/."""
