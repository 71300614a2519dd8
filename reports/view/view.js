// The script of the page that `coseval view` writes: the problem list, one problem's samples with their
// filters, and the state of both in the URL fragment (#problem=ID&verdict=wrong&rule=boxed&page=2).
// Each problem's samples sit in an inert JSON script block of their own, parsed when the problem is opened.
(function () {
  'use strict';

  var PAGE = 50;
  var data = JSON.parse(document.getElementById('cs-data').textContent);
  var byKey = Object.create(null);
  var cache = { block: null, parsed: null };

  data.problems.forEach(function (p, i) {
    var key = p.k + '\u0000' + p.d;
    byKey[key] = i;
    if (!(p.k in byKey)) byKey[p.k] = i;
  });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function clear(e) {
    while (e.firstChild) e.removeChild(e.firstChild);
  }

  // The fragment as an object: problem, dataset, verdict, rule, run, page, q (list filter), list (list page).
  function readState() {
    var s = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (part) {
      var eq = part.indexOf('=');
      if (eq > 0) {
        try {
          s[decodeURIComponent(part.slice(0, eq))] = decodeURIComponent(part.slice(eq + 1));
        } catch (e) { /* a malformed escape: the item is ignored */ }
      }
    });
    return s;
  }

  var ORDER = ['tab', 'problem', 'dataset', 'run', 'verdict', 'rule', 'page', 'q', 'list'];

  function href(s) {
    var parts = [];
    ORDER.forEach(function (k) {
      if (s[k] !== undefined && s[k] !== '' && s[k] !== 'all') {
        parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(s[k]));
      }
    });
    return '#' + parts.join('&');
  }

  // Rewrites the fragment with updates; replace: without a new history entry (for typing in the filter box).
  function change(updates, replace) {
    var s = readState();
    Object.keys(updates).forEach(function (k) { s[k] = updates[k]; });
    if (replace) location.replace(href(s));
    else location.hash = href(s);
  }

  function pageNumber(text, pages) {
    var n = parseInt(text || '1', 10);
    if (!(n >= 1)) n = 1;
    return Math.min(n, Math.max(pages, 1));
  }

  // Previous and next buttons and "page N of M" into box; key is the fragment item of the page number.
  function pager(box, page, pages, key) {
    clear(box);
    if (pages <= 1) return;
    var prev = el('button', 'prev', '\u2190 previous');
    prev.disabled = page <= 1;
    prev.onclick = function () { var u = {}; u[key] = String(page - 1); change(u); };
    var next = el('button', 'next', 'next \u2192');
    next.disabled = page >= pages;
    next.onclick = function () { var u = {}; u[key] = String(page + 1); change(u); };
    box.appendChild(prev);
    box.appendChild(el('span', 'pageno', 'page ' + page + ' of ' + pages));
    box.appendChild(next);
  }

  function renderList(s) {
    var q = (s.q || '').toLowerCase();
    var input = document.getElementById('cs-q');
    if (document.activeElement !== input) input.value = s.q || '';
    var rows = data.problems.filter(function (p) {
      return q === '' || p.k.toLowerCase().indexOf(q) >= 0 || (p.s || '').toLowerCase().indexOf(q) >= 0;
    });
    var pages = Math.ceil(rows.length / PAGE);
    var page = pageNumber(s.list, pages);
    document.getElementById('cs-plist-dataset').hidden = data.datasets <= 1;
    var body = document.getElementById('cs-plist-body');
    clear(body);
    rows.slice((page - 1) * PAGE, page * PAGE).forEach(function (p) {
      var tr = el('tr');
      var td = el('td');
      var a = el('a', null, p.k);
      var target = { tab: 'problems', problem: p.k, q: s.q, list: s.list };
      if (data.datasets > 1) target.dataset = p.d;
      a.href = href(target);
      td.appendChild(a);
      tr.appendChild(td);
      if (data.datasets > 1) tr.appendChild(el('td', null, p.d));
      tr.appendChild(el('td', null, p.s || ''));
      tr.appendChild(el('td', 'num', p.l || ''));
      for (var r = 0; r < data.runs.length; r++) {
        tr.appendChild(el('td', 'num', p.n[r] ? p.c[r] + ' / ' + p.n[r] : '\u2013'));
      }
      if (s.problem === p.k && (!s.dataset || s.dataset === p.d)) tr.className = 'open';
      body.appendChild(tr);
    });
    document.getElementById('cs-plist-count').textContent =
      rows.length + ' of ' + data.problems.length + ' problems';
    pager(document.getElementById('cs-plist-pager'), page, pages, 'list');
  }

  // The block of problem p, parsed once and kept while it is the open one.
  function samplesOf(p) {
    if (cache.block !== p.b) {
      cache.parsed = JSON.parse(document.getElementById(p.b).textContent);
      cache.block = p.b;
    }
    return cache.parsed;
  }

  // Appends text (a string, or [part, bytes cut, part, ...]) to box, with the last occurrence of answer marked
  // and a visible mark where bytes were cut.
  function appendText(box, text, answer) {
    var parts = Array.isArray(text) ? text : [text];
    var hit = -1, at = -1;
    if (answer) {
      for (var i = parts.length - 1; i >= 0 && hit < 0; i -= 2) {
        at = parts[i].lastIndexOf(answer);
        if (at >= 0) hit = i;
      }
    }
    parts.forEach(function (part, j) {
      if (j % 2 === 1) {
        box.appendChild(el('span', 'cut', '[\u2026 ' + part + ' bytes cut \u2026]'));
      } else if (j === hit) {
        box.appendChild(document.createTextNode(part.slice(0, at)));
        box.appendChild(el('mark', 'answer', answer));
        box.appendChild(document.createTextNode(part.slice(at + answer.length)));
      } else {
        box.appendChild(document.createTextNode(part));
      }
    });
  }

  function fillSelect(select, values, chosen, counts) {
    clear(select);
    var all = el('option', null, 'all');
    all.value = 'all';
    select.appendChild(all);
    values.forEach(function (v) {
      var o = el('option', null, v + (counts ? ' (' + counts[v] + ')' : ''));
      o.value = v;
      select.appendChild(o);
    });
    select.value = values.indexOf(chosen) >= 0 ? chosen : 'all';
  }

  function sample(x) {
    var li = el('li', 'sample v-' + x.v);
    li.setAttribute('data-verdict', x.v);
    li.setAttribute('data-rule', x.ru || '');
    li.setAttribute('data-run', data.runs[x.r]);
    var meta = el('div', 'meta');
    meta.appendChild(el('span', 'run', data.runs[x.r]));
    meta.appendChild(el('span', 'idx', '#' + x.i));
    meta.appendChild(el('span', 'verdict', x.v));
    if (x.ru) meta.appendChild(el('span', 'rule', 'rule ' + x.ru));
    var ans = el('span', 'ans', 'answer ');
    ans.appendChild(el('code', null, x.a === null ? '(none)' : x.a));
    meta.appendChild(ans);
    if (x.tok !== null) meta.appendChild(el('span', 'tok', x.tok + ' tokens'));
    if (x.st) meta.appendChild(el('span', 'stopped', 'stopped at the length limit'));
    li.appendChild(meta);
    if (x.re) li.appendChild(el('div', 'reason', x.re));
    if (x.j.length > 0) {
      li.appendChild(el('div', 'judgments', 'judged: ' + x.j.map(function (j) {
        return j[0] + ': reasoning ' + (j[1] ? 'correct' : 'wrong');
      }).join('; ')));
    }
    var pre = el('pre', 'text');
    appendText(pre, x.t, x.a);
    li.appendChild(pre);
    return li;
  }

  function renderProblem(s) {
    var box = document.getElementById('cs-problem');
    var i = s.problem === undefined ? undefined
      : s.dataset ? byKey[s.problem + '\u0000' + s.dataset] : byKey[s.problem];
    if (i === undefined) {
      box.hidden = s.problem === undefined;
      document.getElementById('cs-ptitle').textContent = 'No problem ' + s.problem +
        (s.dataset ? ' in dataset ' + s.dataset : '') + ' has samples in these runs';
      ['cs-question', 'cs-gold', 'cs-samples', 'cs-scount', 'cs-spager'].forEach(function (id) {
        clear(document.getElementById(id));
      });
      return;
    }
    var p = data.problems[i];
    var block = samplesOf(p);
    box.hidden = false;
    document.getElementById('cs-ptitle').textContent =
      'Problem ' + p.k + (data.datasets > 1 ? ' (' + p.d + ')' : '') +
      (p.s ? ' \u00b7 ' + p.s : '') + (p.l ? ' \u00b7 level ' + p.l : '');
    var q = document.getElementById('cs-question');
    clear(q);
    appendText(q, block.q === null ? '' : block.q, null);
    document.getElementById('cs-gold').textContent = block.g === null ? '(none)' : block.g;

    var verdicts = [], rules = [], vcount = {}, rcount = {}, runs = [], ucount = {};
    block.s.forEach(function (x) {
      var run = data.runs[x.r];
      if (!(x.v in vcount)) { vcount[x.v] = 0; verdicts.push(x.v); }
      vcount[x.v]++;
      if (x.ru) {
        if (!(x.ru in rcount)) { rcount[x.ru] = 0; rules.push(x.ru); }
        rcount[x.ru]++;
      }
      if (!(run in ucount)) { ucount[run] = 0; runs.push(run); }
      ucount[run]++;
    });
    rules.sort();
    fillSelect(document.getElementById('cs-verdict'), verdicts, s.verdict, vcount);
    fillSelect(document.getElementById('cs-rule'), rules, s.rule, rcount);
    fillSelect(document.getElementById('cs-run'), runs, s.run, ucount);

    var shown = block.s.filter(function (x) {
      return (!s.verdict || s.verdict === 'all' || x.v === s.verdict) &&
        (!s.rule || s.rule === 'all' || x.ru === s.rule) &&
        (!s.run || s.run === 'all' || data.runs[x.r] === s.run);
    });
    var pages = Math.ceil(shown.length / PAGE);
    var page = pageNumber(s.page, pages);
    var list = document.getElementById('cs-samples');
    clear(list);
    list.start = (page - 1) * PAGE + 1;
    shown.slice((page - 1) * PAGE, page * PAGE).forEach(function (x) { list.appendChild(sample(x)); });
    document.getElementById('cs-scount').textContent =
      shown.length + ' of ' + block.s.length + ' samples';
    pager(document.getElementById('cs-spager'), page, pages, 'page');
  }

  var lastProblem; // the problem shown before this render: back to the top when another one opens

  // The body's data-ready-ms: milliseconds from the start of navigation to the end of the first render (the
  // page's load time as the browser measures it); data-render-ms: how long the last render took.
  function render() {
    var start = performance.now();
    var s = readState();
    var tab = s.tab || (s.problem !== undefined ? 'problems' : 'summary');
    document.getElementById('cs-summary').hidden = tab !== 'summary';
    document.getElementById('cs-browser').hidden = tab !== 'problems';
    document.getElementById('cs-tab-summary').className = tab === 'summary' ? 'on' : '';
    document.getElementById('cs-tab-problems').className = tab === 'problems' ? 'on' : '';
    renderList(s);
    renderProblem(s);
    if (s.problem !== lastProblem && lastProblem !== undefined) window.scrollTo(0, 0);
    lastProblem = s.problem;
    if (!document.body.hasAttribute('data-ready')) {
      document.body.setAttribute('data-ready-ms', String(Math.round(performance.now())));
    }
    document.body.setAttribute('data-render-ms', String(Math.round(performance.now() - start)));
    document.body.setAttribute('data-ready', '1');
  }

  ['cs-verdict', 'cs-rule', 'cs-run'].forEach(function (id) {
    document.getElementById(id).onchange = function (e) {
      var u = { page: '' };
      u[id.slice(3)] = e.target.value;
      change(u);
    };
  });
  document.getElementById('cs-q').oninput = function (e) { change({ q: e.target.value, list: '' }, true); };
  window.addEventListener('hashchange', render);
  render();
}());
