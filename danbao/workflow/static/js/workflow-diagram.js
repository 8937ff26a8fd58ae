/* Draws a flow as an ECharts graph from the JSON data island #workflow-diagram-data. */
(function () {
  "use strict";
  function draw() {
    var island = document.getElementById("workflow-diagram-data");
    var box = document.getElementById("workflow-diagram");
    if (!island || !box || !window.echarts) return;
    var data = JSON.parse(island.textContent);
    var colours = { current: "#f76707", visited: "#2fb344", idle: "#adb5bd" };
    var shapes = { start: "circle", end: "circle", condition: "diamond", cc: "triangle", committee: "rect", approval: "roundRect" };
    var chart = window.echarts.init(box);
    chart.setOption({
      tooltip: { formatter: function (p) { return p.dataType === "edge" ? (p.data.label || "") : p.data.name + " (" + p.data.kind + ")"; } },
      series: [{
        type: "graph", layout: "none", roam: true, edgeSymbol: ["none", "arrow"], edgeSymbolSize: 9,
        label: { show: true, position: "bottom", fontSize: 12 },
        edgeLabel: { show: true, formatter: function (p) { return p.data.label || ""; }, fontSize: 11 },
        data: data.nodes.map(function (n) {
          return { name: n.id, value: n.name, x: n.x, y: n.y, kind: n.kind, symbol: shapes[n.kind] || "circle",
                   symbolSize: n.kind === "approval" || n.kind === "committee" ? [70, 34] : 30,
                   itemStyle: { color: colours[n.state] || colours.idle }, label: { formatter: n.name } };
        }),
        links: data.links.map(function (l) {
          return { source: l.source, target: l.target, label: l.label,
                   lineStyle: { color: l.taken ? colours.visited : "#ced4da", width: l.taken ? 3 : 1.5 } };
        })
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
