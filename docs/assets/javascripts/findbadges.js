/* "Find my badges" (docs/find-badges.md): an earner's badges found by their email address or GitHub login.
   The address is hashed here, with each badge's salt, as Open Badges hashes a recipient
   ("sha256$" + hex(sha256(email + salt))), and compared with the site's static index
   (badges/recipients/): no request carries it, nothing is stored. Web Crypto only, no dependencies. */
(function () {
  "use strict";

  const SHARD = 3, PREFIX = 2;

  function el(tag, attrs, ...kids) {
    const n = document.createElement(tag);
    Object.keys(attrs || {}).forEach((k) => n.setAttribute(k, attrs[k]));
    kids.forEach((k) => { if (k !== null && k !== undefined) n.append(k); });
    return n;
  }
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  async function sha256(text) {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  }

  function siteRoot() {
    const script = document.querySelector('script[src*="assets/javascripts/findbadges.js"]');
    return script ? new URL("../../", script.src).href : new URL("../", window.location.href).href;
  }
  async function getFile(rel, kind) {
    const response = await fetch(siteRoot() + "badges/recipients/" + rel, { credentials: "omit", referrerPolicy: "no-referrer", cache: "default" });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`The site answered ${response.status}.`);
    return kind === "bytes" ? new Uint8Array(await response.arrayBuffer()) : response.json();
  }

  /** salts.bin: "MCS1", then records [digits][salt bytes][n][n × PREFIX bytes of identity]. */
  function readSalts(bytes) {
    if (!bytes || String.fromCharCode(...bytes.subarray(0, 4)) !== "MCS1") return [];
    const out = [];
    let at = 4;
    while (at < bytes.length) {
      const digits = bytes[at++], size = (digits + 1) >> 1;
      const salt = hex(bytes.subarray(at, at + size)).slice(0, digits);
      at += size;
      const n = bytes[at++];
      const prefixes = new Set();
      for (let i = 0; i < n; i++, at += PREFIX) prefixes.add(hex(bytes.subarray(at, at + PREFIX)));
      out.push({ salt, prefixes });
    }
    return out;
  }

  async function byEmail(email) {
    const salts = readSalts(await getFile("salts.bin", "bytes"));
    const hits = new Set();
    for (let start = 0; start < salts.length; start += 2048) { // digests in batches: Web Crypto runs them in parallel
      const batch = salts.slice(start, start + 2048);
      const digests = await Promise.all(batch.map(({ salt }) => sha256(email + salt)));
      digests.forEach((d, i) => { const h = hex(d); if (batch[i].prefixes.has(h.slice(0, 2 * PREFIX))) hits.add(h); });
    }
    const shards = {};
    for (const digest of hits) {
      const name = digest.slice(0, SHARD);
      if (!(name in shards)) shards[name] = (await getFile(`email/${name}.json`)) || {};
    }
    return Array.from(hits).flatMap((digest) => shards[digest.slice(0, SHARD)]["sha256$" + digest] || []);
  }

  async function byLogin(login) {
    const name = hex(await sha256(login)).slice(0, SHARD);
    const shard = (await getFile(`login/${name}.json`)) || {};
    return shard[login] || [];
  }

  function show(found, stacks, out, said) {
    const root = siteRoot();
    const seen = new Set(), badges = found.filter((b) => !seen.has(b.u) && seen.add(b.u));
    const order = (b) => `${b.d} ${b.k === "stack" ? 1 : 0} ${b.u}`; // by day earned, a stack after its members
    badges.sort((a, b) => (order(a) < order(b) ? -1 : 1));
    const today = new Date().toISOString().slice(0, 10);
    const lapse = (day) => (day <= today ? el("strong", { class: "mc-find-expired" }, `; expired ${day}`) : `; expires ${day}`);
    // A badge of a badge site names its page ("p"); the others are on this site.
    const page = (b) => (typeof b.p === "string" && /^https:\/\//.test(b.p) ? b.p : `${root}badges/earned/${b.u}/`);
    const link = (b) => el("a", { href: page(b) }, b.t);
    said.textContent = badges.length ? `${badges.length} badge${badges.length === 1 ? "" : "s"} found.` : "No badge found for that.";
    const parts = [];
    if (badges.length) {
      parts.push(el("h2", { id: "mc-find-badges" }, "Your badges"),
        el("ul", { class: "mc-find-list" }, ...badges.map((b) => el("li", { "data-uuid": b.u }, link(b), ` (${b.k === "stack" ? "stack" : "micro-credential"}), earned ${b.d}`, b.x ? lapse(b.x) : ""))));
      const held = new Set(badges.filter((b) => b.k === "credential").map((b) => b.i));
      const complete = new Set(badges.filter((b) => b.k === "stack").map((b) => b.i));
      const started = stacks.filter((s) => complete.has(s.id) || s.m.some((m) => held.has(m.i)));
      if (started.length) {
        parts.push(el("h2", { id: "mc-find-stacks" }, "Your stacks"));
        parts.push(el("ul", { class: "mc-find-stacks" }, ...started.map((s) => {
          const have = s.m.filter((m) => held.has(m.i)), missing = s.m.filter((m) => !held.has(m.i));
          const stackPage = el("a", { href: `${root}catalog/stacks/${s.id}/` }, s.t);
          return el("li", { "data-stack": s.id }, stackPage, `: ${have.length} of ${s.m.length} held`,
            complete.has(s.id) ? " (stack badge earned)" : "",
            missing.length ? el("span", {}, "; still to earn: ", ...missing.flatMap((m, i) => [i ? ", " : "", el("a", { href: `${root}catalog/credentials/${m.i}/` }, m.t)])) : "");
        })));
      }
    }
    out.replaceChildren(...parts);
  }

  function bind() {
    const root = document.getElementById("mc-find");
    if (!root || root.dataset.mcFindBound) return;
    root.dataset.mcFindBound = "true";
    const out = root.querySelector("#mc-find-results"), said = root.querySelector("#mc-find-status");
    let stacks = null;
    const run = (form, lookup) => form.addEventListener("submit", (event) => {
      event.preventDefault();
      const input = form.querySelector("input");
      const value = input.value.trim().toLowerCase();
      if (!value) { said.textContent = "Type it first."; return; }
      said.textContent = "Looking…";
      out.replaceChildren();
      Promise.all([lookup(value), stacks || getFile("stacks.json").then((s) => (stacks = (s && s.stacks) || []))])
        .then(([found]) => show(found, stacks, out, said))
        .catch((e) => { said.textContent = `The index could not be read: ${e && e.message ? e.message : "try again"}.`; });
    });
    const email = root.querySelector("form.mc-find-email"), login = root.querySelector("form.mc-find-login");
    if (email) run(email, byEmail);
    if (login) run(login, byLogin);
  }

  if (typeof window.document$ !== "undefined" && typeof window.document$.subscribe === "function") window.document$.subscribe(bind);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bind);
  else bind();
})();
