/*
 * Every page: a table wider than the screen scrolls inside its box (the theme's scroll wrapper), and such a
 * box takes the keyboard focus, so that it can be scrolled with the arrow keys too; it is named after the
 * heading above it for screen readers.
 */
(function () {
  "use strict";

  function headingBefore(node) {
    for (let el = node.previousElementSibling; el; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) return el.textContent.replace(/¶$/, "").trim();
    }
    return "";
  }

  function scrollable() {
    for (const box of document.querySelectorAll(".md-typeset__scrollwrap")) {
      const wide = box.scrollWidth > box.clientWidth + 1;
      if (wide && !box.hasAttribute("tabindex")) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        const heading = headingBefore(box);
        box.setAttribute("aria-label", heading ? `${heading}: table, scrolls sideways` : "Table, scrolls sideways");
      } else if (!wide && box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  }

  let pending = 0;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(scrollable);
  });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => scrollable());
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", scrollable);
  } else {
    scrollable();
  }
})();
