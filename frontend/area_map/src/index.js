// The app's map: an area's polygons coloured by bin, outlines, labels, a partner's points and a selection,
// drawn with deck.gl inside a Streamlit component frame.
//
// Why not st.pydeck_chart: a pydeck map is sent whole on every rerun and drawn again from scratch (the US
// county map is about 1 MB of JSON), its first click is often lost, a click on empty ground clears the
// selection, unselected shapes are faded (so colours stop matching the legend), and its first view is
// computed on the server for a guessed width (a phone crops the area). Here the shapes arrive once per
// visit of the map ("shapes", kept in this frame), a switch sends only bins and tooltip values, clicks are
// handled in the browser at once, selected shapes are outlined, and the view is fitted to the frame's
// real size. Every text shown (tooltips, notices) is set as text, never as HTML.
//
// Protocol (Streamlit components v1, by postMessage):
//   in:  {type: "streamlit:render", args: {spec}}   (see explorer/area_map.py for the spec's fields)
//   out: streamlit:componentReady, streamlit:setFrameHeight, streamlit:setComponentValue with
//        {have: <shapes key held here or null>, selected: [ids], styled: <styling version held or null>}
// A spec with styling: "held" carries no bins, palette, tooltip or points: the page saw from the last
// report that this frame holds that version (a click changes the selection, not the colours).
import {Deck, WebMercatorViewport} from "@deck.gl/core";
import {GeoJsonLayer, ScatterplotLayer, TextLayer} from "@deck.gl/layers";

const MIN_HEIGHT = 260;
const PADDING = 12;

let deck = null;
let shapes = null;        // the shapes payload of `shapesKey`, kept for the whole visit of this map
let shapesKey = null;
let features = [];        // one GeoJSON feature per polygon, built once per shapes (stable: no re-tessellation)
let spec = null;          // the last render's spec
let selected = [];        // ids, in the order picked
let reported = null;      // the last value sent, as JSON
let fittedFor = null;     // [key, width] the view was last fitted for
let view = null;          // the view state on screen (fitted, then moved by the visitor)
let labelZoom = null;     // the zoom the names were last laid out for
let notice = null;

function post(type, data) {
  window.parent.postMessage({isStreamlitMessage: true, type, ...data}, "*");
}

const STYLING = ["bins", "palette", "fields", "tooltip", "points", "bins_version"];

function report(force = false) {
  // Sent when the shapes held or the selection change (a new styling alone is not worth a rerun: the
  // next report names it); `force` asks again for a styling this frame lacks
  const value = {have: shapesKey, selected, styled: spec && !force ? spec.version : null};
  const text = JSON.stringify({have: shapesKey, selected});
  if (text !== reported || force) {
    reported = text;
    post("streamlit:setComponentValue", {value, dataType: "json"});
  }
}

function mercatorY(lat) {
  return Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
}

function frameHeight(width) {
  // As tall as the area's shape needs at this width (no blank band), within the page's bound
  const [west, south, east, north] = shapes.bounds;
  const aspect = (mercatorY(north) - mercatorY(south)) / (((east - west) * Math.PI) / 180);
  const wanted = Math.round((width - 2 * PADDING) * aspect + 2 * PADDING);
  return Math.max(MIN_HEIGHT, Math.min(spec.height, wanted));
}

function fittedView(width, height) {
  const [west, south, east, north] = shapes.bounds;
  const viewport = new WebMercatorViewport({width, height});
  const {longitude, latitude, zoom} = viewport.fitBounds([[west, south], [east, north]], {padding: PADDING});
  return {longitude, latitude, zoom, pitch: 0, bearing: 0, minZoom: Math.max(zoom - 3, 0), maxZoom: 16};
}

function degrees(geometry) {
  // Shapes arrive as integer steps of `unit` degrees from `origin` (compact JSON); deck.gl gets plain
  // longitude/latitude (its offset coordinate mode is linearised at the origin: fine for a city, but it
  // bends a map of the whole country)
  const [lon0, lat0] = shapes.origin;
  const unit = shapes.unit;
  const ring = (points) => points.map(([x, y]) => [lon0 + x * unit, lat0 + y * unit]);
  const coordinates = geometry.type === "Polygon" ? geometry.coordinates.map(ring)
    : geometry.coordinates.map((polygon) => polygon.map(ring));
  return {type: geometry.type, coordinates};
}

function fill(text, index) {
  // "{n}: {v}" with the feature's static (shapes.fields) and current (spec.fields) values, as plain text
  return text.replace(/\{(\w+)\}/g, (match, name) => {
    const values = (spec.fields && spec.fields[name]) || (shapes.fields && shapes.fields[name]);
    return values && values[index] !== undefined ? String(values[index]) : match;
  });
}

const TOOLTIP_STYLE = {fontSize: "14px", fontFamily: "sans-serif", whiteSpace: "pre-line", maxWidth: "280px",
                       backgroundColor: "#1a1a1a", color: "#ffffff", padding: "6px 8px", borderRadius: "4px"};

function tooltip(info) {
  if (!info.object) return null;
  if (info.layer.id === "points") {  // an uploaded place: its name and value from the file, as plain text
    const texts = spec.points && spec.points.texts;
    return texts && texts[info.index] !== undefined ? {text: String(texts[info.index]), style: TOOLTIP_STYLE} : null;
  }
  if (info.layer.id !== "areas") return null;
  const index = info.object.properties.i;
  return {text: spec.tooltip.map((line) => fill(line, index)).join("\n"), style: TOOLTIP_STYLE};
}

function showNotice(text) {
  if (!notice) {
    notice = document.createElement("div");
    notice.className = "notice";
    notice.setAttribute("role", "status");
    document.body.appendChild(notice);
  }
  notice.textContent = text;
  notice.hidden = !text;
}

function click(info) {
  if (info && info.object && info.layer.id === "points" && deck) {  // a place's dot: the tract under it
    info = deck.pickObject({x: info.x, y: info.y, layerIds: ["areas"]});
  }
  if (!spec || !spec.selectable || !info || !info.object || info.layer.id !== "areas") return;  // empty ground: nothing
  const id = shapes.ids[info.object.properties.i];
  if (selected.includes(id)) {
    selected = selected.filter((other) => other !== id);
    showNotice("");
  } else if (selected.length >= spec.max_selected) {
    showNotice(spec.too_many);
    return;
  } else {
    selected = [...selected, id];
    showNotice("");
  }
  draw();
  report();
}

function layers() {
  const palette = spec.palette;
  const bins = spec.bins;
  const list = [
    new GeoJsonLayer({
      id: "areas", data: features, pickable: true, stroked: true, filled: true,
      getFillColor: (f) => palette[bins[f.properties.i]] || palette[palette.length - 1],
      getLineColor: shapes.area_line_colour, getLineWidth: shapes.area_line_width, lineWidthUnits: "pixels",
      autoHighlight: true, highlightColor: [0, 0, 0, 60],
      updateTriggers: {getFillColor: [spec.bins_version]},
    }),
  ];
  shapes.lines.forEach((group, number) => list.push(new GeoJsonLayer({
    id: `lines-${number}`, data: group.features, pickable: false, stroked: true, filled: false,
    getLineColor: group.colour, getLineWidth: group.width, lineWidthUnits: "pixels",
  })));
  if (spec.points) {
    const points = spec.points;
    list.push(new ScatterplotLayer({
      id: "points", data: points.positions, pickable: Boolean(points.texts), getPosition: (p) => p,
      getFillColor: (p, {index}) => points.palette[points.bins[index]],
      getRadius: (p, {index}) => points.radii[points.bins[index]], radiusUnits: "pixels",
      stroked: true, getLineColor: [255, 255, 255], getLineWidth: 1, lineWidthUnits: "pixels",
      updateTriggers: {getFillColor: [points.version], getRadius: [points.version]},
    }));
  }
  const found = (spec.highlight || []).map((id) => features[shapes.index[id]]).filter(Boolean);
  if (found.length) {  // a search's matches: a dark blue outline on a white halo (seen on red and on blue
    // tracts alike), under the selection's black one
    [["found-halo", [255, 255, 255], 5], ["found", [0, 50, 150], 2.5]].forEach(([id, colour, width]) => list.push(
      new GeoJsonLayer({id, data: found, pickable: false, stroked: true, filled: false, getLineColor: colour,
                        getLineWidth: width, lineWidthUnits: "pixels"})));
  }
  const chosen = selected.map((id) => features[shapes.index[id]]).filter(Boolean);
  list.push(new GeoJsonLayer({
    id: "selected", data: chosen, pickable: false, stroked: true, filled: false,
    getLineColor: [0, 0, 0], getLineWidth: 3.5, lineWidthUnits: "pixels",
  }));
  if (shapes.labels.length) {
    list.push(new TextLayer({
      id: "labels", data: shownLabels(), getText: (l) => l.text, getPosition: (l) => l.position, getSize: 14,
      getColor: [20, 20, 20], background: true, getBackgroundColor: [255, 255, 255, 210],
      getPixelOffset: (l) => l.offset || [0, -14], getTextAnchor: (l) => l.anchor || "middle",
      fontFamily: "Source Sans Pro, Helvetica, Arial, sans-serif", fontWeight: 600,
      characterSet: "auto", pickable: false,
    }));
  }
  return list;
}

// Names that would print over another name at this zoom wait until the visitor zooms in: on a phone the
// nine cities' names do not all fit the national map's first view. Each name keeps the place the server chose
// for it (offset, anchor: explorer.maps.county_map.place_labels); boxes are estimated from the text's length.
function labelBox(label, viewport) {
  const [x, y] = viewport.project(label.position);
  const offset = label.offset || [0, -14];
  const width = label.text.length * 8.5 + 8;
  const left = x + offset[0] + ({middle: -width / 2, start: 0, end: -width}[label.anchor || "middle"]);
  return [left, y + offset[1] - 9, left + width, y + offset[1] + 9];
}

function shownLabels() {
  if (!view) return shapes.labels;
  const viewport = new WebMercatorViewport({width: document.body.clientWidth, height: 100, ...view});
  const kept = [];
  for (const label of shapes.labels) {
    const box = labelBox(label, viewport);
    if (!kept.some(([, other]) => other[0] < box[2] && box[0] < other[2] && other[1] < box[3] && box[1] < other[3])) {
      kept.push([label, box]);
    }
  }
  labelZoom = view.zoom;
  return kept.map(([label]) => label);
}

function moved({viewState}) {
  view = viewState;
  if (shapes.labels.length && Math.abs(viewState.zoom - labelZoom) > 0.2) deck.setProps({layers: layers()});
}

function draw() {
  const width = document.body.clientWidth;
  // Fit again for new shapes or a clearly different width (a phone turned, a window resized), not for a
  // scrollbar coming and going: the view must not move under a person who is clicking
  const refit = !fittedFor || fittedFor[0] !== shapesKey || Math.abs(width - fittedFor[1]) > 0.1 * fittedFor[1];
  const height = frameHeight(refit ? width : fittedFor[1]);
  const box = document.getElementById("map");
  if (box.style.height !== `${height}px`) box.style.height = `${height}px`;
  if (refit) view = fittedView(width, height);
  if (!deck) {
    deck = new Deck({
      parent: document.getElementById("map"), width: "100%", height: "100%",
      initialViewState: view, onViewStateChange: moved,
      controller: spec.interactive ? {dragRotate: false, touchRotate: false, doubleClickZoom: false} : false,
      getTooltip: tooltip, layers: layers(), pickingRadius: 4,
      getCursor: ({isHovering}) => (isHovering && spec.selectable ? "pointer" : "grab"),
    });
    post("streamlit:setFrameHeight", {height});
  } else {
    const props = {layers: layers()};
    if (refit) {
      props.initialViewState = view;
      post("streamlit:setFrameHeight", {height});
    }
    deck.setProps(props);
  }
  if (refit) fittedFor = [shapesKey, width];
}

function adopt(next) {
  if (next.shapes && next.key !== shapesKey) {  // (a rerun sent before this frame's report sends them again)
    shapes = next.shapes;
    shapesKey = next.key;
    shapes.index = Object.fromEntries(shapes.ids.map((id, i) => [id, i]));
    features = shapes.polygons.map((geometry, i) => ({type: "Feature", geometry: degrees(geometry), properties: {i}}));
    shapes.lines = shapes.lines.map((group) => ({
      ...group, features: group.geometries.map((geometry) => ({type: "Feature", geometry: degrees(geometry), properties: {}})),
    }));
  }
  if (next.styling === "held") {
    if (!spec || spec.version !== next.version) return false;  // not the version held here: ask for it
    for (const name of STYLING) next[name] = spec[name];
  }
  spec = next;
  // "server": the page chose the selection (a link, a city change, Clear selection): it wins. "browser":
  // the page used this frame's last report; clicks since then are newer, so the frame keeps its own.
  if (next.selection_from === "server") selected = [...next.selected];
  return true;
}

let lastRender = null;  // the last spec drawn, as JSON: Streamlit posts the same one again whenever the page re-renders

window.addEventListener("message", (event) => {
  if (event.source !== window.parent || !event.data || event.data.type !== "streamlit:render") return;
  const next = event.data.args.spec;
  const signature = JSON.stringify({...next, shapes: Boolean(next.shapes)});
  if (signature === lastRender && shapes && next.key === shapesKey) return;  // nothing new to draw
  lastRender = signature;
  if (!next.shapes && next.key !== shapesKey) {  // this frame is new or lost its shapes: ask for them
    spec = null;
    selected = [...next.selected];
    report();  // have: null
    return;
  }
  if (!adopt(next)) {
    lastRender = null;
    report(true);
    return;
  }
  document.getElementById("map").setAttribute("aria-label", next.label);
  if (window.frameElement) window.frameElement.title = next.label;  // the page's frame is named for screen readers
  draw();
  report();
});

// Clicks and taps are read here, not through deck.gl's gesture recogniser: in the browser tests its onClick
// missed about one click in five (the pointer events arrived, the click did not), and a room notices every
// lost click. A
// press and release within 6 px and 600 ms is a click; what lies under it (within 4 px, so a thin boundary
// line still picks the tract under it) is toggled. Double-click zoom is off: it would select and unselect.
let press = null;
const mapElement = document.getElementById("map");
mapElement.addEventListener("pointerdown", (event) => {
  press = {x: event.clientX, y: event.clientY, time: event.timeStamp};
});
mapElement.addEventListener("pointerup", (event) => {
  const start = press;
  press = null;
  if (!start || !deck || Math.hypot(event.clientX - start.x, event.clientY - start.y) > 6
      || event.timeStamp - start.time > 600) return;
  const rect = mapElement.getBoundingClientRect();
  click(deck.pickObject({x: event.clientX - rect.left, y: event.clientY - rect.top, radius: 4}));
});

// Only a change of width redraws: the frame's own height follows the map, and reacting to it would loop
// (each canvas resize costs a full redraw, seconds in software WebGL)
let observedWidth = 0;
new ResizeObserver(() => {
  const width = document.body.clientWidth;
  if (width === observedWidth) return;
  observedWidth = width;
  if (spec && shapes) draw();
}).observe(document.body);
// Read-only, for the browser tests: where the area's corners land on the canvas, and what is selected
window.areaMap = {
  corners: () => deck && shapes && [[shapes.bounds[0], shapes.bounds[1]], [shapes.bounds[2], shapes.bounds[3]]]
    .map((corner) => deck.getViewports()[0].project(corner)),
  size: () => deck && [deck.width, deck.height],
  selected: () => [...selected],
  highlighted: () => [...((spec && spec.highlight) || [])],
  labels: () => {  // the names drawn now, with their boxes on the canvas
    const viewport = deck && deck.getViewports()[0];
    return viewport ? shownLabels().map((label) => ({text: label.text, box: labelBox(label, viewport)})) : [];
  },
  styled: () => spec && spec.version,
  pick: (x, y) => { const info = deck && deck.pickObject({x, y, radius: 4}); return info && info.object ? shapes.ids[info.object.properties.i] : null; },
};
post("streamlit:componentReady", {apiVersion: 1});
