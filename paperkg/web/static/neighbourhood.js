// Neighbourhood graph: the entity at the centre, the entities sharing most papers with it around, one edge per
// pair weighted by shared papers (papers collapsed). Click an entity to add its own neighbours.
// Sets window.explorer = {cy, expand} and window.explorerReady once laid out.
(function () {
  "use strict";
  const container = document.getElementById("cy");
  const centre = container.dataset.entity;
  const info = document.getElementById("info");
  const showPapers = document.getElementById("show-papers");
  const colors = {Paper: "#9e9e9e", Model: "#4e79a7", Method: "#f28e2b", Dataset: "#59a14f",
                  Benchmark: "#e15759", Task: "#b07aa1", Metric: "#edc948"};
  const expanded = new Set();

  function api(id, params) {
    return fetch("/api/neighbourhood/" + encodeURIComponent(id) + "?" + new URLSearchParams(params))
      .then((r) => { if (!r.ok) throw new Error(`neighbourhood of ${id}: HTTP ${r.status}`); return r.json(); });
  }
  function pageUrl(node) {
    const prefix = node.data("kind") === "paper" ? "/paper/" : "/entity/";
    return prefix + encodeURIComponent(node.id()).replace(/%3A/g, ":").replace(/%2F/g, "/");
  }
  function label(name) { return name.length > 28 ? name.slice(0, 26) + "…" : name; }
  function nodeElement(n) {
    const paper = n.kind === "paper";
    return {group: "nodes", data: {id: n.id, name: n.name, type: n.type, papers: n.papers, kind: n.kind,
      label: paper ? "" : label(n.name), size: paper ? 10 : Math.round(18 + 7 * Math.sqrt(n.papers))}};
  }
  function edgeElement(e) {
    const id = e.source < e.target ? `${e.source}|${e.target}` : `${e.target}|${e.source}`;
    return {group: "edges", data: {id: id, source: e.source, target: e.target, weight: e.weight,
      spoke: e.source === centre || e.target === centre, relations: e.relations || [], kind: (e.relations || []).length ? "paper" : "shared", width: Math.min(1 + 1.6 * Math.log2(1 + e.weight), 12)}};
  }
  function add(cy, data) {
    const fresh = [];
    for (const n of data.nodes) if (cy.getElementById(n.id).empty()) fresh.push(nodeElement(n));
    const added = cy.add(fresh);
    const edges = [];
    for (const e of data.edges) {
      const el = edgeElement(e);
      if (cy.getElementById(el.data.id).empty() && !cy.getElementById(e.source).empty()
          && !cy.getElementById(e.target).empty()) edges.push(el);
    }
    cy.add(edges);
    return added;
  }

  const cy = cytoscape({
    container: container,
    maxZoom: 2.5,
    minZoom: 0.2,
    style: [
      {selector: "node", style: {
        "background-color": (n) => colors[n.data("type")] || "#777",
        "width": "data(size)", "height": "data(size)", "label": "data(label)",
        "font-size": 12, "color": "#111", "text-valign": "bottom", "text-margin-y": 3,
        "text-background-color": "#fff", "text-background-opacity": 0.85, "text-background-padding": 2,
        "text-background-shape": "roundrectangle", "min-zoomed-font-size": 6}},
      {selector: "node[kind = 'paper']", style: {"shape": "round-rectangle"}},
      {selector: `node[id = ${JSON.stringify(centre)}]`, style: {"border-width": 4, "border-color": "#222",
        "font-size": 15, "font-weight": "bold"}},
      {selector: "edge", style: {"width": "data(width)", "line-color": "#b8c2cf", "opacity": 0.35,
        "curve-style": "straight"}},
      {selector: "edge[?spoke]", style: {"line-color": "#5b6f8a", "opacity": 0.6}},
      {selector: "edge[kind = 'paper']", style: {"line-color": "#ccc", "width": 1, "line-style": "dashed"}},
      {selector: "node:selected", style: {"border-width": 4, "border-color": "#d62728"}},
      {selector: ".faded", style: {"opacity": 0.15}},
    ],
  });

  // Rings: the entity in the middle, the entities around it by type then shared papers, its papers outside.
  function layout(done) {
    const typeOrder = ["Model", "Method", "Dataset", "Benchmark", "Task", "Metric", "Paper"];
    const rings = cy.layout({name: "concentric", animate: false, minNodeSpacing: 30, avoidOverlap: true,
      concentric: (n) => (n.id() === centre ? 3 : n.data("kind") === "paper" ? 1 : 2), levelWidth: () => 1,
      sort: (a, b) => typeOrder.indexOf(a.data("type")) - typeOrder.indexOf(b.data("type"))
        || b.data("papers") - a.data("papers")});
    rings.one("layoutstop", done);
    rings.run();
  }

  function describe(node) {
    const d = node.data();
    const title = document.createElement("h3");
    title.textContent = d.name;
    const meta = document.createElement("div");
    meta.className = "muted";
    meta.textContent = d.kind === "paper" ? `paper · ${d.id}` : `${d.type} · ${d.papers} papers`;
    const link = document.createElement("a");
    link.href = pageUrl(node);
    link.id = "open-node";
    link.textContent = d.kind === "paper" ? "open the paper page →" : "open the entity page →";
    const list = document.createElement("ul");
    node.connectedEdges().sort((a, b) => b.data("weight") - a.data("weight")).slice(0, 25).forEach((edge) => {
      const other = edge.source().id() === node.id() ? edge.target() : edge.source();
      const item = document.createElement("li");
      item.textContent = `${other.data("name")} (${edge.data("weight")} shared)`;
      list.appendChild(item);
    });
    info.replaceChildren(title, meta, link, list);
  }

  function expand(node) {
    if (node.data("kind") === "paper" || expanded.has(node.id())) return Promise.resolve(0);
    expanded.add(node.id());
    return api(node.id(), {limit: "12"}).then((data) => {
      const added = add(cy, data);
      const at = node.position();
      const radius = 90 + 8 * added.length;
      added.forEach((n, i) => {
        const angle = (2 * Math.PI * i) / Math.max(added.length, 1);
        n.position({x: at.x + radius * Math.cos(angle), y: at.y + radius * Math.sin(angle)});
      });
      return added.length;
    });
  }

  cy.on("tap", "node", (event) => {
    cy.$(":selected").unselect();
    event.target.select();
    describe(event.target);
    expand(event.target).then(() => describe(event.target));
  });
  cy.on("mouseover", "node", (event) => {
    const near = event.target.closedNeighborhood();
    cy.elements().not(near).addClass("faded");
  });
  cy.on("mouseout", "node", () => cy.elements().removeClass("faded"));

  function load() {
    window.explorerReady = false;
    expanded.clear();
    expanded.add(centre);
    const params = {limit: "25"};
    if (showPapers && showPapers.checked) params.papers = "15";
    return api(centre, params).then((data) => {
      cy.elements().remove();
      add(cy, data);
      layout(() => {
        // the entity itself (not its label) in the middle, zoomed so that every node is in view
        const at = cy.getElementById(centre).position();
        let dx = 1, dy = 1;
        cy.nodes().forEach((n) => {
          const p = n.position(), half = n.data("size") / 2;
          dx = Math.max(dx, Math.abs(p.x - at.x) + half + 40);  // room for a label beside
          dy = Math.max(dy, Math.abs(p.y - at.y) + half + 18);  // and one below
        });
        cy.zoom(Math.min(1.6, (cy.width() / 2 - 10) / dx, (cy.height() / 2 - 10) / dy));
        cy.pan({x: cy.width() / 2 - at.x * cy.zoom(), y: cy.height() / 2 - at.y * cy.zoom()});
        describe(cy.getElementById(centre));
        window.explorerReady = true;
      });
    });
  }
  if (showPapers) showPapers.addEventListener("change", load);
  window.explorer = {cy: cy, expand: expand, centre: centre};
  load();
})();
