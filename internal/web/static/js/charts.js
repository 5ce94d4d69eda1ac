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

  // funnel: one series of counts by step, widest first, each step labelled
  // with its count.
  function funnelOption(spec) {
    var data = [];
    var s = spec.series[0] || { data: [] };
    for (var i = 0; i < spec.categories.length; i++) {
      data.push({ name: spec.categories[i], value: s.data[i] === null ? 0 : s.data[i] });
    }
    return {
      animation: false,
      color: [tone('blue'), tone('green'), tone('orange'), tone('red'), tone('grey')],
      tooltip: { trigger: 'item' },
      series: [{ name: s.name, type: 'funnel', sort: 'none', left: '8%', width: '84%', top: 8, bottom: 8, minSize: '12%', gap: 2,
        label: { show: true, position: 'inside', formatter: '{b}  {c}' }, data: data }]
    };
  }

  // spark: a bare line of one series, no axes.
  function sparkOption(spec) {
    var s = spec.series[0] || { data: [] };
    return {
      animation: false,
      grid: { left: 2, right: 2, top: 4, bottom: 4 },
      xAxis: { type: 'category', show: false, data: spec.categories },
      yAxis: { type: 'value', show: false },
      series: [{ type: 'line', data: s.data, symbol: 'none', lineStyle: { width: 2, color: tone(s.color) || tone('blue') }, areaStyle: { opacity: 0.15 } }]
    };
  }

  function option(spec) {
    if (spec.kind === 'funnel') { return funnelOption(spec); }
    if (spec.spark) { return sparkOption(spec); }
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
    var dark = el.getAttribute('data-theme') === 'dark';
    var chart = window.echarts.init(el, dark ? 'dark' : null, { renderer: 'canvas' });
    var opt = option(spec);
    if (dark) { opt.backgroundColor = 'transparent'; opt.textStyle = { fontSize: 18 }; }
    chart.setOption(opt);
    if (spec.links) {
      // A click on a step or bar opens the list of its records.
      var links = spec.links;
      chart.on('click', function (p) {
        var l = links[p.dataIndex];
        if (l) { window.location.href = l; }
      });
      el.style.cursor = 'pointer';
    }
    window.addEventListener('resize', function () { chart.resize(); });
    el.setAttribute('data-chart-ready', '1');
  }

  // fit scales a fixed-size canvas (data-fit="1920x1080", the meeting-room
  // screen) to the window, keeping its proportions.
  function fit() {
    var el = document.querySelector('[data-fit]');
    if (!el) { return; }
    var wh = el.getAttribute('data-fit').split('x');
    var scale = Math.min(window.innerWidth / Number(wh[0]), window.innerHeight / Number(wh[1]));
    el.style.transform = 'scale(' + scale + ')';
  }

  function init() {
    fit();
    window.addEventListener('resize', fit);
    if (!window.echarts) { return; }
    var nodes = document.querySelectorAll('.chart[data-chart]');
    for (var i = 0; i < nodes.length; i++) { draw(nodes[i]); }
    // When every chart was drawn, in milliseconds since navigation.
    if (window.performance && window.performance.now) {
      document.documentElement.setAttribute('data-charts-drawn', String(Math.round(window.performance.now())));
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
