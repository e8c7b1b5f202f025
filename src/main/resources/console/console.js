// Draws each source's per-minute chart from the data the page carries (data-chart), with uPlot.
(function () {
  'use strict';
  var COLORS = ['#2f7d32', '#7b8794', '#c62828', '#ef6c00', '#6a1b9a', '#00838f', '#ad1457', '#4e342e'];

  function draw(element) {
    var chart = JSON.parse(element.getAttribute('data-chart'));
    var names = Object.keys(chart.series);
    var data = [chart.x].concat(names.map(function (name) { return chart.series[name]; }));
    var series = [{}].concat(names.map(function (name, index) {
      return { label: name, stroke: COLORS[index % COLORS.length], width: 1.5 };
    }));
    var axes = [{}, { label: 'deliveries / min' }];
    if (chart.delayMillis) {
      data.push(chart.delayMillis);
      series.push({ label: 'publish delay (ms)', scale: 'ms', stroke: '#1565c0', dash: [4, 4], spanGaps: true });
      axes.push({ scale: 'ms', side: 1, label: 'ms', grid: { show: false } });
    }
    element.uplot = new uPlot({
      width: Math.max(320, Math.min(element.clientWidth || 960, 1200)),
      height: 220,
      series: series,
      axes: axes,
      scales: { x: { time: true } }
    }, data, element);
  }

  document.querySelectorAll('[data-chart]').forEach(draw);
}());
