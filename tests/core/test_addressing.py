from newsstand.core.addressing import trial_identity


def test_case_and_plus_tags_are_one_identity() -> None:
    assert (
        trial_identity("A+news@Example.ORG") == trial_identity("a@example.org") == "a@example.org"
    )


def test_dots_and_other_local_parts_stay_distinct() -> None:
    assert trial_identity("a.b@example.org") != trial_identity("ab@example.org")
    assert trial_identity("+x@example.org") == "+x@example.org"  # nothing before the tag
