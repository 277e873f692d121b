"""Demo step: Huddinge's "Program för trygghet och säkerhet 2018–2021" and its follow-up
for 2021, quoted from seed 001 ("Uppföljning för 2021").

- The programme with its overall goal and the five responsibility areas; each area's
  sub-goal(s) are the goal sentences the follow-up prints in italics ("Under varje
  ansvarsområde finns nedan i kursiv text delmålen angivna"), and what the area
  covers is the summarising text from the programme.
- The 2021 follow-up: the introduction and, per area, the narrative with the seed's
  own sub-headings, linked to the steering demo's 2021 activities and indicators.
- Assessments: the seed gives none for the five areas, so each says "Bedömning saknas
  i underlaget" instead of inventing one. The two guidelines that must be followed up
  yearly are programmes of kind "riktlinjer" under the first area; for the graffiti
  guidelines the seed states that both goals are met, for the guidelines on violent
  extremism it says no particular follow-up was made.
- A status report snapshot for the 2023–2024 agreement, computed from the demo data as
  of 13 weeks ago, so the steering-group report has a "since last report" to show.

The texts are quotations (line-break artefacts of the PDF extraction joined, the
ANDTS footnote and the reference to Diagram 1 written inline, spelling kept). Idempotent: everything is found by title and year.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tryggnav.organisations.models import CollaborationGroup, Organisation
from tryggnav.programmes import reports, services
from tryggnav.programmes.models import (
    Assessment,
    FollowUp,
    Programme,
    ReportSnapshot,
    ResponsibilityArea,
)
from tryggnav.steering.models import Activity, Agreement, Indicator
from tryggnav.surveys.models import Indicator as SurveyIndicator

GROUP = "osg-huddinge"
ORGANISATION = "huddinge-kommun"
ACTOR = "eva.lindqvist@huddinge.example"
SOURCE = (
    "Huddinge kommun, Program för trygghet och säkerhet – uppföljning för 2021; texten är citerad."
)
TITLE = "Program för trygghet och säkerhet 2018–2021"
YEAR = 2021
NO_ASSESSMENT = (
    "Bedömning saknas i underlaget: uppföljningen för 2021 redovisar genomfört arbete men "
    "anger ingen bedömning av om delmålet är uppfyllt."
)

INTRODUCTION = """Program för trygghet och säkerhets övergripande mål är att Huddinge ska vara en trygg och säker kommun för alla som bor, verkar och vistas i kommunen, där få oönskade händelser sker. Det övergripande målet bryts ned till delmål för vart och ett av de fem ansvarsområden som programmet är indelat i.

Målen i programmet gäller för hela perioden 2018–2021, men uppföljningen avser enbart genomfört arbete under 2021 som bidragit till att uppfylla de underliggande mål som beskrivs under vart och ett av de fem ansvarsområden.

Under varje ansvarsområde finns nedan delmålen angivna samt en sammanfattande text om vad som ingår i ansvarsområdet hämtat från programmet. Mycket av det arbete som görs inom området är av sådant slag att det är återkommande och utvecklas löpande.

Programmets innehåll ligger i linje med målen för social hållbarhet i Mål och Budget 2021, dels i delarna som handlar om det viktiga preventiva arbetet, dels rörande arbetet för att Huddingeborna ska trivas och vara trygga.

Likt 2020 har 2021 varit påverkat av den pågående pandemin, covid-19, vilket har gjort att vissa åtaganden har behövt att prioriterats och andra har fått ställas in."""  # noqa: E501

# name, the area's overall goal, sub-goals, what the area covers, narrative, sections, activities, indicators
AREAS: list[dict[str, Any]] = [
    {
        "name": "Trygghetsskapande och brottsförebyggande arbete",
        "goal": (
            "Det övergripande målet för Huddinge kommuns trygghetsskapande och "
            "brottsförebyggande arbete är att öka den upplevda tryggheten samt minska "
            "utsattheten för brott."
        ),
        "goals": [],
        "description": "I ansvarsområdet ingår våldsbrott som våld i nära relationer, hedersrelaterat våld och förtryck, hatbrott samt arbete mot våldsbejakande extremism. Därutöver ingår skadegörelse, stöld, ungdomskriminalitet och organiserad brottslighet. Förebyggande arbete mot alkohol, narkotika, doping och tobak (ANDT) som har en tydlig koppling till kriminalitet, ingår också i ansvarsområdet. Även hantering av social oro och brottsofferstöd ingår i det trygghetsskapande arbetet.",  # noqa: E501
        "narrative": """Under 2021 drabbades Huddinge av flera våldsdåd som skapade otrygghet hos boende, men även många mörka och negativa rubriker. Under året har Huddinge arbetat mer aktivt i de kommundelar där dessa händelser har skett med framför allt en tydligare och mer riktad närvaro i samband med händelser. Samverkan med lokalpolisen och civilsamhället har utvecklats och uppskattats av kommunens invånare.

När det gäller att mäta den upplevda tryggheten finns det flera undersökningar, men det är svårt att i en så stor kommun som Huddinge få ett underlag som kan säkerställas. Under 2021 fick flera av de planerade trygghetsdialogerna ställas in på grund av rekommendationer avseende pandemin.

För att mäta den upplevda tryggheten behöver olika undersökningar och dialoger som genomförs på lokal och nationell nivå beaktas och analyseras. Det finns mycket som påverkar siffrorna kopplade till eventuella händelser. Brottsstatistik som finns att tillgå behöver analyseras med varsamhet då viss ökning av anmälda brott i statistik kan vara av positiv art då samhällsaktörer jobbar för att öka anmälningsbenägenheten.

År 2021 är ett mellanår då kommunen och samverkansaktörer inte tagit fram en ”Lokal lägesbild”, ibland kallad den stora lägesbilden, då olika typer av statistik inte sammanställts.""",  # noqa: E501
        "sections": [
            (
                "Medborgarundersökning",
                """Under året har Huddinge genomfört Statistiska centralbyråns (SCB) medborgarundersökning där frågor om trygghet finns med. På frågan, som även är en indikator i Mål och budget, ”Hur trygg känner du dig utomhus i området där du bor när det är mörkt ute?” uppger 63 procent i Huddinge att de känner sig trygga när det är mörkt ute.

Resultaten från medborgarundersökningen redovisas även med ett osäkerhetsintervall för att få en uppfattning om hur osäker resultaten är. När det gäller Huddinges resultat att 63 procent känner sig trygga så är det egentligen ett intervall som bör användas. Med 95 procents säkerhet ligger andelen som känner sig trygga mellan 59 och 68 procent. Genom att använda dessa osäkerhetsintervall kan kommunen avgöra om andelen trygga i Huddinge skiljer sig signifikant från någon annan kommun i länet.

I Stockholms län är andelen trygga 70 procent vilket är en signifikant högre andel jämfört med Huddinge. Totalt i Sverige anger 73 procent att de känner sig trygga när det är mörkt ute vilket även det är högre än Huddinges andel.""",  # noqa: E501
            ),
            (
                "Jämförelse med kommuner i Stockholms län",
                "Alla kommuner har inte deltagit i SCB:s medborgarundersökning. I Stockholms län var det fem kommuner som inte deltog: Haninge, Sollentuna, Stockholm, Solna och Norrtälje. Övriga kommuner i länet kan Huddinge jämföra sig med. Andelen trygga är högst i Vaxholm, 91 procent, och lägst i Uppland Väsby med 49 procent. I en rangordning av resultaten hamnar Huddinge på plats 16 av 21 kommuner.",  # noqa: E501
            ),
            (
                "Jämförelse av resultaten inom Huddinge",
                "Resultaten från undersökningen redovisas även inom fyra områden i Huddinge. Andelen trygga är 77 procent i mellersta Huddinge och lägst i sydvästra Huddinge, 49 procent. I nordvästra Huddinge är andelen 64 procent och i östra 54 procent. Det är även en signifikant skillnad på tryggheten i mellersta Huddinge jämfört med Huddinge kommun som helhet och även jämfört med östra och sydvästra Huddinge.",  # noqa: E501
            ),
            (
                "Samverkansöverenskommelse",
                """Till 2021 togs en ny samverkansöverenskommelse fram tillsammans med Lokalpolisområde Huddinge och Södertörns brandförsvarsförbund för 2021-2022. De tre prioriterade fokusområdena fastställdes till barn och unga, narkotika (ANDTS – Alkohol, Narkotika, Doping, Tobak och Spel) och trygghet i den offentliga miljön.

Inom varje fokusområde finns ett antal olika samverkansaktiviteter som regelbundet följs upp och rapporteras till styrgruppen. Inför denna överenskommelse har det gjorts en förändring av vilka aktiviteter som tas med, vilket idag är de där det krävs en samverkan utöver de ordinarie arbetsuppgifterna hos parterna. Flera av de aktiviteter som varit aktuella har haft svårt att genomföras, men de som genomförts har gjorts med goda resultat.

Samverkan bygger på att parterna tar fram en lägesbild, gör orsaksanalyser, sätter in insatser samt följer upp dessa och arbetet med att utveckla formerna har fortsatt under 2021. Varje vecka har den så kallade Operativa samverkansgruppen (OSG) träffats med deltagande från kommunens samtliga förvaltningar, Huddinge Samhällsfastigheter AB, Huge Bostäder AB, Fastighets AB Balder, Hembla AB, väktare, polis och räddningstjänst och en aktuell lägesbild har sammanställts. Från övriga aktörer samlas underlag till lägesbilden in löpande och den informationen läggs till lägesbilden.""",  # noqa: E501
            ),
            (
                "Uppdrag från styrgruppen för samverkan",
                """Inför sommaren fick OSG ett uppdrag av styrgruppen för samverkansöverenskommelsen att göra en samordnad planering inför sommaren så att aktiviteter och resurser används på bästa sätt och där de behövs mest. Detta arbete resulterade i att aktiviteter och insatser användes på ett effektivt sätt och genom att parterna i samverkan och levande dialoger kompletterade varandra.

Kultur- och fritidsförvaltningens mobila fritidsledare som fanns runt om i kommunen varje kväll under hela sommaren. De var på platser där det var många ungdomar ute och genomförde olika aktiviteter. En utökad och strukturerad samverkan när det gällde skötsel, kommunikation, miljökontroller rörande våra badplatser och parker, på initiativ och under ledning av miljö- och bygglovsförvaltningen.

Socialförvaltningen såg till att det fanns kurator att tillgå under hela sommaren för föräldrar med barn via familjecentralerna men även hade de förebyggande Fältsekreterarna ute under nästan alla dagar och kvällar för att göra riktade aktiviteter till barn 10–12 år.

Kommunstyrelsens förvaltning höll ihop arbetet under sommaren genom att arbeta med en gemensam lägesbild för alla samverkansaktörerna. Det uppstod ett behov av tillsyn på några av kommunens badplatser och deras intilliggande parkeringar, vilket gjorde att en väktare anlitades för att säkerställa trygga badplatser samt att en ökning av parkeringsbevakningen gjordes.""",  # noqa: E501
            ),
            (
                "Samverkan i Huddinge",
                """Under året har den operativa samordnaren för Samverkan i Huddinge startat upp arbetet utifrån den struktur som antagits med olika arbetsgrupper med fokus på att öka trivsel och trygghet i Flemingsberg. En kartläggning över samverkansaktörer har påbörjats i Vårby där arbetet kommer att starta under 2022. Via föreningen Samverkan i Huddinge har det trygghetsskapande feriearbeteskonceptet Unga för Orten 2021 genomförts, detta arbete leddes i år av en medarbetare på Huge Bostäder. Under nio veckor har ungdomarna tillsammans jobbat ungefär 23 000 arbetstimmar för att öka tryggheten och trivseln i Grantorp, Visättra, Vårby Gård, Masmo och Skogås.

2021 har det varit en utmaning att få en kontinuerlig samverkan med några av de civilsamhällesföreningar kommunen har i det brottsförebyggande arbete eftersom Huddinge periodvis har haft restriktioner. Grannstöd Huddinge, Brottsofferjouren Huddinge Botkyrka och Kraftbyrån har haft sina verksamheter i gång men fått anpassa sig utifrån läget med smittspridningen.""",  # noqa: E501
            ),
            (
                "Preventivt arbete",
                "Samordningen av det preventiva arbetet har under 2021 startats upp på socialförvaltningen och en politisk referensgrupp har bildats, även en styrgrupp har formats som leder arbetet. Under 2021 har preventionssamordnare tagit fram tre handlingsplaner som ska ligga till grund för kommunens preventiva arbete. Dessa omfattar Alkohol, Narkotika, Doping, Tobak och Spel (ANDTS), Psykisk ohälsa och Våld i nära relation.",  # noqa: E501
            ),
            (
                "Trygghetssatsning",
                """Kommunstyrelsens förvaltning fick under 2021 i uppdrag genom Trygghetspaketet att fokusera på tre olika områden för att öka tryggheten för invånare.

Trygghetskameror. Under 2021 har ett gediget arbete genomförts för att förbereda och påbörja installation av trygghetskameror i Grantorp. Det har krävts att många delar av kommunen har samarbetat och att grundläggande strukturer har byggts upp. Exempel på det är serveranläggning för att material kan sparas, fiberdragningar för att kunna använda kameror, upphandling av leverantör. I mitten av december startades Huddinges första trygghetskameraanläggning upp i Grantorp. Under året har även en plan för kommande installationer tagits fram.

Trygghetsvärdar. Under 2021 har en kartläggning av hur andra kommuner har organiserat trygghetsvärdar eller liknande och utifrån det samt politiska önskemål anställdes tre trygghetsvärdar under hösten. De har under sista delen av året utformat sitt arbete som till största del styrs av den lägesbild som tas fram på.

Trygghet i den offentliga miljön, en trygghetsanalys har genomförts i slutet av året, i Skogås centrum och i närområdet. Utifrån den kommer åtgärder att göras under 2022.""",  # noqa: E501
            ),
        ],
        "activities": "all",
        "indicators": ["Trygga utomhus"],
    },
    {
        "name": "Skydd mot olyckor",
        "goals": [
            "Målet är att minska antalet olyckor och skador till följd av dessa.",
            "Huddinge kommun ska verka för att i större utsträckning skapa samsyn mot andra "
            "olyckor än brand.",
        ],
        "description": "Huddinge kommun är medlem i och har ett väl utvecklat samarbete med Södertörn brandförsvarsförbund (Sbff). Som medlem i förbundet har kommunen överlåtit vissa delar av sitt ansvar, som till exempel räddningsinsatser och myndighetsutövning (tillsyn) avseende brand, till kommunalförbundet.",  # noqa: E501
        "narrative": """Statistik från Sbff visar att antalet olyckor (kategoriserade under trafikolycka, utsläpp farligt ämne, drunkning, brand), som fått en sådan omfattning att räddningstjänsten ryckt ut, fortsätter att minska. (Diagram: Antal olyckor där räddningstjänst ryckt ut, se indikatorn nedan.)

Kommunens arbete med att förebygga olyckor genomförs utifrån Sbff:s Handlingsprogram 2020–2023 där Huddinge kommun varit remissinstans. I detta finns numer fyra olika övergripande inriktningar kopplade till Sbff:s uppdrag: Alla inom vårt område ska leva i en trygg och säker hemmiljö avseende brand och andra olyckor, Vi ska skapa förutsättningar för effektiva räddningsinsatser, Vi ska vara motståndskraftiga mot störningar samt Vi ska främja en hållbar utveckling.

Nya bestämmelser i lag och föreskrifter har gjort att handlingsprogrammet har behövts revideras under 2021. Ett nytt handlingsprogram har utarbetats och antagits. Det träder i kraft 1 januari 2022 och gäller för perioden 2022–2023.

Det ska i kommunens verksamhetslokaler finnas ett skäligt brandskydd. Detta säkerställs genom att lokalerna är anpassade till verksamhet som bedrivs där samt att ett systematiskt brandskyddsarbete bedrivs. Kommunen har de senaste åren gjort stora satsningar på att det ska finnas ett bra systematiskt brandskyddsarbete i dess verksamhetslokaler. Ur uppföljningshänseende från ett centralt perspektiv saknas dock möjlighet att på ett systematiskt och regelbundet sätt följa upp huruvida verksamheterna genomför kontroller och i vilken utsträckning brister åtgärdas.""",  # noqa: E501
        "indicators": ["Olyckor där"],
    },
    {
        "name": "Krisberedskap",
        "goals": [
            "Målet för Huddinge kommuns arbete med krisberedskap är att värna människors liv "
            "och hälsa, miljö, egendom och samhällets funktionalitet."
        ],
        "description": "Med krisberedskap avses förmågan att förebygga, motstå och hantera krissituationer, genom utbildning, övning och andra åtgärder samt genom den organisation och de strukturer som skapas före, under och efter en kris.",  # noqa: E501
        "narrative": """Under 2021 har det varit fokus på krisberedskap och krishantering då kommunen under det första halvåret hade den centrala krisstaben aktiverad till följd av pandemin. Arbetet har bedrivits i nära samverkan med länsstyrelsen och andra aktörer genom Samverkan i Stockholmsregionen, med kontinuerliga gemensamma möten, minst en gång per vecka både på samordnande och inriktande nivå. Huddinge kommun har varit aktiv i dessa möten och har även varit delaktiga i mer specifika arbetsgrupper som rört pandemin.

Samtidigt har kommunen under 2021 fokuserat på att öka kunskapen hos chefer och medarbetare för att kunna hantera kriser utifrån den krishanteringsmodell Huddinge beslutat att använda sig av. Samtliga förvaltningar och helägda bolag har genomgått utbildning och arbetat med att säkerställa sin Operativa handbok utifrån verksamhet. Flertalet utbildningar har riktats till olika målgrupper inom krishanteringen, t.ex. POSOM, psykosocialt omhändertagande, stabsroller, stabschefer.

Under hösten genomfördes en Krisberedskapsvecka med aktiviteter i Skogås och Vårby gård, med deltagande från bl.a. Försvarsutbildarna. Även aktiviteter riktade till tre av de kommunala gymnasieskolorna genomfördes med team ”Zombies”. Alla dessa aktiviteter uppskattades av invånare och elever.""",  # noqa: E501
    },
    {
        "name": "Civilt försvar",
        "goals": [
            "Målet för Huddinge kommuns arbete med det civila försvaret är att vidta "
            "kompetenshöjande insatser rörande totalförsvaret bland nyckelpersoner i kommunen."
        ],
        "description": "Det civila försvaret är en del av det nya totalförsvaret. Målet för det civila försvaret är att värna civilbefolkningen, säkerställa de viktigaste samhällsfunktionerna och bidra till Försvarsmaktens förmåga vid ett väpnat angrepp eller krig i vår omvärld. Det civila försvaret bygger på samhällets krisberedskap och samhällets samlade motståndskraft.",  # noqa: E501
        "narrative": """Utöver att följa samhällsutvecklingen som berör området har kommunen följt de riktlinjer som Myndigheten för samhällsskydd och beredskap (MSB), Länsstyrelsen samt Sveriges Kommuner och Regioner (SKR) ger inom området.

Kommunen har medverkat med representanter vid de utbildningar, seminarier och nätverk som myndigheterna samt Samverkan Stockholmsregionen (SSR) anordnat. Den kompetenshöjande insats rörande totalförsvaret som vidtagits under 2021 har omfattat personer inom samtliga förvaltningars ledningsgrupper.""",  # noqa: E501
    },
    {
        "name": "Internt skydds- och säkerhetsarbete",
        "goal": (
            "Det övergripande målet för Huddinge kommuns interna skydds- och säkerhetsarbete är "
            "att minimera risken för personskada, störning, förslut och kostnader till följd av "
            "brand, skadegörelse, stöld, inbrott, bedrägerier eller andra former av olovligt "
            "användande av kommunens resurser."
        ),
        "goals": [],
        "description": "Ansvarsområdet Internt skydds- och säkerhetsarbete omfattar den kommunala verksamheten och inkluderar skydd av anställda och förtroendevalda, skydd av kommunens lokaler, egendom och utrustning. I arbetet ingår systematiskt brandskyddsarbete (SBA), försäkringar, lås och larm, kameraövervakning och bevakningstjänster samt förbyggande arbete mot interna oegentligheter. Internt skydds- och säkerhetsarbete inkluderar även säkerhetsskydd och informationssäkerhet.",  # noqa: E501
        "narrative": """Under 2021 har ett stort arbete genomförts tillsammans med Huge Bostäder AB och Huddinge samhällsfastigheter AB för att upphandla, tilldela och förbereda ett byte av bevakningsbolag som kommer att ske 1 februari 2022. I detta arbete har en analys av behoven varit viktig och att kommunen köper tjänsterna till ett kostnadseffektivt pris.

Rektorer och biträdande rektorer inom barn- och utbildningsförvaltningen har genomgått en utbildning i Pågående dödligt våld (PDV) för att stärka förmågan hos personalen att hantera händelser där en eller flera gärningsmän attackerar en plats eller byggnad med syfte att slumpmässigt döda så många som möjligt.

Arbetet med Säkerhetsskydd har genomförts med gott resultat.""",  # noqa: E501
    },
]

GUIDELINES: list[dict[str, Any]] = [
    {
        "title": "Riktlinjer för att förebygga och förhindra våldsbejakande extremism i "
        "Huddinge kommun",
        "decision_reference": "KS-2016/74",
        "decided_by": "Kommunfullmäktige § 18",
        "decision_date": datetime.date(2018, 8, 20),
        "starts": datetime.date(2018, 8, 20),
        "ends": None,
        "goals": [
            "Kommunstyrelsens förvaltning ska årligen se till att utbildning erbjuds kommunens "
            "tjänstepersoner (så som uppföljningen för 2021 återger riktlinjerna)."
        ],
        "assessment": (
            Assessment.Status.NOT_ASSESSED,
            "Bedömning saknas i underlaget. Uppföljningen anger att utbildningen inte har "
            "genomförts ”då det inte har varit aktuellt utifrån lägesbilden” och att ”Ingen "
            "särskild uppföljning har genomförts för 2021.”",
        ),
        "narrative": "I Riktlinjer för att förebygga och förhindra våldsbejakande extremism i Huddinge kommun (KS-2016/74), som fastställdes av kommunfullmäktige den 20 augusti 2018 §18, framgår att arbetet årligen ska följas upp av kommunstyrelsen. Under 2021 har det varit ytterst få händelser som kan kopplar till våldsbejakande extremism, och de som förekommit har varit klotterrelaterad skadegörelse. I riktlinjerna står det att kommunstyrelsens förvaltning årligen se till att utbildning ska erbjudas kommunens tjänstepersoner, men då det inte har varit aktuellt utifrån lägesbilden har detta inte genomförts. Ingen särskild uppföljning har genomförts för 2021.",  # noqa: E501
    },
    {
        "title": "Riktlinjer gällande klotterrelaterad skadegörelse 2018–2022",
        "decision_reference": "KS-2016/47",
        "decided_by": "Kommunfullmäktige § 12",
        "decision_date": datetime.date(2017, 12, 11),
        "starts": datetime.date(2018, 1, 1),
        "ends": datetime.date(2022, 12, 31),
        "goals": [
            "Det ska finnas en snabb, tydlig och evidensbaserad hantering.",
            "Kommunen ska arbeta förebyggande.",
        ],
        "assessment": (
            Assessment.Status.MET,
            "”För 2021 bedömer förvaltningen att båda målen är uppfyllda.”",
        ),
        "narrative": "I ”Riktlinjer gällande klotterrelaterad skadegörelse 2018–2022” (KS-2016/47), som fastställdes av kommunfullmäktige den 11 december 2017 §12, framgår att arbetet årligen ska följas upp av kommunstyrelsen (bilaga 2). Riktlinjerna innehåller två huvudmål, att det ska finnas en snabb, tydlig och evidensbaserad hantering och att kommunen ska arbeta förebyggande. För 2021 bedömer förvaltningen att båda målen är uppfyllda.",  # noqa: E501
    },
]


def _programme(org: Organisation, group: CollaborationGroup, by) -> tuple[Programme, bool]:
    found = Programme.objects.filter(organisation=org, title=TITLE).first()
    if found:
        return found, False
    programme = services.programme_create(
        by=by,
        organisation=org,
        group=group,
        title=TITLE,
        starts=datetime.date(2018, 1, 1),
        ends=datetime.date(2021, 12, 31),
        overall_goal=(
            "Huddinge ska vara en trygg och säker kommun för alla som bor, verkar och vistas i "
            "kommunen, där få oönskade händelser sker."
        ),
        follow_up_by="Kommunstyrelsen",
        source=SOURCE,
        is_demo=True,
    )
    for spec in AREAS:
        services.area_create(
            by=by,
            programme=programme,
            name=spec["name"],
            description=spec["description"],
            # "Det övergripande målet för …" is the area's goal; the delmål are assessed.
            goal=spec.get("goal", ""),
            goals=spec["goals"],
        )
    return programme, True


def _follow_up(programme: Programme, group: CollaborationGroup, by) -> FollowUp:
    follow_up = services.follow_up_create(
        by=by, programme=programme, year=YEAR, introduction=INTRODUCTION, source=SOURCE
    )
    activities = list(Activity.objects.filter(group=group, starts__year=YEAR))
    for spec, item in zip(AREAS, follow_up.areas.select_related("area"), strict=True):
        indicators = [
            i
            for prefix in spec.get("indicators", [])
            for i in Indicator.objects.filter(group=group, name__startswith=prefix)
        ]
        services.area_follow_up_update(
            by=by,
            item=item,
            narrative=spec["narrative"],
            activities=activities if spec.get("activities") == "all" else [],
            indicators=indicators,
        )
        for heading, text in spec.get("sections", []):
            services.section_add(by=by, item=item, heading=heading, text=text)
        for goal in item.area.goals.all():
            services.assessment_save(
                by=by,
                follow_up=follow_up,
                goal=goal,
                status=Assessment.Status.NOT_ASSESSED,
                justification=NO_ASSESSMENT,
            )
    return follow_up


def _guidelines(org: Organisation, group: CollaborationGroup, by, area: ResponsibilityArea):
    for spec in GUIDELINES:
        if Programme.objects.filter(organisation=org, title=spec["title"]).exists():
            continue
        guideline = services.programme_create(
            by=by,
            organisation=org,
            group=group,
            kind=Programme.Kind.GUIDELINE,
            title=spec["title"],
            starts=spec["starts"],
            ends=spec["ends"],
            decided_by=spec["decided_by"],
            decision_reference=spec["decision_reference"],
            decision_date=spec["decision_date"],
            follow_up_by="Kommunstyrelsen",
            parent_area=area,
            source=SOURCE,
            is_demo=True,
        )
        services.area_create(
            by=by, programme=guideline, name="Riktlinjernas mål", goals=spec["goals"]
        )
        follow_up = services.follow_up_create(by=by, programme=guideline, year=YEAR, source=SOURCE)
        item = follow_up.areas.get()
        services.area_follow_up_update(by=by, item=item, narrative=spec["narrative"])
        status, justification = spec["assessment"]
        for goal in item.area.goals.all():
            services.assessment_save(
                by=by, follow_up=follow_up, goal=goal, status=status, justification=justification
            )


def _link_survey(group: CollaborationGroup) -> None:
    """Point the steering demo's survey indicator at the published survey results, so
    the follow-up shows them as a chart (as seed 001 discusses them)."""

    published = SurveyIndicator.objects.filter(
        survey__name="SCB:s medborgarundersökning", survey__year=YEAR, survey__is_demo=True
    ).first()
    if published is not None:
        Indicator.objects.filter(
            group=group, name__startswith="Trygga utomhus", survey_ref=""
        ).update(survey_ref=str(published.public_id))


def _status_snapshot(group: CollaborationGroup, by) -> bool:
    """A first status report of the 2023–2024 agreement, with the figures computed as of
    13 weeks ago, so the next report has something to compare with."""
    agreement = Agreement.objects.filter(
        group=group, title="Samverkansöverenskommelse 2023–2024"
    ).first()
    if agreement is None:
        return False
    existing = ReportSnapshot.objects.filter(agreement=agreement).first()
    if existing is not None:
        # Still about the agreement's current problems? (The steering demo may have been
        # rebuilt since, with new objects; a stale demo snapshot would show them as new.)
        current = {str(p) for p in agreement.problems.values_list("public_id", flat=True)}
        if set(existing.figures.get("problems", {})) == current:
            return False
        ReportSnapshot.objects.filter(agreement=agreement, note__startswith="Demo:").delete()
    earlier = timezone.localdate() - datetime.timedelta(weeks=13)
    figures = reports.status_figures(agreement, today=earlier)
    services.report_snapshot_record(
        by=by,
        agreement=agreement,
        figures=figures,
        note=(
            "Demo: ögonblicksbild beräknad vid demoinläsningen med siffrorna per "
            f"{earlier.isoformat()}; ingen verklig rapport."
        ),
    )
    return True


def load() -> list[str]:
    group = CollaborationGroup.objects.filter(slug=GROUP).first()
    org = Organisation.objects.filter(slug=ORGANISATION).first()
    by = get_user_model().objects.filter(email=ACTOR).first()
    if group is None or org is None or by is None:
        return ["Program: demoorganisationen saknas, hoppar över."]
    with transaction.atomic():
        programme, created = _programme(org, group, by)
        if not programme.follow_ups.filter(year=YEAR).exists():
            _follow_up(programme, group, by)
        first_area = programme.areas.order_by("order").first()
        if first_area is not None:
            _guidelines(org, group, by, first_area)
        _link_survey(group)
        snapshot = _status_snapshot(group, by)
    return [
        f"Program (demo): {TITLE} "
        + ("skapat" if created else "fanns redan")
        + f", uppföljning {YEAR} med två riktlinjer"
        + (", en första statusrapport registrerad." if snapshot else ".")
    ]
