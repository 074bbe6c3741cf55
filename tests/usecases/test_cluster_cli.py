"""`newsstand cluster` through the real command line: JSON lines in, stories out, no database."""

import json
import subprocess
import sys

import pytest

HEADLINES = [
    ("Malaysia Airlines search widens as missing jet mystery deepens", "mh370"),
    ("Samsung and Apple to face off again in court over patents", "patent"),
    ("Missing Malaysian plane: search area expanded", "mh370"),
    ("Apple, Samsung head back to court in second patent trial", "patent"),
    ("Crimea parliament votes to join Russia ahead of referendum", "crimea"),
    ("Search for missing Malaysia Airlines flight MH370 widens", "mh370"),
]

NO_DJANGO = (
    "import sys\n"
    "from newsstand.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "assert 'django' not in sys.modules, 'cluster set up Django'\n"
    "sys.exit(code)\n"
)


def run_cli(lines: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", NO_DJANGO, "cluster", *args],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def clustered():
    lines = [
        json.dumps(
            {
                "id": i,
                "title": title,
                "publisher": f"Publisher {i}",
                "published": f"2014-03-1{i // 3}T0{i}:00:00Z",
            }
        )
        for i, (title, _) in enumerate(HEADLINES)
    ]
    return run_cli(lines)


def test_each_line_gets_its_story_in_input_order(clustered):
    assert clustered.returncode == 0, clustered.stderr
    out = [json.loads(line) for line in clustered.stdout.splitlines()]
    assert [o["id"] for o in out] == list(range(len(HEADLINES)))
    story = {o["id"]: o["story"] for o in out}
    gold = [g for _, g in HEADLINES]
    for i in range(len(gold)):
        for j in range(len(gold)):
            assert (story[i] == story[j]) == (gold[i] == gold[j]), (i, j, clustered.stdout)
    assert story[0] == 0  # a story's key is the id of its first article
    assert story[3] == 1


def test_bad_lines_are_reported_and_skipped():
    result = run_cli(
        [
            "not json",
            json.dumps({"id": "a", "title": "Crimea votes to join Russia"}),
            json.dumps({"title": "no id"}),
            json.dumps({"id": "b", "title": "x", "published": "yesterday"}),
            json.dumps({"id": "c", "title": "", "text": ""}),
            json.dumps({"id": "d", "title": "Crimea parliament votes to join Russia"}),
        ]
    )
    assert result.returncode == 1
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {"id": "a", "story": "a"},
        {"id": "d", "story": "a"},
    ]
    errors = result.stderr.splitlines()
    assert [e.split(":")[0] for e in errors] == ["line 1", "line 3", "line 4", "line 5"]
    assert "ISO 8601" in errors[2]


def test_a_high_join_threshold_without_the_regroup_pass_splits_everything():
    lines = [json.dumps({"id": i, "title": t}) for i, (t, _) in enumerate(HEADLINES)]
    result = run_cli(lines, "--join-threshold", "1.5", "--no-entities", "--no-regroup")
    assert result.returncode == 0
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["story"] for o in out] == [o["id"] for o in out]
