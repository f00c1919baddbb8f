/* A badge's page (badges/earned/<uuid>/): the copy buttons of its link and embed HTML, and the 3.0 image baked
   here: the badge's artwork with its signed credential in an iTXt chunk `openbadgecredential` after IHDR, as
   Open Badges 3.0 bakes (and `microcred bake` does), so that no baked image need be stored per badge.
   The verdict is verify.js's; nothing here sends anything anywhere but the site's own files. */
(function () {
  "use strict";

  function bind() {
    const status = document.querySelector(".mc-copy-status");
    document.querySelectorAll("button.mc-copy[data-copy]").forEach((button) => {
      const field = document.getElementById(button.getAttribute("data-copy"));
      if (!field) return;
      button.addEventListener("click", () => {
        const say = (words) => { if (status) status.textContent = words; };
        const value = field.value;
        const fallback = () => {
          field.focus();
          field.select();
          say("Selected: press Ctrl+C (or ⌘C) to copy.");
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(value).then(() => say(`${button.textContent.replace(/^Copy /, "")}: copied.`.replace(/^./, (c) => c.toUpperCase())), fallback);
        } else fallback();
      });
    });
  }

  const CRC = new Uint32Array(256).map((_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });

  function crc32(bytes) {
    let c = 0xffffffff;
    for (const b of bytes) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  }

  function chunk(type, data) {
    const out = new Uint8Array(12 + data.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, data.length);
    out.set(new TextEncoder().encode(type), 4);
    out.set(data, 8);
    view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
    return out;
  }

  function baked(png, token) {
    const signature = [137, 80, 78, 71, 13, 10, 26, 10];
    if (png.length < 33 || signature.some((b, i) => png[i] !== b)) throw new Error("the artwork is not a PNG");
    const ihdrEnd = 8 + 12 + new DataView(png.buffer).getUint32(8); // signature, then IHDR: length, type, data, CRC
    // keyword, NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL, the token
    const head = new TextEncoder().encode("openbadgecredential\0\0\0\0\0");
    const text = new TextEncoder().encode(token.trim());
    const data = new Uint8Array(head.length + text.length);
    data.set(head);
    data.set(text, head.length);
    const itxt = chunk("iTXt", data);
    const out = new Uint8Array(png.length + itxt.length);
    out.set(png.subarray(0, ihdrEnd));
    out.set(itxt, ihdrEnd);
    out.set(png.subarray(ihdrEnd), ihdrEnd + itxt.length);
    return out;
  }

  function bindBake() {
    document.querySelectorAll("button.mc-bake").forEach((button) => {
      const status = button.parentNode.querySelector(".mc-bake-status");
      button.addEventListener("click", async () => {
        try {
          const [image, token] = await Promise.all([
            fetch(button.dataset.image).then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`the artwork: HTTP ${r.status}`)))),
            fetch(button.dataset.credential).then((r) => (r.ok ? r.text() : Promise.reject(new Error(`the credential: HTTP ${r.status}`)))),
          ]);
          const blob = new Blob([baked(new Uint8Array(image), token)], { type: "image/png" });
          const link = document.createElement("a");
          link.href = URL.createObjectURL(blob);
          link.download = button.dataset.name;
          document.body.appendChild(link);
          link.click();
          link.remove();
          setTimeout(() => URL.revokeObjectURL(link.href), 10000);
          if (status) status.textContent = "Made and saved.";
        } catch (error) {
          if (status) status.textContent = `Could not make it: ${error.message}.`;
        }
      });
    });
  }

  function start() {
    bind();
    bindBake();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
