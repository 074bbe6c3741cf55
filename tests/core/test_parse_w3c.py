"""Every W3C feed-validator case parses or fails with a typed error, never another exception."""

from pathlib import Path

from newsstand.core.errors import NewsstandError
from newsstand.core.parse import parse_feed

W3C = Path(__file__).resolve().parents[3] / "shared" / "data" / "feeds" / "w3c-feedvalidator"


def test_every_w3c_case_parses_or_fails_typed():
    cases = sorted((W3C / "testcases").rglob("*.xml"))
    assert len(cases) > 1_500
    untyped = []
    parsed = 0
    for path in cases:
        try:
            feed = parse_feed(path.read_bytes())
        except NewsstandError:
            continue
        except Exception as exc:  # noqa: BLE001 - any other exception is the failure we report
            untyped.append(f"{path.relative_to(W3C)}: {type(exc).__name__}: {exc}")
            continue
        assert feed.format, path
        parsed += 1
    assert untyped == []
    assert parsed > 1_400
