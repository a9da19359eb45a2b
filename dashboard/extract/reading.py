"""From a sentence's parties and cues to proposed records, with what each sentence tells the next."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import NamedTuple

import pandas as pd

from dashboard import codebook
from dashboard.extract.clauses import (
    _GOVERNING_GAP,
    _PUNCTUATION_BREAK,
    CONTENT,
    OBJECT,
    REACTING,
    _coordinated,
    _is_attribution,
    _owners,
    _statuses,
)
from dashboard.extract.confidence import feature_names, proposal_features, record_confidence
from dashboard.extract.incident import (
    _count_incident_parties,
    _coup_state,
    _is_place,
    _most_counted,
    _perpetrators,
    _responsible,
)
from dashboard.extract.parties import (
    _agency_mentions,
    _Context,
    _find_parties,
    _institution_role,
    _noun_phrase,
    _Party,
    _SentenceRegistry,
)
from dashboard.extract.people import learn_people, people_pattern
from dashboard.extract.rules import (
    _WORD,
    ExtractionRules,
    default_rules,
)
from dashboard.extract.sentences import (
    OPENING_QUOTES,
    Sentence,
    quotation_attributions,
    segment_sentences,
)
from dashboard.records import RECORD_COLUMNS
from dashboard.registry import ActorMention, Registry, Speaker
from dashboard.scoring import Resources
from dashboard.stance import (
    DOMINANT_MIN_SCORE,
    PERFORMATIVE_WEIGHT,
    CueLexicon,
    find_cues,
    find_reactions,
    normalise_quotes,
)

# A background word ("despite earlier warnings") reaches a cue this many words later.
BACKGROUND_REACH = 2
# Hostile stances whose target may come from context when the sentence names none.
CONTEXT_TARGET_STANCES = frozenset({"condemn", "warn", "deny"})
NEUTRAL = "neutral"
ID_WIDTH = 3
# A statement with no stance ("X said the talks would resume") is evidence of this weight.
STATEMENT_WEIGHT = 0.2
# A warning that things could escalate is aimed at no one; it takes no target from the article.
# So is a call for an inquiry or for talks: it asks for something to happen, not for a party to act.
UNAIMED_CUE_TYPES = frozenset(
    {"warn_of_escalation", "appeal_investigation", "demand_investigation", "appeal_negotiation", "demand_negotiation"}
)


class _Cue(NamedTuple):
    start: int
    end: int
    weight: float
    stance: str  # the lexicon's stance; NEUTRAL for procedural acts
    cue_type: str
    procedural: bool
    negated: bool


def _is_background(text: str, start: int, rules: ExtractionRules) -> bool:
    """A cue just after "despite" ("despite earlier warnings") recalls an earlier act; it is not a reaction."""
    window = " ".join(_WORD.findall(text[:start])[-(BACKGROUND_REACH + 3) :])
    return any(
        len(_WORD.findall(window[match.end() :])) <= BACKGROUND_REACH
        for pattern in rules.background
        for match in pattern.finditer(window)
    )


def _sentence_cues(text: str, lexicon: CueLexicon, rules: ExtractionRules) -> list[_Cue]:
    normalised = normalise_quotes(text)
    cues = [
        _Cue(c.start, c.end, c.weight, c.stance, c.cue_type, False, c.negated) for c in find_cues(normalised, lexicon)
    ]
    for rule in rules.procedural:
        for match in rule.pattern.finditer(normalised):
            cues.append(_Cue(match.start(), match.end(), PERFORMATIVE_WEIGHT, NEUTRAL, rule.value, True, False))
    return sorted(
        (cue for cue in cues if not _is_background(normalised, cue.start, rules)),
        key=lambda cue: (cue.start, -(cue.end - cue.start)),
    )


def _reaction_text(
    text: str, actor: str, owned: dict[str, list], parties: list[_Party], statuses: list[str], rules: ExtractionRules
) -> str:
    """The part of the sentence that is this actor's reaction, for the classifier: it ends where another
    reacting party's clause or a trailing background clause (", after a convoy was shelled") begins,
    and other parties' cues before that are blanked (same length, so offsets hold): "China declined to
    comment, while Iran expressed its support for Moscow" is, for China, only its own words."""
    last_end = max(cue.end for cue, _ in owned[actor])
    end = len(text)
    for party, status in zip(parties, statuses, strict=True):
        if status == REACTING and party.actor != actor and party.start >= last_end:
            end = min(end, party.start)
            break
    for match in re.finditer(r",\s*(\w+)\b", text[:end]):
        if match.start() >= last_end and match.group(1).lower() in rules.background_clauses:
            end = match.start()
            break
    own = {(cue.start, cue.end) for cue, _ in owned[actor]}
    clause = text[:end]
    for other, cues in owned.items():
        for cue, _ in cues:
            if other != actor and (cue.start, cue.end) not in own and cue.end <= end:
                clause = _blank(clause, cue.start, cue.end)
    return clause


def _nearest_before(text: str, targets: tuple, cue_start: int, mentions: list[ActorMention], lexicon) -> tuple:
    """Targets named only before the cue: keep the closest one, with any named in its clause ("the Iraqi
    army has the right to" aims at Iraq, not at a party named two clauses earlier)."""
    if not targets or any(
        m.actor in targets and m.start >= cue_start and not _is_place(text, m, lexicon) for m in mentions
    ):
        return targets
    last_before = {
        t: max((m.start for m in mentions if m.actor == t and m.start < cue_start), default=-1) for t in targets
    }
    nearest = max(last_before.values())
    breaks = [b.end() for b in _PUNCTUATION_BREAK.finditer(text[:nearest])]
    clause_start = breaks[-1] if breaks else 0
    return tuple(t for t in targets if last_before[t] >= clause_start)


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _own_reading(clause: str, cue: _Cue, actor_cues: list, actor: str, view, lexicon: CueLexicon):
    """An explicit cue of the actor's that the classifier passed over. A second cue of a stance it reads once
    ("condemned X ... and denounced Y") is read with the earlier cues of that stance blanked; one it gave to
    a party just before it ("the raid by Iran, voiced concern") is read from the cue on."""
    cue_text = clause[cue.start : cue.end]
    earlier_blanked = clause
    for other, _ in actor_cues:
        if other.stance == cue.stance and other.end <= cue.start:
            earlier_blanked = _blank(earlier_blanked, other.start, other.end)
    for reading in (earlier_blanked, " " * cue.start + clause[cue.start :]):
        found = next((r for r in find_reactions(reading, actor, view, lexicon) if r.cue == cue_text), None)
        if found is not None:
            return found
    return None


def _context_target(stance: str, actor: str, context: _Context) -> str:
    if stance == "deny":
        return next((other for other in reversed(context.last_reactors) if other != actor), "")
    if stance == "condemn":
        return context.perpetrator if context.perpetrator != actor else ""
    if stance == "warn":
        return context.hostile_target.get(actor, "")
    return ""


class _Proposal(NamedTuple):
    actor: str
    speaker: str
    speaker_role: str
    via: str
    stance: str
    target: str
    mode: str
    cue: str
    cue_start: int
    inferred: bool = False  # the target came from context, not from the sentence
    place: str = ""  # a state the reaction's clause names as a place ("the coup in X")
    everyone: bool = False  # the clause speaks to everyone involved ("all sides"): no target to add
    cue_type: str = ""
    weight: float = 0.0  # the cue's weight in the lexicon
    attributed_from_context: bool = False  # the actor came from "he", "it", "the ministry" or an unattributed quote
    reach: int = 0  # characters from the cue to the target's next mention: the nearest cue is the evidence


def _voice(owner: _Party, parties: list[_Party], statuses: list[str]) -> _Party:
    """Who voices a reaction: the owner, or, for an owner inside a reported clause ("the State Department
    announced that Paris stood by ..."), the party of the same actor reporting it."""
    index = parties.index(owner)
    if statuses[index] == CONTENT:
        reporters = [p for p, s in zip(parties[:index], statuses[:index], strict=True) if s == REACTING]
        if reporters and reporters[-1].actor == owner.actor:
            return reporters[-1]
    return owner


def _speaker_for(owner: _Party, parties: list[_Party], statuses: list[str]) -> Speaker | None:
    """The named person voicing the reaction: the owner, else a speaker of the same actor in the sentence."""
    if owner.speaker is not None:
        return owner.speaker
    return next(
        (
            p.speaker
            for p, s in zip(parties, statuses, strict=True)
            if p.speaker and p.actor == owner.actor and s != OBJECT
        ),
        None,
    )


def _read_sentence(
    sentence: Sentence, resources: Resources, lexicon: CueLexicon, date: str, context: _Context, rules: ExtractionRules
) -> list[_Proposal]:
    """The reactions in one sentence, given what earlier sentences said (context, updated here)."""
    text = sentence.text
    registry = resources.registry
    agencies = _agency_mentions(text, rules)
    parties, anaphor_mentions, hosts = _find_parties(text, registry, date, context, rules, agencies)
    statuses = _statuses(text, parties, rules, lexicon)
    view = _SentenceRegistry(registry, anaphor_mentions, date, hosts)
    mentions = view.find_actor_mentions(normalise_quotes(text))
    via = agencies[0].name if agencies else ""
    cues = _sentence_cues(text, lexicon, rules)

    owned: dict[str, list[tuple[_Cue, _Party]]] = {}
    attributions = [i for i, party in enumerate(parties) if _is_attribution(text, party, rules, lexicon)]
    statuses = [REACTING if i in attributions else status for i, status in enumerate(statuses)]
    # A quotation standing alone, with no one named saying it, goes on quoting the last person quoted.
    if not attributions and text[:1] in OPENING_QUOTES and context.person is not None:
        actor, speaker = context.person
        parties = [_Party(actor, 0, 1, speaker, "", True, True), *parties]
        statuses = [REACTING, *statuses]
    for cue in cues:
        for owner in _owners(text, cue.start, cue.weight, parties, statuses, attributions):
            owned.setdefault(owner.actor, []).append((cue, owner))

    _share_with_joined(text, parties, statuses, owned)
    for cue, owner in _statements_without_stance(text, parties, statuses, attributions, owned, lexicon):
        owned.setdefault(owner.actor, []).append((cue, owner))
    proposals: list[_Proposal] = []
    # Parties sharing a cue react together ("The US, Britain and the EU condemned"): none is the others' target.
    sharing: dict[tuple[int, int], set[str]] = {}
    for actor, actor_cues in owned.items():
        for cue, _ in actor_cues:
            sharing.setdefault((cue.start, cue.end), set()).add(actor)
    partners = {
        actor: set().union(*(sharing[(cue.start, cue.end)] for cue, _ in actor_cues))
        for actor, actor_cues in owned.items()
    }
    for actor, actor_cues in owned.items():
        clause = _reaction_text(text, actor, owned, parties, statuses, rules)
        places = [m.actor for m in mentions if m.actor != actor and _is_place(clause, m, lexicon)]
        everyone = any(rule.pattern.search(clause.lower()) for rule in lexicon.all_parties)
        reactions = find_reactions(clause, actor, view, lexicon)
        by_cue = {reaction.cue: reaction for reaction in reactions}
        live = [(cue, owner) for cue, owner in actor_cues if not cue.negated]
        for cue, owner in actor_cues:
            cue_text = text[cue.start : cue.end]
            voice = _voice(owner, parties, statuses)
            speaker = _speaker_for(voice, parties, statuses)
            person = dict(
                weight=cue.weight,
                attributed_from_context=owner.from_context,
                actor=actor,
                speaker=speaker.name if speaker else "",
                speaker_role=speaker.role if speaker else voice.role,
                via=via,
                cue=cue_text,
                cue_start=cue.start,
            )
            if cue.procedural or (cue.negated and not live):
                # A negated cue alone ("did not condemn") says the actor did not take that stance: neutral.
                proposals.append(_Proposal(**person, stance=NEUTRAL, target="", mode="verbal"))
                continue
            reaction = by_cue.get(cue_text)
            if reaction is None and not cue.negated and cue.weight >= DOMINANT_MIN_SCORE:
                reaction = _own_reading(clause, cue, actor_cues, actor, view, lexicon)
            if reaction is None or cue.negated:
                continue
            if not reaction.targets and len(actor_cues) > 1:
                # "We condemn the attack. We call on Belarus to ...": the second cue's object, read from the cue on.
                own = next(
                    (
                        r
                        for r in find_reactions(" " * cue.start + clause[cue.start :], actor, view, lexicon)
                        if r.cue == cue_text and r.targets
                    ),
                    None,
                )
                reaction = own or reaction
            targets = _nearest_before(clause, reaction.targets, cue.start, mentions, lexicon)
            # "The US, Britain and the EU condemned ...": a party reacting in the sentence is not the target.
            targets = tuple(t for t in targets if t not in partners[actor])
            # "Egypt voiced concern, and the Arab League offered condolences": one reacting is not the other's
            # recipient of support or sympathy.
            if codebook.stance_families().get(reaction.stance) == "cordial":
                targets = tuple(t for t in targets if t not in owned)
            inferred = not targets and reaction.stance in CONTEXT_TARGET_STANCES
            if inferred:
                filled = _context_target(reaction.stance, actor, context)
                targets = (filled,) if filled else ()
            code = resources.crosswalk.codes.get((reaction.stance, reaction.cue_type))
            mode = code.mode if code else "verbal"
            for target in targets or ("",):
                reach = min(
                    (m.start - cue.end for m in mentions if m.actor == target and m.start >= cue.end), default=len(text)
                )
                proposals.append(
                    _Proposal(
                        **person,
                        stance=reaction.stance,
                        target=target,
                        mode=mode,
                        inferred=inferred,
                        reach=reach,
                        place=places[0] if places else "",
                        cue_type=reaction.cue_type,
                        everyone=everyone,
                    )
                )
    _remember(text, parties, statuses, mentions, proposals, context, registry, lexicon, rules)
    return _deduplicated(proposals)


# A quotation's attribution: a reporting verb within this many words after its closing mark.
ATTRIBUTION_REACH = 8


def _opens_with_attribution(tail: str, lexicon: CueLexicon) -> bool:
    """', the ministry said in a statement.', ' said the ministry', ', she told reporters': the words after a
    closing quotation mark name who said it; '" and urged all leaders to' does not."""
    lead = tail.lstrip(" ,")
    if not lead or not (
        lead[0].isupper() or lead.split()[0].lower() in ("he", "she", "they", "it", "said", "says", "the", "a", "an")
    ):
        return False
    words = list(re.finditer(r"[\w'’-]+", lead))[:ATTRIBUTION_REACH]
    reach = lead[: words[-1].end()] if words else ""
    return any(rule.pattern.search(reach.lower()) for rule in lexicon.reporting)


def _read_quoted(
    sentence: Sentence,
    attribution: str | None,
    resources: Resources,
    lexicon: CueLexicon,
    date: str,
    context: _Context,
    rules: ExtractionRules,
) -> list[_Proposal]:
    """A sentence inside a quotation that a later sentence attributes ('"X. <para> "Y," the ministry said.') is
    read as if closed and attributed the same way ('"X," the ministry said.'); its records keep its own text."""
    if attribution is None:
        return _read_sentence(sentence, resources, lexicon, date, context, rules)
    body = sentence.text.rstrip().rstrip(".!?…").rstrip()
    attributed = body + ',"' + " " + attribution.lstrip(" ,")
    proposals = _read_sentence(sentence._replace(text=attributed), resources, lexicon, date, context, rules)
    # A statement with no stance of its own would take its cue from the borrowed "said": none is proposed.
    return [p for p in proposals if p.cue_start + len(p.cue) <= len(body)]


def _statements_without_stance(
    text: str, parties: list[_Party], statuses: list[str], attributions: list[int], owned: dict, lexicon: CueLexicon
) -> list[tuple[_Cue, _Party]]:
    """A party that speaks ("X said", '"...," X said') and takes no stance in the sentence makes a neutral
    statement: the reporting verb is its cue."""
    found = []
    if owned:
        return found
    for index, party in enumerate(parties):
        if party.actor in owned or any(party.actor == other.actor for _, other in found):
            continue
        if statuses[index] != REACTING and index not in attributions:
            continue
        for rule in lexicon.reporting:
            verb = rule.pattern.search(normalise_quotes(text), party.end)
            if verb and _GOVERNING_GAP.match(text[party.end : verb.start()]):
                cue = _Cue(verb.start(), verb.end(), STATEMENT_WEIGHT, NEUTRAL, "make_statement", True, False)
                found.append((cue, party))
                break
    return found


_JOINED = re.compile(r"\bjoin(?:ed|s|ing)?\s+(?:the\s+)?$", re.IGNORECASE)


def _share_with_joined(text: str, parties: list[_Party], statuses: list[str], owned: dict) -> None:
    """ "The EU joined the US and France in refusing to recognise the junta": the parties joined take the
    subject's reactions that follow them (and so are not its targets)."""
    for index, party in enumerate(parties):
        if not _JOINED.search(text[: party.start]):
            continue
        subjects = [p for p, s in zip(parties[:index], statuses[:index], strict=True) if s == REACTING]
        if not subjects or subjects[-1].actor not in owned:
            continue
        last = index
        while last + 1 < len(parties) and _coordinated(text, parties, last + 1):
            last += 1
        for cue, _ in list(owned[subjects[-1].actor]):
            if cue.start < parties[last].end:
                continue
            for member in parties[index : last + 1]:
                if member.actor != subjects[-1].actor:
                    owned.setdefault(member.actor, []).append((cue, member))


def _deduplicated(proposals: list[_Proposal]) -> list[_Proposal]:
    """One record per (actor, stance, target) in a sentence. Its cue is the one nearest before the target
    ("condemned the raid, and also criticized China": "criticized" for China), else the first; a named
    speaker found with any of them is kept."""
    kept: dict[tuple[str, str, str], _Proposal] = {}
    for proposal in sorted(proposals, key=lambda p: p.cue_start):
        key = (proposal.actor, proposal.stance, proposal.target)
        if key not in kept:
            kept[key] = proposal
            continue
        best = proposal if proposal.reach < kept[key].reach else kept[key]
        if not best.speaker:
            named = kept[key] if kept[key].speaker else proposal
            best = best._replace(speaker=named.speaker, speaker_role=named.speaker_role)
        kept[key] = best
    return sorted(kept.values(), key=lambda p: p.cue_start)


def _remember(
    text: str,
    parties: list[_Party],
    statuses: list[str],
    mentions: list[ActorMention],
    proposals: list[_Proposal],
    context: _Context,
    registry: Registry,
    lexicon: CueLexicon,
    rules: ExtractionRules,
) -> None:
    """What this sentence tells the next: the last person and institution, who reacted, which noun names
    whom, whom each actor last opposed, and who carried out the incident."""
    reacting = [p for p, s in zip(parties, statuses, strict=True) if s == REACTING]
    persons = [party for party in reacting if party.person]
    if persons:
        # "Sergey Lavrov, the Russian foreign minister": the named speaker, wherever the title stands.
        actor = persons[-1].actor
        named = [p.speaker for p in parties if p.speaker is not None and p.actor == actor]
        context.person = (actor, persons[-1].speaker or (named[-1] if named else None))
    for party in reacting:
        if not party.person:
            context.institution = (party.actor, party.role)
    for party in reacting:
        if not context.last_reactors or context.last_reactors[-1] != party.actor:
            context.last_reactors.append(party.actor)
    for mention in registry.find_actor_mentions(text):
        actor = registry.actors.get(mention.actor)
        if actor is not None and actor.kind == "organisation":
            context.organisation = mention.actor
        phrase = _noun_phrase(text, mention.start, mention.end, rules)
        role = _institution_role(phrase, rules)
        # "the Iranian government" -> "the government"; "the French Foreign Ministry" -> "the ministry".
        for word in _WORD.findall(phrase.lower())[1:]:
            if word in rules.anaphor_nouns:
                context.anaphors[word] = (mention.actor, role)
    for proposal in proposals:
        # Only targets the text names: a guess from context must not feed the next guess.
        if proposal.target and not proposal.inferred and proposal.stance in CONTEXT_TARGET_STANCES | {"call_for"}:
            context.hostile_target[proposal.actor] = proposal.target
    perpetrators = _perpetrators(normalise_quotes(text), mentions, lexicon)
    if perpetrators:
        context.perpetrator = perpetrators[-1]
    _count_incident_parties(normalise_quotes(text), mentions, proposals, perpetrators, context, lexicon, rules)


def _incident_target(proposal: _Proposal, responsible: str, location: str) -> str:
    """The target a reaction naming none takes from the article: the responsible party for a condemnation
    or warning, and for a call unless it speaks to everyone; for support and condolence the place it names,
    else the incident's location unless that is the party held responsible (no one consoles the culprit)."""
    if proposal.cue_type in UNAIMED_CUE_TYPES:
        return ""
    if proposal.stance in ("condemn", "warn") or (proposal.stance == "call_for" and not proposal.everyone):
        return responsible if responsible != proposal.actor else ""
    if codebook.stance_families().get(proposal.stance) == "cordial":  # support, condolence
        if proposal.place:
            return proposal.place
        return location if location not in (responsible, proposal.actor) else ""
    return ""


def _with_incident_targets(proposals: list[_Proposal], responsible: str, location: str) -> list[_Proposal]:
    filled = []
    for proposal in proposals:
        # "condemned the launch over Japan": where a hostile act landed is its victim, not the one condemned.
        victim = location and responsible and location != responsible
        hostile = proposal.stance in ("condemn", "warn")
        if victim and hostile and proposal.target == location and responsible != proposal.actor:
            proposal = proposal._replace(target=responsible, inferred=True)
        if not proposal.target:
            target = _incident_target(proposal, responsible, location)
            if target:
                proposal = proposal._replace(target=target, inferred=True)
        filled.append(proposal)
    return _deduplicated(filled)


def extract_records(
    text: str,
    resources: Resources,
    event: str,
    date: str,
    source: str,
    rules: ExtractionRules | None = None,
    with_features: bool = False,
) -> pd.DataFrame:
    """Proposed reaction records for an article, in RECORD_COLUMNS order and then `confidence` (see
    extract.confidence): ids `{event}-x001`..., offsets
    into text (text[start:end] is the record's sentence), stance, target and cue filled. Pure: text and
    resources are only read. `date` (ISO) picks each speaker's role; `source` is copied to every record.
    with_features adds the evidence the confidence is computed from, one `feature_<name>` column each (for
    fitting the confidence model)."""
    rules = rules or default_rules()
    lexicon = rules.lexicon(resources.lexicon)
    # Ambiguous names ("Congolese", "Korea", "Brussels") are decided by the whole article where a sentence does not.
    resources = replace(resources, registry=resources.registry.in_context(text))
    context = _Context()
    sentences = segment_sentences(text, rules)
    context.people = learn_people([s.text for s in sentences], resources.registry, rules)
    context.people_pattern = people_pattern(context.people)
    context.own_forces = _coup_state(sentences, resources.registry, lexicon, rules)
    rows = []
    borrowed = {
        index: tail
        for index, tail in quotation_attributions(text, sentences).items()
        if _opens_with_attribution(tail, lexicon)
    }
    read = [
        (sentence, _read_quoted(sentence, borrowed.get(index), resources, lexicon, date, context, rules))
        for index, sentence in enumerate(sentences)
    ]
    responsible, location = _responsible(context), _most_counted(context.places)
    for sentence, proposals in read:
        for proposal in _with_incident_targets(proposals, responsible, location):
            rows.append(
                {
                    "id": f"{event}-x{len(rows) + 1:0{ID_WIDTH}d}",
                    "event": event,
                    "date": date,
                    "actor": proposal.actor,
                    "speaker": proposal.speaker,
                    "speaker_role": proposal.speaker_role,
                    "via": proposal.via,
                    "stance": proposal.stance,
                    "target": proposal.target,
                    "mode": proposal.mode,
                    "text": sentence.text,
                    "cue": proposal.cue,
                    "source": source,
                    "start": sentence.start,
                    "end": sentence.end,
                    "confidence": record_confidence(proposal, rules.confidence_model),
                }
            )
            if with_features:
                rows[-1].update({f"feature_{k}": v for k, v in proposal_features(proposal).items()})
    columns = [*RECORD_COLUMNS, "confidence"]
    if with_features:
        columns += [f"feature_{name}" for name in feature_names()]
    table = pd.DataFrame(rows, columns=columns)
    return table.astype({"start": "int64", "end": "int64"}) if len(table) else table
