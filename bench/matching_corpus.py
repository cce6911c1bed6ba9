"""Generated claims for the matching benchmark: varied, realistic one-sentence claims from templates and word lists.

Seeded, so the same scale gives the same sentences (and the cached embeddings stay valid). About 60 templates times
several word lists give well over a million distinct sentences, with the numbers, names, places and topics that
the verified claims also speak of, so they compete with the gold claims for both retrievers.
"""

from __future__ import annotations

import random
from collections.abc import Iterator


def _words(joined: str) -> tuple[str, ...]:
    return tuple(joined.split("|"))


PEOPLE = _words(
    "Joe Biden|Donald Trump|Barack Obama|Hillary Clinton|Nancy Pelosi|Bernie Sanders|Kamala Harris|"
    "Mike Pence|Elizabeth Warren|Ron DeSantis|Andrew Cuomo|Gavin Newsom|Boris Johnson|Jeremy Corbyn|"
    "Angela Merkel|Emmanuel Macron|Justin Trudeau|Narendra Modi|Jair Bolsonaro|Vladimir Putin|Xi Jinping|"
    "Bill Gates|Elon Musk|Mark Zuckerberg|George Soros|Anthony Fauci|Greta Thunberg|"
    "Alexandria Ocasio-Cortez|Ilhan Omar|Mitch McConnell|Ted Cruz|Marco Rubio|Pete Buttigieg|"
    "Beto O'Rourke|Michelle Obama|Melania Trump|Oprah Winfrey|Tom Hanks|the governor of Texas|"
    "the mayor of Chicago|a Senate candidate|the health minister"
)
PLACES = _words(
    "Texas|California|Florida|New York|Ohio|Michigan|Georgia|Arizona|Pennsylvania|Wisconsin|Chicago|"
    "Los Angeles|Seattle|Portland|Minneapolis|Baltimore|London|Paris|Berlin|Madrid|Rome|Toronto|Mexico|"
    "Brazil|India|China|Russia|Iran|Israel|Australia|South Africa|Nigeria|Venezuela|Sweden|Italy|Spain|"
    "Canada|Japan|Hong Kong"
)
GROUPS = _words(
    "immigrants|teachers|nurses|veterans|students|seniors|farmers|police officers|doctors|refugees|"
    "small businesses|welfare recipients|gun owners|voters|children|prisoners|federal employees|"
    "truck drivers|health workers|taxpayers|homeless people|factory workers"
)
TOPICS = _words(
    "unemployment|crime|the murder rate|inflation|gas prices|the minimum wage|health insurance|"
    "the national debt|the deficit|tuition|rent|taxes|illegal immigration|gun violence|vaccination rates|"
    "drug overdoses|carbon emissions|food prices|home prices|wages|school funding|military spending|"
    "foreign aid|voter turnout|poverty|the trade deficit"
)
THINGS = _words(
    "vaccines|5G towers|face masks|hydroxychloroquine|fluoride in tap water|genetically modified food|"
    "wind turbines|electric cars|chemtrails|microchips|bleach|vitamin C|garlic|hand sanitizer|"
    "mobile phones|smart meters|fast food|energy drinks|tap water|sunscreen|plastic bottles"
)
EFFECTS = _words(
    "causes cancer|cures the coronavirus|causes autism|spreads the virus|makes people infertile|"
    "kills thousands every year|weakens the immune system|causes heart attacks|alters human DNA|"
    "contains tracking devices|was banned in Europe|is linked to dementia|prevents infection"
)
ORGS = _words(
    "the CDC|the WHO|the FBI|the IRS|the EPA|NASA|the Pentagon|the United Nations|Congress|"
    "the Supreme Court|Facebook|Twitter|Google|Amazon|Walmart|Starbucks|Nike|Pfizer|Moderna|the BBC|CNN|"
    "Fox News|the European Union|NATO|Planned Parenthood|the NRA"
)
VERBS_UP = _words("rose|doubled|tripled|jumped|increased|soared|grew")
VERBS_DOWN = _words("fell|dropped|declined|plunged|halved|decreased|shrank")
YEARS = tuple(str(y) for y in range(1990, 2021))
PERIODS = _words("last year|since 2016|in the past decade|under Obama|under Trump|in 2019|this year")

TEMPLATES = (
    "{person} said {topic} {up} by {pct} percent in {place} {period}.",
    "{topic} in {place} {down} {pct}% {period}, according to {person}.",
    "{person} claims that {thing} {effect}.",
    "A study by {org} found that {thing} {effect}.",
    "{org} admitted that {thing} {effect}.",
    "{person} voted to cut funding for {groups} {n} times.",
    "{place} spends ${money} billion a year on {groups}.",
    "{n} {groups} were arrested in {place} {period}.",
    "{person} wants to give free health care to {groups}.",
    "{org} banned {thing} in {place} in {year}.",
    "There are more {groups} in {place} than in all of {place2}.",
    "{person} was arrested in {place} in {year}.",
    "{person} donated ${money} million to {org}.",
    "{org} is paying {groups} ${money} to attend protests in {place}.",
    "{pct} percent of {groups} in {place} are on welfare.",
    "{person} said {place} has the highest {topic} in the country.",
    "Under {person}, {topic} {up} to a record high.",
    "{person} never released the report on {topic} from {org}.",
    "Photo shows {person} meeting {person2} in {place} in {year}.",
    "Video shows {groups} burning the flag in {place}.",
    "{place} will fine drivers ${money} for using {thing}.",
    "{org} confirmed {n} deaths linked to {thing} in {place}.",
    "{person} plans to raise taxes on {groups} by {pct} percent.",
    "{place} became the first state to ban {thing}.",
    "The {year} budget of {place} cut {topic} programs by ${money} million.",
    "{person} said {groups} commit more crimes than anyone else in {place}.",
    "{org} will shut down all accounts that mention {person} by {year}.",
    "Since {year}, {topic} in {place} has {up} every single year.",
    "{person} told {groups} in {place} that {thing} {effect}.",
    "A new law in {place} lets {groups} vote without an ID.",
    "{person} owns a ${money} million mansion in {place}.",
    "{n} percent of {groups} say {topic} is the biggest problem in {place}.",
    "{org} paid {person} ${money} million for a speech in {year}.",
    "{place} released {n} {groups} from prison {period}.",
    "{person} said the {topic} numbers from {org} are fake.",
    "{thing} sold in {place} {effect}, warns {org}.",
    "Only {pct}% of {groups} in {place} have health insurance.",
    "{person} wants to abolish {org}.",
    "{topic} {down} after {place} raised the minimum wage to ${smallmoney}.",
    "{person} flew to {place} on a private jet paid for by {org}.",
    "{org} hired {n} {groups} {period}.",
    "{place} spends more on {groups} than on {topic}.",
    "Every {groups2} in {place} will receive a ${smallmoney} check from {org}.",
    "{person} said {n} million jobs were created {period}.",
    "{person}'s plan would cost {groups} ${smallmoney} a year.",
    "The {year} census shows {groups} now outnumber {groups2} in {place}.",
)


def _fill(rng: random.Random, template: str) -> str:
    person, person2 = rng.sample(PEOPLE, 2)
    place, place2 = rng.sample(PLACES, 2)
    groups, groups2 = rng.sample(GROUPS, 2)
    return template.format(
        person=person,
        person2=person2,
        place=place,
        place2=place2,
        groups=groups,
        groups2=groups2.rstrip("s"),
        topic=rng.choice(TOPICS),
        thing=rng.choice(THINGS),
        effect=rng.choice(EFFECTS),
        org=rng.choice(ORGS),
        up=rng.choice(VERBS_UP),
        down=rng.choice(VERBS_DOWN),
        pct=rng.choice((rng.randint(2, 99), rng.randint(2, 99), f"{rng.randint(1, 99)}.{rng.randint(1, 9)}")),
        n=rng.choice((rng.randint(2, 99), rng.randint(100, 999), f"{rng.randint(1, 99)},{rng.randint(100, 999)}")),
        money=rng.randint(2, 950),
        smallmoney=rng.choice((rng.randint(5, 99), rng.randint(100, 9999))),
        year=rng.choice(YEARS),
        period=rng.choice(PERIODS),
    )


PREFIXES = ("", "", "", "", "Breaking: ", "Viral post: ", "FACT: ", "Report: ", "Shocking: ", "Confirmed: ", "Wow. ")
SUFFIXES = (
    "",
    "",
    "",
    "",
    " Share before it is deleted.",
    " The media will not report this.",
    " Source: {org}.",
    " This happened in {year}.",
    " Retweet if you agree.",
    " {person} confirmed it.",
    " Read the full story.",
)


def sentences(count: int, seed: int = 2020) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(count):
        sentence = _fill(rng, rng.choice(TEMPLATES))
        sentence = sentence[0].upper() + sentence[1:]
        suffix = rng.choice(SUFFIXES).format(org=rng.choice(ORGS), year=rng.choice(YEARS), person=rng.choice(PEOPLE))
        yield rng.choice(PREFIXES) + sentence + suffix
