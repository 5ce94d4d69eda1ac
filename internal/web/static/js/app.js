/* xinlu: small progressive enhancements; ES5 so older Chromium-based browsers run it. */
(function () {
  'use strict';
  // An IE engine (document.documentMode) cannot run xinlu: say so.
  if (document.documentMode) {
    var b = document.getElementById('ie-banner');
    if (b) { b.hidden = false; b.style.display = 'block'; }
  }
  // Large text, remembered on this computer.
  try { if (localStorage.getItem('xinlu.bigtext') === '1') { document.documentElement.className += ' bigtext'; } } catch (e) {}
  document.addEventListener('click', function (ev) {
    var t = ev.target;
    if (t && t.hasAttribute && t.hasAttribute('data-bigtext')) {
      var on = document.documentElement.className.indexOf('bigtext') < 0;
      document.documentElement.className = on ? document.documentElement.className + ' bigtext' : document.documentElement.className.replace(/\s*bigtext/g, '');
      try { localStorage.setItem('xinlu.bigtext', on ? '1' : '0'); } catch (e) {}
    }
    if (t && t.getAttribute && t.getAttribute('data-toggle') === 'sidebar') {
      var s = document.getElementById('sidebar');
      if (s) { s.className = s.className.indexOf('open') < 0 ? s.className + ' open' : s.className.replace(/\s*open/g, ''); }
    }
    if (t && t.hasAttribute && t.hasAttribute('data-print')) { window.print(); }
  });
  // Wide tables scroll inside their own box, not the page.
  function wrapTables(root) {
    var ts = (root || document).querySelectorAll('table.table');
    for (var i = 0; i < ts.length; i++) {
      var t = ts[i], p = t.parentNode;
      if (!p || (p.className && String(p.className).indexOf('table-scroll') >= 0)) { continue; }
      var w = document.createElement('div');
      w.className = 'table-scroll';
      p.insertBefore(w, t);
      w.appendChild(t);
      // Dates and times never break over two lines.
      var cells = t.querySelectorAll('td');
      for (var j = 0; j < cells.length; j++) {
        if (/^\s*\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?\s*$/.test(cells[j].textContent)) { cells[j].style.whiteSpace = 'nowrap'; }
      }
    }
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { wrapTables(document); });
  } else { wrapTables(document); }
  document.addEventListener('htmx:afterSettle', function (ev) { wrapTables(ev.target && ev.target.querySelectorAll ? ev.target : document); });
  // Destructive actions are confirmed by naming the record.
  document.addEventListener('submit', function (ev) {
    var f = ev.target;
    var msg = f && f.getAttribute && f.getAttribute('data-confirm');
    if (msg && !window.confirm(msg)) { ev.preventDefault(); }
  }, true);
  // Selects that submit their form when changed (page size).
  document.addEventListener('change', function (ev) {
    var t = ev.target;
    if (t && t.hasAttribute && t.hasAttribute('data-autosubmit') && t.form) { t.form.submit(); }
  });
})();
