"""The home page's words: its introduction, how to read its cards, where to go next, what the data says
and where it comes from (numbers are never typed here: the page computes them). Other pages keep their
words next to the code that shows them (explorer.maps.tract_details, explorer.gaps, explorer.national...).
Each text is marked for the catalog (N_) and translated where the page shows it."""

from explorer.i18n import N_

HOME_INTRO = N_("""
Where a child grows up, their race and their parents' income shape how they fare as adults.
This explorer puts the [Opportunity Insights](https://opportunityinsights.org) data on
**economic mobility** next to what nine cities tried about it in the What Works Cities
Economic Mobility Initiative (2019-2021): Cincinnati, Dayton, Detroit, Lansing, New Orleans,
Newark, Racine, Rochester and Tulsa.

It is made for people at a convening exploring together, for community partners looking at their
own neighborhoods, and for facilitators presenting at workshops. Pick a city in the sidebar: every
page follows it.
""")

HOW_TO_READ_HEADLINE = N_("""
**How to read the cards.** Each card shows where children who grew up in the city's main county
in low-income families (parents at the 25th percentile of US incomes) ended up on the national
income ladder at about age 35: 0 is the bottom, 100 the top. The arrow compares the county with
children from the same kind of families across the whole US.
""")

# The card's number, named in full: what it ranks, on what scale, at what age and for which children.
CARD_LABEL = N_("Household income rank (0 to 100) at about age 35, children of low-income parents")
CARD_LINKS = {"pilot": N_("{city}'s profile"), "neighborhoods": N_("{city}'s map")}  # page id -> link on each card

HEADLINE_HELP = N_("Mean household income rank at about age 35 (incomes in 2014-15) of children born in "
                 "1978-83 whose parents were at the 25th income percentile. Source: Opportunity Insights, "
                 "county_outcomes_simple (kfr_pooled_pooled_p25); the US value is the national mean at "
                 "the 25th parent percentile.")

TAKEAWAYS = N_("""
1. **Bring the whole community in.** Residents, nonprofits, employers and city staff all have
   a part in moving the numbers; a city cannot do it alone.
2. **Cities are each other's best resources.** Cities facing the same problem (housing stability,
   youth jobs, financial security, early learning) can learn from what their peers tried.
3. **Data and evidence bring the right people into the room.** Numbers for real neighborhoods
   help show who needs to be at the table and what to work on.
""")

DATA_SOURCES = N_("""
- **Opportunity Atlas** (Chetty, Friedman, Hendren, Jones and Porter, 2018): outcomes at about
  age 35 for children born 1978-83, by the 2010 census tract and county where they grew up.
  Estimates from fewer than 20 children are not published and show here as "no estimate".
- **Race and Economic Opportunity** (Chetty, Hendren, Jones and Porter, 2020): national
  outcomes by parents' income percentile, race and gender.
- **Social Capital Atlas** (Chetty et al., 2022): economic connectedness by county.
- **The Geography of Intergenerational Mobility** (Chetty, Hendren, Kline and Saez, 2014):
  county absolute and relative mobility.
- Boundaries: US Census Bureau cartographic tract files (2010 tracts), TIGER 2019 places and
  the us-atlas county file. All files are bundled with the app, with their sources, in `data/raw/`.
""")

# Where to go next from the home page: page id (explorer.registry) -> what a reader finds there.
NEXT_STEPS = {
    "neighborhoods": N_("See your city's neighborhoods: where children from low-income families got ahead."),
    "us-counties": N_("Every US county, by race and gender, and the Black-white gap."),
    "race-class-gaps": N_("How adult outcomes follow parents' income and race, nationally and in each city."),
    "pilot": N_("What your city's pilot tried and learned, beside its numbers."),
    "compare-cities": N_("The nine cities side by side."),
    "what-works": N_("What studies elsewhere found about the kinds of programs the nine cities tried."),
}
