"""The maps: deck.gl plumbing (deckgl), colour scales (scales), the city tract map, the national county map,
a partner's own layer, the app's own map component (area_map) and the tract details beside the map."""
