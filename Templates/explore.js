// The FERLab explorer: the final model's training images as points on a
// canvas, their faces from sprite sheets, each cluster's images by distance
// to its centre. Plain JavaScript, no libraries, no network: the data comes
// from explore/data.js (window.ferlabExplorer), so it works from file:// too.
"use strict";
(function () {
  const data = window.ferlabExplorer;
  const root = document.getElementById("explorer");
  if (!data || !root) return;

  // --- The data: Base64 of little-endian typed arrays. ---
  function view(text) {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new DataView(bytes.buffer);
  }
  function decode(text, size, Type, read) {
    const source = view(text);
    const values = new Type(source.byteLength / size);
    for (let i = 0; i < values.length; i++) values[i] = read.call(source, i * size, true);
    return values;
  }
  const floats = (text) => decode(text, 4, Float32Array, DataView.prototype.getFloat32);
  const ints = (text) => decode(text, 4, Int32Array, DataView.prototype.getInt32);
  const shorts = (text) => decode(text, 2, Uint16Array, DataView.prototype.getUint16);

  const rows = ints(data.rows), labels = shorts(data.label), clusters = shorts(data.cluster);
  const silhouettes = floats(data.silhouette), distances = floats(data.distance);
  const coordinates = floats(data.coordinates), members = ints(data.members);
  const files = window.ferlabExplorerFiles || null;
  // The t-SNE view, when the run made one: two more axes after the components.
  const tsne = window.ferlabExplorerTSNE || null, tsneCoordinates = tsne ? floats(tsne.coordinates) : null;
  const count = rows.length, clusterCount = data.centres.length;
  const value = (point, axis) =>
    axis < data.components ? coordinates[axis * count + point] : tsneCoordinates[(axis - data.components) * count + point];
  const axisName = (axis) => (axis < data.components ? data.axis + " " + (axis + 1) : "t-SNE " + (axis - data.components + 1));
  const colour = (index) => data.colors[index % data.colors.length];

  const $ = (id) => document.getElementById(id);
  const canvas = $("explorer-scatter"), context = canvas.getContext("2d");
  const state = {
    x: 0, y: Math.min(1, data.components - 1), tsne: false, by: "cluster", label: -1,
    view: null, hover: -1, cluster: -1, page: 0,
  };
  const margin = { left: 56, right: 12, top: 12, bottom: 40 };
  const pointRadius = 2.5, hoverRadius = 10, pageSize = 40;

  // --- Faces from the sprite sheets, as CSS backgrounds (the canvas never draws them). ---
  function showFace(element, point, size) {
    const tile = data.tile, sheet = Math.floor(point / tile.perSheet), index = point % tile.perSheet;
    const inSheet = Math.min(tile.perSheet, count - sheet * tile.perSheet);
    const sheetColumns = Math.min(tile.columns, inSheet), sheetRows = Math.ceil(inSheet / tile.columns);
    const scale = size / Math.max(tile.width, tile.height);
    element.style.width = tile.width * scale + "px";
    element.style.height = tile.height * scale + "px";
    element.style.backgroundImage = "url(" + data.sheets[sheet] + ")";
    element.style.backgroundSize = sheetColumns * tile.width * scale + "px " + sheetRows * tile.height * scale + "px";
    element.style.backgroundPosition =
      -(index % tile.columns) * tile.width * scale + "px " + -Math.floor(index / tile.columns) * tile.height * scale + "px";
  }
  const imageName = (point) => (files ? files[point] : "row " + rows[point]);
  const clusterName = (cluster) => {
    const label = data.clusterLabels[cluster];
    return "Cluster " + cluster + (label ? " (" + label + ")" : "");
  };

  // --- The view: data ranges of the two plotted components, and the plot's box on the canvas. ---
  function plotBox() {
    const width = canvas.clientWidth, height = canvas.clientHeight;
    return { left: margin.left, top: margin.top, width: width - margin.left - margin.right, height: height - margin.top - margin.bottom };
  }
  function fittedView() {
    let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
    for (let point = 0; point < count; point++) {
      const x = value(point, state.x), y = value(point, state.y);
      if (x < xMin) xMin = x;
      if (x > xMax) xMax = x;
      if (y < yMin) yMin = y;
      if (y > yMax) yMax = y;
    }
    if (!(xMax > xMin)) { xMin -= 1; xMax += 1; }
    if (!(yMax > yMin)) { yMin -= 1; yMax += 1; }
    const padX = (xMax - xMin) * 0.04, padY = (yMax - yMin) * 0.04;
    return { xMin: xMin - padX, xMax: xMax + padX, yMin: yMin - padY, yMax: yMax + padY };
  }
  function toScreen(x, y, box) {
    const v = state.view;
    return [box.left + ((x - v.xMin) / (v.xMax - v.xMin)) * box.width, box.top + ((v.yMax - y) / (v.yMax - v.yMin)) * box.height];
  }
  function toData(sx, sy, box) {
    const v = state.view;
    return [v.xMin + ((sx - box.left) / box.width) * (v.xMax - v.xMin), v.yMax - ((sy - box.top) / box.height) * (v.yMax - v.yMin)];
  }

  // --- A grid index over the plotted pair, so a hover looks at a few cells, not every point. ---
  const gridSize = 64;
  let grid = null;
  function buildGrid() {
    const bounds = fittedView(), cells = new Int32Array(count), starts = new Int32Array(gridSize * gridSize + 1);
    const cellOf = (point) => {
      const cx = Math.min(gridSize - 1, Math.floor(((value(point, state.x) - bounds.xMin) / (bounds.xMax - bounds.xMin)) * gridSize));
      const cy = Math.min(gridSize - 1, Math.floor(((value(point, state.y) - bounds.yMin) / (bounds.yMax - bounds.yMin)) * gridSize));
      return cy * gridSize + cx;
    };
    for (let point = 0; point < count; point++) starts[cellOf(point) + 1]++;
    for (let cell = 0; cell < gridSize * gridSize; cell++) starts[cell + 1] += starts[cell];
    const next = starts.slice(0, gridSize * gridSize);
    for (let point = 0; point < count; point++) cells[next[cellOf(point)]++] = point;
    grid = { bounds, cells, starts };
  }
  const visible = (point) => state.label < 0 || labels[point] === state.label;
  function nearestPoint(sx, sy) {
    const box = plotBox(), b = grid.bounds;
    const [x0, y1] = toData(sx - hoverRadius, sy - hoverRadius, box), [x1, y0] = toData(sx + hoverRadius, sy + hoverRadius, box);
    const column = (x) => Math.max(0, Math.min(gridSize - 1, Math.floor(((x - b.xMin) / (b.xMax - b.xMin)) * gridSize)));
    const row = (y) => Math.max(0, Math.min(gridSize - 1, Math.floor(((y - b.yMin) / (b.yMax - b.yMin)) * gridSize)));
    let best = -1, bestDistance = hoverRadius * hoverRadius;
    for (let cy = row(y0); cy <= row(y1); cy++) {
      for (let cx = column(x0); cx <= column(x1); cx++) {
        const cell = cy * gridSize + cx;
        for (let k = grid.starts[cell]; k < grid.starts[cell + 1]; k++) {
          const point = grid.cells[k];
          if (!visible(point)) continue;
          const [px, py] = toScreen(value(point, state.x), value(point, state.y), box);
          const d = (px - sx) * (px - sx) + (py - sy) * (py - sy);
          if (d < bestDistance || (d === bestDistance && point < best)) { best = point; bestDistance = d; }
        }
      }
    }
    return best;
  }

  // --- Drawing. ---
  function ticks(low, high, wanted) {
    const step0 = (high - low) / wanted, power = Math.pow(10, Math.floor(Math.log10(step0)));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => (high - low) / s <= wanted + 1) || power * 10;
    const values = [];
    for (let t = Math.ceil(low / step) * step; t <= high + step * 1e-9; t += step) values.push(Math.abs(t) < step * 1e-9 ? 0 : t);
    return { values, decimals: Math.max(0, -Math.floor(Math.log10(step))) };
  }
  function draw() {
    const ratio = window.devicePixelRatio || 1, width = canvas.clientWidth, height = canvas.clientHeight;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.fillStyle = "#fff";
    context.fillRect(0, 0, width, height);
    const box = plotBox(), v = state.view;
    canvas.dataset.view = [v.xMin, v.xMax, v.yMin, v.yMax].join(" ");
    canvas.dataset.plot = [box.left, box.top, box.width, box.height].join(" ");
    context.strokeStyle = "#ccc";
    context.strokeRect(box.left - 0.5, box.top - 0.5, box.width + 1, box.height + 1);
    context.fillStyle = "#555";
    context.font = "12px 'DejaVu Sans', Arial, sans-serif";
    context.textAlign = "center";
    context.textBaseline = "top";
    const xTicks = ticks(v.xMin, v.xMax, Math.max(2, Math.floor(box.width / 90)));
    for (const t of xTicks.values) {
      const [sx] = toScreen(t, 0, box);
      context.fillText(t.toFixed(xTicks.decimals), sx, box.top + box.height + 4);
    }
    context.fillText(axisName(state.x), box.left + box.width / 2, box.top + box.height + 22);
    context.textAlign = "right";
    context.textBaseline = "middle";
    const yTicks = ticks(v.yMin, v.yMax, Math.max(2, Math.floor(box.height / 60)));
    for (const t of yTicks.values) {
      const [, sy] = toScreen(0, t, box);
      context.fillText(t.toFixed(yTicks.decimals), box.left - 6, sy);
    }
    context.save();
    context.translate(14, box.top + box.height / 2);
    context.rotate(-Math.PI / 2);
    context.textAlign = "center";
    context.fillText(axisName(state.y), 0, 0);
    context.restore();

    context.save();
    context.beginPath();
    context.rect(box.left, box.top, box.width, box.height);
    context.clip();
    // One path per colour; a chosen cluster is drawn last and stronger.
    const groups = new Map();
    for (let point = 0; point < count; point++) {
      if (!visible(point)) continue;
      const key = state.by === "cluster" ? clusters[point] : labels[point];
      const chosen = state.cluster < 0 || clusters[point] === state.cluster;
      const group = (chosen ? "a" : "b") + key;
      if (!groups.has(group)) groups.set(group, { key, chosen, points: [] });
      groups.get(group).points.push(point);
    }
    const ordered = [...groups.values()].sort((a, b) => (a.chosen === b.chosen ? a.key - b.key : a.chosen ? 1 : -1));
    for (const group of ordered) {
      context.globalAlpha = group.chosen ? 0.7 : 0.15;
      context.fillStyle = colour(group.key);
      context.beginPath();
      for (const point of group.points) {
        const [sx, sy] = toScreen(value(point, state.x), value(point, state.y), box);
        context.moveTo(sx + pointRadius, sy);
        context.arc(sx, sy, pointRadius, 0, 2 * Math.PI);
      }
      context.fill();
    }
    context.globalAlpha = 1;
    context.lineWidth = 2;
    // A t-SNE view has no centres: a cluster may lie in several places in it.
    if (!state.tsne) data.centres.forEach((centre) => {
      const [sx, sy] = toScreen(centre[state.x], centre[state.y], box);
      for (const [style, width] of [["#fff", 4], ["#222", 2]]) {
        context.strokeStyle = style;
        context.lineWidth = width;
        context.beginPath();
        context.moveTo(sx - 6, sy - 6);
        context.lineTo(sx + 6, sy + 6);
        context.moveTo(sx + 6, sy - 6);
        context.lineTo(sx - 6, sy + 6);
        context.stroke();
      }
    });
    if (state.hover >= 0 && visible(state.hover)) {
      const [sx, sy] = toScreen(value(state.hover, state.x), value(state.hover, state.y), box);
      context.strokeStyle = "#000";
      context.lineWidth = 1.5;
      context.beginPath();
      context.arc(sx, sy, 6, 0, 2 * Math.PI);
      context.stroke();
    }
    context.restore();
  }

  // --- The chosen image. ---
  function showPoint(point) {
    state.hover = point;
    const face = $("explorer-face"), facts = $("explorer-facts");
    showFace(face, point, 192);
    face.setAttribute("aria-label", "Face of " + imageName(point));
    const silhouette = silhouettes[point];
    const entries = [
      ["Image", imageName(point)],
      ["True label", data.labels[labels[point]]],
      ["Cluster", String(clusters[point])],
      ["Cluster's label", data.clusterLabels[clusters[point]] || "none"],
      ["Silhouette", Number.isNaN(silhouette) ? "not scored (outside the silhouette's sample)" : silhouette.toFixed(3)],
      ["Distance to centre", distances[point].toFixed(3)],
    ];
    facts.replaceChildren();
    for (const [term, text] of entries) {
      const dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = term;
      dd.textContent = text;
      facts.append(dt, dd);
    }
    root.dataset.point = String(point);
    draw();
  }

  // --- Clusters and their images. ---
  const clusterButtons = [];
  function buildClusterList() {
    const list = $("explorer-clusters"), sizes = new Array(clusterCount).fill(0);
    for (let point = 0; point < count; point++) sizes[clusters[point]]++;
    for (let cluster = 0; cluster < clusterCount; cluster++) {
      const item = document.createElement("li"), button = document.createElement("button");
      button.type = "button";
      button.dataset.cluster = String(cluster);
      button.setAttribute("aria-pressed", "false");
      const swatch = document.createElement("span");
      swatch.className = "explorer-swatch";
      swatch.style.background = colour(cluster);
      button.append(swatch, clusterName(cluster) + " · " + sizes[cluster].toLocaleString("en") + " images");
      button.addEventListener("click", () => chooseCluster(state.cluster === cluster ? -1 : cluster));
      item.append(button);
      list.append(item);
      clusterButtons.push(button);
    }
  }
  function chooseCluster(cluster) {
    state.cluster = cluster;
    state.page = 0;
    clusterButtons.forEach((button, index) => button.setAttribute("aria-pressed", String(index === cluster)));
    $("explorer-members").hidden = cluster < 0;
    root.dataset.cluster = String(cluster);
    if (cluster >= 0) showMembers();
    draw();
  }
  function showMembers() {
    const cluster = state.cluster, start = data.memberStarts[cluster], end = data.memberStarts[cluster + 1];
    const size = end - start, pages = Math.max(1, Math.ceil(size / pageSize));
    state.page = Math.max(0, Math.min(pages - 1, state.page));
    $("explorer-members-title").textContent = clusterName(cluster) + ": " + size.toLocaleString("en") + " images, nearest the centre first";
    const counts = new Array(data.labels.length).fill(0);
    for (let k = start; k < end; k++) counts[labels[members[k]]]++;
    const bar = $("explorer-composition"), words = [];
    bar.replaceChildren();
    counts.forEach((n, label) => {
      if (n === 0) return;
      const share = (100 * n) / size, part = document.createElement("span");
      part.style.width = share + "%";
      part.style.background = colour(label);
      part.title = data.labels[label] + ": " + share.toFixed(1) + "%";
      bar.append(part);
      words.push(data.labels[label] + " " + share.toFixed(1) + "%");
    });
    bar.setAttribute("aria-label", "True labels of the cluster's images: " + words.join(", "));
    $("explorer-composition-text").textContent = "True labels: " + words.join(" · ");
    const list = $("explorer-member-list");
    list.replaceChildren();
    for (let k = start + state.page * pageSize; k < Math.min(end, start + (state.page + 1) * pageSize); k++) {
      const point = members[k], item = document.createElement("li"), button = document.createElement("button");
      button.type = "button";
      button.className = "explorer-member";
      button.dataset.point = String(point);
      button.dataset.row = String(rows[point]);
      button.title = imageName(point) + ", " + data.labels[labels[point]] + ", distance " + distances[point].toFixed(3);
      button.setAttribute("aria-label", button.title);
      const face = document.createElement("span");
      face.className = "explorer-face";
      showFace(face, point, 64);
      button.append(face);
      button.addEventListener("click", () => showPoint(point));
      item.append(button);
      list.append(item);
    }
    $("explorer-page").textContent = "page " + (state.page + 1) + " of " + pages;
    $("explorer-previous").disabled = state.page === 0;
    $("explorer-next").disabled = state.page >= pages - 1;
  }

  // --- Controls. ---
  function fillSelect(select, names, chosen) {
    names.forEach((name, index) => {
      const option = document.createElement("option");
      option.value = String(index);
      option.textContent = name;
      option.selected = index === chosen;
      select.append(option);
    });
  }
  const componentNames = Array.from({ length: data.components }, (_, i) => axisName(i));
  fillSelect($("explorer-x"), componentNames, state.x);
  fillSelect($("explorer-y"), componentNames, state.y);
  data.labels.forEach((name, index) => {
    const option = document.createElement("option");
    option.value = String(index);
    option.textContent = name + " only";
    $("explorer-filter").append(option);
  });
  function changeAxes() {
    state.x = Number($("explorer-x").value);
    state.y = Number($("explorer-y").value);
    buildGrid();
    state.view = fittedView();
    draw();
  }
  $("explorer-x").addEventListener("change", changeAxes);
  if (tsne && $("explorer-view")) {
    $("explorer-view").addEventListener("change", (event) => {
      state.tsne = event.target.value === "tsne";
      root.dataset.view = state.tsne ? "tsne" : "components";
      $("explorer-x").disabled = state.tsne;
      $("explorer-y").disabled = state.tsne;
      if (state.tsne) {
        state.x = data.components;
        state.y = data.components + 1;
        buildGrid();
        state.view = fittedView();
        draw();
      } else {
        changeAxes();
      }
    });
  }
  $("explorer-y").addEventListener("change", changeAxes);
  $("explorer-filter").addEventListener("change", (event) => {
    state.label = Number(event.target.value);
    draw();
  });
  for (const radio of document.querySelectorAll("input[name=explorer-colour]")) {
    radio.addEventListener("change", () => {
      state.by = radio.value;
      root.dataset.colour = state.by;
      buildLegend();
      draw();
    });
  }
  function buildLegend() {
    const legend = $("explorer-legend");
    legend.replaceChildren();
    const names = state.by === "cluster" ? data.centres.map((_, c) => clusterName(c)) : data.labels;
    names.forEach((name, index) => {
      const item = document.createElement("li"), swatch = document.createElement("span");
      swatch.className = "explorer-swatch";
      swatch.style.background = colour(index);
      item.append(swatch, name);
      legend.append(item);
    });
  }
  function zoom(factor, sx, sy) {
    const box = plotBox(), [cx, cy] = toData(sx, sy, box), v = state.view;
    state.view = {
      xMin: cx - (cx - v.xMin) * factor, xMax: cx + (v.xMax - cx) * factor,
      yMin: cy - (cy - v.yMin) * factor, yMax: cy + (v.yMax - cy) * factor,
    };
    draw();
  }
  function pan(dx, dy) {
    const box = plotBox(), v = state.view;
    const ux = ((v.xMax - v.xMin) / box.width) * dx, uy = ((v.yMax - v.yMin) / box.height) * dy;
    state.view = { xMin: v.xMin - ux, xMax: v.xMax - ux, yMin: v.yMin + uy, yMax: v.yMax + uy };
    draw();
  }
  const middle = () => {
    const box = plotBox();
    return [box.left + box.width / 2, box.top + box.height / 2];
  };
  $("explorer-zoom-in").addEventListener("click", () => zoom(1 / 1.5, ...middle()));
  $("explorer-zoom-out").addEventListener("click", () => zoom(1.5, ...middle()));
  $("explorer-reset").addEventListener("click", () => {
    state.view = fittedView();
    draw();
  });
  $("explorer-previous").addEventListener("click", () => { state.page--; showMembers(); });
  $("explorer-next").addEventListener("click", () => { state.page++; showMembers(); });

  const position = (event) => {
    const rect = canvas.getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  };
  let drag = null;
  canvas.addEventListener("pointerdown", (event) => {
    drag = { start: position(event), last: position(event), moved: false };
    canvas.setPointerCapture(event.pointerId);
  });
  canvas.addEventListener("pointermove", (event) => {
    const [sx, sy] = position(event);
    if (drag) {
      const dx = sx - drag.last[0], dy = sy - drag.last[1];
      if (Math.abs(sx - drag.start[0]) + Math.abs(sy - drag.start[1]) > 4) drag.moved = true;
      if (drag.moved) {
        drag.last = [sx, sy];
        pan(dx, dy);
        return;
      }
    }
    if (event.pointerType === "mouse") {
      const point = nearestPoint(sx, sy);
      if (point >= 0 && point !== state.hover) showPoint(point);
    }
  });
  canvas.addEventListener("pointerup", (event) => {
    const tapped = drag && !drag.moved;
    drag = null;
    if (!tapped) return;
    const point = nearestPoint(...position(event));
    if (point >= 0) showPoint(point);
  });
  canvas.addEventListener("wheel", (event) => {
    event.preventDefault();
    zoom(Math.pow(1.2, Math.sign(event.deltaY)), ...position(event));
  }, { passive: false });
  canvas.addEventListener("keydown", (event) => {
    const step = 40, keys = {
      ArrowLeft: () => pan(step, 0), ArrowRight: () => pan(-step, 0), ArrowUp: () => pan(0, step), ArrowDown: () => pan(0, -step),
      "+": () => zoom(1 / 1.5, ...middle()), "=": () => zoom(1 / 1.5, ...middle()), "-": () => zoom(1.5, ...middle()),
      "0": () => { state.view = fittedView(); draw(); },
    };
    if (keys[event.key]) {
      event.preventDefault();
      keys[event.key]();
    }
  });
  window.addEventListener("resize", draw);

  buildClusterList();
  buildLegend();
  buildGrid();
  state.view = fittedView();
  draw();
  root.dataset.colour = state.by;
  root.dataset.view = "components";
  root.dataset.state = "ready";
})();
