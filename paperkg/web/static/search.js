// Type-ahead for the search box: /api/search as you type (exact, alias, fuzzy, then names starting with it).
(function () {
  "use strict";
  const box = document.getElementById("q");
  const type = document.getElementById("type");
  const list = document.getElementById("suggest");
  if (!box || !list) return;
  let pending = null;
  let asked = 0;
  let active = -1;

  function entityUrl(id) {
    return "/entity/" + encodeURIComponent(id).replace(/%3A/g, ":");
  }

  function render(hits) {
    list.replaceChildren();
    active = -1;
    for (const hit of hits) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = entityUrl(hit.entity.id);
      link.textContent = hit.entity.name;
      const meta = document.createElement("span");
      meta.className = "muted";
      meta.textContent = `${hit.entity.type} · ${hit.entity.paper_count} papers`;
      link.appendChild(meta);
      item.appendChild(link);
      list.appendChild(item);
    }
    list.hidden = hits.length === 0;
  }

  async function ask() {
    const text = box.value.trim();
    const ticket = ++asked;
    if (!text) { render([]); return; }
    const params = new URLSearchParams({q: text, limit: "8"});
    if (type.value) params.set("type", type.value);
    const response = await fetch("/api/search?" + params.toString());
    if (!response.ok || ticket !== asked) return;
    render((await response.json()).hits);
  }

  box.addEventListener("input", () => {
    clearTimeout(pending);
    pending = setTimeout(ask, 120);
  });
  type.addEventListener("change", ask);
  box.addEventListener("keydown", (event) => {
    const links = list.querySelectorAll("a");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!links.length) return;
      event.preventDefault();
      active = (active + (event.key === "ArrowDown" ? 1 : links.length - 1)) % links.length;
      links.forEach((a, i) => a.classList.toggle("active", i === active));
    } else if (event.key === "Enter" && active >= 0 && links[active]) {
      event.preventDefault();
      window.location.href = links[active].href;
    } else if (event.key === "Escape") {
      render([]);
    }
  });
  document.addEventListener("click", (event) => {
    if (!list.contains(event.target) && event.target !== box) list.hidden = true;
  });
})();
