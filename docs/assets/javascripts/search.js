/* Search over the Pagefind index that `microcred build` makes over the finished site (pagefind/): the
   header's box on every page, and the search page (docs/search.md) with Pagefind's filters. The index is
   fetched in small pieces, only when someone searches. Everything shown is set as text: titles, summaries
   and filter values come from catalog files, and an excerpt keeps only its <mark> highlights. */
(function () {
  "use strict";

  const HEADER_RESULTS = 6, PAGE_RESULTS = 50, WAIT_MS = 120;
  const FILTERS = [["district", "Endorsed by"], ["subject", "Subject"], ["grade", "Grade band"], ["stack", "Stack"], ["incentive", "Incentive"], ["type", "Type"]];

  function el(tag, attrs, ...kids) {
    const n = document.createElement(tag);
    Object.keys(attrs || {}).forEach((k) => n.setAttribute(k, attrs[k]));
    kids.forEach((k) => { if (k !== null && k !== undefined) n.append(k); });
    return n;
  }
  function siteRoot() {
    const script = document.querySelector('script[src*="assets/javascripts/search.js"]');
    return script ? new URL("../../", script.src) : new URL("./", window.location.href);
  }

  const MISSING = "Search is not available here: its index is made by `microcred build`, and this copy of the site has none.";
  let loading = null;
  /** Pagefind's module, or null where the site has no index (the live preview of `microcred serve`). */
  function pagefind() {
    if (!loading) {
      const root = siteRoot();
      loading = import(new URL("pagefind/pagefind.js", root).href).then(async (pf) => {
        await pf.options({ baseUrl: root.pathname, excerptLength: 20 });
        return pf;
      }, () => null);
    }
    return loading;
  }

  /** A result's address, on this site only. */
  function address(url) {
    const u = new URL(url, window.location.href);
    return u.origin === window.location.origin ? u.pathname + u.search + u.hash : "#";
  }
  /** Pagefind's excerpt is HTML: parsed inert, its text kept and its <mark>s, nothing else. */
  function excerpt(html) {
    const out = document.createDocumentFragment();
    const body = new DOMParser().parseFromString("<!doctype html><body>" + html, "text/html").body;
    body.childNodes.forEach((n) => out.append(n.nodeName === "MARK" ? el("mark", {}, n.textContent) : n.textContent));
    return out;
  }
  function item(data) {
    const summary = data.meta && data.meta.summary;
    return el("li", { class: "mc-search__result" },
      el("a", { href: address(data.url) }, (data.meta && data.meta.title) || data.url),
      el("p", { class: "mc-search__summary" }, summary ? summary : excerpt(data.excerpt || "")));
  }
  async function show(list, results, limit) {
    const data = await Promise.all(results.slice(0, limit).map((r) => r.data()));
    list.replaceChildren(...data.map(item));
  }
  const plural = (n, one) => `${n} ${one}${n === 1 ? "" : "s"}`;

  /* ------------------------------------------------------------ header --- */

  let asked = 0, timer = 0;
  async function headerSearch(form) {
    const input = form.querySelector("input[name=q]"), panel = form.querySelector(".mc-search__results");
    const query = input.value.trim(), mine = ++asked;
    if (!query) { panel.hidden = true; panel.replaceChildren(); return; }
    const pf = await pagefind();
    if (!pf) { panel.replaceChildren(el("p", { class: "mc-search__meta" }, MISSING)); panel.hidden = false; return; }
    const found = await pf.search(query);
    if (mine !== asked) return;
    const list = el("ol", { class: "mc-search__list" });
    await show(list, found.results, HEADER_RESULTS);
    if (mine !== asked) return;
    const all = new URL("search/", siteRoot());
    all.searchParams.set("q", query);
    panel.replaceChildren(
      el("p", { class: "mc-search__meta" }, found.results.length ? plural(found.results.length, "result") : `Nothing matches “${query}”.`),
      list,
      found.results.length > HEADER_RESULTS ? el("a", { class: "mc-search__all", href: address(all.href) }, "All results and filters") : null);
    panel.hidden = false;
  }
  function bindHeader() {
    document.addEventListener("input", (event) => {
      const form = event.target.closest && event.target.closest("form[data-mc-search]");
      if (!form) return;
      clearTimeout(timer);
      timer = setTimeout(() => headerSearch(form), WAIT_MS);
    });
    document.addEventListener("keydown", (event) => {
      const form = event.target.closest && event.target.closest("form[data-mc-search]");
      if (form && event.key === "Escape") form.querySelector(".mc-search__results").hidden = true;
    });
    document.addEventListener("click", (event) => {
      document.querySelectorAll("form[data-mc-search] .mc-search__results").forEach((panel) => {
        if (!panel.closest("form").contains(event.target)) panel.hidden = true;
      });
    });
  }

  /* ------------------------------------------------------- search page --- */

  async function bindPage() {
    const form = document.querySelector("form[data-mc-search-page]");
    if (!form || form.dataset.bound) return;
    form.dataset.bound = "1";
    const list = document.querySelector(".mc-search-page__results");
    const input = form.querySelector("input[name=q]"), count = form.querySelector(".mc-count");
    const params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    const pf = await pagefind();
    if (!pf) { form.hidden = false; count.textContent = MISSING; return; }
    const available = await pf.filters();
    const selects = {};
    const box = form.querySelector(".mc-search-page__filters");
    FILTERS.forEach(([key, label]) => {
      if (!available[key]) return;
      const id = "mc-search-filter-" + key;
      const select = el("select", { id, name: key }, el("option", { value: "" }, "Any"));
      Object.keys(available[key]).sort().forEach((value) => select.append(el("option", { value }, value)));
      select.value = params.get(key) || "";
      selects[key] = select;
      box.append(el("div", { class: "mc-search-page__filter" }, el("label", { for: id }, label), select));
    });
    form.hidden = false;
    let mine = 0;
    async function run() {
      const ask = ++mine, query = input.value.trim(), filters = {}, kept = new URLSearchParams();
      if (query) kept.set("q", query);
      Object.entries(selects).forEach(([key, select]) => { if (select.value) { filters[key] = select.value; kept.set(key, select.value); } });
      const here = window.location.pathname + (kept.toString() ? "?" + kept : "");
      if (here !== window.location.pathname + window.location.search) window.history.replaceState(window.history.state, "", here);
      if (!query && !Object.keys(filters).length) { list.replaceChildren(); count.textContent = ""; return; }
      const found = await pf.search(query || null, { filters });
      if (ask !== mine) return;
      await show(list, found.results, PAGE_RESULTS);
      if (ask !== mine) return;
      const n = found.results.length;
      count.textContent = n > PAGE_RESULTS ? `${plural(n, "result")}, the first ${PAGE_RESULTS} shown` : n ? plural(n, "result") : "Nothing matches; remove a word or a filter.";
    }
    form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
    form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, WAIT_MS); });
    form.addEventListener("change", run);
    run();
  }

  bindHeader();
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(() => bindPage());
  else bindPage();
})();
