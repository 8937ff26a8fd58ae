// Site-visit photo form: ask the browser for the position (only if the user allows it) and put it
// into the hidden fields; the form works the same without it. No position is ever guessed.
(function () {
  "use strict";
  var form = document.querySelector("[data-geo-form]");
  if (!form) return;
  var status = form.querySelector("[data-geo-status]");
  var button = form.querySelector("[data-geo-button]");
  function say(key) {
    if (status) status.textContent = status.getAttribute("data-" + key) || "";
  }
  function locate() {
    if (!("geolocation" in navigator)) { say("unsupported"); return; }
    say("asking");
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        form.querySelector("[name=latitude]").value = pos.coords.latitude.toFixed(6);
        form.querySelector("[name=longitude]").value = pos.coords.longitude.toFixed(6);
        form.querySelector("[name=accuracy]").value = Math.round(pos.coords.accuracy * 10) / 10;
        say("found");
        if (status) status.textContent += " " + pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5) + " (±" + Math.round(pos.coords.accuracy) + " m)";
      },
      function () { say("denied"); },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  }
  if (button) button.addEventListener("click", locate);
})();
