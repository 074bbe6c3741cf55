"""Fixtures of the fetcher tests (defined in net.fixtures so other suites can reuse them)."""

from net.fixtures import internal, origin, policy, resolver

__all__ = ["internal", "origin", "policy", "resolver"]
