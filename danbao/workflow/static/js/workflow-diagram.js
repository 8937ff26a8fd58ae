/* Draws a flow as an ECharts graph from the JSON data island #workflow-diagram-data.
   Wide boxes: left to right. Narrow boxes (a phone, a side column): top to bottom with the step
   names beside the shapes, so long Chinese names never run into each other. */
(function () {
  "use strict";
  var MIN_LEVEL_WIDTH = 110;  // px per step across; below this the flow is drawn top to bottom
  function draw() {
    var island = document.getElementById("workflow-diagram-data");
    var box = document.getElementById("workflow-diagram");
    if (!island || !box || !window.echarts) return;
    var data = JSON.parse(island.textContent);
    var colours = { current: "#f76707", visited: "#2fb344", idle: "#adb5bd" };
    var shapes = { start: "circle", end: "circle", condition: "diamond", cc: "triangle", committee: "rect", approval: "roundRect" };
    var levels = 0;
    data.nodes.forEach(function (n) { levels = Math.max(levels, Math.round(n.x / 160)); });
    var vertical = box.clientWidth / (levels + 1) < MIN_LEVEL_WIDTH;
    if (vertical) box.style.height = Math.max(320, (levels + 1) * 78 + 40) + "px";
    // Drawn top to bottom, a condition along a vertical line would stand on its side: show it under
    // the name of the step it leads to instead.
    var conditionsInto = {}, byId = {};
    data.nodes.forEach(function (n) { byId[n.id] = n; });
    if (vertical) data.links.forEach(function (l) { if (l.label) (conditionsInto[l.target] = conditionsInto[l.target] || []).push(l.label); });
    var margin = { left: vertical ? 30 : 50, right: vertical ? 140 : 60, top: 40, bottom: 40 };
    var nodes = data.nodes.map(function (n) {
      var big = n.kind === "approval" || n.kind === "committee";
      return { name: n.id, value: n.name, kind: n.kind, kindLabel: n.kind_label, symbol: shapes[n.kind] || "circle",
               x: vertical ? n.y * 1.6 : n.x, y: vertical ? n.x / 2 : n.y,
               symbolSize: big ? (vertical ? [56, 28] : [70, 34]) : (vertical ? 24 : 30),
               itemStyle: { color: colours[n.state] || colours.idle },
               label: { formatter: conditionsInto[n.id] ? n.name + "\n{cond|" + conditionsInto[n.id].join("；") + "}" : n.name,
                        rich: { cond: { fontSize: 11, color: "#667382", padding: [2, 0, 0, 0] } } } };
    });
    // ECharts stretches the nodes' bounding box over the whole drawing area: a straight flow (all on
    // one line) would be stretched infinitely thin. Two invisible corner nodes give the box the
    // drawing area's proportions, so the flow keeps its shape whatever it looks like.
    if (nodes.length) {
      var xs = nodes.map(function (n) { return n.x; }), ys = nodes.map(function (n) { return n.y; });
      var minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs), minY = Math.min.apply(null, ys), maxY = Math.max.apply(null, ys);
      var areaW = Math.max(box.clientWidth - margin.left - margin.right, 1), areaH = Math.max(box.clientHeight - margin.top - margin.bottom, 1);
      var scale = Math.max((maxX - minX) / areaW, (maxY - minY) / areaH, 0.5);
      var cx = (minX + maxX) / 2, cy = (minY + maxY) / 2, halfW = areaW * scale / 2, halfH = areaH * scale / 2;
      [[cx - halfW, cy - halfH], [cx + halfW, cy + halfH]].forEach(function (corner, i) {
        nodes.push({ name: "__corner" + i, x: corner[0], y: corner[1], symbolSize: 0, silent: true,
                     label: { show: false }, itemStyle: { opacity: 0 }, tooltip: { show: false } });
      });
    }
    var chart = window.echarts.init(box);
    chart.setOption({
      tooltip: { formatter: function (p) {
        if (p.dataType === "edge") return p.data.label || "";
        return p.data.kind ? p.data.value + " · " + (p.data.kindLabel || p.data.kind) : "";
      } },
      series: [{
        type: "graph", layout: "none", roam: true, edgeSymbol: ["none", "arrow"], edgeSymbolSize: 9,
        left: margin.left, right: margin.right, top: margin.top, bottom: margin.bottom,
        label: { show: true, position: vertical ? "right" : "bottom", fontSize: 12 },
        edgeLabel: { show: !vertical, formatter: function (p) { return p.data.label || ""; }, fontSize: 11, color: "#667382" },
        data: nodes,
        links: data.links.map(function (l) {
          // A connection that skips steps on the same line would hide behind them: bend it.
          var a = byId[l.source], b = byId[l.target];
          var skips = a && b && a.y === b.y && Math.abs(b.x - a.x) > 160;
          return { source: l.source, target: l.target, label: l.label,
                   lineStyle: { color: l.taken ? colours.visited : "#ced4da", width: l.taken ? 3 : 1.5, curveness: skips ? (vertical ? -0.35 : 0.35) : 0 } };
        })
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
