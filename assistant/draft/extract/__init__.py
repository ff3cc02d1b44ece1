"""One module per work-order field: each reads turns and returns a FieldValue with its evidence."""
