// Draws a dashboard's charts from the JSON the page carries (no inline script: CSP), and the
// grid map from the places' own boundaries (no tiles, works with no internet).
(function () {
  "use strict";
  function start() {
    var data = JSON.parse(document.getElementById("dashboard-data").textContent);
    var charts = [];
    function chart(id, option) {
      var element = document.getElementById(id);
      if (!element) return null;
      var instance = echarts.init(element, null, { renderer: "canvas" });
      instance.setOption(option);
      charts.push(instance);
      element.dataset.ready = "1";
      return instance;
    }
    // A ring with its legend below and no labels around it: on a phone's width, labels
    // around a ring are cut off and the title runs out of the box.
    function pie(id, title, values) {
      var items = Object.keys(values).map(function (k) { return { name: k, value: values[k] }; });
      var element = document.getElementById(id);
      var width = element ? element.clientWidth - 16 : 280;
      chart(id, {
        title: { text: title, left: "center",
                 textStyle: { fontSize: 14, width: width, overflow: "truncate" } },
        tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
        legend: { type: "scroll", bottom: 0, left: "center", textStyle: { fontSize: 12 } },
        series: [{ type: "pie", radius: ["32%", "58%"], center: ["50%", "48%"],
                   label: { show: false }, labelLine: { show: false }, data: items }],
      });
    }
    var t = data.trend, l = data.labels;
    chart("chart-trend", {
      title: { text: data.text.trend, left: "center", top: 0, textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      legend: { top: 28, type: "scroll" },
      grid: { top: 70, left: 40, right: 20, bottom: 30 },
      xAxis: { type: "category", data: t.days.map(function (d) { return d.slice(5); }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: l.new, type: "bar", data: t.new },
        { name: l.solved, type: "bar", data: t.solved },
        { name: l.open, type: "line", data: t.open, connectNulls: false },
        { name: l.overdue, type: "line", data: t.overdue, connectNulls: false },
      ],
    });
    pie("chart-tier", data.text.by_tier, data.open_by_tier);
    pie("chart-category", data.text.by_category, data.open_by_category);
    pie("chart-channel", data.text.by_channel, data.new_by_channel);
    fetch(data.map_url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (map) {
        var element = document.getElementById("chart-map");
        if (!map.geojson.features.length) {
          element.hidden = true;
          document.getElementById("map-note").hidden = false;
          return;
        }
        echarts.registerMap("grids", map.geojson);
        var most = Math.max.apply(null, map.values.map(function (v) { return v.value; }).concat([1]));
        chart("chart-map", {
          title: { text: data.text.map, textStyle: { fontSize: 14 } },
          tooltip: {
            trigger: "item",
            formatter: function (p) {
              var d = p.data || { value: 0, overdue: 0 };
              return p.name + ": " + d.value + " (" + data.text.overdue + " " + d.overdue + ")";
            },
          },
          visualMap: { min: 0, max: most, left: "left", bottom: 10, calculable: true,
                       inRange: { color: ["#e8f5e9", "#ffb74d", "#c62828"] } },
          series: [{ type: "map", map: "grids", roam: true, data: map.values,
                     emphasis: { label: { show: false } } }],
        });
        element.dataset.grids = String(map.geojson.features.length);
      });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
