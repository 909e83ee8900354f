"""Application-cycle dates, one TOML file per ERAS season (package data, read by ``plan.py``).

A season is named by its Match year: ``eras_2027.toml`` is the ERAS 2027 season, whose
applications go out in September 2026 and whose Match Day is in March 2027.

Once a year, when AAMC (ERAS) and NRMP publish their calendars, a maintainer:

1. replaces every estimated date in the coming season's file with the published one, sets
   ``estimate = false`` and names the publisher and document in ``source``;
2. adds the file for a new season (copy the last one, move each date by the rule in its
   ``source`` string, keep ``estimate = true``);
3. runs ``pytest tests/test_plan.py``: it checks every file loads, every date has a source,
   and the dates keep their documented order.

Every season lists the same seven dates (``REQUIRED_DATES`` in ``conversations.rules.plan``), each
``{ label, day, estimate, source }``. Their order is checked on load:
``eras_opens < submissions_open < programs_review <= mspe_release`` and
``nrmp_registration < rol_deadline < match_day``, with ``submissions_open < rol_deadline``.
Dates only: there are no times or time zones here.
"""
