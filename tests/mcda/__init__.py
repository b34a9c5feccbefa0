"""Tests of engine/mcda/."""
