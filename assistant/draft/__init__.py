"""Transcript → work-order draft: extracted fields and classifier labels, each with confidence and evidence."""
