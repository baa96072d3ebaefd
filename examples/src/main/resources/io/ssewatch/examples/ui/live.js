// The live page: watches the volumes of one storage pool with the browser's EventSource and
// keeps a table in step with the stream.
//
// Query parameters (all optional):
//   stream=URL          the volumes list to watch, absolute or relative, without ?watch=true;
//                       with an absolute URL on another origin, that server needs CORS for
//                       this page's origin (--cors-origin)
//   cluster=ID&pool=ID  the pool to watch on this server
// Without them the page watches the first pool of the first cluster, and after a server
// restart, whose in-memory store has new ids, it finds that pool again.
'use strict';

(function () {
  const API = '/api/v2/clusters/';
  // Wait before a new discovery after the stream closed for good (a non-200 response).
  const RESTART_DELAY_MS = 3000;
  const REMOVE_DELAY_MS = 1000;
  const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

  const params = new URLSearchParams(location.search);
  const stateEl = document.getElementById('state');
  const lastIdEl = document.getElementById('last-id');
  const eventCountEl = document.getElementById('event-count');
  const snapshotCountEl = document.getElementById('snapshot-count');
  const noticeEl = document.getElementById('notice');
  const scopeEl = document.getElementById('scope');
  const streamUrlEl = document.getElementById('stream-url');
  const table = document.getElementById('volumes');
  const tbody = table.tBodies[0];
  const emptyEl = document.getElementById('empty');

  // The volumes shown, by id: the last JSON text received for each.
  const volumes = new Map();
  // The table row of each volume in `volumes`; rows being removed are not in it.
  const rows = new Map();
  // For a volume whose state is being read with a GET after an `oversized` event, the token
  // of that read. A later event for the volume deletes it, so that the stale read is dropped.
  const pendingReads = new Map();

  let source = null;
  let volumesUrl = null;
  let opened = false;
  let eventCount = 0;
  let snapshotCount = 0;

  function setState(state) {
    stateEl.textContent = state;
    stateEl.dataset.state = state;
    table.classList.toggle('stale', state !== 'open');
  }

  function showNotice(text) {
    noticeEl.textContent = text;
    noticeEl.hidden = false;
  }

  function hideNotice() {
    noticeEl.hidden = true;
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    if (!response.ok) {
      throw new Error('GET ' + url + ' failed with status ' + response.status);
    }
    return response.json();
  }

  // Returns the volumes list URL and a label for it.
  async function resolveScope() {
    if (params.has('stream')) {
      const url = new URL(params.get('stream'), location.href);
      return { url: url.href, label: url.pathname };
    }
    let clusterId = params.get('cluster');
    let poolId = params.get('pool');
    let label = 'pool ' + poolId;
    if (!clusterId || !poolId) {
      const clusters = await getJson(API);
      if (clusters.length === 0) {
        throw new Error('the server has no clusters');
      }
      clusterId = clusters[0].id;
      const pools = await getJson(API + clusterId + '/storage-pools/');
      if (pools.length === 0) {
        throw new Error('cluster ' + clusters[0].name + ' has no storage pools');
      }
      poolId = pools[0].id;
      label = clusters[0].name + ' / ' + pools[0].name;
    }
    const path = API + clusterId + '/storage-pools/' + poolId + '/volumes/';
    return { url: new URL(path, location.href).href, label: label };
  }

  async function start() {
    setState(opened ? 'reconnecting' : 'connecting');
    let scope;
    try {
      scope = await resolveScope();
    } catch (err) {
      showNotice('Cannot find the pool to watch: ' + err.message + '. Trying again.');
      setTimeout(start, RESTART_DELAY_MS);
      return;
    }
    volumesUrl = scope.url;
    scopeEl.textContent = scope.label;
    streamUrlEl.textContent = volumesUrl + '?watch=true';
    connect(volumesUrl + '?watch=true');
  }

  function connect(url) {
    source = new EventSource(url);
    source.onopen = function () {
      opened = true;
      hideNotice();
      setState('open');
    };
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) {
        // A non-200 response, such as 404 once a restarted server has new ids: EventSource
        // gives up for good, so find the pool again and open a new stream.
        source.close();
        setState('closed');
        showNotice('The stream was refused; looking for the pool again in '
          + RESTART_DELAY_MS / 1000 + ' s.');
        setTimeout(start, RESTART_DELAY_MS);
      } else {
        // The browser reconnects by itself, sending Last-Event-ID.
        setState('reconnecting');
      }
    };
    listen('snapshot', onSnapshot);
    listen('created', function (volume) { upsert(volume, false); });
    listen('updated', function (volume) { upsert(volume, false); });
    listen('deleted', function (volume) { remove(volume.id); });
    listen('oversized', onOversized);
    listen('unavailable', function (body) {
      showNotice('The server is unavailable: ' + body.detail
        + '. The browser reconnects by itself.');
    });
  }

  function listen(name, apply) {
    source.addEventListener(name, function (event) {
      eventCount += 1;
      eventCountEl.textContent = String(eventCount);
      if (event.lastEventId) {
        lastIdEl.textContent = event.lastEventId;
      }
      apply(JSON.parse(event.data));
    });
  }

  // A snapshot is the whole state at its id: rows it lacks go, the others are replaced.
  function onSnapshot(list) {
    snapshotCount += 1;
    snapshotCountEl.textContent = String(snapshotCount);
    pendingReads.clear();
    const ids = new Set(list.map(function (volume) { return volume.id; }));
    for (const id of Array.from(volumes.keys())) {
      if (!ids.has(id)) {
        remove(id);
      }
    }
    // The snapshot comes in the list endpoint's order, which `place` keeps.
    for (const volume of list) {
      upsert(volume, false);
    }
    updateEmpty();
  }

  function onOversized(info) {
    if (info.type === 'deleted') {
      remove(info.id);
      return;
    }
    const token = {};
    pendingReads.set(info.id, token);
    getJson(volumesUrl + encodeURIComponent(info.id) + '/')
      .then(function (volume) {
        if (pendingReads.get(info.id) === token) {
          pendingReads.delete(info.id);
          upsert(volume, true);
        }
      })
      .catch(function (err) {
        showNotice('Volume ' + info.id + ' is too large to stream (' + info.bytes
          + ' bytes) and reading it failed: ' + err.message);
      });
  }

  function upsert(volume, oversized) {
    pendingReads.delete(volume.id);
    const json = JSON.stringify(volume);
    const changed = volumes.get(volume.id) !== json;
    volumes.set(volume.id, json);
    let row = rows.get(volume.id);
    if (!row) {
      row = document.createElement('tr');
      row.dataset.id = volume.id;
      rows.set(volume.id, row);
    }
    row.classList.toggle('oversized', oversized);
    fill(row, volume);
    place(row);
    if (changed) {
      flash(row);
    }
    updateEmpty();
  }

  function remove(id) {
    pendingReads.delete(id);
    volumes.delete(id);
    const row = rows.get(id);
    if (!row) {
      return;
    }
    rows.delete(id);
    row.classList.remove('flash');
    row.classList.add('removing');
    setTimeout(function () { row.remove(); }, REMOVE_DELAY_MS);
    updateEmpty();
  }

  function fill(row, volume) {
    const capacity = volume.capacity || {};
    const cells = [
      ['name', volume.name],
      ['status', null],
      ['number', formatBytes(volume.size)],
      ['number', capacity.used_percent === undefined ? '–'
        : capacity.used_percent.toFixed(1) + ' %'],
      ['number iops', volume.max_rw_iops ? volume.max_rw_iops.toLocaleString('en-US')
        : 'unlimited'],
      ['ha', volume.high_availability ? 'yes' : 'no'],
      ['id', volume.id.slice(0, 8)],
    ];
    row.replaceChildren();
    for (const [className, text] of cells) {
      const cell = document.createElement('td');
      cell.className = className;
      if (className === 'status') {
        const badge = document.createElement('span');
        badge.className = 'badge ' + volume.status;
        badge.textContent = volume.status;
        cell.append(badge);
      } else {
        cell.textContent = text;
      }
      row.append(cell);
    }
    row.cells[6].title = volume.id;
    row.dataset.name = volume.name;
  }

  // Moves the row to its place in the list endpoint's order: by name, then by id.
  function place(row) {
    let next = null;
    for (const other of tbody.rows) {
      if (other !== row && !other.classList.contains('removing') && compare(row, other) < 0) {
        next = other;
        break;
      }
    }
    if (row.nextSibling !== next || row.parentNode !== tbody) {
      tbody.insertBefore(row, next);
    }
  }

  function compare(a, b) {
    const byName = compareText(a.dataset.name, b.dataset.name);
    return byName !== 0 ? byName : compareText(a.dataset.id, b.dataset.id);
  }

  // Compares UTF-16 code units, as Java's String.compareTo does on the server.
  function compareText(a, b) {
    if (a < b) {
      return -1;
    }
    if (a > b) {
      return 1;
    }
    return 0;
  }

  function flash(row) {
    row.classList.remove('flash');
    // Reading the layout restarts the CSS animation when the class comes back.
    void row.offsetWidth;
    row.classList.add('flash');
  }

  function updateEmpty() {
    emptyEl.hidden = rows.size > 0;
  }

  function formatBytes(bytes) {
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit += 1;
    }
    const digits = Number.isInteger(value) ? 0 : 1;
    return value.toFixed(digits) + ' ' + UNITS[unit];
  }

  tbody.addEventListener('animationend', function (event) {
    event.target.closest('tr').classList.remove('flash');
  });

  start();
})();
