"""Lifecycles as one transition table: states, the moves allowed from each, and who may make
them. A forbidden move answers 409 naming the moves that are allowed, so a client (or a
supervisor) learns what it can do instead of guessing.

    REVIEW = Lifecycle("inspection review", {
        Move("accept", PENDING, ACCEPTED, roles=(SUPERVISOR,)),
        ...
    })
    REVIEW.require(current_state, "accept", role=user.role)   # -> the Move, or 409/403

Statuses are named constants in the owning feature's models; this module knows none of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from service.common.errors import Conflict, Forbidden


@dataclass(frozen=True)
class Move:
    """One allowed transition: `name` takes an object from any of `sources` to `target`."""

    name: str
    sources: tuple[str, ...]
    target: str
    #: roles allowed to make the move; empty means any authenticated caller who may see it
    roles: tuple[str, ...] = field(default=())

    def __init__(self, name: str, sources: str | Iterable[str], target: str, *,
                 roles: Iterable[str] = ()):
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "sources", (sources,) if isinstance(sources, str)
                           else tuple(sources))
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "roles", tuple(roles))

    def allows(self, role: str | None) -> bool:
        return not self.roles or role in self.roles


class TransitionRefused(Conflict):
    """A move not allowed from the object's state: 409 listing the allowed moves."""

    def __init__(self, message: str, *, state: str, allowed: list[str]):
        super().__init__(message, errors={"state": {"current": state, "allowed": allowed}})
        self.state = state
        self.allowed = allowed


class Lifecycle:
    """The transition table of one kind of object."""

    def __init__(self, label: str, moves: Iterable[Move], *, states: Iterable[str]):
        self.label = label
        self.states = tuple(states)
        self.moves = tuple(moves)
        for move in self.moves:
            unknown = {*move.sources, move.target} - set(self.states)
            if unknown:
                raise ValueError(f"{label}: move {move.name} names unknown states {unknown}")

    def allowed(self, state: str, *, role: str | None = None) -> list[str]:
        """The names of the moves that `role` (any role when None) may make from `state`."""
        return [move.name for move in self.moves
                if state in move.sources and (role is None or move.allows(role))]

    def require(self, state: str, name: str, *, role: str | None = None,
                hint: str = "") -> Move:
        """The move `name` from `state`; 409 (naming the allowed moves, then `hint`) or 403
        otherwise."""
        candidates = [move for move in self.moves if move.name == name]
        if not candidates:
            raise ValueError(f"{self.label}: no move named {name!r}")  # a programming error
        move = next((m for m in candidates if state in m.sources), None)
        if move is None:
            allowed = self.allowed(state, role=role)
            nothing = "nothing (final state)" if self.is_final(state) else "nothing you may do"
            raise TransitionRefused(
                f"Cannot {name.replace('_', ' ')} this {self.label}: it is {state}. "
                f"Allowed from {state}: {', '.join(allowed) or nothing}. {hint}".rstrip(),
                state=state, allowed=allowed)
        if role is not None and not move.allows(role):
            raise Forbidden(f"Only {', '.join(move.roles)} may {name.replace('_', ' ')} "
                            f"a {self.label}; you are {role}.")
        return move

    def is_final(self, state: str) -> bool:
        return not any(state in move.sources for move in self.moves)
