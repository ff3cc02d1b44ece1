"""Transcript + call context → TicketDraft. Build one ``Drafter`` and reuse it: loading costs, drafting doesn't."""

from __future__ import annotations

from pathlib import Path

from assistant.centre import Centre, active_centre
from assistant.classify import tokenize
from assistant.draft import labels
from assistant.draft.cues import Cues
from assistant.draft.extract.demand import extract_demand, extract_summary, make_title
from assistant.draft.extract.names import extract_caller_name
from assistant.draft.extract.phone import extract_phone
from assistant.draft.extract.places import (
    Departments,
    extract_amounts,
    extract_department,
    extract_institution,
    extract_location,
)
from assistant.draft.extract.readback import mark_readbacks
from assistant.draft.extract.times import extract_incident_time
from assistant.draft.linking import UnitLinker
from assistant.draft.model import CallContext, TicketDraft
from assistant.draft.text import turns_of
from assistant.lexicon.units import UnitDirectory
from assistant.transcript.model import Transcript


class Drafter:
    """Drafts work orders for one centre (``centre``, by default the one in use) with its directory, its
    taxonomy and the versions of its classifiers in use (``models_folder`` names another models folder)."""

    def __init__(self, directory: UnitDirectory, models_folder: str | Path | None = None,
                 centre: Centre | None = None):
        self.centre = centre = centre or active_centre()
        self.directory = directory
        self.linker = UnitLinker(directory, centre.units)
        self.taxonomy = centre.taxonomy
        self.cues = Cues(centre.taxonomy)
        self.departments = Departments(centre.vocabulary.ticket_departments, centre.vocabulary.not_departments)
        root = Path(models_folder) if models_folder else centre.models_dir
        self.models = labels.load_classifiers(root, centre.taxonomy)
        self.models_version = labels.models_version(root)
        tokenize.warm_up()  # the classifiers' jieba dictionary, in the background

    def draft(self, transcript: Transcript, context: CallContext) -> TicketDraft:
        turns = mark_readbacks(turns_of(transcript))
        fields = labels.classify(turns, self.models, self.cues, self.taxonomy)
        institution, mentions = extract_institution(turns, self.linker, fields["appeal_type"].value)
        fields["institution"] = institution
        fields["unit"] = labels.route(turns, mentions, self.linker, self.taxonomy, fields["category"], institution,
                                      fields["appeal_type"])
        fields["department"] = extract_department(turns, self.departments, institution.value, mentions)
        fields["caller_name"] = extract_caller_name(turns)
        fields["phone"] = extract_phone(turns)
        fields["incident_time"] = extract_incident_time(
            turns, context.call_start, consultation=fields["appeal_type"].value == "咨询"
        )
        fields["location"] = extract_location(turns)
        fields["amounts"] = extract_amounts(turns)
        fields["demand"] = extract_demand(turns)
        fields["summary"] = extract_summary(turns)
        unit = self.directory.by_name(institution.value) if institution.value else None
        short = min(unit.aliases, key=len) if unit and unit.aliases else None
        fields["title"] = make_title(institution.value, fields["department"].value, fields["category"].value,
                                     fields["appeal_type"].value, short, fields["demand"].value)
        return TicketDraft(call_id=transcript.id, context=context, fields=fields)
