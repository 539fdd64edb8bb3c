// paperkg graph view: draws the JSON in #graph-data with Cytoscape.js (inlined above), offline.
// Exposes window.paperkg = {cy, search, expand} and sets window.paperkgReady once laid out.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const typeColors = data.typeColors;
  const relationColors = data.relationColors;

  // Same spelling key as paperkg.graph.schema.entity_key: GPT-4, gpt4 and "gpt 4" all give "gpt4".
  function key(text) {
    return String(text).normalize("NFKC").toLowerCase().trim()
      .replace(/[\s\-\u2010\u2011\u2012\u2013\u2014_/]+/g, "")
      .replace(/(?<!\d)\.|\.(?!\d)/g, "");
  }

  function escapeHtml(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, (c) => (
      {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  }

  // Only http(s) addresses become links (the page builder drops others too): never javascript: or data:.
  function isWebUrl(text) {
    try {
      return ["http:", "https:"].includes(new URL(String(text)).protocol);
    } catch (error) {
      return false;
    }
  }

  const elements = [];
  for (const node of data.nodes) {
    const short = node.type === "Paper" ? "" : (node.name.length > 24 ? node.name.slice(0, 22) + "…" : node.name);
    elements.push({group: "nodes", data: Object.assign({short: short}, node), classes: node.hidden ? "hidden" : ""});
  }
  for (const edge of data.edges) {
    elements.push({group: "edges", data: edge});
  }

  const collapsed = data.edges.some((e) => e.type === "SHARED_PAPERS");  // the overview: papers collapsed
  const large = data.nodes.length > 500;  // cheaper drawing for big views: no arrows, plain edges while panning
  const cy = cytoscape({
    container: document.getElementById("cy"),
    elements: elements,
    maxZoom: 2,
    hideEdgesOnViewport: large,
    textureOnViewport: large,
    pixelRatio: large ? 1 : "auto",
    style: [
      {selector: "node", style: {
        "background-color": (n) => typeColors[n.data("type")] || "#777",
        "width": "data(size)", "height": "data(size)",
        "label": "data(short)", "font-size": 9, "color": "#222",
        "text-valign": "bottom", "text-margin-y": 2, "min-zoomed-font-size": 7,
      }},
      {selector: "node[type = 'Paper']", style: {"shape": "round-rectangle"}},
      {selector: "edge", style: {
        "width": 1.2, "curve-style": large ? "haystack" : "straight", "arrow-scale": 0.6, "opacity": 0.8,
        "line-color": (e) => relationColors[e.data("type")] || "#ccc",
        "target-arrow-color": (e) => relationColors[e.data("type")] || "#ccc",
        "target-arrow-shape": "triangle",
      }},
      {selector: "edge[type = 'VARIANT_OF']", style: {"line-style": "dashed", "width": 2}},
      {selector: "edge[type = 'SHARED_PAPERS']", style: {"target-arrow-shape": "none", "opacity": 0.6,
        "width": (e) => Math.min(1 + 1.5 * Math.log2(1 + e.data("weight")), 10)}},
      {selector: ".hidden", style: {"display": "none"}},
      {selector: ".match", style: {"border-width": 3, "border-color": "#111"}},
      {selector: "node:selected", style: {"border-width": 4, "border-color": "#000"}},
    ],
  });

  function layoutOptions() {
    if (data.layout === "concentric") {
      const levels = data.nodes.map((n) => n.level || 0);
      const width = Math.max(1, Math.max.apply(null, levels.concat([1])) / 6);
      return {name: "concentric", concentric: (n) => n.data("level") || 0,
              levelWidth: () => (data.focus ? 1 : width), minNodeSpacing: 6, animate: false};
    }
    if (collapsed) {  // entities only, big nodes: more room between them, so that their labels read
      return {name: "cose", animate: false, randomize: true, numIter: 1500, idealEdgeLength: () => 120,
              nodeRepulsion: () => 60000, nodeOverlap: 40, gravity: 0.5, componentSpacing: 80};
    }
    return {name: "cose", animate: false, randomize: true, numIter: 800, idealEdgeLength: () => 60,
            nodeRepulsion: () => 6000};
  }

  // --- hover tooltip -------------------------------------------------------------------------------
  const tip = document.getElementById("tip");
  function describe(ele) {
    const d = ele.data();
    if (ele.isEdge()) {
      let html = `<b>${escapeHtml(d.relations.join(", "))}</b>`;
      if (d.mentions) html += ` · ${d.mentions} mention${d.mentions > 1 ? "s" : ""}`;
      if (d.weight) html += ` · ${d.weight} shared paper${d.weight > 1 ? "s" : ""}`;
      for (const sentence of d.evidence || []) html += `<div class="ev">“${escapeHtml(sentence)}”</div>`;
      return html;
    }
    if (d.type === "Paper") {
      return `<b>${escapeHtml(d.name)}</b><br><span>${escapeHtml(d.id)}${d.date ? " · " + escapeHtml(d.date) : ""}</span>`;
    }
    let html = `<b>${escapeHtml(d.name)}</b> <span>(${escapeHtml(d.type)})</span><br>${d.papers} paper${d.papers === 1 ? "" : "s"}`;
    if (d.aliases && d.aliases.length) html += `<br>also: ${escapeHtml(d.aliases.join(", "))}`;
    if (d.leaderboard) html += leaderboardHtml(d.leaderboard);
    return html;
  }
  function leaderboardHtml(board) {
    const measure = [board.metric, board.unit].filter(Boolean).join(", ");
    let html = `<div class="board"><b>Leaderboard</b>${measure ? " · " + escapeHtml(measure) : ""}<ol>`;
    for (const row of board.rows) {
      html += `<li>${escapeHtml(row.system || "(not named)")} <b>${escapeHtml(row.value)}</b>` +
        ` <span class="paper">${escapeHtml(row.paper)}</span></li>`;
    }
    html += "</ol>";
    if (board.more) html += `<div>${board.more} more</div>`;
    if (board.left_out) html += `<div>${board.left_out} not comparable (other metric or unit) left out</div>`;
    return html + "</div>";
  }
  cy.on("mouseover", "node, edge", (event) => {
    tip.innerHTML = describe(event.target);
    tip.style.display = "block";
    const p = event.renderedPosition || {x: 0, y: 0};
    tip.style.left = (p.x + 12) + "px";
    tip.style.top = (p.y + 12) + "px";
  });
  cy.on("mouseout", "node, edge", () => { tip.style.display = "none"; });

  // --- click: expand and show details; double-click a paper: open it ---------------------------------
  function expand(node) {
    const hidden = node.neighborhood("node.hidden");
    const center = node.position();
    const radius = 60 + 6 * hidden.length;
    hidden.forEach((n, i) => {
      const angle = (2 * Math.PI * i) / Math.max(hidden.length, 1);
      n.position({x: center.x + radius * Math.cos(angle), y: center.y + radius * Math.sin(angle)});
    });
    hidden.removeClass("hidden");
    return hidden.length;
  }

  const info = document.getElementById("info");
  function showInfo(node) {
    const d = node.data();
    let html = `<div class="type">${escapeHtml(d.type)} · ${escapeHtml(d.id)}</div><h3>${escapeHtml(d.name)}</h3>`;
    if (d.type === "Paper") {
      if (d.date) html += `<div>${escapeHtml(d.date)}</div>`;
      if (isWebUrl(d.url)) html += `<a href="${escapeHtml(d.url)}" target="_blank" rel="noopener">open paper ↗</a>`;
    } else {
      html += `<div>${d.papers} paper${d.papers === 1 ? "" : "s"}</div>`;
      if (d.aliases && d.aliases.length) html += `<div>also written: ${escapeHtml(d.aliases.join(", "))}</div>`;
    }
    const around = node.neighborhood("node").not(".hidden");
    html += `<ul>${around.map((n) => `<li>${escapeHtml(n.data("name"))} <span class="type">${escapeHtml(n.data("type"))}</span></li>`).slice(0, 30).join("")}</ul>`;
    info.innerHTML = html;
  }
  cy.on("tap", "node", (event) => {
    expand(event.target);
    showInfo(event.target);
  });
  cy.on("dbltap", "node[type = 'Paper']", (event) => {
    const url = event.target.data("url");
    if (isWebUrl(url)) window.open(url, "_blank", "noopener");
  });

  // --- search ----------------------------------------------------------------------------------------
  const status = document.getElementById("search-status");
  function search(text) {
    cy.nodes(".match").removeClass("match");
    const wanted = key(text);
    if (!wanted) { status.textContent = ""; return []; }
    const scored = [];
    cy.nodes("[type != 'Paper']").forEach((n) => {
      const keys = [n.data("name")].concat(n.data("aliases") || []).map(key);
      let rank = keys.includes(wanted) ? 0 : keys.some((k) => k.startsWith(wanted)) ? 1
        : keys.some((k) => k.includes(wanted)) ? 2 : -1;
      if (rank >= 0) scored.push([rank, -n.data("papers"), n.id(), n]);
    });
    scored.sort((a, b) => a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : 1));
    const found = cy.collection(scored.map((s) => s[3]));
    if (found.empty()) { status.textContent = "no match"; return []; }
    found.removeClass("hidden").addClass("match");
    cy.$(":selected").unselect();
    const best = found[0];
    best.select();
    showInfo(best);
    cy.animate({center: {eles: best}, zoom: Math.max(cy.zoom(), 1.2)}, {duration: 200});
    status.textContent = `${found.length} match${found.length === 1 ? "" : "es"}: ${best.data("name")}`;
    return found.map((n) => n.id());
  }
  const box = document.getElementById("search");
  box.addEventListener("input", () => search(box.value));

  // --- legend, title, layout -------------------------------------------------------------------------
  document.getElementById("title").textContent = data.title;
  document.getElementById("legend").innerHTML =
    Object.entries(typeColors).map(([t, c]) => `<span class="swatch" style="background:${c}"></span>${t}`).join("") +
    "<br>" + Object.entries(relationColors).map(([t, c]) => `<span class="line" style="background:${c}"></span>${t}`).join("");

  const layout = cy.elements().not(".hidden").layout(layoutOptions());
  layout.one("layoutstop", () => {
    cy.fit(cy.elements().not(".hidden"), 30);
    if (data.focus) cy.$id(data.focus).select();
    window.paperkgReady = true;
  });
  window.paperkg = {cy: cy, search: search, expand: expand, key: key};
  layout.run();
})();
