/*
 * Browse page: faceted filtering of the server-rendered list of micro-credentials.
 *
 * Runs only where the page holds #mc-browse. The list itself is plain HTML built
 * by the site generator, so the page works with scripts off; this script only
 * reveals the filter form, builds one fieldset of checkboxes per facet from the
 * JSON index, and shows or hides the existing <li data-id> items.
 *
 * Filtering: OR within a facet, AND across facets, and every word of the text
 * box must appear in the title, summary, competency or tags. Each value's count
 * is how many credentials would match if it were also selected, given the text
 * and the selections in all other facets. The state lives in the query string
 * (?subject=science&grade=6-8&text=data), so a reloaded or shared URL restores it.
 *
 * Works with mkdocs-material's instant navigation: init() runs on every page
 * the theme's document$ observable emits, and each #mc-browse is bound once.
 * Plain ES2017, no dependencies.
 */
(function () {
  "use strict";

  if (window.__mcBrowse) return; // the file was evaluated twice: bind once
  window.__mcBrowse = true;

  // Not "q": mkdocs-material reads ?q= on load to open its own site search.
  const TEXT = "text";
  const BOUND = "mcBound";

  function words(text) {
    return String(text || "").toLowerCase().split(/\s+/).filter(Boolean);
  }

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  // One credential of the index, prepared for matching: a Set per facet and one
  // lower-cased string holding every searchable field.
  function prepare(entry, facets) {
    const sets = {};
    for (const facet of facets) {
      const value = entry[facet.key];
      sets[facet.key] = new Set(Array.isArray(value) ? value : value == null ? [] : [value]);
    }
    const haystack = [entry.title, entry.summary, entry.competency]
      .concat(Array.isArray(entry.tags) ? entry.tags : [])
      .join(" \n ")
      .toLowerCase();
    const gives = entry.gives && typeof entry.gives === "object" ? entry.gives : {};
    return { id: entry.id, sets: sets, haystack: haystack, gives: gives };
  }

  function buildFacets(container, facets) {
    const options = {}; // facet key -> [{input, label, count}]
    container.textContent = "";
    for (const facet of facets) {
      const fieldset = element("fieldset", "mc-facet");
      fieldset.appendChild(element("legend", "", facet.label));
      options[facet.key] = [];
      for (const pair of facet.values) {
        const label = element("label", "mc-option");
        const input = element("input");
        input.type = "checkbox";
        input.name = facet.key;
        input.value = pair[0];
        const count = element("span", "mc-option-count");
        const text = element("span", "mc-option-text");
        text.append(element("span", "mc-option-label", pair[1]), " ", count);
        label.append(input, " ", text);
        fieldset.appendChild(label);
        options[facet.key].push({ input: input, label: label, count: count });
      }
      container.appendChild(fieldset);
    }
    return options;
  }

  // The facets fold into "Filters" on narrow screens, so that the first cards show without scrolling past them.
  function collapsible(form, facetBox) {
    if (facetBox === form) return null;
    const box = element("details", "mc-facet-box");
    const summary = element("summary", "mc-facet-summary", "Filters");
    facetBox.parentNode.insertBefore(box, facetBox);
    box.append(summary, facetBox);
    box.open = !window.matchMedia("(max-width: 44.9375em)").matches;
    return summary;
  }

  function setup(root, form, list, data) {
    const facets = (data.facets || []).filter((f) => f && f.key && Array.isArray(f.values));
    const keys = facets.map((f) => f.key);
    const byId = new Map();
    for (const entry of data.credentials || []) byId.set(entry.id, prepare(entry, facets));
    const credentials = Array.from(byId.values());
    const districtFacet = facets.find((f) => f.key === "district");
    const districtNames = new Map(districtFacet ? districtFacet.values : []);
    const districtName = (id) => districtNames.get(id) || id;
    const items = Array.from(list.querySelectorAll("li[data-id]"));
    const search = form.querySelector("input[name='" + TEXT + "']") || form.querySelector("input[type='search']");
    const status = form.querySelector(".mc-count");
    const facetBox = form.querySelector(".mc-facets") || form;
    const options = buildFacets(facetBox, facets);
    const toggle = collapsible(form, facetBox);

    let empty = root.querySelector(".mc-empty");
    if (!empty) {
      empty = element("p", "mc-empty", "No micro-credential matches; clear a filter.");
      list.parentNode.insertBefore(empty, list.nextSibling);
    }
    empty.hidden = true;

    function selection() {
      const selected = {};
      for (const key of keys) {
        selected[key] = options[key].filter((o) => o.input.checked).map((o) => o.input.value);
      }
      return selected;
    }

    function matchesFacet(credential, key, values) {
      if (!values.length) return true;
      const set = credential.sets[key];
      return values.some((v) => set.has(v));
    }

    function matchesText(credential, terms) {
      return terms.every((t) => credential.haystack.indexOf(t) !== -1);
    }

    // Credentials that pass the text and every facet except `skip` (none when undefined).
    function matching(selected, terms, skip) {
      return credentials.filter(
        (c) => matchesText(c, terms) && keys.every((k) => k === skip || matchesFacet(c, k, selected[k]))
      );
    }

    function writeURL(selected) {
      const params = new URLSearchParams(location.search);
      for (const key of keys.concat(TEXT)) params.delete(key);
      for (const key of keys) for (const value of selected[key]) params.append(key, value);
      const text = search ? search.value.trim() : "";
      if (text) params.set(TEXT, text);
      const query = params.toString();
      const url = location.pathname + (query ? "?" + query : "") + location.hash;
      if (url !== location.pathname + location.search + location.hash) {
        history.replaceState(history.state, "", url); // keep the theme's scroll state
      }
    }

    function readURL() {
      const params = new URLSearchParams(location.search);
      for (const key of keys) {
        const wanted = params.getAll(key);
        for (const o of options[key]) o.input.checked = wanted.indexOf(o.input.value) !== -1;
      }
      if (search) search.value = params.get(TEXT) || "";
    }

    function update(syncURL) {
      const selected = selection();
      const terms = words(search ? search.value : "");
      const active = terms.length > 0 || keys.some((k) => selected[k].length > 0);
      const shownIds = new Set(matching(selected, terms).map((c) => c.id));

      let shown = 0;
      for (const item of items) {
        const known = byId.has(item.dataset.id);
        const visible = known ? shownIds.has(item.dataset.id) : !active;
        item.hidden = !visible;
        if (visible) shown += 1;
      }

      for (const key of keys) {
        const counts = new Map();
        for (const c of matching(selected, terms, key)) {
          for (const value of c.sets[key]) counts.set(value, (counts.get(value) || 0) + 1);
        }
        for (const o of options[key]) {
          const n = counts.get(o.input.value) || 0;
          o.count.textContent = "(" + n + ")";
          o.label.classList.toggle("mc-zero", n === 0);
        }
      }

      // With districts chosen, each card says what those districts give for it.
      const districts = selected.district || [];
      for (const item of items) {
        let note = item.querySelector(".mc-card-gives");
        const entry = byId.get(item.dataset.id);
        const gives = entry ? districts.filter((d) => Object.prototype.hasOwnProperty.call(entry.gives, d)) : [];
        if (!gives.length) {
          if (note) note.remove();
          continue;
        }
        if (!note) {
          note = element("span", "mc-card-gives");
          item.appendChild(note);
        }
        note.textContent = gives.map((d) => districtName(d) + " gives: " + entry.gives[d]).join(" · ");
      }
      if (toggle) {
        const chosen = keys.reduce((n, k) => n + selected[k].length, 0);
        toggle.textContent = chosen ? "Filters (" + chosen + " chosen)" : "Filters";
      }

      const noun = items.length === 1 ? "micro-credential" : "micro-credentials";
      if (status) status.textContent = shown + " of " + items.length + " " + noun;
      empty.hidden = shown !== 0;
      if (syncURL) writeURL(selected);
    }

    form.addEventListener("change", (event) => {
      if (event.target && event.target.type === "checkbox") update(true);
    });
    form.addEventListener("input", (event) => {
      if (event.target === search) update(true);
    });
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("reset", (event) => {
      event.preventDefault(); // clear by hand so the state and the URL follow at once
      for (const key of keys) for (const o of options[key]) o.input.checked = false;
      if (search) search.value = "";
      update(true);
    });

    readURL();
    form.hidden = false;
    update(false);
    root.classList.add("mc-ready");
  }

  function init() {
    const root = document.getElementById("mc-browse");
    if (!root || root.dataset[BOUND]) return;
    const form = root.querySelector("form.mc-filters");
    const list = root.querySelector(".mc-list");
    if (!form || !list) return;
    root.dataset[BOUND] = "loading";

    const url = new URL(root.getAttribute("data-index") || "index.json", location.href);
    fetch(url.href, { credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error("HTTP " + response.status + " for " + url.href);
        return response.json();
      })
      .then((data) => {
        if (!root.isConnected) return; // the reader navigated away meanwhile
        setup(root, form, list, data);
        root.dataset[BOUND] = "ready";
      })
      .catch((error) => {
        // Leave the server-rendered list as it is: the page still works without filters.
        root.dataset[BOUND] = "failed";
        if (window.console) console.warn("microcred browse: filters unavailable:", error);
      });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => init());
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
