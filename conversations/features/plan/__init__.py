"""The plan: /plan, the cycle choice (``feature.py``) and the plan's reminders (``nudges.py``)."""

from conversations.features.plan.feature import FEATURE

__all__ = ["FEATURE"]
