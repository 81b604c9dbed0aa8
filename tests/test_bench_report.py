"""README's bench figures are generated from bench/results/*.json, never edited by hand."""

from __future__ import annotations

import copy
import json
import re

import pytest

from scripts.bench_report import BLOCK, README, ROOT, problems_find, readme_render, render, results_load


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def results() -> dict:
    return results_load()


def test_readme_shows_exactly_the_figures_of_the_bench_results(readme, results):
    assert results, "bench/results/ holds no result"
    assert problems_find(readme, results) == []


def test_regenerating_an_up_to_date_readme_changes_nothing(readme, results):
    assert readme_render(readme, results) == readme


def test_every_bench_script_has_a_full_result_shown_in_readme(readme, results):
    scripts = {
        path.stem
        for path in (ROOT / "bench").glob("*.py")
        if re.search(r"\bRun\(\s*\"" + path.stem + '"', path.read_text(encoding="utf-8"))
    }
    assert scripts >= {"seed_big", "provision", "signup_browser", "crm_lists", "dashboard", "load"}
    assert scripts <= set(results)
    assert scripts <= {m["name"] for m in BLOCK.finditer(readme)}


def test_a_figure_edited_by_hand_in_readme_is_caught(readme, results):
    match = next(m for m in BLOCK.finditer(readme) if re.search(r"\| \d", m["body"]))
    body = match["body"]
    digit = re.search(r"\| (\d)", body)
    assert digit is not None
    changed = str((int(digit[1]) + 1) % 10)
    edited_body = body[: digit.start(1)] + changed + body[digit.end(1) :]
    edited = readme[: match.start("body")] + edited_body + readme[match.end("body") :]

    assert problems_find(edited, results) == [
        f"README block {match['name']!r} differs from bench/results/{match['name']}.json"
    ]


def test_a_result_without_its_block_and_a_block_without_its_result_are_both_reported(readme, results):
    name = next(iter(results))
    without_block = BLOCK.sub(lambda m: "" if m["name"] == name else m[0], readme)
    assert f"bench/results/{name}.json has no block in README" in problems_find(without_block, results)
    stray = readme + "\n<!-- bench:nothing_measured -->\n| 1 |\n<!-- /bench -->\n"
    assert "README block 'nothing_measured' has no bench/results/nothing_measured.json" in problems_find(stray, results)


def test_a_missed_goal_and_an_error_are_shown_as_a_failed_run(results):
    name, result = next(iter(results.items()))
    failed = copy.deepcopy(result)
    failed["goals"] = [{"goal": "p95 <= 100 ms", "measured": "180.0 ms", "met": False}]
    failed["errors"] = {"count": 1, "first": ["customer list /customers/: HTTP 500"]}
    failed["passed"] = False

    text = render(name, failed)

    assert "Result: **FAILED**: 0 of 1 goals met, 1 errors" in text
    assert "| p95 <= 100 ms | 180.0 ms | no |" in text
    assert "HTTP 500" in text


def test_the_load_average_of_the_run_is_shown_with_its_figures(readme, results):
    for name, result in results.items():
        block = next(m["body"] for m in BLOCK.finditer(readme) if m["name"] == name)
        assert f"load average {result['load_average']['start'][0]:.2f} at the start" in block


def test_a_quick_run_is_refused_as_a_readme_figure(tmp_path, results):
    name, result = next(iter(results.items()))
    (tmp_path / f"{name}.json").write_text(json.dumps({**result, "quick": True}))
    with pytest.raises(ValueError, match="--quick"):
        results_load(tmp_path)
