/* Danbao behaviours, no inline scripts (CSP): double-submit guard, confirmations, searchable selects. */
(function () {
  "use strict";

  function initSelects(root) {
    if (typeof TomSelect === "undefined") return;
    root.querySelectorAll("select[data-searchable]").forEach(function (el) {
      if (!el.tomselect) new TomSelect(el, { plugins: el.multiple ? ["remove_button"] : [], maxOptions: 500 });
    });
  }

  // Forms: ask before destructive actions, and never submit twice.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm") || (event.submitter && event.submitter.getAttribute("data-confirm"));
    if (message && !window.confirm(message)) { event.preventDefault(); return; }
    if (form.dataset.submitting === "1" && !form.hasAttribute("hx-get")) { event.preventDefault(); return; }
    if (form.method && form.method.toLowerCase() === "post") {
      form.dataset.submitting = "1";
      // Disable after the browser has collected the form data, so the submitter's name=value is sent.
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) { b.disabled = true; b.classList.add("btn-loading"); });
      }, 0);
      // Re-enable on back-navigation (bfcache) so the form is usable again.
      window.addEventListener("pageshow", function () { form.dataset.submitting = ""; form.querySelectorAll("button").forEach(function (b) { b.disabled = false; b.classList.remove("btn-loading"); }); }, { once: true });
    }
  }, true);

  // Keep the export link in step with the filters htmx applied.
  document.addEventListener("htmx:afterSettle", function (event) {
    initSelects(event.target);
    // The filter form must keep the sort the table now shows (sort links swap only the table).
    var region = document.getElementById("list-region");
    var sortInput = document.querySelector("#list-filter-form input[name=sort]");
    if (region && sortInput && region.hasAttribute("data-sort")) { sortInput.value = region.getAttribute("data-sort"); }
    var link = document.querySelector("[data-export-link]");
    if (link) { link.href = window.location.search ? window.location.search + "&export=xlsx" : "?export=xlsx"; }
  });

  document.addEventListener("DOMContentLoaded", function () { initSelects(document); });
})();
