/* Customer 360 charts: the related-party graph and the ratio trend.
   Data comes from <script type="application/json"> islands (json_script), never inline code (CSP). */
(function () {
  "use strict";
  if (window.danbaoCustomerCharts) return; // both tabs include this file
  window.danbaoCustomerCharts = true;

  function readJson(id) {
    var node = document.getElementById(id);
    if (!node) return null;
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  var charts = [];

  function initGraph() {
    var el = document.getElementById("customer-graph");
    var data = readJson("customer-graph-data");
    if (!el || !data || !window.echarts || el.dataset.ready || !el.offsetWidth) return; // hidden tab: wait until shown
    el.dataset.ready = "1";
    var categories = [
      { name: el.dataset.labelSelf || "Customer" },
      { name: el.dataset.labelCompany || "Company" },
      { name: el.dataset.labelPerson || "Person" }
    ];
    var chart = window.echarts.init(el);
    chart.setOption({
      tooltip: { formatter: function (p) { return p.dataType === "edge" ? p.data.label.formatter : p.data.name; } },
      legend: [{ data: categories.map(function (c) { return c.name; }), bottom: 0 }],
      series: [{
        type: "graph",
        layout: "force",
        roam: true,
        draggable: true,
        force: { repulsion: 700, edgeLength: [130, 220], gravity: 0.08 },
        categories: categories,
        label: { show: true, position: "right" },
        edgeSymbol: ["none", "arrow"],
        edgeLabel: { show: true, fontSize: 11, formatter: function (p) { return p.data.label.formatter; } },
        lineStyle: { color: "source", curveness: 0.1, width: 1.5 },
        data: data.nodes.map(function (n) {
          return {
            id: n.id, name: n.name, category: n.category, url: n.url,
            symbolSize: n.category === 0 ? 48 : (n.inGroup ? 34 : 24),
            itemStyle: n.inGroup ? {} : { opacity: 0.55 }
          };
        }),
        links: data.links.map(function (l) {
          return { source: l.source, target: l.target, label: { show: true, formatter: l.label } };
        })
      }]
    });
    chart.on("click", function (p) {
      if (p.dataType === "node" && p.data.url) window.location.href = p.data.url;
    });
    charts.push(chart);
  }

  function initRatios() {
    var el = document.getElementById("ratio-chart");
    var data = readJson("ratio-chart-data");
    if (!el || !data || !window.echarts || el.dataset.ready || !el.offsetWidth) return;
    el.dataset.ready = "1";
    var chart = window.echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : (v * 100).toFixed(2) + "%"; } },
      legend: { bottom: 0 },
      grid: { left: 50, right: 20, top: 20, bottom: 50 },
      xAxis: { type: "category", data: data.periods },
      yAxis: { type: "value", axisLabel: { formatter: function (v) { return (v * 100).toFixed(0) + "%"; } } },
      series: data.series.map(function (s) { return { name: s.name, type: "line", data: s.data, connectNulls: true, smooth: true }; })
    });
    charts.push(chart);
  }

  function init() { initGraph(); initRatios(); charts.forEach(function (c) { c.resize(); }); }

  // After saving on one of these pages the user comes back to the 360 page at #tab-<key>: open that tab.
  function openTabFromHash() {
    if (window.location.hash.indexOf("#tab-") !== 0) return;
    var link = document.querySelector('a[data-bs-toggle="tab"][href="' + window.location.hash.replace(/"/g, "") + '"]');
    if (link && !link.classList.contains("active")) link.click();
  }

  document.addEventListener("DOMContentLoaded", openTabFromHash);
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("shown.bs.tab", init);
  document.addEventListener("htmx:afterSettle", init);
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  if (document.readyState !== "loading") { openTabFromHash(); init(); }
})();
