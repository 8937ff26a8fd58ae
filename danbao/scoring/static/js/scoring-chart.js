/* Scorecard charts: factor points (0–100) as a radar with ≥ 3 factors, else bars.
   Data comes from <script type="application/json"> islands (json_script), never inline code (CSP). */
(function () {
  "use strict";
  if (window.danbaoScoringCharts) return;
  window.danbaoScoringCharts = true;

  function readJson(id) {
    var node = document.getElementById(id);
    if (!node) return null;
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  function draw(el) {
    var data = readJson(el.dataset.source);
    if (!data || !window.echarts || el.dataset.ready || !el.offsetWidth) return;
    el.dataset.ready = "1";
    var chart = window.echarts.init(el);
    var pointsLabel = el.dataset.labelPoints || "Points";
    var weightedLabel = el.dataset.labelWeighted || "Weighted";
    if (data.factors.length >= 3) {
      chart.setOption({
        tooltip: {},
        legend: { bottom: 0, data: [pointsLabel] },
        radar: { indicator: data.factors.map(function (name) { return { name: name, max: 100 }; }), radius: "55%", axisName: { fontSize: 11 } },
        series: [{ type: "radar", areaStyle: { opacity: 0.2 }, data: [{ value: data.points, name: pointsLabel }] }]
      });
    } else {
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { bottom: 0 },
        grid: { left: 40, right: 20, top: 20, bottom: 50 },
        xAxis: { type: "category", data: data.factors },
        yAxis: { type: "value", max: 100 },
        series: [
          { name: pointsLabel, type: "bar", data: data.points },
          { name: weightedLabel, type: "bar", data: data.weighted }
        ]
      });
    }
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function init() { document.querySelectorAll("[data-scoring-chart]").forEach(draw); }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  document.addEventListener("shown.bs.tab", init);
  document.addEventListener("htmx:afterSettle", init);
})();
