"""The centre profile: everything that makes the product one hotline centre's own, read from its folder.

A profile is a folder a maintainer edits and keeps under version control:

- ``centre.toml``: the centre's name, its hotlines (numbers and the names said after them), the operator's
  script (staff-number length, greeting, receipt sentence, the phrases every call uses), its vocabulary and how
  callers say its units' names;
- ``taxonomy.toml``: the label sets (诉求类型, 问题分类, 紧急程度), each label with a description, optional cue
  words and the kinds of unit that handle it;
- ``units.csv``: the unit directory (承办单位);
- ``deadlines.toml``: deadline rules and the holiday calendar;
- ``training/``: the data its classifiers are trained on; ``models/``: the trained classifiers, by version.

Which profile is in use: ``--centre``, else ``HOTLINE_CENTRE``, else ``centre`` in config.toml, else the one
``hotline centre init`` made in the product's folder, else the demo centre shipped with the program.
"""

from assistant.centre.profile import (
    Centre,
    Hotline,
    Label,
    LabelSet,
    Script,
    Taxonomy,
    Units,
    Vocabulary,
    active_centre,
    centre_folder,
    load_centre,
    shipped_centre_folder,
)

__all__ = ["Centre", "Hotline", "Label", "LabelSet", "Script", "Taxonomy", "Units", "Vocabulary", "active_centre",
           "centre_folder", "load_centre", "shipped_centre_folder"]
