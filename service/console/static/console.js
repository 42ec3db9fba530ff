// The console's few scripts: htmx error display, and the ECharts charts (no tiles, no CDN).
(function () {
  "use strict";

  // htmx swaps only 2xx answers; show a refusal (409 claimed by someone else, 404 …) in
  // the messages area instead of dropping it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status >= 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      event.detail.target = document.getElementById("messages");
      event.detail.swapOverride = "innerHTML";
    }
  });

  function chart(id) {
    var element = document.getElementById(id);
    if (!element || !window.echarts) return null;
    var instance = echarts.init(element, null, { renderer: "canvas" });
    window.addEventListener("resize", function () { instance.resize(); });
    return { element: element, instance: instance };
  }

  function drawn(element) { element.setAttribute("data-drawn", "1"); }

  function trend() {
    var c = chart("trend-chart");
    if (!c) return;
    var data = JSON.parse(c.element.getAttribute("data-trend"));
    var series = Object.keys(data.series).map(function (name) {
      return { name: data.labels[name], type: "line", data: data.series[name], connectNulls: false };
    });
    c.instance.on("finished", function () { drawn(c.element); });
    c.instance.setOption({
      animation: false, tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      legend: { top: 0 }, grid: { left: 40, right: 16, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: series
    });
  }

  function siteMap() {
    var c = chart("site-map");
    if (!c) return;
    c.instance.showLoading();
    fetch(c.element.getAttribute("data-src"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        c.instance.hideLoading();
        var note = document.getElementById("site-map-note");
        if (note && data.capped) note.textContent = note.getAttribute("data-capped-text").replace("__N__", data.shown);
        c.element.setAttribute("data-points", data.inspected.length + data.uninspected.length);
        c.instance.on("finished", function () { drawn(c.element); });
        // Plain longitude/latitude axes: points and district labels, no map tiles needed.
        c.instance.setOption({
          animation: false,
          tooltip: { formatter: function (p) { return p.data[2]; } },
          legend: { top: 0, data: [c.element.getAttribute("data-inspected-label"),
                                   c.element.getAttribute("data-uninspected-label")] },
          grid: { left: 50, right: 16, top: 36, bottom: 30 },
          xAxis: { type: "value", scale: true, name: "经度", splitLine: { show: false } },
          yAxis: { type: "value", scale: true, name: "纬度", splitLine: { show: false } },
          series: [
            { name: c.element.getAttribute("data-inspected-label"), type: "scatter", symbolSize: 5,
              itemStyle: { color: "#2e7d32", opacity: 0.6 }, data: data.inspected, large: true },
            { name: c.element.getAttribute("data-uninspected-label"), type: "scatter", symbolSize: 7,
              itemStyle: { color: "#c62828" }, data: data.uninspected, large: true },
            { name: "districts", type: "scatter", symbolSize: 0, silent: true,
              label: { show: true, formatter: function (p) { return p.data[2]; }, color: "#1f2933", fontWeight: "bold" },
              data: data.districts.map(function (d) { return [d.lon, d.lat, d.name]; }) }
          ]
        });
      });
  }

  function location() {
    var c = chart("location-chart");
    if (!c) return;
    var data = JSON.parse(c.element.getAttribute("data-location"));
    var points = [];
    if (data.site) points.push({ value: data.site.concat([c.element.getAttribute("data-site-label")]), itemStyle: { color: "#0b5394" } });
    if (data.inspection) points.push({ value: data.inspection.concat([c.element.getAttribute("data-inspection-label")]), itemStyle: { color: "#c62828" } });
    // a box around both points, at least ~200 m wide, so one point alone is not squeezed
    var xs = points.map(function (p) { return p.value[0]; });
    var ys = points.map(function (p) { return p.value[1]; });
    function bounds(values) {
      var low = Math.min.apply(null, values), high = Math.max.apply(null, values);
      var pad = Math.max((high - low) * 0.3, 0.002);
      return { min: +(low - pad).toFixed(4), max: +(high + pad).toFixed(4) };
    }
    var bx = points.length ? bounds(xs) : {}, by = points.length ? bounds(ys) : {};
    c.instance.on("finished", function () { drawn(c.element); });
    c.instance.setOption({
      animation: false, grid: { left: 70, right: 60, top: 20, bottom: 30 },
      xAxis: { type: "value", min: bx.min, max: bx.max, name: "经度" },
      yAxis: { type: "value", min: by.min, max: by.max, name: "纬度" },
      series: [{ type: "scatter", symbolSize: 14, data: points,
                 label: { show: true, position: "right", formatter: function (p) { return p.value[2]; } } }]
    });
  }

  document.addEventListener("DOMContentLoaded", function () { trend(); siteMap(); location(); });
})();
