// The console's few scripts: htmx error display, and the ECharts charts (no CDN; map tiles
// only when CONSOLE_TILE_URL names a tile server).
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

  // the axes' names come from the page, in its language (<body data-lon-label …>)
  function axisName(which) { return document.body.getAttribute("data-" + which + "-label") || ""; }

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
        var tileUrl = c.element.getAttribute("data-tile-url");
        var tiles = tileUrl ? tileCover(data, tileUrl) : null;
        // the tiles' edges are odd numbers: label the round values between them only
        var edges = tiles ? { showMinLabel: false, showMaxLabel: false } : {};
        // Plain longitude/latitude axes: points and district labels, no map tiles needed.
        c.instance.setOption({
          animation: false,
          tooltip: { formatter: function (p) { return p.data[2]; } },
          legend: { top: 0, data: [c.element.getAttribute("data-inspected-label"),
                                   c.element.getAttribute("data-uninspected-label")] },
          grid: { left: 50, right: 16, top: 36, bottom: 30 },
          xAxis: { type: "value", scale: true, name: axisName("lon"), splitLine: { show: false },
                   min: tiles ? tiles.west : null, max: tiles ? tiles.east : null, axisLabel: edges },
          yAxis: { type: "value", scale: true, name: axisName("lat"), splitLine: { show: false },
                   min: tiles ? tiles.south : null, max: tiles ? tiles.north : null, axisLabel: edges },
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
        if (tiles) {
          drawTiles(c, tiles);
          window.addEventListener("resize", function () { drawTiles(c, tiles); });
        }
      });
  }

  // Slippy-map tiles (Web Mercator, {z}/{x}/{y}) under the points: the fewest tiles at the
  // highest zoom that cover the points, each stretched over its own longitude/latitude box on
  // the plain axes, which are set to the tiles' edges so the tiles fill the plot exactly.
  // Within one district the stretch between Mercator and plain latitude is negligible.
  var MAX_TILES = 16;
  function tileX(lon, n) { return Math.floor((lon + 180) / 360 * n); }
  function tileY(lat, n) {
    var r = lat * Math.PI / 180;
    return Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * n);
  }
  function tileLon(x, n) { return x / n * 360 - 180; }
  function tileLat(y, n) { return Math.atan(Math.sinh(Math.PI * (1 - 2 * y / n))) * 180 / Math.PI; }

  function tileCover(data, template) {
    var points = data.inspected.concat(data.uninspected)
      .concat(data.districts.map(function (d) { return [d.lon, d.lat]; }));
    if (!points.length) return null;
    var lons = points.map(function (p) { return p[0]; }), lats = points.map(function (p) { return p[1]; });
    var west = Math.min.apply(null, lons), east = Math.max.apply(null, lons);
    var south = Math.min.apply(null, lats), north = Math.max.apply(null, lats);
    for (var z = 18; z >= 1; z--) {
      var n = Math.pow(2, z);
      var x0 = tileX(west, n), x1 = tileX(east, n), y0 = tileY(north, n), y1 = tileY(south, n);
      if ((x1 - x0 + 1) * (y1 - y0 + 1) > MAX_TILES && z > 1) continue;
      var list = [];
      for (var x = x0; x <= x1; x++) {
        for (var y = y0; y <= y1; y++) {
          list.push({ url: template.replace("{z}", z).replace("{x}", x).replace("{y}", y),
                      west: tileLon(x, n), east: tileLon(x + 1, n),
                      north: tileLat(y, n), south: tileLat(y + 1, n) });
        }
      }
      return { tiles: list, west: tileLon(x0, n), east: tileLon(x1 + 1, n),
               north: tileLat(y0, n), south: tileLat(y1 + 1, n) };
    }
    return null;
  }

  function drawTiles(c, cover) {
    var elements = cover.tiles.map(function (t) {
      var a = c.instance.convertToPixel({ gridIndex: 0 }, [t.west, t.north]);
      var b = c.instance.convertToPixel({ gridIndex: 0 }, [t.east, t.south]);
      return { type: "image", silent: true, z: -10,
               style: { image: t.url, x: a[0], y: a[1], width: b[0] - a[0], height: b[1] - a[1] } };
    });
    c.instance.setOption({ graphic: { elements: elements } }, { replaceMerge: ["graphic"] });
    c.element.setAttribute("data-tiles", elements.length);
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
      xAxis: { type: "value", min: bx.min, max: bx.max, name: axisName("lon"),
               axisLabel: { showMinLabel: false, showMaxLabel: false } },
      yAxis: { type: "value", min: by.min, max: by.max, name: axisName("lat"),
               axisLabel: { showMinLabel: false, showMaxLabel: false } },
      series: [{ type: "scatter", symbolSize: 14, data: points,
                 label: { show: true, position: "right", formatter: function (p) { return p.value[2]; } } }]
    });
  }

  document.addEventListener("DOMContentLoaded", function () { trend(); siteMap(); location(); });
})();
