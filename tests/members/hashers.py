"""A real Argon2 hasher that counts its work, to show that two answers cost the same."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.hashers import Argon2PasswordHasher


class CountingArgon2(Argon2PasswordHasher):
    calls: ClassVar[list[str]] = []

    def encode(self, password: str, salt: str) -> str:
        self.calls.append("encode")
        return super().encode(password, salt)

    def verify(self, password: str, encoded: str) -> bool:
        self.calls.append("verify")
        return super().verify(password, encoded)

    @classmethod
    def reset(cls) -> list[str]:
        done, cls.calls[:] = list(cls.calls), []
        return done

    def harden_runtime(self, password: str, encoded: Any) -> None:
        self.calls.append("harden")
