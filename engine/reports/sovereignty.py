"""Sovereignty assessments for people and machines: JSON-ready content and text lines.

An assessment (:mod:`engine.mcda.sovereignty`) shows the overall SEAL and each
objective's with the criterion that governs it, the score with what the gaps leave
open, every answer with the rule and the facts (source, date, grade) behind it, and the
gaps (criteria no fact answers: never zeros).
"""

from __future__ import annotations

from typing import Any

from engine.mcda.sovereignty import Answer, Assessment

__all__ = ["sovereignty_dict", "sovereignty_lines"]


def _round(x: float) -> float:
    return round(x, 6)


def sovereignty_dict(a: Assessment) -> dict[str, Any]:
    """The JSON-ready content of a sovereignty assessment: overall and per-objective
    SEAL with the governing criterion, the score and what the gaps leave open, every
    answer with the rule and the facts (field, date, grade, sources) it rests on, and
    the gaps."""
    return {
        "framework": a.framework,
        "weight_set": a.weight_set,
        "seal": a.seal,
        "governing": a.governing,
        "score": _round(a.score),
        "score_max": _round(a.score_max),
        "known": a.known,
        "objectives": [
            {
                "id": o.id,
                "name": o.name,
                "weight": _round(o.weight),
                "seal": o.seal,
                "governing": o.governing,
                "points": _round(o.points),
                "answered": o.answered,
                "gaps": list(o.gaps),
            }
            for o in a.objectives
        ],
        "answers": [
            {
                "criterion": x.criterion,
                "option": x.option,
                "label": x.label,
                "value": _round(x.value),
                "seal": x.seal,
                "rule": x.rule,
                "vendor_answer": x.facts[0].answer if x.rule is None and x.facts else None,
                "why": x.why,
                "facts": [
                    {
                        "field": f.field,
                        "kind": f.kind,
                        "as_of": f.as_of.isoformat(),
                        "grade": f.grade,
                        "sources": list(f.sources),
                    }
                    for f in x.facts
                ],
            }
            for x in a.answers
        ],
        "gaps": list(a.gaps),
    }


def _answer_line(x: Answer) -> str:
    shown = x.label
    if shown is not None and shown.startswith(f"{x.option}. "):
        shown = shown[len(f"{x.option}. ") :]
    text = f"{x.criterion} option {x.option}" + (f' "{shown}"' if shown else " (no label in the source)")
    text += f" — SEAL-{x.seal}, {x.value:g} points"
    if x.rule:
        text += f", rule {x.rule}"
    elif x.facts and x.facts[0].answer:
        text += (
            f", the vendor's answer {x.facts[0].answer} ({x.facts[0].grade}, {x.facts[0].as_of.isoformat()})"
        )
    return text


def sovereignty_lines(a: Assessment) -> list[str]:
    """Plain text lines (not yet escaped for a terminal) of one assessment: a heading,
    one line per objective, every answer with its facts and reason, and the gaps."""
    n = len(a.answers) + len(a.gaps)
    head = f"Sovereignty ({a.framework}, weights {a.weight_set}): "
    if a.seal is None:
        head += f"no SEAL: none of the {n} criteria is answered by the catalog's facts"
    else:
        head += f"overall SEAL-{a.seal}, governed by {a.governing}"
    if a.known:
        head += f"; score {a.score:.2f}% ({len(a.answers)} of {n} criteria answered)"
    else:
        head += (
            f"; score unknown while criteria are gaps: {a.score:.2f}% to {a.score_max:.2f}% "
            f"({len(a.answers)} of {n} criteria answered; the {len(a.gaps)} gaps at their worst and best option)"
        )
    out = [head]
    for o in a.objectives:
        seal = f"SEAL-{o.seal} (governed by {o.governing})" if o.seal is not None else "no SEAL yet"
        total = o.answered + len(o.gaps)
        out.append(
            f"  {o.id} {o.name} (weight {o.weight:g}): {seal}; {o.points:g} points; {o.answered} of {total} answered"
        )
    if a.answers:
        out.append("  Answers:")
        for x in a.answers:
            out.append(f"  - {_answer_line(x)}")
            for f in x.facts:
                src = "; ".join(f.sources) if f.sources else "no source"
                out.append(f"      fact: {f.field} as of {f.as_of.isoformat()}, {f.grade}: {src}")
            out.append(f"      why: {x.why}")
    if a.gaps:
        out.append(f"  Gaps ({len(a.gaps)}, unanswered: no SEAL, no points): {', '.join(a.gaps)}")
    return out
