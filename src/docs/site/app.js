// dlctl docs: the lab's document (window.DLCTL_LAB, from lab.js; live from api/lab when served)
// drawn as pages. Routes: #/lineage?select=SEL, #/node/ID, #/models, #/catalogs, #/catalog/NAME,
// #/datasets, #/exports, #/backups, #/graphs. Every value from the document goes in as text.
(function () {
  'use strict';

  let lab = window.DLCTL_LAB || null;
  const main = document.getElementById('main');
  const served = location.protocol === 'http:' || location.protocol === 'https:';

  const KIND_COLORS = {
    dataset: '#d97706', source: '#65a30d', seed: '#0d9488', model: '#2f6fde',
    snapshot: '#7c3aed', test: '#9ca3af', export: '#a21caf', graph: '#dc2626'
  };

  // ---- small DOM helpers ---------------------------------------------------------------------

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function link(id, text) {
    return el('a', { href: '#/node/' + encodeURIComponent(id) }, text || nodeById(id)?.name || id);
  }

  function badge(text, kind) {
    return el('span', { class: 'badge ' + (kind || text || '') }, text);
  }

  function bytes(n) {
    if (n === null || n === undefined) return '';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = Number(n), unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
    return unit === 0 ? value + ' B' : value.toFixed(1) + ' ' + units[unit];
  }

  // A table of `rows` (objects); columns: [key, title, format?, numeric?].
  function table(rows, columns, attributes) {
    return el('table', attributes || {},
      el('thead', {}, el('tr', {}, columns.map(c => el('th', {}, c[1])))),
      el('tbody', {}, rows.map(row => el('tr', {}, columns.map(c => {
        const value = c[2] ? c[2](row[c[0]], row) : row[c[0]];
        return el('td', { class: c[3] ? 'number' : null }, value === null || value === undefined ? '' : value);
      })))));
  }

  function facts(pairs) {
    return el('dl', { class: 'facts' }, pairs.filter(p => p[1] !== null && p[1] !== undefined && p[1] !== '')
      .map(p => [el('dt', {}, p[0]), el('dd', {}, p[1])]));
  }

  function code(text, cls) {
    return el('pre', { class: cls || 'sql' }, text);
  }

  function page(title, subtitle, ...content) {
    main.replaceChildren(el('div', {}, el('h1', {}, title), subtitle ? el('div', { class: 'subtitle' }, subtitle) : null, ...content));
  }

  // ---- the document ----------------------------------------------------------------------------

  function nodeById(id) { return lab.nodes.find(n => n.id === id); }

  function parentsOf(id) { return lab.edges.filter(e => e.to === id).map(e => e.from); }
  function childrenOf(id) { return lab.edges.filter(e => e.from === id).map(e => e.to); }

  function catalog(name) { return lab.catalogs.find(c => c.name === name); }

  // The lake's facts of a model or seed's table: rows, bytes, files, columns, the snapshot that wrote it.
  function tableFacts(node) {
    const c = catalog(node.catalog);
    if (!c || !node.relation) return null;
    const [, schema, tableName] = node.relation.split('.');
    const object = c.objects[schema + '.' + tableName];
    const row = c.tables.find(t => t.schema === schema && t.table === tableName);
    if (!object) return null;
    const snapshot = object.begin_snapshot !== undefined
      ? c.snapshots.find(s => s.snapshot_id === object.begin_snapshot) : null;
    return { catalog: c, object, row, snapshot };
  }

  // ---- dbt selectors (the subset that fits a lineage): name, fqn, tag:, path:, source:,
  // resource_type:, config.materialized:, package:, catalog:; N+x, x+N, @x; space = union,
  // comma = intersection. ----------------------------------------------------------------------

  function glob(pattern, text) {
    const expression = '^' + pattern.split('*').map(s => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$';
    return new RegExp(expression).test(text);
  }

  function matches(node, method, value) {
    switch (method) {
      case 'tag': return (node.tags || []).includes(value);
      case 'path': return !!node.path && (node.path === value || node.path.startsWith(value.replace(/\/?$/, '/')) || glob(value, node.path));
      case 'source': return node.kind === 'source' && (glob(value, node.name) || glob(value, node.name.split('.')[0]));
      case 'resource_type': return node.kind === value;
      case 'config.materialized': return node.materialized === value;
      case 'package': return node.package === value;
      case 'catalog': return node.catalog === value;
      default: {
        if (glob(value, node.name) || node.id === value) return true;
        const fqn = (node.fqn || []).join('.');
        return !!fqn && (fqn === value || fqn.startsWith(value + '.') || fqn.endsWith('.' + value) || fqn.includes('.' + value + '.'));
      }
    }
  }

  function walk(start, next, depth) {
    const seen = new Set();
    let frontier = [start];
    for (let level = 0; frontier.length && (depth === Infinity || level < depth); level++) {
      const following = [];
      for (const id of frontier) for (const other of next(id)) if (!seen.has(other)) { seen.add(other); following.push(other); }
      frontier = following;
    }
    return seen;
  }

  function selectAtom(atom) {
    const m = /^(@)?(?:(\d*)\+)?(.+?)(?:\+(\d*))?$/.exec(atom);
    if (!m) throw new Error('cannot read selector ' + atom);
    const [, at, up, body, down] = m;
    const colon = body.indexOf(':');
    const method = colon > 0 ? body.slice(0, colon) : '';
    const value = colon > 0 ? body.slice(colon + 1) : body;
    const picked = new Set(lab.nodes.filter(n => matches(n, method, value)).map(n => n.id));
    const result = new Set(picked);
    for (const id of picked) {
      if (up !== undefined) walk(id, parentsOf, up === '' ? Infinity : Number(up)).forEach(x => result.add(x));
      if (down !== undefined || at) walk(id, childrenOf, down ? Number(down) : Infinity).forEach(x => result.add(x));
    }
    if (at) for (const id of Array.from(result)) walk(id, parentsOf, Infinity).forEach(x => result.add(x));
    return result;
  }

  function select(selector) {
    const union = new Set();
    for (const term of selector.trim().split(/\s+/).filter(Boolean)) {
      let set = null;
      for (const atom of term.split(',')) {
        const picked = selectAtom(atom);
        set = set === null ? picked : new Set([...set].filter(x => picked.has(x)));
      }
      set.forEach(x => union.add(x));
    }
    return union;
  }

  // ---- pages -----------------------------------------------------------------------------------

  function lineage(params) {
    const selector = params.get('select') || '';
    let shown;
    let error = null;
    try {
      shown = selector ? select(selector) : new Set(lab.nodes.map(n => n.id));
    } catch (e) {
      error = e.message;
      shown = new Set(lab.nodes.map(n => n.id));
    }
    // Tests crowd the drawing (a model may have a dozen): shown when asked for, as dbt's docs do.
    const withTests = params.get('tests') === '1' || /test/.test(selector);
    if (!withTests) for (const n of lab.nodes) if (n.kind === 'test') shown.delete(n.id);
    const input = el('input', { type: 'text', id: 'selector', value: selector, placeholder: 'dbt selector, e.g. +music_taste, tag:nightly, source:deezer+' });
    const tests = el('input', { type: 'checkbox', id: 'show-tests', checked: withTests });
    const apply = () => {
      const query = new URLSearchParams();
      if (input.value.trim()) query.set('select', input.value.trim());
      if (tests.checked) query.set('tests', '1');
      location.hash = '#/lineage' + (query.toString() ? '?' + query : '');
    };
    input.addEventListener('keydown', e => { if (e.key === 'Enter') apply(); });
    tests.addEventListener('change', apply);
    const nodes = lab.nodes.filter(n => shown.has(n.id));
    const counts = {};
    for (const n of nodes) counts[n.kind] = (counts[n.kind] || 0) + 1;
    const summary = Object.entries(counts).map(([k, v]) => v + ' ' + k + (v === 1 ? '' : 's')).join(', ');
    const list = el('ul', { class: 'node-list', id: 'lineage-nodes' },
      nodes.map(n => el('li', { 'data-kind': n.kind, 'data-id': n.id }, el('span', { class: 'kind' }, n.kind), link(n.id, n.name))));
    page('Lineage', lab.project ? 'Project ' + lab.project.name + ': ' + summary : summary,
      problems(),
      el('div', { class: 'toolbar' }, input, el('button', { onclick: apply }, 'Select'),
        el('button', { onclick: () => { location.hash = '#/lineage'; } }, 'All'),
        el('label', {}, tests, ' tests'),
        error ? el('span', { class: 'badge error' }, error) : null),
      el('div', { class: 'legend' }, Object.entries(KIND_COLORS).map(([k, c]) => el('span', {}, el('i', { style: 'background:' + c }), k))),
      el('div', { id: 'graph' }),
      el('h2', {}, 'Nodes'), list);
    drawGraph(nodes, lab.edges.filter(e => shown.has(e.from) && shown.has(e.to)));
  }

  function drawGraph(nodes, edges) {
    const container = document.getElementById('graph');
    if (typeof cytoscape === 'undefined') {
      container.replaceChildren(el('p', { class: 'notice' }, 'The graph library did not load.'));
      return;
    }
    if (typeof cytoscapeDagre !== 'undefined' && !drawGraph.registered) {
      cytoscape.use(cytoscapeDagre);
      drawGraph.registered = true;
    }
    const cy = cytoscape({
      container,
      elements: [
        ...nodes.map(n => ({ data: { id: n.id, label: n.name, kind: n.kind } })),
        ...edges.map((e, i) => ({ data: { id: 'e' + i, source: e.from, target: e.to } }))
      ],
      style: [
        { selector: 'node', style: {
          'label': 'data(label)', 'font-size': 12, 'text-valign': 'center', 'text-halign': 'center',
          'width': 'label', 'height': 24, 'padding': '6px', 'shape': 'round-rectangle', 'color': '#fff',
          'background-color': ele => KIND_COLORS[ele.data('kind')] || '#555', 'text-wrap': 'none' } },
        { selector: 'node[kind = "test"]', style: { 'font-size': 9, 'height': 16, 'color': '#1d2433' } },
        { selector: 'edge', style: {
          'width': 1.2, 'line-color': '#aab3c0', 'target-arrow-color': '#aab3c0',
          'target-arrow-shape': 'triangle', 'curve-style': 'bezier', 'arrow-scale': 0.8 } },
        { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#111' } }
      ],
      layout: { name: drawGraph.registered ? 'dagre' : 'breadthfirst', rankDir: 'LR', nodeSep: 10, rankSep: 60, directed: true },
      wheelSensitivity: 0.3
    });
    cy.on('tap', 'node', event => { location.hash = '#/node/' + encodeURIComponent(event.target.id()); });
    window.dlctlLineage = cy;  // for tests and for the console
  }

  function problems() {
    if (!lab.problems || !lab.problems.length) return null;
    return el('div', {}, lab.problems.map(p => el('div', { class: 'notice' }, p.part + ': ' + p.message)));
  }

  function lastResult(node) {
    const r = node.last_result;
    if (!r) return el('span', { class: 'kind' }, 'not in the last run_results.json');
    return el('span', {}, badge(r.status), r.failures ? ' ' + r.failures + ' failing rows' : '',
      r.execution_time !== undefined ? ' in ' + Number(r.execution_time).toFixed(2) + ' s' : '',
      r.generated_at ? ' (' + r.generated_at + ')' : '');
  }

  function neighbours(node) {
    const up = parentsOf(node.id), down = childrenOf(node.id).filter(id => nodeById(id)?.kind !== 'test');
    return [
      el('h2', {}, 'Upstream'), up.length ? el('ul', {}, up.map(id => el('li', {}, link(id)))) : el('p', {}, 'none'),
      el('h2', {}, 'Downstream'), down.length ? el('ul', {}, down.map(id => el('li', {}, link(id)))) : el('p', {}, 'none')
    ];
  }

  function modelPage(node) {
    const lake = tableFacts(node);
    const lakeColumns = lake && lake.object.columns ? lake.object.columns : [];
    const described = new Map((node.columns || []).map(c => [c.name, c]));
    const names = lakeColumns.length ? lakeColumns.map(c => c.name) : (node.columns || []).map(c => c.name);
    const columns = names.map(name => ({
      name,
      type: (lakeColumns.find(c => c.name === name) || {}).type || (described.get(name) || {}).data_type || '',
      description: (described.get(name) || {}).description || ''
    }));
    const tests = lab.nodes.filter(n => n.kind === 'test' && n.attached_to === node.id);
    const snapshot = lake && lake.snapshot;
    page(node.name, node.kind + ' ' + (node.relation || ''),
      node.description ? el('p', { class: 'description' }, node.description) : null,
      facts([
        ['file', node.path], ['materialized', node.materialized || (node.config || {}).materialized],
        ['relation', node.relation], ['tags', (node.tags || []).join(', ')], ['last run', lastResult(node)],
        ['rows', lake && lake.row ? String(lake.row.rows_in_files) : (lake && lake.object.view ? 'a view' : null)],
        ['bytes', lake && lake.row ? bytes(lake.row.bytes) : null],
        ['data files', lake && lake.row ? String(lake.row.data_files) : null],
        ['written by', snapshot ? el('a', { href: '#/catalog/' + encodeURIComponent(node.catalog) },
          'snapshot ' + snapshot.snapshot_id + ' at ' + snapshot.snapshot_time + (snapshot.commit_message ? ': ' + snapshot.commit_message : '')) : null]
      ]),
      el('h2', {}, 'Columns'),
      columns.length ? table(columns, [['name', 'column'], ['type', 'lake type'], ['description', 'description']], { id: 'columns' })
        : el('p', {}, 'none known'),
      el('h2', {}, 'Tests'),
      tests.length ? table(tests, [['name', 'test', (v, t) => link(t.id, v)], ['column', 'column'], ['status', 'last status', (v, t) => lastResult(t)]], { id: 'tests' })
        : el('p', {}, 'none'),
      node.kind === 'model' ? [
        el('h2', {}, 'Compiled SQL'),
        node.compiled_sql ? code(node.compiled_sql, 'sql compiled') : el('p', {}, 'not compiled yet: dlctl transform writes it'),
        el('h2', {}, 'SQL'), code(node.raw_sql, 'sql raw')] : null,
      el('h2', {}, 'Config'), code(JSON.stringify(node.config || {}, null, 2), 'json'),
      neighbours(node));
  }

  function testPage(node) {
    page(node.name, 'test ' + node.test_name,
      facts([['on', node.attached_to ? link(node.attached_to) : null], ['column', node.column], ['severity', node.severity],
        ['file', node.path], ['last run', lastResult(node)],
        ['message', node.last_result && node.last_result.message]]),
      neighbours(node));
  }

  function sourcePage(node) {
    page(node.name, 'source' + (node.database ? ' in ' + node.database : ''),
      node.description ? el('p', {}, node.description) : null,
      facts([['identifier', node.identifier], ['declared in', node.path],
        ['raw dataset', node.dataset ? link(node.dataset) : null]]),
      (node.columns || []).length ? [el('h2', {}, 'Columns'), table(node.columns, [['name', 'column'], ['data_type', 'type'], ['description', 'description']])] : null,
      neighbours(node));
  }

  function versionsTable(versions) {
    return table(versions.slice().reverse(), [['version', 'version'], ['latest', 'latest', v => v ? badge('latest', 'ok') : ''],
      ['complete', 'complete', v => v ? badge('yes', 'ok') : badge('incomplete', 'problem')],
      ['files', 'files', v => String(v.length), true], ['bytes', 'bytes', bytes, true], ['uri', 'uri']]);
  }

  function datasetPage(node) {
    const dataset = lab.datasets.find(d => 'dataset.' + d.name === node.id);
    page(node.name, 'raw dataset',
      node.missing ? el('p', { class: 'notice' }, 'Not ingested yet: dlctl ingest dataset … ' + node.name) : null,
      dataset ? [facts([['latest', dataset.latest]]), el('h2', {}, 'Versions'), versionsTable(dataset.versions),
        el('h2', {}, 'Files of the latest version'),
        table((dataset.versions.find(v => v.latest) || { files: [] }).files, [['path', 'file'], ['size', 'bytes', bytes, true]]),
        el('h2', {}, 'Manifest'), code(JSON.stringify(dataset.manifest, null, 2), 'json')] : null,
      neighbours(node));
  }

  function exportPage(node) {
    const exported = lab.exports.find(d => 'export.' + d.name === node.id);
    page(node.name, 'export',
      exported ? [facts([['latest', exported.latest]]), el('h2', {}, 'Versions'), versionsTable(exported.versions),
        el('h2', {}, 'Manifest'), code(JSON.stringify(exported.manifest, null, 2), 'json')] : null,
      neighbours(node));
  }

  function graphPage(schema, node) {
    const graph = lab.graphs.find(g => g.schema === schema);
    if (!graph) return page(schema, 'graph', el('p', {}, 'No such graph.'));
    page(schema, 'Kùzu graph at ' + graph.path,
      facts([['embeddings', graph.embeddings ? badge('yes', 'ok') : badge('no')],
        ['vector indexes', graph.vector_indexes.map(i => i.table + '.' + i.index).join(', ') || 'none']]),
      el('h2', {}, 'Node tables'),
      table(graph.node_tables, [['label', 'label'], ['count', 'nodes', v => String(v), true], ['with_embedding', 'with embedding', v => String(v), true]], { id: 'node-tables' }),
      el('h2', {}, 'Rel tables'),
      table(graph.rel_tables, [['label', 'label'], ['count', 'rels', v => String(v), true], ['pairs', 'from → to', v => v.map(p => p.from + ' → ' + p.to).join(', ')]], { id: 'rel-tables' }),
      node ? neighbours(node) : null);
  }

  function nodePage(id) {
    const node = nodeById(id);
    if (!node) return page(id, 'not in this lab', el('p', {}, 'No such node.'));
    switch (node.kind) {
      case 'model': case 'seed': return modelPage(node);
      case 'test': return testPage(node);
      case 'source': return sourcePage(node);
      case 'dataset': return datasetPage(node);
      case 'export': return exportPage(node);
      case 'graph': return graphPage(node.name, node);
      default: return page(node.name, node.kind, code(JSON.stringify(node, null, 2), 'json'));
    }
  }

  function modelsPage() {
    const models = lab.nodes.filter(n => n.kind === 'model' || n.kind === 'seed');
    page('Models', models.length + ' models and seeds',
      table(models, [['name', 'name', (v, n) => link(n.id, v)], ['kind', 'kind'], ['relation', 'relation'],
        ['materialized', 'materialized'], ['last_result', 'last run', (v, n) => lastResult(n)],
        ['description', 'description']], { id: 'models' }));
  }

  function catalogsPage() {
    page('Catalogs', lab.catalogs.length + ' DuckLake catalogs',
      table(lab.catalogs, [['name', 'catalog', v => el('a', { href: '#/catalog/' + encodeURIComponent(v) }, v)],
        ['metadata', 'metadata'], ['data_path', 'data'], ['snapshots', 'snapshots', v => String(v.length), true],
        ['tables', 'tables', v => String(v.length), true], ['verify', 'verify', verifyBadge]]));
  }

  function verifyBadge(verify) {
    if (!verify) return 'not checked';
    return verify.ok ? badge('ok: ' + verify.files_checked + ' files', 'ok')
      : badge(verify.problems.length + ' problems', 'problem');
  }

  function catalogPage(name) {
    const c = catalog(name);
    if (!c) return page(name, 'catalog', el('p', {}, 'No such catalog.'));
    const verify = c.verify;
    page(name, (c.mart ? 'mart' : 'stage') + ' catalog, ' + c.metadata,
      facts([['data', c.data_path], ['verify', verifyBadge(verify)],
        ['orphans', verify ? String(verify.orphans.length) : null]]),
      verify && verify.problems.length ? table(verify.problems, [['path', 'file'], ['problem', 'problem']]) : null,
      el('h2', {}, 'Snapshots'),
      table(c.snapshots.slice().reverse(), [['snapshot_id', 'id', v => String(v), true], ['snapshot_time', 'time'],
        ['author', 'author'], ['commit_message', 'message'], ['changes_made', 'changes']], { id: 'snapshots' }),
      el('h2', {}, 'Tables'),
      table(c.tables, [['schema', 'schema'], ['table', 'table', (v, t) => tableLink(name, t.schema, v)],
        ['columns', 'columns', String, true], ['data_files', 'files', String, true],
        ['rows_in_files', 'rows', String, true], ['bytes', 'bytes', bytes, true]], { id: 'tables' }),
      el('h2', {}, 'Files'),
      table(c.files, [['schema', 'schema'], ['table', 'table'], ['path', 'path'], ['record_count', 'rows', String, true],
        ['file_size_bytes', 'bytes', bytes, true], ['delete_file', 'delete file']]));
  }

  function tableLink(catalogName, schema, tableName) {
    const relation = catalogName + '.' + schema + '.' + tableName;
    const node = lab.nodes.find(n => n.relation === relation);
    return node ? link(node.id, tableName) : tableName;
  }

  function datasetsPage() {
    page('Raw datasets', lab.datasets.length + ' datasets',
      table(lab.datasets, [['name', 'dataset', v => link('dataset.' + v, v)], ['versions', 'versions', v => String(v.length), true],
        ['latest', 'latest']], { id: 'datasets' }));
  }

  function exportsPage() {
    page('Exports', lab.exports.length + ' exported schemas',
      table(lab.exports, [['name', 'catalog/schema', v => link('export.' + v, v)], ['versions', 'versions', v => String(v.length), true],
        ['latest', 'latest']]));
  }

  function backupsPage() {
    page('Backups', lab.backups.length + ' backups',
      table(lab.backups.slice().reverse(), [['id', 'backup'], ['latest', 'latest', v => v ? badge('latest', 'ok') : ''],
        ['complete', 'complete', v => v ? badge('yes', 'ok') : badge('no', 'problem')], ['problem', 'problem', v => v || ''],
        ['files', 'files', v => v.map(f => f.path + ' (' + bytes(f.size) + ')').join(', ')], ['uri', 'uri']], { id: 'backups' }));
  }

  function graphsPage() {
    page('Graphs', lab.graphs.length + ' Kùzu graphs',
      table(lab.graphs, [['schema', 'graph', v => el('a', { href: '#/graph/' + encodeURIComponent(v) }, v)],
        ['node_tables', 'nodes', v => String(v.reduce((a, t) => a + t.count, 0)), true],
        ['rel_tables', 'rels', v => String(v.reduce((a, t) => a + t.count, 0)), true],
        ['embeddings', 'embeddings', v => v ? badge('yes', 'ok') : badge('no')]], { id: 'graphs' }));
  }

  // ---- routing ---------------------------------------------------------------------------------

  function route() {
    const hash = location.hash.replace(/^#\/?/, '') || 'lineage';
    const [path, query] = hash.split('?');
    const params = new URLSearchParams(query || '');
    const [section, ...rest] = path.split('/');
    const argument = decodeURIComponent(rest.join('/'));
    for (const a of document.querySelectorAll('header nav a'))
      a.classList.toggle('current', a.getAttribute('href') === '#/' + section);
    window.scrollTo(0, 0);
    switch (section) {
      case 'node': nodePage(argument); break;
      case 'models': modelsPage(); break;
      case 'catalogs': catalogsPage(); break;
      case 'catalog': catalogPage(argument); break;
      case 'datasets': datasetsPage(); break;
      case 'exports': exportsPage(); break;
      case 'backups': backupsPage(); break;
      case 'graphs': graphsPage(); break;
      case 'graph': graphPage(argument, nodeById('graph.' + argument)); break;
      default: lineage(params);
    }
    document.body.dataset.route = section;
    document.body.dataset.ready = 'true';
  }

  async function refresh() {
    const response = await fetch('api/lab', { cache: 'no-store' });
    if (!response.ok) throw new Error('api/lab: ' + response.status);
    lab = await response.json();
    showState();
    route();
  }

  function showState() {
    const state = document.getElementById('state');
    state.replaceChildren(el('span', {}, 'generated ' + lab.generated_at + ' · dlctl ' + lab.dlctl_version,
      served ? el('button', { id: 'refresh', onclick: () => refresh().catch(e => console.warn(e.message)) }, 'Refresh') : null));
  }

  if (!lab) {
    main.replaceChildren(el('p', { class: 'notice' }, 'No lab document (lab.js): run dlctl docs generate.'));
    return;
  }
  window.addEventListener('hashchange', route);
  showState();
  route();
})();
