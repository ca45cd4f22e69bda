"""Differencing: refusing a filtered table whose base differs from one already shown by a small group."""

from __future__ import annotations

from analysis.disclosure.policy import DEFAULT_POLICY, DisclosurePolicy, DisclosureRefused


def check_differencing(
    base: int, *others: int, policy: DisclosurePolicy | None = None, what: str = "this selection"
) -> None:
    """Refuse (raise DisclosureRefused) when `base` differs from another published base by 1 to threshold − 1.

    Call it before showing a filtered table, with the bases of the tables it could be compared with
    (the unfiltered question, the previous filter): subtracting one from the other would show the
    answers of the few people in between.
    """
    threshold = (policy or DEFAULT_POLICY).threshold
    for other in others:
        gap = abs(base - other)
        if 0 < gap < threshold:
            raise DisclosureRefused(
                f"{what.capitalize()} is not shown: it covers {base:,} people against {other:,} in a table already "
                f"shown, and comparing the two could reveal the answers of the {gap} people in between "
                f"(fewer than {threshold})."
            )
