/* "Verify a badge" (docs/verify.md): checks a hosted Open Badges 2.0 assertion,
   or an Open Badges 3.0 credential (an RS256 VC-JWT with a Bitstring Status
   List), in the browser, as a verifier would, and shows one verdict with its
   reasons. Plain ES2018 and the browser's Web Crypto and DecompressionStream,
   no dependencies; active only where #mc-verify exists. */
(function () {
  "use strict";

  // The OB 2.0 context is compared as a string, never fetched: verification
  // must not break when a remote context is slow or gone.
  const OB2_CONTEXTS = ["https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json"];
  const TIMEOUT_MS = 10000;
  const MAX_CHARS = 1 << 20;
  const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
  const SKEW_MS = 10 * 60 * 1000; // tolerated clock difference for "issued in the future"

  /** A reason the badge cannot be verified, worded for the reader. */
  class Problem extends Error {}
  /** A document that could not be read at all (no answer, a timeout, a server error): nothing is proven. */
  class Unreachable extends Problem {}
  const JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

  const list = (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
  const text = (v) => typeof v === "string" && v.trim() !== "";
  const idOf = (v) => (typeof v === "string" ? v : v && typeof v === "object" ? v.id : undefined);
  const hasType = (doc, names) => list(doc.type).some((t) => names.indexOf(t) >= 0);

  function webUrl(value) {
    try {
      const u = new URL(value);
      return u.protocol === "https:" || u.protocol === "http:" ? u : null;
    } catch (e) {
      return null;
    }
  }
  function sameUrl(a, b) {
    const x = webUrl(a), y = webUrl(b);
    return !!x && !!y && x.href === y.href;
  }
  function parseDate(value) {
    if (typeof value !== "string" || !DATE_TIME.test(value)) return null;
    const t = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
    return isNaN(t) ? null : new Date(t);
  }
  function showDate(d) {
    return d.toLocaleString(undefined, { year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
  }

  /** Fetch one JSON document; resolves {doc, url, status}, or rejects with a Problem. */
  async function fetchJson(address, what) {
    const got = await fetchBody(address, what);
    if (got.status === 410) return { doc: parseOrNull(got.body), url: got.url, status: 410 };
    const doc = got.body.length > MAX_CHARS ? null : parseOrNull(got.body);
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
      if (JWS.test(got.body.trim())) return { doc: null, token: got.body.trim(), url: got.url, status: got.status };
      throw new Problem(`The ${what} at ${address} is not a JSON document (it was served as ${got.type}).`);
    }
    return { doc, url: got.url, status: got.status };
  }

  /** Fetch one document's text; resolves {body, url, status, type}, or rejects with a Problem (Unreachable when unread). */
  async function fetchBody(address, what) {
    address = localCopy(address);
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS);
    let response, body;
    try {
      response = await fetch(address, { redirect: "follow", credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer", headers: { Accept: "application/ld+json, application/json" }, signal: ctrl.signal });
      body = response.status === 410 || response.ok ? await response.text() : "";
    } catch (e) {
      throw new Unreachable(e && e.name === "AbortError"
        ? `The ${what} at ${address} did not answer within ${TIMEOUT_MS / 1000} seconds.`
        : window.location.protocol === "https:" && /^http:/i.test(address)
          ? `The ${what} at ${address} uses http://, which browsers do not let an https:// page read.`
          : `The ${what} at ${address} could not be fetched: the site is unreachable, or it does not let other sites read it (CORS).`);
    } finally {
      clearTimeout(timer);
    }
    const type = (response.headers.get("content-type") || "no content type").split(";")[0];
    const url = publicAddress(response.url || address);
    if (response.status === 410) return { body, url, status: 410, type };
    if (!response.ok) {
      const Kind = response.status >= 500 || response.status === 429 ? Unreachable : Problem;
      throw new Kind(`The ${what} at ${address} could not be fetched: the server answered ${response.status}${response.status === 404 ? " (not found)" : ""}.`);
    }
    return { body, url, status: response.status, type };
  }

  // A site built or served on this machine holds the catalog's badges before they are published: its
  // documents are read from this copy (and the page says so) instead of the public address.
  // A badge site's page reads its own badges from its copy, the catalog's documents from where they are published.
  function localBase() {
    const home = ownBase();
    if (!home || window.location.href.indexOf(home) === 0) return "";
    const script = document.querySelector('script[src*="assets/javascripts/verify.js"]');
    return script ? new URL("../../", script.src).href : "";
  }
  function localCopy(address) {
    const home = ownBase(), here = localBase();
    return here && address.indexOf(home) === 0 ? here + address.slice(home.length) : address;
  }
  function publicAddress(address) {
    const home = ownBase(), here = localBase();
    return here && address.indexOf(here) === 0 ? home + address.slice(here.length) : address;
  }
  function parseOrNull(body) {
    try { return JSON.parse(body); } catch (e) { return null; }
  }

  /** Verify the assertion at `address`; never throws. */
  async function verify(address) {
    const r = { checks: [], verdict: "INVALID", reason: "", facts: {}, local: localBase() };
    const check = (ok, yes, no) => { r.checks.push({ ok: !!ok, text: ok ? yes : no }); return !!ok; };
    const expire = (said) => { check(false, "", said); r.expired = said; };
    const revoke = (reason) => { r.verdict = "REVOKED"; r.reason = text(reason) ? reason : "The issuer gave no reason."; };
    try {
      if (!webUrl(address)) throw new Problem("Enter the full web address of the badge, starting with https://.");
      r.facts.assertion = address;
      const got = await fetchJson(address, "badge");
      if (got.token) {
        await verifyCredential(got.token, got.url, r, check, revoke);
        return finish(r);
      }
      const a = got.doc || {};
      if (got.status === 410) {
        check(true, "The badge address answers 410 Gone: the issuer has withdrawn it.");
        revoke(a.revocationReason);
        return r;
      }
      check(list(a["@context"]).some((c) => OB2_CONTEXTS.indexOf(c) >= 0), "It is an Open Badges 2.0 document.",
        "It is not an Open Badges 2.0 document: its @context is not https://w3id.org/openbadges/v2.");
      if (!hasType(a, ["Assertion"])) {
        if (hasType(a, ["VerifiableCredential"])) throw new Problem("This is a Verifiable Credential (Open Badges 3.0); this page checks hosted Open Badges 2.0 badges only.");
        const kind = hasType(a, ["BadgeClass"]) ? "a badge class" : hasType(a, ["Issuer", "Profile"]) ? "an issuer profile" : "not an assertion";
        throw new Problem(`This document is ${kind}: enter the address of the earned badge (the assertion) instead.`);
      }
      check(sameUrl(a.id, got.url), "Its id is the address it was fetched from.",
        `Its id (${text(a.id) ? a.id : "missing"}) is not the address it was fetched from (${got.url}).`);
      if (a.revoked === true) {
        check(true, "The issuer has marked this badge as revoked.");
        revoke(a.revocationReason);
        return r;
      }
      const id = text(a.id) ? a.id : got.url;
      r.facts.assertion = got.url;

      const rec = a.recipient;
      if (check(rec && typeof rec === "object" && text(rec.type) && text(rec.identity) && typeof rec.hashed === "boolean",
        "It names its recipient.", "It does not name its recipient properly (recipient type, identity and hashed are required).")) {
        r.facts.recipient = rec;
        if (rec.hashed) check(/^(sha256\$[0-9a-f]{64}|md5\$[0-9a-f]{32})$/i.test(rec.identity), "The recipient's identity is a well-formed hash.",
          "The recipient's identity says it is hashed but is not a sha256$… or md5$… hash.");
      }
      const vtype = a.verification && typeof a.verification === "object" ? list(a.verification.type) : [];
      check(vtype.indexOf("hosted") >= 0 || vtype.indexOf("HostedBadge") >= 0, "It uses hosted verification.",
        vtype.length ? `It uses ${vtype.join(", ")} verification, which this page does not check (only hosted badges).` : "It does not say how it is verified (verification with type HostedBadge is required).");
      const issued = parseDate(a.issuedOn);
      if (check(issued, "It has a valid issue date.", "Its issue date (issuedOn) is missing or is not an ISO 8601 date and time.")) {
        r.facts.issued = issued;
        check(issued.getTime() <= Date.now() + SKEW_MS, "It was issued in the past.", "Its issue date is in the future.");
      }
      if (a.expires !== undefined) {
        const expires = parseDate(a.expires);
        r.facts.expires = expires || String(a.expires);
        if (check(expires, "It has a valid expiry date.", "Its expiry date (expires) is not an ISO 8601 date and time.")) {
          if (expires.getTime() > Date.now()) check(true, "It has not expired.");
          else expire(`It expired on ${showDate(expires)}.`);
          if (issued) check(expires > issued, "It expires after it was issued.", "It expires before it was issued.");
        }
      }
      if (text(a.narrative)) r.facts.narrative = a.narrative;
      r.facts.evidence = list(a.evidence).map((e) => (typeof e === "string" ? { id: e } : e)).filter((e) => e && typeof e === "object");

      const badgeUrl = idOf(a.badge);
      if (!webUrl(badgeUrl)) throw new Problem("It does not name its badge class by web address (badge).");
      const b = await fetchDocument(badgeUrl, "badge class", ["BadgeClass"], check);
      r.facts.badge = b;
      const missing = ["name", "description", "image", "criteria", "issuer"].filter((k) => !(text(b[k]) || text(idOf(b[k])) || (k === "criteria" && b[k] && text(b[k].narrative))));
      check(!missing.length, "The badge class has a name, description, image, criteria and issuer.", `The badge class lacks ${missing.join(", ")}.`);

      const issuerUrl = idOf(b.issuer);
      if (!webUrl(issuerUrl)) throw new Problem("The badge class does not name its issuer by web address.");
      const p = await fetchDocument(issuerUrl, "issuer profile", ["Issuer", "Profile"], check);
      r.facts.issuer = p;
      check(text(p.name) && webUrl(p.url) && text(p.email), "The issuer profile has a name, a website and an email address.",
        "The issuer profile lacks a name, a website (url) or an email address.");
      checkScope(id, text(p.id) ? p.id : issuerUrl, p.verification, check);
      const bo = webUrl(idOf(b) || badgeUrl), io = webUrl(issuerUrl);
      check(bo && io && bo.origin === io.origin, "The badge class is on the issuer's site.",
        `The badge class is on ${bo ? bo.origin : "?"}, not on the issuer's site (${io ? io.origin : "?"}).`);
      // A green verdict on this site must mean "issued by this consortium", not by whoever hosts a valid badge.
      const home = siteBase();
      if (home) check(String(text(p.id) ? p.id : issuerUrl).indexOf(home) === 0, "The issuer is this consortium: its profile is on this site.",
        `The issuer's profile is not on this site (${home}): this page verifies this consortium's badges only.`);

      if (p.revocationList !== undefined) {
        const listUrl = idOf(p.revocationList);
        if (!webUrl(listUrl)) throw new Problem("The issuer's revocation list is not a web address, so revocation cannot be checked.");
        const rl = (await fetchJson(listUrl, "issuer's revocation list")).doc || {};
        const entries = rl.revokedAssertions === undefined ? [] : rl.revokedAssertions;
        if (!Array.isArray(entries)) throw new Problem("The issuer's revocation list is malformed (revokedAssertions is not a list), so revocation cannot be checked.");
        const hit = entries.find((e) => sameUrl(idOf(e), id) || (e && text(e.uid) && e.uid === a.uid));
        check(true, hit ? "The issuer's revocation list names this badge." : "The issuer's revocation list does not name this badge.");
        if (hit) {
          revoke(hit.revocationReason);
          return r;
        }
      } else check(true, "The issuer publishes no revocation list.");
    } catch (e) {
      if (e instanceof Unreachable) r.unreachable = e.message;
      else if (e instanceof Problem) check(false, "", e.message);
      else check(false, "", "The check stopped on an unexpected error; try again, or ask the issuer.");
    }
    return finish(r);
  }

  /** The verdict: REVOKED, EXPIRED when its expiry is all that is wrong, INVALID for a proven problem, UNVERIFIED for what could not be read, else VALID. */
  function finish(r) {
    if (r.verdict === "REVOKED") return r;
    const failed = r.checks.filter((c) => !c.ok);
    if (r.expired && failed.length === 1 && failed[0].text === r.expired && !r.unreachable) { r.verdict = "EXPIRED"; r.reason = r.expired; }
    else if (failed.length) r.reason = failed[0].text;
    else if (r.unreachable) { r.verdict = "UNVERIFIED"; r.reason = r.unreachable; }
    else r.verdict = "VALID";
    return r;
  }

  // ---- Open Badges 3.0: an RS256 VC-JWT, its kid, its issuer's did:web, its status list ----
  function bytesOf(b64url) {
    const text = atob(b64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((b64url.length + 3) % 4));
    return Uint8Array.from(text, (c) => c.charCodeAt(0));
  }
  const jsonOf = (b64url) => JSON.parse(new TextDecoder().decode(bytesOf(b64url)));
  function didWeb(base) {
    const u = webUrl(base);
    return u ? ["did", "web", encodeURIComponent(u.host), ...u.pathname.split("/").filter(Boolean), "badges"].join(":") : "";
  }
  function didDocument(did) {
    const [host, ...path] = did.replace(/^did:web:/, "").split("#")[0].split(":");
    return `https://${decodeURIComponent(host)}/${path.length ? path.map(decodeURIComponent).join("/") : ".well-known"}/did.json`;
  }
  async function gunzip(bytes) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  async function verifyCredential(token, address, r, check, revoke) {
    const [h, p, s] = token.split(".");
    let header, c;
    try { header = jsonOf(h); c = jsonOf(p); } catch (e) { throw new Problem("It is not a readable VC-JWT: its header or payload is not base64url-encoded JSON."); }
    const issuer = idOf(c.issuer) || c.iss;
    const types = list(c.type);
    const endorsement = types.indexOf("EndorsementCredential") >= 0;
    check(types.indexOf("VerifiableCredential") >= 0 && (endorsement || types.indexOf("OpenBadgeCredential") >= 0 || types.indexOf("AchievementCredential") >= 0),
      endorsement ? "It is an Open Badges 3.0 endorsement." : "It is an Open Badges 3.0 credential.", "It is not an Open Badges 3.0 credential (its type).");
    if (header.alg !== "RS256") throw new Problem(`It is signed ${header.alg}: this page checks RS256 credentials; microcred verify also reads the catalog's first form (EdDSA).`);
    if (typeof issuer !== "string" || issuer.indexOf("did:web:") !== 0) throw new Problem("Its issuer is not a did:web, so its keys cannot be found.");
    const kid = webUrl(header.kid);
    if (!kid) throw new Problem("Its kid is not the web address of a key.");
    const home = new URL(didDocument(issuer));
    if (!check(kid.origin === home.origin, "Its key is on the issuer's own site.", `Its key (${kid.href}) is not on the issuer's site (${home.origin}).`)) return;
    const jwk = (await fetchJson(kid.href, "key named by the token's kid")).doc || {};
    if (!check(jwk.kty === "RSA" && text(jwk.n) && text(jwk.e) && ["d", "p", "q", "dp", "dq", "qi"].every((m) => !(m in jwk)),
      "Its kid names one public RSA key.", "Its kid does not name one public RSA key (or the key holds private members).")) return;
    const key = await crypto.subtle.importKey("jwk", { kty: "RSA", n: jwk.n, e: jwk.e, alg: "RS256", ext: true }, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]);
    const good = await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, bytesOf(s), new TextEncoder().encode(`${h}.${p}`));
    if (!check(good, "Its RS256 signature verifies with the key its kid names.", "Its signature does not verify: it was changed after signing, or signed with another key.")) return;
    const from = parseDate(c.validFrom);
    check(c.iss === issuer && c.jti === c.id && from && c.nbf === Math.floor(from.getTime() / 1000), "Its JWT claims agree with the credential.", "Its JWT claims (iss, jti, nbf) disagree with the credential.");
    if (from) { r.facts.issued = from; check(from.getTime() <= Date.now() + SKEW_MS, "It is valid from a date in the past.", "It is not valid yet (validFrom)."); }
    if (c.validUntil !== undefined) {
      const until = parseDate(c.validUntil);
      r.facts.expires = until || String(c.validUntil);
      if (!until) check(false, "", "Its validUntil is not a date.");
      else if (until.getTime() > Date.now()) check(true, "It has not expired.");
      else { r.expired = `It expired on ${showDate(until)}.`; check(false, "", r.expired); }
    }
    const base = siteBase();
    const ours = didWeb(base);  // the consortium's did:web, and its districts' under it (their endorsements)
    if (base) check(issuer === ours || issuer.indexOf(`${ours}:endorsements:`) === 0, "The issuer is this consortium (or one of its districts): its did:web is this site.",
      `The issuer (${issuer}) is not this consortium (${ours}): this page verifies this consortium's badges only.`);
    check(true, "Its embedded Data Integrity proof is not checked here (it needs RDF canonicalisation): microcred verify and standard verifiers check it.");
    const subject = c.credentialSubject || {};
    const achievement = subject.achievement || {};
    r.facts.badge = endorsement ? { name: c.name } : { name: achievement.name, image: achievement.image, criteria: achievement.criteria && achievement.criteria.id ? achievement.criteria : null };
    r.facts.issuer = c.issuer && typeof c.issuer === "object" ? c.issuer : { name: issuer };
    const identity = list(subject.identifier).find((i) => i && i.identityType === "emailAddress");
    if (identity) r.facts.recipient = { type: "email", hashed: identity.hashed === true, identity: identity.identityHash, salt: identity.salt };
    r.facts.assertion = address;
    for (const entry of list(c.credentialStatus).filter((e) => e && e.type === "BitstringStatusListEntry")) {
      const listUrl = webUrl(entry.statusListCredential), index = Number(entry.statusListIndex);
      if (!listUrl || !Number.isInteger(index) || index < 0) throw new Problem("Its credentialStatus names no status list address and index.");
      const sl = (await fetchJson(listUrl.href, "issuer's status list")).doc || {};
      if (!check((idOf(sl.issuer) || sl.issuer) === issuer, "The status list is the issuer's.", "The status list is not the issuer's own.")) return;
      const encoded = sl.credentialSubject && sl.credentialSubject.encodedList;
      if (typeof encoded !== "string" || encoded[0] !== "u") throw new Problem("The issuer's status list cannot be read (encodedList).");
      const bits = await gunzip(bytesOf(encoded.slice(1)));
      if (index >= bits.length * 8) throw new Problem("Its status entry is outside the issuer's status list.");
      if (bits[index >> 3] & (0x80 >> (index & 7))) {
        check(true, `The issuer's status list marks it revoked (entry ${index}).`);
        let why = "";
        try {
          const rl = (await fetchJson(new URL("revocations.json", didDocument(issuer)).href, "issuer's revocation list")).doc || {};
          const m = c.id && c.id.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
          const hit = m && list(rl.revokedAssertions).find((e) => String(idOf(e)).indexOf(m[0]) >= 0);
          why = hit ? hit.revocationReason : "";
        } catch (e) { /* a status list gives no reason; the revocation list may */ }
        revoke(why);
        return;
      }
      check(true, `The issuer's status list does not mark it revoked (entry ${index}).`);
    }
  }

  /** The site's base address, from the page's canonical link (the verify page sits at <base>verify/). */
  function siteBase() {
    const declared = document.querySelector("[data-mc-site]"); // a badge page says where the site is
    if (declared && webUrl(declared.getAttribute("data-mc-site"))) return webUrl(declared.getAttribute("data-mc-site")).href;
    const canonical = document.querySelector('link[rel="canonical"]');
    try {
      return canonical ? new URL("..", canonical.href).href : "";
    } catch (e) {
      return "";
    }
  }

  /** The site that publishes the badge of this page: a badge site's page says so, else it is the catalog's site. */
  function ownBase() {
    const declared = document.querySelector("[data-mc-own]");
    const own = declared ? webUrl(declared.getAttribute("data-mc-own")) : null;
    return own ? own.href : siteBase();
  }

  /** Fetch a badge class or issuer profile and check that it is what it claims to be. */
  async function fetchDocument(address, what, types, check) {
    const got = await fetchJson(address, what);
    const doc = got.doc || {};
    if (got.status === 410) throw new Problem(`The ${what} at ${address} is gone (410).`);
    check(list(doc["@context"]).some((c) => OB2_CONTEXTS.indexOf(c) >= 0), `The ${what} is an Open Badges 2.0 document.`, `The ${what} is not an Open Badges 2.0 document (@context).`);
    if (!hasType(doc, types)) throw new Problem(`The document at ${address} is not a ${what} (its type is ${list(doc.type).join(", ") || "missing"}).`);
    check(sameUrl(doc.id, got.url), `The ${what}'s id is the address it was fetched from.`, `The ${what}'s id (${text(doc.id) ? doc.id : "missing"}) is not the address it was fetched from (${got.url}).`);
    return doc;
  }

  /** Hosted verification scope: same origin as the issuer unless its verification policy says otherwise. */
  function checkScope(assertionId, issuerId, policy, check) {
    const v = policy && typeof policy === "object" ? policy : {};
    const starts = list(v.startsWith).filter(text), origins = list(v.allowedOrigins).filter(text).map((o) => o.toLowerCase());
    const at = webUrl(assertionId), home = webUrl(issuerId);
    if (!at) return check(false, "", "The badge's id is not a web address.");
    // Compared as the address is fetched (dot segments resolved), never as written; encoded dots and slashes refused.
    if (starts.length) check(starts.some((s) => at.href.indexOf(s) === 0), "The badge is hosted where the issuer's verification policy allows (startsWith).",
      `The badge is not hosted where the issuer allows: its address ${at.href} does not start with ${starts.join(" or ")}.`);
    if (starts.length && /%(2e|2f|5c)/i.test(at.pathname)) check(false, "", `The badge's address ${assertionId} holds an encoded '.', '/' or '\\' (%2e, %2f, %5c), which a server may read as another place than the issuer allows.`);
    if (origins.length) check(origins.indexOf(at.host) >= 0, "The badge is hosted on a site the issuer allows (allowedOrigins).",
      `The badge is hosted on ${at.host}, which the issuer does not allow (${origins.join(", ")}).`);
    if (!starts.length && !origins.length) check(home && at.origin === home.origin, "The badge is hosted on the issuer's own site.",
      `The badge is hosted on ${at.origin}, not on the issuer's site (${home ? home.origin : "unknown"}), and the issuer does not allow other sites.`);
  }

  // ---- rendering: untrusted values only ever go through textContent and checked hrefs ----
  function el(tag, attrs, ...kids) {
    const n = document.createElement(tag);
    Object.keys(attrs || {}).forEach((k) => n.setAttribute(k, attrs[k]));
    kids.forEach((k) => { if (k !== null && k !== undefined) n.append(k); });
    return n;
  }
  function link(url, label) {
    const u = webUrl(url);
    return u ? el("a", { href: u.href, rel: "noopener noreferrer nofollow" }, label || u.href) : document.createTextNode(label || String(url));
  }

  const VERDICTS = {
    VALID: ["success", "VALID", "Every check passed: this badge was issued by the issuer named below and is still in force."],
    REVOKED: ["danger", "REVOKED", "The issuer has withdrawn this badge: "],
    EXPIRED: ["warning", "EXPIRED", "This badge was valid until its expiry, which has passed: "],
    INVALID: ["failure", "INVALID", "This badge could not be verified: "],
    UNVERIFIED: ["warning", "UNVERIFIED", "This badge could not be checked right now, which says nothing against it: "],
  };

  function render(r, status, report) {
    const [kind, title, lead] = VERDICTS[r.verdict];
    status.replaceChildren(el("div", { class: `admonition ${kind}` }, el("p", { class: "admonition-title" }, title), el("p", {}, lead + (r.verdict === "VALID" ? "" : r.reason)),
      r.local ? el("p", {}, `Checked against this copy of the site (${r.local}), not the published site: the badges are those of this repository.`) : ""));
    const f = r.facts, rows = [];
    const row = (label, ...value) => rows.push(el("tr", {}, el("th", { scope: "row" }, label), el("td", {}, ...value)));
    const image = f.badge && idOf(f.badge.image);
    const showImage = webUrl(image) || /^data:image\/(png|svg\+xml|jpeg|gif|webp)[;,]/i.test(image || "");
    if (f.badge) row("Badge", showImage ? el("img", { src: webUrl(image) ? localCopy(image) : image, alt: "", width: "64", height: "64", style: "vertical-align:middle;margin-right:.8em" }) : null, text(f.badge.name) ? f.badge.name : "(no name)", f.badge.criteria && webUrl(idOf(f.badge.criteria)) ? el("span", {}, " (", link(idOf(f.badge.criteria), "criteria"), ")") : null);
    if (f.issuer) row("Issuer", f.issuer.url ? link(f.issuer.url, text(f.issuer.name) ? f.issuer.name : undefined) : f.issuer.name);
    if (f.recipient) row("Recipient", f.recipient.hashed
      ? el("span", {}, `${f.recipient.type}, hashed${text(f.recipient.salt) ? " with a salt" : ""}: `, el("code", {}, f.recipient.identity))
      : el("span", {}, `${f.recipient.type}: ${f.recipient.identity} (not hashed)`));
    if (f.issued) row("Issued on", el("time", { datetime: f.issued.toISOString() }, showDate(f.issued)));
    if (f.badge || f.expires) row("Expires", f.expires instanceof Date ? el("time", { datetime: f.expires.toISOString() }, showDate(f.expires)) : f.expires ? `${f.expires} (not a valid date)` : "Does not expire");
    if (f.narrative) row("Narrative", el("span", { style: "white-space:pre-line" }, f.narrative));
    if (f.evidence && f.evidence.length) row("Evidence", el("ul", {}, ...f.evidence.map((e) => el("li", {}, e.id ? link(e.id, text(e.name) ? e.name : undefined) : (text(e.name) ? e.name : "Evidence"), text(e.narrative) ? ` — ${e.narrative}` : text(e.description) ? ` — ${e.description}` : ""))));
    if (f.assertion) row("Badge address", link(f.assertion));
    const checks = el("ul", {}, ...r.checks.map((c) => el("li", {}, el("span", { "aria-hidden": "true" }, c.ok ? "✔ " : "✘ "), el("span", { class: "mc-verify__sr" }, c.ok ? "Passed: " : "Failed: "), c.text)));
    report.replaceChildren(
      rows.length ? el("h2", {}, r.verdict === "VALID" ? "Badge details" : "What the documents claim") : "", rows.length ? el("table", {}, el("tbody", {}, ...rows)) : "",
      el("h2", {}, "Checks"), checks);
    // Visually hidden, read by screen readers in place of the symbols.
    report.querySelectorAll(".mc-verify__sr").forEach((s) => { s.style.cssText = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap"; });
  }

  function bind() {
    const root = document.getElementById("mc-verify");
    if (!root || root.dataset.mcVerifyBound) return; // instant navigation may emit twice for one page
    root.dataset.mcVerifyBound = "true";
    const form = root.querySelector("form"), input = root.querySelector("input[name=a]");
    const status = root.querySelector("#mc-verify-status"), report = root.querySelector("#mc-verify-report");
    if (!form || !input || !status || !report) return;
    let run = 0;
    const start = (address) => {
      const mine = ++run;
      report.replaceChildren();
      status.replaceChildren(el("p", {}, "Checking the badge…"));
      report.setAttribute("aria-busy", "true");
      verify(address).then((r) => {
        if (mine !== run) return; // a newer check has started
        report.removeAttribute("aria-busy");
        render(r, status, report);
      }).catch(() => {});
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const address = input.value.trim();
      try {
        const here = new URL(window.location.href);
        here.searchParams.set("a", address);
        window.history.replaceState(window.history.state, "", here.href);
      } catch (e) { /* the check still runs without a shareable address */ }
      start(address);
    });
    const preset = new URLSearchParams(window.location.search).get("a");
    if (preset) {
      input.value = preset;
      start(preset.trim());
    }
  }

  if (typeof window.document$ !== "undefined" && typeof window.document$.subscribe === "function") window.document$.subscribe(bind);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bind);
  else bind();

  // ---- a badge's own page (badges/earned/<uuid>/): its assertion checked once, the verdict shown in place ----
  function bindBadgePage() {
    const root = document.getElementById("mc-badge-verify");
    if (!root || root.dataset.mcVerifyBound) return;
    root.dataset.mcVerifyBound = "true";
    const status = root.querySelector("#mc-badge-verify-status"), report = root.querySelector("#mc-badge-verify-report");
    if (!status || !report) return;
    report.setAttribute("aria-busy", "true");
    verify(root.getAttribute("data-assertion") || "").then((r) => {
      report.removeAttribute("aria-busy");
      render(r, status, report);
      root.setAttribute("data-verdict", r.verdict);
    }).catch(() => {});
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bindBadgePage);
  else bindBadgePage();
})();
