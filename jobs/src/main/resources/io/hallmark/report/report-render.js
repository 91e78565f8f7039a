// Draws every chart with Chart.js, then checks each one really rendered: every data point has a
// finite position and the canvas holds pixels of the series colours. The outcome is written to the
// DOM (data-* attributes) for the headless-browser test; nothing here depends on the clock.
(function () {
  'use strict';
  var palette = ['#1f4e79', '#c0504d', '#4f8f3a', '#8064a2', '#e08a0b', '#2c9fa8', '#7a5c3e', '#c2185b'];
  var specs = JSON.parse(document.getElementById('chart-data').textContent);
  var rendered = 0;

  function rgb(hex) {
    return [parseInt(hex.substr(1, 2), 16), parseInt(hex.substr(3, 2), 16), parseInt(hex.substr(5, 2), 16)];
  }

  function seriesPixels(canvas, colours) {
    var ctx = canvas.getContext('2d');
    var px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    var targets = colours.map(rgb);
    var count = 0;
    for (var i = 0; i < px.length; i += 4) {
      if (px[i + 3] < 200) continue;
      for (var t = 0; t < targets.length; t++) {
        if (Math.abs(px[i] - targets[t][0]) < 12 && Math.abs(px[i + 1] - targets[t][1]) < 12
            && Math.abs(px[i + 2] - targets[t][2]) < 12) { count++; break; }
      }
    }
    return count;
  }

  function tick(kind) {
    return function (v) { return kind === 'SHARE' ? +(v * 100).toFixed(4) + ' %' : v; };
  }

  specs.forEach(function (spec) {
    try {
      var canvas = document.getElementById(spec.id);
      var colours = spec.series.map(function (s, i) { return palette[i % palette.length]; });
      var chart = new Chart(canvas, {
        type: spec.type,
        data: {
          labels: spec.labels,
          datasets: spec.series.map(function (s, i) {
            return { label: s.label, data: s.data, backgroundColor: colours[i], borderColor: colours[i],
                     borderWidth: 2, pointRadius: 3, fill: false, spanGaps: false };
          })
        },
        options: {
          animation: false, responsive: false, devicePixelRatio: 1, events: [],
          plugins: { legend: { position: 'bottom' }, tooltip: { enabled: false } },
          // shares cluster near 0 or 1: let the axis fit them so marketplaces stay apart
          scales: { y: { beginAtZero: spec.kind !== 'SHARE', ticks: { callback: tick(spec.kind) } } }
        }
      });
      var expected = 0, placed = 0, complete = true;
      chart.data.datasets.forEach(function (d, i) {
        var meta = chart.getDatasetMeta(i);
        if (meta.data.length !== spec.labels.length) complete = false;
        d.data.forEach(function (v, j) {
          if (v === null) return;
          expected++;
          var el = meta.data[j];
          if (el && isFinite(el.x) && isFinite(el.y)) placed++;
        });
      });
      var pixels = seriesPixels(canvas, colours);
      canvas.setAttribute('data-points', String(placed));
      canvas.setAttribute('data-series-pixels', String(pixels));
      canvas.setAttribute('data-drawn', JSON.stringify(chart.data.datasets.map(function (d) {
        return { label: d.label, data: d.data };
      })));
      if (complete && expected > 0 && placed === expected && pixels > 0) {
        canvas.setAttribute('data-rendered', 'true');
        rendered++;
      }
    } catch (e) {
      window.__reportErrors.push('chart ' + spec.id + ': ' + e.message);
    }
  });
  document.body.setAttribute('data-charts-expected', String(specs.length));
  document.body.setAttribute('data-charts-rendered', String(rendered));
  document.body.setAttribute('data-errors', JSON.stringify(window.__reportErrors));
  document.body.setAttribute('data-report-ready', 'true');
})();
