/* A badge's page (badges/earned/<uuid>/): the copy buttons of its link and embed HTML.
   The verdict is verify.js's; nothing here reads or sends anything. */
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

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bind);
  else bind();
})();
