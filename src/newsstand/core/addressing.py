"""E-mail addresses as the trial sees them: one person, one trial.

``a+news@Example.org`` and ``A@example.org`` reach the same mailbox at most providers, so
they share one trial. (Provider-specific rules, such as Gmail ignoring dots, are not
applied: they would merge different people's addresses at other providers.)
"""

from __future__ import annotations


def trial_identity(address: str) -> str:
    """The address lower-cased, with any ``+tag`` of its local part removed."""
    local, at, domain = address.strip().lower().rpartition("@")
    if not at:
        return domain
    return f"{local.partition('+')[0] or local}@{domain}"
