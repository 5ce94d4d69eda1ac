// The reflection editor keeps every keystroke: a copy in the browser
// (localStorage) at once, and the draft on the server a moment after
// typing stops, so that a dropped connection or a reload loses nothing.
(function () {
  'use strict';
  var form = document.getElementById('write-form');
  if (!form) return;
  var body = form.querySelector('textarea[name=body]');
  var version = form.querySelector('input[name=version]');
  var csrf = form.querySelector('input[name=csrf]').value;
  var noteEl = document.getElementById('draft-note');
  var count = document.getElementById('body-count');
  var key = form.getAttribute('data-draft-key');
  var url = form.getAttribute('data-draft-url');
  var timer = null, saving = false, again = false, note = '';

  function length(s) { return s.replace(/\s/g, '').length; }
  function show() {
    var n = length(body.value);
    count.textContent = count.textContent.replace(/\d+/, String(n));
    noteEl.textContent = note;
  }
  // The copy names the server version it was typed over, so that an
  // old copy never overwrites a text the server has moved on from.
  function keep() {
    try { localStorage.setItem(key, JSON.stringify({ v: version.value, t: body.value })); } catch (e) { /* private mode: the server copy still holds */ }
  }
  function save() {
    if (saving) { again = true; return; }
    saving = true;
    var text = body.value;
    var data = new URLSearchParams();
    data.set('csrf', csrf); data.set('version', version.value); data.set('body', text);
    fetch(url, { method: 'POST', body: data, credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf } })
      .then(function (res) { return res.json().then(function (j) { return { ok: res.ok, j: j }; }); })
      .then(function (r) {
        if (r.ok) {
          version.value = r.j.version;
          // The upload form replaces the text at the version saved last.
          var up = document.querySelector('#upload-form input[name=version]');
          if (up) up.value = r.j.version;
          note = form.getAttribute('data-saved') + ' ' + r.j.saved_at;
          if (body.value === text) { try { localStorage.removeItem(key); } catch (e) {} }
        } else {
          note = r.j.error || form.getAttribute('data-offline');
        }
      })
      .catch(function () { note = form.getAttribute('data-offline'); })
      .then(function () {
        saving = false; show();
        if (again) { again = false; save(); }
      });
  }
  function changed() {
    keep(); show();
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  }
  // A copy in the browser newer than the page: the last save did not
  // reach the server. Put it back and save it.
  var kept = null;
  try { kept = JSON.parse(localStorage.getItem(key)); } catch (e) {}
  if (kept && kept.v === version.value && kept.t !== body.value && !form.querySelector('[aria-invalid]')) {
    body.value = kept.t;
    note = form.getAttribute('data-restored');
    timer = setTimeout(save, 300);
  }
  body.addEventListener('input', changed);
  window.addEventListener('online', function () { if (localStorage.getItem(key) !== null) save(); });
  form.addEventListener('submit', function () { clearTimeout(timer); keep(); });
  // A copy typed over an older version is of no use any more.
  if (kept && kept.v !== version.value) { try { localStorage.removeItem(key); } catch (e) {} }
  show();
})();
