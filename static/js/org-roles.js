// Role form: a group's "check all" box ticks or clears its permissions and follows them.
(function () {
  "use strict";
  document.querySelectorAll("[data-role-form]").forEach(function (form) {
    function members(key) {
      return form.querySelectorAll('input[name="permissions"][data-group="' + key + '"]');
    }
    function sync(key) {
      var all = form.querySelector('[data-group-all="' + key + '"]');
      var boxes = Array.prototype.slice.call(members(key));
      var checked = boxes.filter(function (b) { return b.checked; }).length;
      all.checked = boxes.length > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    }
    form.querySelectorAll("[data-group-all]").forEach(function (all) {
      var key = all.getAttribute("data-group-all");
      all.addEventListener("change", function () {
        members(key).forEach(function (box) { box.checked = all.checked; });
        sync(key);
      });
      members(key).forEach(function (box) { box.addEventListener("change", function () { sync(key); }); });
      sync(key);
    });
  });
})();
