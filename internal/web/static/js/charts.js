/* xinlu: charts drawn with the embedded ECharts from a chart's data-chart
   attribute (JSON written by the server). Each chart has a table with the
   same figures beside it, for print and screen readers; the chart itself
   is aria-hidden. ES5, like app.js, for older Chromium-based browsers. */
(function () {
  'use strict';
  var tones = { green: '#1e7e34', blue: '#1f5fbf', orange: '#b85c00', red: '#b42318', grey: '#6b7280' };

  function tone(name) {
    if (!name) { return undefined; }
    var v = '';
    try { v = window.getComputedStyle(document.documentElement).getPropertyValue('--' + name).trim(); } catch (e) {}
    return v || tones[name] || name;
  }

  function percent(v) { return v + '%'; }

  function option(spec) {
    var series = [];
    for (var i = 0; i < spec.series.length; i++) {
      var s = spec.series[i];
      var one = {
        name: s.name, type: spec.kind, data: s.data, stack: s.stack || undefined,
        itemStyle: s.color ? { color: tone(s.color) } : undefined,
        connectNulls: spec.kind === 'line' ? true : undefined
      };
      if (s.labels) {
        var labels = s.labels;
        one.label = { show: true, position: 'top', formatter: function (p) { return labels[p.dataIndex] || ''; } };
      }
      if (s.pointColors) {
        var colors = s.pointColors;
        one.itemStyle = { color: function (p) { return tone(colors[p.dataIndex]) || tone('blue'); } };
        one.symbolSize = 10;
      }
      series.push(one);
    }
    if (spec.lines && spec.lines.length && series.length) {
      var marks = [];
      for (var j = 0; j < spec.lines.length; j++) {
        var l = spec.lines[j];
        marks.push({ xAxis: l.at, name: l.name, lineStyle: { color: tone(l.color), type: 'dashed', width: 2 },
          label: { formatter: l.name, color: tone(l.color), position: 'end' } });
      }
      series[0].markLine = { symbol: 'none', silent: true, data: marks };
    }
    return {
      animation: false,
      color: [tone('blue'), tone('green'), tone('orange'), tone('red'), tone('grey')],
      tooltip: { trigger: 'axis', valueFormatter: spec.percent ? percent : undefined },
      legend: { top: 0, show: spec.series.length > 1 },
      grid: { left: 48, right: 24, top: spec.series.length > 1 ? 48 : 36, bottom: 48, containLabel: true },
      xAxis: { type: 'category', name: spec.xName || '', nameLocation: 'middle', nameGap: 30, data: spec.categories, axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', name: spec.yName || '', max: spec.yMax || undefined, minInterval: spec.integer ? 1 : undefined,
        axisLabel: spec.percent ? { formatter: '{value}%' } : {} },
      series: series
    };
  }

  function draw(el) {
    var spec;
    try { spec = JSON.parse(el.getAttribute('data-chart')); } catch (e) { return; }
    if (!spec || !spec.series) { return; }
    var chart = window.echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption(option(spec));
    window.addEventListener('resize', function () { chart.resize(); });
    el.setAttribute('data-chart-ready', '1');
  }

  function init() {
    if (!window.echarts) { return; }
    var nodes = document.querySelectorAll('.chart[data-chart]');
    for (var i = 0; i < nodes.length; i++) { draw(nodes[i]); }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
