// The dashboard of a running accuauth-kit mock: plain JavaScript, no build step, no library, nothing fetched but
// this mock's own admin API (the same routes tests use). Everything a call carries is shown as text, never markup.

(() => {
  const ADMIN = '/__admin';
  const TOKEN_KEY = 'accuauth-kit.admin-token';
  /** Rows kept on the page; the journal itself is the admin API's. */
  const MAX_ROWS = 500;

  const $ = (id) => document.getElementById(id);
  const calls = [];
  const knownKeys = new Set();
  let selectedId = null;
  let shownPreviewId = null;
  let previewUrl = null;
  let stateTimer = null;
  let started = false;

  /** Every call of the page goes through here: the token (if any) as a Bearer header, JSON back. */
  async function api(method, route, body) {
    const headers = {};
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.authorization = `Bearer ${token}`;
    // Every write says JSON, a body or not: the admin API refuses any other write, so a form on another site cannot make one.
    if (method !== 'GET') headers['content-type'] = 'application/json';
    const response = await fetch(ADMIN + route, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status === 401) {
      askForToken(token ? 'That token was refused.' : '');
      throw new Error('the admin token is needed');
    }
    return response;
  }

  async function json(method, route, body) {
    const response = await api(method, route, body);
    const parsed = await response.json();
    if (!response.ok) throw new Error(parsed.error || `HTTP ${response.status}`);
    return parsed;
  }

  function askForToken(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    $('dashboard').hidden = true;
    $('token-form').hidden = false;
    $('token-error').textContent = message;
    setConnection('lost', 'token needed');
  }

  function codeFamily(httpCode) {
    return `code-${String(httpCode).charAt(0)}xx`;
  }

  function setConnection(state, text) {
    const pill = $('connection');
    pill.dataset.state = state;
    pill.textContent = text;
  }

  function cell(text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    td.title = text;
    if (className) td.className = className;
    return td;
  }

  function imageText(body) {
    if (!body || body.imageBytes === undefined) return '';
    const size = body.imageBytes >= 1024 ? `${(body.imageBytes / 1024).toFixed(1)} KiB` : `${body.imageBytes} B`;
    const sides = body.width === undefined ? '' : ` ${body.width}×${body.height}`;
    return body.imageFormat ? `${body.imageFormat.toUpperCase()}${sides}, ${size}` : `${size}, refused`;
  }

  function bodyText(body) {
    if (!body) return '';
    if (body.kind === 'form') return body.field || body.contentType;
    return body.kind;
  }

  function row(entry) {
    const tr = document.createElement('tr');
    tr.dataset.requestId = entry.requestId;
    tr.dataset.status = entry.status;
    tr.dataset.keyId = entry.keyId || '';
    if (entry.diagnosis) tr.dataset.diagnosis = entry.diagnosis.code;
    tr.setAttribute('aria-selected', String(entry.requestId === selectedId));
    tr.append(
      cell(entry.at.slice(11, 19), 'c-time'),
      cell(entry.keyId || '—', 'c-key'),
      cell(bodyText(entry.body), 'c-body'),
      cell(imageText(entry.body), 'c-image'),
    );
    const answer = cell('', 'c-answer');
    const code = document.createElement('span');
    code.className = `code ${codeFamily(entry.httpCode)}`;
    code.textContent = String(entry.httpCode);
    answer.append(code, document.createTextNode(entry.status));
    answer.title = `${entry.httpCode} ${entry.status}${entry.answer?.reason ? `: ${entry.answer.reason}` : ''}`;
    const stage = entry.scenario ? `${entry.decidedBy} · ${entry.scenario}` : entry.decidedBy || '';
    tr.append(
      answer,
      cell(stage, 'c-stage'),
      whyCell(entry.diagnosis),
      cell(String(entry.latencyMs ?? ''), 'c-ms num'),
    );
    tr.addEventListener('click', () => select(entry.requestId));
    return tr;
  }

  /** Why a call was refused for a mistake of the client (code, offending value, fix); empty for other calls. */
  function whyCell(diagnosis) {
    const td = cell('', 'c-why');
    if (!diagnosis) return td;
    const part = (text, className) => {
      const span = document.createElement('span');
      span.className = className;
      span.textContent = text;
      return span;
    };
    td.append(part(diagnosis.code, 'diag-code'));
    if (diagnosis.value !== undefined) td.append(part(diagnosis.value, 'diag-value'));
    td.append(part(diagnosis.fix, 'diag-fix'));
    td.title = `${diagnosis.code}${diagnosis.value === undefined ? '' : ` (${diagnosis.value})`}: ${diagnosis.fix}`;
    return td;
  }

  function passes(entry) {
    const status = $('filter-status').value;
    const key = $('filter-key').value;
    return (!status || entry.status === status) && (!key || (entry.keyId || '') === key);
  }

  function renderAll() {
    const tbody = $('calls').tBodies[0];
    const rows = calls.filter(passes).map(row);
    tbody.replaceChildren(...rows);
    $('calls-empty').hidden = calls.length > 0;
  }

  function addKeyOption(keyId) {
    if (!keyId || knownKeys.has(keyId)) return;
    knownKeys.add(keyId);
    const option = document.createElement('option');
    option.value = keyId;
    option.textContent = keyId;
    $('filter-key').append(option);
  }

  /** A new journal entry: one row on top, nothing else moves (the table's columns and row height are fixed). */
  function addCall(entry) {
    calls.unshift(entry);
    if (calls.length > MAX_ROWS) calls.length = MAX_ROWS;
    addKeyOption(entry.keyId);
    const tbody = $('calls').tBodies[0];
    if (passes(entry)) tbody.prepend(row(entry));
    while (tbody.rows.length > MAX_ROWS) tbody.lastElementChild.remove();
    $('calls-empty').hidden = true;
    if (selectedId === null && hasImage(entry)) showPreview(entry);
    updateCounts();
    scheduleStateRefresh();
  }

  function hasImage(entry) {
    return entry.body && entry.body.imageFormat !== undefined;
  }

  function updateCounts() {
    $('counts').textContent = `${calls.length} call${calls.length === 1 ? '' : 's'} shown`;
  }

  function select(requestId) {
    selectedId = selectedId === requestId ? null : requestId;
    for (const tr of $('calls').tBodies[0].rows) {
      tr.setAttribute('aria-selected', String(tr.dataset.requestId === selectedId));
    }
    const entry = selectedId ? calls.find((call) => call.requestId === selectedId) : calls.find(hasImage);
    $('preview-which').textContent = selectedId ? 'selected call' : 'latest upload';
    if (entry) showPreview(entry);
  }

  function fact(name, value) {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = value;
    return [dt, dd];
  }

  /** The picture (kept by the mock, within its cap) with the answer's face_box drawn over it; the answer beside. */
  async function showPreview(entry) {
    shownPreviewId = entry.requestId;
    const result = entry.answer && entry.answer.result;
    const facts = [
      ...fact('answer', `${entry.httpCode} ${entry.status}`),
      ...(result
        ? [
            ...fact('gender', `${result.gender} (${result.confidence})`),
            ...fact('beard', `${result.beard} (${result.beard_confidence})`),
            ...fact('face_box', `[${result.face_box.join(', ')}]`),
          ]
        : entry.answer && entry.answer.reason
          ? fact('reason', entry.answer.reason)
          : []),
      ...(entry.diagnosis
        ? [
            ...fact('refused for', entry.diagnosis.code),
            ...(entry.diagnosis.value === undefined ? [] : fact('value', entry.diagnosis.value)),
            ...fact('fix', entry.diagnosis.fix),
            ...(entry.diagnosis.closest === undefined ? [] : fact('closest valid', entry.diagnosis.closest)),
          ]
        : []),
      ...fact('image', imageText(entry.body) || 'none'),
      ...fact('request', entry.requestId),
    ];
    $('preview-facts').replaceChildren(...facts);
    const img = $('preview-img');
    const svg = $('preview-box');
    svg.replaceChildren();
    if (!hasImage(entry)) {
      img.hidden = true;
      $('preview-empty').hidden = false;
      $('preview-empty').textContent = 'No image in this call';
      return;
    }
    let response;
    try {
      response = await api('GET', `/previews/${encodeURIComponent(entry.requestId)}`);
    } catch {
      return;
    }
    if (shownPreviewId !== entry.requestId) return;
    if (!response.ok) {
      img.hidden = true;
      $('preview-empty').hidden = false;
      $('preview-empty').textContent = 'Picture not kept (over the preview cap): metadata only';
      return;
    }
    const blob = await response.blob();
    if (shownPreviewId !== entry.requestId) return;
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = URL.createObjectURL(blob);
    img.src = previewUrl;
    img.hidden = false;
    $('preview-empty').hidden = true;
    svg.setAttribute('viewBox', `0 0 ${entry.body.width} ${entry.body.height}`);
    if (result && Array.isArray(result.face_box)) {
      // face_box is [left, top, right, bottom] in pixels (the spec's decision).
      const [left, top, right, bottom] = result.face_box;
      const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
      rect.setAttribute('x', String(left));
      rect.setAttribute('y', String(top));
      rect.setAttribute('width', String(Math.max(0, right - left)));
      rect.setAttribute('height', String(Math.max(0, bottom - top)));
      const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
      title.textContent = `face_box [${result.face_box.join(', ')}]`;
      rect.append(title);
      svg.append(rect);
    }
  }

  function scheduleStateRefresh() {
    if (stateTimer !== null) return;
    stateTimer = setTimeout(() => {
      stateTimer = null;
      refreshState().catch(showActionError);
    }, 250);
  }

  function badge(text, tone) {
    const span = document.createElement('span');
    span.className = `badge ${tone}`;
    span.textContent = text;
    return span;
  }

  async function refreshState() {
    const [keys, scenarios] = await Promise.all([json('GET', '/keys'), json('GET', '/scenarios')]);
    const keyRows = keys.keys.map((key) => {
      addKeyOption(key.id);
      const tr = document.createElement('tr');
      tr.dataset.keyId = key.id;
      const quota = key.quota === null ? `${key.callsUsed} / —` : `${key.callsUsed} / ${key.callsLeft}`;
      const rate = key.rateLimit === null ? '—' : `${key.callsInWindow} of ${key.rateLimit}`;
      const state = document.createElement('td');
      if (key.expired) state.append(badge('expired', 'bad'));
      if (!key.permission) state.append(badge('no permission', 'bad'));
      if (key.callsLeft === 0) state.append(badge('quota used up', 'warn'));
      if (!key.expired && key.permission && key.callsLeft !== 0) state.append(badge('active', 'ok'));
      tr.append(cell(key.id), cell(quota, 'num'), cell(rate, 'num'), state);
      return tr;
    });
    if (keys.anyPairAccepted && keyRows.length === 0) {
      const tr = document.createElement('tr');
      const td = cell('No keys configured: any non-empty id and secret are accepted');
      td.colSpan = 4;
      tr.append(td);
      keyRows.push(tr);
    }
    $('keys').tBodies[0].replaceChildren(...keyRows);

    const items = scenarios.scenarios.map((scenario) => {
      const li = document.createElement('li');
      li.dataset.scenario = scenario.label;
      li.append(document.createTextNode(`${scenario.label}: `));
      scenario.steps.forEach((step, index) => {
        const span = document.createElement('span');
        span.textContent = step.status;
        if (index === scenario.nextStep) span.className = 'step-next';
        li.append(span, document.createTextNode(index < scenario.steps.length - 1 ? ' → ' : ''));
      });
      li.append(document.createTextNode(scenario.nextStep === null ? ' (used up)' : scenario.loop ? ' (loops)' : ''));
      return li;
    });
    if (items.length === 0) {
      const li = document.createElement('li');
      li.className = 'muted';
      li.textContent = 'none';
      items.push(li);
    }
    $('scenarios').replaceChildren(...items);
    $('next-queued').textContent =
      scenarios.nextAnswers.length === 0
        ? 'Nothing queued.'
        : `Queued: ${scenarios.nextAnswers.map((step) => step.status).join(', ')}`;
  }

  function showActionError(error) {
    $('action-error').textContent = error instanceof Error ? error.message : String(error);
  }

  /** The live journal: server-sent events read through fetch, so the token travels as a header, not in the URL. */
  async function follow() {
    for (;;) {
      try {
        const response = await api('GET', '/events');
        if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`);
        setConnection('live', 'live');
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            handleEvent(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
            end = buffer.indexOf('\n\n');
          }
        }
      } catch (error) {
        if (!sessionStorage.getItem(TOKEN_KEY) && !$('token-form').hidden) return;
        showActionError(error);
      }
      setConnection('lost', 'reconnecting');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  function handleEvent(block) {
    let type = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) type = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (type === 'request' && data.length > 0) addCall(JSON.parse(data.join('\n')));
  }

  async function loadJournal() {
    const page = await json('GET', '/requests');
    calls.length = 0;
    for (const entry of page.requests.slice(-MAX_ROWS).reverse()) {
      calls.push(entry);
      addKeyOption(entry.keyId);
    }
    renderAll();
    updateCounts();
    const latest = calls.find(hasImage);
    if (latest) showPreview(latest);
  }

  async function loadStatuses() {
    const statuses = await json('GET', '/statuses');
    const filter = $('filter-status');
    const buttons = [];
    for (const entry of [statuses.ok, ...statuses.errors]) {
      const option = document.createElement('option');
      option.value = entry.status;
      option.textContent = `${entry.status} (${entry.httpCode})`;
      filter.append(option);
    }
    for (const entry of statuses.errors) {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.nextStatus = entry.status;
      button.title = `${entry.httpCode} ${entry.status}: ${entry.description}`;
      const code = document.createElement('span');
      code.className = `code ${codeFamily(entry.httpCode)}`;
      code.textContent = String(entry.httpCode);
      button.append(code, document.createTextNode(entry.status));
      button.addEventListener('click', () => {
        json('POST', '/next', { status: entry.status }).then(refreshState).catch(showActionError);
      });
      buttons.push(button);
    }
    $('next-buttons').replaceChildren(...buttons);
  }

  async function start() {
    if (started) return;
    $('token-form').hidden = true;
    $('dashboard').hidden = false;
    try {
      await loadStatuses();
      await Promise.all([loadJournal(), refreshState()]);
    } catch (error) {
      showActionError(error);
      return;
    }
    started = true;
    follow();
  }

  $('filter-status').addEventListener('change', renderAll);
  $('filter-key').addEventListener('change', renderAll);
  $('reset').addEventListener('click', () => {
    json('POST', '/reset')
      .then(() => Promise.all([loadJournal(), refreshState()]))
      .then(() => {
        selectedId = null;
        $('preview-facts').replaceChildren();
        $('preview-img').hidden = true;
        $('preview-box').replaceChildren();
        $('preview-empty').hidden = false;
        $('preview-empty').textContent = 'No upload yet';
      })
      .catch(showActionError);
  });
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token-input').value);
    $('token-input').value = '';
    start();
  });
  start();
})();
