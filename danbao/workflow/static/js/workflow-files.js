/* File pickers of the decision forms: show the chosen files' names next to the button. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-file-picker]")) return;
    var out = document.querySelector('[data-file-names="' + input.id + '"]');
    if (!out) return;
    var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
    if (!names.length) out.textContent = out.getAttribute("data-empty");
    else if (names.length > 3) out.textContent = out.getAttribute("data-many").replace("{count}", names.length) + "：" + names.slice(0, 3).join("、") + "…";
    else out.textContent = names.join("、");
    out.title = names.join("\n");
  });
})();
