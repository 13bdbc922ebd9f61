"""Event mentions: which sentences assert a protest, strike, riot, repression or state response.

A trigger lexicon (regular expressions that cover inflections: "strike",
"went on strike", "strikes", "walked out"...) finds candidate mentions; each is
then checked against its clause for negation ("refused to disperse"),
hypotheticals and demands ("threatened to strike", "called for a general
strike"), and the future ("protests are planned for Saturday"). Only what the
text asserts happened survives. The event types come from ``geo.taxonomy``.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from geo.taxonomy import TYPE_NAMES


# The alternatives of each type's pattern, as written (see _alternatives_at)
_PARTS: dict[str, tuple[str, ...]] = {}


def _rx(*patterns: str) -> re.Pattern[str]:
    compiled = re.compile(r"\b(?:" + "|".join(patterns) + r")", re.IGNORECASE)
    _PARTS[compiled.pattern] = patterns
    return compiled


# Each pattern is anchored at a word start; inflections are spelled out so the lexicon reads as a list.

# "broke into spontaneous protests", "burst into tears": a state one falls into, not a building broken into
_NOT_INTO = r"(?! (?:\w+ )?(?:protests?|demonstrations?|rall(?:y|ies)|tears|song|songs|applause|laughter|chants?|"\
            r"cheers|a run|a smile|flames|fire))"

TRIGGERS: dict[str, re.Pattern[str]] = {
    "protest": _rx(
        r"(?<!formal )(?<!diplomatic )(?<!official )(?<!written )(?<!under )"
        r"protest(?:s|ed|ing)?\b(?!\s+(?:leaders?|movement'?s?\s+leaders?|notes?|letters?|votes?)\b)"
        # "the coach protested to the referee": a complaint to an official, not a protest
        r"(?!\s+(?:to|with)\s+(?:the\s+)?(?:referee|umpire|linesman|match officials?|fourth official|judges?|"
        r"stewards|league|federation|organi[sz]ers)\b)",
        r"(?<!live )(?<!product )(?<!practical )(?<!technical )"
        r"demonstrat(?:ion|ions|ed|ing)\b(?!\s+(?:booths?|models?|videos?|flights?|projects?|versions?|units?|of how)\b)", r"rall(?:y|ies|ied|ying)\b", r"(?-i:[Mm]arch(?:ed|es|ing|ers)\b)|(?-i:march\b)(?!\s+\d)|(?-i:March)(?=\s+(?:on|against|for|through)\b)",
        r"picket(?:s|ed|ing)?\b", r"sit-ins?\b", r"gathers?\b", r"return(?:s|ed)? to the (?:\w+ )?(?:streets?|squares?)", r"(?:took|taken|take|taking|takes) to the streets",
        r"(?:protesters|protestors|demonstrators|crowds?|thousands|hundreds|people|residents|workers|students)"
        r"(?: \w+){0,2} (?:had |have |has )?(?:massed|flooded|thronged|crowded|filled|packed|marched)\b",
        r"peaceful assembl(?:y|ies)", r"hunger strikes?\b", r"gather(?:ed|ing|ings)\b", r"(?<!naval )(?<!news )(?<!media )(?<!information )(?<!economic )blockades?\b", r"(?<!naval )blockad(?:ed|ing)\b", r"block(?:ed|ing) (?:the |major |main |key |several |dozens of |hundreds of |"
        r"(?:(?:more than|over|at least|some|about|nearly) )?\d+ )?(?-i:(?:[A-Z0-9][\w'’-]*|de|del|la|of) ){0,3}"
        r"(?:roads?|highways?|streets?|railways?|motorways?|avenues?|boulevards?|"
        r"expressways?|rail (?:lines?|tracks?)|bridges?|junctions?|intersections?|ring ?roads?|traffic|"
        r"faculties|universities)",
        r"human chains?\b", r"(?:candlelight|torchlight) (?:march|vigil|procession)s?\b",
        # Latin American names: the cacerolazo (pot-banging), the paro nacional (national strike, below)
        r"cacerolazos?\b", r"bang(?:ed|ing|s)? (?:on )?pots(?: and pans)?\b",
        r"chant(?:ed|ing|s)? (?:\w+ ){0,2}slogans", r"occup(?:ied|y|ies|ying) (?:the |their )?(?:\w+ )?(?:factory|plant|"
        r"mine|premises|campus|schools|universities|colleges|faculties)\b",
        r"parked (?:\w+ ){0,3}?(?:trucks|lorries|buses|tractors|vehicles|taxis|cars) (?:across|on|along)\b",
        # "protesters burnt electricity bills", "burned an effigy of the minister"
        r"(?:burn(?:ed|t|ing)|set fire to) (?:\w+ ){0,3}?(?:effig(?:y|ies)|bills|copies of)\b",
        # "truckers set up roadblocks", "students occupied the square" (not the police's roadblocks)
        r"(?:protesters|protestors|demonstrators|truckers|miners|farmers|workers|residents|drivers|students|villagers|"
        r"activists|teachers|indigenous \w+)(?: [\w-]+){0,3} (?:set up|sets up|erected|erect|mounted|put up|built|"
        r"manned) (?:\w+ )?(?:roadblocks|road blocks|blockades)",
        r"occup(?:ied|y|ies|ying) (?:the )?(?:\w+ )?(?:square|streets?|campus|roads?|highway|bridge|park|area around)\b",
        # South Asian names of a sit-in, an encirclement and a road blockade
        r"dharnas?\b", r"gherao(?:ed|ing|s)?\b", r"chakka jam\b", r"rasta roko\b", r"rail roko\b",
        # "protesters set up a camp outside the secretariat", "students pitched tents on the campus"
        r"(?:set(?:ting)? up|sets up|pitch(?:ed|es|ing)?|erect(?:ed|s|ing)?) (?:a |an |their )?(?:protest )?"
        r"(?:camp|tents?|encampments?|tent city)\b",
        r"(?:protesters|protestors|demonstrators|workers|teachers|nurses|doctors|farmers|students|residents|"
        r"miners|traders|pensioners|villagers|activists)(?: [\w,'’-]+){0,8}? camp(?:ed|ing) (?:out )?(?:outside|"
        r"in front of|at|on)\b",
        # farmers' ways of protesting: "dumped manure outside the prefecture", "sprayed slurry on buildings"
        r"(?:dump|tipp|spray|spill)(?:ed|ing) (?:\w+ ){0,2}(?:manure|dung|slurry|milk|produce|potatoes|hay|straw)",
        r"block(?:ed|ing)? (?:the |a |major )?(?:[A-Z][\w'’-]* ){1,3}(?:Road|Highway|Street|Avenue|Bridge|Motorway|Expressway)",
        r"mass (?:meeting|assembl(?:y|ies))", r"assembl(?:y|ies)\b(?= of (?:oil )?workers)",
        r"(?:oil )?workers'? assembl(?:y|ies)", r"vigils?\b", r"uprising\b", r"unrest\b",
        r"revolt\b", r"solidarity action", r"assembl(?:ed|ing)\b",
        r"crowds? (?:of [\w ,]{1,30} )?(?:stayed|remained|filled|gathered|assembled|massed|poured)",
        r"c(?:a|o)me out (?:onto|into|on|in) the (?:\w+ )?(?:streets?|squares?)", r"poured (?:into|onto) the streets",
        r"surrounded by (?:\w+ ){0,3}(?:people|protesters|protestors|demonstrators|crowds?|residents|workers)",
        r"(?:protests?|unrest|demonstrations?|rallies|movement|uprising|they|it)(?: \w+){0,2}? spread(?:ing)? (?:\w+ ){0,2}to",
        r"(?:people|workers|residents|population|region|country|masses|youth|we|they)(?: \w+){0,3}"
        r" (?:have|has|had) risen\b(?! (?:by|to|from|sharply|steeply))", 
        r"(?:workers|miners|employees|residents|people)(?: \w+){0,3} held (?:a |an )?(?:\w+ )?(?:meetings?|assembl(?:y|ies))",
    ),
    "strike": _rx(
        r"(?<!air)(?<!air-)(?<!hunger )(?<!pro-)(?<!anti-)strik(?:e|es|ing)\b(?!\s+(?:a deal|an? \w+ deal|a balance|a chord|a pose|back|down|out at|"
        r"committees?|funds?|forces?|teams?|prices?|zones?|rates?|it rich)\b)", r"strikers?\b",
        r"walk(?:ed)?[- ]?outs?\b(?!\s+(?:of|from)\s+(?:the\s+)?(?:[\w-]+\s+)?(?:chamber|parliament|session|sitting|"
        r"meeting|talks|negotiations|hearing|debate|assembly|conference|summit|studio|interview|room|hall|house|"
        r"senate|congress|council)\b)",
        r"walk(?:ed|s)? off(?!\s+(?:the\s+)?(?:pitch|field|stage|set|court|course))", r"sick-?outs?\b", r"called in sick", r"stopped work", r"stop(?:ped|ping)? working", r"work stoppages?",
        r"stoppages? of work", r"downed tools", r"laid down (?:their )?tools",
        # traders' strikes: "kept their shops closed", a "shutter-down" strike
        r"(?:kept|keep|keeping|keeps) (?:their )?(?:shops|businesses|markets|stores|stalls) (?:closed|shut)",
        r"shutter[- ]down\b", r"down(?:ed|ing|s)? (?:their )?shutters\b",
        r"(?:the|a|an|this) (?:(?:\d+|one|two|three|four|24|48|72)[- ](?:hour|day|week)[- ]?|token |general |partial |"
        r"total |national |nationwide |indefinite |full )?stoppages?\b",
        r"(?:stopped|halted|suspended) (?:production|operations|work)", r"(?:on|went on) strike",
        r"(?:workers|miners|employees|staff|drivers|teachers|doctors|nurses|crews|binmen|dockers|dockworkers|pilots|"
        r"controllers|cleaners|guards|conductors|lecturers|journalists|porters|refuse collectors)(?: \w+){0,2} struck\b",
        r"refus(?:ed|ing|e) to (?:work|begin (?:their |the )?(?:lessons|work|classes|shifts?)|"
        r"start (?:their |the )?(?:work|lessons|shifts?)|go out|"
        r"return to work|go down the mines?|leave the (?:plant|mine|site)|(?:come|return) to the surface|"
        r"come up from the (?:pit|mine|shaft)|"
        r"(?:un)?load (?:the )?(?:ships|vessels|cargo|containers)|handle (?:the )?(?:cargo|containers))",
        r"(?:declin|refus)(?:ed|ing|e) to (?:turn up|show up|report|go|come) (?:for|to) (?:work|their shifts?)",
        r"stay(?:ed|ing)? (?:away from|off) (?:work|the job)",
        # South Asian and African names of the general strike and the go-slow: a bandh, a hartal, a
        # shutter-down, a sit-at-home, working to rule
        r"(?:bandh|hartal)s?\b", r"paros? (?:nacional|c[ií]vico)\b", r"go-?slows?\b", r"work(?:ing|ed)? to rule\b", r"work-to-rule\b",
        r"(?:sit|stay)-at-home (?:order|strike|protest)s?\b",
        # "They were supported later in the day by oil workers of Aktobe": workers joining a strike told before
        r"(?:were|was) (?:\w+ )?(?:supported|joined) (?:\w+ ){0,4}?by (?:\w+ ){0,2}(?:workers|miners|employees|oilmen|"
        r"drivers|teachers|dockers|steelworkers)\b",
    ),
    "riot": _rx(
        r"(?<!charged with )(?<!accused of )(?<!convicted of )(?<!guilty of )(?<!charges of )"
        r"riot(?:s|ed|ing|ers)?\b(?!\s+(?:police|gear|squads?|control|shields?|troops|units?|officers?|act|of)\b)", r"clash(?:es|ed|ing)?\b", r"storm(?:ed|ing)?\b(?= (?:of )?(?:the |a |an |several )?(?:[\w'’-]+ ){0,3}(?:buildings?|akimats?|offices?|administration|city hall|airport|headquarters|residence|station|prison|barracks|television|tv))",
        r"storming\b", r"overr(?:an|un|unning|uns) (?:the |a )?(?:[\w'’-]+ ){0,3}(?:compound|buildings?|offices?|"
        r"headquarters|parliament|police lines|cordons?|barricades?|square|airport|station)\b",
        r"seiz(?:ed|ing|ure of)\b(?! (?:power|cattle|goods|cargo|shipments?|land|funds|accounts|control of the country|assets|weapons|drugs|property|documents|passports|phones))", r"set (?:on )?fire", r"set ablaze", r"set alight", r"(?:was|were) (?:also )?on fire", r"torch(?:ed|ing)", r"arson",
        r"burn(?:ed|t|ing) (?:down )?(?:the |several |dozens of |police |cars|vehicles|buildings?)",
        r"were burnt", r"was burnt", r"were burned", r"was burned", r"in (?:flames|flame)", r"loot(?:ed|ing)",
        r"barricades?\b", r"street (?:battles?|fighting)", r"running battles?\b",
        r"(?:broke|break|breaking|broken) through (?:the )?(?:police )?(?:cordons?|lines|barriers|barricades)", r"broke into" + _NOT_INTO, r"broken into" + _NOT_INTO, r"toppl(?:ed|ing)",
        r"tore down", r"pull(?:ed|ing) down", r"overturn(?:ed|ing) (?:\w+ ){0,2}(?:cars?|vehicles?|vans?|buses|trucks)",
        r"(?:cars?|vehicles?|vans?|buses|trucks) (?:was|were|had been) overturned", r"forc(?:ed|ing) (?:their|its) way into", r"ransack(?:ed|ing)",
        r"attack(?:ed|ing|s)? (?:the |(?:at least |more than |some |about |over )?\d+ )?(?:police|security|statues?|symbols|buildings?|akimat|government|headquarters|protest camp|"
        r"protesters'? camp)",
        r"overpower(?:ed|ing)", r"disarm(?:ed|ing)", r"took over (?:the )?(?:building|akimat|airport|city hall)",
        r"(?:take|took|taking|capture[ds]?|capturing) (?:over )?(?:the |several |local )?(?:\w+ ){0,2}(?:buildings?|akimats?|airport|city hall|administrations?)",
        r"occup(?:ied|y|ies) (?:the )?(?:[\w'’-]+ ){0,2}?(?:government |administrative |local |city )?(?:buildings?|akimat|"
        r"airport|city hall|offices?|residence|parliament|palace)",
        r"violent (?:protests?|demonstrations?)", r"insurrection\w*",
        r"scuffl(?:e|es|ed|ing)\b", r"burst into" + _NOT_INTO, r"(?:tried|attempted|trying|attempting|try|tries|attempts?) to storm",
        r"storm(?:ed|ing)? (?:the |a )?(?:[A-Z][\w'’-]* ){0,3}(?:[Hh]ome|[Hh]ouse|[Pp]arliament|[Pp]alace|compound|gates?|"
        r"campus|[Cc]ourt|[Mm]inistry|[Ee]mbassy|[Bb]uilding|[Hh]all)",
        # "stormed Baghdad's heavily fortified Green Zone", "stormed the Capitol"
        r"storm(?:ed|ing|s)? (?:the |a )?(?:[A-Z][\w'’-]*\s+){0,2}(?:[a-z][\w-]*\s+){0,2}(?:[A-Z][\w-]*\s+)?"
        r"(?:Zone|Capitol|Congress|Senate|Kremlin|compound|premises|offices?|headquarters|Secretariat)\b",
        r"pelt(?:ed|ing)\b",
        r"(?:hurl|throw|threw|thrown|pelt)(?:ed|ing|s)? (?:\w+ ){0,2}(?:stones|rocks|bricks|objects|bottles|"
        r"molotov|petrol bombs|firebombs|fireworks)",
        # tear gas thrown by protesters is thrown at the police; the police throw it at protesters
        r"(?:hurl|throw|threw|thrown|lob)(?:ed|ing|s)? (?:\w+ ){0,2}tear gas (?:\w+ )?(?:back )?at (?:the )?(?:riot )?"
        r"(?:police|officers|security forces|troops|soldiers)",
        r"burn(?:ed|t|ing) (?:down )?(?:\w+ ){0,2}(?:buses|cars|vehicles|tyres|tires|police stations?|offices?|homes?|"
        r"shops?|banks?)", r"lit fires", r"(?:stone|rock|brick)-(?:throwing|hurling|pelting)", r"gun ?battles?", r"exchange of fire", r"vandali[sz]\w+",
        r"turned violent", r"smash(?:ed|ing) (?:\w+ ){0,2}windows", r"skirmish(?:es|ed)?\b", r"invaded\b",
        r"(?:entered|broke into|burst into|forced their way into) (?:the )?(?:\w+ ){0,3}(?:buildings?|airport|parliament|"
        r"offices?|compound|premises|headquarters|palace|residence|station)",
        r"set(?:ting)? (?:\w+ )?(?:on )?fire\b", r"overturn(?:ed|ing) (?:\w+ ){0,2}(?:cars?|vehicles?|trailers?|buses|vans?)",
        r"violent (?:reactions?|clashes|confrontations?)", r"broke (?:through|down) (?:\w+ ){0,2}barricades?",
        r"break(?:ing)? (?:through )?(?:\w+ ){0,2}barricades?",
    ),
    "repression": _rx(
        r"open(?:ed|s)? fire", r"fired (?:live (?:ammunition|rounds) )?(?:on|at|into)",
        r"fire (?:on|at|into) (?:the )?(?:crowds?|protesters|protestors|demonstrators|them|it|people|workers|strikers|civilians)", r"shot (?:dead|at|down)?",
        r"shooting (?:of|at)", r"shootings?\b", r"kill(?:ed|ing|ings)\b", r"massacre[ds]?\b",
        r"arrest(?:s|ed|ing)?\b", r"detain(?:ed|ing)\b", r"(?<!pre-trial )detentions?\b(?! (?:centres?|centers?|facilit\w+|cells?|conditions))", r"round(?:ed)?[- ]up",
        r"dispers(?:e|ed|ing|al)\b", r"mov(?:ed|ing) (?:them|the (?:crowds?|protesters|demonstrators|people)) on\b",
        # "riot police kettled hundreds", "protesters were injured when police charged" (not "charged them with")
        r"kettl(?:ed|ing)\b", r"(?:police|officers|troops|soldiers|riot police|security forces) "
        r"(?:\w+ )?charged\b(?! (?:\w+ ){0,5}?with\b)(?! that\b)", r"beat(?:en|ing|ings)?\b(?! (?:the|a|their|its|his|her) (?:record|deadline|odds|rivals?|"
        r"expectations|champions|drum|heat|traffic|clock))(?! \w+ to the punch)", r"tortur(?:e|ed|ing)\b",
        r"tear ?gas", r"rubber bullets", r"stun grenades", r"flash grenades", r"water cannons?",
        r"(?:clamp(?:ed|ing|s)? |crack(?:ed)? ?)down(?:s)?\b(?! on (?:corruption|tax|illegal|crime|drugs?|smuggl\w+|fraud|logging|poach\w+|"
        r"gangs?|piracy|counterfeit\w*|speeding|evasion))", r"repress(?:ed|ing|ion|ions)?\b",
        r"bloodily", r"suppress(?:ed|ing|ion)?\b", r"abduct(?:ed|ions?)", r"imprison(?:ed|ment)",
        # "the demonstration was broken up by police", "protesters were forcibly removed from the square"
        r"(?:was|were|been|being) (?:forcibly |violently |quickly |later )?(?:broken up|evicted)",
        r"(?:forcibly|violently) (?:removed|evicted|cleared)",
        # "police charged the crowd", "used live ammunition against protesters", "pepper spray"
        r"charg(?:ed|ing) (?:at |into )?(?:the )?(?:crowds?|protesters|protestors|demonstrators|marchers|strikers)\b",
        r"live (?:ammunition|rounds)", r"pepper spray", r"plastic bullets", r"warning shots",
        # "security forces stormed the protest camp", "police razed the tents"
        r"(?:stormed|raided|razed|dismantled|bulldozed) (?:the )?(?:\w+ )?(?:protest camp|protesters'? camp|sit-in|"
        r"encampment|tent city|tents)\b",
        # "police encircled about 50 protesters", "kettled the marchers" (not "surrounded by protesters")
        r"(?:encircl|kettl|surround)(?:ed|ing) (?!by\b)(?:[\w-]+ ){0,3}?(?:protesters|protestors|demonstrators|"
        r"marchers|strikers|crowds?)\b",
        r"taken (?:away )?from (?:their|his|her) homes?", r"(?:were|was) taken away", r"detains?\b",
        # "officers hauled away a score of marchers", "dragged protesters off", "bundled them into police vans"
        r"(?:haul|dragg?)(?:ed|ing|s)? (?:\w+ ){0,4}?(?:away|off)\b(?! (?:the |a )?(?:stage|pitch|field|court))",
        r"bundl(?:ed|ing|es) (?:\w+ ){0,4}?into (?:police |waiting )?(?:vans|buses|cars|trucks|vehicles)",
        r"(?:br(?:o|ea)k(?:e|ing|s)?|broken) up (?:the |a |an )?(?:\w+ ){0,2}(?:protests?|rall(?:y|ies)|demonstrations?|"
        r"gatherings?|crowds?|sit-ins?|marches|pickets?)", r"us(?:ed|es|ing) (?:(?:excessive|lethal|deadly|brutal|disproportionate|unnecessary|unlawful|live|physical|"
        r"violent|heavy-handed|indiscriminate|and),? ){0,3}force (?:against|on|to disperse)", r"cleared (?:the )?(?:\w+ ){0,2}"
        r"(?:square|streets?|territory|camp|area|protesters|demonstrators|encampment)",
        r"attack(?:ed|ing|s)? (?:the )?(?:\w+ )?(?:protesters|protestors|demonstrators|students|strikers|marchers|crowds?)",
        r"counter-?terror(?:ist|ism)? (?:operation|mission)", r"anti-terror(?:ist|ism)? (?:operation|mission)",
        r"baton[- ]charg\w*", r"lathi[- ]?charg\w*", r"(?:took|taken|taking) (?:\w+ ){0,3}into custody", r"evict(?:s|ed|ing)? (?:the )?(?:\w+ )?(?:protesters|protestors|demonstrators|"
        r"strikers|students|activists|crowds?)", r"barged into",
    ),
    "state_response": _rx(
        r"state of emergency", r"emergency rule", r"martial law", r"curfews?\b", r"state of siege",
        r"emergency powers",
        # "ordered troops onto the streets" (not "ordered troops to shoot": an order to fire is the force)
        r"order(?:ed|s) (?:\w+ ){0,2}?(?:troops|the army|soldiers|the military) (?:onto|into|to the (?:streets|city|"
        r"capital|region))\b",
        r"internet (?:shutdown|blackout|outage)",
        r"(?:internet|mobile|phone|telephone|cellular)(?: (?:and|or) (?:internet|mobile|phone|telephone))?"
        r"(?: data)?(?: access| connections?| services?| networks?| communications?)?(?: in [\w ]{1,30}?)?"
        r"(?:,? which)? (?:was|were|has been|have been|had been|is|are|remains?|remained)(?: \w+ly)?"
        r" (?:cut|blocked|shut|down|off|disrupted|restricted|switched off|unavailable|suspended)",
        r"(?:cut|cutting|shut|shutting|blocked|blocking|restricted|disrupted|switched off) (?:off )?(?:the )?"
        r"(?:mobile )?(?:phone )?(?:internet|phone lines|communications|mobile networks?|networks)", r"internet does not work",
        r"blackout", r"(?:messaging services|social media|messengers?) (?:remain |were |are |was )?blocked",
        r"troops (?:from (?:\w+ ){1,3})?(?:were |have been |had been )?(?:sent|deployed|brought|arrived|entered|landed)",
        r"(?:sent|deployed|brought|dispatched) (?:\S+ ){0,3}troops",
        r"(?:soldiers|servicemen|military units|forces|units|contingents?|troops|planes|aircraft)(?: [\w,'’-]+){0,12}?"
        r" (?:arrived|(?:began|started) (?:arriving|landing)|were deployed|were sent|landed|were flown)",
        r"(?:soldiers|troops|military|armoured vehicles|army) (?:\w+ ){0,2}(?:patrol\w*|guard(?:ed|ing))", r"deployment of (?:the )?(?:troops|army|military|police|CSTO)",
        r"paratroopers", r"peacekeep(?:ers|ing)", r"counter-terror(?:ist|ism) operation",
        r"(?:dismiss(?:ed|ing|al of)|sack(?:ed|ing)|resignation of|accepted the resignation|ousted|fired) (?:\S+ ){0,4}(?:government|cabinet|prime minister)",
        r"(?:head|chief|minister|governor|mayor|commissioner|commander)(?: of [\w ]{1,30}?)?(?:, [^,]{1,80},)? "
        r"(?:resign(?:ed|s)|quits?|stepped down|steps down)",
        r"called in (?:the )?(?:army|military|troops)", r"(?:were|was|also|been) deployed\b",
        r"(?:granted|signed|approved|announced|agreed|awarded|won)(?: \S+){0,6}? (?:pay|wage|salary) (?:hikes?|rises?|raises?|increases?)",
        r"(?:increase|rise|raise|hike) in (?:pay|wages|salaries)",
        r"(?:limited|no|restricted) access to the internet", r"back-to-work orders?",
        r"restrictions? (?:on|of) (?:\w+ ){0,2}(?:internet|social media|mobile (?:internet|data|networks?)|messaging)",
        r"(?:internet|television|tv|phone|mobile)(?: and (?:internet|television|tv|phone|mobile))? (?:outages?|shutdowns?|"
        r"disruptions?)", r"(?:dissolved|disbanded|abolished) (?:the )?(?:\w+ ){0,3}(?:unit|squad|police|force|agency)",
        r"(?:unit|squad|police|force|agency) (?:\w+ ){0,3}(?:was|were|has been|had been) (?:dissolved|disbanded|abolished)",
        r"(?:was|were|has been|had been) (?:dissolved|disbanded)", r"(?:decided|agreed|voted) to (?:withdraw|scrap|revoke|repeal|shelve)",
        r"government (?:(?:of|in) [\w-]+ )?(?:has |had |have )?(?:resign(?:ed|s)|was dismissed|been dismissed|"
        r"stepped down|steps down|fell|falls)", r"(?:was|were) sacked",
        r"price (?:cap|caps|freeze|regulation|ceiling)", r"(?:reduction|cut) in the price", r"reduc(?:ed|ing) the price",
        r"lowered the price",
        r"(?:cut|cuts|cutting|lowered|lowers|lowering|reduced|reduces|reducing|brought (?:back|down)|brings (?:back|down)|"
        r"capped|caps|rolled back|rolls back)(?: [\w-]+){0,6}? "
        r"(?:prices?|tariffs?|fares?|taxes|fees|bills)\b(?! (?:rise|hike|increase))",
        r"prices? (?:of [\w-]+ (?:[\w-]+ )?)?(?:in [\w-]+ )?(?:was|were) (?:brought back|cut|lowered|reduced|capped|rolled back)",
        r"(?:prime minister|premier|president|government|cabinet)(?:[ ,]+[\w'’-]+){0,6}?,? (?:resign(?:ed|s)|quits?|"
        r"stepped down|steps down|"
        r"announced (?:his|her|its|the government's) resignation)", r"military rule",
        r"(?:resign(?:ed|s)|quits?|stepped down|steps down) as (?:prime minister|premier|president|"
        r"(?:interior|internal affairs) minister|head of (?:the )?(?:government|police))",
        r"(?:deploy(?:ed|s)|sent|sends|dispatch(?:ed|es)|brought in|called in|bussed in) (?:\S+ ){0,3}(?:forces|troops|"
        r"soldiers|army|military|"
        r"police|national guard\w*|riot police|paramilitar\w+|servicemen|reinforcements)",
        r"(?:units?|divisions?|battalions?|brigades?|troops|forces|soldiers)(?: [\w,'’-]+){0,4}? to be (?:sent|deployed|dispatched)",
        r"(?:forces|troops|soldiers|police|national guard\w*|army|paramilitar\w+)(?: [\w,'’-]+){0,4}? (?:were|was|have been|had been) "
        r"(?:deployed|sent in|dispatched|brought in|called in|bussed in)", r"deployments? of\b", r"clampdown",
        # "police mobilised 12,000 officers", "the army mobilized troops"
        r"mobili[sz](?:ed|es|ing) (?:[\w,]+ ){0,4}?(?:police(?:men)?|officers|personnel|troops|soldiers|forces|riot police|"
        r"national guard\w*|reservists)\b",
        # "witnesses saw troops deploying in the capital"
        r"(?:forces|troops|soldiers|police|national guard\w*|army|paramilitar\w+) (?:were |was )?deploying\b",
        r"(?:withdrew|withdrawn|scrapped|shelved|revoked|reversed|repealed|suspended) (?:\w+ ){0,3}(?:bill|law|reform|decree|"
        r"rules?|regulations?|measures?|tax(?:es)?|tariffs?|levy|fees?|rises?|"
        r"fare (?:increases?|hikes?)|price (?:increases?|hikes?)|increases?|hikes?)",
        # the internet and social media cut off: "shut down the internet", "blocked Telegram and WhatsApp"
        r"(?:shut|shutting|switched|switching|turned|turning) (?:down|off) (?:the )?(?:mobile )?(?:internet|networks?|"
        r"social media|messaging (?:apps|services))",
        r"(?:blocked|blocking|restricted|restricting|throttled|throttling) (?:access to )?(?:social media|messaging "
        r"(?:apps|services)|messengers|(?:facebook|whatsapp|telegram|instagram|twitter|youtube|tiktok|signal)\b)",
        # "the cabinet was dismissed", "the national guard was mobilised"
        r"(?:government|cabinet|prime minister|premier)\s+(?:was|were|has been|had been)\s+(?:dismissed|sacked|"
        r"removed|dissolved)",
        r"(?:troops|army|military|national guard|reservists|soldiers)\s+(?:was|were|has been|have been|had been)\s+"
        r"mobili[sz]ed|mobili[sz](?:ed|es|ing) (?:the )?(?:army|troops|military|national guard|reservists)",
        r"(?:suspend|suspended|suspending|suspends) (?:the )?(?:mobile )?(?:internet|data|phone)(?: and [\w ]{1,20}?)?"
        r"(?: services?| connections?| access)?\b",
        r"(?:access to )?(?:social media|messaging) (?:platforms?|apps?|services?|sites?)? ?(?:was|were|has been|have been) "
        r"(?:restricted|blocked|cut|throttled|suspended)",
        r"dissolved (?:his|her|the|its) (?:cabinet|government)",
        # concessions carried out: "agreed to raise teachers' salaries", "voted to drop the tax increase"
        r"(?:agreed|decided|voted) (?:\w+ ){0,3}to (?:raise|increase|drop|scrap|abandon|cancel|reverse|freeze|lower|cut) "
        r"(?:\S+ ){0,3}(?:salar(?:y|ies)|wages?|pay|pensions?|tax(?:es)?|prices?|fares?|tariffs?|levy|increase|hike|rise)",
    ),
}

# Words that make a following trigger not asserted: negation, modality, demands, plans.
IRREALIS_BEFORE = re.compile(
    r"\b(?:not|no|never|nor|neither|nobody|no one|none|without|refus(?:ed|es|e|ing) to|fail(?:ed|s)? to|did ?n[o']t|didn't|won't|"
    r"threat(?:en|ened|ens|ening)?(?: to| with)?|plan(?:s|ned|ning)? (?:to|for|a)|will|would|could|might|(?-i:may)|"
    r"(?:set|due|scheduled|expected|poised|likely|about|slated) to|vot(?:ed|es|e|ing) (?:\w+ )?(?:to|for|in favou?r of)|"
    r"should|must|shall|if|unless|whether|call(?:s|ed|ing)? (?:for|on)|demand(?:s|ed|ing)?|urg(?:e|es|ed|ing)|"
    r"promis(?:e|es|ed|ing) (?:to|a)|ready to|prepar(?:e|ed|ing) (?:to|for)|intend(?:s|ed)? to|want(?:s|ed)? to|"
    r"consider(?:ing|s|ed)?|aim(?:s|ed)? to|going to|possibility of|risk of|fear(?:s|ed)? of|avoid|prevent(?:ed)?|"
    r"ban(?:ned|s)? on|ban(?:ned|ning)?|restrictions? on|restricting|prohibit(?:ed|ing|s)?|order(?:ed|s)? to|orders? to|gave the order to|give the order to|dare to|"
    r"calls? (?:\w+ ){0,4}for|appeal(?:s|ed)? for|warn(?:ed|s|ing)?(?: of| that)?|sought to|"
    r"lists? of demands|slogans?|prospect of|embark(?:s|ed|ing)? to|set out to|right to|rights? to|freedom to|in order to|allowed to|permission to|"
    # a purpose: "toured the towns as a way of reviving the marches", "in a bid to avert a strike"
    r"a way (?:of|to)|in a bid to|in an attempt to|an effort to|"
    # hopes, vows, rumours and denials: "had hoped to hold a rally", "vowed to continue their protests",
    # "rumours of a strike", "police denied using tear gas"
    r"hop(?:e|ed|es|ing) to|vow(?:ed|s|ing)? to|rumou?rs? of|den(?:y|ies|ied|ying)|"
    # "urged the ministry to release the jailed unionists": a demand about people held before
    r"to (?:release|free))\b[^.;:!?]*$",
    re.IGNORECASE,
)
IRREALIS_AFTER = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:(?:is|are|was|were) (?:planned|scheduled|expected|announced for|called for)|"
    r"planned for|scheduled for|tomorrow|next week|(?<!that )(?<!which )(?:would|could|will))\b"
    # "a general strike for Wednesday": a day it is called for, not a day it happened
    r"|^\W*(?:[\w-]+\W+){0,2}?for\s+(?:next\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    # "a strike announced for 10 February did not take place"
    r"|^[^.;:!?]{0,90}?\b(?:did not|didn't|never|failed to) (?:take place|happen|go ahead|materiali[sz]e)\b"
    r"|^[^.;:!?]{0,60}?\b(?:was|were|has been|have been|had been) (?:cancelled|canceled|called off|postponed)\b"
    # "all gatherings are banned": a prohibition, not a gathering
    r"|^\W*(?:\w+\W+){0,3}?(?:is|are|was|were|have been|has been|had been|remain|remains) (?:now )?"
    r"(?:banned|prohibited|forbidden|outlawed|not allowed)\b",
    re.IGNORECASE,
)
# Negative-looking phrases that assert: "did not hesitate to repress", "not only ... but".
POSITIVE_IDIOMS = re.compile(r"\b(?:did not|didn't|do not|does not|not) hesitate to|\bnot only\b|\bno doubt\b|"
                             r"\bno sign of (?:abating|stopping)|\bno longer\b|"
                             r"\b(?:did not|didn't|failed to|could not|couldn't|cannot|can't|unable to|not) "
                             r"(?:stop|prevent|halt|end|calm|quell|suppress|contain|deter)\b"
                             # "staged a warning strike": a short strike held as a warning, held all the same
                             r"|\b(?:one-day |two-hour |\d+-hour )?warning\s+$", re.IGNORECASE)
# A window this many characters before the trigger is searched for irrealis words.
WINDOW = 60

# A new conjunct inside a clause: ", and ...", ", but ...", "; ...".
CONJUNCT = re.compile(r",\s*(?:and|but|while)\b|;")
# A new main clause: ", and ...", ", but ...", "; ..." (not ", while ...", which tells the same moment)
NEW_CLAUSE = re.compile(r",\s*(?:and|but)\b|;")
CLAUSE_BREAK = re.compile(r";|:\s|\s[–—-]\s|,\s*(?:while|whereas|but|although|though|where|"
                          r"as(?!\s+(?:in|well|of|for|with|at|on|a|an|the|part|such)\b))\s|"
                          r"\s(?:while|whereas|but|where|when)\s|"
                          # "police used tear gas in Almaty as protests spread to Aktau": another event's clause
                          r"\sas(?<!such\sas)(?<!just\sas)(?<!same\sas)\s(?=(?:the\s+|new\s+|similar\s+)?(?:protests|demonstrations|"
                          r"rallies|clashes|strikes|riots|unrest|violence|marches)\b)")


@dataclass(frozen=True)
class Trigger:
    event_type: str
    start: int  # offsets in the sentence
    end: int
    text: str


@lru_cache(maxsize=256)
def clause_breaks(sentence: str) -> tuple[tuple[int, int], ...]:
    """Where a sentence's clauses break (; : dashes, 'while', 'but'), found once per sentence: dating,
    linking and the trigger checks all ask for the clause of some position in the same sentence."""
    return tuple((m.start(), m.end()) for m in CLAUSE_BREAK.finditer(sentence)
                 if not (m.group(0)[0] == ":" and ENUMERATED_SITES.search(sentence, 0, m.start())))


# "went on strike at three plants: Ford's plant in Wayne, GM's near St. Louis and ...": a colon after a
# plural of places opens the list of them, which belongs to the clause before it
ENUMERATED_SITES = re.compile(r"\b(?:plants|factories|mines|hospitals|sites|locations|cities|towns|villages|"
                              r"regions|provinces|campuses|universities|depots|ports|terminals|airports|"
                              r"refineries|fields|warehouses|schools|stations)$", re.IGNORECASE)


def clause_bounds(sentence: str, pos: int) -> tuple[int, int]:
    """The clause of the sentence that contains ``pos``."""
    start, end = 0, len(sentence)
    for b_start, b_end in clause_breaks(sentence):
        if b_end <= pos:
            start = b_end
        elif b_start >= pos:
            end = b_start
            break
    return start, end


# "who are due to strike on Wednesday", "plan to walk out in May": a trigger of the future, whose date and
# place are its own
_FUTURE_BEFORE = re.compile(r"\b(?:(?:due|set|scheduled|expected|poised|slated|plan(?:s|ning)?|threaten(?:s|ed|ing)?|"
                            r"vow(?:s|ed)?|going) to|will|would)\s+(?:\w+\s+)?$", re.IGNORECASE)
# "a planned walkout", "the threatened strike", "a possible general strike": named, not reported.
PLANNED_BEFORE = re.compile(r"\b(?:planned|proposed|possible|potential|upcoming|looming|impending|threatened|mooted|"
                            r"forthcoming|next)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)


# "When the talks broke down,", "After the vote failed,": a subordinate clause opening the
# sentence, up to its comma
_OPENING_CLAUSE = re.compile(r"\s*(?:When|After|Once|As|Because|Since|Although|Though|While)\b[^,;:]{3,120},")


def asserted(sentence: str, start: int, end: int, kind: str = "") -> bool:
    """Whether the trigger at ``start:end`` is asserted (not negated, hypothetical, demanded or future).
    A state's order is its response ("ordered troops to be sent"): not irrealis for a state response."""
    cs, ce = clause_bounds(sentence, start)
    before = sentence[max(cs, start - WINDOW):start]
    # a new conjunct ends the scope of what came before it: "he said he would quit politics, and at least
    # 15 people were killed in clashes" asserts the clashes
    conjuncts = list(CONJUNCT.finditer(before))
    if conjuncts:
        before = before[conjuncts[-1].end():]
    # ... and so does the comma closing an opening subordinate clause: "When the union refused to call off
    # the walkout, the president sent in troops" asserts the troops sent in
    opening = _OPENING_CLAUSE.match(sentence)
    if opening and start > opening.end():
        before = before[max(0, opening.end() - max(cs, start - WINDOW)):]
    if PLANNED_BEFORE.search(before):
        return False
    before = POSITIVE_IDIOMS.sub(" ", before)
    if kind == "state_response":
        before = re.sub(r"(?i)\b(?:order(?:ed|s)?|gave the order|vot(?:ed|es|e|ing))\b", " ", before)
    if IRREALIS_BEFORE.search(before):
        # "protests which began against..." is fine; "called for a strike" is not. The irrealis word
        # must be in the same clause and within the window, which the regex's [^.;:!?]* and cs ensure.
        return False
    after = sentence[end:min(ce, end + 100)]
    return not IRREALIS_AFTER.search(after)


REFERENCE_NOUN = re.compile(r"(?:protests?|strikes?|demonstrations?|rall(?:y|ies)|uprising|unrest|revolt|riots?|"
                            r"crackdown|repression|gatherings?)$", re.IGNORECASE)
REFERENCE_DETERMINER = re.compile(r"\b(?:the|these|those|this|that|such|its|their|of|about|for)\s+"
                                  r"(?:\w+\s+){0,2}$", re.IGNORECASE)
# (a verb inside a compound says nothing of the clause: "youth-led", "state-run")
EVENTIVE = re.compile(r"(?<![-‐])\b(?:shut|enter(?:ed|s|ing)|halted|grounded|broke out|break out|erupt\w*|beg[au]n|start\w*|continu(?:e|es|ed|ing)\b|spread\w*|took place|follow\w*|"
                      r"taking place|(?:was|were|been) held|gone on|gather\w*|swept|sweep\w*|going on|went on|extend\w*|"
                      r"resum\w*|grew|grow\w*|escalat\w*|turned|rag\w+|saw|see[ns]?|led|leading|involv\w*|"
                      r"surg\w*|peak\w*|intensif\w*|flared|flaring|reignit\w*|"
                      r"join\w*|took to|occurr\w*|happen\w*|unfold\w*|develop\w*|paralys\w*|gripp\w*|hit|"
                      r"(?:did not|didn't|failed to|could not|couldn't) (?:stop|halt|end|prevent|quell|calm)|"
                      r"(?:was|were|became|is|are) (?:almost |nearly |virtually )?(?:general|total|widespread|complete))\b",
                      re.IGNORECASE)


_GENERIC = re.compile(r"(?i)(?:protest|dissent|unrest)\s+(?:also\s+|itself\s+)?(?:has|is|remains|tends|was|had)\b"
                      # "Strikes are not new to France", "Protests are common in the region": a habit judged
                      r"|(?:protests|strikes|demonstrations|riots|rallies)\s+(?:are|were)\s+(?:not\s+|no\s+longer\s+)?"
                      r"(?:new|rare|common|frequent|unusual|uncommon|nothing new|part of|a (?:feature|fixture|tradition))\b")
_JUDGED = re.compile(r"\b(?:condemn(?:s|ed|ing)?|denounc(?:e|es|ed|ing)|deplor(?:e|es|ed|ing)|mourn(?:s|ed|ing)?|"
                     r"(?:investigation|inquiry|probe) into|investigat(?:e|es|ed|ing)|justif(?:y|ies|ied)|"
                     r"apologi[sz](?:e|es|ed|ing) for|blam(?:e|es|ed|ing)|defend(?:s|ed|ing)?)\s+"
                     r"(?:the\s+|this\s+|these\s+|their\s+|its\s+)?(?:\w+\s+){0,2}$",
                     re.IGNORECASE)
_ADVERBIAL = re.compile(r"\b(?:despite|amid|in spite of|following|after|since|during)\s+(?:the|this|these|such)\s+(?:\w+\s+)?$"
                        r"|\b(?:due to|because of|owing to)\s+(?:the\s+)?(?:\w+\s+)?$", re.IGNORECASE)


_PEOPLE_BEFORE = re.compile(r"\b(?:people|workers|farmers|students|protesters|demonstrators|residents|teachers|miners|"
                            r"nurses|doctors|supporters|activists|thousands|hundreds|dozens)\s+$", re.IGNORECASE)
_OTHER_RELATIVE = re.compile(r"\b\w+\s+(?:that|which|who)\b", re.IGNORECASE)


def is_reference(sentence: str, trig_start: int, trig_end: int) -> bool:
    """ "The protests in Kazakhstan have not reached a revolution", "the starting point of the protests",
    "Despite the crackdown, ...": a noun that refers to the movement already known, in a clause
    that asserts nothing new about it. "Rights groups condemned the killing of protesters": an event
    told elsewhere with its own day, here only judged."""
    if _JUDGED.search(sentence, max(0, trig_start - 45), trig_start):
        return True
    if _GENERIC.match(sentence, trig_start) and re.fullmatch(r"\W*(?:[A-Z][\w-]+\s+)?", sentence[:trig_start]):
        return True  # "Kyrgyz protest also has a rural lineage": protest in general, no event
    cs, ce = clause_bounds(sentence, trig_start)
    if any(not (h.start() > trig_end and _RELATIVE_AFTER.search(sentence, trig_end, h.start()))
           for h in HABITUAL.finditer(sentence, cs, ce)):
        # (not a habit told of someone else in a relative clause: "a statue of the president, who ruled
        # for decades")
        return True  # "workers have held several strikes in recent years": a habit, no event with a date
    if not REFERENCE_NOUN.search(sentence[trig_start:trig_end]):
        return False
    if _OWN_YEAR.match(sentence, trig_end) or _OWN_DAY.match(sentence, trig_end):
        # "the protests of 1995", "the first strike, on 15 December, was the largest": an event of its own,
        # told with its own date
        return False
    before = sentence[max(0, trig_start - 30):trig_start]
    if _ADVERBIAL.search(before):
        return True
    if _PEOPLE_BEFORE.search(before):
        return False  # "thousands of farmers rally at the border": the word is their verb, not a noun

    if not REFERENCE_DETERMINER.search(before) or AMOUNT_OF.search(before):
        return False  # ("ten days of nationwide strikes", "a new wave of protests": events, not a reference)
    # (a trigger that is only the noun is no verb of the clause: "addressed the gathering" is not "gathered";
    # "went on strike" is)
    # (nor a verb of a relative clause about another noun after it: "the general strike is the heir of the
    # marches that began in 2019" says nothing new of the strike)
    rel = _OTHER_RELATIVE.search(sentence, trig_end, ce)
    end = rel.start() if rel else ce
    clause = sentence[cs:end]
    if REFERENCE_NOUN.fullmatch(sentence[trig_start:trig_end]):
        clause = sentence[cs:trig_start] + " " * (trig_end - trig_start) + sentence[trig_end:end]
    return not EVENTIVE.search(clause.replace("starting point", ""))


_RELATIVE_AFTER = re.compile(r",\s*(?:who|which|whose|whom)\b", re.IGNORECASE)
HABITUAL = re.compile(r"\b(?:in recent (?:years|months|decades)|over (?:the )?(?:past |last )?(?:few |several |many )?"
                      r"(?:years|decades?)|for (?:many )?(?:years|decades))\b",
                      re.IGNORECASE)
AMOUNT_OF = re.compile(r"\b(?:days?|nights?|weeks?|months|hours|waves?|series|rounds?|spate|string)\s+of\s+"
                       r"(?:\w+\s+){0,2}$", re.IGNORECASE)
_OWN_YEAR = re.compile(r"\s+(?:of|in)\s+(?:(?:early|late|mid-?)\s*)?(?:[A-Z][a-z]+\s+)?(?:1[89]\d\d|20\d\d)\b")

_MONTH_NAMES = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_OWN_DAY = re.compile(rf",?\s+(?:on|of)\s+(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_NAMES}|{_MONTH_NAMES}\s+\d{{1,2}})\b")
_OBJECT_OF = re.compile(r"\b(?:on|at|of|against|between|with|to|from|among|for)\s+(?:the\s+|their\s+|hundreds of\s+|"
                        r"dozens of\s+|thousands of\s+)?$", re.IGNORECASE)

_CAUSE_BEFORE = re.compile(r"\b(?:triggered|sparked|prompted|provoked|caused|fuell?ed|ignited)\s+by\s+(?:the\s+)?"
                           r"(?:\w+\s+){0,2}$", re.IGNORECASE)
BY_THE_CROWD = re.compile(r"\s+by\s+(?:the\s+|angry\s+|armed\s+)*(?:protesters|protestors|rioters|demonstrators|crowds?|"
                          r"mobs?|looters|strikers|youths)\b", re.IGNORECASE)
_GRIEVANCE_GAP = re.compile(r"\s*(?:(?:against|over|at|about|of|the|a|an|recent|alleged|police|brutal|in|on|last|this|his|"
                            r"her|their|its|\d{1,4}|january|february|march|april|may|june|july|august|september|"
                            r"october|november|december)\s+)*", re.IGNORECASE)
_PERSONS_BEFORE = re.compile(r"\b[A-Z][\w-]+['’]s\s+(?:recent\s+|sudden\s+|surprise\s+)?$")
_STANDS_UP_FOR = re.compile(r"\b(?:to support|in support of|in solidarity with|to defend|(?:for|demand(?:ed|ing)?|to "
                            r"demand) the release of|to free)\b[^.;:]{0,80}$", re.IGNORECASE)
_IN_PROTEST_AT = re.compile(r"protest\s+(?:at|against|over|of)\b", re.IGNORECASE)
_PURPOSE = re.compile(r"\b(?:to|in)\s+$", re.IGNORECASE)

# All types in one pattern, one named group each: one scan of the sentence instead of five.
_ALL_TRIGGERS = re.compile("|".join(f"(?P<{t}>{TRIGGERS[t].pattern})" for t in TYPE_NAMES), re.IGNORECASE)


def _openings(pattern: str, width: int = 3) -> set[str] | None:
    """Every lower-case string of ``width`` characters (or fewer, for a short match) that a match of the
    pattern can begin with, read from its parsed form; None when some match can begin anywhere."""
    from re import _parser  # the standard library's own regex parser

    def walk(items: list, prefix: str) -> set[str] | None:
        if len(prefix) >= width:
            return {prefix[:width]}
        if not items:
            return {prefix}
        (op, arg), rest = items[0], items[1:]
        name = str(op)
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            return walk(rest, prefix)  # zero width: \b, look-behind, look-ahead
        if name == "LITERAL":
            return walk(rest, prefix + chr(arg).lower())
        if name == "IN" and all(str(o) == "LITERAL" for o, _ in arg):
            return _union(walk(rest, prefix + chr(a).lower()) for _, a in arg)
        if name == "BRANCH":
            return _union(walk(list(branch) + rest, prefix) for branch in arg[1])
        if name == "SUBPATTERN":
            return walk(list(arg[-1]) + rest, prefix)
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            once = walk(list(arg[2]) + rest, prefix)  # its start is the start
            return once if arg[0] >= 1 else _union([once, walk(rest, prefix)])  # or it is skipped
        return {prefix} if prefix else None

    return walk(list(_parser.parse(pattern, re.IGNORECASE)), "")


def _union(sets) -> set[str] | None:
    out: set[str] = set()
    for found in sets:
        if found is None:
            return None
        out |= found
    return out


# Where a trigger can start: the first letters of every alternative. A sentence is matched only at the
# word starts that open with one of them (the same matches as scanning every position, several times
# faster: most words of a sentence open no trigger).
_OPENINGS = _openings(_ALL_TRIGGERS.pattern)
_SHORT_OPENINGS = tuple(o for o in _OPENINGS or () if len(o) < 3)  # a trigger shorter than three letters
_WORD_START = re.compile(r"\b\w")


# Every alternative of every type, in the order _ALL_TRIGGERS tries them, with the openings it can begin with.
_ALTERNATIVES = [(t, p, _openings(r"\b(?:" + p + ")")) for t in TYPE_NAMES for p in _PARTS[TRIGGERS[t].pattern]]


@lru_cache(maxsize=None)
def _alternatives_at(keys: frozenset[str]) -> re.Pattern[str]:
    """``_ALL_TRIGGERS`` cut down to the alternatives that can begin with one of ``keys``, in the same
    order and groups: at a word start only these can match, and trying a few dozen alternatives instead
    of all of them is most of the speed of trigger matching."""
    groups = []
    for t in TYPE_NAMES:
        chosen = [p for kind, p, opens in _ALTERNATIVES if kind == t and (opens is None or opens & keys)]
        if chosen:
            groups.append(f"(?P<{t}>\\b(?:" + "|".join(chosen) + "))")
    return re.compile("|".join(groups), re.IGNORECASE)


def _trigger_matches(sentence: str):
    """The matches of ``_ALL_TRIGGERS`` in a sentence, as ``finditer`` gives them."""
    if _OPENINGS is None:
        yield from _ALL_TRIGGERS.finditer(sentence)
        return
    low = sentence.lower()
    pos = 0
    for w in _WORD_START.finditer(sentence):
        i = w.start()
        if i < pos:
            continue
        key = low[i:i + 3]
        keys = [key] if key in _OPENINGS else []
        keys += [o for o in _SHORT_OPENINGS if low.startswith(o, i)]
        if not keys:
            continue
        m = _alternatives_at(frozenset(keys)).match(sentence, i)
        if m:
            yield m
            pos = m.end()



# Words of protest that rarely mean anything else: an article that uses them is about protest, and a
# sentence that uses them vouches for the weaker words beside it.
PROTEST_CONTEXT = re.compile(
    r"\b(?:protest(?:s|ed|ers?|ors?|ing)?|demonstrators|(?<!live )(?<!gave a )(?<!product )demonstrations?(?! (?:booths?|models?|videos?|flights?|of (?!support|solidarity|protest|anger|defiance)))|rallies|(?:workers|teachers|nurses|doctors|students|residents|farmers|miners|pensioners|supporters|"
    r"people|thousands|hundreds) rall(?:y|ied)|marchers|strikers|on strike|"
    r"walk(?:ed)?[- ]?outs?|picket\w*|sit-ins?|unrest|uprising|riot(?:s|ers|ing|ed)?(?! of)|riot police|crackdown|"
    r"tear ?gas|water cannons?|rubber bullets|curfew|state of emergency|activists?|opposition|slogans|placards|"
    r"took to the streets|anti-government|insurrection|revolt|barricades?|dissent\w*|roadblocks?|"
    r"(?:road|highway|rail|railway|street)[- ]?blockades?|blockades? of "
    r"(?:roads?|highways?|streets?)|general strike|strike action|industrial action|vigils?)\b", re.IGNORECASE)
def _strikers_picket(sentence: str, m: re.Match[str], context: str) -> bool:
    """Whether a picket told with strikes about is theirs ("the picket at Luton was the biggest yet"), not a protest
    held as a picket ("pickets of pensioners were held in Semey", "held pickets outside the embassies")."""
    return m.group(0).lower() in ("picket", "pickets") \
        and not _HELD_BEFORE.search(sentence, max(0, m.start() - 30), m.start()) \
        and not re.match(r"\s+(?:of|outside|in front of|against)\b", sentence[m.end():]) \
        and bool(STRIKE_WORDS.search(context + " " + sentence))


_HELD_BEFORE = re.compile(r"\b(?:held|hold|holds|holding|staged|stage|organi[sz]ed|single)\s+(?:\w+\s+)?$",
                          re.IGNORECASE)
# Words that say work stopped somewhere in a text: the context that makes a picket the strikers', workers "joined"
# a strike, and police force a crackdown on strikers
STRIKE_WORDS = re.compile(r"\bstrik(?:e|es|ing|ers?)\b|\bwalk(?:ed)?[- ]?outs?\b|\bwalked out\b|\bstoppages?\b",
                          re.IGNORECASE)
STRIKE_PICKET = re.compile(r"picket[- ]lines?\b|picket(?:s|ed|ing)?\s+(?:(?:at|outside|in front of)\s+)?(?:the\s+)?"
                           r"(?:[\w'’-]+\s+){0,3}(?:depots?|hospitals?|infirmar(?:y|ies)|plants?|factor(?:y|ies)|mines?|"
                           r"gates?|warehouses?|workshops?|yards?|terminals?)\b", re.IGNORECASE)
# A strike is work stopped, not a blow from the air or a player: "air strikes", "lightning strikes",
# "the striker scored", "on strike for the final over".
NOT_A_WALKOUT = re.compile(r"\b(?:air|lightning|missile|drone|military|artillery|rocket|retaliatory|pre-?emptive|"
                           r"nuclear|precision|tactical|bombing|naval|first|surgical)[\s-]+$", re.IGNORECASE)
SPORT = re.compile(r"\b(?:wickets?|innings|bowl(?:er|ed|ing)|batting|batsman|batter|scored|match(?:es)?|"
                   r"league|cup final|tournament|kick-off|half-time|penalty|midfield\w*|defender|goalkeeper|"
                   r"the final over|stadium|fixture|championship|\d+(?:st|nd|rd|th) minute|champions|equali[sz]er|"
                   r"far corner|free kick|hat-trick|season|derby|\d+\s*[-–]\s*\d+\s+(?:win|victory|defeat|loss|draw)|"
                   r"striking (?:twice|once|late|early))\b", re.IGNORECASE)
# A game's result: a side that beat, lost to or drew with another by a score
SCORELINE = re.compile(r"\b(?:beat|beats|defeated|defeats|thrashed|edged|won|lost|drew)\b[^.;]{0,40}?"
                       r"(?<![\d.,/:])\d{1,2}\s*[-–]\s*\d{1,2}(?![\d/:%-])"
                       r"(?=\s*(?:$|[,.;)]|(?:on|in|at|against|after|before|with|win|victory|defeat|loss|draw|"
                       r"at home|away)\b))", re.IGNORECASE)
# What an article that is not about protest may be about instead, where a trigger word means something
# else: war between armed forces ("clashes continued in the Donetsk region"), the weather ("heavy snow
# blocked roads"), a natural disaster.
WAR = re.compile(r"\b(?:artillery|shell(?:ing|ed|s)|missiles?|drones?|air ?strikes?|offensive|front ?lines?|rebels?|"
                 r"militants?|insurgents?|jihadists?|invasion|ceasefire|battalions?|brigades?|armed groups?|"
                 r"warplanes?|tanks|general staff|repell?(?:ed|ing)?|(?:military|army) exercises?|drills?)\b",
                 re.IGNORECASE)
CROWD = re.compile(r"\b(?:crowds?|mobs?|rioters|protesters|protestors|demonstrators|looters|youths|residents|"
                   r"hundreds|thousands|dozens|fans|supporters|workers|students)\b", re.IGNORECASE)
WEATHER = re.compile(r"\b(?:snow\w*|storms?|blizzards?|floods?|flooding|floodwaters?|rain\w*|landslides?|avalanches?|ice|icy|fog|"
                     r"winds?|hurricanes?|typhoons?|cyclones?|earthquakes?|wildfires?|heatwave)\b", re.IGNORECASE)
# Words that name an event of our types only when protest is about: "a rally in copper prices", "fans
# gathered at the stadium", "a clash of the titans", "India stormed to victory", "the side looked
# beaten", "a naval blockade", "lightning strikes killed 23": each needs a protest word in its sentence,
# in the two sentences before it, or (for all but killings) an article about protest.
WEAK = re.compile(r"gather|assembl|crowd|march|clash(?:\b|ing)|storm|exchange|gun|beat|blockade|c(?:a|o)me out|"
                  r"poured|surrounded|occupying|seiz|took over|take|captur|attack|burn|set|torch|lit|vandal|smash|"
                  r"brok|break|were burn|was burn|in flame|overpower|disarm|pull|tore|toppl", re.IGNORECASE)
_STATE_FORCES = (r"police\w*|security|troops|soldiers|army|military|guards?\w*|officers|law enforcement|gendarme\w*|"
                 r"special forces|riot squad|OMON")
# Who kills or shoots protesters when it is repression: the state's forces.
AGENTS = re.compile(rf"\b(?:{_STATE_FORCES}|authorities|regime|government forces|snipers|militia|paramilitar\w+|junta)\b",
                    re.IGNORECASE)
# Who is there when a clash, a burning or a seizure is a riot ("clashes broke out with police") or a
# shooting a repression ("security forces opened fire on the crowd"): the forces and the crowd.
FORCES = re.compile(rf"\b(?:{_STATE_FORCES}|crowds?|demonstration)\b", re.IGNORECASE)
VICTIMS = re.compile(r"\b(?:protesters|protestors|demonstrators|strikers|marchers)\b", re.IGNORECASE)
FIRED_ON_CROWD = re.compile(r"\b(?:on|at|into) (?:the )?(?:crowds?|demonstrat\w+|protest\w+)", re.IGNORECASE)
DIED_IN_CLASHES = re.compile(r"\b(?:killed|died|dead)\b[^.;]{0,40}\b(?:in|during|amid) (?:the )?(?:clashes|violence|"
                             r"unrest|riots?|stampede|fighting)|\bclashes\b[^.;]{0,60}\b(?:killed|dead|died)\b",
                             re.IGNORECASE)
# "a rally in copper prices", "shares rallied", "a late rally" in a match: markets and sport, not protest
FINANCE = re.compile(r"\b(?:prices?|shares?|stocks?|markets?|index|indices|currenc(?:y|ies)|bonds?|dollar|euro|"
                     r"naira|rupees?|roubles?|rubles?|yen|yuan|pesos?|lira|tenge|sterling|shillings?|rand|"
                     r"yields?|investors?|futures|commodit(?:y|ies)|copper|gold|crude|brent|per ?cent|%|wickets?|"
                     r"innings|comeback|second half|points?)\b", re.IGNORECASE)
MARKETS = re.compile(r"\b(?:shares|stocks|stock market|index|indices|bonds|investors|futures|currency|per ?cent|%|"
                     r"earnings|profits?|revenues?|quarter)\b", re.IGNORECASE)
# A killing or a shooting counts only where protest is said close by: a blast's dead or a drug lord's death
# are no repression. An arrest counts in an article about protest unless it is about ordinary crime.
CROWD_CONTROL = re.compile(r"tear ?gas|rubber bullets|stun grenades|flash grenades|water cannon|dispers|crack(?:ed)? ?down|"
                           r"repress|suppress|bloodily", re.IGNORECASE)
KILLING = re.compile(r"kill|shot|shoot|massacre|liquidated|open|fire", re.IGNORECASE)
ORDINARY_CRIME = re.compile(r"\b(?:on suspicion of|suspected of (?:murder|theft|robbery|burglary|fraud|drug)|burglar\w*|"
                            r"robber\w*|theft|thieves|murder(?:ed|er|ers)?|drugs?|narcotics|smuggl\w+|traffick\w+|"
                            r"fraud|bribe\w*|embezzl\w+|rape|poach\w+|gang members?|terror(?:ism|ist) charges?)\b",
                            re.IGNORECASE)


def about_protest(text: str) -> bool:
    """Whether an article is about protest at all: its unambiguous protest words say so more than once,
    and not only as "demonstration", which is also what a product launch gives."""
    seen, other = 0, False
    for m in PROTEST_CONTEXT.finditer(text):
        seen += 1
        other = other or m.group(0).lower() != "demonstration"
        if seen >= 2 and other:
            return True
    return False


@lru_cache(maxsize=4096)
def _protest_near(sentence: str, context: str) -> bool:
    """A protest word in the sentence, or in the sentences just before it other than a bare
    "demonstration" (of a product as often as of protesters)."""
    return bool(PROTEST_CONTEXT.search(sentence)) or any(
        m.group(0).lower() != "demonstration" for m in PROTEST_CONTEXT.finditer(context))


def _in_sense(kind: str, word: str, sentence: str, context: str, protest_article: bool, around: str = "") -> bool:
    """Whether a trigger word means an event of its type here (see WEAK, KILLING, SPORT). ``around`` is
    the text just around the word."""
    if ("-" in sentence or "–" in sentence) and SCORELINE.search(sentence):
        return False  # "Spurs beat Brighton 2-1, but the visitors protested": a game, whatever the article
    near = _protest_near(sentence, context)
    if kind == "state_response" and not protest_article and (WEATHER.search(sentence) or WEATHER.search(context)):
        return False  # in an article not about protest, a state of emergency over floods, a curfew for a storm
    if not near and not protest_article:
        # an article that is not about protest, and no protest word close by: sport, war, the weather
        # and troops on manoeuvres are what the words mean there
        if SPORT.search(sentence):
            return False
        if kind == "state_response" and re.search(r"(?i)troops|forces|soldiers|army|military|units|deploy", word):
            return False  # troops sent to a border or an exercise are no response to protest
        if kind in ("riot", "repression", "protest") and (WAR.search(sentence) or WAR.search(context)):
            return False
        if kind == "protest" and WEATHER.search(sentence):
            return False
        if kind == "riot" and not re.match(r"(?i)riot|clash", word) and not CROWD.search(sentence):
            return False  # "the gunman entered the building": no crowd, no riot
    if kind == "repression":
        if CROWD_CONTROL.match(word):
            return True
        if KILLING.match(word):
            # deaths "in clashes" or "in the violence" are a riot's; a killing by the state needs its agent
            if DIED_IN_CLASHES.search(sentence) and not AGENTS.search(sentence.split(" in clash")[0]):
                return False
            if not (AGENTS.search(sentence) or VICTIMS.search(sentence)) or ORDINARY_CRIME.search(sentence):
                return False
            return bool(near or FORCES.search(sentence) and protest_article or FIRED_ON_CROWD.search(sentence))
        return not ORDINARY_CRIME.search(sentence) and bool(protest_article or near)
    if kind == "strike":
        if re.match(r"(?i)(?:were|was) ", word):  # joined by workers: in a strike told just before
            return bool(STRIKE_WORDS.search(context))
        if re.match(r"(?i)striker\b", word):  # one on strike, or a football player
            return not SPORT.search(sentence) and not SPORT.search(context) and not re.search(r"(?i)\bgoal\b", sentence)
        return not SPORT.search(sentence)
    if kind == "protest" and re.match(r"(?i)rall", word):
        # "a rally in copper prices", "oil prices rallied" (not "a rally on Monday" in a sentence that also
        # says the gas prices the rally was against)
        return not FINANCE.search(around or sentence) and not (FINANCE.search(context) and not near)
    if kind == "state_response" and re.match(r"(?i)(?:agreed|decided|voted)\b", word) \
            and _EMPLOYER.search(around[:around.find(word)] if word in around else ""):
        return False  # "the company agreed to raise wages": an employer's deal, not a state's concession
    if kind == "state_response" and re.match(r"(?i)peacekeep", word):
        return bool(near or protest_article)  # troops sent to a UN mission are no response to protest
    if kind in ("protest", "riot") and WEAK.match(word):
        if MARKETS.search(sentence) and not PROTEST_CONTEXT.search(sentence):
            return False  # "shares marched higher"
        return bool(near or protest_article or kind == "riot" and FORCES.search(sentence))
    return True


# Who else than the state gives in to strikers: the employer
_EMPLOYER = re.compile(r"\b(?:company|companies|employers?|management|managers|firm|operator|contractor|"
                       r"subcontractor|owners?|bosses|board)\b", re.IGNORECASE)
# How far from a word of several senses its sense is read ("a rally in copper prices").
AROUND = 40
_ANTI = re.compile(r"\banti[-‐ ]?$", re.IGNORECASE)
# Blocking a road or occupying a square is a protest when the crowd does it, the state's act when its forces do
_HOLDS_GROUND = re.compile(r"block(?:ed|ing|s)?\b|occup", re.IGNORECASE)
_ACTOR = re.compile(rf"(?<!retired )(?<!former )(?P<state>{AGENTS.pattern})|{CROWD.pattern}|\b(?:people|activists|"
                    r"farmers|truckers|drivers|miners|villagers|traders|vendors|pensioners|veterans|opposition|"
                    r"women|men|youth|locals|citizens|employees|teachers|doctors|nurses|unions?)\b", re.IGNORECASE)
_NOT_SUBJECT = re.compile(r"\b(?:at|by|with|against)\s+(?:the\s+)?(?:\w+\s+)?$", re.IGNORECASE)
_WHO = re.compile(r",?\s+(?:who|that)\b", re.IGNORECASE)  # "fired at crowds who had blocked roads": their act


def _done_by_the_state(sentence: str, start: int) -> bool:
    """Whether the actor named last before ``start`` in its clause (not one it was "angry at" or "clashed
    with") is the state's forces: "police blocked the roads to the square", but "protesters blocked roads"
    and "police detained people who were blocking the avenue" or "fired at crowds who blocked roads"."""
    cs, _ = clause_bounds(sentence, start)
    actors = [a for a in _ACTOR.finditer(sentence, cs, start) if not _NOT_SUBJECT.search(sentence, cs, a.start())
              or _WHO.match(sentence, a.end())]
    return bool(actors) and actors[-1].group("state") is not None
_LIFTED = re.compile(r"\b(?:lift(?:ed|s|ing)?|end(?:ed|s|ing)|eas(?:ed|es|ing)|relax(?:ed|es|ing)|revok(?:ed|es|ing)|"
                     r"cancel(?:l?ed|s|ling)?)\s+(?:\w+\s+){0,3}$", re.IGNORECASE)


def find_triggers(sentence: str, context: str = "", protest_article: bool = True,
                  unasserted: list[Trigger] | None = None) -> list[Trigger]:
    """All asserted event triggers in a sentence, by type, in text order. ``context`` is the text of
    the sentences just before it and ``protest_article`` whether the article is about protest at all
    (``about_protest``): what a word of several senses needs to mean an event (``_in_sense``).
    ``unasserted``, if given, receives the triggers named as planned ("a planned walkout in Y"):
    the places named for them are theirs, not another trigger's (see ``linking.owners``)."""
    out = []
    for m in _trigger_matches(sentence):
        if m.group(0).lower().startswith("striker") and _OBJECT_OF.search(sentence, 0, m.start()):
            continue  # "fired on the strikers", "trials of strikers": the people, not a strike reported
        around = sentence[max(0, m.start() - AROUND):m.end() + AROUND]
        if not _in_sense(m.lastgroup, m.group(0), sentence, context, protest_article, around):
            continue
        if m.lastgroup == "protest" and _HOLDS_GROUND.match(m.group(0)) and _done_by_the_state(sentence, m.start()):
            continue  # "troops occupied the square", "police blocked roads into the city"
        if m.group(0)[:1].isupper() and m.lastgroup in ("protest", "strike", "riot") and m.group(0) != "March" \
                and re.search(r"(?:[\w,]\s+|[\"“‘'])$", sentence[:m.start()]):
            continue  # a capitalised word inside a sentence is a name: the film "Protest Song", "The Strikes"
        if m.lastgroup == "strike" and NOT_A_WALKOUT.search(sentence, 0, m.start()):
            continue
        if _ANTI.search(sentence, max(0, m.start() - 6), m.start()):
            continue  # "the anti-protest laws", "anti-riot police": what a law or a unit is against
        if m.lastgroup == "state_response" and _LIFTED.search(sentence, max(0, m.start() - 40), m.start()):
            continue  # "lifted the curfew": its end, not the measure the scheme counts
        if asserted(sentence, m.start(), m.end(), m.lastgroup) and not is_reference(sentence, m.start(), m.end()):
            kind = m.lastgroup
            if kind == "protest" and (STRIKE_PICKET.match(sentence, m.start()) or _strikers_picket(sentence, m, context)):
                # a picket line, a picket at the depot, a picket told among strikes: the strikers' own
                kind = "strike"
            if kind == "repression" and BY_THE_CROWD.match(sentence, m.end()):
                kind = "riot"  # "passers-by were beaten by rioters": violence by the crowd, not the state's
            out.append(Trigger(kind, m.start(), m.end(), m.group(0)))
        elif unasserted is not None and (PLANNED_BEFORE.search(sentence, max(0, m.start() - 30), m.start())
                                         or _FUTURE_BEFORE.search(sentence, max(0, m.start() - 30), m.start())):
            unasserted.append(Trigger(m.lastgroup, m.start(), m.end(), m.group(0)))
    # "gathered to protest the death of a teenager", "rallies against the arrest of X": the grievance of a
    # protest, not a repression the sentence reports
    out = [t for t in out if not (t.event_type == "repression" and any(
        o.event_type in ("protest", "strike") and 0 <= t.start - o.end <= 45
        and _GRIEVANCE_GAP.fullmatch(sentence[o.end:t.start]) for o in out))]
    # "a demonstration held to support anti-fascists who were arrested", "marched for the release of detained
    # activists": whom the protest stands up for, not a crackdown the sentence reports
    out = [t for t in out if not (t.event_type == "repression" and any(
        o.event_type == "protest" and o.end <= t.start and _STANDS_UP_FOR.search(sentence, o.end, t.start)
        and not NEW_CLAUSE.search(sentence, o.end, t.start) for o in out))]
    # "Demonstrators saw the governor's arrest as a plot", "Navalny's detention": one named person's arrest, a
    # grievance or the news itself, not force against protesters
    out = [t for t in out if not (t.event_type == "repression" and _PERSONS_BEFORE.search(sentence, 0, t.start)
                                  and re.match(r"(?i)arrest|detention", t.text))]
    # "rallies sparked by the detention of a popular mayor": the cause of the protests, not a crackdown
    # on them (unless its victims were protesters: "sparked by the killing of a protester")
    out = [t for t in out if not (t.event_type == "repression"
                                  and _CAUSE_BEFORE.search(sentence, max(0, t.start - 30), t.start)
                                  and not VICTIMS.search(sentence, t.end, min(len(sentence), t.end + 40)))]
    # "gathered after prayers to protest against ...": the purpose of an event already found, not another
    # ("stormed the embassy and set it on fire in protest at ...", "went on strike in protest over pay": the
    # purpose of the riot or the strike; but "police detained 1,500 in protests in 60 cities" tells them)
    # The purpose owns the places its phrase names ("in protest at a Koran burning in Denmark"), as a plan does.
    purposes = [t for i, t in enumerate(out) if i and t.event_type == "protest" and _PURPOSE.search(sentence, 0, t.start)
                and (out[i - 1].event_type in ("protest", "strike", "riot") or _IN_PROTEST_AT.match(sentence, t.start))]
    if purposes:
        out = [t for t in out if t not in purposes]
        if unasserted is not None:
            unasserted.extend(t for t in purposes if _IN_PROTEST_AT.match(sentence, t.start))
    # "a curfew on protests", "a ban on rallies": the protest is what the state's measure is about, not
    # an event the sentence reports ("police dispersed the rally" does report one: the rally and its
    # dispersal are both events)
    # "police detained dozens of protesters", "disperse the protesters on Abai Avenue": protesters met by
    # force were protesting there, which SCHEME.md annotates as a protest beside the repression
    if not any(t.event_type == "protest" for t in out):
        for t in list(out):
            if t.event_type == "repression":
                cs, ce = clause_bounds(sentence, t.start)
                v = next((v for v in VICTIMS.finditer(sentence, cs, ce)
                          if min(abs(v.start() - t.end), abs(t.start - v.end())) <= 40), None)
                if v and not v.group(0).lower().startswith("striker"):
                    out.append(Trigger("protest", v.start(), v.end(), v.group(0)))
                    out.sort(key=lambda x: x.start)
                    break
    kept = []
    for t in out:
        if t.event_type == "protest" and any(
                o.event_type == "state_response" and 0 <= t.start - o.end <= 25
                and re.fullmatch(r"\s*(?:on|against|of|the|a|an|\s)*\s*", sentence[o.end:t.start])
                for o in out):
            continue
        kept.append(t)
    return kept


# ------------------------------------------------------------------ sentences

_ABBREV = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Col|Lt|Sgt|Capt|Gov|Sen|Rep|Jan|Feb|Mar|Apr|Jun|Jul|Aug|"
                     r"Sep|Sept|Oct|Nov|Dec|No|vs|etc|approx|e\.g|i\.e|U\.S|U\.K)|\b[A-Z])\.$")
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)|"
                       r"(?<=[^\s.!?:,;])\n(?=[A-Z])"
                       # a headline above a "24.kg, 2022-10-24" publisher line: the line is no continuation
                       r"|\n(?=[^\n]{1,60},\s*\d{4}-\d{2}-\d{2}\s*(?:\n|$))")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) over ``text``: ends at . ! ? before a capital, and at blank lines."""
    breaks = (m for m in _SENT_END.finditer(text)
              if not (m.group(0).strip() == "" and "\n" not in m.group(0)
                      and _ABBREV.search(text[max(0, m.start() - 6):m.start()])))
    return _between(text, breaks)


def _between(text: str, breaks: Iterable[re.Match[str]]) -> list[tuple[int, int]]:
    """The non-blank stretches of ``text`` between the given break matches, trimmed of spaces."""
    spans, start = [], 0
    for m in breaks:
        if text[start:m.start()].strip():
            spans.append(_trim(text, start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: blocks separated by blank lines; or by line breaks where the text puts one
    paragraph on each line (long lines, few blank lines), as pasted articles often do."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    long_lines = sum(1 for ln in lines if len(ln) > 200)
    # lines that end a sentence are paragraphs of their own; hard-wrapped lines end mid-sentence
    whole = sum(1 for ln in lines if re.search(r"[.!?…:][\"'”’)\]]*\s*$", ln))
    one_per_line = lines and (long_lines >= 0.25 * len(lines) or whole >= 0.6 * len(lines)) \
        and text.count("\n\n") < 0.5 * len(lines)
    return _between(text, re.finditer(r"\n" if one_per_line else r"\n\s*\n", text))


# ------------------------------------------------------------------ figures

_NUMBER_WORDS = {"dozens": 12, "dozen": 12, "scores": 20, "hundreds": 100, "hundred": 100, "thousands": 1000,
                 "thousand": 1000, "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
                 "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_MULTIPLIERS = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b")
_BASE = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_NUM = re.compile(r"(?<![\w,.])(?P<n>(?:" + _BASE + r")(?:\s+(?:hundred|thousand|million))?)(?![\w%])", re.IGNORECASE)
_KILL = re.compile(r"killed|dead|died|deaths|death toll|shot dead|lost their lives|fatalities", re.IGNORECASE)
_ARREST = re.compile(r"arrested|detained|arrests|detentions|detainees|taken into custody|rounded up", re.IGNORECASE)


_GAP = r"\s+(?:[^\W\d]+\s+){0,4}?(?:were\s+|have\s+been\s+|had\s+been\s+|was\s+)?"
_KILL_AFTER = re.compile(_GAP + "(?:" + _KILL.pattern + ")", re.IGNORECASE)
_ARREST_AFTER = re.compile(_GAP + "(?:" + _ARREST.pattern + ")", re.IGNORECASE)
_LEAD = re.compile(r"(%s|%s)\s+(?:about|around|nearly|almost|more than|over|at least|some|up to)?\s*$"
                   % (_KILL.pattern, _ARREST.pattern), re.IGNORECASE)


def _number(token: str) -> int | None:
    """ "10,000" -> 10000, "ten thousand" -> 10000, "dozens" -> 12 (ACLED), "2.5 thousand" -> 2500."""
    words = token.lower().replace(",", "").split()
    if not words:
        return None
    head = words[0]
    if re.fullmatch(r"\d+(?:\.\d+)?", head):
        value = float(head)
    elif head in _NUMBER_WORDS:
        value = _NUMBER_WORDS[head]
    else:
        return None
    for w in words[1:]:
        value *= _MULTIPLIERS.get(w, 1)
    return int(value)


def _is_date_number(sentence: str, m: re.Match[str]) -> bool:
    """ "on 6 January", "9 August", "in 2011", "January 5": a day or a year, not a count."""
    before, after = sentence[max(0, m.start() - 12):m.start()], sentence[m.end():m.end() + 12]
    if re.match(r"\s*(?:st|nd|rd|th)?\s*(?:of\s+)?" + _MONTH, after, re.IGNORECASE):
        return True
    if re.search(_MONTH + r"\s*$", before, re.IGNORECASE):
        return True
    text = m.group("n")
    return bool(re.fullmatch(r"(?:1[89]|20)\d\d", text))


def figures(sentence: str) -> tuple[int | None, int | None]:
    """Fatalities and arrests stated in a sentence (ACLED: the lowest figure; 'dozens' = 12).

    A count belongs to a verb that follows it within four words ("164 people were killed") or
    that comes just before it ("police detained 9,900 people"); days and years are not counts.
    """
    killed, arrested = [], []
    for m in _NUM.finditer(sentence):
        if m.group("n").lower() == "a" or _is_date_number(sentence, m):
            continue
        value = _number(m.group("n"))
        if value is None:
            continue
        after = sentence[m.end():m.end() + 60]
        before = sentence[max(0, m.start() - 40):m.start()]
        lead = _LEAD.search(before)
        ka, aa = _KILL_AFTER.match(after), _ARREST_AFTER.match(after)
        if ka and aa:  # "hundreds were detained and dozens were killed": the nearer verb
            ka, aa = (ka, None) if ka.end() < aa.end() else (None, aa)
        if ka or (not aa and lead and _KILL.fullmatch(lead.group(1))):
            killed.append(value)
        elif aa or (lead and _ARREST.fullmatch(lead.group(1))):
            arrested.append(value)
    return (min(killed) if killed else None), (min(arrested) if arrested else None)
