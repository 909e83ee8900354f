"""Onboarding: the profile questions (``questions.py``) and the feature around them."""

from conversations.features.onboarding.feature import FEATURE, onboarding_complete
from conversations.features.onboarding.questions import ONBOARDING

__all__ = ["FEATURE", "ONBOARDING", "onboarding_complete"]
