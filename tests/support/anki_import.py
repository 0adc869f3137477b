"""Imports Anki packages into a fresh collection with Anki's own backend (the `anki` package),
reviewing one card between imports, and prints what a test asserts as JSON.

Usage: python3 anki_import.py FIRST.apkg [LATER.apkg ...]
"""

import json
import os
import sys
import tempfile

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

folder = tempfile.mkdtemp()
col = Collection(os.path.join(folder, "collection.anki2"))
report = {"imports": []}
reviewed = None
for package in sys.argv[1:]:
    request = ImportAnkiPackageRequest(
        package_path=package,
        options=ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False),
    )
    log = col.import_anki_package(request).log
    report["imports"].append(
        {
            "new": len(log.new),
            "updated": len(log.updated),
            "duplicate": len(log.duplicate),
            "conflicting": len(log.conflicting),
            "notes": col.note_count(),
            "cards": col.card_count(),
        }
    )
    if reviewed is None:
        # A student studies one card of the book's deck: it has a review, which a later import
        # must keep.
        deck = next(d.id for d in col.decks.all_names_and_ids() if d.name != "Default")
        col.decks.select(deck)
        card = col.sched.getCard()
        col.sched.answerCard(card, 3)
        reviewed = card.id

card = col.get_card(reviewed)
report["reviewed"] = {"reps": card.reps, "revlog": col.db.scalar("select count() from revlog where cid = ?", reviewed)}
report["notes"] = {}
for nid in col.find_notes(""):
    note = col.get_note(nid)
    report["notes"][note.guid] = {"type": note.note_type()["name"], "fields": list(note.fields)}
report["cloze_questions"] = [
    col.get_card(cid).question() for cid in col.find_cards("") if col.get_card(cid).note().note_type()["type"] == 1
]
report["decks"] = sorted(name.name for name in col.decks.all_names_and_ids())
report["media"] = sorted(os.listdir(col.media.dir()))
col.close()
print(json.dumps(report))
