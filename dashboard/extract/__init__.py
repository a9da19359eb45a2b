"""From article text to proposed reaction records: sentences, who speaks in each, and what they say.

How an article is read:
1. Lines: page debris (video ids, a lone "video") and headings (a short line with no final punctuation
   and no finite verb, after a blank line, debris or another heading) are dropped. A line that ends without final punctuation and is
   followed directly by another text line is the same sentence broken in two, and is joined to it.
2. Sentences: pysbd splits each block; offsets always point into the original text, newline included.
3. Parties: actors by name, alias, capital or institution (the registry), people through their dated
   role (speakers), "the ministry" / "the regime" back to the last actor named with that noun, and a
   sentence opening with "He" / "The minister" / "It" to the last person / institution that reacted
   ('"...," he said' too). News agencies are carriers (`via`), never actors. A named person speaks only in
   an office held on the article's date ("former" and "ex-" say they hold none); a state's embassy, mission
   or envoy speaks for it, and where the post sits is no party; a body the registry does not know keeps its
   own name, its head's title and name going to the speaker.
4. Who reacts: the subject of a main, relative ("France, which called for") or coordinate clause, the
   party a carrier quotes, or the party of a trailing attribution ('"...," the minister said', ", says X").
   A subject inside a reported "that" clause is what is talked about, not who reacts, unless an explicit
   performative follows it directly ("said that Iran rejected").
5. Each cue (the stance lexicon's, data/extraction_cues.csv's implicit accusations, and procedural acts
   such as convening a meeting, kept `neutral`) goes to the party directly governing it, else to a
   trailing attribution after it, else to the nearest reacting party before it (with any party
   coordinated with it: "The US and NATO condemned"). The classifier's `find_reactions` then gives
   stance, cue and targets for that party; a negated cue alone ("did not condemn") gives `neutral`.
6. A reaction with no target in its sentence takes one from context where the stance implies it: a
   denial answers the last other party that spoke, a condemnation aims at the incident's perpetrator,
   a warning at the party the actor last opposed. One record per (actor, stance, target) and sentence.
7. A quotation over several sentences or paragraphs is read, sentence by sentence, as attributed by the
   words after its closing mark. Each record's confidence comes from extract.confidence (a model fitted on
   the dev articles, data/confidence_model.csv).
"""

from dashboard.extract.reading import extract_records
from dashboard.extract.rules import RULES_FILE, ExtractionRules, default_rules, load_extraction_rules
from dashboard.extract.sentences import Sentence, segment_sentences

__all__ = [
    "RULES_FILE",
    "ExtractionRules",
    "Sentence",
    "default_rules",
    "extract_records",
    "load_extraction_rules",
    "segment_sentences",
]
