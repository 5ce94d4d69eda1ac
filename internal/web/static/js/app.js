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
    // Copy the text of the element data-copy names, one line per item (works
    // on plain-HTTP intranets, where the clipboard API is not offered).
    if (t && t.getAttribute && t.getAttribute('data-copy')) {
      var src = document.getElementById(t.getAttribute('data-copy'));
      if (src) {
        var ta = document.createElement('textarea');
        ta.value = linesOf(src);
        ta.setAttribute('readonly', '');
        ta.style.position = 'fixed'; ta.style.left = '-9999px';
        document.body.appendChild(ta);
        ta.select();
        var ok = false;
        try { ok = document.execCommand('copy'); } catch (e) {}
        document.body.removeChild(ta);
        var done = t.getAttribute('data-copied');
        if (ok && done) { t.textContent = done; }
      }
    }
    // Save the text of the element data-download names as a text file.
    if (t && t.getAttribute && t.getAttribute('data-download')) {
      var from = document.getElementById(t.getAttribute('data-download'));
      if (from && window.Blob && window.URL) {
        var a = document.createElement('a');
        a.href = URL.createObjectURL(new Blob([linesOf(from) + '\r\n'], { type: 'text/plain;charset=utf-8' }));
        a.download = t.getAttribute('data-filename') || 'xinlu.txt';
        document.body.appendChild(a);
        a.click();
        document.body.removeChild(a);
      }
    }
  });
  // linesOf is the text of an element's list items, one a line (CRLF, so
  // that Notepad shows the lines), or its whole text.
  function linesOf(el) {
    var items = el.querySelectorAll('li');
    if (!items.length) { return el.textContent; }
    var out = [];
    for (var i = 0; i < items.length; i++) { out.push(items[i].textContent.replace(/^\s+|\s+$/g, '')); }
    return out.join('\r\n');
  }
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
  // People pickers (select[data-search]) get a box above them: typing
  // narrows the list to the names (or departments) that contain the text.
  function searchable(root) {
    var ss = (root || document).querySelectorAll('select[data-search]');
    for (var i = 0; i < ss.length; i++) {
      var sel = ss[i];
      if (sel.getAttribute('data-search-ready')) { continue; }
      sel.setAttribute('data-search-ready', '1');
      var box = document.createElement('input');
      box.type = 'search';
      box.className = 'picker-search';
      box.placeholder = sel.getAttribute('data-search');
      box.setAttribute('aria-label', sel.getAttribute('data-search'));
      if (sel.id) { box.id = sel.id + '-search'; }
      sel.parentNode.insertBefore(box, sel);
      box.addEventListener('input', narrow(sel, box));
    }
  }
  function narrow(sel, box) {
    return function () {
      var q = box.value.replace(/^\s+|\s+$/g, '').toLowerCase();
      var opts = sel.querySelectorAll('option'), first = null;
      for (var i = 0; i < opts.length; i++) {
        var o = opts[i], g = o.parentNode.tagName === 'OPTGROUP' ? o.parentNode.label : '';
        var hit = !q || !o.value || (o.textContent + ' ' + g).toLowerCase().indexOf(q) >= 0;
        o.hidden = !hit; o.disabled = !hit && !o.selected;
        if (hit && o.value && !first) { first = o; }
      }
      var groups = sel.querySelectorAll('optgroup');
      for (var j = 0; j < groups.length; j++) {
        var any = false, kids = groups[j].querySelectorAll('option');
        for (var k = 0; k < kids.length; k++) { any = any || !kids[k].hidden; }
        groups[j].hidden = !any;
      }
      // One match, or the chosen person hidden: choose the first match.
      var cur = sel.options[sel.selectedIndex];
      if (first && q && (!cur || cur.hidden || !cur.value)) { sel.value = first.value; }
    };
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { searchable(document); });
  } else { searchable(document); }
  document.addEventListener('htmx:afterSettle', function (ev) { searchable(ev.target && ev.target.querySelectorAll ? ev.target : document); });
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
