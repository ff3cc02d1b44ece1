"""The QA checklist's checks, one module each, fed by the centre's script (see ``review/qa.py``)."""
