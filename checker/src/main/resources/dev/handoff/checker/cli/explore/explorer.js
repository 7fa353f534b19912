// handoff explore: the page. Plain JavaScript, no external assets. It asks the server's JSON API
// (ExplorerServer) or, in a static export, looks the same answers up in data.js.
'use strict';

const STATIC = window.HANDOFF_STATIC || null;
const S = { link: null, history: [], terminalAt: {}, resolveSeq: 0, cells: {}, session: null, cell: null, property: null, steps: [], run: null, fields: [], sel: 0, enabledAt: {} };
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined) e.setAttribute(k, v);
  }
  for (const k of kids.flat()) e.append(k instanceof Node ? k : document.createTextNode(k == null ? '' : String(k)));
  return e;
}

// The key data.js files a path answer under (ExplorerExport.staticKey computes the same).
function staticKey(body) {
  return body.cell + '|' + body.property + '|' + (body.steps || []).map((s) => s.actor + ':' + s.action).join(',');
}

// A run as data.js stores it (ExplorerExport.data): its initial state by index, its original
// steps left out when they are its steps. Back together, it is the server's answer.
function inflate(answer) {
  const trace = Object.assign({}, answer.trace);
  if (typeof trace.initial === 'number') trace.initial = STATIC.initials[trace.initial];
  if (!trace.original) trace.original = trace.steps;
  const keys = ['schema', 'scenario', 'pruning', 'property', 'kind', 'initial', 'steps', 'witness', 'explanation', 'rootCause', 'original'];
  const ordered = {};
  keys.forEach((k) => { if (k in trace) ordered[k] = trace[k]; });
  return Object.assign({}, answer, { trace: ordered });
}

async function api(path, body) {
  if (STATIC) {
    if (path === '/api/session') return STATIC.session;
    if (path.startsWith('/api/cell?id=')) return STATIC.cells[decodeURIComponent(path.slice(13))];
    if (path === '/api/path' && STATIC.paths[staticKey(body)]) return inflate(STATIC.paths[staticKey(body)]);
    throw new Error('this static export holds the counterexamples only: run "handoff explore" to resolve and to take other steps');
  }
  const r = await fetch(path, body === undefined ? {} : {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const j = await r.json();
  if (!r.ok) throw new Error(j.error || r.statusText);
  return j;
}

function fail(e) {
  $('error').hidden = false;
  $('error').textContent = String(e.message || e);
}

function clearError() {
  $('error').hidden = true;
}

function show(view) {
  for (const v of ['board', 'matrix', 'trace']) {
    $('view-' + v).hidden = v !== view;
    document.querySelector('nav button[data-view=' + v + ']').classList.toggle('active', v === view);
  }
}

// ------------------------------------------------------------------ board

function table(headers, rows) {
  return el('table', {}, el('tr', {}, headers.map((h) => el('th', {}, h))),
    rows.map((r) => el('tr', {}, r.map((c) => el('td', { class: 'mono' }, c)))));
}

// What a kernel engineer asks first comes first: what was modelled, what is safe, what is wrong
// with the description; then the SMMUs, devices (displays first), memory and framebuffers.
function renderBoard(b) {
  const v = $('view-board');
  v.replaceChildren(el('h2', {}, b.file + ' (' + (b.model || 'no model name') + ')'));
  v.append(el('h3', {}, 'Modelled displays'), b.modelled.length === 0
    ? el('p', { class: 'muted' }, 'none' + (S.session && S.session.noMatrix ? ': ' + S.session.noMatrix : ''))
    : table(['display', 'SMMU', 'impl', 'SMRs', 'banks', 'clients', 'notes'],
      b.modelled.map((m) => [m.display, m.smmu, m.impl, m.smrGroups, m.contextBanks,
        m.clients.map((c) => c.label + ': ' + c.streams.map((s) => s.sid + '/' + s.mask).join(' ')).join('; '), m.notes.join(' ')])));
  v.append(el('h3', {}, 'Safe in every variant'), el('ul', { id: 'safe-policies' }, b.safePolicies.map((x) =>
    el('li', {}, el('span', { class: 'mono' }, x.display), ': ', x.policies.length ? x.policies.join(', ') : 'no policy'))));
  if (b.skippedPolicies.length) {
    v.append(el('h3', {}, 'Not run'), el('ul', { id: 'skipped-policies' }, b.skippedPolicies.map((x) => el('li', {}, el('b', {}, x.policy), ': ', x.reason))));
  }
  v.append(el('h3', {}, 'Findings'), b.findings.length === 0 ? el('p', { class: 'muted' }, 'none')
    : el('ul', { id: 'findings' }, b.findings.map((f) => el('li', {}, el('b', {}, f.kind), ': ', f.message))));
  v.append(el('h3', {}, 'SMMUs'), table(['path', 'compatible', 'arm-smmu', '#iommu-cells', 'context IRQs', 'status'],
    b.smmus.map((s) => [s.path, s.compatible.join(', '), s.armSmmu, s.iommuCells, s.contextInterrupts, s.status])));
  const devices = b.devices.slice().sort((x, y) => (x.role === 'display' ? 0 : 1) - (y.role === 'display' ? 0 : 1));
  v.append(el('h3', {}, 'Devices'), table(['path', 'role', 'compatible', 'streams', 'memory-region', 'status'],
    devices.map((d) => [d.path, d.role, d.compatible[0] || '', d.streams.map((s) => s.sid + '/' + s.mask).join(' '),
      d.memoryRegions.join(' '), d.status])));
  v.append(el('h3', {}, 'Reserved regions'), table(['path', 'base', 'size', 'no-map', 'iommu-addresses'],
    b.reservedRegions.map((r) => [r.path, r.base == null ? '(dynamic)' : r.base, '0x' + r.size.toString(16), r.noMap,
      r.iommuAddresses.map((a) => a.device + ' @' + a.iova).join(' ')])));
  v.append(el('h3', {}, 'Framebuffers'), table(['path', 'base', 'size', 'mode'],
    b.framebuffers.map((f) => [f.path, f.base, '0x' + f.size.toString(16), f.width + 'x' + f.height + ' ' + f.format])));
}

// ------------------------------------------------------------------ matrix

function renderMatrices(ms) {
  const box = $('matrices');
  box.replaceChildren();
  box.append(el('p', { class: 'muted legend' }, 'Red: a fetch that resets the machine (fatal) or hangs it; pink: a reported fault or a wrong page; '
    + 'amber: no fetch fails, another property is violated (isolation, stream match conflict, handoff-completes); green: every property holds.'));
  if (ms.length === 0) {
    const why = S.session && S.session.noMatrix;
    box.append(el('p', { id: 'no-matrix', class: 'muted' }, why ? 'No matrix: ' + why : 'No matrix: nothing to check here.'));
  }
  for (const m of ms) {
    box.append(el('h2', {}, (m.display ? m.display + ' ' : '') + '(platform ' + m.platform + ')'));
    const byId = {};
    m.cells.forEach((c) => { byId[c.policy + '\u0000' + c.variant] = c; });
    box.append(el('table', { class: 'matrix' },
      el('tr', {}, el('th', {}, 'policy \\ variant'), m.variants.map((v) => el('th', { class: 'mono' }, v))),
      m.policies.map((p) => el('tr', {}, el('th', {}, p), m.variants.map((v) => {
        const c = byId[p + '\u0000' + v];
        return el('td', { class: 'cell ' + c.verdict + (c.severity ? ' sev-' + c.severity : ''), 'data-cell': c.id,
          title: c.verdict + (c.severity ? ': the worst fetch is ' + c.severity : ''), onclick: () => openCell(c.id) },
        c.verdict === 'HOLDS' ? 'ok' : c.violated.length ? c.violated.join(', ') + (c.severity ? ' (' + c.severity + ')' : '')
          : c.verdict.toLowerCase());
      })))));
  }
}

async function openCell(id) {
  clearError();
  document.querySelectorAll('td.cell').forEach((td) => td.classList.toggle('selected', td.dataset.cell === id));
  try {
    const c = await api('/api/cell?id=' + encodeURIComponent(id));
    const p = $('cell-panel');
    const info = S.cells[id] || {};
    p.replaceChildren(el('h2', {}, 'Cell ' + (c.scenario.policy || '(no policy)') + (info.variant ? ' · ' + info.variant : '')
      + ' (' + (c.verdict || 'not checked') + ')'));
    const ul = el('ul', {});
    for (const prop of c.properties) {
      const traces = prop.trace ? [prop.trace].concat(prop.moreTraces) : [];
      ul.append(el('li', {}, el('span', { class: 'verdict-' + prop.verdict }, prop.verdict), ' ', el('b', {}, prop.name),
        prop.severity ? ' (' + prop.severity + ')' : '', ' ',
        traces.map((t, i) => el('a', { href: '#' + linkHash({ cell: id, property: prop.name, trace: i }), class: 'open-trace', 'data-property': prop.name,
          onclick: (e) => { e.preventDefault(); openCounterexample(id, prop.name, i, null).catch(fail); } },
        traces.length > 1 ? 'counterexample ' + (i + 1) + ' ' : 'open counterexample ', '(' + t.steps.length + ' steps)'))));
    }
    if (STATIC) {
      p.append(ul, el('p', { class: 'muted' }, 'Steps from the initial state need the model: run "handoff explore" to take them.'));
      if (p.scrollIntoView) p.scrollIntoView({ block: 'nearest' });
      return;
    }
    p.append(ul, el('p', {}, el('a', { href: '#', id: 'explore-from-start',
      onclick: (e) => { e.preventDefault(); S.history = []; S.link = null; openRun(id, null, [], 0); } }, 'Explore this cell from its initial state')));
    if (p.scrollIntoView) p.scrollIntoView({ block: 'nearest' });
  } catch (e) {
    fail(e);
  }
}

// ------------------------------------------------------------------ links

function linkHash(l) {
  const p = new URLSearchParams({ cell: l.cell, property: l.property, trace: String(l.trace) });
  if (l.step !== undefined) p.set('step', String(l.step));
  return p.toString();
}

// The counterexample step the address names (#cell=..&property=..&trace=..&step=..), if any: true when opened.
async function openFromHash() {
  const link = new URLSearchParams(location.hash.slice(1));
  if (!link.get('cell') || !link.get('property')) return false;
  const step = link.get('step');
  await openCounterexample(link.get('cell'), link.get('property'), +(link.get('trace') || 0), step === null ? null : +step);
  return true;
}

// a link followed within the page (or edited by hand) opens what it names
window.addEventListener('hashchange', () => { if (S.session) openFromHash().catch(fail); });

// Opens counterexample N of a cell's property (as the cell panel lists them), at step sel (null: the last).
async function openCounterexample(cell, property, n, sel) {
  const c = await api('/api/cell?id=' + encodeURIComponent(cell));
  if (!c) throw new Error('no cell "' + cell + '" in this session');
  const prop = c.properties.find((p) => p.name === property);
  const traces = prop && prop.trace ? [prop.trace].concat(prop.moreTraces) : [];
  if (!traces[n]) throw new Error('cell ' + cell + ' has no counterexample ' + (n + 1) + ' of ' + property);
  S.history = [];
  S.link = { cell, property, trace: n };
  await openRun(cell, property, traces[n].steps.map((s) => ({ actor: s.actor, action: s.action })), sel);
}

// ------------------------------------------------------------------ trace

// The fields after every step: the initial state's, then each step's changes applied.
function fieldsPerStep(trace) {
  const out = [Object.assign({}, trace.initial)];
  for (const s of trace.steps) {
    const f = Object.assign({}, out[out.length - 1]);
    for (const c of s.changes) f[c.field] = c.to;
    out.push(f);
  }
  return out;
}

async function openRun(cell, property, steps, sel) {
  clearError();
  try {
    const run = await api('/api/path', { cell, property, steps });
    S.cell = cell;
    S.property = run.trace.property;
    S.steps = run.trace.steps.map((s) => ({ actor: s.actor, action: s.action }));
    S.run = run;
    S.fields = fieldsPerStep(run.trace);
    S.enabledAt = {};
    S.terminalAt = {};
    S.enabledAt[S.steps.length] = run.enabled;
    S.terminalAt[S.steps.length] = run.terminal;
    show('trace');
    renderTrace();
    select(sel == null ? S.steps.length : sel);
  } catch (e) {
    fail(e);
  }
}

function renderTrace() {
  const t = S.run.trace;
  const head = $('trace-head');
  const w = t.witness;
  head.replaceChildren(
    el('h2', {}, (t.scenario.platform.name || '') + ' · ' + (t.scenario.policy || '(no policy)') + ' · ', el('span', { id: 'trace-property' }, t.property),
      ' ', el('span', { class: 'pill ' + (S.run.violated.includes(t.property) ? 'verdict-VIOLATED' : 'verdict-HOLDS') },
        S.run.violated.includes(t.property) ? 'violated at the last step' : 'not violated at the last step')),
    el('div', { class: 'actions' },
      el('button', { id: 'prev', onclick: () => select(S.sel - 1) }, '◀ step'),
      el('button', { id: 'next', onclick: () => select(S.sel + 1) }, 'step ▶'),
      el('button', { id: 'to-fault', onclick: () => select(S.steps.length) }, 'to the last step'),
      el('button', { id: 'export', onclick: exportTrace }, 'Export trace (handoff replay)'),
      S.history.length ? el('button', { id: 'back', title: 'the run before the last step taken on demand',
        onclick: () => { const h = S.history.pop(); S.link = h.link; openRun(h.cell, h.property, h.steps, h.sel); } }, '↶ back') : '',
      el('span', { class: 'muted' }, ' violated after the last step: ', el('span', { id: 'violated' }, S.run.violated.join(', ') || 'nothing'))),
    w ? el('p', { id: 'witness' }, 'Witness: ', el('b', {}, w.outcome), ' stream ', el('code', {}, w.sid || '-'),
      w.iova ? [' IOVA ', el('code', {}, w.iova)] : '', w.pa ? [' PA ', el('code', {}, w.pa)] : '',
      w.report ? ' reported as ' + w.report : '', w.path ? [' — ', w.path] : '') : '');
  const ol = $('steps');
  ol.replaceChildren(el('li', { 'data-step': 0, value: 0, onclick: () => select(0) }, el('span', { class: 'act' }, 'initial state')));
  const item = (s, i) => el('li', { 'data-step': i + 1, value: i + 1,
    class: (i === t.steps.length - 1 && w ? 'fault' : '') + (s.changes.some((c) => c.field.startsWith('smmu.')) ? ' smmu-write' : ''),
    onclick: () => select(i + 1) }, el('span', { class: 'act' }, s.actor + ': ' + s.action),
  s.function ? [' ', el('span', { class: 'fn mono' }, s.function)] : '',
  s.changes.length ? '' : el('span', { class: 'muted nochange' }, ' (no field changed)'));
  // runs of one action over an index (reset.cb[0] ... reset.cb[63]: a loop in the kernel) fold
  // into one line that opens on a click, or when a step inside is selected
  for (let i = 0; i < t.steps.length;) {
    const m = /^(.*)\[(\d+)\]$/.exec(t.steps[i].action);
    let j = i + 1;
    while (m && j < t.steps.length && t.steps[j].actor === t.steps[i].actor
      && (/^(.*)\[(\d+)\]$/.exec(t.steps[j].action) || [])[1] === m[1]) j++;
    if (m && j - i >= 4 && !(j === t.steps.length && w)) {
      const members = [];
      for (let k = i; k < j; k++) members.push(item(t.steps[k], k));
      members.forEach((li) => { li.hidden = true; li.classList.add('folded'); });
      const first = /\[(\d+)\]$/.exec(t.steps[i].action)[1];
      const last = /\[(\d+)\]$/.exec(t.steps[j - 1].action)[1];
      const head = el('li', { class: 'group', 'data-group': (i + 1) + '-' + j, title: 'steps ' + (i + 1) + ' to ' + j,
        onclick: () => { const open = members[0].hidden; members.forEach((li) => { li.hidden = !open; }); head.classList.toggle('open', open); } },
      el('span', { class: 'act' }, t.steps[i].actor + ': ' + m[1] + '[' + first + '..' + last + ']'),
      el('span', { class: 'muted' }, ' ' + (j - i) + ' steps, ' + (i + 1) + '-' + j + ' ▸'));
      ol.append(head, ...members);
      i = j;
    } else {
      ol.append(item(t.steps[i], i));
      i++;
    }
  }
  renderChart();
  const ex = $('explanation');
  ex.hidden = !t.explanation;
  ex.replaceChildren();
  if (t.explanation) {
    // "step 10", "Step 8" and "steps 3 and 4" become links to those steps
    const parts = t.explanation.split(/(\bsteps? \d+(?:(?:, | and )\d+)*)/i);
    for (const part of parts) {
      const m = /^(steps?) (\d.*)$/i.exec(part);
      if (!m) { ex.append(part); continue; }
      ex.append(m[1] + ' ');
      m[2].split(/(, | and )/).forEach((n) => ex.append(/^\d+$/.test(n)
        ? el('a', { href: '#', class: 'step-link', 'data-step': n, onclick: (e) => { e.preventDefault(); select(+n); } }, n) : n));
    }
    if (t.rootCause) ex.append(el('p', { class: 'muted' }, 'Root cause: ' + t.rootCause));
  }
}

// A sequence chart: a lane per actor in order of appearance and one for the SMMU hardware; a step
// that writes SMMU registers, or a fetch through the SMMU, is an arrow from its actor to the SMMU.
function renderChart() {
  const t = S.run.trace;
  const actors = [];
  t.steps.forEach((s) => { if (!actors.includes(s.actor)) actors.push(s.actor); });
  const touches = (s) => s.changes.some((c) => c.field.startsWith('smmu.')) || /^fetch/.test(s.action);
  const hw = t.steps.some(touches);
  const lanes = hw ? actors.concat(['SMMU']) : actors;
  const row = 22, top = 28, left = 10;
  // lanes share the column's width (at least 95 px each: a wider chart scrolls)
  const lane = Math.max(95, Math.floor((($('chart').clientWidth || 420) - 2 * left - 24) / Math.max(1, lanes.length)));
  const width = left * 2 + Math.max(1, lanes.length) * lane;
  const height = top + (t.steps.length + 1) * row + 6;
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'sequence chart');
  const add = (parent, tag, attrs, text) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    parent.append(e);
    return e;
  };
  const defs = add(svg, 'defs', {});
  for (const [id, colour] of [['arrow', '#1f6feb'], ['arrow-bad', '#c62828']]) {
    const m = add(defs, 'marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    add(m, 'path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: colour });
  }
  const x = (name) => left + lanes.indexOf(name) * lane + lane / 2;
  lanes.forEach((a) => {
    add(svg, 'text', { x: x(a), y: 16, 'text-anchor': 'middle', 'font-size': 12, 'font-weight': 600 }, a === 'SMMU' ? 'SMMU (hardware)' : a);
    add(svg, 'line', { x1: x(a), y1: top - 6, x2: x(a), y2: height, stroke: '#d0d7de', 'stroke-dasharray': a === 'SMMU' ? '4 3' : '' });
  });
  t.steps.forEach((s, i) => {
    const g = add(svg, 'g', { class: 'row', 'data-step': i + 1 });
    g.addEventListener('click', () => select(i + 1));
    const y = top + (i + 1) * row;
    add(g, 'rect', { class: 'band', x: 0, y: y - row / 2, width, height: row, fill: 'transparent' });
    const from = x(s.actor);
    const bad = i === t.steps.length - 1 && !!t.witness;
    const label = (i + 1) + ' ' + s.action;
    if (hw && touches(s)) {
      const to = x('SMMU');
      add(g, 'line', { x1: from, y1: y + 3, x2: to - 2, y2: y + 3, stroke: bad ? '#c62828' : '#1f6feb', 'stroke-width': 1.5,
        'marker-end': bad ? 'url(#arrow-bad)' : 'url(#arrow)' });
      add(g, 'text', { x: from + 6, y: y - 1, 'font-size': 11, fill: bad ? '#c62828' : '#1f2328' }, label);
    } else {
      // the rightmost lane's labels go left of its line, so they never run off the chart
      const right = lanes.indexOf(s.actor) === lanes.length - 1 && lanes.length > 1;
      add(g, 'text', { x: right ? from - 8 : from + 8, y: y + 4, 'font-size': 11, 'text-anchor': right ? 'end' : 'start',
        fill: bad ? '#c62828' : '#1f2328' }, label);
    }
    add(g, 'circle', { cx: from, cy: y + (hw && touches(s) ? 3 : 0), r: 4.5, fill: bad ? '#c62828' : '#57606a' });
  });
  $('chart').replaceChildren(svg);
}

function select(k) {
  if (!S.run) return;
  k = Math.max(0, Math.min(S.steps.length, k));
  S.sel = k;
  // a counterexample's step has an address: #cell=ID&property=P&trace=N&step=K (a static export's too)
  if (history.replaceState) {
    history.replaceState(null, '', S.link ? '#' + linkHash(Object.assign({ step: k }, S.link)) : location.pathname + location.search);
  }
  document.querySelectorAll('#steps li[data-step]').forEach((li) => {
    const on = +li.dataset.step === k;
    li.classList.toggle('selected', on);
    if (on && li.hidden) {
      // a step inside a folded run: open the run
      for (let g = li.previousElementSibling; g; g = g.previousElementSibling) {
        if (g.classList.contains('group')) { g.click(); break; }
      }
    }
  });
  document.querySelectorAll('#chart .row').forEach((g) => g.classList.toggle('selected', +g.dataset.step === k));
  const sel = document.querySelector('#steps li.selected');
  if (sel && sel.scrollIntoView) sel.scrollIntoView({ block: 'nearest' });
  const row = document.querySelector('#chart .row.selected');
  if (row && row.scrollIntoView) row.scrollIntoView({ block: 'nearest' });
  $('state-step').textContent = k;
  renderRegisters(S.fields[k], k === 0 ? [] : S.run.trace.steps[k - 1].changes);
  renderEnabled(k);
  if ($('resolve-sid').value && $('resolve-iova').value && !STATIC) resolve();
}

// Fields are grouped by their first component (smmu, the driver's shadow, iommu-core, ...), the
// SMMU first. Within a group, PREFIX.NAME[i].COLUMN fields become a table per NAME, indexed by i
// (SMR and S2CR share one: they are the two halves of a stream-match entry).
const PAIRS = { SMR: 'SMR/S2CR', S2CR: 'SMR/S2CR', smrs: 'smrs/s2crs', s2crs: 'smrs/s2crs' };

function renderRegisters(fields, changes) {
  const changed = {};
  changes.forEach((c) => { changed[c.field] = c.from; });
  const groups = {};
  const group = (g) => groups[g] || (groups[g] = { list: [], tables: {} });
  for (const [k, v] of Object.entries(fields)) {
    const dot = k.indexOf('.');
    const g = dot < 0 ? 'other' : k.slice(0, dot);
    const rest = dot < 0 ? k : k.slice(dot + 1);
    const m = /^(?:(.*)\.)?([A-Za-z0-9_-]+)\[([^\]]+)\](?:\.(.+))?$/.exec(rest);
    if (m && dot >= 0) {
      const pair = PAIRS[m[2]];
      const name = (m[1] ? m[1] + '.' : '') + (pair || m[2]);
      const t = group(g).tables[name] || (group(g).tables[name] = { cols: [], rows: {} });
      const col = pair ? m[2] + (m[4] ? '.' + m[4] : '') : m[4] || 'value';
      if (!t.cols.includes(col)) t.cols.push(col);
      (t.rows[m[3]] || (t.rows[m[3]] = {}))[col] = [k, v];
    } else {
      group(g).list.push([rest, k, v]);
    }
  }
  const cell = (key, v) => {
    const ch = Object.prototype.hasOwnProperty.call(changed, key);
    return el('td', { class: 'mono' + (ch ? ' changed' : ''), 'data-field': key, title: ch ? 'was ' + changed[key] : key }, v);
  };
  const order = Object.keys(groups).sort((a, b) => rank(a) - rank(b));
  const box = $('registers');
  box.replaceChildren();
  for (const g of order) {
    const { list, tables } = groups[g];
    box.append(el('h3', {}, g === 'smmu' ? 'SMMU registers' : g === 'arm-smmu' ? "arm-smmu driver's shadow" : g));
    if (list.length) {
      box.append(el('table', { class: 'fields', 'data-group': g },
        list.map(([name, key, v]) => el('tr', {}, el('th', { class: 'mono' }, name), cell(key, v)))));
    }
    const first = (n) => (n.endsWith('SMR/S2CR') || n.endsWith('smrs/s2crs') ? 0 : 1);
    for (const [name, t] of Object.entries(tables).sort((a, b) => first(a[0]) - first(b[0]))) {
      const cls = name === 'SMR/S2CR' ? 'smr' : name === 'CB' ? 'cb' : 'indexed';
      t.cols.sort((a, b) => colRank(a) - colRank(b));
      box.append(el('table', { class: cls, 'data-table': g + '.' + name },
        el('tr', {}, el('th', {}, name), t.cols.map((c) => el('th', { class: 'mono' }, c))),
        Object.keys(t.rows).map((i) => el('tr', { 'data-index': i }, el('th', {}, i),
          t.cols.map((c) => t.rows[i][c] ? cell(t.rows[i][c][0], t.rows[i][c][1]) : el('td', {}, ''))))));
    }
  }
}

// register columns in the order the architecture lists the fields, the rest after them
const COLUMNS = ['SMR.VALID', 'SMR.ID', 'SMR.MASK', 'S2CR.TYPE', 'S2CR.CBNDX', 'smrs', 's2crs', 'CBAR.TYPE', 'SCTLR.M', 'TTBR0'];

function colRank(c) {
  return COLUMNS.includes(c) ? COLUMNS.indexOf(c) : COLUMNS.length;
}

function rank(g) {
  const first = ['smmu', 'arm-smmu', 'iommu-core', 'display-engine', 'display-driver', 'memory', 'kernel'];
  return first.includes(g) ? first.indexOf(g) : g === 'other' ? 99 : 50;
}

async function renderEnabled(k) {
  if (STATIC) return; // the page says once that taking steps needs the model
  const box = $('enabled');
  box.replaceChildren(el('span', { class: 'muted' }, '…'));
  let enabled = S.enabledAt[k];
  if (!enabled) {
    try {
      const run = await api('/api/path', { cell: S.cell, property: S.property, steps: S.steps.slice(0, k) });
      enabled = S.enabledAt[k] = run.enabled;
      S.terminalAt[k] = run.terminal;
    } catch (e) {
      if (S.sel === k) box.replaceChildren(el('span', { class: 'muted' }, e.message));
      return;
    }
  }
  if (S.sel !== k) return;
  box.replaceChildren();
  if (enabled.length === 0) {
    box.append(S.terminalAt[k] === false
      ? el('span', { id: 'deadlock', class: 'outcome-bad' }, 'deadlock: nothing is enabled and the run is not over')
      : el('span', { class: 'muted' }, 'nothing is enabled: the run is over'));
  }
  for (const a of enabled) {
    box.append(el('button', { 'data-actor': a.actor, 'data-action': a.action, title: a.function,
      onclick: () => {
        S.history.push({ cell: S.cell, property: S.property, steps: S.steps, sel: k, link: S.link });
        S.link = null; // a run of one's own has no link: it is not in the session
        openRun(S.cell, S.property, S.steps.slice(0, k).concat([{ actor: a.actor, action: a.action }]), null);
      } },
    a.actor + ': ' + a.action, ' ', el('span', { class: 'fn mono muted' }, a.function)));
  }
}

async function resolve(ev) {
  if (ev) ev.preventDefault();
  const out = $('resolve-out');
  if (!S.run) { out.textContent = 'open a trace first'; return; }
  const seq = ++S.resolveSeq; // a later request (the next step) wins over a slower earlier answer
  try {
    const r = await api('/api/resolve', { cell: S.cell, steps: S.steps, at: S.sel, sid: $('resolve-sid').value, iova: $('resolve-iova').value });
    if (seq !== S.resolveSeq) return;
    out.replaceChildren(el('div', {}, 'After step ' + r.at + ', stream ', el('code', {}, r.sid), ' (' + r.master + ') at ', el('code', {}, r.iova), ':'),
      el('ul', {}, r.routes.map((x) => el('li', { class: 'route' }, x.route, ' → ',
        x.pa ? ['PA ', el('code', {}, x.pa), ' '] : 'no page ',
        x.outcomes.length ? el('span', { class: 'outcome-bad' }, x.outcomes.join(', '))
          : r.display ? el('span', { class: 'outcome-ok' }, 'ok: the framebuffer')
            : x.kind === 'bypass' ? el('span', { class: 'outcome-warn' }, 'untranslated: reaches memory with PA = IOVA')
              : x.kind === 'walk' ? el('span', { class: 'outcome-ok' }, 'translated') : el('span', { class: 'outcome-ok' }, 'aborted')))),
      r.display ? '' : el('div', { class: 'muted' }, 'Another master: whether a page is the right one is judged for the display only.'));
  } catch (e) {
    if (seq === S.resolveSeq) out.replaceChildren(el('span', { class: 'outcome-bad' }, e.message));
  }
}

// The run as a handoff.trace/1 file: 'handoff replay FILE' replays it.
function exportJson() {
  return S.run ? JSON.stringify(S.run.trace, null, 2) + '\n' : null;
}
window.handoffExport = exportJson;

function exportTrace() {
  const blob = new Blob([exportJson()], { type: 'application/json' });
  const a = el('a', { href: URL.createObjectURL(blob), download: 'handoff-' + S.property + '.json' });
  document.body.append(a);
  a.click();
  a.remove();
}

// ------------------------------------------------------------------ start

async function start() {
  document.querySelectorAll('nav button').forEach((b) => b.addEventListener('click', () => show(b.dataset.view)));
  $('resolve-form').addEventListener('submit', resolve);
  // arrow keys step through the run (not while typing in the resolve box)
  document.addEventListener('keydown', (e) => {
    if (!S.run || $('view-trace').hidden || e.target.tagName === 'INPUT' || e.altKey || e.ctrlKey || e.metaKey) return;
    const to = { ArrowLeft: S.sel - 1, ArrowUp: S.sel - 1, ArrowRight: S.sel + 1, ArrowDown: S.sel + 1, Home: 0, End: S.steps.length }[e.key];
    if (to !== undefined) { e.preventDefault(); select(to); }
  });
  try {
    const s = await api('/api/session');
    S.session = s;
    $('source').textContent = s.kind + ': ' + s.source + (STATIC ? ' (static export)' : '');
    if (STATIC) {
      // what needs the model says so instead of offering controls that cannot answer
      $('resolve-form').hidden = true;
      $('resolve-out').textContent = 'The resolve box needs the model: run "handoff explore" to use it.';
      $('enabled-box').replaceChildren(el('p', { class: 'muted' }, 'Taking steps needs the model: run "handoff explore" to take them.'));
    }
    if (s.board) {
      document.querySelector('nav button[data-view=board]').hidden = false;
      renderBoard(s.board);
    }
    s.matrices.forEach((m) => m.cells.forEach((c) => { S.cells[c.id] = c; }));
    renderMatrices(s.matrices);
    if (await openFromHash()) {
      // the address named a counterexample's step
    } else if (s.opened.length) {
      const o = s.opened[0];
      await openRun(o.cell, o.property, o.steps, null);
    } else {
      show(s.board ? 'board' : 'matrix');
    }
    document.body.dataset.ready = 'true';
  } catch (e) {
    fail(e);
  }
}

start();
