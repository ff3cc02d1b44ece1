"""The supervisor's review of a recorded call: transcript, draft with evidence, and the QA checklist."""
