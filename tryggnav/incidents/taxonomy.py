"""The national default taxonomy: categories and the police event-type mapping.

The categories follow the spirit of the EST (Effektiv samordning för trygghet)
checklists used by Swedish municipalities: what a property owner, a security guard
or a "trygghetsvandring" records, grouped by ``CategoryGroup``. Collaboration
groups may add their own categories; the defaults here are the shared baseline.

``DEFAULT_POLICE_MAPPING`` covers every distinct ``type`` of the police events
archive (97 values, 2023-03 to 2026-08). Types are matched stripped of surrounding
whitespace: the feed has ``"Lagen om hundar och katter "`` with a trailing space.
The mapping is a table (``PoliceTypeMapping``) that administrators may edit;
``taxonomy_ensure`` only adds what is missing and never overwrites an edit.
"""

from __future__ import annotations

from typing import NamedTuple

from tryggnav.incidents.models import Category, CategoryGroup, PoliceTypeMapping


class DefaultCategory(NamedTuple):
    slug: str
    name: str
    group: str
    description: str = ""


G = CategoryGroup

DEFAULT_CATEGORIES: list[DefaultCategory] = [
    # Brott
    DefaultCategory(
        "stold", "Stöld", G.CRIME, "Stöld och stöldförsök, även cykel- och butiksstöld."
    ),
    DefaultCategory("inbrott", "Inbrott", G.CRIME, "Inbrott i bostad, lokal eller bil."),
    DefaultCategory(
        "inbrott-forrad-kallare",
        "Inbrott i förråd/källare",
        G.CRIME,
        "Inbrott eller intrång i förråd, källare, cykelrum eller garage.",
    ),
    DefaultCategory(
        "fordonsstold", "Fordonsstöld", G.CRIME, "Stöld av bil, moped eller annat fordon."
    ),
    DefaultCategory("ran", "Rån", G.CRIME, "Rån och rånförsök."),
    DefaultCategory(
        "misshandel", "Misshandel/våld", G.CRIME, "Misshandel och annat våld mot person."
    ),
    DefaultCategory("hot", "Hot", G.CRIME, "Olaga hot och hot mot tjänsteman."),
    DefaultCategory(
        "sexualbrott", "Sexualbrott", G.CRIME, "Våldtäkt, sexuellt ofredande och liknande."
    ),
    DefaultCategory(
        "dodligt-vald",
        "Dödligt våld och skjutningar",
        G.CRIME,
        "Mord, dråp, försök, skottlossning, explosioner och detonationer.",
    ),
    DefaultCategory("vapen", "Vapen och knivar", G.CRIME, "Brott mot vapenlagen eller knivlagen."),
    DefaultCategory("bedrageri", "Bedrägeri", G.CRIME, "Bedrägeri, förfalskning, ekobrott."),
    DefaultCategory("ovrigt-brott", "Övriga brott", G.CRIME, "Andra brott."),
    # Ordningsstörning
    DefaultCategory(
        "ungdomsgrupp-stor",
        "Ungdomsgrupp som stör",
        G.DISORDER,
        "Grupper av ungdomar som stör eller skapar otrygghet.",
    ),
    DefaultCategory(
        "brak", "Bråk/ordningsstörning", G.DISORDER, "Bråk, ofredande, störande beteende."
    ),
    DefaultCategory(
        "berusning",
        "Berusning/drogpåverkan",
        G.DISORDER,
        "Berusade eller drogpåverkade personer, fylleri.",
    ),
    DefaultCategory(
        "fyrverkerier", "Fyrverkerier/smällar", G.DISORDER, "Fyrverkerier och smällare."
    ),
    DefaultCategory(
        "olaga-intrang", "Olaga intrång", G.DISORDER, "Obehöriga i lokaler eller på tak."
    ),
    # Skadegörelse/klotter
    DefaultCategory("klotter", "Klotter", G.VANDALISM, "Klotter och tags."),
    DefaultCategory(
        "skadegorelse", "Skadegörelse", G.VANDALISM, "Krossade rutor, sönderslagen utrustning."
    ),
    # Brand
    DefaultCategory("anlagd-brand", "Anlagd brand", G.FIRE, "Anlagd brand och mordbrand."),
    DefaultCategory(
        "brand-soprum",
        "Brand i soprum/container",
        G.FIRE,
        "Brand i soprum, container eller papperskorg.",
    ),
    DefaultCategory("bilbrand", "Bilbrand", G.FIRE, "Brand i bil eller annat fordon."),
    DefaultCategory("brand", "Brand, övrig", G.FIRE, "Annan brand."),
    # Narkotika
    DefaultCategory(
        "narkotikaforsaljning",
        "Narkotikaförsäljning",
        G.DRUGS,
        "Misstänkt försäljning av narkotika.",
    ),
    DefaultCategory("narkotikabrott", "Narkotikabrott", G.DRUGS, "Innehav och bruk av narkotika."),
    DefaultCategory("langning", "Langning", G.DRUGS, "Langning av alkohol eller tobak till unga."),
    DefaultCategory("sprutor", "Sprutor och kanyler", G.DRUGS, "Upphittade sprutor och kanyler."),
    # Otrygg plats
    DefaultCategory("otrygg-plats", "Otrygg plats", G.UNSAFE_PLACE, "En plats som upplevs otrygg."),
    DefaultCategory(
        "trasig-belysning", "Trasig belysning", G.UNSAFE_PLACE, "Släckt eller trasig belysning."
    ),
    DefaultCategory(
        "skymd-sikt",
        "Skymd sikt/buskage",
        G.UNSAFE_PLACE,
        "Växtlighet eller annat som skymmer sikten.",
    ),
    DefaultCategory(
        "trasigt-las", "Trasiga lås och dörrar", G.UNSAFE_PLACE, "Trasiga lås, portar och dörrar."
    ),
    # Miljö/nedskräpning
    DefaultCategory("nedskrapning", "Nedskräpning", G.ENVIRONMENT, "Skräp och dumpat avfall."),
    DefaultCategory(
        "overgivet-fordon", "Övergivet fordon", G.ENVIRONMENT, "Övergivna bilar och cyklar."
    ),
    DefaultCategory(
        "miljobrott", "Miljöbrott", G.ENVIRONMENT, "Miljöbrott och spridning av kemikalier."
    ),
    # Trafik
    DefaultCategory("trafikolycka", "Trafikolycka", G.TRAFFIC, "Trafikolyckor, även viltolyckor."),
    DefaultCategory(
        "trafikbrott",
        "Trafikbrott",
        G.TRAFFIC,
        "Rattfylleri, olovlig körning, vårdslöshet i trafik.",
    ),
    DefaultCategory("trafikkontroll", "Trafikkontroll", G.TRAFFIC, "Polisens trafikkontroller."),
    DefaultCategory("trafikhinder", "Trafikhinder", G.TRAFFIC, "Hinder och störningar i trafiken."),
    # Övrigt
    DefaultCategory(
        "olycka",
        "Olycka/räddningsinsats",
        G.OTHER,
        "Arbetsplatsolyckor, räddningsinsatser, sjukdom.",
    ),
    DefaultCategory("forsvunnen-person", "Försvunnen person", G.OTHER, "Försvunna och efterlysta."),
    DefaultCategory(
        "polisinsats", "Polisinsats/kontroll", G.OTHER, "Polisinsatser och kontroller."
    ),
    DefaultCategory(
        "sammanfattning",
        "Sammanfattning",
        G.OTHER,
        "Polisens sammanfattningar av flera händelser; räknas inte i statistiken.",
    ),
    DefaultCategory("ovrigt", "Övrigt", G.OTHER, "Annat."),
]


# The default categories' English names, shown when the page is in English
# (``Category.name_en``). Kept apart from ``DEFAULT_CATEGORIES`` because the data
# migration 0002 builds its historical model from those tuples, before the field.
DEFAULT_NAMES_EN: dict[str, str] = {
    "stold": "Theft",
    "inbrott": "Burglary",
    "inbrott-forrad-kallare": "Break-in into storage/basement",
    "fordonsstold": "Vehicle theft",
    "ran": "Robbery",
    "misshandel": "Assault/violence",
    "hot": "Threats",
    "sexualbrott": "Sexual offences",
    "dodligt-vald": "Lethal violence and shootings",
    "vapen": "Weapons and knives",
    "bedrageri": "Fraud",
    "ovrigt-brott": "Other crimes",
    "ungdomsgrupp-stor": "Disruptive group of young people",
    "brak": "Fights/public disorder",
    "berusning": "Intoxication/drug influence",
    "fyrverkerier": "Fireworks/bangers",
    "olaga-intrang": "Trespassing",
    "klotter": "Graffiti",
    "skadegorelse": "Vandalism",
    "anlagd-brand": "Arson",
    "brand-soprum": "Fire in refuse room/container",
    "bilbrand": "Car fire",
    "brand": "Fire, other",
    "narkotikaforsaljning": "Drug dealing",
    "narkotikabrott": "Drug offences",
    "langning": "Supplying alcohol or tobacco to minors",
    "sprutor": "Syringes and needles",
    "otrygg-plats": "Unsafe place",
    "trasig-belysning": "Broken lighting",
    "skymd-sikt": "Obstructed view/shrubbery",
    "trasigt-las": "Broken locks and doors",
    "nedskrapning": "Littering",
    "overgivet-fordon": "Abandoned vehicle",
    "miljobrott": "Environmental crime",
    "trafikolycka": "Traffic accident",
    "trafikbrott": "Traffic offences",
    "trafikkontroll": "Traffic check",
    "trafikhinder": "Traffic obstruction",
    "olycka": "Accident/rescue operation",
    "forsvunnen-person": "Missing person",
    "polisinsats": "Police operation/check",
    "sammanfattning": "Summary",
    "ovrigt": "Other",
}

# Categories only the police feed uses: a reporter is not offered them (a summary of
# several events, the police's own controls and operations).
POLICE_FEED_ONLY = frozenset({"sammanfattning", "trafikkontroll", "polisinsats"})

# Every distinct ``type`` in the national archive, stripped, to a default category slug.
DEFAULT_POLICE_MAPPING: dict[str, str] = {
    "Alkohollagen": "langning",
    "Anträffad död": "ovrigt",
    "Anträffat gods": "ovrigt",
    "Arbetsplatsolycka": "olycka",
    "Bedrägeri": "bedrageri",
    "Bombhot": "hot",
    "Brand": "brand",
    "Brand automatlarm": "brand",
    "Bråk": "brak",
    "Detonation": "dodligt-vald",
    "Djur": "ovrigt",
    "Efterlyst person": "forsvunnen-person",
    "Ekobrott": "bedrageri",
    "Explosion": "dodligt-vald",
    "Farligt föremål, misstänkt": "otrygg-plats",
    "Fjällräddning": "olycka",
    "Fylleri": "berusning",
    "Fylleri/LOB": "berusning",
    "Förfalskningsbrott": "bedrageri",
    "Försvunnen person": "forsvunnen-person",
    "Hemfridsbrott": "olaga-intrang",
    "Hets mot folkgrupp": "ovrigt-brott",
    "Häleri": "ovrigt-brott",
    "Inbrott": "inbrott",
    "Inbrott, försök": "inbrott",
    "Information": "ovrigt",
    "Knivlagen": "vapen",
    "Kontroll": "polisinsats",
    "Kontroll person/fordon": "polisinsats",
    "Lagen om hundar och katter": "ovrigt",
    "Larm Inbrott": "inbrott",
    "Larm Överfall": "misshandel",
    "Luftfartslagen": "ovrigt-brott",
    "Miljöbrott": "miljobrott",
    "Missbruk av urkund": "bedrageri",
    "Misshandel": "misshandel",
    "Misshandel, grov": "misshandel",
    "Mord/dråp": "dodligt-vald",
    "Mord/dråp, försök": "dodligt-vald",
    "Mordbrand": "anlagd-brand",
    "Motorfordon, anträffat stulet": "fordonsstold",
    "Motorfordon, stöld": "fordonsstold",
    "Narkotikabrott": "narkotikabrott",
    "Ofredande/förargelse": "brak",
    "Olaga frihetsberövande/människorov": "ovrigt-brott",
    "Olaga hot": "hot",
    "Olaga intrång": "olaga-intrang",
    "Olovlig körning": "trafikbrott",
    "Ordningslagen": "brak",
    "Polisinsats/kommendering": "polisinsats",
    "Rattfylleri": "trafikbrott",
    "Räddningsinsats": "olycka",
    "Rån": "ran",
    "Rån väpnat": "ran",
    "Rån övrigt": "ran",
    "Rån, försök": "ran",
    "Sabotage mot blåljusverksamhet": "ovrigt-brott",
    "Sammanfattning dag": "sammanfattning",
    "Sammanfattning dygn": "sammanfattning",
    "Sammanfattning eftermiddag": "sammanfattning",
    "Sammanfattning helg": "sammanfattning",
    "Sammanfattning kväll": "sammanfattning",
    "Sammanfattning kväll och natt": "sammanfattning",
    "Sammanfattning natt": "sammanfattning",
    "Sammanfattning vecka": "sammanfattning",
    "Sedlighetsbrott": "sexualbrott",
    "Sexualbrott": "sexualbrott",
    "Sjukdom/olycksfall": "olycka",
    "Sjölagen": "trafikbrott",
    "Skadegörelse": "skadegorelse",
    "Skottlossning": "dodligt-vald",
    "Skottlossning, misstänkt": "dodligt-vald",
    "Skyddslagen": "ovrigt-brott",
    "Smällar": "fyrverkerier",
    "Spridning smitta/kemikalier": "miljobrott",
    "Stöld": "stold",
    "Stöld, försök": "stold",
    "Stöld/inbrott": "inbrott",
    "Trafikbrott": "trafikbrott",
    "Trafikhinder": "trafikhinder",
    "Trafikkontroll": "trafikkontroll",
    "Trafikolycka": "trafikolycka",
    "Trafikolycka, personskada": "trafikolycka",
    "Trafikolycka, singel": "trafikolycka",
    "Trafikolycka, smitning från": "trafikolycka",
    "Trafikolycka, vilt": "trafikolycka",
    "Uppdatering": "ovrigt",
    "Upphittat föremål": "ovrigt",
    "Utlänningslagen": "ovrigt-brott",
    "Vapenlagen": "vapen",
    "Varningslarm/haveri": "ovrigt",
    "Våld/hot mot tjänsteman": "hot",
    "Våldtäkt": "sexualbrott",
    "Våldtäkt, försök": "sexualbrott",
    "Vållande till kroppsskada": "misshandel",
    "Åldringsbrott": "bedrageri",
    "Övrigt": "ovrigt",
}

# Where a police type is new (the feed gains types over time), it counts as this.
FALLBACK_CATEGORY = "ovrigt"


def taxonomy_ensure(*, category_model=None, mapping_model=None) -> tuple[int, int]:
    """Create the missing default categories and police mappings; return how many were made.

    Idempotent and never overwrites: an administrator's renamed category or edited
    mapping stays as it is. The model arguments let the data migration pass its
    historical models.
    """
    if category_model is None or mapping_model is None:
        category_model, mapping_model = Category, PoliceTypeMapping
    existing = {c.slug: c for c in category_model.objects.filter(collaboration_group__isnull=True)}
    new_categories = [
        category_model(
            slug=d.slug,
            name=d.name,
            group=str(d.group),
            description=d.description,
            order=(i + 1) * 10,
        )
        for i, d in enumerate(DEFAULT_CATEGORIES)
        if d.slug not in existing
    ]
    for category in new_categories:
        category.save()
        existing[category.slug] = category
    mapped = set(mapping_model.objects.values_list("police_type", flat=True))
    new_mappings = [
        mapping_model(police_type=police_type, category=existing[slug])
        for police_type, slug in DEFAULT_POLICE_MAPPING.items()
        if police_type not in mapped
    ]
    mapping_model.objects.bulk_create(new_mappings)
    if category_model is Category:
        category_names_en_fill()
    return len(new_categories), len(new_mappings)


def category_names_en_fill(*, category_model=None) -> int:
    """Give the default categories their English name where none is set; return how many.

    Never overwrites: an administrator's own English name stays.
    """
    category_model = category_model or Category
    filled = 0
    for category in category_model.objects.filter(collaboration_group__isnull=True, name_en=""):
        english = DEFAULT_NAMES_EN.get(category.slug)
        if english:
            category.name_en = english
            category.save(update_fields=["name_en"])
            filled += 1
    return filled
