/* Inbox: the "select all" box ticks every message checkbox of the current page (also after htmx swaps). */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[data-check-all]")) return;
    var form = box.closest("form");
    if (!form) return;
    form.querySelectorAll('input[type=checkbox][name="' + box.getAttribute("data-check-all") + '"]').forEach(function (el) {
      el.checked = box.checked;
    });
  });
})();
