"""Attribution through demonyms, possessives and role words, measured for every state in the registry.

For each state, six sentences of our own making are extracted, each naming the state only through a form
a news report uses for its government: "The {demonym} foreign ministry condemned the attack on the convoy.",
"{name}'s president called for restraint on both sides.", "{demonym} Prime Minister said the government was
deeply concerned.", and three more (the ministry or government "of {name}", "{demonym} officials"). A sentence counts as right when extraction gives exactly one actor and it is the state. The
states whose demonym may mean two states (the Congos, Dominica and the Dominican Republic) have no unambiguous
demonym, nor has the Holy See: their demonym sentences are skipped and counted apart.

    .venv/bin/python scripts/measure_attribution.py [--list-misses]
"""

from __future__ import annotations

import argparse

from dashboard.extract import extract_records
from dashboard.scoring import load_resources

TEMPLATES = {
    "demonym + ministry": "The {demonym} foreign ministry condemned the attack on the convoy.",
    "possessive + president": "{name}'s president called for restraint on both sides.",
    "demonym + prime minister": "{demonym_cap} Prime Minister said the government was deeply concerned.",
    "ministry of + name": "The foreign ministry of {name} condemned the shelling of the crossing.",
    "government of + name": "The government of {name} expressed its condolences to the families of the victims.",
    "demonym + officials": "{demonym_cap} officials warned that the attack would not go unanswered.",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list-misses", action="store_true")
    args = parser.parse_args()
    resources = load_resources()
    registry = resources.registry
    forms = {}
    for actor in registry.actors.values():
        if actor.kind != "state":
            continue
        demonyms = [a for a in actor.aliases if registry.alias_form(a) == "demonym"]
        # The adjective rather than the plural noun ("Egyptian", not "Egyptians"); "Swiss" is both.
        forms[actor.name] = next((d for d in demonyms if not d.endswith("s")), demonyms[0] if demonyms else "")
    right = {kind: 0 for kind in TEMPLATES}
    asked = {kind: 0 for kind in TEMPLATES}
    misses, skipped = [], []
    for name, demonym in sorted(forms.items()):
        for kind, template in TEMPLATES.items():
            if "{demonym" in template and not demonym:
                skipped.append((name, kind))
                continue
            sentence = template.format(name=name, demonym=demonym, demonym_cap=demonym)
            found = list(extract_records(sentence, resources, "measure", "2024-01-01", "measure")["actor"].unique())
            asked[kind] += 1
            if found == [name]:
                right[kind] += 1
            else:
                misses.append((kind, sentence, found))
    total_right, total = sum(right.values()), sum(asked.values())
    for kind in TEMPLATES:
        print(f"{kind:<26} {right[kind]:>4} / {asked[kind]:<4} {right[kind] / asked[kind]:.3f}")
    print(f"{'all':<26} {total_right:>4} / {total:<4} {total_right / total:.3f}")
    print(f"skipped (no unambiguous demonym): {len(skipped)} sentences of {len({n for n, _ in skipped})} states")
    if args.list_misses:
        for kind, sentence, found in misses:
            print(f"MISS {kind}: {sentence} -> {found}")


if __name__ == "__main__":
    main()
